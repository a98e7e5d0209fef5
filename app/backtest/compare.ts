/**
 * The model and the chain replaying the same point from the same accounts: the CLI's
 * `--sweep-replay` and the agreement test (test/backtest/agreement.e2e.test.ts) both
 * run it. The model starts from the accounts the chain holds right after setup.ts
 * (model-chain.ts) and both replays use the same step times, so that what is compared
 * is the replay: the set-up takes seconds of the cluster's clock, and the keeper takes
 * positions in the order of their addresses (new keypairs every run), neither of which
 * the model's own set-up can know. The chain's replay must run with `inOrder` (its
 * keeper sending one action at a time, as the model applies them).
 */
import { BPS, DebtState, poolDebtState, SECONDS_PER_YEAR } from '../src/index.js';
import type { LoadedBacktest } from './config.js';
import { formatDifferences, interestPerSecond, rowDifferences, tolerances, type Difference } from './agreement.js';
import { modelTrancheRows, replayModel } from './model.js';
import { readModelState } from './model-chain.js';
import { STEP_SECONDS, type PathStep } from './path.js';
import { summarize, type Summary } from './report.js';
import type { StepRow, TrancheRow } from './rows.js';
import type { Scene } from './setup.js';

/** The model's replay from a scene's accounts. `debt`: the pool's debt at the start. */
export type ModelRun = { t0: bigint; debt: bigint; start: TrancheRow[]; rows: StepRow[]; summary: Summary };

/** Reads the scene's accounts and replays `steps` on the model from them; `t0` is the
 * cluster's clock as read, for the chain's replay to use too. */
export async function modelFromScene(scene: Scene, loaded: LoadedBacktest, steps: readonly PathStep[]): Promise<ModelRun> {
  const state = await readModelState(scene);
  const t0 = state.now;
  const debt = DebtState.totalDebt(DebtState.accrue(poolDebtState(state.pool), t0).state);
  const start = modelTrancheRows(state);
  const rows = replayModel(state, loaded.config, steps, { t0 });
  return { t0, debt, start, rows, summary: summarize(rows, start) };
}

export type Agreement = { tolerance: bigint[]; differences: Difference[]; agree: boolean };

/**
 * Where the chain's rows differ from the model's beyond agreement.ts's tolerance. The
 * interest rate it needs is bounded by the debt at the start grown by a whole window of
 * the stability fee (nothing mints during a replay: debt only shrinks, but for the fee).
 */
export function agreement(model: ModelRun, chain: readonly StepRow[], loaded: LoadedBacktest): Agreement {
  const fee = loaded.pool.pool.params.stabilityFeeBps;
  const window = BigInt(model.rows.length * STEP_SECONDS);
  const bound = model.debt + (model.debt * BigInt(fee) * window) / (BPS * SECONDS_PER_YEAR) + 1n;
  const bonusMax = Math.max(...loaded.pool.collaterals.map((c) => c.params.liquidationBonusMaxBps));
  const tolerance = tolerances(model.rows, chain, interestPerSecond(bound, fee), bonusMax);
  const differences = rowDifferences(model.rows, chain, tolerance);
  return { tolerance, differences, agree: differences.length === 0 };
}

/** The verdict as printed: agreement and the largest tolerance used, or every
 * difference. */
export function formatAgreement(result: Agreement): string {
  const widest = result.tolerance.reduce((a, b) => (a > b ? a : b), 0n);
  if (result.agree) {
    return `the model and the chain agree: counts equal at every step; amounts within ${widest} native units ($${(Number(widest) / 1e6).toFixed(6)}), the interest of the seconds the cluster's clock ran past the steps' times plus 100 units of rounding`;
  }
  return `the model and the chain DISAGREE (${result.differences.length} differences):\n${formatDifferences(result.differences)}`;
}
