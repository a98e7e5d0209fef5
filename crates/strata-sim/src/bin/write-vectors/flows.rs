//! Vectors of the income settlement and the tranche flows (`strata_core::income`,
//! `strata_core::flows`): per-second compounding, target accrual, settlement with the
//! protocol fee owed, entry NAV, deposits, the redemption queue, loss booking.

use serde_json::Value;
use strata_core::flows;
use strata_core::income::{settle_income, take_protocol_fee, target_accrual_wad, IncomeLedger};
use strata_core::liquidation::MAX_COLLATERALS;
use strata_core::math::compound_wad;
use strata_core::tranche::{book_loss, TrancheState, MAX_TRANCHES};
use strata_core::{DebtState, Rounding, WAD};

use crate::core::{case, random_debt, require_errors};
use crate::gen::{Rng, EDGES_U64};
use crate::json::{args, j, merged, s};
use crate::risk::{income_json, price_slots, random_tranches, slot, NOW};

#[derive(Default)]
pub struct FlowSections {
    pub compound: Vec<Value>,
    pub target_accrual: Vec<Value>,
    pub settle_income: Vec<Value>,
    pub take_protocol_fee: Vec<Value>,
    pub entry_nav: Vec<Value>,
    pub deposit: Vec<Value>,
    pub request: Vec<Value>,
    pub cancel: Vec<Value>,
    pub claimable: Vec<Value>,
    pub claim: Vec<Value>,
    pub share_price: Vec<Value>,
    pub book_loss: Vec<Value>,
    pub recovery_sale: Vec<Value>,
}

const YEAR: i64 = 31_536_000;

fn random_ledger(rng: &mut Rng, pending: u64) -> IncomeLedger {
    IncomeLedger {
        protocol_fee_owed: if rng.chance(3) { rng.below(pending.saturating_add(1)) } else { 0 },
        bad_debt: if rng.chance(3) { rng.small(45) as u64 } else { 0 },
        protocol_fee_bps: rng.below(5_001) as u16,
        turbo: rng.chance(4),
    }
}

/// A pool of 1 to 4 tranches over a small realistic debt, settled at `now`.
fn random_settlement(rng: &mut Rng) -> (DebtState, IncomeLedger, Vec<TrancheState>, i64) {
    let mut debt = random_debt(rng);
    if rng.chance(2) {
        debt.total_shares = rng.bits_u128(50);
        debt.rate_index_wad = WAD + rng.bits_u128(58);
        debt.pending_fees = rng.bits_u128(40) as u64;
    }
    let ledger = random_ledger(rng, debt.pending_fees);
    let count = rng.range_i64(1, MAX_TRANCHES as i64) as usize;
    let tiny = rng.chance(3);
    let tranches = random_tranches(rng, count, tiny);
    let now = debt.last_accrual_ts.max(NOW) + rng.range_i64(0, 90 * 86_400);
    (debt, ledger, tranches, now)
}

