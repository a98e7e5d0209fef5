// Oracle prices, mirrored from `strata_core::price`: Pyth's (mantissa, expo) scaled
// into WAD note units per native collateral unit, and the action-specific prices.
//
// A cached price is the value of one native unit of collateral in native note units,
// times WAD: a Pyth price `m × 10^e` becomes `m × 10^(e + 18 + NOTE_DECIMALS − d_c)`.
import { CoreError } from './errors.js';
import { absDiff, BPS, divRound, maxBig, minBig, mulDiv, pow10, Rounding, safeAdd, saturatingSubI64, U128_MAX, WAD } from './math.js';

/** Decimals of a pool's note mint: 1 note = 1 unit of the oracle's quote currency. */
export const NOTE_DECIMALS = 6n;
/** The largest power of ten a u128 holds. */
const MAX_POW10 = 38n;

/** One reading of a Pyth feed, either kind, before normalisation (i64/u64/i32). */
export type OracleSample = {
  price: bigint;
  conf: bigint;
  expo: bigint;
  emaPrice: bigint;
  emaConf: bigint;
  /** Unix seconds. */
  publishTime: bigint;
};

/** What a pool caches per collateral after a refresh (u128 WAD values). */
export type CachedPrice = {
  /** Spot price, rounded down. */
  priceWad: bigint;
  /** EMA price, rounded down. */
  emaPriceWad: bigint;
  /** Spot confidence interval, rounded up. */
  confWad: bigint;
  /** Unix seconds of the oracle update; 0 when never refreshed. */
  publishTime: bigint;
};

/** Per-collateral limits on what a cached price may be used for. */
export type PriceLimits = {
  maxAgeSecs: bigint;
  maxConfBps: bigint;
  maxEmaDeviationBps: bigint;
};

/** Scales a non-negative Pyth mantissa into WAD note units per native collateral unit. */
export function normalise(
  mantissa: bigint,
  expo: bigint | number,
  tokenDecimals: bigint | number,
  rounding: Rounding,
): bigint {
  const shift = BigInt(expo) + 18n + NOTE_DECIMALS - BigInt(tokenDecimals);
  if (shift >= 0n) {
    if (shift > MAX_POW10) throw new CoreError('PriceOutOfRange');
    const scaled = mantissa * pow10(shift);
    if (scaled > U128_MAX) throw new CoreError('PriceOutOfRange');
    return scaled;
  }
  const downShift = -shift;
  if (downShift > MAX_POW10) {
    // 10^39 exceeds every u64 mantissa: the quotient is below one.
    return rounding === Rounding.Up && mantissa > 0n ? 1n : 0n;
  }
  return divRound(mantissa, pow10(downShift), rounding);
}

/** Value in native note units of `amount` native collateral units, rounded down. */
export function collateralValue(amount: bigint, priceWad: bigint): bigint {
  return mulDiv(amount, priceWad, WAD, Rounding.Down);
}

/** Native collateral units worth `value` native note units, rounded as asked. */
export function collateralForValue(value: bigint, priceWad: bigint, rounding: Rounding): bigint {
  if (priceWad === 0n) throw new CoreError('PriceOutOfRange');
  return mulDiv(value, WAD, priceWad, rounding);
}

/** `amount × bps / BPS`, rounded as asked. */
export function applyBps(amount: bigint, bps: bigint | number, rounding: Rounding): bigint {
  return mulDiv(amount, BigInt(bps), BPS, rounding);
}

/** A sample may replace the cache only when it is not older (equal times accepted). */
export function isNotOlder(samplePublishTime: bigint, cachedPublishTime: bigint): boolean {
  return samplePublishTime >= cachedPublishTime;
}

/** `CachedPrice`'s methods, as functions over the plain value. */
export const CachedPrice = {
  /** Validates a sample and normalises it. Spot and EMA round down, confidence up. */
  fromSample(sample: OracleSample, tokenDecimals: bigint | number): CachedPrice {
    if (sample.price <= 0n || sample.emaPrice <= 0n) throw new CoreError('NonPositivePrice');
    const priceWad = normalise(sample.price, sample.expo, tokenDecimals, Rounding.Down);
    const emaPriceWad = normalise(sample.emaPrice, sample.expo, tokenDecimals, Rounding.Down);
    if (priceWad === 0n || emaPriceWad === 0n) throw new CoreError('PriceOutOfRange');
    const confWad = normalise(sample.conf, sample.expo, tokenDecimals, Rounding.Up);
    return { priceWad, emaPriceWad, confWad, publishTime: sample.publishTime };
  },

  /** No older than `maxAgeSecs` at `now`; a cache never refreshed is never fresh. */
  isFresh(price: CachedPrice, maxAgeSecs: bigint, now: bigint): boolean {
    return price.publishTime > 0n && saturatingSubI64(now, price.publishTime) <= maxAgeSecs;
  },

  /** The liquidation price: spot, requiring freshness only. */
  spot(price: CachedPrice, limits: PriceLimits, now: bigint): bigint {
    if (!CachedPrice.isFresh(price, limits.maxAgeSecs, now)) throw new CoreError('StalePrice');
    return price.priceWad;
  },

  /** The mint/withdraw price: `min(spot, ema) − conf`, refused when stale, when
   * `conf / spot > maxConfBps`, or when spot and EMA differ by more than
   * `maxEmaDeviationBps` of the EMA. */
  conservative(price: CachedPrice, limits: PriceLimits, now: bigint): bigint {
    const spot = CachedPrice.spot(price, limits, now);
    const confScaled = mulDiv(price.confWad, BPS, 1n, Rounding.Down);
    const confLimit = mulDiv(spot, limits.maxConfBps, 1n, Rounding.Down);
    if (confScaled > confLimit) throw new CoreError('ConfidenceTooWide');
    const deviationScaled = mulDiv(absDiff(spot, price.emaPriceWad), BPS, 1n, Rounding.Down);
    const deviationLimit = mulDiv(price.emaPriceWad, limits.maxEmaDeviationBps, 1n, Rounding.Down);
    if (deviationScaled > deviationLimit) throw new CoreError('EmaDeviationTooLarge');
    const low = minBig(spot, price.emaPriceWad);
    return low > price.confWad ? low - price.confWad : 0n;
  },

  /** The bottom of the price band, `min(spot, EMA) − confidence`, fresh prices only:
   * what a junior tranche's collateral is handed to a senior at. */
  seniorFavouring(price: CachedPrice, limits: PriceLimits, now: bigint): bigint {
    const spot = CachedPrice.spot(price, limits, now);
    const low = minBig(spot, price.emaPriceWad);
    return low > price.confWad ? low - price.confWad : 0n;
  },

  /** The top of the price band, `max(spot, EMA) + confidence`: what an entrant into
   * a tranche pays for the tranche's held collateral. Fresh prices only. */
  entry(price: CachedPrice, limits: PriceLimits, now: bigint): bigint {
    const spot = CachedPrice.spot(price, limits, now);
    return safeAdd(maxBig(spot, price.emaPriceWad), price.confWad);
  },
} as const;
