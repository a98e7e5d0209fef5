import { describe, expect, it } from 'vitest';

import { BPS, divRound, mulDiv, pow10, Rounding, SECONDS_PER_YEAR, toU64, WAD } from '../src/index.js';
import { MAX_STABILITY_FEE_BPS, NOTE_DECIMALS } from '../src/index.js';
import { big, checkSection, str, vectors } from './vectors.js';

const rounding = (value: unknown) => str(value as string) as Rounding;

describe('math (vs strata_core::math)', () => {
  it('constants', () => {
    const c = vectors.constants as Record<string, string>;
    expect({ WAD, BPS, SECONDS_PER_YEAR, NOTE_DECIMALS, MAX_STABILITY_FEE_BPS }).toEqual({
      WAD: BigInt(c.WAD!),
      BPS: BigInt(c.BPS!),
      SECONDS_PER_YEAR: BigInt(c.SECONDS_PER_YEAR!),
      NOTE_DECIMALS: BigInt(c.NOTE_DECIMALS!),
      MAX_STABILITY_FEE_BPS: BigInt(c.MAX_STABILITY_FEE_BPS!),
    });
  });

  it('mulDiv', () => {
    expect(checkSection('mulDiv', (c) => mulDiv(big(c.a), big(c.b), big(c.d), rounding(c.rounding)))).toBeGreaterThan(100);
  });

  it('divRound', () => {
    checkSection('divRound', (c) => divRound(big(c.a), big(c.d), rounding(c.rounding)));
  });

  it('pow10', () => {
    checkSection('pow10', (c) => pow10(big(c.exp)));
  });

  it('toU64', () => {
    checkSection('toU64', (c) => toU64(big(c.value)));
  });

  it('every core error maps onto the program error of the same name', async () => {
    const { CORE_ERROR_CODES } = await import('../src/index.js');
    const want = vectors.errorCodes as Record<string, string>;
    expect(Object.fromEntries(Object.entries(CORE_ERROR_CODES).map(([k, v]) => [k, String(v)]))).toEqual(want);
  });

  it('errors carry the program error code', async () => {
    const { CoreError, STRATA_ERROR__MATH_OVERFLOW, STRATA_ERROR__NO_DEBT } = await import('../src/index.js');
    expect(new CoreError('MathOverflow').programErrorCode).toBe(STRATA_ERROR__MATH_OVERFLOW);
    expect(new CoreError('NoDebt').programErrorCode).toBe(STRATA_ERROR__NO_DEBT);
  });
});
