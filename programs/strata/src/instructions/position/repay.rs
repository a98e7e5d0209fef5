use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use anchor_spl::token_interface::{Mint, TokenAccount};

use crate::errors::{CoreResultExt, StrataError};
use crate::events::NotesRepaid;
use crate::instructions::common::accrue;
use crate::state::{Pool, Position};
use crate::token_ops::burn_notes;

#[derive(Accounts)]
pub struct Repay<'info> {
    /// Anyone may repay any position.
    pub payer: Signer<'info>,
    #[account(mut)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(mut, has_one = pool @ StrataError::PoolMismatch)]
    pub position: AccountLoader<'info, Position>,
    #[account(mut, address = pool.load()?.note_mint @ StrataError::NoteMintMismatch)]
    pub note_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        mut,
        constraint = source.mint == note_mint.key() @ StrataError::NoteMintMismatch,
        constraint = source.owner == payer.key() @ StrataError::TokenOwnerMismatch,
    )]
    pub source: Box<InterfaceAccount<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

impl Repay<'_> {
    /// Burns up to `amount` notes against the position's debt (`u64::MAX` repays
    /// all of it). A partial repayment may not leave debt below `min_debt`.
    pub fn handle(ctx: Context<Repay>, amount: u64) -> Result<()> {
        require!(amount > 0, StrataError::ZeroAmount);
        let clock = Clock::get()?;
        let accounts = &ctx.accounts;
        let repaid = {
            let pool_key = accounts.pool.key();
            let mut pool = accounts.pool.load_mut()?;
            let mut position = accounts.position.load_mut()?;
            accrue(&mut pool, pool_key, clock.unix_timestamp)?;
            let mut debt = pool.debt_state();
            let outcome = debt.repay(position.debt_shares(), amount).map_core()?;
            require!(accounts.source.amount >= outcome.repaid, StrataError::InsufficientFunds);
            pool.set_debt_state(&debt);
            pool.set_position_debt_shares(&mut position, outcome.position_shares)?;
            position.touch(clock.slot);
            position.invariant()?;
            pool.invariant()?;
            crate::log::emit(&NotesRepaid {
                pool: pool_key,
                position: accounts.position.key(),
                payer: accounts.payer.key(),
                amount: outcome.repaid,
                shares_burned: outcome.shares_burned,
                position_debt: strata_core::math::to_u64(outcome.position_debt).map_core()?,
                rate_index_wad: debt.rate_index_wad,
            });
            outcome.repaid
        };
        burn_notes(
            &accounts.token_program.to_account_info(),
            &accounts.note_mint.to_account_info(),
            &accounts.source.to_account_info(),
            &accounts.payer.to_account_info(),
            repaid,
        )
    }
}
