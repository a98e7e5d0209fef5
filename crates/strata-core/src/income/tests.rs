extern crate std;

use super::*;
use crate::math::SECONDS_PER_YEAR;
use proptest::prelude::*;
use std::vec::Vec;

const YEAR: i64 = SECONDS_PER_YEAR as i64;

/// A funded tranche: its holders own `assets` (1,000 share units per note).
fn tranche(assets: u64, target_apr_bps: u16) -> TrancheState {
    TrancheState { assets, target_apr_bps, total_shares: assets * 1_000, ..Default::default() }
}

/// `assets × ((1 + r/Y)^T − 1)` in notes, by the core's own compounding.
fn entitlement(assets: u64, target_apr_bps: u16, elapsed: i64) -> u128 {
    target_accrual_wad(assets, 0, target_apr_bps, elapsed).unwrap() / WAD
}

#[test]
fn compounding_per_second_is_close_to_the_continuous_rate() {
    // 10% APR compounded per second for a year: e^0.1 − 1 = 10.5171%.
    let year = entitlement(1_000_000_000, 1_000, YEAR);
    assert!((105_170_000..105_172_000).contains(&year), "{year}");
    assert_eq!(entitlement(1_000_000_000, 0, YEAR), 0);
    assert_eq!(entitlement(1_000_000_000, 1_000, 0), 0);
}

#[test]
fn income_below_the_senior_target_all_goes_to_the_senior_and_the_rest_is_owed() {
    // Senior: 1,000,000 notes at 5% for a year ≈ 51,271 target.
    let tranches = [tranche(1_000_000, 500), tranche(500_000, 0)];
    let split = split_income(&tranches, 40_000, 0, 0, false, YEAR).unwrap();
    assert_eq!(split.yielded, [40_000, 0, 0, 0]);
    let target = target_accrual_wad(1_000_000, 0, 500, YEAR).unwrap();
    assert_eq!(split.yield_owed_wad[0], target - 40_000 * WAD);
    assert_eq!(split.yield_owed_wad[1], 0, "the junior is residual");
}

#[test]
fn income_above_the_senior_target_goes_to_the_junior() {
    let tranches = [tranche(1_000_000, 500), tranche(500_000, 0)];
    let split = split_income(&tranches, 100_000, 1_000, 0, false, YEAR).unwrap();
    assert_eq!(split.protocol_fee, 10_000);
    let target = entitlement(1_000_000, 500, YEAR) as u64;
    assert_eq!(split.yielded, [target, 90_000 - target, 0, 0]);
    assert!(split.yield_owed_wad[0] < WAD, "only the sub-unit remainder is carried");
}

#[test]
fn income_no_holder_owns_goes_to_the_treasury() {
    // Fees accrued before anyone deposited: the empty junior's residual would be a
    // gift to its first depositor (the share price jumps by the income over 1 unit).
    let empty = [tranche(0, 500), tranche(0, 0)];
    let split = split_income(&empty, 100_000, 1_000, 0, false, YEAR).unwrap();
    assert_eq!((split.protocol_fee, split.yielded, split.residual), (100_000, [0; 4], 0));
    // In Turbo the senior takes the rest; without senior holders the junior does.
    let senior_empty = [tranche(0, 500), tranche(500_000, 0)];
    let split = split_income(&senior_empty, 100_000, 1_000, 0, true, YEAR).unwrap();
    assert_eq!((split.protocol_fee, split.yielded), (10_000, [0, 90_000, 0, 0]));
    let both = [tranche(1_000_000, 0), tranche(500_000, 0)];
    let split = split_income(&both, 100_000, 1_000, 0, true, YEAR).unwrap();
    assert_eq!(split.yielded, [90_000, 0, 0, 0]);
}

