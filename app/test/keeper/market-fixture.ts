/**
 * The collateral the keeper's plan tests value: one SPL asset of 9 decimals (SOL) with
 * a fresh Pyth price at `NOW`, 70% LTV, liquidated below 80%, at a 2% to 10% bonus.
 */
import type { CollateralView } from '../../src/index.js';

export const WAD = 10n ** 18n;
export const NOW = 1_000_000n;
export const NOTE = 1_000_000n;
export const SOL = 1_000_000_000n;

/** The collateral at `dollars` a SOL (amount zero: a market's view). */
export const solView = (dollars: bigint): CollateralView => ({
  amount: 0n,
  price: { priceWad: (dollars * NOTE * WAD) / SOL, emaPriceWad: (dollars * NOTE * WAD) / SOL, confWad: 0n, publishTime: NOW },
  limits: { maxAgeSecs: 60n, maxConfBps: 200n, maxEmaDeviationBps: 1_000n },
  ltvBps: 7_000n,
  liquidationThresholdBps: 8_000n,
  liquidationBonusMinBps: 200n,
  liquidationBonusMaxBps: 1_000n,
});
