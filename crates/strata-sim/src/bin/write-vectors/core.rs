//! Vectors of the accounting core: every public function the TypeScript client
//! mirrors, run over edge values and a seeded spread, with the output or the error.

use serde_json::{json, Value};
use strata_core::debt::{RepayOutcome, MAX_STABILITY_FEE_BPS};
use strata_core::math::{div_round, pow10, to_u64};
use strata_core::price::{apply_bps, collateral_for_value, collateral_value, is_not_older, normalise};
use strata_core::{
    mul_div, CachedPrice, CollateralView, CoreError, CoreResult, DebtState, Health, OracleSample, PriceBasis,
    PriceLimits, Rounding, BPS, NOTE_DECIMALS, SECONDS_PER_YEAR, WAD,
};

use crate::gen::{Rng, EDGES_U128, EDGES_U64};
use crate::json::{args, j, merged, s};

const ROUNDINGS: [Rounding; 2] = [Rounding::Down, Rounding::Up];

/// The variant's name (derived `Debug` writes it first: `MathOverflow { at: .. }`): what
/// the program's error is called, and what the TS throws.
pub fn error_name(error: CoreError) -> String {
    format!("{error:?}").split(|c: char| !c.is_alphanumeric()).next().unwrap_or_default().to_string()
}

/// `inputs` plus `"out"` (the result) or `"error"` (the error's name).
pub fn case<T>(mut inputs: Value, result: CoreResult<T>, out: impl FnOnce(T) -> Value) -> Value {
    let map = inputs.as_object_mut().expect("case inputs are an object");
    match result {
        Ok(value) => map.insert("out".into(), out(value)),
        Err(error) => map.insert("error".into(), s(error_name(error))),
    };
    inputs
}

/// The error names each section must contain: generation fails when a change of
/// inputs stops exercising one of them.
pub fn require_errors(section: &str, cases: &[Value], expected: &[&str]) {
    let seen: std::collections::BTreeSet<&str> =
        cases.iter().filter_map(|c| c.get("error").and_then(Value::as_str)).collect();
    let expected: std::collections::BTreeSet<&str> = expected.iter().copied().collect();
    assert_eq!(seen, expected, "error names of the {section} vectors");
}

/// Every `CoreError` variant, for the error-code table.
pub fn all_errors() -> Vec<CoreError> {
    vec![
        CoreError::math(),
        CoreError::NonPositivePrice,
        CoreError::PriceOutOfRange,
        CoreError::StalePrice,
        CoreError::ConfidenceTooWide,
        CoreError::EmaDeviationTooLarge,
        CoreError::InsufficientCollateralValue,
        CoreError::DebtCeilingExceeded,
        CoreError::DebtBelowMinimum,
        CoreError::ZeroAmount,
        CoreError::NoDebt,
        CoreError::PositionHealthy,
        CoreError::NoCollateralToSeize,
        CoreError::LiquidationWouldLowerHealth,
        CoreError::ShortfallRepayTooLow,
        CoreError::InsufficientShares,
        CoreError::NoTranches,
        CoreError::TranchesEmpty,
        CoreError::SharePriceTooLow,
        CoreError::SubordinationBreached,
        CoreError::RedemptionNotReady,
    ]
}

pub fn constants() -> Value {
    json!({
        "WAD": s(WAD), "BPS": s(BPS), "SECONDS_PER_YEAR": s(SECONDS_PER_YEAR),
        "NOTE_DECIMALS": s(NOTE_DECIMALS), "MAX_STABILITY_FEE_BPS": s(MAX_STABILITY_FEE_BPS),
    })
}

// --- math ---------------------------------------------------------------------------

pub fn mul_div_cases(rng: &mut Rng) -> Vec<Value> {
    let mut inputs = Vec::new();
    let divisors = [0, 1, 3, 10_000, WAD, u64::MAX as u128, u128::MAX];
    for a in EDGES_U128 {
        for b in [0, 1, 7, WAD, u128::MAX] {
            for d in divisors {
                inputs.push((a, b, d));
            }
        }
    }
    for _ in 0..1_200 {
        let (a, b) = (rng.spread_u128(128), rng.spread_u128(128));
        let d = if rng.chance(50) { 0 } else { rng.spread_u128(128).max(1) };
        inputs.push((a, b, d));
    }
    let mut cases = Vec::new();
    for (a, b, d) in inputs {
        for r in ROUNDINGS {
            let input = args! { a, b, d, rounding: r };
            cases.push(case(input, mul_div(a, b, d, r), s));
        }
    }
    cases
}

