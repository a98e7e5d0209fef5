extern crate std;

use super::*;
use crate::error::CoreError;
use crate::price::{CachedPrice, PriceLimits};
use proptest::prelude::*;

const NOW: i64 = 1_000;

fn slot(amount: u64, price_wad: u128, ltv_bps: u16, threshold_bps: u16) -> CollateralView {
    CollateralView {
        amount,
        price: CachedPrice { price_wad, ema_price_wad: price_wad, conf_wad: 0, publish_time: NOW },
        limits: PriceLimits { max_age_secs: 60, max_conf_bps: 100, max_ema_deviation_bps: 500 },
        ltv_bps,
        liquidation_threshold_bps: threshold_bps,
        liquidation_bonus_min_bps: 200,
        liquidation_bonus_max_bps: 1_000,
    }
}

#[test]
fn two_assets_weighted_by_basis() {
    // 1_000 units at 2.0 and 500 units at 1.0.
    let slots = [slot(1_000, 2 * WAD, 5_000, 8_000), slot(500, WAD, 7_000, 9_000)];
    let conservative = Health::compute(&slots, 1_000, PriceBasis::Conservative, NOW).unwrap();
    assert_eq!(conservative.weighted_collateral, 1_000 + 350);
    let spot = Health::compute(&slots, 1_000, PriceBasis::Spot, NOW).unwrap();
    assert_eq!(spot.weighted_collateral, 1_600 + 450);
    assert_eq!(spot.ratio_wad().unwrap(), 2_050_000_000_000_000_000);
    assert!(spot.is_healthy());
}

#[test]
fn a_stale_feed_of_an_asset_not_held_does_not_matter() {
    let mut stale = slot(0, WAD, 5_000, 8_000);
    stale.price.publish_time = 0;
    let slots = [stale, slot(100, WAD, 5_000, 8_000)];
    assert!(Health::compute(&slots, 10, PriceBasis::Conservative, NOW).is_ok());
    let mut held_stale = slots;
    held_stale[0].amount = 1;
    assert_eq!(Health::compute(&held_stale, 10, PriceBasis::Spot, NOW), Err(CoreError::StalePrice));
}

#[test]
fn exactly_one_is_healthy_and_one_unit_of_debt_more_is_not() {
    let slots = [slot(1_000, WAD, 5_000, 8_000)];
    assert!(Health::compute(&slots, 800, PriceBasis::Spot, NOW).unwrap().is_healthy());
    assert!(!Health::compute(&slots, 801, PriceBasis::Spot, NOW).unwrap().is_healthy());
    assert_eq!(Health::default().ratio_wad().unwrap(), u128::MAX);
}

#[test]
fn insolvent_exactly_when_unweighted_spot_value_is_below_the_debt() {
    let slots = [slot(600, WAD, 5_000, 8_000), slot(400, WAD, 5_000, 8_000)];
    assert_eq!(is_insolvent(&slots, 1_000, NOW), Ok(false));
    assert_eq!(is_insolvent(&slots, 1_001, NOW), Ok(true));
    assert_eq!(is_insolvent(&slots, 1_000, NOW + 61), Err(CoreError::StalePrice));
}

proptest! {
    /// The conservative basis is never more generous than the spot basis when ltv is
    /// below the threshold: a position that can mint is never liquidatable.
    #[test]
    fn conservative_never_exceeds_spot(
        amounts in proptest::array::uniform4(0u64..u64::MAX / 4),
        prices in proptest::array::uniform4(1u128..1_000 * WAD),
        confs in proptest::array::uniform4(0u128..WAD),
        ltv in 1u16..9_000,
        extra in 1u16..900,
    ) {
        let mut slots = [CollateralView::default(); 4];
        for i in 0..4 {
            slots[i] = slot(amounts[i], prices[i], ltv, ltv + extra);
            slots[i].price.conf_wad = confs[i];
            slots[i].limits.max_conf_bps = 10_000;
        }
        let c = Health::compute(&slots, 1, PriceBasis::Conservative, NOW);
        let s = Health::compute(&slots, 1, PriceBasis::Spot, NOW).unwrap();
        if let Ok(c) = c {
            prop_assert!(c.weighted_collateral <= s.weighted_collateral);
        }
    }

    /// Weighted value rounds down: never more than the exact product.
    #[test]
    fn weighted_value_rounds_down(amount in any::<u64>(), price in 1u128..1_000_000 * WAD, w in 0u16..=10_000) {
        let v = slot(amount, price, w, w).weighted_value(PriceBasis::Spot, NOW).unwrap();
        let value = crate::math::mul_div(u128::from(amount), price, WAD, crate::math::Rounding::Down).unwrap();
        prop_assert_eq!(v, value * u128::from(w) / 10_000);
    }
}
