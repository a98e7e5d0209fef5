// Tranches, mirrored from `strata_core::tranche`: share pricing, subordination, and
// the income and loss waterfalls. Index 0 is the most senior; the last is the most
// junior and residual.
//
// - Shares are priced at `(NAV + 1) / (shares + 1,000)` (a virtual offset: the first
//   depositor cannot inflate the price). Deposits round shares down; withdrawals pay
//   `shares / (S + 1,000)` of the notes and of every held collateral, rounded down.
// - Subordination of tranche `i`: NAV below it over the NAV of all.
// - Entries are priced at a NAV that favours the holders: held collateral at the top
//   of its price band (`max(spot, EMA) + confidence`), fresh prices required.
// - Income: see `income.ts`. Losses: junior-first through note assets; what no
//   tranche covers is bad debt.
//
// Pure functions: the mutating Rust methods return new values here.
import { CoreError } from './errors.js';
import { CollateralView, PriceBasis } from './health.js';
import { MAX_COLLATERALS } from './liquidation.js';
import { BPS, minBig, mulDiv, Rounding, safeAdd, safeMul, safeSub, toU64, U64_MAX, WAD } from './math.js';
import { CachedPrice } from './price.js';

/** Tranches a pool can have. */
export const MAX_TRANCHES = 4;
/** Virtual assets of the share price offset (native note units). */
export const VIRTUAL_ASSETS = 1n;
/** Virtual shares of the share price offset: one native note unit is 1,000 shares. */
export const VIRTUAL_SHARES = 1_000n;

/** One tranche, as plain numbers (u64 unless noted). */
export type TrancheState = {
  /** Notes held for holders, native units. */
  assets: bigint;
  totalShares: bigint;
  /** Target APR (ignored for the most junior), basis points (u16). */
  targetAprBps: bigint;
  /** Share of all tranche NAV that must sit below this tranche, basis points (u16). */
  minSubordinationBps: bigint;
  /** When income was last settled into this tranche, Unix seconds (i64). */
  lastSettledTs: bigint;
  /** Target yield accrued and not yet paid, notes × WAD (u128). */
  yieldOwedWad: bigint;
  /** Shares in the redemption escrow (part of `totalShares`). */
  escrowedShares: bigint;
  /** Losses taken and not yet recovered, notes. */
  lossOutstanding: bigint;
  cumulativeYield: bigint;
  cumulativeLoss: bigint;
  /** Collateral from absorbed positions, native units per pool collateral index (8). */
  collateralHeld: bigint[];
};

/** What a withdrawal pays. */
export type Redemption = {
  shares: bigint;
  notes: bigint;
  /** Per pool collateral index (8). */
  collateral: bigint[];
};

const addU64 = (a: bigint, b: bigint) => safeAdd(a, b, U64_MAX);
const subU64 = (a: bigint, b: bigint) => safeSub(a, b, U64_MAX);

