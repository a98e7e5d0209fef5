/**
 * How the planner orders and groups partial liquidations into `liquidate_batch`
 * transactions: the positions with the most rounds to go first in line, the deepest
 * first among equals (the notes still go in book order), in chunks of
 * `DEPTH_CHUNK_BATCHES` batches; within a chunk, positions in lookup tables fill
 * batches of `maxPositionsPerTx` across at most `TABLES_PER_BATCH` tables (each
 * table's remainder shares a transaction with the next's), positions in no table go
 * in legacy-sized batches of their own.
 */
import { getAddressDecoder, type Address } from '@solana/kit';
import { describe, expect, it } from 'vitest';

import { slotsOf } from '../../keeper/health-cache.js';
import type { Market } from '../../keeper/market.js';
import { DEPTH_CHUNK_BATCHES, LEGACY_POSITIONS_PER_TX, planActions, roundsLeft, TABLES_PER_BATCH, UNLIMITED, type Action, type RoundsMemo } from '../../keeper/planner.js';
import type { PositionSnapshot } from '../../keeper/scanner.js';
import { liquidationTerms, planLiquidation } from '../../src/index.js';
import { NOTE, NOW, SOL, solView, WAD } from './market-fixture.js';

const market = {
  pool: getAddressDecoder().decode(new Uint8Array(32)),
  state: { closeFactorBps: 5_000, keeperTipBps: 0 },
  slot: 5n,
  now: NOW,
  debt: { totalShares: 10n ** 12n, rateIndexWad: WAD, stabilityFeeBps: 0n, lastAccrualTs: NOW, minDebt: NOTE },
  views: [solView(100n)],
  refreshable: [true],
  tranches: [],
  keeperNotes: 10n ** 9n * NOTE,
} as unknown as Market;

/** The n-th position: `sol` SOL (1 unless given) at $100 against `debt` notes
 * (liquidatable above 80 a SOL). */
const position = (n: number, debt = 90n * NOTE, sol = 1n): PositionSnapshot => {
  const bytes = new Uint8Array(32);
  bytes[0] = 1 + (n >> 8);
  bytes[1] = n & 0xff;
  return { address: getAddressDecoder().decode(bytes), collateral: [sol * SOL], debtShares: debt, flags: 0, lastLiquidatedSlot: 0n };
};

/** `p`'s rounds to health as the planner estimates them from its first round. */
const roundsOf = (p: PositionSnapshot): number => {
  const first = planLiquidation(market.debt, liquidationTerms(market.state), slotsOf(market, p), p.debtShares, 0, UNLIMITED, NOW);
  if (first.kind !== 'Partial') throw new Error('expected a partial liquidation');
  return roundsLeft(market, p, first);
};

type Batch = Extract<Action, { kind: 'batch' }>;
const batches = (actions: Action[]) => actions.filter((a): a is Batch => a.kind === 'batch');

