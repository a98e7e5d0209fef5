//! PROTOCOL.md's invariants, checked on the model after every step.

use strata_core::income::target_accrual_wad;
use strata_core::math::{compound_wad, Rounding};
use strata_core::{mul_div, Health, WAD};

use crate::model::{Model, Op, ACTORS, ASSETS, TRANCHES};

/// Checks every invariant; returns the first one broken.
pub fn check(before: &Model, after: &Model, op: &Op, applied: bool) -> Result<(), String> {
    if !applied {
        // A refused step changes nothing (the model applies steps atomically).
        return Ok(());
    }
    vaults_hold_what_is_owed(after)?;
    notes_match_debt(after)?;
    tranche_assets_are_in_their_vaults(after)?;
    ledgers_are_closed(after)?;
    escrows_match_requests(after)?;
    targets_compound_whatever_the_cadence(after)?;
    if let Op::RoundTrip { tranche, amount, .. } = *op {
        round_trips_never_gain(before, tranche, amount)?;
    }
    losses_go_junior_first_on_nav(after)?;
    // Interest accrues at the start of most steps; like the passing of time it may
    // lower health. Invariant 4 is about what the step itself does, so it compares
    // against the state accrued to the step's time.
    let mut accrued = before.clone();
    accrued.debt.accrue(after.now).map_err(|e| format!("{e:?}"))?;
    healthy_positions_stay_healthy(&accrued, after, op)?;
    only_owners_move_their_positions(before, after, op)
}

/// 1. Each vault holds Σ positions' collateral + Σ tranches' held collateral.
fn vaults_hold_what_is_owed(m: &Model) -> Result<(), String> {
    for asset in 0..ASSETS {
        let positions: u64 = m.positions.iter().map(|p| p.collateral[asset]).sum();
        let tranches: u64 = m.tranches.iter().map(|t| t.collateral_held[asset]).sum();
        if m.vaults[asset] != positions + tranches {
            return Err(format!(
                "invariant 1: vault {asset} holds {} but owes {}",
                m.vaults[asset],
                positions + tranches
            ));
        }
    }
    Ok(())
}

/// 2. Note supply + pending fees = total debt + bad debt, short of the debt by no
///    more than the rounding the protocol kept.
fn notes_match_debt(m: &Model) -> Result<(), String> {
    let owed = m.debt.total_debt().map_err(|e| format!("{e:?}"))? + u128::from(m.ledger.bad_debt);
    let booked = m.note_supply + u128::from(m.debt.pending_fees);
    if booked > owed || owed - booked > m.slack {
        return Err(format!("invariant 2: notes + fees {booked}, debt + bad debt {owed}, allowed slack {}", m.slack));
    }
    Ok(())
}

/// 3. Σ tranche assets = Σ tranche vault balances (exactly, per tranche).
fn tranche_assets_are_in_their_vaults(m: &Model) -> Result<(), String> {
    for t in 0..TRANCHES {
        if m.tranches[t].assets != m.tranche_vaults[t] {
            return Err(format!(
                "invariant 3: tranche {t} assets {} vs vault {}",
                m.tranches[t].assets, m.tranche_vaults[t]
            ));
        }
    }
    Ok(())
}

/// Every note and share is somewhere: wallets, tranche vaults, treasury.
fn ledgers_are_closed(m: &Model) -> Result<(), String> {
    let notes: u128 = m.wallets.iter().map(|w| u128::from(w.notes)).sum::<u128>()
        + m.tranche_vaults.iter().map(|v| u128::from(*v)).sum::<u128>()
        + u128::from(m.treasury);
    if notes != m.note_supply {
        return Err(format!("note ledger: {notes} held vs supply {}", m.note_supply));
    }
    for t in 0..TRANCHES {
        // Escrowed plus held shares are the supply.
        let shares: u64 = m.wallets.iter().map(|w| w.shares[t]).sum::<u64>() + m.escrows[t];
        if shares != m.tranches[t].total_shares {
            return Err(format!(
                "share ledger of tranche {t}: {shares} held or escrowed vs {}",
                m.tranches[t].total_shares
            ));
        }
    }
    Ok(())
}

/// The escrow holds exactly the queued requests' shares, as the tranche records.
fn escrows_match_requests(m: &Model) -> Result<(), String> {
    for t in 0..TRANCHES {
        let queued: u64 = m.requests.iter().filter_map(|r| r[t]).map(|r| r.shares).sum();
        if queued != m.escrows[t] || queued != m.tranches[t].escrowed_shares {
            return Err(format!(
                "escrow of tranche {t}: requests {queued}, escrow {}, recorded {}",
                m.escrows[t], m.tranches[t].escrowed_shares
            ));
        }
    }
    Ok(())
}

