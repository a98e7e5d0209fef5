import { spawn } from 'node:child_process';
import { getPriority } from 'node:os';

import { describe, expect, it } from 'vitest';

import { lowerPriority, threadPriorities } from '../../sim/priority.js';

describe('lowering a process\'s priority (the fleet benchmark lets the cluster go first)', () => {
  it('sets every thread of a running process, and the threads it starts afterwards inherit it', async () => {
    // Node starts several threads (the platform's workers) before any script runs.
    const script = 'console.log("ready"); process.stdin.once("data", () => new (require("node:worker_threads").Worker)("setInterval(() => {}, 1000)", { eval: true }).once("online", () => console.log("worker"))); setInterval(() => {}, 1000)';
    const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    // Lower than this test's own priority (whatever the runner gives it), within 19.
    const own = getPriority();
    const target = Math.min(19, own + 5);
    try {
      await new Promise((resolve) => child.stdout!.once('data', resolve));
      const before = threadPriorities(child.pid!);
      expect(before.length).toBeGreaterThan(1);
      expect(before.every((nice) => nice === own)).toBe(true);
      lowerPriority(child.pid, target);
      const lowered = threadPriorities(child.pid!);
      expect(lowered.every((nice) => nice === target)).toBe(true);
      child.stdin!.write('start a worker\n');
      await new Promise((resolve) => child.stdout!.once('data', resolve));
      const after = threadPriorities(child.pid!);
      expect(after.length).toBeGreaterThan(lowered.length);
      expect(after.every((nice) => nice === target)).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a nice value outside 0 to 19, and no process', () => {
    expect(() => lowerPriority(process.pid, 20)).toThrow('nice value 20: 0 to 19');
    expect(() => lowerPriority(process.pid, -1)).toThrow('nice value -1: 0 to 19');
    expect(() => lowerPriority(undefined, 10)).toThrow('no process to lower');
  });
});
