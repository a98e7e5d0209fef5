/**
 * Turns an action into a transaction and sees it through: refreshes for every
 * collateral the positions hold (so the program values them at the prices the keeper
 * planned with), the liquidation, an optional compute-unit price; then either a
 * simulation (dry run) or a send that is repeated every `resendMs` until the
 * transaction's fate is known: landed, failed, or expired with its blockhash.
 *
 * The outcome is what the chain says, not what one answer suggested. A send answered
 * "already processed" means an earlier copy reached the cluster: its status says
 * whether it succeeded. A status query that fails (a throttled provider) is answered
 * by `getTransaction` instead. Only a refusal of the first send (its copies go out
 * together) is final at once; a later refusal may follow a lost copy that still
 * lands, so the status decides, until the blockhash expires.
 */
import {
  assertIsFullySignedTransaction,
  compileTransactionMessage,
  compressTransactionMessageUsingAddressLookupTables,
  getBase64EncodedWireTransaction,
  getCompiledTransactionMessageEncoder,
  getShortU16Encoder,
  getSignatureFromTransaction,
  isKeyPairSigner,
  isSolanaError,
  signBytes,
  SOLANA_ERROR__TRANSACTION__TOO_MANY_ACCOUNT_ADDRESSES,
  TRANSACTION_SIZE_LIMIT,
  signTransactionMessageWithSigners,
  type Address,
  type CompiledTransactionMessage,
  type Transaction,
  type TransactionMessageBytes,
  type AddressesByLookupTableAddress,
  type Base64EncodedWireTransaction,
  type BlockhashLifetimeConstraint,
  type Instruction,
  type Rpc,
  type Signature,
  type SolanaRpcApi,
  type TransactionError,
  type TransactionSigner,
} from '@solana/kit';
import {
  getSetComputeUnitLimitInstruction,
  getSetComputeUnitPriceInstruction,
} from '@solana-program/compute-budget';

import { transactionMessage } from '../src/message.js';
import { tx, type Pool } from '../src/index.js';
import { failureReason, httpStatus, isAlreadyProcessed, isBlockhashNotFound, isTransient, retryAfterMs } from './failures.js';
import { maxRepayOf, type Action } from './planner.js';
import { backoffMs, sleep } from './retry.js';

export type Outcome =
  /** `slot`: the slot it landed in (its effects show in readings at that slot or later). */
  | { status: 'landed'; signature: string; seconds: number; slot: bigint }
  /** Refused by the cluster, or landed with an error; `reason` is a name (see failures.ts). */
  | { status: 'failed'; signature: string; reason: string }
  /** Its blockhash expired and it never landed. */
  | { status: 'expired'; signature: string }
  | { status: 'simulated'; ok: boolean; logs: readonly string[]; error?: unknown }
  /** The keeper stopped first: the transaction may still land until its blockhash expires. */
  | { status: 'abandoned'; signature: string; lastValidBlockHeight: bigint };

export type ExecutorOptions = {
  dryRun: boolean;
  computeUnitPrice: bigint;
  computeUnitLimit: number;
  /** How often a transaction whose send was answered, but which shows no status yet,
   * is sent again (default 2 s). */
  resendMs?: number;
  /** A send with no answer after this long is sent again (0: after `resendMs`). */
  hedgeMs?: number;
  /** How often its status is asked for (default 150 ms). */
  pollMs?: number;
  /** After its blockhash expired, how long a status that cannot be read is still asked
   * for before the outcome is given up as `StatusUnknown` (default 10 s). */
  statusGraceMs?: number;
};

/** A signed transaction: sent as `wire`, known by `signature`, valid until its
 * blockhash expires after block height `lastValidBlockHeight`. */
export type SignedAction = { wire: Base64EncodedWireTransaction; signature: Signature; lastValidBlockHeight: bigint };

