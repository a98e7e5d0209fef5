/**
 * The keeper loop: every poll, find the pool's indebted positions, value them at the
 * prices the next refresh will cache, and liquidate (or have the tranches absorb)
 * what is liquidatable. A failing RPC call is retried; a cycle that still fails is
 * logged and counted, and the next one starts on time.
 */
import { createSolanaRpcSubscriptions, type Address, type Rpc, type SolanaRpcApi, type TransactionSigner } from '@solana/kit';

import { KeeperConfigSchema } from './config.js';
import { Executor, actionInstructions, fitsInTransaction, type Outcome } from './executor.js';
import type { Logger } from './log.js';
import { readMarket, type Market } from './market.js';
import type { KeeperMetrics } from './metrics.js';
import { planActions, splitBatch, type Action } from './planner.js';
import { withRetry } from './retry.js';
import { scanPositions } from './scanner.js';

export type KeeperOptions = {
  pool: Address;
  pollIntervalMs: number;
  dryRun: boolean;
  minProfit: bigint;
  computeUnitPrice: bigint;
  computeUnitLimit: number;
  maxPositionsPerTx: number;
  /** Transactions sent at once. */
  maxInFlight: number;
  /** WebSocket endpoint: when set, a cycle also starts on every new slot (the poll
   * interval stays the longest wait). */
  wsUrl?: string;
  rpcRetries: number;
  rpcRetryDelayMs: number;
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
  scanned: number;
  unhealthy: number;
  actions: { action: Action['kind']; positions: number; outcome: Outcome }[];
  skipped: number;
};

const positionsOf = (action: Action): number => (action.kind === 'batch' ? action.positions.length : 1);

export class Keeper {
  private readonly executor: Executor;

  constructor(
    private readonly rpc: Rpc<SolanaRpcApi>,
    private readonly signer: TransactionSigner,
    private readonly options: KeeperOptions,
    private readonly metrics: KeeperMetrics,
    private readonly log: Logger,
  ) {
    this.executor = new Executor(rpc, signer, options, (method, call) => this.retry(method, call), (method, error) => {
      this.metrics.rpcErrors.inc({ method });
      this.log.warn({ method, error: (error as Error).message }, 'rpc call failed; the transaction is watched on');
    });
  }

  private retry<T>(method: string, call: () => Promise<T>): Promise<T> {
    return withRetry(method, call, {
      retries: this.options.rpcRetries,
      delayMs: this.options.rpcRetryDelayMs,
      onError: (name, error, attempt) => {
        this.metrics.rpcErrors.inc({ method: name });
        this.log.warn({ method: name, attempt, error: (error as Error).message }, 'rpc call failed');
      },
    });
  }

  /** One scan and the actions it calls for. */
  async cycle(): Promise<CycleReport> {
    const started = performance.now();
    const startedAt = Date.now();
    const positions = await this.retry('getProgramAccounts', () => scanPositions(this.rpc, this.options.pool));
    const market = await this.retry('getMultipleAccounts', () =>
      readMarket(this.rpc, this.options.pool, this.signer.address, (index, error) =>
        this.log.warn({ collateral: index, error: (error as Error).message }, 'oracle unreadable; using the cached price'),
      ),
    );
    const plan = planActions(market, positions, this.options);
    this.metrics.positionsScanned.inc(positions.length);
    this.metrics.unhealthy.set(plan.unhealthy);
    this.metrics.scanSeconds.observe((performance.now() - started) / 1_000);
    this.metrics.lastScanAt = Date.now();
    for (const { position, reason } of plan.skipped) {
      this.metrics.skipped.inc({ reason });
      this.log.debug({ position: position.address, reason }, 'position skipped');
    }
    const report: CycleReport = { startedAt, scanned: positions.length, unhealthy: plan.unhealthy, actions: [], skipped: plan.skipped.length };
    // Up to `maxInFlight` transactions at once: the planner split the keeper's notes
    // between the actions, so they cannot overdraw it whatever order they land in.
    const queue = [...plan.actions];
    const worker = async () => {
      for (let action = queue.shift(); action; action = queue.shift()) {
        const done = await this.execute(action, market.state);
        if (done === 'split' && action.kind === 'batch') queue.unshift(...splitBatch(action));
        else if (done !== 'split') report.actions.push(done);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.options.maxInFlight) }, worker));
    return report;
  }

  /** Builds and runs one action; 'split' when it is a batch too large for one
   * transaction (the caller halves it). */
  private async execute(action: Action, state: Market['state']): Promise<CycleReport['actions'][number] | 'split'> {
    const count = positionsOf(action);
    let outcome: Outcome;
    try {
      const instructions = await actionInstructions(action, this.signer, this.options.pool, state, this.options);
      if (!fitsInTransaction(instructions, this.signer)) {
        if (action.kind === 'batch' && action.positions.length > 1) return 'split';
        throw new Error('the transaction exceeds the size limit');
      }
      this.metrics.sent.inc({ kind: action.kind }, count);
      outcome = await this.executor.run(instructions);
    } catch (error) {
      outcome = { status: 'failed', reason: (error as Error).message };
    }
    if (outcome.status === 'landed') {
      this.metrics.landed.inc({ kind: action.kind }, count);
      this.metrics.latencySeconds.observe(outcome.seconds);
    } else if (outcome.status === 'failed') {
      this.metrics.failed.inc({ kind: action.kind, reason: outcome.reason.slice(0, 60) });
    }
    this.log.info({ action: action.kind, positions: count, outcome }, 'action');
    return { action: action.kind, positions: count, outcome };
  }

  /** Runs cycles until `signal` aborts; `onCycle` sees every report. A cycle starts
   * every `pollIntervalMs`, or sooner on a new slot when `wsUrl` is set. */
  async run(signal: AbortSignal, onCycle?: (report: CycleReport) => void): Promise<void> {
    const slots = new SlotWaker(this.options.wsUrl, signal, this.log);
    while (!signal.aborted) {
      const started = Date.now();
      try {
        const report = await this.cycle();
        onCycle?.(report);
        if (report.unhealthy > 0 || report.actions.length > 0) {
          this.log.info({ scanned: report.scanned, unhealthy: report.unhealthy, actions: report.actions.length }, 'cycle');
        }
      } catch (error) {
        this.log.error({ error: (error as Error).message }, 'cycle failed');
      }
      await slots.next(Math.max(0, this.options.pollIntervalMs - (Date.now() - started)));
    }
  }
}

/** Waits for the next cycle: `next(ms)` resolves after `ms`, on abort, or (with a
 * WebSocket endpoint) on the first slot notification since the last wait began, so a
 * slot that opened during a cycle starts the next one at once. A subscription that
 * fails leaves plain polling. */
class SlotWaker {
  private slotSeen = false;
  private wake?: () => void;

  constructor(wsUrl: string | undefined, private readonly signal: AbortSignal, log: Logger) {
    if (!wsUrl) return;
    void (async () => {
      try {
        const notifications = await createSolanaRpcSubscriptions(wsUrl).slotNotifications().subscribe({ abortSignal: signal });
        log.info({ wsUrl }, 'cycles follow slot notifications');
        for await (const _slot of notifications) {
          this.slotSeen = true;
          this.wake?.();
        }
      } catch (error) {
        if (!signal.aborted) log.warn({ wsUrl, error: (error as Error).message }, 'slot subscription failed; polling only');
      }
    })();
  }

  next(ms: number): Promise<void> {
    if (this.slotSeen || this.signal.aborted) {
      this.slotSeen = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.signal.removeEventListener('abort', done);
        this.wake = undefined;
        this.slotSeen = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.signal.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }
}
