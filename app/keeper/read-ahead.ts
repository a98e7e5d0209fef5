/**
 * A market read begun when a cycle ends, for the next cycle. A slot's first cycle read
 * the market when the slot's notification came, when the cluster is busiest (closing
 * the slot, executing what waited for the next): 66 to 120 ms for each keeper of a
 * fleet clearing 10,000 positions, and nothing sent meanwhile. Read ahead, the market
 * is in hand when the notification comes.
 *
 * A read ahead serves only if it began after the last oracle notification (its prices
 * are the latest; checked again once it is answered, as the oracle may move while it
 * is read), at most `maxAgeMs` before the cycle (its clock and the pool's totals are
 * that old), and while the slot subscription lives: the plan then takes its slot from
 * the subscription, not from the read, which is a slot or two behind (see
 * `Keeper.cycle`). Its note balance is as old as the read: the flights that landed
 * since are held back from it, from the read's start (`InFlight.reserved`).
 */
export type Conditions = {
  /** When the last oracle notification came (ms since the epoch), if any has. */
  oracleMovedAt: () => number | undefined;
  /** Whether the slot subscription lives (it says which slot is open). */
  slotsLive: () => boolean;
  maxAgeMs: number;
};

export class ReadAhead<M> {
  private pending?: { startedAt: number; market: Promise<M | undefined> };

  constructor(private readonly conditions: Conditions) {}

  /** Starts `read` unless one is pending or the slot subscription is down. A failed
   * read serves nothing (the cycle reads again, with its retries). */
  start(read: () => Promise<M>, now = Date.now()): void {
    if (this.pending || !this.conditions.slotsLive()) return;
    this.pending = { startedAt: now, market: read().catch(() => undefined) };
  }

  /** The read ahead, with when it began, if it serves a cycle started at `startedAt`;
   * undefined otherwise (the cycle reads now). Either way the next cycle needs a new
   * one. */
  async take(startedAt: number): Promise<{ market: M; readAt: number } | undefined> {
    const pending = this.pending;
    this.pending = undefined;
    if (!pending) return undefined;
    const serves = () =>
      this.conditions.slotsLive() &&
      pending.startedAt > (this.conditions.oracleMovedAt() ?? Number.NEGATIVE_INFINITY) &&
      startedAt - pending.startedAt <= this.conditions.maxAgeMs;
    if (!serves()) return undefined;
    const market = await pending.market;
    return market !== undefined && serves() ? { market, readAt: pending.startedAt } : undefined;
  }
}
