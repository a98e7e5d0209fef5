// Stress testing a book off-chain with the program's math mirrored: a shock moves
// collateral prices by a percentage and the book is revalued at the moved prices.
// A scenario reports the positions that become liquidatable, those that become
// insolvent and what settling them whole would leave uncovered, how that loss falls
// on the tranches, junior first on NAV as `bookLoss` books it (a junior short of notes
// hands its held collateral to the seniors whose notes were burned, valued at the moved
// prices in the seniors' favour), and each tranche's NAV after the move (its absorbed
// collateral is marked at the moved prices too).
//
// It values positions at spot and assumes every insolvent position is settled at the
// moved prices; it does not model the keeper's bonus on solvent liquidations or
// second-round effects (liquidations selling into the move). Used by `npm run stress`
// (sim/stress.ts) and the web app's Stress view.
import { CoreError } from './errors.js';
import { CollateralView, Health, PriceBasis } from './health.js';
import { DebtState } from './debt.js';
import { liquidationTerms, planLiquidation } from './liquidation.js';
import { BPS } from './math.js';
import { bookLoss, TrancheState } from './tranche.js';

/** Price moves by collateral index, basis points (-2000: a 20% fall). */
export type Shock = { name: string; movesBps: Map<number, bigint> };

/** What a stress test values a book against: the pool's close factor, the clock, the
 * debt accrued to it, each collateral slot's price and parameters, the tranches. */
export type StressMarket = {
  state: { closeFactorBps: number };
  now: bigint;
  debt: DebtState;
  views: readonly CollateralView[];
  tranches: readonly TrancheState[];
};

/** What stress testing needs of a position. */
export type StressPosition = { collateral: readonly bigint[]; debtShares: bigint };

export type StressResult = {
  shock: Shock;
  positions: number;
  /** Positions holding an asset with no usable price (stale cache, unreadable oracle). */
  unpriced: number;
  liquidatable: number;
  insolvent: number;
  /** Debt of the liquidatable positions. */
  debtAtRisk: bigint;
  /** Debt the insolvent positions' collateral does not cover. */
  shortfall: bigint;
  /** The shortfall as each tranche loses it (junior first on NAV: notes burned, less
   * the collateral received for them, plus collateral handed over), and what no
   * tranche's notes cover. */
  trancheLoss: bigint[];
  uncovered: bigint;
  /** Each tranche's NAV before the move and after it (marked and loss taken). */
  navBefore: bigint[];
  navAfter: bigint[];
  /** The liquidatable positions (indices into the book), with their health at the
   * moved prices and whether they are insolvent. */
  atRisk: { index: number; health: Health; insolvent: boolean }[];
};

const moved = (value: bigint, bps: bigint): bigint => {
  const scaled = (value * (BPS + bps)) / BPS;
  return scaled > 0n ? scaled : 0n;
};

/** The collateral views with every price (spot, EMA, confidence) moved. */
export function shockViews(views: readonly CollateralView[], shock: Shock): CollateralView[] {
  return views.map((view, index) => {
    const bps = shock.movesBps.get(index) ?? 0n;
    if (bps === 0n) return view;
    if (bps <= -BPS) throw new RangeError(`a move of ${bps} bps leaves no price`);
    const { price } = view;
    // Built as a price read from the chain is (`CachedPrice.fromSample`), field by field.
    return CollateralView.withPrice(view, { priceWad: moved(price.priceWad, bps), emaPriceWad: moved(price.emaPriceWad, bps), confWad: moved(price.confWad, bps), publishTime: price.publishTime });
  });
}

export function stressBook(market: StressMarket, positions: readonly StressPosition[], shock: Shock): StressResult {
  const views = shockViews(market.views, shock);
  const terms = liquidationTerms(market.state);
  const result: StressResult = {
    shock,
    positions: positions.length,
    unpriced: 0,
    liquidatable: 0,
    insolvent: 0,
    debtAtRisk: 0n,
    shortfall: 0n,
    trancheLoss: [],
    uncovered: 0n,
    navBefore: market.tranches.map((t) => TrancheState.nav(t, market.views, market.now)),
    navAfter: [],
    atRisk: [],
  };
  positions.forEach((position, index) => {
    const slots = CollateralView.holding(views, position.collateral);
    const debt = DebtState.debtOf(market.debt, position.debtShares);
    let health: Health;
    try {
      health = Health.compute(slots, debt, PriceBasis.Spot, market.now);
    } catch (error) {
      if (!(error instanceof CoreError)) throw error;
      result.unpriced += 1;
      return;
    }
    if (Health.isHealthy(health)) return;
    result.liquidatable += 1;
    result.debtAtRisk += debt;
    const held = slots.findIndex((slot) => slot.amount > 0n);
    if (held < 0) {
      // Debt with no collateral at all: all of it is lost.
      result.insolvent += 1;
      result.shortfall += debt;
      result.atRisk.push({ index, health, insolvent: true });
      return;
    }
    const plan = planLiquidation(market.debt, terms, slots, position.debtShares, held, debt, market.now);
    const insolvent = plan.kind === 'Shortfall';
    if (insolvent) {
      result.insolvent += 1;
      result.shortfall += plan.badDebt;
    }
    result.atRisk.push({ index, health, insolvent });
  });
  const tranches = [...market.tranches];
  if (tranches.length > 0) {
    const booked = bookLoss(tranches, 0n, result.shortfall, views, market.now);
    result.trancheLoss = booked.split.lost.slice(0, tranches.length);
    result.uncovered = booked.split.uncovered;
    result.navAfter = booked.tranches.map((t) => TrancheState.nav(t, views, market.now));
  } else {
    result.uncovered = result.shortfall;
  }
  return result;
}

/** Parses `wSOL=-20,tBILL=-2` (percent, decimals allowed) into a shock; names are
 * collateral names from `names`, collateral indices, or `all` (every one of the
 * pool's `count` collaterals). */
export function parseShock(text: string, count: number, names: Record<string, number> = {}): Shock {
  const movesBps = new Map<number, bigint>();
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([^=]+)=([+-]?\d+(?:\.\d{1,2})?)%?$/.exec(part);
    if (!match) throw new Error(`cannot read the shock "${part}" (expected NAME=PERCENT, for example wSOL=-20)`);
    const key = match[1]!.trim();
    const index = names[key] ?? (/^\d+$/.test(key) ? Number(key) : undefined);
    if (key !== 'all' && (index === undefined || index >= count)) {
      throw new Error(`unknown collateral "${key}" (known: all, ${[...Object.keys(names), ...Array.from({ length: count }, (_, i) => `${i}`)].join(', ')})`);
    }
    const [whole, fraction = ''] = match[2]!.replace('+', '').split('.');
    const negative = whole!.startsWith('-');
    const bps = BigInt(whole!.replace('-', '')) * 100n + BigInt(fraction.padEnd(2, '0') || '0');
    for (const target of key === 'all' ? Array.from({ length: count }, (_, i) => i) : [index!]) movesBps.set(target, negative ? -bps : bps);
  }
  return { name: text, movesBps };
}
