/**
 * `migrations/deploy.ts` run as a user runs it, twice, against the real local
 * cluster with `migrations/localnet.json`: the first run sets the pool up and
 * prints its addresses, the second finds everything in place and sends nothing.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { fetchPool, fetchTranches } from '../../admin/chain.js';
import { parseDeployConfig, type DeployState } from '../../admin/deploy.js';
import { TOKEN_2022_PROGRAM_ADDRESS } from '../../src/index.js';
import { endpointFlags, startCluster, type Cluster } from './cluster.js';
import { keypairFile, runScript } from './harness.js';

const CONFIG = '../migrations/localnet.json';

describe('migrations/deploy.ts (as a subprocess)', { timeout: 60_000 }, () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster();
  }, 600_000);
  afterAll(async () => cluster?.stop());

  it('migrations/localnet.json is a valid config: two collaterals, one per Pyth kind, senior and junior', () => {
    const config = parseDeployConfig(JSON.parse(readFileSync(CONFIG, 'utf8')));
    expect(config.collaterals.map((c) => c.oracle.kind)).toEqual(['legacy', 'pull']);
    expect(config.tranches).toHaveLength(2);
  });

  it('deploys the local config, prints the addresses, and a second run sends nothing', async (ctx) => {
    // The config publishes dev prices for its oracles: local cluster only.
    if (!cluster.local) ctx.skip();
    const authority = await keypairFile(cluster, 0);
    const state = join(mkdtempSync(join(tmpdir(), 'strata-migrate-')), 'localnet.state.json');
    const args = ['--config', CONFIG, '--keypair', authority.path, '--state', state];

    const first = await runScript('../migrations/deploy.ts', [...args, '--airdrop', '10'], { STRATA_RPC_URL: cluster.url, STRATA_WS_URL: cluster.wsUrl });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const deployed = JSON.parse(readFileSync(state, 'utf8')) as DeployState;
    for (const step of ['airdrop 10 SOL', `init_pool ${deployed.pool}`, 'create mint wSOL', 'add_collateral wSOL (index 0)', 'create mint tBILL', 'add_collateral tBILL (index 1)', 'init_tranche 0', 'init_tranche 1']) {
      expect(first.stdout).toContain(step);
    }
    expect(first.stdout).toMatch(new RegExp(`^pool\\s+${deployed.pool}$`, 'm'));
    expect(first.stdout).toMatch(new RegExp(`^tranche 1\\s+${deployed.tranches[1]} \\(junior\\)$`, 'm'));
    expect(first.stdout).toContain(`tBILL: mint ${deployed.collaterals.tBILL!.mint} (Token-2022, 6 decimals)`);
    expect(first.stdout).toContain('(Pyth pull, feed 0xef0d8b6fda2ceba41da15d4095d1da392a0d2f8ed0c6c7bc0f4cfac8c280b56d)');

    const pool = await fetchPool(cluster.rpc, deployed.pool);
    expect(pool.authority).toBe(authority.signer.address);
    expect([pool.collateralCount, pool.trancheCount]).toEqual([2, 2]);
    expect(pool.collaterals[1]!.tokenProgram).toBe(TOKEN_2022_PROGRAM_ADDRESS);
    expect((await fetchTranches(cluster.rpc, deployed.pool, 2)).map((t) => t.tranche.targetAprBps)).toEqual([800, 0]);

    const balance = (await cluster.rpc.getBalance(authority.signer.address).send()).value;
    const second = await runScript('../migrations/deploy.ts', args, { STRATA_RPC_URL: cluster.url, STRATA_WS_URL: cluster.wsUrl });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('nothing to do: everything exists');
    expect(second.stdout).not.toMatch(/init_pool|add_collateral|init_tranche|create mint/);
    expect(second.stdout).toMatch(new RegExp(`^pool\\s+${deployed.pool}$`, 'm'));
    // No transaction: not even a fee was paid.
    expect((await cluster.rpc.getBalance(authority.signer.address).send()).value).toBe(balance);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toEqual(deployed);

    const json = await runScript('../migrations/deploy.ts', [...args, '--json', ...endpointFlags(cluster)]);
    expect(JSON.parse(json.stdout)).toEqual(deployed);
  });

  it('refuses bad input with status 2 and a clear message', async () => {
    const [badConfig, badUrl, noKey] = await Promise.all([
      runScript('../migrations/deploy.ts', ['--config', 'package.json', '--url', cluster.url]),
      runScript('../migrations/deploy.ts', ['--url', 'somewhere']),
      runScript('../migrations/deploy.ts', ['--url', cluster.url, '--keypair', '/nonexistent.json']),
    ]);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toMatch(/config .*package\.json: invalid deploy config/);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain("--url: expected http(s)://");
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('keypair /nonexistent.json: no such file');
  });
});
