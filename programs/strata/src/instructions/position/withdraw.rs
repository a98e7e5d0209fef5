use anchor_lang::prelude::*;
use anchor_spl::token_interface::{TokenAccount, TokenInterface};
use strata_core::PriceBasis;

use super::collateral::*;
use crate::constants::{pause, MAX_COLLATERALS};
use crate::errors::StrataError;
use crate::events::CollateralWithdrawn;
use crate::instructions::common::{accrue, position_health};
use crate::token_ops::CollateralTransfer;

#[derive(Accounts)]
pub struct Withdraw<'info> {
    pub collateral: CollateralAccounts<'info>,
    /// Any token account of the collateral mint; the owner chose it by signing.
    /// (Anchor refuses it being the vault: duplicate mutable accounts.)
    #[account(mut, constraint = destination.mint == collateral.mint.key() @ StrataError::TokenMintMismatch)]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,
    pub token_program: Interface<'info, TokenInterface>,
}

impl Withdraw<'_> {
    /// Moves `amount` of a collateral from the vault back to the owner. With debt
    /// outstanding, what remains must cover it at the loan-to-value ratio, valued at
    /// the conservative price (`min(spot, ema) − conf`, fresh and within limits).
    pub fn handle(ctx: Context<Withdraw>, collateral_index: u8, amount: u64) -> Result<()> {
        let accounts = &ctx.accounts;
        let shared = &accounts.collateral;
        let decimals = shared.validate(collateral_index, amount, pause::WITHDRAW, &accounts.token_program.key())?;
        let clock = Clock::get()?;
        let signer = {
            let pool_key = shared.pool.key();
            let mut pool = shared.pool.load_mut()?;
            let mut position = shared.position.load_mut()?;
            accrue(&mut pool, pool_key, clock.unix_timestamp)?;
            let mut amounts = [0u64; MAX_COLLATERALS];
            amounts[usize::from(collateral_index)] = amount;
            require!(position.remove_collateral(&amounts), StrataError::InsufficientCollateral);
            pool.release_collateral(&amounts)?;
            let position_collateral = position.collateral[usize::from(collateral_index)];
            let total_deposited = pool.collateral(collateral_index)?.total_deposited;
            if position.debt_shares() > 0 {
                let health = position_health(&pool, &position, PriceBasis::Conservative, clock.unix_timestamp)?;
                require!(health.is_healthy(), StrataError::InsufficientCollateralValue);
            }
            position.touch(clock.slot);
            position.invariant()?;
            pool.invariant()?;
            crate::log::emit(&CollateralWithdrawn {
                pool: pool_key,
                position: shared.position.key(),
                owner: shared.owner.key(),
                collateral_index,
                amount,
                position_collateral,
                total_deposited,
            });
            pool.signer()
        };
        CollateralTransfer {
            token_program: &accounts.token_program.to_account_info(),
            mint: &shared.mint.to_account_info(),
            from: &shared.vault.to_account_info(),
            to: &accounts.destination.to_account_info(),
            authority: &shared.pool.to_account_info(),
            decimals,
        }
        .by_pool(&signer, amount)
    }
}
