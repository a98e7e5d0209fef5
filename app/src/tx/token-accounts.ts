// Default token accounts. The IDL cannot say which token account of a wallet an
// instruction uses, so the generated builders take them as inputs; the builders here
// default them to the wallet's associated account and create it when it receives.
import type { Address, Instruction, TransactionSigner } from '@solana/kit';
import { getCreateAssociatedTokenIdempotentInstruction } from '@solana-program/token';

import { associatedTokenAddress } from '../pda.js';

/** The Associated Token program's `CreateIdempotent`: creates `owner`'s account for
 * `mint` if it does not exist, and does nothing if it does. */
export function createAssociatedTokenIdempotentInstruction(input: {
  payer: TransactionSigner;
  associatedToken: Address;
  owner: Address;
  mint: Address;
  /** Default SPL Token. */
  tokenProgram?: Address;
}): Instruction {
  // The payer's meta carries its signer, for `signTransactionMessageWithSigners`.
  return getCreateAssociatedTokenIdempotentInstruction({
    payer: input.payer,
    ata: input.associatedToken,
    owner: input.owner,
    mint: input.mint,
    tokenProgram: input.tokenProgram,
  });
}

/** A token account to receive into, with the instructions that must run before it is
 * used (its idempotent creation, or nothing). */
export type ReceivingAccount = { address: Address; creation: Instruction[] };

/** `owner`'s account for `mint` to receive into: `given`, or the associated account.
 * It is created first when `create` says so, by default only when it is the
 * associated one (a given account is the caller's to create). */
export async function receivingAccount(input: {
  payer: TransactionSigner;
  owner: Address;
  mint: Address;
  tokenProgram?: Address;
  given?: Address;
  create?: boolean;
}): Promise<ReceivingAccount> {
  const { payer, owner, mint, tokenProgram } = input;
  const address = input.given ?? (await associatedTokenAddress(owner, mint, tokenProgram));
  const create = input.create ?? input.given === undefined;
  if (!create) return { address, creation: [] };
  return {
    address,
    creation: [createAssociatedTokenIdempotentInstruction({ payer, associatedToken: address, owner, mint, tokenProgram })],
  };
}
