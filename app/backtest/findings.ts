/**
 * `npm run backtest:findings`: the README's findings table. Replays each window of
 * `data/backtests/` with the default parameters (and FTX week once more with the
 * markets seized: a keeper without notes) on one embedded cluster, and prints a
 * Markdown row per run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startCluster } from '../sim/cluster.js';
import { runMain } from '../sim/run-main.js';
import { dollars } from '../sim/snapshot.js';
import { configDir, loadBacktest, parseBacktestConfig } from './config.js';
import { REPLAY_SLOT_MS, runBacktest } from './run.js';

const DIR = fileURLToPath(new URL('../../data/backtests/', import.meta.url));
const RUNS: { label: string; file: string; keeperNotesUsd?: number }[] = [
  { label: 'SOL, May 2021 (crash to $19.14)', file: 'sol-2021-05.json' },
  { label: 'SOL, FTX week, Nov 2022 (−68%)', file: 'ftx-2022-11.json' },
  { label: 'SOL, FTX week, markets seized (keeper without notes)', file: 'ftx-2022-11.json', keeperNotesUsd: 0 },
  { label: 'BTC path, June 2022 (−42%)', file: 'btc-2022-06.json' },
  { label: 'USDC depeg, March 2023 (tBILL to $0.8774)', file: 'usdc-2023-03.json' },
];

const price = (fixed: bigint) => (Number(fixed) / 1e6).toFixed(3);

async function main() {
  const cluster = await startCluster({ buildProgress: true, slotMs: REPLAY_SLOT_MS });
  const lines = [
    '| window | partial liquidations | settled whole | absorbed | bad debt (peak) | senior booked loss | junior booked loss | junior share price (lowest, end) | senior share price (lowest, end) | lowest junior coverage |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  try {
    for (const run of RUNS) {
      const path = join(DIR, run.file);
      const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      if (run.keeperNotesUsd !== undefined) json.keeper = { ...((json.keeper as object) ?? {}), notesUsd: run.keeperNotesUsd };
      const loaded = loadBacktest(parseBacktestConfig(json), configDir(path));
      const started = Date.now();
      const { summary: s } = await runBacktest(cluster, loaded, fileURLToPath(new URL(`../backtest-out/findings/${run.file.replace('.json', '')}${run.keeperNotesUsd === 0 ? '-seized' : ''}`, import.meta.url)));
      console.error(`${run.label}: ${((Date.now() - started) / 1_000).toFixed(0)} s`);
      const junior = s.trancheLoss.length - 1;
      lines.push(
        `| ${run.label} | ${s.liquidations} | ${s.settlements} | ${s.absorptions} | ${dollars(s.peakBadDebt)} | ${dollars(s.trancheLoss[0]!)} | ${dollars(s.trancheLoss[junior]!)} | ${price(s.lowestSharePrice[junior]!)}, ${price(s.endSharePrice[junior]!)} | ${price(s.lowestSharePrice[0]!)}, ${price(s.endSharePrice[0]!)} | ${(Number(s.lowestCoverageBps) / 100).toFixed(2)}% |`,
      );
    }
  } finally {
    await cluster.stop();
  }
  console.log(lines.join('\n'));
}

runMain(main);
