/**
 * The model's state read from a cluster: the pool, its tranches, every position of the
 * pool (in the order the keeper's scan returns them), the oracles' readings, the
 * keeper's notes and the holders' shares, at the cluster's clock. The agreement test
 * starts the model here, right after setup.ts, so that both replays start from the
 * same accounts (the set-up on a cluster takes seconds of its clock, and the fees
 * accrued meanwhile would otherwise be a difference of the set-up, not of the replay).
 */
import { STRATA_PROGRAM_ADDRESS, associatedTokenAddress, decodeTrancheData, noteMintAddress, positionFilters, readOracle, shareAccountAddress, trancheState, type OracleKind } from '../src/index.js';
import { clusterClock, fetchAccount, fetchPool, tokenBalance } from '../admin/chain.js';
import { decodePositionFast } from '../keeper/scanner.js';
import type { ModelState } from './model-program.js';
import type { Scene } from './setup.js';

export async function readModelState(scene: Scene): Promise<ModelState> {
  const { cluster, state } = scene;
  const rpc = cluster.rpc;
  const { slot, unixTimestamp: now } = await clusterClock(rpc);
  const pool = await fetchPool(rpc, state.pool);
  const tranches = await Promise.all(
    state.tranches.map(async (address) => {
      const account = await fetchAccount(rpc, address);
      if (!account) throw new Error(`tranche ${address} is missing`);
      return decodeTrancheData(account.data);
    }),
  );
  const accounts = await rpc.getProgramAccounts(STRATA_PROGRAM_ADDRESS, { encoding: 'base64', filters: positionFilters({ pool: state.pool }) }).send();
  const positions = accounts.map(({ pubkey, account }) => decodePositionFast(pubkey, Buffer.from(account.data[0], 'base64')));
  const names = Object.keys(state.collaterals).sort((a, b) => state.collaterals[a]!.index - state.collaterals[b]!.index);
  const oracles = await Promise.all(
    names.map(async (name, index) => {
      const config = pool.collaterals[index]!;
      const account = await fetchAccount(rpc, config.oracle);
      if (!account) throw new Error(`oracle of ${name} is missing`);
      return readOracle(config.oracleKind as OracleKind, account.owner, Uint8Array.from(account.data), Uint8Array.from(config.feedId));
    }),
  );
  const keeperNotes = await tokenBalance(rpc, await associatedTokenAddress(scene.keeper.signer.address, await noteMintAddress(state.pool)));
  const holdings = await Promise.all(
    scene.holders.map(async (holder, index) => ({ shares: await tokenBalance(rpc, await shareAccountAddress(holder.signer.address, tranches[index]!.shareMint)) })),
  );
  return {
    pool,
    poolAddress: state.pool,
    collateralNames: names,
    tranches: tranches.map(trancheState),
    positions,
    oracles,
    keeperNotes,
    holdings,
    now,
    slot,
  };
}