pub fn div_round_cases(rng: &mut Rng) -> Vec<Value> {
    let mut cases = Vec::new();
    for _ in 0..100 {
        let (a, d) = (rng.spread_u128(128), rng.spread_u128(128));
        for r in ROUNDINGS {
            cases.push(case(args! { a, d, rounding: r }, div_round(a, d, r), s));
        }
    }
    cases
}

pub fn pow10_cases() -> Vec<Value> {
    [0u32, 1, 6, 18, 24, 37, 38, 39, 40, 77, u32::MAX]
        .into_iter()
        .map(|exp| case(args! { exp }, pow10(exp), s))
        .collect()
}

pub fn to_u64_cases() -> Vec<Value> {
    [0u128, 1, u64::MAX as u128 - 1, u64::MAX as u128, u64::MAX as u128 + 1, u128::MAX]
        .into_iter()
        .map(|value| case(args! { value }, to_u64(value), s))
        .collect()
}

// --- price --------------------------------------------------------------------------

pub fn normalise_cases(rng: &mut Rng) -> Vec<Value> {
    let mut inputs = Vec::new();
    for expo in [i32::MIN, -60, -41, -40, -39, -38, -30, -12, -8, -5, 0, 3, 10, 14, 15, 20, 40, i32::MAX] {
        for decimals in [0u8, 6, 9, 18, 255] {
            for mantissa in [0u64, 1, 9, 150_000_000, u64::MAX] {
                inputs.push((mantissa, expo, decimals));
            }
        }
    }
    for _ in 0..400 {
        let expo = rng.range_i64(-45, 45) as i32;
        let decimals = rng.below(19) as u8;
        inputs.push((rng.spread_u64(), expo, decimals));
    }
    let mut cases = Vec::new();
    for (mantissa, expo, decimals) in inputs {
        for r in ROUNDINGS {
            let input = args! { mantissa, expo, decimals, rounding: r };
            cases.push(case(input, normalise(mantissa, expo, decimals, r), s));
        }
    }
    cases
}

fn random_sample(rng: &mut Rng) -> OracleSample {
    let price = |rng: &mut Rng| -> i64 {
        match rng.below(8) {
            0 => rng.pick(&[i64::MIN, -1, 0, 1, i64::MAX]),
            1 => -(rng.bits_u128(62) as i64),
            _ => rng.small(64) as i64,
        }
    };
    OracleSample {
        price: price(rng),
        conf: rng.spread_u64(),
        expo: if rng.chance(10) { rng.pick(&[i32::MIN, -40, 30, i32::MAX]) } else { rng.range_i64(-20, 12) as i32 },
        ema_price: price(rng),
        ema_conf: rng.spread_u64(),
        publish_time: rng.range_i64(0, 2_000_000_000),
    }
}

pub fn from_sample_cases(rng: &mut Rng) -> Vec<Value> {
    let base = OracleSample {
        price: 15_000_000_000,
        conf: 7_500_000,
        expo: -8,
        ema_price: 14_990_000_000,
        ema_conf: 8_000_000,
        publish_time: 1_750_000_000,
    };
    let mut inputs = vec![
        (base, 9),
        (OracleSample { price: 0, ..base }, 9),
        (OracleSample { price: -1, ..base }, 9),
        (OracleSample { ema_price: 0, ..base }, 9),
        (OracleSample { ema_price: i64::MIN, ..base }, 9),
        (OracleSample { expo: -40, ..base }, 18), // scales to zero: PriceOutOfRange
        (OracleSample { expo: 20, ..base }, 0),   // shift > 38: PriceOutOfRange
        (OracleSample { price: i64::MAX, expo: 14, ..base }, 0), // overflow: PriceOutOfRange
        (OracleSample { conf: u64::MAX, expo: 14, ..base }, 0), // conf overflows
        (OracleSample { conf: 0, ..base }, 6),
        (OracleSample { conf: 1, expo: -30, ..base }, 18), // conf rounds up to 1
    ];
    for _ in 0..500 {
        let sample = random_sample(rng);
        let any = rng.below(19) as u8;
        inputs.push((sample, rng.pick(&[0u8, 6, 8, 9, 18, any])));
    }
    inputs
        .into_iter()
        .map(|(x, decimals)| {
            let input = args! { sample: x, decimals };
            case(input, CachedPrice::from_sample(&x, decimals), |p| j(&p))
        })
        .collect()
}

