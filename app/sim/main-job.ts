/**
 * The main job: the whole system on the embedded local cluster.
 *
 * Starts the cluster (building it if needed), deploys a pool with two collaterals
 * (wSOL on a legacy Pyth feed, a tokenized T-bill on a pull feed) and senior/junior
 * tranches, opens a book of positions at varied leverage, lets a month of stability
 * fees accrue and distributes them, starts the keeper, drives a wSOL crash through the
 * oracle and waits until the keeper has cleared every liquidatable position (by
 * liquidating with its notes, settling insolvent positions through the loss
 * waterfall, and, once its notes run out, having the tranches absorb them), stress-tests
 * the book after the crash (losses junior-first on NAV: the junior's absorbed wSOL pays
 * before the senior loses), then lets a keeper with fresh notes buy the absorbed wSOL
 * back from the tranches in recovery sales. Prints a report and exits 0.
 */
import { sendInstructions } from '../src/admin/send.js';
import { tx } from '../src/index.js';
import { auditBook } from './audit.js';
import { openBook } from './book.js';
import { startCluster, type Cluster } from './cluster.js';
import { accrueAMonth, crashBook, crashWsol, distribute, publishCrashPrices } from './crash-scene.js';
import { runKeeperThrough } from './crash.js';
import { runRecoveries } from './recovery.js';
import { runMain } from './run-main.js';
import { dollars, snapshot, type Snapshot } from './snapshot.js';
import { stressPool } from './stress.js';
import { buildWorld, type World } from './world.js';

const NOTE = 1_000_000n;
const POSITIONS = Number(process.env.STRATA_MAIN_POSITIONS ?? 300);
const step = (text: string) => console.log(`\n== ${text}`);

function printTranches(label: string, before: Snapshot, after: Snapshot) {
  console.log(`${label}`);
  before.tranches.forEach(({ nav }, i) => {
    const name = i === 0 ? 'senior' : 'junior';
    const t = after.tranches[i]!;
    console.log(
      `  ${name.padEnd(7)} NAV ${dollars(nav).padStart(16)} -> ${dollars(t.nav).padStart(16)}   notes ${dollars(t.tranche.assets).padStart(14)}   losses ${dollars(t.tranche.cumulativeLoss).padStart(12)}   yield ${dollars(t.tranche.cumulativeYield)}`,
    );
  });
}

/** Notes the keeper mints after the crash for the recovery sales. */
const RECOVERY_NOTES = 150_000n * NOTE;

async function mintKeeperNotes(cluster: Cluster, world: World, amount: bigint) {
  const sol = world.state.collaterals.wSOL!;
  const refresh = await tx.refreshOracle({ pool: world.state.pool, oracle: sol.oracle, collateralIndex: sol.index });
  const minted = await tx.mint({ owner: world.keeper.signer, pool: world.state.pool, amount });
  await sendInstructions(cluster.rpc, world.keeper.signer, [...refresh.instructions, ...minted.instructions]);
}

