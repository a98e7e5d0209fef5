/**
 * Run by `shapes.test.ts` as `node --allow-natives-syntax --import tsx`: prints, as
 * JSON, whether the values a keeper values its book with have one hidden class in V8
 * however they were built (read from the chain, or shocked by the rehearsal).
 * `%HaveSameMap` is V8's own answer; it exists only under that flag.
 */
import { readFileSync } from 'node:fs';

import { CachedPrice, CollateralView, collateralViews, decodePoolData, shockViews } from '../../src/index.js';

const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: unknown, b: unknown) => boolean;

const vectors = JSON.parse(readFileSync(new URL('../vectors/core.json', import.meta.url), 'utf8')) as { accounts: { views: { pool: string }[] } };
const pool = decodePoolData(Uint8Array.from(Buffer.from(vectors.accounts.views[0]!.pool, 'hex')));
const now = 1_700_000_000n;

// As `refreshedViews` prices the views it reads from the pool.
const sample = { price: 150_00000000n, conf: 5_000000n, expo: -8n, emaPrice: 150_00000000n, emaConf: 5_000000n, publishTime: now };
const read = collateralViews(pool, []).slice(0, pool.collateralCount);
const refreshed = read.map((view) => CollateralView.withPrice(view, CachedPrice.fromSample(sample, 9)));
// As the rehearsal shocks them.
const shocked = shockViews(refreshed, { name: 'probe', movesBps: new Map(refreshed.map((_, index) => [index, -5_000n])) });
// As a position's slots are valued (health-cache.ts, `slotsOf`).
const slot = (view: CollateralView) => CollateralView.holding([view], [1_000_000_000n])[0];

console.log(
  JSON.stringify({
    collaterals: pool.collateralCount,
    readAndRefreshed: refreshed.every((view, index) => sameMap(view, read[index])),
    refreshedAndShocked: shocked.every((view, index) => sameMap(view, refreshed[index])),
    pricesReadAndShocked: shocked.every((view, index) => sameMap(view.price, refreshed[index]!.price)),
    slotsOfBoth: shocked.every((view, index) => sameMap(slot(view), slot(refreshed[index]!))),
  }),
);
