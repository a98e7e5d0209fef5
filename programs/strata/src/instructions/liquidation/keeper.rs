//! The accounts a keeper passes to both `liquidate` and `liquidate_batch` (its notes
//! in, one collateral out), checked once, and the token moves both make with them.

use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use strata_core::income::IncomeSplit;
use strata_core::MAX_TRANCHES;

use crate::constants::pause;
use crate::errors::StrataError;
use crate::instructions::common::check_collateral_accounts;
use crate::instructions::tranche::set::TrancheSet;
use crate::state::{Pool, PoolSigner};
use crate::token_ops::{burn_notes, CollateralTransfer};

#[derive(Accounts)]
pub struct KeeperAccounts<'info> {
    /// Anyone: burns its notes, receives collateral.
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
    /// Receives the seized collateral; any account of the collateral's mint.
    #[account(mut, constraint = keeper_collateral.mint == collateral_mint.key() @ StrataError::CollateralMintMismatch)]
    pub keeper_collateral: Box<InterfaceAccount<'info, TokenAccount>>,
    pub collateral_token_program: Interface<'info, TokenInterface>,
    pub note_token_program: Program<'info, Token>,
}

impl<'info> KeeperAccounts<'info> {
    /// Checks that liquidations are not paused and that the collateral accounts are
    /// the pool's listing at `collateral_index`; returns the collateral's decimals.
    pub fn validate(&self, collateral_index: u8) -> Result<u8> {
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

    /// Burns the notes the keeper repaid.
    pub fn burn_repaid(&self, amount: u64) -> Result<()> {
        burn_notes(
            &self.note_token_program.to_account_info(),
            &self.note_mint.to_account_info(),
            &self.keeper_notes.to_account_info(),
            &self.keeper.to_account_info(),
            amount,
        )
    }

    /// Pays the seized collateral from the vault to the keeper.
    pub fn pay_seized(&self, signer: &PoolSigner, decimals: u8, amount: u64) -> Result<()> {
        CollateralTransfer {
            token_program: &self.collateral_token_program.to_account_info(),
            mint: &self.collateral_mint.to_account_info(),
            from: &self.vault.to_account_info(),
            to: &self.keeper_collateral.to_account_info(),
            authority: &self.pool.to_account_info(),
            decimals,
        }
        .by_pool(signer, amount)
    }

    /// Mints the income settled before the losses were booked into the tranches' vaults.
    pub fn mint_income(&self, set: &TrancheSet<'info>, income: &IncomeSplit, signer: &PoolSigner) -> Result<()> {
        set.mint_income(
            income,
            &self.note_token_program.to_account_info(),
            &self.note_mint.to_account_info(),
            &self.pool.to_account_info(),
            signer,
        )
    }

    /// Burns the losses the tranches took from their vaults.
    pub fn burn_losses(&self, set: &TrancheSet<'info>, taken: &[u64; MAX_TRANCHES], signer: &PoolSigner) -> Result<()> {
        set.burn_from_vaults(
            taken,
            &self.note_token_program.to_account_info(),
            &self.note_mint.to_account_info(),
            &self.pool.to_account_info(),
            signer,
        )
    }
}
