/**
 * The keeper process through outages, signals, crashes, bad oracles and rivals, on the
 * real local cluster, behind the fault proxy:
 *
 * - /healthz follows the documented rule exactly (200 while the last completed scan
 *   is at most five poll intervals old) through an outage and back: 503 at most
 *   5 × poll + 0.5 s after the RPC goes down, 200 again within 5 s of its recovery;
 *   the silent slot subscription is dropped and made again;
 * - SIGTERM (and SIGINT) stop it within one second while requests hang, a transaction
 *   in flight named in the log as left to land or expire;
 * - kill -9 mid-crash and a restart: the book is cleared (within 20 s of the restart),
 *   the transaction in flight at the kill lands once and is never sent again, every
 *   note the keeper burned is accounted for by its events;
 * - one collateral's oracle broken: the other's positions are cleared (within 20 s),
 *   the keeper stays up and healthy;
 * - three keepers racing on one book: cleared within 20 s, no keeper burned a note
 *   its events do not account for, and none paid a lamport for a transaction that did
 *   not land (refusals come at preflight, free).
 */
import { getBase64Decoder } from '@solana/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { advanceClock, rpcCall } from '../../admin/dev.js';
import { buildWorld } from '../../sim/world.js';
import { startCluster, type Cluster } from '../../sim/cluster.js';
import { startFaultProxy, type FaultProxy } from '../../sim/fault-proxy.js';
import { keeperKeypair, metricSum, type KeeperProcess } from '../../sim/keeper-process.js';
import { publishPrice } from '../../sim/prices.js';
import {
  bookedWorld,
  chainOutcomes,
  clearing,
  crash,
  eventually,
  expectHonestCounts,
  healthy,
  NOTE,
  noteBalance,
  POLL_MS,
  ready,
  sleep,
  spentByLanded,
  startKeeper,
  STEP_MS,
} from './scene.js';

const HEALTH_WINDOW_MS = 5 * POLL_MS;

