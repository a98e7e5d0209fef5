// 128-bit integers in Strata's zero-copy accounts are stored as little-endian
// `[u8; 16]` (`programs/strata/src/state/pod.rs`), so the layout is the same on
// x86_64 and SBF. These turn them into bigint and back.
import type { ReadonlyUint8Array } from '@solana/kit';

import { U128_MAX } from './math.js';

/** Reads a stored little-endian u128. */
export function u128FromLe(bytes: ReadonlyUint8Array): bigint {
  if (bytes.length !== 16) throw new RangeError(`a u128 is 16 bytes, got ${bytes.length}`);
  let value = 0n;
  for (let i = 15; i >= 0; i -= 1) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

/** Encodes a u128 for storage. */
export function u128ToLe(value: bigint): Uint8Array {
  if (value < 0n || value > U128_MAX) throw new RangeError(`${value} is not a u128`);
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i += 1) bytes[i] = Number((value >> BigInt(8 * i)) & 0xffn);
  return bytes;
}
