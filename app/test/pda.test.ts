import type { Address } from '@solana/kit';
import { describe, expect, it } from 'vitest';

import {
  allowlistEntryAddress,
  associatedTokenAddress,
  noteMintAddress,
  poolAddress,
  positionAddress,
  trancheAddresses,
  treasuryAddress,
  vaultAddress,
} from '../src/index.js';
import { big, section, str } from './vectors.js';

const addr = (value: unknown) => str(value as string) as Address;
type Row = Record<string, string>;

describe('PDAs (vs strata::pda and the SPL associated token address)', () => {
  const cases = section('pda');

  it.each(cases.map((c) => [str(c.poolId), c] as const))('pool id %s', async (_, c) => {
    const pool = await poolAddress(addr(c.creator), big(c.poolId));
    expect(pool).toBe(c.pool);
    expect(await noteMintAddress(pool)).toBe(c.noteMint);
    expect(await treasuryAddress(pool, addr(c.treasuryOwner))).toBe(c.treasury);
    for (const v of c.vaults as Row[]) expect(await vaultAddress(pool, addr(v.mint))).toBe(v.vault);
    for (const p of c.positions as Row[]) expect(await positionAddress(pool, addr(p.owner))).toBe(p.position);
    for (const a of c.atas as Row[]) {
      expect(await associatedTokenAddress(addr(a.owner), addr(a.mint), addr(a.tokenProgram))).toBe(a.address);
    }
    for (const t of c.tranches as Row[]) {
      expect(await trancheAddresses(pool, Number(t.index))).toEqual({ tranche: t.tranche, shareMint: t.shareMint, vault: t.vault });
    }
    for (const e of c.allowlist as Row[]) expect(await allowlistEntryAddress(pool, addr(e.wallet))).toBe(e.entry);
  });
});
