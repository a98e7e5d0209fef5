// Loads the vectors the Rust side writes (`cargo run -p strata-sim --bin
// write-vectors`) and compares the mirrored functions' outputs and errors with them.
// STRATA_VECTORS=<file> runs the tests over another file, e.g. the full seeded set
// (`write-vectors -- --share 1`, about 15 MB) of which the committed one is a sample.
import { readFileSync } from 'node:fs';

import { expect } from 'vitest';

import {
  isCoreError,
  type CachedPrice,
  type CollateralView,
  type DebtState,
  type Health,
  type PriceLimits,
  type TrancheState,
} from '../src/index.js';

type Json = string | boolean | null | Json[] | { [key: string]: Json };
export type Case = { [key: string]: Json } & { out?: Json; error?: string };

export const vectors = JSON.parse(
  readFileSync(process.env.STRATA_VECTORS ?? new URL('./vectors/core.json', import.meta.url), 'utf8'),
) as Record<string, Json> & Record<string, unknown>;

export function section(name: string): Case[] {
  const cases = vectors[name];
  if (!Array.isArray(cases) || cases.length === 0) throw new Error(`no vectors for ${name}`);
  return cases as Case[];
}

/** A JSON object field of a case, typed loosely for the tests. */
export const obj = (value: Json | undefined): Record<string, Json> => value as Record<string, Json>;
export const big = (value: Json | undefined): bigint => BigInt(value as string);
export const str = (value: Json | undefined): string => value as string;

/** bigint → decimal string, recursively: the vectors' representation. */
export function normalize(value: unknown): Json {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return value.toString();
  if (typeof value === 'boolean' || typeof value === 'string' || value === null) return value;
  if (Array.isArray(value)) return value.map(normalize);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (typeof value === 'object' && value !== undefined) {
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, normalize(v)]));
  }
  throw new Error(`cannot normalize ${String(value)}`);
}

/** JSON with object keys sorted, so that comparisons ignore key order. */
export function canonical(value: Json | undefined): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What one case produced: `{ out }` or `{ error: <CoreError name> }`. */
export function run(fn: () => unknown): Json {
  try {
    return { out: normalize(fn()) };
  } catch (error) {
    if (isCoreError(error)) return { error: error.code };
    throw error;
  }
}

/** The error names a section's cases expect. */
export function errorNames(name: string): string[] {
  return [...new Set(section(name).flatMap((c) => (c.error === undefined ? [] : [c.error])))].sort();
}

/** The outputs of a section's successful cases. */
export function outputs(name: string): Json[] {
  return section(name).flatMap((c) => (c.out === undefined ? [] : [c.out]));
}

/** Runs every case of a section and compares output or error name, reporting the
 * first mismatches with their inputs. Returns the number of cases checked. */
export function checkSection(name: string, fn: (c: Case) => unknown): number {
  const cases = section(name);
  const mismatches: unknown[] = [];
  for (const c of cases) {
    const got = run(() => fn(c));
    const want: Json = c.error !== undefined ? { error: c.error } : { out: c.out ?? null };
    if (canonical(got) !== canonical(want)) mismatches.push({ case: c, got });
  }
  expect(mismatches.slice(0, 3), `${mismatches.length} of ${cases.length} ${name} cases differ`).toEqual([]);
  return cases.length;
}

export const hexBytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));

export function cached(value: unknown): CachedPrice {
  const p = obj(value as Json);
  return { priceWad: big(p.priceWad), emaPriceWad: big(p.emaPriceWad), confWad: big(p.confWad), publishTime: big(p.publishTime) };
}

export function limits(value: unknown): PriceLimits {
  const l = obj(value as Json);
  return { maxAgeSecs: big(l.maxAgeSecs), maxConfBps: big(l.maxConfBps), maxEmaDeviationBps: big(l.maxEmaDeviationBps) };
}


export function view(value: unknown): CollateralView {
  const v = obj(value as Json);
  return {
    amount: big(v.amount),
    price: cached(v.price),
    limits: limits(v.limits),
    ltvBps: big(v.ltvBps),
    liquidationThresholdBps: big(v.liquidationThresholdBps),
    liquidationBonusMinBps: big(v.liquidationBonusMinBps),
    liquidationBonusMaxBps: big(v.liquidationBonusMaxBps),
  };
}

export const views = (value: unknown): CollateralView[] => (value as Json[]).map(view);

export function debtState(value: unknown): DebtState {
  const d = obj(value as Json);
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

export function health(value: unknown): Health {
  const h = obj(value as Json);
  return { weightedCollateral: big(h.weightedCollateral), debt: big(h.debt) };
}

export const bigs = (value: unknown): bigint[] => (value as Json[]).map(big);

export function tranche(value: unknown): TrancheState {
  const t = obj(value as Json);
  return {
    assets: big(t.assets),
    totalShares: big(t.totalShares),
    targetAprBps: big(t.targetAprBps),
    minSubordinationBps: big(t.minSubordinationBps),
    lastSettledTs: big(t.lastSettledTs),
    yieldOwedWad: big(t.yieldOwedWad),
    escrowedShares: big(t.escrowedShares),
    lossOutstanding: big(t.lossOutstanding),
    cumulativeYield: big(t.cumulativeYield),
    cumulativeLoss: big(t.cumulativeLoss),
    collateralHeld: bigs(t.collateralHeld),
  };
}

export const tranches = (value: unknown): TrancheState[] => (value as Json[]).map(tranche);
