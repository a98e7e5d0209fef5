//! Vectors of liquidation sizing, absorption and the tranche waterfalls: realistic
//! unhealthy positions (most cases), any inputs at all (some), and hand-made cases for
//! every refusal, each checked here to fail where it is meant to.

use serde_json::{json, Value};
use strata_core::absorb::{self, AbsorbPlan};
use strata_core::income::{apply_income, split_income, IncomeSplit};
use strata_core::liquidation::{self, LiquidationPlan, LiquidationTerms, MAX_COLLATERALS};
use strata_core::math::mul_div;
use strata_core::tranche::{
    apply_loss, junior_coverage_bps, split_loss, subordination_holds, LossSplit, Redemption, TrancheState, MAX_TRANCHES,
};
use strata_core::{
    CachedPrice, CollateralView, CoreResult, DebtState, Health, PriceBasis, PriceLimits, Rounding, BPS, WAD,
};

use crate::core::{case, error_name, random_debt, random_views, require_errors};
use crate::gen::{Rng, EDGES_U64};
use crate::json::{args, j, merged, s};

pub const NOW: i64 = 1_750_000_000;
const LIMITS: PriceLimits = PriceLimits { max_age_secs: 60, max_conf_bps: 100, max_ema_deviation_bps: 500 };

/// A fresh slot of `amount` units at `price_wad`, threshold `t`, bonus 2%..10%.
pub fn slot(amount: u64, price_wad: u128, t: u16) -> CollateralView {
    CollateralView {
        amount,
        price: CachedPrice { price_wad, ema_price_wad: price_wad, conf_wad: 0, publish_time: NOW },
        limits: LIMITS,
        ltv_bps: t.saturating_sub(1_000),
        liquidation_threshold_bps: t,
        liquidation_bonus_min_bps: 200,
        liquidation_bonus_max_bps: 1_000,
    }
}

/// A pool at `index_wad` where one position owes about `owed` notes (its shares are
/// what minting `owed` issues), next to `others` shares of other positions.
fn owing(owed: u128, index_wad: u128, min_debt: u64, others: u128) -> (DebtState, u128) {
    let shares = mul_div(owed, WAD, index_wad, Rounding::Up).unwrap_or(u128::MAX);
    let debt = DebtState {
        total_shares: shares.saturating_add(others),
        rate_index_wad: index_wad,
        stability_fee_bps: 500,
        last_accrual_ts: NOW,
        pending_fees: 0,
        debt_ceiling: u64::MAX,
        min_debt,
    };
    (debt, shares)
}

// --- liquidation --------------------------------------------------------------------

struct Liquidation {
    debt: DebtState,
    terms: LiquidationTerms,
    slots: Vec<CollateralView>,
    shares: u128,
    index: usize,
    requested: u64,
    now: i64,
}

impl Liquidation {
    fn simple(debt: (DebtState, u128), slots: Vec<CollateralView>, index: usize, requested: u64) -> Self {
        Self {
            debt: debt.0,
            terms: LiquidationTerms { close_factor_bps: 5_000 },
            slots,
            shares: debt.1,
            index,
            requested,
            now: NOW,
        }
    }

    fn run(&self) -> CoreResult<LiquidationPlan> {
        liquidation::plan(&self.debt, &self.terms, &self.slots, self.shares, self.index, self.requested, self.now)
    }

    /// Whether a `LiquidationWouldLowerHealth` refusal comes from the bonus cap (even a
    /// zero bonus would lower health) rather than from the final check.
    fn refused_by_bonus_cap(&self) -> bool {
        let owed = self.debt.debt_of(self.shares).unwrap();
        let before = Health::compute(&self.slots, owed, PriceBasis::Spot, self.now).unwrap();
        let t = u128::from(self.slots[self.index].liquidation_threshold_bps);
        mul_div(before.weighted_collateral, BPS * BPS, owed * t, Rounding::Down).unwrap() <= BPS
    }
}

/// The plan, what its accessors report, and the debt state after applying it.
fn liquidation_case(l: &Liquidation) -> Value {
    let Liquidation { debt, terms, slots, shares, index, requested, now } = l;
    let input = args! { debt, terms, slots, position_shares: shares, index, requested, now };
    case(input, l.run(), |plan| {
        let seized: Vec<u64> = (0..MAX_COLLATERALS).map(|i| plan.seized(i)).collect();
        let mut debt = l.debt;
        let applied =
            case(json!({}), plan.apply(&mut debt, l.shares), |shares| args! { state: debt, position_shares: shares });
        let (repay, shares_burned, bad_debt) = (plan.repay(), plan.shares_burned(), plan.bad_debt());
        args! { plan, repay, seized, shares_burned, bad_debt, before: plan.before(), after: plan.after(), applied }
    })
}

