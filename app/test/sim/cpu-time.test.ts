import { spawn } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { cpuSeconds, mainThreadCpuSeconds, ownCpuSeconds } from '../../sim/cpu-time.js';

// A child that computes until it has used 0.5 s of CPU (by its own count, so the figure
// does not depend on how busy the machine is), says so, then idles until killed.
const BUSY_CHILD = `
  const used = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1e6; };
  while (used() < 0.5);
  process.stdout.write('done');
  setInterval(() => {}, 1000);
`;

describe('cpu time (the fleet benchmark reads who kept the cores busy)', () => {
  it("reads a child process's CPU time from /proc: it grows by what the child computed", async () => {
    const child = spawn(process.execPath, ['-e', BUSY_CHILD]);
    try {
      const start = cpuSeconds(child.pid);
      expect(start).toBeGreaterThanOrEqual(0);
      await new Promise((resolve) => child.stdout.once('data', resolve));
      const after = cpuSeconds(child.pid)!;
      // Node's start-up counts too; ticks are 10 ms.
      expect(after - start!).toBeGreaterThanOrEqual(0.45);
      expect(after).toBeLessThan(5);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it("reads a child's main thread apart: the JavaScript's CPU time, within the process's", async () => {
    const child = spawn(process.execPath, ['-e', BUSY_CHILD]);
    try {
      await new Promise((resolve) => child.stdout.once('data', resolve));
      const main = mainThreadCpuSeconds(child.pid)!;
      const all = cpuSeconds(child.pid)!;
      // The loop ran on the main thread; the helpers' start-up is the rest.
      expect(main).toBeGreaterThanOrEqual(0.45);
      expect(main).toBeLessThanOrEqual(all);
    } finally {
      child.kill('SIGKILL');
    }
    expect(mainThreadCpuSeconds(undefined)).toBeUndefined();
  });

  it('is undefined for no process or a process that is gone', async () => {
    expect(cpuSeconds(undefined)).toBeUndefined();
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => child.once('exit', resolve));
    // Reaped by Node once it exited: /proc has no entry for it.
    expect(cpuSeconds(child.pid)).toBeUndefined();
  });

  it("agrees with /proc on this process's own CPU time", () => {
    const end = process.cpuUsage().user + 200_000;
    while (process.cpuUsage().user < end);
    // Both count user plus system time; /proc in 10 ms ticks, read a moment later.
    expect(Math.abs(ownCpuSeconds() - cpuSeconds(process.pid)!)).toBeLessThan(0.05);
  });
});