/// A cached price and limits around a spot value, with a spread of confidence,
/// EMA deviation and age, including the i64 extremes of the clock.
pub fn random_price(rng: &mut Rng) -> (CachedPrice, PriceLimits, i64) {
    let price_wad = if rng.chance(10) { rng.pick(&EDGES_U128) } else { rng.small(100) };
    let ema_price_wad = match rng.below(4) {
        0 => price_wad,
        1 => rng.spread_u128(128),
        _ => {
            let delta = price_wad / u128::from(rng.range_i64(1, 1_000) as u64);
            if rng.chance(2) {
                price_wad.saturating_add(delta)
            } else {
                price_wad - delta
            }
        }
    };
    let conf_wad = match rng.below(4) {
        0 => 0,
        1 => rng.spread_u128(128),
        _ => price_wad / u128::from(rng.range_i64(1, 100_000) as u64),
    };
    let publish_time =
        if rng.chance(10) { rng.pick(&[0, -5, i64::MIN, i64::MAX]) } else { rng.range_i64(1, 2_000_000_000) };
    let limits = PriceLimits {
        max_age_secs: if rng.chance(10) { rng.pick(&[0, u32::MAX]) } else { rng.range_i64(1, 86_400) as u32 },
        max_conf_bps: if rng.chance(10) { rng.pick(&[0, u16::MAX]) } else { rng.range_i64(1, 5_000) as u16 },
        max_ema_deviation_bps: if rng.chance(10) { rng.pick(&[0, u16::MAX]) } else { rng.range_i64(1, 5_000) as u16 },
    };
    let now = match rng.below(10) {
        0 => rng.pick(&[i64::MIN, -1, 0, i64::MAX]),
        1 => publish_time.saturating_sub(rng.range_i64(0, 100)),
        _ => publish_time.saturating_add(rng.range_i64(0, i64::from(limits.max_age_secs) * 2 + 1)),
    };
    (CachedPrice { price_wad, ema_price_wad, conf_wad, publish_time }, limits, now)
}

/// Boundaries: exact age, exact confidence and deviation limits and one past them,
/// a confidence at or above the price (the result saturates to zero), clock extremes.
fn price_edges() -> Vec<(CachedPrice, PriceLimits, i64)> {
    let spot = 150 * WAD;
    let p = CachedPrice { price_wad: spot, ema_price_wad: spot, conf_wad: spot / 100, publish_time: 1_000 };
    let l = PriceLimits { max_age_secs: 60, max_conf_bps: 100, max_ema_deviation_bps: 500 };
    let wide = PriceLimits { max_conf_bps: u16::MAX, max_ema_deviation_bps: u16::MAX, ..l };
    vec![
        (p, l, 1_000),
        (p, l, 1_060),
        (p, l, 1_061),
        (p, l, 999),
        (CachedPrice { publish_time: 0, ..p }, l, 0),
        (CachedPrice { publish_time: 5, ..p }, l, i64::MIN),
        (CachedPrice { publish_time: -5, ..p }, l, i64::MAX),
        (CachedPrice { publish_time: i64::MAX, ..p }, l, i64::MIN),
        (CachedPrice { publish_time: 1, ..p }, l, i64::MAX),
        (CachedPrice { conf_wad: spot / 100 + 1, ..p }, l, 1_000),
        (CachedPrice { ema_price_wad: spot - spot / 21, ..p }, l, 1_000),
        (CachedPrice { ema_price_wad: spot * 20 / 19, ..p }, l, 1_000),
        (CachedPrice { ema_price_wad: spot * 20 / 21, ..p }, l, 1_000),
        (CachedPrice { ema_price_wad: spot * 20 / 21 + 1, ..p }, l, 1_000),
        (CachedPrice { conf_wad: spot, ..p }, wide, 1_000),
        (CachedPrice { conf_wad: spot - 1, ..p }, wide, 1_000),
        (CachedPrice { conf_wad: spot + 1, ..p }, wide, 1_000),
        (CachedPrice { conf_wad: 6 * spot, ema_price_wad: spot / 2, ..p }, wide, 1_000),
        (CachedPrice { conf_wad: u128::MAX / 10_000 + 1, ..p }, wide, 1_000),
        (CachedPrice { price_wad: u128::MAX, ema_price_wad: u128::MAX, conf_wad: 0, ..p }, wide, 1_000),
        (CachedPrice { price_wad: u128::MAX / 2, ema_price_wad: u128::MAX, conf_wad: 0, ..p }, wide, 1_000),
    ]
}

