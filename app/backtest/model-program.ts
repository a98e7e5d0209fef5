/**
 * The program's instructions over plain state, for the backtest's model (model.ts).
 * Each handler does what its Rust handler in `programs/strata/src/instructions/` does,
 * in the same order (guards, accrual, income settlement, sizing, application, loss
 * booking, pending-loss flags), with the mirrored core of `src/`, on a `ModelState`
 * instead of accounts. No tokens move: the state holds what the accounting reads (the
 * pool account, the tranches, the positions, the keeper's notes, the holders' shares).
 *
 * A refusal throws the program's error by name (`CoreError` from the core, `Refused`
 * for the handlers' own checks); `transaction` puts the state back as it was, as a
 * failed transaction leaves every account unchanged.
 */
import type { Address } from '@solana/kit';

import {
  AbsorbPlan,
  bookLoss,
  CachedPrice,
  collateralViews,
  CoreError,
  DebtState,
  flows,
  Health,
  isNotOlder,
  juniorCoverageBps,
  LiquidationPlan,
  liquidationTerms,
  MAX_COLLATERALS,
  planAbsorb,
  planLiquidation,
  poolDebtState,
  PoolMode,
  PositionFlags,
  PriceBasis,
  settleIncome,
  takeProtocolFee,
  TrancheState,
  u128ToLe,
  WAD,
  type CollateralView,
  type IncomeLedger,
  type IncomeSplit,
  type LossSplit,
  type OracleSample,
  type Pool,
} from '../src/index.js';
import { STRATA_ERROR_NAMES } from '../src/program-errors.js';
import type { PositionSnapshot } from '../keeper/scanner.js';

/** Positions one `liquidate_batch` names at most (`MAX_BATCH_POSITIONS`). */
export const MAX_BATCH_POSITIONS = 48;

const PROGRAM_ERRORS = new Set(STRATA_ERROR_NAMES.values());

/** A refusal by one of the handlers' own checks, named as the program names it. */
export class Refused extends Error {
  override readonly name = 'Refused';

  constructor(readonly error: string) {
    super(error);
    if (!PROGRAM_ERRORS.has(error)) throw new Error(`${error} is not an error of the program`);
  }
}

/** The program's name for a refusal (`CoreError` or `Refused`); anything else is a
 * bug in the model and is thrown again. */
export function refusalName(error: unknown): string {
  if (error instanceof CoreError) return error.code;
  if (error instanceof Refused) return error.error;
  throw error;
}

/** A tranche holder's shares outside the escrow, and its open redemption request. */
export type Holding = { shares: bigint; request?: { shares: bigint; requestedAt: bigint } };

export type ModelState = {
  /** The pool account, as the program holds it (decoded). */
  pool: Pool;
  poolAddress: Address;
  /** Each listed collateral's name (the price files' keys), by index. */
  collateralNames: string[];
  /** The pool's tranches, senior first, as the core sees them. */
  tranches: TrancheState[];
  /** Every position of the pool, in the order a scan returns them (by address on a
   * cluster). Replaced, never changed in place. */
  positions: PositionSnapshot[];
  /** What each listed collateral's oracle publishes (a Pyth reading, before
   * normalisation). */
  oracles: OracleSample[];
  /** The keeper's note balance. */
  keeperNotes: bigint;
  /** By tranche index: its holder. */
  holdings: Holding[];
  /** The clock: unix seconds and slot. */
  now: bigint;
  slot: bigint;
};

/** Runs `instructions` as one transaction: all of it, or (when one refuses) none. */
export function transaction<T>(state: ModelState, instructions: () => T): T {
  const saved = {
    pool: structuredClone(state.pool),
    tranches: state.tranches.slice(),
    positions: state.positions.slice(),
    keeperNotes: state.keeperNotes,
    holdings: state.holdings.map((h) => ({ ...h })),
  };
  try {
    return instructions();
  } catch (error) {
    Object.assign(state, saved);
    throw error;
  }
}

// ---- The pool account (`state/pool.rs`) ----

export const debtState = (pool: Pool): DebtState => poolDebtState(pool);

export function setDebtState(pool: Pool, debt: DebtState): void {
  pool.debtShares = u128ToLe(debt.totalShares);
  pool.rateIndexWad = u128ToLe(debt.rateIndexWad);
  pool.lastAccrualTs = debt.lastAccrualTs;
  pool.pendingFees = debt.pendingFees;
}

