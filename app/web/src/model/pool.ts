// The Pool view's figures: the collateral basket (cached price, EMA, confidence, the
// cache's age against the collateral's limit, deposits against caps), debt against the
// ceiling, the collateral ratio, mode, pause flags, bad debt.
import type { Address } from '@solana/kit';
import { collateralCachedPrice, DebtState, PoolMode, tx, WAD } from '@strata/client';

import type { Snapshot } from '../chain/snapshot.js';
import type { PositionFigures } from './positions.js';

export type CollateralFigures = {
  index: number;
  mint: Address;
  decimals: number;
  /** The pool's cached prices, WAD per native unit. */
  priceWad: bigint;
  emaPriceWad: bigint;
  confWad: bigint;
  /** Confidence over spot, bps (rounded up). */
  confBps: bigint;
  publishTime: bigint;
  /** Seconds since the cached price was published, at the cluster's clock. */
  ageSecs: bigint;
  maxAgeSecs: bigint;
  /** Older than `maxAgeSecs`: minting, withdrawals and liquidations refuse it until refreshed. */
  stale: boolean;
  /** Whether the oracle account holds a fresh, valid update (a refresh would succeed). */
  oracleFresh: boolean;
  deposited: bigint;
  cap: bigint;
  ltvBps: number;
  thresholdBps: number;
};

export type PoolFigures = {
  collaterals: CollateralFigures[];
  /** The pool's total debt accrued to the snapshot's clock (`DebtState::total_debt`). */
  debt: bigint;
  ceiling: bigint;
  minDebt: bigint;
  /** Σ positions' collateral at spot; positions with an unpriced asset are left out. */
  collateralValue: bigint;
  /** collateralValue / debt, WAD; null without debt. */
  collateralRatioWad: bigint | null;
  mode: 'Normal' | 'Turbo';
  paused: string[];
  badDebt: bigint;
  pendingFees: bigint;
  stabilityFeeBps: number;
};

const PAUSE_NAMES: [keyof typeof tx.PauseFlags, string][] = [
  ['Deposit', 'deposit'],
  ['Withdraw', 'withdraw'],
  ['Mint', 'mint'],
  ['Liquidate', 'liquidate'],
  ['Tranche', 'tranche'],
];

export function pausedFamilies(flags: number): string[] {
  return PAUSE_NAMES.filter(([key]) => (flags & tx.PauseFlags[key]) !== 0).map(([, name]) => name);
}

export function poolFigures(snapshot: Snapshot, book: readonly PositionFigures[]): PoolFigures {
  const { pool, now } = snapshot;
  const collaterals = pool.collaterals.slice(0, pool.collateralCount).map((config, index) => {
    const cached = collateralCachedPrice(config);
    const ageSecs = now - cached.publishTime;
    return {
      index,
      mint: config.mint,
      decimals: config.decimals,
      priceWad: cached.priceWad,
      emaPriceWad: cached.emaPriceWad,
      confWad: cached.confWad,
      confBps: cached.priceWad === 0n ? 0n : (cached.confWad * 10_000n + cached.priceWad - 1n) / cached.priceWad,
      publishTime: cached.publishTime,
      ageSecs,
      maxAgeSecs: BigInt(config.maxAgeSecs),
      stale: cached.priceWad === 0n || ageSecs > BigInt(config.maxAgeSecs),
      oracleFresh: snapshot.refreshable[index] ?? false,
      deposited: config.totalDeposited,
      cap: config.depositCap,
      ltvBps: config.ltvBps,
      thresholdBps: config.liquidationThresholdBps,
    };
  });
  const debt = DebtState.totalDebt(snapshot.debt);
  const collateralValue = book.reduce((sum, p) => sum + (p.value ?? 0n), 0n);
  return {
    collaterals,
    debt,
    ceiling: pool.debtCeiling,
    minDebt: pool.minDebt,
    collateralValue,
    collateralRatioWad: debt === 0n ? null : (collateralValue * WAD) / debt,
    mode: pool.mode === PoolMode.Turbo ? 'Turbo' : 'Normal',
    paused: pausedFamilies(pool.pauseFlags),
    badDebt: pool.badDebt,
    pendingFees: snapshot.debt.pendingFees,
    stabilityFeeBps: pool.stabilityFeeBps,
  };
}
