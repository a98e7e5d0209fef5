// Reading Strata's zero-copy accounts. The generated decoders (`getPoolDecoder`,
// `getPositionDecoder`, `getTrancheDecoder`, `getAllowlistEntryDecoder`) read the
// `#[repr(C)]` layouts as they are (every padding byte is an explicit field); these
// helpers check the discriminator and size, turn the 128-bit `[u8; 16]` fields into
// bigint, and give the core's view of a pool, a position and a tranche, so off-chain
// numbers are computed from exactly what the program reads.
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
  ALLOWLIST_ENTRY_DISCRIMINATOR,
  getAllowlistEntryDecoder,
  getAllowlistEntrySize,
  getPoolDecoder,
  getPoolSize,
  getPositionDecoder,
  getPositionSize,
  getTrancheDecoder,
  getTrancheSize,
  POOL_DISCRIMINATOR,
  POSITION_DISCRIMINATOR,
  TRANCHE_DISCRIMINATOR,
  type AllowlistEntry,
  type CollateralConfig,
  type Pool,
  type Position,
  type Tranche,
} from './generated/index.js';
import { CollateralView, Health, type PriceBasis } from './health.js';
import { MAX_COLLATERALS } from './liquidation.js';
import type { CachedPrice, PriceLimits } from './price.js';
import { TrancheState } from './tranche.js';
import { u128FromLe } from './u128.js';

/** Byte offsets (with the discriminator) keepers filter positions on. */
export const POSITION_OFFSETS = { hasDebt: 10, flags: 11, pool: 16, owner: 48 } as const;
/** Byte offsets (with the discriminator) of a tranche's and an allowlist entry's keys. */
export const TRANCHE_OFFSETS = { index: 10, pool: 16 } as const;
export const ALLOWLIST_ENTRY_OFFSETS = { pool: 16, wallet: 48 } as const;

/** `Position::flags` bits (`position_flags`). */
export const PositionFlags = {
  /** Reported insolvent (`flag_shortfall`): a loss is pending until it is booked. */
  LossPending: 1 << 0,
} as const;

/** `Pool::mode`. */
export const PoolMode = {
  Normal: 0,
  /** Coverage test failed: no minting, all income to the senior tranche. */
  Turbo: 1,
} as const;

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

/** Decodes a Tranche's account data, refusing another size or discriminator. */
export function decodeTrancheData(data: ReadonlyUint8Array): Tranche {
  checkAccount(data, TRANCHE_DISCRIMINATOR, getTrancheSize(), 'Tranche');
  return getTrancheDecoder().decode(data);
}

/** Decodes an AllowlistEntry's account data, refusing another size or discriminator. */
export function decodeAllowlistEntryData(data: ReadonlyUint8Array): AllowlistEntry {
  checkAccount(data, ALLOWLIST_ENTRY_DISCRIMINATOR, getAllowlistEntrySize(), 'AllowlistEntry');
  return getAllowlistEntryDecoder().decode(data);
}

/** A tranche as the core sees it (`Tranche::state`). */
export function trancheState(tranche: Tranche): TrancheState {
  return {
    assets: tranche.assets,
    totalShares: tranche.totalShares,
    targetAprBps: BigInt(tranche.targetAprBps),
    minSubordinationBps: BigInt(tranche.minSubordinationBps),
    lastSettledTs: tranche.lastSettledTs,
    yieldOwedWad: u128FromLe(tranche.yieldOwedWad),
    escrowedShares: tranche.escrowedShares,
    lossOutstanding: tranche.lossOutstanding,
    cumulativeYield: tranche.cumulativeYield,
    cumulativeLoss: tranche.cumulativeLoss,
    collateralHeld: [...tranche.collateralHeld],
  };
}

/** The tranche's NAV at `now`: notes plus held collateral at the pool's cached spot
 * prices (`TrancheSet::navs`), as subordination and the coverage test value it. */
export function trancheNav(pool: Pool, tranche: Tranche, now: bigint): bigint {
  return TrancheState.nav(trancheState(tranche), collateralViews(pool, []), now);
}

