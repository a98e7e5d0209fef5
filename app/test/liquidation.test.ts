import { describe, expect, it } from 'vitest';

import {
  AbsorbPlan,
  LiquidationPlan,
  MAX_COLLATERALS,
  planAbsorb,
  planLiquidation,
  type LiquidationTerms,
} from '../src/index.js';
import { big, checkSection, debtState, errorNames, obj, outputs, run, tranches, views, type Case } from './vectors.js';

describe('liquidation (vs strata_core::liquidation)', () => {
  it('planLiquidation, its accessors and LiquidationPlan.apply', () => {
    const n = checkSection('liquidation', (c: Case) => {
      const terms: LiquidationTerms = { closeFactorBps: big(obj(c.terms).closeFactorBps) };
      const debt = debtState(c.debt);
      const shares = big(c.positionShares);
      const plan = planLiquidation(debt, terms, views(c.slots), shares, Number(c.index), big(c.requested), big(c.now));
      return {
        plan,
        repay: LiquidationPlan.repay(plan),
        seized: Array.from({ length: MAX_COLLATERALS }, (_, i) => LiquidationPlan.seized(plan, i)),
        sharesBurned: LiquidationPlan.sharesBurned(plan),
        badDebt: LiquidationPlan.badDebt(plan),
        before: LiquidationPlan.before(plan),
        after: LiquidationPlan.after(plan),
        applied: run(() => LiquidationPlan.apply(plan, debt, shares)),
      };
    });
    expect(n).toBeGreaterThan(30);
  });

  it('covers every refusal and both regimes', () => {
    expect(errorNames('liquidation')).toEqual([
      'LiquidationWouldLowerHealth',
      'MathOverflow',
      'NoCollateralToSeize',
      'PositionHealthy',
      'ShortfallRepayTooLow',
      'StalePrice',
      'ZeroAmount',
    ]);
    const kinds = new Set(outputs('liquidation').map((out) => obj(obj(out).plan).kind));
    expect(kinds).toEqual(new Set(['Partial', 'Shortfall']));
  });
});

describe('absorption (vs strata_core::absorb)', () => {
  it('planAbsorb and AbsorbPlan.apply', () => {
    checkSection('absorb', (c: Case) => {
      const debt = debtState(c.debt);
      const shares = big(c.positionShares);
      const ts = tranches(c.tranches);
      const plan = planAbsorb(debt, views(c.slots), shares, ts, big(c.keeperTipBps), big(c.now));
      return { plan, applied: run(() => AbsorbPlan.apply(plan, debt, shares, ts)) };
    });
  });

  it('covers every refusal, full and partial absorptions', () => {
    expect(errorNames('absorb')).toEqual([
      'DebtBelowMinimum',
      'MathOverflow',
      'NoTranches',
      'PositionHealthy',
      'StalePrice',
      'TranchesEmpty',
      'ZeroAmount',
    ]);
    const full = new Set(outputs('absorb').map((out) => obj(obj(out).plan).full));
    expect(full).toEqual(new Set([true, false]));
  });
});
