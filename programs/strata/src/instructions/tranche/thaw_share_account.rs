use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};

use crate::errors::StrataError;
use crate::events::ShareAccountThawed;
use crate::share_ops::thaw_allowlisted;
use crate::state::{AllowlistEntry, Pool, Tranche};

#[derive(Accounts)]
pub struct ThawShareAccount<'info> {
    pub pool: AccountLoader<'info, Pool>,
    #[account(has_one = pool @ StrataError::PoolMismatch, has_one = share_mint @ StrataError::ShareMintMismatch)]
    pub tranche: AccountLoader<'info, Tranche>,
    pub share_mint: Box<InterfaceAccount<'info, Mint>>,
    /// An allowlisted wallet's associated share account.
    #[account(mut, constraint = share_account.mint == share_mint.key() @ StrataError::ShareMintMismatch)]
    pub share_account: Box<InterfaceAccount<'info, TokenAccount>>,
    /// CHECK: the owner's allowlist entry, read in `handle` (a missing one is
    /// `NotAllowlisted`, not an account error).
    pub allowlist_entry: UncheckedAccount<'info>,
    pub share_token_program: Program<'info, Token2022>,
}

impl ThawShareAccount<'_> {
    /// Thaws an allowlisted wallet's associated share account (permissionless), so it
    /// can receive shares from other allowlisted wallets. Share accounts of a
    /// permissioned pool are born frozen; deposits and redemption requests thaw the
    /// wallet's own account themselves.
    pub fn handle<'info>(ctx: Context<'info, ThawShareAccount<'info>>) -> Result<()> {
        let accounts = &ctx.accounts;
        let pool_key = accounts.pool.key();
        let owner = accounts.share_account.owner;
        let signer = {
            let pool = accounts.pool.load()?;
            require!(pool.is_permissioned(), StrataError::NotPermissioned);
            require!(is_entry_of(&accounts.allowlist_entry, &pool_key, &owner)?, StrataError::NotAllowlisted);
            pool.signer()
        };
        let account = accounts.share_account.to_account_info();
        thaw_allowlisted(
            &account,
            &owner,
            &accounts.share_mint.to_account_info(),
            &accounts.pool.to_account_info(),
            &signer,
        )?;
        crate::log::emit(&ShareAccountThawed {
            pool: pool_key,
            index: accounts.tranche.load()?.index,
            owner,
            account: account.key(),
        });
        Ok(())
    }
}

/// Whether `info` is the allowlist entry of `wallet` in `pool` (a missing or foreign
/// account is simply not one).
fn is_entry_of(info: &AccountInfo, pool: &Pubkey, wallet: &Pubkey) -> Result<bool> {
    use anchor_lang::Discriminator;
    if *info.owner != crate::ID {
        return Ok(false);
    }
    let data = info.try_borrow_data()?;
    let size = 8 + core::mem::size_of::<AllowlistEntry>();
    if data.len() < size || data[..8] != *AllowlistEntry::DISCRIMINATOR {
        return Ok(false);
    }
    let entry: &AllowlistEntry = bytemuck::from_bytes(&data[8..size]);
    Ok(entry.pool == *pool && entry.wallet == *wallet)
}
