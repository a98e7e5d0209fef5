//! Tranches: share pricing, subordination, and the income and loss waterfalls.
//!
//! A tranche holds notes (`assets`, tracked in state, never read from a vault, so
//! donations cannot move the share price) and, after absorbing positions, collateral
//! (`collateral_held`). Index 0 is the most senior; the highest index is the most
//! junior and residual.
//!
//! - Shares are priced at `(NAV + 1) / (shares + 1,000)` (a virtual offset: shares
//!   carry three more decimals than notes, and the first depositor cannot inflate the
//!   price). Deposits round shares down; withdrawals pay `shares / (S + 1,000)` of the
//!   notes and of every held collateral, rounded down.
//! - Subordination of tranche `i`: NAV of the tranches below it over the NAV of all.
//! - Entries are priced at a NAV that favours the holders: held collateral at the top
//!   of its price band (`max(spot, EMA) + confidence`), fresh prices required.
//!   Subordination and coverage use spot.
//! - Income: see [`crate::income`]. Losses: junior-first on NAV: notes are burned
//!   junior-first, and a tranche whose notes were burned is made whole with the
//!   collateral the tranches below it hold ([`plan_loss`]); what no tranche's notes
//!   cover is bad debt.

use crate::error::{CoreError, CoreResult};
use crate::health::{CollateralView, PriceBasis};
use crate::liquidation::MAX_COLLATERALS;
use crate::math::{mul_div, to_u64, Rounding, SafeMath, BPS, WAD};

/// Tranches a pool can have.
pub const MAX_TRANCHES: usize = 4;
/// Virtual assets of the share price offset (native note units).
pub const VIRTUAL_ASSETS: u128 = 1;
/// Virtual shares of the share price offset: one native note unit is 1,000 shares.
pub const VIRTUAL_SHARES: u128 = 1_000;

/// One tranche, as plain numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct TrancheState {
    /// Notes held for holders, native units.
    pub assets: u64,
    pub total_shares: u64,
    /// Target APR (ignored for the most junior), basis points.
    pub target_apr_bps: u16,
    /// Share of all tranche NAV that must sit below this tranche, basis points.
    pub min_subordination_bps: u16,
    /// When income was last settled into this tranche (its target accrues from here).
    pub last_settled_ts: i64,
    /// Target yield accrued and not yet paid, notes × WAD (non-junior tranches).
    pub yield_owed_wad: u128,
    /// Shares held in the redemption escrow (part of `total_shares`).
    pub escrowed_shares: u64,
    /// Losses taken and not yet recovered, notes.
    pub loss_outstanding: u64,
    pub cumulative_yield: u64,
    pub cumulative_loss: u64,
    /// Collateral from absorbed positions, native units per pool collateral index.
    pub collateral_held: [u64; MAX_COLLATERALS],
}

impl TrancheState {
    /// Net asset value in notes: notes plus held collateral at fresh spot prices
    /// (`slots` supplies prices; their amounts are ignored).
    pub fn nav(&self, slots: &[CollateralView], now: i64) -> CoreResult<u128> {
        let mut nav = u128::from(self.assets);
        for (index, held) in self.collateral_held.iter().enumerate().filter(|(_, held)| **held > 0) {
            let slot = slots.get(index).ok_or(CoreError::NoCollateralToSeize)?;
            let view = CollateralView { amount: *held, ..*slot };
            nav = nav.safe_add(view.value(PriceBasis::Spot, now)?)?;
        }
        Ok(nav)
    }

    /// Net asset value an entrant buys at: notes plus held collateral at the top of
    /// its price band (`max(spot, EMA) + confidence`, rounded up), fresh prices
    /// required. A lagging or noisy price then never lets an entrant buy the existing
    /// holders' collateral cheap.
    pub fn entry_nav(&self, slots: &[CollateralView], now: i64) -> CoreResult<u128> {
        let mut nav = u128::from(self.assets);
        for (index, held) in self.collateral_held.iter().enumerate().filter(|(_, held)| **held > 0) {
            let slot = slots.get(index).ok_or(CoreError::NoCollateralToSeize)?;
            let price = slot.price.entry(&slot.limits, now)?;
            nav = nav.safe_add(mul_div(u128::from(*held), price, WAD, Rounding::Up)?)?;
        }
        Ok(nav)
    }

    /// Shares minted for a deposit of `amount` notes, rounded down.
    pub fn shares_for_deposit(&self, nav: u128, amount: u64) -> CoreResult<u64> {
        if amount == 0 {
            return Err(CoreError::ZeroAmount);
        }
        let shares = mul_div(
            u128::from(amount),
            u128::from(self.total_shares).safe_add(VIRTUAL_SHARES)?,
            nav.safe_add(VIRTUAL_ASSETS)?,
            Rounding::Down,
        )?;
        // A wiped-out tranche (NAV near zero, shares outstanding) prices shares near
        // zero; refusing is fairer than re-pricing the old shares against new money.
        let shares = u64::try_from(shares).map_err(|_| CoreError::SharePriceTooLow)?;
        if self.total_shares.checked_add(shares).is_none() {
            return Err(CoreError::SharePriceTooLow);
        }
        if shares == 0 {
            return Err(CoreError::ZeroAmount);
        }
        Ok(shares)
    }