pub fn price_check_cases(rng: &mut Rng) -> (Vec<Value>, Vec<Value>, Vec<Value>) {
    let (mut fresh, mut spot, mut conservative) = (Vec::new(), Vec::new(), Vec::new());
    let edges = price_edges();
    let random = (0..700).map(|_| random_price(rng)).collect::<Vec<_>>();
    for (p, l, now) in edges.into_iter().chain(random) {
        let input = args! { price: p, limits: l, now };
        fresh.push(args! { price: p, max_age_secs: l.max_age_secs, now, out: p.is_fresh(l.max_age_secs, now) });
        spot.push(case(input.clone(), p.spot(&l, now), s));
        conservative.push(case(input, p.conservative(&l, now), s));
    }
    (fresh, spot, conservative)
}

pub fn value_cases(rng: &mut Rng) -> (Vec<Value>, Vec<Value>, Vec<Value>, Vec<Value>) {
    let (mut value, mut for_value, mut bps, mut not_older) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..200 {
        let (amount, price_wad) = (rng.spread_u64(), rng.spread_u128(128));
        value.push(case(args! { amount, price_wad }, collateral_value(amount, price_wad), s));
        let (v, p) = (rng.spread_u128(128), if rng.chance(8) { 0 } else { rng.spread_u128(128) });
        for r in ROUNDINGS {
            let input = args! { value: v, price_wad: p, rounding: r };
            for_value.push(case(input, collateral_for_value(v, p, r), s));
        }
        let (a, any) = (rng.spread_u128(128), rng.below(10_001) as u16);
        let b = rng.pick(&[0u16, 1, 5_000, 9_999, 10_000, u16::MAX, any]);
        for r in ROUNDINGS {
            bps.push(case(args! { amount: a, bps: b, rounding: r }, apply_bps(a, b, r), s));
        }
    }
    for (sample_time, cached_time) in [(0, 0), (1, 0), (0, 1), (5, 5), (i64::MIN, i64::MAX), (i64::MAX, i64::MIN)] {
        let input = args! { sample_publish_time: sample_time, cached_publish_time: cached_time };
        not_older.push(case(input, Ok(is_not_older(sample_time, cached_time)), Value::Bool));
    }
    (value, for_value, bps, not_older)
}

// --- debt ---------------------------------------------------------------------------

pub fn random_debt(rng: &mut Rng) -> DebtState {
    let rate_index_wad = match rng.below(6) {
        0 => WAD,
        1 => rng.pick(&[WAD + 1, 3 * WAD / 2, 72_000_000_000 * WAD, u128::MAX / 2, u128::MAX]),
        _ => WAD + rng.small(80),
    };
    DebtState {
        total_shares: if rng.chance(6) { rng.pick(&EDGES_U128) } else { rng.small(90) },
        rate_index_wad,
        stability_fee_bps: if rng.chance(8) {
            rng.pick(&[0, 1, MAX_STABILITY_FEE_BPS, u16::MAX])
        } else {
            rng.below(5_001) as u16
        },
        last_accrual_ts: rng.range_i64(0, 1 << 40),
        pending_fees: if rng.chance(6) { rng.pick(&EDGES_U64) } else { rng.small(60) as u64 },
        debt_ceiling: if rng.chance(5) { rng.pick(&EDGES_U64) } else { rng.small(64) as u64 },
        min_debt: if rng.chance(3) { 0 } else { rng.small(40) as u64 },
    }
}