export const incomeLedger = (pool: Pool): IncomeLedger => ({
  protocolFeeOwed: pool.protocolFeeOwed,
  badDebt: pool.badDebt,
  protocolFeeBps: BigInt(pool.protocolFeeBps),
  turbo: pool.mode === PoolMode.Turbo,
});

function setIncomeLedger(pool: Pool, ledger: IncomeLedger): void {
  pool.protocolFeeOwed = ledger.protocolFeeOwed;
  pool.badDebt = ledger.badDebt;
}

/** `common::accrue`. */
function accrue(pool: Pool, now: bigint): void {
  setDebtState(pool, DebtState.accrue(debtState(pool), now).state);
}

/** A position's collateral as `plan` and `absorb` see it: the listed slots. */
const positionViews = (pool: Pool, amounts: readonly bigint[]): CollateralView[] => collateralViews(pool, amounts).slice(0, pool.collateralCount);

/** `Pool::price_views`: every slot's price, holding nothing (tranche NAVs, losses). */
export const priceViews = (pool: Pool): CollateralView[] => collateralViews(pool, []);

/** `Pool::release_collateral`: collateral leaving the pool. */
function releaseCollateral(pool: Pool, amounts: readonly bigint[]): void {
  amounts.forEach((amount, index) => {
    if (amount === 0n) return;
    const config = pool.collaterals[index]!;
    if (config.totalDeposited < amount) throw new Refused('InvariantViolation');
    config.totalDeposited -= amount;
  });
}

const lossPending = (position: PositionSnapshot) => (position.flags & PositionFlags.LossPending) !== 0;

function clearLossPending(pool: Pool, position: PositionSnapshot): PositionSnapshot {
  if (!lossPending(position)) return position;
  if (pool.lossPendingCount === 0) throw new Refused('InvariantViolation');
  pool.lossPendingCount -= 1;
  return { ...position, flags: position.flags & ~PositionFlags.LossPending };
}

function flagLossPending(pool: Pool, position: PositionSnapshot): PositionSnapshot {
  pool.lossPendingCount += 1;
  return { ...position, flags: position.flags | PositionFlags.LossPending };
}

/** `Pool::set_position_debt_shares`: a position that owes nothing has no loss pending. */
function setPositionDebtShares(pool: Pool, position: PositionSnapshot, shares: bigint): PositionSnapshot {
  const next = { ...position, debtShares: shares };
  return shares === 0n ? clearLossPending(pool, next) : next;
}

function removeCollateral(position: PositionSnapshot, amounts: readonly bigint[]): PositionSnapshot {
  const collateral = position.collateral.map((held, index) => {
    const amount = amounts[index] ?? 0n;
    if (held < amount) throw new Refused('InvariantViolation');
    return held - amount;
  });
  return { ...position, collateral };
}

/** `common::is_insolvent`: collateral at spot worth less than the debt accrued to now. */
function isInsolvent(pool: Pool, position: PositionSnapshot, now: bigint): boolean {
  const owed = DebtState.debtOf(DebtState.accrue(debtState(pool), now).state, position.debtShares);
  return Health.collateralValue(collateralViews(pool, position.collateral), PriceBasis.Spot, now) < owed;
}

function positionAt(state: ModelState, address: Address): number {
  const index = state.positions.findIndex((p) => p.address === address);
  if (index < 0) throw new Refused('NotAPosition');
  return index;
}

/** `TrancheSet::settle`: accrues and runs the income waterfall into the tranches. */
function settle(state: ModelState): IncomeSplit {
  const { pool } = state;
  accrue(pool, state.now);
  const settled = settleIncome(debtState(pool), incomeLedger(pool), state.tranches, state.now);
  setDebtState(pool, settled.debt);
  setIncomeLedger(pool, settled.ledger);
  state.tranches = settled.tranches;
  return settled.split;
}

const requireTranches = (pool: Pool) => {
  if (pool.trancheCount === 0) throw new Refused('NoTranches');
};

// ---- Oracle ----

/** `refresh_oracle(index)`: the oracle's reading cached (unless older than the
 * cache), then accrual. */
export function refreshOracle(state: ModelState, index: number): void {
  const { pool } = state;
  if (index >= pool.collateralCount) throw new Refused('InvalidCollateralIndex');
  const config = pool.collaterals[index]!;
  const price = CachedPrice.fromSample(state.oracles[index]!, config.decimals);
  if (!CachedPrice.isFresh(price, BigInt(config.maxAgeSecs), state.now)) throw new CoreError('StalePrice');
  if (isNotOlder(price.publishTime, config.publishTime)) {
    config.priceWad = u128ToLe(price.priceWad);
    config.emaPriceWad = u128ToLe(price.emaPriceWad);
    config.confWad = u128ToLe(price.confWad);
    config.publishTime = price.publishTime;
    config.refreshedSlot = state.slot;
  }
  accrue(pool, state.now);
}

