/**
 * Where the model's rows and the chain's differ, for the agreement test
 * (test/backtest/agreement.e2e.test.ts). Counts (liquidations, settlements,
 * absorptions, recovery sales, keeper rounds, positions left liquidatable, the pool's
 * mode, shares queued for redemption) must be equal. Amounts (bad debt, fees,
 * redemptions paid, each tranche's NAV, notes, cumulative loss and yield, share
 * prices, coverage) must agree within what the cluster's clock explains:
 *
 * The chain's clock runs on while a step is replayed (it follows wall time, moved
 * ahead 6 h per step), so its instructions run a few seconds after the step's time,
 * where the model runs them all at that time. Each second of that lag, the pool's debt
 * accrues `debt × fee / year` more notes: the income settled into the tranches differs
 * by that much per second of lag at the last settlement, and so does the debt each
 * liquidation or absorption pays off, hence the collateral it takes (at most
 * `1 + bonus_max` times as much), which is then valued at later prices (at most
 * `growth` times the price it was taken at). Over the steps up to `r`, with `Σ lag`
 * their lags in seconds (each row's clock bounds its step's instructions):
 *
 *     tolerance_r = interest per second × (1 + (1 + bonus_max) × growth_r) × Σ lag + 100
 *
 * (100 native units, $0.0001, for rounding that differs when the same amounts are
 * split over differently timed settlements). With no lag the tolerance is that
 * rounding only.
 */
import { BPS, SECONDS_PER_YEAR } from '../src/index.js';
import type { StepRow } from './rows.js';

export type Difference = { step: number; field: string; model: string; chain: string; tolerance?: string };

/** Native note units of rounding allowed besides the clock's lag. */
export const ROUNDING_UNITS = 100n;

/** Interest the pool's debt accrues per second at `feeBps` APR, native units, up. */
export const interestPerSecond = (debt: bigint, feeBps: number): bigint => {
  const denominator = BPS * SECONDS_PER_YEAR;
  return (debt * BigInt(feeBps) + denominator - 1n) / denominator;
};

/** The largest rise of any price from one step to a later one, up to each step
 * (1 when prices only fell). */
export function priceGrowth(rows: readonly StepRow[]): number[] {
  const names = Object.keys(rows[0]?.prices ?? {});
  const lowest = new Map<string, number>();
  let growth = 1;
  return rows.map((row) => {
    for (const name of names) {
      const price = row.prices[name]!;
      const low = Math.min(lowest.get(name) ?? price, price);
      lowest.set(name, low);
      growth = Math.max(growth, price / low);
    }
    return growth;
  });
}

/** Per step: the amounts' tolerance (see above), native units. */
export function tolerances(model: readonly StepRow[], chain: readonly StepRow[], interest: bigint, bonusMaxBps: number): bigint[] {
  const growth = priceGrowth(model);
  let lag = 0n;
  return model.map((row, r) => {
    const ahead = chain[r]!.time - row.time;
    lag += ahead > 0n ? ahead : 0n;
    // growth and the bonus as thousandths, rounded up.
    const factor = 1_000n + BigInt(Math.ceil((1 + bonusMaxBps / 10_000) * growth[r]! * 1_000));
    return (interest * factor * lag + 999n) / 1_000n + ROUNDING_UNITS;
  });
}

const EXACT = ['kind', 'date', 'liquidated', 'settled', 'absorbed', 'recovered', 'rounds', 'liquidatableAfter', 'mode', 'coverageFloorBps', 'redemptionsQueued'] as const;

const absDiff = (a: bigint, b: bigint) => (a > b ? a - b : b - a);
const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

/** Every field where the rows disagree beyond the tolerance, step by step. */
export function rowDifferences(model: readonly StepRow[], chain: readonly StepRow[], tolerance: readonly bigint[]): Difference[] {
  const differences: Difference[] = [];
  if (model.length !== chain.length) differences.push({ step: -1, field: 'rows', model: `${model.length}`, chain: `${chain.length}` });
  model.slice(0, chain.length).forEach((m, r) => {
    const c = chain[r]!;
    const tol = tolerance[r]!;
    for (const field of EXACT) {
      if (m[field] !== c[field]) differences.push({ step: m.step, field, model: `${m[field]}`, chain: `${c[field]}` });
    }
    const near = (field: string, a: bigint, b: bigint, within: bigint) => {
      if (absDiff(a, b) > within) differences.push({ step: m.step, field, model: `${a}`, chain: `${b}`, tolerance: `${within}` });
    };
    near('badDebt', m.badDebt, c.badDebt, tol);
    near('fees', m.fees, c.fees, tol);
    near('redemptionsPaid', m.redemptionsPaid, c.redemptionsPaid, tol);
    if (m.tranches.length !== c.tranches.length) differences.push({ step: m.step, field: 'tranches', model: `${m.tranches.length}`, chain: `${c.tranches.length}` });
    m.tranches.slice(0, c.tranches.length).forEach((mt, i) => {
      const ct = c.tranches[i]!;
      near(`tranche ${i} nav`, mt.nav, ct.nav, tol);
      near(`tranche ${i} notes`, mt.assets, ct.assets, tol);
      near(`tranche ${i} cumulativeLoss`, mt.cumulativeLoss, ct.cumulativeLoss, tol);
      near(`tranche ${i} cumulativeYield`, mt.cumulativeYield, ct.cumulativeYield, tol);
      near(`tranche ${i} yieldOwed`, mt.yieldOwed, ct.yieldOwed, tol);
      // A share price is (NAV + 1) × k: a NAV `tol` apart moves it by `tol × price / (NAV + 1)`.
      const nav = (mt.nav < ct.nav ? mt.nav : ct.nav) + 1n;
      const price = mt.sharePrice > ct.sharePrice ? mt.sharePrice : ct.sharePrice;
      near(`tranche ${i} sharePrice`, mt.sharePrice, ct.sharePrice, ceilDiv(tol * price, nav) + 1n);
    });
    // Coverage is junior / total NAV in basis points: a junior `tol` apart and a total
    // `2 tol` apart move it by at most `3 tol / total`.
    const total = c.tranches.reduce((sum, t) => sum + t.nav, 0n);
    near('juniorCoverageBps', m.juniorCoverageBps, c.juniorCoverageBps, total === 0n ? BPS : ceilDiv(3n * tol * BPS, total) + 1n);
  });
  return differences;
}

/** The differences as lines, for a failure message. */
export const formatDifferences = (differences: readonly Difference[]): string =>
  differences.map((d) => `step ${d.step} ${d.field}: model ${d.model}, chain ${d.chain}${d.tolerance ? ` (tolerance ${d.tolerance})` : ''}`).join('\n');
