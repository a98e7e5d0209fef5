//! Steps several handlers share.

use anchor_lang::prelude::*;
use strata_core::{Health, PriceBasis};

use crate::errors::CoreResultExt;
use crate::events::InterestAccrued;
use crate::state::{Pool, Position};

/// Accrues the stability fee up to `now` and emits the change, if any.
pub fn accrue(pool: &mut Pool, pool_key: Pubkey, now: i64) -> Result<()> {
    let mut debt = pool.debt_state();
    let fees = debt.accrue(now).map_core()?;
    pool.set_debt_state(&debt);
    if fees > 0 {
        crate::log::emit(&InterestAccrued {
            pool: pool_key,
            rate_index_wad: debt.rate_index_wad,
            fees,
            pending_fees: debt.pending_fees,
            timestamp: now,
        });
    }
    Ok(())
}

/// A position's health on `basis`, with its collateral valued from the pool's cache.
pub fn position_health(pool: &Pool, position: &Position, basis: PriceBasis, now: i64) -> Result<Health> {
    let debt = pool.debt_state().debt_of(position.debt_shares()).map_core()?;
    Health::compute(&pool.collateral_views(&position.collateral), debt, basis, now).map_core()
}

/// Checks that the accounts a collateral instruction received are the ones the pool
/// lists at `index`, and returns that listing's decimals.
pub fn check_collateral_accounts(
    pool: &Pool,
    index: u8,
    mint: &Pubkey,
    vault: &Pubkey,
    token_program: &Pubkey,
) -> Result<u8> {
    let config = pool.collateral(index)?;
    require_keys_eq!(*mint, config.mint, crate::errors::StrataError::CollateralMintMismatch);
    require_keys_eq!(*vault, config.vault, crate::errors::StrataError::VaultMismatch);
    require_keys_eq!(*token_program, config.token_program, crate::errors::StrataError::TokenProgramMismatch);
    Ok(config.decimals)
}

/// Whether a position's collateral at fresh spot prices is worth less than its debt
/// (accrued to `now` on a copy: nothing is written).
pub fn is_insolvent(pool: &Pool, position: &Position, now: i64) -> Result<bool> {
    let owed = pool.accrued_debt_state(now).map_core()?.debt_of(position.debt_shares()).map_core()?;
    strata_core::health::is_insolvent(&pool.collateral_views(&position.collateral), owed, now).map_core()
}
