/**
 * What a backtest replays and against whom: the pool (a deploy config, as
 * `migrations/localnet.json`), a price file per collateral and the window, the book
 * (size, deposit sizes, leverage, seed), the tranches' capital, the keeper's note
 * inventory, and the tranche holders' behaviour. Defaults are the main job's.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import { z } from 'zod';

import { parseDeployConfig, type DeployConfig } from '../admin/deploy.js';
import { readPriceCsv, type DailyBar } from './csv.js';

const dollars = z.number().nonnegative();

export const BacktestConfigSchema = z
  .object({
    /** The pool: a deploy config file (relative to this config's directory). */
    poolConfig: z.string().default('../migrations/localnet.json'),
    /** Price file per collateral name of the pool (CSV: Date,Open,High,Low,Close). */
    prices: z.record(z.string(), z.string()),
    /** First and last day replayed (inclusive, YYYY-MM-DD). */
    from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    book: z
      .object({
        positions: z.number().int().min(1).max(2_000).default(300),
        /** Deposit per position, dollars at the first price, drawn uniformly. */
        minDepositUsd: dollars.default(150),
        maxDepositUsd: dollars.default(6_000),
        /** Notes minted, as a share of the position's borrowing limit, drawn uniformly. */
        minLeverage: z.number().min(0).max(1).default(0.2),
        maxLeverage: z.number().min(0).max(1).default(0.98),
        /** Shares of positions holding only the first collateral, only the second
         * (the rest hold both, half and half by value). */
        firstOnly: z.number().min(0).max(1).default(0.7),
        secondOnly: z.number().min(0).max(1).default(0.15),
        seed: z.number().int().default(2026),
      })
      .default({ positions: 300, minDepositUsd: 150, maxDepositUsd: 6_000, minLeverage: 0.2, maxLeverage: 0.98, firstOnly: 0.7, secondOnly: 0.15, seed: 2026 }),
    /** Notes deposited into each tranche at the start, dollars, senior first. */
    tranches: z.array(dollars).default([140_000, 60_000]),
    keeper: z
      .object({
        /** Notes the keeper starts with (0: markets seized; only absorption). */
        notesUsd: dollars.default(60_000),
        /** Buy the tranches' absorbed collateral with spare notes (`--recover`). */
        recover: z.boolean().default(false),
        minProfitUsd: dollars.default(0),
        /** Longest run of keeper rounds at one price step. */
        maxRounds: z.number().int().min(1).max(200).default(40),
      })
      .default({ notesUsd: 60_000, recover: false, minProfitUsd: 0, maxRounds: 40 }),
    holders: z
      .object({
        /** A tranche holder requests redemption of all its shares once the share
         * price is this many percent below its entry price (0: holders never leave). */
        redeemOnDropPct: z.number().min(0).max(100).default(5),
      })
      .default({ redeemOnDropPct: 5 }),
    /** Run `distribute` (and the coverage test) at every day's close. */
    distributeDaily: z.boolean().default(true),
  })
  .strict();

export type BacktestConfig = z.infer<typeof BacktestConfigSchema>;

export type LoadedBacktest = {
  config: BacktestConfig;
  pool: DeployConfig;
  series: Record<string, DailyBar[]>;
};

export function parseBacktestConfig(json: unknown): BacktestConfig {
  const parsed = BacktestConfigSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`invalid backtest config:\n  ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('\n  ')}`);
  }
  return parsed.data;
}

/** Reads the pool config and the price files, paths relative to `baseDir`; checks that
 * every collateral has prices and the tranches match the pool's. */
export function loadBacktest(config: BacktestConfig, baseDir: string): LoadedBacktest {
  const poolPath = resolve(baseDir, config.poolConfig);
  const pool = parseDeployConfig(JSON.parse(readFileSync(poolPath, 'utf8')));
  const names = pool.collaterals.map((c) => c.name);
  const missing = names.filter((name) => !(name in config.prices));
  if (missing.length > 0) throw new Error(`no price file for ${missing.join(', ')} (the pool of ${poolPath} lists ${names.join(', ')})`);
  const unknown = Object.keys(config.prices).filter((name) => !names.includes(name));
  if (unknown.length > 0) throw new Error(`prices for ${unknown.join(', ')}, which the pool does not list (${names.join(', ')})`);
  if (config.tranches.length !== pool.tranches.length) {
    throw new Error(`${config.tranches.length} tranche deposits for a pool of ${pool.tranches.length} tranches`);
  }
  const series = Object.fromEntries(
    names.map((name) => {
      const file = resolve(baseDir, config.prices[name]!);
      return [name, readPriceCsv(readFileSync(file, 'utf8'), file)];
    }),
  );
  return { config, pool, series };
}

/** The directory a config file's relative paths start from. */
export const configDir = (path: string) => dirname(resolve(path));
