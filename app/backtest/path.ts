/**
 * The replay's price path: each day of the window as four oracle updates, 6 hours
 * apart, visiting the day's extremes: open, then the adverse extreme (the low), then
 * the high, then the close. A daily bar does not say which extreme came first; a
 * lending pool loses on falls, so visiting the low before the high is the
 * conservative order: positions meet the day's worst price before any rebound, as
 * they would on a day that fell first (open → high → low → close would let them gain
 * value first and liquidate less). Every collateral moves together, so a day's lows
 * coincide: correlated falls are the case a pool must survive.
 *
 * The high step visits the day's high only when the bar leaves room for a rise after
 * the low. A day that opened at its high (FTX's November 9th: $24.16 to $12.51) or
 * closed at its low fell without a rebound to the high; replaying one would invent a
 * swing (on November 9th the junior's share price jumped from 0.83 to 1.5 and back),
 * so that day's high step repeats the close instead.
 */
import type { DailyBar } from './csv.js';

export type StepKind = 'open' | 'low' | 'high' | 'close';
export const STEP_KINDS: readonly StepKind[] = ['open', 'low', 'high', 'close'];
/** Seconds between two updates of a day (four per day). */
export const STEP_SECONDS = 6 * 3_600;

export type PathStep = {
  /** 0, 1, 2, … over the whole window. */
  index: number;
  date: string;
  kind: StepKind;
  /** Price per whole token, dollars, per collateral name. */
  prices: Record<string, number>;
};

/** The window `from`..`to` (inclusive, YYYY-MM-DD; defaults: every date all series
 * share) of the series, as four steps per day. Every series must have every date. */
export function buildPath(series: Record<string, readonly DailyBar[]>, window: { from?: string; to?: string } = {}): PathStep[] {
  const names = Object.keys(series);
  if (names.length === 0) throw new Error('no price series');
  const byDate = Object.fromEntries(names.map((name) => [name, new Map(series[name]!.map((bar) => [bar.date, bar]))]));
  const first = names.map((name) => series[name]![0]!.date).sort().at(-1)!;
  const last = names.map((name) => series[name]!.at(-1)!.date).sort()[0]!;
  const from = window.from ?? first;
  const to = window.to ?? last;
  if (from > to) throw new Error(`--from ${from} is after --to ${to}`);
  const dates = series[names[0]!]!.map((bar) => bar.date).filter((date) => date >= from && date <= to);
  if (dates.length === 0) throw new Error(`no prices between ${from} and ${to}`);
  for (const name of names) {
    if (from < series[name]![0]!.date || to > series[name]!.at(-1)!.date) {
      throw new Error(`${name}'s prices run from ${series[name]![0]!.date} to ${series[name]!.at(-1)!.date}, not ${from} to ${to}`);
    }
    const gap = dates.find((date) => !byDate[name]!.has(date));
    if (gap) throw new Error(`${name} has no price on ${gap}`);
  }
  const steps: PathStep[] = [];
  for (const date of dates) {
    for (const kind of STEP_KINDS) {
      const prices = Object.fromEntries(names.map((name) => [name, stepPrice(byDate[name]!.get(date)!, kind)]));
      steps.push({ index: steps.length, date, kind, prices });
    }
  }
  return steps;
}

/** The price of `bar` at `kind`'s step: the high only if it may have come after the low. */
function stepPrice(bar: DailyBar, kind: StepKind): number {
  if (kind === 'high' && (bar.high === bar.open || bar.low === bar.close)) return bar.close;
  return bar[kind];
}

/** Dollars as a Pyth mantissa at exponent −8. */
export const pythMantissa = (dollars: number): bigint => BigInt(Math.round(dollars * 1e8));
