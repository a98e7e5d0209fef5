import { describe, expect, it } from 'vitest';

import type { Market } from '../../keeper/market.js';
import { planRecoveries, recoveryKey } from '../../keeper/recovery.js';
import type { TrancheState } from '../../src/index.js';
import { NOTE, NOW, SOL, solView, WAD } from './market-fixture.js';

// One collateral (9 decimals) at $100, minimum liquidation bonus 2%.
const view = solView(100n);

const tranche = (assets: bigint, heldSol: bigint): TrancheState => ({
  assets,
  totalShares: 1_000n,
  targetAprBps: 0n,
  minSubordinationBps: 0n,
  lastSettledTs: NOW,
  yieldOwedWad: 0n,
  escrowedShares: 0n,
  lossOutstanding: 0n,
  cumulativeYield: 0n,
  cumulativeLoss: 0n,
  collateralHeld: [heldSol, 0n, 0n, 0n, 0n, 0n, 0n, 0n],
});

const market = (tranches: TrancheState[], refreshable = true) =>
  ({ now: NOW, views: [view], refreshable: [refreshable], tranches }) as unknown as Market;

describe('planRecoveries', () => {
  it('buys held collateral at spot less the minimum bonus, junior first, within the budget', () => {
    const book = market([tranche(1_000n * NOTE, 3n * SOL), tranche(0n, 10n * SOL)]);
    // $1,200 of notes: the junior's 10 SOL cost $980, the senior's rest $220 buys 2.24 SOL.
    const plan = planRecoveries(book, 1_200n * NOTE, { minProfit: 0n });
    expect(plan.actions.map((a) => [a.trancheIndex, a.collateralOut, a.notesIn])).toEqual([
      [1, 10n * SOL, 980n * NOTE],
      [0, (220n * NOTE * SOL) / (98n * NOTE), 220n * NOTE],
    ]);
    // The profit is the discount: 2% of the spot value bought.
    expect(plan.actions[0]!.profit).toBe(20n * NOTE);
    expect(plan.actions.every((a) => a.refresh.length === 1 && a.refresh[0] === 0)).toBe(true);
    expect(plan.spent).toBe(plan.actions.reduce((sum, a) => sum + a.notesIn, 0n));
    expect(plan.spent).toBeLessThanOrEqual(1_200n * NOTE);
  });

  it('skips sales whose discount is below the minimum profit, stale oracles, busy sales and an empty budget', () => {
    const book = market([tranche(0n, 10n * SOL)]);
    expect(planRecoveries(book, 1_000n * NOTE, { minProfit: 21n * NOTE }).skipped).toEqual([
      { trancheIndex: 0, collateralIndex: 0, reason: 'below-min-profit' },
    ]);
    expect(planRecoveries(market([tranche(0n, 10n * SOL)], false), 1_000n * NOTE, { minProfit: 0n }).skipped[0]!.reason).toBe('stale-price');
    expect(planRecoveries(book, 0n, { minProfit: 0n }).skipped[0]!.reason).toBe('no-notes');
    const busy = new Set([recoveryKey(0, 0)]);
    expect(planRecoveries(book, 1_000n * NOTE, { minProfit: 0n, busy }).skipped[0]!.reason).toBe('in-flight');
    expect(planRecoveries(market([tranche(5n * NOTE, 0n)]), 1_000n * NOTE, { minProfit: 0n })).toEqual({ actions: [], skipped: [], spent: 0n });
  });
});