describe('planActions batches', () => {
  it(`fill ${TABLES_PER_BATCH} lookup tables' positions into full transactions, and keep positions in no table apart`, () => {
    // Six tables of 20 liquidatable positions each, then 25 positions in no table.
    const tabled = Array.from({ length: 120 }, (_, n) => position(n));
    const loose = Array.from({ length: 25 }, (_, n) => position(200 + n));
    const tableOfPosition = new Map<Address, string>(tabled.map((p, n) => [p.address, `table-${Math.floor(n / 20)}`]));
    const plan = planActions(market, [...tabled, ...loose], { minProfit: 0n, maxPositionsPerTx: 48, tableOf: (p) => tableOfPosition.get(p) });
    expect(plan.unhealthy).toBe(145);
    const planned = batches(plan.actions);
    // Every liquidatable position once, each with its own share.
    expect(planned.flatMap((b) => b.positions.map((p) => p.address)).sort()).toEqual([...tabled, ...loose].map((p) => p.address).sort());
    const fromTables = planned.filter((b) => tableOfPosition.has(b.positions[0]!.address));
    const legacy = planned.filter((b) => !tableOfPosition.has(b.positions[0]!.address));
    // 120 tabled positions: 48, 48, 24 (one table's remainder joins the next table's
    // positions), where one table a batch made six batches of 20.
    expect(fromTables.map((b) => b.positions.length)).toEqual([48, 48, 24]);
    for (const batch of fromTables) {
      const tables = new Set(batch.positions.map((p) => tableOfPosition.get(p.address)));
      expect(tables.has(undefined)).toBe(false);
      expect(tables.size).toBeLessThanOrEqual(TABLES_PER_BATCH);
    }
    // Positions in no table: legacy-sized batches of their own.
    expect(legacy.map((b) => b.positions.length)).toEqual([LEGACY_POSITIONS_PER_TX, 25 - LEGACY_POSITIONS_PER_TX]);
    expect(legacy.every((b) => b.positions.every((p) => !tableOfPosition.has(p.address)))).toBe(true);
    // Totals are their parts' sums.
    for (const batch of planned) expect(batch.repay).toBe(batch.parts.reduce((sum, part) => sum + part.repay, 0n));
  });

  it(`start a new transaction at a ${TABLES_PER_BATCH + 1}th table, however few its positions`, () => {
    // 2 × TABLES_PER_BATCH + 2 tables of 3 positions: fewer than 48 positions, but no
    // batch may look up more than TABLES_PER_BATCH tables.
    const count = 3 * (2 * TABLES_PER_BATCH + 2);
    const book = Array.from({ length: count }, (_, n) => position(n));
    const tableOf = (p: Address) => `table-${Math.floor(book.findIndex((q) => q.address === p) / 3)}`;
    const planned = batches(planActions(market, book, { minProfit: 0n, maxPositionsPerTx: 48, tableOf }).actions);
    const per = 3 * TABLES_PER_BATCH;
    expect(planned.map((b) => b.positions.length)).toEqual([per, per, 6]);
    for (const batch of planned) expect(new Set(batch.positions.map((p) => tableOf(p.address))).size).toBeLessThanOrEqual(TABLES_PER_BATCH);
  });

  it(`put the deepest positions first, ${DEPTH_CHUNK_BATCHES} batches' worth at a time, each chunk batched by table`, () => {
    // 800 positions in tables of 40, each owing a different amount (80.5 to 90 notes on
    // 1 SOL), in no order of depth.
    const count = 800;
    const book = Array.from({ length: count }, (_, n) => position(n, 80n * NOTE + NOTE / 2n + BigInt((n * 337) % count) * 11_875n));
    const tableOf = (p: Address) => `table-${Math.floor(book.findIndex((q) => q.address === p) / 40)}`;
    const planned = batches(planActions(market, book, { minProfit: 0n, maxPositionsPerTx: 48, tableOf }).actions);
    const order = planned.flatMap((b) => b.positions.map((p) => p.address));
    expect(order).toHaveLength(count);
    const deepest = [...book].sort((a, b) => (a.debtShares > b.debtShares ? -1 : 1)).map((p) => p.address);
    const chunk = DEPTH_CHUNK_BATCHES * 48;
    // The first chunk's batches carry exactly the `chunk` deepest positions, the first
    // two chunks' the 2 × `chunk` deepest: no shallower position goes before a deeper
    // one of a later chunk.
    for (let end = chunk; end < count; end += chunk) expect(new Set(order.slice(0, end))).toEqual(new Set(deepest.slice(0, end)));
    // Batched by table within each chunk: full batches but for each chunk's last.
    expect(planned.filter((b) => b.positions.length < 48).length).toBeLessThanOrEqual(Math.ceil(count / chunk));
    for (const batch of planned) expect(new Set(batch.positions.map((p) => tableOf(p.address))).size).toBeLessThanOrEqual(TABLES_PER_BATCH);
  });

  it('put the positions that need the most rounds first, whatever their health', () => {
    // Below the health at which a round's bonus costs what its repayment gains, each
    // round halves the debt until the rest is dust: 20 SOL owing 1,930 notes needs more
    // rounds than 1 SOL owing 97, though its health (0.829) is above the small one's
    // (0.825); 1 SOL owing 85 (0.94) needs the fewest.
    const large = position(0, 1_930n * NOTE, 20n);
    const small = position(1, 97n * NOTE);
    const shallow = position(2, 85n * NOTE);
    const plan = planActions(market, [shallow, small, large], { minProfit: 0n, maxPositionsPerTx: 1 });
    const order = batches(plan.actions).map((b) => b.positions[0]!.address);
    expect(roundsOf(large)).toBeGreaterThan(roundsOf(small));
    expect(roundsOf(small)).toBeGreaterThan(roundsOf(shallow));
    expect(order).toEqual([large.address, small.address, shallow.address]);
  });

  it('estimate a position\'s rounds once, one fewer for each liquidation since, afresh once it was healthy', () => {
    const large = position(0, 1_930n * NOTE, 20n);
    const memo: RoundsMemo = new Map();
    planActions(market, [large], { minProfit: 0n, maxPositionsPerTx: 48, rounds: memo });
    const estimated = roundsOf(large);
    expect(estimated).toBeGreaterThan(2);
    expect(memo.get(large.address)).toEqual({ liquidatedSlot: 0n, rounds: estimated });
    // Liquidated in slot 4 (the reading, as the memo only counts, need not change).
    planActions(market, [{ ...large, lastLiquidatedSlot: 4n }], { minProfit: 0n, maxPositionsPerTx: 48, rounds: memo });
    expect(memo.get(large.address)).toEqual({ liquidatedSlot: 4n, rounds: estimated - 1 });
    // Healthy: forgotten.
    planActions(market, [{ ...large, debtShares: 100n * NOTE, lastLiquidatedSlot: 5n }], { minProfit: 0n, maxPositionsPerTx: 48, rounds: memo });
    expect(memo.has(large.address)).toBe(false);
  });

  it('spend the notes in book order, whatever the depth', () => {
    // Notes for about 100 of 400 positions' rounds (each repays about half its debt):
    // the first in the book get them (see the planner on why not the deepest).
    const book = Array.from({ length: 400 }, (_, n) => position(n, 80n * NOTE + NOTE / 2n + BigInt((n * 151) % 400) * 23_750n));
    const plan = planActions({ ...market, keeperNotes: 100n * 45n * NOTE } as Market, book, { minProfit: 0n, maxPositionsPerTx: 48 });
    const planned = new Set(batches(plan.actions).flatMap((b) => b.positions.map((p) => p.address)));
    expect(planned.size).toBeGreaterThan(90);
    expect(planned.size).toBeLessThan(400);
    expect(book.slice(0, planned.size).every((p) => planned.has(p.address))).toBe(true);
    expect(plan.skipped.filter((skip) => skip.reason === 'no-notes-no-tranches').map((skip) => skip.position)).toEqual(book.slice(planned.size));
  });
});
