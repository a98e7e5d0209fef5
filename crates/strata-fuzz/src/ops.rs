//! Random steps as proptest strategies, weighted towards the interesting: borrowing
//! near the limit, price crashes, liquidations of what is liquidatable. Each
//! strategy draws from the pool as it stands, and shrinks towards small amounts and
//! low actor, asset and tranche indices.

use proptest::prelude::*;
use proptest::strategy::Union;

use crate::model::{Model, Op, ACTORS, ASSETS, TRANCHES};

/// A new pool with the given stability fee, seeded with LP capital in both tranches
/// (junior first, so the senior's subordination holds).
pub fn fresh_pool(stability_fee_bps: u16) -> Model {
    let mut model = Model::new(stability_fee_bps);
    // Two LPs: 500 SOL of collateral and 20,000 notes each.
    for actor in [0, 1] {
        let _ = model.apply(Op::Deposit { actor, asset: 0, amount: 500_000_000_000 });
        let _ = model.apply(Op::Mint { actor, amount: 20_000_000_000 });
    }
    let _ = model.apply(Op::TrancheDeposit { actor: 0, tranche: 1, amount: 5_000_000_000 });
    let _ = model.apply(Op::TrancheDeposit { actor: 1, tranche: 0, amount: 10_000_000_000 });
    model
}

/// An amount spread over many orders of magnitude, up to `max`; sometimes exactly
/// `max`, dust or `u64::MAX`.
fn amount(max: u64) -> BoxedStrategy<u64> {
    if max == 0 {
        return (0u64..3).boxed();
    }
    let spread = (0..=64 - max.leading_zeros())
        .prop_flat_map(move |bits| 0..=max.min(if bits >= 64 { u64::MAX } else { (1u64 << bits) - 1 }).max(1));
    prop_oneof![1 => 0u64..3, 7 => spread, 1 => Just(max), 1 => Just(u64::MAX)].boxed()
}

/// One of `candidates` `percent` of the time, else any actor (any actor when there
/// are no candidates).
fn aimed_at(candidates: Vec<usize>, percent: u32) -> BoxedStrategy<usize> {
    match (candidates.is_empty(), percent) {
        (true, _) => (0..ACTORS).boxed(),
        (false, 100) => proptest::sample::select(candidates).boxed(),
        (false, _) => prop_oneof![percent => proptest::sample::select(candidates), 100 - percent => 0..ACTORS].boxed(),
    }
}

/// How much `actor` may still mint at the conservative price.
fn room(m: &Model, actor: usize) -> u64 {
    let limit = m
        .views(&m.positions[actor].collateral)
        .iter()
        .map(|v| v.weighted_value(strata_core::PriceBasis::Conservative, m.now).unwrap_or(0))
        .sum::<u128>();
    let owed = m.debt.debt_of(m.positions[actor].shares).unwrap_or(0);
    u64::try_from(limit.saturating_sub(owed)).unwrap_or(u64::MAX)
}

/// Per actor, a strategy of `make(actor)`.
fn per_actor(make: impl Fn(usize) -> BoxedStrategy<Op>) -> BoxedStrategy<Op> {
    let choices: Vec<BoxedStrategy<Op>> = (0..ACTORS).map(make).collect();
    (0..ACTORS).prop_flat_map(move |actor| choices[actor].clone()).boxed()
}

fn price_move() -> BoxedStrategy<Op> {
    // Mostly small moves, sometimes crashes and spikes.
    let move_bps = prop_oneof![8 => -300i32..=300, 1 => -6_000i32..=-1_000, 1 => 1_000i32..=5_000];
    let conf_bps = prop_oneof![9 => 0u16..100, 1 => 0u16..1_000];
    (0..ASSETS, move_bps, conf_bps, proptest::bool::weighted(0.3))
        .prop_map(|(asset, move_bps, conf_bps, ema_lag)| Op::MovePrice { asset, move_bps, conf_bps, ema_lag })
        .boxed()
}

