//! Generators of the core's inputs as proptest strategies, shared by the core's
//! property tests and the TypeScript client's test vectors (`strata-sim`'s
//! write-vectors draws from them with a fixed seed). Uniform draws almost never meet
//! the small values and boundaries where rounding, widening and overflow change
//! behaviour; these spread their draws over every magnitude and the edges.

extern crate std;

use proptest::prelude::*;
use proptest::sample::select;
use std::vec::Vec;

use crate::math::{SECONDS_PER_YEAR, WAD};
use crate::tranche::{TrancheState, MAX_TRANCHES};

/// Values where rounding, widening and overflow change behaviour.
pub const EDGES_U128: [u128; 16] = [
    0,
    1,
    2,
    3,
    9_999,
    10_000,
    WAD - 1,
    WAD,
    WAD + 1,
    u64::MAX as u128,
    u64::MAX as u128 + 1,
    100_000_000_000_000_000_000_000_000_000_000_000_000, // 1e38
    1 << 127,
    u128::MAX / 3,
    u128::MAX - 1,
    u128::MAX,
];

pub const EDGES_U64: [u64; 9] = [0, 1, 2, 999, 1_000_000, 1_000_000_000_000, u32::MAX as u64, u64::MAX - 1, u64::MAX];

/// A value of at most `bits` significant bits (0..=128), uniform over them.
pub fn bits(bits: u32) -> impl Strategy<Value = u128> {
    any::<u128>().prop_map(move |raw| match bits {
        0 => 0,
        128.. => raw,
        _ => raw & ((1u128 << bits) - 1),
    })
}

/// A value of fewer than `n` bits, uniformly many bits: small values are as likely
/// as large ones.
pub fn small(n: u32) -> impl Strategy<Value = u128> {
    (0..n.max(1)).prop_flat_map(bits)
}

/// Any magnitude up to `max_bits` bits, an edge value one time in four.
pub fn spread_u128(max_bits: u32) -> impl Strategy<Value = u128> {
    let edges: Vec<u128> = EDGES_U128.into_iter().filter(|v| max_bits >= 128 || v >> max_bits == 0).collect();
    prop_oneof![1 => select(edges), 3 => (0..=max_bits).prop_flat_map(bits)]
}

/// Any `u64` magnitude, an edge value one time in four.
pub fn spread_u64() -> impl Strategy<Value = u64> {
    spread_u128(64).prop_map(|v| v as u64)
}

/// One to `MAX_TRANCHES` tranches with up to a million notes (6 decimals) each, a
/// target APR, an outstanding loss and a last settlement within the first year.
pub fn tranches() -> impl Strategy<Value = Vec<TrancheState>> {
    let year = SECONDS_PER_YEAR as i64;
    proptest::collection::vec((0u64..1_000_000_000_000, 0u16..2_000, 0u64..1_000_000_000, 0i64..year), 1..=MAX_TRANCHES)
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
