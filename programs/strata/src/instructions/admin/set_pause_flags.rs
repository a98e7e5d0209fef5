use anchor_lang::prelude::*;

use crate::constants::pause;
use crate::errors::StrataError;
use crate::events::PauseFlagsSet;
use crate::state::Pool;

#[derive(Accounts)]
pub struct SetPauseFlags<'info> {
    pub authority: Signer<'info>,
    #[account(mut, has_one = authority @ StrataError::Unauthorized)]
    pub pool: AccountLoader<'info, Pool>,
}

impl SetPauseFlags<'_> {
    fn validate(&self, flags: u16) -> Result<()> {
        require!(flags & !pause::ALL == 0, StrataError::InvalidPauseFlags);
        Ok(())
    }

    /// Sets the pause bits (deposit, withdraw, mint, liquidate, tranche flows).
    /// Repaying and refreshing oracles are never paused: users must always be able
    /// to reduce their risk.
    #[access_control(ctx.accounts.validate(flags))]
    pub fn handle(ctx: Context<SetPauseFlags>, flags: u16) -> Result<()> {
        let mut pool = ctx.accounts.pool.load_mut()?;
        let old = pool.pause_flags;
        pool.pause_flags = flags;
        pool.invariant()?;
        crate::log::emit(&PauseFlagsSet { pool: ctx.accounts.pool.key(), old, new: flags });
        Ok(())
    }
}
