use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};
use strata_core::flows;

use super::flow_accounts::*;
use super::set::TrancheSet;
use crate::errors::{CoreResultExt, StrataError};
use crate::events::TrancheDeposited;
use crate::share_ops::{mint_shares, thaw_allowlisted};
use crate::state::AllowlistEntry;
use crate::token_ops::transfer_notes;

#[derive(Accounts)]
pub struct TrancheDeposit<'info> {
    pub depositor: Signer<'info>,
    pub flow: TrancheFlowAccounts<'info>,
    #[account(mut, address = flow.pool.load()?.note_mint @ StrataError::NoteMintMismatch)]
    pub note_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        mut,
        constraint = depositor_notes.mint == flow.pool.load()?.note_mint @ StrataError::NoteMintMismatch,
        constraint = depositor_notes.owner == depositor.key() @ StrataError::TokenOwnerMismatch,
    )]
    pub depositor_notes: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Receives the shares; any account of the share mint (in a permissioned pool,
    /// the depositor's associated share account, thawed here if it is frozen).
    #[account(mut, constraint = depositor_shares.mint == flow.share_mint.key() @ StrataError::ShareMintMismatch)]
    pub depositor_shares: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The depositor's allowlist entry; required in a permissioned pool.
    pub allowlist_entry: Option<AccountLoader<'info, AllowlistEntry>>,
    pub token_program: Program<'info, Token>,
    pub share_token_program: Program<'info, Token2022>,
    // Remaining accounts: the pool's other tranches, each followed by its vault, in
    // index order (settlement and subordination).
}

impl TrancheDeposit<'_> {
    fn validate(&self, amount: u64) -> Result<()> {
        require!(amount > 0, StrataError::ZeroAmount);
        self.flow.validate(&self.depositor.key(), self.allowlist_entry.as_ref())?;
        require!(self.depositor_notes.amount >= amount, StrataError::InsufficientFunds);
        Ok(())
    }

    /// Deposits notes into a tranche for shares. Income up to now is settled first,
    /// so the deposit shares none of it; the shares are priced at a NAV that favours
    /// the existing holders (held collateral at the top of its price band,
    /// `max(spot, EMA) + confidence`, from oracles refreshed in this very slot), so a
    /// lagging or noisy price cannot sell their collateral cheap; and the deposit may
    /// not leave this tranche below its minimum subordination (at spot, as the
    /// coverage test values: entry pricing protects holders, while subordination
    /// measures what actually sits below a senior).
    #[access_control(ctx.accounts.validate(amount))]
    pub fn handle<'info>(ctx: Context<'info, TrancheDeposit<'info>>, amount: u64) -> Result<()> {
        let accounts = &ctx.accounts;
        let flow = &accounts.flow;
        let now = Clock::get()?.unix_timestamp;
        let pool_key = flow.pool.key();
        let (split, set, shares, event, signer) = {
            let mut pool = flow.pool.load_mut()?;
            let mut tranche = flow.tranche.load_mut()?;
            let index = tranche.index;
            let (mut set, _) = TrancheSet::load(&pool_key, &pool, ctx.remaining_accounts, Some(flow.held(&tranche)))?;
            let split = set.settle(&mut pool, pool_key, now)?;
            // The entrant buys into the held collateral at its price this slot: a cache
            // lagging the oracle (yet within max_age) cannot sell it cheap.
            let slot = Clock::get()?.slot;
            for (index, held) in set.state(index).collateral_held.iter().enumerate() {
                require!(*held == 0 || pool.collaterals[index].refreshed_slot == slot, StrataError::RefreshRequired);
            }
            let views = pool.price_views();
            let shares = flows::deposit(set.states_mut(), usize::from(index), amount, &views, now).map_core()?;
            let state = set.state(index);
            tranche.set_state(&state);
            tranche.invariant()?;
            set.store()?;
            pool.invariant()?;
            let event = TrancheDeposited {
                pool: pool_key,
                index,
                depositor: accounts.depositor.key(),
                amount,
                shares,
                assets: state.assets,
                total_shares: state.total_shares,
            };
            (split, set, shares, event, pool.signer())
        };
        let token = accounts.token_program.to_account_info();
        let pool_info = flow.pool.to_account_info();
        set.mint_income(&split, &token, &accounts.note_mint.to_account_info(), &pool_info, &signer)?;
        transfer_notes(
            &token,
            &accounts.depositor_notes.to_account_info(),
            &flow.vault.to_account_info(),
            &accounts.depositor.to_account_info(),
            amount,
        )?;
        let (share_mint, depositor_shares) =
            (flow.share_mint.to_account_info(), accounts.depositor_shares.to_account_info());
        if flow.pool.load()?.is_permissioned() {
            thaw_allowlisted(&depositor_shares, &accounts.depositor.key(), &share_mint, &pool_info, &signer)?;
        }
        mint_shares(&share_mint, &depositor_shares, &pool_info, &signer, shares)?;
        crate::log::emit(&event);
        Ok(())
    }
}