pub fn flow_cases(rng: &mut Rng) -> FlowSections {
    let mut out = FlowSections::default();

    // Compounding: every rate edge and elapsed edge, both roundings.
    let elapsed = [0u64, 1, 2, 3, 59, 3_600, 86_400, YEAR as u64, 50 * YEAR as u64, 1 << 40, u64::MAX];
    for _ in 0..200 {
        let rate = match rng.below(4) {
            0 => rng.pick(&[0, 1, 5_000, u16::MAX]),
            _ => rng.below(5_001) as u16,
        };
        let dt = if rng.chance(2) { rng.pick(&elapsed) } else { rng.below(10 * YEAR as u64) };
        let r = if rng.chance(2) { Rounding::Down } else { Rounding::Up };
        let input = args! { rate_bps: rate, elapsed: dt, rounding: r };
        out.compound.push(case(input, compound_wad(rate, dt, r), s));
    }
    for _ in 0..200 {
        let assets = if rng.chance(8) { rng.pick(&EDGES_U64) } else { rng.small(56) as u64 };
        let owed = if rng.chance(3) { rng.small(90) } else { 0 };
        let apr = rng.below(5_001) as u16;
        let dt = match rng.below(5) {
            0 => rng.pick(&[-5, 0, 1, YEAR, 50 * YEAR]),
            _ => rng.range_i64(0, 2 * YEAR),
        };
        let input = args! { assets, owed_wad: owed, target_apr_bps: apr, elapsed: dt };
        out.target_accrual.push(case(input, target_accrual_wad(assets, owed, apr, dt), s));
    }

    // Settlement and the protocol fee paid to the treasury.
    for i in 0..400 {
        let (mut debt, ledger, mut tranches, now) = random_settlement(rng);
        if i == 0 {
            // A pool without tranches, whose accrual succeeds: NoTranches.
            tranches.clear();
            debt = DebtState::new(500, u64::MAX, 0, now - 86_400);
        }
        let input = args! { debt, ledger, tranches, now };
        let (mut d, mut l, mut t) = (debt, ledger, tranches.clone());
        let result = settle_income(&mut d, &mut l, &mut t, now);
        out.settle_income.push(case(input, result, |split| {
            args! { split: income_json(&split), debt: d, ledger: l, tranches: t }
        }));
        let mut ledger = ledger;
        if i == 1 {
            // More owed than pending: refused.
            ledger.protocol_fee_owed = debt.pending_fees.saturating_add(1);
        }
        let (mut d, mut l) = (debt, ledger);
        let input = args! { debt, ledger };
        let result = take_protocol_fee(&mut d, &mut l);
        out.take_protocol_fee.push(case(input, result, |fee| args! { fee, debt: d, ledger: l }));
    }

    // Entry NAV, deposits, the queue; first a deposit that takes the notes past u64.
    let (full, amount) =
        (vec![TrancheState { assets: u64::MAX / 2 + 1, total_shares: 1_000, ..Default::default() }], u64::MAX / 2 + 1);
    let mut next = full.clone();
    let result = flows::deposit(&mut next, 0, amount, &[], NOW);
    let input = args! { tranches: full, index: 0, amount, slots: [(); 0], now: NOW };
    out.deposit.push(case(input, result, |shares| args! { shares, tranches: next }));
    for _ in 0..300 {
        let count = rng.range_i64(1, MAX_TRANCHES as i64) as usize;
        let tiny = rng.chance(3);
        let mut tranches = random_tranches(rng, count, tiny);
        let slots = if rng.chance(5) { vec![slot(0, WAD, 8_000)] } else { price_slots(rng) };
        let index = rng.below(tranches.len() as u64 + 1) as usize;
        if let Some(t) = tranches.get(index) {
            let input = args! { tranche: t, slots, now: NOW };
            out.entry_nav.push(case(input, t.entry_nav(&slots, NOW), s));
        }
        let amount = if rng.chance(8) { rng.pick(&EDGES_U64) } else { rng.small(56) as u64 };
        let input = args! { tranches, index, amount, slots, now: NOW };
        let mut next = tranches.clone();
        let result = flows::deposit(&mut next, index, amount, &slots, NOW);
        out.deposit.push(case(input, result, |shares| args! { shares, tranches: next }));

        if let Some(t) = tranches.get_mut(index) {
            let shares = match rng.below(5) {
                0 => 0,
                1 => t.total_shares.saturating_add(1),
                _ => rng.below(t.total_shares.saturating_sub(t.escrowed_shares).max(1)),
            };
            let mut requested = *t;
            let input = args! { tranche: t, shares };
            out.request.push(case(input, flows::request(&mut requested, shares), |()| j(&requested)));
            let back = if rng.chance(4) {
                t.escrowed_shares.saturating_add(1)
            } else {
                rng.below(t.escrowed_shares.saturating_add(1))
            };
            let mut cancelled = *t;
            let input = args! { tranche: t, shares: back };
            out.cancel.push(case(input, flows::cancel(&mut cancelled, back), |()| j(&cancelled)));
            // A claim of some escrowed shares.
            t.escrowed_shares = t.escrowed_shares.max(rng.below(t.total_shares.saturating_add(1)));
            let shares = if rng.chance(5) {
                t.escrowed_shares.saturating_add(1)
            } else {
                rng.below(t.escrowed_shares.saturating_add(1))
            };
            let input = args! { tranches, index, shares, slots, now: NOW };
            let mut next = tranches.clone();
            let result = flows::claim(&mut next, index, shares, &slots, NOW);
            if let Ok(redemption) = &result {
                let input = args! { redemption, slots, now: NOW };
                out.share_price.push(case(input, flows::share_price_wad(redemption, &slots, NOW), s));
            }
            out.claim.push(case(input, result, |r| args! { redemption: r, tranches: next }));
        }
        let requested_at = NOW - rng.range_i64(0, 1_200);
        let delay = rng.pick(&[0u32, 60, 600, 3_600, u32::MAX]);
        let input = args! { requested_at, delay_secs: delay, now: NOW };
        out.claimable.push(case(input, flows::claimable(requested_at, delay, NOW), |()| Value::Bool(true)));

        let loss = if rng.chance(8) { rng.pick(&EDGES_U64) } else { rng.small(58) as u64 };
        let bad_debt = if rng.chance(6) { u64::MAX } else { rng.small(40) as u64 };
        let input = args! { tranches, bad_debt, loss, slots, now: NOW };
        let (mut next, mut bad) = (tranches.clone(), bad_debt);
        let result = book_loss(&mut next, &mut bad, loss, &slots, NOW);
        out.book_loss.push(case(input, result, |split| args! { split, tranches: next, bad_debt: bad }));

        // A recovery sale of one held collateral.
        if let Some(t) = tranches.get(index.min(tranches.len().saturating_sub(1))) {
            // Mostly a collateral the tranche holds.
            let held = t.collateral_held.iter().position(|h| *h > 0);
            let asset = match held {
                Some(asset) if !rng.chance(4) => asset,
                _ => rng.below(MAX_COLLATERALS as u64 + 1) as usize,
            };
            let slot = slots.get(asset).copied().unwrap_or_else(|| slot(0, WAD, 8_000));
            let discount = rng.pick(&[0u16, 100, 200, 2_500, 10_000, u16::MAX]);
            let offered = if rng.chance(8) { rng.pick(&EDGES_U64) } else { rng.small(56) as u64 };
            let input = args! { tranche: t, asset, slot, discount_bps: discount, notes_offered: offered, now: NOW };
            let result = flows::plan_recovery_sale(t, asset, &slot, discount, offered, NOW);
            out.recovery_sale.push(case(input, result, |sale| {
                let mut after = *t;
                let applied = flows::apply_recovery_sale(&mut after, asset, &sale).map(|()| j(&after));
                merged(j(&sale), args! { tranche: applied.unwrap_or(Value::Null) })
            }));
        }
    }

    require_errors("compoundWad", &out.compound, &["MathOverflow"]);
    require_errors("targetAccrual", &out.target_accrual, &["MathOverflow"]);
    require_errors("settleIncome", &out.settle_income, &["MathOverflow", "NoTranches"]);
    require_errors("takeProtocolFee", &out.take_protocol_fee, &["MathOverflow"]);
    require_errors("entryNav", &out.entry_nav, &["NoCollateralToSeize", "StalePrice"]);
    require_errors(
        "flowsDeposit",
        &out.deposit,
        &[
            "MathOverflow",
            "NoCollateralToSeize",
            "NoTranches",
            "SharePriceTooLow",
            "StalePrice",
            "SubordinationBreached",
            "ZeroAmount",
        ],
    );
    require_errors("flowsRequest", &out.request, &["InsufficientShares", "ZeroAmount"]);
    require_errors("flowsCancel", &out.cancel, &["InsufficientShares"]);
    require_errors("claimable", &out.claimable, &["RedemptionNotReady"]);
    require_errors(
        "flowsClaim",
        &out.claim,
        &["InsufficientShares", "NoCollateralToSeize", "StalePrice", "SubordinationBreached", "ZeroAmount"],
    );
    require_errors("sharePrice", &out.share_price, &["MathOverflow"]);
    require_errors("bookLoss", &out.book_loss, &["MathOverflow"]);
    require_errors(
        "recoverySale",
        &out.recovery_sale,
        &["MathOverflow", "NoCollateralToSeize", "StalePrice", "ZeroAmount"],
    );
    out
}
