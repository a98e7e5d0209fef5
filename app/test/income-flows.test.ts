import { describe, expect, it } from 'vitest';

import {
  bookLoss,
  CachedPrice,
  compoundWad,
  flows,
  IncomeSplit,
  isCoreError,
  settleIncome,
  takeProtocolFee,
  targetAccrualWad,
  TrancheState,
  type IncomeLedger,
  type Redemption,
  type Rounding,
} from '../src/index.js';
import { big, bigs, checkSection, debtState, errorNames, obj, section, str, tranche, tranches, view, views } from './vectors.js';

function ledger(value: unknown): IncomeLedger {
  const l = obj(value as never);
  return { protocolFeeOwed: big(l.protocolFeeOwed), badDebt: big(l.badDebt), protocolFeeBps: big(l.protocolFeeBps), turbo: l.turbo === true };
}

function redemption(value: unknown): Redemption {
  const r = obj(value as never);
  return { shares: big(r.shares), notes: big(r.notes), collateral: bigs(r.collateral) };
}

const withToTranche = (split: IncomeSplit) => ({ ...split, toTranche: [0, 1, 2, 3].map((i) => IncomeSplit.toTranche(split, i)) });

describe('income settlement (vs strata_core::income)', () => {
  it('compoundWad: a rate compounded per second', () => {
    checkSection('compoundWad', (c) => compoundWad(big(c.rateBps), big(c.elapsed), str(c.rounding) as Rounding));
    expect(errorNames('compoundWad')).toEqual(['MathOverflow']);
  });

  it('targetAccrualWad', () => {
    checkSection('targetAccrual', (c) => targetAccrualWad(big(c.assets), big(c.owedWad), big(c.targetAprBps), big(c.elapsed)));
  });

  it('settleIncome and takeProtocolFee', () => {
    checkSection('settleIncome', (c) => {
      const settled = settleIncome(debtState(c.debt), ledger(c.ledger), tranches(c.tranches), big(c.now));
      return { ...settled, split: withToTranche(settled.split) };
    });
    checkSection('takeProtocolFee', (c) => takeProtocolFee(debtState(c.debt), ledger(c.ledger)));
    expect(errorNames('settleIncome')).toEqual(['MathOverflow', 'NoTranches']);
  });

  it('a settlement leaves exactly the protocol fee owed pending', () => {
    const cases = (['settleIncome'] as const).length;
    expect(cases).toBe(1);
    const settled = settleIncome(
      { totalShares: 1_000_000_000n, rateIndexWad: 10n ** 18n, stabilityFeeBps: 500n, lastAccrualTs: 0n, pendingFees: 0n, debtCeiling: 10n ** 18n, minDebt: 0n },
      { protocolFeeOwed: 0n, badDebt: 0n, protocolFeeBps: 1_000n, turbo: false },
      [{ ...TrancheState.empty(), assets: 1_000_000n, targetAprBps: 500n }, { ...TrancheState.empty(), assets: 500_000n }],
      31_536_000n,
    );
    expect(settled.debt.pendingFees).toBe(settled.ledger.protocolFeeOwed);
    expect(settled.split.protocolFee + IncomeSplit.toTranches(settled.split)).toBe(settled.split.fees);
  });
});

describe('tranche flows (vs strata_core::flows)', () => {
  it('entryNav prices held collateral at the top of its band', () => {
    checkSection('entryNav', (c) => TrancheState.entryNav(tranche(c.tranche), views(c.slots), big(c.now)));
    const price = { priceWad: 100n, emaPriceWad: 102n, confWad: 1n, publishTime: 10n };
    expect(CachedPrice.entry(price, { maxAgeSecs: 60n, maxConfBps: 100n, maxEmaDeviationBps: 500n }, 10n)).toBe(103n);
  });

  it('deposit, request, cancel, claimable, claim', () => {
    checkSection('flowsDeposit', (c) => flows.deposit(tranches(c.tranches), Number(c.index), big(c.amount), views(c.slots), big(c.now)));
    checkSection('flowsRequest', (c) => flows.request(tranche(c.tranche), big(c.shares)));
    checkSection('flowsCancel', (c) => flows.cancel(tranche(c.tranche), big(c.shares)));
    checkSection('claimable', (c) => flows.claimable(big(c.requestedAt), big(c.delaySecs), big(c.now)));
    checkSection('flowsClaim', (c) => flows.claim(tranches(c.tranches), Number(c.index), big(c.shares), views(c.slots), big(c.now)));
    checkSection('sharePrice', (c) => flows.sharePriceWad(redemption(c.redemption), views(c.slots), big(c.now)));
    expect(errorNames('flowsClaim')).toContain('SubordinationBreached');
    expect(errorNames('claimable')).toEqual(['RedemptionNotReady']);
  });

  it('bookLoss', () => {
    checkSection('bookLoss', (c) => bookLoss(tranches(c.tranches), big(c.badDebt), big(c.loss), views(c.slots), big(c.now)));
    // Some cases make a senior whole with collateral from below.
    expect(section('bookLoss').some((c) => (c.out as { split?: { compensated: string[] } })?.split?.compensated.some((v) => v !== '0'))).toBe(true);
  });

  it('recovery sales', () => {
    checkSection('recoverySale', (c) => {
      const t = tranche(c.tranche);
      const sale = flows.planRecoverySale(t, Number(c.asset), view(c.slot), big(c.discountBps), big(c.notesOffered), big(c.now));
      // A sale that cannot be applied (the tranche's notes would overflow) writes null.
      let applied: unknown = null;
      try {
        applied = flows.applyRecoverySale(t, Number(c.asset), sale);
      } catch (error) {
        if (!isCoreError(error)) throw error;
      }
      return { ...sale, tranche: applied };
    });
    expect(errorNames('recoverySale')).toEqual(['MathOverflow', 'NoCollateralToSeize', 'StalePrice', 'ZeroAmount']);
  });

  it('redemption delays cover every oracle age plus a minute, at most 30 days', () => {
    expect(flows.redemptionDelayIsValid(120n, 60n)).toBe(true);
    expect(flows.redemptionDelayIsValid(119n, 60n)).toBe(false);
    expect(flows.redemptionDelayIsValid(30n * 86_400n + 1n, 0n)).toBe(false);
  });
});