// ---- Liquidation (`instructions/liquidation/`) ----

const BATCH_SKIPS = new Set(['PositionHealthy', 'StalePrice', 'NoCollateralToSeize', 'LiquidationWouldLowerHealth', 'ShortfallRepayTooLow', 'ZeroAmount', 'NoDebt']);

/** `plan::record`: applies a plan to the pool and the position, then books its
 * shortfall (junior-first on NAV with the tranche set, else as bad debt). */
function record(state: ModelState, at: number, plan: LiquidationPlan, withTranches: boolean): LossSplit | undefined {
  const { pool } = state;
  const position = state.positions[at]!;
  const applied = LiquidationPlan.apply(plan, debtState(pool), position.debtShares);
  setDebtState(pool, applied.state);
  const seized = Array.from({ length: MAX_COLLATERALS }, (_, index) => LiquidationPlan.seized(plan, index));
  const next = removeCollateral(setPositionDebtShares(pool, position, applied.positionShares), seized);
  releaseCollateral(pool, seized);
  state.positions[at] = { ...next, lastLiquidatedSlot: state.slot };
  const loss = LiquidationPlan.badDebt(plan);
  if (withTranches) {
    const booked = bookLoss(state.tranches, pool.badDebt, loss, priceViews(pool), state.now);
    state.tranches = booked.tranches;
    pool.badDebt = booked.badDebt;
    return booked.split;
  }
  if (pool.trancheCount !== 0 && loss !== 0n) throw new Refused('MissingTrancheAccounts');
  pool.badDebt += loss;
  return undefined;
}

export type BatchOutcome = { liquidated: number; skipped: number; repaid: bigint; seized: bigint };

/** `liquidate_batch` without tranche accounts (as the keeper sends it): each position
 * up to the close factor within the budget; positions it cannot take (healthy,
 * liquidated this slot, insolvent: their loss needs the tranche set) are skipped. */
export function liquidateBatch(state: ModelState, collateralIndex: number, positions: readonly Address[], maxRepayTotal: bigint, minCollateralOutTotal: bigint): BatchOutcome {
  const { pool, now } = state;
  if (collateralIndex >= pool.collateralCount) throw new Refused('InvalidCollateralIndex');
  const budget = maxRepayTotal < state.keeperNotes ? maxRepayTotal : state.keeperNotes;
  if (budget === 0n) throw new Refused('InsufficientFunds');
  accrue(pool, now);
  if (positions.length > MAX_BATCH_POSITIONS) throw new Refused('BatchTooLarge');
  const canBookLosses = pool.trancheCount === 0;
  const totals: BatchOutcome = { liquidated: 0, skipped: 0, repaid: 0n, seized: 0n };
  for (const address of positions) {
    const at = positionAt(state, address);
    const position = state.positions[at]!;
    const requested = budget - totals.repaid;
    let plan: LiquidationPlan | undefined;
    if (position.lastLiquidatedSlot !== state.slot && requested > 0n) {
      try {
        plan = planLiquidation(debtState(pool), liquidationTerms(pool), positionViews(pool, position.collateral), position.debtShares, collateralIndex, requested, now);
      } catch (error) {
        if (!(error instanceof CoreError && BATCH_SKIPS.has(error.code))) throw error;
      }
      // An insolvent position pays out every collateral it holds: `liquidate` only.
      const holdsOthers = position.collateral.some((amount, index) => index !== collateralIndex && amount > 0n);
      if (plan?.kind === 'Shortfall' && (holdsOthers || !canBookLosses)) plan = undefined;
    }
    if (!plan) {
      totals.skipped += 1;
      continue;
    }
    totals.liquidated += 1;
    totals.repaid += plan.repay;
    totals.seized += LiquidationPlan.seized(plan, collateralIndex);
    record(state, at, plan, false);
  }
  if (totals.seized < minCollateralOutTotal) throw new Refused('SlippageExceeded');
  state.keeperNotes -= totals.repaid;
  return totals;
}

/** `liquidate` with the tranche set (as the keeper sends it when the pool has
 * tranches): one position on one collateral; an insolvent one is settled whole and its
 * shortfall booked junior-first on NAV after income is settled. */
