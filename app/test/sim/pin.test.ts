import { spawn } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { coresOf, pinToCores } from '../../sim/pin.js';

describe('pinning a process to cores (the fleet benchmark gives the keepers a fixed share)', () => {
  it('pins every thread of a running process to the cores asked for', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      pinToCores(child.pid, '0');
      expect(coresOf(child.pid!)).toBe('0');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a core the machine does not have, and no process', () => {
    expect(() => pinToCores(process.pid, '4095')).toThrow(/taskset 4095/);
    expect(() => pinToCores(undefined, '0')).toThrow('no process to pin');
  });
});
