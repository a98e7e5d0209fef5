/**
 * Timing a book's clearing from outside the keepers without taking the cores they are
 * timed on. While the keepers clear, the watcher only keeps each program notification
 * for the pool's positions as it arrived (bytes and time, nothing parsed); it values
 * them after the book has gone quiet, and a full scan confirms what they show.
 *
 * Why: a watcher that follows the book and values it every 100 ms (book-watch.ts)
 * parses every notification and re-values thousands of positions while the keepers
 * run. At 10,000 positions that cost the benchmark 1.2 to 1.7 CPU-seconds of a
 * 5-second clearing on two cores, taken from the cluster and keepers it was timing,
 * and more from a fleet of three (which keeps both cores busy) than from one keeper.
 * Timed from arrivals, the clearing ends at the notification after which no position
 * is liquidatable, not at the next 100 ms look.
 */
import type { Address } from '@solana/kit';
import WebSocket from 'ws';

import { HealthCache, unhealthyCount } from '../keeper/health-cache.js';
import { readMarket, type Market } from '../keeper/market.js';
import { decodePositionBase64, scanPositionsAt, type PositionSnapshot } from '../keeper/scanner.js';
import { positionFilters, STRATA_PROGRAM_ADDRESS } from '../src/index.js';
import { liquidatableCount, type Clearing } from './book-watch.js';
import type { Cluster } from './cluster.js';

/** A message as it arrived: its bytes, unparsed, and `Date.now()` at arrival. */
export type Arrival = { at: number; bytes: Buffer };

/** A position as a notification showed it, at the slot it was read at. */
export type Reading = { at: number; slot: bigint; position: PositionSnapshot };

const withNumbers = (_: string, value: unknown) => (typeof value === 'bigint' ? Number(value) : value);