/** `TrancheState`'s methods, as pure functions over the plain value. */
export const TrancheState = {
  /** A tranche with nothing in it. */
  empty(): TrancheState {
    return {
      assets: 0n,
      totalShares: 0n,
      targetAprBps: 0n,
      minSubordinationBps: 0n,
      lastSettledTs: 0n,
      yieldOwedWad: 0n,
      escrowedShares: 0n,
      lossOutstanding: 0n,
      cumulativeYield: 0n,
      cumulativeLoss: 0n,
      collateralHeld: Array.from({ length: MAX_COLLATERALS }, () => 0n),
    };
  },

  /** Net asset value in notes: notes plus held collateral at fresh spot prices
   * (`slots` supplies prices; their amounts are ignored). */
  nav(tranche: TrancheState, slots: readonly CollateralView[], now: bigint): bigint {
    let nav = tranche.assets;
    tranche.collateralHeld.forEach((held, index) => {
      if (held === 0n) return;
      const slot = slots[index];
      if (!slot) throw new CoreError('NoCollateralToSeize');
      nav = safeAdd(nav, CollateralView.value({ ...slot, amount: held }, PriceBasis.Spot, now));
    });
    return nav;
  },

  /** Net asset value an entrant buys at: notes plus held collateral at the top of
   * its price band (`max(spot, EMA) + confidence`, rounded up), fresh prices only. */
  entryNav(tranche: TrancheState, slots: readonly CollateralView[], now: bigint): bigint {
    let nav = tranche.assets;
    tranche.collateralHeld.forEach((held, index) => {
      if (held === 0n) return;
      const slot = slots[index];
      if (!slot) throw new CoreError('NoCollateralToSeize');
      const price = CachedPrice.entry(slot.price, slot.limits, now);
      nav = safeAdd(nav, mulDiv(held, price, WAD, Rounding.Up));
    });
    return nav;
  },

  /** Shares minted for a deposit of `amount` notes, rounded down. */
  sharesForDeposit(tranche: TrancheState, nav: bigint, amount: bigint): bigint {
    if (amount === 0n) throw new CoreError('ZeroAmount');
    const shares = mulDiv(amount, safeAdd(tranche.totalShares, VIRTUAL_SHARES), safeAdd(nav, VIRTUAL_ASSETS), Rounding.Down);
    // A wiped-out tranche (NAV near zero, shares outstanding) prices shares near
    // zero; refusing is fairer than re-pricing the old shares against new money.
    if (shares > U64_MAX || tranche.totalShares + shares > U64_MAX) throw new CoreError('SharePriceTooLow');
    if (shares === 0n) throw new CoreError('ZeroAmount');
    return shares;
  },

  /** What `shares` redeem: notes and each held collateral, rounded down. */
  redemption(tranche: TrancheState, shares: bigint): Redemption {
    if (shares === 0n) throw new CoreError('ZeroAmount');
    if (shares > tranche.totalShares) throw new CoreError('InsufficientShares');
    const denominator = safeAdd(tranche.totalShares, VIRTUAL_SHARES);
    const portion = (amount: bigint) => mulDiv(amount, shares, denominator, Rounding.Down);
    const notes = toU64(minBig(portion(safeAdd(tranche.assets, VIRTUAL_ASSETS)), tranche.assets));
    const collateral = tranche.collateralHeld.map((held) => toU64(portion(held)));
    return { shares, notes, collateral };
  },

  /** Applies a deposit. */
  deposit(tranche: TrancheState, amount: bigint, shares: bigint): TrancheState {
    return { ...tranche, assets: addU64(tranche.assets, amount), totalShares: addU64(tranche.totalShares, shares) };
  },

  /** Applies a redemption. */
  withdraw(tranche: TrancheState, redemption: Redemption): TrancheState {
    const assets = subU64(tranche.assets, redemption.notes);
    const totalShares = subU64(tranche.totalShares, redemption.shares);
    const collateralHeld = tranche.collateralHeld.map((held, i) => subU64(held, redemption.collateral[i] ?? 0n));
    return { ...tranche, assets, totalShares, collateralHeld };
  },
} as const;

/** Whether tranche `index` has at least its minimum subordination, given every
 * tranche's NAV (index order). The most junior tranche has no requirement; an empty
 * pool satisfies every requirement. */
export function subordinationHolds(navs: readonly bigint[], minSubordinationBps: bigint, index: number): boolean {
  if (index + 1 >= navs.length) return true;
  let total = 0n;
  for (const nav of navs) total = safeAdd(total, nav);
  let below = 0n;
  for (const nav of navs.slice(index + 1)) below = safeAdd(below, nav);
  const belowScaled = safeMul(below, BPS);
  return belowScaled >= safeMul(total, minSubordinationBps);
}

/** Whether a withdrawal from tranche `index`, leaving `navs`, keeps every more senior
 * tranche (with shares left) at its minimum subordination. */
export function withdrawalKeepsSeniorsCovered(states: readonly TrancheState[], navs: readonly bigint[], index: number): boolean {
  return states
    .slice(0, index)
    .every((state, senior) => state.totalShares === 0n || subordinationHolds(navs, state.minSubordinationBps, senior));
}

export const trancheSlots = (): bigint[] => Array.from({ length: MAX_TRANCHES }, () => 0n);

export function checkTrancheCount(tranches: readonly unknown[]): void {
  if (tranches.length > MAX_TRANCHES) throw new RangeError(`at most ${MAX_TRANCHES} tranches`);
}

const collateralMatrix = (): bigint[][] => Array.from({ length: MAX_TRANCHES }, () => Array.from({ length: MAX_COLLATERALS }, () => 0n));

/** How a loss falls on the tranches: junior-first on NAV. */
export type LossSplit = {
  /** Notes each tranche's vault burns, junior first (4 slots). */
  taken: bigint[];
  /** What no tranche's notes covered: bad debt. */
  uncovered: bigint;
  /** Collateral leaving each tranche (4 × 8). */
  collateralOut: bigint[][];
  /** Collateral each tranche receives for its burned notes (4 × 8). */
  collateralIn: bigint[][];
  /** Per tranche: the value received for its burned notes, notes. */
  compensated: bigint[];
  /** Per tranche: what it lost, notes. */
  lost: bigint[];
};

