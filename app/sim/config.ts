/** The local pool the simulations, the main job and the end-to-end tests deploy: two
 * collaterals (one per Pyth kind: wSOL on SPL Token with a legacy feed, a tokenized
 * T-bill on Token-2022 with a pull feed) and senior/junior tranches. */
export const LOCAL_CONFIG = {
  pool: {
    id: 1,
    params: {
      stabilityFeeBps: 500,
      debtCeiling: '1000000000000000',
      minDebt: '10000000',
      closeFactorBps: 5000,
      keeperTipBps: 50,
      protocolFeeBps: 1000,
      coverageFloorBps: 1000,
    },
  },
  collaterals: [
    {
      name: 'wSOL',
      mint: { create: { decimals: 9 } },
      oracle: { kind: 'legacy', dev: { price: 15_000_000_000, expo: -8 } },
      params: { ltvBps: 6000, liquidationThresholdBps: 8000, liquidationBonusMinBps: 200, liquidationBonusMaxBps: 1000, depositCap: '1000000000000000000', maxAgeSecs: 60, maxConfBps: 200, maxEmaDeviationBps: 500 },
    },
    {
      name: 'tBILL',
      mint: { create: { decimals: 6, token2022: true } },
      oracle: { kind: 'pull', dev: { price: 100_000_000, expo: -8 } },
      params: { ltvBps: 8000, liquidationThresholdBps: 9000, liquidationBonusMinBps: 100, liquidationBonusMaxBps: 500, depositCap: '1000000000000000000', maxAgeSecs: 60, maxConfBps: 200, maxEmaDeviationBps: 500 },
    },
  ],
  tranches: [
    { targetAprBps: 800, minSubordinationBps: 2000 },
    { targetAprBps: 0, minSubordinationBps: 0 },
  ],
};

