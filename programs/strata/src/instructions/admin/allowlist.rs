use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::TokenAccount;

use crate::constants::{ACCOUNT_VERSION, ALLOW_SEED};
use crate::create::create_zero_copy;
use crate::errors::StrataError;
use crate::events::{AllowlistChanged, ShareAccountsFrozen};
use crate::share_ops::{associated_share_account, freeze};
use crate::state::{AllowlistEntry, Pool, Tranche};

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
    pub share_token_program: Program<'info, Token2022>,
    // Remaining accounts, permissioned pools only: for every tranche in index order,
    // `[tranche, share_mint, wallet's associated share account]` (the account may not
    // exist yet: it will be born frozen).
}

impl Disallow<'_> {
    /// Removes a wallet from the allowlist (its entry is closed) and, in a
    /// permissioned pool, freezes its associated share account of every tranche (the
    /// only share accounts the program thaws), so its shares can neither move nor be
    /// redeemed, and no shares can reach it, until it is allowed again.
    pub fn handle<'info>(ctx: Context<'info, Disallow<'info>>) -> Result<()> {
        let accounts = &ctx.accounts;
        let pool_key = accounts.pool.key();
        let wallet = accounts.entry.load()?.wallet;
        let remaining = ctx.remaining_accounts;
        let (permissioned, tranche_count, signer) = {
            let pool = accounts.pool.load()?;
            (pool.is_permissioned(), usize::from(pool.tranche_count), pool.signer())
        };
        let expected = if permissioned { 3 * tranche_count } else { 0 };
        require!(remaining.len() == expected, StrataError::InvalidFreezeAccounts);
        let pool_info = accounts.pool.to_account_info();
        let mut frozen = 0u8;
        for (index, triple) in remaining.chunks_exact(3).enumerate() {
            let (tranche, share_mint, share_account) = (&triple[0], &triple[1], &triple[2]);
            let loader = AccountLoader::<Tranche>::try_from(tranche).map_err(|_| error!(StrataError::NotATranche))?;
            {
                let tranche = loader.load()?;
                require_keys_eq!(tranche.pool, pool_key, StrataError::PoolMismatch);
                require!(usize::from(tranche.index) == index, StrataError::TrancheOutOfOrder);
                require_keys_eq!(tranche.share_mint, share_mint.key(), StrataError::ShareMintMismatch);
            }
            require_keys_eq!(
                share_account.key(),
                associated_share_account(&wallet, share_mint.key),
                StrataError::NotAssociatedShareAccount
            );
            if share_account.data_is_empty() {
                continue; // not created yet: it will be born frozen
            }
            InterfaceAccount::<TokenAccount>::try_from(share_account)?;
            freeze(share_account, share_mint, &pool_info, &signer)?;
            frozen += 1;
        }
        crate::log::emit(&AllowlistChanged { pool: pool_key, wallet, allowed: false });
        if frozen > 0 {
            crate::log::emit(&ShareAccountsFrozen { pool: pool_key, wallet, accounts: frozen });
        }
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
