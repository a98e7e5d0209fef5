// The admin CLI's input handling, without a cluster: parameter sets from flags and
// files (every problem named by its flag), pause flag names, amount formatting, the
// WebSocket URL paired with --url.
import { describe, expect, it } from 'vitest';

import { InputError, resolveWsUrl, websocketUrl } from '../admin/chain.js';
import { pauseBits } from '../cli/pause.js';
import { changes, mergeParams, splitFile } from '../cli/params.js';
import { pricePerToken, ratio, units } from '../cli/show.js';
import { run } from '../cli/main.js';

const POOL = { stabilityFeeBps: 500, debtCeiling: '1000000000000', minDebt: '10000000', closeFactorBps: 5000, keeperTipBps: 50, protocolFeeBps: 1000, coverageFloorBps: 1000, redemptionDelaySecs: 600 };

describe('CLI parameters', () => {
  it('merges current values, the file, then flags; u64 as bigint', () => {
    const params = mergeParams('pool', { base: { ...POOL, minDebt: 1n }, file: { minDebt: 5 }, flags: { minDebt: '7_000', stabilityFeeBps: undefined } });
    expect(params).toEqual({ ...POOL, debtCeiling: 1_000_000_000_000n, minDebt: 7_000n });
  });

  it('names every problem by flag', () => {
    expect(() => mergeParams('pool', { flags: { stabilityFeeBps: '-1', debtCeiling: '1e9' } })).toThrow(
      /--min-debt: missing[\s\S]*--stability-fee-bps: expected a whole number ≥ 0, got '-1'[\s\S]*--debt-ceiling: expected a whole number/,
    );
    expect(() => mergeParams('pool', { flags: { ...POOL, closeFactorBps: '70000' } })).toThrow(/--close-factor-bps: must be at most 65535 \(u16\)/);
    expect(() => mergeParams('pool', { flags: { ...POOL, minDebt: '2000000000000' } })).toThrow(/--min-debt: must not exceed debtCeiling/);
    const collateral = { ltvBps: 8000, liquidationThresholdBps: 9500, liquidationBonusMinBps: 100, liquidationBonusMaxBps: 600, depositCap: 1, maxAgeSecs: 60, maxConfBps: 100, maxEmaDeviationBps: 100 };
    expect(() => mergeParams('collateral', { flags: collateral })).toThrow(/liquidationThresholdBps × \(1 \+ liquidationBonusMaxBps\) must not exceed 1/);
    expect(() => mergeParams('collateral', { flags: { ...collateral, liquidationBonusMaxBps: 500, maxAgeSecs: 0 } })).toThrow(/--max-age-secs: 1 to 86400/);
    expect(() => mergeParams('tranche', { flags: { targetAprBps: 6000, minSubordinationBps: 0 } })).toThrow(/--target-apr-bps: at most 5000/);
  });

  it('reads files with params at the top or under "params" (the deploy config sections), refusing unknown keys', () => {
    expect(splitFile({ id: 3, params: { minDebt: 1 }, keeperTipBps: 2 }, 'pool', ['id'])).toEqual({ params: { minDebt: 1, keeperTipBps: 2 }, extras: { id: 3 } });
    expect(() => splitFile({ minDebtt: 1, x: 2 }, 'pool', [])).toThrow("--file: unknown fields 'minDebtt', 'x'");
  });

  it('lists changes', () => {
    expect(changes({ a: 1, b: 2n }, { a: 1, b: 3n })).toEqual(['b: 2 → 3']);
  });

  it('pause flags by name', () => {
    expect(pauseBits([])).toBe(0b11111);
    expect(pauseBits(['mint,deposit', 'Tranche'])).toBe(0b10101);
    expect(() => pauseBits(['mints'])).toThrow("unknown pause flag 'mints': expected deposit, withdraw, mint, liquidate, tranche, all");
  });

  it('formats amounts, prices and ratios', () => {
    expect(units(1_234_567_890n, 6)).toBe('1,234.56789');
    expect(units(5n, 6, 2)).toBe('0.000005');
    expect(units(1_000_000n, 6, 2)).toBe('1.00');
    expect(pricePerToken(15n * 10n ** 16n, 9)).toBe('$150.00');
    expect(ratio(1_414_999_999_999_999_999n)).toBe('1.41');
    expect(ratio((1n << 128n) - 1n)).toBe('∞');
  });

  it('usage errors exit with status 2; help with 0', async () => {
    const err: string[] = [];
    const io = { out: () => {}, err: (l: string) => err.push(l), stdin: process.stdin };
    expect(await run(['pause', '--nope'], io)).toBe(2);
    expect(err.join('\n')).toContain("unknown option '--nope'");
    expect(await run(['--help'], io)).toBe(0);
    expect(await run(['show'], io)).toBe(2);
    expect(err.join('\n')).toContain('show: give the pool address');
  });

  it("pairs --url with the Solana CLI's WebSocket URL (next port), or checks --ws-url", () => {
    expect(websocketUrl('http://127.0.0.1:8899')).toBe('ws://127.0.0.1:8900/');
    expect(websocketUrl('https://api.devnet.solana.com')).toBe('wss://api.devnet.solana.com/');
    expect(websocketUrl('https://rpc.example.com:8443/key')).toBe('wss://rpc.example.com:8444/key');
    expect(resolveWsUrl(undefined, 'http://127.0.0.1:8899')).toBe('ws://127.0.0.1:8900/');
    expect(resolveWsUrl('ws://127.0.0.1:40001', 'http://127.0.0.1:40000')).toBe('ws://127.0.0.1:40001');
    expect(() => resolveWsUrl('http://127.0.0.1:8900', 'http://127.0.0.1:8899')).toThrow(InputError);
  });
});
