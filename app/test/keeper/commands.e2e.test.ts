/**
 * The keeper and the stress test as an operator runs them, in child processes. Bad
 * configuration stops the keeper before any network call (exit 2, every problem
 * named); a running keeper scans the real local cluster, serves /healthz and
 * /metrics, and stops cleanly on SIGTERM. The stress command reads the same book.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startCluster, type Cluster } from '../../sim/cluster.js';
import { buildWorld, type World } from '../../sim/world.js';
import { keypairFile, runScript } from '../e2e/harness.js';

const APP_DIR = fileURLToPath(new URL('../..', import.meta.url));

describe('the keeper and stress commands', () => {
  let cluster: Cluster;
  let world: World;

  beforeAll(async () => {
    cluster = await startCluster();
    if (cluster.local) world = await buildWorld(cluster);
  }, 600_000);
  afterAll(async () => cluster?.stop());

  it('refuses a bad configuration with every problem named, before touching the network', async () => {
    const { code, stderr } = await runScript('keeper/main.ts', ['--rpc-url', 'not a url', '--pool', 'nope', '--keypair', 'k.json', '--poll-ms', '5']);
    expect(code).toBe(2);
    for (const field of ['rpcUrl', 'pool', 'pollIntervalMs']) expect(stderr).toContain(field);
  }, 60_000);

  it('scans the pool, reports itself healthy with metrics, and stops on SIGTERM', async () => {
    if (!cluster.local) return;
    const { path } = await keypairFile(cluster, 1);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'keeper/main.ts', '--rpc-url', cluster.url, '--pool', world.state.pool, '--keypair', path, '--dry-run', '--metrics-port', '0', '--poll-ms', '200'],
      { cwd: APP_DIR, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    try {
      let port: number | undefined;
      for (let i = 0; i < 300 && port === undefined; i++) {
        const started = output.split('\n').find((line) => line.includes('"keeper started"'));
        if (started) port = (JSON.parse(started) as { metricsPort: number }).metricsPort;
        else await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(port, output).toBeDefined();
      let health: Response | undefined;
      for (let i = 0; i < 50; i++) {
        health = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (health.status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(health?.status).toBe(200);
      expect(await health!.json()).toMatchObject({ status: 'ok' });
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      // The keeper's and the LPs' positions hold debt: at least three were scanned.
      const scanned = /^strata_keeper_positions_scanned_total (\d+)/m.exec(metrics);
      expect(Number(scanned?.[1])).toBeGreaterThanOrEqual(3);
      // The first cycle valued each of them (no cache yet).
      const valued = /^strata_keeper_positions_valued_total (\d+)/m.exec(metrics);
      expect(Number(valued?.[1])).toBeGreaterThanOrEqual(3);
      expect(metrics).toContain('strata_keeper_scan_seconds_bucket');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).toContain('keeper stopped');
  }, 120_000);

  it('the stress command revalues the book under each shock, and names an unknown collateral', async () => {
    if (!cluster.local) return;
    const state = join(mkdtempSync(join(tmpdir(), 'strata-stress-')), 'state.json');
    writeFileSync(state, JSON.stringify(world.state));
    const { code, stdout, stderr } = await runScript('sim/stress-main.ts', ['--rpc-url', cluster.url, '--state', state, '--shock', 'wSOL=-50', '--shock', 'all=-99']);
    expect(code, stderr).toBe(0);
    const rows = stdout.split('\n');
    // The keeper and the LPs borrowed far below their limits: safe at -50%, not at -99%.
    expect(rows.find((row) => row.startsWith('wSOL=-50'))).toMatch(/^wSOL=-50\s+0\/3\s+0\s/);
    expect(rows.find((row) => row.startsWith('all=-99'))).toMatch(/^all=-99\s+3\/3\s+3\s/);
    const unknown = await runScript('sim/stress-main.ts', ['--rpc-url', cluster.url, '--state', state, '--shock', 'wBTC=-10']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown collateral "wBTC"');
  }, 60_000);
});