pub fn debt_of_cases(rng: &mut Rng) -> Vec<Value> {
    (0..200)
        .map(|_| {
            let state = random_debt(rng);
            let shares = rng.spread_u128(128);
            case(args! { state, shares }, state.debt_of(shares), s)
        })
        .collect()
}

pub fn accrue_cases(rng: &mut Rng) -> Vec<Value> {
    let elapsed = [-100i64, -1, 0, 1, 13, 3_600, 86_400, 31_536_000, 50 * 31_536_000];
    let mut cases = Vec::new();
    for _ in 0..300 {
        let mut state = random_debt(rng);
        let dt = if rng.chance(2) { rng.pick(&elapsed) } else { rng.range_i64(0, 10 * 31_536_000) };
        let now = state.last_accrual_ts + dt;
        let input = args! { state, now };
        let result = state.accrue(now).map(|fees| args! { fees, state });
        cases.push(case(input, result, |out| out));
    }
    cases
}

pub fn mint_cases(rng: &mut Rng) -> Vec<Value> {
    let mut cases = Vec::new();
    for i in 0..600 {
        let mut state = random_debt(rng);
        if i % 3 == 0 {
            // A realistic pool, so that most mints get past the dust floor and ceiling.
            state.total_shares = rng.bits_u128(50);
            state.rate_index_wad = WAD + rng.bits_u128(58);
            state.min_debt = rng.bits_u128(24) as u64;
            state.debt_ceiling = u64::MAX >> rng.below(12);
        }
        let position_shares = if rng.chance(3) { 0 } else { rng.small(70).min(state.total_shares) };
        let amount = if rng.chance(12) { rng.pick(&EDGES_U64) } else { rng.small(50) as u64 };
        let borrow_limit = match rng.below(4) {
            0 => rng.spread_u128(128),
            1 => u128::MAX,
            _ => u128::from(amount) + rng.small(52),
        };
        let input = args! { state, position_shares, amount, borrow_limit };
        let result = state.mint(position_shares, amount, borrow_limit).map(|o| merged(j(&o), args! { state }));
        cases.push(case(input, result, |out| out));
    }
    cases
}

/// Sometimes a realistic index and share count, so that more cases get past overflow.
fn realistic_index(rng: &mut Rng, state: &mut DebtState) {
    if rng.chance(2) {
        state.rate_index_wad = WAD + rng.bits_u128(60);
        state.total_shares = rng.bits_u128(62);
    }
}

/// `debt` capped at `u64::MAX`.
fn capped(debt: u128) -> u64 {
    debt.min(u128::from(u64::MAX)) as u64
}

/// An amount to repay: an edge value, all of `debt`, a little less, or any.
fn amount_near(rng: &mut Rng, debt: u128) -> u64 {
    match rng.below(6) {
        0 => rng.pick(&EDGES_U64),
        1 => capped(debt),
        2 => capped(debt).saturating_sub(rng.bits_u128(20) as u64),
        _ => rng.small(64) as u64,
    }
}

/// A repayment's or burn's outcome and the state after it.
fn repay_outcome(o: &RepayOutcome, state: &DebtState) -> Value {
    merged(j(o), args! { state })
}

pub fn repay_cases(rng: &mut Rng) -> Vec<Value> {
    let mut cases = Vec::new();
    for _ in 0..600 {
        let mut state = random_debt(rng);
        realistic_index(rng, &mut state);
        let position_shares = match rng.below(8) {
            0 => 0,
            1 => state.total_shares,
            _ => rng.small(64).min(state.total_shares),
        };
        let amount = amount_near(rng, state.debt_of(position_shares).unwrap_or(u128::MAX));
        let input = args! { state, position_shares, amount };
        let result = state.repay(position_shares, amount).map(|o| repay_outcome(&o, &state));
        cases.push(case(input, result, |out| out));
    }
    cases
}

