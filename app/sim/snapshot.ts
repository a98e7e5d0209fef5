/** The pool and its tranches, read in one call, in units a reader can follow. */
import { CLOCK_SYSVAR, decodeClock } from '../admin/chain.js';
import type { DeployState } from '../admin/deploy.js';
import { DebtState, decodePoolData, decodeTrancheData, poolDebtState, trancheNav, type Pool, type Tranche } from '../src/index.js';
import type { Cluster } from './cluster.js';

export type Snapshot = {
  now: bigint;
  pool: Pool;
  totalDebt: bigint;
  tranches: { tranche: Tranche; nav: bigint }[];
};

export async function snapshot(cluster: Cluster, state: DeployState): Promise<Snapshot> {
  const { value } = await cluster.rpc.getMultipleAccounts([state.pool, CLOCK_SYSVAR, ...state.tranches], { encoding: 'base64' }).send();
  const bytes = (i: number) => Buffer.from(value[i]!.data[0], 'base64');
  const pool = decodePoolData(bytes(0));
  const now = decodeClock(bytes(1)).unixTimestamp;
  const tranches = state.tranches.map((_, i) => {
    const tranche = decodeTrancheData(bytes(2 + i));
    return { tranche, nav: trancheNav(pool, tranche, now) };
  });
  return { now, pool, totalDebt: DebtState.totalDebt(DebtState.accrue(poolDebtState(pool), now).state), tranches };
}

/** Native note units (6 decimals) as dollars. */
export const dollars = (native: bigint) => {
  const sign = native < 0n ? '-' : '';
  const abs = native < 0n ? -native : native;
  const whole = (abs / 1_000_000n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}$${whole}.${((abs % 1_000_000n) / 10_000n).toString().padStart(2, '0')}`;
};
