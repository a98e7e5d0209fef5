// The income waterfall and its settlement before every tranche flow, mirrored from
// `strata_core::income`:
//
// 1. the protocol fee (rounded up), owed to the treasury until `distribute` mints it;
// 2. repayment of bad debt;
// 3. recovery of tranche losses, senior-first;
// 4. each non-junior tranche's target yield, compounded per second on the notes it
//    held since its last settlement (and on the yield still owed to it), carried as
//    owed when income falls short, paid senior-first;
// 5. the rest to the junior (to the senior in Turbo mode).
//
// Pure functions: the mutating Rust functions return new values here.
import { CoreError } from './errors.js';
import { DebtState } from './debt.js';
import { compoundWad, minBig, mulDiv, Rounding, safeAdd, safeMul, safeSub, saturatingSubI64, toU64, U64_MAX, WAD } from './math.js';
import { checkTrancheCount, MAX_TRANCHES, trancheSlots, type TrancheState } from './tranche.js';

const addU64 = (a: bigint, b: bigint) => safeAdd(a, b, U64_MAX);
const subU64 = (a: bigint, b: bigint) => safeSub(a, b, U64_MAX);

/** How one settlement splits the fees it settles. */
export type IncomeSplit = {
  /** Fees settled (the waterfall's input), native note units. */
  fees: bigint;
  /** Owed to the treasury. */
  protocolFee: bigint;
  badDebtRepaid: bigint;
  /** Per tranche (4): losses recovered. */
  recovered: bigint[];
  /** Per tranche (4): yield paid (target yield, and the residual for the residual tranche). */
  yielded: bigint[];
  /** The part of `yielded` that is the residual. */
  residual: bigint;
  /** Per tranche (4): target yield still unpaid after this settlement, notes × WAD. */
  yieldOwedWad: bigint[];
};

export const IncomeSplit = {
  /** Notes minted to tranche `index`. */
  toTranche: (split: IncomeSplit, index: number): bigint => (split.recovered[index] ?? 0n) + (split.yielded[index] ?? 0n),
  /** Notes minted to all tranches. */
  toTranches: (split: IncomeSplit): bigint =>
    Array.from({ length: MAX_TRANCHES }, (_, i) => IncomeSplit.toTranche(split, i)).reduce((a, b) => a + b, 0n),
} as const;

/** Target yield accrued over `elapsed` seconds on a tranche holding `assets` notes
 * and owed `owedWad`: the target APR compounded per second on both, notes × WAD,
 * rounded down. */
export function targetAccrualWad(assets: bigint, owedWad: bigint, targetAprBps: bigint, elapsed: bigint): bigint {
  if (elapsed <= 0n || targetAprBps === 0n) return 0n;
  const base = safeAdd(safeMul(assets, WAD), owedWad);
  const factor = compoundWad(targetAprBps, elapsed, Rounding.Down);
  return mulDiv(base, factor - WAD, WAD, Rounding.Down);
}

/** Splits `fees` notes of income between the treasury, bad debt and `tranches` at
 * `now`. Pure: `applyIncome` writes the result. */
