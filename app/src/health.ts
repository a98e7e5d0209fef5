// Position health, mirrored from `strata_core::health`: collateral weighted by risk
// parameters against debt, on two bases:
// - Conservative (mint, withdraw): `min(spot, ema) − conf` with every oracle check,
//   weighted by ltv — the borrow limit;
// - Spot (liquidation): spot, freshness only, weighted by the liquidation threshold —
//   below 1.0 the position is liquidatable.
import { cmpProducts, mulDiv, Rounding, safeAdd, U128_MAX, WAD } from './math.js';
import { applyBps, CachedPrice, collateralValue, type PriceLimits } from './price.js';

export const PriceBasis = {
  /** Mint and withdraw: conservative price, weighted by ltv. */
  Conservative: 'Conservative',
  /** Liquidation: spot price, weighted by the liquidation threshold. */
  Spot: 'Spot',
} as const;
export type PriceBasis = (typeof PriceBasis)[keyof typeof PriceBasis];

/** One collateral slot of a position, with what the pool knows about the asset. */
export type CollateralView = {
  amount: bigint;
  price: CachedPrice;
  limits: PriceLimits;
  ltvBps: bigint;
  liquidationThresholdBps: bigint;
  /** Liquidation bonus at health 1.0, basis points (u16). */
  liquidationBonusMinBps: bigint;
  /** Largest liquidation bonus, basis points (u16). */
  liquidationBonusMaxBps: bigint;
};

/** The one literal every copied view is built by (`CollateralView.holding`, `withPrice`). */
function copyView(view: CollateralView, amount: bigint, price: CachedPrice): CollateralView {
  return {
    amount,
    price,
    limits: view.limits,
    ltvBps: view.ltvBps,
    liquidationThresholdBps: view.liquidationThresholdBps,
    liquidationBonusMinBps: view.liquidationBonusMinBps,
    liquidationBonusMaxBps: view.liquidationBonusMaxBps,
  };
}

export const CollateralView = {
  /** A position's slots: each of `views` holding the position's amount of it. Views
   * are copied by one literal (`copyView`, the fields in the order `collateralView`
   * writes them), never by spreading one: in V8 a spread copy of a spread copy gets a
   * hidden class of its own, and valuation compiled for views
   * read from the chain was thrown away (deoptimized, "wrong map") when it met views
   * built another way, and compiled again: a keeper's rehearsal, which values its
   * book under shocked prices so that a crash finds that code compiled, left it
   * compiled for shapes the crash never brings (keeper.ts, `rehearse`). */
  holding(views: readonly CollateralView[], amounts: readonly bigint[]): CollateralView[] {
    return views.map((view, index) => copyView(view, amounts[index] ?? 0n, view.price));
  },

  /** `view` priced at `price` (copied as `holding` copies). */
  withPrice(view: CollateralView, price: CachedPrice): CollateralView {
    return copyView(view, view.amount, price);
  },

  /** The price this basis values the asset at (with its checks). */
  priceFor(view: CollateralView, basis: PriceBasis, now: bigint): bigint {
    return basis === PriceBasis.Conservative
      ? CachedPrice.conservative(view.price, view.limits, now)
      : CachedPrice.spot(view.price, view.limits, now);
  },

  /** The risk weight this basis applies. */
  weightBps(view: CollateralView, basis: PriceBasis): bigint {
    return basis === PriceBasis.Conservative ? view.ltvBps : view.liquidationThresholdBps;
  },

  /** Unweighted value in notes at this basis's price, rounded down. */
  value(view: CollateralView, basis: PriceBasis, now: bigint): bigint {
    return collateralValue(view.amount, CollateralView.priceFor(view, basis, now));
  },

  /** Value times the basis's weight, rounded down. */
  weightedValue(view: CollateralView, basis: PriceBasis, now: bigint): bigint {
    return applyBps(CollateralView.value(view, basis, now), CollateralView.weightBps(view, basis), Rounding.Down);
  },
} as const;

/** A position's weighted collateral against its debt, both in native note units. */
export type Health = {
  weightedCollateral: bigint;
  debt: bigint;
};

export const Health = {
  /** Values every non-empty slot at `basis`. Empty slots need no price, so a stale
   * feed of an asset the position does not hold never blocks it. */
  compute(collaterals: readonly CollateralView[], debt: bigint, basis: PriceBasis, now: bigint): Health {
    let weightedCollateral = 0n;
    for (const slot of collaterals) {
      if (slot.amount > 0n) {
        weightedCollateral = safeAdd(weightedCollateral, CollateralView.weightedValue(slot, basis, now));
      }
    }
    return { weightedCollateral, debt };
  },

  /** Σ unweighted collateral value at `basis`, rounded down per slot. */
  collateralValue(collaterals: readonly CollateralView[], basis: PriceBasis, now: bigint): bigint {
    let total = 0n;
    for (const slot of collaterals) {
      if (slot.amount > 0n) total = safeAdd(total, CollateralView.value(slot, basis, now));
    }
    return total;
  },

  /** Whether `health` is at least `other`, compared exactly (`w / d ≥ w' / d'` by
   * cross-multiplication; no debt is infinite health). */
  isAtLeast(health: Health, other: Health): boolean {
    if (health.debt === 0n) return true;
    if (other.debt === 0n) return false;
    return cmpProducts(health.weightedCollateral, other.debt, other.weightedCollateral, health.debt) >= 0;
  },

  /** Health ≥ 1.0 (or no debt). */
  isHealthy(health: Health): boolean {
    return health.weightedCollateral >= health.debt;
  },

  /** Weighted collateral / debt in WAD, rounded down; u128::MAX without debt. */
  ratioWad(health: Health): bigint {
    if (health.debt === 0n) return U128_MAX;
    return mulDiv(health.weightedCollateral, WAD, health.debt, Rounding.Down);
  },
} as const;
