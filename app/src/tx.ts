// Instruction builders for everything a wallet signs. Each derives the PDAs and
// default token accounts, so callers pass only wallets (as signers), mints, indexes
// and amounts, and each returns the instructions to put in one transaction, in order,
// with the addresses it derived.
import {
  AccountRole,
  type AccountSignerMeta,
  type Address,
  type Instruction,
  type ReadonlyUint8Array,
  type TransactionSigner,
} from '@solana/kit';

import {
  getAcceptAuthorityInstruction,
  getAddCollateralInstruction,
  getClosePositionInstruction,
  getDepositInstruction,
  getInitPoolInstruction,
  getMintInstruction,
  getOpenPositionInstruction,
  getProposeAuthorityInstruction,
  getRefreshOracleInstruction,
  getRepayInstruction,
  getSetPauseFlagsInstruction,
  getUpdateCollateralInstruction,
  getUpdatePoolInstruction,
  getWithdrawInstruction,
  OracleKind,
  type CollateralParamsArgs,
  type PoolParamsArgs,
} from './generated/index.js';
import {
  ASSOCIATED_TOKEN_PROGRAM_ADDRESS,
  associatedTokenAddress,
  noteMintAddress,
  poolAddress,
  positionAddress,
  SYSTEM_PROGRAM_ADDRESS,
  TOKEN_PROGRAM_ADDRESS,
  vaultAddress,
} from './pda.js';

/** What every builder returns: the instructions, in order, and what it derived. */
export type Built<T extends object = object> = T & { instructions: Instruction[] };

/** A price source: legacy Pyth (no feed id) or pull Pyth (`PriceUpdateV2`, feed id). */
export type OracleSourceInput = { kind: OracleKind; feedId?: ReadonlyUint8Array };

const ZERO_FEED_ID = new Uint8Array(32);
const oracleSource = (source: OracleSourceInput) => ({ kind: source.kind, feedId: source.feedId ?? ZERO_FEED_ID });

/** The Associated Token program's `CreateIdempotent`: creates `owner`'s account for
 * `mint` if it does not exist, and does nothing if it does. */
export function createAssociatedTokenIdempotentInstruction(input: {
  payer: TransactionSigner;
  associatedToken: Address;
  owner: Address;
  mint: Address;
  tokenProgram?: Address;
}): Instruction {
  // The payer's meta carries its signer, as Codama's do, for `signTransactionMessageWithSigners`.
  const payer: AccountSignerMeta = { address: input.payer.address, role: AccountRole.WRITABLE_SIGNER, signer: input.payer };
  return {
    programAddress: ASSOCIATED_TOKEN_PROGRAM_ADDRESS,
    accounts: [
      payer,
      { address: input.associatedToken, role: AccountRole.WRITABLE },
      { address: input.owner, role: AccountRole.READONLY },
      { address: input.mint, role: AccountRole.READONLY },
      { address: SYSTEM_PROGRAM_ADDRESS, role: AccountRole.READONLY },
      { address: input.tokenProgram ?? TOKEN_PROGRAM_ADDRESS, role: AccountRole.READONLY },
    ],
    data: Uint8Array.of(1),
  };
}

// --- admin (signed by the pool authority) -------------------------------------------

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
  const pool = await poolAddress(input.authority.address, input.poolId);
  const noteMint = await noteMintAddress(pool);
  const treasuryOwner = input.treasuryOwner ?? input.authority.address;
  const treasury = await associatedTokenAddress(treasuryOwner, noteMint, TOKEN_PROGRAM_ADDRESS);
  const instruction = getInitPoolInstruction({
    payer: input.payer,
    authority: input.authority,
    pool,
    noteMint,
    treasuryOwner,
    treasury,
    tokenProgram: TOKEN_PROGRAM_ADDRESS,
    associatedTokenProgram: ASSOCIATED_TOKEN_PROGRAM_ADDRESS,
    systemProgram: SYSTEM_PROGRAM_ADDRESS,
    poolId: input.poolId,
    params: input.params,
    permissioned: input.permissioned ?? false,
  });
  return { instructions: [instruction], pool, noteMint, treasury };
}

