import { address } from '@solana/kit';
import { describe, expect, it } from 'vitest';

import { HealthCache, healthOf, unhealthyCount } from '../../keeper/health-cache.js';
import type { Market } from '../../keeper/market.js';
import type { PositionSnapshot } from '../../keeper/scanner.js';
import { CoreError, Health, type CollateralView } from '../../src/index.js';

const WAD = 10n ** 18n;
const NOW = 1_000_000n;
const NOTE = 1_000_000n;
const SOL = 1_000_000_000n;

const view = (dollars: bigint, publishTime = NOW): CollateralView => ({
  amount: 0n,
  price: { priceWad: (dollars * NOTE * WAD) / SOL, emaPriceWad: (dollars * NOTE * WAD) / SOL, confWad: 0n, publishTime },
  limits: { maxAgeSecs: 60n, maxConfBps: 200n, maxEmaDeviationBps: 1_000n },
  ltvBps: 7_000n,
  liquidationThresholdBps: 8_000n,
  liquidationBonusMinBps: 200n,
  liquidationBonusMaxBps: 1_000n,
});

/** A market at `slot` with wSOL at `dollars`; debt is one note per share. */
const market = (slot: bigint, dollars: bigint, publishTime = NOW) =>
  ({
    pool: address('11111111111111111111111111111111'),
    state: { closeFactorBps: 5_000 },
    slot,
    now: NOW,
    debt: { totalShares: 10n ** 12n, rateIndexWad: WAD, stabilityFeeBps: 0n, lastAccrualTs: NOW },
    views: [view(dollars, publishTime)],
  }) as unknown as Market;

/** 1 SOL against `debt` notes: liquidatable below $debt / 0.8. */
const position = (debt: bigint): PositionSnapshot => ({ address: address('SysvarC1ock11111111111111111111111111111111'), collateral: [SOL], debtShares: debt * NOTE, flags: 0, lastLiquidatedSlot: 0n });

describe('HealthCache', () => {
  it('gives the health the core computes, and an error where the core throws', () => {
    const cache = new HealthCache();
    const p = position(70n);
    expect(cache.at(market(5n, 100n))(p)).toEqual({ health: healthOf(market(5n, 100n), p) });
    // A price two minutes old (60 s allowed): the core refuses to value it.
    const stale = cache.at(market(6n, 100n, NOW - 120n))(p);
    expect('error' in stale && stale.error instanceof CoreError && stale.error.code).toBe('StalePrice');
  });

  it('values a position once per market and position reading: a new price or reading values it again, a later slot alone does not', () => {
    const cache = new HealthCache();
    const computed = () => cache.computed;
    const [a, b] = [position(70n), position(90n)];
    const at5 = market(5n, 100n);
    expect(unhealthyCount(at5, [a, b], cache)).toBe(1);
    // The same market read again (a new object, same slot and contents): nothing revalued.
    expect(unhealthyCount(market(5n, 100n), [a, b], cache)).toBe(1);
    expect(computed()).toBe(2);
    // A new reading of one position: only it.
    const b2 = { ...b, debtShares: 60n * NOTE };
    expect(unhealthyCount(market(5n, 100n), [a, b2], cache)).toBe(0);
    expect(computed()).toBe(3);
    // The next slot, nothing else changed: nothing revalued.
    expect(unhealthyCount(market(6n, 100n), [a, b2], cache)).toBe(0);
    expect(computed()).toBe(3);
    // The price fell at the next slot: everything again, at the new price.
    expect(unhealthyCount(market(6n, 70n), [a, b2], cache)).toBe(2);
    expect(computed()).toBe(5);
    const fallen = cache.at(market(6n, 70n))(b2);
    if ('error' in fallen) throw fallen.error;
    expect(Health.isHealthy(fallen.health)).toBe(false);
  });

  it("values nothing again when only the pool's totals changed (liquidations landed), and everything when the debt per share did", () => {
    const cache = new HealthCache();
    const [a, b] = [position(70n), position(90n)];
    expect(unhealthyCount(market(5n, 100n), [a, b], cache)).toBe(1);
    expect(cache.computed).toBe(2);
    // The next slot: fewer debt shares in the pool, the same debt per share.
    const repaid = market(6n, 100n);
    repaid.debt = { ...repaid.debt, totalShares: 10n ** 11n };
    expect(unhealthyCount(repaid, [a, b], cache)).toBe(1);
    expect(cache.computed).toBe(2);
    // Interest accrued: every debt is larger, every position valued again (a at 70
    // notes and 1% more is still healthy, b still is not).
    const accrued = market(6n, 100n);
    accrued.debt = { ...accrued.debt, rateIndexWad: (WAD * 101n) / 100n };
    expect(unhealthyCount(accrued, [a, b], cache)).toBe(1);
    expect(cache.computed).toBe(4);
    const owed = cache.at(accrued)(a);
    if ('error' in owed) throw owed.error;
    expect(owed.health.debt).toBe((70n * NOTE * 101n) / 100n);
  });
});
