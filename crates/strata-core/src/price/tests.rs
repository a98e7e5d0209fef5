extern crate std;

use super::*;
use crate::math::mul_div;
use proptest::prelude::*;

fn sample(price: i64, conf: u64, expo: i32, ema_price: i64) -> OracleSample {
    OracleSample { price, conf, expo, ema_price, ema_conf: conf, publish_time: 1_700_000_000 }
}

const LIMITS: PriceLimits = PriceLimits { max_age_secs: 60, max_conf_bps: 200, max_ema_deviation_bps: 500 };

#[test]
fn usdc_like_asset_at_one_dollar_is_one_note_unit_per_unit() {
    // $1.00 as 100_000_000 × 10^-8; 6-decimal token, 6-decimal notes: 1 native unit
    // of collateral is worth exactly 1 native note unit.
    let p = CachedPrice::from_sample(&sample(100_000_000, 0, -8, 100_000_000), 6).unwrap();
    assert_eq!(p.price_wad, WAD);
}

#[test]
fn sol_like_asset_scales_by_its_decimals() {
    // $150.25 as 15_025 × 10^-2; 9-decimal token: one lamport is 150.25e-9 dollars,
    // i.e. 150.25e-3 native note units → 0.15025 WAD.
    let p = CachedPrice::from_sample(&sample(15_025, 0, -2, 15_025), 9).unwrap();
    assert_eq!(p.price_wad, 150_250_000_000_000_000);
}

#[test]
fn positive_exponents_scale_up() {
    // 3 × 10^2 = $300 per whole 0-decimal token → 300e6 native notes per unit.
    let p = CachedPrice::from_sample(&sample(3, 0, 2, 3), 0).unwrap();
    assert_eq!(p.price_wad, 300_000_000 * WAD);
}

#[test]
fn spot_rounds_down_and_confidence_rounds_up() {
    // 1 × 10^-30 of a dollar per 0-decimal token: 1e-24 note units, 1e-6 WAD.
    let p = CachedPrice::from_sample(&sample(1_234_567, 1_234_567, -30, 1_234_567), 0).unwrap();
    assert_eq!(p.price_wad, 1); // 1.234567 rounded down
    assert_eq!(p.conf_wad, 2); // rounded up
}

#[test]
fn non_positive_prices_are_refused() {
    for price in [0, -1, i64::MIN] {
        assert_eq!(CachedPrice::from_sample(&sample(price, 0, -8, 100), 6), Err(CoreError::NonPositivePrice));
        assert_eq!(CachedPrice::from_sample(&sample(100, 0, -8, price), 6), Err(CoreError::NonPositivePrice));
    }
}

#[test]
fn unrepresentable_prices_are_refused() {
    // Rounds to zero.
    assert_eq!(CachedPrice::from_sample(&sample(5, 0, -60, 5), 9), Err(CoreError::PriceOutOfRange));
    // Overflows u128.
    assert_eq!(CachedPrice::from_sample(&sample(i64::MAX, 0, 30, i64::MAX), 0), Err(CoreError::PriceOutOfRange));
}

#[test]
fn freshness_is_inclusive_and_never_for_an_empty_cache() {
    let p = CachedPrice::from_sample(&sample(100, 0, 0, 100), 6).unwrap();
    let t = p.publish_time;
    assert!(p.is_fresh(60, t + 60));
    assert!(!p.is_fresh(60, t + 61));
    assert!(p.is_fresh(60, t - 5), "a publisher clock slightly ahead is fresh");
    assert!(!CachedPrice::default().is_fresh(u32::MAX, 0));
    assert_eq!(p.spot(&LIMITS, t + 61), Err(CoreError::StalePrice));
    assert_eq!(p.conservative(&LIMITS, t + 61), Err(CoreError::StalePrice));
}

#[test]
fn conservative_price_is_min_of_spot_and_ema_minus_confidence() {
    let mut s = sample(100_000, 1_000, -3, 98_000);
    s.publish_time = 10;
    let p = CachedPrice::from_sample(&s, 6).unwrap();
    // min(100, 98) − 1 = $97 per whole token = 97 note units per... per native unit
    // of a 6-decimal token: 97 × WAD.
    assert_eq!(p.conservative(&LIMITS, 10).unwrap(), 97 * WAD);
    assert_eq!(p.spot(&LIMITS, 10).unwrap(), 100 * WAD);
}

