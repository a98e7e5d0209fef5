import { describe, it } from 'vitest';

import {
  applyBps,
  CachedPrice,
  collateralForValue,
  collateralValue,
  isNotOlder,
  normalise,
  type OracleSample,
  type Rounding,
} from '../src/index.js';
import { big, cached, checkSection, limits, obj, str, type Case } from './vectors.js';

const rounding = (c: Case) => str(c.rounding) as Rounding;

function sample(value: unknown): OracleSample {
  const x = obj(value as never);
  return {
    price: big(x.price),
    conf: big(x.conf),
    expo: big(x.expo),
    emaPrice: big(x.emaPrice),
    emaConf: big(x.emaConf),
    publishTime: big(x.publishTime),
  };
}

describe('price (vs strata_core::price)', () => {
  it('normalise', () => {
    checkSection('normalise', (c) => normalise(big(c.mantissa), big(c.expo), big(c.decimals), rounding(c)));
  });

  it('CachedPrice.fromSample', () => {
    checkSection('fromSample', (c) => CachedPrice.fromSample(sample(c.sample), big(c.decimals)));
  });

  it('CachedPrice.isFresh', () => {
    checkSection('isFresh', (c) => CachedPrice.isFresh(cached(c.price), big(c.maxAgeSecs), big(c.now)));
  });

  it('CachedPrice.spot', () => {
    checkSection('spot', (c) => CachedPrice.spot(cached(c.price), limits(c.limits), big(c.now)));
  });

  it('CachedPrice.conservative', () => {
    checkSection('conservative', (c) => CachedPrice.conservative(cached(c.price), limits(c.limits), big(c.now)));
  });

  it('collateralValue', () => {
    checkSection('collateralValue', (c) => collateralValue(big(c.amount), big(c.priceWad)));
  });

  it('collateralForValue', () => {
    checkSection('collateralForValue', (c) => collateralForValue(big(c.value), big(c.priceWad), rounding(c)));
  });

  it('applyBps', () => {
    checkSection('applyBps', (c) => applyBps(big(c.amount), big(c.bps), rounding(c)));
  });

  it('isNotOlder', () => {
    checkSection('isNotOlder', (c) => isNotOlder(big(c.samplePublishTime), big(c.cachedPublishTime)));
  });
});
