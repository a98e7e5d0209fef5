//! Pool debt: shares against a WAD rate index that compounds the stability fee per
//! second.
//!
//! A position owes `debt_shares × rate_index / WAD` notes, rounded up. Minting issues
//! shares rounded up, repaying burns shares rounded down, so rounding always leaves
//! the pool owed at least what was minted. Accrual books the growth of total debt as
//! `pending_fees`: notes the positions owe the pool that the tranches will receive.

use crate::error::{CoreError, CoreResult};
use crate::math::{compound_wad, mul_div, to_u64, Rounding, SafeMath, WAD};

/// The largest stability fee the program accepts (50% APR). With it, accrual over 50
/// years of per-second touches grows the index by at most e^25 ≈ 7.2e10, far inside
/// `u128` (see the `accrual_cannot_overflow` property).
pub const MAX_STABILITY_FEE_BPS: u16 = 5_000;

/// The debt side of a pool, as plain numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct DebtState {
    /// Σ positions' debt shares.
    pub total_shares: u128,
    /// Notes owed per share, WAD; starts at 1.0 and only grows.
    pub rate_index_wad: u128,
    /// Stability fee, APR in basis points.
    pub stability_fee_bps: u16,
    /// Unix seconds of the last accrual.
    pub last_accrual_ts: i64,
    /// Fees accrued as debt and not yet distributed, native note units.
    pub pending_fees: u64,
    /// Most notes the pool's positions may owe in total.
    pub debt_ceiling: u64,
    /// Smallest non-zero debt a position may carry (dust floor).
    pub min_debt: u64,
}

/// What a mint does to the position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct MintOutcome {
    pub shares_issued: u128,
    pub position_shares: u128,
    /// The position's debt after the mint, notes (rounded up).
    pub position_debt: u128,
}

/// What a repayment does to the position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct RepayOutcome {
    /// Notes actually taken from the payer: at most the position's debt.
    pub repaid: u64,
    pub shares_burned: u128,
    pub position_shares: u128,
    pub position_debt: u128,
}

impl DebtState {
    /// A fresh pool's debt state.
    pub fn new(stability_fee_bps: u16, debt_ceiling: u64, min_debt: u64, now: i64) -> Self {
        Self {
            total_shares: 0,
            rate_index_wad: WAD,
            stability_fee_bps,
            last_accrual_ts: now,
            pending_fees: 0,
            debt_ceiling,
            min_debt,
        }
    }

    /// Notes owed for `shares`, rounded up.
    #[track_caller]
    pub fn debt_of(&self, shares: u128) -> CoreResult<u128> {
        mul_div(shares, self.rate_index_wad, WAD, Rounding::Up)
    }

    /// Notes owed by all positions, rounded up.
    pub fn total_debt(&self) -> CoreResult<u128> {
        self.debt_of(self.total_shares)
    }

    /// Grows the index for the seconds since the last accrual and books the growth of
    /// total debt as pending fees. Returns the fees booked. A clock that has not moved
    /// (or moved back) accrues nothing.
    pub fn accrue(&mut self, now: i64) -> CoreResult<u64> {
        if now <= self.last_accrual_ts {
            return Ok(0);
        }
        let elapsed = (now - self.last_accrual_ts) as u64;
        let debt_before = self.total_debt()?;
        // Compounded per second (rounded up: the pool is owed at least this), so the
        // fees do not depend on how often anyone accrues.
        let factor = compound_wad(self.stability_fee_bps, elapsed, Rounding::Up)?;
        self.rate_index_wad = mul_div(self.rate_index_wad, factor, WAD, Rounding::Up)?;
        self.last_accrual_ts = now;
        let fees = to_u64(self.total_debt()?.safe_sub(debt_before)?)?;
        self.pending_fees = self.pending_fees.safe_add(fees)?;
        Ok(fees)
    }

    /// Issues debt of `amount` notes to a position holding `position_shares`, refusing
    /// zero, a debt below the dust floor, the pool's ceiling, and a position debt above
    /// `borrow_limit` (its collateral valued at the conservative price times ltv).
    pub fn mint(&mut self, position_shares: u128, amount: u64, borrow_limit: u128) -> CoreResult<MintOutcome> {
        if amount == 0 {
            return Err(CoreError::ZeroAmount);
        }
        let shares_issued = mul_div(u128::from(amount), WAD, self.rate_index_wad, Rounding::Up)?;
        let position_shares = position_shares.safe_add(shares_issued)?;
        let position_debt = self.debt_of(position_shares)?;
        if position_debt < u128::from(self.min_debt) {
            return Err(CoreError::DebtBelowMinimum);
        }
        let total_shares = self.total_shares.safe_add(shares_issued)?;
        if self.debt_of(total_shares)? > u128::from(self.debt_ceiling) {
            return Err(CoreError::DebtCeilingExceeded);
        }
        if position_debt > borrow_limit {
            return Err(CoreError::InsufficientCollateralValue);
        }
        self.total_shares = total_shares;
        Ok(MintOutcome { shares_issued, position_shares, position_debt })
    }

    /// Repays up to `amount` notes of a position's debt. An amount at or above the
    /// debt repays all of it (so `u64::MAX` means "everything"); a partial repayment
    /// may not leave the debt between 0 and `min_debt`.
    pub fn repay(&mut self, position_shares: u128, amount: u64) -> CoreResult<RepayOutcome> {
        let mut next = *self;
        let outcome = next.burn(position_shares, amount)?;
        if outcome.position_debt > 0 && outcome.position_debt < u128::from(self.min_debt) {
            return Err(CoreError::DebtBelowMinimum);
        }
        *self = next;
        Ok(outcome)
    }

    /// Burns the shares `amount` notes pay off (all of them when `amount` covers the
    /// debt; otherwise rounded down), without the dust rule: liquidation sizing
    /// applies its own.
    pub fn burn(&mut self, position_shares: u128, amount: u64) -> CoreResult<RepayOutcome> {
        if amount == 0 {
            return Err(CoreError::ZeroAmount);
        }
        let debt = self.debt_of(position_shares)?;
        if debt == 0 {
            return Err(CoreError::NoDebt);
        }
        let (repaid, shares_burned) = if u128::from(amount) >= debt {
            (to_u64(debt)?, position_shares)
        } else {
            let burned = mul_div(u128::from(amount), WAD, self.rate_index_wad, Rounding::Down)?;
            (amount, burned)
        };
        if shares_burned == 0 {
            return Err(CoreError::ZeroAmount);
        }
        let position_shares = position_shares.safe_sub(shares_burned)?;
        let position_debt = self.debt_of(position_shares)?;
        self.total_shares = self.total_shares.safe_sub(shares_burned)?;
        Ok(RepayOutcome { repaid, shares_burned, position_shares, position_debt })
    }

    /// Settles an insolvent position: `repaid` notes are burned, all of its shares
    /// are cancelled, and the rest of its debt is returned as the loss to book.
    pub fn settle(&mut self, position_shares: u128, repaid: u64) -> CoreResult<Settlement> {
        let debt = self.debt_of(position_shares)?;
        let bad_debt = to_u64(debt.safe_sub(u128::from(repaid))?)?;
        self.total_shares = self.total_shares.safe_sub(position_shares)?;
        Ok(Settlement { repaid, shares_burned: position_shares, bad_debt })
    }
}

/// An insolvent position's settlement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct Settlement {
    pub repaid: u64,
    pub shares_burned: u128,
    /// Debt no collateral covers, native note units.
    pub bad_debt: u64,
}

#[cfg(test)]
mod tests;
