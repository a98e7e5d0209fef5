/**
 * The local cluster's dev-only methods (crates/strata-localnet): writing Pyth price
 * accounts as a publisher would, and moving the clock. A real cluster refuses them.
 * And airdrops (`requestAirdrop`, which local clusters and test validators serve).
 */
import { lamports, type Address, type Rpc, type Signature, type SolanaRpcApi } from '@solana/kit';

export type DevPrice = {
  price: bigint | number;
  expo: number;
  conf?: bigint | number;
  emaPrice?: bigint | number;
  emaConf?: bigint | number;
  publishTime?: bigint | number;
  trading?: boolean;
  /** Pull feeds: 32 bytes, hex. */
  feedId?: string;
  fullyVerified?: boolean;
};

let requestId = 0;

/** Calls a JSON-RPC method of the cluster at `url`. */
export async function rpcCall<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: ++requestId, method, params }, (_, value) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const json = (await response.json()) as { result?: T; error?: { code: number; message: string } };
  if (json.error) throw new Error(`${method}: ${json.error.code} ${json.error.message}`);
  return json.result as T;
}

/** Publishes a legacy Pyth price into `account`. */
export const setPythLegacyPrice = (url: string, account: string, price: DevPrice) =>
  rpcCall<{ slot: number; publishTime: number }>(url, 'strata_setPythLegacyPrice', [account, price]);

/** Publishes a pull `PriceUpdateV2` into `account`. */
export const setPythPullPrice = (url: string, account: string, price: DevPrice) =>
  rpcCall<{ slot: number; publishTime: number }>(url, 'strata_setPythPullPrice', [account, price]);

/** Moves the cluster's clock `seconds` ahead. */
export const advanceClock = (url: string, seconds: number) => rpcCall<number>(url, 'strata_advanceClock', [seconds]);

/** Airdrops in flight at once: an RPC node limits the connections one client holds. */
const AIRDROPS_IN_FLIGHT = 32;
/** The most signatures one getSignatureStatuses call takes. */
const STATUSES_PER_CALL = 256;

/** Airdrops `amount` — whole SOL, or `{ lamports }` — to each of `addresses` and waits
 * until every one is confirmed. */
export async function airdrop(
  rpc: Rpc<SolanaRpcApi>,
  addresses: readonly Address[],
  amount: number | { lamports: bigint },
): Promise<void> {
  const each = lamports(typeof amount === 'number' ? BigInt(amount) * 1_000_000_000n : amount.lamports);
  const signatures: Signature[] = [];
  for (let start = 0; start < addresses.length; start += AIRDROPS_IN_FLIGHT) {
    const chunk = addresses.slice(start, start + AIRDROPS_IN_FLIGHT);
    signatures.push(...(await Promise.all(chunk.map((to) => rpc.requestAirdrop(to, each).send()))));
  }
  const deadline = Date.now() + 60_000;
  for (let pending = signatures; pending.length > 0; ) {
    if (Date.now() > deadline) throw new Error(`${pending.length} airdrops not confirmed within 60 s`);
    const batch = pending.slice(0, STATUSES_PER_CALL);
    const { value } = await rpc.getSignatureStatuses(batch).send();
    const landed = new Set(batch.filter((_, i) => value[i]?.confirmationStatus));
    if (landed.size === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    pending = pending.filter((signature) => !landed.has(signature));
  }
}
