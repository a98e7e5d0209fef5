use anchor_lang::prelude::*;
use strata_core::tranche::junior_coverage_bps;

use super::set::TrancheSet;
use crate::errors::CoreResultExt;
use crate::events::CoverageChecked;
use crate::state::{mode, Pool};

#[derive(Accounts)]
pub struct CheckCoverage<'info> {
    #[account(mut)]
    pub pool: AccountLoader<'info, Pool>,
    // Remaining accounts: every tranche, in index order.
}

impl CheckCoverage<'_> {
    /// The over-collateralisation test (permissionless): junior NAV over all tranche
    /// NAV below the pool's floor puts the pool in Turbo (no minting, all income to
    /// the senior); passing it again returns the pool to Normal.
    pub fn handle<'info>(ctx: Context<'info, CheckCoverage<'info>>) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let pool_key = ctx.accounts.pool.key();
        let mut pool = ctx.accounts.pool.load_mut()?;
        pool.require_tranches()?;
        let (set, _) = TrancheSet::load(&pool_key, &pool, ctx.remaining_accounts, false, None)?;
        let navs = set.navs(&pool.price_views(), now)?;
        let coverage = junior_coverage_bps(&navs).map_core()?;
        let old_mode = pool.mode;
        pool.mode = if coverage < u128::from(pool.coverage_floor_bps) { mode::TURBO } else { mode::NORMAL };
        pool.invariant()?;
        crate::log::emit(&CoverageChecked {
            pool: pool_key,
            coverage_bps: u16::try_from(coverage).unwrap_or(u16::MAX),
            floor_bps: pool.coverage_floor_bps,
            old_mode,
            new_mode: pool.mode,
        });
        Ok(())
    }
}
