/**
 * The backtest's off-chain model (backtest/model.ts) against the program on the real
 * local cluster: two days of FTX week (2022-11-08 and 09, wSOL from $29.60 to a $12.51
 * low), 40 positions, the stability and protocol fees on, a keeper with $10,000 of
 * notes, tranches of $7,000 and $2,500, and the senior's minimum subordination at 0 so
 * that the junior holder's redemption (after a 5% fall) can be paid. The keeper
 * liquidates partially and settles insolvent positions until its notes run out, the
 * tranches absorb the rest, and the junior's holder redeems. The keeper takes positions
 * in the order of their addresses, which are new keypairs every run: which positions it
 * pays for, and so whether the tranches run out of notes (absorptions refused with
 * `TranchesEmpty`) or the coverage test ends in Turbo, varies from run to run (both
 * happen in most); whatever happens is compared.
 *
 * The model starts from the accounts the chain holds right after setup.ts (the set-up
 * takes seconds of the cluster's clock, whose fees would otherwise show up as a
 * difference of the set-up rather than of the replay; the model's own set-up is
 * compared with the chain's in the first test), and both replays use the same step
 * times. Per step, the counts must be equal and the amounts within the tolerance of
 * backtest/agreement.ts: the interest the pool's debt accrues over the seconds the
 * cluster's clock ran past the steps' times.
 *
 * The third test is a calm day with a junior nobody deposited into: the residual
 * income has no holder and goes to the treasury. Against a cluster built before that
 * rule (370a7a9) it fails, the chain's junior holding the notes the model sends to the
 * treasury: the comparison catches a program and a mirror that part ways.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { formatDifferences } from '../../backtest/agreement.js';
import { agreement, formatAgreement, modelFromScene } from '../../backtest/compare.js';
import { configDir, loadBacktest, parseBacktestConfig, type LoadedBacktest } from '../../backtest/config.js';
import { initialState } from '../../backtest/model-setup.js';
import { readModelState } from '../../backtest/model-chain.js';
import { buildPath, type PathStep } from '../../backtest/path.js';
import { replayOnChain } from '../../backtest/replay.js';
import { REPLAY_SLOT_MS } from '../../backtest/run.js';
import { summarize } from '../../backtest/report.js';
import type { StepRow } from '../../backtest/rows.js';
import { setUpScene, type Scene } from '../../backtest/setup.js';
import { clusterClock } from '../../admin/chain.js';
import { BPS, DebtState, poolDebtState, SECONDS_PER_YEAR } from '../../src/index.js';
import { startCluster, type Cluster } from '../../sim/cluster.js';

const CONFIG = fileURLToPath(new URL('../../../data/backtests/ftx-2022-11.json', import.meta.url));

function scene(overrides: Record<string, unknown> = {}): LoadedBacktest {
  const json = JSON.parse(readFileSync(CONFIG, 'utf8')) as Record<string, unknown>;
  const config = parseBacktestConfig({
    ...json,
    from: '2022-11-08',
    to: '2022-11-09',
    book: { positions: 40, seed: 2026 },
    keeper: { notesUsd: 10_000 },
    tranches: [7_000, 2_500],
    holders: { redeemOnDropPct: 5 },
    distributeDaily: true,
    ...overrides,
  });
  const loaded = loadBacktest(config, configDir(CONFIG));
  // Every tranche without a minimum subordination: the junior's holder may leave.
  return { ...loaded, pool: { ...loaded.pool, tranches: loaded.pool.tranches.map((t) => ({ ...t, minSubordinationBps: 0 })) } };
}

const total = (rows: readonly StepRow[], field: 'liquidated' | 'settled' | 'absorbed') => rows.reduce((sum, row) => sum + row[field], 0);

describe('the backtest model agrees with the chain', () => {
  let cluster: Cluster;
  let loaded: LoadedBacktest;
  let steps: PathStep[];
  let chainScene: Scene;
  let setUpFrom: bigint;

  beforeAll(async () => {
    cluster = await startCluster({ slotMs: REPLAY_SLOT_MS });
    if (!cluster.local) return;
    loaded = scene();
    steps = buildPath(loaded.series, { from: loaded.config.from, to: loaded.config.to });
    setUpFrom = (await clusterClock(cluster.rpc)).unixTimestamp;
    chainScene = await setUpScene(cluster, loaded.config, loaded.pool, steps[0]!);
  }, 600_000);
  afterAll(async () => cluster?.stop());

  it("builds setup.ts's scene: the same positions, debts within the fees of the set-up's seconds", async () => {
    if (!cluster.local) return;
    const chain = await readModelState(chainScene);
    const model = initialState(loaded.config, loaded.pool, steps[0]!, setUpFrom);
    // The chain minted over the set-up's seconds; its debt has accrued since.
    const elapsed = chain.now - setUpFrom;
    const fee = BigInt(loaded.pool.pool.params.stabilityFeeBps);
    const drift = (debt: bigint) => (debt * fee * elapsed) / (BPS * SECONDS_PER_YEAR) + 2n;
    const chainDebt = DebtState.accrue(poolDebtState(chain.pool), chain.now).state;
    const modelDebt = poolDebtState(model.pool);
    const book = (state: typeof chain, debt: DebtState) =>
      new Map(state.positions.map((p) => [p.collateral.join(','), DebtState.debtOf(debt, p.debtShares)]));
    const chainBook = book(chain, chainDebt);
    const modelBook = book(model, modelDebt);
    // Keeper, holders and book: every collateral vector once, on both sides.
    expect(chain.positions).toHaveLength(loaded.config.book.positions + 1 + loaded.config.tranches.length);
    expect([...modelBook.keys()].sort()).toEqual([...chainBook.keys()].sort());
    for (const [collateral, debt] of modelBook) {
      const onChain = chainBook.get(collateral)!;
      expect(onChain >= debt && onChain - debt <= drift(debt), `debt of the position holding ${collateral}: model ${debt}, chain ${onChain}`).toBe(true);
    }
    expect(model.keeperNotes).toBe(chain.keeperNotes);
    expect(model.pool.collaterals.map((c) => c.totalDeposited)).toEqual(chain.pool.collaterals.map((c) => c.totalDeposited));
    const poolDrift = drift(DebtState.totalDebt(modelDebt));
    model.tranches.forEach((tranche, index) => {
      const assets = chain.tranches[index]!.assets;
      expect(assets >= tranche.assets && assets - tranche.assets <= poolDrift, `tranche ${index} notes: model ${tranche.assets}, chain ${assets}`).toBe(true);
    });
  }, 120_000);

  it('replays two days of FTX week as the chain does: equal counts, amounts within the interest of the clock lag', async () => {
    if (!cluster.local) return;
    const model = await modelFromScene(chainScene, loaded, steps);
    const chain = await replayOnChain(chainScene, loaded.config, steps, { t0: model.t0, inOrder: true });

    // The window exercised what it is meant to compare: partial liquidations,
    // insolvent positions settled whole, absorptions and a paid redemption.
    expect(total(model.rows, 'liquidated')).toBeGreaterThan(0);
    expect(total(model.rows, 'settled')).toBeGreaterThan(0);
    expect(total(model.rows, 'absorbed')).toBeGreaterThan(0);
    expect(model.rows.some((row) => row.redemptionsPaid > 0n)).toBe(true);

    const result = agreement(model, chain, loaded);
    const chainSummary = summarize(chain, model.start);
    // The figures compared, for whoever reads the test's output.
    console.info(
      `agreement on ${steps.length} steps: liquidated ${chainSummary.liquidations}, settled ${chainSummary.settlements}, absorbed ${chainSummary.absorptions}, ` +
        `bad debt peak ${chainSummary.peakBadDebt}, tranche losses ${chainSummary.trancheLoss.join('/')}, end share prices ${chainSummary.endSharePrice.join('/')} (chain); ` +
        `largest tolerance ${result.tolerance.reduce((a, b) => (a > b ? a : b), 0n)} native units; ${formatAgreement(result).split(':')[0]}`,
    );
    expect(result.differences, `the model and the chain differ:\n${formatDifferences(result.differences)}`).toEqual([]);
  }, 300_000);

  it('sends income no holder owns to the treasury as the program does (a junior nobody deposited into, one calm day)', async () => {
    if (!cluster.local) return;
    // A small book (the set-up is most of the time): the senior's 8% target on $2,000
    // takes less than the fees, the rest is the residual, and the residual tranche (the
    // junior, in Normal mode) has no shares.
    const empty = scene({ from: '2022-11-05', to: '2022-11-05', book: { positions: 10, seed: 2026 }, tranches: [2_000, 0] });
    const path = buildPath(empty.series, { from: empty.config.from, to: empty.config.to });
    const emptyScene = await setUpScene(cluster, empty.config, empty.pool, path[0]!);
    const model = await modelFromScene(emptyScene, empty, path);
    const chain = await replayOnChain(emptyScene, empty.config, path, { t0: model.t0, inOrder: true });

    const fees = model.rows.reduce((sum, row) => sum + row.fees, 0n);
    const last = model.rows.at(-1)!;
    expect(fees).toBeGreaterThan(0n);
    expect(last.tranches[0]!.cumulativeYield + fees / 10n).toBeLessThan(fees);
    expect(last.tranches[1]!.nav).toBe(0n);
    const result = agreement(model, chain, empty);
    expect(result.differences, `the model and the chain differ:\n${formatDifferences(result.differences)}`).toEqual([]);
  }, 120_000);
});
