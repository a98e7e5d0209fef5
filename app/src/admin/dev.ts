/**
 * The local cluster's dev-only methods (crates/strata-localnet): writing Pyth price
 * accounts as a publisher would, and moving the clock. A real cluster refuses them.
 */
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
