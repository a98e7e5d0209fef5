use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use strata_core::LiquidationPlan;

use super::plan;
use crate::constants::{pause, MAX_BATCH_POSITIONS};
use crate::errors::StrataError;
use crate::events::{BatchLiquidated, BatchPositionSkipped, SkipReason};
use crate::instructions::common::{accrue, check_collateral_accounts};
use crate::instructions::tranche::set::TrancheSet;
use crate::state::{Pool, Position};
use crate::token_ops::{burn_notes, CollateralTransfer};

#[derive(Accounts)]
pub struct LiquidateBatch<'info> {
    pub keeper: Signer<'info>,
    #[account(mut)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(mut, address = pool.load()?.note_mint @ StrataError::NoteMintMismatch)]
    pub note_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        mut,
        constraint = keeper_notes.mint == note_mint.key() @ StrataError::NoteMintMismatch,
        constraint = keeper_notes.owner == keeper.key() @ StrataError::TokenOwnerMismatch,
    )]
    pub keeper_notes: Box<InterfaceAccount<'info, TokenAccount>>,
    pub collateral_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, constraint = keeper_collateral.mint == collateral_mint.key() @ StrataError::CollateralMintMismatch)]
    pub keeper_collateral: Box<InterfaceAccount<'info, TokenAccount>>,
    pub collateral_token_program: Interface<'info, TokenInterface>,
    pub note_token_program: Program<'info, Token>,
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
    /// Checks the collateral accounts; returns the collateral's decimals.
    fn validate(&self, collateral_index: u8) -> Result<u8> {
        let pool = self.pool.load()?;
        pool.require_not_paused(pause::LIQUIDATE)?;
        check_collateral_accounts(
            &pool,
            collateral_index,
            &self.collateral_mint.key(),
            &self.vault.key(),
            &self.collateral_token_program.key(),
        )
    }

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
        let decimals = ctx.accounts.validate(collateral_index)?;
        let clock = Clock::get()?;
        let accounts = &ctx.accounts;
        let pool_key = accounts.pool.key();
        let budget = max_repay_total.min(accounts.keeper_notes.amount);
        require!(budget > 0, StrataError::InsufficientFunds);
        let mut totals = Totals::default();
        let (signer, tranches, losses, income) = {
            let mut pool = accounts.pool.load_mut()?;
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
                keeper: accounts.keeper.key(),
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
            set.mint_income(
                income,
                &accounts.note_token_program.to_account_info(),
                &accounts.note_mint.to_account_info(),
                &accounts.pool.to_account_info(),
                &signer,
            )?;
        }
        if totals.repaid == 0 {
            return Ok(());
        }
        burn_notes(
            &accounts.note_token_program.to_account_info(),
            &accounts.note_mint.to_account_info(),
            &accounts.keeper_notes.to_account_info(),
            &accounts.keeper.to_account_info(),
            totals.repaid,
        )?;
        CollateralTransfer {
            token_program: &accounts.collateral_token_program.to_account_info(),
            mint: &accounts.collateral_mint.to_account_info(),
            from: &accounts.vault.to_account_info(),
            to: &accounts.keeper_collateral.to_account_info(),
            authority: &accounts.pool.to_account_info(),
            decimals,
        }
        .by_pool(&signer, totals.seized)?;
        if let Some(set) = &tranches {
            set.burn_from_vaults(
                &losses,
                &accounts.note_token_program.to_account_info(),
                &accounts.note_mint.to_account_info(),
                &accounts.pool.to_account_info(),
                &signer,
            )?;
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
