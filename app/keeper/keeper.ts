/**
 * The keeper loop: every poll, slot or oracle move, take the pool's indebted positions
 * from the book (kept current by programSubscribe, book.ts), value them at the prices
 * the next refresh will cache, and start liquidating (or having the tranches absorb)
 * what is liquidatable and belongs to this keeper's shards (fleet.ts). Batches carry
 * their positions through the keeper's address lookup tables (lookup-tables.ts). Cycles never wait for actions: each
 * action runs on its own (up to `maxInFlight` being built and sent at once; sent ones
 * are only watched), and the next cycle plans around the ones still in flight (their
 * positions left alone until the book shows them liquidated, their notes held back). A failing RPC call is retried when the failure is transient; a cycle that
 * still fails is logged and counted, and the next one starts on time.
 */
import { setMaxListeners } from 'node:events';

import { type Address, type Instruction, type Rpc, type SolanaRpcApi, type TransactionSigner } from '@solana/kit';

import { shockViews, type Pool, type Shock } from '../src/index.js';
import { actionableNow, PositionBook } from './book.js';
import { KeeperConfigSchema } from './config.js';
import { DuplicateTransaction, Executor, actionInstructions, type Outcome } from './executor.js';
import { rpcErrorKind } from './failures.js';
import { Fleet, type Shard } from './fleet.js';
import { HealthCache } from './health-cache.js';
import { InFlight, positionsOf, type Flight } from './in-flight.js';
import type { Logger } from './log.js';
import { LookupTables, poolFixedAccounts } from './lookup-tables.js';
import { marketWith, readMarket, type Market } from './market.js';
import type { KeeperMetrics } from './metrics.js';
import { offerCache, planActions, splitBatch, type Action, type RoundsMemo } from './planner.js';
import type { PositionSnapshot } from './scanner.js';
import { OracleWatch } from './oracle-watch.js';
import { sleep, withRetry } from './retry.js';
import { SlotWaker } from './slots.js';
import { Turns } from './turns.js';

export type KeeperOptions = {
  pool: Address;
  pollIntervalMs: number;
  dryRun: boolean;
  minProfit: bigint;
  /** Buy the tranches' absorbed collateral with spare notes (recovery.ts). */
  recover: boolean;
  computeUnitPrice: bigint;
  computeUnitLimit: number;
  maxPositionsPerTx: number;
  /** Actions being built and sent at once (watching a sent one holds no place). */
  maxInFlight: number;
  /** WebSocket endpoint: when set, a cycle also starts on every new slot (the poll
   * interval stays the longest wait). */
  wsUrl?: string;
  /** Longest wait for one RPC answer (enforced by the RPC client, see rpc.ts), and the
   * longest silence of the slot subscription before it is made again. */
  rpcTimeoutMs: number;
  /** A read (or a send) with no answer after this long is asked again (see rpc.ts). */
  rpcHedgeMs: number;
  rpcRetries: number;
  rpcRetryDelayMs: number;
  /** With `wsUrl`, start a cycle on every new slot (oracle moves always start one). */
  slotCycles: boolean;
  /** Batch through address lookup tables the keeper creates and extends (v0
   * transactions of up to 48 positions); off: legacy-sized batches only. */
  lookupTables: boolean;
  /** With a WebSocket, the longest time between full scans of the book (the
   * subscription keeps it current in between). */
  rescanMs: number;
  /** This keeper's share of the book (`i/n`); absent: all of it. */
  shard?: Shard;
  /** Directory of the fleet's heartbeat files (shared by the keepers of a pool). */
  fleetDir?: string;
  heartbeatMs: number;
  /** A shard silent this long is taken over by the next live one. */
  takeoverMs: number;
};

/** Options with the configuration's defaults (see config.ts), for code that runs a
 * keeper in-process (simulations, tests). */
export function keeperOptions(pool: Address, overrides: Partial<KeeperOptions> = {}): KeeperOptions {
  const { rpcUrl: _rpcUrl, keypairPath: _keypairPath, metricsPort: _metricsPort, logLevel: _logLevel, ...defaults } = KeeperConfigSchema.parse({
    rpcUrl: 'http://127.0.0.1:8899',
    pool,
    keypairPath: '(in-process)',
  });
  return { ...defaults, ...overrides };
}

