/**
 * The recovery phase after a crash: a keeper with notes and `recover` set buys the
 * collateral the tranches absorbed, at spot less each collateral's minimum liquidation
 * bonus, until the tranches hold none (or nothing more is worth buying). The figures
 * come from the sales' own `CollateralRecovered` events.
 */
import type { Signature } from '@solana/kit';

import { fetchTranches, transactionEvents } from '../admin/chain.js';
import { isEvent, WAD } from '../src/index.js';
import { Keeper, keeperOptions, type KeeperOptions } from '../keeper/keeper.js';
import { createLogger } from '../keeper/log.js';
import { KeeperMetrics } from '../keeper/metrics.js';
import type { Cluster } from './cluster.js';
import type { DeployState } from '../admin/deploy.js';
import type { Participant } from './book.js';

/** The pool and the keeper who buys. */
export type RecoveryCast = { state: DeployState; keeper: Participant };

export type RecoveryFigures = {
  sales: number;
  /** Native units sold per collateral index. */
  collateralSold: Map<number, bigint>;
  /** Notes paid into the tranches' vaults. */
  notesRecovered: bigint;
  /** What the buyers gained: the sold collateral at spot, less the notes paid. */
  discountPaid: bigint;
  /** Collateral the tranches still hold, per index, afterwards. */
  heldAfter: Map<number, bigint>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function held(cluster: Cluster, world: RecoveryCast): Promise<Map<number, bigint>> {
  const tranches = await fetchTranches(cluster.rpc, world.state.pool, world.state.tranches.length);
  const total = new Map<number, bigint>();
  for (const { tranche } of tranches) {
    tranche.collateralHeld.forEach((amount, index) => {
      if (amount > 0n) total.set(index, (total.get(index) ?? 0n) + amount);
    });
  }
  return total;
}

/** Runs the keeper with `recover` until the tranches hold no collateral or
 * `timeoutMs` passes; `keepFresh` republishes prices meanwhile. */
export async function runRecoveries(
  cluster: Cluster,
  world: RecoveryCast,
  keepFresh: () => Promise<void>,
  options: { keeper?: Partial<KeeperOptions>; timeoutMs?: number } = {},
): Promise<RecoveryFigures> {
  const settings = keeperOptions(world.state.pool, { pollIntervalMs: 250, wsUrl: cluster.wsUrl, rpcRetryDelayMs: 100, recover: true, ...options.keeper });
  const keeper = new Keeper(cluster.rpc, world.keeper.signer, settings, new KeeperMetrics(), createLogger(process.env.STRATA_KEEPER_LOG ?? 'silent'));
  const signatures: string[] = [];
  keeper.onAction(({ action, outcome }) => {
    if (action === 'recover' && outcome.status === 'landed') signatures.push(outcome.signature);
  });
  const stop = new AbortController();
  const running = keeper.run(stop.signal);
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  try {
    await keepFresh();
    while (Date.now() < deadline && (await held(cluster, world)).size > 0) {
      await sleep(500);
      await keepFresh();
    }
    await Promise.race([keeper.idle(), sleep(10_000)]);
  } finally {
    stop.abort();
    await running;
  }
  const figures: RecoveryFigures = { sales: 0, collateralSold: new Map(), notesRecovered: 0n, discountPaid: 0n, heldAfter: await held(cluster, world) };
  for (const signature of signatures) {
    const { events } = await transactionEvents(cluster.rpc, signature as Signature);
    for (const { data } of events.filter(isEvent('CollateralRecovered'))) {
      figures.sales += 1;
      figures.collateralSold.set(data.collateralIndex, (figures.collateralSold.get(data.collateralIndex) ?? 0n) + data.collateralOut);
      figures.notesRecovered += data.notesIn;
      // price_wad is spot less the discount: spot value = out × price / (1 − d).
      const atSpot = (data.collateralOut * data.priceWad * 10_000n) / (WAD * (10_000n - BigInt(data.discountBps)));
      figures.discountPaid += atSpot - data.notesIn;
    }
  }
  return figures;
}
