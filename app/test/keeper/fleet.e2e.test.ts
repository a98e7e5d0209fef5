/**
 * The keeper at fleet scale, on the real local cluster:
 *
 * - a `liquidate_batch` through the keeper's address lookup tables carries 48
 *   positions drawn from two tables in one v0 transaction (a legacy one cannot),
 *   simulates to the same logs as the same instructions sent legacy-sized, and lands
 *   as planned;
 * - with polling and slot cycles out of the way, an oracle account notification
 *   starts the cycle that liquidates;
 * - three keeper processes sharded 0/3, 1/3, 2/3 with heartbeats: one is killed, the
 *   next shard takes its positions over, the crash is cleared, each keeper acted only
 *   for its shards, and every note each burned bought collateral worth at least as
 *   much at the prices of the moment.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { compileTransactionMessage, compressTransactionMessageUsingAddressLookupTables, type Address, type Blockhash, type Signature } from '@solana/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Executor, actionInstructions, fitsInTransaction } from '../../keeper/executor.js';
import { shardOf } from '../../keeper/fleet.js';
import { Keeper, keeperOptions, type ActionReport } from '../../keeper/keeper.js';
import { createLogger } from '../../keeper/log.js';
import { LookupTables, poolFixedAccounts } from '../../keeper/lookup-tables.js';
import { readMarket } from '../../keeper/market.js';
import { KeeperMetrics } from '../../keeper/metrics.js';
import { maxRepayOf, planActions, type Action } from '../../keeper/planner.js';
import { scanPositions } from '../../keeper/scanner.js';
import { sendInstructions } from '../../admin/send.js';
import { collateralValue, isEvent, parseEventLogs } from '../../src/index.js';
import { transactionMessage } from '../../src/message.js';
import { openBook } from '../../sim/book.js';
import { startCluster, type Cluster } from '../../sim/cluster.js';
import { startFaultProxy, type FaultProxy } from '../../sim/fault-proxy.js';
import type { KeeperProcess } from '../../sim/keeper-process.js';
import { publishPrice } from '../../sim/prices.js';
import { buildWorld, type World } from '../../sim/world.js';
import { bookedWorld, clearing, crash, eventually, expectHonestCounts, healthy, NOTE, noteBalance, sleep, startKeeper } from './scene.js';

const SOL = 1_000_000_000n;
const quiet = createLogger('silent');
const usd = (dollars: number) => BigInt(dollars) * 100_000_000n;

/** A pool whose `count` positions (10 wSOL at 95% of the limit) a fall to $100 makes liquidatable. */
async function riskyWorld(cluster: Cluster, count: number): Promise<World> {
  const world = await buildWorld(cluster, { keeperNotes: 400_000n * NOTE });
  await openBook(cluster, world.state, world.authority, Array.from({ length: count }, () => ({ deposits: { wSOL: 10n * SOL }, leverage: 0.95 })));
  return world;
}

/** What a keeper's landed transactions did, by their events: the positions they
 * liquidated or absorbed, the notes they repaid, and the collateral they seized valued
 * at the price its own transaction refreshed (`OracleRefreshed`) — what it was worth
 * when the keeper paid for it. */
async function keeperLedger(cluster: Cluster, signatures: Iterable<string>): Promise<{ positions: Address[]; repaid: bigint; seizedValue: bigint }> {
  const ledger = { positions: [] as Address[], repaid: 0n, seizedValue: 0n };
  for (const signature of new Set(signatures)) {
    const found = await cluster.rpc
      .getTransaction(signature as Signature, { encoding: 'base64', maxSupportedTransactionVersion: 0, commitment: 'confirmed' })
      .send();
    if (!found?.meta || found.meta.err !== null) continue;
    const events = parseEventLogs(found.meta.logMessages ?? []);
    const prices = new Map(events.filter(isEvent('OracleRefreshed')).map((e) => [e.data.collateralIndex, e.data.priceWad]));
    const value = (index: number, amount: bigint) => {
      if (amount === 0n) return 0n;
      const price = prices.get(index);
      if (price === undefined) throw new Error(`${signature}: collateral ${index} seized without a refresh in its transaction`);
      return collateralValue(amount, price);
    };
    for (const event of events.filter(isEvent('BatchLiquidated'))) {
      ledger.repaid += event.data.repaid;
      ledger.seizedValue += value(event.data.collateralIndex, event.data.seized);
    }
    for (const event of events.filter(isEvent('BatchPositionLiquidated'))) ledger.positions.push(event.data.position);
    for (const event of events.filter(isEvent('PositionLiquidated'))) {
      ledger.positions.push(event.data.position);
      ledger.repaid += event.data.repaid;
      event.data.seized.forEach((amount, index) => (ledger.seizedValue += value(index, amount)));
    }
    for (const event of events.filter(isEvent('PositionAbsorbed'))) ledger.positions.push(event.data.position);
  }
  return ledger;
}

