/**
 * Reading Strata's state from a cluster for tools (the admin CLI, the deploy script,
 * end-to-end tests): pools, positions and tranches decoded with the client's
 * decoders, the cluster's clock, token balances, a transaction's events, and the
 * keypair files and cluster monikers the Solana CLI uses.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';

import {
  createKeyPairSignerFromBytes,
  createSolanaRpc,
  createSolanaRpcSubscriptions,
  getBase64Encoder,
  isAddress,
  type Address,
  type KeyPairSigner,
  type ReadonlyUint8Array,
  type Rpc,
  type Signature,
  type SolanaRpcApi,
} from '@solana/kit';
import { getTokenDecoder, getTokenSize } from '@solana-program/token';
import { fetchSysvarClock, getSysvarClockDecoder, SYSVAR_CLOCK_ADDRESS } from '@solana/sysvars';

import { decodePoolData, decodePositionData, decodeTrancheData, positionFilters } from '../src/accounts.js';
import { parseEventLogs, type StrataEvent } from '../src/events.js';
import { STRATA_PROGRAM_ADDRESS, type Pool, type Position, type Tranche } from '../src/generated/index.js';
import { trancheAddress } from '../src/pda.js';
import type { ClusterClient } from './send.js';

/** A failure of the user's input or of what it names (unknown pool, bad keypair
 * file): tools print the message alone and exit with a usage status. */
export class InputError extends Error {
  override name = 'InputError';
}

export const CLOCK_SYSVAR = SYSVAR_CLOCK_ADDRESS;

/** The Solana CLI's cluster monikers; anything else is taken as a URL. */
export const CLUSTER_MONIKERS: Record<string, string> = {
  localhost: 'http://127.0.0.1:8899',
  l: 'http://127.0.0.1:8899',
  devnet: 'https://api.devnet.solana.com',
  d: 'https://api.devnet.solana.com',
  testnet: 'https://api.testnet.solana.com',
  t: 'https://api.testnet.solana.com',
  'mainnet-beta': 'https://api.mainnet-beta.solana.com',
  m: 'https://api.mainnet-beta.solana.com',
};

/** The URL of a moniker or URL; refuses anything else. */
export function resolveRpcUrl(urlOrMoniker: string): string {
  const url = CLUSTER_MONIKERS[urlOrMoniker] ?? urlOrMoniker;
  if (!/^https?:\/\/[^\s]+$/.test(url)) {
    throw new InputError(`--url: expected http(s)://… or one of ${Object.keys(CLUSTER_MONIKERS).join(', ')}; got '${urlOrMoniker}'`);
  }
  return url;
}

/** The WebSocket URL the Solana CLI pairs with a JSON-RPC URL: ws(s), and the next
 * port when one is given (a validator's default layout). */
