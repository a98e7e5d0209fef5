extern crate std;

use super::*;
use crate::math::WAD;
use crate::test_support::slot;
use proptest::prelude::*;

const NOW: i64 = 1_000;

/// A senior (20% minimum subordination) and a junior holding `held` SOL-like units
/// (price 0.1 note unit each, conf 1%, EMA 2% above spot).
fn pool(senior: u64, junior: u64, held: u64) -> ([TrancheState; 2], [CollateralView; 1]) {
    let mut s = TrancheState {
        assets: senior,
        total_shares: senior * 1_000,
        min_subordination_bps: 2_000,
        ..Default::default()
    };
    s.last_settled_ts = NOW;
    let mut j = TrancheState { assets: junior, total_shares: junior * 1_000 + held * 100, ..Default::default() };
    j.collateral_held[0] = held;
    let mut view = slot(0, WAD / 10, 8_000, NOW);
    view.price.ema_price_wad = WAD / 10 * 102 / 100;
    view.price.conf_wad = WAD / 1_000;
    ([s, j], [view])
}

#[test]
fn entrants_buy_held_collateral_at_the_top_of_its_band() {
    let ([_, junior], views) = pool(800, 200, 1_000);
    // Spot values the 1,000 units at 100; the entry price is max(0.1, 0.102) + 0.001.
    assert_eq!(junior.nav(&views, NOW).unwrap(), 300);
    assert_eq!(junior.entry_nav(&views, NOW).unwrap(), 303);
    let mut stale = views;
    stale[0].price.publish_time = NOW - 61;
    assert_eq!(junior.entry_nav(&stale, NOW), Err(CoreError::StalePrice));
}

#[test]
fn a_deposit_gets_fewer_shares_than_spot_would_give() {
    let (mut tranches, views) = pool(800, 200, 1_000);
    let at_spot = tranches[1].shares_for_deposit(tranches[1].nav(&views, NOW).unwrap(), 1_000).unwrap();
    let shares = deposit(&mut tranches, 1, 1_000, &views, NOW).unwrap();
    assert!(shares < at_spot, "{shares} vs {at_spot} at spot");
    assert_eq!(tranches[1].assets, 1_200);
}

#[test]
fn a_deposit_into_the_senior_must_keep_its_own_subordination() {
    let (mut tranches, views) = pool(800, 200, 0);
    let before = tranches;
    assert_eq!(deposit(&mut tranches, 0, 1, &views, NOW), Err(CoreError::SubordinationBreached));
    let _ = before;
}

#[test]
fn the_queue_escrows_cancels_and_claims_after_the_delay() {
    let (mut tranches, views) = pool(800, 400, 1_000);
    let shares = tranches[1].total_shares / 10;
    request(&mut tranches[1], shares).unwrap();
    assert_eq!(tranches[1].escrowed_shares, shares);
    let total = tranches[1].total_shares;
    assert_eq!(request(&mut tranches[1], total), Err(CoreError::InsufficientShares));
    assert_eq!(request(&mut tranches[1], 0), Err(CoreError::ZeroAmount));
    assert_eq!(claimable(NOW, 600, NOW + 599), Err(CoreError::RedemptionNotReady));
    claimable(NOW, 600, NOW + 600).unwrap();
    let out = claim(&mut tranches, 1, shares, &views, NOW).unwrap();
    assert_eq!(tranches[1].escrowed_shares, 0);
    assert!(out.notes <= 40 && out.collateral[0] <= 100, "{out:?}");
    request(&mut tranches[1], shares).unwrap();
    cancel(&mut tranches[1], shares).unwrap();
    assert_eq!(cancel(&mut tranches[1], 1), Err(CoreError::InsufficientShares));
}

#[test]
fn a_claim_that_would_uncover_the_senior_is_refused_and_can_wait() {
    let (mut tranches, views) = pool(800, 200, 0);
    let all = tranches[1].total_shares;
    request(&mut tranches[1], all).unwrap();
    let before = tranches;
    assert_eq!(claim(&mut tranches, 1, all, &views, NOW), Err(CoreError::SubordinationBreached));
    // The caller discards the state on refusal (the program's transaction reverts).
    tranches = before;
    assert_eq!(tranches[1].escrowed_shares, all);
}

#[test]
fn a_claim_pays_what_the_shares_hold_after_a_loss_booked_meanwhile() {
    let (mut tranches, views) = pool(400, 800, 0);
    let half = tranches[1].total_shares / 2;
    request(&mut tranches[1], half).unwrap();
    // A loss of 200 is booked before the claim.
    let loss = crate::tranche::split_loss(&tranches, 200);
    crate::tranche::apply_loss(&mut tranches, &loss).unwrap();
    let out = claim(&mut tranches, 1, half, &views, NOW).unwrap();
    assert!(out.notes <= 300, "half of what is left: {}", out.notes);
    assert!(out.notes >= 299, "{}", out.notes);
}

