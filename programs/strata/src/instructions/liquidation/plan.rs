//! The one path from on-chain state to a liquidation plan and back, shared by
//! `liquidate`, `liquidate_batch` and the `quote_liquidation` view.

use anchor_lang::prelude::*;
use strata_core::{liquidation, DebtState, LiquidationPlan, LiquidationTerms};

use crate::constants::MAX_COLLATERALS;
use crate::errors::{CoreResultExt, StrataError};
use crate::events::{BadDebtBooked, PositionLiquidated};
use crate::state::{Pool, Position};

/// Sizes a liquidation of `position` on collateral `index` with the core, against
/// `debt` (the pool's debt state, already accrued to `now`).
pub fn plan(
    pool: &Pool,
    debt: &DebtState,
    position: &Position,
    index: u8,
    requested: u64,
    now: i64,
) -> Result<LiquidationPlan> {
    pool.collateral(index)?;
    let views = pool.collateral_views(&position.collateral);
    let terms = LiquidationTerms { close_factor_bps: pool.close_factor_bps };
    let listed = usize::from(pool.collateral_count);
    liquidation::plan(debt, &terms, &views[..listed], position.debt_shares(), usize::from(index), requested, now)
        .map_core()
}

/// Writes a plan into the pool and position: debt, collateral, totals, bad debt,
/// and the once-per-slot guard.
pub fn apply(pool: &mut Pool, position: &mut Position, plan: &LiquidationPlan, slot: u64) -> Result<()> {
    let mut debt = pool.debt_state();
    let shares = plan.apply(&mut debt, position.debt_shares()).map_core()?;
    pool.set_debt_state(&debt);
    position.set_debt_shares(shares);
    for index in 0..MAX_COLLATERALS {
        let seized = plan.seized(index);
        if seized == 0 {
            continue;
        }
        position.collateral[index] =
            position.collateral[index].checked_sub(seized).ok_or(StrataError::InvariantViolation)?;
        let config = &mut pool.collaterals[index];
        config.total_deposited = config.total_deposited.checked_sub(seized).ok_or(StrataError::InvariantViolation)?;
    }
    pool.bad_debt = pool.bad_debt.checked_add(plan.bad_debt()).ok_or(StrataError::MathOverflow)?;
    position.last_liquidated_slot = slot;
    position.touch(slot);
    Ok(())
}

/// Emits the liquidation (and any bad debt it booked).
pub fn emit(
    pool_key: Pubkey,
    pool: &Pool,
    position_key: Pubkey,
    keeper: Pubkey,
    index: u8,
    plan: &LiquidationPlan,
) -> Result<()> {
    let mut seized = [0u64; MAX_COLLATERALS];
    for (i, amount) in seized.iter_mut().enumerate() {
        *amount = plan.seized(i);
    }
    let bonus_bps = match plan {
        LiquidationPlan::Partial { bonus_bps, .. } => *bonus_bps,
        LiquidationPlan::Shortfall { bonus_bps, .. } => bonus_bps[usize::from(index)],
    };
    crate::log::emit(&PositionLiquidated {
        pool: pool_key,
        position: position_key,
        keeper,
        collateral_index: index,
        repaid: plan.repay(),
        seized,
        bonus_bps,
        bad_debt: plan.bad_debt(),
        health_before_wad: plan.before().ratio_wad().map_core()?,
        health_after_wad: plan.after().ratio_wad().map_core()?,
        debt_after: strata_core::math::to_u64(plan.after().debt).map_core()?,
    });
    if plan.bad_debt() > 0 {
        crate::log::emit(&BadDebtBooked {
            pool: pool_key,
            position: position_key,
            amount: plan.bad_debt(),
            pool_bad_debt: pool.bad_debt,
        });
    }
    Ok(())
}
