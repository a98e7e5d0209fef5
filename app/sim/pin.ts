/**
 * Pinning a process (every thread of it, and the threads it starts later) to chosen
 * cores with `taskset` (util-linux), for benchmarks that give a party a fixed share of
 * the machine: the keepers one core, whatever their number.
 */
import { spawnSync } from 'node:child_process';

/** Pins `pid` to `cores` (e.g. "1" or "0,1"); throws when `taskset` fails or is missing. */
export function pinToCores(pid: number | undefined, cores: string): void {
  if (pid === undefined) throw new Error('no process to pin');
  const result = spawnSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cores, String(pid)], { encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`taskset ${cores} ${pid}: ${result.stderr.trim()}`);
}

/** The cores `pid`'s main thread may run on, as `taskset` lists them (e.g. "1"). */
export function coresOf(pid: number): string {
  const result = spawnSync('taskset', ['--cpu-list', '--pid', String(pid)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`taskset ${pid}: ${result.stderr.trim()}`);
  return result.stdout.trim().split(': ').at(-1)!;
}