#[test]
fn a_recovery_sale_sells_held_collateral_at_the_discount_and_no_more() {
    let (tranches, views) = pool(800, 0, 1_000);
    // Spot 0.1 per unit, 2% off: 0.098. 50 notes buy 510 units for 49.98 → 50.
    let sale = plan_recovery_sale(&tranches[1], 0, &views[0], 200, 50, NOW).unwrap();
    assert_eq!((sale.collateral_out, sale.notes_in, sale.price_wad), (510, 50, WAD / 10 * 98 / 100));
    // More notes than the tranche holds collateral for: all of it, for its price.
    let all = plan_recovery_sale(&tranches[1], 0, &views[0], 200, 1_000_000, NOW).unwrap();
    assert_eq!((all.collateral_out, all.notes_in), (1_000, 98));
    let mut t = tranches[1];
    apply_recovery_sale(&mut t, 0, &all).unwrap();
    assert_eq!((t.assets, t.collateral_held[0]), (98, 0));
    assert_eq!(plan_recovery_sale(&t, 0, &views[0], 200, 10, NOW), Err(CoreError::NoCollateralToSeize));
    assert_eq!(plan_recovery_sale(&tranches[1], 0, &views[0], 200, 0, NOW), Err(CoreError::ZeroAmount));
    let mut stale = views[0];
    stale.price.publish_time = NOW - 61;
    assert_eq!(plan_recovery_sale(&tranches[1], 0, &stale, 200, 50, NOW), Err(CoreError::StalePrice));
}

proptest! {
    /// A recovery sale moves the tranche's NAV at spot by at most the discount on what
    /// it sold (and never below it by more than rounding), and the buyer pays at least
    /// the discounted price.
    #[test]
    fn a_recovery_sale_costs_the_tranche_at_most_its_discount(
        held in 1u64..1_000_000_000_000, offered in 1u64..1_000_000_000_000, discount in 0u16..2_500,
        price in 1u128..(WAD * 1_000),
    ) {
        let mut tranche = TrancheState::default();
        tranche.collateral_held[0] = held;
        let view = CollateralView { price: crate::price::CachedPrice { price_wad: price, ema_price_wad: price, conf_wad: 0, publish_time: NOW }, ..slot(0, price, 8_000, NOW) };
        let Ok(sale) = plan_recovery_sale(&tranche, 0, &view, discount, offered, NOW) else { return Ok(()); };
        prop_assert!(sale.notes_in <= offered && sale.collateral_out <= held);
        let before = tranche.nav(&[view], NOW).unwrap();
        let mut after_state = tranche;
        apply_recovery_sale(&mut after_state, 0, &sale).unwrap();
        let after = after_state.nav(&[view], NOW).unwrap();
        let sold_value = u128::from(sale.collateral_out) * price / WAD;
        let allowance = sold_value * u128::from(discount) / 10_000 + 2;
        prop_assert!(after + allowance >= before, "NAV {} -> {} (sold {}, discount {})", before, after, sold_value, discount);
        prop_assert!(u128::from(sale.notes_in) * WAD >= u128::from(sale.collateral_out) * sale.price_wad);
    }
}

proptest! {
    /// Entering at the entry NAV and leaving through the queue never returns more
    /// than was put in, valued at the entry price, whatever the tranche holds.
    #[test]
    fn a_round_trip_never_gains(
        senior in 0u64..1_000_000_000, junior in 1u64..1_000_000_000, held in 0u64..1_000_000_000,
        amount in 1u64..1_000_000_000, ema_bps in 9_000u128..11_000, conf_bps in 0u128..200,
    ) {
        let (mut tranches, mut views) = pool(senior, junior, held);
        views[0].price.ema_price_wad = WAD / 10 * ema_bps / 10_000;
        views[0].price.conf_wad = WAD / 10 * conf_bps / 10_000;
        let Ok(shares) = deposit(&mut tranches, 1, amount, &views, NOW) else { return Ok(()); };
        request(&mut tranches[1], shares).unwrap();
        // A pool already short of the senior's subordination keeps the shares queued.
        let out = match claim(&mut tranches, 1, shares, &views, NOW) {
            Err(CoreError::SubordinationBreached) => return Ok(()),
            other => other.unwrap(),
        };
        let entry = views[0].price.entry(&views[0].limits, NOW).unwrap();
        let value = u128::from(out.notes) + u128::from(out.collateral[0]) * entry / WAD;
        prop_assert!(value <= u128::from(amount), "paid {} for {}", value, amount);
        let escrowed_and_held = tranches[1].escrowed_shares;
        prop_assert_eq!(escrowed_and_held, 0);
    }
}
