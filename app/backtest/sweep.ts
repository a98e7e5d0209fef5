/**
 * `npm run backtest -- --sweep`: the configured window replayed by the off-chain model
 * (model.ts) at every point of a parameter grid: a collateral's LTV × its liquidation
 * threshold (the first collateral unless named) × the junior tranche's share of the
 * tranches' capital. Per point: bad
 * debt (peak and end), each tranche's loss, liquidations, settlements, absorptions and
 * the lowest junior coverage; the configured point is marked, and so are the best
 * points that lose nothing beyond the junior. With `--replay-best` (or
 * `--replay-point`) one point is then replayed on the cluster, and the model once more
 * from the chain's accounts (compare.ts), and the results are printed side by side
 * with the agreement verdict.
 */
import { InputError } from '../admin/chain.js';
import { mergeParams } from '../cli/params.js';
import { dollars } from '../sim/snapshot.js';
import type { LoadedBacktest } from './config.js';
import { modelTrancheRows, replayModel } from './model.js';
import { initialState, modelStart } from './model-setup.js';
import { refusalName } from './model-program.js';
import { buildPath, type PathStep } from './path.js';
import { summarize, summaryLines, trancheName, type Summary } from './report.js';

/** A point of the grid, basis points: the swept collateral's LTV and liquidation
 * threshold, and the junior tranche's share of the tranches' capital at the start
 * (its subordination of the tranches above it). */
export type SweepPoint = { ltvBps: number; thresholdBps: number; juniorBps: number };

/** The values each axis takes, basis points; `collateral`: the index of the collateral
 * whose LTV and threshold vary. */
export type SweepGrid = { collateral: number; ltvBps: number[]; thresholdBps: number[]; juniorBps: number[] };

export const DEFAULT_GRID: SweepGrid = {
  collateral: 0,
  ltvBps: [4_000, 5_000, 6_000],
  thresholdBps: [6_500, 7_500, 8_500],
  juniorBps: [1_000, 2_000, 3_000],
};

/** A comma-separated list of percentages (`40,50,62.5`) as basis points, sorted, each
 * once. */
export function parsePercentList(text: string, what: string): number[] {
  const values = text.split(',').map((part) => part.trim());
  const bps = values.map((value) => {
    const pct = Number(value);
    if (value === '' || !Number.isFinite(pct) || pct < 0 || pct > 100 || !Number.isInteger(Math.round(pct * 100 * 1e6) / 1e6)) {
      throw new InputError(`${what}: expected percentages between 0 and 100 with at most two decimals, separated by commas; got '${value}' in '${text}'`);
    }
    return Math.round(pct * 100);
  });
  return [...new Set(bps)].sort((a, b) => a - b);
}

const cents = (usd: number) => Math.round(usd * 100);

/** The point a backtest config sets (the junior's share rounded to a basis point). */
export function configuredPoint(loaded: LoadedBacktest, collateral = 0): SweepPoint {
  const { pool, config } = loaded;
  if (pool.tranches.length < 2) throw new InputError("the sweep varies the junior tranche's share of the tranches' capital: the pool needs at least two tranches");
  const swept = pool.collaterals[collateral]!.params;
  const total = config.tranches.reduce((sum, usd) => sum + cents(usd), 0);
  const junior = cents(config.tranches.at(-1)!);
  return { ltvBps: swept.ltvBps, thresholdBps: swept.liquidationThresholdBps, juniorBps: total === 0 ? 0 : Math.round((junior * 10_000) / total) };
}

/**
 * The backtest at `point`, everything else as configured: collateral `collateral`'s
 * LTV and threshold; the tranches' capital (the same total) split so that the junior holds
 * `juniorBps` of it, the tranches above sharing the rest in their configured
 * proportions; and each tranche's minimum subordination lowered, where it is above it,
 * to the subordination the split gives it (the program refuses a senior deposit that
 * would leave it below its minimum: the set-up deposits junior first).
 */