export function liquidate(state: ModelState, address: Address, collateralIndex: number, repayAmount: bigint, minCollateralOut: bigint): LiquidationPlan {
  const { pool, now } = state;
  if (repayAmount === 0n) throw new CoreError('ZeroAmount');
  if (collateralIndex >= pool.collateralCount) throw new Refused('InvalidCollateralIndex');
  const at = positionAt(state, address);
  const position = state.positions[at]!;
  if (position.lastLiquidatedSlot === state.slot) throw new Refused('AlreadyLiquidatedThisSlot');
  accrue(pool, now);
  const plan = planLiquidation(debtState(pool), liquidationTerms(pool), positionViews(pool, position.collateral), position.debtShares, collateralIndex, repayAmount, now);
  if (LiquidationPlan.seized(plan, collateralIndex) < minCollateralOut) throw new Refused('SlippageExceeded');
  if (state.keeperNotes < plan.repay) throw new Refused('InsufficientFunds');
  const withTranches = pool.trancheCount > 0;
  if (withTranches) settle(state);
  record(state, at, plan, withTranches);
  state.keeperNotes -= plan.repay;
  return plan;
}

/** `absorb`: the tranches take the position (or the part their notes pay for) after
 * income is settled; a partial absorption of an insolvent position reports its loss
 * as pending. */
export function absorb(state: ModelState, address: Address): AbsorbPlan {
  const { pool, now } = state;
  requireTranches(pool);
  const at = positionAt(state, address);
  const position = state.positions[at]!;
  if (position.lastLiquidatedSlot === state.slot) throw new Refused('AlreadyLiquidatedThisSlot');
  const plan = planAbsorb(debtState(pool), positionViews(pool, position.collateral), position.debtShares, state.tranches, BigInt(pool.keeperTipBps), now);
  const applied = AbsorbPlan.apply(plan, debtState(pool), position.debtShares, state.tranches);
  setDebtState(pool, applied.state);
  let next = removeCollateral(setPositionDebtShares(pool, position, applied.positionShares), plan.moved);
  releaseCollateral(pool, plan.tip);
  state.tranches = applied.tranches;
  next = { ...next, lastLiquidatedSlot: state.slot };
  if (plan.full) next = clearLossPending(pool, next);
  else if (!lossPending(next) && isInsolvent(pool, next, now)) next = flagLossPending(pool, next);
  state.positions[at] = next;
  return plan;
}

// ---- Tranches (`instructions/tranche/`) ----

/** `recovery_sale`: notes into tranche `index` for its held collateral at spot less the
 * collateral's minimum liquidation bonus, from a price refreshed this slot. */
export function recoverySale(state: ModelState, index: number, collateralIndex: number, notesIn: bigint, minCollateralOut: bigint): flows.RecoverySale {
  const { pool, now } = state;
  if (notesIn === 0n) throw new CoreError('ZeroAmount');
  if (state.keeperNotes < notesIn) throw new Refused('InsufficientFunds');
  if (collateralIndex >= pool.collateralCount) throw new Refused('InvalidCollateralIndex');
  const config = pool.collaterals[collateralIndex]!;
  if (config.refreshedSlot !== state.slot) throw new Refused('RefreshRequired');
  settle(state);
  const views = priceViews(pool);
  const sale = flows.planRecoverySale(state.tranches[index]!, collateralIndex, views[collateralIndex]!, BigInt(config.liquidationBonusMinBps), notesIn, now);
  if (sale.collateralOut < minCollateralOut) throw new Refused('SlippageExceeded');
  state.tranches = state.tranches.map((t, i) => (i === index ? flows.applyRecoverySale(t, collateralIndex, sale) : t));
  releaseCollateral(pool, Array.from({ length: MAX_COLLATERALS }, (_, i) => (i === collateralIndex ? sale.collateralOut : 0n)));
  state.keeperNotes -= sale.notesIn;
  return sale;
}

/** `distribute`: income settled, the protocol fee paid to the treasury. Returns the
 * settlement (its `fees` are what `IncomeDistributed` reports). */
export function distribute(state: ModelState): IncomeSplit {
  const { pool } = state;
  requireTranches(pool);
  const split = settle(state);
  const paid = takeProtocolFee(debtState(pool), incomeLedger(pool));
  setDebtState(pool, paid.debt);
  setIncomeLedger(pool, paid.ledger);
  return split;
}

/** Every tranche's NAV at the cached spot prices. */
export const trancheNavs = (state: ModelState): bigint[] => state.tranches.map((t) => TrancheState.nav(t, priceViews(state.pool), state.now));

