/**
 * Keeper benchmark on the embedded local cluster. Prints figures; asserts nothing
 * about time (the goals are in the README: a crash cleared in under 10 s, at least
 * 1,000,000 positions decoded per second).
 *
 * 1. Scan-and-decode rate: the book's real account bytes (from getProgramAccounts)
 *    decoded again and again by the keeper's decoder, then decoded and valued (health
 *    of every position, the liquidation plan of the unhealthy), and a whole scan over
 *    RPC for comparison.
 * 2. Time to clear: the keeper runs against a book of `STRATA_BENCH_POSITIONS`
 *    (default 1,000) positions; wSOL falls 40% in one oracle update; the clock runs
 *    from that update landing to the first keeper cycle that begins after it and
 *    finds nothing liquidatable.
 */
import { readMarket } from '../keeper/market.js';
import { planActions } from '../keeper/planner.js';
import { decodePositionFast, scanPositions } from '../keeper/scanner.js';
import { positionFilters, STRATA_PROGRAM_ADDRESS } from '../src/index.js';
import { openBook, type PositionSpec } from './book.js';
import { startCluster } from './cluster.js';
import { publishPrice } from './prices.js';
import { buildWorld } from './world.js';
import { runKeeperThrough } from './crash.js';
import { runMain } from './run-main.js';

const SOL = 1_000_000_000n;
const NOTE = 1_000_000n;
const POSITIONS = Number(process.env.STRATA_BENCH_POSITIONS ?? 1_000);
const DECODES = 2_000_000;

const rate = (count: number, ms: number) => `${Math.round((count / ms) * 1_000).toLocaleString('en-US')}/s`;

async function main() {
  const cluster = await startCluster();
  try {
    const world = await buildWorld(cluster, { keeperNotes: 400_000n * NOTE, junior: 50_000n * NOTE, senior: 100_000n * NOTE });
    // Leverage spread evenly from 50% to 98% of the borrowing limit: a 40% fall makes
    // a large part of the book liquidatable at once.
    const specs: PositionSpec[] = Array.from({ length: POSITIONS }, (_, i) => ({
      deposits: { wSOL: BigInt(1 + (i % 20)) * SOL },
      leverage: 0.5 + (0.48 * i) / POSITIONS,
    }));
    const opening = Date.now();
    await openBook(cluster, world.state, world.authority, specs);
    console.log(`book: ${POSITIONS} positions opened in ${((Date.now() - opening) / 1_000).toFixed(1)} s`);

    console.log('\n== scan and decode');
    const accounts = await cluster.rpc
      .getProgramAccounts(STRATA_PROGRAM_ADDRESS, { encoding: 'base64', filters: positionFilters({ pool: world.state.pool, hasDebt: true }) })
      .send();
    const raw = accounts.map(({ pubkey, account }) => ({ pubkey, bytes: Buffer.from(account.data[0], 'base64') }));
    let checksum = 0n;
    let started = performance.now();
    for (let done = 0; done < DECODES; ) {
      for (const { pubkey, bytes } of raw) checksum += decodePositionFast(pubkey, bytes).debtShares;
      done += raw.length;
    }
    const decodeMs = performance.now() - started;
    const decoded = Math.ceil(DECODES / raw.length) * raw.length;
    console.log(`decode only                ${rate(decoded, decodeMs)} (${decoded.toLocaleString('en-US')} decodes of ${raw.length} real accounts; checksum ${checksum % 1000n})`);

    await publishPrice(cluster, world.state, 'wSOL', 9_000_000_000n, -8);
    const market = await readMarket(cluster.rpc, world.state.pool, world.keeper.signer.address);
    const book = raw.map(({ pubkey, bytes }) => decodePositionFast(pubkey, bytes));
    const options = { minProfit: 0n, maxPositionsPerTx: 20 };
    let planned = 0;
    started = performance.now();
    for (let round = 0; round < 20; round++) planned += planActions(market, book, options).unhealthy;
    const valueMs = performance.now() - started;
    console.log(`decode + value + plan      ${rate(book.length * 20, valueMs)} (every position's health at $90 wSOL, ${planned / 20} unhealthy planned)`);

    const scans = 10;
    started = performance.now();
    for (let i = 0; i < scans; i++) await scanPositions(cluster.rpc, world.state.pool);
    const scanMs = performance.now() - started;
    console.log(`full scan over RPC         ${rate(book.length * scans, scanMs)} (getProgramAccounts + base64 + decode, ${(scanMs / scans).toFixed(0)} ms per scan of ${book.length})`);

    console.log('\n== time to clear a crash');
    await publishPrice(cluster, world.state, 'wSOL', 15_000_000_000n, -8);
    const crashPrice = () => publishPrice(cluster, world.state, 'wSOL', 9_000_000_000n, -8);
    const counts = await runKeeperThrough(cluster, world, crashPrice, crashPrice, { keeper: { pollIntervalMs: 200, maxInFlight: 8 }, warmUpMs: 1_000 });
    if (counts.secondsToClear === undefined) throw new Error('the keeper did not clear the book within 120 s');
    console.log(`wSOL $150 -> $90: ${planned / 20} of ${book.length} indebted positions liquidatable`);
    console.log(`cleared in ${counts.secondsToClear.toFixed(2)} s: ${counts.batch} partial liquidations, ${counts.settle} settlements, ${counts.absorb} absorptions, ${counts.transactions} transactions (${counts.failed} failed), ${counts.cycles} keeper cycles`);
  } finally {
    await cluster.stop();
  }
}

runMain(main);