export function pointAt(loaded: LoadedBacktest, point: SweepPoint, collateral = 0): LoadedBacktest {
  const { pool, config } = loaded;
  const totalCents = config.tranches.reduce((sum, usd) => sum + cents(usd), 0);
  const juniorCents = Math.round((totalCents * point.juniorBps) / 10_000);
  const seniors = config.tranches.slice(0, -1).map(cents);
  const seniorsTotal = seniors.reduce((a, b) => a + b, 0);
  const rest = totalCents - juniorCents;
  const split = seniors.map((c, i) => (seniorsTotal === 0 ? (i === 0 ? rest : 0) : Math.floor((c * rest) / seniorsTotal)));
  split[0]! += rest - split.reduce((a, b) => a + b, 0);
  const amounts = [...split, juniorCents];
  const below = (i: number) => amounts.slice(i + 1).reduce((a, b) => a + b, 0);
  const subordinationBps = (i: number) => (totalCents === 0 ? 0 : Math.floor((below(i) * 10_000) / amounts.slice(i).reduce((a, b) => a + b, 0)));
  return {
    ...loaded,
    config: { ...config, tranches: amounts.map((c) => c / 100) },
    pool: {
      ...pool,
      collaterals: pool.collaterals.map((c, i) => (i === collateral ? { ...c, params: { ...c.params, ltvBps: point.ltvBps, liquidationThresholdBps: point.thresholdBps } } : c)),
      tranches: pool.tranches.map((t, i) => (i === pool.tranches.length - 1 ? t : { ...t, minSubordinationBps: Math.min(t.minSubordinationBps, subordinationBps(i)) })),
    },
  };
}

/** Why the program would refuse the deploy config at `point` (`InvalidCollateralParams`),
 * or undefined. */
export function pointProblem(loaded: LoadedBacktest, point: SweepPoint, collateral = 0): string | undefined {
  const at = pointAt(loaded, point, collateral);
  try {
    mergeParams('collateral', { flags: { ...at.pool.collaterals[collateral]!.params } });
    for (const tranche of at.pool.tranches) mergeParams('tranche', { flags: { ...tranche } });
    return undefined;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.message.split('\n').slice(1).map((line) => line.trim()).join('; ');
  }
}

export type GridPoint = { point: SweepPoint; configured: boolean };

const samePoint = (a: SweepPoint, b: SweepPoint) => a.ltvBps === b.ltvBps && a.thresholdBps === b.thresholdBps && a.juniorBps === b.juniorBps;

/** Every combination of the grid's values, and the configured point when the grid
 * misses it, in order (LTV, then threshold, then subordination). */
export function gridPoints(grid: SweepGrid, configured: SweepPoint): GridPoint[] {
  const points: SweepPoint[] = [];
  for (const ltvBps of grid.ltvBps) {
    for (const thresholdBps of grid.thresholdBps) {
      for (const juniorBps of grid.juniorBps) points.push({ ltvBps, thresholdBps, juniorBps });
    }
  }
  if (!points.some((p) => samePoint(p, configured))) points.push(configured);
  points.sort((a, b) => a.ltvBps - b.ltvBps || a.thresholdBps - b.thresholdBps || a.juniorBps - b.juniorBps);
  return points.map((point) => ({ point, configured: samePoint(point, configured) }));
}

/** A point's outcome: its summary, or why it was not run (the program would refuse
 * its parameters, or the set-up fails at them). */
export type PointResult = GridPoint & ({ summary: Summary; skipped?: undefined } | { summary?: undefined; skipped: string });

/** The model's replay of `steps` at `pool`, from its own set-up: the summary, or the
 * program's refusal of the set-up (e.g. a senior deposit that would break its
 * subordination). */
export function modelSummary(loaded: LoadedBacktest, steps: readonly PathStep[]): Summary | { refused: string } {
  let state;
  try {
    state = initialState(loaded.config, loaded.pool, steps[0]!, modelStart(steps));
  } catch (error) {
    return { refused: refusalName(error) };
  }
  const start = modelTrancheRows(state);
  return summarize(replayModel(state, loaded.config, steps), start);
}

export function runSweep(loaded: LoadedBacktest, grid: SweepGrid, log: (line: string) => void = () => {}): PointResult[] {
  const steps = buildPath(loaded.series, { from: loaded.config.from, to: loaded.config.to });
  const points = gridPoints(grid, configuredPoint(loaded, grid.collateral));
  return points.map((at, n) => {
    const problem = pointProblem(loaded, at.point, grid.collateral);
    if (problem) return { ...at, skipped: `the program refuses it: ${problem}` };
    log(`point ${n + 1} of ${points.length}: ${formatPoint(at.point)}`);
    const summary = modelSummary(pointAt(loaded, at.point, grid.collateral), steps);
    return 'refused' in summary ? { ...at, skipped: `the set-up is refused: ${summary.refused}` } : { ...at, summary };
  });
}

/** No bad debt at any step, no loss booked above the junior, and no share price above
 * the junior's ever below its start: absorbed collateral is marked at spot, and a
 * senior holder leaving at that moment would take the fall, booked or not. */