/// A position just past (or far past, or short of) its liquidation threshold.
fn random_liquidation(rng: &mut Rng) -> Liquidation {
    let now = NOW;
    let count = rng.range_i64(1, 4) as usize;
    let tiny = rng.chance(4);
    let slots: Vec<CollateralView> = (0..count)
        .map(|_| {
            // Realistic magnitudes: native amounts of 2^16..2^56 units at prices of
            // 2^20..2^76 WAD per unit; tiny positions, where rounding matters most.
            let amount = match rng.below(12) {
                0 => 0,
                _ if tiny => rng.small(14) as u64,
                _ => {
                    let bits = rng.range_i64(16, 56) as u32;
                    rng.bits_u128(bits) as u64
                }
            };
            let price_bits = if tiny { rng.range_i64(50, 72) } else { rng.range_i64(20, 76) } as u32;
            let price = rng.bits_u128(price_bits).max(1);
            let t = match rng.below(12) {
                0 => rng.pick(&[0, 1, 9_800, 10_000]),
                _ => rng.range_i64(5_000, 9_500) as u16,
            };
            let mut v = slot(amount, price, t);
            v.price.publish_time = now - rng.range_i64(0, 60);
            if rng.chance(5) {
                // Wide confidence and a deviating EMA never block a liquidation.
                v.price.conf_wad = price / 2;
                v.price.ema_price_wad = price.saturating_mul(3);
            }
            v.liquidation_bonus_min_bps = rng.below(500) as u16;
            v.liquidation_bonus_max_bps = if rng.chance(10) {
                rng.below(u64::from(v.liquidation_bonus_min_bps) + 1) as u16 // max below min
            } else {
                v.liquidation_bonus_min_bps + rng.below(2_000) as u16
            };
            v
        })
        .collect();
    let weighted = Health::compute(&slots, 1, PriceBasis::Spot, now).map_or(0, |h| h.weighted_collateral);
    // Mostly just past the threshold (partial liquidations), sometimes far past
    // (settlements), sometimes not past it at all.
    let over_bps = match rng.below(10) {
        0 => -rng.range_i64(0, 5_000),
        1 | 2 => rng.range_i64(1, 40_000),
        3 | 4 => rng.range_i64(1, 2_000),
        _ => rng.range_i64(1, 300),
    };
    let owed = if over_bps <= 0 {
        weighted.saturating_mul((10_000 + over_bps) as u128) / 10_000
    } else {
        weighted.saturating_add(weighted.saturating_mul(over_bps as u128) / 10_000) + 1
    };
    let index_wad = match rng.below(4) {
        0 => WAD,
        _ => WAD + rng.small(62),
    };
    let min_debt = match rng.below(10) {
        0..=2 => 0,
        3 => (owed.min(u128::from(u64::MAX)) as u64).saturating_add(rng.small(20) as u64),
        _ => rng.small(if tiny { 10 } else { 40 }) as u64,
    };
    let (debt, shares) = owing(owed, index_wad, min_debt, rng.small(60));
    let requested = match rng.below(6) {
        0 => u64::MAX,
        1 => rng.pick(&EDGES_U64),
        2 => (owed / 2).min(u128::from(u64::MAX)) as u64,
        _ => (rng.small(64) as u64).max(1),
    };
    let index =
        if rng.chance(25) { rng.below(MAX_COLLATERALS as u64) as usize } else { rng.below(count as u64) as usize };
    let close_factor_bps = match rng.below(10) {
        0 => rng.pick(&[0, 1, 10_000, u16::MAX]),
        _ => rng.range_i64(1_000, 10_000) as u16,
    };
    Liquidation { debt, terms: LiquidationTerms { close_factor_bps }, slots, shares, index, requested, now }
}

