/**
 * Turns an action into a transaction and sees it through: refreshes for every
 * collateral the positions hold (so the program values them at the prices the keeper
 * planned with), the liquidation, an optional compute-unit price; then either a
 * simulation (dry run) or a send that is re-sent every `resendMs` until it lands or
 * its blockhash expires.
 */
import {
  isSolanaError,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_TRANSACTION_SIGNATURE_VERIFICATION_FAILURE,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  getTransactionMessageSize,
  SOLANA_ERROR__JSON_RPC__INVALID_PARAMS,
  TRANSACTION_SIZE_LIMIT,
  signTransactionMessageWithSigners,
  type Address,
  type BlockhashLifetimeConstraint,
  type Instruction,
  type Rpc,
  type SolanaRpcApi,
  type TransactionSigner,
} from '@solana/kit';
import {
  getSetComputeUnitLimitInstruction,
  getSetComputeUnitPriceInstruction,
} from '@solana-program/compute-budget';

import { transactionMessage } from '../src/admin/send.js';
import { tx, type Pool } from '../src/index.js';
import type { Action } from './planner.js';

export type Outcome =
  | { status: 'landed'; signature: string; seconds: number }
  | { status: 'simulated'; ok: boolean; logs: readonly string[]; error?: unknown }
  | { status: 'failed'; signature?: string; reason: string };

export type ExecutorOptions = {
  dryRun: boolean;
  computeUnitPrice: bigint;
  computeUnitLimit: number;
  resendMs?: number;
  pollMs?: number;
};

/** The instructions of an action. */
export async function actionInstructions(
  action: Action,
  keeper: TransactionSigner,
  pool: Address,
  state: Pool,
  options: ExecutorOptions,
): Promise<Instruction[]> {
  const instructions: Instruction[] = [];
  if (options.computeUnitLimit > 0) instructions.push(getSetComputeUnitLimitInstruction({ units: options.computeUnitLimit }));
  if (options.computeUnitPrice > 0n) instructions.push(getSetComputeUnitPriceInstruction({ microLamports: options.computeUnitPrice }));
  for (const index of action.refresh) {
    instructions.push(...(await tx.refreshOracle({ pool, oracle: state.collaterals[index]!.oracle, collateralIndex: index })).instructions);
  }
  const collateral = (index: number) => ({ index, mint: state.collaterals[index]!.mint, tokenProgram: state.collaterals[index]!.tokenProgram });
  switch (action.kind) {
    case 'batch': {
      const built = await tx.liquidateBatch({
        keeper,
        pool,
        collateral: collateral(action.collateralIndex),
        positions: action.positions.map((p) => p.address),
        maxRepayTotal: action.repay,
        // Prices come from the refreshes in this transaction: the payout matches the
        // plan unless an oracle moved in between. 2% of slack for that.
        minCollateralOutTotal: (action.seize * 98n) / 100n,
      });
      instructions.push(...built.instructions);
      break;
    }
    case 'settle': {
      const built = await tx.liquidate({
        keeper,
        pool,
        position: action.position.address,
        collateral: collateral(action.collateralIndex),
        repayAmount: action.repay,
        minCollateralOut: 0n,
        otherCollaterals: action.others.map(collateral),
        trancheCount: state.trancheCount,
      });
      instructions.push(...built.instructions);
      break;
    }
    case 'absorb': {
      const built = await tx.absorb({
        keeper,
        pool,
        position: action.position.address,
        trancheCount: state.trancheCount,
        tips: action.tips.map(collateral),
      });
      instructions.push(...built.instructions);
      break;
    }
  }
  return instructions;
}

/** Any blockhash: the size of a message does not depend on it. */
const SIZING_BLOCKHASH = { blockhash: '11111111111111111111111111111111', lastValidBlockHeight: 0n } as BlockhashLifetimeConstraint;

/** Whether `instructions`, paid for by `payer`, fit one transaction. */
export function fitsInTransaction(instructions: readonly Instruction[], payer: TransactionSigner): boolean {
  return getTransactionMessageSize(transactionMessage(payer, SIZING_BLOCKHASH, instructions)) <= TRANSACTION_SIZE_LIMIT;
}

/** Retries a read-only RPC call (see `retry.ts`). */
export type Retry = <T>(method: string, call: () => Promise<T>) => Promise<T>;

/** A refusal by the cluster (preflight simulation, signature check, a malformed or
 * oversized transaction): final. Any
 * other failure of `sendTransaction` (transport, timeout) may not have reached it,
 * so the same signed transaction is simply sent again. */
const isFinal = (error: unknown) =>
  isSolanaError(error, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE) ||
  isSolanaError(error, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_TRANSACTION_SIGNATURE_VERIFICATION_FAILURE) ||
  isSolanaError(error, SOLANA_ERROR__JSON_RPC__INVALID_PARAMS);

export class Executor {
  constructor(
    private readonly rpc: Rpc<SolanaRpcApi>,
    private readonly keeper: TransactionSigner,
    private readonly options: ExecutorOptions,
    private readonly retry: Retry = (_, call) => call(),
    private readonly onTransientError?: (method: string, error: unknown) => void,
  ) {}

  /** Signs once, then sends that same transaction until it lands, is refused, or its
   * blockhash expires. Nothing here re-signs: a transaction is never sent twice
   * under two signatures. */
  async run(instructions: Instruction[]): Promise<Outcome> {
    const { value: blockhash } = await this.retry('getLatestBlockhash', () => this.rpc.getLatestBlockhash().send());
    const transaction = await signTransactionMessageWithSigners(transactionMessage(this.keeper, blockhash, instructions));
    const wire = getBase64EncodedWireTransaction(transaction);
    if (this.options.dryRun) {
      const { value } = await this.retry('simulateTransaction', () =>
        this.rpc.simulateTransaction(wire, { encoding: 'base64', sigVerify: false }).send(),
      );
      return { status: 'simulated', ok: value.err === null, logs: value.logs ?? [], error: value.err ?? undefined };
    }
    const signature = getSignatureFromTransaction(transaction);
    const started = Date.now();
    let lastSend = 0;
    const resendMs = this.options.resendMs ?? 2_000;
    const pollMs = this.options.pollMs ?? 150;
    for (;;) {
      if (Date.now() - lastSend >= resendMs) {
        lastSend = Date.now();
        try {
          await this.rpc.sendTransaction(wire, { encoding: 'base64', preflightCommitment: 'confirmed' }).send();
        } catch (error) {
          if (isFinal(error)) return { status: 'failed', signature, reason: describe(error) };
          this.onTransientError?.('sendTransaction', error);
        }
      }
      try {
        const { value } = await this.rpc.getSignatureStatuses([signature]).send();
        const status = value[0];
        if (status?.err) return { status: 'failed', signature, reason: JSON.stringify(status.err, (_, v) => (typeof v === 'bigint' ? v.toString() : v)) };
        if (status && (status.confirmationStatus === 'confirmed' || status.confirmationStatus === 'finalized')) {
          return { status: 'landed', signature, seconds: (Date.now() - started) / 1_000 };
        }
        const height = await this.rpc.getBlockHeight().send();
        if (height > blockhash.lastValidBlockHeight) return { status: 'failed', signature, reason: 'blockhash expired' };
      } catch (error) {
        // Status unknown this time; the transaction may still land: keep watching.
        this.onTransientError?.('getSignatureStatuses', error);
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
}

function describe(error: unknown): string {
  const context = (error as { context?: unknown }).context;
  return `${(error as Error).message ?? String(error)}${context ? ` ${JSON.stringify(context, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}` : ''}`;
}
