use anchor_lang::prelude::*;

use crate::constants::{ACCOUNT_VERSION, POSITION_SEED};
use crate::events::PositionOpened;
use crate::state::{Pool, Position};

#[derive(Accounts)]
pub struct OpenPosition<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    pub owner: Signer<'info>,
    pub pool: AccountLoader<'info, Pool>,
    #[account(
        init,
        payer = payer,
        space = Position::SIZE,
        seeds = [POSITION_SEED, pool.key().as_ref(), owner.key().as_ref()],
        bump,
    )]
    pub position: AccountLoader<'info, Position>,
    pub system_program: Program<'info, System>,
}

impl OpenPosition<'_> {
    /// Opens the owner's (single) position in the pool.
    pub fn handle(ctx: Context<OpenPosition>) -> Result<()> {
        let mut position = ctx.accounts.position.load_init()?;
        position.version = ACCOUNT_VERSION;
        position.bump = ctx.bumps.position;
        position.pool = ctx.accounts.pool.key();
        position.owner = ctx.accounts.owner.key();
        position.touch(Clock::get()?.slot);
        position.invariant()?;
        emit!(PositionOpened {
            pool: position.pool,
            position: ctx.accounts.position.key(),
            owner: position.owner,
        });
        Ok(())
    }
}