    /// What `shares` redeem: notes and each held collateral, rounded down.
    pub fn redemption(&self, shares: u64) -> CoreResult<Redemption> {
        if shares == 0 {
            return Err(CoreError::ZeroAmount);
        }
        if shares > self.total_shares {
            return Err(CoreError::InsufficientShares);
        }
        let denominator = u128::from(self.total_shares).safe_add(VIRTUAL_SHARES)?;
        let portion = |amount: u128| mul_div(amount, u128::from(shares), denominator, Rounding::Down);
        let notes = to_u64(portion(u128::from(self.assets).safe_add(VIRTUAL_ASSETS)?)?.min(u128::from(self.assets)))?;
        let mut collateral = [0u64; MAX_COLLATERALS];
        for (out, held) in collateral.iter_mut().zip(self.collateral_held) {
            *out = to_u64(portion(u128::from(held))?)?;
        }
        Ok(Redemption { shares, notes, collateral })
    }

    /// Applies a deposit.
    pub fn deposit(&mut self, amount: u64, shares: u64) -> CoreResult<()> {
        self.assets = self.assets.safe_add(amount)?;
        self.total_shares = self.total_shares.safe_add(shares)?;
        Ok(())
    }

    /// Applies a redemption.
    pub fn withdraw(&mut self, redemption: &Redemption) -> CoreResult<()> {
        self.assets = self.assets.safe_sub(redemption.notes)?;
        self.total_shares = self.total_shares.safe_sub(redemption.shares)?;
        for (held, out) in self.collateral_held.iter_mut().zip(redemption.collateral) {
            *held = held.safe_sub(out)?;
        }
        Ok(())
    }
}

/// What a withdrawal pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct Redemption {
    pub shares: u64,
    pub notes: u64,
    pub collateral: [u64; MAX_COLLATERALS],
}

/// Whether tranche `index` has at least its minimum subordination, given every
/// tranche's NAV (index order). The most junior tranche has nothing below it and no
/// requirement; an empty pool satisfies every requirement.
pub fn subordination_holds(navs: &[u128], min_subordination_bps: u16, index: usize) -> CoreResult<bool> {
    if index + 1 >= navs.len() {
        return Ok(true);
    }
    let mut total = 0u128;
    for nav in navs {
        total = total.safe_add(*nav)?;
    }
    let mut below = 0u128;
    for nav in &navs[index + 1..] {
        below = below.safe_add(*nav)?;
    }
    Ok(below.safe_mul(BPS)? >= total.safe_mul(u128::from(min_subordination_bps))?)
}

