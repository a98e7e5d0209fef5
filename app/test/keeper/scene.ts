/**
 * The stage of the keeper's fault tests: a pool on the real local cluster with a book
 * of the main job's kind, a keeper process (keeper/main.ts) talking to the cluster
 * through the fault proxy, the main job's price path (faster), an outside watch of
 * the book, and the chain's own account of what the keeper sent.
 */
import type { Address, Signature } from '@solana/kit';
import { expect } from 'vitest';

import { tokenBalance } from '../../admin/chain.js';
import { associatedTokenAddress, isEvent, parseEventLogs } from '../../src/index.js';
import { openBook } from '../../sim/book.js';
import { watchUntilClear, type Clearing } from '../../sim/book-watch.js';
import type { Cluster } from '../../sim/cluster.js';
import { crashBook, crashWsol, publishCrashPrices } from '../../sim/crash-scene.js';
import type { FaultProxy } from '../../sim/fault-proxy.js';
import { giveNotes, keeperKeypair, metricSum, startKeeperProcess, type KeeperProcess, type KeeperProcessOptions } from '../../sim/keeper-process.js';
import { buildWorld, type World } from '../../sim/world.js';

export const NOTE = 1_000_000n;
/** Positions per book: enough for batches, partial liquidations, settlements and
 * absorptions in one crash, few enough to open in seconds. */
export const BOOK_SIZE = 40;
/** Steps of the price path, faster than the main job's 1.5 s. */
export const STEP_MS = 500;
/** The keeper's poll interval in these tests. */
export const POLL_MS = 250;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it returns something truthy; fails after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** A new pool with the main job's tranches and `positions` of its book, at $150. */
export async function bookedWorld(cluster: Cluster, positions = BOOK_SIZE): Promise<World> {
  const world = await buildWorld(cluster, { keeperNotes: 60_000n * NOTE, junior: 60_000n * NOTE, senior: 140_000n * NOTE });
  await openBook(cluster, world.state, world.authority, crashBook(positions));
  return world;
}

/** A keeper process for `world` with `notes` of its own, behind `proxy`. */
export async function startKeeper(
  cluster: Cluster,
  world: World,
  proxy: FaultProxy,
  options: { notes?: bigint; keypair?: KeeperProcessOptions['keypair']; args?: string[]; env?: Record<string, string> } = {},
): Promise<KeeperProcess> {
  const keypair = options.keypair ?? (await keeperKeypair(cluster));
  if (options.notes !== 0n) await giveNotes(cluster, world.state, world.keeper.signer, keypair.signer.address, options.notes ?? 20_000n * NOTE);
  return startKeeperProcess({
    rpcUrl: proxy.url,
    wsUrl: proxy.wsUrl,
    pool: world.state.pool,
    keypair,
    args: ['--poll-ms', String(POLL_MS), ...(options.args ?? [])],
    env: { STRATA_KEEPER_RPC_RETRY_DELAY_MS: '100', ...options.env },
  });
}

/** Waits until `keeper` answers /healthz with 200 (it has scanned the book). */
export const healthy = (keeper: KeeperProcess, timeoutMs = 15_000) =>
  eventually('the keeper reports itself healthy', async () => (await keeper.healthz()).status === 200, timeoutMs);

/** Waits until `keeper` is healthy, has put the book's positions in its lookup tables
 * and has rehearsed its liquidation path. Until then it sends lookup-table
 * transactions of its own (a table, then its extensions, from its first scan on): a
 * test that acts on "the keeper's n-th send" arms itself after this. */
export const ready = (keeper: KeeperProcess, timeoutMs = 20_000) =>
  eventually(
    'the keeper has filled its lookup tables and rehearsed',
    async () => (await keeper.healthz()).status === 200 && metricSum(await keeper.metrics(), 'strata_keeper_rehearsed') === 1,
    timeoutMs,
  );

/** wSOL from $150 to $60 along the main job's path; returns when the last step landed. */
export async function crash(cluster: Cluster, world: World): Promise<number> {
  await crashWsol(cluster, world.state, undefined, STEP_MS);
  return Date.now();
}

/** From `since`, how long until an outside look finds nothing liquidatable (prices
 * kept fresh at $60 meanwhile, as publishers would). */
export const clearing = (
  cluster: Cluster,
  world: World,
  since: number,
  timeoutMs: number,
  tick: () => Promise<void> = () => publishCrashPrices(cluster, world.state, 60),
): Promise<Clearing> => watchUntilClear(cluster, world.state.pool, { since, timeoutMs, tick });

