/**
 * The keeper's book: the pool's indebted positions, kept current by `programSubscribe`
 * (the pool's positions, debt or not, so that a repaid one leaves the book) instead of
 * a `getProgramAccounts` scan every cycle. One full scan starts the book and another
 * follows every `rescanMs` as a safety net; while the subscription is down (none
 * configured, refused, or broken) every cycle scans, as a polling keeper does.
 *
 * Each entry carries the slot its bytes were read at: a newer reading replaces an
 * older one, never the reverse, whichever of the scan and the notifications arrives
 * first. The keeper uses the slot to tell whether a liquidation it landed is already
 * reflected (see in-flight.ts).
 *
 * Notifications come at `processed`, as each transaction executes, not once its slot
 * closes: a crash's round of liquidations then reaches the keeper over the slot it
 * lands in, and the next round is planned as soon as that slot closes (the planner
 * leaves a position liquidated in the open slot alone until then, as the program
 * would refuse it). At `confirmed` every notification of a round came in one burst as
 * the slot closed, and the next round waited for the keeper to get through them: the
 * slot after a round of 2,600 positions carried a third as many. A processed reading
 * that a fork drops is replaced by the next notification or scan of that position; a
 * liquidation planned on it meanwhile is refused or liquidates what is left.
 */
import type { Address, Rpc, SolanaRpcApi } from '@solana/kit';

import { positionFilters, STRATA_PROGRAM_ADDRESS } from '../src/index.js';
import type { Logger } from './log.js';
import { backoffMs, sleep } from './retry.js';
import { decodePositionBase64, scanPositionsAt, type PositionSnapshot } from './scanner.js';
import { programSubscriptions } from './subscriptions.js';

/** A position as last read, and the slot it was read at. */
export type BookEntry = PositionSnapshot & { slot: bigint };

/** Whether a reading may let the keeper act before its slot closes: not one of a
 * position liquidated in the slot it was read at (the program allows one liquidation
 * a slot, and the slot's close starts the cycle that plans the next round). */
export const actionableNow = (entry: BookEntry): boolean => entry.lastLiquidatedSlot < entry.slot;

export type BookOptions = {
  /** WebSocket endpoint; none: every read scans. */
  wsUrl?: string;
  /** Longest time between full scans while the subscription is live. */
  rescanMs: number;
  retryDelayMs: number;
  /** The positions to keep (a keeper's shards); none: all. Others are neither kept
   * from a scan nor parsed when notified (subscriptions.ts): a fleet's keeper keeps its
   * own share. Whoever widens it (a shard taken over) calls `rescanSoon`; whoever
   * narrows it (a shard given back) calls `retainAccepted`. */
  accepts?: (position: Address) => boolean;
};

export class PositionBook {
  private readonly entries = new Map<Address, BookEntry>();
  private live = false;
  private lastScanAt = Number.NEGATIVE_INFINITY;
  /** Called with every reading a notification brought into the book (the keeper may
   * plan at once). */
  onChange?: (entry: BookEntry) => void;
  /** Notifications applied, and full scans made (for metrics and tests). */
  notifications = 0;
  scans = 0;

  constructor(
    private readonly rpc: Rpc<SolanaRpcApi>,
    private readonly pool: Address,
    private readonly options: BookOptions,
    private readonly log: Logger,
  ) {}

  /** Follows the pool's positions until `signal` aborts (no-op without a WebSocket). */
  follow(signal: AbortSignal): void {
    if (this.options.wsUrl) void this.subscribe(this.options.wsUrl, signal);
  }

  /** Whether notifications keep the book current (no scan needed per cycle). */
  get subscribed(): boolean {
    return this.live;
  }

  /** Makes the next `read` a full scan (a reading the keeper waits for did not come). */
  rescanSoon(): void {
    this.lastScanAt = Number.NEGATIVE_INFINITY;
  }

  /** The indebted positions: from the book while the subscription is live and the
   * last scan is recent, else after a full scan (`scan` wraps it, e.g. in retries). */
  async read(scan: <T>(call: () => Promise<T>) => Promise<T>, signal?: AbortSignal): Promise<BookEntry[]> {
    await this.sync(scan, signal);
    return this.indebted();
  }