describe('the keeper process through outages, signals, crashes, bad oracles and rivals', () => {
  let cluster: Cluster;
  const proxies: FaultProxy[] = [];
  const keepers: KeeperProcess[] = [];
  const proxy = async (...args: Parameters<typeof startFaultProxy> extends [string, ...infer Rest] ? Rest : never) => {
    const started = await startFaultProxy(cluster.url, { upstreamWs: cluster.wsUrl, ...args[0] });
    proxies.push(started);
    return started;
  };
  const keeper = async (...args: Parameters<typeof startKeeper>) => {
    const started = await startKeeper(...args);
    keepers.push(started);
    return started;
  };

  beforeAll(async () => {
    cluster = await startCluster();
  }, 600_000);
  afterAll(async () => {
    for (const k of keepers) k.child.kill('SIGKILL');
    for (const p of proxies) await p.close();
    await cluster?.stop();
  });

  it('/healthz: 503 before a scan and once scans stop for five poll intervals, 200 again soon after the RPC recovers; SIGINT stops it within 1 s', async () => {
    if (!cluster.local) return;
    const world = await buildWorld(cluster);
    const rpc = await proxy({ plan: { down: true } });
    const k = await keeper(cluster, world, rpc, { notes: 0n });
    const first = await k.healthz();
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ status: 'stale', lastScanAgeMs: null, maxScanAgeMs: HEALTH_WINDOW_MS });

    let healed = Date.now();
    rpc.setPlan({});
    await eventually('200 after the RPC came up', async () => (await k.healthz()).status === 200, 10_000, 50);
    const firstRecovery = Date.now() - healed;

    // Down: scans stop completing. Every answer obeys the rule, and 503 comes once
    // the last scan is five poll intervals old.
    const lost = () => k.logs().filter((line) => line.msg === 'slot subscription lost; polling until it is back').length;
    const lostBefore = lost();
    rpc.setPlan({ down: true });
    const down = Date.now();
    let staleAt: number | undefined;
    while (staleAt === undefined && Date.now() - down < 5_000) {
      const { status, body } = await k.healthz();
      const age = body.lastScanAgeMs as number;
      expect(status === 200, `status ${status} at scan age ${age} ms`).toBe(age <= HEALTH_WINDOW_MS);
      if (status === 503) staleAt = Date.now();
      else await sleep(25);
    }
    expect(staleAt, 'went 503').toBeDefined();
    expect(staleAt! - down).toBeLessThanOrEqual(HEALTH_WINDOW_MS + 500);
    // The slot subscription went silent too: dropped after 2 s, made again later.
    await eventually('slot subscription given up', async () => lost() > lostBefore, 5_000);
    const subscribed = () => k.logs().filter((line) => line.msg === 'cycles follow slot notifications').length;
    const subscriptionsBefore = subscribed();

    healed = Date.now();
    rpc.setPlan({});
    await eventually('200 after the RPC recovered', async () => (await k.healthz()).status === 200, 10_000, 50);
    expect(firstRecovery).toBeLessThanOrEqual(5_000);
    expect(Date.now() - healed).toBeLessThanOrEqual(5_000);
    await eventually('slot subscription made again', async () => subscribed() > subscriptionsBefore, 10_000);

    // Down again, requests hanging: SIGINT stops it as promptly as SIGTERM.
    rpc.setPlan({ down: true });
    await sleep(300);
    const stopped = await k.stop('SIGINT');
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(1_000);
  }, 90_000);

  it('SIGTERM stops it within 1 s while requests hang, naming the transaction left in flight', async () => {
    if (!cluster.local) return;
    const world = await bookedWorld(cluster, 20);
    const rpc = await proxy({ plan: {} });
    let held: string | undefined;
    const k = await keeper(cluster, world, rpc);
    await ready(k);
    // The first liquidation's send is held forever: it is in flight, its fate unknown.
    rpc.onRequest(({ method, signature }) => {
      if (method !== 'sendTransaction' || (held !== undefined && held !== signature)) return;
      held = signature;
      return new Promise<void>(() => {});
    });
    await crash(cluster, world);
    await eventually('a transaction in flight', async () => held, 10_000);
    rpc.setPlan({ down: true }); // and every other request hangs too
    await sleep(300);
    const stopped = await k.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(1_000);
    const logs = k.logs();
    const left = logs.filter((line) => line.msg === 'left in flight');
    expect(left.map((line) => line.signature)).toContain(held);
    expect(left.find((line) => line.signature === held)).toMatchObject({ sent: true });
    expect(logs.find((line) => line.msg === 'keeper stopped')).toMatchObject({ inFlight: left.length });
  }, 60_000);

  it('kill -9 mid-crash and a restart: cleared, the transaction in flight lands once and is not sent again, every note accounted for', async () => {
    if (!cluster.local) return;
    const world = await bookedWorld(cluster);
    const rpc = await proxy({ plan: {} });
    const keypair = await keeperKeypair(cluster);
    let first: KeeperProcess | undefined;
    let inFlightAtKill: string | undefined;
    let sends = 0;
    const notesBefore = 20_000n * NOTE;
    first = await keeper(cluster, world, rpc, { keypair, notes: notesBefore });
    // Armed once the keeper's own lookup-table transactions are done (armed at its
    // start, the third send was a table's, killing it before the crash and at times
    // before it was seen healthy).
    await ready(first);
    // At the third liquidation send, the keeper dies with that request in the air; the
    // request then reaches the cluster.
    rpc.onRequest(async ({ method, signature }) => {
      if (method !== 'sendTransaction' || ++sends !== 3) return;
      inFlightAtKill = signature;
      await first!.stop('SIGKILL');
    });
    await crash(cluster, world);
    const killed = await first.exited;
    expect(killed.signal).toBe('SIGKILL');
    rpc.onRequest(undefined);
    // Requests it wrote just before dying reach the proxy, then the count is taken.
    await sleep(300);
    const sentByFirst = rpc.sentSignatures().length;

    const restart = await keeper(cluster, world, rpc, { keypair, notes: 0n });
    const restarted = Date.now();
    const cleared = await clearing(cluster, world, restarted, 20_000);
    expect(cleared.seconds, `${cleared.left} still liquidatable`).toBeDefined();

    // The restarted keeper's own counts are honest about what it sent.
    await expectHonestCounts(cluster, restart, () => rpc.sentSignatures().slice(sentByFirst));
    const all = rpc.sentSignatures();
    const sentBySecond = all.slice(sentByFirst);
    const chain = await chainOutcomes(cluster, all);
    expect(chain.landed.has(inFlightAtKill!), 'the transaction in flight at the kill landed').toBe(true);
    expect((await spentByLanded(cluster, keypair.signer.address, [inFlightAtKill!])).notes, 'the transaction in flight at the kill was a liquidation').toBeGreaterThan(0n);
    expect(sentBySecond, 'the restarted keeper never sent it again').not.toContain(inFlightAtKill);
    expect(chain.failed.size).toBe(0);
    const burned = notesBefore - (await noteBalance(cluster, world, keypair.signer.address));
    expect(burned).toBeGreaterThan(0n);
    expect((await spentByLanded(cluster, keypair.signer.address, chain.landed)).notes).toBe(burned);
  }, 90_000);

  it('one collateral\'s oracle broken: the other\'s positions are cleared and the keeper stays up', async () => {
    if (!cluster.local) return;
    const world = await bookedWorld(cluster);
    const rpc = await proxy({ plan: {} });
    const k = await keeper(cluster, world, rpc);
    await healthy(k);
    // tBILL's oracle account turns to garbage, and its cached price goes stale: no
    // position holding tBILL can be valued any more.
    const tbill = world.state.collaterals.tBILL!;
    const garbage = getBase64Decoder().decode(new Uint8Array(256).fill(7));
    await rpcCall(cluster.url, 'strata_setAccount', [tbill.oracle, { lamports: 10_000_000, data: garbage }]);
    await advanceClock(cluster.url, 120);
    const wsol = (dollars: number) => publishPrice(cluster, world.state, 'wSOL', BigInt(dollars) * 100_000_000n, -8);
    for (const price of [130, 110, 95, 80, 70, 60]) {
      await wsol(price);
      await sleep(STEP_MS);
    }
    const since = Date.now();
    const cleared = await clearing(cluster, world, since, 20_000, () => wsol(60));
    expect(cleared.seconds, `${cleared.left} wSOL positions still liquidatable`).toBeDefined();
    expect(k.child.exitCode).toBeNull();
    expect((await k.healthz()).status).toBe(200);
    const samples = await k.metrics();
    expect(metricSum(samples, 'strata_keeper_positions_skipped_total', { reason: 'StalePrice' })).toBeGreaterThan(0);
    expect(metricSum(samples, 'strata_keeper_liquidations_landed_total')).toBeGreaterThan(0);
    expect(k.logs().some((line) => line.msg === 'oracle unreadable; using the cached price')).toBe(true);
    await expectHonestCounts(cluster, k, () => rpc.sentSignatures());
  }, 90_000);

  it('three keepers racing on one book: cleared, no keeper lost notes, refusals cost no fees', async () => {
    if (!cluster.local) return;
    const world = await bookedWorld(cluster, 60);
    const notes = 15_000n * NOTE;
    const racers = [];
    for (let i = 0; i < 3; i++) {
      const rpc = await proxy({ plan: {} });
      const k = await keeper(cluster, world, rpc, { notes });
      racers.push({ rpc, keeper: k, lamports: (await cluster.rpc.getBalance(k.signer.address).send()).value });
    }
    for (const { keeper: k } of racers) await healthy(k);
    const since = await crash(cluster, world);
    const cleared = await clearing(cluster, world, since, 20_000);
    expect(cleared.seconds, `${cleared.left} still liquidatable`).toBeDefined();
    let refused = 0;
    for (const { rpc, keeper: k, lamports } of racers) {
      const { counts, chain } = await expectHonestCounts(cluster, k, () => rpc.sentSignatures());
      refused += counts.failed;
      expect(counts.reasons).not.toContain('StatusUnknown');
      const address = k.signer.address;
      const spent = await spentByLanded(cluster, address, chain.landed);
      // Every note it burned, and every lamport it paid, went into transactions that
      // landed: its refused ones cost nothing.
      expect(spent.notes, `notes of ${address}`).toBe(notes - (await noteBalance(cluster, world, address)));
      expect(spent.lamports, `lamports of ${address}`).toBe(lamports - (await cluster.rpc.getBalance(address).send()).value);
    }
    console.info(`three keepers: cleared ${cleared.seconds!.toFixed(1)} s after the last step, ${refused} refusals between them`);
  }, 90_000);
});
