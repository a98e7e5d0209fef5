import { address } from '@solana/kit';
import { describe, expect, it } from 'vitest';

import type { Market } from '../../keeper/market.js';
import { ACCRUAL_MARGIN_BPS, maxRepayOf, offerCache, planActions, type Action } from '../../keeper/planner.js';
import type { PositionSnapshot } from '../../keeper/scanner.js';
import { NOTE, NOW, SOL, solView, WAD } from './market-fixture.js';

const ADDRESSES = ['SysvarC1ock11111111111111111111111111111111', 'SysvarRent111111111111111111111111111111111', 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA'];


/** A market at `slot` with wSOL at `dollars`, the keeper holding `notes`; debt is one
 * note per share, half of a position's debt repayable per liquidation. */
const market = (slot: bigint, dollars: bigint, notes: bigint): Market =>
  ({
    pool: address('11111111111111111111111111111111'),
    state: { closeFactorBps: 5_000, keeperTipBps: 0 },
    slot,
    now: NOW,
    debt: { totalShares: 10n ** 12n, rateIndexWad: WAD, stabilityFeeBps: 0n, lastAccrualTs: NOW, minDebt: NOTE },
    views: [solView(dollars)],
    refreshable: [true],
    tranches: [],
    keeperNotes: notes,
  }) as unknown as Market;

/** `sol` SOL against `debt` notes. */
const position = (n: number, sol: bigint, debt: bigint): PositionSnapshot => ({
  address: address(ADDRESSES[n]!),
  collateral: [sol * SOL],
  debtShares: debt * NOTE,
  flags: 0,
  lastLiquidatedSlot: 0n,
});

const repays = (actions: Action[]) => actions.flatMap((a) => (a.kind === 'batch' ? a.parts.map((p) => p.repay) : []));

describe('planActions with kept offers', () => {
  // At $100, 1 SOL carries at most $80 of debt.
  const book = [position(0, 1n, 90n), position(1, 2n, 170n), position(2, 1n, 50n)];
  const options = { minProfit: 0n, maxPositionsPerTx: 48 };

  it('plans as without them, and plans a position again only for a new reading or market', () => {
    const offers = offerCache();
    const plain = planActions(market(5n, 100n, 1_000n * NOTE), book, options);
    expect(plain.unhealthy).toBe(2);
    expect(repays(plain.actions)).toHaveLength(2);
    const kept = planActions(market(5n, 100n, 1_000n * NOTE), book, { ...options, offers });
    expect(kept.actions).toEqual(plain.actions);
    expect(offers.computed).toBe(2);
    // The same market read again: every offer kept.
    expect(planActions(market(5n, 100n, 1_000n * NOTE), book, { ...options, offers }).actions).toEqual(plain.actions);
    expect(offers.computed).toBe(2);
    // A new reading of one position (some of its debt repaid, still liquidatable): only it.
    const repaid = { ...book[1]!, debtShares: 165n * NOTE };
    planActions(market(5n, 100n, 1_000n * NOTE), [book[0]!, repaid, book[2]!], { ...options, offers });
    expect(offers.computed).toBe(3);
    // A later slot, nothing else changed: none of them. A new price: all of them.
    planActions(market(6n, 100n, 1_000n * NOTE), book, { ...options, offers });
    expect(offers.computed).toBe(3);
    planActions(market(6n, 99n, 1_000n * NOTE), book, { ...options, offers });
    expect(offers.computed).toBe(5);
  });

  it('plans afresh, capped by the notes, when the notes left do not cover a kept offer', () => {
    const offers = offerCache();
    const rich = planActions(market(5n, 100n, 1_000n * NOTE), book, { ...options, offers });
    // 60 notes: the first position's 45 fit; the second's 85 do not, and it gets the 15
    // left (less the margin kept for interest accrued before the batch executes).
    const poor = market(5n, 100n, 60n * NOTE);
    const capped = planActions(poor, book, { ...options, offers });
    expect(capped.actions).toEqual(planActions(poor, book, options).actions);
    expect(repays(rich.actions)).toEqual([45n * NOTE, 85n * NOTE]);
    const spendable = (60n * NOTE * 10_000n) / (10_000n + ACCRUAL_MARGIN_BPS);
    expect(repays(capped.actions)).toEqual([45n * NOTE, spendable - 45n * NOTE]);
    expect(maxRepayOf(spendable)).toBeLessThanOrEqual(60n * NOTE + 1n);
  });
});
