use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use anchor_spl::token_interface::Mint;
use strata_core::tranche::junior_coverage_bps;

use super::set::TrancheSet;
use crate::errors::{CoreResultExt, StrataError};
use crate::events::CoverageChecked;
use crate::state::{mode, Pool};

#[derive(Accounts)]
pub struct CheckCoverage<'info> {
    #[account(mut)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(mut, address = pool.load()?.note_mint @ StrataError::NoteMintMismatch)]
    pub note_mint: Box<InterfaceAccount<'info, Mint>>,
    pub token_program: Program<'info, Token>,
    // Remaining accounts: every tranche followed by its vault, in index order.
}

impl CheckCoverage<'_> {
    /// The over-collateralisation test (permissionless): junior NAV over all tranche
    /// NAV below the pool's floor puts the pool in Turbo (no minting, all income to
    /// the senior); passing it again returns the pool to Normal. Income up to now is
    /// settled first, under the mode it was earned in.
    pub fn handle<'info>(ctx: Context<'info, CheckCoverage<'info>>) -> Result<()> {
        let accounts = &ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        let pool_key = accounts.pool.key();
        let (split, set, signer) = {
            let mut pool = accounts.pool.load_mut()?;
            pool.require_tranches()?;
            let (mut set, _) = TrancheSet::load(&pool_key, &pool, ctx.remaining_accounts, None)?;
            let split = set.settle(&mut pool, pool_key, now)?;
            let navs = set.navs(&pool.price_views(), now)?;
            let coverage = junior_coverage_bps(&navs).map_core()?;
            let old_mode = pool.mode;
            pool.mode = if coverage < u128::from(pool.coverage_floor_bps) { mode::TURBO } else { mode::NORMAL };
            set.store()?;
            pool.invariant()?;
            crate::log::emit(&CoverageChecked {
                pool: pool_key,
                coverage_bps: u16::try_from(coverage).unwrap_or(u16::MAX),
                floor_bps: pool.coverage_floor_bps,
                old_mode,
                new_mode: pool.mode,
            });
            (split, set, pool.signer())
        };
        set.mint_income(
            &split,
            &accounts.token_program.to_account_info(),
            &accounts.note_mint.to_account_info(),
            &accounts.pool.to_account_info(),
            &signer,
        )
    }
}