export type CycleReport = {
  /** When the cycle began reading the chain (ms since the epoch). */
  startedAt: number;
  /** Milliseconds reading the book and the market, then planning and starting actions. */
  readMs: number;
  planMs: number;
  /** The slot the market was read at. */
  slot: bigint;
  /** When the last oracle notification came (ms since the epoch), if any has. */
  oracleMovedAt?: number;
  scanned: number;
  /** Liquidatable positions, those with an action in flight included. */
  unhealthy: number;
  /** Actions planned (started now or queued for the next free slot). */
  planned: number;
  skipped: number;
};

/** What became of one action (`sale`: a recovery sale's plan). */
export type ActionReport = {
  action: Action['kind'];
  positions: number;
  outcome: Outcome;
  sale?: { trancheIndex: number; collateralIndex: number; notesIn: bigint; collateralOut: bigint; profit: bigint };
};

/** Longest wait, once stopping, for actions to notice (they abort at once; this only
 * bounds a misbehaving one). */
const STOP_GRACE_MS = 200;
/** How long a landed action's positions may go unseen at its slot before the book is
 * scanned again (about three slots: notifications normally come within one). */
const UNSEEN_RESCAN_MS = 1_200;
/** The metrics' kind of the keeper's lookup-table transactions. */
const TABLE_KIND = 'lookup-table';
/** How often the book is checked for positions in no lookup table (a new one waits at
 * most this long, in legacy-sized batches meanwhile): a look at every position, too
 * much for every cycle of a keeper that plans many times a slot. */
const TABLE_CHECK_MS = 500;
/** Slots come every 400 ms: a subscription silent for five of them is lost. */
const MIN_SLOT_SILENCE_MS = 2_000;
/** Transactions the rehearsal builds and signs: three times as many as the keeper
 * sends at once when a crash starts (its default `maxInFlight`), about a millisecond
 * each, once. With `--trace-opt`, the per-transaction code (account maps and indexes,
 * the codecs' sizes) was compiled during the crash after 16 rehearsed, and in part
 * still is after 48. */
const REHEARSED_TRANSACTIONS = 48;
/** Plans the rehearsal makes, as a crash's first cycles do: the first values every
 * position, the next reuse those values (same market: the health and offer caches
 * answer) with the first transactions' positions in flight. Planned once, the planner
 * was optimized during the crash instead: with `--trace-opt`, each keeper of a fleet
 * clearing 10,000 positions compiled `planActions`, `batchesOfChunk` and
 * `planPartial` then, about 130 ms of the compiler's CPU each, of 1.2 to 1.4 s that
 * each keeper's compiler took while the fleet cleared. */
const REHEARSED_PLANS = 4;

type Queued = { action: Action; state: Pool };
/** What an action's turn to be built returns once its line was dropped. */
const STALE = Symbol('stale');

export class Keeper {
  private readonly executor: Executor;
  private readonly flights = new InFlight();
  /** Positions' health by market and position reading: cycles within a slot value
   * only the positions that changed. */
  private readonly health = new HealthCache();
  /** Each position's best liquidation, kept likewise. */
  private readonly offers = offerCache();
  /** Each liquidatable position's rounds to health, as estimated (planner.ts). */
  private readonly rounds: RoundsMemo = new Map();
  /** The latest plan's actions not started yet; replaced by every plan. */
  private queue: Queued[] = [];
  private planNumber = 0;
  /** Actions started but waiting for their turn to be built: dropped with the line
   * when a slot opens (`dropStaleLine`). */
  private readonly waitingTurn = new Set<Flight>();
  private readonly running = new Set<Promise<void>>();
  private readonly listeners: ((report: ActionReport) => void)[] = [];
  /** Until `run` gives one: never aborted. Every action in flight listens to it, so
   * more than Node's default of 10 listeners is normal (cycles driven without `run`,
   * as the backtest drives them). */
  private signal: AbortSignal = unlimitedListeners(new AbortController().signal);
  /** The pool's oracles at the last reading: read with the pool while unchanged. */
  private oracles: Address[] = [];
  private readonly book: PositionBook;
  private readonly fleet: Fleet;
  private readonly tables?: LookupTables;
  /** The lookup table holding a position, for the planner (none without tables). */
  private readonly tableOf?: (position: Address) => string | undefined;
  /** Ready once the tables' fixed accounts are set (the first cycle's market). */
  private tablesReady = false;
  /** The table extension running, if any (one at a time, never waited for by cycles). */
  private extending?: Promise<void>;
  /** When the book was last checked for positions in no table. */
  private tablesCheckedAt = Number.NEGATIVE_INFINITY;
  private slots?: SlotWaker;
  private readonly oracleWatch: OracleWatch;
  /** Lookup-table transactions sent and not resolved, with their last valid block height. */
  private readonly tableSends = new Map<string, bigint>();
  /** The book's counts already added to the metrics. */
  private counted = { notifications: 0, scans: 0, valued: 0 };
  /** The rehearsal of the liquidation path, once started (see `rehearse`). */
  private rehearsal?: Promise<void>;
  /** Whether the last plan found a position liquidatable. */
  private clearing = false;
  /** Transactions are built and signed one at a time, in the order started (turns.ts). */
  private readonly building = new Turns();
  /** When the last oracle notification came (for the cycle reports). */
  private oracleMovedAt?: number;

