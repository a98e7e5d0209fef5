// Health before and after a position change, shown before the wallet signs: the same
// mirrored core the program runs (debt accrued to the clock, `DebtState.mint`/`repay`,
// health on both bases at the prices the transaction's refreshes will cache). A change
// the program would refuse is named with the program's error; the page still lets the
// user send it, and the program decides.
import {
  CoreError,
  DebtState,
  Health,
  positionDebtShares,
  PriceBasis,
  type Position,
} from '@strata/client';

import type { Snapshot } from '../chain/snapshot.js';
import { slotsOf } from './positions.js';

export type Change =
  | { kind: 'deposit' | 'withdraw'; index: number; amount: bigint }
  | { kind: 'mint' | 'repay'; amount: bigint };

export type HealthSide = {
  debt: bigint;
  /** Spot basis (liquidation below 1.0), WAD; null when unpriced. */
  healthWad: bigint | null;
  /** Conservative basis × ltv: what may be owed; null when unpriced. */
  borrowLimit: bigint | null;
};

export type Preview = { before: HealthSide; after: HealthSide; refusal?: string };

const safe = <T>(fn: () => T): T | null => {
  try {
    return fn();
  } catch (error) {
    if (error instanceof CoreError) return null;
    throw error;
  }
};

function side(snapshot: Snapshot, amounts: readonly bigint[], debt: bigint): HealthSide {
  const slots = slotsOf(snapshot.views, amounts);
  const spot = safe(() => Health.compute(slots, debt, PriceBasis.Spot, snapshot.now));
  const limit = safe(() => Health.compute(slots, 0n, PriceBasis.Conservative, snapshot.now));
  return { debt, healthWad: spot ? Health.ratioWad(spot) : null, borrowLimit: limit?.weightedCollateral ?? null };
}

export function previewChange(snapshot: Snapshot, position: Position, change: Change): Preview {
  const shares = positionDebtShares(position);
  const amounts = [...position.collateral];
  const debtBefore = DebtState.debtOf(snapshot.debt, shares);
  const before = side(snapshot, amounts, debtBefore);
  let debtAfter = debtBefore;
  const after = [...amounts];
  let refusal: string | undefined;
  try {
    if (change.amount === 0n) throw new CoreError('ZeroAmount');
    switch (change.kind) {
      case 'deposit':
        after[change.index] = (after[change.index] ?? 0n) + change.amount;
        break;
      case 'withdraw': {
        const held = after[change.index] ?? 0n;
        if (change.amount > held) {
          refusal = 'InsufficientCollateral';
          break;
        }
        after[change.index] = held - change.amount;
        if (debtBefore > 0n) {
          const limit = Health.compute(slotsOf(snapshot.views, after), debtBefore, PriceBasis.Conservative, snapshot.now);
          if (!Health.isHealthy(limit)) refusal = 'InsufficientCollateralValue';
        }
        break;
      }
      case 'mint': {
        const limit = Health.compute(slotsOf(snapshot.views, amounts), 0n, PriceBasis.Conservative, snapshot.now).weightedCollateral;
        try {
          debtAfter = DebtState.mint(snapshot.debt, shares, change.amount, limit).positionDebt;
        } catch (error) {
          if (!(error instanceof CoreError)) throw error;
          refusal = error.code;
          debtAfter = debtBefore + change.amount;
        }
        break;
      }
      case 'repay':
        debtAfter = DebtState.repay(snapshot.debt, shares, change.amount).positionDebt;
        break;
    }
  } catch (error) {
    if (!(error instanceof CoreError)) throw error;
    refusal = error.code;
  }
  return { before, after: side(snapshot, after, debtAfter), ...(refusal ? { refusal } : {}) };
}
