import { describe, expect, it } from 'vitest';

import type { DailyBar } from '../../backtest/csv.js';
import { buildPath, pythMantissa } from '../../backtest/path.js';

const bar = (date: string, open: number, high: number, low: number, close: number): DailyBar => ({ date, open, high, low, close });
const sol = [bar('2022-11-08', 30, 31, 21, 24), bar('2022-11-09', 24, 24.5, 12.5, 14), bar('2022-11-10', 14, 18.7, 13.4, 17.7)];
const usdc = [bar('2022-11-08', 1, 1.001, 0.999, 1), bar('2022-11-09', 1, 1, 0.9992, 1), bar('2022-11-10', 1, 1.001, 0.9999, 1.001)];

describe('buildPath', () => {
  it('visits each day open, low (the adverse extreme first), high, close, every collateral at once', () => {
    const path = buildPath({ wSOL: sol, tBILL: usdc }, { from: '2022-11-09', to: '2022-11-10' });
    expect(path.map((s) => [s.index, s.date, s.kind, s.prices.wSOL])).toEqual([
      [0, '2022-11-09', 'open', 24],
      [1, '2022-11-09', 'low', 12.5],
      [2, '2022-11-09', 'high', 24.5],
      [3, '2022-11-09', 'close', 14],
      [4, '2022-11-10', 'open', 14],
      [5, '2022-11-10', 'low', 13.4],
      [6, '2022-11-10', 'high', 18.7],
      [7, '2022-11-10', 'close', 17.7],
    ]);
    expect(path[1]!.prices.tBILL).toBe(0.9992);
  });

  it('repeats the close at the high step of a day that opened at its high or closed at its low: no invented rebound', () => {
    const days = [bar('2022-11-09', 24, 24, 12.5, 14), bar('2022-11-10', 14, 18.7, 13.4, 13.4), bar('2022-11-11', 17, 18, 15, 16)];
    const path = buildPath({ wSOL: days });
    expect(path.map((s) => [s.date, s.kind, s.prices.wSOL])).toEqual([
      ['2022-11-09', 'open', 24],
      ['2022-11-09', 'low', 12.5],
      ['2022-11-09', 'high', 14],
      ['2022-11-09', 'close', 14],
      ['2022-11-10', 'open', 14],
      ['2022-11-10', 'low', 13.4],
      ['2022-11-10', 'high', 13.4],
      ['2022-11-10', 'close', 13.4],
      ['2022-11-11', 'open', 17],
      ['2022-11-11', 'low', 15],
      ['2022-11-11', 'high', 18],
      ['2022-11-11', 'close', 16],
    ]);
  });

  it('defaults to every date the series share, and refuses windows they do not cover', () => {
    expect(buildPath({ wSOL: sol, tBILL: usdc })).toHaveLength(12);
    expect(() => buildPath({ wSOL: sol }, { from: '2022-11-07' })).toThrow("wSOL's prices run from 2022-11-08 to 2022-11-10, not 2022-11-07 to 2022-11-10");
    expect(() => buildPath({ wSOL: sol, tBILL: [usdc[0]!, usdc[2]!] })).toThrow('tBILL has no price on 2022-11-09');
    expect(() => buildPath({ wSOL: sol }, { from: '2022-11-10', to: '2022-11-09' })).toThrow('--from 2022-11-10 is after --to 2022-11-09');
  });

  it('turns dollars into Pyth mantissas at exponent -8', () => {
    expect(pythMantissa(12.505624)).toBe(1_250_562_400n);
    expect(pythMantissa(0.8774)).toBe(87_740_000n);
  });
});
