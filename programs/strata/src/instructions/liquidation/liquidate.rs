use anchor_lang::prelude::*;

use super::keeper::*;
use super::plan;
use crate::errors::StrataError;
use crate::instructions::common::accrue;
use crate::instructions::payouts::{collateral_payouts, pay_out};
use crate::instructions::tranche::set::TrancheSet;
use crate::state::Position;

#[derive(Accounts)]
pub struct Liquidate<'info> {
    pub keeper_accounts: KeeperAccounts<'info>,
    #[account(
        mut,
        constraint = position.load()?.pool == keeper_accounts.pool.key() @ StrataError::PoolMismatch,
    )]
    pub position: AccountLoader<'info, Position>,
    // Remaining accounts, only to settle an insolvent position: the pool's tranches
    // each followed by its vault, in index order (the loss waterfall; when the pool
    // has tranches), then for each other collateral the position holds, in index
    // order, `[token_program, mint, vault, keeper_destination]`.
}

impl Liquidate<'_> {
    /// Liquidates an unhealthy position (health < 1 at fresh spot prices) on one
    /// collateral; settles an insolvent one whole and books its shortfall.
    pub fn handle<'info>(
        ctx: Context<'info, Liquidate<'info>>,
        collateral_index: u8,
        repay_amount: u64,
        min_collateral_out: u64,
    ) -> Result<()> {
        require!(repay_amount > 0, StrataError::ZeroAmount);
        let keeper = &ctx.accounts.keeper_accounts;
        let decimals = keeper.validate(collateral_index)?;
        let clock = Clock::get()?;
        let pool_key = keeper.pool.key();
        let (plan, signer, extra_transfers, tranches, loss, income) = {
            let mut pool = keeper.pool.load_mut()?;
            let mut position = ctx.accounts.position.load_mut()?;
            require!(position.last_liquidated_slot != clock.slot, StrataError::AlreadyLiquidatedThisSlot);
            accrue(&mut pool, pool_key, clock.unix_timestamp)?;
            let debt = pool.debt_state();
            let plan = plan::plan(&pool, &debt, &position, collateral_index, repay_amount, clock.unix_timestamp)?;
            require!(plan.seized(usize::from(collateral_index)) >= min_collateral_out, StrataError::SlippageExceeded);
            require!(keeper.keeper_notes.amount >= plan.repay(), StrataError::InsufficientFunds);
            let (mut tranches, rest) = TrancheSet::load_optional(&pool_key, &pool, ctx.remaining_accounts)?;
            // A loss is booked on the tranches as they stand with income up to now.
            let income = match tranches.as_mut() {
                Some(set) => Some(set.settle(&mut pool, pool_key, clock.unix_timestamp)?),
                None => None,
            };
            // The chosen collateral goes through this instruction's own accounts.
            let mut others = plan.seized_all();
            others[usize::from(collateral_index)] = 0;
            let extra_transfers = collateral_payouts(&pool, &others, rest)?;
            let parties =
                plan::Parties { pool: pool_key, position: ctx.accounts.position.key(), keeper: keeper.keeper.key() };
            let loss = plan::record(&mut pool, &mut position, tranches.as_deref_mut(), &plan, clock.slot)?;
            plan::emit_single(&parties, &pool, collateral_index, &plan, &loss)?;
            pool.invariant()?;
            (plan, pool.signer(), extra_transfers, tranches, loss, income)
        };

        keeper.burn_repaid(plan.repay())?;
        keeper.pay_seized(&signer, decimals, plan.seized(usize::from(collateral_index)))?;
        pay_out(&extra_transfers, &keeper.pool.to_account_info(), &signer)?;
        if let (Some(set), Some(income)) = (&tranches, &income) {
            keeper.mint_income(set, income, &signer)?;
            keeper.burn_losses(set, &loss.taken, &signer)?;
        }
        Ok(())
    }
}
