/**
 * What to do about the book: for every liquidatable position, the most profitable
 * collateral to seize (sized by the program's own math, mirrored), whole settlement
 * of insolvent positions the keeper can pay for, and absorption by the tranches when
 * it cannot. Partial liquidations on the same collateral are grouped into
 * `liquidate_batch` transactions. With `recover`, the notes left buy the tranches'
 * absorbed collateral (recovery.ts).
 */
import type { Address } from '@solana/kit';

import {
  collateralValue,
  CoreError,
  type CoreErrorName,
  CollateralView,
  DebtState,
  Health,
  LiquidationPlan,
  liquidationTerms,
  type PartialLiquidation,
  planAbsorb,
  planLiquidation,
} from '../src/index.js';
import { HealthCache, ReadingCache, slotsOf } from './health-cache.js';
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

/** Why a liquidatable position got no action: the keeper's own reasons, or the name
 * of the core error its valuation or plan raised (`StalePrice`, `ConfidenceTooWide`,
 * …), or `unexpected-error` for anything else (a bug: the error rides along). */
export type SkipReason =
  | 'already-liquidated-this-slot'
  | 'in-flight'
  | 'below-min-profit'
  | 'no-notes-no-tranches'
  | 'cannot-liquidate'
  | 'unexpected-error'
  | CoreErrorName;

export type Skip = { position: PositionSnapshot; reason: SkipReason; error?: unknown };

export type Plan = {
  actions: Action[];
  unhealthy: number;
  skipped: Skip[];
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
  /** The lookup table holding a position, if any (lookup-tables.ts): a batch draws its
   * positions from at most `TABLES_PER_BATCH` tables, so up to `maxPositionsPerTx`
   * fit; positions in no table go in batches of at most `LEGACY_POSITIONS_PER_TX`. */
  tableOf?: (position: Address) => string | undefined;
  /** Healths computed by earlier plans, reused where the market and the position
   * readings are the same (health-cache.ts). */
  health?: HealthCache;
  /** Likewise, each position's best liquidation (see `offerCache`). */
  offers?: ReadingCache<Offer>;
  /** Each liquidatable position's rounds to health as last estimated (`roundsOf`). */
  rounds?: RoundsMemo;
};

/** Rounds to health by position, with the slot of the last liquidation the estimate's
 * reading showed. */
export type RoundsMemo = Map<Address, { liquidatedSlot: bigint; rounds: number }>;

/** `position`'s rounds to health (this one included): as last estimated while its
 * reading shows no liquidation since, one fewer once it shows one (the round the
 * estimate counted first), `estimate()` if none is known or the reading is older than
 * the estimate's. Otherwise each new reading would be estimated again, replanning every
 * round to come: at the start of each slot of a 10,000-position clearing, thousands of
 * positions read anew, when every millisecond before the slot's first transaction
 * counts (the second slot's plan took 114 ms so, 75 ms counted down). */
function roundsOf(memo: RoundsMemo | undefined, position: PositionSnapshot, estimate: () => number): number {
  const known = memo?.get(position.address);
  if (known !== undefined && known.liquidatedSlot === position.lastLiquidatedSlot) return known.rounds;
  const rounds = known !== undefined && known.liquidatedSlot < position.lastLiquidatedSlot ? Math.max(1, known.rounds - 1) : estimate();
  memo?.set(position.address, { liquidatedSlot: position.lastLiquidatedSlot, rounds });
  return rounds;
}

/** A position's most profitable liquidation, with the notes to pay for it. */
type Candidate = { plan: LiquidationPlan; index: number; profit: bigint };

/** A position's best liquidation for a given offer of notes, or why none works. */
export type Offer = {
  best?: Candidate;
  /** Why the last collateral tried could not be seized (the offer cannot settle it,
   * its price is stale, …): the reason given if nothing else works. */
  refusal?: { reason: SkipReason; error: unknown };
  /** Any offer of at least this many notes plans the same: the position's whole debt
   * and every candidate's repayment are within it, so the offer caps nothing
   * (`planLiquidation` only takes the lesser of the offer and its own caps, and
   * refuses a settlement the offer cannot pay). */
  bound: bigint;
};

/** More notes than any pool has: an offer that caps nothing. */
export const UNLIMITED = (1n << 64n) - 1n;

/** Each position's best liquidation with unlimited notes, kept per market and position
 * reading: a keeper that plans many times a slot plans a position again only when it
 * changed, and uses the kept plan whenever its notes cover the offer's `bound`. */
