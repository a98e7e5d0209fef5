// Liquidation sizing, mirrored from `strata_core::liquidation`: how much debt a keeper
// repays, which collateral (and how much) it receives, and what is booked as loss.
//
// - Partial (collateral value ≥ debt): up to `closeFactor` of the debt (all of it when
//   the rest would be dust), for collateral worth `repay × (1 + bonus)`; the bonus is
//   `bonusMin` plus the health deficit, up to `bonusMax`, capped so that
//   `(1 + bonus) × t ≤ h` keeps health non-decreasing.
// - Shortfall (collateral value < debt): the position is settled whole; the keeper pays
//   what each collateral covers at its bonus (rounded up) and receives all of it; the
//   rest is bad debt.
//
// Pure functions: a plan is a value, `LiquidationPlan.apply` returns the new debt state.
import { DebtState } from './debt.js';
import { CoreError } from './errors.js';
import { CollateralView, Health, PriceBasis } from './health.js';
import {
  BPS,
  minBig,
  mulDiv,
  Rounding,
  safeAdd,
  safeMul,
  safeSub,
  saturatingAddU16,
  toU16Saturating,
  toU64,
  WAD,
} from './math.js';
import { collateralValue } from './price.js';

/** Collateral slots a position has (the pool's listing capacity). */
export const MAX_COLLATERALS = 8;

/** Pool-level liquidation parameters. */
export type LiquidationTerms = { closeFactorBps: bigint };

/** A pool's liquidation terms, from its stored close factor (the pool account, a
 * keeper's or a model's copy of it). */
export const liquidationTerms = (pool: { closeFactorBps: number }): LiquidationTerms => ({ closeFactorBps: BigInt(pool.closeFactorBps) });

/** Part (or all) of the debt repaid for one collateral at a bonus. */
export type PartialLiquidation = {
  kind: 'Partial';
  collateralIndex: number;
  /** Notes the keeper burns. */
  repay: bigint;
  /** Units of `collateralIndex` the keeper receives. */
  seize: bigint;
  bonusBps: bigint;
  sharesBurned: bigint;
  before: Health;
  after: Health;
};

/** The insolvent position settled whole. */
export type ShortfallLiquidation = {
  kind: 'Shortfall';
  repay: bigint;
  /** Units of every collateral the keeper receives (all the position holds), 8 slots. */
  seize: bigint[];
  /** Bonus applied to each collateral, 8 slots. */
  bonusBps: bigint[];
  sharesBurned: bigint;
  /** Debt no collateral covers. */
  badDebt: bigint;
  before: Health;
};

/** What a liquidation does. */
export type LiquidationPlan = PartialLiquidation | ShortfallLiquidation;

const noHealth = (): Health => ({ weightedCollateral: 0n, debt: 0n });

/** `LiquidationPlan`'s methods, as functions over the plain value. */
export const LiquidationPlan = {
  repay: (plan: LiquidationPlan): bigint => plan.repay,

  /** Units of collateral `index` paid to the keeper. */
  seized(plan: LiquidationPlan, index: number): bigint {
    if (plan.kind === 'Partial') return plan.collateralIndex === index ? plan.seize : 0n;
    return plan.seize[index] ?? 0n;
  },

  sharesBurned: (plan: LiquidationPlan): bigint => plan.sharesBurned,

  badDebt: (plan: LiquidationPlan): bigint => (plan.kind === 'Shortfall' ? plan.badDebt : 0n),

  before: (plan: LiquidationPlan): Health => plan.before,

  /** Health after: a settled position owes nothing. */
  after: (plan: LiquidationPlan): Health => (plan.kind === 'Partial' ? plan.after : noHealth()),

  /** Bonus on `index` (what `PositionLiquidated.bonus_bps` and the quote report). */
  bonusBps(plan: LiquidationPlan, index: number): bigint {
    return plan.kind === 'Partial' ? plan.bonusBps : (plan.bonusBps[index] ?? 0n);
  },

  /** Applies the plan to the pool's debt (the same burn or settlement the plan was
   * sized with): the new debt state and the position's remaining shares. */
  apply(plan: LiquidationPlan, debt: DebtState, positionShares: bigint): { state: DebtState; positionShares: bigint } {
    if (plan.kind === 'Partial') {
      const burned = DebtState.burn(debt, positionShares, plan.repay);
      return { state: burned.state, positionShares: burned.positionShares };
    }
    return { state: DebtState.settle(debt, positionShares, plan.repay).state, positionShares: 0n };
  },
} as const;

/** The health deficit `1 − h` in basis points (saturating at u16::MAX). */
function deficitBps(before: Health): bigint {
  return toU16Saturating(mulDiv(safeSub(WAD, Health.ratioWad(before)), BPS, WAD, Rounding.Down));
}

/** Sizes a liquidation of the position (`positionShares`, collateral `slots`) in the
 * pool (`debt`, already accrued) on collateral `index`, for a keeper offering to repay
 * up to `requested` notes, at time `now` (`strata_core::liquidation::plan`). */
