import { describe, expect, it } from 'vitest';

import { cmpProducts, Health, type PriceBasis } from '../src/index.js';
import { big, checkSection, errorNames, health, str, views, type Case } from './vectors.js';

function ratio(h: Health) {
  try {
    return { out: Health.ratioWad(h).toString() };
  } catch (error) {
    return { error: (error as { code: string }).code };
  }
}

const ORDERING = { [-1]: 'Less', 0: 'Equal', 1: 'Greater' } as const;

describe('health (vs strata_core::health)', () => {
  it('Health.compute, isHealthy, ratioWad on both bases', () => {
    checkSection('health', (c: Case) => {
      const h = Health.compute(views(c.collaterals), big(c.debt), str(c.basis) as PriceBasis, big(c.now));
      return { ...h, isHealthy: Health.isHealthy(h), ratioWad: ratio(h) };
    });
    expect(errorNames('health')).toEqual(['ConfidenceTooWide', 'EmaDeviationTooLarge', 'MathOverflow', 'StalePrice']);
  });

  it('Health.collateralValue on both bases', () => {
    checkSection('healthCollateralValue', (c) =>
      Health.collateralValue(views(c.collaterals), str(c.basis) as PriceBasis, big(c.now)),
    );
  });

  it('Health.isAtLeast, compared exactly', () => {
    checkSection('isAtLeast', (c) => Health.isAtLeast(health(c.health), health(c.other)));
  });

  it('cmpProducts (256-bit products)', () => {
    checkSection('cmpProducts', (c) => ORDERING[cmpProducts(big(c.a), big(c.b), big(c.c), big(c.d))]);
  });
});
