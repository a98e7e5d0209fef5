/**
 * A batch planned at one clock second lands in a later one, after interest has
 * accrued: its positions owe a few units more. Executed as the program executes a
 * `liquidate_batch` (each position in order, offered what `max_repay_total` leaves,
 * the mirrored core sizing each), the batch must still pay out above its slippage
 * floor: capped at exactly its planned repayment, its last position, planned to be
 * repaid in full, is cut to leave the dust floor, and the whole batch is refused.
 */
import { address } from '@solana/kit';
import { describe, expect, it } from 'vitest';

import { minCollateralOut } from '../../keeper/executor.js';
import { slotsOf } from '../../keeper/health-cache.js';
import type { Market } from '../../keeper/market.js';
import { maxRepayOf, planActions, type Action } from '../../keeper/planner.js';
import type { PositionSnapshot } from '../../keeper/scanner.js';
import { DebtState, LiquidationPlan, liquidationTerms, planLiquidation } from '../../src/index.js';
import { NOTE, NOW, SOL, solView, WAD } from './market-fixture.js';

const ADDRESSES = [
  'SysvarC1ock11111111111111111111111111111111',
  'SysvarRent111111111111111111111111111111111',
  'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA',
  'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL',
  '11111111111111111111111111111111',
];

const view = solView(100n);

/** A 10% stability fee, a 10-note dust floor, half a position's debt repayable per
 * liquidation; accrued to `NOW`. */
const debt: DebtState = { totalShares: 10n ** 12n, rateIndexWad: WAD, stabilityFeeBps: 1_000n, lastAccrualTs: NOW, pendingFees: 0n, debtCeiling: 10n ** 15n, minDebt: 10n * NOTE };

const market = (now: bigint, state: DebtState): Market =>
  ({
    pool: address('11111111111111111111111111111111'),
    state: { closeFactorBps: 5_000, keeperTipBps: 0 },
    slot: 5n,
    now,
    debt: state,
    views: [view],
    refreshable: [true],
    tranches: [],
    keeperNotes: 10_000n * NOTE,
  }) as unknown as Market;

/** `milliSol` thousandths of a SOL against `notes` of debt (one share a note unit at `NOW`). */
const position = (n: number, milliSol: bigint, notes: bigint): PositionSnapshot => ({
  address: address(ADDRESSES[n]!),
  collateral: [(milliSol * SOL) / 1_000n],
  debtShares: notes * NOTE,
  flags: 0,
  lastLiquidatedSlot: 0n,
});

/** What `liquidate_batch` pays out for `batch` at `now` within `maxRepayTotal`: each
 * position in order, offered what the earlier ones left (as the program does). */
function execute(batch: Extract<Action, { kind: 'batch' }>, now: bigint, maxRepayTotal: bigint) {
  const later = market(now, DebtState.accrue(debt, now).state);
  let repaid = 0n;
  let seized = 0n;
  const repays: bigint[] = [];
  for (const p of batch.positions) {
    const plan = planLiquidation(later.debt, liquidationTerms(later.state), slotsOf(later, p), p.debtShares, batch.collateralIndex, maxRepayTotal - repaid, now);
    repaid += plan.repay;
    seized += LiquidationPlan.seized(plan, batch.collateralIndex);
    repays.push(plan.repay);
  }
  return { repaid, seized, repays };
}

describe('a batch executed seconds after its plan', () => {
  // Four positions of 100 notes at 1.2 SOL (health 0.96): half their debt a round.
  // Last, 15 notes at 0.18 SOL (0.96): half would leave 7.5, under the floor, so all.
  const book = [position(0, 1_200n, 100n), position(1, 1_200n, 100n), position(2, 1_200n, 100n), position(3, 1_200n, 100n), position(4, 180n, 15n)];

  it('pays out above its slippage floor, the last position repaid in full, within its margin', () => {
    const plan = planActions(market(NOW, debt), book, { minProfit: 0n, maxPositionsPerTx: 48 });
    expect(plan.actions).toHaveLength(1);
    const batch = plan.actions[0] as Extract<Action, { kind: 'batch' }>;
    expect(batch.parts.map((part) => part.repay)).toEqual([50n * NOTE, 50n * NOTE, 50n * NOTE, 50n * NOTE, 15n * NOTE]);
    const floor = minCollateralOut(batch.seize);
    // Half a minute later every position owes more.
    const later = NOW + 30n;
    // Capped at exactly the plan: the last position is cut to leave the dust floor and
    // the batch falls under its floor, which the program refuses (SlippageExceeded).
    const exact = execute(batch, later, batch.repay);
    expect(exact.repays[4]).toBeLessThan(6n * NOTE);
    expect(exact.seized).toBeLessThan(floor);
    // Within the margin: every position as planned plus its interest.
    const margin = execute(batch, later, maxRepayOf(batch.repay));
    expect(margin.seized).toBeGreaterThanOrEqual(batch.seize);
    expect(margin.repays[4]).toBe(DebtState.debtOf(DebtState.accrue(debt, later).state, book[4]!.debtShares));
    expect(margin.repaid).toBeGreaterThan(batch.repay);
    expect(margin.repaid).toBeLessThanOrEqual(maxRepayOf(batch.repay));
  });
});
