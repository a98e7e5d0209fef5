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
import { configDir, loadBacktest, parseBacktestConfig } from './config.js';
import { runBacktest } from './run.js';

export const DEFAULT_CONFIG = fileURLToPath(new URL('../../data/backtests/ftx-2022-11.json', import.meta.url));

const number = (value: string) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new InvalidArgumentError(`not a number: ${value}`);
  return parsed;
};
const collect = (value: string, previous: string[] = []) => [...previous, value];

const program = new Command('backtest')
  .description('replay a price history through the program on the embedded local cluster')
  .option('--config <file>', 'backtest config (JSON)', DEFAULT_CONFIG)
  .option('--prices <name=file>', 'price file (CSV: Date,Open,High,Low,Close) for a collateral; repeat per collateral', collect)
  .option('--from <date>', 'first day (YYYY-MM-DD)')
  .option('--to <date>', 'last day (YYYY-MM-DD)')
  .option('--pool-config <file>', 'pool deploy config (as migrations/localnet.json)')
  .option('--positions <n>', 'positions in the book', number)
  .option('--leverage <min-max>', 'notes minted as a share of the borrowing limit, e.g. 0.2-0.98')
  .option('--seed <n>', 'seed of the book', number)
  .option('--keeper-notes <usd>', "the keeper's note inventory in dollars (0: only absorption)", number)
  .option('--recover', "the keeper buys the tranches' absorbed collateral with spare notes")
  .option('--redeem-on-drop <pct>', 'holders redeem after this share-price fall, percent (0: never)', number)
  .option('--no-distribute', 'no daily distribution of fees')
  .option('--out <dir>', 'where to write rows.csv, rows.json, summary.txt, report.html', 'backtest-out');

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
  if (options.redeemOnDrop !== undefined) overrides.holders = { ...((json.holders as object) ?? {}), redeemOnDropPct: options.redeemOnDrop };
  if (options.distribute === false) overrides.distributeDaily = false;
  return { config: parseBacktestConfig({ ...json, ...overrides }), dir: configDir(path) };
}

async function main() {
  program.parse();
  const options = program.opts();
  const { config, dir } = configFrom(options);
  const loaded = loadBacktest(config, dir);
  console.log('starting the embedded local cluster');
  const cluster = await startCluster({ buildProgress: true });
  try {
    const result = await runBacktest(cluster, loaded, String(options.out), (line) => console.log(line));
    console.log(`\n${readFileSync(result.files.summary, 'utf8')}`);
    console.log(`report: ${result.files.html}\nrows: ${result.files.csv}, ${result.files.json}`);
  } finally {
    await cluster.stop();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) runMain(main);
