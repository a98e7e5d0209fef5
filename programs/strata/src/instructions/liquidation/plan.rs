//! The one path from on-chain state to a liquidation plan and back, shared by
//! `liquidate`, `liquidate_batch` and the `quote_liquidation` view.

use anchor_lang::prelude::*;
use strata_core::tranche::{apply_loss, split_loss, LossSplit};
use strata_core::{liquidation, DebtState, LiquidationPlan, LiquidationTerms};

use crate::constants::MAX_COLLATERALS;
use crate::errors::{CoreResultExt, StrataError};
use crate::events::{BadDebtBooked, LossAllocated, PositionLiquidated};
use crate::instructions::tranche::set::TrancheSet;
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

/// Writes a plan into the pool and position: debt, collateral, totals, the
/// once-per-slot guard, and (for a settlement) the end of any pending-loss report.
/// The loss itself is booked by [`book_loss`].
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
    if matches!(plan, LiquidationPlan::Shortfall { .. }) {
        clear_loss_pending(pool, position)?;
    }
    position.last_liquidated_slot = slot;
    position.touch(slot);
    Ok(())
}

/// A settled position no longer carries a pending loss: its loss is booked.
pub fn clear_loss_pending(pool: &mut Pool, position: &mut Position) -> Result<()> {
    if position.loss_pending() {
        position.flags &= !crate::state::position_flags::LOSS_PENDING;
        pool.loss_pending_count = pool.loss_pending_count.checked_sub(1).ok_or(StrataError::InvariantViolation)?;
    }
    Ok(())
}

/// Books a settlement's shortfall through the loss waterfall: tranche note assets
/// junior first (their notes are burned by the caller), the rest to bad debt.
pub fn book_loss(pool: &mut Pool, tranches: Option<&mut TrancheSet>, loss: u64) -> Result<LossSplit> {
    let count = usize::from(pool.tranche_count);
    let split = match tranches {
        Some(set) => {
            let split = split_loss(&set.states[..count], loss);
            apply_loss(&mut set.states[..count], &split).map_core()?;
            set.store()?;
            split
        }
        None => {
            require!(count == 0 || loss == 0, StrataError::MissingTrancheAccounts);
            LossSplit { uncovered: loss, ..Default::default() }
        }
    };
    pool.bad_debt = pool.bad_debt.checked_add(split.uncovered).ok_or(StrataError::MathOverflow)?;
    Ok(split)
}

/// Emits how a booked loss fell.
pub fn emit_loss(pool_key: Pubkey, pool: &Pool, position_key: Pubkey, split: &LossSplit) {
    if pool.tranche_count > 0 {
        crate::log::emit(&LossAllocated {
            pool: pool_key,
            position: position_key,
            taken: split.taken,
            uncovered: split.uncovered,
        });
    }
    if split.uncovered > 0 {
        crate::log::emit(&BadDebtBooked {
            pool: pool_key,
            position: position_key,
            amount: split.uncovered,
            pool_bad_debt: pool.bad_debt,
        });
    }
}

/// Emits the liquidation.
pub fn emit(pool_key: Pubkey, position_key: Pubkey, keeper: Pubkey, index: u8, plan: &LiquidationPlan) -> Result<()> {
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
    Ok(())
}
