use anchor_lang::prelude::*;

use crate::errors::StrataError;
use crate::events::CollateralUpdated;
use crate::instructions::admin::validate_oracle_source;
use crate::state::{CollateralParams, OracleSource, Pool};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct UpdateCollateralArgs {
    pub collateral_index: u8,
    pub params: CollateralParams,
    /// A new price source; `None` keeps the current one.
    pub oracle: Option<OracleSource>,
}

#[derive(Accounts)]
pub struct UpdateCollateral<'info> {
    pub authority: Signer<'info>,
    #[account(mut, has_one = authority @ StrataError::Unauthorized)]
    pub pool: AccountLoader<'info, Pool>,
    /// CHECK: the new oracle when `args.oracle` is set; parsed as that kind.
    pub oracle: Option<UncheckedAccount<'info>>,
}

impl UpdateCollateral<'_> {
    fn validate(&self, args: &UpdateCollateralArgs) -> Result<()> {
        args.params.validate()?;
        let pool = self.pool.load()?;
        pool.collateral(args.collateral_index)?;
        // The other listings' ages stand; this one's is replaced.
        let others = pool
            .listed()
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != usize::from(args.collateral_index))
            .map(|(_, c)| c.max_age_secs)
            .max()
            .unwrap_or(0);
        pool.require_valid_redemption_delay(pool.redemption_delay_secs, others.max(args.params.max_age_secs))?;
        if let Some(source) = &args.oracle {
            let account = self.oracle.as_ref().ok_or(StrataError::OracleMismatch)?;
            validate_oracle_source(source, account)?;
        }
        Ok(())
    }

    /// Replaces a collateral's risk parameters and, optionally, its oracle. A new
    /// oracle clears the cached price: nothing is valued until it is refreshed.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn handle(ctx: Context<UpdateCollateral>, args: UpdateCollateralArgs) -> Result<()> {
        let pool_key = ctx.accounts.pool.key();
        let mut pool = ctx.accounts.pool.load_mut()?;
        let config = pool.collateral_mut(args.collateral_index)?;
        let (old, old_oracle, old_feed_id) = (config.params(), config.oracle, config.feed_id);
        config.set_params(&args.params);
        if let (Some(source), Some(account)) = (&args.oracle, &ctx.accounts.oracle) {
            config.oracle = account.key();
            config.oracle_kind = source.kind.to_u8();
            config.feed_id = source.feed_id;
            config.clear_cached_price();
        }
        let (new_oracle, new_feed_id) = (config.oracle, config.feed_id);
        pool.invariant()?;
        crate::log::emit(&CollateralUpdated {
            pool: pool_key,
            index: args.collateral_index,
            old,
            new: args.params,
            old_oracle,
            new_oracle,
            old_feed_id,
            new_feed_id,
        });
        Ok(())
    }
}
