/**
 * A deployed pool with its cast: the authority (also the mint authority of the local
 * mints), a keeper holding notes, and LPs in both tranches.
 */
import type { KeyPairSigner } from '@solana/kit';

import { deploy, parseDeployConfig, type DeployState } from '../admin/deploy.js';
import { sendInstructions } from '../admin/send.js';
import { tx } from '../src/index.js';
import { openBook, type Participant } from './book.js';
import type { Cluster } from './cluster.js';
import { LOCAL_CONFIG } from './config.js';
import { fundedWallet } from './cluster.js';

export type World = {
  cluster: Cluster;
  authority: KeyPairSigner;
  state: DeployState;
  keeper: Participant;
  juniorLp: Participant;
  seniorLp: Participant;
};

export type WorldOptions = {
  config?: unknown;
  /** Notes the keeper mints for liquidating (0: it holds none and can only absorb). */
  keeperNotes?: bigint;
  /** Notes the LPs put into the junior and senior tranches. */
  junior?: bigint;
  senior?: bigint;
};

const SOL = 1_000_000_000n;
const NOTE = 1_000_000n;

export async function buildWorld(cluster: Cluster, options: WorldOptions = {}): Promise<World> {
  const authority = await fundedWallet(cluster, 1_000);
  const config = parseDeployConfig(options.config ?? LOCAL_CONFIG);
  const state = await deploy(config, { ...cluster, authority });
  // The keeper and the LPs borrow their notes against plenty of wSOL.
  const [keeper, juniorLp, seniorLp] = await openBook(cluster, state, authority, [
    { deposits: { wSOL: 100_000n * SOL }, leverage: 0 },
    { deposits: { wSOL: 10_000n * SOL }, leverage: 0 },
    { deposits: { wSOL: 10_000n * SOL }, leverage: 0 },
  ]);
  const sol = state.collaterals.wSOL!;
  const mintNotes = async (who: Participant, amount: bigint) => {
    if (amount === 0n) return;
    const refresh = await tx.refreshOracle({ pool: state.pool, oracle: sol.oracle, collateralIndex: sol.index });
    const minted = await tx.mint({ owner: who.signer, pool: state.pool, amount });
    await sendInstructions(cluster, who.signer, [...refresh.instructions, ...minted.instructions]);
  };
  await mintNotes(keeper!, options.keeperNotes ?? 1_000_000n * NOTE);
  const junior = options.junior ?? 30_000n * NOTE;
  const senior = options.senior ?? 70_000n * NOTE;
  await mintNotes(juniorLp!, junior);
  await mintNotes(seniorLp!, senior);
  const deposit = async (who: Participant, index: number, amount: bigint) => {
    if (amount === 0n) return;
    const built = await tx.trancheDeposit({ depositor: who.signer, pool: state.pool, index, trancheCount: state.tranches.length, amount });
    await sendInstructions(cluster, who.signer, built.instructions);
  };
  await deposit(juniorLp!, 1, junior);
  await deposit(seniorLp!, 0, senior);
  return { cluster, authority, state, keeper: keeper!, juniorLp: juniorLp!, seniorLp: seniorLp! };
}
