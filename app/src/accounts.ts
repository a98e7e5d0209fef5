// Reading Strata's zero-copy accounts. The generated decoders (`getPoolDecoder`,
// `getPositionDecoder`) read the `#[repr(C)]` layouts as they are (every padding byte
// is an explicit field); these helpers check the discriminator and size, turn the
// 128-bit `[u8; 16]` fields into bigint, and give the core's view of a pool and a
// position, so off-chain health is computed from exactly what the program reads.
import {
  getBase58Decoder,
  type Address,
  type Base58EncodedBytes,
  type GetProgramAccountsDatasizeFilter,
  type GetProgramAccountsMemcmpFilter,
  type ReadonlyUint8Array,
} from '@solana/kit';

import { DebtState } from './debt.js';
import {
  getPoolDecoder,
  getPoolSize,
  getPositionDecoder,
  getPositionSize,
  POOL_DISCRIMINATOR,
  POSITION_DISCRIMINATOR,
  type CollateralConfig,
  type Pool,
  type Position,
} from './generated/index.js';
import { CollateralView, Health, type PriceBasis } from './health.js';
import type { CachedPrice, PriceLimits } from './price.js';
import { u128FromLe } from './u128.js';

/** Collateral slots in a pool and a position. */
export const MAX_COLLATERALS = 8;

/** Byte offsets (with the discriminator) keepers filter positions on. */
export const POSITION_OFFSETS = { hasDebt: 10, pool: 16, owner: 48 } as const;

function checkAccount(data: ReadonlyUint8Array, discriminator: Uint8Array, size: number, name: string): void {
  if (data.length !== size) throw new RangeError(`${name}: expected ${size} bytes, got ${data.length}`);
  if (!discriminator.every((byte, i) => data[i] === byte)) throw new RangeError(`${name}: wrong discriminator`);
}

/** Decodes a Pool's account data, refusing another size or discriminator. */
export function decodePoolData(data: ReadonlyUint8Array): Pool {
  checkAccount(data, POOL_DISCRIMINATOR, getPoolSize(), 'Pool');
  return getPoolDecoder().decode(data);
}

/** Decodes a Position's account data, refusing another size or discriminator. */
export function decodePositionData(data: ReadonlyUint8Array): Position {
  checkAccount(data, POSITION_DISCRIMINATOR, getPositionSize(), 'Position');
  return getPositionDecoder().decode(data);
}

/** The pool's debt side, as the core sees it (`Pool::debt_state`). */
export function poolDebtState(pool: Pool): DebtState {
  return {
    totalShares: u128FromLe(pool.debtShares),
    rateIndexWad: u128FromLe(pool.rateIndexWad),
    stabilityFeeBps: BigInt(pool.stabilityFeeBps),
    lastAccrualTs: pool.lastAccrualTs,
    pendingFees: pool.pendingFees,
    debtCeiling: pool.debtCeiling,
    minDebt: pool.minDebt,
  };
}

/** The collaterals the pool lists (the first `collateralCount` slots). */
export function listedCollaterals(pool: Pool): CollateralConfig[] {
  return pool.collaterals.slice(0, pool.collateralCount);
}

/** The listed collateral of `mint`, with its index, or undefined. */
export function findCollateral(pool: Pool, mint: Address): { index: number; config: CollateralConfig } | undefined {
  const index = listedCollaterals(pool).findIndex((config) => config.mint === mint);
  const config = pool.collaterals[index];
  return index < 0 || !config ? undefined : { index, config };
}

export function collateralCachedPrice(config: CollateralConfig): CachedPrice {
  return {
    priceWad: u128FromLe(config.priceWad),
    emaPriceWad: u128FromLe(config.emaPriceWad),
    confWad: u128FromLe(config.confWad),
    publishTime: config.publishTime,
  };
}

export function collateralLimits(config: CollateralConfig): PriceLimits {
  return {
    maxAgeSecs: BigInt(config.maxAgeSecs),
    maxConfBps: BigInt(config.maxConfBps),
    maxEmaDeviationBps: BigInt(config.maxEmaDeviationBps),
  };
}

/** The core's view of `amount` units of this asset (`CollateralConfig::view`). */
export function collateralView(config: CollateralConfig, amount: bigint): CollateralView {
  return {
    amount,
    price: collateralCachedPrice(config),
    limits: collateralLimits(config),
    ltvBps: BigInt(config.ltvBps),
    liquidationThresholdBps: BigInt(config.liquidationThresholdBps),
  };
}

const EMPTY_VIEW: CollateralView = {
  amount: 0n,
  price: { priceWad: 0n, emaPriceWad: 0n, confWad: 0n, publishTime: 0n },
  limits: { maxAgeSecs: 0n, maxConfBps: 0n, maxEmaDeviationBps: 0n },
  ltvBps: 0n,
  liquidationThresholdBps: 0n,
};

/** A position's collateral as the core sees it (`Pool::collateral_views`): slots
 * beyond the listed ones are empty and never valued. */
export function collateralViews(pool: Pool, amounts: readonly bigint[]): CollateralView[] {
  return Array.from({ length: MAX_COLLATERALS }, (_, index) => {
    const config = pool.collaterals[index];
    return index < pool.collateralCount && config ? collateralView(config, amounts[index] ?? 0n) : EMPTY_VIEW;
  });
}

export function positionDebtShares(position: Position): bigint {
  return u128FromLe(position.debtShares);
}

/** Notes the position owes at the pool's stored index (accrue first for "now"). */
export function positionDebt(pool: Pool, position: Position): bigint {
  return DebtState.debtOf(poolDebtState(pool), positionDebtShares(position));
}

/** The position's health on `basis` at `now` (unix seconds), from the stored index and
 * cached prices, as the program computes it before an instruction accrues. */
export function positionHealth(pool: Pool, position: Position, basis: PriceBasis, now: bigint): Health {
  return Health.compute(collateralViews(pool, position.collateral), positionDebt(pool, position), basis, now);
}

const base58 = getBase58Decoder();
const memcmp = (offset: number, bytes: ReadonlyUint8Array): GetProgramAccountsMemcmpFilter => ({
  memcmp: { offset: BigInt(offset), bytes: base58.decode(bytes) as Base58EncodedBytes, encoding: 'base58' },
});

/** `getProgramAccounts` filters for positions, optionally of one pool or owner and
 * only those that owe notes (what keepers scan). */
export function positionFilters(
  options: { pool?: Address; owner?: Address; hasDebt?: boolean } = {},
): (GetProgramAccountsDatasizeFilter | GetProgramAccountsMemcmpFilter)[] {
  const filters: (GetProgramAccountsDatasizeFilter | GetProgramAccountsMemcmpFilter)[] = [
    { dataSize: BigInt(getPositionSize()) },
    memcmp(0, POSITION_DISCRIMINATOR),
  ];
  if (options.hasDebt !== undefined) filters.push(memcmp(POSITION_OFFSETS.hasDebt, Uint8Array.of(options.hasDebt ? 1 : 0)));
  if (options.pool) filters.push(memcmpAddress(POSITION_OFFSETS.pool, options.pool));
  if (options.owner) filters.push(memcmpAddress(POSITION_OFFSETS.owner, options.owner));
  return filters;
}

/** An address is already the base-58 string of its 32 bytes. */
const memcmpAddress = (offset: number, value: Address): GetProgramAccountsMemcmpFilter => ({
  memcmp: { offset: BigInt(offset), bytes: value as string as Base58EncodedBytes, encoding: 'base58' },
});
