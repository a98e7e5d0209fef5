/**
 * `npm run backtest`: replays a price history through the oracle on the embedded local
 * cluster (see run.ts), or with `--sweep` runs the off-chain model over a parameter grid
 * (see sweep.ts). Options override the config file's values.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Command, InvalidArgumentError } from 'commander';

import { startCluster } from '../sim/cluster.js';
import { runMain } from '../sim/run-main.js';
import { configDir, loadBacktest, parseBacktestConfig, type LoadedBacktest } from './config.js';
import { buildPath } from './path.js';
import { agreement, formatAgreement, modelFromScene, type ModelRun } from './compare.js';
import { REPLAY_SLOT_MS, runBacktest } from './run.js';
import {
  bestPoints,
  configuredPoint,
  DEFAULT_GRID,
  formatPoint,
  formatSideBySide,
  formatSweep,
  modelSummary,
  parsePercentList,
  pointProblem,
  pointAt,
  runSweep,
  type SweepGrid,
  type SweepPoint,
} from './sweep.js';

export const DEFAULT_CONFIG = fileURLToPath(new URL('../../data/backtests/ftx-2022-11.json', import.meta.url));

const number = (value: string) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new InvalidArgumentError(`not a number: ${value}`);
  return parsed;
};
const collect = (value: string, previous: string[] = []) => [...previous, value];

const program = new Command('backtest')
  .description('replay a price history through the program on the embedded local cluster, or (--sweep) on the off-chain model over a parameter grid')
  .option('--config <file>', 'backtest config (JSON)', DEFAULT_CONFIG)
  .option('--prices <name=file>', 'price file (CSV: Date,Open,High,Low,Close) for a collateral; repeat per collateral', collect)
  .option('--from <date>', 'first day (YYYY-MM-DD)')
  .option('--to <date>', 'last day (YYYY-MM-DD)')
  .option('--pool-config <file>', 'pool deploy config (as migrations/localnet.json)')
  .option('--positions <n>', 'positions in the book', number)
  .option('--leverage <min-max>', 'notes minted as a share of the borrowing limit, e.g. 0.2-0.98')
  .option('--seed <n>', 'seed of the book', number)
  .option('--keeper-notes <usd>', "the keeper's note inventory in dollars (0: only absorption)", number)
  .option('--tranches <usd,...>', 'notes deposited into each tranche at the start, dollars, senior first (e.g. 140000,60000)')
  .option('--recover', "the keeper buys the tranches' absorbed collateral with spare notes")
  .option('--redeem-on-drop <pct>', 'holders redeem after this share-price fall, percent (0: never)', number)
  .option('--no-distribute', 'no daily distribution of fees')
  .option('--out <dir>', 'where to write rows.csv, rows.json, summary.txt, report.html', 'backtest-out')
  .option('--sweep', "run the off-chain model over a grid: a collateral's LTV x its liquidation threshold x the junior's share of the tranches' capital; prints bad debt and each tranche's loss per point")
  .option('--sweep-collateral <name>', 'sweep: the collateral whose LTV and threshold vary (default: the first)')
  .option('--ltv <pcts>', 'sweep: LTV values, percent, comma-separated (default 40,50,60)')
  .option('--threshold <pcts>', 'sweep: liquidation thresholds, percent (default 65,75,85)')
  .option('--junior <pcts>', "sweep: the junior tranche's share of the tranches' capital (same total), percent (default 10,20,30); a senior's minimum subordination above it is lowered to it")
  .option('--replay-best', "sweep, then replay the best point (the first marked 'best': safe, then the highest LTV, the smallest junior share-price fall, the fewest positions touched) on the cluster and on the model from the chain's accounts; prints them side by side with the agreement verdict, exits 1 when they disagree")
  .option('--replay-point <ltv,threshold,junior>', 'sweep, then replay this point (percent, e.g. 60,75,30) as --replay-best does');

/** The config file with the options' overrides; paths from options are relative to
 * the current directory. */
export function configFrom(options: Record<string, unknown>) {
  const path = resolve(String(options.config));
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const overrides: Record<string, unknown> = {};
  if (options.prices) {
    const prices = { ...(json.prices as Record<string, string>) };
    for (const pair of options.prices as string[]) {
      const [name, file] = pair.split('=');
      if (!name || !file) throw new InvalidArgumentError(`--prices: expected NAME=FILE, got ${pair}`);
      prices[name] = resolve(file);
    }
    overrides.prices = prices;
  }
  if (options.from) overrides.from = options.from;
  if (options.to) overrides.to = options.to;
  if (options.poolConfig) overrides.poolConfig = resolve(String(options.poolConfig));
  const book = { ...((json.book as object) ?? {}) } as Record<string, unknown>;
  if (options.positions !== undefined) book.positions = options.positions;
  if (options.seed !== undefined) book.seed = options.seed;
  if (options.leverage) {
    const [min, max] = String(options.leverage).split('-').map(Number);
    if (min === undefined || max === undefined || !(min <= max)) throw new InvalidArgumentError(`--leverage: expected MIN-MAX, got ${options.leverage}`);
    Object.assign(book, { minLeverage: min, maxLeverage: max });
  }
  overrides.book = book;
  const keeper = { ...((json.keeper as object) ?? {}) } as Record<string, unknown>;
  if (options.keeperNotes !== undefined) keeper.notesUsd = options.keeperNotes;
  if (options.recover) keeper.recover = true;
  overrides.keeper = keeper;
  if (options.tranches !== undefined) {
    const amounts = String(options.tranches).split(',').map((part) => Number(part.trim()));
    if (amounts.some((usd) => !Number.isFinite(usd) || usd < 0)) throw new InvalidArgumentError(`--tranches: expected dollar amounts separated by commas, senior first; got ${options.tranches}`);
    overrides.tranches = amounts;
  }
  if (options.redeemOnDrop !== undefined) overrides.holders = { ...((json.holders as object) ?? {}), redeemOnDropPct: options.redeemOnDrop };
  if (options.distribute === false) overrides.distributeDaily = false;
  return { config: parseBacktestConfig({ ...json, ...overrides }), dir: configDir(path) };
}

