import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { OracleKind } from '../src/generated/index.js';
import { OracleError, PRICE_UPDATE_V2_DISCRIMINATOR, readOracle } from '../src/pyth.js';

type Case = {
  kind: 'legacy' | 'pull';
  case: string;
  owner: string;
  feedId: string;
  data: string;
  result: { sample?: Record<string, string>; error?: string };
};

const cases = (JSON.parse(readFileSync(new URL('./vectors/pyth.json', import.meta.url), 'utf8')) as { cases: Case[] }).cases;

describe('Pyth accounts read as the program reads them', () => {
  it("knows PriceUpdateV2's discriminator: sha256('account:PriceUpdateV2')[..8]", () => {
    const hash = createHash('sha256').update('account:PriceUpdateV2').digest().subarray(0, 8);
    expect([...PRICE_UPDATE_V2_DISCRIMINATOR]).toEqual([...hash]);
  });

  it('has cases of both kinds', () => {
    expect(cases.filter((c) => c.kind === 'legacy').length).toBeGreaterThan(8);
    expect(cases.filter((c) => c.kind === 'pull').length).toBeGreaterThan(8);
  });

  for (const c of cases) {
    it(`${c.kind}: ${c.case}`, () => {
      const kind = c.kind === 'legacy' ? OracleKind.PythLegacy : OracleKind.PythPull;
      const read = () => readOracle(kind, c.owner, Buffer.from(c.data, 'base64'), Buffer.from(c.feedId, 'base64'));
      if (c.result.error !== undefined) {
        expect(read).toThrowError(OracleError);
        try {
          read();
        } catch (error) {
          expect((error as OracleError).code).toBe(c.result.error);
        }
        return;
      }
      const sample = read();
      const expected = c.result.sample!;
      expect({
        price: sample.price.toString(),
        conf: sample.conf.toString(),
        expo: sample.expo.toString(),
        emaPrice: sample.emaPrice.toString(),
        emaConf: sample.emaConf.toString(),
        publishTime: sample.publishTime.toString(),
      }).toEqual(expected);
    });
  }
});
