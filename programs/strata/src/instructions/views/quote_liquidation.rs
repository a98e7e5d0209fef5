use anchor_lang::prelude::*;
use strata_core::LiquidationPlan;

use super::ViewPosition;
use crate::constants::MAX_COLLATERALS;
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
        let mut debt = pool.debt_state();
        debt.accrue(now).map_core()?;
        let plan = plan::plan(&pool, &debt, &position, collateral_index, repay_amount, now)?;
        let mut seized = [0u64; MAX_COLLATERALS];
        for (index, amount) in seized.iter_mut().enumerate() {
            *amount = plan.seized(index);
        }
        let quote = LiquidationQuote {
            shortfall: matches!(plan, LiquidationPlan::Shortfall { .. }),
            repay: plan.repay(),
            seized,
            bonus_bps: match &plan {
                LiquidationPlan::Partial { bonus_bps, .. } => *bonus_bps,
                LiquidationPlan::Shortfall { bonus_bps, .. } => bonus_bps[usize::from(collateral_index)],
            },
            bad_debt: plan.bad_debt(),
            health_before_wad: plan.before().ratio_wad().map_core()?,
            health_after_wad: plan.after().ratio_wad().map_core()?,
        };
        crate::log::native_return_data(&quote);
        Ok(quote)
    }
}
