/**
 * The main job's crash, as building blocks: its book (a seeded spread of wSOL, tBILL
 * and mixed positions at 20% to 98% of their borrowing limit), a month of stability
 * fees distributed, and wSOL's fall from $150 to $60 in six steps. The main job and
 * the fault runs share them, so their times to clear compare.
 */
import { transactionEvents } from '../admin/chain.js';
import type { DeployState } from '../admin/deploy.js';
import { advanceClock } from '../admin/dev.js';
import { sendInstructions } from '../admin/send.js';
import { tx, type StrataEvent, type StrataEventData } from '../src/index.js';
import type { PositionSpec } from './book.js';
import type { Cluster } from './cluster.js';
import { publishPrice } from './prices.js';
import type { World } from './world.js';

const SOL = 1_000_000_000n;
const BILL = 1_000_000n;
const USD_EXPO = -8;

/** wSOL's path from $150, one step every `CRASH_STEP_MS`. */
export const PRICE_PATH = [130, 110, 95, 80, 70, 60] as const;
export const CRASH_STEP_MS = 1_500;

/** A deterministic pseudo-random stream, so every run opens the same book. */
export function* random(seed: number): Generator<number> {
  let state = seed >>> 0;
  for (;;) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    yield state / 2 ** 32;
  }
}

/** The main job's book of `count` positions. */
export function crashBook(count: number): PositionSpec[] {
  const rng = random(2026);
  const next = () => rng.next().value as number;
  return Array.from({ length: count }, () => {
    const kind = next();
    const size = 1 + Math.floor(next() * 40);
    const deposits: Record<string, bigint> =
      kind < 0.7 ? { wSOL: BigInt(size) * SOL } : kind < 0.85 ? { tBILL: BigInt(size * 150) * BILL } : { wSOL: BigInt(size) * SOL, tBILL: BigInt(size * 100) * BILL };
    // Leverage from a cautious 20% of the borrowing limit to a tight 98%.
    return { deposits, leverage: 0.2 + 0.78 * next() };
  });
}

/** Runs `distribute`; returns its `IncomeDistributed` event. */
export async function distribute(cluster: Cluster, world: World): Promise<StrataEventData<'IncomeDistributed'> | undefined> {
  const built = await tx.distribute({ pool: world.state.pool, trancheCount: world.state.tranches.length, treasury: world.state.treasury });
  const signature = await sendInstructions(cluster, world.authority, built.instructions);
  const { events } = await transactionEvents(cluster.rpc, signature);
  return events.find((e): e is Extract<StrataEvent, { name: 'IncomeDistributed' }> => e.name === 'IncomeDistributed')?.data;
}

/** Publishes wSOL at `wsol` dollars and tBILL at $1, stamped now (a publisher's tick). */
export async function publishCrashPrices(cluster: Cluster, state: DeployState, wsol: number): Promise<void> {
  await publishPrice(cluster, state, 'wSOL', BigInt(Math.round(wsol * 100)) * 1_000_000n, USD_EXPO);
  await publishPrice(cluster, state, 'tBILL', 100_000_000n, USD_EXPO);
}

/** A month of stability fees, then prices republished at $150 and the fees distributed. */
export async function accrueAMonth(cluster: Cluster, world: World): Promise<StrataEventData<'IncomeDistributed'> | undefined> {
  await advanceClock(cluster.url, 30 * 86_400);
  await publishCrashPrices(cluster, world.state, 150);
  return distribute(cluster, world);
}

/** wSOL along `PRICE_PATH`, a step every `stepMs`; resolves once the last step has landed. */
export async function crashWsol(cluster: Cluster, state: DeployState, onStep?: (price: number) => void, stepMs = CRASH_STEP_MS): Promise<void> {
  for (const [i, price] of PRICE_PATH.entries()) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, stepMs));
    await publishCrashPrices(cluster, state, price);
    onStep?.(price);
  }
}
