/**
 * Fleet benchmark on the embedded local cluster (400 ms slots, as a validator's).
 * Prints figures; asserts nothing about time (the goals are in the README).
 *
 * 1. The cluster's own ceiling: simple SOL transfers per second, sent 128 at a time.
 * 2. Positions per `liquidate_batch` transaction, legacy and v0 through a lookup
 *    table: the most that fit 1,232 bytes and 64 account locks (the program takes 48).
 * 3. For each book size (`STRATA_FLEET_SIZES`, default 1,000 and 10,000) and one and
 *    three keeper processes (`--shard i/3` with heartbeats): a fresh pool and book,
 *    keepers started, their lookup tables filled and their liquidation path
 *    rehearsed (as a keeper's that has run a while), then wSOL falls 40% in one
 *    update. The clock runs from that update landing to the arrival of the position
 *    notification after which nothing is liquidatable, as an outside watcher records
 *    them (not the keepers' own reports; valued after the keepers are done and
 *    confirmed by a full scan, sim/clearing-record.ts). Printed: the time to clear,
 *    the time to the first liquidation landing, transactions by kind and outcome,
 *    rounds (partial liquidations) per liquidatable position, failures by reason,
 *    partial liquidations landed second by second, the keepers' cycles, and each
 *    keeper's work from the update on (cycles, positions planned and healths computed,
 *    notifications applied, full scans, shard takeovers, unsent actions dropped when a
 *    slot opened: from its metrics), the CPU time
 *    the cluster, each keeper and the benchmark used until clear, when each keeper
 *    sent its landed transactions in the first 3 s (from its logs), and the partial
 *    liquidations landed in each slot from the first the keepers could land in, with
 *    when the benchmark heard each slot open (the close factor allows one liquidation
 *    per position per slot: this is the clearing's real clock), and from the
 *    watcher's readings the positions by the rounds they took, how many waited a slot
 *    between or before their rounds, and the rounds' slots of the positions liquidated
 *    last (the clearing takes at least as many slots as the most rounds any position
 *    needs). The fleet shares one keeper's depth of sends at the cluster
 *    (`STRATA_FLEET_IN_FLIGHT`).
 *    `STRATA_FLEET_LOG_DIR=dir` also writes each keeper's log lines and the update's
 *    time and first slot there.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  createSolanaRpcSubscriptions,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  signTransactionMessageWithSigners,
  type Address,
  type Signature,
} from '@solana/kit';
import { getTransferSolInstruction } from '@solana-program/system';

import { actionInstructions, fitsInTransaction } from '../keeper/executor.js';
import { readMarket } from '../keeper/market.js';
import { transactionMessage } from '../src/index.js';
import { openBook, type PositionSpec } from './book.js';
import { recordUntilClear, roundSlotsOf, startRecording, type RoundSlots } from './clearing-record.js';
import { airdrop, startCluster, type Cluster } from './cluster.js';
import { cpuSeconds, mainThreadCpuSeconds, ownCpuSeconds } from './cpu-time.js';
import { pinToCores } from './pin.js';
import { lowerPriority } from './priority.js';
import { giveNotes, keeperKeypair, metricSum, startKeeperProcess, type KeeperProcess, type Sample } from './keeper-process.js';
import { publishPrice } from './prices.js';
import { runMain } from './run-main.js';
import { buildWorld, type World } from './world.js';

const SOL = 1_000_000_000n;
const NOTE = 1_000_000n;
const SIZES = (process.env.STRATA_FLEET_SIZES ?? '1000,10000').split(',').map(Number).filter((n) => n > 0);
const FLEETS = (process.env.STRATA_FLEET_KEEPERS ?? '1,3').split(',').map(Number);
/** `STRATA_FLEET_KEEPER_CORES=1`: every keeper pinned to core 1 once its tables are
 * filled, so one keeper and three get the same share of the machine; the cluster and
 * this benchmark stay free to use every core (pinned to one, the cluster's hundreds of
 * threads thrash). Unset: every process may use every core. */
const KEEPER_CORES = process.env.STRATA_FLEET_KEEPER_CORES;
/** `STRATA_FLEET_KEEPER_NICE=10`: every keeper (each of its threads) at that nice value
 * once its tables are filled, the cluster and this benchmark at their own: the cluster
 * stands in for a validator on its own machine, and keepers sharing its cores would
 * otherwise slow the very chain they are timed against, the more of them the more
 * (see sim/priority.ts). Every core stays open to everyone. Unset: equal priority. */
