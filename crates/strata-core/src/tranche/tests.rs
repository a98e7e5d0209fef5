extern crate std;

use super::*;
use proptest::prelude::*;

fn tranche(assets: u64, target_apr_bps: u16) -> TrancheState {
    TrancheState { assets, target_apr_bps, ..Default::default() }
}

#[test]
fn the_first_depositor_gets_a_thousand_shares_per_note_unit() {
    let empty = TrancheState::default();
    assert_eq!(empty.shares_for_deposit(0, 1_000_000).unwrap(), 1_000_000_000);
}

#[test]
fn a_donation_cannot_inflate_the_share_price() {
    // The attacker deposits one unit; a "donation" to the vault does not change
    // tracked assets, so the victim is priced fairly.
    let mut t = TrancheState::default();
    let attacker = t.shares_for_deposit(0, 1).unwrap();
    t.deposit(1, attacker).unwrap();
    let victim = t.shares_for_deposit(u128::from(t.assets), 1_000_000_000).unwrap();
    t.deposit(1_000_000_000, victim).unwrap();
    let out = t.redemption(victim).unwrap();
    assert!(out.notes >= 1_000_000_000 - 1, "victim gets back {}", out.notes);
    // Even if the NAV were pushed up by 1,000 notes before the victim's deposit
    // (e.g. a yield to a one-unit tranche), the offset caps what the attacker takes.
    let mut t = TrancheState::default();
    t.deposit(1, attacker).unwrap();
    t.assets += 1_000_000_000;
    let victim = t.shares_for_deposit(u128::from(t.assets), 1_000_000_000).unwrap();
    t.deposit(1_000_000_000, victim).unwrap();
    let out = t.redemption(victim).unwrap();
    assert!(out.notes >= 999_000_000, "loss bounded by the virtual offset: {}", out.notes);
}

#[test]
fn a_wiped_out_tranche_refuses_new_shares_by_name() {
    let wiped = TrancheState { assets: 0, total_shares: 1_000_000_000_000_000, ..Default::default() };
    assert_eq!(wiped.shares_for_deposit(0, 1_000_000_000), Err(CoreError::SharePriceTooLow));
}

#[test]
fn subordination_counts_what_sits_below() {
    assert!(subordination_holds(&[800, 200], 2_000, 0).unwrap());
    assert!(!subordination_holds(&[801, 199], 2_000, 0).unwrap());
    assert!(subordination_holds(&[0, 0], 2_000, 0).unwrap(), "an empty pool");
    assert!(subordination_holds(&[800, 200], 9_000, 1).unwrap(), "the junior has no requirement");
}

#[test]
fn a_withdrawal_must_keep_the_seniors_with_holders_covered() {
    let senior =
        TrancheState { assets: 800, total_shares: 800_000, min_subordination_bps: 2_000, ..Default::default() };
    let junior = TrancheState { assets: 150, total_shares: 150_000, ..Default::default() };
    assert!(!withdrawal_keeps_seniors_covered(&[senior, junior], &[800, 150], 1).unwrap());
    assert!(withdrawal_keeps_seniors_covered(&[senior, junior], &[800, 200], 1).unwrap());
    // The senior's own holders may always leave.
    assert!(withdrawal_keeps_seniors_covered(&[senior, junior], &[0, 150], 0).unwrap());
    // A senior without shares keeps only rounding dust: nobody to protect.
    let emptied = TrancheState { assets: 1, total_shares: 0, ..senior };
    assert!(withdrawal_keeps_seniors_covered(&[emptied, TrancheState::default()], &[1, 0], 1).unwrap());
}

#[test]
fn a_loss_smaller_than_the_junior_leaves_the_senior_untouched() {
    let tranches = [tranche(1_000_000, 500), tranche(300_000, 0)];
    let split = split_loss(&tranches, 200_000);
    assert_eq!((split.taken, split.uncovered), ([0, 200_000, 0, 0], 0));
}

#[test]
fn a_larger_loss_wipes_the_junior_and_hits_the_senior_by_the_excess() {
    let tranches = [tranche(1_000_000, 500), tranche(300_000, 0)];
    let split = split_loss(&tranches, 450_000);
    assert_eq!((split.taken, split.uncovered), ([150_000, 300_000, 0, 0], 0));
    let split = split_loss(&tranches, 1_500_000);
    assert_eq!((split.taken, split.uncovered), ([1_000_000, 300_000, 0, 0], 200_000));
}

const T0: i64 = 1_000;

/// A SOL-like asset: 0.1 note unit per native unit, EMA 2% lower, conf 1%.
fn sol() -> CollateralView {
    let mut view = crate::test_support::slot(0, WAD / 10, 8_000, T0);
    view.price.ema_price_wad = WAD / 10 * 98 / 100;
    view.price.conf_wad = WAD / 1_000;
    view
}

#[test]
fn a_junior_holding_collateral_makes_the_senior_whole_before_it_loses() {
    // The junior holds no notes but 10,000 units of SOL (worth 1,000 at spot, 970 at
    // min(spot, EMA) − conf); the senior holds 5,000 notes. A loss of 600.
    let mut junior = TrancheState::default();
    junior.collateral_held[0] = 10_000;
    let tranches = [TrancheState { assets: 5_000, ..Default::default() }, junior];
    let split = plan_loss(&tranches, 600, &[sol()], T0).unwrap();
    assert_eq!(split.taken, [600, 0, 0, 0], "only the senior holds notes to burn");
    // 600 at 0.097 per unit: 6,186 units (rounded up), to the senior.
    assert_eq!(split.collateral_out[1][0], 6_186);
    assert_eq!(split.collateral_in[0][0], 6_186);
    assert_eq!((split.compensated[0], split.lost), (600, [0, 600, 0, 0]));
    let mut applied = tranches;
    apply_loss(&mut applied, &split).unwrap();
    // The senior's NAV at spot did not fall: 4,400 notes + 618 of SOL.
    let navs: std::vec::Vec<u128> = applied.iter().map(|t| t.nav(&[sol()], T0).unwrap()).collect();
    assert!(navs[0] >= 5_000, "{navs:?}");
    assert_eq!((applied[0].loss_outstanding, applied[1].loss_outstanding), (0, 600));
}

