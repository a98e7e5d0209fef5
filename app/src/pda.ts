// Program-derived addresses, as `strata::pda` derives them, plus the associated token
// accounts the builders default to.
import {
  getAddressEncoder,
  getProgramDerivedAddress,
  getU64Encoder,
  type Address,
  type ProgramDerivedAddress,
} from '@solana/kit';
import { findAssociatedTokenPda, TOKEN_PROGRAM_ADDRESS } from '@solana-program/token';

import { STRATA_PROGRAM_ADDRESS } from './generated/index.js';

export { ASSOCIATED_TOKEN_PROGRAM_ADDRESS, TOKEN_PROGRAM_ADDRESS } from '@solana-program/token';
export { SYSTEM_PROGRAM_ADDRESS } from '@solana-program/system';
export const TOKEN_2022_PROGRAM_ADDRESS = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb' as Address;

/** The token program's name, as tools print it: `Token-2022` or `SPL Token`. */
export const tokenProgramName = (tokenProgram: Address): string =>
  tokenProgram === TOKEN_2022_PROGRAM_ADDRESS ? 'Token-2022' : 'SPL Token';

/** PDA seeds (`programs/strata/src/constants.rs`). */
export const POOL_SEED = 'pool';
export const NOTE_MINT_SEED = 'notes';
export const VAULT_SEED = 'vault';
export const POSITION_SEED = 'position';
export const TRANCHE_SEED = 'tranche';
export const SHARES_SEED = 'shares';
export const TRANCHE_VAULT_SEED = 'tranche_vault';
export const ALLOW_SEED = 'allow';

const addressBytes = getAddressEncoder();
const u64Le = getU64Encoder();

/** `["pool", creator, pool_id as u64 LE]`. `creator` is the authority at creation. */
export function findPoolPda(creator: Address, poolId: bigint | number): Promise<ProgramDerivedAddress> {
  return getProgramDerivedAddress({
    programAddress: STRATA_PROGRAM_ADDRESS,
    seeds: [POOL_SEED, addressBytes.encode(creator), u64Le.encode(poolId)],
  });
}

/** `["notes", pool]`: the pool's note mint (SPL Token, 6 decimals). */
export function findNoteMintPda(pool: Address): Promise<ProgramDerivedAddress> {
  return getProgramDerivedAddress({
    programAddress: STRATA_PROGRAM_ADDRESS,
    seeds: [NOTE_MINT_SEED, addressBytes.encode(pool)],
  });
}

/** `["vault", pool, mint]`: a collateral vault owned by the pool PDA. */
export function findVaultPda(pool: Address, mint: Address): Promise<ProgramDerivedAddress> {
  return getProgramDerivedAddress({
    programAddress: STRATA_PROGRAM_ADDRESS,
    seeds: [VAULT_SEED, addressBytes.encode(pool), addressBytes.encode(mint)],
  });
}

/** `["position", pool, owner]`: one position per owner and pool. */
export function findPositionPda(pool: Address, owner: Address): Promise<ProgramDerivedAddress> {
  return getProgramDerivedAddress({
    programAddress: STRATA_PROGRAM_ADDRESS,
    seeds: [POSITION_SEED, addressBytes.encode(pool), addressBytes.encode(owner)],
  });
}

/** `["tranche", pool, index as u8]`: index 0 is the most senior. */
export function findTranchePda(pool: Address, index: number): Promise<ProgramDerivedAddress> {
  if (!Number.isInteger(index) || index < 0 || index > 255) throw new RangeError(`tranche index ${index} is not a u8`);
  return getProgramDerivedAddress({
    programAddress: STRATA_PROGRAM_ADDRESS,
    seeds: [TRANCHE_SEED, addressBytes.encode(pool), Uint8Array.of(index)],
  });
}

/** `["shares", tranche]`: a tranche's share mint (SPL Token, 9 decimals). */
export function findShareMintPda(tranche: Address): Promise<ProgramDerivedAddress> {
  return getProgramDerivedAddress({
    programAddress: STRATA_PROGRAM_ADDRESS,
    seeds: [SHARES_SEED, addressBytes.encode(tranche)],
  });
}

/** `["tranche_vault", tranche]`: a tranche's note account, owned by the pool PDA. */
export function findTrancheVaultPda(tranche: Address): Promise<ProgramDerivedAddress> {
  return getProgramDerivedAddress({
    programAddress: STRATA_PROGRAM_ADDRESS,
    seeds: [TRANCHE_VAULT_SEED, addressBytes.encode(tranche)],
  });
}

/** `["allow", pool, wallet]`: exists iff `wallet` is on a permissioned pool's allowlist. */
export function findAllowlistEntryPda(pool: Address, wallet: Address): Promise<ProgramDerivedAddress> {
  return getProgramDerivedAddress({
    programAddress: STRATA_PROGRAM_ADDRESS,
    seeds: [ALLOW_SEED, addressBytes.encode(pool), addressBytes.encode(wallet)],
  });
}

const first = async (pda: Promise<ProgramDerivedAddress>): Promise<Address> => (await pda)[0];

export const poolAddress = (creator: Address, poolId: bigint | number) => first(findPoolPda(creator, poolId));
export const noteMintAddress = (pool: Address) => first(findNoteMintPda(pool));
export const vaultAddress = (pool: Address, mint: Address) => first(findVaultPda(pool, mint));
export const positionAddress = (pool: Address, owner: Address) => first(findPositionPda(pool, owner));
/** The associated token account of `owner` for `mint` under `tokenProgram`. */
export const associatedTokenAddress = (owner: Address, mint: Address, tokenProgram: Address = TOKEN_PROGRAM_ADDRESS) =>
  first(findAssociatedTokenPda({ owner, mint, tokenProgram }));

export const trancheAddress = (pool: Address, index: number) => first(findTranchePda(pool, index));
export const shareMintAddress = (tranche: Address) => first(findShareMintPda(tranche));
export const trancheVaultAddress = (tranche: Address) => first(findTrancheVaultPda(tranche));
export const allowlistEntryAddress = (pool: Address, wallet: Address) => first(findAllowlistEntryPda(pool, wallet));

/** A tranche's three addresses. */
export async function trancheAddresses(
  pool: Address,
  index: number,
): Promise<{ tranche: Address; shareMint: Address; vault: Address }> {
  const tranche = await trancheAddress(pool, index);
  const [shareMint, vault] = await Promise.all([shareMintAddress(tranche), trancheVaultAddress(tranche)]);
  return { tranche, shareMint, vault };
}

/** The treasury: the associated note account (SPL Token) of `treasuryOwner`. */
export async function treasuryAddress(pool: Address, treasuryOwner: Address): Promise<Address> {
  return associatedTokenAddress(treasuryOwner, await noteMintAddress(pool), TOKEN_PROGRAM_ADDRESS);
}