const KEEPER_NICE = process.env.STRATA_FLEET_KEEPER_NICE === undefined ? undefined : Number(process.env.STRATA_FLEET_KEEPER_NICE);
/** `STRATA_FLEET_LOG_DIR=dir` (made if missing): each run's keeper logs written there
 * (one JSON line each, `<size>-<keepers>-<shard>.log`) for a closer look than the
 * summary. */
const LOG_DIR = process.env.STRATA_FLEET_LOG_DIR;
if (LOG_DIR) mkdirSync(LOG_DIR, { recursive: true });
/** `STRATA_FLEET_IN_FLIGHT=12`: transactions being sent at once by the whole fleet,
 * shared by its keepers (`--max-in-flight` of ceil(total / keepers) each). The cluster
 * answers a send once it has executed it, so these are the transactions waiting at the
 * cluster; at a slot's start, the rounds the new slot allows queue behind them. 12
 * since the keepers drop their unsent line at each slot (keeper.ts `dropStaleLine`):
 * about the sends the cluster executes while a slot's first cycle reads and plans
 * (16 before: the fleet's deepest positions then lost the second slot; README). */
const IN_FLIGHT = Number(process.env.STRATA_FLEET_IN_FLIGHT ?? 12);
const TRANSFERS = 3_000;
const usd = (dollars: number) => BigInt(dollars) * 100_000_000n;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const count = (n: number) => n.toLocaleString('en-US');

async function transfersPerSecond(cluster: Cluster): Promise<void> {
  const senders = await Promise.all(Array.from({ length: 32 }, () => generateKeyPairSigner()));
  await airdrop(cluster.rpc, senders.map((s) => s.address), 10);
  const to = (await generateKeyPairSigner()).address;
  const { value: blockhash } = await cluster.rpc.getLatestBlockhash().send();
  const wires = await Promise.all(
    Array.from({ length: TRANSFERS }, async (_, i) => {
      const source = senders[i % senders.length]!;
      // Distinct amounts: distinct transactions under one blockhash.
      const transfer = getTransferSolInstruction({ source, destination: to, amount: BigInt(1_000 + i) });
      const signed = await signTransactionMessageWithSigners(transactionMessage(source, blockhash, [transfer]));
      return { wire: getBase64EncodedWireTransaction(signed), signature: getSignatureFromTransaction(signed) };
    }),
  );
  const started = performance.now();
  for (let i = 0; i < wires.length; i += 128) {
    await Promise.all(wires.slice(i, i + 128).map(({ wire }) => cluster.rpc.sendTransaction(wire, { encoding: 'base64', skipPreflight: true }).send()));
  }
  const sentMs = performance.now() - started;
  const pending = new Set<Signature>(wires.map((w) => w.signature));
  while (pending.size > 0) {
    const batch = [...pending].slice(0, 256);
    const { value } = await cluster.rpc.getSignatureStatuses(batch).send();
    value.forEach((status, j) => {
      if (status?.confirmationStatus === 'confirmed' || status?.confirmationStatus === 'finalized') pending.delete(batch[j]!);
    });
    if (value.some((status) => !status)) await sleep(50);
  }
  const confirmedMs = performance.now() - started;
  console.log(`simple transfers: ${count(TRANSFERS)} sent in ${(sentMs / 1_000).toFixed(2)} s, confirmed in ${(confirmedMs / 1_000).toFixed(2)} s: ${count(Math.round(TRANSFERS / (confirmedMs / 1_000)))} transfers/s`);
}

