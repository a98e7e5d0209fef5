extern crate std;

use super::*;
use crate::math::SECONDS_PER_YEAR;
use proptest::prelude::*;
use std::vec::Vec;

const YEAR: i64 = SECONDS_PER_YEAR as i64;

fn pool(fee_bps: u16) -> DebtState {
    DebtState::new(fee_bps, u64::MAX, 0, 0)
}

#[test]
fn one_year_at_ten_percent_compounds_per_second() {
    let mut debt = pool(1_000);
    let minted = debt.mint(0, 1_000_000, u128::MAX).unwrap();
    let fees = debt.accrue(YEAR).unwrap();
    // 1,000,000 × (e^0.1 − 1) = 105,170.9: 10% APR is 10.517% a year.
    assert_eq!(fees, 105_171);
    assert_eq!(debt.pending_fees, 105_171);
    assert_eq!(debt.debt_of(minted.position_shares).unwrap(), 1_105_171);
}

#[test]
fn accruing_often_or_once_books_the_same_fees() {
    let mut once = pool(2_500);
    once.mint(0, 1_000_000_000, u128::MAX).unwrap();
    let mut often = once;
    once.accrue(YEAR).unwrap();
    for hour in 1..=(YEAR / 3_600) {
        often.accrue(hour * 3_600).unwrap();
    }
    often.accrue(YEAR).unwrap();
    let (a, b) = (once.pending_fees, often.pending_fees);
    assert!(a.abs_diff(b) <= 8_760, "once {a}, hourly {b}: differ only by rounding up each accrual");
}

#[test]
fn accrual_is_idempotent_within_a_second_and_ignores_a_clock_going_back() {
    let mut debt = pool(1_000);
    debt.mint(0, 1_000_000, u128::MAX).unwrap();
    debt.accrue(100).unwrap();
    let snapshot = debt;
    assert_eq!(debt.accrue(100).unwrap(), 0);
    assert_eq!(debt.accrue(50).unwrap(), 0);
    assert_eq!(debt, snapshot);
}

#[test]
fn fifty_years_of_daily_touches_at_the_max_fee_stay_in_range() {
    let mut debt = pool(MAX_STABILITY_FEE_BPS);
    // One note of debt: after 50 years it owes ~7e10 notes, which still fits the u64
    // fee counter (a billion notes would not, and no note supply could owe that).
    debt.mint(0, 1_000_000, u128::MAX).unwrap();
    for day in 1..=(50 * 365) {
        debt.accrue(day * 86_400).unwrap();
    }
    // Compounded per second whatever the cadence: e^25 ≈ 7.2005e10.
    let growth = debt.rate_index_wad / WAD;
    assert!((71_900_000_000..=72_100_000_000).contains(&growth), "{growth}");
}

#[test]
fn exactly_at_the_borrow_limit_mints_and_one_more_unit_does_not() {
    let mut debt = pool(0);
    let ok = debt.mint(0, 500, 500).unwrap();
    assert_eq!(ok.position_debt, 500);
    let mut debt = pool(0);
    assert_eq!(debt.mint(0, 501, 500), Err(CoreError::InsufficientCollateralValue));
    assert_eq!(debt.total_shares, 0, "a refused mint changes nothing");
}

#[test]
fn mint_enforces_dust_floor_and_ceiling() {
    let mut debt = DebtState::new(0, 1_000, 100, 0);
    assert_eq!(debt.mint(0, 99, u128::MAX), Err(CoreError::DebtBelowMinimum));
    assert_eq!(debt.mint(0, 1_001, u128::MAX), Err(CoreError::DebtCeilingExceeded));
    assert_eq!(debt.mint(0, 0, u128::MAX), Err(CoreError::ZeroAmount));
    let first = debt.mint(0, 600, u128::MAX).unwrap();
    assert_eq!(debt.mint(0, 401, u128::MAX), Err(CoreError::DebtCeilingExceeded));
    assert!(debt.mint(first.position_shares, 400, u128::MAX).is_ok());
}

#[test]
fn repay_caps_at_the_debt_and_refuses_dust() {
    let mut debt = DebtState::new(0, u64::MAX, 100, 0);
    let minted = debt.mint(0, 1_000, u128::MAX).unwrap();
    assert_eq!(debt.repay(minted.position_shares, 950), Err(CoreError::DebtBelowMinimum));
    assert_eq!(debt.repay(minted.position_shares, 0), Err(CoreError::ZeroAmount));
    let partial = debt.repay(minted.position_shares, 900).unwrap();
    assert_eq!(partial.position_debt, 100);
    let all = debt.repay(partial.position_shares, u64::MAX).unwrap();
    assert_eq!((all.repaid, all.position_shares, debt.total_shares), (100, 0, 0));
    assert_eq!(debt.repay(0, 1), Err(CoreError::NoDebt));
}

