/**
 * The keeper's JSON-RPC client: `@solana/kit`'s default transport with every request
 * bounded. A request that has not answered within `timeoutMs` is aborted and fails
 * with `RpcTimeout` (Node's own limit is 300 s, far longer than a liquidation stays
 * worth sending), and every request in the air is aborted at once when `signal`
 * fires, so that the keeper stops promptly.
 *
 * Reads are hedged: a read with no answer after `hedgeMs` is asked again (twice at
 * most, `hedgeMs` apart), and the first answer wins (the others are aborted). A
 * provider that answers one request in ten late then costs `hedgeMs`, not a timeout,
 * and only slow requests are repeated. Sends are not hedged here: the executor
 * re-sends on its own schedule.
 */
import { createSolanaRpcFromTransport, type Rpc, type RpcTransport, type SolanaRpcApi } from '@solana/kit';
import { stringifyJsonWithBigInts } from '@solana/rpc-spec-types';
import { createHttpTransport } from '@solana/rpc-transport-http';

/** A request that got no answer within the keeper's timeout. */
export class RpcTimeout extends Error {
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(`${method}: no answer within ${timeoutMs} ms`);
    this.name = 'RpcTimeout';
  }
}

/** Methods that only read, so asking twice is harmless. */
const HEDGED_METHODS = new Set([
  'getProgramAccounts',
  'getMultipleAccounts',
  'getAccountInfo',
  'getLatestBlockhash',
  'getBlockHeight',
  'getSlot',
  'getSignatureStatuses',
  'getTransaction',
  'simulateTransaction',
]);

export type RpcLimits = {
  /** Longest wait for an answer, hedge included. */
  timeoutMs: number;
  /** Longest wait for the answer to a `sendTransaction` (default `timeoutMs`). Worth
   * waiting for: it tells a refusal from a lost request, and the executor repeats and
   * watches the transaction meanwhile. */
  sendTimeoutMs?: number;
  /** Ask a read again after this long without an answer (0: never). */
  hedgeMs?: number;
  /** Aborts every request in the air (the keeper is stopping). */
  signal?: AbortSignal;
};

/** Wraps `transport` so that each request ends within `timeoutMs` or when `signal`
 * aborts, and reads are hedged after `hedgeMs`. */
export function withTimeout(transport: RpcTransport, limits: RpcLimits): RpcTransport {
  const { hedgeMs = 0, signal } = limits;
  return async <TResponse>(request: Parameters<RpcTransport>[0]): Promise<TResponse> => {
    const method = (request.payload as { method?: string }).method ?? 'unknown';
    const timeoutMs = method === 'sendTransaction' ? (limits.sendTimeoutMs ?? limits.timeoutMs) : limits.timeoutMs;
    // One controller per request, detached afterwards: listeners never pile up on the
    // long-lived shutdown signal.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new RpcTimeout(method, timeoutMs)), timeoutMs);
    const onAbort = (source: AbortSignal) => () => controller.abort(source.reason);
    const sources = [signal, request.signal].filter((s): s is AbortSignal => s !== undefined);
    const listeners = sources.map((source) => [source, onAbort(source)] as const);
    for (const [source, listener] of listeners) {
      if (source.aborted) listener();
      else source.addEventListener('abort', listener, { once: true });
    }
    // Each attempt has its own controller under the request's, so the loser of a
    // hedge can be aborted alone.
    const attempts: AbortController[] = [];
    const attempt = () => {
      const own = new AbortController();
      attempts.push(own);
      const forward = () => own.abort(controller.signal.reason);
      if (controller.signal.aborted) forward();
      else controller.signal.addEventListener('abort', forward, { once: true });
      return transport<TResponse>({ ...request, signal: own.signal }).finally(() => controller.signal.removeEventListener('abort', forward));
    };
    try {
      const first = attempt();
      if (hedgeMs <= 0 || hedgeMs >= timeoutMs || !HEDGED_METHODS.has(method)) return await first;
      return await hedged(first, attempt, hedgeMs);
    } catch (error) {
      // Whatever the transport made of the abort, a timeout is reported as one.
      if (controller.signal.reason instanceof RpcTimeout && !sources.some((s) => s.aborted)) throw controller.signal.reason;
      throw error;
    } finally {
      clearTimeout(timer);
      for (const own of attempts) own.abort();
      for (const [source, listener] of listeners) source.removeEventListener('abort', listener);
    }
  };
}

/** Attempts of one hedged read at most (the first and two hedges). */
const MAX_ATTEMPTS = 3;

/** The first answer among `first` and further attempts started every `hedgeMs` while
 * none has answered (at most `MAX_ATTEMPTS` in all). Fails when every attempt started
 * has failed, with the last failure (the caller's retry decides what next). */
function hedged<T>(first: Promise<T>, again: () => Promise<T>, hedgeMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let started = 1;
    let pending = 1;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const onValue = (value: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const onError = (error: unknown) => {
      pending -= 1;
      if (pending > 0 || settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    };
    const hedgeLater = () => {
      if (started >= MAX_ATTEMPTS) return;
      timer = setTimeout(() => {
        if (settled) return;
        started += 1;
        pending += 1;
        again().then(onValue, onError);
        hedgeLater();
      }, hedgeMs);
    };
    first.then(onValue, onError);
    hedgeLater();
  });
}

/** Kit's HTTP transport, its answers parsed by `JSON.parse` (requests keep kit's
 * exact big integers). Kit's default transport parses every answer with a parser that
 * walks each character to keep integers above 2^53 exact; a keeper reading the market
 * many times a slot, and the book's full scans (3 MB at 10,000 positions), spent 8% of
 * its time there. Kit's response transformer still makes the numbers big integers, so
 * the types are the same; what is lost is exactness above 2^53, which the keeper never
 * reads: slots, block heights and fees are far below it, and it decodes account bytes
 * itself. Lamport balances above 9 million SOL and rent epochs would be rounded. */
function plainJsonTransport(url: string): RpcTransport {
  return createHttpTransport({ url, headers: { 'accept-encoding': 'br,gzip,deflate' }, toJson: stringifyJsonWithBigInts });
}

/** An RPC client for `url`: every call ends within `limits.timeoutMs` or on
 * `limits.signal`, reads hedged after `limits.hedgeMs`. */
export function createKeeperRpc(url: string, limits: RpcLimits): Rpc<SolanaRpcApi> {
  return createSolanaRpcFromTransport(withTimeout(plainJsonTransport(url), limits));
}
