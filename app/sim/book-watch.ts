/**
 * Watching a book from outside the keeper: how many positions are liquidatable now,
 * valued as the keeper values them (the mirrored core at the price the next refresh
 * will cache), read straight from the cluster. Times to clear measured this way do not
 * depend on what the keeper reports about itself.
 */
import type { Address } from '@solana/kit';

import { PositionBook } from '../keeper/book.js';
import { HealthCache, unhealthyCount } from '../keeper/health-cache.js';
import { createLogger } from '../keeper/log.js';
import { readMarket } from '../keeper/market.js';
import { scanPositions } from '../keeper/scanner.js';
import type { Cluster } from './cluster.js';

/** Liquidatable positions of `pool` now: from a full scan, or as a book followed by
 * notifications shows them (`book.read` scans only when the subscription is down or
 * its rescan is due), its healths kept in `health`. */
export async function liquidatableCount(cluster: Cluster, pool: Address, followed?: { book: PositionBook; health: HealthCache }): Promise<number> {
  const read = followed ? followed.book.read((call) => call()) : scanPositions(cluster.rpc, pool);
  const [positions, market] = await Promise.all([read, readMarket(cluster.rpc, pool, pool)]);
  return unhealthyCount(market, positions, followed?.health);
}

export type Clearing = {
  /** From `since` to the first look (begun after `since`) finding none; undefined if none did. */
  seconds?: number;
  /** Liquidatable positions at the last look. */
  left: number;
  /** The largest count seen. */
  peak: number;
};

/** A book of `pool` kept by the cluster's program notifications (keeper/book.ts, at
 * `confirmed`), subscribed and filled by a first scan when this resolves: started
 * before a price update, its first look after the update is not held up by a scan. */
export async function followBook(cluster: Cluster, pool: Address, signal: AbortSignal): Promise<PositionBook> {
  const book = new PositionBook(cluster.rpc, pool, { wsUrl: cluster.wsUrl, rescanMs: 10_000, retryDelayMs: 100 }, createLogger('silent'));
  book.follow(signal);
  const deadline = Date.now() + 10_000;
  while (!book.subscribed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  await book.read((call) => call(), signal);
  return book;
}

/** Looks every `everyMs` until a look finds nothing liquidatable or `timeoutMs` passes;
 * `tick` runs before each look (e.g. a publisher keeping the feeds fresh).
 *
 * Each look is a full `getProgramAccounts` scan, unless a `book` is given (see
 * `followBook`): then looks value that book, and a look that finds nothing is
 * confirmed by a full scan before it counts. A large book scanned every 100 ms costs
 * the cluster more than the keepers being timed (10,000 positions: 3 MB of JSON a
 * look). The book only ever lags the chain, and a liquidation only ever lowers the
 * count at a fixed price, so a book that shows none at a look's moment cannot be
 * ahead of the chain. */
export async function watchUntilClear(
  cluster: Cluster,
  pool: Address,
  options: { since: number; timeoutMs: number; everyMs?: number; tick?: () => Promise<void>; book?: PositionBook },
): Promise<Clearing> {
  const { book } = options;
  const followed = book ? { book, health: new HealthCache() } : undefined;
  let left = Number.POSITIVE_INFINITY;
  let peak = 0;
  for (;;) {
    await options.tick?.();
    const lookedAt = Date.now();
    left = await liquidatableCount(cluster, pool, followed);
    if (book && left === 0) {
      left = await liquidatableCount(cluster, pool);
      if (left > 0) book.rescanSoon();
    }
    peak = Math.max(peak, left);
    if (left === 0 && lookedAt >= options.since) return { seconds: (lookedAt - options.since) / 1_000, left, peak };
    if (Date.now() - options.since > options.timeoutMs) return { left, peak };
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 250));
  }
}
