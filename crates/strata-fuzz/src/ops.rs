//! Random steps, weighted towards the interesting: borrowing near the limit, price
//! crashes, liquidations of what is liquidatable.

use rand::{Rng, RngCore};

use crate::model::{Model, Op, ACTORS, ASSETS, TRANCHES};

/// A new pool with a random stability fee, seeded with LP capital in both tranches
/// (junior first, so the senior's subordination holds).
pub fn fresh_pool(rng: &mut impl RngCore) -> Model {
    let mut model = Model::new(rng.random_range(0..=5_000));
    // Two LPs: 500 SOL of collateral and 20,000 notes each.
    for actor in [0, 1] {
        let _ = model.apply(Op::Deposit { actor, asset: 0, amount: 500_000_000_000 });
        let _ = model.apply(Op::Mint { actor, amount: 20_000_000_000 });
    }
    let _ = model.apply(Op::TrancheDeposit { actor: 0, tranche: 1, amount: 5_000_000_000 });
    let _ = model.apply(Op::TrancheDeposit { actor: 1, tranche: 0, amount: 10_000_000_000 });
    model
}

/// An amount spread over many orders of magnitude, up to `max`.
fn amount(rng: &mut impl RngCore, max: u64) -> u64 {
    if max == 0 {
        return rng.random_range(0..3);
    }
    match rng.random_range(0..10) {
        0 => max,
        1 => rng.random_range(0..3),
        2 => u64::MAX,
        _ => {
            let bits = rng.random_range(0..=64 - max.leading_zeros());
            rng.random_range(0..=max.min(if bits >= 64 { u64::MAX } else { (1u64 << bits).saturating_sub(1) }).max(1))
        }
    }
}

/// The actors whose positions are liquidatable now.
fn unhealthy(m: &Model) -> Vec<usize> {
    (0..ACTORS).filter(|a| m.spot_health(*a).is_some_and(|h| !h.is_healthy())).collect()
}

pub fn random_op(rng: &mut impl RngCore, m: &Model) -> Op {
    let actor = rng.random_range(0..ACTORS);
    let asset = rng.random_range(0..ASSETS);
    let tranche = rng.random_range(0..TRANCHES);
    match rng.random_range(0..100) {
        0..=11 => Op::Deposit { actor, asset, amount: amount(rng, m.wallets[actor].collateral[asset]) },
        12..=19 => Op::Withdraw { actor, asset, amount: amount(rng, m.positions[actor].collateral[asset]) },
        20..=34 => {
            // Often right at the borrowing limit.
            let limit = m
                .views(&m.positions[actor].collateral)
                .iter()
                .map(|v| v.weighted_value(strata_core::PriceBasis::Conservative, m.now).unwrap_or(0))
                .sum::<u128>();
            let owed = m.debt.debt_of(m.positions[actor].shares).unwrap_or(0);
            let room = u64::try_from(limit.saturating_sub(owed)).unwrap_or(u64::MAX);
            Op::Mint { actor, amount: if rng.random_bool(0.5) { room } else { amount(rng, room) } }
        }
        35..=42 => {
            let target = if rng.random_bool(0.7) { actor } else { rng.random_range(0..ACTORS) };
            Op::Repay { payer: actor, target, amount: amount(rng, m.wallets[actor].notes) }
        }
        43..=52 => Op::MovePrice {
            asset,
            // Mostly small moves, sometimes crashes and spikes.
            move_bps: match rng.random_range(0..10) {
                0 => rng.random_range(-6_000..=-1_000),
                1 => rng.random_range(1_000..=5_000),
                _ => rng.random_range(-300..=300),
            },
            conf_bps: if rng.random_bool(0.1) { rng.random_range(0..1_000) } else { rng.random_range(0..100) },
            ema_lag: rng.random_bool(0.3),
        },
        53..=58 => Op::Refresh,
        59..=64 => Op::Advance {
            seconds: match rng.random_range(0..10) {
                0 => rng.random_range(86_400..=90 * 86_400),
                _ => rng.random_range(1..=120),
            },
        },
        // Income settles at random cadence: by distribute here, and by every flow.
        65..=69 => Op::Distribute,
        70..=81 => {
            // Aim at liquidatable positions most of the time.
            let unhealthy = unhealthy(m);
            let target = if !unhealthy.is_empty() && rng.random_bool(0.8) {
                unhealthy[rng.random_range(0..unhealthy.len())]
            } else {
                rng.random_range(0..ACTORS)
            };
            Op::Liquidate { keeper: actor, target, asset, repay: amount(rng, m.wallets[actor].notes) }
        }
        82..=86 => {
            let unhealthy = unhealthy(m);
            let target = if !unhealthy.is_empty() {
                unhealthy[rng.random_range(0..unhealthy.len())]
            } else {
                rng.random_range(0..ACTORS)
            };
            Op::Absorb { keeper: actor, target }
        }
        87..=90 => Op::TrancheDeposit { actor, tranche, amount: amount(rng, m.wallets[actor].notes) },
        91..=93 => Op::RequestRedemption { actor, tranche, shares: amount(rng, m.wallets[actor].shares[tranche]) },
        94..=95 => Op::ClaimRedemption { actor, tranche },
        96 => Op::CancelRedemption { actor, tranche },
        // Recovery sales are worth trying only once the tranches hold collateral.
        _ if m.tranches.iter().any(|t| t.collateral_held.iter().any(|h| *h > 0)) && rng.random_bool(0.3) => {
            Op::RecoverySale { buyer: actor, tranche, asset, notes: amount(rng, m.wallets[actor].notes) }
        }
        97 => Op::CheckCoverage,
        _ => Op::RoundTrip { actor, tranche, amount: amount(rng, 100_000_000_000) },
    }
}
