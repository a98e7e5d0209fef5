/**
 * The replay on the cluster. For every step of the path: the cluster's clock is moved
 * to the step's time (6 hours apart, through the dev method, so fees accrue and prices
 * age as in real time), the oracles publish the step's prices, and the keeper works
 * in rounds, one slot apart (the program liquidates a position at most once per slot),
 * until a round finds nothing it can do. Then the tranche holders act, and at each
 * day's close the fees are distributed and the coverage test runs. A row per step.
 */
import type { Address } from '@solana/kit';

import { clusterClock, transactionEvents } from '../admin/chain.js';
import { advanceClock } from '../admin/dev.js';
import { isEvent, tx } from '../src/index.js';
import { Keeper, keeperOptions } from '../keeper/keeper.js';
import { createLogger } from '../keeper/log.js';
import { KeeperMetrics } from '../keeper/metrics.js';
import { publishPrice, refreshInstructions } from '../sim/prices.js';
import { snapshot } from '../sim/snapshot.js';
import type { BacktestConfig } from './config.js';
import { Holders } from './holders.js';
import { pythMantissa, STEP_SECONDS, type PathStep } from './path.js';
import { stepRow, trancheRows, type StepRow } from './rows.js';
import { ReplaySender } from './send.js';
import type { Scene } from './setup.js';

const NOTE = 1_000_000;

/** Moves the cluster's clock to `target` (unix seconds) unless it is already past it. */
async function clockTo(scene: Scene, target: bigint): Promise<void> {
  const { unixTimestamp } = await clusterClock(scene.cluster.rpc);
  if (target > unixTimestamp) await advanceClock(scene.cluster.url, Number(target - unixTimestamp));
}

/** Publishes the step's prices and refreshes the pool's cache, as the oracle's
 * publishers and any cranker would (the tranches' NAV reads the cache). */
async function publish(scene: Scene, sender: ReplaySender, step: PathStep): Promise<void> {
  for (const [name, price] of Object.entries(step.prices)) await publishPrice(scene.cluster, scene.state, name, pythMantissa(price), -8);
  await sender.send(scene.authority, await refreshInstructions(scene.state));
}

async function distributeAndCheck(scene: Scene, sender: ReplaySender): Promise<bigint> {
  const { cluster, state, authority } = scene;
  const distribute = await tx.distribute({ pool: state.pool, trancheCount: state.tranches.length, treasury: state.treasury });
  const signature = await sender.send(authority, distribute.instructions);
  const { events } = await transactionEvents(cluster.rpc, signature);
  const coverage = await tx.checkCoverage({ pool: state.pool, trancheCount: state.tranches.length });
  await sender.send(authority, [...(await refreshInstructions(state)), ...coverage.instructions]);
  return events.filter(isEvent('IncomeDistributed')).reduce((sum, e) => sum + e.data.fees, 0n);
}

export type ReplayOptions = {
  onRow?: (row: StepRow) => void;
  /** Unix seconds of the first step (default: the cluster's clock when the replay
   * starts); step `i` is at `t0 + i × 6 h`. The agreement test gives the model and the
   * chain the same `t0`. */
  t0?: bigint;
  /** The keeper sends one action at a time, in its planner's order (compare.ts). */
  inOrder?: boolean;
};

export async function replayOnChain(scene: Scene, config: BacktestConfig, steps: readonly PathStep[], options: ReplayOptions = {}): Promise<StepRow[]> {
  const { cluster, state } = scene;
  const keeper = new Keeper(
    cluster.rpc,
    scene.keeper.signer,
    keeperOptions(state.pool as Address, {
      pollIntervalMs: 250,
      rpcRetryDelayMs: 100,
      recover: config.keeper.recover,
      minProfit: BigInt(Math.round(config.keeper.minProfitUsd * NOTE)),
      // Compared with the model: one action at a time, so they land in the order the
      // planner made them, as the model (model.ts) applies them (with several in flight,
      // absorptions competing for the tranches' last notes land in whatever order their
      // sends finished). Otherwise the keeper's own default, as in production.
      ...(options.inOrder ? { maxInFlight: 1 } : {}),
      // Legacy-sized batches, as the model plans them (it has no lookup tables): the
      // replay measures the protocol on the path, not the keeper's transport.
      lookupTables: false,
    }),
    new KeeperMetrics(),
    createLogger(process.env.STRATA_KEEPER_LOG ?? 'silent'),
  );
  const counts = { batch: 0, settle: 0, absorb: 0, recover: 0 };
  keeper.onAction(({ action, positions, outcome }) => {
    if (outcome.status === 'landed') counts[action] += positions;
  });
  const start = await snapshot(cluster, state);
  const sender = new ReplaySender(cluster);
  const holders = new Holders(scene, sender, trancheRows(start.tranches).map((t) => t.sharePrice), config.holders.redeemOnDropPct);
  const t0 = options.t0 ?? (await clusterClock(cluster.rpc)).unixTimestamp;
  const rows: StepRow[] = [];
  for (const step of steps) {
    await clockTo(scene, t0 + BigInt(step.index * STEP_SECONDS));
    await publish(scene, sender, step);
    Object.assign(counts, { batch: 0, settle: 0, absorb: 0, recover: 0 });
    let rounds = 0;
    let liquidatableAfter = 0;
    for (; rounds < config.keeper.maxRounds; ) {
      const report = await keeper.cycle();
      await keeper.idle();
      rounds += 1;
      liquidatableAfter = report.unhealthy;
      if (report.planned === 0) break;
      // The next round reads what this one landed (its scan reads closed slots) and
      // runs in a later slot: a position is liquidated at most once per slot.
      await sender.settled();
    }
    const before = trancheRows((await snapshot(cluster, state)).tranches);
    const redemptions = await holders.act(before.map((t) => t.sharePrice));
    const fees = config.distributeDaily && step.kind === 'close' ? await distributeAndCheck(scene, sender) : 0n;
    const after = await snapshot(cluster, state);
    const tranches = trancheRows(after.tranches);
    const row = stepRow(step, after.now, after.pool, tranches, { counts, rounds, liquidatableAfter, fees, redemptions });
    rows.push(row);
    options.onRow?.(row);
  }
  return rows;
}
