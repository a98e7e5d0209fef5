//! Events, one per state change. Units: amounts are native token units (notes have 6
//! decimals), `*_wad` are 1e18 fixed point, `*_bps` basis points, times Unix seconds.

use anchor_lang::prelude::*;

use crate::state::{CollateralParams, OracleKind, PoolParams};

#[event]
pub struct PoolInitialized {
    pub pool: Pubkey,
    pub authority: Pubkey,
    pub pool_id: u64,
    pub note_mint: Pubkey,
    pub treasury: Pubkey,
    pub permissioned: bool,
    pub params: PoolParams,
}

#[event]
pub struct PoolParamsUpdated {
    pub pool: Pubkey,
    pub old: PoolParams,
    pub new: PoolParams,
    pub old_treasury: Pubkey,
    pub new_treasury: Pubkey,
}

#[event]
pub struct CollateralAdded {
    pub pool: Pubkey,
    pub index: u8,
    pub mint: Pubkey,
    pub token_program: Pubkey,
    pub vault: Pubkey,
    pub decimals: u8,
    pub oracle_kind: OracleKind,
    pub oracle: Pubkey,
    pub feed_id: [u8; 32],
    pub params: CollateralParams,
}

#[event]
pub struct CollateralUpdated {
    pub pool: Pubkey,
    pub index: u8,
    pub old: CollateralParams,
    pub new: CollateralParams,
    pub old_oracle: Pubkey,
    pub new_oracle: Pubkey,
    pub old_feed_id: [u8; 32],
    pub new_feed_id: [u8; 32],
}

#[event]
pub struct PauseFlagsSet {
    pub pool: Pubkey,
    pub old: u16,
    pub new: u16,
}

#[event]
pub struct AuthorityProposed {
    pub pool: Pubkey,
    pub authority: Pubkey,
    /// `Pubkey::default()` cancels a pending proposal.
    pub pending_authority: Pubkey,
}

#[event]
pub struct AuthorityAccepted {
    pub pool: Pubkey,
    pub old_authority: Pubkey,
    pub new_authority: Pubkey,
}

#[event]
pub struct PositionOpened {
    pub pool: Pubkey,
    pub position: Pubkey,
    pub owner: Pubkey,
}

#[event]
pub struct PositionClosed {
    pub pool: Pubkey,
    pub position: Pubkey,
    pub owner: Pubkey,
}

#[event]
pub struct CollateralDeposited {
    pub pool: Pubkey,
    pub position: Pubkey,
    pub owner: Pubkey,
    pub collateral_index: u8,
    pub amount: u64,
    /// The position's balance of this collateral after the deposit.
    pub position_collateral: u64,
    /// The pool's total of this collateral after the deposit.
    pub total_deposited: u64,
}

#[event]
pub struct CollateralWithdrawn {
    pub pool: Pubkey,
    pub position: Pubkey,
    pub owner: Pubkey,
    pub collateral_index: u8,
    pub amount: u64,
    pub position_collateral: u64,
    pub total_deposited: u64,
}

#[event]
pub struct OracleRefreshed {
    pub pool: Pubkey,
    pub collateral_index: u8,
    pub price_wad: u128,
    pub ema_price_wad: u128,
    pub conf_wad: u128,
    pub publish_time: i64,
    pub slot: u64,
}

#[event]
pub struct InterestAccrued {
    pub pool: Pubkey,
    pub rate_index_wad: u128,
    /// Fees booked by this accrual, native note units.
    pub fees: u64,
    pub pending_fees: u64,
    pub timestamp: i64,
}

#[event]
pub struct NotesMinted {
    pub pool: Pubkey,
    pub position: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub shares_issued: u128,
    /// The position's debt after the mint, rounded up.
    pub position_debt: u64,
    pub rate_index_wad: u128,
}

#[event]
pub struct NotesRepaid {
    pub pool: Pubkey,
    pub position: Pubkey,
    pub payer: Pubkey,
    pub amount: u64,
    pub shares_burned: u128,
    pub position_debt: u64,
    pub rate_index_wad: u128,
}
