import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { deploy, parseDeployConfig } from '../../admin/deploy.js';
import { decodePoolData, decodeTrancheData } from '../../src/index.js';
import { LOCAL_CONFIG } from '../../sim/config.js';
import { startCluster, fundedWallet, type Cluster } from './cluster.js';

describe('deploy (against the real local cluster)', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster();
  }, 600_000);
  afterAll(async () => cluster?.stop());

  it('creates the pool, collaterals and tranches, and a re-run sends nothing', async (ctx) => {
    if (!cluster.local) ctx.skip(); // dev prices
    const authority = await fundedWallet(cluster);
    const statePath = join(mkdtempSync(join(tmpdir(), 'strata-deploy-')), 'state.json');
    const steps: string[] = [];
    const config = parseDeployConfig(LOCAL_CONFIG);
    const state = await deploy(config, { ...cluster, authority, statePath, log: (m) => steps.push(m) });
    expect(steps.filter((s) => s.startsWith('init_pool') || s.startsWith('add_collateral') || s.startsWith('init_tranche'))).toHaveLength(5);
    const pool = decodePoolData(Buffer.from((await cluster.rpc.getAccountInfo(state.pool, { encoding: 'base64' }).send()).value!.data[0], 'base64'));
    expect(pool.collateralCount).toBe(2);
    expect(pool.trancheCount).toBe(2);
    expect(pool.collaterals[1]!.mint).toBe(state.collaterals.tBILL!.mint);
    const senior = decodeTrancheData(Buffer.from((await cluster.rpc.getAccountInfo(state.tranches[0]!, { encoding: 'base64' }).send()).value!.data[0], 'base64'));
    expect(senior.targetAprBps).toBe(800);
    expect(JSON.parse(readFileSync(statePath, 'utf8')).pool).toBe(state.pool);

    const again: string[] = [];
    const second = await deploy(config, { ...cluster, authority, statePath, log: (m) => again.push(m) });
    expect(again).toEqual([]);
    expect(second).toEqual(state);
  }, 120_000);

  it('refuses a config with problems, naming each', () => {
    expect(() => parseDeployConfig({ ...LOCAL_CONFIG, pool: { id: -1, params: {} } })).toThrow(/pool\.id/);
  });
});
