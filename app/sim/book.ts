/**
 * Opening a book of positions on a deployed pool: wallets funded by airdrop, their
 * collateral minted to them (the deployer is the mint authority on a local cluster),
 * positions opened, collateral deposited and notes minted at a chosen fraction of the
 * borrowing limit, each wallet in one transaction, many in flight at once.
 */
import { generateKeyPairSigner, type Address, type Instruction, type KeyPairSigner, type TransactionSigner } from '@solana/kit';
import { getMintToInstruction } from '@solana-program/token';

import { fetchPool } from '../admin/chain.js';
import type { DeployState } from '../admin/deploy.js';
import { sendInstructions } from '../admin/send.js';
import {
  associatedTokenAddress,
  collateralViews,
  Health,
  PriceBasis,
  tx,
} from '../src/index.js';
import { airdrop, type Cluster } from './cluster.js';
import { refreshAll } from './prices.js';

export type Participant = { signer: KeyPairSigner; position: Address };

/** What one wallet does: deposits (by collateral name, native units), then mints
 * `leverage` × its borrowing limit (0 = nothing). */
export type PositionSpec = { deposits: Record<string, bigint>; leverage: number };

/** `count` new wallets holding `sol` SOL each. */
export async function fundWallets(cluster: Cluster, count: number, sol = 10): Promise<KeyPairSigner[]> {
  const wallets = await Promise.all(Array.from({ length: count }, () => generateKeyPairSigner()));
  await airdrop(cluster.rpc, wallets.map((w) => w.address), sol);
  return wallets;
}

/** Instructions giving `owner` (default: the payer) `amount` of the named collateral
 * in its associated account, which `payer` creates if missing (mint authority signs). */
export async function mintCollateral(
  state: DeployState,
  mintAuthority: TransactionSigner,
  payer: TransactionSigner,
  name: string,
  amount: bigint,
  owner: Address = payer.address,
): Promise<Instruction[]> {
  const collateral = state.collaterals[name];
  if (!collateral) throw new Error(`no collateral named ${name}`);
  const account = await associatedTokenAddress(owner, collateral.mint, collateral.tokenProgram);
  return [
    tx.createAssociatedTokenIdempotentInstruction({ payer, associatedToken: account, owner, mint: collateral.mint, tokenProgram: collateral.tokenProgram }),
    getMintToInstruction({ mint: collateral.mint, token: account, mintAuthority, amount }, { programAddress: collateral.tokenProgram }),
  ];
}

/** Opens one position per spec (a new funded wallet each); returns them in order. */
export async function openBook(
  cluster: Cluster,
  state: DeployState,
  mintAuthority: TransactionSigner,
  specs: readonly PositionSpec[],
  options: { concurrency?: number; now?: bigint } = {},
): Promise<Participant[]> {
  const wallets = await fundWallets(cluster, specs.length);
  // Borrowing limits are computed from the pool's cache: make it fresh.
  await refreshAll(cluster, state, wallets[0]!);
  const pool = await fetchPool(cluster.rpc, state.pool);
  const now = options.now ?? BigInt(Math.floor(Date.now() / 1_000));
  const participants: Participant[] = new Array(specs.length);
  const concurrency = options.concurrency ?? 24;
  // A sliding window, not lockstep chunks: a wallet's transaction starts as soon as
  // any other lands, instead of waiting for the slowest of its chunk.
  let next = 0;
  const open = async (index: number, spec: PositionSpec) => {
    const owner = wallets[index]!;
    const instructions: Instruction[] = [];
    const amounts = new Array<bigint>(8).fill(0n);
    for (const [name, amount] of Object.entries(spec.deposits)) {
      instructions.push(...(await mintCollateral(state, mintAuthority, owner, name, amount)));
      amounts[state.collaterals[name]!.index] = amount;
    }
    const opened = await tx.openPosition({ owner, pool: state.pool });
    instructions.push(...opened.instructions);
    for (const [name, amount] of Object.entries(spec.deposits)) {
      const c = state.collaterals[name]!;
      instructions.push(...(await tx.deposit({ owner, pool: state.pool, collateralIndex: c.index, mint: c.mint, tokenProgram: c.tokenProgram, amount })).instructions);
    }
    if (spec.leverage > 0) {
      const limit = Health.compute(collateralViews(pool, amounts), 0n, PriceBasis.Conservative, now).weightedCollateral;
      const notes = (limit * BigInt(Math.floor(spec.leverage * 1_000_000))) / 1_000_000n;
      for (const [name] of Object.entries(spec.deposits)) {
        const c = state.collaterals[name]!;
        instructions.push(...(await tx.refreshOracle({ pool: state.pool, oracle: c.oracle, collateralIndex: c.index })).instructions);
      }
      if (notes > 0n) instructions.push(...(await tx.mint({ owner, pool: state.pool, amount: notes })).instructions);
    }
    await sendInstructions(cluster, owner, instructions);
    participants[index] = { signer: owner, position: opened.position };
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, specs.length) }, async () => {
      for (let index = next++; index < specs.length; index = next++) await open(index, specs[index]!);
    }),
  );
  return participants;
}
