use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};

use super::collateral::*;
use crate::constants::pause;
use crate::errors::StrataError;
use crate::events::CollateralDeposited;
use crate::instructions::common::accrue;
use crate::token_ops::CollateralTransfer;

#[derive(Accounts)]
pub struct Deposit<'info> {
    pub collateral: CollateralAccounts<'info>,
    #[account(
        mut,
        constraint = source.owner == collateral.owner.key() @ StrataError::TokenOwnerMismatch,
        constraint = source.mint == collateral.mint.key() @ StrataError::TokenMintMismatch,
    )]
    pub source: Box<InterfaceAccount<'info, TokenAccount>>,
    pub token_program: Interface<'info, TokenInterface>,
}

impl Deposit<'_> {
    fn validate(&self, collateral_index: u8, amount: u64) -> Result<u8> {
        let decimals = self.collateral.validate(collateral_index, amount, pause::DEPOSIT, &self.token_program.key())?;
        require!(self.source.amount >= amount, StrataError::InsufficientFunds);
        Ok(decimals)
    }

    /// Moves `amount` of a listed collateral from the owner into the pool's vault,
    /// within the collateral's deposit cap.
    pub fn handle(ctx: Context<Deposit>, collateral_index: u8, amount: u64) -> Result<()> {
        let decimals = ctx.accounts.validate(collateral_index, amount)?;
        let clock = Clock::get()?;
        let accounts = &ctx.accounts;
        let shared = &accounts.collateral;
        {
            let pool_key = shared.pool.key();
            let mut pool = shared.pool.load_mut()?;
            let mut position = shared.position.load_mut()?;
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
                position: shared.position.key(),
                owner: shared.owner.key(),
                collateral_index,
                amount,
                position_collateral,
                total_deposited: total,
            });
        }
        CollateralTransfer {
            token_program: &accounts.token_program.to_account_info(),
            mint: &shared.mint.to_account_info(),
            from: &accounts.source.to_account_info(),
            to: &shared.vault.to_account_info(),
            authority: &shared.owner.to_account_info(),
            decimals,
        }
        .by_user(amount)
    }
}
