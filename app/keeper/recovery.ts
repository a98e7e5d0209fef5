/**
 * Recovery sales (`--recover`): the keeper buys the tranches' absorbed collateral with
 * its spare notes at spot less the collateral's minimum liquidation bonus, when that
 * discount is worth at least its minimum profit. The notes go into the tranche's vault,
 * so the tranches can absorb the next position. Liquidations come first: only the
 * notes their plan leaves unspent are offered, and a sale refreshes its oracle in the
 * same transaction (the program requires a price of this slot), so collaterals whose
 * oracle cannot be read are left alone.
 */
import { CoreError, collateralValue, flows, type CoreErrorName } from '../src/index.js';
import type { Market } from './market.js';

export type RecoverAction = {
  kind: 'recover';
  trancheIndex: number;
  collateralIndex: number;
  /** Notes the keeper pays, and the collateral it receives at the planned price. */
  notesIn: bigint;
  collateralOut: bigint;
  /** Value at spot of what it receives, less what it pays (the discount), notes. */
  profit: bigint;
  refresh: number[];
};

export type RecoverySkip = {
  trancheIndex: number;
  collateralIndex: number;
  /** The keeper's own reasons (`stale-price`: the oracle could not be read), or the
   * name of the core error the sale's plan raised. */
  reason: 'below-min-profit' | 'stale-price' | 'no-notes' | 'in-flight' | CoreErrorName;
};

/** The `busy` key of a sale of tranche `trancheIndex`'s collateral `collateralIndex`. */
export const recoveryKey = (trancheIndex: number, collateralIndex: number): string => `recover:${trancheIndex}:${collateralIndex}`;

/** Sales of every collateral the tranches hold, junior first (it absorbs first, so it
 * holds the most), each for as much as `budget` notes buy. */
export function planRecoveries(
  market: Market,
  budget: bigint,
  options: { minProfit: bigint; busy?: ReadonlySet<string> },
): { actions: RecoverAction[]; skipped: RecoverySkip[]; spent: bigint } {
  const actions: RecoverAction[] = [];
  const skipped: RecoverySkip[] = [];
  let left = budget;
  for (let trancheIndex = market.tranches.length - 1; trancheIndex >= 0; trancheIndex -= 1) {
    const tranche = market.tranches[trancheIndex]!;
    tranche.collateralHeld.forEach((held, collateralIndex) => {
      if (held === 0n || collateralIndex >= market.views.length) return;
      const skip = (reason: RecoverySkip['reason']) => skipped.push({ trancheIndex, collateralIndex, reason });
      if (options.busy?.has(recoveryKey(trancheIndex, collateralIndex))) return skip('in-flight');
      if (!market.refreshable[collateralIndex]) return skip('stale-price');
      if (left === 0n) return skip('no-notes');
      const view = market.views[collateralIndex]!;
      let sale;
      try {
        sale = flows.planRecoverySale(tranche, collateralIndex, view, view.liquidationBonusMinBps, left, market.now);
      } catch (error) {
        if (!(error instanceof CoreError)) throw error;
        return skip(error.code);
      }
      const profit = collateralValue(sale.collateralOut, view.price.priceWad) - sale.notesIn;
      if (profit < options.minProfit) return skip('below-min-profit');
      left -= sale.notesIn;
      actions.push({
        kind: 'recover',
        trancheIndex,
        collateralIndex,
        notesIn: sale.notesIn,
        collateralOut: sale.collateralOut,
        profit,
        refresh: [collateralIndex],
      });
    });
  }
  return { actions, skipped, spent: budget - left };
}
