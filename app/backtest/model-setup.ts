/**
 * The model's scene: the state setup.ts leaves on a cluster, built by the model's
 * handlers (model-program.ts) without one, for the sweep (the agreement test starts the
 * model from the chain's accounts instead: model-chain.ts).
 */
import type { Address } from '@solana/kit';

import {
  collateralViews,
  getPoolDecoder,
  getPoolSize,
  Health,
  OracleKind,
  PoolMode,
  PriceBasis,
  TrancheState,
  u128ToLe,
  WAD,
  type OracleSample,
  type Pool,
} from '../src/index.js';
import type { DeployConfig } from '../admin/deploy.js';
import type { PositionSnapshot } from '../keeper/scanner.js';
import type { BacktestConfig } from './config.js';
import { deposit, mint, refreshOracle, trancheDeposit, transaction, type ModelState } from './model-program.js';
import { pythMantissa, type PathStep } from './path.js';
import { backingUnits, bookSpecs, notesFor } from './setup.js';

/** The Pyth reading the replay publishes for `dollars` at `now`: expo −8, EMA = spot,
 * no confidence (`publishPrice(…, pythMantissa(price), -8)`). */
export function publishedSample(dollars: number, now: bigint): OracleSample {
  const price = pythMantissa(dollars);
  return { price, conf: 0n, expo: -8n, emaPrice: price, emaConf: 0n, publishTime: now };
}

/** The model's clock at the first step when it builds its own scene: midnight UTC of
 * the first day (any start gives the same replay; this one reads well). */
export const modelStart = (steps: readonly PathStep[]): bigint => BigInt(Date.parse(`${steps[0]!.date}T00:00:00Z`) / 1_000);

/** Each collateral's index and decimals, by name (the model needs `mint.create`: a
 * pool whose collaterals are created, as on a local cluster). */
export function modelCollaterals(pool: DeployConfig): Record<string, { index: number; decimals: number }> {
  return Object.fromEntries(
    pool.collaterals.map((c, index) => {
      if (typeof c.mint === 'string') throw new Error(`collateral ${c.name}: the model needs its decimals; give mint.create.decimals (a local pool config)`);
      return [c.name, { index, decimals: c.mint.create.decimals }];
    }),
  );
}

/** The pool account `deploy` leaves: `init_pool`, `add_collateral` and `init_tranche`
 * with the config's parameters, nothing deposited or refreshed, at `now`. */
function deployedPool(config: DeployConfig, now: bigint): Pool {
  const pool = getPoolDecoder().decode(new Uint8Array(getPoolSize()));
  const p = config.pool.params;
  const decimals = modelCollaterals(config);
  return {
    ...pool,
    version: 1,
    collateralCount: config.collaterals.length,
    trancheCount: config.tranches.length,
    mode: PoolMode.Normal,
    permissioned: config.pool.permissioned ? 1 : 0,
    stabilityFeeBps: p.stabilityFeeBps,
    closeFactorBps: p.closeFactorBps,
    keeperTipBps: p.keeperTipBps,
    protocolFeeBps: p.protocolFeeBps,
    coverageFloorBps: p.coverageFloorBps,
    poolId: BigInt(config.pool.id),
    rateIndexWad: u128ToLe(WAD),
    lastAccrualTs: now,
    debtCeiling: p.debtCeiling,
    minDebt: p.minDebt,
    redemptionDelaySecs: p.redemptionDelaySecs,
    collaterals: pool.collaterals.map((empty, index) => {
      const c = config.collaterals[index];
      if (!c) return empty;
      return {
        ...empty,
        depositCap: c.params.depositCap,
        maxAgeSecs: c.params.maxAgeSecs,
        ltvBps: c.params.ltvBps,
        liquidationThresholdBps: c.params.liquidationThresholdBps,
        liquidationBonusMinBps: c.params.liquidationBonusMinBps,
        liquidationBonusMaxBps: c.params.liquidationBonusMaxBps,
        maxConfBps: c.params.maxConfBps,
        maxEmaDeviationBps: c.params.maxEmaDeviationBps,
        decimals: decimals[c.name]!.decimals,
        oracleKind: c.oracle.kind === 'legacy' ? OracleKind.PythLegacy : OracleKind.PythPull,
      };
    }),
  };
}