#[test]
fn a_tranche_nobody_holds_recovers_no_loss_and_earns_no_target() {
    // The junior's holders all left after a loss; the senior's left while owed yield.
    // Paying either to the next depositor would be a gift: the income flows on, and
    // the former holders' claims are cleared.
    let mut left_after_loss = tranche(0, 0);
    left_after_loss.loss_outstanding = 30_000;
    let mut left_while_owed = tranche(10, 1_000);
    left_while_owed.total_shares = 0;
    left_while_owed.yield_owed_wad = 20_000 * WAD;
    let held = tranche(1_000_000, 0);
    let mut tranches = [left_while_owed, held, left_after_loss];
    let split = split_income(&tranches, 100_000, 0, 0, false, YEAR).unwrap();
    assert_eq!(split.recovered, [0; 4]);
    assert_eq!(split.yielded, [0, 0, 0, 0], "the middle tranche earns no target (0%), the empty junior no residual");
    assert_eq!(split.protocol_fee, 100_000, "no holder owns the residual");
    apply_income(&mut tranches, &split, YEAR).unwrap();
    assert_eq!((tranches[0].yield_owed_wad, tranches[2].loss_outstanding), (0, 0));
    // With holders, the same loss is recovered first.
    let mut held_after_loss = tranche(500_000, 0);
    held_after_loss.loss_outstanding = 30_000;
    let split = split_income(&[tranche(1_000_000, 0), held_after_loss], 100_000, 0, 0, false, YEAR).unwrap();
    assert_eq!(split.recovered, [0, 30_000, 0, 0]);
}

#[test]
fn owed_yield_is_paid_senior_first_from_the_next_income() {
    let mut tranches = [tranche(1_000_000, 1_000), tranche(500_000, 0)];
    // Half a year without income: everything is owed.
    let split = split_income(&tranches, 0, 0, 0, false, YEAR / 2).unwrap();
    apply_income(&mut tranches, &split, YEAR / 2).unwrap();
    let owed = tranches[0].yield_owed_wad / WAD;
    assert!(owed > 48_000, "{owed}");
    // The next income pays the owed yield (and the new accrual) before the junior.
    let split = split_income(&tranches, 200_000, 0, 0, false, YEAR).unwrap();
    let target = entitlement(1_000_000, 1_000, YEAR) as u64;
    assert!(split.yielded[0] >= target - 1 && split.yielded[0] <= target + 1, "{} vs {target}", split.yielded[0]);
    assert_eq!(split.yielded[1], 200_000 - split.yielded[0]);
}

#[test]
fn turbo_sends_everything_after_owed_yield_to_the_senior() {
    let tranches = [tranche(1_000_000, 500), tranche(500_000, 0)];
    let split = split_income(&tranches, 100_000, 0, 0, true, YEAR).unwrap();
    assert_eq!(split.yielded, [100_000, 0, 0, 0]);
}

#[test]
fn income_repays_bad_debt_then_recovers_seniors_first() {
    let mut tranches = [tranche(1_000_000, 500), tranche(0, 0)];
    tranches[0].loss_outstanding = 30_000;
    // Wiped out, its holders still holding their (worthless) shares.
    tranches[1].loss_outstanding = 100_000;
    tranches[1].total_shares = 1_000;
    let split = split_income(&tranches, 50_000, 0, 15_000, false, YEAR).unwrap();
    assert_eq!(split.bad_debt_repaid, 15_000);
    assert_eq!(split.recovered, [30_000, 5_000, 0, 0]);
    assert_eq!(split.yielded, [0, 0, 0, 0]);
}

/// The example: one settlement after a year pays a 10% senior its year; with
/// a settlement at mid-year as well and every fee arriving in the first half, the
/// senior is paid half at mid-year and is owed the other half, not forgetting it.
#[test]
fn a_target_income_could_not_pay_is_owed_not_forgotten() {
    let start = [tranche(1_000, 1_000), tranche(1_000, 0)];
    let year_target = target_accrual_wad(1_000, 0, 1_000, YEAR).unwrap();
    let mut once = start;
    let split = split_income(&once, 300, 0, 0, false, YEAR).unwrap();
    apply_income(&mut once, &split, YEAR).unwrap();
    let mut twice = start;
    let split = split_income(&twice, 300, 0, 0, false, YEAR / 2).unwrap();
    apply_income(&mut twice, &split, YEAR / 2).unwrap();
    let split = split_income(&twice, 0, 0, 0, false, YEAR).unwrap();
    apply_income(&mut twice, &split, YEAR).unwrap();
    let income = |t: &TrancheState| u128::from(t.cumulative_yield) * WAD + t.yield_owed_wad;
    assert_eq!(income(&once[0]), year_target);
    // Equal up to the compounding's rounding (below 1e-12 of a note).
    assert!(income(&twice[0]).abs_diff(year_target) <= 1_000_000, "{} vs {year_target}", income(&twice[0]));
    assert!(twice[0].yield_owed_wad >= 50 * WAD, "half the year is owed: {}", twice[0].yield_owed_wad);
}

