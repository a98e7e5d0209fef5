import { getAddressEncoder, type Address } from '@solana/kit';
import { describe, expect, it } from 'vitest';

import {
  ALLOWLIST_ENTRY_OFFSETS,
  allowlistEntryFilters,
  collateralCachedPrice,
  collateralRefs,
  decodeAllowlistEntryData,
  decodeTrancheData,
  getAllowlistEntrySize,
  getTrancheSize,
  poolIsTurbo,
  PositionFlags,
  positionLossPending,
  TRANCHE_OFFSETS,
  trancheFilters,
  trancheNav,
  trancheState,
  decodePoolData,
  decodePositionData,
  findCollateral,
  getPoolSize,
  getPositionSize,
  Health,
  listedCollaterals,
  poolDebtState,
  POSITION_OFFSETS,
  positionDebt,
  positionDebtShares,
  positionFilters,
  positionHealth,
  PriceBasis,
  u128FromLe,
  u128ToLe,
  U128_MAX,
} from '../src/index.js';
import { big, hexBytes, normalize, obj, str, vectors } from './vectors.js';

const accounts = obj(vectors.accounts as never);
const poolVector = obj(accounts.pool);
const positionVector = obj(accounts.position);
const poolBytes = hexBytes(str(poolVector.data));
const positionBytes = hexBytes(str(positionVector.data));
const now = big(accounts.now);

