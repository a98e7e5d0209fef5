/**
 * Watching a book from outside the keeper: how many positions are liquidatable now,
 * valued as the keeper values them (the mirrored core at the price the next refresh
 * will cache), read straight from the cluster. Times to clear measured this way do not
 * depend on what the keeper reports about itself.
 */
import type { Address } from '@solana/kit';

import { unhealthyCount } from '../keeper/health-cache.js';
import { readMarket } from '../keeper/market.js';
import { scanPositions } from '../keeper/scanner.js';
import type { Cluster } from './cluster.js';

/** Liquidatable positions of `pool` now, from a full scan. */
export async function liquidatableCount(cluster: Cluster, pool: Address): Promise<number> {
  const [positions, market] = await Promise.all([scanPositions(cluster.rpc, pool), readMarket(cluster.rpc, pool, pool)]);
  return unhealthyCount(market, positions);
}

export type Clearing = {
  /** From `since` to the first look (begun after `since`) finding none; undefined if none did. */
  seconds?: number;
  /** Liquidatable positions at the last look. */
  left: number;
  /** The largest count seen. */
  peak: number;
};

/** Looks every `everyMs` until a look (a full `getProgramAccounts` scan) finds nothing
 * liquidatable or `timeoutMs` passes; `tick` runs before each look (e.g. a publisher
 * keeping the feeds fresh). A large book scanned this often costs the cluster more than
 * the keepers being timed (10,000 positions: 3 MB of JSON a look): the fleet benchmark
 * records notifications instead (clearing-record.ts). */
export async function watchUntilClear(
  cluster: Cluster,
  pool: Address,
  options: { since: number; timeoutMs: number; everyMs?: number; tick?: () => Promise<void> },
): Promise<Clearing> {
  let left = Number.POSITIVE_INFINITY;
  let peak = 0;
  for (;;) {
    await options.tick?.();
    const lookedAt = Date.now();
    left = await liquidatableCount(cluster, pool);
    peak = Math.max(peak, left);
    if (left === 0 && lookedAt >= options.since) return { seconds: (lookedAt - options.since) / 1_000, left, peak };
    if (Date.now() - options.since > options.timeoutMs) return { left, peak };
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 250));
  }
}
