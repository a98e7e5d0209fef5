//! The one path from on-chain state to a liquidation plan and back, shared by
//! `liquidate`, `liquidate_batch` and the `quote_liquidation` view.

use anchor_lang::prelude::*;
use strata_core::tranche::{book_loss, LossSplit};
use strata_core::{liquidation, DebtState, LiquidationPlan, LiquidationTerms};

use crate::errors::{CoreResultExt, StrataError};
use crate::events::{BadDebtBooked, BatchPositionLiquidated, LossAllocated, PositionLiquidated};
use crate::instructions::tranche::set::TrancheSet;
use crate::state::{Pool, Position};

/// Sizes a liquidation of `position` on collateral `index` with the core, against
/// `debt` (the pool's debt state, already accrued to `now`). Kept out of the callers'
/// frames, and the plan boxed: the collateral views and the plan's arrays would
/// otherwise sit in every liquidation handler's frame (SBF frames are 4 KiB).
#[inline(never)]
pub fn plan(
    pool: &Pool,
    debt: &DebtState,
    position: &Position,
    index: u8,
    requested: u64,
    now: i64,
) -> Result<Box<LiquidationPlan>> {
    pool.collateral(index)?;
    let views = pool.collateral_views(&position.collateral);
    let terms = LiquidationTerms { close_factor_bps: pool.close_factor_bps };
    let listed = usize::from(pool.collateral_count);
    liquidation::plan(debt, &terms, &views[..listed], position.debt_shares(), usize::from(index), requested, now)
        .map(Box::new)
        .map_core()
}

/// Who a liquidation involves, as its events name them.
#[derive(Clone, Copy)]
pub struct Parties {
    pub pool: Pubkey,
    pub position: Pubkey,
    pub keeper: Pubkey,
}

/// Carries out a plan: [`apply`] it, [`record_loss`] its shortfall and check the
/// position. Returns that loss split: the caller emits, and burns the tranche notes
/// it took after checking the pool.
pub fn record(
    pool: &mut Pool,
    position: &mut Position,
    tranches: Option<&mut TrancheSet>,
    plan: &LiquidationPlan,
    slot: u64,
) -> Result<LossSplit> {
    apply(pool, position, plan, slot)?;
    let loss = record_loss(pool, tranches, plan.bad_debt())?;
    position.invariant()?;
    Ok(loss)
}

/// Emits a single liquidation on collateral `index` and, with a shortfall, how its
/// loss fell.
pub fn emit_single(parties: &Parties, pool: &Pool, index: u8, plan: &LiquidationPlan, loss: &LossSplit) -> Result<()> {
    emit(parties, index, plan)?;
    if plan.bad_debt() > 0 {
        emit_loss(parties, pool, loss);
    }
    Ok(())
}

/// Emits one position of a batch (the batch's own event carries the rest).
pub fn emit_batch_position(position: Pubkey, index: u8, plan: &LiquidationPlan) -> Result<()> {
    let saturating = |wad: u128| u64::try_from(wad).unwrap_or(u64::MAX);
    crate::log::emit(&BatchPositionLiquidated {
        position,
        repaid: plan.repay(),
        seized: plan.seized(usize::from(index)),
        bonus_bps: plan.bonus_bps_on(usize::from(index)),
        bad_debt: plan.bad_debt(),
        health_before_wad: saturating(plan.before().ratio_wad().map_core()?),
        health_after_wad: saturating(plan.after().ratio_wad().map_core()?),
        debt_after: strata_core::math::to_u64(plan.after().debt).map_core()?,
    });
    Ok(())
}

/// Writes a plan into the pool and position: debt, collateral, totals, the
/// once-per-slot guard, and (once no debt is left) the end of any pending-loss report.
/// The loss itself is booked by [`record_loss`].
fn apply(pool: &mut Pool, position: &mut Position, plan: &LiquidationPlan, slot: u64) -> Result<()> {
    let mut debt = pool.debt_state();
    let shares = plan.apply(&mut debt, position.debt_shares()).map_core()?;
    pool.set_debt_state(&debt);
    pool.set_position_debt_shares(position, shares)?;
    let seized = plan.seized_all();
    require!(position.remove_collateral(&seized), StrataError::InvariantViolation);
    pool.release_collateral(&seized)?;
    position.last_liquidated_slot = slot;
    position.touch(slot);
    Ok(())
}

/// Books a settlement's shortfall junior-first on NAV: tranche vault notes junior
/// first (burned by the caller), the seniors whose notes were burned made whole with
/// the collateral the tranches below them hold (it changes hands inside the pool's
/// vaults), the rest to bad debt.
fn record_loss(pool: &mut Pool, tranches: Option<&mut TrancheSet>, loss: u64) -> Result<LossSplit> {
    match tranches {
        Some(set) => {
            let now = Clock::get()?.unix_timestamp;
            let views = pool.price_views();
            let split = book_loss(set.states_mut(), &mut pool.bad_debt, loss, &views, now).map_core()?;
            set.store()?;
            Ok(split)
        }
        None => {
            require!(pool.tranche_count == 0 || loss == 0, StrataError::MissingTrancheAccounts);
            pool.bad_debt = pool.bad_debt.checked_add(loss).ok_or(StrataError::MathOverflow)?;
            Ok(LossSplit { uncovered: loss, ..Default::default() })
        }
    }
}

/// Emits how a booked loss fell.
fn emit_loss(parties: &Parties, pool: &Pool, split: &LossSplit) {
    if pool.tranche_count > 0 {
        crate::log::emit(&LossAllocated {
            pool: parties.pool,
            position: parties.position,
            taken: split.taken,
            compensated: split.compensated,
            lost: split.lost,
            uncovered: split.uncovered,
        });
    }
    if split.uncovered > 0 {
        crate::log::emit(&BadDebtBooked {
            pool: parties.pool,
            position: parties.position,
            amount: split.uncovered,
            pool_bad_debt: pool.bad_debt,
        });
    }
}

/// Emits the liquidation.
fn emit(parties: &Parties, index: u8, plan: &LiquidationPlan) -> Result<()> {
    crate::log::emit(&PositionLiquidated {
        pool: parties.pool,
        position: parties.position,
        keeper: parties.keeper,
        collateral_index: index,
        repaid: plan.repay(),
        seized: plan.seized_all(),
        bonus_bps: plan.bonus_bps_on(usize::from(index)),
        bad_debt: plan.bad_debt(),
        health_before_wad: plan.before().ratio_wad().map_core()?,
        health_after_wad: plan.after().ratio_wad().map_core()?,
        debt_after: strata_core::math::to_u64(plan.after().debt).map_core()?,
    });
    Ok(())
}
