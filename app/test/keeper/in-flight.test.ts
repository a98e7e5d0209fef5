import { address } from '@solana/kit';
import { describe, expect, it } from 'vitest';

import { InFlight } from '../../keeper/in-flight.js';
import { maxRepayOf, type Action } from '../../keeper/planner.js';
import type { PositionSnapshot } from '../../keeper/scanner.js';

const position = (text: string): PositionSnapshot => ({ address: address(text), collateral: [1n], debtShares: 1n, flags: 0, lastLiquidatedSlot: 0n });
const A = position('11111111111111111111111111111111');
const B = position('SysvarC1ock11111111111111111111111111111111');
const C = position('SysvarRent111111111111111111111111111111111');

const batch = (positions: PositionSnapshot[], repay: bigint): Action => ({
  kind: 'batch',
  collateralIndex: 0,
  positions,
  parts: positions.map(() => ({ repay: repay / BigInt(positions.length), seize: 1n, profit: 1n, refresh: [] })),
  repay,
  seize: 1n,
  profit: 1n,
  refresh: [],
});
const absorb = (p: PositionSnapshot): Action => ({ kind: 'absorb', position: p, tips: [], refresh: [] });

describe('InFlight', () => {
  it('keeps positions of unresolved actions busy and their notes reserved', () => {
    const flights = new InFlight();
    flights.start(batch([A, B], 500n), 1_000);
    flights.start(absorb(C), 1_000);
    expect(flights.size).toBe(2);
    expect(flights.busy(2_000)).toEqual(new Set([A.address, B.address, C.address]));
    // Absorptions are paid by the tranches: only the batch holds notes back, as much
    // as it may burn (its plan and the margin for interest accrued meanwhile).
    expect(maxRepayOf(500n)).toBe(501n);
    expect(flights.reserved(2_000)).toBe(maxRepayOf(500n));
  });

  it('still counts an action resolved after the chain was read, and forgets it once every read is later', () => {
    const flights = new InFlight();
    const flight = flights.start(batch([A], 300n), 1_000);
    flights.resolve(flight, 5_000);
    expect(flights.size).toBe(0);
    // A plan whose reads began before the action resolved may not see its effect.
    expect(flights.busy(4_000)).toEqual(new Set([A.address]));
    expect(flights.reserved(4_000)).toBe(maxRepayOf(300n));
    // A plan that read after it does.
    expect(flights.busy(5_001)).toEqual(new Set());
    expect(flights.reserved(5_001)).toBe(0n);
    flights.prune(4_000);
    expect(flights.busy(4_000).size).toBe(1);
    flights.prune(6_000);
    expect(flights.busy(0).size).toBe(0);
  });

  it('a released action frees its positions for later plans but keeps its notes reserved until it resolves', () => {
    const flights = new InFlight();
    const released = flights.start(batch([A, B], 500n), 1_000);
    flights.start(absorb(C), 1_000);
    flights.release(released, 1_500);
    const slotOf = () => 10n;
    for (const busy of [flights.busy(2_000), flights.busy(2_000, slotOf)]) expect(busy).toEqual(new Set([C.address]));
    expect(flights.reserved(2_000)).toBe(maxRepayOf(500n));
    expect(flights.size).toBe(2);
    // A lost copy landed after all: its positions wait for a reading at its slot.
    flights.resolve(released, 3_000, 12n);
    expect(flights.busy(2_500, slotOf)).toEqual(new Set([A.address, B.address, C.address]));
  });

  it('releases a sent liquidation once the book shows every one of its positions liquidated since its plan', () => {
    const flights = new InFlight();
    const sent = flights.start(batch([{ ...A, lastLiquidatedSlot: 5n }, B], 500n), 1_000);
    sent.sentAt = 1_100;
    const unsent = flights.start(batch([C], 200n), 1_000);
    const lastLiquidated = new Map<string, bigint>([
      [A.address, 5n],
      [B.address, 9n],
      [C.address, 9n],
    ]);
    const of = (position: string) => lastLiquidated.get(position);
    // Only B shows a newer liquidation, and C's action was never sent: nothing landed
    // that the book can tell.
    expect(flights.releaseSeen(of, 1_200)).toBe(0);
    expect(flights.busy(1_200, () => 10n)).toEqual(new Set([A.address, B.address, C.address]));
    lastLiquidated.set(A.address, 9n);
    expect(flights.releaseSeen(of, 1_300)).toBe(1);
    expect(sent.releasedAt).toBe(1_300);
    expect(unsent.releasedAt).toBeUndefined();
    // Its positions are planned again at once; its notes wait for its status.
    expect(flights.busy(1_300, () => 10n)).toEqual(new Set([C.address]));
    expect(flights.reserved(1_300)).toBe(maxRepayOf(500n) + maxRepayOf(200n));
    expect(flights.size).toBe(2);
    // Released once only.
    expect(flights.releaseSeen(of, 1_400)).toBe(0);
    expect(sent.seenSlot).toBe(9n);
    // A balance read at the slot it was seen at has already paid for it; an older one
    // has not.
    expect(flights.reserved(1_400, 9n)).toBe(maxRepayOf(200n));
    expect(flights.reserved(1_400, 8n)).toBe(maxRepayOf(500n) + maxRepayOf(200n));
  });

  it('does not hold back the notes of a landed liquidation from a balance read at or after its slot', () => {
    const flights = new InFlight();
    const flight = flights.start(batch([A], 300n), 1_000);
    flights.resolve(flight, 5_000, 12n);
    expect(flights.reserved(4_000)).toBe(maxRepayOf(300n));
    expect(flights.reserved(4_000, 11n)).toBe(maxRepayOf(300n));
    expect(flights.reserved(4_000, 12n)).toBe(0n);
  });

  it('does not release absorptions or positions the book lacks', () => {
    const flights = new InFlight();
    flights.start(absorb(A), 1_000).sentAt = 1_000;
    flights.start(batch([B], 100n), 1_000).sentAt = 1_000;
    expect(flights.releaseSeen(() => undefined, 1_200)).toBe(0);
    expect(flights.releaseSeen(() => 50n, 1_200)).toBe(1);
    expect(flights.busy(1_200, () => 60n)).toEqual(new Set([A.address]));
  });

  it('forgets a dropped action at once', () => {
    const flights = new InFlight();
    const flight = flights.start(batch([A], 300n), 1_000);
    flights.drop(flight);
    expect(flights.busy(0).size).toBe(0);
    expect(flights.pending()).toEqual([]);
  });
});
