//! The income waterfall, and its settlement before every tranche flow.
//!
//! Stability fees accrue as debt (`DebtState::pending_fees`). A **settlement** runs
//! the waterfall over the fees not yet settled, up to now:
//!
//! 1. the protocol fee (rounded up), owed to the treasury (minted by `distribute`);
//! 2. repayment of bad debt;
//! 3. recovery of tranche losses, senior-first;
//! 4. each non-junior tranche's target yield, compounded per second on the notes it
//!    held since the last settlement (and on yield still owed to it), carried as owed
//!    when income falls short (`yield_owed_wad`), paid senior-first;
//! 5. the rest to the junior (to the senior in Turbo mode), or to the treasury when
//!    that tranche has no shares (nobody owns it yet).
//!
//! A tranche without shares takes nothing at steps 3 and 4: its outstanding losses and
//! owed yield were its former holders' and are cleared.
//!
//! The program settles before every deposit, redemption claim, absorption, loss
//! booking and coverage test, so nobody shares income earned before they entered,
//! and a tranche's assets are constant between settlements: accruing its target over
//! each interval on its assets is exactly time-weighted. The target compounds per
//! second and accrues at WAD precision (the remainder below one note unit is carried,
//! not dropped), so how often anyone settles moves each tranche's income only by
//! rounding (`cadence_moves_income_only_by_rounding`).

use crate::debt::DebtState;
use crate::error::CoreResult;
use crate::math::{compound_wad, mul_div, to_u64, Rounding, SafeMath, WAD};
use crate::price::apply_bps;
use crate::tranche::{TrancheState, MAX_TRANCHES};

/// How one settlement splits the fees it settles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct IncomeSplit {
    /// Fees settled (the waterfall's input), native note units.
    pub fees: u64,
    /// Owed to the treasury.
    pub protocol_fee: u64,
    pub bad_debt_repaid: u64,
    /// Per tranche: losses recovered.
    pub recovered: [u64; MAX_TRANCHES],
    /// Per tranche: yield paid (target yield, and the residual for the residual
    /// tranche).
    pub yielded: [u64; MAX_TRANCHES],
    /// The part of `yielded` that is the residual (to the junior; to the senior in
    /// Turbo mode), not target yield.
    pub residual: u64,
    /// Per tranche: target yield accrued and still unpaid after this settlement,
    /// notes × WAD.
    pub yield_owed_wad: [u128; MAX_TRANCHES],
}

impl IncomeSplit {
    /// Notes minted to tranche `index`.
    pub fn to_tranche(&self, index: usize) -> u64 {
        self.recovered[index] + self.yielded[index]
    }

    /// Notes minted to all tranches.
    pub fn to_tranches(&self) -> u64 {
        (0..MAX_TRANCHES).map(|i| self.to_tranche(i)).sum()
    }
}

/// Target yield accrued over `elapsed` seconds on a tranche holding `assets` notes
/// and owed `owed_wad`: the target APR compounded per second on both (unpaid yield
/// earns the target too, as Tinlake's senior debt does), notes × WAD, rounded down.
/// Compounding makes the accrual independent of how often settlements happen: the
/// yield paid at a settlement becomes assets, and owed yield stays in the base, so
/// settling over `a` then `b` seconds accrues what `a + b` does, up to rounding.
#[track_caller]
pub fn target_accrual_wad(assets: u64, owed_wad: u128, target_apr_bps: u16, elapsed: i64) -> CoreResult<u128> {
    if elapsed <= 0 || target_apr_bps == 0 {
        return Ok(0);
    }
    let base = u128::from(assets).safe_mul(WAD)?.safe_add(owed_wad)?;
    let factor = compound_wad(target_apr_bps, elapsed as u64, Rounding::Down)?;
    mul_div(base, factor - WAD, WAD, Rounding::Down)
}

