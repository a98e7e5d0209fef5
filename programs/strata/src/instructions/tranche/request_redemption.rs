use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};
use strata_core::flows;

use crate::constants::{pause, ACCOUNT_VERSION, REDEMPTION_SEED};
use crate::create::create_zero_copy;
use crate::errors::{CoreResultExt, StrataError};
use crate::events::RedemptionRequested;
use crate::instructions::admin::require_allowed;
use crate::share_ops::{thaw_allowlisted, ShareTransfer};
use crate::state::{AllowlistEntry, Pool, RedemptionRequest, Tranche};

#[derive(Accounts)]
pub struct RequestRedemption<'info> {
    /// Signs and pays the request's rent (returned by the claim or the cancel).
    #[account(mut)]
    pub holder: Signer<'info>,
    pub pool: AccountLoader<'info, Pool>,
    #[account(
        mut,
        has_one = pool @ StrataError::PoolMismatch,
        has_one = share_mint @ StrataError::ShareMintMismatch,
        has_one = share_escrow @ StrataError::ShareEscrowMismatch,
    )]
    pub tranche: AccountLoader<'info, Tranche>,
    pub share_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut)]
    pub share_escrow: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        mut,
        constraint = holder_shares.mint == share_mint.key() @ StrataError::ShareMintMismatch,
        constraint = holder_shares.owner == holder.key() @ StrataError::TokenOwnerMismatch,
    )]
    pub holder_shares: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: created here; the seeds pin the address.
    #[account(mut, seeds = [REDEMPTION_SEED, tranche.key().as_ref(), holder.key().as_ref()], bump)]
    pub request: UncheckedAccount<'info>,
    /// The holder's allowlist entry; required in a permissioned pool.
    pub allowlist_entry: Option<AccountLoader<'info, AllowlistEntry>>,
    pub share_token_program: Program<'info, Token2022>,
    pub system_program: Program<'info, System>,
}

impl RequestRedemption<'_> {
    fn validate(&self, shares: u64) -> Result<()> {
        require!(shares > 0, StrataError::ZeroAmount);
        let pool = self.pool.load()?;
        pool.require_not_paused(pause::TRANCHE)?;
        require_allowed(&self.pool.key(), &pool, &self.holder.key(), self.allowlist_entry.as_ref())?;
        require!(self.holder_shares.amount >= shares, StrataError::InsufficientShares);
        // One open request per holder and tranche: claim or cancel it first.
        require!(*self.request.owner != crate::ID, StrataError::RedemptionAlreadyRequested);
        Ok(())
    }

    /// Queues a redemption: the shares move into the tranche's escrow, claimable
    /// after the pool's redemption delay for what they pay *then* (after any loss
    /// booked meanwhile), or cancellable. Escrowed shares keep earning income and
    /// taking losses until they are claimed.
    #[access_control(ctx.accounts.validate(shares))]
    pub fn handle(ctx: Context<RequestRedemption>, shares: u64) -> Result<()> {
        let accounts = &ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        let (pool_key, tranche_key, holder) = (accounts.pool.key(), accounts.tranche.key(), accounts.holder.key());
        let delay = accounts.pool.load()?.redemption_delay_secs;
        let event = {
            let mut tranche = accounts.tranche.load_mut()?;
            let mut state = tranche.state();
            flows::request(&mut state, shares).map_core()?;
            tranche.set_state(&state);
            tranche.invariant()?;
            RedemptionRequested {
                pool: pool_key,
                index: tranche.index,
                holder,
                shares,
                requested_at: now,
                claimable_at: now + i64::from(delay),
                escrowed_shares: state.escrowed_shares,
            }
        };
        let bump = ctx.bumps.request;
        let seeds: &[&[u8]] = &[REDEMPTION_SEED, tranche_key.as_ref(), holder.as_ref(), &[bump]];
        create_zero_copy::<RedemptionRequest>(&accounts.holder, &accounts.request, seeds, |request| {
            request.version = ACCOUNT_VERSION;
            request.bump = bump;
            request.pool = pool_key;
            request.tranche = tranche_key;
            request.owner = holder;
            request.shares = shares;
            request.requested_at = now;
            request.invariant()
        })?;
        let pool_info = accounts.pool.to_account_info();
        let (share_mint, holder_shares) =
            (accounts.share_mint.to_account_info(), accounts.holder_shares.to_account_info());
        if accounts.pool.load()?.is_permissioned() {
            // An allowlisted holder's account frozen by an earlier `disallow`.
            let signer = accounts.pool.load()?.signer();
            thaw_allowlisted(&holder_shares, &accounts.holder.key(), &share_mint, &pool_info, &signer)?;
        }
        ShareTransfer {
            share_mint: &share_mint,
            from: &holder_shares,
            to: &accounts.share_escrow.to_account_info(),
            authority: &accounts.holder.to_account_info(),
        }
        .by_holder(shares)?;
        crate::log::emit(&event);
        Ok(())
    }
}
