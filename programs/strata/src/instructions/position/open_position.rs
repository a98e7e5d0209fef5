use anchor_lang::prelude::*;

use crate::constants::{ACCOUNT_VERSION, POSITION_SEED};
use crate::create::create_zero_copy;
use crate::events::PositionOpened;
use crate::instructions::admin::require_allowed;
use crate::state::{AllowlistEntry, Pool, Position};

#[derive(Accounts)]
pub struct OpenPosition<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    pub owner: Signer<'info>,
    pub pool: AccountLoader<'info, Pool>,
    /// CHECK: created here (`crate::create`); the seeds pin the address.
    #[account(mut, seeds = [POSITION_SEED, pool.key().as_ref(), owner.key().as_ref()], bump)]
    pub position: UncheckedAccount<'info>,
    /// The owner's allowlist entry; required in a permissioned pool.
    pub allowlist_entry: Option<AccountLoader<'info, AllowlistEntry>>,
    pub system_program: Program<'info, System>,
}

impl OpenPosition<'_> {
    fn validate(&self) -> Result<()> {
        require_allowed(&self.pool.key(), &*self.pool.load()?, &self.owner.key(), self.allowlist_entry.as_ref())
    }

    /// Opens the owner's (single) position in the pool.
    #[access_control(ctx.accounts.validate())]
    pub fn handle(ctx: Context<OpenPosition>) -> Result<()> {
        let accounts = &ctx.accounts;
        let (pool, owner) = (accounts.pool.key(), accounts.owner.key());
        let slot = Clock::get()?.slot;
        let seeds: &[&[u8]] = &[POSITION_SEED, pool.as_ref(), owner.as_ref(), &[ctx.bumps.position]];
        create_zero_copy::<Position>(&accounts.payer, &accounts.position, seeds, |position| {
            position.version = ACCOUNT_VERSION;
            position.bump = ctx.bumps.position;
            position.pool = pool;
            position.owner = owner;
            position.touch(slot);
            position.invariant()
        })?;
        crate::log::emit(&PositionOpened { pool, position: accounts.position.key(), owner });
        Ok(())
    }
}
