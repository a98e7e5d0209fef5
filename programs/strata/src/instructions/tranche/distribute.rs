use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use anchor_spl::token_interface::{Mint, TokenAccount};
use strata_core::tranche::{apply_income, split_income};

use super::set::TrancheSet;
use crate::constants::pause;
use crate::errors::{CoreResultExt, StrataError};
use crate::events::IncomeDistributed;
use crate::instructions::common::accrue;
use crate::state::{mode, Pool};
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
    /// Pays the pool's pending stability fees out (permissionless crank): the
    /// protocol fee to the treasury, then bad debt, tranche loss recoveries
    /// senior-first, target yields senior-first and the rest to the junior (all to
    /// the senior in Turbo mode). Fees become notes here.
    pub fn handle<'info>(ctx: Context<'info, Distribute<'info>>) -> Result<()> {
        let accounts = &ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        let pool_key = accounts.pool.key();
        let (split, fees, set, signer) = {
            let mut pool = accounts.pool.load_mut()?;
            pool.require_not_paused(pause::TRANCHE)?;
            pool.require_tranches()?;
            accrue(&mut pool, pool_key, now)?;
            let (mut set, _) = TrancheSet::load(&pool_key, &pool, ctx.remaining_accounts, true, None)?;
            let fees = pool.pending_fees;
            let turbo = pool.mode == mode::TURBO;
            let split =
                split_income(set.states(), fees, pool.protocol_fee_bps, pool.bad_debt, turbo, now).map_core()?;
            apply_income(set.states_mut(), &split, now).map_core()?;
            pool.pending_fees = 0;
            pool.bad_debt -= split.bad_debt_repaid;
            set.store()?;
            pool.invariant()?;
            crate::log::emit(&IncomeDistributed {
                pool: pool_key,
                fees,
                protocol_fee: split.protocol_fee,
                bad_debt_repaid: split.bad_debt_repaid,
                recovered: split.recovered,
                yielded: split.yielded,
                turbo,
            });
            (split, fees, set, pool.signer())
        };
        if fees == 0 {
            return Ok(());
        }
        let token = accounts.token_program.to_account_info();
        let note_mint = accounts.note_mint.to_account_info();
        let pool_info = accounts.pool.to_account_info();
        if split.protocol_fee > 0 {
            mint_notes(
                &token,
                &note_mint,
                &accounts.treasury.to_account_info(),
                &pool_info,
                &signer,
                split.protocol_fee,
            )?;
        }
        for (index, vault) in set.vaults.iter().enumerate() {
            let amount = split.to_tranche(index);
            if amount > 0 {
                mint_notes(&token, &note_mint, vault, &pool_info, &signer, amount)?;
            }
        }
        Ok(())
    }
}
