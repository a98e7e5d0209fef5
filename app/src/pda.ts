// Program-derived addresses as plain addresses. The derivations themselves are the
// generated finders (`findPositionPda`, ... in `generated/pdas/`, from the IDL's seeds);
// this file only unwraps their `[address, bump]` and adds the associated token
// accounts the builders default to.
import type { Address, ProgramDerivedAddress } from '@solana/kit';
import { findAssociatedTokenPda, TOKEN_PROGRAM_ADDRESS } from '@solana-program/token';

import {
  findAllowlistEntryPda,
  findCollateralVaultPda,
  findNoteMintPda,
  findPoolPda,
  findPositionPda,
  findShareMintPda,
  findTranchePda,
  findTrancheVaultPda,
} from './generated/index.js';

export { ASSOCIATED_TOKEN_PROGRAM_ADDRESS, TOKEN_PROGRAM_ADDRESS } from '@solana-program/token';
export { SYSTEM_PROGRAM_ADDRESS } from '@solana-program/system';
export const TOKEN_2022_PROGRAM_ADDRESS = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb' as Address;

export const tokenProgramName = (tokenProgram: Address): string =>
  tokenProgram === TOKEN_2022_PROGRAM_ADDRESS ? 'Token-2022' : 'SPL Token';

/** Derived addresses by kind and seeds. A derivation is a pure function of its seeds
 * and costs a SHA-256 and a curve check per bump tried; a keeper derives the same few
 * (the note mint, vaults, its own token accounts) for every transaction it builds, so
 * each is derived once for the life of the client, bounded by the distinct seeds it uses. */
const derived = new Map<string, Promise<Address>>();

function once(key: string, derive: () => Promise<ProgramDerivedAddress>): Promise<Address> {
  let address = derived.get(key);
  if (!address) {
    address = derive().then(([found]) => found);
    derived.set(key, address);
    // A failure is not kept: the next call derives again.
    address.catch(() => derived.delete(key));
  }
  return address;
}

export const poolAddress = (creator: Address, poolId: bigint | number) => once(`pool/${creator}/${poolId}`, () => findPoolPda({ creator, poolId }));
export const noteMintAddress = (pool: Address) => once(`noteMint/${pool}`, () => findNoteMintPda({ pool }));
export const vaultAddress = (pool: Address, mint: Address) => once(`vault/${pool}/${mint}`, () => findCollateralVaultPda({ pool, mint }));
export const positionAddress = (pool: Address, owner: Address) => once(`position/${pool}/${owner}`, () => findPositionPda({ pool, owner }));
export const associatedTokenAddress = (owner: Address, mint: Address, tokenProgram: Address = TOKEN_PROGRAM_ADDRESS) =>
  once(`ata/${owner}/${mint}/${tokenProgram}`, () => findAssociatedTokenPda({ owner, mint, tokenProgram }));

export function trancheAddress(pool: Address, index: number): Promise<Address> {
  if (!Number.isInteger(index) || index < 0 || index > 255) throw new RangeError(`tranche index ${index} is not a u8`);
  return once(`tranche/${pool}/${index}`, () => findTranchePda({ pool, index }));
}
export const shareMintAddress = (tranche: Address) => once(`shareMint/${tranche}`, () => findShareMintPda({ tranche }));
export const trancheVaultAddress = (tranche: Address) => once(`trancheVault/${tranche}`, () => findTrancheVaultPda({ tranche }));
export const allowlistEntryAddress = (pool: Address, wallet: Address) => once(`allowlist/${pool}/${wallet}`, () => findAllowlistEntryPda({ pool, wallet }));
/** Shares are Token-2022 tokens in every pool. */
export const SHARE_TOKEN_PROGRAM_ADDRESS = TOKEN_2022_PROGRAM_ADDRESS;
/** `owner`'s associated account of a share mint (the only share account a
 * permissioned pool thaws). */
export const shareAccountAddress = (owner: Address, shareMint: Address) =>
  associatedTokenAddress(owner, shareMint, SHARE_TOKEN_PROGRAM_ADDRESS);

export async function trancheAddresses(
  pool: Address,
  index: number,
): Promise<{ tranche: Address; shareMint: Address; vault: Address }> {
  const tranche = await trancheAddress(pool, index);
  const [shareMint, vault] = await Promise.all([shareMintAddress(tranche), trancheVaultAddress(tranche)]);
  return { tranche, shareMint, vault };
}

export async function treasuryAddress(pool: Address, treasuryOwner: Address): Promise<Address> {
  return associatedTokenAddress(treasuryOwner, await noteMintAddress(pool), TOKEN_PROGRAM_ADDRESS);
}
