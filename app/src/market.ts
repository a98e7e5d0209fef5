// Collateral prices as the next `refresh_oracle` would cache them: each listed
// collateral's oracle account is read as the program reads it (`pyth.ts`) and used
// when it is fresh and newer than the pool's cache; otherwise the cache stands. What
// keepers and the stress test value a book at (a refresh they send, or anyone sends,
// lands these prices), shared by the keeper's market reader and the web app.
import type { Address } from '@solana/kit';

import { collateralCachedPrice, collateralViews } from './accounts.js';
import type { OracleKind, Pool } from './generated/index.js';
import { CollateralView } from './health.js';
import { CachedPrice, isNotOlder } from './price.js';
import { readOracle } from './pyth.js';

/** An oracle account as read from a cluster (null when missing). */
export type OracleAccount = { owner: Address; data: Uint8Array } | null | undefined;

/** Views of every collateral slot (amounts zero) priced as refreshed now, and whether
 * each collateral's oracle could be read (and so refreshed). `oracles` are in the
 * pool's collateral order. */
export function refreshedViews(
  pool: Pool,
  oracles: readonly OracleAccount[],
  now: bigint,
  onOracleError?: (index: number, error: unknown) => void,
): { views: CollateralView[]; refreshable: boolean[] } {
  const views = collateralViews(pool, []);
  const refreshable = views.map(() => false);
  pool.collaterals.slice(0, pool.collateralCount).forEach((config, index) => {
    const account = oracles[index];
    try {
      if (!account) throw new Error('oracle account missing');
      const sample = readOracle(config.oracleKind as OracleKind, account.owner, account.data, Uint8Array.from(config.feedId));
      const fresh = CachedPrice.fromSample(sample, config.decimals);
      if (!CachedPrice.isFresh(fresh, BigInt(config.maxAgeSecs), now)) throw new Error('oracle update is stale');
      const cached = collateralCachedPrice(config);
      views[index] = CollateralView.withPrice(views[index]!, isNotOlder(fresh.publishTime, cached.publishTime) ? fresh : cached);
      refreshable[index] = true;
    } catch (error) {
      onOracleError?.(index, error);
    }
  });
  return { views, refreshable };
}
