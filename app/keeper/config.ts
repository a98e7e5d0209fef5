/**
 * Keeper configuration: a JSON file, then environment variables, then command-line
 * flags (each overriding the one before), validated once at start. A bad value stops
 * the keeper with every problem listed, before it touches the network.
 */
import { readFileSync } from 'node:fs';

import { isAddress } from '@solana/kit';
import { z } from 'zod';

import { parseShard } from './fleet.js';

const address = z.string().refine(isAddress, { message: 'not a base58 Solana address' });
const amount = z
  .union([z.string(), z.number(), z.bigint()])
  .transform((value, ctx) => {
    try {
      const parsed = BigInt(value);
      if (parsed < 0n) throw new RangeError();
      return parsed;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not a non-negative integer' });
      return z.NEVER;
    }
  });

export const KeeperConfigSchema = z
  .object({
    /** JSON-RPC endpoint. */
    rpcUrl: z.url(),
    /** WebSocket endpoint: cycles also start on every new slot (slotSubscribe). */
    wsUrl: z.url({ protocol: /^wss?$/ }).optional(),
    /** The pool to keep. */
    pool: address,
    /** Path to the keeper's keypair file (a JSON array of 64 bytes, as `solana-keygen` writes). */
    keypairPath: z.string().min(1),
    /** How often positions and prices are re-read, milliseconds. */
    pollIntervalMs: z.coerce.number().int().min(50).max(60_000).default(1_000),
    /** Simulate transactions instead of sending them. */
    dryRun: z.coerce.boolean().default(false),
    /** Skip liquidations whose expected profit (collateral value received minus notes
     * repaid, native note units) is below this. */
    minProfit: amount.default(0n),
    /** Also buy the tranches' absorbed collateral with the notes liquidations leave
     * (`recovery_sale`, at spot less the collateral's minimum liquidation bonus), when
     * the discount is worth at least `minProfit`. */
    recover: z.coerce.boolean().default(false),
    /** Priority fee, micro-lamports per compute unit (0: none). */
    computeUnitPrice: amount.default(0n),
    /** Compute unit limit requested per transaction (0: the runtime's default). */
    computeUnitLimit: z.coerce.number().int().min(0).max(1_400_000).default(0),
    /** Most positions one liquidate_batch transaction carries when they come from one
     * of the keeper's lookup tables (the program takes 48 at most); positions in no
     * table go 20 at a time (a legacy-sized transaction holds 23). */
    maxPositionsPerTx: z.coerce.number().int().min(1).max(48).default(48),
    /** With a WebSocket, start a cycle on every new slot (off: on oracle moves, book
     * changes are followed, and polls only). */
    slotCycles: z.coerce.boolean().default(true),
    /** Create, extend and batch through address lookup tables (v0 transactions);
     * off: legacy-sized batches only. */
    lookupTables: z.coerce.boolean().default(true),
    /** With a WebSocket, the longest time between full scans of the book, milliseconds
     * (programSubscribe keeps it current in between). */
    rescanMs: z.coerce.number().int().min(1_000).max(3_600_000).default(30_000),
    /** This keeper's share of the pool's positions, `i/n` (by a hash of the address). */
    shard: z
      .string()
      .transform((text, ctx) => {
        try {
          return parseShard(text);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      })
      .optional(),
    /** Directory where the fleet's keepers write and read their heartbeats. */
    fleetDir: z.string().min(1).optional(),
    /** How often this keeper writes its heartbeat, milliseconds. */
    heartbeatMs: z.coerce.number().int().min(100).max(60_000).default(1_000),
    /** A shard whose heartbeat is older than this is taken over, milliseconds. */
    takeoverMs: z.coerce.number().int().min(500).max(600_000).default(3_000),
    /** Transactions being built and sent at once. Once its send is answered (or timed
     * out), a transaction is only watched until its outcome, and holds no place. */
    maxInFlight: z.coerce.number().int().min(1).max(64).default(4),
    /** Longest wait for one RPC answer, milliseconds. Five slots: an answer that has
     * not come by then is asked for again rather than waited for (a healthy scan of
     * 1,000 positions answers in about 0.1 s). Also the longest silence of the slot
     * subscription before it is made again (at least 2 s). */
    rpcTimeoutMs: z.coerce.number().int().min(100).max(60_000).default(2_000),
    /** A read with no answer after this long is asked again, the first answer winning
     * (0: never). About a slot: longer than a healthy answer, short enough that a late
     * one costs little. */
    rpcHedgeMs: z.coerce.number().int().min(0).max(60_000).default(500),
    /** How many times an RPC call that failed for a passing reason (no answer, a
     * broken connection, HTTP 429 or 5xx) is retried, and the first back-off delay
     * (doubled each time, at most 2 s, half of it random). */
    rpcRetries: z.coerce.number().int().min(0).max(10).default(3),
    rpcRetryDelayMs: z.coerce.number().int().min(0).max(10_000).default(200),
    /** Port of the Prometheus `/metrics` and `/healthz` endpoints (0: a free port). */
    metricsPort: z.coerce.number().int().min(0).max(65_535).default(9_464),
    logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  })
  .strict();

export type KeeperConfig = z.output<typeof KeeperConfigSchema>;

/** Environment variables read, by config key. */
export const ENV_KEYS: Record<keyof KeeperConfig, string> = {
  rpcUrl: 'STRATA_KEEPER_RPC_URL',
  wsUrl: 'STRATA_KEEPER_WS_URL',
  pool: 'STRATA_KEEPER_POOL',
  keypairPath: 'STRATA_KEEPER_KEYPAIR',
  pollIntervalMs: 'STRATA_KEEPER_POLL_MS',
  dryRun: 'STRATA_KEEPER_DRY_RUN',
  minProfit: 'STRATA_KEEPER_MIN_PROFIT',
  recover: 'STRATA_KEEPER_RECOVER',
  computeUnitPrice: 'STRATA_KEEPER_CU_PRICE',
  computeUnitLimit: 'STRATA_KEEPER_CU_LIMIT',
  maxPositionsPerTx: 'STRATA_KEEPER_MAX_POSITIONS_PER_TX',
  lookupTables: 'STRATA_KEEPER_LOOKUP_TABLES',
  slotCycles: 'STRATA_KEEPER_SLOT_CYCLES',
  rescanMs: 'STRATA_KEEPER_RESCAN_MS',
  shard: 'STRATA_KEEPER_SHARD',
  fleetDir: 'STRATA_KEEPER_FLEET_DIR',
  heartbeatMs: 'STRATA_KEEPER_HEARTBEAT_MS',
  takeoverMs: 'STRATA_KEEPER_TAKEOVER_MS',
  maxInFlight: 'STRATA_KEEPER_MAX_IN_FLIGHT',
  rpcTimeoutMs: 'STRATA_KEEPER_RPC_TIMEOUT_MS',
  rpcHedgeMs: 'STRATA_KEEPER_RPC_HEDGE_MS',
  rpcRetries: 'STRATA_KEEPER_RPC_RETRIES',
  rpcRetryDelayMs: 'STRATA_KEEPER_RPC_RETRY_DELAY_MS',
  metricsPort: 'STRATA_KEEPER_METRICS_PORT',
  logLevel: 'STRATA_KEEPER_LOG_LEVEL',
};

/** Keys whose environment variable reads `true`/`1` as on, anything else as off. */
const BOOLEAN_KEYS = new Set(['dryRun', 'recover', 'lookupTables', 'slotCycles']);

/** A configuration that did not validate, with every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid keeper configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Merges file < env < flags and validates. `flags` keys are config keys. */
export function loadConfig(options: {
  file?: string;
  env?: NodeJS.ProcessEnv;
  flags?: Partial<Record<keyof KeeperConfig, unknown>>;
}): KeeperConfig {
  let fromFile: Record<string, unknown> = {};
  if (options.file !== undefined) {
    try {
      fromFile = JSON.parse(readFileSync(options.file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError([`config file ${options.file}: ${(error as Error).message}`]);
    }
  }
  const fromEnv: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(ENV_KEYS)) {
    const value = options.env?.[variable];
    if (value !== undefined && value !== '') fromEnv[key] = BOOLEAN_KEYS.has(key) ? value === 'true' || value === '1' : value;
  }
  const fromFlags = Object.fromEntries(Object.entries(options.flags ?? {}).filter(([, value]) => value !== undefined));
  const parsed = KeeperConfigSchema.safeParse({ ...fromFile, ...fromEnv, ...fromFlags });
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(config)'}: ${issue.message}`));
  }
  return parsed.data;
}
