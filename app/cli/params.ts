/**
 * Parameter sets from flags and JSON files, validated with zod before anything is
 * built: every field's type and range, and the program's own bounds
 * (`programs/strata/src/constants.rs`, `state/params.rs`), so that bad input gets a
 * message naming the flag instead of an `Invalid…Params` from the chain. Values
 * merge in order: the current on-chain values (updates), the file, the flags.
 */
import { readFileSync } from 'node:fs';

import { z } from 'zod';

import { InputError } from '../admin/chain.js';

type Kind = 'u16' | 'u32' | 'u64';
type Field = { kind: Kind; help: string };

const POOL_FIELDS = {
  stabilityFeeBps: { kind: 'u16', help: 'stability fee, APR in bps (≤ 5000)' },
  debtCeiling: { kind: 'u64', help: 'most notes all positions may owe together, native units' },
  minDebt: { kind: 'u64', help: 'smallest non-zero debt of a position, native units' },
  closeFactorBps: { kind: 'u16', help: 'share of the debt one liquidation may repay, bps (1–10000)' },
  keeperTipBps: { kind: 'u16', help: "keeper's share of absorbed collateral, bps (≤ 1000)" },
  protocolFeeBps: { kind: 'u16', help: "treasury's share of distributed fees, bps (≤ 5000)" },
  coverageFloorBps: { kind: 'u16', help: 'coverage test floor, junior / all tranche NAV, bps (≤ 9000)' },
  redemptionDelaySecs: {
    kind: 'u32',
    help: 'seconds from a redemption request to its claim (≥ every collateral max age + 60, ≤ 30 days)',
  },
} as const satisfies Record<string, Field>;

const COLLATERAL_FIELDS = {
  ltvBps: { kind: 'u16', help: 'max debt per unit of value for minting, bps (< threshold)' },
  liquidationThresholdBps: { kind: 'u16', help: 'liquidation threshold, bps (≤ 9800)' },
  liquidationBonusMinBps: { kind: 'u16', help: 'liquidation bonus just below health 1, bps' },
  liquidationBonusMaxBps: { kind: 'u16', help: 'largest liquidation bonus, bps (≤ 2500)' },
  depositCap: { kind: 'u64', help: 'most native units the pool may hold' },
  maxAgeSecs: { kind: 'u32', help: 'oldest usable oracle update, seconds (1–86400)' },
  maxConfBps: { kind: 'u16', help: 'widest confidence for minting/withdrawing, bps (1–5000)' },
  maxEmaDeviationBps: { kind: 'u16', help: 'largest spot/EMA gap for minting/withdrawing, bps (1–5000)' },
} as const satisfies Record<string, Field>;

const TRANCHE_FIELDS = {
  targetAprBps: { kind: 'u16', help: 'target yield, APR in bps (≤ 5000; ignored for the junior)' },
  minSubordinationBps: { kind: 'u16', help: 'NAV share that must sit below, bps (≤ 9500)' },
} as const satisfies Record<string, Field>;

export type Fields = Record<string, Field>;
export type Values<F extends Fields> = { [K in keyof F]: F[K]['kind'] extends 'u64' ? bigint : number };

/** `stabilityFeeBps` → `stability-fee-bps`. */
const flagName = (field: string) => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const MAX: Record<Kind, bigint> = { u16: 0xffffn, u32: 0xffff_ffffn, u64: 0xffff_ffff_ffff_ffffn };

/** A whole number of `kind` from a JSON number or a decimal string (`_` allowed). */
export function integer<K extends Kind>(kind: K) {
  return z.union([z.number(), z.string(), z.bigint()]).transform((value, ctx) => {
    const text = typeof value === 'string' ? value.replace(/_/g, '') : String(value);
    if (!/^\d+$/.test(text)) {
      ctx.addIssue({ code: 'custom', message: `expected a whole number ≥ 0, got '${String(value)}'` });
      return z.NEVER;
    }
    const n = BigInt(text);
    if (n > MAX[kind]) {
      ctx.addIssue({ code: 'custom', message: `must be at most ${MAX[kind]} (${kind}), got ${text}` });
      return z.NEVER;
    }
    return (kind === 'u64' ? n : Number(n)) as K extends 'u64' ? bigint : number;
  });
}

function objectOf<F extends Fields>(fields: F) {
  return z.object(Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, integer(field.kind)]))).strict();
}

const bounds = (limit: number, message: string) => (value: number) => value <= limit || message;

