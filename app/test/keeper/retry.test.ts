import { SolanaError, SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR } from '@solana/kit';
import { describe, expect, it } from 'vitest';

import { backoffMs, MAX_BACKOFF_MS, withRetry } from '../../keeper/retry.js';
import { RpcTimeout } from '../../keeper/rpc.js';

const throttled = () => new SolanaError(SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR, { headers: new Headers(), message: 'Too Many Requests', statusCode: 429 });

describe('withRetry', () => {
  it('retries transient failures up to the limit, then gives up with the last one', async () => {
    let calls = 0;
    const seen: boolean[] = [];
    const result = withRetry('getSlot', async () => {
      calls += 1;
      throw new RpcTimeout('getSlot', 10);
    }, { retries: 2, delayMs: 1, onError: (_, __, ___, retrying) => seen.push(retrying) });
    await expect(result).rejects.toBeInstanceOf(RpcTimeout);
    expect(calls).toBe(3);
    expect(seen).toEqual([true, true, false]);
  });

  it('returns the first success', async () => {
    let calls = 0;
    const value = await withRetry('getSlot', async () => {
      calls += 1;
      if (calls < 3) throw throttled();
      return 42;
    }, { retries: 5, delayMs: 1 });
    expect([value, calls]).toEqual([42, 3]);
  });

  it('does not retry a failure that would repeat', async () => {
    let calls = 0;
    await expect(withRetry('getSlot', async () => {
      calls += 1;
      throw new Error('bad parameters');
    }, { retries: 5, delayMs: 1 })).rejects.toThrow('bad parameters');
    expect(calls).toBe(1);
  });

  it('stops waiting and retrying once the signal aborts', async () => {
    const stop = new AbortController();
    let calls = 0;
    const started = performance.now();
    const result = withRetry('getSlot', async () => {
      calls += 1;
      setTimeout(() => stop.abort(new Error('stopping')), 20);
      throw throttled();
    }, { retries: 5, delayMs: 5_000, signal: stop.signal });
    await expect(result).rejects.toThrow('stopping');
    expect(calls).toBe(1);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('backs off exponentially with jitter: between half and all of the capped delay', () => {
    expect(backoffMs(0, { delayMs: 200 }, () => 0)).toBe(100);
    expect(backoffMs(0, { delayMs: 200 }, () => 1)).toBe(200);
    expect(backoffMs(2, { delayMs: 200 }, () => 0.5)).toBe(600);
    expect(backoffMs(20, { delayMs: 200 }, () => 1)).toBe(MAX_BACKOFF_MS);
    const spread = new Set(Array.from({ length: 20 }, () => backoffMs(1, { delayMs: 200 })));
    expect(spread.size).toBeGreaterThan(1);
  });
});