/// Any inputs: stale prices, huge values, zero thresholds.
fn wild_liquidation(rng: &mut Rng) -> Liquidation {
    let now = rng.range_i64(1_000_000, 2_000_000_000);
    let count = rng.range_i64(0, 8) as usize;
    let mut slots = random_views(rng, now, count);
    for v in &mut slots {
        v.liquidation_bonus_min_bps = rng.pick(&[0, 200, u16::MAX]);
        v.liquidation_bonus_max_bps = rng.pick(&[0, 1_000, u16::MAX]);
    }
    let debt = random_debt(rng);
    let shares = if rng.chance(3) { debt.total_shares } else { rng.spread_u128(128) };
    Liquidation {
        debt,
        terms: LiquidationTerms { close_factor_bps: rng.pick(&[0, 5_000, 10_000, u16::MAX]) },
        slots,
        shares,
        index: rng.below(9) as usize,
        requested: rng.spread_u64(),
        now,
    }
}

/// Hand-made cases, each with the outcome it must have (`None`: a plan).
fn liquidation_edges() -> Vec<(Liquidation, Option<&'static str>)> {
    let one = |amount: u64, t: u16| vec![slot(amount, WAD, t)];
    let mut stale = slot(1_000, WAD, 8_000);
    stale.price.publish_time = NOW - 61;
    let mut wide = slot(1_000, WAD, 8_000);
    wide.price.conf_wad = WAD / 2;
    wide.price.ema_price_wad = WAD * 2;
    let two = vec![slot(50_000_000, WAD, 9_000), slot(100_000_000, WAD, 5_000)];
    let insolvent = vec![slot(40_000_000, WAD, 8_000), slot(20_000_000, WAD, 8_000)];
    let shortfall = Liquidation::simple(owing(100_000_000, WAD, 10, 0), insolvent.clone(), 0, u64::MAX);
    let shortfall_repay = shortfall.run().unwrap().repay();
    let mut capped = vec![slot(1_000_000_000, WAD, 8_000)];
    capped[0].liquidation_bonus_max_bps = 100; // max below min: the max applies
    let zero_cf = Liquidation {
        terms: LiquidationTerms { close_factor_bps: 0 },
        ..Liquidation::simple(owing(842_000_000, WAD, 0, 0), one(1_000_000_000, 8_000), 0, u64::MAX)
    };
    vec![
        // Exactly at health 1.0: refused; one unit more debt: liquidatable.
        (Liquidation::simple(owing(800, WAD, 0, 0), one(1_000, 8_000), 0, u64::MAX), Some("PositionHealthy")),
        (Liquidation::simple(owing(801, WAD, 0, 0), one(1_000, 8_000), 0, u64::MAX), None),
        // Half the debt at a dynamic 6.98% bonus; the offer limits it.
        (Liquidation::simple(owing(842_000_000, WAD, 0, 0), one(1_000_000_000, 8_000), 0, u64::MAX), None),
        (Liquidation::simple(owing(842_000_000, WAD, 0, 0), one(1_000_000_000, 8_000), 0, 1_000_000), None),
        (Liquidation::simple(owing(842_000_000, WAD, 0, 0), capped, 0, u64::MAX), None),
        // Dust: all of it may be repaid; an offer leaving dust is cut to the floor;
        // a debt below the floor cannot be partly repaid at all.
        (Liquidation::simple(owing(100, WAD, 60, 0), one(120, 8_000), 0, u64::MAX), None),
        (Liquidation::simple(owing(100, WAD, 60, 0), one(120, 8_000), 0, 70), None),
        (Liquidation::simple(owing(100, WAD, 200, 0), one(120, 8_000), 0, 50), Some("ZeroAmount")),
        // Nothing offered; a close factor of zero.
        (Liquidation::simple(owing(842_000_000, WAD, 0, 0), one(1_000_000_000, 8_000), 0, 0), Some("ZeroAmount")),
        (zero_cf, Some("ZeroAmount")),
        // At an index of 1e12 a million notes pay off no whole share.
        (
            Liquidation::simple(
                owing(1_000_000_000_000, WAD * 1_000_000_000_000, 0, 0),
                one(1_100_000_000_000, 8_000),
                0,
                1_000_000,
            ),
            Some("ZeroAmount"),
        ),
        // Seizing the high-threshold asset would lower health; the other is fine;
        // an unlisted or empty slot has nothing to seize.
        (
            Liquidation::simple(owing(120_000_000, WAD, 0, 0), two.clone(), 0, u64::MAX),
            Some("LiquidationWouldLowerHealth"),
        ),
        (Liquidation::simple(owing(120_000_000, WAD, 0, 0), two.clone(), 1, u64::MAX), None),
        (Liquidation::simple(owing(120_000_000, WAD, 0, 0), two.clone(), 2, u64::MAX), Some("NoCollateralToSeize")),
        (
            Liquidation::simple(owing(120_000_000, WAD, 0, 0), vec![two[0], two[1], slot(0, WAD, 8_000)], 2, u64::MAX),
            Some("NoCollateralToSeize"),
        ),
        // Insolvent: settled whole at the maximum bonus; one note short is refused.
        (shortfall, None),
        (
            Liquidation::simple(owing(100_000_000, WAD, 10, 0), insolvent, 0, shortfall_repay - 1),
            Some("ShortfallRepayTooLow"),
        ),
        // Stale prices block; a wide confidence and a deviating EMA do not.
        (Liquidation::simple(owing(900, WAD, 0, 0), vec![stale], 0, u64::MAX), Some("StalePrice")),
        (Liquidation::simple(owing(900, WAD, 0, 0), vec![wide], 0, u64::MAX), None),
        // A zero threshold on the seized asset: the bonus cap divides by zero.
        (
            Liquidation::simple(
                owing(100_000_000, WAD, 0, 0),
                vec![slot(200_000_000, WAD, 0), slot(100_000_000, WAD, 8_000)],
                0,
                u64::MAX,
            ),
            Some("MathOverflow"),
        ),
        // Debt beyond u128, and a settlement beyond u64.
        (Liquidation::simple((owing(1, 2 * WAD, 0, 0).0, u128::MAX), one(1, 8_000), 0, u64::MAX), Some("MathOverflow")),
        (
            Liquidation::simple(owing(1 << 72, WAD, 0, 0), vec![slot(u64::MAX, WAD * 64, 8_000)], 0, u64::MAX),
            Some("MathOverflow"),
        ),
    ]
}

