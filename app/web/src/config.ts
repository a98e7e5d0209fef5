// Where the app reads from: an RPC URL (the embedded local cluster by default), its
// WebSocket endpoint, the pool, and names for the collateral mints. Taken, in order
// of precedence, from the page's query (`?rpc=…&ws=…&pool=…`), the settings form
// (saved in localStorage), and `strata-web.json` beside the page (written by
// `npm run web` for the cluster it started).
import { isAddress, type Address } from '@solana/kit';

export type WebConfig = {
  rpcUrl: string;
  /** Subscriptions endpoint; default: the RPC URL with a ws scheme. */
  wsUrl: string;
  /** The pool to show; undefined: the first pool the program owns. */
  pool?: Address;
  /** Collateral names by mint address. */
  names: Record<string, string>;
};

export const DEFAULT_RPC_URL = 'http://127.0.0.1:8899';
const STORAGE_KEY = 'strata-web-settings';

/** The subscriptions endpoint of an RPC URL, as wallets and kit clients guess it. */
export const wsUrlFor = (rpcUrl: string): string => rpcUrl.replace(/^http/, 'ws');

type Partial = { rpcUrl?: string; wsUrl?: string; pool?: string; names?: Record<string, string> };

function fromQuery(search: string): Partial {
  const query = new URLSearchParams(search);
  return {
    rpcUrl: query.get('rpc') ?? undefined,
    wsUrl: query.get('ws') ?? undefined,
    pool: query.get('pool') ?? undefined,
  };
}

function fromStorage(): Partial {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial;
  } catch {
    return {};
  }
}

async function fromFile(): Promise<Partial> {
  try {
    const response = await fetch('./strata-web.json', { cache: 'no-store' });
    if (!response.ok) return {};
    return (await response.json()) as Partial;
  } catch {
    return {};
  }
}

/** Combines the sources; the first that gives a field wins. */
export function mergeConfig(...sources: Partial[]): WebConfig {
  const pick = <K extends keyof Partial>(key: K) => sources.find((s) => s[key] !== undefined && s[key] !== '')?.[key];
  const rpcUrl = (pick('rpcUrl') as string | undefined) ?? DEFAULT_RPC_URL;
  const sameRpc = (s: Partial) => s.rpcUrl === undefined || s.rpcUrl === rpcUrl;
  // A WebSocket URL only goes with the RPC URL it came with.
  const wsUrl = sources.find((s) => s.wsUrl && sameRpc(s))?.wsUrl ?? wsUrlFor(rpcUrl);
  const pool = pick('pool') as string | undefined;
  const names = Object.assign({}, ...sources.map((s) => s.names ?? {}).reverse()) as Record<string, string>;
  return { rpcUrl, wsUrl, pool: pool && isAddress(pool) ? pool : undefined, names };
}

export async function loadConfig(): Promise<WebConfig> {
  return mergeConfig(fromQuery(location.search), fromStorage(), await fromFile());
}

/** Saves the settings form's choices (they apply over the file, under the query). */
export function saveSettings(settings: { rpcUrl: string; wsUrl?: string; pool?: string }): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(settings));
}

/** The Wallet Standard chain of a cluster, by its URL. */
export function chainFor(rpcUrl: string): `solana:${string}` {
  if (/devnet/.test(rpcUrl)) return 'solana:devnet';
  if (/testnet/.test(rpcUrl)) return 'solana:testnet';
  if (/mainnet/.test(rpcUrl)) return 'solana:mainnet';
  return 'solana:localnet';
}

/** An explorer link for a transaction on this cluster. */
export function explorerTx(rpcUrl: string, signature: string): string {
  const chain = chainFor(rpcUrl);
  const cluster =
    chain === 'solana:mainnet' ? '' : chain === 'solana:localnet' ? `?cluster=custom&customUrl=${encodeURIComponent(rpcUrl)}` : `?cluster=${chain.slice(7)}`;
  return `https://explorer.solana.com/tx/${signature}${cluster}`;
}
