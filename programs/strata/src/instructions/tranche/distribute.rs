use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use anchor_spl::token_interface::{Mint, TokenAccount};
use strata_core::income::take_protocol_fee;

use super::set::TrancheSet;
use crate::constants::pause;
use crate::errors::{CoreResultExt, StrataError};
use crate::events::ProtocolFeePaid;
use crate::state::Pool;
use crate::token_ops::mint_notes;

#[derive(Accounts)]
pub struct Distribute<'info> {
    #[account(mut)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(mut, address = pool.load()?.note_mint @ StrataError::NoteMintMismatch)]
    pub note_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, address = pool.load()?.treasury @ StrataError::TreasuryMismatch)]
    pub treasury: Box<InterfaceAccount<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
    // Remaining accounts: every tranche followed by its vault, in index order.
}

impl Distribute<'_> {
    /// Settles income up to now (permissionless crank): the pending stability fees go
    /// through the waterfall (protocol fee, bad debt, recoveries senior-first, target
    /// yields senior-first with what cannot be paid carried as owed, the rest to the
    /// junior, or to the senior in Turbo mode), become notes in the tranche vaults,
    /// and the protocol fee owed is minted to the treasury. Every tranche flow settles
    /// the same way first, so calling this more or less often moves no one's income
    /// beyond rounding.
    pub fn handle<'info>(ctx: Context<'info, Distribute<'info>>) -> Result<()> {
        let accounts = &ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        let pool_key = accounts.pool.key();
        let (split, treasury_fee, set, signer) = {
            let mut pool = accounts.pool.load_mut()?;
            pool.require_not_paused(pause::TRANCHE)?;
            pool.require_tranches()?;
            let (mut set, _) = TrancheSet::load(&pool_key, &pool, ctx.remaining_accounts, None)?;
            let split = set.settle(&mut pool, pool_key, now)?;
            let mut debt = pool.debt_state();
            let mut ledger = pool.income_ledger();
            let treasury_fee = take_protocol_fee(&mut debt, &mut ledger).map_core()?;
            pool.set_debt_state(&debt);
            pool.set_income_ledger(&ledger);
            set.store()?;
            pool.invariant()?;
            (split, treasury_fee, set, pool.signer())
        };
        let token = accounts.token_program.to_account_info();
        let note_mint = accounts.note_mint.to_account_info();
        let pool_info = accounts.pool.to_account_info();
        set.mint_income(&split, &token, &note_mint, &pool_info, &signer)?;
        if treasury_fee > 0 {
            let treasury = accounts.treasury.to_account_info();
            mint_notes(&token, &note_mint, &treasury, &pool_info, &signer, treasury_fee)?;
            crate::log::emit(&ProtocolFeePaid {
                pool: pool_key,
                treasury: accounts.treasury.key(),
                amount: treasury_fee,
            });
        }
        Ok(())
    }
}