  constructor(
    private readonly rpc: Rpc<SolanaRpcApi>,
    private readonly signer: TransactionSigner,
    private readonly options: KeeperOptions,
    private readonly metrics: KeeperMetrics,
    private readonly log: Logger,
  ) {
    this.executor = new Executor(rpc, signer, { ...options, hedgeMs: options.rpcHedgeMs }, (method, call) => this.retry(method, call), (method, error) => {
      this.metrics.rpcErrors.inc({ method, error: rpcErrorKind(error) });
      this.log.debug({ method, error: (error as Error).message }, 'rpc call failed; the transaction is watched on');
    });
    this.book = new PositionBook(
      rpc,
      options.pool,
      // Only this keeper's shards: another shard's updates cost it neither decoding nor a cycle.
      { wsUrl: options.wsUrl, rescanMs: options.rescanMs, retryDelayMs: Math.max(options.rpcRetryDelayMs, 100), accepts: (position) => this.fleet.owns(position) },
      log,
    );
    this.fleet = new Fleet({ ...(options.shard ?? { index: 0, count: 1 }), dir: options.fleetDir, heartbeatMs: options.heartbeatMs, takeoverMs: options.takeoverMs, keeper: signer.address });
    this.metrics.shardsOwned.set(1);
    if (options.lookupTables && !options.dryRun) {
      const tables = new LookupTables(rpc, signer, options.pool, (instructions, signal) => this.sendConfirmed(instructions, signal));
      this.tables = tables;
      this.tableOf = (position) => tables.tableOf(position);
    }
    this.oracleWatch = new OracleWatch(options.wsUrl, (oracle) => {
      this.oracleMovedAt = Date.now();
      // A price moved: a crash's first transactions may be signed within the next
      // 100 ms, and the blockhash they need is asked for while the cycle reads and plans.
      this.executor.warmBlockhash(this.signal);
      this.metrics.oracleWakes.inc();
      this.log.debug({ oracle }, 'oracle moved; cycle now');
      this.slots?.poke();
    }, log, Math.max(options.rpcRetryDelayMs, 100));
  }

  /** The shards this keeper acts for now (its own first). */
  get shards(): number[] {
    return this.fleet.shards;
  }

  /** Whether every position the keeper has asked its tables for is usable (benchmarks
   * wait for this before a crash: a real keeper has long been running). */
  get tablesSettled(): boolean {
    return this.tables === undefined || (this.tablesReady && this.extending === undefined && this.tables.settled);
  }

  /** Positions usable through lookup tables, and the tables. */
  tableStats(): { tables: number; positions: number } {
    return { tables: this.tables?.count ?? 0, positions: this.tables?.size ?? 0 };
  }

  /** Sends a lookup-table transaction as the keeper and resolves once it landed
   * (throws otherwise). Counted with the keeper's transactions, kind `lookup-table`. */
  private async sendConfirmed(instructions: readonly Instruction[], signal?: AbortSignal): Promise<void> {
    const signed = await this.executor.sign(instructions, signal);
    let sent = false;
    const outcome = await this.executor.see(signed, signal ?? this.signal, {
      onSent: () => {
        sent = true;
        this.tableSends.set(signed.signature, signed.lastValidBlockHeight);
        this.metrics.transactionsSent.inc({ kind: TABLE_KIND });
        this.metrics.inFlight.inc();
      },
    });
    // Stopping: it stays on the books as in flight (see main.ts).
    if (outcome.status === 'abandoned') return;
    this.tableSends.delete(signed.signature);
    if (sent) this.countTransaction(TABLE_KIND, outcome);
    if (outcome.status !== 'landed') throw new Error(`lookup-table transaction ${signed.signature} ${outcome.status}${'reason' in outcome ? `: ${outcome.reason}` : ''}`);
  }

