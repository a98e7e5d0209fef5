//! Tranche flows over plain state: a deposit, the claim of an escrowed redemption,
//! and recovery sales of held collateral. The program's handlers and the fuzzer's model both run these, after
//! settling income (`crate::income::settle_income`).
//!
//! Exits go through a queue: a holder escrows shares (`request`), and after the
//! pool's redemption delay claims what they pay *then*, after any loss booked in
//! between. The delay is at least the largest collateral `max_age_secs` plus
//! [`REDEMPTION_DELAY_MARGIN_SECS`]: a loss that exists when the request is made is
//! visible at a fresh price within `max_age_secs`, and keepers have the margin to
//! report or book it (a reported loss freezes claims until it is booked).

use crate::error::{CoreError, CoreResult};
use crate::health::CollateralView;
use crate::math::{mul_div, to_u64, Rounding, SafeMath, BPS, WAD};
use crate::tranche::{subordination_holds, withdrawal_keeps_seniors_covered, Redemption, TrancheState};

/// Seconds a redemption delay must exceed every collateral's `max_age_secs` by.
pub const REDEMPTION_DELAY_MARGIN_SECS: u32 = 60;
/// The longest redemption delay a pool may set (30 days).
pub const MAX_REDEMPTION_DELAY_SECS: u32 = 30 * 86_400;

/// Whether `delay_secs` is a valid redemption delay for collaterals whose largest
/// `max_age_secs` is `max_age_secs`.
pub fn redemption_delay_is_valid(delay_secs: u32, max_age_secs: u32) -> bool {
    delay_secs <= MAX_REDEMPTION_DELAY_SECS
        && u64::from(delay_secs) >= u64::from(max_age_secs) + u64::from(REDEMPTION_DELAY_MARGIN_SECS)
}

/// Every tranche's NAV at fresh spot prices, in index order.
pub fn navs(tranches: &[TrancheState], slots: &[CollateralView], now: i64) -> CoreResult<[u128; crate::MAX_TRANCHES]> {
    let mut navs = [0u128; crate::MAX_TRANCHES];
    for (nav, tranche) in navs.iter_mut().zip(tranches) {
        *nav = tranche.nav(slots, now)?;
    }
    Ok(navs)
}

/// Deposits `amount` notes into tranche `index`: shares at the entry NAV (held
/// collateral at the top of its band, fresh prices), refused when the tranche would
/// be left below its own minimum subordination (at spot). Returns the shares minted.
pub fn deposit(
    tranches: &mut [TrancheState],
    index: usize,
    amount: u64,
    slots: &[CollateralView],
    now: i64,
) -> CoreResult<u64> {
    let tranche = tranches.get_mut(index).ok_or(CoreError::NoTranches)?;
    let shares = tranche.shares_for_deposit(tranche.entry_nav(slots, now)?, amount)?;
    tranche.deposit(amount, shares)?;
    let min_subordination_bps = tranche.min_subordination_bps;
    let navs = navs(tranches, slots, now)?;
    if !subordination_holds(&navs[..tranches.len()], min_subordination_bps, index)? {
        return Err(CoreError::SubordinationBreached);
    }
    Ok(shares)
}

/// Escrows `shares` of tranche `index` for redemption.
pub fn request(tranche: &mut TrancheState, shares: u64) -> CoreResult<()> {
    if shares == 0 {
        return Err(CoreError::ZeroAmount);
    }
    let escrowed = tranche.escrowed_shares.safe_add(shares)?;
    if escrowed > tranche.total_shares {
        return Err(CoreError::InsufficientShares);
    }
    tranche.escrowed_shares = escrowed;
    Ok(())
}

/// Returns `shares` from the escrow to their holder.
pub fn cancel(tranche: &mut TrancheState, shares: u64) -> CoreResult<()> {
    tranche.escrowed_shares = tranche.escrowed_shares.checked_sub(shares).ok_or(CoreError::InsufficientShares)?;
    Ok(())
}

/// Whether a request made at `requested_at` may be claimed at `now`.
pub fn claimable(requested_at: i64, delay_secs: u32, now: i64) -> CoreResult<()> {
    if now < requested_at.safe_add(i64::from(delay_secs))? {
        return Err(CoreError::RedemptionNotReady);
    }
    Ok(())
}