/** The program's bounds, as (check, message) pairs over the merged values. */
const CHECKS: Record<'pool' | 'collateral' | 'tranche', ((v: Record<string, number | bigint>) => true | string)[]> = {
  pool: [
    (v) => bounds(5_000, 'stabilityFeeBps: at most 5000 (50% APR)')(v.stabilityFeeBps as number),
    (v) => (v.minDebt as bigint) <= (v.debtCeiling as bigint) || 'minDebt: must not exceed debtCeiling',
    (v) => ((v.closeFactorBps as number) >= 1 && (v.closeFactorBps as number) <= 10_000) || 'closeFactorBps: 1 to 10000',
    (v) => bounds(1_000, 'keeperTipBps: at most 1000')(v.keeperTipBps as number),
    (v) => bounds(5_000, 'protocolFeeBps: at most 5000')(v.protocolFeeBps as number),
    (v) => bounds(9_000, 'coverageFloorBps: at most 9000')(v.coverageFloorBps as number),
    (v) => bounds(30 * 86_400, 'redemptionDelaySecs: at most 2592000 (30 days)')(v.redemptionDelaySecs as number),
  ],
  collateral: [
    (v) => (v.ltvBps as number) > 0 || 'ltvBps: must be above 0',
    (v) => (v.ltvBps as number) < (v.liquidationThresholdBps as number) || 'ltvBps: must be below liquidationThresholdBps',
    (v) => bounds(9_800, 'liquidationThresholdBps: at most 9800')(v.liquidationThresholdBps as number),
    (v) => (v.liquidationBonusMinBps as number) <= (v.liquidationBonusMaxBps as number) || 'liquidationBonusMinBps: must not exceed liquidationBonusMaxBps',
    (v) => bounds(2_500, 'liquidationBonusMaxBps: at most 2500')(v.liquidationBonusMaxBps as number),
    (v) =>
      (v.liquidationThresholdBps as number) * (10_000 + (v.liquidationBonusMaxBps as number)) <= 100_000_000 ||
      'liquidationThresholdBps × (1 + liquidationBonusMaxBps) must not exceed 1',
    (v) => ((v.maxAgeSecs as number) >= 1 && (v.maxAgeSecs as number) <= 86_400) || 'maxAgeSecs: 1 to 86400',
    (v) => ((v.maxConfBps as number) >= 1 && (v.maxConfBps as number) <= 5_000) || 'maxConfBps: 1 to 5000',
    (v) => ((v.maxEmaDeviationBps as number) >= 1 && (v.maxEmaDeviationBps as number) <= 5_000) || 'maxEmaDeviationBps: 1 to 5000',
  ],
  tranche: [
    (v) => bounds(5_000, 'targetAprBps: at most 5000')(v.targetAprBps as number),
    (v) => bounds(9_500, 'minSubordinationBps: at most 9500')(v.minSubordinationBps as number),
  ],
};

const FIELD_SETS = { pool: POOL_FIELDS, collateral: COLLATERAL_FIELDS, tranche: TRANCHE_FIELDS } as const;
export type ParamSet = keyof typeof FIELD_SETS;

/** Reads a JSON object from `path`, or an InputError. */
export function readJsonFile(path: string, what = '--file'): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new InputError(`${what} ${path}: ${reason}`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new InputError(`${what} ${path}: expected a JSON object`);
  return json as Record<string, unknown>;
}

/**
 * A JSON file's parameter fields and other keys: the fields may sit at the top level
 * or under `params` (the deploy config's sections have that shape); `extraKeys` are
 * the other keys the command accepts (e.g. `id`, `permissioned`).
 */
export function splitFile(file: Record<string, unknown>, set: ParamSet, extraKeys: readonly string[]): { params: Record<string, unknown>; extras: Record<string, unknown> } {
  const fields = FIELD_SETS[set];
  const params: Record<string, unknown> = {};
  const extras: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(file)) {
    if (key === 'params' && value && typeof value === 'object' && !Array.isArray(value)) Object.assign(params, value);
    else if (key in fields) params[key] = value;
    else if (extraKeys.includes(key)) extras[key] = value;
    else unknown.push(key);
  }
  if (unknown.length) throw new InputError(`--file: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}`);
  return { params, extras };
}

/**
 * The full parameter set from `base` (current values, for updates), then `file`,
 * then `flags` (commander's camelCase option values), validated; an InputError lists
 * every problem by flag name.
 */
export function mergeParams<S extends ParamSet>(
  set: S,
  layers: { base?: Record<string, unknown>; file?: Record<string, unknown>; flags: Record<string, unknown> },
): Values<(typeof FIELD_SETS)[S]> {
  const fields = FIELD_SETS[set];
  const merged: Record<string, unknown> = {};
  for (const name of Object.keys(fields)) {
    const value = layers.flags[name] ?? layers.file?.[name] ?? layers.base?.[name];
    if (value !== undefined) merged[name] = value;
  }
  const problems: string[] = [];
  const missing = Object.keys(fields).filter((name) => merged[name] === undefined);
  for (const name of missing) problems.push(`--${flagName(name)}: missing (or '${name}' in --file)`);
  const parsed = objectOf(fields).partial().safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? '');
      problems.push(`--${flagName(name)}: ${issue.message}`);
    }
  }
  if (!problems.length && parsed.success) {
    for (const check of CHECKS[set]) {
      const result = check(parsed.data as Record<string, number | bigint>);
      if (result !== true) problems.push(result.replace(/^(\w+):/, (_, name: string) => `--${flagName(name)}:`));
    }
  }
  if (problems.length) throw new InputError(`invalid ${set} parameters:\n  ${problems.join('\n  ')}`);
  return parsed.data as Values<(typeof FIELD_SETS)[S]>;
}

/** The fields whose values differ, as `name: old → new` lines. */
export function changes(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys(after)
    .filter((key) => String(before[key]) !== String(after[key]))
    .map((key) => `${key}: ${String(before[key])} → ${String(after[key])}`);
}

/** The on-chain values of a parameter set, picked from an account. */
export function pick<S extends ParamSet>(set: S, source: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(FIELD_SETS[set]).map((key) => [key, source[key]]));
}

/** Commander options for every field of a set: `[flag, help]`. */
export function fieldOptions(set: ParamSet): [string, string][] {
  return Object.entries(FIELD_SETS[set]).map(([name, field]) => [`--${flagName(name)} <${field.kind === 'u64' ? 'amount' : 'n'}>`, field.help]);
}
