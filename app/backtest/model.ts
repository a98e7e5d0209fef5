/**
 * The backtest on the mirrored core, without a cluster: the replay of replay.ts with
 * the program's handlers applied to plain state (model-program.ts). Same driver: per
 * step the clock moves to `t0 + index × 6 h`, the oracles publish the step's prices
 * (EMA = spot, confidence 0, as the replay publishes them) and the pool's cache is
 * refreshed; then keeper rounds, each in a new slot, each planned by the keeper's own
 * planner (`planActions`) on a `Market` built from the state, its actions applied one
 * by one in the planner's order (as the replay's keeper sends them with `inOrder`),
 * until a round plans nothing; then the holders, then at each close `distribute` and
 * the coverage test. It yields the replay's `StepRow`s. The scene it starts from:
 * model-setup.ts (its own) or model-chain.ts (a cluster's accounts).
 *
 * What it does not model: token accounts (the keeper's and holders' notes are
 * tracked, nothing else), fees in SOL, transactions too large for one packet (the
 * keeper splits a batch in halves: the same liquidations), the cluster's clock running
 * a few seconds past the step's time between rounds (here every instruction of a step
 * sees the step's time), and keeper faults (every transaction lands or is refused, at
 * once).
 */
import type { Address } from '@solana/kit';

import { CachedPrice, collateralCachedPrice, collateralViews, DebtState, isNotOlder, poolDebtState } from '../src/index.js';
import { minCollateralOut } from '../keeper/executor.js';
import { keeperOptions } from '../keeper/keeper.js';
import type { Market } from '../keeper/market.js';
import { maxRepayOf, planActions, type Action } from '../keeper/planner.js';
import type { BacktestConfig } from './config.js';
import { RETRIABLE, wantsOut, type HolderStep } from './holders.js';
import {
  absorb,
  checkCoverage,
  claimRedemption,
  distribute,
  liquidate,
  liquidateBatch,
  recoverySale,
  refreshOracle,
  refusalName,
  requestRedemption,
  trancheNavs,
  transaction,
  type ModelState,
} from './model-program.js';
import { modelAddress, publishedSample } from './model-setup.js';
import { STEP_SECONDS, type PathStep } from './path.js';
import { stateRows, stepRow, type StepRow, type TrancheRow } from './rows.js';
import { notesFor } from './setup.js';

/** What the keeper reads (`readMarket`): the pool, the clock, the tranches, its notes,
 * and each collateral priced as the refresh it would send would cache it. */
export function marketOf(state: ModelState): Market {
  const { pool, now } = state;
  const views = collateralViews(pool, []);
  const refreshable = views.map(() => false);
  pool.collaterals.slice(0, pool.collateralCount).forEach((config, index) => {
    try {
      const fresh = CachedPrice.fromSample(state.oracles[index]!, config.decimals);
      if (!CachedPrice.isFresh(fresh, BigInt(config.maxAgeSecs), now)) return;
      const cached = collateralCachedPrice(config);
      views[index] = { ...views[index]!, price: isNotOlder(fresh.publishTime, cached.publishTime) ? fresh : cached };
      refreshable[index] = true;
    } catch {
      // Unreadable: the cached price stands, as the keeper's reading does.
    }
  });
  return {
    pool: state.poolAddress,
    state: pool,
    slot: state.slot,
    now,
    debt: DebtState.accrue(poolDebtState(pool), now).state,
    views,
    refreshable,
    tranches: state.tranches,
    keeperNotes: state.keeperNotes,
    keeperNotesAccount: modelAddress('keeper-notes'),
    oracles: [],
  };
}

/** The transaction the keeper's executor sends for `action` (its refreshes first),
 * applied; false when the program refuses it (nothing changes). */
export function applyAction(state: ModelState, action: Action, onRefusal?: (action: Action, error: string) => void): boolean {
  try {
    transaction(state, () => {
      for (const index of action.refresh) refreshOracle(state, index);
      switch (action.kind) {
        case 'batch':
          liquidateBatch(state, action.collateralIndex, action.positions.map((p) => p.address), maxRepayOf(action.repay), minCollateralOut(action.seize));
          break;
        case 'settle':
          liquidate(state, action.position.address, action.collateralIndex, action.repay, 0n);
          break;
        case 'absorb':
          absorb(state, action.position.address);
          break;
        case 'recover':
          recoverySale(state, action.trancheIndex, action.collateralIndex, action.notesIn, minCollateralOut(action.collateralOut));
          break;
      }
    });
    return true;
  } catch (error) {
    onRefusal?.(action, refusalName(error));
    return false;
  }
}

