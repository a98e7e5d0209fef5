// 128-bit integers in Strata's zero-copy accounts are stored as little-endian
// `[u8; 16]` (`programs/strata/src/state/pod.rs`), so the layout is the same on
// x86_64 and SBF. These turn them into bigint and back with kit's u128 codec.
import { getU128Decoder, getU128Encoder, type ReadonlyUint8Array } from '@solana/kit';

import { U128_MAX } from './math.js';

const decoder = getU128Decoder();
const encoder = getU128Encoder();

/** Reads a stored little-endian u128. */
export function u128FromLe(bytes: ReadonlyUint8Array): bigint {
  if (bytes.length !== 16) throw new RangeError(`a u128 is 16 bytes, got ${bytes.length}`);
  return decoder.decode(bytes);
}

/** Encodes a u128 for storage. */
export function u128ToLe(value: bigint): Uint8Array {
  // Checked here rather than by the codec, so the refusal is a RangeError as before.
  if (value < 0n || value > U128_MAX) throw new RangeError(`${value} is not a u128`);
  return Uint8Array.from(encoder.encode(value));
}
