use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::pause;
use crate::errors::StrataError;
use crate::events::CollateralDeposited;
use crate::instructions::common::{accrue, check_collateral_accounts};
use crate::state::{Pool, Position};
use crate::token_ops::CollateralTransfer;

#[derive(Accounts)]
pub struct Deposit<'info> {
    pub owner: Signer<'info>,
    #[account(mut)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(
        mut,
        has_one = owner @ StrataError::NotPositionOwner,
        has_one = pool @ StrataError::PoolMismatch,
    )]
    pub position: AccountLoader<'info, Position>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        mut,
        constraint = source.owner == owner.key() @ StrataError::TokenOwnerMismatch,
        constraint = source.mint == mint.key() @ StrataError::TokenMintMismatch,
    )]
    pub source: Box<InterfaceAccount<'info, TokenAccount>>,
    pub token_program: Interface<'info, TokenInterface>,
}

impl Deposit<'_> {
    fn validate(&self, collateral_index: u8, amount: u64) -> Result<u8> {
        require!(amount > 0, StrataError::ZeroAmount);
        let pool = self.pool.load()?;
        pool.require_not_paused(pause::DEPOSIT)?;
        let decimals = check_collateral_accounts(
            &pool,
            collateral_index,
            &self.mint.key(),
            &self.vault.key(),
            &self.token_program.key(),
        )?;
        require!(self.source.amount >= amount, StrataError::InsufficientFunds);
        Ok(decimals)
    }

    /// Moves `amount` of a listed collateral from the owner into the pool's vault,
    /// within the collateral's deposit cap.
    pub fn handle(ctx: Context<Deposit>, collateral_index: u8, amount: u64) -> Result<()> {
        let decimals = ctx.accounts.validate(collateral_index, amount)?;
        let clock = Clock::get()?;
        let accounts = &ctx.accounts;
        {
            let pool_key = accounts.pool.key();
            let mut pool = accounts.pool.load_mut()?;
            let mut position = accounts.position.load_mut()?;
            accrue(&mut pool, pool_key, clock.unix_timestamp)?;
            let config = pool.collateral_mut(collateral_index)?;
            let total = config
                .total_deposited
                .checked_add(amount)
                .filter(|total| *total <= config.deposit_cap)
                .ok_or(StrataError::DepositCapExceeded)?;
            config.total_deposited = total;
            let slot = &mut position.collateral[usize::from(collateral_index)];
            *slot = slot.checked_add(amount).ok_or(StrataError::MathOverflow)?;
            let position_collateral = *slot;
            position.touch(clock.slot);
            position.invariant()?;
            pool.invariant()?;
            crate::log::emit(&CollateralDeposited {
                pool: pool_key,
                position: accounts.position.key(),
                owner: accounts.owner.key(),
                collateral_index,
                amount,
                position_collateral,
                total_deposited: total,
            });
        }
        CollateralTransfer {
            token_program: &accounts.token_program.to_account_info(),
            mint: &accounts.mint.to_account_info(),
            from: &accounts.source.to_account_info(),
            to: &accounts.vault.to_account_info(),
            authority: &accounts.owner.to_account_info(),
            decimals,
        }
        .by_user(amount)
    }
}
