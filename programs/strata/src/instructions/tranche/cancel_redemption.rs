use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use anchor_spl::token_interface::TokenAccount;
use strata_core::flows;

use super::queue::{close_request, read_request};
use crate::constants::pause;
use crate::errors::{CoreResultExt, StrataError};
use crate::events::RedemptionCancelled;
use crate::state::{Pool, Tranche};
use crate::token_ops::transfer_notes_by_pool;

#[derive(Accounts)]
pub struct CancelRedemption<'info> {
    /// The request's owner; receives its rent.
    #[account(mut)]
    pub holder: Signer<'info>,
    pub pool: AccountLoader<'info, Pool>,
    #[account(mut, has_one = pool @ StrataError::PoolMismatch, has_one = share_escrow @ StrataError::ShareEscrowMismatch)]
    pub tranche: AccountLoader<'info, Tranche>,
    #[account(mut)]
    pub share_escrow: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: read by `read_request` (named errors for a missing or foreign request).
    #[account(mut)]
    pub request: UncheckedAccount<'info>,
    /// Receives the shares back; any account of the share mint.
    #[account(mut, constraint = holder_shares.mint == tranche.load()?.share_mint @ StrataError::ShareMintMismatch)]
    pub holder_shares: Box<InterfaceAccount<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
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
        transfer_notes_by_pool(
            &accounts.token_program.to_account_info(),
            &accounts.share_escrow.to_account_info(),
            &accounts.holder_shares.to_account_info(),
            &accounts.pool.to_account_info(),
            &signer,
            shares,
        )?;
        close_request(&accounts.request.to_account_info(), &accounts.holder.to_account_info())?;
        crate::log::emit(&event);
        Ok(())
    }
}
