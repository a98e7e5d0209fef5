//! Legacy Pyth price accounts, parsed with `pyth-sdk-solana` straight from the
//! account bytes (its `Pubkey` type never meets Anchor's).

use anchor_lang::prelude::*;
use pyth_sdk_solana::state::{load_price_account, PriceStatus, SolanaPriceAccount};
use strata_core::OracleSample;

use crate::constants::pyth;
use crate::errors::StrataError;

pub fn read(account: &AccountInfo) -> Result<OracleSample> {
    // The owner check comes first: only Pyth-written bytes are ever interpreted.
    require_keys_eq!(*account.owner, pyth::LEGACY_PROGRAM_ID, StrataError::OracleOwnerMismatch);
    let data = account.try_borrow_data()?;
    let price: &SolanaPriceAccount = load_price_account(&data).map_err(|_| error!(StrataError::InvalidOracleData))?;
    require!(price.agg.status == PriceStatus::Trading, StrataError::OracleNotTrading);
    let ema_conf = u64::try_from(price.ema_conf.val).map_err(|_| error!(StrataError::InvalidOracleData))?;
    Ok(OracleSample {
        price: price.agg.price,
        conf: price.agg.conf,
        expo: price.expo,
        ema_price: price.ema_price.val,
        ema_conf,
        // The aggregate's publish time (the account's `timestamp` while trading).
        publish_time: price.timestamp,
    })
}