/** Whether the position was reported insolvent and its loss is not booked yet. */
export const positionLossPending = (position: Position): boolean => (position.flags & PositionFlags.LossPending) !== 0;

/** Whether the pool is in Turbo mode (coverage test failed). */
export const poolIsTurbo = (pool: Pool): boolean => pool.mode === PoolMode.Turbo;

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

/** A listed collateral, as the instruction builders need it: its index in the pool,
 * its mint and the mint's token program (default SPL Token). */
export type CollateralRef = { index: number; mint: Address; tokenProgram?: Address };

/** The pool's listed collaterals as builder inputs. */
export function collateralRefs(pool: Pool): CollateralRef[] {
  return listedCollaterals(pool).map((config, index) => ({ index, mint: config.mint, tokenProgram: config.tokenProgram }));
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
    liquidationBonusMinBps: BigInt(config.liquidationBonusMinBps),
    liquidationBonusMaxBps: BigInt(config.liquidationBonusMaxBps),
  };
}

const EMPTY_VIEW: CollateralView = {
  amount: 0n,
  price: { priceWad: 0n, emaPriceWad: 0n, confWad: 0n, publishTime: 0n },
  limits: { maxAgeSecs: 0n, maxConfBps: 0n, maxEmaDeviationBps: 0n },
  ltvBps: 0n,
  liquidationThresholdBps: 0n,
  liquidationBonusMinBps: 0n,
  liquidationBonusMaxBps: 0n,
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

export type AccountFilter = GetProgramAccountsDatasizeFilter | GetProgramAccountsMemcmpFilter;

/** `getProgramAccounts` filters for positions, optionally of one pool or owner, only
 * those that owe notes (what keepers scan), or only those whose `flags` byte is
 * exactly `flags` (e.g. {@link PositionFlags.LossPending}). */
export function positionFilters(
  options: { pool?: Address; owner?: Address; hasDebt?: boolean; flags?: number } = {},
): AccountFilter[] {
  const filters: AccountFilter[] = [{ dataSize: BigInt(getPositionSize()) }, memcmp(0, POSITION_DISCRIMINATOR)];
  if (options.hasDebt !== undefined) filters.push(memcmp(POSITION_OFFSETS.hasDebt, Uint8Array.of(options.hasDebt ? 1 : 0)));
  if (options.flags !== undefined) filters.push(memcmp(POSITION_OFFSETS.flags, Uint8Array.of(options.flags)));
  if (options.pool) filters.push(memcmpAddress(POSITION_OFFSETS.pool, options.pool));
  if (options.owner) filters.push(memcmpAddress(POSITION_OFFSETS.owner, options.owner));
  return filters;
}

/** `getProgramAccounts` filters for tranches, optionally of one pool. */
export function trancheFilters(options: { pool?: Address } = {}): AccountFilter[] {
  const filters: AccountFilter[] = [{ dataSize: BigInt(getTrancheSize()) }, memcmp(0, TRANCHE_DISCRIMINATOR)];
  if (options.pool) filters.push(memcmpAddress(TRANCHE_OFFSETS.pool, options.pool));
  return filters;
}

/** `getProgramAccounts` filters for allowlist entries, optionally of one pool or wallet. */
export function allowlistEntryFilters(options: { pool?: Address; wallet?: Address } = {}): AccountFilter[] {
  const filters: AccountFilter[] = [
    { dataSize: BigInt(getAllowlistEntrySize()) },
    memcmp(0, ALLOWLIST_ENTRY_DISCRIMINATOR),
  ];
  if (options.pool) filters.push(memcmpAddress(ALLOWLIST_ENTRY_OFFSETS.pool, options.pool));
  if (options.wallet) filters.push(memcmpAddress(ALLOWLIST_ENTRY_OFFSETS.wallet, options.wallet));
  return filters;
}

/** An address is already the base-58 string of its 32 bytes. */
const memcmpAddress = (offset: number, value: Address): GetProgramAccountsMemcmpFilter => ({
  memcmp: { offset: BigInt(offset), bytes: value as string as Base58EncodedBytes, encoding: 'base58' },
});
