//! Liquidation sizing: how much debt a keeper repays, which collateral (and how
//! much) it receives, and what is booked as loss.
//!
//! Two regimes, decided by the position's spot collateral value `V` against its debt
//! `D` (both in notes):
//!
//! - **Partial** (`V ≥ D`): the keeper repays up to `close_factor` of the debt (all of
//!   it when the rest would be dust) and receives collateral `j` worth
//!   `repay × (1 + bonus)`. The bonus starts at `bonus_min` and grows by the health
//!   deficit `1 − h` up to `bonus_max`. Seizing `j` keeps health non-decreasing only
//!   while `(1 + bonus) × t_j ≤ h`, so the bonus is capped there too; when even a
//!   zero bonus would lower health, collateral `j` is refused
//!   ([`CoreError::LiquidationWouldLowerHealth`]) and the keeper seizes another.
//! - **Shortfall** (`V < D`): no partial step can keep health, so the position is
//!   settled whole: the keeper repays what each collateral covers at its bonus and
//!   receives all of it; the debt left over is booked as loss in the same
//!   instruction. At deep insolvency the bonus sits at `bonus_max`.
//!
//! Rounding favours the protocol: collateral paid out rounds down, repayments owed
//! by the keeper round up, and the result is checked: health after ≥ health before.

use crate::debt::DebtState;
use crate::error::{CoreError, CoreResult};
use crate::health::{health_after_removal, is_insolvent, liquidatable_health, CollateralView, Health, PriceBasis};
use crate::math::{mul_div, to_u64, Rounding, SafeMath, BPS, WAD};
use crate::price::{apply_bps, collateral_value};

/// Collateral slots a position has (the pool's listing capacity).
pub const MAX_COLLATERALS: usize = 8;

/// Pool-level liquidation parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct LiquidationTerms {
    pub close_factor_bps: u16,
}

/// What a liquidation does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
// Tagged `{ "kind": "Partial", ... }`, as the TypeScript mirror's plan reads.
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(tag = "kind", rename_all_fields = "camelCase"))]
pub enum LiquidationPlan {
    /// Part (or all) of the debt repaid for one collateral at a bonus.
    Partial {
        collateral_index: usize,
        /// Notes the keeper burns.
        repay: u64,
        /// Units of `collateral_index` the keeper receives.
        seize: u64,
        bonus_bps: u16,
        shares_burned: u128,
        before: Health,
        after: Health,
    },
    /// The insolvent position settled whole.
    Shortfall {
        repay: u64,
        /// Units of every collateral the keeper receives (all the position holds).
        seize: [u64; MAX_COLLATERALS],
        /// Bonus applied to each collateral.
        bonus_bps: [u16; MAX_COLLATERALS],
        shares_burned: u128,
        /// Debt no collateral covers.
        bad_debt: u64,
        before: Health,
    },
}

impl LiquidationPlan {
    pub fn repay(&self) -> u64 {
        match self {
            Self::Partial { repay, .. } | Self::Shortfall { repay, .. } => *repay,
        }
    }

    /// Units of collateral `index` paid to the keeper.
    pub fn seized(&self, index: usize) -> u64 {
        match self {
            Self::Partial { collateral_index, seize, .. } => {
                if *collateral_index == index {
                    *seize
                } else {
                    0
                }
            }
            Self::Shortfall { seize, .. } => seize.get(index).copied().unwrap_or(0),
        }
    }

    /// Units of every collateral paid to the keeper, by index.
    pub fn seized_all(&self) -> [u64; MAX_COLLATERALS] {
        core::array::from_fn(|index| self.seized(index))
    }

    /// The bonus the keeper receives on collateral `index`: a partial liquidation's
    /// one bonus (it seizes only its own collateral), a settlement's bonus on that
    /// collateral (0 past the last slot).
    pub fn bonus_bps_on(&self, index: usize) -> u16 {
        match self {
            Self::Partial { bonus_bps, .. } => *bonus_bps,
            Self::Shortfall { bonus_bps, .. } => bonus_bps.get(index).copied().unwrap_or(0),
        }
    }

    /// Whether the plan settles an insolvent position whole (and may book a loss).
    pub fn is_shortfall(&self) -> bool {
        matches!(self, Self::Shortfall { .. })
    }

    pub fn shares_burned(&self) -> u128 {
        match self {
            Self::Partial { shares_burned, .. } | Self::Shortfall { shares_burned, .. } => *shares_burned,
        }
    }

    pub fn bad_debt(&self) -> u64 {
        match self {
            Self::Partial { .. } => 0,
            Self::Shortfall { bad_debt, .. } => *bad_debt,
        }
    }

    pub fn before(&self) -> Health {
        match self {
            Self::Partial { before, .. } | Self::Shortfall { before, .. } => *before,
        }
    }

    /// Applies the plan to the pool's debt (the same burn or settlement the plan was
    /// sized with) and returns the position's remaining shares.
    pub fn apply(&self, debt: &mut DebtState, position_shares: u128) -> CoreResult<u128> {
        match self {
            Self::Partial { repay, .. } => Ok(debt.burn(position_shares, *repay)?.position_shares),
            Self::Shortfall { repay, .. } => {
                debt.settle(position_shares, *repay)?;
                Ok(0)
            }
        }
    }

    /// Health after: a settled position owes nothing.
    pub fn after(&self) -> Health {
        match self {
            Self::Partial { after, .. } => *after,
            Self::Shortfall { .. } => Health::default(),
        }
    }
}