/// Whether a withdrawal from tranche `index`, leaving `navs`, keeps every more senior
/// tranche at its minimum subordination. A senior tranche with no shares left is
/// skipped: the rounding dust its last redemption leaves belongs to no holder, so it
/// protects no one and must not lock the juniors in.
pub fn withdrawal_keeps_seniors_covered(states: &[TrancheState], navs: &[u128], index: usize) -> CoreResult<bool> {
    for (senior, state) in states.iter().enumerate().take(index) {
        if state.total_shares > 0 && !subordination_holds(navs, state.min_subordination_bps, senior)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// How a loss falls on the tranches: junior-first on NAV.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct LossSplit {
    /// Notes each tranche's vault burns, junior first (the settlement's shortfall is
    /// notes: they can only come from vaults that hold them).
    pub taken: [u64; MAX_TRANCHES],
    /// What no tranche's notes covered: bad debt.
    pub uncovered: u64,
    /// Collateral leaving each tranche (a tranche below one whose notes were burned
    /// makes it whole with what it holds), per pool collateral index.
    pub collateral_out: [[u64; MAX_COLLATERALS]; MAX_TRANCHES],
    /// Collateral each tranche receives for its burned notes.
    pub collateral_in: [[u64; MAX_COLLATERALS]; MAX_TRANCHES],
    /// Per tranche: the value received for its burned notes, notes.
    pub compensated: [u64; MAX_TRANCHES],
    /// Per tranche: what it lost, notes (notes burned − value received + the value of
    /// the collateral it gave), valued at the price favouring the receivers.
    pub lost: [u64; MAX_TRANCHES],
}

/// Which vaults burn the loss's notes, junior first; the rest is uncovered.
pub fn split_loss(tranches: &[TrancheState], loss: u64) -> LossSplit {
    let mut split = LossSplit::default();
    let mut left = loss;
    for (index, tranche) in tranches.iter().enumerate().rev() {
        let taken = left.min(tranche.assets);
        split.taken[index] = taken;
        split.lost[index] = taken;
        left -= taken;
    }
    split.uncovered = left;
    split
}

/// The price a tranche's held collateral is handed to a senior at: `min(spot, EMA) −
/// confidence` (the junior gives more units, never fewer), fresh prices only; `None`
/// for a stale or unpriceable slot (its collateral is then not handed over: a loss
/// booking is never refused for a price).
fn compensation_price(slot: &CollateralView, now: i64) -> Option<u128> {
    slot.price.senior_favouring(&slot.limits, now).ok().filter(|price| *price > 0)
}

/// A loss of `loss` notes, junior-first on NAV. Notes are burned from the vaults that
/// hold them, junior first ([`split_loss`]); then every tranche whose notes were
/// burned, most senior first, is made whole with the collateral held by the tranches
/// below it, junior-most first, valued at `min(spot, EMA) − confidence`. While the
/// tranches below a tranche hold that much value, it loses nothing.
pub fn plan_loss(tranches: &[TrancheState], loss: u64, slots: &[CollateralView], now: i64) -> CoreResult<LossSplit> {
    let mut split = split_loss(tranches, loss);
    let mut held: [[u64; MAX_COLLATERALS]; MAX_TRANCHES] = [[0; MAX_COLLATERALS]; MAX_TRANCHES];
    for (index, tranche) in tranches.iter().enumerate() {
        held[index] = tranche.collateral_held;
    }
    for senior in 0..tranches.len() {
        let mut need = u128::from(split.taken[senior]);
        for junior in (senior + 1..tranches.len()).rev() {
            for (asset, slot) in slots.iter().enumerate().take(MAX_COLLATERALS) {
                let available = held[junior][asset];
                if need == 0 || available == 0 {
                    continue;
                }
                let Some(price) = compensation_price(slot, now) else { continue };
                // Units worth `need`, rounded up (the receiver is made whole), or all.
                let wanted = mul_div(need, WAD, price, Rounding::Up)?;
                let units = to_u64(wanted.min(u128::from(available)))?;
                let value = mul_div(u128::from(units), price, WAD, Rounding::Down)?.min(need);
                held[junior][asset] -= units;
                split.collateral_out[junior][asset] = split.collateral_out[junior][asset].safe_add(units)?;
                split.collateral_in[senior][asset] = split.collateral_in[senior][asset].safe_add(units)?;
                let value = to_u64(value)?;
                split.compensated[senior] = split.compensated[senior].safe_add(value)?;
                split.lost[senior] = split.lost[senior].safe_sub(value)?;
                split.lost[junior] = split.lost[junior].safe_add(value)?;
                need -= u128::from(value);
            }
        }
    }
    Ok(split)
}

/// Applies a loss split to the tranches.
pub fn apply_loss(tranches: &mut [TrancheState], split: &LossSplit) -> CoreResult<()> {
    for (index, tranche) in tranches.iter_mut().enumerate() {
        tranche.assets = tranche.assets.safe_sub(split.taken[index])?;
        for (asset, held) in tranche.collateral_held.iter_mut().enumerate() {
            *held = held.safe_sub(split.collateral_out[index][asset])?.safe_add(split.collateral_in[index][asset])?;
        }
        let lost = split.lost[index];
        tranche.loss_outstanding = tranche.loss_outstanding.safe_add(lost)?;
        tranche.cumulative_loss = tranche.cumulative_loss.safe_add(lost)?;
    }
    Ok(())
}

/// Books a loss of `loss` notes junior-first on NAV ([`plan_loss`]): vault notes are
/// burned (the caller burns `taken[i]` from tranche `i`'s vault), held collateral makes
/// the seniors whose notes were burned whole, and what no tranche's notes cover is
/// added to `bad_debt`.
pub fn book_loss(
    tranches: &mut [TrancheState],
    bad_debt: &mut u64,
    loss: u64,
    slots: &[CollateralView],
    now: i64,
) -> CoreResult<LossSplit> {
    let split = plan_loss(tranches, loss, slots, now)?;
    apply_loss(tranches, &split)?;
    *bad_debt = bad_debt.safe_add(split.uncovered)?;
    Ok(split)
}

/// The most junior tranche's share of all tranche NAV, basis points (the coverage
/// test); `BPS` for an empty pool.
pub fn junior_coverage_bps(navs: &[u128]) -> CoreResult<u128> {
    let mut total = 0u128;
    for nav in navs {
        total = total.safe_add(*nav)?;
    }
    match navs.last() {
        Some(junior) if total > 0 => mul_div(*junior, BPS, total, Rounding::Down),
        _ => Ok(BPS),
    }
}

#[cfg(test)]
mod tests;
