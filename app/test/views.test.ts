import { describe, expect, it } from 'vitest';

import {
  decodeHealthReport,
  decodeLiquidationQuote,
  decodePoolData,
  decodePositionData,
  isCoreError,
  positionHealthReport,
  positionLiquidationQuote,
  returnDataFromLogs,
  STRATA_PROGRAM_ADDRESS,
} from '../src/index.js';
import { big, hexBytes, normalize, obj, str, vectors } from './vectors.js';

type ReturnData = { hex: string; base64: string; trimmedBase64: string };
type Quote = { collateralIndex: string; repayAmount: string; out?: unknown; error?: string; returnData?: ReturnData };
type ViewCase = {
  name: string;
  now: string;
  pool: string;
  position: string;
  health: { out?: unknown; error?: string; returnData?: ReturnData };
  quotes: Quote[];
};

const cases = obj(vectors.accounts as never).views as unknown as ViewCase[];

/** `Option`s as the vectors write them: the value or null. */
function plain(value: unknown): unknown {
  if (value && typeof value === 'object' && '__option' in value) {
    const option = value as { __option: 'Some' | 'None'; value?: unknown };
    return option.__option === 'Some' ? normalize(option.value) : null;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return normalize(value);
}

function outcome(fn: () => unknown): unknown {
  try {
    return { out: plain(fn()) };
  } catch (error) {
    if (isCoreError(error)) return { error: error.code };
    if (error instanceof RangeError && error.message.startsWith('InvalidCollateralIndex')) {
      return { error: 'InvalidCollateralIndex' };
    }
    throw error;
  }
}

describe('views: return data decoders and off-chain mirrors (vs the program)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const pool = decodePoolData(hexBytes(c.pool));
    const position = decodePositionData(hexBytes(c.position));
    const now = big(c.now);

    // health: the report computed off-chain, and the view's return data decoded.
    const wantHealth = c.health.error !== undefined ? { error: c.health.error } : { out: c.health.out };
    expect(outcome(() => positionHealthReport(pool, position, now))).toEqual(wantHealth);
    if (c.health.returnData) {
      const r = c.health.returnData;
      expect(plain(decodeHealthReport(hexBytes(r.hex)))).toEqual(c.health.out);
      expect(plain(decodeHealthReport(r.trimmedBase64))).toEqual(c.health.out);
      expect(plain(decodeHealthReport({ programId: STRATA_PROGRAM_ADDRESS, data: [r.base64, 'base64'] }))).toEqual(
        c.health.out,
      );
    }

    for (const q of c.quotes) {
      const index = Number(q.collateralIndex);
      const want = q.error !== undefined ? { error: q.error } : { out: q.out };
      expect(outcome(() => positionLiquidationQuote(pool, position, index, big(q.repayAmount), now)), `${index}`).toEqual(want);
      if (q.returnData) {
        expect(plain(decodeLiquidationQuote(hexBytes(q.returnData.hex)))).toEqual(q.out);
        expect(plain(decodeLiquidationQuote(q.returnData.trimmedBase64))).toEqual(q.out);
      }
    }
  });

  it('covers partial and shortfall quotes, an unknown borrow limit and every refusal', () => {
    const quotes = cases.flatMap((c) => c.quotes);
    expect(new Set(quotes.flatMap((q) => (q.out ? [obj(q.out as never).shortfall] : [])))).toEqual(new Set([true, false]));
    expect(new Set(quotes.flatMap((q) => (q.error ? [q.error] : [])))).toEqual(
      new Set(['InvalidCollateralIndex', 'NoCollateralToSeize', 'PositionHealthy', 'ShortfallRepayTooLow', 'StalePrice', 'ZeroAmount']),
    );
    expect(cases.some((c) => c.health.out && obj(c.health.out as never).borrowLimit === null)).toBe(true);
  });

  it('refuses return data of another program or with bytes after the value', () => {
    const r = cases[0]!.health.returnData!;
    expect(() => decodeHealthReport({ programId: '11111111111111111111111111111111' as never, data: [r.base64, 'base64'] })).toThrow(
      /not STRA/,
    );
    expect(() => decodeHealthReport(Uint8Array.from([...hexBytes(r.hex), 1]))).toThrow(/at most 116/);
    const short = cases.find((c) => c.health.out && obj(c.health.out as never).borrowLimit === null)!.health.returnData!;
    expect(hexBytes(short.hex).length).toBeLessThan(116);
    expect(() => decodeHealthReport(Uint8Array.from([...hexBytes(short.hex), 1]))).toThrow(/bytes after/);
  });

  it('reads return data from a log', () => {
    const logs = obj(vectors.events as never).logs as string[];
    expect(Array.from(returnDataFromLogs(logs) ?? [])).toEqual([1, 2, 3]);
    expect(returnDataFromLogs([str('Program log: nothing')])).toBeUndefined();
  });
});
