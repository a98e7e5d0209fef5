use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use anchor_spl::token_interface::{Mint, TokenAccount};
use strata_core::tranche::withdrawal_keeps_seniors_covered;

use super::set::TrancheSet;
use crate::constants::pause;
use crate::errors::{CoreResultExt, StrataError};
use crate::events::TrancheWithdrawn;
use crate::instructions::admin::require_allowed;
use crate::instructions::payouts::{collateral_payouts, pay_out};
use crate::state::{AllowlistEntry, Pool, Tranche};
use crate::token_ops::{burn_notes, transfer_notes_by_pool};

#[derive(Accounts)]
pub struct TrancheWithdraw<'info> {
    pub holder: Signer<'info>,
    #[account(mut)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(mut, has_one = pool @ StrataError::PoolMismatch, has_one = share_mint @ StrataError::ShareMintMismatch, has_one = vault @ StrataError::TrancheVaultMismatch)]
    pub tranche: AccountLoader<'info, Tranche>,
    #[account(mut)]
    pub share_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        mut,
        constraint = holder_shares.mint == share_mint.key() @ StrataError::ShareMintMismatch,
        constraint = holder_shares.owner == holder.key() @ StrataError::TokenOwnerMismatch,
    )]
    pub holder_shares: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Receives the notes; any note account.
    #[account(mut, constraint = holder_notes.mint == pool.load()?.note_mint @ StrataError::NoteMintMismatch)]
    pub holder_notes: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = pool.load()?.note_mint @ StrataError::NoteMintMismatch)]
    pub note_mint: Box<InterfaceAccount<'info, Mint>>,
    pub allowlist_entry: Option<AccountLoader<'info, AllowlistEntry>>,
    pub token_program: Program<'info, Token>,
    // Remaining accounts: the pool's other tranches in index order (subordination),
    // then for every collateral the withdrawal pays out, in index order,
    // `[token_program, mint, vault, holder_destination]`.
}

impl TrancheWithdraw<'_> {
    fn validate(&self, shares: u64) -> Result<()> {
        require!(shares > 0, StrataError::ZeroAmount);
        let pool = self.pool.load()?;
        pool.require_not_paused(pause::TRANCHE)?;
        pool.require_no_pending_loss()?;
        require_allowed(&self.pool.key(), &pool, &self.holder.key(), self.allowlist_entry.as_ref())?;
        require!(self.holder_shares.amount >= shares, StrataError::InsufficientShares);
        Ok(())
    }

    /// Burns shares for their pro-rata notes and held collateral, unless that would
    /// leave a more senior tranche below its minimum subordination.
    #[access_control(ctx.accounts.validate(shares))]
    pub fn handle<'info>(ctx: Context<'info, TrancheWithdraw<'info>>, shares: u64) -> Result<()> {
        let accounts = &ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        let pool_key = accounts.pool.key();
        let (redemption, payouts, signer, event) = {
            let mut pool = accounts.pool.load_mut()?;
            let mut tranche = accounts.tranche.load_mut()?;
            let index = tranche.index;
            let (mut set, rest) = TrancheSet::load(&pool_key, &pool, ctx.remaining_accounts, false, Some(index))?;
            let mut state = tranche.state();
            let redemption = state.redemption(shares).map_core()?;
            state.withdraw(&redemption).map_core()?;
            set.set_state(index, state);
            let navs = set.navs(&pool.price_views(), now)?;
            require!(
                withdrawal_keeps_seniors_covered(set.states(), &navs, usize::from(index)).map_core()?,
                StrataError::SubordinationBreached
            );
            let payouts = collateral_payouts(&pool, &redemption.collateral, rest)?;
            pool.release_collateral(&redemption.collateral)?;
            tranche.set_state(&state);
            tranche.invariant()?;
            pool.invariant()?;
            let event = TrancheWithdrawn {
                pool: pool_key,
                index,
                holder: accounts.holder.key(),
                shares,
                notes: redemption.notes,
                collateral: redemption.collateral,
                assets: state.assets,
                total_shares: state.total_shares,
            };
            (redemption, payouts, pool.signer(), event)
        };
        let token = accounts.token_program.to_account_info();
        let pool_info = accounts.pool.to_account_info();
        burn_notes(
            &token,
            &accounts.share_mint.to_account_info(),
            &accounts.holder_shares.to_account_info(),
            &accounts.holder.to_account_info(),
            shares,
        )?;
        if redemption.notes > 0 {
            transfer_notes_by_pool(
                &token,
                &accounts.vault.to_account_info(),
                &accounts.holder_notes.to_account_info(),
                &pool_info,
                &signer,
                redemption.notes,
            )?;
        }
        pay_out(&payouts, &pool_info, &signer)?;
        crate::log::emit(&event);
        Ok(())
    }
}
