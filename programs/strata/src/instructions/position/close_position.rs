use anchor_lang::prelude::*;

use crate::errors::StrataError;
use crate::events::PositionClosed;
use crate::state::Position;

#[derive(Accounts)]
pub struct ClosePosition<'info> {
    /// Receives the rent.
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(mut, close = owner, has_one = owner @ StrataError::NotPositionOwner)]
    pub position: AccountLoader<'info, Position>,
}

impl ClosePosition<'_> {
    fn validate(&self) -> Result<()> {
        require!(self.position.load()?.is_empty(), StrataError::PositionNotEmpty);
        Ok(())
    }

    /// Closes an empty position and returns its rent to the owner.
    #[access_control(ctx.accounts.validate())]
    pub fn handle(ctx: Context<ClosePosition>) -> Result<()> {
        let position = ctx.accounts.position.load()?;
        crate::log::emit(&PositionClosed {
            pool: position.pool,
            position: ctx.accounts.position.key(),
            owner: position.owner,
        });
        Ok(())
    }
}