/// Claims `shares` escrowed in tranche `index`: their pro-rata notes and held
/// collateral as the tranche stands now, the shares burned from the escrow. Refused
/// when it would leave a more senior tranche (with holders) below its minimum
/// subordination at spot; the request stays and may be claimed later.
pub fn claim(
    tranches: &mut [TrancheState],
    index: usize,
    shares: u64,
    slots: &[CollateralView],
    now: i64,
) -> CoreResult<Redemption> {
    let tranche = tranches.get_mut(index).ok_or(CoreError::NoTranches)?;
    if shares > tranche.escrowed_shares {
        return Err(CoreError::InsufficientShares);
    }
    let redemption = tranche.redemption(shares)?;
    tranche.withdraw(&redemption)?;
    tranche.escrowed_shares -= shares;
    let navs = navs(tranches, slots, now)?;
    if !withdrawal_keeps_seniors_covered(tranches, &navs[..tranches.len()], index)? {
        return Err(CoreError::SubordinationBreached);
    }
    Ok(redemption)
}

/// A recovery sale: notes paid into a tranche for collateral it holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct RecoverySale {
    /// Units of the collateral the buyer receives.
    pub collateral_out: u64,
    /// Notes the buyer pays into the tranche's vault.
    pub notes_in: u64,
    /// The price per native unit, WAD: spot × (1 − discount), rounded up.
    pub price_wad: u128,
}

/// Sizes a recovery sale of `tranche`'s held collateral `asset` (`slot` prices it)
/// for up to `notes_offered` notes, at spot × (1 − `discount_bps`) rounded up (the
/// tranche never sells cheaper than that): as many units as the notes buy, at most
/// what it holds, and the notes those units cost (rounded up).
pub fn plan_recovery_sale(
    tranche: &TrancheState,
    asset: usize,
    slot: &CollateralView,
    discount_bps: u16,
    notes_offered: u64,
    now: i64,
) -> CoreResult<RecoverySale> {
    let held = *tranche.collateral_held.get(asset).ok_or(CoreError::NoCollateralToSeize)?;
    if held == 0 {
        return Err(CoreError::NoCollateralToSeize);
    }
    if notes_offered == 0 {
        return Err(CoreError::ZeroAmount);
    }
    let spot = slot.price.spot(&slot.limits, now)?;
    let discount = u128::from(discount_bps).min(BPS);
    let price_wad = mul_div(spot, BPS - discount, BPS, Rounding::Up)?;
    let affordable = mul_div(u128::from(notes_offered), WAD, price_wad, Rounding::Down)?;
    let collateral_out = to_u64(affordable.min(u128::from(held)))?;
    if collateral_out == 0 {
        return Err(CoreError::ZeroAmount);
    }
    let notes_in = to_u64(mul_div(u128::from(collateral_out), price_wad, WAD, Rounding::Up)?)?;
    Ok(RecoverySale { collateral_out, notes_in, price_wad })
}

/// Applies a recovery sale to the selling tranche: notes in, collateral out.
pub fn apply_recovery_sale(tranche: &mut TrancheState, asset: usize, sale: &RecoverySale) -> CoreResult<()> {
    tranche.assets = tranche.assets.safe_add(sale.notes_in)?;
    let held = tranche.collateral_held.get_mut(asset).ok_or(CoreError::NoCollateralToSeize)?;
    *held = held.safe_sub(sale.collateral_out)?;
    Ok(())
}

/// What one share of a redemption paid, notes × WAD per share unit: its notes plus
/// its collateral at spot, over its shares (rounded down; reported by the claim).
pub fn share_price_wad(redemption: &Redemption, slots: &[CollateralView], now: i64) -> CoreResult<u128> {
    let mut value = u128::from(redemption.notes);
    for (index, amount) in redemption.collateral.iter().enumerate().filter(|(_, a)| **a > 0) {
        let slot = slots.get(index).ok_or(CoreError::NoCollateralToSeize)?;
        value = value.safe_add(CollateralView { amount: *amount, ..*slot }.value(crate::PriceBasis::Spot, now)?)?;
    }
    mul_div(value, WAD, u128::from(redemption.shares.max(1)), Rounding::Down)
}

#[cfg(test)]
mod tests;
