/**
 * Running the keeper through a crash: starts it in-process against the cluster, runs
 * `crash` (which moves prices through the oracle and resolves once the last move has
 * landed), keeps the feeds fresh with `keepFresh` as publishers would, and stops once
 * a keeper cycle that began after the last move finds nothing liquidatable. Every
 * action counts, even one of a cycle that began while the move was in flight.
 */
import { Keeper, keeperOptions, type CycleReport, type KeeperOptions } from '../keeper/keeper.js';
import { createLogger } from '../keeper/log.js';
import { KeeperMetrics } from '../keeper/metrics.js';
import type { Cluster } from './cluster.js';
import type { World } from './world.js';

export type CrashOutcome = {
  /** From the last move landing to the book found clear; undefined if it never was. */
  secondsToClear?: number;
  /** Positions liquidated in part (per liquidation), settled whole, absorbed. */
  batch: number;
  settle: number;
  absorb: number;
  /** Recovery sales (a keeper run with `recover`). */
  recover: number;
  transactions: number;
  failed: number;
  cycles: number;
  /** Liquidatable positions the last cycle found. */
  lastUnhealthy: number;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runKeeperThrough(
  cluster: Cluster,
  world: World,
  crash: () => Promise<void>,
  keepFresh: () => Promise<void>,
  options: { keeper?: Partial<KeeperOptions>; warmUpMs?: number; timeoutMs?: number } = {},
): Promise<CrashOutcome> {
  const settings = keeperOptions(world.state.pool, { pollIntervalMs: 250, wsUrl: cluster.wsUrl, rpcRetryDelayMs: 100, ...options.keeper });
  const keeper = new Keeper(cluster.rpc, world.keeper.signer, settings, new KeeperMetrics(), createLogger(process.env.STRATA_KEEPER_LOG ?? 'silent'));
  const outcome: CrashOutcome = { batch: 0, settle: 0, absorb: 0, recover: 0, transactions: 0, failed: 0, cycles: 0, lastUnhealthy: 0 };
  let landed = Number.POSITIVE_INFINITY;
  let clearedAt: number | undefined;
  const onCycle = (report: CycleReport) => {
    outcome.cycles += 1;
    outcome.lastUnhealthy = report.unhealthy;
    if (report.startedAt >= landed && report.unhealthy === 0) clearedAt ??= Date.now();
  };
  keeper.onAction(({ action, positions, outcome: result }) => {
    if (result.status === 'landed') {
      outcome[action] += positions;
      outcome.transactions += 1;
    } else outcome.failed += 1;
  });
  const stop = new AbortController();
  const running = keeper.run(stop.signal, onCycle);
  try {
    await sleep(options.warmUpMs ?? 0);
    outcome.cycles = 0;
    await crash();
    landed = Date.now();
    const deadline = landed + (options.timeoutMs ?? 120_000);
    while (clearedAt === undefined && Date.now() < deadline) {
      await sleep(500);
      await keepFresh();
    }
    // Actions still in flight finish before the counts are read.
    await Promise.race([keeper.idle(), sleep(10_000)]);
  } finally {
    stop.abort();
    await running;
  }
  return { ...outcome, secondsToClear: clearedAt === undefined ? undefined : (clearedAt - landed) / 1_000 };
}
