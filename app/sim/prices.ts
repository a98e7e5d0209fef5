/** Moving a local cluster's dev oracles and refreshing the pool's cache. */
import type { Instruction, TransactionSigner } from '@solana/kit';

import { setPythLegacyPrice, setPythPullPrice } from '../admin/dev.js';
import type { DeployState } from '../admin/deploy.js';
import { sendInstructions } from '../admin/send.js';
import { tx } from '../src/index.js';
import type { Cluster } from './cluster.js';

/** Publishes `price × 10^expo` (now) for the named collateral, as its Pyth publisher would. */
export async function publishPrice(cluster: Cluster, state: DeployState, name: string, price: bigint, expo: number, conf = 0n): Promise<void> {
  const c = state.collaterals[name];
  if (!c) throw new Error(`no collateral named ${name}`);
  if (c.kind === 'legacy') await setPythLegacyPrice(cluster.url, c.oracle, { price, expo, conf });
  else await setPythPullPrice(cluster.url, c.oracle, { price, expo, conf, feedId: c.feedId });
}

/** `refresh_oracle` for every collateral of the pool. */
export async function refreshInstructions(state: DeployState): Promise<Instruction[]> {
  const instructions: Instruction[] = [];
  for (const c of Object.values(state.collaterals)) {
    instructions.push(...(await tx.refreshOracle({ pool: state.pool, oracle: c.oracle, collateralIndex: c.index })).instructions);
  }
  return instructions;
}

/** Refreshes every collateral's cached price in one transaction. */
export async function refreshAll(cluster: Cluster, state: DeployState, payer: TransactionSigner): Promise<void> {
  await sendInstructions(cluster, payer, await refreshInstructions(state));
}
