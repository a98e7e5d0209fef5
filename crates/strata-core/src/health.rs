//! Position health: collateral weighted by risk parameters against debt.
//!
//! Health = Σ amount_i × price_i × weight_i / debt. Two bases:
//! - [`PriceBasis::Conservative`] (mint, withdraw): `min(spot, ema) − conf`, the full
//!   set of oracle checks, weighted by `ltv_bps`: the borrow limit;
//! - [`PriceBasis::Spot`] (liquidation): spot, freshness only, weighted by
//!   `liquidation_threshold_bps`: below 1.0 the position is liquidatable.

use crate::debt::DebtState;
use crate::error::{CoreError, CoreResult};
use crate::liquidation::MAX_COLLATERALS;
use crate::math::{mul_div, Rounding, SafeMath, WAD};
use crate::price::{apply_bps, collateral_value, CachedPrice, PriceLimits};

/// Which prices and weights value the collateral.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum PriceBasis {
    /// Mint and withdraw: conservative price, weighted by ltv.
    Conservative,
    /// Liquidation: spot price, weighted by the liquidation threshold.
    Spot,
}

/// One collateral slot of a position, with what the pool knows about the asset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct CollateralView {
    pub amount: u64,
    pub price: CachedPrice,
    pub limits: PriceLimits,
    pub ltv_bps: u16,
    pub liquidation_threshold_bps: u16,
    pub liquidation_bonus_min_bps: u16,
    pub liquidation_bonus_max_bps: u16,
}

impl CollateralView {
    /// The price this basis values the asset at (with its checks).
    pub fn price_for(&self, basis: PriceBasis, now: i64) -> CoreResult<u128> {
        match basis {
            PriceBasis::Conservative => self.price.conservative(&self.limits, now),
            PriceBasis::Spot => self.price.spot(&self.limits, now),
        }
    }

    /// The risk weight this basis applies.
    pub fn weight_bps(&self, basis: PriceBasis) -> u16 {
        match basis {
            PriceBasis::Conservative => self.ltv_bps,
            PriceBasis::Spot => self.liquidation_threshold_bps,
        }
    }

    /// Unweighted value in notes at this basis's price, rounded down.
    pub fn value(&self, basis: PriceBasis, now: i64) -> CoreResult<u128> {
        collateral_value(self.amount, self.price_for(basis, now)?)
    }

    /// Value times the basis's weight, rounded down.
    pub fn weighted_value(&self, basis: PriceBasis, now: i64) -> CoreResult<u128> {
        apply_bps(self.value(basis, now)?, self.weight_bps(basis), Rounding::Down)
    }

    /// The liquidation bonus at a health deficit of `deficit_bps` (`1 − health`):
    /// `bonus_min + deficit`, at most `bonus_max`.
    pub fn liquidation_bonus_bps(&self, deficit_bps: u16) -> u16 {
        self.liquidation_bonus_min_bps.saturating_add(deficit_bps).min(self.liquidation_bonus_max_bps)
    }
}

/// A position's weighted collateral against its debt, both in native note units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct Health {
    pub weighted_collateral: u128,
    pub debt: u128,
}

impl Health {
    /// Values every non-empty slot at `basis`. Empty slots need no price, so a stale
    /// feed of an asset the position does not hold never blocks it.
    pub fn compute(collaterals: &[CollateralView], debt: u128, basis: PriceBasis, now: i64) -> CoreResult<Self> {
        let mut weighted_collateral = 0u128;
        for slot in collaterals.iter().filter(|slot| slot.amount > 0) {
            weighted_collateral = weighted_collateral.safe_add(slot.weighted_value(basis, now)?)?;
        }
        Ok(Self { weighted_collateral, debt })
    }

    /// Σ unweighted collateral value at `basis`, rounded down per slot.
    pub fn collateral_value(collaterals: &[CollateralView], basis: PriceBasis, now: i64) -> CoreResult<u128> {
        let mut total = 0u128;
        for slot in collaterals.iter().filter(|slot| slot.amount > 0) {
            total = total.safe_add(slot.value(basis, now)?)?;
        }
        Ok(total)
    }

    /// Whether this health is at least `other`'s, compared exactly
    /// (`w / d ≥ w' / d'` by cross-multiplication; no debt is infinite health).
    pub fn is_at_least(&self, other: &Health) -> bool {
        match (self.debt, other.debt) {
            (0, _) => true,
            (_, 0) => false,
            _ => {
                crate::math::cmp_products(self.weighted_collateral, other.debt, other.weighted_collateral, self.debt)
                    != core::cmp::Ordering::Less
            }
        }
    }

    /// Health ≥ 1.0 (or no debt).
    pub fn is_healthy(&self) -> bool {
        self.weighted_collateral >= self.debt
    }

    /// Weighted collateral / debt in WAD, rounded down; `u128::MAX` without debt.
    pub fn ratio_wad(&self) -> CoreResult<u128> {
        if self.debt == 0 {
            return Ok(u128::MAX);
        }
        mul_div(self.weighted_collateral, WAD, self.debt, Rounding::Down)
    }
}

/// Whether collateral `slots` at fresh spot prices are worth less than `debt` (unweighted):
/// such a position is settled whole, its shortfall booked as loss.
pub fn is_insolvent(slots: &[CollateralView], debt: u128, now: i64) -> CoreResult<bool> {
    Ok(Health::collateral_value(slots, PriceBasis::Spot, now)? < debt)
}

/// The spot health of a position (`position_shares`, `slots`) that may be liquidated or
/// absorbed; refused with [`CoreError::PositionHealthy`] when it is healthy. Its `debt`
/// is what the position owes.
pub(crate) fn liquidatable_health(
    debt: &DebtState,
    slots: &[CollateralView],
    position_shares: u128,
    now: i64,
) -> CoreResult<Health> {
    let owed = debt.debt_of(position_shares)?;
    let before = Health::compute(slots, owed, PriceBasis::Spot, now)?;
    if before.is_healthy() {
        return Err(CoreError::PositionHealthy);
    }
    Ok(before)
}

/// The spot health after `removed[i]` units leave slot `i` and the debt falls to
/// `debt_after`; refused with [`CoreError::LiquidationWouldLowerHealth`] when it is
/// lower than `before`.
pub(crate) fn health_after_removal(
    slots: &[CollateralView],
    removed: &[u64; MAX_COLLATERALS],
    debt_after: u128,
    before: &Health,
    now: i64,
) -> CoreResult<Health> {
    let mut after_slots = [CollateralView::default(); MAX_COLLATERALS];
    after_slots[..slots.len()].copy_from_slice(slots);
    for (slot, removed) in after_slots.iter_mut().zip(removed) {
        slot.amount -= removed;
    }
    let after = Health::compute(&after_slots[..slots.len()], debt_after, PriceBasis::Spot, now)?;
    if !after.is_at_least(before) {
        return Err(CoreError::LiquidationWouldLowerHealth);
    }
    Ok(after)
}

#[cfg(test)]
mod tests;
