//! Oracle prices: normalising Pyth's `(mantissa, expo)` into WAD note units, and the
//! action-specific prices the protocol values collateral at.
//!
//! A cached price is the value of **one native unit** of collateral in **native note
//! units**, times [`WAD`]. With `d_c` the collateral's decimals and [`NOTE_DECIMALS`]
//! the note's, a Pyth price `m × 10^e` (quote units per whole token) becomes
//! `m × 10^(e + 18 + NOTE_DECIMALS − d_c)`, for any sign of `e`.

use crate::error::{CoreError, CoreResult};
use crate::math::{div_round, mul_div, pow10, Rounding, SafeMath, BPS, WAD};

/// Decimals of the pool's note mint: 1 note = 1 unit of the oracle's quote currency.
pub const NOTE_DECIMALS: u8 = 6;

/// The largest power of ten a `u128` holds; beyond it a scaled value is 0 or overflows.
const MAX_POW10: i64 = 38;

/// One reading of a Pyth feed, either kind, before normalisation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct OracleSample {
    pub price: i64,
    pub conf: u64,
    pub expo: i32,
    pub ema_price: i64,
    pub ema_conf: u64,
    /// Unix seconds.
    pub publish_time: i64,
}

/// What the pool caches per collateral after a refresh.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct CachedPrice {
    /// Spot price, rounded down.
    pub price_wad: u128,
    /// EMA price, rounded down.
    pub ema_price_wad: u128,
    /// Spot confidence interval, rounded up.
    pub conf_wad: u128,
    /// Unix seconds of the oracle update; 0 when never refreshed.
    pub publish_time: i64,
}

/// Per-collateral limits on what a cached price may be used for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct PriceLimits {
    pub max_age_secs: u32,
    pub max_conf_bps: u16,
    pub max_ema_deviation_bps: u16,
}

/// Scales a non-negative Pyth mantissa into WAD note units per native collateral unit.
#[track_caller]
pub fn normalise(mantissa: u64, expo: i32, token_decimals: u8, rounding: Rounding) -> CoreResult<u128> {
    let shift = i64::from(expo) + 18 + i64::from(NOTE_DECIMALS) - i64::from(token_decimals);
    let mantissa = u128::from(mantissa);
    if shift >= 0 {
        if shift > MAX_POW10 {
            return Err(CoreError::PriceOutOfRange);
        }
        let scale = pow10(shift as u32)?;
        return mantissa.checked_mul(scale).ok_or(CoreError::PriceOutOfRange);
    }
    let down_shift = -shift;
    if down_shift > MAX_POW10 {
        // 10^39 exceeds every u64 mantissa: the quotient is below one.
        return Ok(match rounding {
            Rounding::Up if mantissa > 0 => 1,
            _ => 0,
        });
    }
    div_round(mantissa, pow10(down_shift as u32)?, rounding)
}

impl CachedPrice {
    /// Validates a sample and normalises it. Spot and EMA round down, confidence up.
    pub fn from_sample(sample: &OracleSample, token_decimals: u8) -> CoreResult<Self> {
        if sample.price <= 0 || sample.ema_price <= 0 {
            return Err(CoreError::NonPositivePrice);
        }
        let price_wad = normalise(sample.price as u64, sample.expo, token_decimals, Rounding::Down)?;
        let ema_price_wad = normalise(sample.ema_price as u64, sample.expo, token_decimals, Rounding::Down)?;
        if price_wad == 0 || ema_price_wad == 0 {
            return Err(CoreError::PriceOutOfRange);
        }
        let conf_wad = normalise(sample.conf, sample.expo, token_decimals, Rounding::Up)?;
        Ok(Self { price_wad, ema_price_wad, conf_wad, publish_time: sample.publish_time })
    }

    /// Whether the price is no older than `max_age_secs` at `now`. A cache never
    /// refreshed (`publish_time == 0`) is never fresh.
    pub fn is_fresh(&self, max_age_secs: u32, now: i64) -> bool {
        self.publish_time > 0 && now.saturating_sub(self.publish_time) <= i64::from(max_age_secs)
    }

