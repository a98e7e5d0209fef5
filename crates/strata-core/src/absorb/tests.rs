extern crate std;

use super::*;
use crate::math::WAD;
use proptest::prelude::*;

const NOW: i64 = 5_000;

fn slot(amount: u64, price_wad: u128, t: u16) -> CollateralView {
    crate::test_support::slot(amount, price_wad, t, NOW)
}

use crate::test_support::owing;

fn tranches(assets: &[u64]) -> std::vec::Vec<TrancheState> {
    assets.iter().map(|a| TrancheState { assets: *a, ..Default::default() }).collect()
}

#[test]
fn tranches_with_enough_notes_take_the_whole_position_junior_first() {
    let (debt, shares) = owing(900);
    let slots = [slot(1_000, WAD, 8_000)];
    let plan = plan(&debt, &slots, shares, &tranches(&[10_000, 600]), 50, NOW).unwrap();
    assert!(plan.full);
    assert_eq!(plan.total_paid, 900);
    assert_eq!(&plan.paid[..2], &[300, 600]);
    assert_eq!(plan.moved[0], 1_000);
    assert_eq!(plan.tip[0], 5);
    // 995 credited pro rata to 300 : 600.
    assert_eq!((plan.credited[0][0], plan.credited[1][0]), (331, 664));
    assert_eq!(plan.after, Health::default());
}

#[test]
fn thin_tranches_absorb_what_they_can_pay_with_the_matching_collateral() {
    let (debt, shares) = owing(900);
    let slots = [slot(1_000, WAD, 8_000)];
    let plan = plan(&debt, &slots, shares, &tranches(&[0, 300]), 0, NOW).unwrap();
    assert!(!plan.full);
    assert_eq!(plan.total_paid, 300);
    assert_eq!(plan.moved[0], 332, "one unit less than 1/3: the weighted value must still cover 2/3 of the debt");
    assert_eq!(plan.after.debt, 600);
    assert!(plan.after.is_at_least(&plan.before));
}

#[test]
fn healthy_positions_and_empty_tranches_are_refused() {
    let (debt, shares) = owing(700);
    let slots = [slot(1_000, WAD, 8_000)];
    assert_eq!(plan(&debt, &slots, shares, &tranches(&[1_000]), 0, NOW), Err(CoreError::PositionHealthy));
    let (debt, shares) = owing(900);
    assert_eq!(plan(&debt, &slots, shares, &tranches(&[0, 0]), 0, NOW), Err(CoreError::TranchesEmpty));
    assert_eq!(plan(&debt, &slots, shares, &[], 0, NOW), Err(CoreError::NoTranches));
}

proptest! {
    /// Collateral is conserved (moved = tip + credits), tranches pay no more than they
    /// hold nor more than the debt, junior first, and a partial absorption never
    /// lowers health.
    #[test]
    fn absorption_conserves_and_never_lowers_health(
        amounts in proptest::collection::vec(0u64..1_000_000_000_000, 1..4),
        price in 1u128..(100 * WAD),
        over in 1u128..20_000,
        assets in proptest::collection::vec(0u64..2_000_000_000_000, 1..=4),
        tip in 0u16..=1_000,
    ) {
        let slots: std::vec::Vec<CollateralView> = amounts.iter().map(|a| slot(*a, price, 8_000)).collect();
        let weighted = Health::compute(&slots, 1, PriceBasis::Spot, NOW).unwrap().weighted_collateral;
        let owed = weighted + weighted * over / 10_000 + 1;
        prop_assume!(owed < u128::from(u64::MAX / 4));
        let (debt, shares) = owing(owed as u64);
        let ts = tranches(&assets);
        match plan(&debt, &slots, shares, &ts, tip, NOW) {
            Ok(p) => {
                prop_assert!(u128::from(p.total_paid) <= owed);
                prop_assert_eq!(p.paid.iter().sum::<u64>(), p.total_paid);
                for (i, t) in ts.iter().enumerate() {
                    prop_assert!(p.paid[i] <= t.assets);
                    if p.paid[i] > 0 {
                        for (j, junior) in ts.iter().enumerate().skip(i + 1) { prop_assert_eq!(p.paid[j], junior.assets); }
                    }
                }
                for (c, s) in slots.iter().enumerate() {
                    prop_assert!(p.moved[c] <= s.amount);
                    let credited: u64 = (0..MAX_TRANCHES).map(|t| p.credited[t][c]).sum();
                    prop_assert_eq!(credited + p.tip[c], p.moved[c]);
                }
                prop_assert!(p.after.is_at_least(&p.before));
                let mut d = debt;
                let mut applied = ts.clone();
                p.apply(&mut d, shares, &mut applied).unwrap();
            }
            Err(CoreError::TranchesEmpty) => prop_assert!(assets.iter().all(|a| *a == 0)),
            Err(CoreError::LiquidationWouldLowerHealth) => {}
            Err(other) => prop_assert!(false, "unexpected {:?}", other),
        }
    }
}

#[test]
fn a_partial_absorption_never_leaves_dust() {
    // Owes 900 with a floor of 100: tranches holding 850 pay only 800.
    let (mut debt, shares) = owing(900);
    debt.min_debt = 100;
    let slots = [slot(1_000, WAD, 8_000)];
    let plan = plan(&debt, &slots, shares, &tranches(&[0, 850]), 0, NOW).unwrap();
    assert_eq!((plan.total_paid, plan.full), (800, false));
    let mut after = debt;
    let mut t = tranches(&[0, 850]);
    let left = plan.apply(&mut after, shares, &mut t).unwrap();
    assert!(after.debt_of(left).unwrap() >= 100);
    // Enough for all of it: the whole position.
    assert!(super::plan(&debt, &slots, shares, &tranches(&[0, 900]), 0, NOW).unwrap().full);
    // A position owing exactly the floor cannot be absorbed in part.
    let (mut small, small_shares) = owing(100);
    small.min_debt = 100;
    assert_eq!(
        super::plan(&small, &[slot(120, WAD, 8_000)], small_shares, &tranches(&[0, 50]), 0, NOW),
        Err(CoreError::DebtBelowMinimum)
    );
}
