/**
 * The replay's report: the rows as CSV and JSON (dollars with cents, share prices with
 * six decimals), a summary of the whole window, and the printed tables.
 */
import { dollars } from '../sim/snapshot.js';
import type { StepRow } from './rows.js';

export const trancheName = (index: number, count: number) =>
  count === 1 ? 'junior' : index === 0 ? 'senior' : index === count - 1 ? 'junior' : `mezzanine ${index}`;

const usd = (native: bigint) => (Number(native) / 1e6).toFixed(2);
const price6 = (fixed: bigint) => (Number(fixed) / 1e6).toFixed(6);
const bps = (value: bigint) => (Number(value) / 100).toFixed(2);

/** The rows as plain JSON values (dollars as numbers with cents). */
export function rowsJson(rows: readonly StepRow[]) {
  return rows.map((row) => ({
    step: row.step,
    date: row.date,
    kind: row.kind,
    prices: row.prices,
    liquidated: row.liquidated,
    settled: row.settled,
    absorbed: row.absorbed,
    recovered: row.recovered,
    rounds: row.rounds,
    liquidatableAfter: row.liquidatableAfter,
    badDebt: Number(usd(row.badDebt)),
    tranches: row.tranches.map((t, i) => ({
      name: trancheName(i, row.tranches.length),
      nav: Number(usd(t.nav)),
      sharePrice: Number(price6(t.sharePrice)),
      notes: Number(usd(t.assets)),
      loss: Number(usd(t.cumulativeLoss)),
      yield: Number(usd(t.cumulativeYield)),
      yieldOwed: Number(usd(t.yieldOwed)),
    })),
    juniorCoveragePct: Number(bps(row.juniorCoverageBps)),
    coverageFloorPct: row.coverageFloorBps / 100,
    mode: row.mode,
    fees: Number(usd(row.fees)),
    redemptionsQueuedShares: Number(row.redemptionsQueued) / 1e9,
    redemptionsPaid: Number(usd(row.redemptionsPaid)),
  }));
}

export function rowsCsv(rows: readonly StepRow[]): string {
  const names = Object.keys(rows[0]?.prices ?? {});
  const count = rows[0]?.tranches.length ?? 0;
  const tranches = Array.from({ length: count }, (_, i) => trancheName(i, count));
  const head = [
    'step', 'date', 'kind', ...names.map((n) => `${n} price`), 'liquidated', 'settled', 'absorbed', 'recovered', 'rounds', 'liquidatable after',
    'bad debt', ...tranches.flatMap((t) => [`${t} NAV`, `${t} share price`, `${t} loss`]), 'junior coverage %', 'mode', 'fees', 'redemptions queued (shares)', 'redemptions paid',
  ];
  const lines = rows.map((row) => [
    row.step, row.date, row.kind, ...names.map((n) => row.prices[n]), row.liquidated, row.settled, row.absorbed, row.recovered, row.rounds, row.liquidatableAfter,
    usd(row.badDebt), ...row.tranches.flatMap((t) => [usd(t.nav), price6(t.sharePrice), usd(t.cumulativeLoss)]), bps(row.juniorCoverageBps), row.mode, usd(row.fees),
    (Number(row.redemptionsQueued) / 1e9).toFixed(3), usd(row.redemptionsPaid),
  ].join(','));
  return [head.join(','), ...lines].join('\n') + '\n';
}

export type Summary = {
  steps: number;
  days: number;
  liquidations: number;
  settlements: number;
  absorptions: number;
  recoveries: number;
  /** Highest bad debt at any step, and at the end. */
  peakBadDebt: bigint;
  finalBadDebt: bigint;
  /** Per tranche: loss booked over the window (cumulative loss, end minus start). */
  trancheLoss: bigint[];
  /** Per tranche: share price at the start, lowest, and at the end. */
  startSharePrice: bigint[];
  lowestSharePrice: bigint[];
  endSharePrice: bigint[];
  lowestCoverageBps: bigint;
  turboSteps: number;
  fees: bigint;
  redemptionsQueued: bigint;
  redemptionsPaid: bigint;
  /** Positions still liquidatable after the last step. */
  liquidatableAtEnd: number;
};

