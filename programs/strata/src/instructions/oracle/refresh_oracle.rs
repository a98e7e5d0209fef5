use anchor_lang::prelude::*;
use strata_core::price::is_not_older;
use strata_core::CachedPrice;

use crate::errors::{CoreResultExt, StrataError};
use crate::events::OracleRefreshed;
use crate::instructions::common::accrue;
use crate::oracle;
use crate::state::Pool;

#[derive(Accounts)]
pub struct RefreshOracle<'info> {
    #[account(mut)]
    pub pool: AccountLoader<'info, Pool>,
    /// CHECK: must be the collateral's configured Pyth account; parsed by its kind.
    pub oracle: UncheckedAccount<'info>,
}

impl RefreshOracle<'_> {
    /// Reads the collateral's Pyth account, validates it and caches spot, EMA and
    /// confidence in WAD note units; then accrues the stability fee. An update older
    /// than the cache is ignored (the newer price stays), so nobody can roll the
    /// cache back to a stale price inside the freshness window.
    pub fn handle(ctx: Context<RefreshOracle>, collateral_index: u8) -> Result<()> {
        let clock = Clock::get()?;
        let pool_key = ctx.accounts.pool.key();
        let mut pool = ctx.accounts.pool.load_mut()?;
        let config = pool.collateral_mut(collateral_index)?;
        let sample = oracle::read_configured(config, &ctx.accounts.oracle)?;
        let price = CachedPrice::from_sample(&sample, config.decimals).map_core()?;
        require!(price.is_fresh(config.max_age_secs, clock.unix_timestamp), StrataError::StalePrice);
        if is_not_older(price.publish_time, config.publish_time) {
            config.set_cached_price(&price, clock.slot);
            crate::log::emit(&OracleRefreshed {
                pool: pool_key,
                collateral_index,
                price_wad: price.price_wad,
                ema_price_wad: price.ema_price_wad,
                conf_wad: price.conf_wad,
                publish_time: price.publish_time,
                slot: clock.slot,
            });
        } else {
            crate::log_msg!("oracle update older than the cached price; cache kept");
        }
        accrue(&mut pool, pool_key, clock.unix_timestamp)?;
        pool.invariant()
    }
}
