// Absorption, mirrored from `strata_core::absorb`: the tranches take an unhealthy
// position when no keeper brings notes. They burn vault notes against its debt, junior
// first, and take the matching share of its collateral (all of it when they pay the
// whole debt), credited to the paying tranches pro rata after the keeper's tip. Taking
// the same share of debt and collateral never lowers the position's health (checked).
import { DebtState } from './debt.js';
import { CoreError } from './errors.js';
import { CollateralView, Health, PriceBasis } from './health.js';
import { MAX_COLLATERALS } from './liquidation.js';
import { BPS, minBig, mulDiv, Rounding, safeAdd, safeSub, toU64, U64_MAX, WAD } from './math.js';
import { MAX_TRANCHES, type TrancheState } from './tranche.js';

export type AbsorbPlan = {
  /** Notes each tranche burns from its vault (4 slots). */
  paid: bigint[];
  totalPaid: bigint;
  sharesBurned: bigint;
  /** The whole position was absorbed. */
  full: boolean;
  /** Collateral leaving the position, per index (8 slots). */
  moved: bigint[];
  /** The keeper's tip, out of `moved` (8 slots). */
  tip: bigint[];
  /** Collateral credited to each tranche: `credited[tranche][collateral]` (4 × 8). */
  credited: bigint[][];
  before: Health;
  after: Health;
};

const zeros = (length: number): bigint[] => Array.from({ length }, () => 0n);

export const AbsorbPlan = {
  /** Applies the plan to the pool's debt and the tranches: the new debt state, the
   * position's remaining shares and the new tranche states. */
  apply(
    plan: AbsorbPlan,
    debt: DebtState,
    positionShares: bigint,
    tranches: readonly TrancheState[],
  ): { state: DebtState; positionShares: bigint; tranches: TrancheState[] } {
    let state: DebtState;
    let remaining: bigint;
    if (plan.full) {
      state = DebtState.settle(debt, positionShares, plan.totalPaid).state;
      remaining = 0n;
    } else {
      const burned = DebtState.burn(debt, positionShares, plan.totalPaid);
      state = burned.state;
      remaining = burned.positionShares;
    }
    const next = tranches.map((tranche, index) => ({
      ...tranche,
      assets: safeSub(tranche.assets, plan.paid[index] ?? 0n, U64_MAX),
      collateralHeld: tranche.collateralHeld.map((held, c) =>
        safeAdd(held, plan.credited[index]?.[c] ?? 0n, U64_MAX),
      ),
    }));
    return { state, positionShares: remaining, tranches: next };
  },
} as const;

/** Sizes the absorption of a position (`positionShares`, `slots`) by `tranches`
 * (`strata_core::absorb::plan`). */
export function planAbsorb(
  debt: DebtState,
  slots: readonly CollateralView[],
  positionShares: bigint,
  tranches: readonly TrancheState[],
  keeperTipBps: bigint,
  now: bigint,
): AbsorbPlan {
  if (slots.length > MAX_COLLATERALS) throw new RangeError(`at most ${MAX_COLLATERALS} collateral slots`);
  if (tranches.length > MAX_TRANCHES) throw new RangeError(`at most ${MAX_TRANCHES} tranches`);
  if (tranches.length === 0) throw new CoreError('NoTranches');
  const owed = DebtState.debtOf(debt, positionShares);
  const before = Health.compute(slots, owed, PriceBasis.Spot, now);
  if (Health.isHealthy(before)) throw new CoreError('PositionHealthy');
  let available = 0n;
  for (const tranche of tranches) available = safeAdd(available, tranche.assets);
  if (available === 0n) throw new CoreError('TranchesEmpty');
  let pay = minBig(owed, available);
  if (pay < owed && owed - pay < debt.minDebt) {
    // Never leave dust: what stays a position owes at least the floor.
    pay = owed > debt.minDebt ? owed - debt.minDebt : 0n;
    if (pay === 0n) throw new CoreError('DebtBelowMinimum');
  }
  const totalPaid = toU64(pay);
  const full = totalPaid === owed;

  // Debt side: the whole position, or the shares `totalPaid` pays off.
  let sharesBurned: bigint;
  let debtAfter: bigint;
  if (full) {
    sharesBurned = positionShares;
    debtAfter = 0n;
  } else {
    const burned = DebtState.burn(debt, positionShares, totalPaid);
    sharesBurned = burned.sharesBurned;
    debtAfter = burned.positionDebt;
  }

  // Collateral side: the same share of every asset, but never so much that the
  // position's floored weighted value falls below its share of what it still owes.
  const moved = zeros(MAX_COLLATERALS);
  const afterSlots = slots.map((slot) => ({ ...slot }));
  slots.forEach((slot, index) => {
    if (slot.amount === 0n) return;
    if (full) {
      moved[index] = slot.amount;
    } else {
      const proportional = mulDiv(slot.amount, owed - debtAfter, owed, Rounding.Down);
      const keep = amountKeepingWeight(slot, owed, debtAfter, now);
      const removable = slot.amount > keep ? slot.amount - keep : 0n;
      moved[index] = toU64(minBig(proportional, removable));
    }
    afterSlots[index]!.amount -= moved[index]!;
  });
  const after = Health.compute(afterSlots, debtAfter, PriceBasis.Spot, now);
  if (!Health.isAtLeast(after, before)) throw new CoreError('LiquidationWouldLowerHealth');

  // Tranches pay junior first.
  const paid = zeros(MAX_TRANCHES);
  let left = totalPaid;
  for (let index = tranches.length - 1; index >= 0; index -= 1) {
    paid[index] = minBig(left, tranches[index]!.assets);
    left -= paid[index]!;
  }

  // Keeper's tip, then credit pro rata to what each tranche paid; rounding dust goes
  // to the most junior payer.
  const tip = zeros(MAX_COLLATERALS);
  const credited = Array.from({ length: MAX_TRANCHES }, () => zeros(MAX_COLLATERALS));
  let juniorPayer = 0;
  for (let index = tranches.length - 1; index >= 0; index -= 1) {
    if (paid[index]! > 0n) {
      juniorPayer = index;
      break;
    }
  }
  for (let index = 0; index < slots.length; index += 1) {
    tip[index] = toU64(mulDiv(moved[index]!, keeperTipBps, BPS, Rounding.Down));
    const net = moved[index]! - tip[index]!;
    let given = 0n;
    for (let tranche = 0; tranche < tranches.length; tranche += 1) {
      credited[tranche]![index] = toU64(mulDiv(net, paid[tranche]!, totalPaid, Rounding.Down));
      given += credited[tranche]![index]!;
    }
    const junior = credited[juniorPayer]!;
    junior[index] = junior[index]! + net - given;
  }
  return { paid, totalPaid, sharesBurned, full, moved, tip, credited, before, after };
}

/** The least amount of `slot` whose weighted value (floored as `Health` floors it) is
 * at least `⌈w × debtAfter / owed⌉`, `w` being the slot's weighted value now. */
function amountKeepingWeight(slot: CollateralView, owed: bigint, debtAfter: bigint, now: bigint): bigint {
  const weight = CollateralView.weightedValue(slot, PriceBasis.Spot, now);
  const need = mulDiv(weight, debtAfter, owed, Rounding.Up);
  const threshold = slot.liquidationThresholdBps;
  if (need === 0n || threshold === 0n) return 0n;
  const value = mulDiv(need, BPS, threshold, Rounding.Up);
  return mulDiv(value, WAD, CollateralView.priceFor(slot, PriceBasis.Spot, now), Rounding.Up);
}