async function positionsPerTransaction(cluster: Cluster, world: World): Promise<void> {
  const keeper = world.keeper.signer;
  const market = await readMarket(cluster.rpc, world.state.pool, keeper.address);
  const options = { computeUnitLimit: 0, computeUnitPrice: 0n };
  const positions = await Promise.all(Array.from({ length: 64 }, async () => ({ address: (await generateKeyPairSigner()).address, collateral: [], debtShares: 0n, flags: 0, lastLiquidatedSlot: 0n })));
  const batch = (k: number) => ({ kind: 'batch' as const, collateralIndex: 0, positions: positions.slice(0, k), parts: [], repay: 1n, seize: 1n, profit: 0n, refresh: [0] });
  // A table as the keeper fills it: the batch's fixed accounts, then positions.
  const fixed = new Set<Address>();
  for (const ix of await actionInstructions(batch(0), keeper, world.state.pool, market.state, options)) for (const account of ix.accounts ?? []) fixed.add(account.address);
  const table = { ['AddressLookupTab1e1111111111111111111111111' as Address]: [...fixed, ...positions.map((p) => p.address)].slice(0, 256) };
  const most = async (lookups?: typeof table) => {
    let fit = 0;
    for (let k = 1; k <= positions.length; k++) {
      if (!fitsInTransaction(await actionInstructions(batch(k), keeper, world.state.pool, market.state, options), keeper, lookups)) break;
      fit = k;
    }
    return fit;
  };
  const legacy = await most();
  const v0 = await most(table);
  console.log(`positions per liquidate_batch transaction (with one refresh): legacy ${legacy}, v0 through one lookup table ${Math.min(v0, 48)} (${v0} fit 1,232 bytes and 64 locks; the program takes 48)`);
}

/** A book where a 40% fall makes about 37% of positions liquidatable (leverage spread
 * from 50% to 98% of the borrowing limit, 1 to 20 wSOL each). */
const bookOf = (size: number): PositionSpec[] =>
  Array.from({ length: size }, (_, i) => ({ deposits: { wSOL: BigInt(1 + (i % 20)) * SOL }, leverage: 0.5 + (0.48 * i) / size }));

/** `perSecond[i]`: positions in batch transactions that landed in second `i` after the
 * update; `cycles`: the keepers' cycles (that saw a liquidatable position) until clear. */
type Run = {
  size: number;
  keepers: number;
  seconds?: number;
  firstLandedMs?: number;
  peak: number;
  samples: Sample[][];
  before: Sample[][];
  perSecond: number[];
  cycles: number;
  sends: [number, number][][];
  firstWave: (FirstWave | undefined)[];
  cpu?: Cpu;
  slots: SlotLanding[];
  rounds: RoundSlots;
};

/** A slot from the first one the keepers could land in (the working slot once the
 * update's own has closed): when the benchmark heard it open, in ms after the update,
 * and the partial liquidations that landed in it (by the keepers' reports). */
type SlotLanding = { openedMs?: number; positions: number };

/** How a keeper met the update, in ms from it (negative: before the benchmark heard
 * that the update landed): its oracle notification, the first cycle that found a
 * position liquidatable (when it began, how long it read and planned), and its first
 * transaction sent that landed. */
type FirstWave = { oracleMs?: number; cycleMs: number; readMs: number; planMs: number; sentMs?: number };

/** A keeper's first wave from its log lines (see `FirstWave`). */
function firstWaveOf(lines: readonly Record<string, unknown>[], landed: readonly Record<string, unknown>[], since: number): FirstWave | undefined {
  // The keepers may hear of the update before the benchmark's own answer arrives.
  const cycle = lines.find((line) => line.msg === 'cycle' && (line.unhealthy as number) > 0 && (line.startedAt as number) >= since - 1_000);
  if (!cycle) return undefined;
  const oracleAt = cycle.oracleMovedAt as number | undefined;
  const sent = landed.flatMap((line) => sentAtOf(line) ?? []).sort((a, b) => a - b)[0];
  return {
    oracleMs: oracleAt === undefined ? undefined : oracleAt - since,
    cycleMs: (cycle.startedAt as number) - since,
    readMs: cycle.readMs as number,
    planMs: cycle.planMs as number,
    sentMs: sent === undefined ? undefined : sent - since,
  };
}

/** CPU seconds used from the update until clear (the first 100 ms sample at or after the
 * notification that cleared the book): by the cluster, by each keeper, and by this
 * benchmark (which records the notifications and keeps the feed fresh). */
type Cpu = { cluster?: number; keepers: (number | undefined)[]; keepersMain: (number | undefined)[]; bench: number };

function cpuNow(cluster: Cluster, processes: readonly KeeperProcess[]): Cpu {
  return {
    cluster: cpuSeconds(cluster.pid),
    keepers: processes.map((k) => cpuSeconds(k.child.pid)),
    keepersMain: processes.map((k) => mainThreadCpuSeconds(k.child.pid)),
    bench: ownCpuSeconds(),
  };
}

const minus = (after: number | undefined, before: number | undefined) => (after === undefined || before === undefined ? undefined : after - before);
const minusEach = (after: (number | undefined)[], before: (number | undefined)[]) => after.map((value, i) => minus(value, before[i]));

