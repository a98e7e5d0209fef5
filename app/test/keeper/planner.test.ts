import { address } from '@solana/kit';
import { describe, expect, it } from 'vitest';

import { splitBatch, type Action, type BatchPart } from '../../keeper/planner.js';
import type { PositionSnapshot } from '../../keeper/scanner.js';

const ADDRESSES = ['11111111111111111111111111111111', 'SysvarC1ock11111111111111111111111111111111', 'SysvarRent111111111111111111111111111111111', 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA', 'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL'];

const position = (n: number): PositionSnapshot => ({
  address: address(ADDRESSES[n - 1]!),
  collateral: [BigInt(n), 0n],
  debtShares: BigInt(n * 10),
  flags: 0,
  lastLiquidatedSlot: 0n,
});

describe('splitBatch', () => {
  it('halves a batch that does not fit one transaction, keeping each position with its share', () => {
    const parts: BatchPart[] = [1, 2, 3, 4, 5].map((n) => ({ repay: BigInt(n * 100), seize: BigInt(n * 7), profit: BigInt(n), refresh: n === 5 ? [0, 1] : [0] }));
    const positions = [1, 2, 3, 4, 5].map(position);
    const batch: Extract<Action, { kind: 'batch' }> = { kind: 'batch', collateralIndex: 0, positions, parts, repay: 1_500n, seize: 105n, profit: 15n, refresh: [0, 1] };
    const [first, second] = splitBatch(batch) as [Extract<Action, { kind: 'batch' }>, Extract<Action, { kind: 'batch' }>];
    expect(first.positions).toEqual(positions.slice(0, 3));
    expect(second.positions).toEqual(positions.slice(3));
    expect([first.repay, first.seize, first.profit]).toEqual([600n, 42n, 6n]);
    expect([second.repay, second.seize, second.profit]).toEqual([900n, 63n, 9n]);
    // Only the half holding the two-collateral position refreshes both oracles.
    expect(first.refresh).toEqual([0]);
    expect(second.refresh).toEqual([0, 1]);
  });
});
