/**
 * The real embedded local cluster for end-to-end tests: `cargo build -p
 * strata-localnet` (a no-op when up to date), then the binary on a free port, stopped
 * with SIGTERM. With `STRATA_RPC_URL` set the tests run against that cluster instead
 * (e.g. `solana-test-validator` with Strata deployed); tests that need the local
 * cluster's dev methods are skipped there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { generateKeyPairSigner, type KeyPairSigner } from '@solana/kit';

import { connect } from '../admin/chain.js';
import { airdrop, rpcCall } from '../admin/dev.js';
import type { ClusterClient } from '../admin/send.js';

export { airdrop };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type Cluster = ClusterClient & {
  url: string;
  /** WebSocket subscriptions endpoint, when the cluster serves one. */
  wsUrl?: string;
  /** Whether the dev methods (Pyth publishing, clock) exist. */
  local: boolean;
  /** The cluster's process, when this started it (benchmarks read its CPU time). */
  pid?: number;
  stop(): Promise<void>;
};

/** The build, once started: every cluster of this process waits for the same one. */
let built: Promise<string> | undefined;

/** Builds the cluster (a no-op when up to date) and gives its binary. `progress`: say
 * so and show cargo's progress (a first build compiles the Solana runtime: minutes,
 * not seconds). Run as a child process that is waited for, never synchronously: a
 * build that takes a minute (a fresh checkout recompiles the workspace's crates) must
 * not stop the caller's event loop, where a test runner's worker answers its runner
 * (vitest reports a worker silent for 60 s as an error, every test passing). */
function build(progress: boolean): Promise<string> {
  const target = process.env.CARGO_TARGET_DIR ?? `${ROOT}/target`;
  built ??= new Promise<string>((resolve, reject) => {
    if (progress) {
      console.log('building the embedded local cluster (cargo build -p strata-localnet): instant when built, about 5 to 8 minutes the first time on 2 cores');
    }
    const args = ['build', '--locked', ...(progress ? [] : ['--quiet']), '-p', 'strata-localnet'];
    const cargo = spawn('cargo', args, { cwd: ROOT, stdio: 'inherit' });
    cargo.once('error', reject);
    cargo.once('exit', (code) => (code === 0 ? resolve(`${target}/debug/strata-localnet`) : reject(new Error('cargo build -p strata-localnet failed'))));
  }).catch((error: unknown) => {
    // A failed build is tried again by the next cluster.
    built = undefined;
    throw error;
  });
  return built;
}

/** `slotMs`: how often a slot closes (400 ms, a validator's, unless told); replays
 * that move the clock themselves run shorter slots, since every confirmation waits
 * for its slot to close. */
export async function startCluster(options: { buildProgress?: boolean; slotMs?: number } = {}): Promise<Cluster> {
  const external = process.env.STRATA_RPC_URL;
  if (external) {
    // Another strata-localnet has the dev methods; a validator answers "method not found".
    const local = await rpcCall(external, 'strata_advanceClock', [0]).then(
      () => true,
      () => false,
    );
    return { url: external, wsUrl: process.env.STRATA_WS_URL, ...connect(external, process.env.STRATA_WS_URL), local, stop: async () => {} };
  }
  const child: ChildProcess = spawn(await build(options.buildProgress ?? false), ['--port', '0', ...(options.slotMs ? ['--slot-ms', String(options.slotMs)] : [])], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, RUST_LOG: 'error' } });
  const [url, wsUrl] = await new Promise<[string, string]>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`strata-localnet did not start: ${output}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const http = /listening on (http:\/\/\S+)/.exec(output);
      const ws = /websocket subscriptions on (ws:\/\/\S+)/.exec(output);
      if (http && ws) {
        clearTimeout(timer);
        resolve([http[1]!, ws[1]!]);
      }
    });
    child.once('exit', (code) => reject(new Error(`strata-localnet exited with ${code}: ${output}`)));
  });
  return {
    url,
    wsUrl,
    ...connect(url, wsUrl),
    local: true,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The command-line flags that point a tool (the admin CLI, the deploy script) at
 * `cluster`: its URL, and its subscriptions' when they are not on the next port. */
export const endpointFlags = (cluster: Cluster): string[] => ['--url', cluster.url, ...(cluster.wsUrl ? ['--ws-url', cluster.wsUrl] : [])];

/** A new wallet holding `sol` SOL. */
export async function fundedWallet(cluster: Cluster, sol = 100): Promise<KeyPairSigner> {
  const wallet = await generateKeyPairSigner();
  await airdrop(cluster.rpc, [wallet.address], sol);
  return wallet;
}