pub fn liquidation_cases(rng: &mut Rng) -> Vec<Value> {
    let mut cases = Vec::new();
    let (mut at_cap, mut at_check) = (0, 0);
    let mut record = |l: &Liquidation, cases: &mut Vec<Value>| {
        if l.run() == Err(strata_core::CoreError::LiquidationWouldLowerHealth) {
            if l.refused_by_bonus_cap() {
                at_cap += 1;
            } else {
                at_check += 1;
            }
        }
        cases.push(liquidation_case(l));
    };
    for (l, expected) in liquidation_edges() {
        assert_eq!(l.run().err().map(error_name).as_deref(), expected, "liquidation edge case");
        record(&l, &mut cases);
    }
    for _ in 0..800 {
        let l = random_liquidation(rng);
        record(&l, &mut cases);
    }
    for _ in 0..150 {
        let l = wild_liquidation(rng);
        record(&l, &mut cases);
    }
    // Both places that refuse with LiquidationWouldLowerHealth are exercised.
    assert!(at_cap > 0 && at_check > 0, "bonus cap {at_cap}, final check {at_check}");
    require_errors(
        "liquidation",
        &cases,
        &[
            "LiquidationWouldLowerHealth",
            "MathOverflow",
            "NoCollateralToSeize",
            "PositionHealthy",
            "ShortfallRepayTooLow",
            "StalePrice",
            "ZeroAmount",
        ],
    );
    cases
}

// --- absorption ---------------------------------------------------------------------

struct Absorption {
    debt: DebtState,
    slots: Vec<CollateralView>,
    shares: u128,
    tranches: Vec<TrancheState>,
    keeper_tip_bps: u16,
    now: i64,
}

impl Absorption {
    fn simple(debt: (DebtState, u128), slots: Vec<CollateralView>, assets: &[u64], keeper_tip_bps: u16) -> Self {
        let tranches = assets.iter().map(|a| TrancheState { assets: *a, ..Default::default() }).collect();
        Self { debt: debt.0, slots, shares: debt.1, tranches, keeper_tip_bps, now: NOW }
    }

    fn run(&self) -> CoreResult<AbsorbPlan> {
        absorb::plan(&self.debt, &self.slots, self.shares, &self.tranches, self.keeper_tip_bps, self.now)
    }
}

fn absorb_case(a: &Absorption) -> Value {
    let Absorption { debt, slots, shares, tranches, keeper_tip_bps, now } = a;
    let input = args! { debt, slots, position_shares: shares, tranches, keeper_tip_bps, now };
    case(input, a.run(), |plan| {
        let (mut debt, mut tranches) = (a.debt, a.tranches.clone());
        let applied = case(
            json!({}),
            plan.apply(&mut debt, a.shares, &mut tranches),
            |shares| args! { state: debt, position_shares: shares, tranches },
        );
        args! { plan, applied }
    })
}