async function main() {
  const started = Date.now();
  step('starting the embedded local cluster');
  const cluster = await startCluster();
  console.log(`cluster at ${cluster.url}`);
  try {
    step('deploying: pool, wSOL (legacy Pyth) and tBILL (pull Pyth, Token-2022), senior and junior tranches');
    const world = await buildWorld(cluster, { keeperNotes: 60_000n * NOTE, junior: 60_000n * NOTE, senior: 140_000n * NOTE });
    console.log(`pool ${world.state.pool}`);
    console.log(`keeper ${world.keeper.signer.address} with ${dollars(60_000n * NOTE)} of notes`);

    step(`opening ${POSITIONS} positions at 20% to 98% of their borrowing limit`);
    const positions = await openBook(cluster, world.state, world.authority, crashBook(POSITIONS));
    const opened = await snapshot(cluster, world.state);
    console.log(`${positions.length} positions, ${dollars(opened.totalDebt)} of debt`);

    step('a month of stability fees, distributed through the tranches');
    const income = await accrueAMonth(cluster, world);
    if (income) {
      console.log(`fees ${dollars(income.fees)}: protocol ${dollars(income.protocolFee)}, senior ${dollars(income.yielded[0]!)}, junior ${dollars(income.yielded[1]!)}`);
    }
    const before = await snapshot(cluster, world.state);
    const names = Object.fromEntries(Object.entries(world.state.collaterals).map(([name, c]) => [name, c.index]));
    const shocks = ['wSOL=-20', 'wSOL=-40', 'wSOL=-60', 'wSOL=-60,tBILL=-5'];
    step('stress test of the book before the crash (off-chain, the program\'s math)');
    console.log(await stressPool(cluster.rpc, world.state.pool, shocks, names));

    step('keeper running; wSOL crashes from $150 to $60 through the oracle');
    const crash = await runKeeperThrough(
      cluster,
      world,
      () => crashWsol(cluster, world.state, (price) => console.log(`wSOL $${price}`)),
      () => publishCrashPrices(cluster, world.state, 60),
    );

    const finalIncome = await distribute(cluster, world);
    const coverage = await tx.checkCoverage({ pool: world.state.pool, trancheCount: world.state.tranches.length });
    await sendInstructions(cluster.rpc, world.authority, coverage.instructions);
    const after = await snapshot(cluster, world.state);
    const audit = await auditBook(cluster, world.state, world.authority);

    step('stress test of the book after the crash (the junior holds absorbed wSOL: it loses first)');
    console.log(await stressPool(cluster.rpc, world.state.pool, ['wSOL=-20', 'wSOL=-40', 'wSOL=-60'], names));

    step('recovery sales: the keeper buys the absorbed wSOL back with notes (spot less the 2% minimum bonus)');
    await mintKeeperNotes(cluster, world, RECOVERY_NOTES);
    const recovery = await runRecoveries(cluster, world, () => publishCrashPrices(cluster, world.state, 60), { keeper: { minProfit: NOTE } });
    const recovered = await snapshot(cluster, world.state);

    step('report');
    const cleared = crash.secondsToClear === undefined ? 'not cleared' : `${crash.secondsToClear.toFixed(1)} s`;
    console.log(`positions opened                    ${positions.length}`);
    console.log(`partial liquidations (batched)      ${crash.batch}`);
    console.log(`insolvent positions settled whole   ${crash.settle}`);
    console.log(`positions absorbed by the tranches  ${crash.absorb}`);
    console.log(`keeper transactions landed/failed   ${crash.transactions}/${crash.failed}`);
    console.log(`time from $60 to none liquidatable  ${cleared}`);
    console.log(`debt                                ${dollars(before.totalDebt)} -> ${dollars(after.totalDebt)}`);
    console.log(`bad debt                            ${dollars(after.pool.badDebt)}`);
    console.log(`fees distributed                    ${dollars((income?.fees ?? 0n) + (finalIncome?.fees ?? 0n))} (protocol ${dollars((income?.protocolFee ?? 0n) + (finalIncome?.protocolFee ?? 0n))})`);
    console.log(`pool mode after coverage test       ${after.pool.mode === 1 ? 'Turbo' : 'Normal'}`);
    const collateralName = (index: number) => Object.entries(world.state.collaterals).find(([, c]) => c.index === index)!;
    const tokens = (index: number, units: bigint) => {
      const [name, { decimals }] = collateralName(index);
      return `${(Number(units) / 10 ** decimals).toFixed(4)} ${name}`;
    };
    const sold = [...recovery.collateralSold].map(([index, units]) => tokens(index, units)).join(', ') || 'nothing';
    const heldAfterCrash = after.tranches.flatMap(({ tranche }, i) =>
      tranche.collateralHeld.flatMap((units, index) => (units > 0n ? [`${i === 0 ? 'senior' : 'junior'} ${tokens(index, units)}`] : [])),
    );
    console.log(`collateral the tranches held        ${heldAfterCrash.join(', ') || 'none'}`);
    console.log(`recovery sales landed                ${recovery.sales}: ${sold}`);
    console.log(`notes recovered into the tranches   ${dollars(recovery.notesRecovered)} (discount paid to the buyer ${dollars(recovery.discountPaid)})`);
    printTranches('tranches (before the crash -> after)', before, after);
    printTranches('tranches (after the crash -> after the recovery sales)', after, recovered);
    console.log(`audit: ${audit.indebted} indebted positions of ${audit.positions}, ${audit.liquidatable} liquidatable by the program's health view`);
    console.log(`audit: pool debt shares ${audit.poolShares}, sum over positions ${audit.positionShares}`);
    console.log(`\ndone in ${((Date.now() - started) / 1_000).toFixed(1)} s`);
    const problems = [
      crash.secondsToClear === undefined ? `the keeper did not clear the book (${crash.lastUnhealthy} liquidatable)` : '',
      audit.liquidatable > 0 ? `${audit.liquidatable} positions are still liquidatable` : '',
      audit.poolShares !== audit.positionShares ? 'pool debt shares differ from the positions\' sum' : '',
      crash.batch === 0 || crash.absorb === 0 ? 'the crash did not exercise both liquidation and absorption' : '',
      recovery.sales === 0 || recovery.heldAfter.size > 0 ? 'the recovery sales did not buy back all the absorbed collateral' : '',
    ].filter(Boolean);
    if (problems.length > 0) throw new Error(problems.join('; '));
  } finally {
    await cluster.stop();
  }
}

runMain(main);
