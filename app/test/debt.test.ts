import { describe, expect, it } from 'vitest';

import { DebtState, U64_MAX, WAD } from '../src/index.js';
import { big, checkSection, debtState as state, errorNames } from './vectors.js';

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

  it('DebtState.burn (no dust rule)', () => {
    checkSection('burn', (c) => DebtState.burn(state(c.state), big(c.positionShares), big(c.amount)));
    expect(errorNames('burn')).toEqual(['MathOverflow', 'NoDebt', 'ZeroAmount']);
  });

  it('DebtState.settle', () => {
    checkSection('settle', (c) => DebtState.settle(state(c.state), big(c.positionShares), big(c.repaid)));
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
