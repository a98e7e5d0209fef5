//! Reading Pyth. Both kinds produce the same [`OracleSample`]; everything after that
//! (normalisation, freshness, confidence, EMA deviation) is the core's.

mod legacy;
mod pull;

use anchor_lang::prelude::*;
use strata_core::OracleSample;

use crate::errors::StrataError;
use crate::state::{CollateralConfig, OracleKind};

/// Parses `account` as the configured kind: checks the owning Pyth program, the
/// account type, the trading status (legacy) or full verification and feed id (pull),
/// and that prices are positive. Staleness is checked by the caller against its clock.
pub fn read_sample(kind: OracleKind, feed_id: &[u8; 32], account: &AccountInfo) -> Result<OracleSample> {
    let sample = match kind {
        OracleKind::PythLegacy => legacy::read(account)?,
        OracleKind::PythPull => pull::read(account, feed_id)?,
    };
    require!(sample.price > 0 && sample.ema_price > 0, StrataError::NonPositivePrice);
    Ok(sample)
}

/// Reads the collateral's configured oracle, refusing any other account.
pub fn read_configured(config: &CollateralConfig, account: &AccountInfo) -> Result<OracleSample> {
    require_keys_eq!(account.key(), config.oracle, StrataError::OracleMismatch);
    let kind = config.oracle_kind().ok_or(StrataError::InvariantViolation)?;
    read_sample(kind, &config.feed_id, account)
}
