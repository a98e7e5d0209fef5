/**
 * The keeper as an operator runs it: `keeper/main.ts` in a child process, with its own
 * keypair file, its JSON log lines collected, its `/metrics` and `/healthz` read over
 * HTTP, and stopped by a signal (SIGTERM, SIGINT, or SIGKILL for a crash).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createKeyPairSignerFromBytes, type Address, type KeyPairSigner } from '@solana/kit';
import { getTransferInstruction } from '@solana-program/token';

import type { DeployState } from '../admin/deploy.js';
import { sendInstructions } from '../admin/send.js';
import { associatedTokenAddress, tx } from '../src/index.js';
import { airdrop, type Cluster } from './cluster.js';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

/** A new keypair written as `solana-keygen` writes it, funded with `sol` SOL. */
export async function keeperKeypair(cluster: Cluster, sol = 100): Promise<{ path: string; signer: KeyPairSigner }> {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  const bytes = Buffer.concat([Buffer.from(jwk.d!, 'base64url'), Buffer.from(jwk.x!, 'base64url')]);
  const path = join(mkdtempSync(join(tmpdir(), 'strata-keeper-')), 'keeper.json');
  writeFileSync(path, JSON.stringify([...bytes]));
  const signer = await createKeyPairSignerFromBytes(bytes);
  if (sol > 0) await airdrop(cluster.rpc, [signer.address], sol);
  return { path, signer };
}

/** Moves `amount` notes from `from` to `to`'s note account (created if missing). */
export async function giveNotes(cluster: Cluster, state: DeployState, from: KeyPairSigner, to: Address, amount: bigint): Promise<void> {
  const source = await associatedTokenAddress(from.address, state.noteMint);
  const destination = await associatedTokenAddress(to, state.noteMint);
  await sendInstructions(cluster, from, [
    tx.createAssociatedTokenIdempotentInstruction({ payer: from, associatedToken: destination, owner: to, mint: state.noteMint }),
    getTransferInstruction({ source, destination, authority: from, amount }),
  ]);
}

/** One Prometheus sample. */
export type Sample = { name: string; labels: Record<string, string>; value: number };

/** Parses Prometheus' text format (the samples; comments skipped). */
export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of `name`'s samples whose labels include `labels`. */
export const metricSum = (samples: readonly Sample[], name: string, labels: Record<string, string> = {}) =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value))
    .reduce((sum, s) => sum + s.value, 0);

export type KeeperProcess = {
  signer: KeyPairSigner;
  child: ChildProcess;
  metricsPort: number;
  /** Every line it wrote so far (JSON log lines, and anything else). */
  output(): string;
  /** Its JSON log lines so far. */
  logs(): Record<string, unknown>[];
  metrics(): Promise<Sample[]>;
  healthz(): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Sends `signal`; resolves with the exit code and how long the process took to exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

export type KeeperProcessOptions = {
  rpcUrl: string;
  wsUrl?: string;
  pool: Address;
  keypair: { path: string; signer: KeyPairSigner };
  /** More flags, e.g. `['--poll-ms', '250']`. */
  args?: readonly string[];
  env?: Record<string, string>;
  /** Log level (default info). */
  logLevel?: string;
};

/** Starts `keeper/main.ts`; resolves once it has logged "keeper started" (its metrics port). */
export async function startKeeperProcess(options: KeeperProcessOptions): Promise<KeeperProcess> {
  const args = [
    '--import', 'tsx', 'keeper/main.ts',
    '--rpc-url', options.rpcUrl,
    ...(options.wsUrl ? ['--ws-url', options.wsUrl] : []),
    '--pool', options.pool,
    '--keypair', options.keypair.path,
    '--metrics-port', '0',
    '--log-level', options.logLevel ?? 'info',
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, { cwd: APP_DIR, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const logs = () =>
    output.split('\n').flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  const metricsPort = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const started = logs().find((line) => line.msg === 'keeper started');
      if (started) {
        clearInterval(timer);
        resolve(started.metricsPort as number);
      }
    }, 50);
    void exited.then(({ code }) => {
      clearInterval(timer);
      reject(new Error(`the keeper exited with ${code} before starting:\n${output}`));
    });
  });
  const base = `http://127.0.0.1:${metricsPort}`;
  return {
    signer: options.keypair.signer,
    child,
    metricsPort,
    output: () => output,
    logs,
    metrics: async () => parseMetrics(await (await fetch(`${base}/metrics`)).text()),
    healthz: async () => {
      const response = await fetch(`${base}/healthz`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    stop: async (signal = 'SIGTERM') => {
      const sent = performance.now();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const { code, signal: by } = await exited;
      return { code, signal: by, ms: performance.now() - sent };
    },
    exited,
  };
}
