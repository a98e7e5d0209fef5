/**
 * Retrying RPC calls that failed for a passing reason, with exponential back-off and
 * jitter, so that keepers which failed together do not retry together. Failures that
 * would repeat (bad parameters, a refusal) are not retried; neither is anything once
 * the keeper is stopping.
 */
import { isTransient, retryAfterMs } from './failures.js';

export type RetryOptions = {
  retries: number;
  /** First back-off; doubled on each retry, at most `MAX_BACKOFF_MS`. */
  delayMs: number;
  signal?: AbortSignal;
  /** Sees every failure, and whether it will be retried. */
  onError?: (method: string, error: unknown, attempt: number, retrying: boolean) => void;
};

/** Longest back-off between two attempts, and longest wait a `Retry-After` may ask for. */
export const MAX_BACKOFF_MS = 2_000;
export const MAX_RETRY_AFTER_MS = 5_000;

/** The wait before retry `attempt` (0 for the first): `delayMs × 2^attempt`, capped,
 * half of it fixed and half random ("equal jitter"). */
export function backoffMs(attempt: number, options: { delayMs: number }, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, options.delayMs * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function withRetry<T>(method: string, call: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const retrying = attempt < options.retries && isTransient(error) && !options.signal?.aborted;
      options.onError?.(method, error, attempt, retrying);
      if (!retrying) throw error;
      const asked = retryAfterMs(error);
      await sleep(Math.max(backoffMs(attempt, options), Math.min(asked ?? 0, MAX_RETRY_AFTER_MS)), options.signal);
      if (options.signal?.aborted) throw options.signal.reason ?? error;
    }
  }
}