describe('keepers at fleet scale', () => {
  let cluster: Cluster;
  const proxies: FaultProxy[] = [];
  const keepers: KeeperProcess[] = [];

  beforeAll(async () => {
    cluster = await startCluster();
  }, 600_000);
  afterAll(async () => {
    for (const k of keepers) k.child.kill('SIGKILL');
    for (const p of proxies) await p.close();
    await cluster?.stop();
  });

  it('a batch through two lookup tables carries 48 positions in one v0 transaction and liquidates as a legacy one does', async () => {
    if (!cluster.local) return;
    const world = await riskyWorld(cluster, 50);
    await publishPrice(cluster, world.state, 'wSOL', usd(100), -8);
    const keeper = world.keeper.signer;
    const pool = world.state.pool;
    const market = await readMarket(cluster.rpc, pool, keeper.address);
    const book = await scanPositions(cluster.rpc, pool);
    // Two tables (two sets of the keeper's tables, each making its own), 30 and 20
    // positions: no batch of 48 can come from one.
    const fixed = await poolFixedAccounts(market, keeper, { computeUnitLimit: 0, computeUnitPrice: 0n });
    const tablesFor = async (positions: typeof book) => {
      const tables = new LookupTables(cluster.rpc, keeper, pool, (instructions) => sendInstructions(cluster, keeper, instructions));
      tables.setFixed(fixed);
      await tables.add(positions.map((p) => p.address));
      return tables;
    };
    const first = await tablesFor(book.slice(0, 30));
    const second = await tablesFor(book.slice(30));
    // Found again from the chain, as a restarted keeper finds its tables.
    const tables = new LookupTables(cluster.rpc, keeper, pool, () => Promise.reject(new Error('nothing to send')));
    expect(await tables.load()).toBe(2);
    const tableOf = (position: Address) => tables.tableOf(position);
    expect(book.every((p) => tableOf(p.address) !== undefined)).toBe(true);
    expect(tableOf(book[0]!.address)).toBe(first.tableOf(book[0]!.address));
    expect(tableOf(book[49]!.address)).toBe(second.tableOf(book[49]!.address));
    expect(tableOf(book[0]!.address)).not.toBe(tableOf(book[49]!.address));

    const plan = planActions(market, book, { minProfit: 0n, maxPositionsPerTx: 48, tableOf });
    const batch = plan.actions.find((a): a is Extract<Action, { kind: 'batch' }> => a.kind === 'batch' && a.positions.length === 48);
    expect(batch, `batches: ${plan.actions.map((a) => (a.kind === 'batch' ? a.positions.length : a.kind)).join(', ')}`).toBeDefined();
    const options = { computeUnitLimit: 0, computeUnitPrice: 0n };
    const instructions = await actionInstructions(batch!, keeper, pool, market.state, options);
    const addresses = batch!.positions.map((p) => p.address);
    const lookups = tables.lookups(addresses);
    expect(Object.keys(lookups)).toHaveLength(2);
    expect(fitsInTransaction(instructions, keeper)).toBe(false);
    expect(fitsInTransaction(instructions, keeper, lookups)).toBe(true);
    // The keeper's own lookup by index compiles to the very message kit's compression makes.
    const compressed = tables.compress(instructions, addresses);
    const blockhash = { blockhash: '11111111111111111111111111111111' as Blockhash, lastValidBlockHeight: 0n };
    expect(compileTransactionMessage(transactionMessage(keeper, blockhash, compressed))).toEqual(
      compileTransactionMessage(compressTransactionMessageUsingAddressLookupTables(transactionMessage(keeper, blockhash, instructions), lookups)),
    );

    // The same 20 positions, legacy-sized and through the table: the same logs.
    const executor = new Executor(cluster.rpc, keeper, { dryRun: false, computeUnitLimit: 0, computeUnitPrice: 0n });
    const twenty = { ...batch!, positions: batch!.positions.slice(0, 20), parts: batch!.parts.slice(0, 20) };
    twenty.repay = twenty.parts.reduce((sum, part) => sum + part.repay, 0n);
    twenty.seize = twenty.parts.reduce((sum, part) => sum + part.seize, 0n);
    const small = await actionInstructions(twenty, keeper, pool, market.state, options);
    const legacy = await executor.simulate(await executor.sign(small));
    const viaTable = await executor.simulate(await executor.sign(small, undefined, lookups));
    expect(legacy.status === 'simulated' && legacy.ok, JSON.stringify(legacy)).toBe(true);
    expect(viaTable.status === 'simulated' && viaTable.logs).toEqual(legacy.status === 'simulated' && legacy.logs);

    const signed = await executor.sign(compressed);
    const outcome = await executor.see(signed, new AbortController().signal);
    expect(outcome.status).toBe('landed');
    const found = await cluster.rpc
      .getTransaction(signed.signature, { encoding: 'json', maxSupportedTransactionVersion: 0, commitment: 'confirmed' })
      .send();
    expect(String(found?.version)).toBe('0');
    const message = found?.transaction.message as { addressTableLookups?: readonly unknown[] } | undefined;
    expect(message?.addressTableLookups).toHaveLength(2);
    const events = parseEventLogs(found?.meta?.logMessages ?? []);
    const [total] = events.filter(isEvent('BatchLiquidated'));
    expect(total?.data).toMatchObject({ liquidated: 48, skipped: 0 });
    expect(events.filter(isEvent('BatchPositionLiquidated')).map((e) => e.data.position)).toEqual(batch!.positions.map((p) => p.address));
    // Planned a moment before (interest accrues by the second): within the batch's
    // margin for that interest (`maxRepayOf`), and within 0.1% of the plan.
    const repaid = total!.data.repaid;
    const off = repaid > batch!.repay ? repaid - batch!.repay : batch!.repay - repaid;
    expect(repaid <= maxRepayOf(batch!.repay) && off * 1_000n <= batch!.repay, `repaid ${repaid}, planned ${batch!.repay}`).toBe(true);
  }, 240_000);

  it('an oracle notification starts the cycle that liquidates, with polls and slot cycles out of the way', async () => {
    if (!cluster.local) return;
    const world = await riskyWorld(cluster, 6);
    const metrics = new KeeperMetrics();
    const settings = keeperOptions(world.state.pool, { wsUrl: cluster.wsUrl, pollIntervalMs: 60_000, slotCycles: false, lookupTables: false, rpcRetryDelayMs: 10 });
    const keeper = new Keeper(cluster.rpc, world.keeper.signer, settings, metrics, quiet);
    const landed: number[] = [];
    keeper.onAction((report: ActionReport) => {
      if (report.outcome.status === 'landed') landed.push(Date.now());
    });
    let cycles = 0;
    const stop = new AbortController();
    const running = keeper.run(stop.signal, () => (cycles += 1));
    try {
      await eventually('the first cycle', async () => cycles > 0, 10_000);
      await sleep(1_000);
      const before = cycles;
      await publishPrice(cluster, world.state, 'wSOL', usd(100), -8);
      const priced = Date.now();
      await eventually('a liquidation landed', async () => landed.length > 0, 10_000);
      const wakes = (await metrics.oracleWakes.get()).values[0]?.value ?? 0;
      expect(wakes).toBeGreaterThan(0);
      expect(cycles).toBeGreaterThan(before);
      // The next poll was a minute away.
      expect(landed[0]! - priced).toBeLessThan(10_000);
      console.info(`oracle update landed -> first liquidation landed: ${landed[0]! - priced} ms`);
    } finally {
      stop.abort();
      await running;
    }
  }, 240_000);

  it('three sharded keeper processes: a killed one is taken over, the crash is cleared, each acted for its shards only and gained', async () => {
    if (!cluster.local) return;
    const world = await bookedWorld(cluster, 90);
    const fleetDir = mkdtempSync(join(tmpdir(), 'strata-fleet-'));
    const notes = 15_000n * NOTE;
    const fleet: { shard: number; rpc: FaultProxy; keeper: KeeperProcess }[] = [];
    for (let shard = 0; shard < 3; shard++) {
      const rpc = await startFaultProxy(cluster.url, { upstreamWs: cluster.wsUrl, plan: {} });
      proxies.push(rpc);
      const k = await startKeeper(cluster, world, rpc, {
        notes,
        args: ['--shard', `${shard}/3`, '--fleet-dir', fleetDir, '--heartbeat-ms', '250', '--takeover-ms', '2000'],
      });
      keepers.push(k);
      fleet.push({ shard, rpc, keeper: k });
    }
    for (const { keeper: k } of fleet) await healthy(k);
    // Shard 1's keeper crashes before the market does; shard 2's takes its positions.
    // (While the fleet was starting, a keeper may have covered one not started yet and
    // given it back: only changes after the kill count.)
    const changes = (k: KeeperProcess, since: number) =>
      k.logs().filter((line) => line.msg === 'shards taken over or given back' && (line.time as number) >= since);
    const killedAt = Date.now();
    await fleet[1]!.keeper.stop('SIGKILL');
    const takeover = await eventually('shard 1 taken over by shard 2', async () => changes(fleet[2]!.keeper, killedAt).find((line) => (line.taken as number[]).includes(1)), 10_000);
    expect(takeover.shards).toEqual([2, 1]);

    const since = await crash(cluster, world);
    const cleared = await clearing(cluster, world, since, 30_000);
    expect(cleared.seconds, `${cleared.left} still liquidatable`).toBeDefined();

    // What each keeper may act for: its own shard and any it logged taking over (a
    // heartbeat that lagged under load makes a keeper cover another for a while).
    const owned: Record<number, number[]> = {
      0: [0, ...changes(fleet[0]!.keeper, 0).flatMap((line) => line.taken as number[])],
      2: [2, 1, ...changes(fleet[2]!.keeper, 0).flatMap((line) => line.taken as number[])],
    };
    // In the end the fleet is the two of them: 0 for itself, 2 for itself and 1.
    expect(changes(fleet[0]!.keeper, 0).at(-1)?.shards ?? [0]).toEqual([0]);
    expect(changes(fleet[2]!.keeper, 0).at(-1)?.shards).toEqual([2, 1]);
    let takenOver = 0;
    for (const { shard, rpc, keeper: k } of [fleet[0]!, fleet[2]!]) {
      const { chain } = await expectHonestCounts(cluster, k, () => rpc.sentSignatures());
      const ledger = await keeperLedger(cluster, chain.landed);
      const acted = ledger.positions;
      expect(acted.length).toBeGreaterThan(0);
      for (const position of acted) expect(owned[shard], `position ${position} (shard ${shardOf(position, 3)}) by keeper ${shard}`).toContain(shardOf(position, 3));
      if (shard === 2) takenOver = acted.filter((position) => shardOf(position, 3) === 1).length;
      // Every note it burned bought collateral worth more, at the prices of the moment.
      expect(ledger.repaid, `keeper ${shard}: notes burned = given - held`).toBe(notes - (await noteBalance(cluster, world, k.signer.address)));
      expect(ledger.seizedValue, `keeper ${shard}: collateral seized, valued when seized, against notes repaid`).toBeGreaterThanOrEqual(ledger.repaid);
    }
    expect(takenOver, "shard 1's positions liquidated by its successor").toBeGreaterThan(0);
    console.info(`three sharded keepers, one killed: cleared ${cleared.seconds!.toFixed(1)} s after the last step; ${takenOver} of shard 1's positions taken over`);
  }, 240_000);
});
