import type { RpcTransport } from '@solana/kit';
import { describe, expect, it } from 'vitest';

import { RpcTimeout, withTimeout } from '../../keeper/rpc.js';

/** A transport that never answers, but honours its abort signal as fetch does. */
const hanging: RpcTransport = ({ signal }) =>
  new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));

const request = (method: string, signal?: AbortSignal) => ({ payload: { jsonrpc: '2.0', id: 1, method, params: [] }, signal });

describe('withTimeout', () => {
  it('ends an unanswered request with RpcTimeout after the timeout', async () => {
    const started = performance.now();
    await expect(withTimeout(hanging, { timeoutMs: 150 })(request('getProgramAccounts'))).rejects.toSatisfy(
      (error) => error instanceof RpcTimeout && error.method === 'getProgramAccounts',
    );
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(140);
    expect(took).toBeLessThan(1_000);
  });

  it('ends it at once when the keeper stops', async () => {
    const stop = new AbortController();
    const started = performance.now();
    const pending = withTimeout(hanging, { timeoutMs: 60_000, signal: stop.signal })(request('getSlot'));
    setTimeout(() => stop.abort(new Error('stopping')), 20);
    await expect(pending).rejects.toThrow('stopping');
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('passes answers through and leaves no listener on the shutdown signal', async () => {
    const stop = new AbortController();
    let listeners = 0;
    const add = stop.signal.addEventListener.bind(stop.signal);
    const remove = stop.signal.removeEventListener.bind(stop.signal);
    stop.signal.addEventListener = ((...args: Parameters<typeof add>) => (listeners++, add(...args))) as typeof add;
    stop.signal.removeEventListener = ((...args: Parameters<typeof remove>) => (listeners--, remove(...args))) as typeof remove;
    const answering: RpcTransport = async () => ({ jsonrpc: '2.0', id: 1, result: 7 }) as never;
    for (let i = 0; i < 5; i++) await withTimeout(answering, { timeoutMs: 1_000, signal: stop.signal })(request('getSlot'));
    expect(listeners).toBe(0);
  });

  it('asks a read again after hedgeMs and takes the first answer, aborting the other', async () => {
    const calls: AbortSignal[] = [];
    // The first request hangs, the second answers at once.
    const firstHangs: RpcTransport = async ({ signal }) => {
      calls.push(signal!);
      if (calls.length === 1) return hanging({ payload: null, signal });
      return { jsonrpc: '2.0', id: 1, result: 'second' } as never;
    };
    const started = performance.now();
    const answer = await withTimeout(firstHangs, { timeoutMs: 5_000, hedgeMs: 100 })(request('getMultipleAccounts'));
    expect(answer).toMatchObject({ result: 'second' });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.aborted, 'the hanging request is given up').toBe(true);
  });

  it('never hedges a send; hedges a read twice at most, and gives it up at the timeout', async () => {
    let calls = 0;
    const counting: RpcTransport = (request) => {
      calls += 1;
      return hanging(request);
    };
    await expect(withTimeout(counting, { timeoutMs: 300, hedgeMs: 50 })(request('sendTransaction'))).rejects.toBeInstanceOf(RpcTimeout);
    expect(calls).toBe(1);
    calls = 0;
    await expect(withTimeout(counting, { timeoutMs: 300, hedgeMs: 50 })(request('getProgramAccounts'))).rejects.toBeInstanceOf(RpcTimeout);
    expect(calls).toBe(3);
  });

  it('waits longer for the answer to a send, when told', async () => {
    const started = performance.now();
    await expect(withTimeout(hanging, { timeoutMs: 50, sendTimeoutMs: 300 })(request('sendTransaction'))).rejects.toBeInstanceOf(RpcTimeout);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });
});
