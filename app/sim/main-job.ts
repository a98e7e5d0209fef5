/**
 * The main job: FTX week (2022-11-05 to 2022-11-12, SOL −68% from high to low in four
 * days) replayed through the program on the embedded local cluster.
 *
 * A two-collateral pool (wSOL on SOL's real path, the tokenized T-bill on USDC's,
 * standing in for a dollar RWA), senior and junior tranches, 300 positions, a keeper
 * with $60,000 of notes, holders who redeem after a 5% share-price fall. Each day is
 * four oracle updates (open, low, high, close) with the clock moved 6 hours each; the
 * keeper liquidates what it can pay for and the tranches absorb the rest. Then: the
 * stress test of what is left (losses junior-first on NAV), recovery sales of the
 * absorbed collateral, and an audit through the program's own views. Writes the
 * report (CSV, JSON, HTML), prints the summary, and exits 0 when the audit passes.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { loadBacktest, configDir, parseBacktestConfig } from '../backtest/config.js';
import { REPLAY_SLOT_MS, runBacktest } from '../backtest/run.js';
import { sendInstructions } from '../admin/send.js';
import { tx } from '../src/index.js';
import { auditBook } from './audit.js';
import { mintCollateral } from './book.js';
import { startCluster } from './cluster.js';
import { refreshInstructions } from './prices.js';
import { runRecoveries } from './recovery.js';
import { runMain } from './run-main.js';
import { dollars, snapshot } from './snapshot.js';
import { stressPool } from './stress.js';
import { publishPrice } from './prices.js';
import { pythMantissa } from '../backtest/path.js';

const CONFIG = fileURLToPath(new URL('../../data/backtests/ftx-2022-11.json', import.meta.url));
const OUT = fileURLToPath(new URL('../backtest-out/ftx-2022-11', import.meta.url));
const NOTE = 1_000_000n;
/** Notes the keeper mints after the window for the recovery sales. */
const RECOVERY_NOTES = 150_000n * NOTE;
const step = (text: string) => console.log(`\n== ${text}`);

async function main() {
  const started = Date.now();
  const path = CONFIG;
  const loaded = loadBacktest(parseBacktestConfig(JSON.parse(readFileSync(path, 'utf8'))), configDir(path));
  step('starting the embedded local cluster');
  const cluster = await startCluster({ buildProgress: true, slotMs: REPLAY_SLOT_MS });
  console.log(`cluster at ${cluster.url}`);
  const replayStarted = Date.now();
  try {
    step('FTX week through the oracle: wSOL on SOL, tBILL on USDC, four updates a day');
    const result = await runBacktest(cluster, loaded, OUT, (line) => console.log(line));
    const { scene, steps } = result;
    const replaySeconds = (Date.now() - replayStarted) / 1_000;
    console.log(`\n${readFileSync(result.files.summary, 'utf8')}`);

    step('stress test of the book after the window (losses junior-first on NAV)');
    const names = Object.fromEntries(Object.entries(scene.state.collaterals).map(([name, c]) => [name, c.index]));
    console.log(await stressPool(cluster.rpc, scene.state.pool, ['wSOL=-20', 'wSOL=-40', 'wSOL=-60'], names));

    step('recovery sales: the keeper buys the absorbed collateral back with notes');
    const last = steps.at(-1)!;
    const republish = async () => {
      for (const [name, price] of Object.entries(last.prices)) await publishPrice(cluster, scene.state, name, pythMantissa(price), -8);
    };
    await republish();
    // Notes to buy with: the keeper borrows them against tBILL it deposits first.
    const keeper = scene.keeper.signer;
    const bill = scene.state.collaterals.tBILL!;
    const billAmount = (RECOVERY_NOTES * 2n * 10n ** BigInt(bill.decimals)) / NOTE;
    const funding = [
      ...(await mintCollateral(scene.state, scene.authority, keeper, 'tBILL', billAmount)),
      ...(await tx.deposit({ owner: keeper, pool: scene.state.pool, collateralIndex: bill.index, mint: bill.mint, tokenProgram: bill.tokenProgram, amount: billAmount })).instructions,
    ];
    await sendInstructions(cluster, scene.authority, funding);
    const minted = await tx.mint({ owner: keeper, pool: scene.state.pool, amount: RECOVERY_NOTES });
    await sendInstructions(cluster, keeper, [...(await refreshInstructions(scene.state)), ...minted.instructions]);
    const before = await snapshot(cluster, scene.state);
    const recovery = await runRecoveries(cluster, scene, republish, { keeper: { minProfit: NOTE } });
    const after = await snapshot(cluster, scene.state);
    const sold = [...recovery.collateralSold]
      .map(([index, units]) => {
        const [name, c] = Object.entries(scene.state.collaterals).find(([, c]) => c.index === index)!;
        return `${(Number(units) / 10 ** c.decimals).toFixed(4)} ${name}`;
      })
      .join(', ');
    console.log(`${recovery.sales} sales: ${sold || 'nothing held'}; ${dollars(recovery.notesRecovered)} of notes into the tranches, discount ${dollars(recovery.discountPaid)}`);
    before.tranches.forEach(({ nav }, i) => {
      const t = after.tranches[i]!;
      console.log(`  ${i === 0 ? 'senior' : 'junior'} NAV ${dollars(nav)} -> ${dollars(t.nav)} (notes ${dollars(t.tranche.assets)})`);
    });

    step("audit through the program's views");
    await republish();
    const audit = await auditBook(cluster, scene.state, scene.authority);
    console.log(`${audit.indebted} indebted positions of ${audit.positions}, ${audit.liquidatable} liquidatable by the program's health view`);
    console.log(`pool debt shares ${audit.poolShares}, sum over positions ${audit.positionShares}`);
    console.log(`\nreport: ${result.files.html}`);
    console.log(`rows:   ${result.files.csv}, ${result.files.json}`);
    console.log(`replay ${replaySeconds.toFixed(1)} s; done in ${((Date.now() - started) / 1_000).toFixed(1)} s`);
    const problems = [
      audit.liquidatable > 0 ? `${audit.liquidatable} positions are still liquidatable` : '',
      audit.poolShares !== audit.positionShares ? "pool debt shares differ from the positions' sum" : '',
      result.summary.liquidations === 0 || result.summary.absorptions === 0 ? 'the window did not exercise both liquidation and absorption' : '',
      recovery.heldAfter.size > 0 ? 'the recovery sales left absorbed collateral in the tranches' : '',
    ].filter(Boolean);
    if (problems.length > 0) throw new Error(problems.join('; '));
  } finally {
    await cluster.stop();
  }
}

runMain(main);
