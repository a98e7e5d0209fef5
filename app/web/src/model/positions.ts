// Positions valued as the program values them, at the prices the next refresh will
// cache (the oracle's when fresh and newer than the pool's cache): health on the spot
// basis (below 1.0 liquidatable), the borrow limit on the conservative basis, and the
// book's health histogram and riskiest positions.
import type { Address } from '@solana/kit';
import {
  BPS,
  collateralValue,
  CoreError,
  DebtState,
  Health,
  positionDebtShares,
  PriceBasis,
  WAD,
  type CollateralView,
  type Position,
} from '@strata/client';

import type { Snapshot } from '../chain/snapshot.js';

export type PositionFigures = {
  address: Address;
  owner: Address;
  collateral: bigint[];
  debt: bigint;
  /** Σ collateral at spot, unweighted; null when a held asset has no usable price. */
  value: bigint | null;
  /** Spot basis, weighted by the liquidation thresholds. */
  health: Health | null;
  healthWad: bigint | null;
  /** Conservative basis, weighted by ltv; null when minting would be refused on price. */
  borrowLimit: bigint | null;
  liquidatable: boolean;
  /** How far every price may fall before the position is liquidatable, bps (health is
   * linear in prices: 1 − 1 / health); 0 when it already is. */
  distanceBps: bigint | null;
};

/** The slots of a position's collateral, priced at the snapshot's views. */
export const slotsOf = (views: readonly CollateralView[], amounts: readonly bigint[]): CollateralView[] =>
  views.map((view, i) => ({ ...view, amount: amounts[i] ?? 0n }));

const unlessCoreError = <T>(fn: () => T): T | null => {
  try {
    return fn();
  } catch (error) {
    if (error instanceof CoreError) return null;
    throw error;
  }
};

export function distanceBps(healthWad: bigint): bigint {
  if (healthWad <= WAD) return 0n;
  return BPS - (BPS * WAD) / healthWad;
}

export function positionFigures(snapshot: Snapshot, address: Address, position: Position): PositionFigures {
  const collateral = [...position.collateral];
  const debt = DebtState.debtOf(snapshot.debt, positionDebtShares(position));
  const slots = slotsOf(snapshot.views, collateral);
  const health = unlessCoreError(() => Health.compute(slots, debt, PriceBasis.Spot, snapshot.now));
  const value = unlessCoreError(() => Health.collateralValue(slots, PriceBasis.Spot, snapshot.now));
  const limit = unlessCoreError(() => Health.compute(slots, debt, PriceBasis.Conservative, snapshot.now));
  const healthWad = health ? Health.ratioWad(health) : null;
  return {
    address,
    owner: position.owner,
    collateral,
    debt,
    value,
    health,
    healthWad,
    borrowLimit: limit?.weightedCollateral ?? null,
    liquidatable: health ? !Health.isHealthy(health) : false,
    distanceBps: healthWad === null || debt === 0n ? null : distanceBps(healthWad),
  };
}

/** Every position of the snapshot, valued. */
export const bookFigures = (snapshot: Snapshot): PositionFigures[] =>
  snapshot.positions.map(({ address, account }) => positionFigures(snapshot, address, account));

/** Histogram buckets of health (lower bounds, WAD); the last is open-ended. */
export const HEALTH_BUCKETS: readonly { label: string; from: bigint; to: bigint | null }[] = [
  { label: '< 1.00', from: 0n, to: WAD },
  { label: '1.00–1.10', from: WAD, to: (WAD * 110n) / 100n },
  { label: '1.10–1.25', from: (WAD * 110n) / 100n, to: (WAD * 125n) / 100n },
  { label: '1.25–1.50', from: (WAD * 125n) / 100n, to: (WAD * 150n) / 100n },
  { label: '1.50–2.00', from: (WAD * 150n) / 100n, to: 2n * WAD },
  { label: '2.00–3.00', from: 2n * WAD, to: 3n * WAD },
  { label: '≥ 3.00', from: 3n * WAD, to: null },
];

/** Counts of indebted, priced positions per health bucket. */
export function healthHistogram(book: readonly PositionFigures[]): number[] {
  const counts = HEALTH_BUCKETS.map(() => 0);
  for (const p of book) {
    if (p.debt === 0n || p.healthWad === null) continue;
    const bucket = HEALTH_BUCKETS.findIndex((b) => p.healthWad! >= b.from && (b.to === null || p.healthWad! < b.to));
    counts[bucket] = (counts[bucket] ?? 0) + 1;
  }
  return counts;
}

/** The `count` indebted positions closest to liquidation (lowest health first). */
export function riskiest(book: readonly PositionFigures[], count: number): PositionFigures[] {
  return book
    .filter((p) => p.debt > 0n && p.healthWad !== null)
    .sort((a, b) => (a.healthWad! < b.healthWad! ? -1 : a.healthWad! > b.healthWad! ? 1 : 0))
    .slice(0, count);
}

/** Value of `amount` of collateral slot `index` at the snapshot's spot price. */
export const slotValue = (snapshot: Snapshot, index: number, amount: bigint): bigint =>
  collateralValue(amount, snapshot.views[index]?.price.priceWad ?? 0n);
