//! Fixtures shared by the core's unit and property tests.

use crate::debt::DebtState;
use crate::health::CollateralView;
use crate::price::{CachedPrice, PriceLimits};

/// A slot of `amount` units at `price_wad`, fresh at `now`, threshold `t` (ltv 10
/// points below), bonus 2% to 10%.
pub fn slot(amount: u64, price_wad: u128, t: u16, now: i64) -> CollateralView {
    CollateralView {
        amount,
        price: CachedPrice { price_wad, ema_price_wad: price_wad, conf_wad: 0, publish_time: now },
        limits: PriceLimits { max_age_secs: 60, max_conf_bps: 100, max_ema_deviation_bps: 500 },
        ltv_bps: t - 1_000,
        liquidation_threshold_bps: t,
        liquidation_bonus_min_bps: 200,
        liquidation_bonus_max_bps: 1_000,
    }
}

/// A pool at index 1.0 whose one position owes `owed` notes.
pub fn owing(owed: u64) -> (DebtState, u128) {
    let mut debt = DebtState::new(0, u64::MAX, 0, 0);
    let shares = debt.mint(0, owed, u128::MAX).unwrap().position_shares;
    (debt, shares)
}
