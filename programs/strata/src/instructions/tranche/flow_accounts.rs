//! The accounts a tranche deposit and a redemption claim share (the tranche, its
//! share mint and its note vault), checked once.

use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount};

use super::set::Held;
use crate::constants::pause;
use crate::errors::StrataError;
use crate::instructions::admin::require_allowed;
use crate::state::{AllowlistEntry, Pool, Tranche};

#[derive(Accounts)]
pub struct TrancheFlowAccounts<'info> {
    #[account(mut)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(
        mut,
        has_one = pool @ StrataError::PoolMismatch,
        has_one = share_mint @ StrataError::ShareMintMismatch,
        has_one = vault @ StrataError::TrancheVaultMismatch,
    )]
    pub tranche: AccountLoader<'info, Tranche>,
    #[account(mut)]
    pub share_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
}

impl<'info> TrancheFlowAccounts<'info> {
    /// Checks that tranche flows are not paused, that no reported loss is pending
    /// (it would move the share price), and, in a permissioned pool, that `wallet`
    /// is allowlisted by `entry`.
    pub fn validate(&self, wallet: &Pubkey, entry: Option<&AccountLoader<AllowlistEntry>>) -> Result<()> {
        let pool = self.pool.load()?;
        pool.require_not_paused(pause::TRANCHE)?;
        pool.require_no_pending_loss()?;
        require_allowed(&self.pool.key(), &pool, wallet, entry)
    }

    /// The tranche this flow moves, as the tranche set loads it beside the others.
    pub fn held(&self, tranche: &Tranche) -> Held<'info> {
        Held { index: tranche.index, state: tranche.state(), vault: self.vault.to_account_info() }
    }
}
