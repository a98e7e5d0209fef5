use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::errors::StrataError;
use crate::events::PoolParamsUpdated;
use crate::instructions::common::accrue;
use crate::state::{Pool, PoolParams};

#[derive(Accounts)]
pub struct UpdatePool<'info> {
    pub authority: Signer<'info>,
    #[account(mut, has_one = authority @ StrataError::Unauthorized)]
    pub pool: AccountLoader<'info, Pool>,
    /// The treasury note account from now on (pass the current one to keep it).
    #[account(constraint = treasury.mint == pool.load()?.note_mint @ StrataError::NoteMintMismatch)]
    pub treasury: Box<InterfaceAccount<'info, TokenAccount>>,
}

impl UpdatePool<'_> {
    fn validate(&self, params: &PoolParams) -> Result<()> {
        params.validate()?;
        let pool = self.pool.load()?;
        pool.require_valid_redemption_delay(params.redemption_delay_secs, pool.max_oracle_age_secs())
    }

    /// Replaces the pool parameters. Debt accrues at the old fee up to now first, so
    /// a fee change never applies retroactively.
    #[access_control(ctx.accounts.validate(&params))]
    pub fn handle(ctx: Context<UpdatePool>, params: PoolParams) -> Result<()> {
        let pool_key = ctx.accounts.pool.key();
        let mut pool = ctx.accounts.pool.load_mut()?;
        accrue(&mut pool, pool_key, Clock::get()?.unix_timestamp)?;
        let old = pool.params();
        let old_treasury = pool.treasury;
        pool.set_params(&params);
        pool.treasury = ctx.accounts.treasury.key();
        pool.invariant()?;
        crate::log::emit(&PoolParamsUpdated {
            pool: pool_key,
            old,
            new: params,
            old_treasury,
            new_treasury: pool.treasury,
        });
        Ok(())
    }
}