/** The pool's position notifications, kept as they arrive until `close`. */
export class NotificationRecord {
  readonly arrivals: Arrival[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (bytes: Buffer) => this.arrivals.push({ at: Date.now(), bytes }));
  }

  /** Subscribed (the node acknowledged `programSubscribe`) when this resolves. */
  static async open(wsUrl: string, pool: Address): Promise<NotificationRecord> {
    const socket = new WebSocket(wsUrl);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    // Recording from the first message on: a notification may come in the same chunk as
    // the acknowledgement, before this function resumes.
    const record = new NotificationRecord(socket);
    const acknowledged = new Promise<void>((resolve, reject) => {
      socket.once('message', (bytes: Buffer) => {
        const answer = JSON.parse(bytes.toString()) as { id?: number; result?: number };
        if (answer.id === 1 && typeof answer.result === 'number') resolve();
        else reject(new Error(`programSubscribe refused: ${bytes.toString()}`));
      });
    });
    const config = { encoding: 'base64', commitment: 'confirmed', filters: positionFilters({ pool }) };
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'programSubscribe', params: [STRATA_PROGRAM_ADDRESS, config] }, withNumbers));
    await acknowledged;
    // The first message is the acknowledgement, not a notification.
    record.arrivals.shift();
    return record;
  }

  /** When the last message arrived (0: none yet). */
  get lastAt(): number {
    return this.arrivals.at(-1)?.at ?? 0;
  }

  /** The notifications so far, parsed and decoded, in arrival order. */
  readings(): Reading[] {
    return this.arrivals.map(({ at, bytes }) => {
      type Notification = { params: { result: { context: { slot: number }; value: { pubkey: Address; account: { data: [string, string] } } } } };
      const { context, value } = (JSON.parse(bytes.toString()) as Notification).params.result;
      return { at, slot: BigInt(context.slot), position: decodePositionBase64(value.pubkey, value.account.data[0]) };
    });
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * The clearing as the readings show it: the book at `start` (a scan read at its slot),
 * then each reading in arrival order (one older than what is known of its position is
 * ignored), every position valued under `market`. `seconds`: from `since` to the
 * arrival after which none is liquidatable (0 if none was at the start); undefined if
 * some still are after the last reading.
 */
export function clearingOf(market: Market, start: { slot: bigint; positions: readonly PositionSnapshot[] }, readings: readonly Reading[], since: number): Clearing {
  const health = new HealthCache();
  const slots = new Map<Address, bigint>();
  const liquidatable = new Set<Address>();
  const see = (slot: bigint, position: PositionSnapshot) => {
    if ((slots.get(position.address) ?? -1n) > slot) return;
    slots.set(position.address, slot);
    if (unhealthyCount(market, [position], health) > 0) liquidatable.add(position.address);
    else liquidatable.delete(position.address);
  };
  for (const position of start.positions) see(start.slot, position);
  const peak = liquidatable.size;
  if (peak === 0) return { seconds: 0, left: 0, peak };
  for (const { at, slot, position } of readings) {
    see(slot, position);
    if (liquidatable.size === 0) return { seconds: Math.max(0, at - since) / 1_000, left: 0, peak };
  }
  return { left: liquidatable.size, peak };
}

/** A recording started before a price update: the book as scanned once subscribed. */
export type Recording = {
  record: NotificationRecord;
  start: { slot: bigint; positions: PositionSnapshot[] };
};

/** Subscribes to `pool`'s positions, then scans them: start it before the update. */
export async function startRecording(cluster: Cluster, pool: Address): Promise<Recording> {
  if (!cluster.wsUrl) throw new Error('recording a clearing needs the cluster\'s WebSocket endpoint');
  const record = await NotificationRecord.open(cluster.wsUrl, pool);
  return { record, start: await scanPositionsAt(cluster.rpc, pool) };
}

/**
 * Waits until the recorded book shows no liquidatable position and a full scan agrees,
 * or `timeoutMs` passes. The readings are valued, and the book scanned, only once no
 * notification has come for `quietMs` (the keepers done, or waiting): while they
 * clear, the watcher takes nothing from them but each message's arrival. `tick` runs
 * every `everyMs` (a publisher keeping the feeds fresh, a CPU sample). Throws if the
 * readings show a liquidatable position that a full scan does not: a notification was
 * lost, and the clearing cannot be timed from them.
 */
export async function recordUntilClear(
  cluster: Cluster,
  pool: Address,
  recording: Recording,
  options: { since: number; timeoutMs: number; quietMs?: number; everyMs?: number; tick?: () => Promise<void> },
): Promise<Clearing> {
  const { record, start } = recording;
  const quietMs = options.quietMs ?? 1_000;
  const value = async () => clearingOf(await readMarket(cluster.rpc, pool, pool), start, record.readings(), options.since);
  let valuedUpTo = -1;
  for (;;) {
    await options.tick?.();
    const now = Date.now();
    if (now - options.since > options.timeoutMs) return value();
    const quiet = now - Math.max(record.lastAt, options.since) >= quietMs;
    if (quiet && record.arrivals.length !== valuedUpTo) {
      valuedUpTo = record.arrivals.length;
      const [clearing, scanned] = await Promise.all([value(), liquidatableCount(cluster, pool)]);
      if (clearing.left === 0 && scanned === 0) return clearing;
      if (scanned === 0) throw new Error(`notifications lost: the recorded book shows ${clearing.left} liquidatable position(s), a full scan none`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 100));
  }
}

/** How a clearing's rounds fell into slots, from the readings: the close factor
 * allows one liquidation per position per slot, so the clearing takes at least as many
 * slots as the most rounds any position needs, and every slot a position waits between
 * its rounds (or before its first) can add one. */
export type RoundSlots = {
  /** Positions by the number of rounds they took (index: rounds). */
  byRounds: number[];
  /** Positions whose rounds did not run slot after slot from `first`, and the slots
   * they waited in all. */
  waited: { positions: number; slots: number };
  /** The positions liquidated in the last slot: each one's rounds, as slots after
   * `first` (at most `limit` of them). */
  last: bigint[][];
};

/** Each position's liquidation slots (from `first` on) as its readings show them. */
export function roundSlotsOf(readings: readonly Reading[], first: bigint, limit = 5): RoundSlots {
  const slots = new Map<Address, Set<bigint>>();
  for (const { position } of readings) {
    if (position.lastLiquidatedSlot < first) continue;
    let seen = slots.get(position.address);
    if (!seen) slots.set(position.address, (seen = new Set()));
    seen.add(position.lastLiquidatedSlot - first);
  }
  const byRounds: number[] = [];
  const waited = { positions: 0, slots: 0 };
  let lastSlot = -1n;
  const rounds = [...slots.values()].map((set) => [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  for (const list of rounds) {
    byRounds[list.length] = (byRounds[list.length] ?? 0) + 1;
    const end = list.at(-1)!;
    // Slot after slot from the first: the last round at slot (rounds - 1).
    const lost = Number(end) - (list.length - 1);
    if (lost > 0) {
      waited.positions += 1;
      waited.slots += lost;
    }
    if (end > lastSlot) lastSlot = end;
  }
  for (let i = 0; i < byRounds.length; i++) byRounds[i] ??= 0;
  const last = rounds.filter((list) => list.at(-1) === lastSlot).slice(0, limit);
  return { byRounds, waited, last };
}