pub fn random_tranches(rng: &mut Rng, count: usize, tiny: bool) -> Vec<TrancheState> {
    (0..count)
        .map(|_| {
            let mut held = [0u64; MAX_COLLATERALS];
            for h in held.iter_mut() {
                if rng.chance(4) {
                    *h = rng.small(40) as u64;
                }
            }
            let lost = rng.small(40) as u64;
            let total_shares = rng.small(64) as u64;
            TrancheState {
                assets: match rng.below(6) {
                    0 => 0,
                    1 => rng.pick(&EDGES_U64),
                    _ if tiny => rng.small(16) as u64,
                    _ => rng.small(56) as u64,
                },
                total_shares,
                target_apr_bps: rng.below(2_000) as u16,
                min_subordination_bps: rng.below(9_500) as u16,
                last_settled_ts: NOW - rng.range_i64(0, 2 * 31_536_000),
                yield_owed_wad: if rng.chance(3) { rng.small(80) } else { 0 },
                escrowed_shares: if rng.chance(3) { rng.below(total_shares.max(1)) } else { 0 },
                loss_outstanding: lost,
                cumulative_yield: rng.small(50) as u64,
                cumulative_loss: lost.saturating_add(rng.small(40) as u64),
                collateral_held: held,
            }
        })
        .collect()
}

/// One tranche, tiny one time in three.
fn random_tranche(rng: &mut Rng) -> TrancheState {
    let tiny = rng.chance(3);
    random_tranches(rng, 1, tiny).remove(0)
}

fn random_absorption(rng: &mut Rng) -> Absorption {
    let base = random_liquidation(rng);
    let tiny = base.slots.iter().all(|v| v.amount < 1 << 14);
    let count = rng.range_i64(1, MAX_TRANCHES as i64) as usize;
    let tranches = random_tranches(rng, count, tiny);
    let keeper_tip_bps = match rng.below(8) {
        0 => rng.pick(&[0, 1, 10_000]),
        _ => rng.below(1_001) as u16,
    };
    Absorption { debt: base.debt, slots: base.slots, shares: base.shares, tranches, keeper_tip_bps, now: base.now }
}

fn absorb_edges() -> Vec<(Absorption, Option<&'static str>)> {
    let one = |amount: u64| vec![slot(amount, WAD, 8_000)];
    let mut stale = slot(1_000, WAD, 8_000);
    stale.price.publish_time = NOW - 61;
    vec![
        // Enough notes: the whole position, junior first, credited 300 : 600 after the tip.
        (Absorption::simple(owing(900, WAD, 0, 0), one(1_000), &[10_000, 600], 50), None),
        // Thin tranches: a third of the debt with a third (less one unit) of the collateral.
        (Absorption::simple(owing(900, WAD, 0, 0), one(1_000), &[0, 300], 0), None),
        (
            Absorption::simple(
                owing(1_300, WAD, 0, 0),
                vec![slot(600, WAD, 8_000), slot(400, 2 * WAD, 9_000)],
                &[100, 0, 250],
                1_000,
            ),
            None,
        ),
        (Absorption::simple(owing(700, WAD, 0, 0), one(1_000), &[1_000], 0), Some("PositionHealthy")),
        (Absorption::simple(owing(900, WAD, 0, 0), one(1_000), &[0, 0], 0), Some("TranchesEmpty")),
        (Absorption::simple(owing(900, WAD, 0, 0), one(1_000), &[], 0), Some("NoTranches")),
        (Absorption::simple(owing(900, WAD, 0, 0), vec![stale], &[1_000], 0), Some("StalePrice")),
        // One note at an index of 1e12 pays off no whole share.
        (
            Absorption::simple(
                owing(1_000_000_000_000, WAD * 1_000_000_000_000, 0, 0),
                one(1_100_000_000_000),
                &[1],
                0,
            ),
            Some("ZeroAmount"),
        ),
        (Absorption::simple((owing(1, 2 * WAD, 0, 0).0, u128::MAX), one(1), &[1], 0), Some("MathOverflow")),
    ]
}

