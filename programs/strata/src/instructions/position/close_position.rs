use anchor_lang::prelude::*;

use crate::errors::StrataError;
use crate::events::PositionClosed;
use crate::state::{Pool, Position};

#[derive(Accounts)]
pub struct ClosePosition<'info> {
    /// Receives the rent.
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(mut)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(
        mut,
        close = owner,
        has_one = owner @ StrataError::NotPositionOwner,
        has_one = pool @ StrataError::PoolMismatch,
    )]
    pub position: AccountLoader<'info, Position>,
}

impl ClosePosition<'_> {
    fn validate(&self) -> Result<()> {
        require!(self.position.load()?.is_empty(), StrataError::PositionNotEmpty);
        Ok(())
    }

    /// Closes an empty position and returns its rent to the owner. An open
    /// pending-loss report on it ends here too (an empty position has no loss), so it
    /// can never keep the pool's tranche flows waiting.
    #[access_control(ctx.accounts.validate())]
    pub fn handle(ctx: Context<ClosePosition>) -> Result<()> {
        let mut pool = ctx.accounts.pool.load_mut()?;
        let mut position = ctx.accounts.position.load_mut()?;
        pool.clear_loss_pending(&mut position)?;
        pool.invariant()?;
        crate::log::emit(&PositionClosed {
            pool: position.pool,
            position: ctx.accounts.position.key(),
            owner: position.owner,
        });
        Ok(())
    }
}
