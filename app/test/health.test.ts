import { describe, it } from 'vitest';

import { Health, type CollateralView, type PriceBasis } from '../src/index.js';
import { big, cached, checkSection, limits, obj, str, type Case } from './vectors.js';

function view(value: unknown): CollateralView {
  const v = obj(value as never);
  return {
    amount: big(v.amount),
    price: cached(v.price),
    limits: limits(v.limits),
    ltvBps: big(v.ltvBps),
    liquidationThresholdBps: big(v.liquidationThresholdBps),
  };
}

function ratio(health: Health) {
  try {
    return { out: Health.ratioWad(health).toString() };
  } catch (error) {
    return { error: (error as { code: string }).code };
  }
}

describe('health (vs strata_core::health)', () => {
  it('Health.compute, isHealthy, ratioWad on both bases', () => {
    checkSection('health', (c: Case) => {
      const views = (c.collaterals as unknown[]).map(view);
      const health = Health.compute(views, big(c.debt), str(c.basis) as PriceBasis, big(c.now));
      return { ...health, isHealthy: Health.isHealthy(health), ratioWad: ratio(health) };
    });
  });
});
