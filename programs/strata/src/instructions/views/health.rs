use anchor_lang::prelude::*;
use strata_core::{CoreResult, Health, PriceBasis};

use super::ViewPosition;
use crate::errors::CoreResultExt;
use crate::state::{Pool, Position};

/// A position's health now. Amounts are native note units, ratios WAD.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct HealthReport {
    /// Debt accrued to now, rounded up.
    pub debt: u64,
    /// Σ collateral at spot, unweighted.
    pub collateral_value: u128,
    /// Σ collateral at spot × liquidation threshold.
    pub liquidation_value: u128,
    /// Σ collateral at the conservative price × ltv; `None` while some held asset's
    /// price fails the minting checks (confidence, EMA deviation).
    pub borrow_limit: Option<u128>,
    /// `liquidation_value / debt`; `u128::MAX` without debt. Below 1e18 the position
    /// is liquidatable.
    pub health_wad: u128,
    /// `borrow_limit / debt`, when the borrow limit is known.
    pub conservative_health_wad: Option<u128>,
    pub liquidatable: bool,
    /// Collateral worth less than the debt: a liquidation settles it whole.
    pub insolvent: bool,
    pub rate_index_wad: u128,
    pub timestamp: i64,
}

impl HealthReport {
    /// `position`'s health at `now`, debt accrued on a copy of the pool's state.
    pub fn compute(pool: &Pool, position: &Position, now: i64) -> CoreResult<Self> {
        let debt = pool.accrued_debt_state(now)?;
        let owed = debt.debt_of(position.debt_shares())?;
        let views = pool.collateral_views(&position.collateral);
        let spot = Health::compute(&views, owed, PriceBasis::Spot, now)?;
        let conservative = Health::compute(&views, owed, PriceBasis::Conservative, now).ok();
        let collateral_value = Health::collateral_value(&views, PriceBasis::Spot, now)?;
        Ok(Self {
            debt: strata_core::math::to_u64(owed)?,
            collateral_value,
            liquidation_value: spot.weighted_collateral,
            borrow_limit: conservative.map(|h| h.weighted_collateral),
            health_wad: spot.ratio_wad()?,
            conservative_health_wad: conservative.and_then(|h| h.ratio_wad().ok()),
            liquidatable: !spot.is_healthy(),
            insolvent: collateral_value < owed,
            rate_index_wad: debt.rate_index_wad,
            timestamp: now,
        })
    }
}

impl ViewPosition<'_> {
    /// Reports a position's health; needs fresh prices for the assets it holds.
    pub fn health(ctx: Context<ViewPosition>) -> Result<HealthReport> {
        let now = Clock::get()?.unix_timestamp;
        let pool = ctx.accounts.pool.load()?;
        let position = ctx.accounts.position.load()?;
        let report = HealthReport::compute(&pool, &position, now).map_core()?;
        crate::log::native_return_data(&report);
        Ok(report)
    }
}
