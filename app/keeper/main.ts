/**
 * `strata-keeper`: keeps a Strata pool solvent.
 *
 *   npx tsx keeper/main.ts --rpc-url http://127.0.0.1:8899 --pool <address> --keypair keeper.json
 *
 * Configuration from `--config <file.json>`, then `STRATA_KEEPER_*` variables, then
 * flags; `--help` lists them. Serves Prometheus metrics on `/metrics` and liveness on
 * `/healthz`. Stops within a second of SIGINT/SIGTERM, whatever is in flight: every
 * RPC call is aborted, and each transaction already sent is named in the log as left
 * to land or expire with its blockhash.
 */
import { Command } from 'commander';

import { loadKeypairSigner } from '../admin/chain.js';
import { ConfigError, loadConfig, type KeeperConfig } from './config.js';
import { Keeper } from './keeper.js';
import { createLogger } from './log.js';
import { KeeperMetrics, serveMetrics } from './metrics.js';
import { createKeeperRpc } from './rpc.js';

const program = new Command('strata-keeper')
  .description('Liquidates unhealthy Strata positions, or has the tranches absorb them.')
  .option('--config <file>', 'JSON configuration file')
  .option('--rpc-url <url>', 'JSON-RPC endpoint')
  .option('--ws-url <url>', 'WebSocket endpoint; cycles then also start on every new slot')
  .option('--pool <address>', 'the pool to keep')
  .option('--keypair <file>', 'keypair file (JSON array of 64 bytes)')
  .option('--poll-ms <ms>', 'poll interval')
  .option('--dry-run', 'simulate instead of sending')
  .option('--min-profit <notes>', 'minimum expected profit per liquidation (or recovery sale), native note units')
  .option('--recover', "buy the tranches' absorbed collateral with spare notes when its discount pays --min-profit")
  .option('--cu-price <microLamports>', 'priority fee per compute unit')
  .option('--cu-limit <units>', 'compute unit limit per transaction')
  .option('--max-positions-per-tx <n>', 'positions per liquidate_batch transaction drawn from one lookup table (at most 48)')
  .option('--no-lookup-tables', 'legacy-sized batches only (20 positions), no address lookup tables (by default the keeper creates its own and batches up to 48 positions per v0 transaction)')
  .option('--no-slot-cycles', 'with --ws-url, start cycles on oracle moves and polls, not on every slot')
  .option('--rescan-ms <ms>', 'longest time between full scans while programSubscribe keeps the book')
  .option('--shard <i/n>', "this keeper's share of the positions, by a hash of their address")
  .option('--fleet-dir <dir>', "directory of the fleet's heartbeat files (takeover of a silent shard)")
  .option('--heartbeat-ms <ms>', 'how often the heartbeat is written')
  .option('--takeover-ms <ms>', 'take over a shard whose heartbeat is older than this')
  .option('--max-in-flight <n>', 'transactions sent at once')
  .option('--rpc-timeout-ms <ms>', 'longest wait for one RPC answer')
  .option('--rpc-hedge-ms <ms>', 'ask a read again after this long without an answer (0: never)')
  .option('--metrics-port <port>', 'port of /metrics and /healthz')
  .option('--log-level <level>', 'trace, debug, info, warn, error')
  .parse();

const flags = program.opts<Record<string, string | boolean | undefined>>();
let config: KeeperConfig;
try {
  config = loadConfig({
    file: flags.config as string | undefined,
    env: process.env,
    flags: {
      rpcUrl: flags.rpcUrl,
      wsUrl: flags.wsUrl,
      pool: flags.pool,
      keypairPath: flags.keypair,
      pollIntervalMs: flags.pollMs,
      dryRun: flags.dryRun,
      minProfit: flags.minProfit,
      recover: flags.recover,
      computeUnitPrice: flags.cuPrice,
      computeUnitLimit: flags.cuLimit,
      maxPositionsPerTx: flags.maxPositionsPerTx,
      lookupTables: flags.lookupTables === false ? false : undefined,
      slotCycles: flags.slotCycles === false ? false : undefined,
      rescanMs: flags.rescanMs,
      shard: flags.shard,
      fleetDir: flags.fleetDir,
      heartbeatMs: flags.heartbeatMs,
      takeoverMs: flags.takeoverMs,
      maxInFlight: flags.maxInFlight,
      rpcTimeoutMs: flags.rpcTimeoutMs,
      rpcHedgeMs: flags.rpcHedgeMs,
      metricsPort: flags.metricsPort,
      logLevel: flags.logLevel,
    },
  });
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}

/** Longest time from SIGINT/SIGTERM to exit. */
const STOP_DEADLINE_MS = 900;
/** A send's answer is awaited this many RPC timeouts (see rpc.ts, `sendTimeoutMs`). */
const SEND_TIMEOUT_FACTOR = 5;

const log = createLogger(config.logLevel);
const signer = await loadKeypairSigner(config.keypairPath);
const metrics = new KeeperMetrics();
const server = await serveMetrics(metrics, config.metricsPort, 5 * config.pollIntervalMs);
log.info({ pool: config.pool, keeper: signer.address, rpcUrl: config.rpcUrl, dryRun: config.dryRun, metricsPort: server.port }, 'keeper started');
const stop = new AbortController();
for (const name of ['SIGINT', 'SIGTERM'] as const) {
  process.on(name, () => {
    if (stop.signal.aborted) return;
    log.info({ signal: name }, 'stopping');
    stop.abort(new Error(`stopped by ${name}`));
    // Everything below takes the signal; this only bounds what would not.
    setTimeout(() => {
      log.error({ afterMs: STOP_DEADLINE_MS }, 'still running after the stop deadline; exiting');
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
  });
}
const rpc = createKeeperRpc(config.rpcUrl, {
  timeoutMs: config.rpcTimeoutMs,
  sendTimeoutMs: SEND_TIMEOUT_FACTOR * config.rpcTimeoutMs,
  hedgeMs: config.rpcHedgeMs,
  signal: stop.signal,
});
const keeper = new Keeper(rpc, signer, config, metrics, log);
await keeper.run(stop.signal);
// Sent transactions are left to the cluster: each lands, or expires with its blockhash.
const inFlight = keeper.inFlight().filter((flight) => flight.sentAt !== undefined);
for (const flight of inFlight) {
  log.warn(
    { signature: flight.signature, sent: true, lastValidBlockHeight: flight.lastValidBlockHeight, action: flight.action.kind, positions: flight.positions.length },
    'left in flight',
  );
}
const tablesInFlight = keeper.tablesInFlight();
for (const { signature, lastValidBlockHeight } of tablesInFlight) {
  log.warn({ signature, sent: true, lastValidBlockHeight, action: 'lookup-table', positions: 0 }, 'left in flight');
}
server.closeAllConnections();
server.close();
log.info({ inFlight: inFlight.length + tablesInFlight.length }, 'keeper stopped');
// Idle keep-alive sockets to the RPC would hold the process a few seconds more.
process.exit(0);
