// Raw account bytes from RPC answers, and the few non-Strata layouts the page reads:
// the Clock sysvar and token accounts (SPL Token and Token-2022 share the base layout).
import { getBase64Encoder, type Address } from '@solana/kit';

export const CLOCK_SYSVAR = 'SysvarC1ock11111111111111111111111111111111' as Address;

const base64 = getBase64Encoder();

type RpcAccount = { data: readonly [string, string]; owner: Address; lamports: bigint } | null;

/** The data of a base64-encoded RPC account, or undefined when it does not exist. */
export const accountBytes = (account: RpcAccount | undefined): Uint8Array | undefined =>
  account ? Uint8Array.from(base64.encode(account.data[0])) : undefined;

/** `Clock::unix_timestamp` (slot, epoch start, epoch, leader schedule epoch, then it). */
export function clockUnixTimestamp(data: Uint8Array): bigint {
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getBigInt64(32, true);
}

/** A token account's amount (mint 32, owner 32, then the u64); 0 when it does not exist. */
export function tokenAmount(data: Uint8Array | undefined): bigint {
  if (!data || data.length < 72) return 0n;
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getBigUint64(64, true);
}