/** The sweep's grid: the options' lists, the defaults for the others. */
export function sweepGrid(options: Record<string, unknown>, loaded: LoadedBacktest): SweepGrid {
  const names = loaded.pool.collaterals.map((c) => c.name);
  const collateral = options.sweepCollateral === undefined ? 0 : names.indexOf(String(options.sweepCollateral));
  if (collateral < 0) throw new InvalidArgumentError(`--sweep-collateral: the pool has no collateral ${options.sweepCollateral} (it has ${names.join(', ')})`);
  const list = (name: string, flag: string, fallback: number[]) => (options[name] === undefined ? fallback : parsePercentList(String(options[name]), flag));
  return {
    collateral,
    ltvBps: list('ltv', '--ltv', DEFAULT_GRID.ltvBps),
    thresholdBps: list('threshold', '--threshold', DEFAULT_GRID.thresholdBps),
    juniorBps: list('junior', '--junior', DEFAULT_GRID.juniorBps),
  };
}

/** `--replay-point 50,75,20` as a point. */
export function parsePoint(text: string): SweepPoint {
  const values = text.split(',').map((part) => part.trim());
  if (values.length !== 3) throw new InvalidArgumentError(`--replay-point: expected LTV,THRESHOLD,JUNIOR in percent, got ${text}`);
  const [ltvBps, thresholdBps, juniorBps] = values.map((value) => parsePercentList(value, '--replay-point')[0]!) as [number, number, number];
  return { ltvBps, thresholdBps, juniorBps };
}

async function sweep(loaded: LoadedBacktest, options: Record<string, unknown>) {
  const grid = sweepGrid(options, loaded);
  const steps = buildPath(loaded.series, { from: loaded.config.from, to: loaded.config.to });
  const count = grid.ltvBps.length * grid.thresholdBps.length * grid.juniorBps.length;
  console.log(`sweep on the model: ${steps.length / 4} days (${steps[0]!.date} to ${steps.at(-1)!.date}), ${count} points, LTV and threshold of ${loaded.pool.collaterals[grid.collateral]!.name}, configured ${formatPoint(configuredPoint(loaded, grid.collateral))}`);
  const started = Date.now();
  const results = runSweep(loaded, grid);
  const best = bestPoints(results);
  console.log(`${((Date.now() - started) / 1_000).toFixed(1)} s\n`);
  console.log(formatSweep(results, best, loaded.pool.tranches.length));
  console.log(
    best.length > 0
      ? `\nbest (safe; then the highest LTV, the smallest junior share-price fall, the fewest positions touched): ${best.map((i) => formatPoint(results[i]!.point)).join('; ')}`
      : '\nno point of the grid is safe (no bad debt, no senior loss booked or marked)',
  );
  const replay = options.replayPoint !== undefined ? parsePoint(String(options.replayPoint)) : options.replayBest ? results[best[0] ?? -1]?.point : undefined;
  if (options.replayBest && !replay) throw new InvalidArgumentError('--replay-best: no point of the grid is safe; name one with --replay-point');
  if (!replay) return;
  const problem = pointProblem(loaded, replay, grid.collateral);
  if (problem) throw new InvalidArgumentError(`--replay-point: the program refuses ${formatPoint(replay)}: ${problem}`);
  const at = pointAt(loaded, replay, grid.collateral);
  const swept = modelSummary(at, steps);
  if ('refused' in swept) throw new InvalidArgumentError(`${formatPoint(replay)}: the set-up is refused (${swept.refused})`);
  console.log(`\nreplaying ${formatPoint(replay)} on the embedded local cluster, and on the model from the chain's accounts`);
  const cluster = await startCluster({ buildProgress: true, slotMs: REPLAY_SLOT_MS });
  try {
    let model: ModelRun | undefined;
    const chain = await runBacktest(cluster, at, String(options.out), (line) => console.log(line), {
      beforeReplay: async (scene, path) => {
        model = await modelFromScene(scene, at, path);
        return model.t0;
      },
      inOrder: true,
    });
    const verdict = agreement(model!, chain.rows, at);
    console.log(`\n${formatSideBySide([swept, model!.summary, chain.summary], ['sweep (model, own set-up)', "model (chain's accounts)", 'chain'])}`);
    console.log(`\n${formatAgreement(verdict)}`);
    console.log("(the sweep's column starts from the model's own set-up: the keeper takes positions in another order, by label, not by address)");
    console.log(`\nreport of the chain's replay: ${chain.files.html}`);
    // A disagreement is a bug in the model or the program: exit 1 (runMain).
    if (!verdict.agree) throw new Error('the model and the chain disagree: see the differences above');
  } finally {
    await cluster.stop();
  }
}

async function main() {
  program.parse();
  const options = program.opts();
  const { config, dir } = configFrom(options);
  const loaded = loadBacktest(config, dir);
  if (options.sweep || options.replayBest || options.replayPoint !== undefined) return sweep(loaded, options);
  console.log('starting the embedded local cluster');
  const cluster = await startCluster({ buildProgress: true, slotMs: REPLAY_SLOT_MS });
  try {
    const result = await runBacktest(cluster, loaded, String(options.out), (line) => console.log(line));
    console.log(`\n${readFileSync(result.files.summary, 'utf8')}`);
    console.log(`report: ${result.files.html}\nrows: ${result.files.csv}, ${result.files.json}`);
  } finally {
    await cluster.stop();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) runMain(main);
