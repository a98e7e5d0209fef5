// The instructions of each wallet flow, from the snapshot and the wallet's signer,
// through the client's builders. Mint, withdraw (with debt), tranche deposits and
// claims need fresh prices in the same transaction: the collaterals' `refresh_oracle`
// goes first.
import type { Instruction, TransactionSigner } from '@solana/kit';
import { tx } from '@strata/client';

import type { Snapshot } from '../chain/snapshot.js';

/** `refresh_oracle` for each listed collateral `wanted` selects (default: all). */
export async function refreshes(snapshot: Snapshot, wanted: (index: number) => boolean = () => true): Promise<Instruction[]> {
  const { pool, poolAddress } = snapshot;
  const out: Instruction[] = [];
  for (const [index, config] of pool.collaterals.slice(0, pool.collateralCount).entries()) {
    if (wanted(index)) out.push(...(await tx.refreshOracle({ pool: poolAddress, oracle: config.oracle, collateralIndex: index })).instructions);
  }
  return out;
}

/** The collaterals a position holds (a mint or withdrawal values them). */
const held = (snapshot: Snapshot) => (index: number) => (snapshot.wallet?.position?.account.collateral[index] ?? 0n) > 0n;
/** The collaterals any tranche holds (entries and claims value them). */
const trancheHeld = (snapshot: Snapshot) => (index: number) => snapshot.tranches.some((t) => (t.state.collateralHeld[index] ?? 0n) > 0n);

const permissioned = (snapshot: Snapshot) => snapshot.pool.permissioned !== 0;

export async function openPosition(snapshot: Snapshot, owner: TransactionSigner): Promise<Instruction[]> {
  return (await tx.openPosition({ owner, pool: snapshot.poolAddress, permissioned: permissioned(snapshot) })).instructions;
}

export async function deposit(snapshot: Snapshot, owner: TransactionSigner, index: number, amount: bigint): Promise<Instruction[]> {
  const c = snapshot.pool.collaterals[index]!;
  return (await tx.deposit({ owner, pool: snapshot.poolAddress, collateralIndex: index, mint: c.mint, tokenProgram: c.tokenProgram, amount })).instructions;
}

export async function withdraw(snapshot: Snapshot, owner: TransactionSigner, index: number, amount: bigint): Promise<Instruction[]> {
  const c = snapshot.pool.collaterals[index]!;
  const built = await tx.withdraw({ owner, pool: snapshot.poolAddress, collateralIndex: index, mint: c.mint, tokenProgram: c.tokenProgram, amount });
  return [...(await refreshes(snapshot, held(snapshot))), ...built.instructions];
}

export async function mint(snapshot: Snapshot, owner: TransactionSigner, amount: bigint): Promise<Instruction[]> {
  const built = await tx.mint({ owner, pool: snapshot.poolAddress, amount });
  return [...(await refreshes(snapshot, held(snapshot))), ...built.instructions];
}

export async function repay(snapshot: Snapshot, payer: TransactionSigner, amount: bigint): Promise<Instruction[]> {
  return (await tx.repay({ payer, pool: snapshot.poolAddress, amount })).instructions;
}

export async function trancheDeposit(snapshot: Snapshot, depositor: TransactionSigner, index: number, amount: bigint): Promise<Instruction[]> {
  const built = await tx.trancheDeposit({
    depositor,
    pool: snapshot.poolAddress,
    index,
    trancheCount: snapshot.pool.trancheCount,
    amount,
    permissioned: permissioned(snapshot),
    refreshes: await refreshes(snapshot, trancheHeld(snapshot)),
  });
  return built.instructions;
}

export async function requestRedemption(snapshot: Snapshot, holder: TransactionSigner, index: number, shares: bigint): Promise<Instruction[]> {
  return (await tx.requestRedemption({ holder, pool: snapshot.poolAddress, index, shares, permissioned: permissioned(snapshot) })).instructions;
}

export async function claimRedemption(snapshot: Snapshot, holder: TransactionSigner, index: number): Promise<Instruction[]> {
  const tranche = snapshot.tranches[index]!;
  const built = await tx.claimRedemption({
    holder,
    pool: snapshot.poolAddress,
    index,
    trancheCount: snapshot.pool.trancheCount,
    permissioned: permissioned(snapshot),
    // What the claim can pay out: a share of every collateral the tranche holds.
    payouts: tx.payoutsFor(snapshot.pool, tranche.state.collateralHeld),
  });
  return [...(await refreshes(snapshot, trancheHeld(snapshot))), ...built.instructions];
}

export async function cancelRedemption(snapshot: Snapshot, holder: TransactionSigner, index: number): Promise<Instruction[]> {
  return (await tx.cancelRedemption({ holder, pool: snapshot.poolAddress, index })).instructions;
}
