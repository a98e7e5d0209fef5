/**
 * Sending instructions and waiting for them: one v0 transaction, signed by every
 * signer the instructions carry, sent with preflight and confirmed by kit's
 * `sendAndConfirmTransactionFactory` (a signature subscription, and the cluster's
 * block height for expiry). A failure throws `TransactionFailed` with the program
 * error by name when there is one.
 */
import {
  assertIsTransactionWithBlockhashLifetime,
  getBase64EncodedWireTransaction,
  getBase64Encoder,
  getSignatureFromTransaction,
  sendAndConfirmTransactionFactory,
  signTransactionMessageWithSigners,
  type Instruction,
  type ReadonlyUint8Array,
  type Rpc,
  type RpcSubscriptions,
  type Signature,
  type SolanaRpcApi,
  type SolanaRpcSubscriptionsApi,
  type TransactionSigner,
} from '@solana/kit';

import { transactionMessage } from '../src/message.js';
import { programError, type ProgramError } from '../src/program-errors.js';

/** A cluster as the tools reach it: JSON-RPC, and the WebSocket subscriptions that
 * confirmations arrive on. */
export type ClusterClient = { rpc: Rpc<SolanaRpcApi>; rpcSubscriptions: RpcSubscriptions<SolanaRpcSubscriptionsApi> };

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

async function signed(rpc: Rpc<SolanaRpcApi>, payer: TransactionSigner, instructions: readonly Instruction[]) {
  const { value: blockhash } = await rpc.getLatestBlockhash().send();
  return signTransactionMessageWithSigners(transactionMessage(payer, blockhash, instructions));
}

/** The logs a preflight failure carries (kit puts the simulation's result in the
 * error's context), or none. */
const preflightLogs = (error: unknown): string[] =>
  (error as { cause?: { context?: { logs?: string[] } } }).cause?.context?.logs ??
  (error as { context?: { logs?: string[] } }).context?.logs ??
  [];

/** Sends and waits until the transaction is confirmed (at most `timeoutMs`, 60 s
 * unless told, or until its blockhash expires); returns the signature. */
export async function sendInstructions(
  client: ClusterClient,
  payer: TransactionSigner,
  instructions: readonly Instruction[],
  options: { timeoutMs?: number } = {},
): Promise<Signature> {
  const transaction = await signed(client.rpc, payer, instructions);
  assertIsTransactionWithBlockhashLifetime(transaction);
  try {
    await sendAndConfirmTransactionFactory(client)(transaction, {
      commitment: 'confirmed',
      abortSignal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
    });
  } catch (error) {
    throw new TransactionFailed(programError(error), preflightLogs(error), error);
  }
  return getSignatureFromTransaction(transaction);
}

/** Simulates; returns whether it would succeed, its logs and any program error. */
export async function simulateInstructions(
  rpc: Rpc<SolanaRpcApi>,
  payer: TransactionSigner,
  instructions: readonly Instruction[],
): Promise<{ ok: boolean; logs: readonly string[]; programError?: ProgramError; returnData?: ReadonlyUint8Array }> {
  const transaction = await signed(rpc, payer, instructions);
  const { value } = await rpc
    .simulateTransaction(getBase64EncodedWireTransaction(transaction), { encoding: 'base64', sigVerify: false })
    .send();
  return {
    ok: value.err === null,
    logs: value.logs ?? [],
    programError: value.err ? programError(value.err) : undefined,
    returnData: value.returnData ? getBase64Encoder().encode(value.returnData.data[0]) : undefined,
  };
}
