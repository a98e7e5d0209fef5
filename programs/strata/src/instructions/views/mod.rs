//! Read-only views, meant for simulation: results come back as return data, computed
//! by the same core functions the instructions use. Nothing is written: debt is
//! accrued on a copy.

pub mod health;
pub mod quote_liquidation;

pub use health::*;
pub use quote_liquidation::*;

use anchor_lang::prelude::*;

use crate::errors::StrataError;
use crate::state::{Pool, Position};

#[derive(Accounts)]
pub struct ViewPosition<'info> {
    pub pool: AccountLoader<'info, Pool>,
    #[account(has_one = pool @ StrataError::PoolMismatch)]
    pub position: AccountLoader<'info, Position>,
}
