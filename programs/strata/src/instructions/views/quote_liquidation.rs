use anchor_lang::prelude::*;
use strata_core::{CoreResult, LiquidationPlan};

use super::ViewPosition;
use crate::errors::CoreResultExt;
use crate::instructions::liquidation::plan;

/// What `liquidate(collateral_index, repay_amount, ..)` would do now.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct LiquidationQuote {
    /// The position is insolvent and would be settled whole.
    pub shortfall: bool,
    /// Notes the keeper would burn.
    pub repay: u64,
    /// Units of each collateral the keeper would receive.
    pub seized: [u64; 8],
    /// Bonus on the chosen collateral, basis points.
    pub bonus_bps: u16,
    /// Debt that would be booked as loss.
    pub bad_debt: u64,
    pub health_before_wad: u128,
    /// `u128::MAX` when no debt would be left.
    pub health_after_wad: u128,
}

impl LiquidationQuote {
    /// The quote for `plan`, sized on collateral `collateral_index`.
    pub fn from_plan(plan: &LiquidationPlan, collateral_index: u8) -> CoreResult<Self> {
        Ok(Self {
            shortfall: plan.is_shortfall(),
            repay: plan.repay(),
            seized: plan.seized_all(),
            bonus_bps: plan.bonus_bps_on(usize::from(collateral_index)),
            bad_debt: plan.bad_debt(),
            health_before_wad: plan.before().ratio_wad()?,
            health_after_wad: plan.after().ratio_wad()?,
        })
    }
}

impl ViewPosition<'_> {
    /// Quotes a liquidation with the instruction's own sizing; fails with the error
    /// the instruction would fail with.
    pub fn quote_liquidation(
        ctx: Context<ViewPosition>,
        collateral_index: u8,
        repay_amount: u64,
    ) -> Result<LiquidationQuote> {
        let now = Clock::get()?.unix_timestamp;
        let pool = ctx.accounts.pool.load()?;
        let position = ctx.accounts.position.load()?;
        let debt = pool.accrued_debt_state(now).map_core()?;
        let plan = plan::plan(&pool, &debt, &position, collateral_index, repay_amount, now)?;
        let quote = LiquidationQuote::from_plan(&plan, collateral_index).map_core()?;
        crate::log::native_return_data(&quote);
        Ok(quote)
    }
}
