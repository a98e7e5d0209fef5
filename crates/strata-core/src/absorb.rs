//! Absorption: the tranches take an unhealthy position when no keeper brings notes.
//!
//! The tranches burn vault notes against the position's debt, junior first, and take
//! the matching share of its collateral (all of it when they can pay the whole debt),
//! which is credited to the paying tranches pro rata to what each paid, after the
//! keeper's tip. When they hold fewer notes than the debt, they absorb the part they
//! can pay, leaving at least `min_debt` (never dust); the rest stays a position for
//! keepers. Taking the same share of debt and
//! collateral leaves the position's health unchanged (checked: never lower).

use crate::debt::DebtState;
use crate::error::{CoreError, CoreResult};
use crate::health::{health_after_removal, liquidatable_health, CollateralView, Health, PriceBasis};
use crate::liquidation::MAX_COLLATERALS;
use crate::math::{mul_div, to_u64, Rounding, SafeMath, BPS, WAD};
use crate::price::apply_bps;
use crate::tranche::{split_loss, TrancheState, MAX_TRANCHES};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct AbsorbPlan {
    /// Notes each tranche burns from its vault.
    pub paid: [u64; MAX_TRANCHES],
    pub total_paid: u64,
    pub shares_burned: u128,
    /// The whole position was absorbed.
    pub full: bool,
    /// Collateral leaving the position, per index.
    pub moved: [u64; MAX_COLLATERALS],
    /// The keeper's tip, out of `moved`.
    pub tip: [u64; MAX_COLLATERALS],
    /// Collateral credited to each tranche.
    pub credited: [[u64; MAX_COLLATERALS]; MAX_TRANCHES],
    pub before: Health,
    pub after: Health,
}

impl AbsorbPlan {
    /// Applies the plan to the pool's debt and the tranches; returns the position's
    /// remaining shares.
    pub fn apply(
        &self,
        debt: &mut DebtState,
        position_shares: u128,
        tranches: &mut [TrancheState],
    ) -> CoreResult<u128> {
        let remaining = if self.full {
            debt.settle(position_shares, self.total_paid)?;
            0
        } else {
            debt.burn(position_shares, self.total_paid)?.position_shares
        };
        for (index, tranche) in tranches.iter_mut().enumerate() {
            tranche.assets = tranche.assets.safe_sub(self.paid[index])?;
            for (held, credit) in tranche.collateral_held.iter_mut().zip(self.credited[index]) {
                *held = held.safe_add(credit)?;
            }
        }
        Ok(remaining)
    }
}

/// Sizes the absorption of a position (`position_shares`, `slots`) by `tranches`.
///
/// Never inlined: its arrays stay in its own frame rather than in the handler's
/// (SBF frames are limited to 4 KiB; `scripts/stack-frames.sh`).
#[inline(never)]
pub fn plan(
    debt: &DebtState,
    slots: &[CollateralView],
    position_shares: u128,
    tranches: &[TrancheState],
    keeper_tip_bps: u16,
    now: i64,
) -> CoreResult<AbsorbPlan> {
    if tranches.is_empty() {
        return Err(CoreError::NoTranches);
    }
    let before = liquidatable_health(debt, slots, position_shares, now)?;
    let owed = before.debt;
    let mut available = 0u128;
    for tranche in tranches {
        available = available.safe_add(u128::from(tranche.assets))?;
    }
    if available == 0 {
        return Err(CoreError::TranchesEmpty);
    }
    let mut pay = owed.min(available);
    if pay < owed && owed - pay < u128::from(debt.min_debt) {
        // Never leave dust: what stays a position owes at least the floor, as after a
        // liquidation.
        pay = owed.saturating_sub(u128::from(debt.min_debt));
        if pay == 0 {
            return Err(CoreError::DebtBelowMinimum);
        }
    }
    let total_paid = to_u64(pay)?;
    let full = u128::from(total_paid) == owed;

    // Debt side: the whole position, or the shares `total_paid` pays off.
    let mut next = *debt;
    let (shares_burned, debt_after) = if full {
        (position_shares, 0)
    } else {
        let burned = next.burn(position_shares, total_paid)?;
        (burned.shares_burned, burned.position_debt)
    };

    // Collateral side: the same share of every asset, but never so much that the
    // position's floored weighted value falls below its share of what it still owes.
    let mut moved = [0u64; MAX_COLLATERALS];
    for (index, slot) in slots.iter().enumerate().filter(|(_, slot)| slot.amount > 0) {
        moved[index] = if full {
            slot.amount
        } else {
            let proportional = mul_div(u128::from(slot.amount), owed - debt_after, owed, Rounding::Down)?;
            let keep = amount_keeping_weight(slot, owed, debt_after, now)?;
            to_u64(proportional.min(u128::from(slot.amount).saturating_sub(keep)))?
        };
    }
    let after = health_after_removal(slots, &moved, debt_after, &before, now)?;

    // Tranches pay junior first, as they take losses (`total_paid` never exceeds what
    // they hold, so nothing is left uncovered).
    let paid = split_loss(tranches, total_paid).taken;

    // Keeper's tip, then credit pro rata to what each tranche paid; rounding dust
    // goes to the most junior payer.
    let mut tip = [0u64; MAX_COLLATERALS];
    let mut credited = [[0u64; MAX_COLLATERALS]; MAX_TRANCHES];
    let junior_payer = (0..tranches.len()).rev().find(|i| paid[*i] > 0).unwrap_or(0);
    for index in 0..slots.len() {
        tip[index] = to_u64(apply_bps(u128::from(moved[index]), keeper_tip_bps, Rounding::Down)?)?;
        let net = moved[index] - tip[index];
        let mut given = 0u64;
        for (tranche, credit) in credited.iter_mut().enumerate().take(tranches.len()) {
            credit[index] =
                to_u64(mul_div(u128::from(net), u128::from(paid[tranche]), u128::from(total_paid), Rounding::Down)?)?;
            given += credit[index];
        }
        credited[junior_payer][index] += net - given;
    }
    Ok(AbsorbPlan { paid, total_paid, shares_burned, full, moved, tip, credited, before, after })
}

/// The least amount of `slot` whose weighted value (floored as `Health` floors it)
/// is at least `⌈w × debt_after / owed⌉`, `w` being the slot's weighted value now.
fn amount_keeping_weight(slot: &CollateralView, owed: u128, debt_after: u128, now: i64) -> CoreResult<u128> {
    let weight = slot.weighted_value(PriceBasis::Spot, now)?;
    let need = mul_div(weight, debt_after, owed, Rounding::Up)?;
    let threshold = u128::from(slot.liquidation_threshold_bps);
    if need == 0 || threshold == 0 {
        return Ok(0);
    }
    let value = mul_div(need, BPS, threshold, Rounding::Up)?;
    mul_div(value, WAD, slot.price_for(PriceBasis::Spot, now)?, Rounding::Up)
}

#[cfg(test)]
mod tests;
