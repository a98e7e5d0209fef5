/**
 * `strata-keeper`: keeps a Strata pool solvent.
 *
 *   npx tsx keeper/main.ts --rpc-url http://127.0.0.1:8899 --pool <address> --keypair keeper.json
 *
 * Configuration from `--config <file.json>`, then `STRATA_KEEPER_*` variables, then
 * flags; `--help` lists them. Serves Prometheus metrics on `/metrics` and liveness on
 * `/healthz`. Stops cleanly on SIGINT/SIGTERM.
 */
import { createSolanaRpc } from '@solana/kit';
import { Command } from 'commander';

import { loadKeypairSigner } from '../src/admin/chain.js';
import { ConfigError, loadConfig, type KeeperConfig } from './config.js';
import { Keeper } from './keeper.js';
import { createLogger } from './log.js';
import { KeeperMetrics, serveMetrics } from './metrics.js';

const program = new Command('strata-keeper')
  .description('Liquidates unhealthy Strata positions, or has the tranches absorb them.')
  .option('--config <file>', 'JSON configuration file')
  .option('--rpc-url <url>', 'JSON-RPC endpoint')
  .option('--ws-url <url>', 'WebSocket endpoint; cycles then also start on every new slot')
  .option('--pool <address>', 'the pool to keep')
  .option('--keypair <file>', 'keypair file (JSON array of 64 bytes)')
  .option('--poll-ms <ms>', 'poll interval')
  .option('--dry-run', 'simulate instead of sending')
  .option('--min-profit <notes>', 'minimum expected profit per liquidation, native note units')
  .option('--cu-price <microLamports>', 'priority fee per compute unit')
  .option('--cu-limit <units>', 'compute unit limit per transaction')
  .option('--max-positions-per-tx <n>', 'positions per liquidate_batch transaction')
  .option('--max-in-flight <n>', 'transactions sent at once')
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
      computeUnitPrice: flags.cuPrice,
      computeUnitLimit: flags.cuLimit,
      maxPositionsPerTx: flags.maxPositionsPerTx,
      maxInFlight: flags.maxInFlight,
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

const log = createLogger(config.logLevel);
const signer = await loadKeypairSigner(config.keypairPath);
const metrics = new KeeperMetrics();
const server = await serveMetrics(metrics, config.metricsPort, config.pollIntervalMs * 5 + 5_000);
log.info({ pool: config.pool, keeper: signer.address, rpcUrl: config.rpcUrl, dryRun: config.dryRun, metricsPort: server.port }, 'keeper started');
const keeper = new Keeper(createSolanaRpc(config.rpcUrl), signer, config, metrics, log);
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
await keeper.run(stop.signal);
server.close();
log.info('keeper stopped');
