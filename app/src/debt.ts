// Pool debt, mirrored from `strata_core::debt`: shares against a WAD rate index that
// compounds the stability fee per second. A position owes `shares × index / WAD`
// notes, rounded up; minting issues shares rounded up, repaying burns them rounded
// down. The functions are pure: they return the new state instead of mutating, and a
// refusal (CoreError) leaves the caller's state as it was.
import { CoreError } from './errors.js';
import { compoundWad, mulDiv, Rounding, safeAdd, safeSub, toU64, U64_MAX, WAD } from './math.js';

/** The largest stability fee the program accepts (50% APR). */
export const MAX_STABILITY_FEE_BPS = 5_000n;

/** The debt side of a pool, as plain numbers. */
export type DebtState = {
  /** Σ positions' debt shares (u128). */
  totalShares: bigint;
  /** Notes owed per share, WAD (u128); starts at 1.0 and only grows. */
  rateIndexWad: bigint;
  /** Stability fee, APR in basis points (u16). */
  stabilityFeeBps: bigint;
  /** Unix seconds of the last accrual (i64). */
  lastAccrualTs: bigint;
  /** Fees accrued as debt and not yet distributed, native note units (u64). */
  pendingFees: bigint;
  /** Most notes the pool's positions may owe in total (u64). */
  debtCeiling: bigint;
  /** Smallest non-zero debt a position may carry (u64). */
  minDebt: bigint;
};

export type AccrueOutcome = { state: DebtState; fees: bigint };

export type MintOutcome = {
  state: DebtState;
  sharesIssued: bigint;
  positionShares: bigint;
  /** The position's debt after the mint, notes (rounded up). */
  positionDebt: bigint;
};

export type RepayOutcome = {
  state: DebtState;
  /** Notes actually taken from the payer: at most the position's debt. */
  repaid: bigint;
  sharesBurned: bigint;
  positionShares: bigint;
  positionDebt: bigint;
};

/** An insolvent position's settlement. */
export type SettleOutcome = {
  state: DebtState;
  repaid: bigint;
  sharesBurned: bigint;
  /** Debt no collateral covers, native note units. */
  badDebt: bigint;
};

/** `DebtState`'s methods, as pure functions over the plain value. */
export const DebtState = {
  /** A fresh pool's debt state. */
  new(stabilityFeeBps: bigint, debtCeiling: bigint, minDebt: bigint, now: bigint): DebtState {
    return { totalShares: 0n, rateIndexWad: WAD, stabilityFeeBps, lastAccrualTs: now, pendingFees: 0n, debtCeiling, minDebt };
  },

  /** Notes owed for `shares`, rounded up. */
  debtOf(state: DebtState, shares: bigint): bigint {
    return mulDiv(shares, state.rateIndexWad, WAD, Rounding.Up);
  },

  /** Notes owed by all positions, rounded up. */
  totalDebt(state: DebtState): bigint {
    return DebtState.debtOf(state, state.totalShares);
  },

  /** Grows the index, compounding the fee per second since the last accrual, and
   * books the growth of total debt as pending fees. A clock that has not moved
   * accrues nothing. */
  accrue(state: DebtState, now: bigint): AccrueOutcome {
    if (now <= state.lastAccrualTs) return { state: { ...state }, fees: 0n };
    const elapsed = now - state.lastAccrualTs;
    const debtBefore = DebtState.totalDebt(state);
    const factor = compoundWad(state.stabilityFeeBps, elapsed, Rounding.Up);
    const next: DebtState = { ...state, rateIndexWad: mulDiv(state.rateIndexWad, factor, WAD, Rounding.Up), lastAccrualTs: now };
    const fees = toU64(safeSub(DebtState.totalDebt(next), debtBefore));
    next.pendingFees = safeAdd(next.pendingFees, fees, U64_MAX);
    return { state: next, fees };
  },

  /** Issues debt of `amount` notes to a position holding `positionShares`, refusing
   * zero, a debt below the dust floor, the pool's ceiling, and a position debt above
   * `borrowLimit` (its collateral valued at the conservative price times ltv). */
  mint(state: DebtState, positionShares: bigint, amount: bigint, borrowLimit: bigint): MintOutcome {
    if (amount === 0n) throw new CoreError('ZeroAmount');
    const sharesIssued = mulDiv(amount, WAD, state.rateIndexWad, Rounding.Up);
    const newPositionShares = safeAdd(positionShares, sharesIssued);
    const positionDebt = DebtState.debtOf(state, newPositionShares);
    if (positionDebt < state.minDebt) throw new CoreError('DebtBelowMinimum');
    const totalShares = safeAdd(state.totalShares, sharesIssued);
    if (DebtState.debtOf(state, totalShares) > state.debtCeiling) throw new CoreError('DebtCeilingExceeded');
    if (positionDebt > borrowLimit) throw new CoreError('InsufficientCollateralValue');
    return { state: { ...state, totalShares }, sharesIssued, positionShares: newPositionShares, positionDebt };
  },

  /** Repays up to `amount` notes of a position's debt. An amount at or above the debt
   * repays all of it (so u64::MAX means "everything"); a partial repayment may not
   * leave the debt between 0 and `minDebt`. */
  repay(state: DebtState, positionShares: bigint, amount: bigint): RepayOutcome {
    const outcome = DebtState.burn(state, positionShares, amount);
    if (outcome.positionDebt > 0n && outcome.positionDebt < state.minDebt) throw new CoreError('DebtBelowMinimum');
    return outcome;
  },

  /** Burns the shares `amount` notes pay off (all of them when `amount` covers the
   * debt; otherwise rounded down), without the dust rule: liquidation sizing applies
   * its own. */
  burn(state: DebtState, positionShares: bigint, amount: bigint): RepayOutcome {
    if (amount === 0n) throw new CoreError('ZeroAmount');
    const debt = DebtState.debtOf(state, positionShares);
    if (debt === 0n) throw new CoreError('NoDebt');
    const [repaid, sharesBurned] =
      amount >= debt ? [toU64(debt), positionShares] : [amount, mulDiv(amount, WAD, state.rateIndexWad, Rounding.Down)];
    if (sharesBurned === 0n) throw new CoreError('ZeroAmount');
    const newPositionShares = safeSub(positionShares, sharesBurned);
    const positionDebt = DebtState.debtOf(state, newPositionShares);
    const totalShares = safeSub(state.totalShares, sharesBurned);
    return { state: { ...state, totalShares }, repaid, sharesBurned, positionShares: newPositionShares, positionDebt };
  },

  /** Settles an insolvent position: `repaid` notes are burned, all of its shares are
   * cancelled, and the rest of its debt is returned as the loss to book. */
  settle(state: DebtState, positionShares: bigint, repaid: bigint): SettleOutcome {
    const debt = DebtState.debtOf(state, positionShares);
    const badDebt = toU64(safeSub(debt, repaid));
    const totalShares = safeSub(state.totalShares, positionShares);
    return { state: { ...state, totalShares }, repaid, sharesBurned: positionShares, badDebt };
  },
} as const;
