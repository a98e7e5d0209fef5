use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use anchor_spl::token_interface::{Mint, TokenAccount};
use strata_core::tranche::subordination_holds;

use super::set::TrancheSet;
use crate::constants::pause;
use crate::errors::{CoreResultExt, StrataError};
use crate::events::TrancheDeposited;
use crate::instructions::admin::require_allowed;
use crate::state::{AllowlistEntry, Pool, Tranche};
use crate::token_ops::{mint_notes, transfer_notes};

#[derive(Accounts)]
pub struct TrancheDeposit<'info> {
    pub depositor: Signer<'info>,
    pub pool: AccountLoader<'info, Pool>,
    #[account(mut, has_one = pool @ StrataError::PoolMismatch, has_one = share_mint @ StrataError::ShareMintMismatch, has_one = vault @ StrataError::TrancheVaultMismatch)]
    pub tranche: AccountLoader<'info, Tranche>,
    #[account(mut)]
    pub share_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        mut,
        constraint = depositor_notes.mint == pool.load()?.note_mint @ StrataError::NoteMintMismatch,
        constraint = depositor_notes.owner == depositor.key() @ StrataError::TokenOwnerMismatch,
    )]
    pub depositor_notes: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Receives the shares; any account of the share mint.
    #[account(mut, constraint = depositor_shares.mint == share_mint.key() @ StrataError::ShareMintMismatch)]
    pub depositor_shares: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The depositor's allowlist entry; required in a permissioned pool.
    pub allowlist_entry: Option<AccountLoader<'info, AllowlistEntry>>,
    pub token_program: Program<'info, Token>,
    // Remaining accounts: the pool's other tranches, in index order (subordination).
}

impl TrancheDeposit<'_> {
    fn validate(&self, amount: u64) -> Result<()> {
        require!(amount > 0, StrataError::ZeroAmount);
        let pool = self.pool.load()?;
        pool.require_not_paused(pause::TRANCHE)?;
        pool.require_no_pending_loss()?;
        require_allowed(&self.pool.key(), &pool, &self.depositor.key(), self.allowlist_entry.as_ref())?;
        require!(self.depositor_notes.amount >= amount, StrataError::InsufficientFunds);
        Ok(())
    }

    /// Deposits notes into a tranche for shares at `(NAV + 1) / (shares + 1,000)`,
    /// unless the deposit would leave this tranche below its minimum subordination.
    #[access_control(ctx.accounts.validate(amount))]
    pub fn handle<'info>(ctx: Context<'info, TrancheDeposit<'info>>, amount: u64) -> Result<()> {
        let accounts = &ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        let pool_key = accounts.pool.key();
        let (shares, event, signer) = {
            let pool = accounts.pool.load()?;
            let mut tranche = accounts.tranche.load_mut()?;
            let index = tranche.index;
            let (mut set, _) = TrancheSet::load(&pool_key, &pool, ctx.remaining_accounts, false, Some(index))?;
            let views = pool.price_views();
            let mut state = tranche.state();
            let shares = state.shares_for_deposit(state.nav(&views, now).map_core()?, amount).map_core()?;
            state.deposit(amount, shares).map_core()?;
            set.set_state(index, state);
            let navs = set.navs(&views, now)?;
            require!(
                subordination_holds(&navs, tranche.min_subordination_bps, usize::from(index)).map_core()?,
                StrataError::SubordinationBreached
            );
            tranche.set_state(&state);
            tranche.invariant()?;
            let event = TrancheDeposited {
                pool: pool_key,
                index,
                depositor: accounts.depositor.key(),
                amount,
                shares,
                assets: state.assets,
                total_shares: state.total_shares,
            };
            (shares, event, pool.signer())
        };
        let token = accounts.token_program.to_account_info();
        transfer_notes(
            &token,
            &accounts.depositor_notes.to_account_info(),
            &accounts.vault.to_account_info(),
            &accounts.depositor.to_account_info(),
            amount,
        )?;
        mint_notes(
            &token,
            &accounts.share_mint.to_account_info(),
            &accounts.depositor_shares.to_account_info(),
            &accounts.pool.to_account_info(),
            &signer,
            shares,
        )?;
        crate::log::emit(&event);
        Ok(())
    }
}
