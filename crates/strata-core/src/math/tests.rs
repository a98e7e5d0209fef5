extern crate std;

use super::*;
use proptest::prelude::*;

use crate::strategies::{spread_u128, spread_u64};

#[test]
fn mul_div_rounds_as_asked() {
    assert_eq!(mul_div(10, 10, 3, Rounding::Down).unwrap(), 33);
    assert_eq!(mul_div(10, 10, 3, Rounding::Up).unwrap(), 34);
    assert_eq!(mul_div(9, 10, 3, Rounding::Up).unwrap(), 30);
}

#[test]
fn mul_div_uses_a_wide_intermediate() {
    // u128::MAX * u128::MAX overflows 128 bits, but the quotient fits.
    assert_eq!(mul_div(u128::MAX, u128::MAX, u128::MAX, Rounding::Down).unwrap(), u128::MAX);
    assert_eq!(mul_div(u128::MAX, 3, 4, Rounding::Up).unwrap(), u128::MAX / 4 * 3 + 3);
}

#[test]
fn mul_div_refuses_zero_divisor_and_overflowing_quotient() {
    assert!(mul_div(1, 1, 0, Rounding::Down).unwrap_err().is_math());
    assert!(mul_div(u128::MAX, 2, 1, Rounding::Down).unwrap_err().is_math());
}

#[test]
fn math_errors_name_the_failing_line() {
    let err = u64::MAX.safe_add(1).unwrap_err();
    match err {
        CoreError::MathOverflow { at } => {
            assert!(at.file().ends_with("tests.rs"), "{}", at.file());
            assert!(at.line() > 0);
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn narrowing_refuses_truncation() {
    assert_eq!(to_u64(u128::from(u64::MAX)).unwrap(), u64::MAX);
    assert!(to_u64(u128::from(u64::MAX) + 1).is_err());
}

proptest! {
    /// Down and Up bracket the exact quotient and differ by at most one.
    #[test]
    fn rounding_brackets_the_exact_quotient(a in spread_u64(), b in spread_u64(), d in spread_u64().prop_map(|d| d.max(1))) {
        let (a, b, d) = (u128::from(a), u128::from(b), u128::from(d));
        let down = mul_div(a, b, d, Rounding::Down).unwrap();
        let up = mul_div(a, b, d, Rounding::Up).unwrap();
        prop_assert!(down * d <= a * b);
        prop_assert!(up * d >= a * b);
        prop_assert!(up - down <= 1);
        prop_assert_eq!(up == down, (a * b) % d == 0);
    }

    /// The 256-bit path agrees with exact arithmetic whenever the quotient fits.
    #[test]
    fn wide_path_matches_exact(a in spread_u128(128), b in spread_u128(128), d in spread_u128(128).prop_map(|d| d.max(1))) {
        // Check via the identity q*d + r = a*b computed in 256 bits.
        let wide = U256::from(a) * U256::from(b);
        let (q, r) = wide.div_mod(U256::from(d));
        match mul_div(a, b, d, Rounding::Down) {
            Ok(down) => {
                prop_assert_eq!(U256::from(down), q);
                let up = mul_div(a, b, d, Rounding::Up);
                if r.is_zero() { prop_assert_eq!(up.unwrap(), down); }
                else if let Ok(up) = up { prop_assert_eq!(up, down + 1); }
            }
            Err(_) => prop_assert!(q > U256::from(u128::MAX)),
        }
    }
}