/** The tranches' rows now (NAV at the cached spot prices). */
export function modelTrancheRows(state: ModelState): TrancheRow[] {
  const navs = trancheNavs(state);
  return stateRows(state.tranches.map((s, i) => ({ state: s, nav: navs[i]! })));
}

/** The holders of holders.ts, on the model. */
class ModelHolders {
  private readonly holders: { index: number; entryPrice: bigint; requested: boolean; left: boolean }[];

  constructor(
    private readonly state: ModelState,
    entryPrices: readonly bigint[],
    private readonly redeemOnDropPct: number,
  ) {
    this.holders = entryPrices.map((entryPrice, index) => ({ index, entryPrice, requested: false, left: false }));
  }

  act(sharePrices: readonly bigint[]): HolderStep {
    const result: HolderStep = { queued: 0n, paid: 0n };
    if (this.redeemOnDropPct <= 0) return result;
    const state = this.state;
    for (const holder of this.holders) {
      if (holder.left) continue;
      if (holder.requested) {
        try {
          // Claims value held collateral at this slot's prices.
          result.paid += transaction(state, () => {
            state.pool.collaterals.slice(0, state.pool.collateralCount).forEach((_, index) => refreshOracle(state, index));
            return claimRedemption(state, holder.index);
          });
          holder.left = true;
        } catch (error) {
          if (!RETRIABLE.has(refusalName(error))) throw error;
        }
        continue;
      }
      if (!wantsOut(holder.entryPrice, sharePrices[holder.index]!, this.redeemOnDropPct)) continue;
      const shares = state.holdings[holder.index]!.shares;
      if (shares === 0n) {
        holder.left = true;
        continue;
      }
      transaction(state, () => requestRedemption(state, holder.index, shares));
      holder.requested = true;
      result.queued += shares;
    }
    return result;
  }
}

export type ModelOptions = {
  onRow?: (row: StepRow) => void;
  /** Unix seconds of the first step (default: the state's clock). */
  t0?: bigint;
  /** Every transaction the program refused, with its error's name. */
  onRefusal?: (action: Action, error: string) => void;
};

/** Replays `steps` on `state` (changed in place), a row per step. */
export function replayModel(state: ModelState, config: BacktestConfig, steps: readonly PathStep[], options: ModelOptions = {}): StepRow[] {
  // The replay's keeper, with the configuration's defaults for everything else.
  const keeper = keeperOptions('11111111111111111111111111111111' as Address, {
    recover: config.keeper.recover,
    minProfit: notesFor(config.keeper.minProfitUsd),
  });
  const t0 = options.t0 ?? state.now;
  const listed = state.pool.collaterals.slice(0, state.pool.collateralCount);
  const refreshAll = () => listed.forEach((_, index) => refreshOracle(state, index));
  const holders = new ModelHolders(state, modelTrancheRows(state).map((t) => t.sharePrice), config.holders.redeemOnDropPct);
  const rows: StepRow[] = [];
  for (const step of steps) {
    const time = t0 + BigInt(step.index * STEP_SECONDS);
    if (time > state.now) state.now = time;
    state.slot += 1n;
    // The oracles publish, and the pool's cache is refreshed (`publish` in replay.ts).
    state.oracles = state.collateralNames.map((name) => {
      const price = step.prices[name];
      if (price === undefined) throw new Error(`step ${step.index} has no price for ${name}`);
      return publishedSample(price, state.now);
    });
    transaction(state, refreshAll);
    const counts = { batch: 0, settle: 0, absorb: 0, recover: 0 };
    let rounds = 0;
    let liquidatableAfter = 0;
    for (; rounds < config.keeper.maxRounds; ) {
      state.slot += 1n;
      const indebted = state.positions.filter((p) => p.debtShares > 0n);
      const plan = planActions(marketOf(state), indebted, keeper);
      for (const action of plan.actions) {
        if (applyAction(state, action, options.onRefusal)) counts[action.kind] += action.kind === 'batch' ? action.positions.length : 1;
      }
      rounds += 1;
      liquidatableAfter = plan.unhealthy;
      if (plan.actions.length === 0) break;
    }
    state.slot += 1n;
    const redemptions = holders.act(modelTrancheRows(state).map((t) => t.sharePrice));
    let fees = 0n;
    if (config.distributeDaily && step.kind === 'close') {
      fees = transaction(state, () => distribute(state)).fees;
      transaction(state, () => {
        refreshAll();
        checkCoverage(state);
      });
    }
    const tranches = modelTrancheRows(state);
    const row = stepRow(step, state.now, state.pool, tranches, { counts, rounds, liquidatableAfter, fees, redemptions });
    rows.push(row);
    options.onRow?.(row);
  }
  return rows;
}