/** Which vaults burn the loss's notes, junior first; the rest is uncovered. */
export function splitLoss(tranches: readonly TrancheState[], loss: bigint): LossSplit {
  checkTrancheCount(tranches);
  const split: LossSplit = {
    taken: trancheSlots(),
    uncovered: 0n,
    collateralOut: collateralMatrix(),
    collateralIn: collateralMatrix(),
    compensated: trancheSlots(),
    lost: trancheSlots(),
  };
  let left = loss;
  for (let index = tranches.length - 1; index >= 0; index -= 1) {
    const taken = minBig(left, tranches[index]!.assets);
    split.taken[index] = taken;
    split.lost[index] = taken;
    left -= taken;
  }
  split.uncovered = left;
  return split;
}

/** A loss junior-first on NAV (`strata_core::tranche::plan_loss`): notes burned junior
 * first, then every tranche whose notes were burned, most senior first, made whole
 * with the collateral held below it, junior-most first, at `min(spot, EMA) − conf`
 * (stale slots are skipped). */
export function planLoss(tranches: readonly TrancheState[], loss: bigint, slots: readonly CollateralView[], now: bigint): LossSplit {
  const split = splitLoss(tranches, loss);
  const held = tranches.map((t) => [...t.collateralHeld]);
  for (let senior = 0; senior < tranches.length; senior += 1) {
    let need = split.taken[senior]!;
    for (let junior = tranches.length - 1; junior > senior; junior -= 1) {
      slots.slice(0, MAX_COLLATERALS).forEach((slot, asset) => {
        const available = held[junior]![asset] ?? 0n;
        if (need === 0n || available === 0n) return;
        let price: bigint;
        try {
          price = CachedPrice.seniorFavouring(slot.price, slot.limits, now);
        } catch (error) {
          // A price the core will not use (stale, too uncertain): not handed over, as
          // on-chain. Anything else is a bug, not a skip.
          if (!(error instanceof CoreError)) throw error;
          return;
        }
        if (price === 0n) return;
        const wanted = mulDiv(need, WAD, price, Rounding.Up);
        const units = toU64(minBig(wanted, available));
        const value = toU64(minBig(mulDiv(units, price, WAD, Rounding.Down), need));
        held[junior]![asset] = available - units;
        split.collateralOut[junior]![asset] = addU64(split.collateralOut[junior]![asset]!, units);
        split.collateralIn[senior]![asset] = addU64(split.collateralIn[senior]![asset]!, units);
        split.compensated[senior] = addU64(split.compensated[senior]!, value);
        split.lost[senior] = subU64(split.lost[senior]!, value);
        split.lost[junior] = addU64(split.lost[junior]!, value);
        need -= value;
      });
    }
  }
  return split;
}

/** Applies a loss split to the tranches. */
export function applyLoss(tranches: readonly TrancheState[], split: LossSplit): TrancheState[] {
  checkTrancheCount(tranches);
  return tranches.map((tranche, index) => {
    const lost = split.lost[index]!;
    return {
      ...tranche,
      assets: subU64(tranche.assets, split.taken[index]!),
      collateralHeld: tranche.collateralHeld.map((held, asset) =>
        addU64(subU64(held, split.collateralOut[index]![asset]!), split.collateralIn[index]![asset]!),
      ),
      lossOutstanding: addU64(tranche.lossOutstanding, lost),
      cumulativeLoss: addU64(tranche.cumulativeLoss, lost),
    };
  });
}

/** Books a loss junior-first on NAV; what no tranche's notes cover is added to
 * `badDebt` (u64). */
export function bookLoss(
  tranches: readonly TrancheState[],
  badDebt: bigint,
  loss: bigint,
  slots: readonly CollateralView[],
  now: bigint,
): { split: LossSplit; tranches: TrancheState[]; badDebt: bigint } {
  const split = planLoss(tranches, loss, slots, now);
  return { split, tranches: applyLoss(tranches, split), badDebt: addU64(badDebt, split.uncovered) };
}

/** The most junior tranche's share of all tranche NAV, basis points (the coverage
 * test); BPS for an empty pool. */
export function juniorCoverageBps(navs: readonly bigint[]): bigint {
  let total = 0n;
  for (const nav of navs) total = safeAdd(total, nav);
  const junior = navs[navs.length - 1];
  return junior !== undefined && total > 0n ? mulDiv(junior, BPS, total, Rounding.Down) : BPS;
}