/** What `Executor.see` reports on the way to an outcome. */
export type Hooks = {
  onSent?: () => void;
  onWatched?: () => void;
  /** A repeat was refused while earlier copies were lost on the way. The preflight
   * checks the status cache, so as of that refusal no copy had landed, and the
   * transaction fails against the state it met (`reason`). A lost copy may still be
   * on its way to a leader until the blockhash expires (a minute), which is why the
   * outcome waits; but what the transaction was for should not wait that long. */
  onRefused?: (reason: string) => void;
};

/** Retries a read-only RPC call (see `retry.ts`). */
export type Retry = <T>(method: string, call: () => Promise<T>) => Promise<T>;

/** The least collateral an action accepts for `planned` units: prices come from the
 * refreshes in its own transaction, so the payout matches the plan unless an oracle
 * moved in between; 2% of slack for that. */
export const minCollateralOut = (planned: bigint): bigint => (planned * 98n) / 100n;

/** The instructions of an action. */
export async function actionInstructions(
  action: Action,
  keeper: TransactionSigner,
  pool: Address,
  state: Pool,
  options: Pick<ExecutorOptions, 'computeUnitLimit' | 'computeUnitPrice'>,
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
        maxRepayTotal: maxRepayOf(action.repay),
        minCollateralOutTotal: minCollateralOut(action.seize),
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
    case 'recover': {
      const built = await tx.recoverySale({
        keeper,
        pool,
        collateral: collateral(action.collateralIndex),
        index: action.trancheIndex,
        trancheCount: state.trancheCount,
        notesIn: action.notesIn,
        minCollateralOut: minCollateralOut(action.collateralOut),
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
/** Accounts one transaction may lock (static keys and looked-up ones together). */
export const MAX_TRANSACTION_ACCOUNTS = 64;

/** The message of `instructions` paid for by `payer`, its accounts looked up in
 * `lookups` where they can be (a v0 message; none given: every key in the message). */
function message(payer: TransactionSigner, blockhash: BlockhashLifetimeConstraint, instructions: readonly Instruction[], lookups?: AddressesByLookupTableAddress) {
  const plain = transactionMessage(payer, blockhash, instructions);
  return lookups && Object.keys(lookups).length > 0 ? compressTransactionMessageUsingAddressLookupTables(plain, lookups) : plain;
}

/** The compiled message of `instructions` paid for by `payer` under `blockhash`, its
 * accounts looked up in `lookups` where they can be; none when it would lock more than
 * 64 accounts (kit refuses to compile such a message). */
function compiled(payer: TransactionSigner, blockhash: BlockhashLifetimeConstraint, instructions: readonly Instruction[], lookups?: AddressesByLookupTableAddress): CompiledTransactionMessage | undefined {
  try {
    return compileTransactionMessage(message(payer, blockhash, instructions, lookups));
  } catch (error) {
    if (isSolanaError(error, SOLANA_ERROR__TRANSACTION__TOO_MANY_ACCOUNT_ADDRESSES)) return undefined;
    throw error;
  }
}

/** A compiled message's transaction size on the wire, and the accounts it locks. */
function sizeOf(compiledMessage: CompiledTransactionMessage): { bytes: number; accounts: number } {
  const tables = 'addressTableLookups' in compiledMessage ? (compiledMessage.addressTableLookups ?? []) : [];
  const lookedUp = tables.reduce((sum, table) => sum + table.readonlyIndexes.length + table.writableIndexes.length, 0);
  // On the wire: the signatures' count as a compact-u16, the signatures, the message.
  const signatures = compiledMessage.header.numSignerAccounts;
  const bytes = getShortU16Encoder().getSizeFromValue(signatures) + 64 * signatures + messageEncoder.getSizeFromValue(compiledMessage);
  return { bytes, accounts: compiledMessage.staticAccounts.length + lookedUp };
}

/** Within 1,232 bytes and 64 accounts locked. */
const fits = ({ bytes, accounts }: { bytes: number; accounts: number }): boolean => accounts <= MAX_TRANSACTION_ACCOUNTS && bytes <= TRANSACTION_SIZE_LIMIT;

/** The serialized size of the transaction of `instructions` paid for by `payer` (its
 * accounts looked up in `lookups` where they can be), and the accounts it locks; kit's
 * `getTransactionMessageSize` gives the same size but compiles the message again. */
export function transactionSize(instructions: readonly Instruction[], payer: TransactionSigner, lookups?: AddressesByLookupTableAddress): { bytes: number; accounts: number } | undefined {
  const compiledMessage = compiled(payer, SIZING_BLOCKHASH, instructions, lookups);
  return compiledMessage && sizeOf(compiledMessage);
}

/** Whether `instructions`, paid for by `payer`, fit one transaction: its serialized
 * size within 1,232 bytes and at most 64 accounts locked. */
export function fitsInTransaction(instructions: readonly Instruction[], payer: TransactionSigner, lookups?: AddressesByLookupTableAddress): boolean {
  const size = transactionSize(instructions, payer, lookups);
  return size !== undefined && fits(size);
}

const messageEncoder = getCompiledTransactionMessageEncoder();

/** What the chain says of a signature: committed (with its error, if any), not seen,
 * or unknown (every way of asking failed). */
type Status = { kind: 'committed'; err: TransactionError | null; slot: bigint } | { kind: 'missing' } | { kind: 'unknown' };

/** A block height older than this is read again (it only ever grows: an older reading
 * only delays the verdict "expired"). */
const HEIGHT_MAX_AGE_MS = 1_000;
/** The first send goes out as this many identical requests at once: one lost request
 * then costs nothing, and a refusal of any of them is a refusal of the state they all
 * met (a lost send followed by a refused repeat must otherwise be watched until its
 * blockhash expires, since the lost copy may still land). */
const INITIAL_COPIES = 2;
/** Sends of one transaction without an answer at once, at most. */
const MAX_UNANSWERED_SENDS = 3;
/** First back-off after a send failed on the way (a reset, a 5xx). */
const SEND_RETRY_DELAY_MS = 100;

/** Status queries made within this long of each other share one call. */
const STATUS_BATCH_MS = 20;
/** Signatures one `getSignatureStatuses` call takes at most. */
const MAX_STATUSES_PER_CALL = 256;

type SignatureStatus = { slot: bigint; err: TransactionError | null; confirmationStatus: string | null } | null;
/** A status, or `failed`: the call failed (or the query was aborted). */
type StatusAnswer = SignatureStatus | 'failed';
type StatusWaiter = { signature: Signature; resolve: (answer: StatusAnswer) => void };

/** Transactions signed within this long of each other share a blockhash (valid for
 * 150 slots, a minute): one request serves a burst of actions. */
const BLOCKHASH_MAX_AGE_MS = 1_000;

/** The same instructions were signed under the same blockhash moments ago: the next
 * slot's blockhash will make them a new transaction. */
export class DuplicateTransaction extends Error {
  constructor(readonly signature: string) {
    super(`transaction ${signature} was already signed under this blockhash`);
    this.name = 'DuplicateTransaction';
  }
}

export class Executor {
  /** Signatures signed under blockhashes still valid, with their last valid block height. */
  private readonly signed = new Map<Signature, bigint>();
  private blockhash?: { value: BlockhashLifetimeConstraint; at: number };
  private blockhashRequest?: Promise<BlockhashLifetimeConstraint>;
  private height?: { value: bigint; at: number };
  private heightRequest?: Promise<void>;
  /** While a provider throttles status queries, statuses are read with `getTransaction`. */
  private statusesThrottledUntil = 0;
  /** Status queries waiting for the next batched `getSignatureStatuses` call. */
  private statusQueue: StatusWaiter[] = [];

  constructor(
    private readonly rpc: Rpc<SolanaRpcApi>,
    private readonly keeper: TransactionSigner,
    private readonly options: ExecutorOptions,
    private readonly retry: Retry = (_, call) => call(),
    private readonly onRpcError?: (method: string, error: unknown) => void,
  ) {}

  /** Signs `instructions` once, under the latest blockhash, their accounts looked up
   * in `lookups` where given. Nothing re-signs: an action is never sent twice under
   * two signatures. */
  async sign(instructions: readonly Instruction[], signal?: AbortSignal, lookups?: AddressesByLookupTableAddress): Promise<SignedAction> {
    const signed = await this.signIfFits(instructions, signal, lookups);
    if (!signed) throw new RangeError(`a transaction of ${instructions.length} instructions does not fit 1,232 bytes and 64 accounts`);
    return signed;
  }

  /** `sign`, or nothing when the transaction would not fit 1,232 bytes and 64 accounts
   * (its message compiled once, for its size and its signature). */
  async signIfFits(instructions: readonly Instruction[], signal?: AbortSignal, lookups?: AddressesByLookupTableAddress): Promise<SignedAction | undefined> {
    for (let fresh = false; ; fresh = true) {
      const blockhash = await this.latestBlockhash(signal, fresh);
      const transaction = await this.signUnder(blockhash, instructions, lookups);
      if (!transaction) return undefined;
      const signature = getSignatureFromTransaction(transaction);
      // The same instructions under the same blockhash are the same transaction: its
      // outcome is the earlier one's ("already processed"), not a new one to count.
      if (this.signed.has(signature)) {
        if (fresh) throw new DuplicateTransaction(signature);
        continue;
      }
      this.remember(signature, blockhash.lastValidBlockHeight);
      return { wire: getBase64EncodedWireTransaction(transaction), signature, lastValidBlockHeight: blockhash.lastValidBlockHeight };
    }
  }

  /** Compiles and signs `instructions` as `sign` does, under a blockhash no cluster
   * knows, without asking the cluster anything or remembering the signature: the
   * transaction can never land. A rehearsal of the sending path (see keeper.ts). */
  async signUnsendable(instructions: readonly Instruction[]): Promise<string | undefined> {
    const transaction = await this.signUnder(SIZING_BLOCKHASH, instructions);
    return transaction && getBase64EncodedWireTransaction(transaction);
  }

  /** The keeper's transaction of `instructions` under `blockhash`, signed; none when it
   * does not fit. Its message is compiled once: checked for size, then signed (a
   * keeper that checked first and then had kit compile and sign compiled every batch
   * twice), and a keeper's own key signs the bytes directly (kit's key-pair signer
   * exports the key again for its address on every transaction). */
  private async signUnder(blockhash: BlockhashLifetimeConstraint, instructions: readonly Instruction[], lookups?: AddressesByLookupTableAddress): Promise<Transaction | undefined> {
    const compiledMessage = compiled(this.keeper, blockhash, instructions, lookups);
    if (!compiledMessage || !fits(sizeOf(compiledMessage))) return undefined;
    const signers = compiledMessage.staticAccounts.slice(0, compiledMessage.header.numSignerAccounts);
    const keeper = this.keeper;
    if (!isKeyPairSigner(keeper) || signers.length !== 1 || signers[0] !== keeper.address) {
      return signTransactionMessageWithSigners(message(keeper, blockhash, instructions, lookups));
    }
    const messageBytes = messageEncoder.encode(compiledMessage) as TransactionMessageBytes;
    const transaction: Transaction = Object.freeze({
      lifetimeConstraint: blockhash,
      messageBytes,
      signatures: Object.freeze({ [keeper.address]: await signBytes(keeper.keyPair.privateKey, messageBytes) }),
    });
    assertIsFullySignedTransaction(transaction);
    return transaction;
  }

  /** Remembers a signature until its blockhash expires (no one can sign under it then). */
  private remember(signature: Signature, lastValidBlockHeight: bigint): void {
    this.signed.set(signature, lastValidBlockHeight);
    const height = this.height?.value;
    if (height === undefined) return;
    for (const [old, lastValid] of this.signed) if (lastValid < height) this.signed.delete(old);
  }

  async simulate(signed: SignedAction, signal?: AbortSignal): Promise<Outcome> {
    const { value } = await this.retry('simulateTransaction', () =>
      this.rpc.simulateTransaction(signed.wire, { encoding: 'base64', sigVerify: false }).send({ abortSignal: signal }),
    );
    return { status: 'simulated', ok: value.err === null, logs: value.logs ?? [], error: value.err ?? undefined };
  }

  /** Sends `signed` and follows it until its outcome is known, or `signal` aborts
   * (`abandoned`). Sending and watching run side by side: a slow status query never
   * delays a repeat, and a hung send never delays a status query. `onSent` runs as the
   * first send goes out, `onWatched` once that send has been answered, has failed, or
   * is being repeated: from then on the transaction is only watched (and re-sent).
   * `onRefused` runs when a repeat is refused (`reason`) while earlier copies were
   * lost on the way: the transaction is then only watched until its blockhash
   * expires, in case a lost copy still lands, but as of that refusal it had not
   * landed and would not (see `Hooks`). */
  async see(signed: SignedAction, signal: AbortSignal, hooks: Hooks = {}): Promise<Outcome> {
    const { wire, signature, lastValidBlockHeight } = signed;
    const resendMs = this.options.resendMs ?? 2_000;
    const hedgeMs = this.options.hedgeMs || resendMs;
    const pollMs = this.options.pollMs ?? 150;
    const graceMs = this.options.statusGraceMs ?? 10_000;
    const started = Date.now();
    // Ends the sender and every send still in the air once the outcome is known.
    const decided = new AbortController();
    const stop = () => decided.abort();
    signal.addEventListener('abort', stop, { once: true });

    let sends = 0;
    let lastSendAt = Number.NEGATIVE_INFINITY;
    /** Sends not answered yet. */
    let unanswered = 0;
    /** Transient failures of sends in a row: the next one follows after a short back-off. */
    let sendFailures = 0;
    /** An earlier copy reached the cluster ("already processed"). */
    let processed = false;
    /** An initial copy was refused: the others went out with it, into the same state;
     * nothing reached the cluster, the outcome is final. */
    let refusedFirst: string | undefined;
    /** A later send was refused: final only if no earlier copy lands. */
    let refusedLater: string | undefined;
    let expiredAt: number | undefined;
    /** Wakes the watcher early: a send was answered. */
    let wake = () => {};

    let watching = false;
    /** From now on the transaction is only watched (and re-sent). */
    const watch = () => {
      if (watching) return;
      watching = true;
      hooks.onWatched?.();
    };
    const send = async () => {
      const initial = sends < INITIAL_COPIES;
      if (sends++ === 0) hooks.onSent?.();
      if (!initial) watch();
      unanswered += 1;
      try {
        // maxRetries 0: the keeper re-sends on its own schedule; a node's retry queue
        // would keep re-broadcasting a stale copy until the blockhash expires.
        await this.rpc
          .sendTransaction(wire, { encoding: 'base64', preflightCommitment: 'confirmed', maxRetries: 0n })
          .send({ abortSignal: decided.signal });
        sendFailures = 0;
      } catch (error) {
        if (decided.signal.aborted) return;
        if (isAlreadyProcessed(error)) processed = true;
        else if (isBlockhashNotFound(error) || isTransient(error)) {
          sendFailures += 1;
          this.onRpcError?.('sendTransaction', error);
        } else if (initial) refusedFirst = failureReason(error);
        else if (refusedLater === undefined) {
          refusedLater = failureReason(error);
          if (!processed) hooks.onRefused?.(refusedLater);
        }
      } finally {
        unanswered -= 1;
        if (initial) watch();
        wake();
      }
    };
    /** When to send (again): at once at first (`INITIAL_COPIES` requests); after
     * `hedgeMs` while the last send is unanswered (a lost request must not cost a whole
     * timeout, and state moves on); soon after a send failed; every `resendMs` while an
     * answered one shows no status; never once processed, refused later, or expired. */
    const nextSendAt = () => {
      if (processed || refusedLater !== undefined || expiredAt !== undefined) return Number.POSITIVE_INFINITY;
      if (unanswered > 0) return unanswered < MAX_UNANSWERED_SENDS ? lastSendAt + hedgeMs : Number.POSITIVE_INFINITY;
      return lastSendAt + (sendFailures > 0 ? backoffMs(sendFailures - 1, { delayMs: SEND_RETRY_DELAY_MS }) : resendMs);
    };
    const sender = async () => {
      while (!decided.signal.aborted) {
        const wait = nextSendAt() - Date.now();
        if (wait <= 0) {
          lastSendAt = Date.now();
          for (let copy = sends === 0 ? INITIAL_COPIES : 1; copy > 0; copy--) void send();
          continue;
        }
        await sleep(Math.min(wait, pollMs), decided.signal);
      }
    };

    const watcher = async (): Promise<Outcome> => {
      for (;;) {
        // Look as soon as a send is answered, or after one poll.
        await new Promise<void>((resolve) => {
          wake = resolve;
          void sleep(pollMs, decided.signal).then(resolve);
        });
        if (signal.aborted) return { status: 'abandoned', signature, lastValidBlockHeight };
        if (refusedFirst !== undefined && !processed) return { status: 'failed', signature, reason: refusedFirst };
        // The height is read before the status: if the status then shows nothing, the
        // transaction cannot land any more.
        const height = await this.blockHeight(signal);
        if (signal.aborted) continue;
        const status = await this.status(signature, signal);
        if (signal.aborted) continue;
        if (status.kind === 'committed') {
          return status.err === null
            ? { status: 'landed', signature, seconds: (Date.now() - started) / 1_000, slot: status.slot }
            : { status: 'failed', signature, reason: failureReason(status.err) };
        }
        if (height === undefined || height <= lastValidBlockHeight) continue;
        if (status.kind === 'missing' && !processed) {
          // A first refusal whose answer came late is final too.
          const refusal = refusedFirst ?? refusedLater;
          return refusal === undefined ? { status: 'expired', signature } : { status: 'failed', signature, reason: refusal };
        }
        // Expired, but its status cannot be read (or it was processed and the status
        // lags): keep asking for a while.
        expiredAt ??= Date.now();
        if (Date.now() - expiredAt > graceMs) return { status: 'failed', signature, reason: 'StatusUnknown' };
      }
    };

    void sender();
    try {
      return await watcher();
    } finally {
      decided.abort();
      signal.removeEventListener('abort', stop);
    }
  }

  /** Asks for a blockhash in the background unless the one held is less than half its
   * use old, so that the transactions about to be signed need not wait a round trip to
   * the cluster for one. Failures are left to `sign`, which asks again. */
  warmBlockhash(signal?: AbortSignal): void {
    if (this.blockhash && Date.now() - this.blockhash.at < BLOCKHASH_MAX_AGE_MS / 2) return;
    this.latestBlockhash(signal, true).catch(() => undefined);
  }

  /** A blockhash at most `BLOCKHASH_MAX_AGE_MS` old (`fresh`: the latest); one request at a time. */
  private async latestBlockhash(signal?: AbortSignal, fresh = false): Promise<BlockhashLifetimeConstraint> {
    if (!fresh && this.blockhash && Date.now() - this.blockhash.at < BLOCKHASH_MAX_AGE_MS) return this.blockhash.value;
    this.blockhashRequest ??= this.retry('getLatestBlockhash', () => this.rpc.getLatestBlockhash().send({ abortSignal: signal }))
      .then(({ value }) => {
        this.blockhash = { value, at: Date.now() };
        return value;
      })
      .finally(() => (this.blockhashRequest = undefined));
    return this.blockhashRequest;
  }

  /** The latest block height known, read again when older than `HEIGHT_MAX_AGE_MS`;
   * one request at a time, shared by every transaction in flight. */
  private async blockHeight(signal: AbortSignal): Promise<bigint | undefined> {
    if (!this.height || Date.now() - this.height.at >= HEIGHT_MAX_AGE_MS) {
      this.heightRequest ??= this.rpc
        .getBlockHeight()
        .send({ abortSignal: signal })
        .then(
          (value) => {
            this.height = { value, at: Date.now() };
          },
          (error: unknown) => {
            if (!signal.aborted) this.onRpcError?.('getBlockHeight', error);
          },
        )
        .finally(() => (this.heightRequest = undefined));
      await this.heightRequest;
    }
    return this.height?.value;
  }

  /** `signature`'s status from a `getSignatureStatuses` call shared with every query
   * made within `STATUS_BATCH_MS` (`failed`: the call failed, reported once). Each of
   * the keeper's transactions in flight polls its status every `pollMs`; one call per
   * transaction per poll cost the keeper and the cluster an HTTP request each, a few
   * hundred a second while clearing a large book. Resolves at once on `signal`. */
  private batchedStatus(signature: Signature, signal: AbortSignal): Promise<StatusAnswer> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve('failed');
      const onAbort = () => resolve('failed');
      signal.addEventListener('abort', onAbort, { once: true });
      this.statusQueue.push({
        signature,
        resolve: (answer) => {
          signal.removeEventListener('abort', onAbort);
          resolve(answer);
        },
      });
      if (this.statusQueue.length === 1) setTimeout(() => void this.flushStatuses(), STATUS_BATCH_MS);
    });
  }

  private async flushStatuses(): Promise<void> {
    const waiting = this.statusQueue;
    this.statusQueue = [];
    for (let start = 0; start < waiting.length; start += MAX_STATUSES_PER_CALL) {
      const batch = waiting.slice(start, start + MAX_STATUSES_PER_CALL);
      const signatures = [...new Set(batch.map((w) => w.signature))];
      try {
        const { value } = await this.rpc.getSignatureStatuses(signatures).send();
        const bySignature = new Map(signatures.map((signature, i) => [signature, value[i] ?? null]));
        for (const waiter of batch) waiter.resolve(bySignature.get(waiter.signature) ?? null);
      } catch (error) {
        this.onRpcError?.('getSignatureStatuses', error);
        if (httpStatus(error) === 429) this.statusesThrottledUntil = Date.now() + (retryAfterMs(error) ?? 1_000);
        for (const waiter of batch) waiter.resolve('failed');
      }
    }
  }

  /** The signature's status: `getSignatureStatuses`, or `getTransaction` when that
   * fails or is being throttled. */
  private async status(signature: Signature, signal: AbortSignal): Promise<Status> {
    if (Date.now() >= this.statusesThrottledUntil) {
      const status = await this.batchedStatus(signature, signal);
      if (signal.aborted) return { kind: 'unknown' };
      if (status !== 'failed') {
        if (status?.err) return { kind: 'committed', err: status.err, slot: status.slot };
        if (status?.confirmationStatus === 'confirmed' || status?.confirmationStatus === 'finalized') return { kind: 'committed', err: null, slot: status.slot };
        return { kind: 'missing' };
      }
    }
    try {
      const found = await this.rpc
        .getTransaction(signature, { commitment: 'confirmed', encoding: 'base64', maxSupportedTransactionVersion: 0 })
        .send({ abortSignal: signal });
      if (!found) return { kind: 'missing' };
      return found.meta ? { kind: 'committed', err: found.meta.err, slot: found.slot } : { kind: 'unknown' };
    } catch (error) {
      if (!signal.aborted) this.onRpcError?.('getTransaction', error);
      return { kind: 'unknown' };
    }
  }
}
