import { describe, expect, it } from 'vitest';

import { DebtState, U64_MAX, WAD } from '../src/index.js';
import { big, checkSection, obj } from './vectors.js';

function state(value: unknown): DebtState {
  const d = obj(value as never);
  return {
    totalShares: big(d.totalShares),
    rateIndexWad: big(d.rateIndexWad),
    stabilityFeeBps: big(d.stabilityFeeBps),
    lastAccrualTs: big(d.lastAccrualTs),
    pendingFees: big(d.pendingFees),
    debtCeiling: big(d.debtCeiling),
    minDebt: big(d.minDebt),
  };
}

describe('debt (vs strata_core::debt)', () => {
  it('DebtState.debtOf', () => {
    checkSection('debtOf', (c) => DebtState.debtOf(state(c.state), big(c.shares)));
  });

  it('DebtState.accrue', () => {
    checkSection('accrue', (c) => DebtState.accrue(state(c.state), big(c.now)));
  });

  it('DebtState.mint', () => {
    checkSection('mint', (c) => {
      const { state: next, ...outcome } = DebtState.mint(state(c.state), big(c.positionShares), big(c.amount), big(c.borrowLimit));
      return { ...outcome, state: next };
    });
  });

  it('DebtState.repay', () => {
    checkSection('repay', (c) => DebtState.repay(state(c.state), big(c.positionShares), big(c.amount)));
  });

  it('refusals leave the caller state untouched', () => {
    const fresh = DebtState.new(500n, 1_000n, 100n, 10n);
    const before = { ...fresh };
    expect(() => DebtState.mint(fresh, 0n, 50n, U64_MAX)).toThrow('DebtBelowMinimum');
    expect(() => DebtState.repay(fresh, 0n, 1n)).toThrow('NoDebt');
    expect(fresh).toEqual(before);
    expect(fresh.rateIndexWad).toBe(WAD);
  });
});