/** A synthetic address in the model (a cluster's would be a PDA or a keypair's). */
export const modelAddress = (label: string) => label as Address;

const emptyPosition = (label: string): PositionSnapshot => ({
  address: modelAddress(label),
  collateral: Array.from({ length: 8 }, () => 0n),
  debtShares: 0n,
  flags: 0,
  lastLiquidatedSlot: 0n,
});

/**
 * The scene of setup.ts, built by the model's handlers at `now` without a cluster:
 * the pool deployed at the first step's prices; the keeper and one holder per tranche
 * backed by ten times their notes in the first collateral, their notes minted; the
 * tranche deposits, junior first; the seeded book (`bookSpecs`), each position minting
 * `leverage` × its borrowing limit exactly as `openBook` computes it. Positions are
 * kept in that order (keeper, holders, book).
 */
export function initialState(config: BacktestConfig, pool: DeployConfig, first: PathStep, now: bigint): ModelState {
  const collaterals = modelCollaterals(pool);
  const state: ModelState = {
    pool: deployedPool(pool, now),
    poolAddress: modelAddress('model-pool'),
    collateralNames: pool.collaterals.map((c) => c.name),
    tranches: pool.tranches.map((t) => ({ ...TrancheState.empty(), targetAprBps: BigInt(t.targetAprBps), minSubordinationBps: BigInt(t.minSubordinationBps), lastSettledTs: now })),
    positions: [],
    oracles: pool.collaterals.map((c) => publishedSample(first.prices[c.name]!, now)),
    keeperNotes: 0n,
    holdings: pool.tranches.map(() => ({ shares: 0n })),
    now,
    slot: 1n,
  };
  const refreshAll = () => pool.collaterals.forEach((_, index) => refreshOracle(state, index));
  transaction(state, refreshAll);
  // `openBook` opens a position per spec in one transaction: collateral in, notes out.
  const open = (label: string, deposits: Record<string, bigint>, notes: (at: number) => bigint) =>
    transaction(state, () => {
      state.positions.push(emptyPosition(label));
      const at = state.positions.length - 1;
      for (const [name, amount] of Object.entries(deposits)) deposit(state, at, collaterals[name]!.index, amount);
      const amount = notes(at);
      if (amount > 0n) {
        for (const name of Object.keys(deposits)) refreshOracle(state, collaterals[name]!.index);
        mint(state, at, amount);
      }
      return at;
    });
  const firstName = pool.collaterals[0]!.name;
  const backed = (label: string, usd: number) =>
    open(label, { [firstName]: backingUnits(usd, first.prices[firstName]!, collaterals[firstName]!.decimals) }, () => 0n);
  const keeper = backed('keeper', config.keeper.notesUsd);
  const holders = config.tranches.map((usd, index) => backed(`holder-${index}`, usd));
  const mintNotes = (at: number, usd: number) => {
    if (usd === 0) return;
    transaction(state, () => {
      refreshAll();
      mint(state, at, notesFor(usd));
    });
  };
  mintNotes(keeper, config.keeper.notesUsd);
  state.keeperNotes = config.keeper.notesUsd === 0 ? 0n : notesFor(config.keeper.notesUsd);
  config.tranches.forEach((usd, index) => mintNotes(holders[index]!, usd));
  for (let index = config.tranches.length - 1; index >= 0; index -= 1) {
    const amount = notesFor(config.tranches[index]!);
    if (amount > 0n) transaction(state, () => trancheDeposit(state, index, amount));
  }
  bookSpecs(config, { collaterals }, first).forEach((spec, n) => {
    open(`position-${n}`, spec.deposits, (at) => {
      if (spec.leverage <= 0) return 0n;
      const limit = Health.compute(collateralViews(state.pool, state.positions[at]!.collateral), 0n, PriceBasis.Conservative, state.now).weightedCollateral;
      return (limit * BigInt(Math.floor(spec.leverage * 1_000_000))) / 1_000_000n;
    });
  });
  return state;
}