  /** Counts one transaction's outcome (landed, failed or expired). */
  private countTransaction(kind: string, outcome: Outcome): void {
    if (outcome.status === 'landed') this.metrics.transactionsLanded.inc({ kind });
    else if (outcome.status === 'failed') this.metrics.transactionsFailed.inc({ kind, reason: outcome.reason });
    else if (outcome.status === 'expired') this.metrics.transactionsExpired.inc({ kind });
    else return;
    this.metrics.inFlight.dec();
  }

  /** Sets up the lookup tables once the pool is known: finds the keeper's earlier ones
   * and the fixed accounts every new table starts with. Failing (no lookup-table
   * program, no SOL for rent) leaves the keeper on legacy-sized batches. */
  private async prepareTables(market: Market): Promise<void> {
    const tables = this.tables!;
    const found = await this.retry('getProgramAccounts', () => tables.load(this.signal));
    tables.setFixed(await poolFixedAccounts(market, this.signer, this.options));
    this.tablesReady = true;
    this.log.info({ found }, 'lookup tables ready');
  }

  /** Adds `positions` (of this keeper's shards, in no table when the cycle looked) to
   * the tables, in the background, one extension run at a time. */
  private extendTables(market: Market, positions: readonly { address: Address }[]): void {
    if (!this.tables || this.extending || this.signal.aborted) return;
    const tables = this.tables;
    const run = async () => {
      if (!this.tablesReady) await this.prepareTables(market);
      const missing = positions.map((p) => p.address).filter((address) => tables.tableOf(address) === undefined);
      if (missing.length > 0) await tables.add(missing, this.signal);
      this.metrics.lookupTables.set(tables.count);
      this.metrics.tablePositions.set(tables.size);
    };
    this.extending = run()
      .catch((error: unknown) => {
        if (!this.signal.aborted) this.log.warn({ error: (error as Error).message }, 'lookup tables not extended; those positions go in legacy-sized batches');
      })
      .finally(() => (this.extending = undefined));
  }

  /** Calls `listener` with the outcome of every action. */
  onAction(listener: (report: ActionReport) => void): void {
    this.listeners.push(listener);
  }

  /** Actions not resolved: sent ones may still land until their blockhash expires. */
  inFlight(): Flight[] {
    return this.flights.pending();
  }

  /** Lookup-table transactions sent whose outcome is not known. */
  tablesInFlight(): { signature: string; lastValidBlockHeight: bigint }[] {
    return [...this.tableSends].map(([signature, lastValidBlockHeight]) => ({ signature, lastValidBlockHeight }));
  }