#[test]
fn settlement_books_the_protocol_fee_as_owed_and_keeps_the_books() {
    let mut debt = DebtState::new(500, u64::MAX, 0, 0);
    debt.mint(0, 1_000_000_000, u128::MAX).unwrap();
    let mut ledger = IncomeLedger { protocol_fee_bps: 1_000, ..Default::default() };
    let mut tranches = [tranche(1_000_000, 500), tranche(500_000, 0)];
    let split = settle_income(&mut debt, &mut ledger, &mut tranches, YEAR).unwrap();
    assert!(split.fees > 50_000_000);
    assert_eq!(ledger.protocol_fee_owed, split.protocol_fee);
    assert_eq!(debt.pending_fees, split.protocol_fee, "only the treasury's part stays pending");
    assert_eq!(split.protocol_fee + split.to_tranches(), split.fees);
    // A second settlement in the same second settles nothing new.
    let again = settle_income(&mut debt, &mut ledger, &mut tranches, YEAR).unwrap();
    assert_eq!((again.fees, again.to_tranches()), (0, 0));
    assert_eq!(take_protocol_fee(&mut debt, &mut ledger).unwrap(), split.protocol_fee);
    assert_eq!((debt.pending_fees, ledger.protocol_fee_owed), (0, 0));
}

/// Settles `fees[i]` at `times[i]` (increasing) into fresh senior/junior tranches.
fn settle_stream(senior: u64, junior: u64, apr: u16, times: &[i64], fees: &[u64]) -> [TrancheState; 2] {
    let mut tranches = [tranche(senior, apr), tranche(junior, 0)];
    for (now, fee) in times.iter().zip(fees) {
        let split = split_income(&tranches, *fee, 0, 0, false, *now).unwrap();
        apply_income(&mut tranches, &split, *now).unwrap();
    }
    tranches
}

