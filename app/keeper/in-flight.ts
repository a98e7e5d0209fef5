/**
 * The keeper's actions in flight, so that cycles never wait for them and never trip
 * over them. A position with an action in flight is left alone until that action
 * resolves (landed, failed, or its blockhash expired) or is released: the book shows it
 * landed before its status does (`releaseSeen`), or a repeat was refused (`release`).
 * Positions whose action resolved after the chain was read are left alone too: the
 * reading may predate its effect. The notes those actions may still burn are held back
 * from the next plan's budget, until a balance read at or after their slot shows them
 * spent.
 */
import type { Address } from '@solana/kit';

import { maxRepayOf, type Action } from './planner.js';
import { recoveryKey } from './recovery.js';
import type { PositionSnapshot } from './scanner.js';

export type Flight = {
  readonly id: number;
  readonly action: Action;
  readonly positions: readonly Address[];
  /** What later plans must leave alone: its positions, or the sale it makes. */
  readonly keys: readonly string[];
  /** Notes the action may burn (what the planner budgeted for it). */
  readonly notes: bigint;
  readonly startedAt: number;
  /** Set once signed: the transaction and the last block height it can land at. */
  signature?: string;
  lastValidBlockHeight?: bigint;
  /** Set once its first send went out. */
  sentAt?: number;
  /** Set once that send was answered or failed: the transaction is only watched since. */
  watchedAt?: number;
  resolvedAt?: number;
  /** Set when a repeat was refused after earlier copies were lost: unresolved until its
   * blockhash expires, but its positions are planned again meanwhile (see `release`). */
  releasedAt?: number;
  /** Set when it landed: the slot, from which readings show its effect. */
  landedSlot?: bigint;
  /** Set when the book showed its positions liquidated (see `releaseSeen`): the slot
   * of that liquidation, its landing slot before its status says so. */
  seenSlot?: bigint;
};

export const positionsOf = (action: Action): Address[] => {
  if (action.kind === 'batch') return action.positions.map((p) => p.address);
  return action.kind === 'recover' ? [] : [action.position.address];
};

/** The readings a liquidation was planned on (none for absorptions, which take the
 * position's debt away, and recovery sales). */
const plannedReadings = (action: Action): readonly PositionSnapshot[] => {
  if (action.kind === 'batch') return action.positions;
  return action.kind === 'settle' ? [action.position] : [];
};

const keysOf = (action: Action): string[] =>
  action.kind === 'recover' ? [recoveryKey(action.trancheIndex, action.collateralIndex)] : positionsOf(action);

/** Notes an action spends at most: a liquidation repays from the keeper's notes (a
 * batch up to its margin for accrued interest, `maxRepayOf`), a recovery sale pays
 * them to a tranche; an absorption is paid by the tranches. */
export const notesOf = (action: Action): bigint => {
  if (action.kind === 'absorb') return 0n;
  if (action.kind === 'batch') return maxRepayOf(action.repay);
  return action.kind === 'recover' ? action.notesIn : action.repay;
};

/** Whether position `key` of a landed liquidation has not been read at its landing slot
 * yet (absent from the readings: nothing to wait for). Recovery sales touch no position. */
function waitsForReading(flight: Flight, key: string, slotOf: (position: string) => bigint | undefined): boolean {
  const landed = flight.landedSlot;
  if (landed === undefined || flight.action.kind === 'recover') return false;
  return (slotOf(key) ?? landed) < landed;
}

/** Unresolved and not released: its positions are left alone (see `InFlight.release`). */
const holdsPositions = (flight: Flight): boolean => flight.resolvedAt === undefined && flight.releasedAt === undefined;

/** Longest a landed action's positions are left alone waiting for a reading that
 * shows it (a notification lost on the way; the book's next full scan brings it). */
export const MAX_UNSEEN_MS = 30_000;

export class InFlight {
  private readonly flights = new Map<number, Flight>();
  private nextId = 1;

  /** Registers `action` as started now. */
  start(action: Action, now = Date.now()): Flight {
    const flight: Flight = { id: this.nextId++, action, positions: positionsOf(action), keys: keysOf(action), notes: notesOf(action), startedAt: now };
    this.flights.set(flight.id, flight);
    return flight;
  }

  /** Marks `flight` resolved (`landedSlot`: it landed then); it still counts for plans
   * whose reads began before now, and its positions for readings older than its slot. */
  resolve(flight: Flight, now = Date.now(), landedSlot?: bigint): void {
    flight.resolvedAt = now;
    flight.landedSlot = landedSlot;
  }

  /** Lets later plans take `flight`'s positions again while it stays unresolved: a
   * repeat was refused, so it had not landed and fails against the state. Should a
   * lost copy land after all, a new action on the same positions is refused or
   * liquidates what is left: a race costs a transaction, never notes. Its notes stay
   * reserved until it resolves. */
  release(flight: Flight, now = Date.now()): void {
    flight.releasedAt = now;
  }