  /** Resolves once every action started or queued so far has resolved. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private retry<T>(method: string, call: () => Promise<T>): Promise<T> {
    return withRetry(method, call, {
      retries: this.options.rpcRetries,
      delayMs: this.options.rpcRetryDelayMs,
      signal: this.signal,
      onError: (name, error, attempt, retrying) => {
        if (this.signal.aborted) return;
        this.metrics.rpcErrors.inc({ method: name, error: rpcErrorKind(error) });
        this.log.warn({ method: name, attempt, retrying, error: (error as Error).message }, 'rpc call failed');
      },
    });
  }

  /** One scan and plan; the actions it calls for start without being waited for. */
  async cycle(): Promise<CycleReport> {
    const signal = this.signal;
    const started = performance.now();
    const startedAt = Date.now();
    // While positions are liquidatable, transactions are signed every cycle.
    if (this.clearing) this.executor.warmBlockhash(signal);
    const { taken, released } = this.fleet.refresh();
    if (taken.length > 0 || released.length > 0) {
      this.metrics.takeovers.inc(taken.length);
      this.metrics.shardsOwned.set(this.fleet.shards.length);
      this.log.warn({ taken, released, shards: this.fleet.shards }, 'shards taken over or given back');
      // The book kept only the shards owned until now: scan for the new ones, and
      // forget those given back.
      if (taken.length > 0) this.book.rescanSoon();
      if (released.length > 0) this.book.retainAccepted();
    }
    const [, market] = await Promise.all([
      this.book.sync((call) => this.retry('getProgramAccounts', call), signal),
      this.retry('getMultipleAccounts', () =>
        readMarket(
          this.rpc,
          this.options.pool,
          this.signer.address,
          (index, error) => this.log.warn({ collateral: index, error: (error as Error).message }, 'oracle unreadable; using the cached price'),
          signal,
          this.oracles,
        ),
      ),
    ]);
    this.oracles = market.oracles;
    this.oracleWatch.watch(market.oracles, signal);
    // Taken once the market is read, and planned without waiting for anything more:
    // the book's readings are the plan's until the cycle ends (notifications apply
    // between cycles, not during one).
    // The book holds this keeper's shards only (its `accepts`).
    const positions = this.book.indebted();
    const readMs = performance.now() - started;
    this.metrics.positionsScanned.inc(positions.length);
    this.metrics.scanSeconds.observe(readMs / 1_000);
    this.metrics.lastScanAt = Date.now();
    // What was read may predate actions in flight or just resolved: their positions
    // are left alone and their notes not counted on.
    // The slots of the readings this plan uses: the book's own until the cycle ends.
    const slotOf = (position: string) => this.book.slotOf(position);
    // Liquidations whose effect the book already shows: their positions are planned
    // again now, not once the status query comes back.
    this.flights.releaseSeen((position) => this.book.lastLiquidatedOf(position));
    const busy = this.flights.busy(startedAt, slotOf);
    // A landed action whose positions the book has not shown at its slot for a while:
    // a notification was lost on the way; the next cycle scans instead of waiting.
    if (this.flights.unseen(startedAt - UNSEEN_RESCAN_MS, slotOf)) this.book.rescanSoon();
    const reserved = this.flights.reserved(startedAt, market.slot);
    this.flights.prune(startedAt, slotOf);
    const notes = market.keeperNotes > reserved ? market.keeperNotes - reserved : 0n;
    const plan = planActions(marketWith(market, { keeperNotes: notes }), positions, { ...this.options, busy, tableOf: this.tableOf, recover: this.options.recover && this.fleet.leads, health: this.health, offers: this.offers, rounds: this.rounds });
    this.metrics.unhealthy.set(plan.unhealthy);
    this.clearing = plan.unhealthy > 0;
    // Nothing liquidatable: estimates of positions that left the book meanwhile go too.
    if (!this.clearing) this.rounds.clear();
    for (const { position, reason, error } of plan.skipped) {
      this.metrics.skipped.inc({ reason });
      if (reason === 'unexpected-error') this.log.error({ position: position.address, error: (error as Error)?.message }, 'position not planned: unexpected error');
      // Thousands a cycle while a round lands (liquidated in the open slot): not even
      // built unless they are logged.
      else if (this.log.isLevelEnabled('debug')) this.log.debug({ position: position.address, reason, ...(error ? { error: (error as Error).message } : {}) }, 'position skipped');
    }
    for (const { trancheIndex, collateralIndex, reason } of plan.recoverySkipped) {
      this.metrics.recoveriesSkipped.inc({ reason });
      this.log.debug({ tranche: trancheIndex, collateral: collateralIndex, reason }, 'recovery sale skipped');
    }
    for (const action of plan.actions) {
      if (action.kind !== 'recover') continue;
      const { trancheIndex: tranche, collateralIndex: collateral, notesIn, collateralOut, profit } = action;
      this.log.info({ tranche, collateral, notesIn: `${notesIn}`, collateralOut: `${collateralOut}`, profit: `${profit}` }, 'recovery sale planned');
    }
    this.queue = plan.actions.map((action) => ({ action, state: market.state }));
    this.planNumber += 1;
    this.startActions();
    const planMs = performance.now() - started - readMs;
    if (this.tables && Date.now() - this.tablesCheckedAt >= TABLE_CHECK_MS) {
      this.tablesCheckedAt = Date.now();
      const missing = positions.filter((p) => this.tables!.tableOf(p.address) === undefined);
      this.metrics.positionsWithoutTable.set(missing.length);
      this.extendTables(market, missing);
    }
    if (!this.rehearsal && plan.unhealthy === 0 && positions.length > 0 && !this.options.dryRun && this.tablesSettled) {
      this.rehearsal = this.rehearse(market, positions)
        .then(() => this.metrics.rehearsed.set(1))
        .catch((error: unknown) => this.log.warn({ error: (error as Error).message }, 'liquidation path not rehearsed'));
    }
    this.metrics.bookNotifications.inc(this.book.notifications - this.counted.notifications);
    this.metrics.bookScans.inc(this.book.scans - this.counted.scans);
    this.metrics.positionsValued.inc(this.health.computed - this.counted.valued);
    this.counted = { notifications: this.book.notifications, scans: this.book.scans, valued: this.health.computed };
    return { startedAt, readMs, planMs, slot: market.slot, oracleMovedAt: this.oracleMovedAt, scanned: positions.length, unhealthy: plan.unhealthy, planned: plan.actions.length, skipped: plan.skipped.length };
  }

