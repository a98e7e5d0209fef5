use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use strata_core::flows;

use super::set::{Held, TrancheSet};
use crate::constants::pause;
use crate::errors::{CoreResultExt, StrataError};
use crate::events::CollateralRecovered;
use crate::instructions::common::check_collateral_accounts;
use crate::state::{Pool, Tranche};
use crate::token_ops::{transfer_notes, CollateralTransfer};

#[derive(Accounts)]
pub struct RecoverySale<'info> {
    /// Anyone: pays notes, receives the tranche's collateral at a discount.
    pub buyer: Signer<'info>,
    #[account(mut)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(mut, has_one = pool @ StrataError::PoolMismatch, has_one = vault @ StrataError::TrancheVaultMismatch)]
    pub tranche: AccountLoader<'info, Tranche>,
    /// The tranche's note vault: receives the payment.
    #[account(mut)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, address = pool.load()?.note_mint @ StrataError::NoteMintMismatch)]
    pub note_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        mut,
        constraint = buyer_notes.mint == note_mint.key() @ StrataError::NoteMintMismatch,
        constraint = buyer_notes.owner == buyer.key() @ StrataError::TokenOwnerMismatch,
    )]
    pub buyer_notes: Box<InterfaceAccount<'info, TokenAccount>>,
    pub collateral_mint: Box<InterfaceAccount<'info, Mint>>,
    /// The pool's vault of the collateral sold.
    #[account(mut)]
    pub collateral_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Receives the collateral; any account of its mint.
    #[account(mut, constraint = buyer_collateral.mint == collateral_mint.key() @ StrataError::TokenMintMismatch)]
    pub buyer_collateral: Box<InterfaceAccount<'info, TokenAccount>>,
    pub collateral_token_program: Interface<'info, TokenInterface>,
    pub note_token_program: Program<'info, Token>,
    // Remaining accounts: the pool's other tranches, each followed by its vault, in
    // index order (income is settled first).
}

impl RecoverySale<'_> {
    /// Checks the collateral accounts and the request; returns the collateral's decimals.
    fn validate(&self, collateral_index: u8, notes_in: u64) -> Result<u8> {
        require!(notes_in > 0, StrataError::ZeroAmount);
        let pool = self.pool.load()?;
        pool.require_not_paused(pause::TRANCHE)?;
        require!(self.buyer_notes.amount >= notes_in, StrataError::InsufficientFunds);
        check_collateral_accounts(
            &pool,
            collateral_index,
            &self.collateral_mint.key(),
            &self.collateral_vault.key(),
            &self.collateral_token_program.key(),
        )
    }

    /// Sells a tranche's held collateral for notes (permissionless): up to `notes_in`
    /// notes buy it at spot × (1 − the collateral's minimum liquidation bonus), the
    /// price keepers already earn for taking collateral, from an oracle refreshed this
    /// slot; at least `min_collateral_out` units or nothing. The notes go into the
    /// tranche's vault, so absorbed collateral turns back into notes and the tranches
    /// can absorb again; the tranche's NAV at spot falls by at most the discount.
    pub fn handle<'info>(
        ctx: Context<'info, RecoverySale<'info>>,
        collateral_index: u8,
        notes_in: u64,
        min_collateral_out: u64,
    ) -> Result<()> {
        let decimals = ctx.accounts.validate(collateral_index, notes_in)?;
        let accounts = &ctx.accounts;
        let clock = Clock::get()?;
        let pool_key = accounts.pool.key();
        let (split, set, sale, event, signer) = {
            let mut pool = accounts.pool.load_mut()?;
            let config = pool.collateral(collateral_index)?;
            // A cache lagging the oracle (yet within max_age) must not sell cheap.
            require!(config.refreshed_slot == clock.slot, StrataError::RefreshRequired);
            let discount_bps = config.liquidation_bonus_min_bps;
            let mut tranche = accounts.tranche.load_mut()?;
            let index = tranche.index;
            let held = Held { index, state: tranche.state(), vault: accounts.vault.to_account_info() };
            let (mut set, _) = TrancheSet::load(&pool_key, &pool, ctx.remaining_accounts, Some(held))?;
            let split = set.settle(&mut pool, pool_key, clock.unix_timestamp)?;
            let asset = usize::from(collateral_index);
            let views = pool.price_views();
            let mut state = set.state(index);
            let sale =
                flows::plan_recovery_sale(&state, asset, &views[asset], discount_bps, notes_in, clock.unix_timestamp)
                    .map_core()?;
            require!(sale.collateral_out >= min_collateral_out, StrataError::SlippageExceeded);
            flows::apply_recovery_sale(&mut state, asset, &sale).map_core()?;
            let mut released = [0u64; crate::constants::MAX_COLLATERALS];
            released[asset] = sale.collateral_out;
            pool.release_collateral(&released)?;
            tranche.set_state(&state);
            tranche.invariant()?;
            set.store()?;
            pool.invariant()?;
            let event = CollateralRecovered {
                pool: pool_key,
                index,
                collateral_index,
                buyer: accounts.buyer.key(),
                notes_in: sale.notes_in,
                collateral_out: sale.collateral_out,
                price_wad: sale.price_wad,
                discount_bps,
                collateral_held: state.collateral_held[asset],
                assets: state.assets,
            };
            (split, set, sale, event, pool.signer())
        };
        let token = accounts.note_token_program.to_account_info();
        let pool_info = accounts.pool.to_account_info();
        set.mint_income(&split, &token, &accounts.note_mint.to_account_info(), &pool_info, &signer)?;
        transfer_notes(
            &token,
            &accounts.buyer_notes.to_account_info(),
            &accounts.vault.to_account_info(),
            &accounts.buyer.to_account_info(),
            sale.notes_in,
        )?;
        CollateralTransfer {
            token_program: &accounts.collateral_token_program.to_account_info(),
            mint: &accounts.collateral_mint.to_account_info(),
            from: &accounts.collateral_vault.to_account_info(),
            to: &accounts.buyer_collateral.to_account_info(),
            authority: &pool_info,
            decimals,
        }
        .by_pool(&signer, sale.collateral_out)?;
        crate::log::emit(&event);
        Ok(())
    }
}
