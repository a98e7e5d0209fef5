use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};
use strata_core::flows;

use super::flow_accounts::*;
use super::queue::{close_request, read_request};
use super::set::TrancheSet;
use crate::errors::{CoreResultExt, StrataError};
use crate::events::RedemptionClaimed;
use crate::instructions::payouts::{collateral_payouts, pay_out};
use crate::share_ops::burn_escrowed_shares;
use crate::state::AllowlistEntry;
use crate::token_ops::transfer_notes_by_pool;

#[derive(Accounts)]
pub struct ClaimRedemption<'info> {
    /// The request's owner; receives its rent.
    #[account(mut)]
    pub holder: Signer<'info>,
    pub flow: TrancheFlowAccounts<'info>,
    #[account(
        mut,
        constraint = share_escrow.key() == flow.tranche.load()?.share_escrow @ StrataError::ShareEscrowMismatch,
    )]
    pub share_escrow: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: read by `read_request` (named errors for a missing or foreign request).
    #[account(mut)]
    pub request: UncheckedAccount<'info>,
    /// Receives the notes; any note account.
    #[account(mut, constraint = holder_notes.mint == flow.pool.load()?.note_mint @ StrataError::NoteMintMismatch)]
    pub holder_notes: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, address = flow.pool.load()?.note_mint @ StrataError::NoteMintMismatch)]
    pub note_mint: Box<InterfaceAccount<'info, Mint>>,
    pub allowlist_entry: Option<AccountLoader<'info, AllowlistEntry>>,
    pub token_program: Program<'info, Token>,
    pub share_token_program: Program<'info, Token2022>,
    // Remaining accounts: the pool's other tranches, each followed by its vault, in
    // index order (settlement and subordination), then for every collateral the
    // claim pays out, in index order, `[token_program, mint, vault, destination]`.
}

impl ClaimRedemption<'_> {
    fn validate(&self) -> Result<()> {
        self.flow.validate(&self.holder.key(), self.allowlist_entry.as_ref())
    }

    /// Claims a queued redemption once the pool's delay has passed: income up to now
    /// is settled first, then the escrowed shares are burned for their pro-rata notes
    /// and held collateral as the tranche stands now, after any loss booked since the
    /// request. Refused (and retriable) while a reported loss is pending or while the
    /// claim would leave a more senior tranche below its minimum subordination.
    #[access_control(ctx.accounts.validate())]
    pub fn handle<'info>(ctx: Context<'info, ClaimRedemption<'info>>) -> Result<()> {
        let accounts = &ctx.accounts;
        let flow = &accounts.flow;
        let now = Clock::get()?.unix_timestamp;
        let pool_key = flow.pool.key();
        let holder = accounts.holder.key();
        let request = read_request(&accounts.request, &flow.tranche.key(), &holder)?;
        let (split, set, redemption, payouts, event, signer) = {
            let (shares, requested_at) = (request.shares, request.requested_at);
            let mut pool = flow.pool.load_mut()?;
            flows::claimable(requested_at, pool.redemption_delay_secs, now).map_core()?;
            let mut tranche = flow.tranche.load_mut()?;
            let index = tranche.index;
            let (mut set, rest) =
                TrancheSet::load(&pool_key, &pool, ctx.remaining_accounts, Some(flow.held(&tranche)))?;
            let split = set.settle(&mut pool, pool_key, now)?;
            let views = pool.price_views();
            let redemption = flows::claim(set.states_mut(), usize::from(index), shares, &views, now).map_core()?;
            let share_price_wad = flows::share_price_wad(&redemption, &views, now).map_core()?;
            let payouts = collateral_payouts(&pool, &redemption.collateral, rest)?;
            pool.release_collateral(&redemption.collateral)?;
            let state = set.state(index);
            tranche.set_state(&state);
            tranche.invariant()?;
            set.store()?;
            pool.invariant()?;
            let event = RedemptionClaimed {
                pool: pool_key,
                index,
                holder,
                shares,
                notes: redemption.notes,
                collateral: redemption.collateral,
                share_price_wad,
                assets: state.assets,
                total_shares: state.total_shares,
            };
            (split, set, redemption, payouts, event, pool.signer())
        };
        let token = accounts.token_program.to_account_info();
        let pool_info = flow.pool.to_account_info();
        set.mint_income(&split, &token, &accounts.note_mint.to_account_info(), &pool_info, &signer)?;
        burn_escrowed_shares(
            &flow.share_mint.to_account_info(),
            &accounts.share_escrow.to_account_info(),
            &pool_info,
            &signer,
            redemption.shares,
        )?;
        if redemption.notes > 0 {
            transfer_notes_by_pool(
                &token,
                &flow.vault.to_account_info(),
                &accounts.holder_notes.to_account_info(),
                &pool_info,
                &signer,
                redemption.notes,
            )?;
        }
        pay_out(&payouts, &pool_info, &signer)?;
        close_request(&accounts.request.to_account_info(), &accounts.holder.to_account_info())?;
        crate::log::emit(&event);
        Ok(())
    }
}
