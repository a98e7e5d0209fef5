import { address, type Address, type Rpc, type SolanaRpcApi } from '@solana/kit';
import { describe, expect, it } from 'vitest';

import { actionableNow, PositionBook } from '../../keeper/book.js';
import { createLogger } from '../../keeper/log.js';
import type { PositionSnapshot } from '../../keeper/scanner.js';

const A = address('SysvarC1ock11111111111111111111111111111111');
const B = address('SysvarRent111111111111111111111111111111111');
const C = address('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA');
const position = (at: Address, debtShares = 1n): PositionSnapshot => ({ address: at, collateral: [1n], debtShares, flags: 0, lastLiquidatedSlot: 0n });

/** A book that never reaches the cluster: readings are applied by hand. */
const bookOf = (accepts?: (position: Address) => boolean) =>
  new PositionBook({} as Rpc<SolanaRpcApi>, address('11111111111111111111111111111111'), { rescanMs: 1_000, retryDelayMs: 100, accepts }, createLogger('silent'));

describe('PositionBook', () => {
  it('keeps only the positions it accepts (a keeper its shards), and drops one no longer accepted at the next scan', () => {
    const owned = new Set<Address>([A, B]);
    const book = bookOf((p) => owned.has(p));
    book.applyScan(10n, [position(A), position(B), position(C)]);
    expect(book.indebted().map((p) => p.address)).toEqual([A, B]);
    expect(book.slotOf(C)).toBeUndefined();
    // B's shard given back, C's taken over: the next scan (the keeper asks for one on a
    // takeover) brings C and drops B.
    owned.delete(B);
    owned.add(C);
    book.applyScan(11n, [position(A), position(B), position(C)]);
    expect(book.indebted().map((p) => p.address)).toEqual([A, C]);
    expect(book.slotOf(C)).toBe(11n);
  });

  it('forgets a shard given back at once, without waiting for a scan', () => {
    const owned = new Set<Address>([A, B]);
    const book = bookOf((p) => owned.has(p));
    book.applyScan(10n, [position(A), position(B)]);
    owned.delete(B);
    book.retainAccepted();
    expect(book.indebted().map((p) => p.address)).toEqual([A]);
    expect(book.slotOf(B)).toBeUndefined();
  });

  it('gives the slot and last liquidation of the reading it holds, for indebted positions only', () => {
    const book = bookOf();
    book.applyScan(10n, [position(A), position(B, 0n)]);
    book.apply({ ...position(A), lastLiquidatedSlot: 12n, slot: 12n });
    // An older reading never replaces a newer one.
    expect(book.apply({ ...position(A), slot: 11n })).toBe(false);
    expect([book.slotOf(A), book.lastLiquidatedOf(A)]).toEqual([12n, 12n]);
    expect(book.slotOf(B)).toBeUndefined();
    expect(book.indebted().map((p) => p.address)).toEqual([A]);
  });

  it('counts a reading as actionable now unless it shows a liquidation in the slot it was read at', () => {
    const at = (slot: bigint, lastLiquidatedSlot: bigint) => ({ ...position(A), lastLiquidatedSlot, slot });
    // Liquidated in the open slot: the program refuses another until the slot closes.
    expect(actionableNow(at(20n, 20n))).toBe(false);
    // Liquidated in an earlier slot (a deposit or a loan changed it since), or never.
    expect(actionableNow(at(21n, 20n))).toBe(true);
    expect(actionableNow(at(21n, 0n))).toBe(true);
  });
});