export const offerCache = (): ReadingCache<Offer> => new ReadingCache((market, position) => bestOffer(market, position, UNLIMITED));

/** The most profitable collateral to seize from an unhealthy `position`, offering
 * `notes` (sized by the program's own math, mirrored). */
function bestOffer(market: Market, position: PositionSnapshot, notes: bigint): Offer {
  const terms = liquidationTerms(market.state);
  const slots = slotsOf(market, position);
  const offer: Offer = { bound: DebtState.debtOf(market.debt, position.debtShares) };
  for (const index of held(position)) {
    try {
      const candidate = planLiquidation(market.debt, terms, slots, position.debtShares, index, notes, market.now);
      const gain = profit(candidate, slots);
      if (candidate.repay > offer.bound) offer.bound = candidate.repay;
      if (!offer.best || gain > offer.best.profit) offer.best = { plan: candidate, index, profit: gain };
    } catch (error) {
      // That collateral cannot be seized; try the next.
      offer.refusal = { reason: reasonOf(error), error };
    }
  }
  return offer;
}

/** The most rounds `roundsLeft` counts (the deepest positions of the benchmark's
 * 10,000 need 8). */
export const MAX_ROUNDS_COUNTED = 16;

/** The partial liquidations, one a slot, that make `position` healthy, `first`
 * included: each next round planned by the program's math (mirrored) on the position
 * as the round before leaves it, on the same collateral, notes unlimited. The pool's
 * debt state stays as read (a round burns shares and repays notes in proportion, to
 * rounding), so this is an estimate for ordering, never a sizing. How many rounds a
 * position needs depends on its size as much as its health: below the health at which
 * a round's bonus costs as much as its repayment gains, the bonus is capped to keep
 * health and each round halves the debt until the rest would be dust (then repaid
 * whole), so a large position needs more rounds than a small one of the same health. */
export function roundsLeft(market: Market, position: PositionSnapshot, first: PartialLiquidation): number {
  const terms = liquidationTerms(market.state);
  const amounts = [...position.collateral];
  let shares = position.debtShares;
  let plan = first;
  let rounds = 1;
  while (rounds < MAX_ROUNDS_COUNTED && !Health.isHealthy(plan.after)) {
    amounts[plan.collateralIndex] = amounts[plan.collateralIndex]! - plan.seize;
    shares -= plan.sharesBurned;
    if (shares <= 0n) break;
    let next: LiquidationPlan;
    try {
      next = planLiquidation(market.debt, terms, CollateralView.holding(market.views, amounts), shares, plan.collateralIndex, UNLIMITED, market.now);
    } catch {
      // Healthy to rounding, or that collateral spent: no further round on it.
      break;
    }
    rounds += 1;
    if (next.kind !== 'Partial') break;
    plan = next;
  }
  return rounds;
}

/** Positions a legacy-sized `liquidate_batch` transaction carries (23 fit at most;
 * refreshes and a compute-unit price take room too). */
export const LEGACY_POSITIONS_PER_TX = 20;

/** Lookup tables one batch may draw its positions from. A table's liquidatable
 * positions dwindle over a clearing's rounds (a table holds about 240), and batches
 * drawn from one table each ended with that table's remainder: about 30 positions a
 * transaction in the later rounds of a 10,000-position clearing, where 48 fit. And a
 * chunk of the deepest positions (`DEPTH_CHUNK_BATCHES`) spreads over every table, a
 * few positions in each. Each table more costs a transaction its 32-byte address and
 * two length bytes and no account lock (48 positions: 400 bytes through one table,
 * 434 through two, about 640 through eight, of 1,232; 60 accounts of 64). */
export const TABLES_PER_BATCH = 8;

/** The reason an error gives for skipping: a core error by name, else `unexpected-error`. */
const reasonOf = (error: unknown): SkipReason => (error instanceof CoreError ? error.code : 'unexpected-error');

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

/** What a batch may repay beyond its plan, in basis points of the planned total.
 * Interest accrues between the clock second a plan values the book at and the one its
 * transaction executes in, so by then every position of a batch owes a few units more
 * and its close-factor share grows with it. Capped at exactly the planned total, a
 * batch ran those units short at its last position planned to be repaid in full; the
 * program then repays that debt less the dust floor (it never leaves dust), half or
 * less of the plan, and the batch's payout fell under its slippage floor: the whole
 * transaction refused, every position in it a round late (2 to 19 refusals in a
 * 10,000-position clearing). One basis point is hours of interest at a 10% fee. */