/// Splits `fees` notes of income between the treasury, bad debt and `tranches` at
/// `now` (see the module docs). Pure: [`apply_income`] writes the result.
pub fn split_income(
    tranches: &[TrancheState],
    fees: u64,
    protocol_fee_bps: u16,
    bad_debt: u64,
    turbo: bool,
    now: i64,
) -> CoreResult<IncomeSplit> {
    if tranches.is_empty() || tranches.len() > MAX_TRANCHES {
        return Err(crate::CoreError::NoTranches);
    }
    let mut split = IncomeSplit {
        fees,
        protocol_fee: to_u64(apply_bps(u128::from(fees), protocol_fee_bps, Rounding::Up)?)?,
        ..Default::default()
    };
    let mut left = fees.safe_sub(split.protocol_fee)?;
    split.bad_debt_repaid = left.min(bad_debt);
    left -= split.bad_debt_repaid;
    // A tranche nobody holds recovers nothing and earns no target: its losses and
    // owed yield were its former holders', and paying them would be a gift to its
    // next depositor (who entered at the NAV after the loss). The income flows on.
    for (index, tranche) in tranches.iter().enumerate() {
        let recovered = if tranche.total_shares == 0 { 0 } else { left.min(tranche.loss_outstanding) };
        split.recovered[index] = recovered;
        left -= recovered;
    }
    // Targets: accrued on what each tranche held since it was last settled, paid
    // senior-first out of what is left, the unpaid part carried.
    let junior = tranches.len() - 1;
    for (index, tranche) in tranches[..junior].iter().enumerate() {
        if tranche.total_shares == 0 {
            continue;
        }
        let elapsed = now.saturating_sub(tranche.last_settled_ts);
        let accrued = target_accrual_wad(tranche.assets, tranche.yield_owed_wad, tranche.target_apr_bps, elapsed)?;
        let owed = tranche.yield_owed_wad.safe_add(accrued)?;
        let paid = left.min(to_u64(owed / WAD).unwrap_or(u64::MAX));
        split.yielded[index] = paid;
        split.yield_owed_wad[index] = owed - u128::from(paid) * WAD;
        left -= paid;
    }
    // The rest goes to holders: the junior's (the senior's in Turbo, the junior's if
    // the senior has none). Income no holder owns goes to the treasury: an empty
    // tranche's NAV would otherwise be a gift to its first depositor.
    let candidates = if turbo { [0, junior] } else { [junior, junior] };
    match candidates.into_iter().find(|index| tranches[*index].total_shares > 0) {
        Some(residual) => {
            split.yielded[residual] = split.yielded[residual].safe_add(left)?;
            split.residual = left;
        }
        None => split.protocol_fee = split.protocol_fee.safe_add(left)?,
    }
    Ok(split)
}

/// Applies an income split to the tranches, settled up to `now`.
pub fn apply_income(tranches: &mut [TrancheState], split: &IncomeSplit, now: i64) -> CoreResult<()> {
    for (index, tranche) in tranches.iter_mut().enumerate() {
        tranche.assets = tranche.assets.safe_add(split.to_tranche(index))?;
        // Nobody holds it: the losses left to recover were its former holders'.
        tranche.loss_outstanding =
            if tranche.total_shares == 0 { 0 } else { tranche.loss_outstanding.safe_sub(split.recovered[index])? };
        tranche.cumulative_yield = tranche.cumulative_yield.safe_add(split.yielded[index])?;
        tranche.yield_owed_wad = split.yield_owed_wad[index];
        tranche.last_settled_ts = now;
    }
    Ok(())
}

/// The pool-level numbers a settlement reads and changes besides the debt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct IncomeLedger {
    /// The part of the pending fees owed to the treasury, not yet minted to it.
    pub protocol_fee_owed: u64,
    /// Loss no tranche could cover.
    pub bad_debt: u64,
    pub protocol_fee_bps: u16,
    pub turbo: bool,
}

/// Settles income up to `now`: accrues the debt, runs the waterfall over the fees
/// not settled yet and applies it to `tranches`. The caller mints
/// `split.to_tranche(i)` notes into tranche `i`'s vault. Afterwards the pending fees
/// are exactly the protocol fee owed: note supply + pending fees = debt + bad debt
/// still holds once those notes are minted. Never inlined: SBF frames are 4 KiB.
#[inline(never)]
pub fn settle_income(
    debt: &mut DebtState,
    ledger: &mut IncomeLedger,
    tranches: &mut [TrancheState],
    now: i64,
) -> CoreResult<IncomeSplit> {
    debt.accrue(now)?;
    let unsettled = debt.pending_fees.safe_sub(ledger.protocol_fee_owed)?;
    let split = split_income(tranches, unsettled, ledger.protocol_fee_bps, ledger.bad_debt, ledger.turbo, now)?;
    apply_income(tranches, &split, now)?;
    debt.pending_fees = debt.pending_fees.safe_sub(unsettled - split.protocol_fee)?;
    ledger.protocol_fee_owed = ledger.protocol_fee_owed.safe_add(split.protocol_fee)?;
    ledger.bad_debt = ledger.bad_debt.safe_sub(split.bad_debt_repaid)?;
    Ok(split)
}

/// Pays the protocol fee owed to the treasury (`distribute`): returns the notes to
/// mint to it.
pub fn take_protocol_fee(debt: &mut DebtState, ledger: &mut IncomeLedger) -> CoreResult<u64> {
    let owed = ledger.protocol_fee_owed;
    debt.pending_fees = debt.pending_fees.safe_sub(owed)?;
    ledger.protocol_fee_owed = 0;
    Ok(owed)
}

#[cfg(test)]
mod tests;
