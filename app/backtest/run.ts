/**
 * One backtest from a loaded config: the path, the scene, the replay, and the report
 * written to `outDir` (rows.csv, rows.json, summary.txt, report.html). The CLI and the
 * main job both run this.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { Cluster } from '../sim/cluster.js';
import { snapshot } from '../sim/snapshot.js';
import type { LoadedBacktest } from './config.js';
import { reportHtml } from './html.js';
import { buildPath, type PathStep } from './path.js';
import { replayOnChain } from './replay.js';
import { formatDays, formatSummary, rowsCsv, rowsJson, summarize, type Summary } from './report.js';
import { trancheRows, type StepRow } from './rows.js';

/** The replay's cluster closes a slot every 100 ms instead of a validator's 400: the
 * replay sets the clock itself (six hours a step), so slots only pace confirmations,
 * each of which waits for its slot to close; the keeper still liquidates a position
 * at most once per slot. */
export const REPLAY_SLOT_MS = 100;
import { setUpScene, type Scene } from './setup.js';

export type BacktestResult = { steps: PathStep[]; rows: StepRow[]; summary: Summary; scene: Scene; files: { csv: string; json: string; html: string; summary: string } };

/** Parameters as the report prints them. */
export function describe(loaded: LoadedBacktest): Record<string, string> {
  const { config, pool } = loaded;
  const book = config.book;
  return {
    window: `${config.from ?? 'start'} to ${config.to ?? 'end'}`,
    prices: Object.entries(config.prices).map(([n, f]) => `${n}: ${f}`).join('; '),
    collaterals: pool.collaterals.map((c) => `${c.name} ltv ${c.params.ltvBps / 100}%, threshold ${c.params.liquidationThresholdBps / 100}%, bonus ${c.params.liquidationBonusMinBps / 100}-${c.params.liquidationBonusMaxBps / 100}%`).join('; '),
    pool: `stability fee ${pool.pool.params.stabilityFeeBps / 100}%, close factor ${pool.pool.params.closeFactorBps / 100}%, coverage floor ${pool.pool.params.coverageFloorBps / 100}%, redemption delay ${pool.pool.params.redemptionDelaySecs} s`,
    tranches: pool.tranches.map((t, i) => `$${config.tranches[i]!.toLocaleString('en-US')} (target ${t.targetAprBps / 100}%, min subordination ${t.minSubordinationBps / 100}%)`).join('; '),
    book: `${book.positions} positions, $${book.minDepositUsd}-$${book.maxDepositUsd} each, ${book.minLeverage * 100}-${book.maxLeverage * 100}% of the borrowing limit, seed ${book.seed}`,
    keeper: `$${config.keeper.notesUsd.toLocaleString('en-US')} of notes${config.keeper.recover ? ', recovery sales' : ''}`,
    holders: config.holders.redeemOnDropPct > 0 ? `redeem after a ${config.holders.redeemOnDropPct}% share-price fall` : 'never redeem',
  };
}

export type RunOptions = {
  /** Called once the scene is set up, before the replay: the replay's first step is at
   * the time it returns (the sweep runs the model here, from the same accounts). */
  beforeReplay?: (scene: Scene, steps: PathStep[]) => Promise<bigint>;
  /** The keeper sends one action at a time (replay.ts), as the model applies them. */
  inOrder?: boolean;
};

export async function runBacktest(
  cluster: Cluster,
  loaded: LoadedBacktest,
  outDir: string,
  log: (line: string) => void = () => {},
  options: RunOptions = {},
): Promise<BacktestResult> {
  const { config } = loaded;
  const steps = buildPath(loaded.series, { from: config.from, to: config.to });
  log(`${steps.length / 4} days, ${steps.length} price steps from ${steps[0]!.date} to ${steps.at(-1)!.date}`);
  const scene = await setUpScene(cluster, config, loaded.pool, steps[0]!);
  log(`pool ${scene.state.pool}: ${scene.book.length} positions opened, keeper ${scene.keeper.signer.address}`);
  const start = trancheRows((await snapshot(cluster, scene.state)).tranches);
  const t0 = await options.beforeReplay?.(scene, steps);
  const rows = await replayOnChain(scene, config, steps, {
    t0,
    inOrder: options.inOrder,
    onRow: (row) => {
      if (row.kind === 'close') log(`${row.date}: ${Object.entries(row.prices).map(([n, p]) => `${n} $${p.toPrecision(4)}`).join(', ')}`);
    },
  });
  const summary = summarize(rows, start);
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const files = { csv: join(dir, 'rows.csv'), json: join(dir, 'rows.json'), html: join(dir, 'report.html'), summary: join(dir, 'summary.txt') };
  const text = `${formatDays(rows)}\n\n${formatSummary(summary)}\n`;
  writeFileSync(files.csv, rowsCsv(rows));
  writeFileSync(files.json, `${JSON.stringify({ parameters: describe(loaded), rows: rowsJson(rows) }, null, 2)}\n`);
  writeFileSync(files.summary, text);
  writeFileSync(files.html, reportHtml({ title: `Strata backtest: ${steps[0]!.date} to ${steps.at(-1)!.date}`, rows, summary: text, parameters: describe(loaded) }));
  return { steps, rows, summary, scene, files };
}
