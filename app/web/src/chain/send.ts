// Sending a transaction the connected wallet signs: a v0 message paid by the wallet,
// signed through its Wallet Standard signer (`solana:signTransaction`), sent with
// preflight, confirmed by polling its status. A refusal carries the program error by
// name (`InsufficientCollateralValue`, with its message) when there is one.
import {
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  signTransactionMessageWithSigners,
  type Instruction,
  type Rpc,
  type Signature,
  type SolanaRpcApi,
  type TransactionSigner,
} from '@solana/kit';
import { programError, transactionMessage, type ProgramError } from '@strata/client';

export class TransactionRefused extends Error {
  constructor(
    readonly programError: ProgramError | undefined,
    readonly logs: readonly string[],
    readonly signature: Signature | undefined,
    cause: unknown,
  ) {
    super(programError ? `${programError.name}: ${programError.message}` : (cause as Error)?.message ?? String(cause), { cause });
    this.name = 'TransactionRefused';
  }
}

const CONFIRM_POLL_MS = 300;

function logsOf(error: unknown): string[] {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    const logs = (current as { context?: { logs?: unknown } }).context?.logs;
    if (Array.isArray(logs)) return logs as string[];
    current = (current as { cause?: unknown }).cause;
  }
  return [];
}

/** Signs with `signer` (the wallet, fee payer), sends and waits until confirmed. */
export async function sendWithWallet(rpc: Rpc<SolanaRpcApi>, signer: TransactionSigner, instructions: readonly Instruction[]): Promise<Signature> {
  const { value: blockhash } = await rpc.getLatestBlockhash({ commitment: 'confirmed' }).send();
  const transaction = await signTransactionMessageWithSigners(transactionMessage(signer, blockhash, instructions));
  const signature = getSignatureFromTransaction(transaction);
  try {
    await rpc.sendTransaction(getBase64EncodedWireTransaction(transaction), { encoding: 'base64', preflightCommitment: 'confirmed' }).send();
  } catch (error) {
    throw new TransactionRefused(programError(error), logsOf(error), undefined, error);
  }
  for (;;) {
    const { value } = await rpc.getSignatureStatuses([signature]).send();
    const status = value[0];
    if (status?.err) throw new TransactionRefused(programError(status.err), [], signature, new Error(JSON.stringify(status.err, (_, v) => (typeof v === 'bigint' ? v.toString() : v))));
    if (status?.confirmationStatus === 'confirmed' || status?.confirmationStatus === 'finalized') return signature;
    if ((await rpc.getBlockHeight({ commitment: 'confirmed' }).send()) > blockhash.lastValidBlockHeight) {
      throw new TransactionRefused(undefined, [], signature, new Error(`${signature} expired before it was confirmed`));
    }
    await new Promise((resolve) => setTimeout(resolve, CONFIRM_POLL_MS));
  }
}
