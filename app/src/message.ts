// The v0 message every sender builds: the admin tools, the keeper and the web app's
// wallet sends all sign the same shape, so it is built in one place.
import {
  appendTransactionMessageInstructions,
  createTransactionMessage,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  type BlockhashLifetimeConstraint,
  type Instruction,
  type TransactionSigner,
} from '@solana/kit';

/** The v0 message of `instructions`, paid for by `payer`, valid while `blockhash` is. */
export const transactionMessage = (payer: TransactionSigner, blockhash: BlockhashLifetimeConstraint, instructions: readonly Instruction[]) =>
  pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
