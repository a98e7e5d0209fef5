use anchor_lang::prelude::*;
use strata_core::LiquidationPlan;

use super::keeper::*;
use super::plan;
use crate::constants::MAX_BATCH_POSITIONS;
use crate::errors::StrataError;
use crate::events::{BatchLiquidated, BatchPositionSkipped, SkipReason};
use crate::instructions::common::accrue;
use crate::instructions::tranche::set::TrancheSet;
use crate::state::{Pool, Position};

#[derive(Accounts)]
pub struct LiquidateBatch<'info> {
    pub keeper_accounts: KeeperAccounts<'info>,
    // Remaining accounts: optionally the pool's tranches each followed by its vault
    // (to settle insolvent positions through the loss waterfall), then the positions
    // to liquidate (writable), one key each, at most `MAX_BATCH_POSITIONS`.
}

/// Running totals of a batch.
#[derive(Default)]
struct Totals {
    liquidated: u16,
    skipped: u16,
    repaid: u64,
    seized: u64,
}

impl LiquidateBatch<'_> {
    /// Liquidates every position passed as a remaining account on one collateral,
    /// each at most up to the close factor, within `max_repay_total` notes and the
    /// keeper's balance. Positions that turned healthy (or cannot be handled here)
    /// are skipped with an event instead of failing the batch. One burn and one
    /// transfer settle the whole batch.
    pub fn handle<'info>(
        ctx: Context<'info, LiquidateBatch<'info>>,
        collateral_index: u8,
        max_repay_total: u64,
        min_collateral_out_total: u64,
    ) -> Result<()> {
        let keeper = &ctx.accounts.keeper_accounts;
        let decimals = keeper.validate(collateral_index)?;
        let clock = Clock::get()?;
        let pool_key = keeper.pool.key();
        let budget = max_repay_total.min(keeper.keeper_notes.amount);
        require!(budget > 0, StrataError::InsufficientFunds);
        let mut totals = Totals::default();
        let (signer, tranches, losses, income) = {
            let mut pool = keeper.pool.load_mut()?;
            accrue(&mut pool, pool_key, clock.unix_timestamp)?;
            let (mut tranches, positions) = TrancheSet::load_optional(&pool_key, &pool, ctx.remaining_accounts)?;
            // Losses are booked on the tranches as they stand with income up to now.
            let income = match tranches.as_mut() {
                Some(set) => Some(set.settle(&mut pool, pool_key, clock.unix_timestamp)?),
                None => None,
            };
            // Every position logs an event: beyond this many, Solana would truncate
            // the transaction's logs and indexers would lose the later events.
            require!(positions.len() <= MAX_BATCH_POSITIONS, StrataError::BatchTooLarge);
            let can_book_losses = tranches.is_some() || pool.tranche_count == 0;
            let mut losses = [0u64; strata_core::MAX_TRANCHES];
            let mut uncovered = 0u64;
            for info in positions {
                let loader =
                    AccountLoader::<Position>::try_from(info).map_err(|_| error!(StrataError::NotAPosition))?;
                let mut position = loader.load_mut()?;
                require_keys_eq!(position.pool, pool_key, StrataError::PoolMismatch);
                let requested = budget - totals.repaid;
                let outcome = plan_one(
                    &pool,
                    &position,
                    collateral_index,
                    requested,
                    can_book_losses,
                    clock.slot,
                    clock.unix_timestamp,
                )?;
                match outcome {
                    Ok(plan) => {
                        totals.liquidated += 1;
                        totals.repaid += plan.repay();
                        totals.seized += plan.seized(usize::from(collateral_index));
                        let loss = plan::record(&mut pool, &mut position, tranches.as_deref_mut(), &plan, clock.slot)?;
                        plan::emit_batch_position(info.key(), collateral_index, &plan)?;
                        for (total, taken) in losses.iter_mut().zip(loss.taken) {
                            *total += taken;
                        }
                        uncovered += loss.uncovered;
                    }
                    Err(reason) => {
                        totals.skipped += 1;
                        crate::log::emit(&BatchPositionSkipped { position: info.key(), reason });
                    }
                }
            }
            pool.invariant()?;
            require!(totals.seized >= min_collateral_out_total, StrataError::SlippageExceeded);
            crate::log::emit(&BatchLiquidated {
                pool: pool_key,
                keeper: keeper.keeper.key(),
                collateral_index,
                liquidated: totals.liquidated,
                skipped: totals.skipped,
                repaid: totals.repaid,
                seized: totals.seized,
                loss_taken: losses,
                loss_uncovered: uncovered,
                pool_bad_debt: pool.bad_debt,
            });
            (pool.signer(), tranches, losses, income)
        };
        if let (Some(set), Some(income)) = (&tranches, &income) {
            keeper.mint_income(set, income, &signer)?;
        }
        if totals.repaid == 0 {
            return Ok(());
        }
        keeper.burn_repaid(totals.repaid)?;
        keeper.pay_seized(&signer, decimals, totals.seized)?;
        if let Some(set) = &tranches {
            keeper.burn_losses(set, &losses, &signer)?;
        }
        Ok(())
    }
}

/// Plans one position's liquidation (for [`plan::record`]), or says why it is
/// skipped. Errors that mean the batch itself is wrong (bad accounts, math) still
/// fail it.
fn plan_one(
    pool: &Pool,
    position: &Position,
    collateral_index: u8,
    requested: u64,
    can_book_losses: bool,
    slot: u64,
    now: i64,
) -> Result<core::result::Result<Box<LiquidationPlan>, SkipReason>> {
    if position.last_liquidated_slot == slot {
        return Ok(Err(SkipReason::AlreadyLiquidatedThisSlot));
    }
    if requested == 0 {
        return Ok(Err(SkipReason::BudgetExhausted));
    }
    let debt = pool.debt_state();
    let plan = match plan::plan(pool, &debt, position, collateral_index, requested, now) {
        Ok(plan) => plan,
        Err(error) => {
            let reason = match skip_reason(&error) {
                Some(reason) => reason,
                None => return Err(error),
            };
            return Ok(Err(reason));
        }
    };
    // Settling an insolvent position pays out every collateral it holds; a batch
    // only moves one, so such positions go through `liquidate`.
    let holds_others =
        position.collateral.iter().enumerate().any(|(i, amount)| i != usize::from(collateral_index) && *amount > 0);
    if plan.is_shortfall() && (holds_others || !can_book_losses) {
        return Ok(Err(SkipReason::NeedsFullSettlement));
    }
    Ok(Ok(plan))
}

fn skip_reason(error: &Error) -> Option<SkipReason> {
    let Error::AnchorError(anchor_error) = error else { return None };
    let reasons = [
        (StrataError::PositionHealthy, SkipReason::Healthy),
        (StrataError::StalePrice, SkipReason::StalePrice),
        (StrataError::NoCollateralToSeize, SkipReason::NoCollateralToSeize),
        (StrataError::LiquidationWouldLowerHealth, SkipReason::WouldLowerHealth),
        (StrataError::ShortfallRepayTooLow, SkipReason::BudgetExhausted),
        (StrataError::ZeroAmount, SkipReason::BudgetExhausted),
        (StrataError::NoDebt, SkipReason::Healthy),
    ];
    reasons.into_iter().find(|(code, _)| u32::from(*code) == anchor_error.error_code_number).map(|(_, reason)| reason)
}
