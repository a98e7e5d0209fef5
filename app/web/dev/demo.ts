/**
 * Demo and test data for the web app: a pool deployed on a local cluster from
 * `migrations/localnet.json` with the deploy library (`sim/world.ts`: tranches funded
 * by two LPs), a book of positions (`sim/book.ts`, the main job's seeded spread at 20%
 * to 98% of their borrowing limit), a month of stability fees distributed, one
 * redemption waiting in the junior's queue, and a publisher that keeps the Pyth prices
 * fresh (the pool's collaterals accept prices at most 60 s old).
 */
import type { Address } from '@solana/kit';

import { fetchTranche, tokenBalance } from '../../admin/chain.js';
import { sendInstructions } from '../../admin/send.js';
import { shareAccountAddress, tx } from '../../src/index.js';
import { openBook, type Participant } from '../../sim/book.js';
import type { Cluster } from '../../sim/cluster.js';
import { accrueAMonth, crashBook, publishCrashPrices } from '../../sim/crash-scene.js';
import { refreshAll } from '../../sim/prices.js';
import { buildWorld, type World } from '../../sim/world.js';

export type Demo = { world: World; book: Participant[]; wsol: number };

/** What the page reads: `strata-web.json` beside it. */
export type WebFile = { rpcUrl: string; wsUrl?: string; pool: Address; names: Record<string, string> };

export async function buildDemo(cluster: Cluster, options: { positions?: number; wsol?: number } = {}): Promise<Demo> {
  const wsol = options.wsol ?? 150;
  const world = await buildWorld(cluster);
  const book = await openBook(cluster, world.state, world.authority, crashBook(options.positions ?? 60));
  await accrueAMonth(cluster, world);
  await publishCrashPrices(cluster, world.state, wsol);
  await refreshAll(cluster, world.state, world.authority);
  // The junior LP asks for a tenth of its shares back: the queue has one request.
  const junior = world.state.tranches.length - 1;
  const tranche = await fetchTranche(cluster.rpc, world.state.tranches[junior]!);
  const held = await tokenBalance(cluster.rpc, await shareAccountAddress(world.juniorLp.signer.address, tranche!.shareMint));
  const requested = await tx.requestRedemption({ holder: world.juniorLp.signer, pool: world.state.pool, index: junior, shares: held / 10n });
  await sendInstructions(cluster, world.juniorLp.signer, requested.instructions);
  return { world, book, wsol };
}

/** The page's settings for this demo. */
export function webFile(cluster: Cluster, demo: Demo): WebFile {
  return {
    rpcUrl: cluster.url,
    ...(cluster.wsUrl ? { wsUrl: cluster.wsUrl } : {}),
    pool: demo.world.state.pool,
    names: Object.fromEntries(Object.entries(demo.world.state.collaterals).map(([name, c]) => [c.mint, name])),
  };
}

/** Republishes the demo's prices and refreshes the pool's cache every `everyMs`, as a
 * Pyth publisher and a keeper would; returns a stop function. */
export function keepPricesFresh(cluster: Cluster, demo: Demo, everyMs = 20_000): () => void {
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    try {
      await publishCrashPrices(cluster, demo.world.state, demo.wsol);
      await refreshAll(cluster, demo.world.state, demo.world.authority);
    } catch (error) {
      console.error(`price refresh failed: ${(error as Error).message}`);
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