/// Sizes a liquidation of the position (`position_shares`, collateral `slots`) in
/// the pool (`debt`, already accrued) on collateral `index`, for a keeper offering
/// to repay up to `requested` notes, at time `now`.
/// Never inlined: its arrays stay in its own frame rather than in the handler's
/// (SBF frames are limited to 4 KiB; `scripts/stack-frames.sh`).
#[inline(never)]
pub fn plan(
    debt: &DebtState,
    terms: &LiquidationTerms,
    slots: &[CollateralView],
    position_shares: u128,
    index: usize,
    requested: u64,
    now: i64,
) -> CoreResult<LiquidationPlan> {
    if requested == 0 {
        return Err(CoreError::ZeroAmount);
    }
    let before = liquidatable_health(debt, slots, position_shares, now)?;
    let owed = before.debt;
    if index >= slots.len() || slots[index].amount == 0 {
        return Err(CoreError::NoCollateralToSeize);
    }
    let deficit_bps = to_bonus_bps(mul_div(WAD.safe_sub(before.ratio_wad()?)?, BPS, WAD, Rounding::Down)?);
    if is_insolvent(slots, owed, now)? {
        return plan_shortfall(debt, slots, position_shares, requested, deficit_bps, before, now);
    }
    plan_partial(debt, terms, slots, position_shares, index, requested, deficit_bps, before, now)
}

#[allow(clippy::too_many_arguments)]
fn plan_partial(
    debt: &DebtState,
    terms: &LiquidationTerms,
    slots: &[CollateralView],
    position_shares: u128,
    index: usize,
    requested: u64,
    deficit_bps: u16,
    before: Health,
    now: i64,
) -> CoreResult<LiquidationPlan> {
    let slot = &slots[index];
    let price = slot.price_for(PriceBasis::Spot, now)?;
    let owed = before.debt;

    // Bonus: dynamic, then capped so that (1 + bonus) × t_j ≤ h keeps health.
    let dynamic = slot.liquidation_bonus_bps(deficit_bps);
    let health_limit = mul_div(
        before.weighted_collateral,
        BPS * BPS,
        owed.safe_mul(u128::from(slot.liquidation_threshold_bps))?,
        Rounding::Down,
    )?;
    if health_limit <= BPS {
        return Err(CoreError::LiquidationWouldLowerHealth);
    }
    // One basis point below the exact limit absorbs the rounding of the weighted sums.
    let bonus_bps = dynamic.min(to_bonus_bps(health_limit - BPS - 1));
    let bonus_factor = BPS + u128::from(bonus_bps);

    // Repayment: the close factor (all of the debt when the rest would be dust),
    // the keeper's offer, and what the slot can pay for at the bonus.
    let close_factor_cap = apply_bps(owed, terms.close_factor_bps, Rounding::Up)?;
    let dust_floor = u128::from(debt.min_debt);
    let cap = if owed - close_factor_cap.min(owed) < dust_floor { owed } else { close_factor_cap };
    let slot_value = collateral_value(slot.amount, price)?;
    let slot_cap = mul_div(slot_value, BPS, bonus_factor, Rounding::Down)?;
    let mut repay = u128::from(requested).min(cap).min(slot_cap);
    // Never leave dust: repay less, leaving exactly the floor.
    if repay < owed && owed - repay < dust_floor {
        repay = owed.saturating_sub(dust_floor);
    }
    if repay == 0 {
        return Err(CoreError::ZeroAmount);
    }
    let repay = to_u64(repay)?;
    let seize = to_u64(
        mul_div(u128::from(repay).safe_mul(bonus_factor)?, WAD, BPS.safe_mul(price)?, Rounding::Down)?
            .min(u128::from(slot.amount)),
    )?;

    let mut next = *debt;
    let burned = next.burn(position_shares, repay)?;
    let mut removed = [0u64; MAX_COLLATERALS];
    removed[index] = seize;
    let after = health_after_removal(slots, &removed, burned.position_debt, &before, now)?;
    Ok(LiquidationPlan::Partial {
        collateral_index: index,
        repay,
        seize,
        bonus_bps,
        shares_burned: burned.shares_burned,
        before,
        after,
    })
}

fn plan_shortfall(
    debt: &DebtState,
    slots: &[CollateralView],
    position_shares: u128,
    requested: u64,
    deficit_bps: u16,
    before: Health,
    now: i64,
) -> CoreResult<LiquidationPlan> {
    let mut seize = [0u64; MAX_COLLATERALS];
    let mut bonus_bps = [0u16; MAX_COLLATERALS];
    let mut repay = 0u128;
    for (i, slot) in slots.iter().enumerate().filter(|(_, slot)| slot.amount > 0) {
        let bonus = slot.liquidation_bonus_bps(deficit_bps);
        let value = slot.value(PriceBasis::Spot, now)?;
        // What the keeper pays for this collateral, rounded up.
        repay = repay.safe_add(mul_div(value, BPS, BPS + u128::from(bonus), Rounding::Up)?)?;
        seize[i] = slot.amount;
        bonus_bps[i] = bonus;
    }
    let repay = to_u64(repay)?;
    if requested < repay {
        return Err(CoreError::ShortfallRepayTooLow);
    }
    let mut next = *debt;
    let settlement = next.settle(position_shares, repay)?;
    Ok(LiquidationPlan::Shortfall {
        repay,
        seize,
        bonus_bps,
        shares_burned: settlement.shares_burned,
        bad_debt: settlement.bad_debt,
        before,
    })
}

fn to_bonus_bps(value: u128) -> u16 {
    u16::try_from(value).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests;