export const ACCRUAL_MARGIN_BPS = 1n;

/** The most a batch planned to repay `repay` may burn: its `max_repay_total`, and the
 * notes held back for it while it is in flight. */
export const maxRepayOf = (repay: bigint): bigint => repay + (repay * ACCRUAL_MARGIN_BPS + 9_999n) / 10_000n;

/** A batch of `positions` on one collateral, its totals summed from `parts`. */
function batchOf(collateralIndex: number, positions: PositionSnapshot[], parts: BatchPart[]): Extract<Action, { kind: 'batch' }> {
  const sum = (field: 'repay' | 'seize' | 'profit') => parts.reduce((total, part) => total + part[field], 0n);
  const refresh = [...new Set(parts.flatMap((part) => part.refresh))].sort((a, b) => a - b);
  return { kind: 'batch', collateralIndex, positions, parts, repay: sum('repay'), seize: sum('seize'), profit: sum('profit'), refresh };
}

/** Batches' worth of the positions that need the most rounds grouped by table
 * together. A plan puts first the partial liquidations of the positions with the most
 * rounds still to go (`roundsLeft`), the lowest health first among equals: rounds go
 * one a slot, and while more positions are liquidatable than land in a slot, a
 * position left out of one slot's transactions finishes a slot later, so the clearing
 * takes as many slots as the longest chain of rounds plus the slots its positions
 * waited. In book order the same positions came first every round and the deep ones
 * among the last ran rounds alone at the end: 11 to 12 slots to clear 10,000
 * positions whose deepest need 8. Lowest health first was not enough: at the same
 * health a large position needs more rounds than a small one (see `roundsLeft`), and
 * of the benchmark's 408 positions that needed 8 rounds, some ranked 1,485th of 3,750
 * by health; those left out of the second slot ended the clearing a slot or more later.
 * Within each chunk, positions are batched by lookup table (`TABLES_PER_BATCH`). */
export const DEPTH_CHUNK_BATCHES = 8;

/** A planned partial liquidation, before batching: `rounds` to health counting this
 * one (`roundsLeft`), `depth` its health (WAD). */
type Partial = { collateralIndex: number; table?: string; position: PositionSnapshot; part: BatchPart; rounds: number; depth: bigint };
type BatchGroup = { table?: string; positions: PositionSnapshot[]; parts: BatchPart[] };

/** `partials` in batches: per collateral, positions in no table in legacy-sized
 * batches, the others by table across at most `TABLES_PER_BATCH` tables a batch. */
function batchesOfChunk(partials: readonly Partial[], maxPositionsPerTx: number): Extract<Action, { kind: 'batch' }>[] {
  const byCollateral = new Map<number, Map<string | undefined, BatchGroup>>();
  for (const { collateralIndex, table, position, part } of partials) {
    const groups = byCollateral.get(collateralIndex) ?? new Map<string | undefined, BatchGroup>();
    const group = groups.get(table) ?? { table, positions: [], parts: [] };
    group.positions.push(position);
    group.parts.push(part);
    groups.set(table, group);
    byCollateral.set(collateralIndex, groups);
  }
  const batches: Extract<Action, { kind: 'batch' }>[] = [];
  for (const [collateralIndex, groups] of byCollateral) {
    const legacy = groups.get(undefined);
    if (legacy) batches.push(...batchesOf(collateralIndex, [legacy], Math.min(maxPositionsPerTx, LEGACY_POSITIONS_PER_TX)));
    batches.push(...batchesOf(collateralIndex, [...groups.values()].filter((group) => group.table !== undefined), maxPositionsPerTx));
  }
  return batches;
}

/** One collateral's partial liquidations in batches of at most `size` positions, each
 * drawn from at most `TABLES_PER_BATCH` of the groups' tables, in the groups' order. */