export function websocketUrl(rpcUrl: string): string {
  const url = new URL(rpcUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (url.port) url.port = String(Number(url.port) + 1);
  return url.toString();
}

/** `--ws-url` checked, or (absent) the URL the Solana CLI pairs with `rpcUrl`. */
export function resolveWsUrl(wsUrl: string | undefined, rpcUrl: string): string {
  if (wsUrl === undefined) return websocketUrl(rpcUrl);
  if (!/^wss?:\/\/[^\s]+$/.test(wsUrl)) throw new InputError(`--ws-url: expected ws(s)://…; got '${wsUrl}'`);
  return wsUrl;
}

/** The cluster at `url`, its subscriptions at `wsUrl` (default: `websocketUrl(url)`). */
export const connect = (url: string, wsUrl = websocketUrl(url)): ClusterClient => ({
  rpc: createSolanaRpc(url),
  rpcSubscriptions: createSolanaRpcSubscriptions(wsUrl),
});

/** The Solana CLI's default keypair path. */
export const DEFAULT_KEYPAIR_PATH = `${homedir()}/.config/solana/id.json`;

/** Reads a keypair file as `solana-keygen` writes it (a JSON array of 64 bytes). */
export async function loadKeypairSigner(path: string): Promise<KeyPairSigner> {
  const file = path.startsWith('~/') ? `${homedir()}${path.slice(1)}` : path;
  let bytes: unknown;
  try {
    bytes = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(`keypair ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  if (!Array.isArray(bytes) || bytes.length !== 64 || !bytes.every((b) => Number.isInteger(b) && b >= 0 && b < 256)) {
    throw new InputError(`keypair ${path}: expected a JSON array of 64 bytes (solana-keygen's format)`);
  }
  try {
    return await createKeyPairSignerFromBytes(Uint8Array.from(bytes as number[]));
  } catch (error) {
    throw new InputError(`keypair ${path}: ${(error as Error).message}`);
  }
}

/** `value` as an address, or an InputError naming `what`. */
export function parseAddress(value: string, what: string): Address {
  if (!isAddress(value)) throw new InputError(`${what}: '${value}' is not a base58 address`);
  return value;
}

export type RawAccount = { owner: Address; lamports: bigint; data: ReadonlyUint8Array };

const base64 = getBase64Encoder();

/** An account's data, or null when it does not exist. */
export async function fetchAccount(rpc: Rpc<SolanaRpcApi>, address: Address): Promise<RawAccount | null> {
  const { value } = await rpc.getAccountInfo(address, { encoding: 'base64' }).send();
  if (!value) return null;
  return { owner: value.owner, lamports: BigInt(value.lamports), data: base64.encode(value.data[0]) };
}

/** The pool at `address`; an InputError when there is none or it is not a pool. */
export async function fetchPool(rpc: Rpc<SolanaRpcApi>, address: Address): Promise<Pool> {
  const account = await fetchAccount(rpc, address);
  if (!account) throw new InputError(`pool ${address} not found: no account at that address on this cluster`);
  if (account.owner !== STRATA_PROGRAM_ADDRESS) {
    throw new InputError(`${address} is not a Strata pool: owned by ${account.owner}, not ${STRATA_PROGRAM_ADDRESS}`);
  }
  try {
    return decodePoolData(account.data);
  } catch (error) {
    throw new InputError(`${address} is not a Strata pool (${(error as Error).message})`);
  }
}

export async function fetchPosition(rpc: Rpc<SolanaRpcApi>, address: Address): Promise<Position | null> {
  const account = await fetchAccount(rpc, address);
  return account ? decodePositionData(account.data) : null;
}

export async function fetchTranche(rpc: Rpc<SolanaRpcApi>, address: Address): Promise<Tranche | null> {
  const account = await fetchAccount(rpc, address);
  return account ? decodeTrancheData(account.data) : null;
}

/** The pool's tranches, in index order. */
export async function fetchTranches(rpc: Rpc<SolanaRpcApi>, pool: Address, trancheCount: number): Promise<{ address: Address; tranche: Tranche }[]> {
  const result = [];
  for (let index = 0; index < trancheCount; index += 1) {
    const address = await trancheAddress(pool, index);
    const tranche = await fetchTranche(rpc, address);
    if (tranche) result.push({ address, tranche });
  }
  return result;
}

/** The pool's positions (`getProgramAccounts` with the keeper filters), by address. */
export async function fetchPositions(
  rpc: Rpc<SolanaRpcApi>,
  pool: Address,
  options: { hasDebt?: boolean } = {},
): Promise<{ address: Address; position: Position }[]> {
  const accounts = await rpc
    .getProgramAccounts(STRATA_PROGRAM_ADDRESS, { encoding: 'base64', filters: positionFilters({ pool, ...options }) })
    .send();
  return accounts.map(({ pubkey, account }) => ({
    address: pubkey,
    position: decodePositionData(base64.encode(account.data[0])),
  }));
}

/** The cluster's `Clock`: its slot and unix time (what the program reads). */
export async function clusterClock(rpc: Rpc<SolanaRpcApi>): Promise<{ slot: bigint; unixTimestamp: bigint }> {
  const { slot, unixTimestamp } = await fetchSysvarClock(rpc);
  return { slot, unixTimestamp };
}

/** The slot and unix time of the `Clock` sysvar's bytes. */
export function decodeClock(data: ReadonlyUint8Array): { slot: bigint; unixTimestamp: bigint } {
  const { slot, unixTimestamp } = getSysvarClockDecoder().decode(data);
  return { slot, unixTimestamp };
}

/** The amount of a token account's data (SPL Token, or Token-2022 with any
 * extensions after the base layout); 0 when there is none or it is too short. */
export function tokenAmount(data: ReadonlyUint8Array | undefined): bigint {
  if (!data || data.length < getTokenSize()) return 0n;
  return getTokenDecoder().decode(data).amount;
}

/** A token account's balance (SPL Token or Token-2022), 0 when it does not exist. */
export async function tokenBalance(rpc: Rpc<SolanaRpcApi>, account: Address): Promise<bigint> {
  return tokenAmount((await fetchAccount(rpc, account))?.data);
}

/** A confirmed transaction's log and the Strata events in it. */
export async function transactionEvents(
  rpc: Rpc<SolanaRpcApi>,
  signature: Signature,
): Promise<{ logs: readonly string[]; events: StrataEvent[] }> {
  const transaction = await rpc
    .getTransaction(signature, { encoding: 'json', maxSupportedTransactionVersion: 0, commitment: 'confirmed' })
    .send();
  if (!transaction) throw new Error(`transaction ${signature} not found`);
  const logs = transaction.meta?.logMessages ?? [];
  return { logs, events: parseEventLogs(logs) };
}
