/**
 * Shared steps of the end-to-end tests, all through the client: a pool deployed with
 * `deploy` (a legacy-Pyth and a pull-Pyth collateral, senior and junior tranches),
 * users holding its collateral tokens, prices moved with the local cluster's dev
 * methods, transactions sent with `sendInstructions` and their events read back from
 * `getTransaction` with `parseEventLogs`, views simulated and decoded.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createKeyPairSignerFromBytes, generateKeyPairSigner, type Address, type Instruction, type KeyPairSigner, type Rpc, type Signature, type SolanaRpcApi } from '@solana/kit';
import { expect } from 'vitest';

import { clusterClock, fetchPool, fetchPosition, fetchTranche, tokenBalance, transactionEvents } from '../../admin/chain.js';
import { createMintInstructions, deploy, parseDeployConfig, type DeployState } from '../../admin/deploy.js';
import { sendInstructions, simulateInstructions, TransactionFailed } from '../../admin/send.js';
import {
  associatedTokenAddress,
  noteMintAddress,
  positionAddress,
  tx,
  type CollateralRef,
  type Pool,
  type StrataEvent,
  type StrataEventName,
  type StrataEventData,
} from '../../src/index.js';
import { mintCollateral } from '../../sim/book.js';
import { LOCAL_CONFIG } from '../../sim/config.js';
import { publishPrice, refreshInstructions } from '../../sim/prices.js';
import { airdrop, fundedWallet, type Cluster } from './cluster.js';

export { LOCAL_CONFIG };
export { WAD } from '../../src/math.js';

export type CollateralName = 'wSOL' | 'tBILL';

/** Whole units → native units. */
export const SOL = (n: number) => BigInt(Math.round(n * 1e9));
export const USD = (n: number) => BigInt(Math.round(n * 1e6));

/** A deployed pool on a cluster. */
export class World {
  private constructor(
    readonly cluster: Cluster,
    readonly authority: KeyPairSigner,
    readonly state: DeployState,
  ) {}

  static async deploy(cluster: Cluster, config: object = LOCAL_CONFIG, authority?: KeyPairSigner): Promise<World> {
    authority ??= await fundedWallet(cluster, 1_000);
    const statePath = join(mkdtempSync(join(tmpdir(), 'strata-e2e-')), 'state.json');
    const state = await deploy(parseDeployConfig(config), { ...cluster, authority, statePath });
    return new World(cluster, authority, state);
  }

  get rpc(): Rpc<SolanaRpcApi> {
    return this.cluster.rpc;
  }

  get pool(): Address {
    return this.state.pool;
  }

  ref(name: CollateralName): CollateralRef {
    const c = this.state.collaterals[name]!;
    return { index: c.index, mint: c.mint, tokenProgram: c.tokenProgram };
  }

  fetchPool(): Promise<Pool> {
    return fetchPool(this.rpc, this.pool);
  }

  async position(owner: Address) {
    const position = await fetchPosition(this.rpc, await positionAddress(this.pool, owner));
    if (!position) throw new Error(`no position of ${owner}`);
    return position;
  }

  async tranche(index: number) {
    const tranche = await fetchTranche(this.rpc, this.state.tranches[index]!);
    if (!tranche) throw new Error(`no tranche ${index}`);
    return tranche;
  }

  async now(): Promise<bigint> {
    return (await clusterClock(this.rpc)).unixTimestamp;
  }

  /** Sends, then reads the transaction's events back from `getTransaction`. */
  async send(payer: KeyPairSigner, instructions: readonly Instruction[]): Promise<{ signature: Signature; events: StrataEvent[]; logs: readonly string[] }> {
    await distinct(this.rpc, payer, instructions);
    const signature = await sendInstructions(this.cluster, payer, instructions);
    return { signature, ...(await transactionEvents(this.rpc, signature)) };
  }

  /** Publishes `usd` per whole token for a collateral (dev method), stamped now. */
  publish(name: CollateralName, usd: number): Promise<void> {
    return publishPrice(this.cluster, this.state, name, BigInt(Math.round(usd * 1e8)), -8);
  }

  /** Publishes fresh prices (unchanged unless given) and refreshes both collaterals. */
  async refresh(payer: KeyPairSigner, prices: Partial<Record<CollateralName, number>> = {}) {
    await this.publish('wSOL', prices.wSOL ?? this.prices.wSOL);
    await this.publish('tBILL', prices.tBILL ?? this.prices.tBILL);
    Object.assign(this.prices, prices);
    return this.send(payer, await refreshInstructions(this.state));
  }

  /** The prices last published by `refresh` (the config's to start with). */
  readonly prices: Record<CollateralName, number> = { wSOL: 150, tBILL: 1 };

  /** Mints `amount` native units of a collateral to `owner`'s associated account. */
  async mintCollateral(name: CollateralName, owner: Address, amount: bigint): Promise<Address> {
    const c = this.state.collaterals[name]!;
    await this.send(this.authority, await mintCollateral(this.state, this.authority, this.authority, name, amount, owner));
    return associatedTokenAddress(owner, c.mint, c.tokenProgram);
  }

