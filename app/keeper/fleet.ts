/**
 * Keepers sharing one pool. `--shard i/n` gives keeper `i` the positions whose address
 * hashes to `i` (the first four bytes of the address, little-endian, modulo `n`:
 * addresses are uniformly random, so shards are even). Every keeper writes a
 * heartbeat file, `<fleet dir>/shard-<i>-of-<n>.json`, every `heartbeatMs`; a shard
 * whose heartbeat is older than `takeoverMs` (or that has none `takeoverMs` after this
 * keeper started) is taken over by the next live shard after it (i+1, i+2, … modulo
 * n), so exactly one keeper picks up a crashed one's positions, within seconds.
 *
 * Heartbeats are written on a timer of their own (`Keeper.run`), not by cycles, so a
 * slow cycle does not look like a dead keeper.
 *
 * Nothing here is trusted for safety: two keepers that both act on a position (a
 * heartbeat that lagged, a clock that differs) send two transactions, and the program
 * refuses the second (one liquidation per position per slot; the batch's slippage
 * guard); the loser pays a fee and no notes. Recovery sales go to the first live shard.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { getAddressEncoder, type Address } from '@solana/kit';

export type Shard = { index: number; count: number };

/** Parses `i/n` (0 ≤ i < n ≤ 256). */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || !(count >= 1 && count <= 256 && index >= 0 && index < count)) {
    throw new RangeError(`shard ${JSON.stringify(text)}: expected i/n with 0 <= i < n <= 256`);
  }
  return { index, count };
}

const addressEncoder = getAddressEncoder();

/** The shard a position belongs to among `count`. */
export function shardOf(position: Address, count: number): number {
  if (count <= 1) return 0;
  const bytes = addressEncoder.encode(position);
  const word = (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
  return word % count;
}

/** What a keeper writes in its heartbeat file. */
export type Heartbeat = { shard: number; count: number; keeper: string; pid: number; at: number };

export type FleetOptions = Shard & {
  /** Where heartbeats are written and read (shared by the fleet's keepers). */
  dir?: string;
  heartbeatMs: number;
  takeoverMs: number;
  keeper: string;
};

export class Fleet {
  private readonly startedAt: number;
  /** Shards this keeper acts for: its own and those it took over. */
  private owned: ReadonlySet<number>;
  private lastRead = Number.NEGATIVE_INFINITY;
  private readonly shardOfPosition = new Map<Address, number>();

  constructor(
    private readonly options: FleetOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
    this.owned = new Set([options.index]);
    if (options.dir) mkdirSync(options.dir, { recursive: true });
  }

  get shard(): Shard {
    return { index: this.options.index, count: this.options.count };
  }

  /** The shards this keeper acts for (its own first). */
  get shards(): number[] {
    return [...this.owned].sort((a, b) => (a === this.options.index ? -1 : b === this.options.index ? 1 : a - b));
  }

  /** Whether this keeper acts for `position`. */
  owns(position: Address): boolean {
    if (this.options.count <= 1) return true;
    // Every cycle asks for every position of the book, and a position's shard never
    // changes: decoded from base58 once, not once a cycle.
    let shard = this.shardOfPosition.get(position);
    if (shard === undefined) this.shardOfPosition.set(position, (shard = shardOf(position, this.options.count)));
    return this.owned.has(shard);
  }

  /** Whether this keeper makes the pool's recovery sales: it acts for shard 0 (its
   * own, or taken over), which some live keeper always does. */
  get leads(): boolean {
    return this.owned.has(0);
  }

  private heartbeatPath(shard: number): string {
    return join(this.options.dir!, `shard-${shard}-of-${this.options.count}.json`);
  }

  /** Writes this keeper's heartbeat (atomically: a reader never sees half a file). */
  beat(): void {
    if (!this.options.dir) return;
    const beat: Heartbeat = { shard: this.options.index, count: this.options.count, keeper: this.options.keeper, pid: process.pid, at: this.now() };
    const path = this.heartbeatPath(this.options.index);
    writeFileSync(`${path}.tmp`, JSON.stringify(beat));
    renameSync(`${path}.tmp`, path);
  }

  /** The time of shard `shard`'s last heartbeat (undefined: none). */
  heartbeatOf(shard: number): number | undefined {
    if (shard === this.options.index) return this.now();
    try {
      return (JSON.parse(readFileSync(this.heartbeatPath(shard), 'utf8')) as Heartbeat).at;
    } catch {
      return undefined;
    }
  }

  /** Shards whose keeper is alive: a heartbeat within `takeoverMs`, or none yet while
   * this keeper itself started less than `takeoverMs` ago (the fleet is starting). */
  liveShards(): number[] {
    const now = this.now();
    const live: number[] = [];
    for (let shard = 0; shard < this.options.count; shard++) {
      const at = this.heartbeatOf(shard);
      if (at === undefined ? now - this.startedAt < this.options.takeoverMs : now - at < this.options.takeoverMs) live.push(shard);
    }
    return live;
  }

  /** Re-reads the heartbeats (at most every `heartbeatMs`) and returns the shards taken
   * over or given back since the last call. */
  refresh(): { taken: number[]; released: number[] } {
    const now = this.now();
    if (this.options.count <= 1 || !this.options.dir || now - this.lastRead < this.options.heartbeatMs) return { taken: [], released: [] };
    this.lastRead = now;
    const live = new Set(this.liveShards());
    const owned = new Set<number>([this.options.index]);
    for (let shard = 0; shard < this.options.count; shard++) {
      if (live.has(shard)) continue;
      // The next live shard after a dead one takes it over.
      for (let step = 1; step < this.options.count; step++) {
        const next = (shard + step) % this.options.count;
        if (live.has(next)) {
          if (next === this.options.index) owned.add(shard);
          break;
        }
      }
    }
    const taken = [...owned].filter((shard) => !this.owned.has(shard));
    const released = [...this.owned].filter((shard) => !owned.has(shard));
    this.owned = owned;
    return { taken, released };
  }
}
