// The activity feed's sources: history from `getSignaturesForAddress` on the program
// (each transaction's logs read with `getTransaction`), live events from a
// `logsSubscribe` on the program, and the transactions this page lands. A cluster that
// serves neither method leaves the page's own transactions (the feed says so).
import { createSolanaRpcSubscriptions, type Address, type Rpc, type Signature, type SolanaRpcApi } from '@solana/kit';
import { parseEventLogs, STRATA_PROGRAM_ADDRESS, type StrataEvent } from '@strata/client';

export type FeedEntry = { signature: Signature; slot: bigint; blockTime: bigint | null; event: StrataEvent; failed: boolean };
export type FeedSources = { history: boolean; live: boolean };

const HISTORY_LIMIT = 50;

/** The pool's events in a transaction's logs (events without a pool field, such as a
 * batch's per-position lines, go with the transaction's pool). */
export function poolEvents(logs: readonly string[], pool: Address): StrataEvent[] {
  const events = parseEventLogs(logs);
  const ours = events.some((e) => 'pool' in e.data && e.data.pool === pool);
  return events.filter((e) => ('pool' in e.data ? e.data.pool === pool : ours));
}

/** One transaction's entries, read with `getTransaction`. */
export async function transactionEntries(rpc: Rpc<SolanaRpcApi>, signature: Signature, pool: Address): Promise<FeedEntry[]> {
  const transaction = await rpc.getTransaction(signature, { encoding: 'json', maxSupportedTransactionVersion: 0, commitment: 'confirmed' }).send();
  if (!transaction?.meta?.logMessages) return [];
  const failed = transaction.meta.err !== null;
  return poolEvents(transaction.meta.logMessages, pool).map((event) => ({
    signature,
    slot: transaction.slot,
    blockTime: transaction.blockTime === null ? null : BigInt(transaction.blockTime),
    event,
    failed,
  }));
}

/** The program's recent transactions touching the pool; null when the cluster does not
 * serve `getSignaturesForAddress`. */
export async function history(rpc: Rpc<SolanaRpcApi>, pool: Address, signal?: AbortSignal): Promise<FeedEntry[] | null> {
  let signatures;
  try {
    signatures = await rpc.getSignaturesForAddress(STRATA_PROGRAM_ADDRESS, { limit: HISTORY_LIMIT }).send({ abortSignal: signal });
  } catch {
    return null;
  }
  const entries = await Promise.all(signatures.filter((s) => s.err === null).map((s) => transactionEntries(rpc, s.signature, pool).catch(() => [])));
  return entries.flat();
}

/** Streams the pool's events as they land; false when the cluster refuses logsSubscribe. */
export async function subscribeLogs(
  wsUrl: string,
  pool: Address,
  onEntries: (entries: FeedEntry[]) => void,
  signal: AbortSignal,
): Promise<boolean> {
  let stream;
  try {
    const subscriptions = createSolanaRpcSubscriptions(wsUrl);
    stream = await Promise.race([
      subscriptions.logsNotifications({ mentions: [STRATA_PROGRAM_ADDRESS] }, { commitment: 'confirmed' }).subscribe({ abortSignal: signal }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 3_000)),
    ]);
  } catch {
    return false;
  }
  void (async () => {
    try {
      for await (const notification of stream) {
        const { signature, logs, err } = notification.value;
        if (err !== null) continue;
        const events = poolEvents(logs, pool);
        if (events.length > 0) {
          onEntries(events.map((event) => ({ signature, slot: notification.context.slot, blockTime: BigInt(Math.floor(Date.now() / 1_000)), event, failed: false })));
        }
      }
    } catch {
      /* dropped: the feed keeps what it has */
    }
  })();
  return true;
}