  /** A new SPL Token mint (authority: the pool authority), not listed anywhere. */
  async createMint(decimals = 6): Promise<Address> {
    const mint = await generateKeyPairSigner();
    await this.send(this.authority, await createMintInstructions(this.rpc, { payer: this.authority, mint, decimals, mintAuthority: this.authority.address }));
    return mint.address;
  }

  /** A new wallet holding the given collateral, with an open position. */
  async user(holdings: Partial<Record<CollateralName, bigint>> = {}, open = true): Promise<KeyPairSigner> {
    const wallet = await fundedWallet(this.cluster);
    for (const [name, amount] of Object.entries(holdings)) await this.mintCollateral(name as CollateralName, wallet.address, amount);
    if (open) await this.send(wallet, (await tx.openPosition({ owner: wallet, pool: this.pool })).instructions);
    return wallet;
  }

  /** Deposits into the owner's position. */
  async deposit(owner: KeyPairSigner, name: CollateralName, amount: bigint) {
    const { instructions } = await tx.deposit({ owner, pool: this.pool, collateralIndex: this.ref(name).index, mint: this.ref(name).mint, tokenProgram: this.ref(name).tokenProgram, amount });
    return this.send(owner, instructions);
  }

  /** Refreshes both collaterals, then mints notes, in one transaction. */
  async mint(owner: KeyPairSigner, amount: bigint) {
    await this.publish('wSOL', this.prices.wSOL);
    await this.publish('tBILL', this.prices.tBILL);
    return this.send(owner, [...(await refreshInstructions(this.state)), ...(await tx.mint({ owner, pool: this.pool, amount })).instructions]);
  }

  async balance(owner: Address, name: CollateralName | 'notes'): Promise<bigint> {
    if (name === 'notes') return tokenBalance(this.rpc, await associatedTokenAddress(owner, await noteMintAddress(this.pool)));
    const c = this.state.collaterals[name]!;
    return tokenBalance(this.rpc, await associatedTokenAddress(owner, c.mint, c.tokenProgram));
  }

  /** Simulates a view and returns its return data (base64 in the RPC's answer). */
  async simulate(payer: KeyPairSigner, instructions: readonly Instruction[]) {
    return simulateInstructions(this.rpc, payer, instructions);
  }
}

/** A new keypair written as `solana-keygen` writes it (for the CLI and scripts),
 * funded with `sol` SOL by airdrop. */
export async function keypairFile(cluster: Cluster, sol = 100): Promise<{ path: string; signer: KeyPairSigner }> {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  const bytes = Buffer.concat([Buffer.from(jwk.d!, 'base64url'), Buffer.from(jwk.x!, 'base64url')]);
  const path = join(mkdtempSync(join(tmpdir(), 'strata-key-')), 'id.json');
  writeFileSync(path, JSON.stringify([...bytes]));
  const signer = await createKeyPairSignerFromBytes(bytes);
  if (sol > 0) await airdrop(cluster.rpc, [signer.address], sol);
  return { path, signer };
}

/** Runs a TypeScript entry point of app/ (the CLI, the deploy script) in a child
 * process, as a user would; stdin is not a terminal. */
export function runScript(
  script: string,
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: APP_DIR,
      env: { ...process.env, STRATA_RPC_URL: undefined, STRATA_WS_URL: undefined, STRATA_KEYPAIR: undefined, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const APP_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** The one event named `name` in `events`. */
export function only<N extends StrataEventName>(events: readonly StrataEvent[], name: N): StrataEventData<N> {
  const found = events.filter((e) => e.name === name);
  expect(found, `${name} events`).toHaveLength(1);
  return found[0]!.data as StrataEventData<N>;
}

/** Awaits a failure and checks that it is the named program error. */
export async function expectProgramError(promise: Promise<unknown>, name: string): Promise<TransactionFailed> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${name}`).toBeInstanceOf(TransactionFailed);
  expect((error as TransactionFailed).programError?.name).toBe(name);
  return error as TransactionFailed;
}

const lastSent = new Map<string, string>();

/** Two identical transactions under one blockhash are one transaction (the second is
 * "already processed"): a test repeating a step (the same mint, the same withdrawal)
 * within a slot waits for the next blockhash first. */
async function distinct(rpc: Rpc<SolanaRpcApi>, payer: KeyPairSigner, instructions: readonly Instruction[]): Promise<void> {
  const key = [
    payer.address,
    ...instructions.map((ix) => `${ix.programAddress}:${(ix.accounts ?? []).map((a) => `${a.address}/${a.role}`).join(',')}:${Buffer.from(ix.data ?? []).toString('hex')}`),
  ].join('|');
  let { value } = await rpc.getLatestBlockhash().send();
  while (lastSent.get(key) === value.blockhash) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    ({ value } = await rpc.getLatestBlockhash().send());
  }
  lastSent.set(key, value.blockhash);
}

/** Waits for the cluster's next slot (liquidations are once per position and slot). */
export async function nextSlot(rpc: Rpc<SolanaRpcApi>): Promise<void> {
  const start = await rpc.getSlot().send();
  while ((await rpc.getSlot().send()) === start) await new Promise((resolve) => setTimeout(resolve, 50));
}
