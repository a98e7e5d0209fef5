extern crate std;

use super::*;
use crate::math::SECONDS_PER_YEAR;
use proptest::prelude::*;

const YEAR: i64 = SECONDS_PER_YEAR as i64;

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
    assert_eq!(split_loss(&tranches, 200_000), LossSplit { taken: [0, 200_000, 0, 0], uncovered: 0 });
}

#[test]
fn a_larger_loss_wipes_the_junior_and_hits_the_senior_by_the_excess() {
    let tranches = [tranche(1_000_000, 500), tranche(300_000, 0)];
    assert_eq!(split_loss(&tranches, 450_000), LossSplit { taken: [150_000, 300_000, 0, 0], uncovered: 0 });
    assert_eq!(split_loss(&tranches, 1_500_000), LossSplit { taken: [1_000_000, 300_000, 0, 0], uncovered: 200_000 });
}

#[test]
fn coverage_is_the_junior_share() {
    assert_eq!(junior_coverage_bps(&[900, 100]).unwrap(), 1_000);
    assert_eq!(junior_coverage_bps(&[]).unwrap(), BPS);
}

fn arb_tranches() -> impl Strategy<Value = std::vec::Vec<TrancheState>> {
    proptest::collection::vec((0u64..1_000_000_000_000, 0u16..2_000, 0u64..1_000_000_000, 0i64..YEAR), 1..=MAX_TRANCHES)
        .prop_map(|specs| {
            specs
                .into_iter()
                .map(|(assets, apr, lost, last)| TrancheState {
                    assets,
                    target_apr_bps: apr,
                    loss_outstanding: lost,
                    last_settled_ts: last,
                    ..Default::default()
                })
                .collect()
        })
}

proptest! {
    /// A loss is split exactly, never takes more than a tranche holds, and reaches a
    /// tranche only once every tranche below it is wiped out.
    #[test]
    fn losses_go_junior_first(tranches in arb_tranches(), loss in 0u64..5_000_000_000_000) {
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
