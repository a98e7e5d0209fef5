/**
 * `npm run web`: the web app on a Vite dev server. Without --rpc-url it starts the
 * embedded local cluster (`strata-localnet`, built with cargo on first run), deploys the
 * demo pool with a book of positions (`demo.ts`) and keeps its prices fresh; with
 * --rpc-url the page reads that cluster (and --pool, or the first pool it finds).
 *
 *   npm run web [-- --port 5173] [--host 127.0.0.1] [--positions 60]
 *   npm run web -- --rpc-url https://api.devnet.solana.com [--ws-url …] [--pool …]
 */
import { fileURLToPath } from 'node:url';

import { isAddress, type Address } from '@solana/kit';
import { Command } from 'commander';
import { createServer } from 'vite';

import { startCluster } from '../../sim/cluster.js';
import { buildDemo, keepPricesFresh, webFile, type WebFile } from './demo.js';
import { webFilePlugin } from './web-file.js';

const flags = new Command()
  .name('strata-web')
  .description('Serves the Strata web app; without --rpc-url, on a local cluster with a demo pool')
  .option('--rpc-url <url>', 'read this cluster instead of starting one')
  .option('--ws-url <url>', 'its subscriptions endpoint (default: the RPC URL with ws://)')
  .option('--pool <address>', 'the pool to show (default: the demo pool, or the first found)')
  .option('--positions <n>', 'positions in the demo book', '60')
  .option('--port <n>', 'port of the page', '5173')
  .option('--host <host>', 'interface of the page', '127.0.0.1')
  .parse()
  .opts<{ rpcUrl?: string; wsUrl?: string; pool?: string; positions: string; port: string; host: string }>();

if (flags.pool && !isAddress(flags.pool)) {
  console.error(`--pool: '${flags.pool}' is not a base58 address`);
  process.exit(2);
}

const stops: (() => unknown)[] = [];
let file: WebFile;
if (flags.rpcUrl) {
  file = { rpcUrl: flags.rpcUrl, ...(flags.wsUrl ? { wsUrl: flags.wsUrl } : {}), pool: flags.pool as Address, names: {} };
} else {
  console.log('starting the local cluster (cargo build -p strata-localnet on first run)…');
  const cluster = await startCluster();
  stops.push(() => cluster.stop());
  console.log(`cluster ${cluster.url}; deploying the demo pool and opening ${flags.positions} positions…`);
  const demo = await buildDemo(cluster, { positions: Number(flags.positions) });
  stops.push(keepPricesFresh(cluster, demo));
  file = webFile(cluster, demo);
}

const server = await createServer({
  configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
  server: { port: Number(flags.port), host: flags.host, strictPort: false },
  plugins: [webFilePlugin(file)],
});
await server.listen();
stops.unshift(() => server.close());
const url = server.resolvedUrls?.local[0] ?? `http://${flags.host}:${flags.port}/`;
console.log(`Strata web app: ${url}  (cluster ${file.rpcUrl}${file.pool ? `, pool ${file.pool}` : ''}; Ctrl-C stops everything)`);

const stop = async () => {
  for (const s of stops) await s();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