function batchesOf(collateralIndex: number, groups: readonly BatchGroup[], size: number): Extract<Action, { kind: 'batch' }>[] {
  const batches: Extract<Action, { kind: 'batch' }>[] = [];
  let positions: PositionSnapshot[] = [];
  let parts: BatchPart[] = [];
  let tables = 0;
  const close = () => {
    if (positions.length > 0) batches.push(batchOf(collateralIndex, positions, parts));
    positions = [];
    parts = [];
    tables = 0;
  };
  for (const group of groups) {
    if (tables === TABLES_PER_BATCH) close();
    tables += 1;
    group.positions.forEach((position, i) => {
      if (positions.length === size) {
        close();
        tables = 1;
      }
      positions.push(position);
      parts.push(group.parts[i]!);
    });
  }
  close();
  return batches;
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
  const trancheNotes = market.tranches.reduce((sum, t) => sum + t.assets, 0n);
  // Planned within the notes less the batches' margin (`maxRepayOf`), so that what
  // they may burn together stays within the notes (to a unit per batch).
  let budget = (market.keeperNotes * 10_000n) / (10_000n + ACCRUAL_MARGIN_BPS);
  const plan: Plan = { actions: [], unhealthy: 0, skipped: [], recoverySkipped: [] };
  // Partial liquidations, put the longest to clear first and grouped into batches once all are planned.
  const partials: Partial[] = [];

  const valueOf = (options.health ?? new HealthCache()).at(market);
  const offerOf = (options.offers ?? offerCache()).at(market);
  for (const position of positions) {
    const valued = valueOf(position);
    if ('error' in valued) {
      plan.skipped.push({ position, reason: reasonOf(valued.error), error: valued.error });
      continue;
    }
    if (Health.isHealthy(valued.health)) {
      // Healthy again (or never liquidatable): its next crash is estimated afresh.
      options.rounds?.delete(position.address);
      continue;
    }
    plan.unhealthy += 1;
    // The market is read at `confirmed`: its slot is closed, and the next transaction
    // lands in a later one. Only a reading of the position newer than that (a slot
    // still open) may be one the program refuses: one liquidation per slot.
    if (position.lastLiquidatedSlot > market.slot) {
      plan.skipped.push({ position, reason: 'already-liquidated-this-slot' });
      continue;
    }
    if (options.busy?.has(position.address)) {
      plan.skipped.push({ position, reason: 'in-flight' });
      continue;
    }
    const refresh = held(position).filter((index) => market.refreshable[index]);
    // The best collateral to seize, by expected profit: as planned before unless the
    // notes left no longer cover it.
    let best: Candidate | undefined;
    let refusal: Offer['refusal'];
    if (budget > 0n) {
      let offer = offerOf(position);
      if (budget < offer.bound) offer = bestOffer(market, position, budget);
      ({ best, refusal } = offer);
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
      const part = { repay: best.plan.repay, seize: best.plan.seize, profit: best.profit, refresh };
      const first = best.plan;
      const rounds = roundsOf(options.rounds, position, () => roundsLeft(market, position, first));
      partials.push({ collateralIndex: best.index, table: options.tableOf?.(position.address), position, part, rounds, depth: Health.ratioWad(valued.health) });
      continue;
    }
    // No notes (or no collateral the keeper can take): the tranches absorb it.
    if (market.tranches.length > 0 && trancheNotes > 0n) {
      try {
        const absorbed = planAbsorb(market.debt, slotsOf(market, position), position.debtShares, market.tranches, BigInt(market.state.keeperTipBps), market.now);
        const tips = absorbed.tip.flatMap((amount, index) => (amount > 0n ? [index] : []));
        plan.actions.push({ kind: 'absorb', position, tips, refresh });
        continue;
      } catch (error) {
        plan.skipped.push({ position, reason: reasonOf(error), error });
        continue;
      }
    }
    if (budget === 0n) plan.skipped.push({ position, reason: 'no-notes-no-tranches' });
    else plan.skipped.push({ position, reason: refusal?.reason ?? 'cannot-liquidate', error: refusal?.error });
  }
  // Most rounds left first, then deepest (see `DEPTH_CHUNK_BATCHES`). The notes
  // are still spent in book order above: spent on the deepest first, they settled more
  // insolvent positions whole in the main job and the junior booked $14,067 of loss
  // where it booked $8,157 (the senior's lowest share price 1.000 against 0.992), a
  // choice between the tranches this change is not the place to make.
  partials.sort((a, b) => b.rounds - a.rounds || (a.depth < b.depth ? -1 : a.depth > b.depth ? 1 : 0));
  const chunk = DEPTH_CHUNK_BATCHES * options.maxPositionsPerTx;
  for (let start = 0; start < partials.length; start += chunk) plan.actions.push(...batchesOfChunk(partials.slice(start, start + chunk), options.maxPositionsPerTx));
  if (options.recover && market.tranches.length > 0) {
    // Liquidations first: recoveries spend only what they left.
    const recoveries = planRecoveries(market, budget, options);
    plan.actions.push(...recoveries.actions);
    plan.recoverySkipped = recoveries.skipped;
  }
  return plan;
}