#[test]
fn wide_confidence_blocks_conservative_but_not_spot() {
    // conf = 2.01% > 2%.
    let p = CachedPrice::from_sample(&sample(10_000, 201, 0, 10_000), 6).unwrap();
    let now = p.publish_time;
    assert_eq!(p.conservative(&LIMITS, now), Err(CoreError::ConfidenceTooWide));
    assert!(p.spot(&LIMITS, now).is_ok());
    // Exactly 2% passes.
    let p = CachedPrice::from_sample(&sample(10_000, 200, 0, 10_000), 6).unwrap();
    assert!(p.conservative(&LIMITS, now).is_ok());
}

#[test]
fn ema_deviation_blocks_conservative_but_not_spot() {
    // |105.01 − 100| / 100 = 5.01% > 5%.
    let p = CachedPrice::from_sample(&sample(10_501, 0, -2, 10_000), 6).unwrap();
    let now = p.publish_time;
    assert_eq!(p.conservative(&LIMITS, now), Err(CoreError::EmaDeviationTooLarge));
    assert!(p.spot(&LIMITS, now).is_ok());
    let p = CachedPrice::from_sample(&sample(10_500, 0, -2, 10_000), 6).unwrap();
    assert!(p.conservative(&LIMITS, now).is_ok());
}

#[test]
fn older_samples_never_replace_newer_ones() {
    assert!(is_not_older(10, 10));
    assert!(is_not_older(11, 10));
    assert!(!is_not_older(9, 10));
}

proptest! {
    /// Normalisation is exact scaling by a power of ten: check it against an
    /// independent computation, for any exponent sign and any decimals.
    #[test]
    fn normalise_matches_power_of_ten_scaling(
        mantissa in 1u64..,
        expo in -30i32..=12,
        decimals in 0u8..=18,
    ) {
        let shift = i64::from(expo) + 24 - i64::from(decimals);
        let down = normalise(mantissa, expo, decimals, Rounding::Down);
        let up = normalise(mantissa, expo, decimals, Rounding::Up);
        if shift >= 0 {
            let expected = u128::from(mantissa).checked_mul(10u128.pow(shift as u32));
            prop_assert_eq!(down.ok(), expected);
            prop_assert_eq!(up.ok(), expected);
        } else {
            let up = up.unwrap();
            let d = 10u128.pow((-shift) as u32);
            let down = down.unwrap();
            prop_assert_eq!(down, u128::from(mantissa) / d);
            prop_assert_eq!(up, u128::from(mantissa).div_ceil(d));
        }
    }

    /// The conservative price never exceeds spot or EMA: it never favours the user.
    #[test]
    fn conservative_never_exceeds_spot_or_ema(
        price in 1i64..1_000_000_000_000,
        ema in 1i64..1_000_000_000_000,
        conf in 0u64..1_000_000_000_000,
        expo in -12i32..=0,
        decimals in 0u8..=12,
    ) {
        let limits = PriceLimits { max_age_secs: 60, max_conf_bps: 10_000, max_ema_deviation_bps: u16::MAX };
        if let Ok(p) = CachedPrice::from_sample(&sample(price, conf, expo, ema), decimals) {
            if let Ok(c) = p.conservative(&limits, p.publish_time) {
                prop_assert!(c <= p.price_wad && c <= p.ema_price_wad);
                prop_assert!(c <= p.price_wad.saturating_sub(p.conf_wad).max(c));
            }
        }
    }

    /// Valuing collateral and converting back never returns more than was valued.
    #[test]
    fn value_round_trip_never_gains(amount in any::<u64>(), price in 1u128..(WAD * 1_000_000)) {
        let value = collateral_value(amount, price).unwrap();
        let back = collateral_for_value(value, price, Rounding::Down).unwrap();
        prop_assert!(back <= u128::from(amount));
        prop_assert!(value <= mul_div(u128::from(amount), price, WAD, Rounding::Up).unwrap());
    }
}