proptest! {
    /// Every unit of income goes somewhere, exactly once, in waterfall order.
    #[test]
    fn income_is_conserved(tranches in crate::strategies::tranches(), fees in 0u64..1_000_000_000_000, fee_bps in 0u16..=5_000, bad in 0u64..1_000_000_000, turbo in any::<bool>()) {
        let split = split_income(&tranches, fees, fee_bps, bad, turbo, YEAR).unwrap();
        prop_assert_eq!(split.protocol_fee + split.bad_debt_repaid + split.to_tranches(), fees);
        prop_assert!(split.bad_debt_repaid <= bad);
        for (i, t) in tranches.iter().enumerate() {
            prop_assert!(split.recovered[i] <= t.loss_outstanding);
            // A junior recovers only once every senior has fully recovered.
            if split.recovered[i] > 0 {
                for (s, senior) in tranches[..i].iter().enumerate() { prop_assert_eq!(split.recovered[s], senior.loss_outstanding); }
            }
        }
        let mut applied = tranches.clone();
        apply_income(&mut applied, &split, YEAR).unwrap();
    }

    /// Splitting a period into any number of settlements, with income arriving at any
    /// of them, changes the senior's income (paid plus owed) only by rounding; with
    /// enough income at each settlement it is paid in full and the junior's residual
    /// matches too.
    #[test]
    fn cadence_moves_income_only_by_rounding(
        senior in 1_000u64..1_000_000_000_000, junior in 0u64..1_000_000_000_000, apr in 1u16..=5_000,
        cuts in proptest::collection::vec(1i64..YEAR, 0..12), shares in proptest::collection::vec(0u64..1_000_000, 13),
        total in 0u64..1_000_000_000_000,
    ) {
        let mut times: Vec<i64> = cuts.clone();
        times.sort();
        times.dedup();
        times.push(YEAR);
        // Split `total` over the settlements in the given proportions.
        let weights: Vec<u64> = shares[..times.len()].to_vec();
        let weight_sum: u64 = weights.iter().sum::<u64>().max(1);
        let mut fees: Vec<u64> = weights.iter().map(|w| (u128::from(total) * u128::from(*w) / u128::from(weight_sum)) as u64).collect();
        let given: u64 = fees.iter().sum();
        *fees.last_mut().unwrap() += total - given;
        let once = settle_stream(senior, junior, apr, &[YEAR], &[total]);
        let many = settle_stream(senior, junior, apr, &times, &fees);
        let income = |t: &TrancheState| u128::from(t.cumulative_yield) * WAD + t.yield_owed_wad;
        let settlements = times.len() as u128;
        // Per settlement: the compounding's own rounding (64 products at 1e-18) on the base.
        let tolerance = settlements * (u128::from(senior) * 2 + u128::from(total) * 2 + 1) * 64 + settlements * 2;
        prop_assert!(income(&once[0]).abs_diff(income(&many[0])) <= tolerance,
            "senior income {} once vs {} in {} settlements", income(&once[0]), income(&many[0]), settlements);
        // Enough income everywhere: nothing owed beyond a unit, residuals agree.
        let enough = times.iter().zip(&fees).scan(0i64, |last, (t, f)| {
            let due = target_accrual_wad(senior, 0, apr, *t).unwrap() / WAD - target_accrual_wad(senior, 0, apr, *last).unwrap() / WAD;
            *last = *t;
            Some(u128::from(*f) >= due + 2)
        }).all(|ok| ok);
        if enough && once[0].yield_owed_wad < WAD {
            prop_assert!(many[0].yield_owed_wad < WAD);
            let (a, b) = (once[1].cumulative_yield, many[1].cumulative_yield);
            prop_assert!(a.abs_diff(b) <= settlements as u64 + 1, "junior {} vs {}", a, b);
        }
    }

    /// A deposit into the senior at `t` earns its target only from `t` on.
    #[test]
    fn a_deposit_earns_only_from_its_own_time_on(
        senior in 1_000_000u64..1_000_000_000_000, deposit in 1_000_000u64..1_000_000_000_000,
        apr in 1u16..=5_000, at in 1i64..YEAR,
    ) {
        let mut without = [tranche(senior, apr), tranche(0, 0)];
        let mut with = without;
        for tranches in [&mut without, &mut with] {
            let split = split_income(tranches, 0, 0, 0, false, at).unwrap();
            apply_income(tranches, &split, at).unwrap();
        }
        with[0].assets += deposit;
        for tranches in [&mut without, &mut with] {
            let split = split_income(tranches, 0, 0, 0, false, YEAR).unwrap();
            apply_income(tranches, &split, YEAR).unwrap();
        }
        let extra = with[0].yield_owed_wad - without[0].yield_owed_wad;
        let own = target_accrual_wad(deposit, 0, apr, YEAR - at).unwrap();
        // Its own time on, plus compounding on the owed part before `at` (none: both
        // had the same owed then), up to rounding.
        prop_assert!(extra.abs_diff(own) <= u128::from(deposit) * 128 + 1_000, "{} vs {}", extra, own);
    }

    /// With enough income, every senior receives exactly its compounded target.
    #[test]
    fn enough_income_pays_every_senior_its_target(
        a in 0u64..1_000_000_000_000, b in 0u64..1_000_000_000_000, apr_a in 0u16..=5_000, apr_b in 0u16..=5_000,
        elapsed in 1i64..YEAR,
    ) {
        let tranches = [tranche(a, apr_a), tranche(b, apr_b), tranche(1, 0)];
        let due = |t: &TrancheState| target_accrual_wad(t.assets, 0, t.target_apr_bps, elapsed).unwrap();
        let fees = (due(&tranches[0]) / WAD + due(&tranches[1]) / WAD + 1) as u64;
        let split = split_income(&tranches, fees, 0, 0, false, elapsed).unwrap();
        for (i, tranche) in tranches.iter().enumerate().take(2) {
            prop_assert_eq!(u128::from(split.yielded[i]), due(tranche) / WAD);
            prop_assert_eq!(split.yield_owed_wad[i], due(tranche) % WAD);
        }
        prop_assert_eq!(split.yielded[2], 1);
    }
}
