//! Admin-set parameter sets. One struct serves the instruction argument, the stored
//! fields, the bounds check and the old/new event, so none of them can drift apart.

use anchor_lang::prelude::*;

use crate::constants::{collateral_bounds as cb, pool_bounds as pb, tranche_bounds as tb};
use crate::errors::StrataError;

/// Pool-wide parameters (`init_pool`, `update_pool`).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolParams {
    /// Stability fee, APR in basis points, accrued per second on debt.
    pub stability_fee_bps: u16,
    /// Most notes (native units) all positions may owe together.
    pub debt_ceiling: u64,
    /// Smallest non-zero debt of a position, native note units.
    pub min_debt: u64,
    /// Share of a position's debt one liquidation may repay, basis points.
    pub close_factor_bps: u16,
    /// Keeper's share of absorbed collateral, basis points.
    pub keeper_tip_bps: u16,
    /// Treasury's share of distributed stability fees, basis points.
    pub protocol_fee_bps: u16,
    /// Coverage test floor: junior assets / total tranche assets, basis points.
    pub coverage_floor_bps: u16,
    /// Seconds between a tranche redemption request and its claim: at least every
    /// listed collateral's `max_age_secs` plus 60 (a loss existing at the request is
    /// then visible at a fresh price, and keepers have a minute to report it), at
    /// most 30 days.
    pub redemption_delay_secs: u32,
}

impl PoolParams {
    /// Refuses values outside sane bounds, logging which one.
    pub fn validate(&self) -> Result<()> {
        let checks = [
            (self.stability_fee_bps <= pb::MAX_STABILITY_FEE_BPS, "stability_fee_bps"),
            (self.min_debt <= self.debt_ceiling, "min_debt <= debt_ceiling"),
            ((1..=pb::MAX_CLOSE_FACTOR_BPS).contains(&self.close_factor_bps), "close_factor_bps"),
            (self.keeper_tip_bps <= pb::MAX_KEEPER_TIP_BPS, "keeper_tip_bps"),
            (self.protocol_fee_bps <= pb::MAX_PROTOCOL_FEE_BPS, "protocol_fee_bps"),
            (self.coverage_floor_bps <= pb::MAX_COVERAGE_FLOOR_BPS, "coverage_floor_bps"),
        ];
        check_all(&checks, StrataError::InvalidPoolParams)
    }
}

/// Per-collateral risk parameters (`add_collateral`, `update_collateral`).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CollateralParams {
    /// Most debt per unit of value for minting (and withdrawing), basis points.
    pub ltv_bps: u16,
    /// Weight under which a position becomes liquidatable, basis points; > ltv.
    pub liquidation_threshold_bps: u16,
    /// Liquidation bonus at health just below 1.0, basis points.
    pub liquidation_bonus_min_bps: u16,
    /// Liquidation bonus as health falls, basis points; ≥ the minimum.
    pub liquidation_bonus_max_bps: u16,
    /// Most native units the pool may hold of this asset.
    pub deposit_cap: u64,
    /// Oldest oracle update the asset may be valued with, seconds.
    pub max_age_secs: u32,
    /// Widest confidence (conf / price) accepted for minting and withdrawing, bps.
    pub max_conf_bps: u16,
    /// Largest spot/EMA gap (relative to EMA) accepted for minting and withdrawing, bps.
    pub max_ema_deviation_bps: u16,
}

impl CollateralParams {
    /// Refuses values outside sane bounds, logging which one. The threshold times the
    /// largest bonus stays at or below 1.0, so that a liquidation near health 1.0 can
    /// always improve the position's health.
    pub fn validate(&self) -> Result<()> {
        let threshold_times_bonus =
            u32::from(self.liquidation_threshold_bps) * (10_000 + u32::from(self.liquidation_bonus_max_bps));
        let checks = [
            (self.ltv_bps > 0, "ltv_bps > 0"),
            (self.ltv_bps < self.liquidation_threshold_bps, "ltv_bps < liquidation_threshold_bps"),
            (self.liquidation_threshold_bps <= cb::MAX_LIQUIDATION_THRESHOLD_BPS, "liquidation_threshold_bps"),
            (
                self.liquidation_bonus_min_bps <= self.liquidation_bonus_max_bps,
                "liquidation_bonus_min_bps <= liquidation_bonus_max_bps",
            ),
            (self.liquidation_bonus_max_bps <= cb::MAX_LIQUIDATION_BONUS_BPS, "liquidation_bonus_max_bps"),
            (threshold_times_bonus <= 100_000_000, "liquidation_threshold_bps * (1 + liquidation_bonus_max_bps) <= 1"),
            ((1..=cb::MAX_AGE_SECS).contains(&self.max_age_secs), "max_age_secs"),
            ((1..=cb::MAX_CONF_BPS).contains(&self.max_conf_bps), "max_conf_bps"),
            ((1..=cb::MAX_EMA_DEVIATION_BPS).contains(&self.max_ema_deviation_bps), "max_ema_deviation_bps"),
        ];
        check_all(&checks, StrataError::InvalidCollateralParams)
    }
}

/// Per-tranche parameters (`init_tranche`, `update_tranche`).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TrancheParams {
    /// Yield the tranche receives before anything below it, APR in basis points
    /// (ignored for the most junior tranche, which takes the residual).
    pub target_apr_bps: u16,
    /// Share of all tranche NAV that must sit below this tranche for deposits into
    /// it and withdrawals beneath it, basis points (ignored for the most junior).
    pub min_subordination_bps: u16,
}

impl TrancheParams {
    pub fn validate(&self) -> Result<()> {
        let checks = [
            (self.target_apr_bps <= tb::MAX_TARGET_APR_BPS, "target_apr_bps"),
            (self.min_subordination_bps <= tb::MAX_MIN_SUBORDINATION_BPS, "min_subordination_bps"),
        ];
        check_all(&checks, StrataError::InvalidTrancheParams)
    }
}

/// Which Pyth product prices a collateral.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OracleKind {
    /// A legacy Pyth price account, read with `pyth-sdk-solana`.
    PythLegacy,
    /// A `PriceUpdateV2` account of the Pyth receiver (pull oracle).
    PythPull,
}

impl OracleKind {
    pub fn to_u8(self) -> u8 {
        self as u8
    }

    pub fn from_u8(value: u8) -> Option<Self> {
        match value {
            0 => Some(Self::PythLegacy),
            1 => Some(Self::PythPull),
            _ => None,
        }
    }
}

/// Where a collateral's price comes from. The oracle account itself is passed in the
/// instruction's accounts and checked against `kind`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct OracleSource {
    pub kind: OracleKind,
    /// Pyth feed id; required for `PythPull`, all zeros for `PythLegacy`.
    pub feed_id: [u8; 32],
}

fn check_all(checks: &[(bool, &str)], error: StrataError) -> Result<()> {
    for (ok, name) in checks {
        if !ok {
            crate::log_msg!("parameter out of bounds: {}", name);
            return Err(error.into());
        }
    }
    Ok(())
}
