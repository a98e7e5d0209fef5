import { Writable } from 'node:stream';

import {
  createDefaultRpcTransport,
  createSolanaRpcFromTransport,
  SolanaError,
  SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR,
  type Address,
  type RpcTransport,
} from '@solana/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { Keeper, keeperOptions, type ActionReport, type KeeperOptions } from '../../keeper/keeper.js';
import { createLogger } from '../../keeper/log.js';
import { KeeperMetrics } from '../../keeper/metrics.js';
import { scanPositions } from '../../keeper/scanner.js';
import { openBook, type Participant } from '../../sim/book.js';
import { startCluster, type Cluster } from '../../sim/cluster.js';
import { publishPrice } from '../../sim/prices.js';
import { buildWorld, type World } from '../../sim/world.js';

const SOL = 1_000_000_000n;
const quiet = createLogger('silent');

const options = (world: World, overrides: Partial<KeeperOptions> = {}): KeeperOptions =>
  keeperOptions(world.state.pool, { pollIntervalMs: 200, rpcRetryDelayMs: 10, ...overrides });

async function positionState(cluster: Cluster, pool: Address) {
  const positions = await scanPositions(cluster.rpc, pool);
  return new Map(positions.map((p) => [p.address, p]));
}

describe('keeper against the real local cluster', () => {
  let cluster: Cluster;
  let world: World;
  let risky: Participant[];
  let safe: Participant[];

  beforeAll(async () => {
    cluster = await startCluster();
    if (!cluster.local) return;
    world = await buildWorld(cluster);
    // wSOL at $150 with ltv 60% and threshold 80%: at 95% of the limit, health is
    // 0.8 / (0.6 × 0.95) ≈ 1.40; a fall to $100 (−33%) makes it 0.94. At 30% of the
    // limit (health 4.4) the same fall leaves it at 2.96.
    const book = await openBook(cluster, world.state, world.authority, [
      ...Array.from({ length: 6 }, () => ({ deposits: { wSOL: 10n * SOL }, leverage: 0.95 })),
      ...Array.from({ length: 4 }, () => ({ deposits: { wSOL: 10n * SOL }, leverage: 0.3 })),
    ]);
    risky = book.slice(0, 6);
    safe = book.slice(6);
    await publishPrice(cluster, world.state, 'wSOL', 10_000_000_000n, -8);
    await publishPrice(cluster, world.state, 'tBILL', 100_000_000n, -8);
  }, 600_000);
  afterAll(async () => cluster?.stop());

  it('in a dry run simulates the liquidations and sends nothing', async () => {
    if (!cluster.local) return;
    const before = await positionState(cluster, world.state.pool);
    const keeper = new Keeper(cluster.rpc, world.keeper.signer, options(world, { dryRun: true }), new KeeperMetrics(), quiet);
    const actions: ActionReport[] = [];
    keeper.onAction((action) => actions.push(action));
    const report = await keeper.cycle();
    await keeper.idle();
    expect(report.unhealthy).toBe(risky.length);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.length).toBe(report.planned);
    expect(actions.every((a) => a.outcome.status === 'simulated' && a.outcome.ok)).toBe(true);
    expect(await positionState(cluster, world.state.pool)).toEqual(before);
  }, 60_000);

  it('liquidates every unhealthy position and never a healthy one, retrying failed RPC calls', async () => {
    if (!cluster.local) return;
    const before = await positionState(cluster, world.state.pool);
    // A transport that fails the first call of every method once, as an overloaded
    // server would (HTTP 503, worth retrying).
    const failedOnce = new Set<string>();
    const base = createDefaultRpcTransport({ url: cluster.url });
    const flaky: RpcTransport = async (request) => {
      const method = (request.payload as { method: string }).method;
      if (!failedOnce.has(method)) {
        failedOnce.add(method);
        throw new SolanaError(SOLANA_ERROR__RPC__TRANSPORT_HTTP_ERROR, { headers: new Headers(), message: `injected failure of ${method}`, statusCode: 503 });
      }
      return base(request);
    };
    const metrics = new KeeperMetrics();
    const keeper = new Keeper(createSolanaRpcFromTransport(flaky), world.keeper.signer, options(world), metrics, quiet);
    let unhealthy = Infinity;
    for (let cycle = 0; cycle < 20 && unhealthy > 0; cycle++) {
      const report = await keeper.cycle();
      await keeper.idle();
      unhealthy = report.unhealthy;
      if (unhealthy > 0) await new Promise((resolve) => setTimeout(resolve, 450)); // next slot
    }
    expect(unhealthy).toBe(0);
    const after = await positionState(cluster, world.state.pool);
    for (const p of risky) {
      const was = before.get(p.position)!;
      const is = after.get(p.position);
      // Either fully repaid (gone from the indebted set) or with less debt.
      expect(is === undefined || is.debtShares < was.debtShares).toBe(true);
    }
    for (const p of safe) expect(after.get(p.position)).toEqual(before.get(p.position));
    expect((await metrics.rpcErrors.get()).values.reduce((sum, v) => sum + v.value, 0)).toBeGreaterThan(0);
    const landed = (await metrics.landed.get()).values.reduce((sum, v) => sum + v.value, 0);
    expect(landed).toBeGreaterThanOrEqual(risky.length);
  }, 120_000);

  it('rehearses its liquidation path once, while nothing is liquidatable, sending nothing for it', async () => {
    if (!cluster.local) return;
    const before = await positionState(cluster, world.state.pool);
    const lines: Record<string, unknown>[] = [];
    const log = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
          done();
        },
      }),
    );
    const metrics = new KeeperMetrics();
    const keeper = new Keeper(cluster.rpc, world.keeper.signer, options(world, { lookupTables: false }), metrics, log);
    // The previous test liquidated every unhealthy position.
    expect((await keeper.cycle()).unhealthy).toBe(0);
    await vi.waitFor(async () => expect((await metrics.rehearsed.get()).values[0]?.value).toBe(1), { timeout: 20_000, interval: 50 });
    await keeper.cycle();
    await keeper.idle();
    const rehearsals = lines.filter((line) => line.msg === 'liquidation path rehearsed');
    expect(rehearsals).toHaveLength(1);
    // At half the price the liquidated positions are liquidatable again: planned, built
    // and signed, never sent.
    expect(rehearsals[0]!.liquidatable).toBeGreaterThan(0);
    expect(rehearsals[0]!.signed).toBeGreaterThan(0);
    expect((await metrics.transactionsSent.get()).values.reduce((sum, v) => sum + v.value, 0)).toBe(0);
    expect(await positionState(cluster, world.state.pool)).toEqual(before);
  }, 60_000);

  it('with a WebSocket endpoint starts a cycle on every new slot, not only every poll interval', async () => {
    if (!cluster.local || !cluster.wsUrl) return;
    const cycles = async (wsUrl: string | undefined) => {
      const keeper = new Keeper(cluster.rpc, world.keeper.signer, options(world, { pollIntervalMs: 60_000, wsUrl }), new KeeperMetrics(), quiet);
      let count = 0;
      const stop = new AbortController();
      const running = keeper.run(stop.signal, () => (count += 1));
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      stop.abort();
      await running;
      return count;
    };
    // A 60 s poll interval allows one cycle in 3 s; 400 ms slots allow about seven.
    expect(await cycles(undefined)).toBe(1);
    expect(await cycles(cluster.wsUrl)).toBeGreaterThanOrEqual(4);
  }, 60_000);
});