export function planLiquidation(
  debt: DebtState,
  terms: LiquidationTerms,
  slots: readonly CollateralView[],
  positionShares: bigint,
  index: number,
  requested: bigint,
  now: bigint,
): LiquidationPlan {
  if (slots.length > MAX_COLLATERALS) throw new RangeError(`at most ${MAX_COLLATERALS} collateral slots`);
  if (requested === 0n) throw new CoreError('ZeroAmount');
  const owed = DebtState.debtOf(debt, positionShares);
  const before = Health.compute(slots, owed, PriceBasis.Spot, now);
  if (Health.isHealthy(before)) throw new CoreError('PositionHealthy');
  const slot = slots[index];
  if (index < 0 || !slot || slot.amount === 0n) throw new CoreError('NoCollateralToSeize');
  const deficit = deficitBps(before);
  if (Health.collateralValue(slots, PriceBasis.Spot, now) < owed) {
    return planShortfall(debt, slots, positionShares, requested, deficit, before, now);
  }
  return planPartial(debt, terms, slots, positionShares, index, requested, deficit, before, now);
}

function planPartial(
  debt: DebtState,
  terms: LiquidationTerms,
  slots: readonly CollateralView[],
  positionShares: bigint,
  index: number,
  requested: bigint,
  deficit: bigint,
  before: Health,
  now: bigint,
): PartialLiquidation {
  const slot = slots[index]!;
  const price = CollateralView.priceFor(slot, PriceBasis.Spot, now);
  const owed = before.debt;

  // Bonus: dynamic, then capped so that (1 + bonus) × t_j ≤ h keeps health.
  const dynamic = minBig(saturatingAddU16(slot.liquidationBonusMinBps, deficit), slot.liquidationBonusMaxBps);
  const healthLimit = mulDiv(
    before.weightedCollateral,
    BPS * BPS,
    safeMul(owed, slot.liquidationThresholdBps),
    Rounding.Down,
  );
  if (healthLimit <= BPS) throw new CoreError('LiquidationWouldLowerHealth');
  // One basis point below the exact limit absorbs the rounding of the weighted sums.
  const bonusBps = minBig(dynamic, toU16Saturating(healthLimit - BPS - 1n));
  const bonusFactor = BPS + bonusBps;

  // Repayment: the close factor (all of the debt when the rest would be dust), the
  // keeper's offer, and what the slot can pay for at the bonus.
  const closeFactorCap = mulDiv(owed, terms.closeFactorBps, BPS, Rounding.Up);
  const dustFloor = debt.minDebt;
  const cap = owed - minBig(closeFactorCap, owed) < dustFloor ? owed : closeFactorCap;
  const slotValue = collateralValue(slot.amount, price);
  const slotCap = mulDiv(slotValue, BPS, bonusFactor, Rounding.Down);
  let repay = minBig(minBig(requested, cap), slotCap);
  // Never leave dust: repay less, leaving exactly the floor.
  if (repay < owed && owed - repay < dustFloor) repay = owed > dustFloor ? owed - dustFloor : 0n;
  if (repay === 0n) throw new CoreError('ZeroAmount');
  repay = toU64(repay);
  const seize = toU64(
    minBig(mulDiv(safeMul(repay, bonusFactor), WAD, safeMul(BPS, price), Rounding.Down), slot.amount),
  );

  const burned = DebtState.burn(debt, positionShares, repay);
  const afterSlots = slots.map((s, i) => (i === index ? { ...s, amount: s.amount - seize } : s));
  const after = Health.compute(afterSlots, burned.positionDebt, PriceBasis.Spot, now);
  if (!Health.isAtLeast(after, before)) throw new CoreError('LiquidationWouldLowerHealth');
  return { kind: 'Partial', collateralIndex: index, repay, seize, bonusBps, sharesBurned: burned.sharesBurned, before, after };
}

function planShortfall(
  debt: DebtState,
  slots: readonly CollateralView[],
  positionShares: bigint,
  requested: bigint,
  deficit: bigint,
  before: Health,
  now: bigint,
): ShortfallLiquidation {
  const seize: bigint[] = Array.from({ length: MAX_COLLATERALS }, () => 0n);
  const bonusBps: bigint[] = Array.from({ length: MAX_COLLATERALS }, () => 0n);
  let repay = 0n;
  slots.forEach((slot, i) => {
    if (slot.amount === 0n) return;
    const bonus = minBig(saturatingAddU16(slot.liquidationBonusMinBps, deficit), slot.liquidationBonusMaxBps);
    const value = CollateralView.value(slot, PriceBasis.Spot, now);
    // What the keeper pays for this collateral, rounded up.
    repay = safeAdd(repay, mulDiv(value, BPS, BPS + bonus, Rounding.Up));
    seize[i] = slot.amount;
    bonusBps[i] = bonus;
  });
  repay = toU64(repay);
  if (requested < repay) throw new CoreError('ShortfallRepayTooLow');
  const settlement = DebtState.settle(debt, positionShares, repay);
  return {
    kind: 'Shortfall',
    repay,
    seize,
    bonusBps,
    sharesBurned: settlement.sharesBurned,
    badDebt: settlement.badDebt,
    before,
  };
}
