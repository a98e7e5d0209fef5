/**
 * Waking the keeper on new slots. With a WebSocket endpoint, `slotSubscribe` starts a
 * cycle on every slot; polling stays the longest wait. A subscription that goes quiet
 * for `silenceMs` (a connection that hangs, a provider that stops pushing) is torn
 * down and made again after a jittered back-off, so a hung socket costs a few
 * seconds of polling, never the slot notifications for good.
 */
import { createSolanaRpcSubscriptions } from '@solana/kit';

import type { Logger } from './log.js';
import { backoffMs, sleep } from './retry.js';

export class SlotWaker {
  private slotSeen = false;
  private wake?: () => void;
  /** Called on every slot notification, before the cycle it starts. */
  onSlot?: () => void;

  constructor(
    wsUrl: string | undefined,
    private readonly signal: AbortSignal,
    private readonly log: Logger,
    private readonly options: { silenceMs: number; retryDelayMs: number },
  ) {
    if (wsUrl) void this.follow(wsUrl);
  }

  private async follow(wsUrl: string): Promise<void> {
    for (let failures = 0; !this.signal.aborted; ) {
      const subscription = new AbortController();
      const stop = () => subscription.abort();
      this.signal.addEventListener('abort', stop, { once: true });
      let timer: NodeJS.Timeout | undefined;
      const quietFor = () => {
        clearTimeout(timer);
        timer = setTimeout(() => subscription.abort(new Error(`no slot notification for ${this.options.silenceMs} ms`)), this.options.silenceMs);
      };
      try {
        quietFor();
        const notifications = await createSolanaRpcSubscriptions(wsUrl).slotNotifications().subscribe({ abortSignal: subscription.signal });
        this.log.info({ wsUrl }, 'cycles follow slot notifications');
        for await (const _slot of notifications) {
          quietFor();
          failures = 0;
          this.slotSeen = true;
          this.onSlot?.();
          this.wake?.();
        }
      } catch (error) {
        if (!this.signal.aborted) {
          const reason = subscription.signal.aborted ? (subscription.signal.reason as Error)?.message : (error as Error).message;
          this.log.warn({ wsUrl, error: reason }, 'slot subscription lost; polling until it is back');
        }
      } finally {
        clearTimeout(timer);
        subscription.abort();
        this.signal.removeEventListener('abort', stop);
      }
      await sleep(backoffMs(failures++, { delayMs: this.options.retryDelayMs }), this.signal);
    }
  }

  /** Starts the next cycle now (or as soon as the running one ends): an oracle moved. */
  poke(): void {
    this.slotSeen = true;
    this.wake?.();
  }

  /** Resolves after `ms`, on abort, or on the first slot notification since the last
   * wait began (a slot that opened during a cycle starts the next one at once). */
  next(ms: number): Promise<void> {
    if (this.slotSeen || this.signal.aborted) {
      this.slotSeen = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.signal.removeEventListener('abort', done);
        this.wake = undefined;
        this.slotSeen = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.signal.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }
}
