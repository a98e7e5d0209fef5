//! Checked arithmetic: the only place where numbers are multiplied and divided.
//!
//! `mul_div` keeps a 256-bit intermediate so `a * b / d` never overflows before the
//! division, and takes an explicit [`Rounding`] so every call site states which way it
//! rounds. `SafeMath` wraps the checked primitives and reports the caller's line.

use crate::error::{CoreError, CoreResult};

/// 1.0 in WAD fixed point (prices, indexes).
pub const WAD: u128 = 1_000_000_000_000_000_000;
/// 1.0 in basis points.
pub const BPS: u128 = 10_000;
/// Seconds in the 365-day year the stability fee's APR is quoted over.
pub const SECONDS_PER_YEAR: u128 = 31_536_000;

mod wide {
    // The lint fires inside `uint`'s macro expansion, not in code written here.
    #![allow(clippy::manual_div_ceil)]
    uint::construct_uint! {
        /// 256-bit unsigned integer for intermediates only; never stored.
        pub(crate) struct U256(4);
    }
}
use wide::U256;

/// Which way a division rounds. The protocol's side decides: see the crate docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Rounding {
    /// Towards zero (floor): collateral value, shares issued, payouts.
    Down,
    /// Away from zero (ceil): debt, shares burned, fees owed.
    Up,
}

/// `a * b / d`, rounded as asked, with a 256-bit intermediate.
///
/// Fails on `d == 0` or when the quotient does not fit in `u128`.
#[track_caller]
pub fn mul_div(a: u128, b: u128, d: u128, rounding: Rounding) -> CoreResult<u128> {
    if d == 0 {
        return Err(CoreError::math());
    }
    // Fast path: the product fits in 128 bits (the common case on-chain).
    if let Some(product) = a.checked_mul(b) {
        let quotient = product / d;
        let round_up = rounding == Rounding::Up && product % d != 0;
        return if round_up { checked(quotient.checked_add(1)) } else { Ok(quotient) };
    }
    let product = U256::from(a) * U256::from(b);
    let (quotient, remainder) = product.div_mod(U256::from(d));
    let quotient = if rounding == Rounding::Up && !remainder.is_zero() { quotient + U256::one() } else { quotient };
    checked(u128::try_from(quotient).ok())
}

/// `Some(v)` → `Ok(v)`, `None` → a math error located at the caller. A plain function
/// (not a closure or fn pointer) so `#[track_caller]` carries the location through.
#[track_caller]
#[inline]
pub fn checked<T>(value: Option<T>) -> CoreResult<T> {
    match value {
        Some(v) => Ok(v),
        None => Err(CoreError::math()),
    }
}

/// Compares `a × b` with `c × d` exactly (256-bit products).
pub fn cmp_products(a: u128, b: u128, c: u128, d: u128) -> core::cmp::Ordering {
    (U256::from(a) * U256::from(b)).cmp(&(U256::from(c) * U256::from(d)))
}

/// `a / d` rounded as asked.
#[track_caller]
pub fn div_round(a: u128, d: u128, rounding: Rounding) -> CoreResult<u128> {
    mul_div(a, 1, d, rounding)
}

/// Checked arithmetic that names the caller's line on failure.
pub trait SafeMath: Sized + Copy {
    fn safe_add(self, rhs: Self) -> CoreResult<Self>;
    fn safe_sub(self, rhs: Self) -> CoreResult<Self>;
    fn safe_mul(self, rhs: Self) -> CoreResult<Self>;
    fn safe_div(self, rhs: Self) -> CoreResult<Self>;
}

macro_rules! impl_safe_math {
    ($($t:ty),*) => {$(
        impl SafeMath for $t {
            #[track_caller]
            #[inline]
            fn safe_add(self, rhs: Self) -> CoreResult<Self> {
                checked(self.checked_add(rhs))
            }
            #[track_caller]
            #[inline]
            fn safe_sub(self, rhs: Self) -> CoreResult<Self> {
                checked(self.checked_sub(rhs))
            }
            #[track_caller]
            #[inline]
            fn safe_mul(self, rhs: Self) -> CoreResult<Self> {
                checked(self.checked_mul(rhs))
            }
            #[track_caller]
            #[inline]
            fn safe_div(self, rhs: Self) -> CoreResult<Self> {
                checked(self.checked_div(rhs))
            }
        }
    )*};
}
impl_safe_math!(u8, u16, u32, u64, u128, i64, i128);

/// Narrows a `u128` to `u64`, failing instead of truncating.
/// `(1 + rate_bps / (BPS × SECONDS_PER_YEAR))^elapsed` in WAD: an annual rate
/// compounded every second over `elapsed` seconds, by squaring (at most 64 rounds, one
/// per bit of `elapsed`), every product rounded `rounding`. Compounding per second
/// makes accrual independent of how often it runs: accruing over `a` then `b`
/// seconds gives the factor of `a + b` up to rounding (as Maker's `rpow`).
#[track_caller]
pub fn compound_wad(rate_bps: u16, elapsed: u64, rounding: Rounding) -> CoreResult<u128> {
    let per_second = mul_div(u128::from(rate_bps), WAD, BPS.safe_mul(SECONDS_PER_YEAR)?, rounding)?;
    let mut base = WAD.safe_add(per_second)?;
    let mut factor = WAD;
    let mut remaining = elapsed;
    while remaining > 0 {
        if remaining & 1 == 1 {
            factor = mul_div(factor, base, WAD, rounding)?;
        }
        remaining >>= 1;
        if remaining > 0 {
            base = mul_div(base, base, WAD, rounding)?;
        }
    }
    Ok(factor)
}

#[track_caller]
pub fn to_u64(value: u128) -> CoreResult<u64> {
    checked(u64::try_from(value).ok())
}

/// `10^exp` for `exp <= 38` (the largest power of ten in `u128`).
#[track_caller]
pub fn pow10(exp: u32) -> CoreResult<u128> {
    checked(10u128.checked_pow(exp))
}

#[cfg(test)]
mod tests;
