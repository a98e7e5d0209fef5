/**
 * The real embedded local cluster: `cargo build -p strata-localnet` (a no-op when up
 * to date, in `CARGO_TARGET_DIR` or the workspace's `target/`), then the binary on a
 * free port, stopped with SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { Connection, Keypair, LAMPORTS_PER_SOL, type Commitment } from '@solana/web3.js';

/** The workspace's root. */
export const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

export type Cluster = {
  url: string;
  /** The WebSocket endpoint (on a free port, not necessarily the next one). */
  wsUrl: string;
  connection(commitment?: Commitment): Connection;
  /** A new wallet holding `sol` SOL (airdropped). */
  wallet(sol?: number): Promise<Keypair>;
  /** Calls a method by raw JSON-RPC; its whole response. */
  call(method: string, params?: unknown[]): Promise<{ result?: any; error?: { code: number; message: string } }>;
  stop(): Promise<void>;
};

let built = false;

function binary(): string {
  const target = process.env.CARGO_TARGET_DIR ?? `${ROOT}/target`;
  if (!built) {
    const result = spawnSync('cargo', ['build', '--locked', '--quiet', '-p', 'strata-localnet', '--bin', 'strata-localnet'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (result.status !== 0) throw new Error('cargo build -p strata-localnet failed');
    built = true;
  }
  return `${target}/debug/strata-localnet`;
}

export async function startCluster(): Promise<Cluster> {
  const child: ChildProcess = spawn(binary(), ['--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, RUST_LOG: 'error' },
  });
  const [url, wsUrl] = await new Promise<[string, string]>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`strata-localnet did not start: ${output}`)), 60_000);
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
  const connection = (commitment: Commitment = 'confirmed') => new Connection(url, { commitment, wsEndpoint: wsUrl });
  let id = 0;
  const call: Cluster['call'] = async (method, params = []) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
    });
    return (await response.json()) as { result?: any; error?: { code: number; message: string } };
  };
  return {
    url,
    wsUrl,
    connection,
    call,
    async wallet(sol = 100) {
      const wallet = Keypair.generate();
      const conn = connection();
      // The cluster answers an airdrop once its slot has closed: it is confirmed.
      const signature = await conn.requestAirdrop(wallet.publicKey, sol * LAMPORTS_PER_SOL);
      const status = (await conn.getSignatureStatus(signature)).value;
      if (status?.err || !status?.confirmationStatus) throw new Error(`airdrop ${signature}: ${JSON.stringify(status)}`);
      return wallet;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Resolves when `predicate` holds, polling every 50 ms, or rejects after `ms`. */
export async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