    /// The liquidation price: spot, requiring freshness only. Wide confidence or a
    /// deviating EMA never block a liquidation that fresh data supports.
    pub fn spot(&self, limits: &PriceLimits, now: i64) -> CoreResult<u128> {
        if !self.is_fresh(limits.max_age_secs, now) {
            return Err(CoreError::StalePrice);
        }
        Ok(self.price_wad)
    }

    /// The bottom of the price band, `min(spot, EMA) − confidence`, fresh prices only:
    /// what a junior tranche's collateral is handed to a senior at (the senior gets
    /// more units, never fewer). Unlike [`Self::conservative`] it never refuses a wide
    /// confidence or a deviating EMA: a loss booking must not wait for calm markets.
    pub fn senior_favouring(&self, limits: &PriceLimits, now: i64) -> CoreResult<u128> {
        let spot = self.spot(limits, now)?;
        Ok(spot.min(self.ema_price_wad).saturating_sub(self.conf_wad))
    }

    /// The top of the price band, `max(spot, EMA) + confidence`: what an entrant into
    /// a tranche pays for the tranche's held collateral. Fresh prices only.
    pub fn entry(&self, limits: &PriceLimits, now: i64) -> CoreResult<u128> {
        let spot = self.spot(limits, now)?;
        spot.max(self.ema_price_wad).safe_add(self.conf_wad)
    }

    /// The price for minting and withdrawing: `min(spot, ema) − conf`, refused when
    /// stale, when `conf / spot > max_conf_bps`, or when spot and EMA differ by more
    /// than `max_ema_deviation_bps` of the EMA.
    pub fn conservative(&self, limits: &PriceLimits, now: i64) -> CoreResult<u128> {
        let spot = self.spot(limits, now)?;
        // conf / spot > max_conf_bps / BPS, compared without division.
        let conf_scaled = self.conf_wad.safe_mul(BPS)?;
        let conf_limit = spot.safe_mul(u128::from(limits.max_conf_bps))?;
        if conf_scaled > conf_limit {
            return Err(CoreError::ConfidenceTooWide);
        }
        let deviation = spot.abs_diff(self.ema_price_wad);
        let deviation_scaled = deviation.safe_mul(BPS)?;
        let deviation_limit = self.ema_price_wad.safe_mul(u128::from(limits.max_ema_deviation_bps))?;
        if deviation_scaled > deviation_limit {
            return Err(CoreError::EmaDeviationTooLarge);
        }
        Ok(spot.min(self.ema_price_wad).saturating_sub(self.conf_wad))
    }
}

/// Value in native note units of `amount` native collateral units at `price_wad`,
/// rounded down (collateral value never favours the user).
#[track_caller]
pub fn collateral_value(amount: u64, price_wad: u128) -> CoreResult<u128> {
    mul_div(u128::from(amount), price_wad, WAD, Rounding::Down)
}

/// Native collateral units worth `value` native note units at `price_wad`, rounded
/// as asked (payouts round down).
#[track_caller]
pub fn collateral_for_value(value: u128, price_wad: u128, rounding: Rounding) -> CoreResult<u128> {
    if price_wad == 0 {
        return Err(CoreError::PriceOutOfRange);
    }
    mul_div(value, WAD, price_wad, rounding)
}

/// `amount × bps / BPS`, rounded as asked.
#[track_caller]
pub fn apply_bps(amount: u128, bps: u16, rounding: Rounding) -> CoreResult<u128> {
    mul_div(amount, u128::from(bps), BPS, rounding)
}

/// Checks that a sample is not older than what is cached, so nobody can pick an older
/// update inside the staleness window. Equal times are accepted (idempotent refresh).
pub fn is_not_older(sample_publish_time: i64, cached_publish_time: i64) -> bool {
    sample_publish_time >= cached_publish_time
}

#[cfg(test)]
mod tests;