pub fn burn_cases(rng: &mut Rng) -> Vec<Value> {
    let mut cases = Vec::new();
    for i in 0..500 {
        let mut state = random_debt(rng);
        realistic_index(rng, &mut state);
        let position_shares = match rng.below(8) {
            0 => 0,
            1 => state.total_shares,
            2 => state.total_shares.saturating_add(rng.bits_u128(10)), // more than the pool: underflow
            _ => rng.small(64).min(state.total_shares),
        };
        let amount = amount_near(rng, state.debt_of(position_shares).unwrap_or(u128::MAX));
        // A huge index makes small amounts pay off no whole share.
        if i % 25 == 0 {
            state.rate_index_wad = u128::MAX / 2;
        }
        let input = args! { state, position_shares, amount };
        let result = state.burn(position_shares, amount).map(|o| repay_outcome(&o, &state));
        cases.push(case(input, result, |out| out));
    }
    require_errors("burn", &cases, &["MathOverflow", "NoDebt", "ZeroAmount"]);
    cases
}

pub fn settle_cases(rng: &mut Rng) -> Vec<Value> {
    let mut cases = Vec::new();
    for _ in 0..300 {
        let mut state = random_debt(rng);
        realistic_index(rng, &mut state);
        let position_shares = match rng.below(6) {
            0 => 0,
            1 => state.total_shares,
            2 => state.total_shares.saturating_add(1 + rng.bits_u128(10)),
            _ => rng.small(64).min(state.total_shares),
        };
        let debt = state.debt_of(position_shares).unwrap_or(u128::MAX);
        let repaid = match rng.below(5) {
            0 => rng.pick(&EDGES_U64),
            1 => capped(debt),
            2 => capped(debt).saturating_add(1),
            _ => capped(debt).saturating_sub(rng.bits_u128(62) as u64),
        };
        let input = args! { state, position_shares, repaid };
        let result = state.settle(position_shares, repaid).map(|o| merged(j(&o), args! { state }));
        cases.push(case(input, result, |out| out));
    }
    require_errors("settle", &cases, &["MathOverflow"]);
    cases
}

fn ordering(o: core::cmp::Ordering) -> Value {
    s(match o {
        core::cmp::Ordering::Less => "Less",
        core::cmp::Ordering::Equal => "Equal",
        core::cmp::Ordering::Greater => "Greater",
    })
}

pub fn cmp_products_cases(rng: &mut Rng) -> Vec<Value> {
    let mut inputs = Vec::new();
    for a in [0, 1, WAD, u128::MAX - 1, u128::MAX] {
        for b in [0, 1, u128::MAX] {
            inputs.push((a, b, b, a));
            inputs.push((a, b, a, b.saturating_sub(1)));
            inputs.push((a, b.saturating_sub(1), a, b));
        }
    }
    for _ in 0..300 {
        let (a, b, c) = (rng.spread_u128(128), rng.spread_u128(128), rng.spread_u128(128));
        let d = match rng.below(3) {
            // Products that differ in the low bits of a 256-bit value.
            0 if c > 0 => {
                (a.checked_mul(b).map_or(rng.spread_u128(128), |p| p / c)).saturating_add(rng.below(2) as u128)
            }
            _ => rng.spread_u128(128),
        };
        inputs.push((a, b, c, d));
    }
    inputs
        .into_iter()
        .map(|(a, b, c, d)| {
            let input = args! { a, b, c, d };
            case(input, Ok(strata_core::math::cmp_products(a, b, c, d)), ordering)
        })
        .collect()
}

