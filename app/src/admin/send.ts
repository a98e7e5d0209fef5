/**
 * Sending instructions and waiting for them: one v0 transaction, signed by every
 * signer the instructions carry, sent with preflight, confirmed by polling. A
 * failure throws `TransactionFailed` with the program error by name when there is one.
 */
import {
  appendTransactionMessageInstructions,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type BlockhashLifetimeConstraint,
  type Instruction,
  type Rpc,
  type Signature,
  type SolanaRpcApi,
  type TransactionSigner,
} from '@solana/kit';

import { programError, type ProgramError } from '../program-errors.js';

export class TransactionFailed extends Error {
  constructor(
    readonly programError: ProgramError | undefined,
    readonly logs: readonly string[],
    cause: unknown,
  ) {
    super(programError ? `${programError.name}: ${programError.message}` : `transaction failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'TransactionFailed';
  }
}

/** The v0 message of `instructions`, paid for by `payer`, valid while `blockhash` is. */
export const transactionMessage = (payer: TransactionSigner, blockhash: BlockhashLifetimeConstraint, instructions: readonly Instruction[]) =>
  pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );

async function signed(rpc: Rpc<SolanaRpcApi>, payer: TransactionSigner, instructions: readonly Instruction[]) {
  const { value: blockhash } = await rpc.getLatestBlockhash().send();
  return { transaction: await signTransactionMessageWithSigners(transactionMessage(payer, blockhash, instructions)), blockhash };
}

/** Sends and waits for confirmation; returns the signature. */
export async function sendInstructions(
  rpc: Rpc<SolanaRpcApi>,
  payer: TransactionSigner,
  instructions: readonly Instruction[],
  options: { timeoutMs?: number } = {},
): Promise<Signature> {
  const { transaction, blockhash } = await signed(rpc, payer, instructions);
  const signature = getSignatureFromTransaction(transaction);
  try {
    await rpc.sendTransaction(getBase64EncodedWireTransaction(transaction), { encoding: 'base64' }).send();
  } catch (error) {
    const logs = ((error as { cause?: { context?: { logs?: string[] } } }).cause?.context?.logs ??
      (error as { context?: { logs?: string[] } }).context?.logs ??
      []) as string[];
    throw new TransactionFailed(programError(error), logs, error);
  }
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const { value } = await rpc.getSignatureStatuses([signature]).send();
    const status = value[0];
    if (status?.err) throw new TransactionFailed(programError(status.err), [], status.err);
    if (status?.confirmationStatus === 'confirmed' || status?.confirmationStatus === 'finalized') return signature;
    if (Date.now() > deadline || (await rpc.getBlockHeight().send()) > blockhash.lastValidBlockHeight) {
      throw new TransactionFailed(undefined, [], new Error(`${signature} not confirmed before its blockhash expired`));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Simulates; returns whether it would succeed, its logs and any program error. */
export async function simulateInstructions(
  rpc: Rpc<SolanaRpcApi>,
  payer: TransactionSigner,
  instructions: readonly Instruction[],
): Promise<{ ok: boolean; logs: readonly string[]; programError?: ProgramError; returnData?: Uint8Array }> {
  const { transaction } = await signed(rpc, payer, instructions);
  const { value } = await rpc
    .simulateTransaction(getBase64EncodedWireTransaction(transaction), { encoding: 'base64', sigVerify: false })
    .send();
  return {
    ok: value.err === null,
    logs: value.logs ?? [],
    programError: value.err ? programError(value.err) : undefined,
    returnData: value.returnData ? Buffer.from(value.returnData.data[0], 'base64') : undefined,
  };
}
