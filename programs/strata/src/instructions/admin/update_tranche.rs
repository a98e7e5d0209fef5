use anchor_lang::prelude::*;

use crate::errors::StrataError;
use crate::events::TrancheUpdated;
use crate::state::{Pool, Tranche, TrancheParams};

#[derive(Accounts)]
pub struct UpdateTranche<'info> {
    pub authority: Signer<'info>,
    #[account(has_one = authority @ StrataError::Unauthorized)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(mut, has_one = pool @ StrataError::PoolMismatch)]
    pub tranche: AccountLoader<'info, Tranche>,
}

impl UpdateTranche<'_> {
    fn validate(&self, params: &TrancheParams) -> Result<()> {
        params.validate()
    }

    /// Replaces a tranche's target yield and minimum subordination.
    #[access_control(ctx.accounts.validate(&params))]
    pub fn handle(ctx: Context<UpdateTranche>, params: TrancheParams) -> Result<()> {
        let mut tranche = ctx.accounts.tranche.load_mut()?;
        let old = tranche.params();
        tranche.set_params(&params);
        tranche.invariant()?;
        crate::log::emit(&TrancheUpdated { pool: ctx.accounts.pool.key(), index: tranche.index, old, new: params });
        Ok(())
    }
}