/// A non-junior tranche's target base (notes plus yield owed) equals the model's
/// independent account, compounded at every step: how often income is settled
/// changes a senior's income only by the compounding's rounding (a relative 1e-17
/// per compounding; allowed: 1e-12 of the largest base the pool has seen, plus 1e-6
/// of a native unit).
fn targets_compound_whatever_the_cadence(m: &Model) -> Result<(), String> {
    for t in 0..TRANCHES - 1 {
        let tranche = &m.tranches[t];
        if tranche.total_shares == 0 {
            continue; // nobody holds it: no target accrues (the model resets its base)
        }
        // The core's base accrued to now: what its next settlement will compound to.
        let pending = target_accrual_wad(
            tranche.assets,
            tranche.yield_owed_wad,
            tranche.target_apr_bps,
            m.now - tranche.last_settled_ts,
        )
        .map_err(|e| format!("{e:?}"))?;
        let core = u128::from(tranche.assets) * WAD + tranche.yield_owed_wad + pending;
        let elapsed = (m.now - m.target_base_ts).max(0) as u64;
        let factor = compound_wad(tranche.target_apr_bps, elapsed, Rounding::Down).map_err(|e| format!("{e:?}"))?;
        let expected = mul_div(m.target_base_wad[t], factor, WAD, Rounding::Down).map_err(|e| format!("{e:?}"))?;
        let tolerance = m.target_base_peak_wad / 1_000_000_000_000 + 1_000_000_000_000;
        if core.abs_diff(expected) > tolerance {
            return Err(format!("senior income: target base {core} vs {expected} compounded per step (tranche {t})"));
        }
    }
    Ok(())
}

/// While the tranches below a tranche hold NAV (collateral at the price it is handed
/// over at) at least equal to a loss, that tranche's NAV at spot does not fall.
fn losses_go_junior_first_on_nav(m: &Model) -> Result<(), String> {
    let Some(check) = m.last_loss else { return Ok(()) };
    for t in 0..TRANCHES {
        if check.below[t] >= u128::from(check.loss) && check.after[t] < check.before[t] {
            return Err(format!(
                "junior-first on NAV: tranche {t} NAV {} -> {} for a loss of {} with {} below",
                check.before[t], check.after[t], check.loss, check.below[t]
            ));
        }
    }
    Ok(())
}

/// Depositing and redeeming at once never returns more than was put in (collateral
/// valued at the entry price).
fn round_trips_never_gain(m: &Model, tranche: usize, amount: u64) -> Result<(), String> {
    match m.round_trip_gain(tranche, amount) {
        Some(gain) if gain > 0 => Err(format!("a round trip of {amount} into tranche {tranche} gained {gain}")),
        _ => Ok(()),
    }
}

/// 4. No step that leaves prices and time alone makes a healthy position
///    liquidatable, and a liquidation never lowers the liquidated position's health.
fn healthy_positions_stay_healthy(before: &Model, after: &Model, op: &Op) -> Result<(), String> {
    if !op.keeps_prices() {
        return Ok(());
    }
    for actor in 0..ACTORS {
        let (Some(was), Some(is)) = (before.spot_health(actor), after.spot_health(actor)) else { continue };
        if was.is_healthy() && !is.is_healthy() {
            return Err(format!("invariant 4: {op:?} made position {actor} liquidatable ({was:?} -> {is:?})"));
        }
        let liquidated = match op {
            Op::Liquidate { target, .. } | Op::Absorb { target, .. } => *target == actor,
            _ => false,
        };
        if liquidated && !is.is_at_least(&was) {
            return Err(format!("invariant 4: {op:?} lowered the health of position {actor} ({was:?} -> {is:?})"));
        }
    }
    Ok(())
}

/// 5. A signer moves only what is theirs: each step changes only its actor's
///    position, except repayments (which only lower someone's debt) and liquidations
///    of unhealthy positions.
fn only_owners_move_their_positions(before: &Model, after: &Model, op: &Op) -> Result<(), String> {
    let (allowed, kind) = match *op {
        Op::Deposit { actor, .. } | Op::Withdraw { actor, .. } | Op::Mint { actor, .. } => (Some(actor), "own"),
        Op::Repay { target, .. } => (Some(target), "repay"),
        Op::Liquidate { target, .. } | Op::Absorb { target, .. } => (Some(target), "liquidation"),
        _ => (None, "none"),
    };
    for actor in 0..ACTORS {
        let (old, new) = (before.positions[actor], after.positions[actor]);
        if old == new {
            continue;
        }
        if Some(actor) != allowed {
            return Err(format!("invariant 5: {op:?} changed position {actor}"));
        }
        match kind {
            "repay" if new.collateral != old.collateral || new.shares > old.shares => {
                return Err(format!("invariant 5: {op:?} did more than lower position {actor}'s debt"));
            }
            "liquidation" if before.spot_health(actor).is_none_or(|h: Health| h.is_healthy()) => {
                return Err(format!("invariant 5: {op:?} liquidated a healthy position {actor}"));
            }
            _ => {}
        }
    }
    Ok(())
}
