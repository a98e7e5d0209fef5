/**
 * What to do about the book: for every liquidatable position, the most profitable
 * collateral to seize (sized by the program's own math, mirrored), whole settlement
 * of insolvent positions the keeper can pay for, and absorption by the tranches when
 * it cannot. Partial liquidations on the same collateral are grouped into
 * `liquidate_batch` transactions. With `recover`, the notes left buy the tranches'
 * absorbed collateral (recovery.ts).
 */
import {
  collateralValue,
  CoreError,
  DebtState,
  Health,
  LiquidationPlan,
  planAbsorb,
  planLiquidation,
  PriceBasis,
  type CollateralView,
} from '../src/index.js';
import type { Market } from './market.js';
import { planRecoveries, type RecoverAction, type RecoverySkip } from './recovery.js';
import type { PositionSnapshot } from './scanner.js';

export type Action =
  | { kind: 'batch'; collateralIndex: number; positions: PositionSnapshot[]; parts: BatchPart[]; repay: bigint; seize: bigint; profit: bigint; refresh: number[] }
  | { kind: 'settle'; collateralIndex: number; position: PositionSnapshot; repay: bigint; others: number[]; profit: bigint; refresh: number[] }
  | { kind: 'absorb'; position: PositionSnapshot; tips: number[]; refresh: number[] }
  | RecoverAction;

/** One position's share of a batch (same order as `positions`). */
export type BatchPart = { repay: bigint; seize: bigint; profit: bigint; refresh: number[] };

export type SkipReason = 'stale-price' | 'already-liquidated-this-slot' | 'in-flight' | 'below-min-profit' | 'no-notes-no-tranches' | 'cannot-liquidate';

export type Plan = {
  actions: Action[];
  unhealthy: number;
  skipped: { position: PositionSnapshot; reason: SkipReason }[];
  /** Recovery sales not made (with `recover`). */
  recoverySkipped: RecoverySkip[];
};

export type PlanOptions = {
  minProfit: bigint;
  maxPositionsPerTx: number;
  /** Positions (and recovery sales, see `recoveryKey`) with an action of the keeper's
   * own in flight: counted, not acted on. */
  busy?: ReadonlySet<string>;
  /** Also buy the tranches' absorbed collateral with the notes left (recovery.ts). */
  recover?: boolean;
};

const held = (position: PositionSnapshot): number[] =>
  position.collateral.flatMap((amount, index) => (amount > 0n ? [index] : []));

/** Value in notes, at spot, of what a plan pays the keeper, minus what it repays. */
function profit(plan: LiquidationPlan, views: readonly CollateralView[]): bigint {
  let value = 0n;
  views.forEach((view, index) => {
    const seized = LiquidationPlan.seized(plan, index);
    if (seized > 0n) value += collateralValue(seized, view.price.priceWad);
  });
  return value - plan.repay;
}

/** A batch of `positions` on one collateral, its totals summed from `parts`. */
function batchOf(collateralIndex: number, positions: PositionSnapshot[], parts: BatchPart[]): Extract<Action, { kind: 'batch' }> {
  const sum = (field: 'repay' | 'seize' | 'profit') => parts.reduce((total, part) => total + part[field], 0n);
  const refresh = [...new Set(parts.flatMap((part) => part.refresh))].sort((a, b) => a - b);
  return { kind: 'batch', collateralIndex, positions, parts, repay: sum('repay'), seize: sum('seize'), profit: sum('profit'), refresh };
}

/** Halves a batch that does not fit one transaction. */
export function splitBatch(batch: Extract<Action, { kind: 'batch' }>): [Action, Action] {
  const half = Math.ceil(batch.positions.length / 2);
  return [
    batchOf(batch.collateralIndex, batch.positions.slice(0, half), batch.parts.slice(0, half)),
    batchOf(batch.collateralIndex, batch.positions.slice(half), batch.parts.slice(half)),
  ];
}