  /** Plans the keeper's positions as if their collateral had lost half its price, and
   * builds and signs (never sends: `signUnsendable`) the first transactions of that
   * plan. Node turns a function into fast machine code only after running it many
   * times, compiling on other threads meanwhile; a keeper that has only ever valued
   * healthy positions would meet its first crash planning, building and signing
   * slowly while the compiler competes for the cores, and keepers sharing a machine
   * would all pay that at once, just when every millisecond counts. Run once, while
   * nothing is liquidatable and the lookup tables are settled, planning as a crash's
   * cycles do (`REHEARSED_PLANS`); what it computes is thrown away (its own health and
   * offer caches). */
  private async rehearse(market: Market, positions: readonly PositionSnapshot[]): Promise<void> {
    const started = performance.now();
    const halved: Shock = { name: 'rehearsal', movesBps: new Map(market.views.map((_, index) => [index, -5_000n])) };
    // Copied as a cycle copies its market, so that the planner meets the shapes a
    // crash brings (`marketWith`, `CollateralView.holding`).
    const crashed = marketWith(market, { views: shockViews(market.views, halved) });
    const busy = new Set<string>();
    const options = { ...this.options, busy, tableOf: this.tableOf, recover: false, health: new HealthCache(), offers: offerCache(), rounds: new Map() };
    const plan = planActions(crashed, positions, options);
    for (let cycle = 1; cycle < REHEARSED_PLANS && !this.signal.aborted; cycle++) {
      for (const action of plan.actions.slice(0, this.options.maxInFlight * cycle)) for (const position of positionsOf(action)) busy.add(position);
      planActions(crashed, positions, options);
    }
    let signed = 0;
    for (const action of plan.actions) {
      if (signed >= REHEARSED_TRANSACTIONS || this.signal.aborted) break;
      if (await this.executor.signUnsendable(await this.transactionOf(action, market.state))) signed += 1;
    }
    this.log.info({ positions: positions.length, liquidatable: plan.unhealthy, signed, ms: Math.round(performance.now() - started) }, 'liquidation path rehearsed');
  }

  /** The instructions of `action`, their accounts looked up in the keeper's tables
   * where they can be (whether they fit one transaction is known once compiled, as
   * they are signed). */
  private async transactionOf(action: Action, state: Pool): Promise<Instruction[]> {
    const instructions = await actionInstructions(action, this.signer, this.options.pool, state, this.options);
    return this.tables ? this.tables.compress(instructions, positionsOf(action)) : instructions;
  }

  /** Starts queued actions while fewer than `maxInFlight` are being built or sent. A
   * transaction whose send has been answered (or timed out) is only watched and holds
   * no place: a slow one never keeps the others waiting. */
  private startActions(): void {
    while (this.flights.sending < this.options.maxInFlight && this.queue.length > 0 && !this.signal.aborted) {
      const { action, state } = this.queue.shift()!;
      const flight = this.flights.start(action);
      const task: Promise<void> = this.execute(flight, state, this.planNumber)
        .catch((error: unknown) => {
          // A bug, not a fault: the positions are let go rather than held for ever.
          if (flight.resolvedAt === undefined) this.flights.resolve(flight);
          this.log.error({ error: (error as Error).message, signature: flight.signature }, 'action crashed');
        })
        .finally(() => {
          this.running.delete(task);
          this.startActions();
        });
      this.running.add(task);
    }
  }

