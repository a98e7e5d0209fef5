//! A position: one owner's collateral in one pool and the debt minted against it.

use anchor_lang::prelude::*;

use super::pod::{load_u128, store_u128};
use crate::constants::{ACCOUNT_VERSION, MAX_COLLATERALS};
use crate::errors::StrataError;

/// `["position", pool, owner]`, 200 bytes with the discriminator.
///
/// Byte offsets keepers filter on with `getProgramAccounts` `memcmp`:
/// discriminator 0..8, `has_debt` 10 (1 byte, 1 = owes notes), `pool` 16..48,
/// `owner` 48..80. Data size is always [`Position::SIZE`].
#[account(zero_copy)]
#[derive(Debug)]
pub struct Position {
    pub version: u8,
    pub bump: u8,
    /// 1 iff `debt_shares > 0`: lets keepers select indebted positions by `memcmp`.
    pub has_debt: u8,
    /// [`position_flags`] bits.
    pub flags: u8,
    pub _padding: [u8; 4],
    pub pool: Pubkey,
    pub owner: Pubkey,
    /// Native units per collateral, indexed like the pool's collaterals.
    pub collateral: [u64; MAX_COLLATERALS],
    /// Debt shares (u128): notes owed = shares × rate_index / WAD, rounded up.
    pub debt_shares: [u8; 16],
    pub last_update_slot: u64,
    /// Slot of the last liquidation: a position is liquidated at most once per slot,
    /// so two liquidations in one transaction cannot bypass the close factor.
    pub last_liquidated_slot: u64,
    pub reserved: [u8; 24],
}

const _: () = assert!(Position::SIZE == 200);

/// `Position::flags`.
pub mod position_flags {
    /// Reported insolvent (`flag_shortfall`): a loss is pending until it is booked.
    pub const LOSS_PENDING: u8 = 1 << 0;
    /// Every defined bit.
    pub const ALL: u8 = LOSS_PENDING;
}

impl Position {
    pub const SIZE: usize = 8 + core::mem::size_of::<Position>();
    /// Offsets (including the discriminator) for `getProgramAccounts` filters.
    pub const HAS_DEBT_OFFSET: usize = 8 + 2;
    pub const POOL_OFFSET: usize = 8 + 8;
    pub const OWNER_OFFSET: usize = 8 + 8 + 32;

    pub fn debt_shares(&self) -> u128 {
        load_u128(&self.debt_shares)
    }

    pub fn set_debt_shares(&mut self, shares: u128) {
        self.debt_shares = store_u128(shares);
        self.has_debt = u8::from(shares > 0);
    }

    pub fn loss_pending(&self) -> bool {
        self.flags & position_flags::LOSS_PENDING != 0
    }

    pub fn is_empty(&self) -> bool {
        self.debt_shares() == 0 && self.collateral.iter().all(|amount| *amount == 0)
    }

    /// Takes `amounts` off the position's collateral; `false`, with nothing changed,
    /// when some slot holds less.
    #[must_use]
    pub fn remove_collateral(&mut self, amounts: &[u64; MAX_COLLATERALS]) -> bool {
        if self.collateral.iter().zip(amounts).any(|(held, amount)| held < amount) {
            return false;
        }
        for (held, amount) in self.collateral.iter_mut().zip(amounts) {
            *held -= amount;
        }
        true
    }

    pub fn touch(&mut self, slot: u64) {
        self.last_update_slot = slot;
    }

    /// Field relations every instruction that changes a position leaves true.
    pub fn invariant(&self) -> Result<()> {
        require!(self.version == ACCOUNT_VERSION, StrataError::InvariantViolation);
        require!(self.pool != Pubkey::default() && self.owner != Pubkey::default(), StrataError::InvariantViolation);
        require!(self.has_debt == u8::from(self.debt_shares() > 0), StrataError::InvariantViolation);
        require!(self.flags & !position_flags::ALL == 0, StrataError::InvariantViolation);
        // A reported loss is debt still owed (`Pool::set_position_debt_shares`).
        require!(!self.loss_pending() || self.has_debt == 1, StrataError::InvariantViolation);
        // Every liquidation also touches the position.
        require!(self.last_liquidated_slot <= self.last_update_slot, StrataError::InvariantViolation);
        Ok(())
    }
}

const _: () = {
    // Keeper filter offsets are part of the public interface: pin them.
    assert!(core::mem::offset_of!(Position, has_debt) + 8 == Position::HAS_DEBT_OFFSET);
    assert!(core::mem::offset_of!(Position, pool) + 8 == Position::POOL_OFFSET);
    assert!(core::mem::offset_of!(Position, owner) + 8 == Position::OWNER_OFFSET);
};
