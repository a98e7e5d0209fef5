/**
 * The fleet benchmark's count of rounds by slot (sim/clearing-record.ts `roundSlotsOf`):
 * each position's liquidation slots from its readings, counted once a slot, from the
 * first slot the keepers could land in.
 */
import { getAddressDecoder } from '@solana/kit';
import { describe, expect, it } from 'vitest';

import type { PositionSnapshot } from '../../keeper/scanner.js';
import { roundSlotsOf, type Reading } from '../../sim/clearing-record.js';

const address = (n: number) => {
  const bytes = new Uint8Array(32);
  bytes[0] = n;
  return getAddressDecoder().decode(bytes);
};

/** Position `n` read at `slot`, last liquidated at `liquidated`. */
const reading = (n: number, slot: bigint, liquidated: bigint): Reading => {
  const position: PositionSnapshot = { address: address(n), collateral: [1n], debtShares: 1n, flags: 0, lastLiquidatedSlot: liquidated };
  return { at: 0, slot, position };
};

describe('roundSlotsOf', () => {
  it('counts each position\'s rounds once a slot from the first, the slots they waited, and the last slot\'s positions', () => {
    const readings = [
      // Liquidated before the first slot (the book's past): not a round of this clearing.
      reading(1, 9n, 9n),
      // Position 1: slot after slot, 10, 11, 12 (read twice in slot 11).
      reading(1, 10n, 10n),
      reading(1, 11n, 11n),
      reading(1, 11n, 11n),
      reading(1, 12n, 12n),
      // Position 2: 10, then 12 (waited out slot 11).
      reading(2, 10n, 10n),
      reading(2, 12n, 12n),
      // Position 3: one round, in slot 11 (waited out slot 10).
      reading(3, 11n, 11n),
    ];
    const rounds = roundSlotsOf(readings, 10n);
    expect(rounds.byRounds).toEqual([0, 1, 1, 1]);
    expect(rounds.waited).toEqual({ positions: 2, slots: 2 });
    expect(rounds.last).toEqual([
      [0n, 1n, 2n],
      [0n, 2n],
    ]);
  });

  it('keeps at most `limit` of the last slot\'s positions', () => {
    const readings = [1, 2, 3].map((n) => reading(n, 10n, 10n));
    expect(roundSlotsOf(readings, 10n, 2).last).toHaveLength(2);
  });
});