proptest! {
    /// Any dt up to 50 years, any fee up to the maximum, any debt up to u64::MAX / 32:
    /// one accrual never overflows, and the fees booked are exactly the debt's growth.
    #[test]
    fn accrual_cannot_overflow(
        dt in 0i64..=(50 * YEAR),
        fee in 0u16..=MAX_STABILITY_FEE_BPS,
        amount in 1u64..=(u64::MAX / 32),
        index_growth in 0u128..=(1_000 * WAD),
    ) {
        let mut debt = pool(fee);
        debt.rate_index_wad = WAD + index_growth;
        let minted = debt.mint(0, amount, u128::MAX).unwrap();
        let before = debt.total_debt().unwrap();
        let fees = debt.accrue(dt);
        // Growth is at most e^25 (50 years at 50%); past u64 it is the u64 fee counter,
        // not the index, that refuses: only when the grown debt no longer fits a u64.
        if let Ok(fees) = fees {
            prop_assert_eq!(u128::from(fees), debt.total_debt().unwrap() - before);
            prop_assert!(debt.debt_of(minted.position_shares).unwrap() >= before);
        } else {
            let factor = crate::math::compound_wad(fee, dt as u64, crate::math::Rounding::Up).unwrap();
            prop_assert!(mul_div(before, factor, WAD, crate::math::Rounding::Up).unwrap() > u128::from(u64::MAX));
        }
    }

    /// Rounding never favours the user: repaying immediately after minting costs at
    /// least what was minted, at any index.
    #[test]
    fn mint_then_repay_all_costs_at_least_the_minted_amount(
        amount in 1u64..=u64::MAX / 4,
        index_growth in 0u128..=(1_000_000 * WAD),
    ) {
        let mut debt = pool(0);
        debt.rate_index_wad = WAD + index_growth;
        let minted = debt.mint(0, amount, u128::MAX).unwrap();
        prop_assert!(minted.position_debt >= u128::from(amount));
        let repaid = debt.repay(minted.position_shares, u64::MAX).unwrap();
        prop_assert!(repaid.repaid >= amount);
        prop_assert_eq!(debt.total_shares, 0);
    }

    /// The borrow-limit boundary is exact at any index: a mint whose resulting debt
    /// equals the limit passes, and the same mint against one unit less fails.
    #[test]
    fn borrow_limit_boundary_is_exact(
        amount in 1u64..=u64::MAX / 4,
        index_growth in 0u128..=(1_000 * WAD),
    ) {
        let mut probe = pool(0);
        probe.rate_index_wad = WAD + index_growth;
        let mut at_limit = probe;
        let debt_after = probe.mint(0, amount, u128::MAX).unwrap().position_debt;
        prop_assert!(at_limit.mint(0, amount, debt_after).is_ok());
        let mut below = pool(0);
        below.rate_index_wad = WAD + index_growth;
        prop_assert_eq!(below.mint(0, amount, debt_after - 1), Err(CoreError::InsufficientCollateralValue));
    }

    /// Over any sequence of mints, repayments, distributions and accruals on several
    /// positions, notes in circulation plus pending fees never exceed what positions
    /// owe. The surplus only grows by rounding, at most one debt share's value (the
    /// index, in notes) plus one unit per mint or repayment; accrual books exactly the
    /// debt's growth and adds none.
    #[test]
    fn notes_plus_fees_track_total_debt(
        ops in proptest::collection::vec((0u8..4, 0usize..4, 1u64..1_000_000_000, 0i64..YEAR), 1..60),
        fee in 0u16..=MAX_STABILITY_FEE_BPS,
    ) {
        let mut debt = pool(fee);
        let mut positions = [0u128; 4];
        let mut supply: u128 = 0;
        let mut slack: u128 = 0;
        let mut now = 0i64;
        for (kind, who, amount, dt) in ops.iter().copied() {
            let share_value = debt.rate_index_wad.div_ceil(WAD) + 1;
            match kind {
                0 => if let Ok(m) = debt.mint(positions[who], amount, u128::MAX) {
                    positions[who] = m.position_shares;
                    supply += u128::from(amount);
                    slack += share_value;
                },
                // A payer can only burn notes that exist.
                1 => if let Ok(r) = debt.repay(positions[who], amount.min(supply as u64).max(1)) {
                    prop_assume!(u128::from(r.repaid) <= supply);
                    positions[who] = r.position_shares;
                    supply -= u128::from(r.repaid);
                    slack += share_value;
                },
                // Distribution turns pending fees into notes.
                2 => { supply += u128::from(debt.pending_fees); debt.pending_fees = 0; }
                _ => { now += dt; debt.accrue(now).unwrap(); }
            }
            let owed = debt.total_debt().unwrap();
            let booked = supply + u128::from(debt.pending_fees);
            prop_assert!(booked <= owed, "booked {} > owed {}", booked, owed);
            prop_assert!(owed - booked <= slack, "surplus {} > slack {}", owed - booked, slack);
            let per_position: Vec<u128> = positions.iter().map(|s| debt.debt_of(*s).unwrap()).collect();
            prop_assert!(per_position.iter().sum::<u128>() >= owed);
        }
    }
}