/** `check_coverage`: income settled under the mode it was earned in, then Turbo when
 * the junior's share of tranche NAV is below the floor, Normal otherwise. */
export function checkCoverage(state: ModelState): bigint {
  const { pool } = state;
  requireTranches(pool);
  settle(state);
  const coverage = juniorCoverageBps(trancheNavs(state));
  pool.mode = coverage < BigInt(pool.coverageFloorBps) ? PoolMode.Turbo : PoolMode.Normal;
  return coverage;
}

/** `tranche_deposit`: income settled, shares at the entry NAV, subordination kept. */
export function trancheDeposit(state: ModelState, index: number, amount: bigint): bigint {
  const { pool } = state;
  if (amount === 0n) throw new CoreError('ZeroAmount');
  if (pool.lossPendingCount !== 0) throw new Refused('LossPending');
  settle(state);
  state.tranches[index]!.collateralHeld.forEach((held, asset) => {
    if (held !== 0n && pool.collaterals[asset]!.refreshedSlot !== state.slot) throw new Refused('RefreshRequired');
  });
  const deposited = flows.deposit(state.tranches, index, amount, priceViews(pool), state.now);
  state.tranches = deposited.tranches;
  state.holdings[index] = { ...state.holdings[index]!, shares: state.holdings[index]!.shares + deposited.shares };
  return deposited.shares;
}

/** `request_redemption`: the holder's shares into the escrow. */
export function requestRedemption(state: ModelState, index: number, shares: bigint): void {
  const holding = state.holdings[index]!;
  if (shares === 0n) throw new CoreError('ZeroAmount');
  if (holding.shares < shares) throw new CoreError('InsufficientShares');
  if (holding.request) throw new Refused('RedemptionAlreadyRequested');
  state.tranches = state.tranches.map((t, i) => (i === index ? flows.request(t, shares) : t));
  state.holdings[index] = { shares: holding.shares - shares, request: { shares, requestedAt: state.now } };
}

/** `claim_redemption` after the delay: income settled, the escrowed shares paid their
 * pro-rata notes and held collateral, refused while a loss is pending or when a more
 * senior tranche would be left uncovered. Returns the claim's value (notes plus
 * collateral at spot, as `RedemptionClaimed` prices it). */
export function claimRedemption(state: ModelState, index: number): bigint {
  const { pool, now } = state;
  if (pool.lossPendingCount !== 0) throw new Refused('LossPending');
  const request = state.holdings[index]!.request;
  if (!request) throw new Refused('NoRedemptionRequest');
  flows.claimable(request.requestedAt, BigInt(pool.redemptionDelaySecs), now);
  settle(state);
  const views = priceViews(pool);
  const claimed = flows.claim(state.tranches, index, request.shares, views, now);
  const sharePriceWad = flows.sharePriceWad(claimed.redemption, views, now);
  releaseCollateral(pool, claimed.redemption.collateral);
  state.tranches = claimed.tranches;
  state.holdings[index] = { shares: state.holdings[index]!.shares };
  return (request.shares * sharePriceWad) / WAD;
}

// ---- Positions (`instructions/position/`), for the scene's set-up ----

/** `deposit`: collateral into a position, within the collateral's cap. */
export function deposit(state: ModelState, at: number, collateralIndex: number, amount: bigint): void {
  const { pool } = state;
  if (amount === 0n) throw new CoreError('ZeroAmount');
  if (collateralIndex >= pool.collateralCount) throw new Refused('InvalidCollateralIndex');
  const config = pool.collaterals[collateralIndex]!;
  if (config.totalDeposited + amount > config.depositCap) throw new Refused('DepositCapExceeded');
  config.totalDeposited += amount;
  const position = state.positions[at]!;
  state.positions[at] = { ...position, collateral: position.collateral.map((held, i) => (i === collateralIndex ? held + amount : held)) };
}

/** `mint`: notes against a position, within its conservative borrowing limit. */
export function mint(state: ModelState, at: number, amount: bigint): void {
  const { pool, now } = state;
  if (amount === 0n) throw new CoreError('ZeroAmount');
  if (pool.mode !== PoolMode.Normal) throw new Refused('TurboMode');
  accrue(pool, now);
  const position = state.positions[at]!;
  const limit = Health.compute(collateralViews(pool, position.collateral), 0n, PriceBasis.Conservative, now).weightedCollateral;
  const minted = DebtState.mint(debtState(pool), position.debtShares, amount, limit);
  setDebtState(pool, minted.state);
  state.positions[at] = setPositionDebtShares(pool, position, minted.positionShares);
}
