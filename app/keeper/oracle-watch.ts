/**
 * Starting a cycle the moment a price moves: `accountSubscribe` on each of the pool's
 * oracle accounts (confirmed, as the keeper reads them), each notification waking the
 * keeper at once instead of at the next slot or poll. A subscription that fails is
 * made again after a jittered back-off; slots and polling stay the fallback.
 */
import { createSolanaRpcSubscriptions, type Address } from '@solana/kit';

import type { Logger } from './log.js';
import { backoffMs, sleep } from './retry.js';

export class OracleWatch {
  private watched: readonly Address[] = [];
  private stop?: AbortController;
  /** One client (one pooled connection) for every oracle's subscription. */
  private readonly subscriptions?: ReturnType<typeof createSolanaRpcSubscriptions>;

  constructor(
    wsUrl: string | undefined,
    private readonly onMove: (oracle: Address) => void,
    private readonly log: Logger,
    private readonly retryDelayMs: number,
  ) {
    if (wsUrl) this.subscriptions = createSolanaRpcSubscriptions(wsUrl);
  }

  /** Watches `oracles` (again if they changed) until `signal` aborts. */
  watch(oracles: readonly Address[], signal: AbortSignal): void {
    if (!this.subscriptions || signal.aborted) return;
    if (oracles.length === this.watched.length && oracles.every((oracle, i) => oracle === this.watched[i])) return;
    this.stop?.abort();
    const stop = new AbortController();
    signal.addEventListener('abort', () => stop.abort(), { once: true });
    this.stop = stop;
    this.watched = [...oracles];
    for (const oracle of new Set(oracles)) void this.follow(this.subscriptions, oracle, stop.signal);
  }

  private async follow(subscriptions: ReturnType<typeof createSolanaRpcSubscriptions>, oracle: Address, signal: AbortSignal): Promise<void> {
    for (let failures = 0; !signal.aborted; ) {
      try {
        const notifications = await subscriptions
          .accountNotifications(oracle, { encoding: 'base64', commitment: 'confirmed' })
          .subscribe({ abortSignal: signal });
        for await (const _update of notifications) {
          failures = 0;
          this.onMove(oracle);
        }
      } catch (error) {
        if (!signal.aborted) this.log.warn({ oracle, error: (error as Error).message }, 'oracle subscription lost; slots and polling start cycles until it is back');
      }
      await sleep(backoffMs(failures++, { delayMs: this.retryDelayMs }), signal);
    }
  }
}