pub fn absorb_cases(rng: &mut Rng) -> Vec<Value> {
    let mut cases = Vec::new();
    for (a, expected) in absorb_edges() {
        assert_eq!(a.run().err().map(error_name).as_deref(), expected, "absorb edge case");
        cases.push(absorb_case(&a));
    }
    for _ in 0..450 {
        cases.push(absorb_case(&random_absorption(rng)));
    }
    require_errors(
        "absorb",
        &cases,
        &[
            "DebtBelowMinimum",
            "MathOverflow",
            "NoTranches",
            "PositionHealthy",
            "StalePrice",
            "TranchesEmpty",
            "ZeroAmount",
        ],
    );
    cases
}

// --- tranches -----------------------------------------------------------------------

/// Prices for held collateral: fresh mostly, stale or missing sometimes.
pub fn price_slots(rng: &mut Rng) -> Vec<CollateralView> {
    let count = if rng.chance(8) { rng.below(MAX_COLLATERALS as u64) as usize } else { MAX_COLLATERALS };
    (0..count)
        .map(|_| {
            let price = match rng.below(12) {
                0 => u128::MAX / rng.range_i64(1, 4) as u128,
                _ => rng.small(80).max(1),
            };
            let mut v = slot(rng.small(40) as u64, price, 8_000); // amounts are ignored
            if rng.chance(15) {
                v.price.publish_time = NOW - 61;
            }
            v
        })
        .collect()
}

#[derive(Default)]
pub struct TrancheSections {
    pub nav: Vec<Value>,
    pub shares_for_deposit: Vec<Value>,
    pub redemption: Vec<Value>,
    pub deposit: Vec<Value>,
    pub withdraw: Vec<Value>,
    pub subordination: Vec<Value>,
    pub split_income: Vec<Value>,
    pub apply_income: Vec<Value>,
    pub split_loss: Vec<Value>,
    pub apply_loss: Vec<Value>,
    pub coverage: Vec<Value>,
}

pub fn income_json(split: &IncomeSplit) -> Value {
    let to_tranche: Vec<u64> = (0..MAX_TRANCHES).map(|i| split.to_tranche(i)).collect();
    merged(j(split), args! { to_tranche })
}

fn random_navs(rng: &mut Rng) -> Vec<u128> {
    let count = rng.below(6) as usize;
    (0..count)
        .map(|_| match rng.below(10) {
            0 => rng.pick(&[0, u128::MAX / 10_000, u128::MAX / 10_000 + 1, u128::MAX]),
            1 => 0,
            _ => rng.small(70),
        })
        .collect()
}

