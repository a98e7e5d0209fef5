//! The accounts `deposit` and `withdraw` share (an owner's position and one listed
//! collateral's vault), checked once.

use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount};

use crate::errors::StrataError;
use crate::instructions::common::check_collateral_accounts;
use crate::state::{Pool, Position};

#[derive(Accounts)]
pub struct CollateralAccounts<'info> {
    pub owner: Signer<'info>,
    #[account(mut)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(
        mut,
        has_one = owner @ StrataError::NotPositionOwner,
        has_one = pool @ StrataError::PoolMismatch,
    )]
    pub position: AccountLoader<'info, Position>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
}

impl CollateralAccounts<'_> {
    /// Checks a move of `amount` of the collateral at `collateral_index`: not zero,
    /// not paused (`pause_flag`), and through the mint, vault and token program the
    /// pool lists there. Returns the collateral's decimals.
    pub fn validate(&self, collateral_index: u8, amount: u64, pause_flag: u16, token_program: &Pubkey) -> Result<u8> {
        require!(amount > 0, StrataError::ZeroAmount);
        let pool = self.pool.load()?;
        pool.require_not_paused(pause_flag)?;
        check_collateral_accounts(&pool, collateral_index, &self.mint.key(), &self.vault.key(), token_program)
    }
}
