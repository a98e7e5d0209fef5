// Pool administration, signed by the pool authority: set-up, parameters, pause bits,
// the authority hand-over and the allowlist of permissioned pools. (Tranche set-up is
// in `tranches.ts`.)
import type { Address, TransactionSigner } from '@solana/kit';

import {
  getAcceptAuthorityInstruction,
  getAddCollateralInstructionAsync,
  getAllowInstructionAsync,
  getDisallowInstruction,
  getInitPoolInstruction,
  getProposeAuthorityInstruction,
  getSetPauseFlagsInstruction,
  getUpdateCollateralInstruction,
  getUpdatePoolInstruction,
  parseAddCollateralInstruction,
  parseAllowInstruction,
  type CollateralParamsArgs,
  type PoolParamsArgs,
} from '../generated/index.js';
import { allowlistEntryAddress, associatedTokenAddress, noteMintAddress, poolAddress } from '../pda.js';
import { shareAccountFreezeList } from './share-accounts.js';
import { withRemainingAccounts } from './remaining.js';
import type { Built } from './built.js';
import { oracleSource, type OracleSourceInput } from './oracle.js';

/** `init_pool`: the pool `["pool", authority, poolId]`, its note mint and treasury (the
 * associated note account of `treasuryOwner`, default the authority). A `permissioned`
 * pool (default: not) requires an allowlist entry to open positions and hold shares. */
export async function initPool(input: {
  payer: TransactionSigner;
  authority: TransactionSigner;
  poolId: bigint | number;
  params: PoolParamsArgs;
  treasuryOwner?: Address;
  permissioned?: boolean;
}): Promise<Built<{ pool: Address; noteMint: Address; treasury: Address }>> {
  // Derived here: the pool's seeds include a field of the instruction's argument
  // struct, which Codama does not resolve, and the treasury is an associated account
  // of the note mint.
  const pool = await poolAddress(input.authority.address, input.poolId);
  const noteMint = await noteMintAddress(pool);
  const treasuryOwner = input.treasuryOwner ?? input.authority.address;
  const treasury = await associatedTokenAddress(treasuryOwner, noteMint);
  const instruction = getInitPoolInstruction({
    payer: input.payer,
    authority: input.authority,
    pool,
    noteMint,
    treasuryOwner,
    treasury,
    poolId: input.poolId,
    params: input.params,
    permissioned: input.permissioned ?? false,
  });
  return { instructions: [instruction], pool, noteMint, treasury };
}

/** `add_collateral`: lists `mint` (SPL Token, the default, or Token-2022) with its
 * vault `["vault", pool, mint]`, its Pyth oracle account and risk parameters. */
export async function addCollateral(input: {
  payer: TransactionSigner;
  authority: TransactionSigner;
  pool: Address;
  mint: Address;
  tokenProgram?: Address;
  oracle: Address;
  oracleSource: OracleSourceInput;
  params: CollateralParamsArgs;
}): Promise<Built<{ vault: Address }>> {
  const instruction = await getAddCollateralInstructionAsync({ ...input, oracleArg: oracleSource(input.oracleSource) });
  const { vault } = parseAddCollateralInstruction(instruction).accounts;
  return { instructions: [instruction], vault: vault.address };
}

/** `update_pool`: new parameters and treasury note account (pass the current one to
 * keep it). Debt accrues at the old fee first. */
export async function updatePool(input: {
  authority: TransactionSigner;
  pool: Address;
  params: PoolParamsArgs;
  treasury: Address;
}): Promise<Built> {
  return { instructions: [getUpdatePoolInstruction(input)] };
}

/** `update_collateral`: new risk parameters and, optionally, a new oracle (which
 * clears the cached price until the next refresh). */
export async function updateCollateral(input: {
  authority: TransactionSigner;
  pool: Address;
  collateralIndex: number;
  params: CollateralParamsArgs;
  oracle?: { address: Address; source: OracleSourceInput };
}): Promise<Built> {
  const instruction = getUpdateCollateralInstruction({
    authority: input.authority,
    pool: input.pool,
    oracle: input.oracle?.address,
    collateralIndex: input.collateralIndex,
    params: input.params,
    oracleArg: input.oracle ? oracleSource(input.oracle.source) : null,
  });
  return { instructions: [instruction] };
}

/** Pause bits (`programs/strata/src/constants.rs`, `pause`). */
export const PauseFlags = {
  Deposit: 1 << 0,
  Withdraw: 1 << 1,
  Mint: 1 << 2,
  Liquidate: 1 << 3,
  Tranche: 1 << 4,
  All: 0b11111,
} as const;

/** `set_pause_flags`: replaces the pause bits ({@link PauseFlags}). */
export async function setPauseFlags(input: { authority: TransactionSigner; pool: Address; flags: number }): Promise<Built> {
  return { instructions: [getSetPauseFlagsInstruction(input)] };
}

/** `propose_authority`: names the next authority (the default address cancels). */
export async function proposeAuthority(input: { authority: TransactionSigner; pool: Address; newAuthority: Address }): Promise<Built> {
  return { instructions: [getProposeAuthorityInstruction(input)] };
}

/** `accept_authority`: signed by the proposed authority. */
export async function acceptAuthority(input: { newAuthority: TransactionSigner; pool: Address }): Promise<Built> {
  return { instructions: [getAcceptAuthorityInstruction(input)] };
}

/** `allow`: puts `wallet` on a permissioned pool's allowlist (`["allow", pool, wallet]`). */
export async function allow(input: {
  payer: TransactionSigner;
  authority: TransactionSigner;
  pool: Address;
  wallet: Address;
}): Promise<Built<{ entry: Address }>> {
  const instruction = await getAllowInstructionAsync(input);
  const { entry } = parseAllowInstruction(instruction).accounts;
  return { instructions: [instruction], entry: entry.address };
}

/** `disallow`: closes `wallet`'s allowlist entry; its rent goes to `rentReceiver`
 * (default: the authority). In a permissioned pool pass its `trancheCount`: the
 * wallet's share account of every tranche is frozen (its shares can then neither move
 * nor be redeemed until it is allowed again). */
export async function disallow(input: {
  authority: TransactionSigner;
  pool: Address;
  wallet: Address;
  rentReceiver?: Address;
  trancheCount?: number;
}): Promise<Built<{ entry: Address }>> {
  // `disallow` takes no wallet argument, so the generated builder cannot derive the entry.
  const entry = await allowlistEntryAddress(input.pool, input.wallet);
  const instruction = getDisallowInstruction({
    authority: input.authority,
    pool: input.pool,
    entry,
    rentReceiver: input.rentReceiver ?? input.authority.address,
  });
  const freeze = await shareAccountFreezeList(input.pool, input.wallet, input.trancheCount ?? 0);
  return { instructions: [withRemainingAccounts(instruction, freeze)], entry };
}
