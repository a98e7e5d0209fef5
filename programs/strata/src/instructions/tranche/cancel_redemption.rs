use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};
use strata_core::flows;

use super::queue::{close_request, read_request};
use crate::constants::pause;
use crate::errors::{CoreResultExt, StrataError};
use crate::events::RedemptionCancelled;
use crate::share_ops::ShareTransfer;
use crate::state::{Pool, Tranche};

#[derive(Accounts)]
pub struct CancelRedemption<'info> {
    /// The request's owner; receives its rent.
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
    /// CHECK: read by `read_request` (named errors for a missing or foreign request).
    #[account(mut)]
    pub request: UncheckedAccount<'info>,
    /// Receives the shares back; any account of the share mint that is not frozen (in
    /// a permissioned pool, an allowlisted wallet's).
    #[account(
        mut,
        constraint = holder_shares.mint == share_mint.key() @ StrataError::ShareMintMismatch,
        constraint = !holder_shares.is_frozen() @ StrataError::ShareAccountFrozen,
    )]
    pub holder_shares: Box<InterfaceAccount<'info, TokenAccount>>,
    pub share_token_program: Program<'info, Token2022>,
}

impl CancelRedemption<'_> {
    /// Withdraws a queued redemption: the escrowed shares go back, the request closes.
    pub fn handle(ctx: Context<CancelRedemption>) -> Result<()> {
        let accounts = &ctx.accounts;
        let pool_key = accounts.pool.key();
        let holder = accounts.holder.key();
        let (shares, event, signer) = {
            let pool = accounts.pool.load()?;
            pool.require_not_paused(pause::TRANCHE)?;
            let shares = read_request(&accounts.request, &accounts.tranche.key(), &holder)?.shares;
            let mut tranche = accounts.tranche.load_mut()?;
            let mut state = tranche.state();
            flows::cancel(&mut state, shares).map_core()?;
            tranche.set_state(&state);
            tranche.invariant()?;
            (shares, RedemptionCancelled { pool: pool_key, index: tranche.index, holder, shares }, pool.signer())
        };
        ShareTransfer {
            share_mint: &accounts.share_mint.to_account_info(),
            from: &accounts.share_escrow.to_account_info(),
            to: &accounts.holder_shares.to_account_info(),
            authority: &accounts.pool.to_account_info(),
        }
        .by_pool(&signer, shares)?;
        close_request(&accounts.request.to_account_info(), &accounts.holder.to_account_info())?;
        crate::log::emit(&event);
        Ok(())
    }
}