#[test]
fn a_stale_price_hands_nothing_over_and_the_senior_takes_the_loss() {
    let mut junior = TrancheState::default();
    junior.collateral_held[0] = 10_000;
    let tranches = [TrancheState { assets: 5_000, ..Default::default() }, junior];
    let split = plan_loss(&tranches, 600, &[sol()], T0 + 61).unwrap();
    assert_eq!((split.compensated[0], split.lost[0], split.collateral_out[1][0]), (0, 600, 0));
}

fn arb_nav_tranches() -> impl Strategy<Value = std::vec::Vec<TrancheState>> {
    proptest::collection::vec((0u64..1_000_000_000, 0u64..10_000_000_000), 2..=MAX_TRANCHES).prop_map(|specs| {
        specs
            .into_iter()
            .map(|(assets, held)| {
                let mut t = TrancheState { assets, ..Default::default() };
                t.collateral_held[0] = held;
                t
            })
            .collect()
    })
}

proptest! {
    /// While the tranches below a tranche hold NAV (at the price they hand collateral
    /// over at) at least equal to the loss, that tranche's NAV at spot does not fall;
    /// notes and collateral are conserved, and the loss is accounted exactly.
    #[test]
    fn losses_go_junior_first_on_nav(tranches in arb_nav_tranches(), loss in 0u64..3_000_000_000) {
        let slots = [sol()];
        let split = plan_loss(&tranches, loss, &slots, T0).unwrap();
        let mut applied = tranches.clone();
        apply_loss(&mut applied, &split).unwrap();
        let price = slots[0].price.senior_favouring(&slots[0].limits, T0).unwrap();
        let floor_nav = |t: &TrancheState| u128::from(t.assets) + u128::from(t.collateral_held[0]) * price / WAD;
        for (i, (before, after)) in tranches.iter().zip(&applied).enumerate() {
            let below: u128 = tranches[i + 1..].iter().map(floor_nav).sum();
            if below >= u128::from(loss) {
                prop_assert!(after.nav(&slots, T0).unwrap() >= before.nav(&slots, T0).unwrap(),
                    "tranche {} lost NAV with {} below for a loss of {}", i, below, loss);
            }
        }
        let held_before: u64 = tranches.iter().map(|t| t.collateral_held[0]).sum();
        let held_after: u64 = applied.iter().map(|t| t.collateral_held[0]).sum();
        prop_assert_eq!(held_before, held_after, "collateral only changes hands");
        let taken: u64 = split.taken.iter().sum();
        prop_assert_eq!(taken + split.uncovered, loss);
        let lost: u64 = split.lost.iter().sum();
        prop_assert_eq!(lost, taken, "the value lost is the notes burned");
    }
}

#[test]
fn coverage_is_the_junior_share() {
    assert_eq!(junior_coverage_bps(&[900, 100]).unwrap(), 1_000);
    assert_eq!(junior_coverage_bps(&[]).unwrap(), BPS);
}

proptest! {
    /// The notes of a loss are split exactly, never take more than a tranche holds,
    /// and reach a tranche only once every tranche below it has no notes left.
    #[test]
    fn losses_go_junior_first(tranches in crate::strategies::tranches(), loss in 0u64..5_000_000_000_000) {
        let split = split_loss(&tranches, loss);
        let taken: u64 = split.taken.iter().sum();
        prop_assert_eq!(taken + split.uncovered, loss);
        for (i, t) in tranches.iter().enumerate() {
            prop_assert!(split.taken[i] <= t.assets);
            if split.taken[i] > 0 {
                for (j, junior) in tranches.iter().enumerate().skip(i + 1) { prop_assert_eq!(split.taken[j], junior.assets); }
            }
        }
        if split.uncovered > 0 {
            for (i, t) in tranches.iter().enumerate() { prop_assert_eq!(split.taken[i], t.assets); }
        }
    }

    /// Depositing and redeeming never returns more than was deposited, for any
    /// existing state; holders' redemptions never exceed what the tranche holds.
    #[test]
    fn deposits_and_redemptions_round_for_the_tranche(
        assets in 0u64..1_000_000_000_000, shares_per_unit in 1u64..5_000, amount in 1u64..1_000_000_000_000,
        held in 0u64..1_000_000_000,
    ) {
        let mut t = TrancheState { assets, total_shares: assets.saturating_mul(shares_per_unit), ..Default::default() };
        t.collateral_held[0] = held;
        if let Ok(shares) = t.shares_for_deposit(u128::from(t.assets), amount) {
            t.deposit(amount, shares).unwrap();
            let out = t.redemption(shares).unwrap();
            prop_assert!(out.notes <= amount, "redeemed {} for {}", out.notes, amount);
            let everyone = t.redemption(t.total_shares).unwrap();
            prop_assert!(everyone.notes <= t.assets && everyone.collateral[0] <= held);
        }
    }
}