function cpuSpent(before: Cpu, after: Cpu): Cpu {
  return {
    cluster: minus(after.cluster, before.cluster),
    keepers: minusEach(after.keepers, before.keepers),
    keepersMain: minusEach(after.keepersMain, before.keepersMain),
    bench: after.bench - before.bench,
  };
}

/** When a landed action's transaction was sent (its log line: landed at `time`,
 * `outcome.seconds` after the send), in ms since the epoch. */
function sentAtOf(landed: Record<string, unknown>): number | undefined {
  const seconds = (landed.outcome as { seconds?: number }).seconds;
  return seconds === undefined ? undefined : (landed.time as number) - seconds * 1_000;
}

/** When a keeper sent its landed transactions: [100 ms step from `since`,
 * transactions], over `spanMs`, in order. */
function sendsBySteps(landed: readonly Record<string, unknown>[], since: number, spanMs: number): [number, number][] {
  const steps = new Map<number, number>();
  for (const line of landed) {
    const sentAt = sentAtOf(line);
    if (sentAt === undefined) continue;
    const at = sentAt - since;
    if (at < 0 || at >= spanMs) continue;
    const step = Math.floor(at / 100);
    steps.set(step, (steps.get(step) ?? 0) + 1);
  }
  return [...steps].sort(([a], [b]) => a - b);
}

/** Records when each slot opens (as the benchmark hears it) until `signal` aborts. */
async function recordSlots(wsUrl: string, signal: AbortSignal): Promise<Map<bigint, number>> {
  const opened = new Map<bigint, number>();
  const notifications = await createSolanaRpcSubscriptions(wsUrl).slotNotifications().subscribe({ abortSignal: signal });
  void (async () => {
    try {
      for await (const { slot } of notifications) if (!opened.has(slot)) opened.set(slot, Date.now());
    } catch {
      // Aborted: the recording is over.
    }
  })();
  return opened;
}

/** Partial liquidations landed per slot, from `first` to the last slot any landed in. */
function landingsBySlot(landed: readonly Record<string, unknown>[], first: bigint, opened: ReadonlyMap<bigint, number>, since: number): SlotLanding[] {
  const positions = new Map<bigint, number>();
  for (const line of landed) {
    const slot = (line.outcome as { slot?: string | number }).slot;
    if (line.action !== 'batch' || slot === undefined) continue;
    positions.set(BigInt(slot), (positions.get(BigInt(slot)) ?? 0) + (line.positions as number));
  }
  const last = [...positions.keys()].reduce((a, b) => (b > a ? b : a), first);
  const slots: SlotLanding[] = [];
  for (let slot = first; slot <= last; slot++) {
    const at = opened.get(slot);
    slots.push({ openedMs: at === undefined ? undefined : at - since, positions: positions.get(slot) ?? 0 });
  }
  return slots;
}

