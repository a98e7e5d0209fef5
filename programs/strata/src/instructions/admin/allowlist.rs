use anchor_lang::prelude::*;

use crate::constants::{ACCOUNT_VERSION, ALLOW_SEED};
use crate::create::create_zero_copy;
use crate::errors::StrataError;
use crate::events::AllowlistChanged;
use crate::state::{AllowlistEntry, Pool};

#[derive(Accounts)]
#[instruction(wallet: Pubkey)]
pub struct Allow<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    pub authority: Signer<'info>,
    #[account(has_one = authority @ StrataError::Unauthorized)]
    pub pool: AccountLoader<'info, Pool>,
    /// CHECK: created here; the seeds pin the address.
    #[account(mut, seeds = [ALLOW_SEED, pool.key().as_ref(), wallet.as_ref()], bump)]
    pub entry: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl Allow<'_> {
    /// Adds `wallet` to the pool's allowlist.
    pub fn handle(ctx: Context<Allow>, wallet: Pubkey) -> Result<()> {
        let pool = ctx.accounts.pool.key();
        let bump = ctx.bumps.entry;
        let seeds: &[&[u8]] = &[ALLOW_SEED, pool.as_ref(), wallet.as_ref(), &[bump]];
        create_zero_copy::<AllowlistEntry>(&ctx.accounts.payer, &ctx.accounts.entry, seeds, |entry| {
            entry.version = ACCOUNT_VERSION;
            entry.bump = bump;
            entry.pool = pool;
            entry.wallet = wallet;
            Ok(())
        })?;
        crate::log::emit(&AllowlistChanged { pool, wallet, allowed: true });
        Ok(())
    }
}

#[derive(Accounts)]
pub struct Disallow<'info> {
    pub authority: Signer<'info>,
    #[account(has_one = authority @ StrataError::Unauthorized)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(mut, has_one = pool @ StrataError::PoolMismatch, close = rent_receiver)]
    pub entry: AccountLoader<'info, AllowlistEntry>,
    /// CHECK: receives the entry's rent.
    #[account(mut)]
    pub rent_receiver: UncheckedAccount<'info>,
}

impl Disallow<'_> {
    /// Removes a wallet from the allowlist (its entry is closed).
    pub fn handle(ctx: Context<Disallow>) -> Result<()> {
        let wallet = ctx.accounts.entry.load()?.wallet;
        crate::log::emit(&AllowlistChanged { pool: ctx.accounts.pool.key(), wallet, allowed: false });
        Ok(())
    }
}

/// In a permissioned pool, requires `entry` to be `wallet`'s allowlist entry.
pub fn require_allowed(
    pool_key: &Pubkey,
    pool: &Pool,
    wallet: &Pubkey,
    entry: Option<&AccountLoader<AllowlistEntry>>,
) -> Result<()> {
    if !pool.is_permissioned() {
        return Ok(());
    }
    let entry = entry.ok_or(StrataError::NotAllowlisted)?.load()?;
    require!(entry.pool == *pool_key && entry.wallet == *wallet, StrataError::NotAllowlisted);
    Ok(())
}
