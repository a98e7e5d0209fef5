/**
 * The fleet benchmark's watcher (sim/clearing-record.ts) on the real local cluster: a
 * keeper clears a crashed book while the watcher only records notifications; valued
 * afterwards, they time the clearing as a watcher looking every 100 ms does, from the
 * reading that cleared it; a reading older than what is known of its position changes
 * nothing; and a lost notification is reported, not timed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Keeper, keeperOptions } from '../../keeper/keeper.js';
import { createLogger } from '../../keeper/log.js';
import { readMarket } from '../../keeper/market.js';
import { KeeperMetrics } from '../../keeper/metrics.js';
import { openBook } from '../../sim/book.js';
import { watchUntilClear } from '../../sim/book-watch.js';
import { clearingOf, recordUntilClear, startRecording } from '../../sim/clearing-record.js';
import { startCluster, type Cluster } from '../../sim/cluster.js';
import { publishPrice } from '../../sim/prices.js';
import { buildWorld } from '../../sim/world.js';

const SOL = 1_000_000_000n;
const NOTE = 1_000_000n;
const usd = (dollars: number) => BigInt(dollars) * 100_000_000n;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Positions at 95% of the limit with 10 wSOL each: a fall to $100 makes all liquidatable. */
const BOOK = 12;

describe('timing a clearing from recorded notifications', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster();
  }, 600_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('times a keeper clearing a crash as a watcher looking every 100 ms does, from the reading that cleared it', async () => {
    if (!cluster.local) return;
    const world = await buildWorld(cluster, { keeperNotes: 100_000n * NOTE });
    await openBook(cluster, world.state, world.authority, Array.from({ length: BOOK }, () => ({ deposits: { wSOL: 10n * SOL }, leverage: 0.95 })));
    const recording = await startRecording(cluster, world.state.pool);
    const settings = keeperOptions(world.state.pool, { wsUrl: cluster.wsUrl, pollIntervalMs: 250, lookupTables: false, rpcRetryDelayMs: 10 });
    const keeper = new Keeper(cluster.rpc, world.keeper.signer, settings, new KeeperMetrics(), createLogger('silent'));
    let cycles = 0;
    const stop = new AbortController();
    const running = keeper.run(stop.signal, () => (cycles += 1));
    try {
      while (cycles === 0) await sleep(50);
      // The book, and the world's own indebted positions.
      expect(recording.start.positions.length).toBeGreaterThanOrEqual(BOOK);
      // Nothing has changed a position yet: the recording holds no notification.
      expect(recording.record.arrivals).toHaveLength(0);
      await publishPrice(cluster, world.state, 'wSOL', usd(100), -8);
      const since = Date.now();
      const [recorded, polled] = await Promise.all([
        recordUntilClear(cluster, world.state.pool, recording, { since, timeoutMs: 60_000, quietMs: 1_000 }),
        watchUntilClear(cluster, world.state.pool, { since, timeoutMs: 60_000, everyMs: 100 }),
      ]);
      console.info(`cleared: ${recorded.seconds} s by the recorded notifications, ${polled.seconds} s by looks every 100 ms`);
      expect(recorded.left).toBe(0);
      expect(recorded.peak).toBeGreaterThanOrEqual(BOOK);
      // A first look comes after the first liquidations may have landed.
      expect(polled).toMatchObject({ left: 0, peak: expect.any(Number) });
      expect(polled.peak).toBeLessThanOrEqual(recorded.peak);
      // The look that found none began after the last liquidation was committed, whose
      // notification arrives as it commits; a look every 100 ms (plus its scan) at most
      // that much later.
      expect(recorded.seconds!).toBeGreaterThan(0);
      expect(recorded.seconds!).toBeLessThanOrEqual(polled.seconds! + 0.3);
      expect(polled.seconds! - recorded.seconds!).toBeLessThan(1);

      // The same readings valued again: the clearing reading is the one at that time.
      const market = await readMarket(cluster.rpc, world.state.pool, world.state.pool);
      const readings = recording.record.readings();
      expect(clearingOf(market, recording.start, readings, since)).toEqual(recorded);
      // The clearing reading: the first with which none is liquidatable (one batch's
      // positions arrive within the same millisecond), at the time found.
      const last = readings.findIndex((_, i) => clearingOf(market, recording.start, readings.slice(0, i + 1), since).left === 0);
      expect(last).toBeGreaterThanOrEqual(0);
      expect(readings[last]!.at - since).toBe(recorded.seconds! * 1_000);
      // Without it, one position is still liquidatable and nothing is timed.
      expect(clearingOf(market, recording.start, readings.slice(0, last), since)).toEqual({ left: 1, peak: recorded.peak });
      // Another position's reading older than its latest (the book before the crash),
      // just before the clearing one, changes nothing; as the newest it would.
      // (One the keeper liquidated, so liquidatable at the start: the world's own
      // positions may not be.)
      const otherAddress = readings.find((r) => r.position.address !== readings[last]!.position.address)!.position.address;
      const other = recording.start.positions.find((p) => p.address === otherAddress)!;
      const stale = { at: readings[last]!.at, slot: recording.start.slot, position: other };
      expect(clearingOf(market, recording.start, [...readings.slice(0, last), stale, ...readings.slice(last)], since)).toEqual(recorded);
      expect(clearingOf(market, recording.start, [...readings.slice(0, last), { ...stale, slot: readings.at(-1)!.slot + 1n }, ...readings.slice(last)], since).seconds).toBeUndefined();

      // A notification lost: the readings show a liquidatable position a full scan does
      // not, which is reported rather than timed.
      recording.record.arrivals.splice(last, 1);
      await expect(recordUntilClear(cluster, world.state.pool, recording, { since, timeoutMs: 60_000, quietMs: 0 })).rejects.toThrow(/notifications lost: the recorded book shows 1 liquidatable position/);
    } finally {
      recording.record.close();
      stop.abort();
      await running;
    }
  }, 240_000);
});
