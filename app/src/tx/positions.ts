// Positions, signed by the owner (repay: by anyone). The generated builders derive
// the owner's position and the collateral vault; what stays here is the allowlist
// entry of permissioned pools and the default token accounts. The inputs go to the
// generated builders as they are, with those accounts added (fields a builder does
// not know, such as `createDestination`, are ignored by it).
import type { Address, TransactionSigner } from '@solana/kit';

import {
  getClosePositionInstructionAsync,
  getDepositInstructionAsync,
  getMintInstructionAsync,
  getOpenPositionInstructionAsync,
  getRepayInstruction,
  getWithdrawInstructionAsync,
  parseClosePositionInstruction,
  parseDepositInstruction,
  parseMintInstruction,
  parseOpenPositionInstruction,
  parseWithdrawInstruction,
} from '../generated/index.js';
import { allowlistEntryAddress, associatedTokenAddress, noteMintAddress } from '../pda.js';
import type { Built } from './built.js';
import { targetPosition } from './position-target.js';
import { receivingAccount } from './token-accounts.js';

/** `open_position`: the owner's position `["position", pool, owner]`; `payer`
 * (default: the owner) funds its rent. In a `permissioned` pool the owner's allowlist
 * entry `["allow", pool, owner]` goes along. */
export async function openPosition(input: {
  owner: TransactionSigner;
  pool: Address;
  payer?: TransactionSigner;
  permissioned?: boolean;
}): Promise<Built<{ position: Address; allowlistEntry?: Address }>> {
  // The entry is optional in the IDL, so the generated builder leaves it out.
  const allowlistEntry = input.permissioned ? await allowlistEntryAddress(input.pool, input.owner.address) : undefined;
  const instruction = await getOpenPositionInstructionAsync({ ...input, payer: input.payer ?? input.owner, allowlistEntry });
  const { position } = parseOpenPositionInstruction(instruction).accounts;
  return { instructions: [instruction], position: position.address, ...(allowlistEntry ? { allowlistEntry } : {}) };
}

/** `close_position`: closes the owner's empty position; rent back to the owner. */
export async function closePosition(input: { owner: TransactionSigner; pool: Address }): Promise<Built<{ position: Address }>> {
  const instruction = await getClosePositionInstructionAsync(input);
  const { position } = parseClosePositionInstruction(instruction).accounts;
  return { instructions: [instruction], position: position.address };
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
  const source = input.source ?? (await associatedTokenAddress(input.owner.address, input.mint, input.tokenProgram));
  const instruction = await getDepositInstructionAsync({ ...input, source });
  const { position, vault } = parseDepositInstruction(instruction).accounts;
  return { instructions: [instruction], position: position.address, vault: vault.address, source };
}

/** `withdraw`: moves `amount` from the vault to `destination` (default: the owner's
 * associated account of the mint, created first if missing). */
export async function withdraw(
  input: CollateralInput & { destination?: Address; createDestination?: boolean },
): Promise<Built<{ position: Address; vault: Address; destination: Address }>> {
  const destination = await receivingAccount({
    payer: input.owner,
    owner: input.owner.address,
    mint: input.mint,
    tokenProgram: input.tokenProgram,
    given: input.destination,
    create: input.createDestination,
  });
  const instruction = await getWithdrawInstructionAsync({ ...input, destination: destination.address });
  const { position, vault } = parseWithdrawInstruction(instruction).accounts;
  return {
    instructions: [...destination.creation, instruction],
    position: position.address,
    vault: vault.address,
    destination: destination.address,
  };
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
  // The note mint is derived here for the default destination, and passed on.
  const noteMint = await noteMintAddress(input.pool);
  const destination = await receivingAccount({
    payer: input.owner,
    owner: input.owner.address,
    mint: noteMint,
    given: input.destination,
    create: input.createDestination,
  });
  const instruction = await getMintInstructionAsync({ ...input, noteMint, destination: destination.address });
  const { position } = parseMintInstruction(instruction).accounts;
  return {
    instructions: [...destination.creation, instruction],
    position: position.address,
    noteMint,
    destination: destination.address,
  };
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
  // The position is someone's, not the signer's, and the note mint is needed for the
  // default source: both derived here, so the plain builder suffices.
  const position = await targetPosition(input.pool, { positionOwner: input.positionOwner ?? input.payer.address });
  const noteMint = await noteMintAddress(input.pool);
  const source = input.source ?? (await associatedTokenAddress(input.payer.address, noteMint));
  const instruction = getRepayInstruction({ ...input, position, noteMint, source });
  return { instructions: [instruction], position, noteMint, source };
}
