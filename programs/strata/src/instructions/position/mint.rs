use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use anchor_spl::token_interface::{Mint, TokenAccount};
use strata_core::PriceBasis;

use crate::constants::pause;
use crate::errors::{CoreResultExt, StrataError};
use crate::events::NotesMinted;
use crate::instructions::common::{accrue, position_health};
use crate::state::{mode, Pool, Position};
use crate::token_ops::mint_notes;

#[derive(Accounts)]
pub struct MintNotes<'info> {
    pub owner: Signer<'info>,
    #[account(mut)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(
        mut,
        has_one = owner @ StrataError::NotPositionOwner,
        has_one = pool @ StrataError::PoolMismatch,
    )]
    pub position: AccountLoader<'info, Position>,
    #[account(mut, address = pool.load()?.note_mint @ StrataError::NoteMintMismatch)]
    pub note_mint: Box<InterfaceAccount<'info, Mint>>,
    /// Any note account; the owner chose it by signing.
    #[account(mut, constraint = destination.mint == note_mint.key() @ StrataError::NoteMintMismatch)]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

impl MintNotes<'_> {
    fn validate(&self, amount: u64) -> Result<()> {
        require!(amount > 0, StrataError::ZeroAmount);
        let pool = self.pool.load()?;
        pool.require_not_paused(pause::MINT)?;
        require!(pool.mode == mode::NORMAL, StrataError::TurboMode);
        Ok(())
    }

    /// Mints `amount` notes against the position. After accrual, the position's debt
    /// must stay within its borrowing power (collateral at the conservative price ×
    /// ltv), at or above `min_debt`, and the pool under its debt ceiling.
    #[access_control(ctx.accounts.validate(amount))]
    pub fn handle(ctx: Context<MintNotes>, amount: u64) -> Result<()> {
        let clock = Clock::get()?;
        let accounts = &ctx.accounts;
        let signer = {
            let pool_key = accounts.pool.key();
            let mut pool = accounts.pool.load_mut()?;
            let mut position = accounts.position.load_mut()?;
            accrue(&mut pool, pool_key, clock.unix_timestamp)?;
            let borrow_limit =
                position_health(&pool, &position, PriceBasis::Conservative, clock.unix_timestamp)?.weighted_collateral;
            let mut debt = pool.debt_state();
            let outcome = debt.mint(position.debt_shares(), amount, borrow_limit).map_core()?;
            pool.set_debt_state(&debt);
            pool.set_position_debt_shares(&mut position, outcome.position_shares)?;
            position.touch(clock.slot);
            position.invariant()?;
            pool.invariant()?;
            crate::log::emit(&NotesMinted {
                pool: pool_key,
                position: accounts.position.key(),
                owner: accounts.owner.key(),
                amount,
                shares_issued: outcome.shares_issued,
                position_debt: strata_core::math::to_u64(outcome.position_debt).map_core()?,
                rate_index_wad: debt.rate_index_wad,
            });
            pool.signer()
        };
        mint_notes(
            &accounts.token_program.to_account_info(),
            &accounts.note_mint.to_account_info(),
            &accounts.destination.to_account_info(),
            &accounts.pool.to_account_info(),
            &signer,
            amount,
        )
    }
}
