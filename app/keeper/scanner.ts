/**
 * Finding and decoding positions fast. `getProgramAccounts` with the keeper filters
 * (size, discriminator, pool at 16, `has_debt` at 10) returns only indebted positions
 * of the pool; each 200-byte account is decoded straight from its bytes into what
 * valuation needs (no object-per-field decoder), which is what lets a keeper
 * re-value a large book every poll.
 */
import { getBase64Encoder, type Address, type Rpc, type SolanaRpcApi } from '@solana/kit';

import { getPositionSize, MAX_COLLATERALS, POSITION_OFFSETS, positionFilters, STRATA_PROGRAM_ADDRESS } from '../src/index.js';

/** Byte offsets of `Position` (with the discriminator) beyond the keeper filters'
 * `POSITION_OFFSETS`; see programs/strata/src/state/position.rs. */
const OFFSET = { ...POSITION_OFFSETS, collateral: 80, debtShares: 144, lastLiquidatedSlot: 168 } as const;
const POSITION_SIZE = getPositionSize();

/** What valuation and liquidation need of a position. */
export type PositionSnapshot = {
  address: Address;
  collateral: bigint[];
  debtShares: bigint;
  flags: number;
  lastLiquidatedSlot: bigint;
};

/** Decodes the fields valuation needs from a position account's bytes. */
export function decodePositionFast(address: Address, data: Uint8Array): PositionSnapshot {
  if (data.length !== POSITION_SIZE) throw new RangeError(`position ${address}: ${data.length} bytes`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const collateral = new Array<bigint>(MAX_COLLATERALS);
  for (let i = 0; i < MAX_COLLATERALS; i++) collateral[i] = view.getBigUint64(OFFSET.collateral + 8 * i, true);
  const low = view.getBigUint64(OFFSET.debtShares, true);
  const high = view.getBigUint64(OFFSET.debtShares + 8, true);
  return {
    address,
    collateral,
    debtShares: (high << 64n) | low,
    flags: data[OFFSET.flags] ?? 0,
    lastLiquidatedSlot: view.getBigUint64(OFFSET.lastLiquidatedSlot, true),
  };
}

const base64 = getBase64Encoder();

/** Decodes a position from the base64 data an RPC answer or notification carries. */
export const decodePositionBase64 = (address: Address, data: string): PositionSnapshot =>
  decodePositionFast(address, base64.encode(data) as Uint8Array);

/** Every indebted position of `pool`, decoded, with the slot the answer was read at. */
export async function scanPositionsAt(rpc: Rpc<SolanaRpcApi>, pool: Address, signal?: AbortSignal): Promise<{ slot: bigint; positions: PositionSnapshot[] }> {
  const { context, value } = await rpc
    .getProgramAccounts(STRATA_PROGRAM_ADDRESS, { encoding: 'base64', commitment: 'confirmed', filters: positionFilters({ pool, hasDebt: true }), withContext: true })
    .send({ abortSignal: signal });
  return { slot: context.slot, positions: value.map(({ pubkey, account }) => decodePositionBase64(pubkey, account.data[0])) };
}

/** Every indebted position of `pool`, decoded. */
export async function scanPositions(rpc: Rpc<SolanaRpcApi>, pool: Address, signal?: AbortSignal): Promise<PositionSnapshot[]> {
  return (await scanPositionsAt(rpc, pool, signal)).positions;
}
