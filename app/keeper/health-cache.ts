/**
 * Positions' health, computed once per position reading and what a health depends on
 * (prices, clock second, debt per share). A keeper that follows notifications plans
 * many times a slot (any position's update starts a cycle) over a book of thousands;
 * those inputs do not change between those plans, and neither does the health of a
 * position whose reading did not change. Valuing 10,000 positions in the mirrored core takes tens of
 * milliseconds: at most once a second during a crash, not once per cycle or slot.
 */
import { CollateralView, DebtState, Health, PriceBasis } from '../src/index.js';
import type { Market } from './market.js';
import type { PositionSnapshot } from './scanner.js';

/** A position's health, or what the core threw valuing it (a stale price, …). */
export type Valued = { health: Health } | { error: unknown };

/** `position`'s collateral slots: each of the market's views with its amount. */
export const slotsOf = (market: Market, position: PositionSnapshot): CollateralView[] =>
  CollateralView.holding(market.views, position.collateral);

/** A position's health at spot under `market` (what liquidation checks): throws what
 * the core throws. */
export function healthOf(market: Market, position: PositionSnapshot): Health {
  return Health.compute(slotsOf(market, position), DebtState.debtOf(market.debt, position.debtShares), PriceBasis.Spot, market.now);
}

function value(market: Market, position: PositionSnapshot): Valued {
  try {
    return { health: healthOf(market, position) };
  } catch (error) {
    return { error };
  }
}

const keyOf = (parts: unknown[]): string => JSON.stringify(parts, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/** Everything of a market that a position's liquidation plan depends on (the default
 * key): not its slot, so that a market read again at a later slot within the same
 * second, with the same prices, debt and terms, plans nothing again. */
const marketKey = (market: Market): string => keyOf([market.pool, market.now, market.debt, market.views, market.state.closeFactorBps]);

/** What a position's health depends on (`healthOf`): the prices, the clock and the
 * debt per share, not the pool's totals. Every landed liquidation changes those totals
 * (the next slot's market has fewer debt shares), so keyed on the whole market a
 * crash would value the whole book again every slot; keyed on this, once a second. */
const healthKey = (market: Market): string => keyOf([market.pool, market.now, market.debt.rateIndexWad, market.views]);

/** Values computed once per market and position reading: under an unchanged market, a
 * position's value is computed again only when its reading is a new one. */
export class ReadingCache<T> {
  private key?: string;
  /** By position reading (the book replaces a reading with a new object). */
  private values = new WeakMap<PositionSnapshot, T>();
  /** Values computed (not taken from the cache). */
  computed = 0;

  /** `keyOfMarket`: what of the market `compute` depends on (by default all of it). */
  constructor(
    private readonly compute: (market: Market, position: PositionSnapshot) => T,
    private readonly keyOfMarket: (market: Market) => string = marketKey,
  ) {}

  /** The value under `market` (compared with the last market once, here). */
  at(market: Market): (position: PositionSnapshot) => T {
    const key = this.keyOfMarket(market);
    if (key !== this.key) {
      this.key = key;
      this.values = new WeakMap();
    }
    const values = this.values;
    return (position) => {
      let known = values.get(position);
      if (known === undefined) {
        known = this.compute(market, position);
        this.computed += 1;
        values.set(position, known);
      }
      return known;
    };
  }
}

/** Positions' health (or what valuing them threw), once per `healthKey` and reading. */
export class HealthCache extends ReadingCache<Valued> {
  constructor() {
    super(value, healthKey);
  }
}

/** Positions the planner counts as liquidatable (`Plan.unhealthy`): valued, and below
 * health 1.0. */
export function unhealthyCount(market: Market, positions: readonly PositionSnapshot[], cache = new HealthCache()): number {
  const valueOf = cache.at(market);
  let count = 0;
  for (const position of positions) {
    const valued = valueOf(position);
    if ('health' in valued && !Health.isHealthy(valued.health)) count += 1;
  }
  return count;
}