export function summarize(rows: readonly StepRow[], start: StepRow['tranches']): Summary {
  const last = rows.at(-1)!;
  const count = last.tranches.length;
  const min = (values: bigint[]) => values.reduce((a, b) => (b < a ? b : a));
  return {
    steps: rows.length,
    days: new Set(rows.map((r) => r.date)).size,
    liquidations: rows.reduce((s, r) => s + r.liquidated, 0),
    settlements: rows.reduce((s, r) => s + r.settled, 0),
    absorptions: rows.reduce((s, r) => s + r.absorbed, 0),
    recoveries: rows.reduce((s, r) => s + r.recovered, 0),
    peakBadDebt: rows.reduce((m, r) => (r.badDebt > m ? r.badDebt : m), 0n),
    finalBadDebt: last.badDebt,
    trancheLoss: Array.from({ length: count }, (_, i) => last.tranches[i]!.cumulativeLoss - start[i]!.cumulativeLoss),
    startSharePrice: start.map((t) => t.sharePrice),
    lowestSharePrice: Array.from({ length: count }, (_, i) => min([start[i]!.sharePrice, ...rows.map((r) => r.tranches[i]!.sharePrice)])),
    endSharePrice: last.tranches.map((t) => t.sharePrice),
    lowestCoverageBps: min(rows.map((r) => r.juniorCoverageBps)),
    turboSteps: rows.filter((r) => r.mode === 'Turbo').length,
    fees: rows.reduce((s, r) => s + r.fees, 0n),
    redemptionsQueued: rows.reduce((s, r) => s + r.redemptionsQueued, 0n),
    redemptionsPaid: rows.reduce((s, r) => s + r.redemptionsPaid, 0n),
    liquidatableAtEnd: last.liquidatableAfter,
  };
}

/** The summary as labelled values, in the order they are printed. */
export function summaryLines(summary: Summary): [string, string][] {
  const count = summary.trancheLoss.length;
  return [
    ['days replayed (steps)', `${summary.days} (${summary.steps})`],
    ['partial liquidations', `${summary.liquidations}`],
    ['insolvent positions settled whole', `${summary.settlements}`],
    ['positions absorbed by the tranches', `${summary.absorptions}`],
    ...(summary.recoveries > 0 ? [['recovery sales', `${summary.recoveries}`] as [string, string]] : []),
    ['bad debt (peak, end)', `${dollars(summary.peakBadDebt)}, ${dollars(summary.finalBadDebt)}`],
    ...summary.trancheLoss.map(
      (loss, i) =>
        [
          `${trancheName(i, count)} booked loss; share price start, lowest, end`,
          `${dollars(loss)}; ${price6(summary.startSharePrice[i]!)}, ${price6(summary.lowestSharePrice[i]!)}, ${price6(summary.endSharePrice[i]!)}`,
        ] as [string, string],
    ),
    ['lowest junior coverage', `${bps(summary.lowestCoverageBps)}%${summary.turboSteps > 0 ? ` (Turbo for ${summary.turboSteps} steps)` : ''}`],
    ['fees distributed', dollars(summary.fees)],
    ['redemptions queued (shares), paid', `${(Number(summary.redemptionsQueued) / 1e9).toFixed(2)}, ${dollars(summary.redemptionsPaid)}`],
    ['liquidatable positions at the end', `${summary.liquidatableAtEnd}`],
  ];
}

export function formatSummary(summary: Summary): string {
  const lines = summaryLines(summary);
  const width = Math.max(...lines.map(([k]) => k.length));
  return lines.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

/** A row per day (at its close), for the terminal. */
export function formatDays(rows: readonly StepRow[]): string {
  const names = Object.keys(rows[0]?.prices ?? {});
  const count = rows[0]?.tranches.length ?? 0;
  const days = new Map<string, StepRow[]>();
  for (const row of rows) days.set(row.date, [...(days.get(row.date) ?? []), row]);
  const head = ['date', ...names.map((n) => `${n} low/close`), 'liq', 'settled', 'absorbed', 'bad debt', ...Array.from({ length: count }, (_, i) => `${trancheName(i, count)} price`), 'coverage', 'mode'];
  const body = [...days.entries()].map(([date, steps]) => {
    const close = steps.at(-1)!;
    return [
      date,
      ...names.map((n) => `${Math.min(...steps.map((s) => s.prices[n]!)).toPrecision(4)}/${close.prices[n]!.toPrecision(4)}`),
      `${steps.reduce((s, r) => s + r.liquidated, 0)}`,
      `${steps.reduce((s, r) => s + r.settled, 0)}`,
      `${steps.reduce((s, r) => s + r.absorbed, 0)}`,
      dollars(close.badDebt),
      ...close.tranches.map((t) => price6(t.sharePrice)),
      `${bps(close.juniorCoverageBps)}%`,
      close.mode,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}
