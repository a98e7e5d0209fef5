import type { Address } from '@solana/kit';
import { describe, expect, it } from 'vitest';

import { decodePositionFast } from '../../keeper/scanner.js';
import { decodePositionData, positionDebtShares } from '../../src/index.js';
import { hexBytes, obj, str, vectors } from '../vectors.js';

describe('the keeper decoder', () => {
  it('reads what the full decoder reads from Rust-written bytes', () => {
    const bytes = hexBytes(str(obj(obj(vectors.accounts as never).position).data));
    const fast = decodePositionFast('11111111111111111111111111111111' as Address, bytes);
    const full = decodePositionData(bytes);
    expect(fast.collateral).toEqual(full.collateral.map(BigInt));
    expect(fast.debtShares).toBe(positionDebtShares(full));
    expect(fast.flags).toBe(full.flags);
    expect(fast.lastLiquidatedSlot).toBe(BigInt(full.lastLiquidatedSlot));
  });

  it('refuses an account of the wrong size', () => {
    expect(() => decodePositionFast('11111111111111111111111111111111' as Address, new Uint8Array(199))).toThrow(RangeError);
  });
});
