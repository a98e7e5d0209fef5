/**
 * A slot's first cycle, on the real local cluster: when the next slot opens, the
 * actions of the last plan not started yet are dropped (`strata_keeper_actions_dropped_total`)
 * and planned again with the positions liquidated in the slot just closed, so the
 * positions with the most rounds left go first and take theirs one a slot. Sends are
 * slowed (one at a time, 40 ms each, one position a transaction) so that every plan
 * outlasts its slot, as a 10,000-position clearing's do.
 */
import { createDefaultRpcTransport, createSolanaRpcFromTransport, type RpcTransport } from '@solana/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { fetchPosition } from '../../admin/chain.js';
import { Keeper, keeperOptions, type ActionReport } from '../../keeper/keeper.js';
import { createLogger } from '../../keeper/log.js';
import { KeeperMetrics } from '../../keeper/metrics.js';
import { openBook, type Participant } from '../../sim/book.js';
import { startCluster, type Cluster } from '../../sim/cluster.js';
import { publishPrice } from '../../sim/prices.js';
import { buildWorld, type World } from '../../sim/world.js';
import { sleep } from './scene.js';

const SOL = 1_000_000_000n;
const quiet = createLogger('silent');
const SEND_DELAY_MS = 40;

describe("a new slot's cycle, on the real local cluster", () => {
  let cluster: Cluster;
  let world: World;
  let deep: Participant[];
  let shallow: Participant[];

  beforeAll(async () => {
    cluster = await startCluster();
    if (!cluster.local) return;
    world = await buildWorld(cluster);
    // wSOL at $150, ltv 60%, threshold 80%: a fall to $90 leaves a position at 95% of
    // its limit at health 0.8 / 0.95 ≈ 0.84, several rounds deep (the close factor
    // repays part of the debt a round), and one at 85% at 0.94, about one round.
    const book = await openBook(cluster, world.state, world.authority, [
      ...Array.from({ length: 2 }, () => ({ deposits: { wSOL: 10n * SOL }, leverage: 0.95 })),
      ...Array.from({ length: 12 }, () => ({ deposits: { wSOL: 1n * SOL }, leverage: 0.85 })),
    ]);
    deep = book.slice(0, 2);
    shallow = book.slice(2);
    await publishPrice(cluster, world.state, 'wSOL', 15_000_000_000n, -8);
    await publishPrice(cluster, world.state, 'tBILL', 100_000_000n, -8);
  }, 600_000);
  afterAll(async () => cluster?.stop());

  it('drops the unsent line of the slot just closed and plans it again: nothing lost, the deepest positions a round a slot', async () => {
    if (!cluster.local || !cluster.wsUrl) return;
    const base = createDefaultRpcTransport({ url: cluster.url });
    const slowSends: RpcTransport = async (request) => {
      if ((request.payload as { method: string }).method === 'sendTransaction') await sleep(SEND_DELAY_MS);
      return base(request);
    };
    const metrics = new KeeperMetrics();
    const options = keeperOptions(world.state.pool, { wsUrl: cluster.wsUrl, pollIntervalMs: 1_000, rpcRetryDelayMs: 10, maxInFlight: 1, maxPositionsPerTx: 1, lookupTables: false });
    const keeper = new Keeper(createSolanaRpcFromTransport(slowSends), world.keeper.signer, options, metrics, quiet);
    const reports: ActionReport[] = [];
    keeper.onAction((report) => reports.push(report));
    const stop = new AbortController();
    let clearedAt: number | undefined;
    const running = keeper.run(stop.signal, (cycle) => {
      if (reports.length > 0 && cycle.unhealthy === 0 && keeper.inFlight().length === 0) clearedAt ??= Date.now();
    });
    await sleep(1_500);
    await publishPrice(cluster, world.state, 'wSOL', 9_000_000_000n, -8);
    for (let waited = 0; clearedAt === undefined && waited < 60_000; waited += 100) await sleep(100);
    stop.abort();
    await running;
    expect(clearedAt).toBeDefined();

    // Every action landed: a dropped one was never sent, and planned again.
    expect(reports.length).toBeGreaterThan(deep.length + shallow.length);
    expect(reports.every((r) => r.outcome.status === 'landed')).toBe(true);
    const dropped = (await metrics.actionsDropped.get()).values[0]?.value ?? 0;
    expect(dropped).toBeGreaterThan(0);
    // Every position was liquidated since the price fell.
    const firstSlot = reports.reduce((first, r) => (r.outcome.status === 'landed' && r.outcome.slot < first ? r.outcome.slot : first), BigInt(Number.MAX_SAFE_INTEGER));
    for (const p of [...deep, ...shallow]) expect((await fetchPosition(cluster.rpc, p.position))!.lastLiquidatedSlot).toBeGreaterThanOrEqual(firstSlot);

    // The deep positions' rounds came one a slot, one after another.
    for (const p of deep) {
      const signatures = await cluster.rpc.getSignaturesForAddress(p.position).send();
      const rounds = signatures.filter((s) => s.err === null && s.slot >= firstSlot).map((s) => s.slot);
      const slots = [...new Set(rounds)].sort((a, b) => (a < b ? -1 : 1));
      expect(slots).toHaveLength(rounds.length);
      expect(slots.length).toBeGreaterThanOrEqual(3);
      expect(slots.at(-1)! - slots[0]!).toBe(BigInt(slots.length - 1));
    }
  }, 180_000);
});
