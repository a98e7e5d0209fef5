import { describe, expect, it } from 'vitest';

import { ReadAhead } from '../../keeper/read-ahead.js';

/** A read answered when `answer` is called. */
function deferred<T>(): { read: () => Promise<T>; answer: (value: T) => void; fail: (error: Error) => void } {
  let answer!: (value: T) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    answer = resolve;
    fail = reject;
  });
  return { read: () => promise, answer, fail };
}

function setup(maxAgeMs = 800) {
  const state = { oracleMovedAt: undefined as number | undefined, live: true };
  const ahead = new ReadAhead<string>({ oracleMovedAt: () => state.oracleMovedAt, slotsLive: () => state.live, maxAgeMs });
  return { state, ahead };
}

describe('a market read ahead of the next cycle', () => {
  it('serves the next cycle with when its read began, once', async () => {
    const { ahead } = setup();
    ahead.start(async () => 'market read at 1,000', 1_000);
    expect(await ahead.take(1_500)).toEqual({ market: 'market read at 1,000', readAt: 1_000 });
    // Taken: the cycle after needs a new one.
    expect(await ahead.take(1_600)).toBeUndefined();
  });

  it('is one read at a time: a second start while one is pending is ignored', async () => {
    const { ahead } = setup();
    let reads = 0;
    ahead.start(async () => `read ${++reads}`, 1_000);
    ahead.start(async () => `read ${++reads}`, 1_100);
    expect(await ahead.take(1_200)).toEqual({ market: 'read 1', readAt: 1_000 });
    expect(reads).toBe(1);
  });

  it('serves nothing begun before the last oracle notification', async () => {
    const { state, ahead } = setup();
    ahead.start(async () => 'old prices', 1_000);
    state.oracleMovedAt = 1_200;
    expect(await ahead.take(1_300)).toBeUndefined();
    // Begun in the same millisecond as the notification: not known to be after it.
    ahead.start(async () => 'same millisecond', 1_200);
    expect(await ahead.take(1_300)).toBeUndefined();
    ahead.start(async () => 'new prices', 1_201);
    expect(await ahead.take(1_300)).toEqual({ market: 'new prices', readAt: 1_201 });
  });

  it('serves nothing when the oracle moved while it was read', async () => {
    const { state, ahead } = setup();
    const pending = deferred<string>();
    ahead.start(pending.read, 1_000);
    const taken = ahead.take(1_100);
    // The notification comes before the answer: the answer may predate the move.
    state.oracleMovedAt = 1_050;
    pending.answer('prices of unknown age');
    expect(await taken).toBeUndefined();
  });

  it('serves nothing older than its longest age', async () => {
    const { ahead } = setup(800);
    ahead.start(async () => 'read at 1,000', 1_000);
    expect(await ahead.take(1_801)).toBeUndefined();
    ahead.start(async () => 'read at 2,000', 2_000);
    expect(await ahead.take(2_800)).toEqual({ market: 'read at 2,000', readAt: 2_000 });
  });

  it('neither starts nor serves without a live slot subscription (the plan takes its slot from it)', async () => {
    const { state, ahead } = setup();
    state.live = false;
    let reads = 0;
    ahead.start(async () => `read ${++reads}`, 1_000);
    expect(reads).toBe(0);
    expect(await ahead.take(1_100)).toBeUndefined();
    state.live = true;
    ahead.start(async () => `read ${++reads}`, 1_200);
    // Lost while it was read.
    state.live = false;
    expect(await ahead.take(1_300)).toBeUndefined();
  });

  it('serves nothing when the read failed, and the failure is no unhandled rejection', async () => {
    const { ahead } = setup();
    const pending = deferred<string>();
    ahead.start(pending.read, 1_000);
    pending.fail(new Error('connection reset'));
    // Not taken yet: a rejection left unheard would fail this test run.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await ahead.take(1_100)).toBeUndefined();
  });
});
