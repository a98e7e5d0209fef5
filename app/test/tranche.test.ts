import { describe, expect, it } from 'vitest';

import {
  applyIncome,
  applyLoss,
  juniorCoverageBps,
  splitIncome,
  splitLoss,
  subordinationHolds,
  TrancheState,
  type IncomeSplit,
  type LossSplit,
  type Redemption,
} from '../src/index.js';
import { IncomeSplit as Income } from '../src/index.js';
import { big, bigs, checkSection, errorNames, obj, tranche, tranches, views, type Case } from './vectors.js';

function redemption(value: unknown): Redemption {
  const r = obj(value as never);
  return { shares: big(r.shares), notes: big(r.notes), collateral: bigs(r.collateral) };
}

function income(value: unknown): IncomeSplit {
  const i = obj(value as never);
  return {
    fees: big(i.fees),
    protocolFee: big(i.protocolFee),
    badDebtRepaid: big(i.badDebtRepaid),
    recovered: bigs(i.recovered),
    yielded: bigs(i.yielded),
    residual: big(i.residual),
    yieldOwedWad: bigs(i.yieldOwedWad),
  };
}

const incomeOut = (split: IncomeSplit) => ({ ...split, toTranche: [0, 1, 2, 3].map((i) => Income.toTranche(split, i)) });

function loss(value: unknown): LossSplit {
  const l = obj(value as never);
  const matrix = (value: unknown) => (value as unknown[]).map(bigs);
  return {
    taken: bigs(l.taken),
    uncovered: big(l.uncovered),
    collateralOut: matrix(l.collateralOut),
    collateralIn: matrix(l.collateralIn),
    compensated: bigs(l.compensated),
    lost: bigs(l.lost),
  };
}

describe('tranches (vs strata_core::tranche)', () => {
  it('TrancheState.nav', () => {
    checkSection('trancheNav', (c: Case) => TrancheState.nav(tranche(c.tranche), views(c.slots), big(c.now)));
    expect(errorNames('trancheNav')).toEqual(['MathOverflow', 'NoCollateralToSeize', 'StalePrice']);
  });

  it('TrancheState.sharesForDeposit', () => {
    checkSection('sharesForDeposit', (c) => TrancheState.sharesForDeposit(tranche(c.tranche), big(c.nav), big(c.amount)));
    expect(errorNames('sharesForDeposit')).toEqual(['MathOverflow', 'SharePriceTooLow', 'ZeroAmount']);
  });

  it('TrancheState.redemption', () => {
    checkSection('redemption', (c) => TrancheState.redemption(tranche(c.tranche), big(c.shares)));
    expect(errorNames('redemption')).toEqual(['InsufficientShares', 'ZeroAmount']);
  });

  it('TrancheState.deposit and withdraw', () => {
    checkSection('trancheDeposit', (c) => TrancheState.deposit(tranche(c.tranche), big(c.amount), big(c.shares)));
    checkSection('trancheWithdraw', (c) => TrancheState.withdraw(tranche(c.tranche), redemption(c.redemption)));
    expect([...errorNames('trancheDeposit'), ...errorNames('trancheWithdraw')]).toEqual(['MathOverflow', 'MathOverflow']);
  });

  it('subordinationHolds', () => {
    checkSection('subordinationHolds', (c) =>
      subordinationHolds(bigs(c.navs), big(c.minSubordinationBps), Number(c.index)),
    );
  });

  it('splitIncome and applyIncome', () => {
    checkSection('splitIncome', (c) =>
      incomeOut(splitIncome(tranches(c.tranches), big(c.fees), big(c.protocolFeeBps), big(c.badDebt), c.turbo === true, big(c.now))),
    );
    checkSection('applyIncome', (c) => applyIncome(tranches(c.tranches), income(c.split), big(c.now)));
    expect(errorNames('splitIncome')).toEqual(['MathOverflow', 'NoTranches']);
  });

  it('splitLoss and applyLoss', () => {
    checkSection('splitLoss', (c) => splitLoss(tranches(c.tranches), big(c.loss)));
    checkSection('applyLoss', (c) => applyLoss(tranches(c.tranches), loss(c.split)));
  });

  it('juniorCoverageBps', () => {
    checkSection('juniorCoverageBps', (c) => juniorCoverageBps(bigs(c.navs)));
  });
});
