/**
 * CPU time a process has used, for benchmarks that ask who kept the cores busy: the
 * cluster executing transactions, the keepers planning them, or the benchmark itself.
 * Linux only (`/proc/<pid>/stat`); `undefined` elsewhere or once the process is gone.
 */
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** Clock ticks per second of `/proc`'s times (100 on every Linux build we know of). */
const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** User plus system CPU seconds of a `/proc` stat file (a process's or a thread's). */
function statSeconds(path: string): number | undefined {
  try {
    const stat = readFileSync(path, 'utf8');
    // The command name (field 2) may hold spaces: fields are counted after its ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 (utime, stime) are the 12th and 13th after the name.
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return undefined;
  }
}

/** User plus system CPU seconds `pid` has used so far. */
export function cpuSeconds(pid: number | undefined): number | undefined {
  return pid === undefined ? undefined : statSeconds(`/proc/${pid}/stat`);
}

/** CPU seconds of `pid`'s main thread alone (its thread id is the process id): for a
 * Node process, the JavaScript; the rest is its helpers (the compiler and garbage
 * collector's threads, libuv's pool). */
export function mainThreadCpuSeconds(pid: number | undefined): number | undefined {
  return pid === undefined ? undefined : statSeconds(`/proc/${pid}/task/${pid}/stat`);
}

/** This process's own user plus system CPU seconds. */
export const ownCpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
