use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use super::plan;
use crate::constants::pause;
use crate::errors::StrataError;
use crate::instructions::common::{accrue, check_collateral_accounts};
use crate::instructions::payouts::{collateral_payouts, pay_out};
use crate::instructions::tranche::set::TrancheSet;
use crate::state::{Pool, Position};
use crate::token_ops::{burn_notes, CollateralTransfer};

#[derive(Accounts)]
pub struct Liquidate<'info> {
    /// Anyone: burns its notes, receives collateral.
    pub keeper: Signer<'info>,
    #[account(mut)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(mut, has_one = pool @ StrataError::PoolMismatch)]
    pub position: AccountLoader<'info, Position>,
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
    /// Receives the seized collateral; any account of the collateral's mint.
    #[account(mut, constraint = keeper_collateral.mint == collateral_mint.key() @ StrataError::CollateralMintMismatch)]
    pub keeper_collateral: Box<InterfaceAccount<'info, TokenAccount>>,
    pub collateral_token_program: Interface<'info, TokenInterface>,
    pub note_token_program: Program<'info, Token>,
    // Remaining accounts, only to settle an insolvent position: the pool's tranches
    // each followed by its vault, in index order (the loss waterfall; when the pool
    // has tranches), then for each other collateral the position holds, in index
    // order, `[token_program, mint, vault, keeper_destination]`.
}

impl Liquidate<'_> {
    /// Checks the request and the collateral accounts; returns the collateral's decimals.
    fn validate(&self, collateral_index: u8, repay_amount: u64) -> Result<u8> {
        require!(repay_amount > 0, StrataError::ZeroAmount);
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

    /// Liquidates an unhealthy position (health < 1 at fresh spot prices) on one
    /// collateral; settles an insolvent one whole and books its shortfall.
    pub fn handle<'info>(
        ctx: Context<'info, Liquidate<'info>>,
        collateral_index: u8,
        repay_amount: u64,
        min_collateral_out: u64,
    ) -> Result<()> {
        let decimals = ctx.accounts.validate(collateral_index, repay_amount)?;
        let clock = Clock::get()?;
        let accounts = &ctx.accounts;
        let pool_key = accounts.pool.key();
        let (plan, signer, extra_transfers, tranches, loss, income) = {
            let mut pool = accounts.pool.load_mut()?;
            let mut position = accounts.position.load_mut()?;
            require!(position.last_liquidated_slot != clock.slot, StrataError::AlreadyLiquidatedThisSlot);
            accrue(&mut pool, pool_key, clock.unix_timestamp)?;
            let debt = pool.debt_state();
            let plan = plan::plan(&pool, &debt, &position, collateral_index, repay_amount, clock.unix_timestamp)?;
            require!(plan.seized(usize::from(collateral_index)) >= min_collateral_out, StrataError::SlippageExceeded);
            require!(accounts.keeper_notes.amount >= plan.repay(), StrataError::InsufficientFunds);
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
                plan::Parties { pool: pool_key, position: accounts.position.key(), keeper: accounts.keeper.key() };
            let loss = plan::record(&mut pool, &mut position, tranches.as_deref_mut(), &plan, clock.slot)?;
            plan::emit_single(&parties, &pool, collateral_index, &plan, &loss)?;
            pool.invariant()?;
            (plan, pool.signer(), extra_transfers, tranches, loss, income)
        };

        burn_notes(
            &accounts.note_token_program.to_account_info(),
            &accounts.note_mint.to_account_info(),
            &accounts.keeper_notes.to_account_info(),
            &accounts.keeper.to_account_info(),
            plan.repay(),
        )?;
        CollateralTransfer {
            token_program: &accounts.collateral_token_program.to_account_info(),
            mint: &accounts.collateral_mint.to_account_info(),
            from: &accounts.vault.to_account_info(),
            to: &accounts.keeper_collateral.to_account_info(),
            authority: &accounts.pool.to_account_info(),
            decimals,
        }
        .by_pool(&signer, plan.seized(usize::from(collateral_index)))?;
        pay_out(&extra_transfers, &accounts.pool.to_account_info(), &signer)?;
        if let (Some(set), Some(income)) = (&tranches, &income) {
            set.mint_income(
                income,
                &accounts.note_token_program.to_account_info(),
                &accounts.note_mint.to_account_info(),
                &accounts.pool.to_account_info(),
                &signer,
            )?;
            set.burn_from_vaults(
                &loss.taken,
                &accounts.note_token_program.to_account_info(),
                &accounts.note_mint.to_account_info(),
                &accounts.pool.to_account_info(),
                &signer,
            )?;
        }
        Ok(())
    }
}