/// A step from state `m`, with the weights of the original hand-rolled fuzzer.
pub fn op_strategy(m: &Model) -> BoxedStrategy<Op> {
    let wallets = m.wallets;
    let positions = m.positions;
    let unhealthy: Vec<usize> = (0..ACTORS).filter(|a| m.spot_health(*a).is_some_and(|h| !h.is_healthy())).collect();
    let rooms: Vec<u64> = (0..ACTORS).map(|a| room(m, a)).collect();
    let deposit = per_actor(|actor| {
        (0..ASSETS)
            .prop_flat_map(move |asset| {
                amount(wallets[actor].collateral[asset]).prop_map(move |amount| Op::Deposit { actor, asset, amount })
            })
            .boxed()
    });
    let withdraw = per_actor(|actor| {
        (0..ASSETS)
            .prop_flat_map(move |asset| {
                amount(positions[actor].collateral[asset]).prop_map(move |amount| Op::Withdraw { actor, asset, amount })
            })
            .boxed()
    });
    // Often right at the borrowing limit.
    let mint = per_actor(|actor| {
        prop_oneof![Just(rooms[actor]), amount(rooms[actor])].prop_map(move |amount| Op::Mint { actor, amount }).boxed()
    });
    let repay = per_actor(|payer| {
        let target = prop_oneof![7 => Just(payer), 3 => 0..ACTORS];
        (target, amount(wallets[payer].notes))
            .prop_map(move |(target, amount)| Op::Repay { payer, target, amount })
            .boxed()
    });
    let advance =
        prop_oneof![9 => 1i64..=120, 1 => 86_400i64..=90 * 86_400].prop_map(|seconds| Op::Advance { seconds });
    // Aim at liquidatable positions most of the time.
    let liquidate = {
        let targets = aimed_at(unhealthy.clone(), 80);
        per_actor(move |keeper| {
            (targets.clone(), 0..ASSETS, amount(wallets[keeper].notes))
                .prop_map(move |(target, asset, repay)| Op::Liquidate { keeper, target, asset, repay })
                .boxed()
        })
    };
    let absorb = (0..ACTORS, aimed_at(unhealthy, 100)).prop_map(|(keeper, target)| Op::Absorb { keeper, target });
    let tranche_deposit = per_actor(|actor| {
        (0..TRANCHES, amount(wallets[actor].notes))
            .prop_map(move |(tranche, amount)| Op::TrancheDeposit { actor, tranche, amount })
            .boxed()
    });
    let request = per_actor(|actor| {
        (0..TRANCHES)
            .prop_flat_map(move |tranche| {
                amount(wallets[actor].shares[tranche]).prop_map(move |shares| Op::RequestRedemption {
                    actor,
                    tranche,
                    shares,
                })
            })
            .boxed()
    });
    let claim = (0..ACTORS, 0..TRANCHES).prop_map(|(actor, tranche)| Op::ClaimRedemption { actor, tranche });
    let cancel = (0..ACTORS, 0..TRANCHES).prop_map(|(actor, tranche)| Op::CancelRedemption { actor, tranche });
    let round_trip = (0..ACTORS, 0..TRANCHES, amount(100_000_000_000))
        .prop_map(|(actor, tranche, amount)| Op::RoundTrip { actor, tranche, amount });
    let mut choices: Vec<(u32, BoxedStrategy<Op>)> = vec![
        (12, deposit),
        (8, withdraw),
        (15, mint),
        (8, repay),
        (10, price_move()),
        (6, Just(Op::Refresh).boxed()),
        (6, advance.boxed()),
        // Income settles at random cadence: by distribute here, and by every flow.
        (5, Just(Op::Distribute).boxed()),
        (12, liquidate),
        (5, absorb.boxed()),
        (4, tranche_deposit),
        (3, request),
        (2, claim.boxed()),
        (1, cancel.boxed()),
        (1, Just(Op::CheckCoverage).boxed()),
        (2, round_trip.boxed()),
    ];
    // Recovery sales are worth trying only once the tranches hold collateral.
    if m.tranches.iter().any(|t| t.collateral_held.iter().any(|h| *h > 0)) {
        let sale = per_actor(|buyer| {
            (0..TRANCHES, 0..ASSETS, amount(wallets[buyer].notes))
                .prop_map(move |(tranche, asset, notes)| Op::RecoverySale { buyer, tranche, asset, notes })
                .boxed()
        });
        choices.push((1, sale));
    }
    Union::new_weighted(choices).boxed()
}