/** `add_collateral`: lists `mint` (SPL Token or Token-2022) with its vault
 * `["vault", pool, mint]`, its Pyth oracle account and risk parameters. */
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
  const vault = await vaultAddress(input.pool, input.mint);
  const instruction = getAddCollateralInstruction({
    payer: input.payer,
    authority: input.authority,
    pool: input.pool,
    mint: input.mint,
    vault,
    oracle: input.oracle,
    tokenProgram: input.tokenProgram ?? TOKEN_PROGRAM_ADDRESS,
    systemProgram: SYSTEM_PROGRAM_ADDRESS,
    params: input.params,
    oracleArg: oracleSource(input.oracleSource),
  });
  return { instructions: [instruction], vault };
}

/** `update_pool`: new parameters and treasury note account (pass the current one to
 * keep it). Debt accrues at the old fee first. */
export async function updatePool(input: {
  authority: TransactionSigner;
  pool: Address;
  params: PoolParamsArgs;
  treasury: Address;
}): Promise<Built> {
  const instruction = getUpdatePoolInstruction({
    authority: input.authority,
    pool: input.pool,
    treasury: input.treasury,
    params: input.params,
  });
  return { instructions: [instruction] };
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
    ...(input.oracle ? { oracle: input.oracle.address } : {}),
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
export async function proposeAuthority(input: {
  authority: TransactionSigner;
  pool: Address;
  newAuthority: Address;
}): Promise<Built> {
  return { instructions: [getProposeAuthorityInstruction(input)] };
}

/** `accept_authority`: signed by the proposed authority. */
export async function acceptAuthority(input: { newAuthority: TransactionSigner; pool: Address }): Promise<Built> {
  return { instructions: [getAcceptAuthorityInstruction(input)] };
}

// --- positions (signed by the owner) ------------------------------------------------

/** `open_position`: the owner's position `["position", pool, owner]`; `payer`
 * (default: the owner) funds its rent. */
export async function openPosition(input: {
  owner: TransactionSigner;
  pool: Address;
  payer?: TransactionSigner;
}): Promise<Built<{ position: Address }>> {
  const position = await positionAddress(input.pool, input.owner.address);
  const instruction = getOpenPositionInstruction({
    payer: input.payer ?? input.owner,
    owner: input.owner,
    pool: input.pool,
    position,
    systemProgram: SYSTEM_PROGRAM_ADDRESS,
  });
  return { instructions: [instruction], position };
}

/** `close_position`: closes the owner's empty position; rent back to the owner. */
export async function closePosition(input: { owner: TransactionSigner; pool: Address }): Promise<Built<{ position: Address }>> {
  const position = await positionAddress(input.pool, input.owner.address);
  return { instructions: [getClosePositionInstruction({ owner: input.owner, position })], position };
}

type CollateralInput = {
  owner: TransactionSigner;
  pool: Address;
  /** The collateral's index in the pool (see `findCollateral`). */
  collateralIndex: number;
  mint: Address;
  /** The mint's token program (default SPL Token). */
  tokenProgram?: Address;
  amount: bigint | number;
};

/** `deposit`: moves `amount` from `source` (default: the owner's associated account
 * of the mint) into the pool's vault. */
export async function deposit(
  input: CollateralInput & { source?: Address },
): Promise<Built<{ position: Address; vault: Address; source: Address }>> {
  const tokenProgram = input.tokenProgram ?? TOKEN_PROGRAM_ADDRESS;
  const position = await positionAddress(input.pool, input.owner.address);
  const vault = await vaultAddress(input.pool, input.mint);
  const source = input.source ?? (await associatedTokenAddress(input.owner.address, input.mint, tokenProgram));
  const instruction = getDepositInstruction({
    owner: input.owner,
    pool: input.pool,
    position,
    mint: input.mint,
    vault,
    source,
    tokenProgram,
    collateralIndex: input.collateralIndex,
    amount: input.amount,
  });
  return { instructions: [instruction], position, vault, source };
}

/** `withdraw`: moves `amount` from the vault to `destination` (default: the owner's
 * associated account of the mint, created first if missing). */
export async function withdraw(
  input: CollateralInput & { destination?: Address; createDestination?: boolean },
): Promise<Built<{ position: Address; vault: Address; destination: Address }>> {
  const tokenProgram = input.tokenProgram ?? TOKEN_PROGRAM_ADDRESS;
  const position = await positionAddress(input.pool, input.owner.address);
  const vault = await vaultAddress(input.pool, input.mint);
  const destination =
    input.destination ?? (await associatedTokenAddress(input.owner.address, input.mint, tokenProgram));
  const instructions: Instruction[] = [];
  if (input.createDestination ?? input.destination === undefined) {
    instructions.push(
      createAssociatedTokenIdempotentInstruction({
        payer: input.owner,
        associatedToken: destination,
        owner: input.owner.address,
        mint: input.mint,
        tokenProgram,
      }),
    );
  }
  instructions.push(
    getWithdrawInstruction({
      owner: input.owner,
      pool: input.pool,
      position,
      mint: input.mint,
      vault,
      destination,
      tokenProgram,
      collateralIndex: input.collateralIndex,
      amount: input.amount,
    }),
  );
  return { instructions, position, vault, destination };
}

/** `mint`: mints `amount` notes against the owner's position into `destination`
 * (default: the owner's associated note account, created first if missing). */
export async function mint(input: {
  owner: TransactionSigner;
  pool: Address;
  amount: bigint | number;
  destination?: Address;
  createDestination?: boolean;
}): Promise<Built<{ position: Address; noteMint: Address; destination: Address }>> {
  const position = await positionAddress(input.pool, input.owner.address);
  const noteMint = await noteMintAddress(input.pool);
  const destination =
    input.destination ?? (await associatedTokenAddress(input.owner.address, noteMint, TOKEN_PROGRAM_ADDRESS));
  const instructions: Instruction[] = [];
  if (input.createDestination ?? input.destination === undefined) {
    instructions.push(
      createAssociatedTokenIdempotentInstruction({
        payer: input.owner,
        associatedToken: destination,
        owner: input.owner.address,
        mint: noteMint,
      }),
    );
  }
  instructions.push(
    getMintInstruction({
      owner: input.owner,
      pool: input.pool,
      position,
      noteMint,
      destination,
      tokenProgram: TOKEN_PROGRAM_ADDRESS,
      amount: input.amount,
    }),
  );
  return { instructions, position, noteMint, destination };
}

/** The `repay` amount that repays the whole debt. */
export const REPAY_ALL = 0xffff_ffff_ffff_ffffn;

/** `repay`: burns up to `amount` notes ({@link REPAY_ALL} for everything) from
 * `source` (default: the payer's associated note account) against the position of
 * `positionOwner` (default: the payer). Anyone may repay any position. */
export async function repay(input: {
  payer: TransactionSigner;
  pool: Address;
  amount: bigint | number;
  positionOwner?: Address;
  source?: Address;
}): Promise<Built<{ position: Address; noteMint: Address; source: Address }>> {
  const position = await positionAddress(input.pool, input.positionOwner ?? input.payer.address);
  const noteMint = await noteMintAddress(input.pool);
  const source = input.source ?? (await associatedTokenAddress(input.payer.address, noteMint, TOKEN_PROGRAM_ADDRESS));
  const instruction = getRepayInstruction({
    payer: input.payer,
    pool: input.pool,
    position,
    noteMint,
    source,
    tokenProgram: TOKEN_PROGRAM_ADDRESS,
    amount: input.amount,
  });
  return { instructions: [instruction], position, noteMint, source };
}

// --- oracle (permissionless; any fee payer) -----------------------------------------

/** `refresh_oracle`: caches the collateral's Pyth price and accrues the fee. */
export async function refreshOracle(input: { pool: Address; oracle: Address; collateralIndex: number }): Promise<Built> {
  return { instructions: [getRefreshOracleInstruction(input)] };
}
