// Redemption requests: `["redemption", tranche, holder]`, one holder's queued exit from
// a tranche (programs/strata/src/state/tranche.rs, `RedemptionRequest`, 144 bytes). The
// IDL does not list the account (no instruction reads it as a typed account), so its
// zero-copy layout is read here; the tests check the discriminator and the offsets.
import {
  getAddressDecoder,
  getBase58Decoder,
  type Address,
  type Base58EncodedBytes,
  type GetProgramAccountsDatasizeFilter,
  type GetProgramAccountsMemcmpFilter,
  type ReadonlyUint8Array,
} from '@solana/kit';

import { findRedemptionRequestPda } from './generated/index.js';

/** The first 8 bytes of sha256("account:RedemptionRequest"). */
export const REDEMPTION_REQUEST_DISCRIMINATOR = Uint8Array.of(117, 157, 214, 214, 64, 160, 31, 58);
export const REDEMPTION_REQUEST_SIZE = 144;
/** Byte offsets (with the discriminator). */
export const REDEMPTION_REQUEST_OFFSETS = { pool: 16, tranche: 48, owner: 80, shares: 112, requestedAt: 120 } as const;

export type RedemptionRequest = {
  pool: Address;
  tranche: Address;
  owner: Address;
  /** Shares in the escrow for this request. */
  shares: bigint;
  /** Unix seconds; claimable from `requestedAt + redemption_delay_secs`. */
  requestedAt: bigint;
};

const addresses = getAddressDecoder();

/** Decodes a RedemptionRequest's account data, refusing another size or discriminator. */
export function decodeRedemptionRequestData(data: ReadonlyUint8Array): RedemptionRequest {
  if (data.length !== REDEMPTION_REQUEST_SIZE) throw new RangeError(`RedemptionRequest: expected ${REDEMPTION_REQUEST_SIZE} bytes, got ${data.length}`);
  if (!REDEMPTION_REQUEST_DISCRIMINATOR.every((byte, i) => data[i] === byte)) throw new RangeError('RedemptionRequest: wrong discriminator');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const at = REDEMPTION_REQUEST_OFFSETS;
  return {
    pool: addresses.decode(data, at.pool),
    tranche: addresses.decode(data, at.tranche),
    owner: addresses.decode(data, at.owner),
    shares: view.getBigUint64(at.shares, true),
    requestedAt: view.getBigInt64(at.requestedAt, true),
  };
}

/** The holder's request address for a tranche. */
export const redemptionRequestAddress = async (tranche: Address, holder: Address): Promise<Address> =>
  (await findRedemptionRequestPda({ tranche, holder }))[0];

/** `getProgramAccounts` filters for redemption requests, optionally of one pool or tranche. */
export function redemptionRequestFilters(options: { pool?: Address; tranche?: Address } = {}): (GetProgramAccountsDatasizeFilter | GetProgramAccountsMemcmpFilter)[] {
  const base58 = (offset: number, bytes: string): GetProgramAccountsMemcmpFilter => ({
    memcmp: { offset: BigInt(offset), bytes: bytes as Base58EncodedBytes, encoding: 'base58' },
  });
  const filters: (GetProgramAccountsDatasizeFilter | GetProgramAccountsMemcmpFilter)[] = [
    { dataSize: BigInt(REDEMPTION_REQUEST_SIZE) },
    base58(0, getBase58Decoder().decode(REDEMPTION_REQUEST_DISCRIMINATOR)),
  ];
  if (options.pool) filters.push(base58(REDEMPTION_REQUEST_OFFSETS.pool, options.pool));
  if (options.tranche) filters.push(base58(REDEMPTION_REQUEST_OFFSETS.tranche, options.tranche));
  return filters;
}
