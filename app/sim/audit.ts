/**
 * An independent check of the book after a run: the program's own `health` view for
 * every indebted position (simulated after fresh refreshes, so it values them as the
 * next liquidation would), and the pool's debt shares against the sum of the
 * positions' shares.
 */
import type { TransactionSigner } from '@solana/kit';

import { fetchPool } from '../admin/chain.js';
import type { DeployState } from '../admin/deploy.js';
import { simulateInstructions } from '../admin/send.js';
import { decodeHealthReport, poolDebtState, positionFilters, STRATA_PROGRAM_ADDRESS, tx } from '../src/index.js';
import { decodePositionFast } from '../keeper/scanner.js';
import type { Cluster } from './cluster.js';
import { refreshInstructions } from './prices.js';

export type Audit = {
  positions: number;
  indebted: number;
  /** Positions the program's `health` view calls liquidatable. */
  liquidatable: number;
  poolShares: bigint;
  positionShares: bigint;
};

const SIMULATIONS_IN_FLIGHT = 16;

export async function auditBook(cluster: Cluster, state: DeployState, payer: TransactionSigner): Promise<Audit> {
  const accounts = await cluster.rpc
    .getProgramAccounts(STRATA_PROGRAM_ADDRESS, { encoding: 'base64', filters: positionFilters({ pool: state.pool }) })
    .send();
  const positions = accounts.map(({ pubkey, account }) => decodePositionFast(pubkey, Buffer.from(account.data[0], 'base64')));
  const indebted = positions.filter((p) => p.debtShares > 0n);
  const refresh = await refreshInstructions(state);
  let liquidatable = 0;
  for (let start = 0; start < indebted.length; start += SIMULATIONS_IN_FLIGHT) {
    await Promise.all(
      indebted.slice(start, start + SIMULATIONS_IN_FLIGHT).map(async (p) => {
        const view = await tx.health({ pool: state.pool, position: p.address });
        const simulated = await simulateInstructions(cluster.rpc, payer, [...refresh, ...view.instructions]);
        if (!simulated.ok || !simulated.returnData) throw new Error(`health of ${p.address} failed: ${simulated.logs.join('\n')}`);
        if (decodeHealthReport(simulated.returnData).liquidatable) liquidatable += 1;
      }),
    );
  }
  const pool = await fetchPool(cluster.rpc, state.pool);
  return {
    positions: positions.length,
    indebted: indebted.length,
    liquidatable,
    poolShares: poolDebtState(pool).totalShares,
    positionShares: positions.reduce((sum, p) => sum + p.debtShares, 0n),
  };
}