  /** Forgets what the last plan has not begun to build: a slot just opened. That plan
   * was made in the slot now closed, without the positions liquidated in it, which may
   * go again now; the rest of its line (the positions with the fewest rounds left,
   * planned last) would reach the cluster's queue ahead of them while the new slot's
   * cycle reads and plans, and take their places in the slot. Its actions not started
   * and those started but still waiting for their turn to be built go; the slot's
   * cycle plans their positions again (none of them is busy any more). One being built
   * or signed is sent: signed and not sent, its twin planned again under the same
   * blockhash would be refused as the same transaction (executor.ts). */
  private dropStaleLine(): void {
    const dropped = this.queue.length + this.waitingTurn.size;
    this.queue = [];
    for (const flight of this.waitingTurn) this.flights.drop(flight);
    this.waitingTurn.clear();
    if (dropped > 0) this.metrics.actionsDropped.inc(dropped);
    // Halves of a batch found too large go back only into the line they came from.
    this.planNumber += 1;
  }

  /** Builds, signs and sees one action through. */
  private async execute(flight: Flight, state: Pool, plan: number): Promise<void> {
    const { action } = flight;
    // Positions for liquidations and absorptions; a recovery sale counts as one.
    const count = action.kind === 'recover' ? 1 : flight.positions.length;
    const signal = this.signal;
    let signed;
    this.waitingTurn.add(flight);
    try {
      // Built and signed in turn (turns.ts); sent and watched side by side.
      signed = await this.building.take(async () => {
        // Not in the set: dropped with its line while it waited (`dropStaleLine`).
        if (!this.waitingTurn.delete(flight)) return STALE;
        return this.executor.signIfFits(await this.transactionOf(action, state), signal);
      });
      if (signed === STALE) return;
      if (!signed) {
        this.flights.drop(flight);
        // Too large: its halves go first in line, unless a newer plan replaced the line.
        if (action.kind === 'batch' && action.positions.length > 1) {
          if (plan === this.planNumber) this.queue.unshift(...splitBatch(action).map((half) => ({ action: half, state })));
          return;
        }
        this.metrics.skipped.inc({ reason: 'too-large' }, count);
        return;
      }
    } catch (error) {
      this.waitingTurn.delete(flight);
      this.flights.drop(flight);
      if (error instanceof DuplicateTransaction) {
        this.metrics.skipped.inc({ reason: 'same-transaction' }, count);
        this.log.debug({ action: action.kind, signature: error.signature }, 'same transaction as one just sent; next slot');
        return;
      }
      if (!signal.aborted) {
        this.metrics.skipped.inc({ reason: 'not-sent' }, count);
        this.log.warn({ action: action.kind, positions: count, error: (error as Error).message }, 'action not sent');
      }
      return;
    }
    flight.signature = signed.signature;
    flight.lastValidBlockHeight = signed.lastValidBlockHeight;
    let outcome: Outcome;
    if (this.options.dryRun) {
      try {
        outcome = await this.executor.simulate(signed, signal);
      } catch (error) {
        this.flights.drop(flight);
        if (!signal.aborted) this.log.warn({ action: action.kind, error: (error as Error).message }, 'simulation failed');
        return;
      }
    } else {
      outcome = await this.executor.see(signed, signal, {
        onSent: () => {
          flight.sentAt = Date.now();
          this.metrics.sent.inc({ kind: action.kind }, count);
          this.metrics.transactionsSent.inc({ kind: action.kind });
          this.metrics.inFlight.inc();
        },
        onWatched: () => {
          flight.watchedAt = Date.now();
          this.startActions();
        },
        onRefused: (reason) => {
          this.flights.release(flight);
          this.log.info({ action: action.kind, positions: count, signature: signed.signature, reason }, 'repeat refused after lost sends: positions planned again, the transaction watched until it expires');
        },
      });
    }
    // Stopping: the transaction stays on the books as in flight (see main.ts).
    if (outcome.status === 'abandoned') return;
    this.flights.resolve(flight, Date.now(), outcome.status === 'landed' ? outcome.slot : undefined);
    this.count(action, count, outcome);
    const sale =
      action.kind === 'recover'
        ? { trancheIndex: action.trancheIndex, collateralIndex: action.collateralIndex, notesIn: action.notesIn, collateralOut: action.collateralOut, profit: action.profit }
        : undefined;
    if (sale && outcome.status === 'landed') this.metrics.recoveryNotes.inc(Number(sale.notesIn));
    this.log.info({ action: action.kind, positions: count, outcome, ...(sale ? { notesIn: `${sale.notesIn}`, collateralOut: `${sale.collateralOut}` } : {}) }, 'action');
    for (const listener of this.listeners) listener({ action: action.kind, positions: count, outcome, ...(sale ? { sale } : {}) });
  }