  /** Releases every unresolved liquidation whose positions all show, in the book, a
   * liquidation newer than the readings it was planned on (`lastLiquidatedOf`: the
   * slot of a position's last liquidation as read now). The book's notification comes
   * before the status query that resolves the flight (up to a poll later): waiting for
   * the status would cost a slot per round. A position is one keeper's at a time, so
   * the liquidation seen is this one; if it is another keeper's (a takeover race),
   * this one fails against it, and a new action planned meanwhile costs at most a
   * failed transaction, as after `release`. Returns how many were released. */
  releaseSeen(lastLiquidatedOf: (position: string) => bigint | undefined, now = Date.now()): number {
    let released = 0;
    for (const flight of this.flights.values()) {
      if (!holdsPositions(flight) || flight.sentAt === undefined) continue;
      const planned = plannedReadings(flight.action);
      if (planned.length === 0) continue;
      const seen = planned.map((p) => lastLiquidatedOf(p.address) ?? -1n);
      if (seen.every((slot, i) => slot > planned[i]!.lastLiquidatedSlot)) {
        flight.seenSlot = seen.reduce((latest, slot) => (slot > latest ? slot : latest));
        this.release(flight, now);
        released += 1;
      }
    }
    return released;
  }

  /** Forgets `flight` at once (an action that never reached the cluster). */
  drop(flight: Flight): void {
    this.flights.delete(flight.id);
  }

  /** Unresolved flights. */
  pending(): Flight[] {
    return [...this.flights.values()].filter((f) => f.resolvedAt === undefined);
  }

  get size(): number {
    return this.pending().length;
  }

  /** Unresolved flights still being built or sent (not just watched). */
  get sending(): number {
    let count = 0;
    for (const f of this.flights.values()) if (f.resolvedAt === undefined && f.watchedAt === undefined) count += 1;
    return count;
  }

  /** Flights a plan whose chain reads began at `readAt` must account for: unresolved,
   * or resolved at or after `readAt`. */
  private relevant(readAt: number): Flight[] {
    return [...this.flights.values()].filter((f) => f.resolvedAt === undefined || f.resolvedAt >= readAt);
  }

  /** Positions (and recovery sales) such a plan must leave alone. With `slotOf` (the
   * slot each position was last read at, see book.ts), a position whose action landed
   * is left alone only while its reading predates the landing slot, and one whose
   * action failed or expired not at all: it did not change. Released flights'
   * positions are not left alone (see `release`). */
  busy(readAt: number, slotOf?: (position: string) => bigint | undefined): Set<string> {
    if (!slotOf) return new Set(this.relevant(readAt).filter((f) => f.resolvedAt !== undefined || holdsPositions(f)).flatMap((f) => f.keys));
    const busy = new Set<string>();
    for (const flight of this.flights.values()) {
      if (holdsPositions(flight)) for (const key of flight.keys) busy.add(key);
      else if (flight.resolvedAt === undefined) continue; // released: its positions are free
      else if (flight.action.kind === 'recover') {
        if (flight.resolvedAt >= readAt) for (const key of flight.keys) busy.add(key);
      } else {
        for (const key of flight.keys) if (waitsForReading(flight, key, slotOf)) busy.add(key);
      }
    }
    return busy;
  }

  /** Notes such a plan must not count on, its balance read at `balanceSlot` (if given):
   * a liquidation that landed (or was seen landing) at or before that slot has already
   * spent its notes from that balance, and is not counted twice. */
  reserved(readAt: number, balanceSlot?: bigint): bigint {
    const spent = (f: Flight) => {
      const landed = f.landedSlot ?? f.seenSlot;
      return balanceSlot !== undefined && landed !== undefined && landed <= balanceSlot;
    };
    return this.relevant(readAt).reduce((sum, f) => (spent(f) ? sum : sum + f.notes), 0n);
  }

  /** Whether a landed action resolved before `before` still waits for a reading at
   * its slot of one of its positions (its notification lost or late). */
  unseen(before: number, slotOf: (position: string) => bigint | undefined): boolean {
    for (const f of this.flights.values()) {
      if (f.resolvedAt !== undefined && f.resolvedAt < before && f.keys.some((key) => waitsForReading(f, key, slotOf))) return true;
    }
    return false;
  }

  /** Forgets flights resolved before `readAt`: every later plan reads after them.
   * With `slotOf`, a landed one is kept until every position it touched has been read
   * at or after its slot (or left the book), at most `MAX_UNSEEN_MS`. */
  prune(readAt: number, slotOf?: (position: string) => bigint | undefined): void {
    for (const [id, f] of this.flights) {
      if (f.resolvedAt === undefined || f.resolvedAt >= readAt) continue;
      const unseen = slotOf !== undefined && readAt - f.resolvedAt < MAX_UNSEEN_MS && f.keys.some((key) => waitsForReading(f, key, slotOf));
      if (!unseen) this.flights.delete(id);
    }
  }
}