pub fn tranche_cases(rng: &mut Rng) -> TrancheSections {
    let mut out = TrancheSections::default();
    let fresh = |amount: u64| TrancheState { assets: amount, ..Default::default() };

    // Share pricing: the first deposit, the inflation attack, and a spread.
    let mut share_inputs: Vec<(TrancheState, u128, u64)> = vec![
        (TrancheState::default(), 0, 1_000_000),
        (TrancheState::default(), 0, 0),
        (TrancheState { assets: 1, total_shares: 1_000, ..Default::default() }, 1_000_000_001, 1_000_000_000),
        (TrancheState::default(), u128::MAX, 1),
        (TrancheState::default(), u128::MAX - 1, u64::MAX),
        (TrancheState { total_shares: u64::MAX, ..Default::default() }, 0, u64::MAX),
        (TrancheState::default(), 10_000, 1),
    ];
    for _ in 0..400 {
        let t = random_tranche(rng);
        let nav = match rng.below(5) {
            0 => rng.spread_u128(128),
            _ => u128::from(t.assets) + rng.small(40),
        };
        let amount = if rng.chance(10) { rng.pick(&EDGES_U64) } else { rng.small(60) as u64 };
        share_inputs.push((t, nav, amount));
    }
    for (t, nav, amount) in share_inputs {
        let input = args! { tranche: t, nav, amount };
        out.shares_for_deposit.push(case(input, t.shares_for_deposit(nav, amount), s));
        let shares = rng.small(60) as u64;
        let mut next = t;
        let input = args! { tranche: t, amount, shares };
        out.deposit.push(case(input, next.deposit(amount, shares), |()| j(&next)));
    }

    // Redemptions: all shares, more than exist, none, and a spread.
    let mut redeem_inputs: Vec<(TrancheState, u64)> = vec![
        (TrancheState { assets: 1_000_000_001, total_shares: 1_000_001_000, ..Default::default() }, 1_000_000_000),
        (fresh(5), 0),
        (TrancheState { assets: 5, total_shares: 10, ..Default::default() }, 11),
        (
            TrancheState {
                assets: u64::MAX,
                total_shares: u64::MAX,
                collateral_held: [u64::MAX; 8],
                ..Default::default()
            },
            u64::MAX,
        ),
    ];
    for _ in 0..400 {
        let t = random_tranche(rng);
        let shares = match rng.below(6) {
            0 => t.total_shares,
            1 => t.total_shares.saturating_add(1),
            2 => 0,
            _ => rng.below(t.total_shares.max(1)),
        };
        redeem_inputs.push((t, shares));
    }
    for (t, shares) in redeem_inputs {
        let input = args! { tranche: t, shares };
        out.redemption.push(case(input, t.redemption(shares), |r| j(&r)));
        // Withdrawals: the redemption itself, or any numbers at all.
        let redemption = match t.redemption(shares) {
            Ok(r) if !rng.chance(4) => r,
            _ => Redemption {
                shares: rng.small(64) as u64,
                notes: rng.small(64) as u64,
                collateral: std::array::from_fn(|_| rng.small(42) as u64),
            },
        };
        let mut next = t;
        let input = args! { tranche: t, redemption };
        out.withdraw.push(case(input, next.withdraw(&redemption), |()| j(&next)));
    }

    // NAV: notes plus held collateral at spot.
    let mut nav_inputs = vec![
        (TrancheState { collateral_held: [0, 5, 0, 0, 0, 0, 0, 0], ..fresh(1) }, vec![slot(0, WAD, 8_000)]),
        (TrancheState { collateral_held: [u64::MAX; 8], ..fresh(u64::MAX) }, vec![slot(0, u128::MAX, 8_000); 8]),
    ];
    for _ in 0..150 {
        nav_inputs.push((random_tranches(rng, 1, false).remove(0), price_slots(rng)));
    }
    for (t, slots) in nav_inputs {
        let input = args! { tranche: t, slots, now: NOW };
        out.nav.push(case(input, t.nav(&slots, NOW), s));
    }

    // Subordination and coverage over NAVs.
    let mut nav_sets: Vec<Vec<u128>> =
        vec![vec![], vec![800, 200], vec![801, 199], vec![0, 0], vec![u128::MAX, 1], vec![1, u128::MAX / 10_000 + 1]];
    for _ in 0..300 {
        nav_sets.push(random_navs(rng));
    }
    for navs in nav_sets {
        for _ in 0..2 {
            let any = rng.below(10_001) as u16;
            let min = rng.pick(&[0, 2_000, 9_500, u16::MAX, any]);
            let index = rng.below(navs.len() as u64 + 2) as usize;
            let input = args! { navs, min_subordination_bps: min, index };
            out.subordination.push(case(input, subordination_holds(&navs, min, index), Value::Bool));
        }
        out.coverage.push(case(args! { navs }, junior_coverage_bps(&navs), s));
    }

    // Income and losses.
    const YEAR: i64 = 31_536_000;
    let mut income_inputs: Vec<(Vec<TrancheState>, u64, u16, u64, bool, i64)> = vec![
        (vec![TrancheState { target_apr_bps: 500, ..fresh(1_000_000) }, fresh(500_000)], 40_000, 0, 0, false, YEAR),
        (
            vec![TrancheState { target_apr_bps: 500, ..fresh(1_000_000) }, fresh(500_000)],
            100_000,
            1_000,
            0,
            false,
            YEAR,
        ),
        (vec![TrancheState { target_apr_bps: 500, ..fresh(1_000_000) }, fresh(500_000)], 100_000, 0, 0, true, YEAR),
        (
            vec![
                TrancheState {
                    target_apr_bps: 500,
                    loss_outstanding: 30_000,
                    cumulative_loss: 30_000,
                    ..fresh(1_000_000)
                },
                TrancheState { loss_outstanding: 100_000, cumulative_loss: 100_000, ..fresh(0) },
            ],
            50_000,
            0,
            15_000,
            false,
            YEAR,
        ),
        (vec![], 1_000, 0, 0, false, YEAR),
        (vec![fresh(1); 5], 1_000, 0, 0, false, YEAR),
        (vec![fresh(1)], 1_000, 10_001, 0, false, YEAR),
        (
            vec![TrancheState { target_apr_bps: 5_000, last_settled_ts: i64::MAX, ..fresh(9) }, fresh(1)],
            7,
            0,
            0,
            false,
            i64::MIN,
        ),
        (
            vec![TrancheState { target_apr_bps: 5_000, last_settled_ts: i64::MIN, ..fresh(u64::MAX) }, fresh(1)],
            u64::MAX,
            1,
            0,
            false,
            i64::MAX,
        ),
    ];
    for _ in 0..400 {
        let count = rng.range_i64(1, MAX_TRANCHES as i64) as usize;
        let tiny = rng.chance(3);
        let tranches = random_tranches(rng, count, tiny);
        let fees = if rng.chance(8) { rng.pick(&EDGES_U64) } else { rng.small(50) as u64 };
        let fee_bps = match rng.below(10) {
            0 => rng.pick(&[0, 10_000, 10_001, u16::MAX]),
            _ => rng.below(5_001) as u16,
        };
        let bad_debt = if rng.chance(3) { rng.small(45) as u64 } else { 0 };
        income_inputs.push((tranches, fees, fee_bps, bad_debt, rng.chance(4), NOW));
    }
    for (tranches, fees, fee_bps, bad_debt, turbo, now) in income_inputs {
        let input = args! { tranches, fees, protocol_fee_bps: fee_bps, bad_debt, turbo, now };
        let result = split_income(&tranches, fees, fee_bps, bad_debt, turbo, now);
        out.split_income.push(case(input, result, |split| income_json(&split)));
        if tranches.len() > MAX_TRANCHES {
            continue;
        }
        // Applying the split (or, sometimes, one that recovers more than is owed or
        // pays past u64).
        let split = match result {
            Ok(split) if !rng.chance(5) => split,
            _ => IncomeSplit {
                recovered: std::array::from_fn(|_| rng.small(42) as u64),
                yielded: std::array::from_fn(|_| if rng.chance(6) { u64::MAX / 2 } else { rng.small(42) as u64 }),
                yield_owed_wad: std::array::from_fn(|_| rng.small(80)),
                ..Default::default()
            },
        };
        let mut next = tranches.clone();
        let input = args! { tranches, split: income_json(&split), now };
        out.apply_income.push(case(input, apply_income(&mut next, &split, now), |()| j(&next)));
    }

    let mut loss_inputs: Vec<(Vec<TrancheState>, u64)> = vec![
        (vec![fresh(1_000_000), fresh(300_000)], 200_000),
        (vec![fresh(1_000_000), fresh(300_000)], 450_000),
        (vec![fresh(1_000_000), fresh(300_000)], 1_500_000),
        (vec![], 10),
        (vec![TrancheState { loss_outstanding: u64::MAX, cumulative_loss: u64::MAX, ..fresh(5) }], 3),
    ];
    for _ in 0..300 {
        let count = rng.range_i64(0, MAX_TRANCHES as i64) as usize;
        let loss = if rng.chance(8) { rng.pick(&EDGES_U64) } else { rng.small(58) as u64 };
        let tiny = rng.chance(3);
        loss_inputs.push((random_tranches(rng, count, tiny), loss));
    }
    for (tranches, loss) in loss_inputs {
        let split = split_loss(&tranches, loss);
        let input = args! { tranches, loss };
        out.split_loss.push(case(input, Ok(split), |split| j(&split)));
        let split = if rng.chance(5) {
            let taken: [u64; MAX_TRANCHES] = std::array::from_fn(|_| rng.small(58) as u64);
            LossSplit { taken, lost: taken, ..Default::default() }
        } else {
            split
        };
        let mut next = tranches.clone();
        let input = args! { tranches, split };
        out.apply_loss.push(case(input, apply_loss(&mut next, &split), |()| j(&next)));
    }

    require_errors("trancheNav", &out.nav, &["MathOverflow", "NoCollateralToSeize", "StalePrice"]);
    require_errors("sharesForDeposit", &out.shares_for_deposit, &["MathOverflow", "SharePriceTooLow", "ZeroAmount"]);
    require_errors("redemption", &out.redemption, &["InsufficientShares", "ZeroAmount"]);
    require_errors("trancheDeposit", &out.deposit, &["MathOverflow"]);
    require_errors("trancheWithdraw", &out.withdraw, &["MathOverflow"]);
    require_errors("subordinationHolds", &out.subordination, &["MathOverflow"]);
    require_errors("splitIncome", &out.split_income, &["MathOverflow", "NoTranches"]);
    require_errors("applyIncome", &out.apply_income, &["MathOverflow"]);
    require_errors("splitLoss", &out.split_loss, &[]);
    require_errors("applyLoss", &out.apply_loss, &["MathOverflow"]);
    require_errors("juniorCoverageBps", &out.coverage, &["MathOverflow"]);
    out
}