  /** Each sent transaction ends in exactly one of landed, failed, expired. */
  private count(action: Action, positions: number, outcome: Outcome): void {
    const kind = action.kind;
    switch (outcome.status) {
      case 'landed':
        this.metrics.landed.inc({ kind }, positions);
        this.metrics.latencySeconds.observe(outcome.seconds);
        break;
      case 'failed':
        this.metrics.failed.inc({ kind, reason: outcome.reason }, positions);
        break;
      case 'expired':
        this.metrics.expired.inc({ kind }, positions);
        break;
      default:
        return;
    }
    this.countTransaction(kind, outcome);
  }

  /** Runs cycles until `signal` aborts; `onCycle` sees every report. A cycle starts
   * every `pollIntervalMs`, or sooner on a new slot when `wsUrl` is set. Returns
   * promptly on abort: every RPC call and wait takes the signal. */
  async run(signal: AbortSignal, onCycle?: (report: CycleReport) => void): Promise<void> {
    // Every request and wait in flight listens to it: many at once is the normal case.
    this.signal = unlimitedListeners(signal);
    const slots = new SlotWaker(this.options.slotCycles ? this.options.wsUrl : undefined, signal, this.log, {
      silenceMs: Math.max(this.options.rpcTimeoutMs, MIN_SLOT_SILENCE_MS),
      retryDelayMs: Math.max(this.options.rpcRetryDelayMs, 100),
    });
    this.slots = slots;
    slots.onSlot = () => this.dropStaleLine();
    // A position that changed (a deposit, a new loan, a liquidation in a slot now
    // closed) is planned for at once, without waiting for the next slot's notification
    // or a poll. One liquidated in the slot it was read at waits for that slot to close
    // (the program allows one liquidation a slot), and the slot's notification starts
    // that cycle: a round lands as thousands of such notifications over the slot, and
    // a cycle for each kept the keeper from sending anything else (11.6 s to clear
    // 10,000 positions instead of 4 to 6).
    this.book.onChange = (entry) => {
      if (actionableNow(entry)) slots.poke();
    };
    this.book.follow(signal);
    // The heartbeat runs on its own timer: a slow cycle must not look like a dead keeper.
    const beat = () => {
      this.fleet.beat();
      this.metrics.heartbeatAt.set(Date.now() / 1_000);
    };
    beat();
    const heartbeat = setInterval(beat, this.options.heartbeatMs);
    signal.addEventListener('abort', () => clearInterval(heartbeat), { once: true });
    while (!signal.aborted) {
      const started = Date.now();
      try {
        const report = await this.cycle();
        onCycle?.(report);
        if (report.unhealthy > 0 || report.planned > 0) {
          const { startedAt, slot, oracleMovedAt, scanned, unhealthy, planned } = report;
          const ms = (value: number) => Math.round(value * 10) / 10;
          this.log.info(
            { startedAt, readMs: ms(report.readMs), planMs: ms(report.planMs), slot: `${slot}`, oracleMovedAt, scanned, unhealthy, planned, inFlight: this.flights.size },
            'cycle',
          );
        }
      } catch (error) {
        if (!signal.aborted) {
          this.metrics.cycleFailures.inc();
          this.log.error({ error: (error as Error).message }, 'cycle failed');
        }
      }
      await slots.next(Math.max(0, this.options.pollIntervalMs - (Date.now() - started)));
    }
    await Promise.race([Promise.allSettled([...this.running]), sleep(STOP_GRACE_MS)]);
  }
}

function unlimitedListeners(signal: AbortSignal): AbortSignal {
  setMaxListeners(0, signal);
  return signal;
}
