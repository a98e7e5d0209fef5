/**
 * Reading Pyth price accounts of both kinds, exactly as the program does
 * (`programs/strata/src/oracle/{legacy,pull}.rs`): the owner check first, then the
 * account type, the trading status (legacy) or full verification and feed id (pull),
 * and positive prices. Keepers use it to value positions from the oracle accounts
 * they are about to refresh with; `CachedPrice.fromSample` normalises the result.
 */
import { OracleKind } from './generated/index.js';
import type { OracleSample } from './price.js';

/** Owner of legacy Pyth price accounts (mainnet-beta). */
export const PYTH_LEGACY_PROGRAM_ID = 'FsJ3A3u2vn5cTVofAjvy6y5kwABJAqYWpe4975bi2epH';
/** Owner of `PriceUpdateV2` accounts (the Pyth receiver). */
export const PYTH_RECEIVER_PROGRAM_ID = 'rec5EKMGg6MxZYaMdyBfgwp4d5rB9T1VQH5pJv5LtFJ';

export type OracleErrorName =
  | 'OracleOwnerMismatch'
  | 'InvalidOracleData'
  | 'OracleNotTrading'
  | 'OracleNotFullyVerified'
  | 'FeedIdMismatch'
  | 'NonPositivePrice';

/** A refusal with the name of the program's error for the same input. */
export class OracleError extends Error {
  constructor(readonly code: OracleErrorName) {
    super(code);
    this.name = 'OracleError';
  }
}

// Legacy `SolanaPriceAccount` (repr(C), 3,312 bytes) field offsets.
const LEGACY = {
  size: 3_312,
  magic: 0,
  ver: 4,
  atype: 8,
  expo: 20,
  emaPrice: 48,
  emaConf: 72,
  timestamp: 96,
  aggPrice: 208,
  aggConf: 216,
  aggStatus: 224,
} as const;
const LEGACY_MAGIC = 0xa1b2c3d4;
const LEGACY_VERSION = 2;
const ACCOUNT_TYPE_PRICE = 3;
const STATUS_TRADING = 1;

/** Anchor's account discriminator of the receiver's `PriceUpdateV2`: the first 8 bytes
 * of sha256("account:PriceUpdateV2") (a constant, so the module loads in browsers too;
 * `test/pyth.test.ts` checks it against the hash). */
export const PRICE_UPDATE_V2_DISCRIMINATOR = Uint8Array.of(34, 241, 35, 99, 157, 126, 244, 205);

const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((byte, i) => byte === b[i]);

function view(data: Uint8Array): DataView {
  return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

/** Parses a legacy price account. */
export function readLegacy(data: Uint8Array): OracleSample {
  if (data.length < LEGACY.size) throw new OracleError('InvalidOracleData');
  const v = view(data);
  if (
    v.getUint32(LEGACY.magic, true) !== LEGACY_MAGIC ||
    v.getUint32(LEGACY.ver, true) !== LEGACY_VERSION ||
    v.getUint32(LEGACY.atype, true) !== ACCOUNT_TYPE_PRICE
  ) {
    throw new OracleError('InvalidOracleData');
  }
  if (v.getUint8(LEGACY.aggStatus) !== STATUS_TRADING) throw new OracleError('OracleNotTrading');
  const emaConf = v.getBigInt64(LEGACY.emaConf, true);
  if (emaConf < 0n) throw new OracleError('InvalidOracleData');
  return {
    price: v.getBigInt64(LEGACY.aggPrice, true),
    conf: v.getBigUint64(LEGACY.aggConf, true),
    expo: BigInt(v.getInt32(LEGACY.expo, true)),
    emaPrice: v.getBigInt64(LEGACY.emaPrice, true),
    emaConf,
    publishTime: v.getBigInt64(LEGACY.timestamp, true),
  };
}

/** Parses a `PriceUpdateV2` for `feedId`; only fully verified updates count. */
export function readPull(data: Uint8Array, feedId: Uint8Array): OracleSample {
  // 8 discriminator + 32 write authority + 1 or 2 verification level + 84 message + 8 slot.
  if (data.length < 8 + 32 + 1) throw new OracleError('InvalidOracleData');
  if (!bytesEqual(PRICE_UPDATE_V2_DISCRIMINATOR, data.subarray(0, 8))) throw new OracleError('InvalidOracleData');
  const tag = data[40];
  if (tag !== 0 && tag !== 1) throw new OracleError('InvalidOracleData');
  const message = 40 + (tag === 0 ? 2 : 1);
  if (data.length < message + 84 + 8) throw new OracleError('InvalidOracleData');
  if (tag !== 1) throw new OracleError('OracleNotFullyVerified');
  if (!bytesEqual(data.subarray(message, message + 32), feedId)) throw new OracleError('FeedIdMismatch');
  const v = view(data);
  const at = message + 32;
  return {
    price: v.getBigInt64(at, true),
    conf: v.getBigUint64(at + 8, true),
    expo: BigInt(v.getInt32(at + 16, true)),
    publishTime: v.getBigInt64(at + 20, true),
    // at + 28: prev_publish_time
    emaPrice: v.getBigInt64(at + 36, true),
    emaConf: v.getBigUint64(at + 44, true),
  };
}

/** Reads an oracle account of the configured kind, as `oracle::read_sample` does. */
export function readOracle(kind: OracleKind, owner: string, data: Uint8Array, feedId: Uint8Array): OracleSample {
  const expected = kind === OracleKind.PythLegacy ? PYTH_LEGACY_PROGRAM_ID : PYTH_RECEIVER_PROGRAM_ID;
  if (owner !== expected) throw new OracleError('OracleOwnerMismatch');
  const sample = kind === OracleKind.PythLegacy ? readLegacy(data) : readPull(data, feedId);
  if (sample.price <= 0n || sample.emaPrice <= 0n) throw new OracleError('NonPositivePrice');
  return sample;
}