export const isSafe = (summary: Summary): boolean => {
  const seniors = summary.trancheLoss.length - 1;
  return (
    summary.peakBadDebt === 0n &&
    summary.trancheLoss.slice(0, seniors).every((loss) => loss === 0n) &&
    summary.lowestSharePrice.slice(0, seniors).every((low, i) => low >= summary.startSharePrice[i]!)
  );
};

/** The lowest share price of tranche `index` over the window, relative to its start,
 * basis points (−150 = 1.5% below its starting price). */
export const drawdownBps = (summary: Summary, index: number): number => {
  const start = summary.startSharePrice[index]!;
  return start === 0n ? 0 : Number(((summary.lowestSharePrice[index]! - start) * 10_000n) / start);
};

/**
 * The best points: among the safe ones, the highest LTV (the most a borrower mints per
 * dollar of collateral), then the junior's smallest fall in share price (booked losses
 * and absorbed collateral marked at spot alike), then the fewest positions liquidated,
 * settled or absorbed; every point tied with the first is best. Indexes into `results`.
 */
export function bestPoints(results: readonly PointResult[]): number[] {
  const safe = results.flatMap((r, index) => (r.summary && isSafe(r.summary) ? [{ index, point: r.point, summary: r.summary }] : []));
  if (safe.length === 0) return [];
  const junior = (s: Summary) => drawdownBps(s, s.trancheLoss.length - 1);
  const touched = (s: Summary) => s.liquidations + s.settlements + s.absorptions;
  const compare = (a: (typeof safe)[number], b: (typeof safe)[number]) =>
    b.point.ltvBps - a.point.ltvBps || junior(b.summary) - junior(a.summary) || touched(a.summary) - touched(b.summary);
  safe.sort(compare);
  return safe.filter((s) => compare(s, safe[0]!) === 0).map((s) => s.index);
}

const pct = (bps: number) => `${(bps / 100).toFixed(bps % 100 === 0 ? 0 : 2)}%`;

export const formatPoint = (point: SweepPoint) => `LTV ${pct(point.ltvBps)}, threshold ${pct(point.thresholdBps)}, junior ${pct(point.juniorBps)} of the tranches`;

/** The results as a table, a row per point; marks: `configured`, `best`, `safe`. */
export function formatSweep(results: readonly PointResult[], best: readonly number[], trancheCount: number): string {
  const names = Array.from({ length: trancheCount }, (_, i) => trancheName(i, trancheCount));
  const head = [
    'LTV', 'threshold', 'junior', 'bad debt peak', 'bad debt end', ...names.map((n) => `${n} loss`), ...names.map((n) => `${n} low`),
    'liq', 'settled', 'absorbed', 'lowest cov.', '',
  ];
  const body = results.map((r, index) => {
    const marks = [r.configured ? 'configured' : '', best.includes(index) ? 'best' : r.summary && isSafe(r.summary) ? 'safe' : ''].filter(Boolean).join(', ');
    const point = [pct(r.point.ltvBps), pct(r.point.thresholdBps), pct(r.point.juniorBps)];
    if (!r.summary) return [...point, ...head.slice(3, -1).map(() => '-'), [marks, r.skipped].filter(Boolean).join('; ')];
    const s = r.summary;
    return [
      ...point,
      dollars(s.peakBadDebt),
      dollars(s.finalBadDebt),
      ...s.trancheLoss.map(dollars),
      ...names.map((_, i) => `${(drawdownBps(s, i) / 100).toFixed(2)}%`),
      `${s.liquidations}`,
      `${s.settlements}`,
      `${s.absorptions}`,
      `${(Number(s.lowestCoverageBps) / 100).toFixed(2)}%`,
      marks,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (i === head.length - 1 ? 0 : row[i]!.length))));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padStart(widths[i]!))).join('  ').trimEnd();
  const legend =
    'loss: booked (cumulative_loss); low: the lowest share price against the start (absorbed collateral at spot; a tranche its holder left reads 1.0); safe: no bad debt, nothing booked above the junior, no senior share price below its start';
  return [line(head), ...body.map(line), '', legend].join('\n');
}

/** Summaries side by side (e.g. the sweep's, the model's from the chain's accounts,
 * the chain's), label by label. */
export function formatSideBySide(summaries: readonly Summary[], titles: readonly string[]): string {
  const columns = summaries.map((s) => new Map(summaryLines(s)));
  const labels = [...new Set(columns.flatMap((c) => [...c.keys()]))];
  const rows = [['', ...titles], ...labels.map((label) => [label, ...columns.map((c) => c.get(label) ?? '-')])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}