  /** Makes the book current: nothing to do while the subscription is live and the last
   * scan is recent, else a full scan. */
  async sync(scan: <T>(call: () => Promise<T>) => Promise<T>, signal?: AbortSignal): Promise<void> {
    if (this.live && Date.now() - this.lastScanAt < this.options.rescanMs) return;
    const startedAt = Date.now();
    const { slot, positions } = await scan(() => scanPositionsAt(this.rpc, this.pool, signal));
    this.applyScan(slot, positions);
    this.lastScanAt = startedAt;
  }

  /** The indebted positions as the book holds them now. */
  indebted(): BookEntry[] {
    const positions: BookEntry[] = [];
    for (const entry of this.entries.values()) if (entry.debtShares > 0n) positions.push(entry);
    return positions;
  }

  /** The slot of `position`'s last liquidation, as the book read it. */
  lastLiquidatedOf(position: string): bigint | undefined {
    return this.entries.get(position as Address)?.lastLiquidatedSlot;
  }

  /** The slot of the book's reading of `position` while it is indebted (what
   * `indebted` gives for it, as long as no notification came since). */
  slotOf(position: string): bigint | undefined {
    const entry = this.entries.get(position as Address);
    return entry && entry.debtShares > 0n ? entry.slot : undefined;
  }

  /** Drops the positions no longer accepted (a keeper gave a shard back): the book
   * holds only what `accepts` takes, so a plan never looks at another's position. */
  retainAccepted(): void {
    for (const address of this.entries.keys()) if (!this.keeps(address)) this.entries.delete(address);
  }

  /** Whether the book keeps `position` (see `BookOptions.accepts`). */
  private keeps(position: Address): boolean {
    return this.options.accepts?.(position) ?? true;
  }

  /** A scan is the whole truth at its slot: positions it lacks were repaid or closed
   * by then, unless a notification newer than the scan says otherwise. */
  applyScan(slot: bigint, positions: readonly PositionSnapshot[]): void {
    this.scans += 1;
    const seen = new Set<Address>();
    for (const position of positions) {
      if (!this.keeps(position.address)) continue;
      seen.add(position.address);
      this.apply({ ...position, slot });
    }
    for (const [address, entry] of this.entries) if (!seen.has(address) && entry.slot <= slot) this.entries.delete(address);
  }

  /** Applies one reading unless the book holds a newer one; returns whether it did.
   * A position without debt stays as such (not read as indebted), so that an older
   * scan does not bring it back; the next scan that lacks it removes it. */
  apply(entry: BookEntry): boolean {
    const known = this.entries.get(entry.address);
    if (known && known.slot > entry.slot) return false;
    this.entries.set(entry.address, entry);
    return true;
  }

  private async subscribe(wsUrl: string, signal: AbortSignal): Promise<void> {
    for (let failures = 0; !signal.aborted; ) {
      const subscription = new AbortController();
      const stop = () => subscription.abort();
      signal.addEventListener('abort', stop, { once: true });
      try {
        const notifications = await programSubscriptions(wsUrl, { keepsAccount: (address) => this.keeps(address as Address) })
          .programNotifications(STRATA_PROGRAM_ADDRESS, { encoding: 'base64', commitment: 'processed', filters: positionFilters({ pool: this.pool }) })
          .subscribe({ abortSignal: subscription.signal });
        // Notifications from now on; the scan that the next read makes (not live
        // until then) covers what changed before.
        this.lastScanAt = Number.NEGATIVE_INFINITY;
        this.live = true;
        this.log.info({ wsUrl }, 'book follows program notifications');
        for await (const { context, value } of notifications) {
          failures = 0;
          this.notifications += 1;
          // Those the raw check could not read come parsed (subscriptions.ts).
          if (!this.keeps(value.pubkey)) continue;
          const position = decodePositionBase64(value.pubkey, value.account.data[0]);
          const entry = { ...position, slot: context.slot };
          if (this.apply(entry)) this.onChange?.(entry);
        }
      } catch (error) {
        if (!signal.aborted) this.log.warn({ wsUrl, error: (error as Error).message }, 'position subscription lost; scanning every cycle until it is back');
      } finally {
        this.live = false;
        subscription.abort();
        signal.removeEventListener('abort', stop);
      }
      await sleep(backoffMs(failures++, { delayMs: this.options.retryDelayMs }), signal);
    }
  }
}