async function crashRun(cluster: Cluster, size: number, keepers: number): Promise<Run> {
  const world = await buildWorld(cluster, { keeperNotes: 3_000_000n * NOTE, junior: 50_000n * NOTE, senior: 100_000n * NOTE });
  const opening = Date.now();
  // In chunks, the feeds republished before each: funding 10,000 wallets takes longer
  // than a price stays fresh (60 s).
  const book = bookOf(size);
  for (let start = 0; start < book.length; start += 1_000) {
    await publishPrice(cluster, world.state, 'wSOL', usd(150), -8);
    await publishPrice(cluster, world.state, 'tBILL', usd(1), -8);
    await openBook(cluster, world.state, world.authority, book.slice(start, start + 1_000), { concurrency: 128 });
  }
  console.log(`  book of ${count(size)} opened in ${((Date.now() - opening) / 1_000).toFixed(1)} s`);
  const fleetDir = mkdtempSync(join(tmpdir(), 'strata-bench-fleet-'));
  const processes: KeeperProcess[] = [];
  try {
    const keypairs = [];
    for (let shard = 0; shard < keepers; shard++) {
      const keypair = await keeperKeypair(cluster, 50);
      await giveNotes(cluster, world.state, world.keeper.signer, keypair.signer.address, (3_000_000n * NOTE) / BigInt(keepers));
      keypairs.push(keypair);
    }
    // The book's safety-net rescan (every 30 s by default) is kept out of the timed
    // clearing, for one keeper and three alike: a full scan of 10,000 positions costs
    // the cluster about 15% of a clearing, and with the default it fell inside the
    // one-keeper runs (whose tables take longer to fill) and outside the fleet's.
    // Started together: a shard whose keeper comes up more than the takeover time after
    // the others is taken over meanwhile, and its positions are added to two keepers'
    // tables.
    await Promise.all(
      keypairs.map(async (keypair, shard) =>
        processes.push(await startKeeperProcess({
          rpcUrl: cluster.url,
          wsUrl: cluster.wsUrl,
          pool: world.state.pool,
          keypair,
          logLevel: 'info',
          args: ['--poll-ms', '1000', '--max-in-flight', `${Math.ceil(IN_FLIGHT / keepers)}`, '--rescan-ms', '600000', ...(keepers > 1 ? ['--shard', `${shard}/${keepers}`, '--fleet-dir', fleetDir] : [])],
        })),
      ),
    );
    // A keeper that has run a while has its tables filled and its liquidation path
    // rehearsed (keeper.ts): wait for both.
    const filling = Date.now();
    for (;;) {
      const samples = await Promise.all(processes.map((k) => k.metrics()));
      const ready = samples.every(
        (s) =>
          s.some((x) => x.name === 'strata_keeper_positions_without_table') &&
          metricSum(s, 'strata_keeper_positions_without_table') === 0 &&
          metricSum(s, 'strata_keeper_lookup_tables') > 0 &&
          metricSum(s, 'strata_keeper_rehearsed') === 1,
      );
      if (ready) break;
      if (Date.now() - filling > 600_000) throw new Error('lookup tables not filled, or liquidation path not rehearsed, within 10 minutes');
      await sleep(500);
    }
    if (KEEPER_CORES) for (const k of processes) pinToCores(k.child.pid, KEEPER_CORES);
    if (KEEPER_NICE !== undefined) for (const k of processes) lowerPriority(k.child.pid, KEEPER_NICE);
    const tables = (await Promise.all(processes.map((k) => k.metrics()))).reduce((sum, s) => sum + metricSum(s, 'strata_keeper_lookup_tables'), 0);
    console.log(`  ${keepers} keeper(s): ${tables} lookup tables filled and liquidation path rehearsed in ${((Date.now() - filling) / 1_000).toFixed(1)} s`);
    await sleep(1_000);
    // The watcher's recording, subscribed and scanned before the update: it only keeps
    // notifications while the keepers clear, and values them once they are done.
    const recording = await startRecording(cluster, world.state.pool);
    const slotClock = new AbortController();
    const opened = cluster.wsUrl ? await recordSlots(cluster.wsUrl, slotClock.signal) : new Map<bigint, number>();
    const before = await Promise.all(processes.map((k) => k.metrics()));
    const cpuBefore = cpuNow(cluster, processes);
    await publishPrice(cluster, world.state, 'wSOL', usd(90), -8);
    const since = Date.now();
    // The update's slot has closed once it is published (a dev write waits for that):
    // the working slot now is the first the keepers can land a liquidation in.
    const firstSlot = await cluster.rpc.getSlot({ commitment: 'processed' }).send();
    let lastTick = since;
    // CPU read every 100 ms: the clearing is timed after the fact, the CPU at its end.
    const cpuSamples: { at: number; cpu: Cpu }[] = [];
    let cleared;
    try {
      cleared = await recordUntilClear(cluster, world.state.pool, recording, {
        since,
        timeoutMs: 180_000,
        everyMs: 100,
        tick: async () => {
          cpuSamples.push({ at: Date.now(), cpu: cpuNow(cluster, processes) });
          // Publishers keep the feed fresh (every 5 s).
          if (Date.now() - lastTick < 5_000) return;
          lastTick = Date.now();
          await publishPrice(cluster, world.state, 'wSOL', usd(90), -8);
        },
      });
    } finally {
      recording.record.close();
      slotClock.abort();
    }
    const clearedAt = since + (cleared.seconds ?? 0) * 1_000;
    const atClear = cpuSamples.find((sample) => sample.at >= clearedAt) ?? cpuSamples.at(-1)!;
    const cpu = cpuSpent(cpuBefore, atClear.cpu);
    // In-flight actions resolve before the counts are read.
    await sleep(3_000);
    const samples = await Promise.all(processes.map((k) => k.metrics()));
    // Each keeper's log parsed once; its landed actions since the update, per keeper.
    const logs = processes.map((k) => k.logs());
    if (LOG_DIR) {
      logs.forEach((lines, i) => writeFileSync(join(LOG_DIR, `${size}-${keepers}-${i}.log`), lines.map((line) => JSON.stringify(line)).join('\n')));
      writeFileSync(join(LOG_DIR, `${size}-${keepers}.json`), JSON.stringify({ since, firstSlot: `${firstSlot}` }));
    }
    const landedBy = logs.map((lines) =>
      lines.filter((line) => line.msg === 'action' && (line.outcome as { status?: string })?.status === 'landed' && (line.time as number) >= since),
    );
    const landed = landedBy.flat();
    const first = landed.map((line) => line.time as number).sort((a, b) => a - b)[0];
    const perSecond: number[] = [];
    for (const line of landed) {
      if (line.action !== 'batch') continue;
      const second = Math.floor(((line.time as number) - since) / 1_000);
      while (perSecond.length <= second) perSecond.push(0);
      perSecond[second]! += line.positions as number;
    }
    const cycles = logs.flatMap((lines) => lines.filter((line) => line.msg === 'cycle' && (line.time as number) >= since && (line.time as number) <= clearedAt)).length;
    const sends = landedBy.map((lines) => sendsBySteps(lines, since, 3_000));
    const firstWave = logs.map((lines, i) => firstWaveOf(lines, landedBy[i]!, since));
    const slots = landingsBySlot(landed, firstSlot, opened, since);
    const rounds = roundSlotsOf(recording.record.readings(), firstSlot);
    return { size, keepers, seconds: cleared.seconds, firstLandedMs: first === undefined ? undefined : first - since, peak: cleared.peak, samples, before, perSecond, cycles, sends, firstWave, cpu, slots, rounds };
  } finally {
    for (const k of processes) await k.stop('SIGTERM');
  }
}