/** What the chain says of signatures: committed without error, committed with one. */
export async function chainOutcomes(cluster: Cluster, signatures: readonly string[]): Promise<{ landed: Set<string>; failed: Set<string> }> {
  const landed = new Set<string>();
  const failed = new Set<string>();
  const unique = [...new Set(signatures)] as Signature[];
  for (let i = 0; i < unique.length; i += 256) {
    const chunk = unique.slice(i, i + 256);
    const { value } = await cluster.rpc.getSignatureStatuses(chunk, { searchTransactionHistory: true }).send();
    value.forEach((status, j) => {
      if (status?.err === null) landed.add(chunk[j]!);
      else if (status) failed.add(chunk[j]!);
    });
  }
  return { landed, failed };
}

/** How long a keeper may keep a transaction in flight: one whose repeat was refused
 * after its earlier copies were lost is watched until its blockhash expires (150
 * blocks, a minute at 400 ms slots), in case a lost copy still lands. */
const SETTLE_MS = 75_000;

/** The keeper's transaction counts, and the signatures the RPC saw from it, once it
 * is quiet: nothing in flight and no new signature for a second (a keeper may still
 * act on a reading taken before the book was clear). */
export async function settledCounts(keeper: KeeperProcess, signatures: () => readonly string[] = () => []) {
  let seen = -1;
  let quietSince = Date.now();
  const { samples, sent } = await eventually(
    'the keeper quiet, nothing in flight',
    async () => {
      const before = signatures().length;
      const read = await keeper.metrics();
      const after = signatures();
      if (after.length !== seen) [seen, quietSince] = [after.length, Date.now()];
      if (before !== after.length || Date.now() - quietSince < 1_000) return undefined;
      return metricSum(read, 'strata_keeper_transactions_in_flight') === 0 ? { samples: read, sent: after } : undefined;
    },
    SETTLE_MS,
    250,
  );
  const total = (name: string) => metricSum(samples, `strata_keeper_transactions_${name}_total`);
  const reasons = samples.filter((s) => s.name === 'strata_keeper_transactions_failed_total').map((s) => s.labels.reason ?? '');
  return { counts: { sent: total('sent'), landed: total('landed'), failed: total('failed'), expired: total('expired'), reasons }, signatures: sent };
}

/** The keeper's own counts agree with the chain: every transaction it sent (as the
 * proxy saw them: `signatures`) ended landed, failed or expired, once, and "landed"
 * means landed. */
export async function expectHonestCounts(cluster: Cluster, keeper: KeeperProcess, sentSignatures: () => readonly string[]) {
  const { counts, signatures } = await settledCounts(keeper, sentSignatures);
  const chain = await chainOutcomes(cluster, signatures);
  const seen = `keeper ${JSON.stringify(counts)}, chain ${chain.landed.size} landed / ${chain.failed.size} failed of ${new Set(signatures).size}`;
  expect(counts.sent, `transactions sent = distinct signatures the RPC saw (${seen})`).toBe(new Set(signatures).size);
  expect(counts.landed + counts.failed + counts.expired, `landed + failed + expired = sent (${seen})`).toBe(counts.sent);
  expect(counts.landed, `landed = committed without error on the chain (${seen})`).toBe(chain.landed.size);
  // Preflight refuses what would fail: nothing failed on-chain (and paid a fee).
  expect(chain.failed.size, seen).toBe(0);
  for (const reason of counts.reasons) expect(reason).toMatch(/^[A-Za-z-]{1,48}$/);
  return { counts, chain };
}

/** What `keeper`'s transactions among `signatures` took from it by the chain's own
 * account, over those that landed: notes (Σ `repaid` of its `PositionLiquidated` and
 * `BatchLiquidated` events, `notesIn` of its `CollateralRecovered`) and lamports (its balance before minus after, fees and rent). */
export async function spentByLanded(cluster: Cluster, keeper: Address, signatures: Iterable<string>): Promise<{ notes: bigint; lamports: bigint }> {
  let notes = 0n;
  let lamports = 0n;
  for (const signature of new Set(signatures)) {
    const found = await cluster.rpc
      .getTransaction(signature as Signature, { encoding: 'base64', maxSupportedTransactionVersion: 0, commitment: 'confirmed' })
      .send();
    if (!found?.meta || found.meta.err !== null) continue;
    lamports += found.meta.preBalances[0]! - found.meta.postBalances[0]!;
    const events = parseEventLogs(found.meta.logMessages ?? []);
    for (const event of events.filter(isEvent('PositionLiquidated'))) if (event.data.keeper === keeper) notes += event.data.repaid;
    // A batch reports its keeper and total once (its per-position events name neither).
    for (const event of events.filter(isEvent('BatchLiquidated'))) if (event.data.keeper === keeper) notes += event.data.repaid;
    for (const event of events.filter(isEvent('CollateralRecovered'))) if (event.data.buyer === keeper) notes += event.data.notesIn;
  }
  return { notes, lamports };
}

export async function noteBalance(cluster: Cluster, world: World, owner: Address): Promise<bigint> {
  return tokenBalance(cluster.rpc, await associatedTokenAddress(owner, world.state.noteMint));
}
