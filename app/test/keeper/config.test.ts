import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from '../../keeper/config.js';

const POOL = '9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin';
const minimal = { rpcUrl: 'http://127.0.0.1:8899', pool: POOL, keypairPath: 'keeper.json' };

describe('keeper configuration', () => {
  it('fills defaults', () => {
    const config = loadConfig({ flags: minimal });
    expect(config.pollIntervalMs).toBe(1_000);
    expect(config.minProfit).toBe(0n);
    expect(config.dryRun).toBe(false);
  });

  it('layers file < environment < flags', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'keeper-')), 'keeper.json');
    writeFileSync(file, JSON.stringify({ ...minimal, pollIntervalMs: 500, minProfit: '10' }));
    const config = loadConfig({
      file,
      env: { STRATA_KEEPER_POLL_MS: '700', STRATA_KEEPER_DRY_RUN: 'true' },
      flags: { pollIntervalMs: '900' },
    });
    expect(config.pollIntervalMs).toBe(900);
    expect(config.dryRun).toBe(true);
    expect(config.minProfit).toBe(10n);
  });

  it('lists every problem of a bad configuration', () => {
    try {
      loadConfig({ flags: { rpcUrl: 'not a url', pool: 'nope', keypairPath: 'k.json', pollIntervalMs: 10, minProfit: '-5', maxPositionsPerTx: 99 } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const text = (error as ConfigError).problems.join('\n');
      for (const field of ['rpcUrl', 'pool', 'pollIntervalMs', 'minProfit', 'maxPositionsPerTx']) expect(text).toContain(field);
    }
  });

  it('refuses unknown keys and a missing or unreadable file', () => {
    expect(() => loadConfig({ flags: { ...minimal, typo: 1 } as never })).toThrow(ConfigError);
    expect(() => loadConfig({ file: '/nonexistent/keeper.json' })).toThrow(/config file/);
    expect(() => loadConfig({ flags: {} })).toThrow(/rpcUrl/);
  });
});