function report(run: Run): void {
  const all = run.samples.flat();
  const sum = (name: string, labels: Record<string, string> = {}) => metricSum(all, name, labels);
  const kinds = [...new Set(all.filter((s) => s.name === 'strata_keeper_transactions_sent_total').map((s) => s.labels.kind!))];
  const tx = kinds.map((kind) => `${kind} ${count(sum('strata_keeper_transactions_landed_total', { kind }))}/${count(sum('strata_keeper_transactions_sent_total', { kind }))}`).join(', ');
  const failures = new Map<string, number>();
  for (const s of all.filter((s) => s.name === 'strata_keeper_transactions_failed_total')) failures.set(s.labels.reason!, (failures.get(s.labels.reason!) ?? 0) + s.value);
  const expired = sum('strata_keeper_transactions_expired_total');
  const partials = sum('strata_keeper_liquidations_landed_total', { kind: 'batch' });
  const settled = sum('strata_keeper_liquidations_landed_total', { kind: 'settle' });
  const absorbed = sum('strata_keeper_liquidations_landed_total', { kind: 'absorb' });
  const failed = [...failures].map(([reason, n]) => `${reason} ${n}`).join(', ') || 'none';
  console.log(
    `  ${count(run.size)} positions, ${run.keepers} keeper(s): ${run.peak} liquidatable; ` +
      (run.seconds === undefined ? 'NOT cleared within 180 s' : `cleared in ${run.seconds.toFixed(2)} s`) +
      `; first liquidation landed ${run.firstLandedMs ?? '?'} ms after the update`,
  );
  console.log(`    transactions landed/sent: ${tx}; failed by reason: ${failed}; expired ${expired}`);
  console.log(
    `    ${count(partials)} partial liquidations, ${settled} settled whole, ${absorbed} absorbed; ${(partials / Math.max(1, run.peak)).toFixed(2)} rounds per liquidatable position; ` +
      `${(partials / Math.max(1, sum('strata_keeper_transactions_landed_total', { kind: 'batch' }))).toFixed(1)} positions per batch transaction`,
  );
  console.log(`    partial liquidations landed, second by second after the update: ${run.perSecond.map(count).join(' ')}`);
  // Rounds per slot: the close factor allows one liquidation per position per slot.
  const ms = (n: number | undefined) => (n === undefined ? '?' : `${Math.round(n)}`);
  console.log(
    `    partial liquidations landed per slot, from the first the keepers could land in (slot: opened ms after the update, positions): ` +
      run.slots.map(({ openedMs, positions }, i) => `+${i}: ${ms(openedMs)} ms ${count(positions)}`).join(', '),
  );
  // Whether the clearing took the slots its rounds need, or positions waited.
  const { byRounds, waited, last } = run.rounds;
  const slotList = (list: bigint[]) => list.map((slot) => `+${slot}`).join(' ');
  console.log(
    `    positions by rounds (one a slot): ${byRounds.map((n, rounds) => (n > 0 ? `${rounds}: ${count(n)}` : '')).filter(Boolean).join(', ')}; ` +
      `${count(waited.positions)} waited a slot or more between or before their rounds (${count(waited.slots)} slots in all); ` +
      `rounds of the last slot's positions: ${last.map(slotList).join('; ') || 'none'}`,
  );
  if (run.seconds !== undefined) {
    const perKeeper = run.cycles / run.keepers;
    console.log(`    cycles until clear: ${count(Math.round(perKeeper))} per keeper, ${(perKeeper / run.seconds).toFixed(1)} a second`);
  }
  // What each keeper did from the update until its counts were read (3 s after clear).
  const work = run.samples.map((after, i) => {
    const delta = (name: string) => metricSum(after, name) - metricSum(run.before[i]!, name);
    return (
      `cycles ${count(delta('strata_keeper_scan_seconds_count'))}, positions planned ${count(delta('strata_keeper_positions_scanned_total'))} (healths computed ${count(delta('strata_keeper_positions_valued_total'))}), ` +
      `notifications ${count(delta('strata_keeper_book_notifications_total'))}, full scans ${delta('strata_keeper_book_scans_total')}, takeovers ${delta('strata_keeper_shard_takeovers_total')}, ` +
      `unsent actions dropped at a slot's start ${count(delta('strata_keeper_actions_dropped_total'))}`
    );
  });
  console.log(`    work per keeper, from the update: ${work.join('; ')}`);
  // Who used the cores: on a saturated machine a fleet's extra CPU is the cluster's loss.
  if (run.cpu && run.seconds !== undefined) {
    const seconds = (n: number | undefined) => (n === undefined ? '?' : n.toFixed(2));
    console.log(
      `    CPU seconds from the update until clear (${run.seconds.toFixed(2)} s on ${cpus().length} cores): cluster ${seconds(run.cpu.cluster)}, ` +
        `keepers ${run.cpu.keepers.map(seconds).join(' + ')} (their main threads ${run.cpu.keepersMain.map(seconds).join(' + ')}; the rest compiles, collects garbage, signs), ` +
        `this benchmark ${seconds(run.cpu.bench)}`,
    );
  }
  // Where the first wave's time goes: hearing of the update, reading, planning, sending.
  const waves = run.firstWave.map((wave, i) =>
    wave === undefined
      ? `${i + 1}: none`
      : `${i + 1}: oracle notification ${ms(wave.oracleMs)}, cycle ${ms(wave.cycleMs)} (read ${ms(wave.readMs)}, planned ${ms(wave.planMs)}), first sent ${ms(wave.sentMs)}`,
  );
  console.log(`    first wave, ms after the update, per keeper: ${waves.join('; ')}`);
  // Whether the keepers or the cluster set the pace: a keeper that sends its round in a
  // burst and then waits is waiting for the cluster to execute that wave.
  console.log(`    transactions sent (that landed) per 100 ms after the update, first 3 s, per keeper: ${run.sends.map((steps, i) => `${i + 1}: ${steps.map(([step, n]) => `${(step / 10).toFixed(1)} s ${n}`).join(', ') || 'none'}`).join('; ')}`);
}

async function main() {
  const cluster = await startCluster();
  if (KEEPER_CORES) console.log(`every keeper pinned to core(s) ${KEEPER_CORES}; the cluster and this benchmark on any core`);
  if (KEEPER_NICE !== undefined) console.log(`every keeper at nice ${KEEPER_NICE}; the cluster and this benchmark at ${getPriority()}, every process on any core`);
  try {
    console.log('== the cluster\'s ceiling');
    await transfersPerSecond(cluster);
    console.log('\n== positions per transaction');
    const world = await buildWorld(cluster, { keeperNotes: 1_000n * NOTE });
    await positionsPerTransaction(cluster, world);
    for (const size of SIZES) {
      console.log(`\n== ${count(size)} positions, wSOL $150 -> $90 in one update`);
      for (const keepers of FLEETS) report(await crashRun(cluster, size, keepers));
    }
  } finally {
    await cluster.stop();
  }
}

runMain(main);
