/**
 * One row of the report per price step: the prices, what the keeper and the tranches
 * did at that step, and where the pool and its tranches stand afterwards. Amounts are
 * native note units (bigint) here; the report formats them.
 */
import { juniorCoverageBps, trancheState, VIRTUAL_ASSETS, VIRTUAL_SHARES, WAD, type Pool, type Tranche, type TrancheState } from '../src/index.js';
import type { PathStep, StepKind } from './path.js';

export type TrancheRow = {
  nav: bigint;
  /** Dollars per whole share, 6 decimals (1_000_000 = $1.00). */
  sharePrice: bigint;
  assets: bigint;
  cumulativeLoss: bigint;
  cumulativeYield: bigint;
  yieldOwed: bigint;
};

export type StepRow = {
  step: number;
  date: string;
  /** Unix seconds the row's state was read at: the step's time in the model, the
   * cluster's clock on the chain (a few seconds past the step's time). */
  time: bigint;
  kind: StepKind;
  prices: Record<string, number>;
  /** Positions partially liquidated (one per liquidation), settled whole, absorbed. */
  liquidated: number;
  settled: number;
  absorbed: number;
  /** Recovery sales of absorbed collateral. */
  recovered: number;
  /** Keeper rounds at this step, and positions still liquidatable after them. */
  rounds: number;
  liquidatableAfter: number;
  badDebt: bigint;
  tranches: TrancheRow[];
  juniorCoverageBps: bigint;
  coverageFloorBps: number;
  mode: 'Normal' | 'Turbo';
  /** Stability fees distributed at this step. */
  fees: bigint;
  /** Shares put in the redemption queue, and notes (plus collateral at spot) paid out. */
  redemptionsQueued: bigint;
  redemptionsPaid: bigint;
};

/** Dollars per whole share (10^9 units) as 6-decimal fixed point: (NAV + 1) / (shares +
 * 1,000) native notes per unit, the price the next entry would see at spot. */
export const sharePrice = (nav: bigint, totalShares: bigint): bigint => ((nav + VIRTUAL_ASSETS) * 1_000n * 1_000_000n) / (totalShares + VIRTUAL_SHARES);

export function trancheRows(tranches: readonly { tranche: Tranche; nav: bigint }[]): TrancheRow[] {
  return stateRows(tranches.map(({ tranche, nav }) => ({ state: trancheState(tranche), nav })));
}

/** The same rows from the core's view of the tranches (what the model holds). */
export function stateRows(tranches: readonly { state: TrancheState; nav: bigint }[]): TrancheRow[] {
  return tranches.map(({ state, nav }) => ({
    nav,
    sharePrice: sharePrice(nav, state.totalShares),
    assets: state.assets,
    cumulativeLoss: state.cumulativeLoss,
    cumulativeYield: state.cumulativeYield,
    yieldOwed: state.yieldOwedWad / WAD,
  }));
}

/** What the keeper, the holders and the distribution did at a step. */
export type StepActivity = {
  counts: { batch: number; settle: number; absorb: number; recover: number };
  rounds: number;
  liquidatableAfter: number;
  fees: bigint;
  redemptions: { queued: bigint; paid: bigint };
};

/** The row of `step`, read at `time` from `pool` and `tranches` (the chain's replay and
 * the model build it the same way). */
export function stepRow(step: PathStep, time: bigint, pool: Pool, tranches: TrancheRow[], activity: StepActivity): StepRow {
  const { counts, redemptions } = activity;
  return {
    step: step.index,
    date: step.date,
    time,
    kind: step.kind,
    prices: step.prices,
    liquidated: counts.batch,
    settled: counts.settle,
    absorbed: counts.absorb,
    recovered: counts.recover,
    rounds: activity.rounds,
    liquidatableAfter: activity.liquidatableAfter,
    badDebt: pool.badDebt,
    tranches,
    juniorCoverageBps: juniorCoverageBps(tranches.map((t) => t.nav)),
    coverageFloorBps: pool.coverageFloorBps,
    mode: pool.mode === 1 ? 'Turbo' : 'Normal',
    fees: activity.fees,
    redemptionsQueued: redemptions.queued,
    redemptionsPaid: redemptions.paid,
  };
}