describe('account decoders (vs bytes the Rust side writes)', () => {
  it('sizes and keeper offsets', () => {
    expect(getPoolSize()).toBe(Number(poolVector.size));
    expect(getPositionSize()).toBe(Number(positionVector.size));
    expect(normalize(POSITION_OFFSETS)).toEqual(positionVector.offsets);
  });

  it('decodes every Pool field, 128-bit values as bigint', () => {
    const pool = decodePoolData(poolBytes);
    const want = obj(poolVector.fields);
    const { collaterals, ...scalars } = pool;
    for (const [key, value] of Object.entries(want)) {
      if (key === 'collaterals' || key === 'debtShares' || key === 'rateIndexWad') continue;
      expect(normalize(scalars[key as keyof typeof scalars]), key).toEqual(value);
    }
    expect(poolDebtState(pool).totalShares.toString()).toBe(want.debtShares);
    expect(poolDebtState(pool).rateIndexWad.toString()).toBe(want.rateIndexWad);
    const wantCollaterals = want.collaterals as Record<string, string>[];
    collaterals.forEach((config, index) => {
      const w = wantCollaterals[index]!;
      const price = collateralCachedPrice(config);
      expect(normalize(price)).toEqual({
        priceWad: w.priceWad,
        emaPriceWad: w.emaPriceWad,
        confWad: w.confWad,
        publishTime: w.publishTime,
      });
      for (const [key, value] of Object.entries(w)) {
        if (key in price) continue; // 128-bit: compared as bigint above
        expect(normalize(config[key as keyof typeof config]), `${index}.${key}`).toEqual(value);
      }
    });
    expect(listedCollaterals(pool)).toHaveLength(2);
    expect(findCollateral(pool, wantCollaterals[1]!.mint as Address)?.index).toBe(1);
  });

  it('decodes every Position field', () => {
    const position = decodePositionData(positionBytes);
    const want = obj(positionVector.fields);
    const { debtShares: _d, discriminator: _x, padding: _p, reserved: _r, ...rest } = position;
    for (const [key, value] of Object.entries(want)) {
      if (key === 'debtShares') continue;
      expect(normalize(rest[key as keyof typeof rest]), key).toEqual(value);
    }
    expect(positionDebtShares(position).toString()).toBe(want.debtShares);
  });

  it('debt and health from the decoded accounts match the core', () => {
    const pool = decodePoolData(poolBytes);
    const position = decodePositionData(positionBytes);
    expect(positionDebt(pool, position).toString()).toBe(accounts.debt);
    const want = obj(accounts.health);
    for (const basis of [PriceBasis.Conservative, PriceBasis.Spot]) {
      const health = positionHealth(pool, position, basis, now);
      expect(
        normalize({ ...health, isHealthy: Health.isHealthy(health), ratioWad: Health.ratioWad(health) }),
        basis,
      ).toEqual(want[basis]);
    }
  });

  it('refuses a wrong size or discriminator', () => {
    expect(() => decodePoolData(poolBytes.slice(1))).toThrow(/3088 bytes/);
    expect(() => decodePositionData(poolBytes)).toThrow(/200 bytes/);
    const forged = positionBytes.slice();
    forged[0] = forged[0]! ^ 1;
    expect(() => decodePositionData(forged)).toThrow(/discriminator/);
  });

  it('keeper filters point at the right bytes', () => {
    const position = decodePositionData(positionBytes);
    const filters = positionFilters({ pool: position.pool, owner: position.owner, hasDebt: true });
    expect(filters[0]).toEqual({ dataSize: 200n });
    expect(filters.slice(2).map((f) => ('memcmp' in f ? Number(f.memcmp.offset) : -1))).toEqual([10, 16, 48]);
    expect(positionBytes[POSITION_OFFSETS.hasDebt]).toBe(1);
  });

  it('keeper filters select loss-pending positions by the flags byte', () => {
    const position = decodePositionData(positionBytes);
    expect(positionLossPending(position)).toBe(true);
    const filters = positionFilters({ flags: PositionFlags.LossPending });
    const flags = filters.find((f) => 'memcmp' in f && f.memcmp.offset === 11n);
    expect(flags).toEqual({ memcmp: { offset: 11n, bytes: '2', encoding: 'base58' } });
    expect(positionBytes[POSITION_OFFSETS.flags]).toBe(PositionFlags.LossPending);
  });

  it('decodes a Tranche: every field, its core state and NAV', () => {
    const t = obj(accounts.tranche);
    const bytes = hexBytes(str(t.data));
    expect(getTrancheSize()).toBe(Number(t.size));
    const tranche = decodeTrancheData(bytes);
    for (const [key, value] of Object.entries(obj(t.fields))) {
      expect(normalize(tranche[key as keyof typeof tranche]), key).toEqual(value);
    }
    expect(normalize(trancheState(tranche))).toEqual(t.state);
    expect(trancheNav(decodePoolData(poolBytes), tranche, now).toString()).toBe(t.nav);
    expect(() => decodeTrancheData(positionBytes)).toThrow(new RegExp(`${getTrancheSize()} bytes`));
  });

  it('decodes an AllowlistEntry', () => {
    const e = obj(accounts.allowlistEntry);
    const bytes = hexBytes(str(e.data));
    expect(getAllowlistEntrySize()).toBe(Number(e.size));
    const entry = decodeAllowlistEntryData(bytes);
    for (const [key, value] of Object.entries(obj(e.fields))) {
      expect(normalize(entry[key as keyof typeof entry]), key).toEqual(value);
    }
    const forged = bytes.slice();
    forged[7] = forged[7]! ^ 1;
    expect(() => decodeAllowlistEntryData(forged)).toThrow(/discriminator/);
  });

  it('tranche and allowlist filters point at the right bytes', () => {
    const tranche = decodeTrancheData(hexBytes(str(obj(accounts.tranche).data)));
    const entryBytes = hexBytes(str(obj(accounts.allowlistEntry).data));
    const entry = decodeAllowlistEntryData(entryBytes);
    const trancheBytes = hexBytes(str(obj(accounts.tranche).data));
    expect(trancheBytes[TRANCHE_OFFSETS.index]).toBe(tranche.index);
    const at = (data: Uint8Array, offset: number) => data.slice(offset, offset + 32);
    const addressBytes = (address: Address) => getAddressEncoder().encode(address);
    expect(at(trancheBytes, TRANCHE_OFFSETS.pool)).toEqual(Uint8Array.from(addressBytes(tranche.pool)));
    expect(at(entryBytes, ALLOWLIST_ENTRY_OFFSETS.pool)).toEqual(Uint8Array.from(addressBytes(entry.pool)));
    expect(at(entryBytes, ALLOWLIST_ENTRY_OFFSETS.wallet)).toEqual(Uint8Array.from(addressBytes(entry.wallet)));
    expect(trancheFilters({ pool: tranche.pool })).toEqual([
      { dataSize: BigInt(getTrancheSize()) },
      expect.objectContaining({ memcmp: expect.objectContaining({ offset: 0n }) }),
      { memcmp: { offset: 16n, bytes: tranche.pool, encoding: 'base58' } },
    ]);
    expect(allowlistEntryFilters({ pool: entry.pool, wallet: entry.wallet }).slice(2)).toEqual([
      { memcmp: { offset: 16n, bytes: entry.pool, encoding: 'base58' } },
      { memcmp: { offset: 48n, bytes: entry.wallet, encoding: 'base58' } },
    ]);
  });

  it('pool flags and builder inputs from a decoded pool', () => {
    const pool = decodePoolData(poolBytes);
    expect(poolIsTurbo(pool)).toBe(true);
    const refs = collateralRefs(pool);
    expect(refs.map((r) => r.index)).toEqual([0, 1]);
    expect(refs[1]).toEqual({ index: 1, mint: pool.collaterals[1]!.mint, tokenProgram: pool.collaterals[1]!.tokenProgram });
  });

  it('u128 little-endian helpers round-trip', () => {
    for (const value of [0n, 1n, 255n, 256n, 1n << 64n, U128_MAX]) expect(u128FromLe(u128ToLe(value))).toBe(value);
    expect(u128ToLe(258n)[0]).toBe(2);
    expect(() => u128ToLe(U128_MAX + 1n)).toThrow(RangeError);
  });
});