export function planActions(market: Market, positions: readonly PositionSnapshot[], options: PlanOptions): Plan {
  const terms = { closeFactorBps: BigInt(market.state.closeFactorBps) };
  const trancheNotes = market.tranches.reduce((sum, t) => sum + t.assets, 0n);
  let budget = market.keeperNotes;
  const plan: Plan = { actions: [], unhealthy: 0, skipped: [], recoverySkipped: [] };
  // Partial liquidations by collateral, grouped into batches once all are planned.
  const partials = new Map<number, { positions: PositionSnapshot[]; parts: BatchPart[] }>();

  for (const position of positions) {
    const slots = market.views.map((view, index) => ({ ...view, amount: position.collateral[index] ?? 0n }));
    let health: Health;
    try {
      health = Health.compute(slots, DebtState.debtOf(market.debt, position.debtShares), PriceBasis.Spot, market.now);
    } catch (error) {
      if (error instanceof CoreError) plan.skipped.push({ position, reason: 'stale-price' });
      continue;
    }
    if (Health.isHealthy(health)) continue;
    plan.unhealthy += 1;
    const refresh = held(position).filter((index) => market.refreshable[index]);
    if (position.lastLiquidatedSlot === market.slot) {
      plan.skipped.push({ position, reason: 'already-liquidated-this-slot' });
      continue;
    }
    if (options.busy?.has(position.address)) {
      plan.skipped.push({ position, reason: 'in-flight' });
      continue;
    }
    // The best collateral to seize, by expected profit.
    let best: { plan: LiquidationPlan; index: number; profit: bigint } | undefined;
    if (budget > 0n) {
      for (const index of held(position)) {
        try {
          const candidate = planLiquidation(market.debt, terms, slots, position.debtShares, index, budget, market.now);
          const gain = profit(candidate, slots);
          if (!best || gain > best.profit) best = { plan: candidate, index, profit: gain };
        } catch {
          // That collateral cannot be seized (or the budget cannot settle); try the next.
        }
      }
    }
    if (best && best.profit < options.minProfit) {
      plan.skipped.push({ position, reason: 'below-min-profit' });
      continue;
    }
    if (best?.plan.kind === 'Shortfall') {
      budget -= best.plan.repay;
      const others = held(position).filter((index) => index !== best.index);
      plan.actions.push({ kind: 'settle', collateralIndex: best.index, position, repay: best.plan.repay, others, profit: best.profit, refresh });
      continue;
    }
    if (best?.plan.kind === 'Partial') {
      budget -= best.plan.repay;
      const group = partials.get(best.index) ?? { positions: [], parts: [] };
      group.positions.push(position);
      group.parts.push({ repay: best.plan.repay, seize: best.plan.seize, profit: best.profit, refresh });
      partials.set(best.index, group);
      continue;
    }
    // No notes (or no collateral the keeper can take): the tranches absorb it.
    if (market.tranches.length > 0 && trancheNotes > 0n) {
      try {
        const absorbed = planAbsorb(market.debt, slots, position.debtShares, market.tranches, BigInt(market.state.keeperTipBps), market.now);
        const tips = absorbed.tip.flatMap((amount, index) => (amount > 0n ? [index] : []));
        plan.actions.push({ kind: 'absorb', position, tips, refresh });
        continue;
      } catch {
        plan.skipped.push({ position, reason: 'cannot-liquidate' });
        continue;
      }
    }
    plan.skipped.push({ position, reason: budget === 0n ? 'no-notes-no-tranches' : 'cannot-liquidate' });
  }
  for (const [collateralIndex, { positions: grouped, parts }] of partials) {
    for (let start = 0; start < grouped.length; start += options.maxPositionsPerTx) {
      const end = start + options.maxPositionsPerTx;
      plan.actions.push(batchOf(collateralIndex, grouped.slice(start, end), parts.slice(start, end)));
    }
  }
  if (options.recover && market.tranches.length > 0) {
    // Liquidations first: recoveries spend only what they left.
    const recoveries = planRecoveries(market, budget, options);
    plan.actions.push(...recoveries.actions);
    plan.recoverySkipped = recoveries.skipped;
  }
  return plan;
}
