/**
 * Lowering a process's CPU priority: every thread it has (Linux sets a nice value per
 * thread), and the threads those start later, which inherit it. For benchmarks where
 * the embedded local cluster stands in for a validator on its own machine: keepers
 * given a lower priority than the cluster take only the CPU it leaves, as keepers on
 * other machines would, instead of slowing the chain they are timed against. Raising a
 * nice value needs no privilege; lowering it again would.
 */
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** Sets every thread of `pid` to nice value `niceness` (0 to 19; higher runs later). */
export function lowerPriority(pid: number | undefined, niceness: number): void {
  if (pid === undefined) throw new Error('no process to lower');
  if (!Number.isInteger(niceness) || niceness < 0 || niceness > 19) throw new RangeError(`nice value ${niceness}: 0 to 19`);
  for (const thread of readdirSync(`/proc/${pid}/task`)) setPriority(Number(thread), niceness);
}

/** The nice values of `pid`'s threads. */
export function threadPriorities(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((thread) => getPriority(Number(thread)));
}