export function splitIncome(
  tranches: readonly TrancheState[],
  fees: bigint,
  protocolFeeBps: bigint,
  badDebt: bigint,
  turbo: boolean,
  now: bigint,
): IncomeSplit {
  if (tranches.length === 0 || tranches.length > MAX_TRANCHES) throw new CoreError('NoTranches');
  const split: IncomeSplit = {
    fees,
    protocolFee: toU64(mulDiv(fees, protocolFeeBps, 10_000n, Rounding.Up)),
    badDebtRepaid: 0n,
    recovered: trancheSlots(),
    yielded: trancheSlots(),
    residual: 0n,
    yieldOwedWad: trancheSlots(),
  };
  let left = subU64(fees, split.protocolFee);
  split.badDebtRepaid = minBig(left, badDebt);
  left -= split.badDebtRepaid;
  // A tranche nobody holds recovers nothing and earns no target (its former holders'
  // losses and owed yield are cleared); the income flows on.
  tranches.forEach((tranche, index) => {
    const recovered = tranche.totalShares === 0n ? 0n : minBig(left, tranche.lossOutstanding);
    split.recovered[index] = recovered;
    left -= recovered;
  });
  const junior = tranches.length - 1;
  tranches.slice(0, junior).forEach((tranche, index) => {
    if (tranche.totalShares === 0n) return;
    const elapsed = saturatingSubI64(now, tranche.lastSettledTs);
    const accrued = targetAccrualWad(tranche.assets, tranche.yieldOwedWad, tranche.targetAprBps, elapsed);
    const owed = safeAdd(tranche.yieldOwedWad, accrued);
    const due = owed / WAD;
    const paid = minBig(left, due > U64_MAX ? U64_MAX : due);
    split.yielded[index] = paid;
    split.yieldOwedWad[index] = owed - paid * WAD;
    left -= paid;
  });
  // The rest goes to holders (the senior's in Turbo, else the junior's); income no
  // holder owns goes to the treasury.
  const residual = (turbo ? [0, junior] : [junior]).find((index) => tranches[index]!.totalShares > 0n);
  if (residual === undefined) {
    split.protocolFee = addU64(split.protocolFee, left);
  } else {
    split.yielded[residual] = addU64(split.yielded[residual]!, left);
    split.residual = left;
  }
  return split;
}

/** Applies an income split to the tranches, settled up to `now`. */
export function applyIncome(tranches: readonly TrancheState[], split: IncomeSplit, now: bigint): TrancheState[] {
  checkTrancheCount(tranches);
  return tranches.map((tranche, index) => ({
    ...tranche,
    assets: addU64(tranche.assets, IncomeSplit.toTranche(split, index)),
    lossOutstanding: tranche.totalShares === 0n ? 0n : subU64(tranche.lossOutstanding, split.recovered[index]!),
    cumulativeYield: addU64(tranche.cumulativeYield, split.yielded[index]!),
    yieldOwedWad: split.yieldOwedWad[index]!,
    lastSettledTs: now,
  }));
}

/** The pool-level numbers a settlement reads and changes besides the debt. */
export type IncomeLedger = {
  /** The part of the pending fees owed to the treasury, not yet minted to it. */
  protocolFeeOwed: bigint;
  badDebt: bigint;
  protocolFeeBps: bigint;
  turbo: boolean;
};

export type Settlement = { split: IncomeSplit; debt: DebtState; ledger: IncomeLedger; tranches: TrancheState[] };

/** Settles income up to `now`: accrues the debt, runs the waterfall over the fees not
 * settled yet and applies it (`split.toTranche(i)` notes are minted to tranche `i`). */
export function settleIncome(debt: DebtState, ledger: IncomeLedger, tranches: readonly TrancheState[], now: bigint): Settlement {
  const accrued = DebtState.accrue(debt, now).state;
  const unsettled = subU64(accrued.pendingFees, ledger.protocolFeeOwed);
  const split = splitIncome(tranches, unsettled, ledger.protocolFeeBps, ledger.badDebt, ledger.turbo, now);
  const next = applyIncome(tranches, split, now);
  return {
    split,
    debt: { ...accrued, pendingFees: subU64(accrued.pendingFees, unsettled - split.protocolFee) },
    ledger: {
      ...ledger,
      protocolFeeOwed: addU64(ledger.protocolFeeOwed, split.protocolFee),
      badDebt: subU64(ledger.badDebt, split.badDebtRepaid),
    },
    tranches: next,
  };
}

/** Pays the protocol fee owed to the treasury (`distribute`): the notes to mint. */
export function takeProtocolFee(debt: DebtState, ledger: IncomeLedger): { fee: bigint; debt: DebtState; ledger: IncomeLedger } {
  const fee = ledger.protocolFeeOwed;
  return { fee, debt: { ...debt, pendingFees: subU64(debt.pendingFees, fee) }, ledger: { ...ledger, protocolFeeOwed: 0n } };
}