pub fn is_at_least_cases(rng: &mut Rng) -> Vec<Value> {
    let h = |w: u128, d: u128| Health { weighted_collateral: w, debt: d };
    let mut pairs = vec![
        (h(0, 0), h(0, 0)),
        (h(0, 0), h(5, 10)),
        (h(5, 10), h(0, 0)),
        (h(5, 10), h(1, 2)),
        (h(5, 10), h(6, 12)),
        (h(4, 10), h(2, 5)),
        (h(3, 10), h(2, 5)),
        (h(u128::MAX, u128::MAX - 1), h(u128::MAX - 1, u128::MAX - 2)),
        (h(u128::MAX - 1, u128::MAX - 2), h(u128::MAX, u128::MAX - 1)),
        (h(0, 1), h(0, u128::MAX)),
    ];
    for _ in 0..300 {
        let a = h(rng.spread_u128(128), if rng.chance(10) { 0 } else { rng.spread_u128(128) });
        let b = match rng.below(3) {
            // Nearby ratios, where only an exact comparison tells them apart.
            0 => h(a.weighted_collateral.saturating_add(rng.below(3) as u128).saturating_sub(1), a.debt),
            1 => h(a.weighted_collateral.saturating_mul(3), a.debt.saturating_mul(3)),
            _ => h(rng.spread_u128(128), if rng.chance(10) { 0 } else { rng.spread_u128(128) }),
        };
        pairs.push((a, b));
    }
    pairs
        .into_iter()
        .map(|(a, b)| {
            let input = args! { health: a, other: b };
            case(input, Ok(a.is_at_least(&b)), Value::Bool)
        })
        .collect()
}

// --- health -------------------------------------------------------------------------

/// Collateral views around `now`: mostly valid prices, sometimes any price at all.
pub fn random_views(rng: &mut Rng, now: i64, count: usize) -> Vec<CollateralView> {
    (0..count)
        .map(|_| {
            let (mut price, mut limits, _) = random_price(rng);
            if rng.chance(2) {
                // Mostly valid prices, so that most cases reach the sum.
                price.price_wad = rng.small(90).max(1);
                price.ema_price_wad = price.price_wad;
                price.conf_wad = price.price_wad / 1_000;
                price.publish_time = now - rng.range_i64(0, 60);
                limits = PriceLimits { max_age_secs: 120, max_conf_bps: 200, max_ema_deviation_bps: 500 };
            }
            let ltv_bps = rng.below(9_800) as u16;
            CollateralView {
                amount: if rng.chance(4) { 0 } else { rng.spread_u64() },
                price,
                limits,
                ltv_bps,
                liquidation_threshold_bps: if rng.chance(10) { u16::MAX } else { ltv_bps + rng.below(200) as u16 },
                liquidation_bonus_min_bps: 200,
                liquidation_bonus_max_bps: 1_000,
            }
        })
        .collect()
}

/// `Health::compute` (with `is_healthy`, `ratio_wad`) on both bases, and
/// `Health::collateral_value` on the same inputs.
pub fn health_cases(rng: &mut Rng) -> (Vec<Value>, Vec<Value>) {
    let (mut cases, mut values) = (Vec::new(), Vec::new());
    for _ in 0..160 {
        let now = rng.range_i64(1_000_000, 2_000_000_000);
        let count = if rng.chance(3) { rng.range_i64(0, 8) } else { rng.range_i64(1, 3) } as usize;
        let views = random_views(rng, now, count);
        let debt = if rng.chance(5) { 0 } else { rng.spread_u128(128) };
        let collaterals = j(&views);
        for b in [PriceBasis::Conservative, PriceBasis::Spot] {
            let input = args! { collaterals, debt, basis: b, now };
            let result = Health::compute(&views, debt, b, now);
            cases.push(case(input, result, |h| {
                let ratio = case(json!({}), h.ratio_wad(), s);
                merged(j(&h), args! { is_healthy: h.is_healthy(), ratio_wad: ratio })
            }));
            let input = args! { collaterals, basis: b, now };
            values.push(case(input, Health::collateral_value(&views, b, now), s));
        }
    }
    (cases, values)
}

/// Each core error's name and the program's error code for it (`StrataError::from`).
pub fn error_codes() -> Value {
    let map: serde_json::Map<String, Value> = all_errors()
        .into_iter()
        .map(|error| (error_name(error), s(u32::from(strata::StrataError::from(error)))))
        .collect();
    Value::Object(map)
}
