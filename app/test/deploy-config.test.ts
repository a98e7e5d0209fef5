import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { parseDeployConfig } from '../admin/deploy.js';

const config = (name: string) => JSON.parse(readFileSync(resolve(__dirname, '../../migrations', name), 'utf8')) as unknown;

describe('deploy configs in migrations/', () => {
  it('the devnet example names existing mints and Pyth accounts, nothing to create or publish', () => {
    const parsed = parseDeployConfig(config('devnet.example.json'));
    expect(parsed.collaterals).toHaveLength(2);
    for (const collateral of parsed.collaterals) {
      expect(typeof collateral.mint).toBe('string');
      expect(collateral.oracle.kind).toBe('pull');
      expect(collateral.oracle.address).toBeDefined();
      expect(collateral.oracle.feedId).toMatch(/^0x[0-9a-f]{64}$/);
      expect(collateral.oracle.dev).toBeUndefined();
    }
  });

  it('the local config creates its mints and publishes dev prices', () => {
    const parsed = parseDeployConfig(config('localnet.json'));
    expect(parsed.collaterals.every((c) => typeof c.mint === 'object' && c.oracle.dev !== undefined)).toBe(true);
  });
});
