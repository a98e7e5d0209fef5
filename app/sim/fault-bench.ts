/**
 * Time to clear the main job's crash with faults between the keeper and the cluster.
 *
 *   npx tsx sim/fault-bench.ts [case …] [--positions 300] [--timeout-s 180]
 *
 * For each case: a fresh local cluster, the main job's pool and book (300 positions,
 * a month of fees), the keeper in a child process talking to the cluster through the
 * fault proxy (HTTP and WebSocket), wSOL from $150 to $60 in six steps. The clock runs
 * from the last step landing to the first outside look that finds nothing
 * liquidatable. Then the keeper's own counts are checked against the chain: every
 * transaction it sent (seen by the proxy) looked up directly on the cluster.
 *
 * Cases: none, blackhole (2% of requests never answered), throttled-status (every
 * getSignatureStatuses answered 429), slow (10% of answers 2-5 s late), reset (5% of
 * connections reset), heavy (5% black-holed, 20% 2-5 s late, 5% reset, half the
 * status queries throttled). Faults are drawn from seed 12.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Signature } from '@solana/kit';

import { openBook } from './book.js';
import { watchUntilClear } from './book-watch.js';
import { startCluster } from './cluster.js';
import { accrueAMonth, crashBook, crashWsol, publishCrashPrices } from './crash-scene.js';
import { startFaultProxy, type FaultPlan } from './fault-proxy.js';
import { giveNotes, keeperKeypair, metricSum, startKeeperProcess } from './keeper-process.js';
import { runMain } from './run-main.js';
import { buildWorld } from './world.js';

const NOTE = 1_000_000n;
const SEED = 12;

export const FAULT_CASES: Record<string, FaultPlan> = {
  none: {},
  blackhole: { blackhole: { fraction: 0.02 } },
  'throttled-status': { throttle: { methods: ['getSignatureStatuses'] } },
  slow: { delay: { fraction: 0.1, minMs: 2_000, maxMs: 5_000 } },
  reset: { reset: { fraction: 0.05 } },
  heavy: {
    blackhole: { fraction: 0.05 },
    delay: { fraction: 0.2, minMs: 2_000, maxMs: 5_000 },
    reset: { fraction: 0.05 },
    throttle: { methods: ['getSignatureStatuses'], fraction: 0.5 },
  },
};

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

async function runCase(name: string, plan: FaultPlan, positions: number, timeoutMs: number): Promise<string> {
  const cluster = await startCluster();
  try {
    const world = await buildWorld(cluster, { keeperNotes: 60_000n * NOTE, junior: 60_000n * NOTE, senior: 140_000n * NOTE });
    await openBook(cluster, world.state, world.authority, crashBook(positions));
    await accrueAMonth(cluster, world);
    const keypair = await keeperKeypair(cluster);
    await giveNotes(cluster, world.state, world.keeper.signer, keypair.signer.address, 60_000n * NOTE);
    const proxy = await startFaultProxy(cluster.url, { upstreamWs: cluster.wsUrl, plan: { ...plan, seed: SEED } });
    const keeper = await startKeeperProcess({
      rpcUrl: proxy.url,
      wsUrl: proxy.wsUrl,
      pool: world.state.pool,
      keypair,
      args: ['--poll-ms', '250'],
      env: { STRATA_KEEPER_RPC_RETRY_DELAY_MS: '100' },
    });
    try {
      // Warm: the keeper has scanned the book once.
      for (let i = 0; i < 100 && (await keeper.healthz()).status !== 200; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      await crashWsol(cluster, world.state);
      const since = Date.now();
      const clearing = await watchUntilClear(cluster, world.state.pool, { since, timeoutMs, tick: () => publishCrashPrices(cluster, world.state, 60) });
      // Let answers in the air settle before counting.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const samples = await keeper.metrics();
      const stopped = await Promise.race([keeper.stop('SIGTERM'), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 15_000))]);
      if (!stopped) keeper.child.kill('SIGKILL');
      const signatures = [...new Set(proxy.sentSignatures())] as Signature[];
      let landedOnChain = 0;
      let failedOnChain = 0;
      for (let i = 0; i < signatures.length; i += 256) {
        const { value } = await cluster.rpc.getSignatureStatuses(signatures.slice(i, i + 256), { searchTransactionHistory: true }).send();
        for (const status of value) {
          if (status && status.err === null) landedOnChain += 1;
          else if (status) failedOnChain += 1;
        }
      }
      const count = (metric: string) => metricSum(samples, metric);
      const reasons = samples
        .filter((s) => s.name === 'strata_keeper_transactions_failed_total')
        .map((s) => `${s.labels.reason} ${s.value}`)
        .join(', ');
      const cleared = clearing.seconds === undefined ? `not cleared in ${timeoutMs / 1_000} s (${clearing.left} left)` : `${clearing.seconds.toFixed(1)} s`;
      const keeperLine = `keeper: landed ${count('strata_keeper_transactions_landed_total') || '-'} tx / failed ${count('strata_keeper_transactions_failed_total') || '-'} / expired ${count('strata_keeper_transactions_expired_total') || '-'}; positions landed ${count('strata_keeper_liquidations_landed_total')} failed ${count('strata_keeper_liquidations_failed_total')}${reasons ? ` (${reasons})` : ''}`;
      const chainLine = `chain: ${signatures.length} signatures sent, ${landedOnChain} landed, ${failedOnChain} landed with an error`;
      const stopLine = stopped ? `SIGTERM → exit ${stopped.code} in ${stopped.ms.toFixed(0)} ms` : 'SIGTERM: still running after 15 s (killed)';
      const faults = proxy.stats().faults;
      await proxy.close();
      // STRATA_FAULT_BENCH_LOGS=<dir>: the keeper's log lines, one file per case.
      if (process.env.STRATA_FAULT_BENCH_LOGS) writeFileSync(join(process.env.STRATA_FAULT_BENCH_LOGS, `${name}.log`), keeper.output());
      return `${name.padEnd(17)} cleared ${cleared.padEnd(32)} peak ${clearing.peak} liquidatable\n    ${keeperLine}\n    ${chainLine}\n    ${stopLine}; proxy faults ${JSON.stringify(faults)}`;
    } finally {
      keeper.child.kill('SIGKILL');
    }
  } finally {
    await cluster.stop();
  }
}

async function main() {
  const positions = flag('--positions', 300);
  const timeoutMs = flag('--timeout-s', 180) * 1_000;
  const names = process.argv.slice(2).filter((arg, i, all) => !arg.startsWith('--') && !all[i - 1]?.startsWith('--'));
  const cases = names.length > 0 ? names : Object.keys(FAULT_CASES);
  console.log(`${positions} positions, wSOL $150 → $60 in six steps, faults from seed ${SEED}`);
  for (const name of cases) {
    const plan = FAULT_CASES[name];
    if (!plan) throw new Error(`unknown case ${name}; cases: ${Object.keys(FAULT_CASES).join(', ')}`);
    const started = Date.now();
    console.log(`${await runCase(name, plan, positions, timeoutMs)}\n    (${((Date.now() - started) / 1_000).toFixed(0)} s in all)`);
  }
}

runMain(main);
