// The `health` and `quote_liquidation` views: simulate the instruction (`tx.health`,
// `tx.quoteLiquidation`) and decode its return data (the Borsh `HealthReport` /
// `LiquidationQuote`), or compute the same answer off-chain from the pool's and the
// position's account data with the mirrored core, as the views compute it.
import {
  getBase64Encoder,
  isFixedSize,
  none,
  some,
  type Address,
  type Decoder,
  type ReadonlyUint8Array,
} from '@solana/kit';

import { collateralViews, poolDebtState, positionDebtShares } from './accounts.js';
import { DebtState } from './debt.js';
import { isCoreError } from './errors.js';
import {
  getHealthReportDecoder,
  getLiquidationQuoteDecoder,
  STRATA_PROGRAM_ADDRESS,
  type HealthReport,
  type LiquidationQuote,
  type Pool,
  type Position,
} from './generated/index.js';
import { Health, PriceBasis } from './health.js';
import { liquidationTerms, LiquidationPlan, MAX_COLLATERALS, planLiquidation } from './liquidation.js';
import { toU64 } from './math.js';

/** Return data as `simulateTransaction` reports it. */
export type RpcReturnData = { programId: Address; data: readonly [string, 'base64'] | readonly [string, string] };

const base64 = getBase64Encoder();

/** The bytes of Strata's return data: raw bytes, an RPC `returnData` object (checked
 * to come from `programAddress`), or a base64 string. */
export function returnDataBytes(
  returnData: ReadonlyUint8Array | RpcReturnData | string,
  programAddress: Address = STRATA_PROGRAM_ADDRESS,
): ReadonlyUint8Array {
  if (typeof returnData === 'string') return base64.encode(returnData);
  if ('programId' in returnData) {
    if (returnData.programId !== programAddress) {
      throw new RangeError(`return data of ${returnData.programId}, not ${programAddress}`);
    }
    return base64.encode(returnData.data[0]);
  }
  return returnData;
}

/** The last `Program return: <program> <base64>` of `programAddress` in a log. */
export function returnDataFromLogs(
  logs: readonly string[],
  programAddress: Address = STRATA_PROGRAM_ADDRESS,
): ReadonlyUint8Array | undefined {
  const prefix = `Program return: ${programAddress} `;
  const line = [...logs].reverse().find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : base64.encode(line.slice(prefix.length).trim());
}

/** Decodes exactly one value. RPC nodes before Agave 1.17 strip trailing zero bytes
 * from return data (solana#31391), so a short buffer is padded back with zeros up to
 * the type's largest size (the decoder's fixed or maximum size: every `Option`
 * present); whatever follows the value must be zeros. */
function decodeExact<T>(decoder: Decoder<T>, data: ReadonlyUint8Array, name: string): T {
  const maxSize = isFixedSize(decoder) ? decoder.fixedSize : decoder.maxSize;
  if (maxSize === undefined) throw new TypeError(`${name}: the decoder has no maximum size`);
  if (data.length > maxSize) throw new RangeError(`${name}: ${data.length} bytes, at most ${maxSize}`);
  const padded = new Uint8Array(maxSize);
  padded.set(data);
  const [value, end] = decoder.read(padded, 0);
  if (padded.subarray(end).some((b) => b !== 0)) throw new RangeError(`${name}: bytes after the value`);
  return value;
}

/** Decodes the `health` view's return data. */
export function decodeHealthReport(returnData: ReadonlyUint8Array | RpcReturnData | string): HealthReport {
  return decodeExact(getHealthReportDecoder(), returnDataBytes(returnData), 'HealthReport');
}

/** Decodes the `quote_liquidation` view's return data. */
export function decodeLiquidationQuote(returnData: ReadonlyUint8Array | RpcReturnData | string): LiquidationQuote {
  return decodeExact(getLiquidationQuoteDecoder(), returnDataBytes(returnData), 'LiquidationQuote');
}

/** What the `health` view reports for `position` at `now` (unix seconds), from the
 * accounts' data: debt accrued to `now` on a copy, health on both bases. */
export function positionHealthReport(pool: Pool, position: Position, now: bigint): HealthReport {
  const { state: debt } = DebtState.accrue(poolDebtState(pool), now);
  const owed = DebtState.debtOf(debt, positionDebtShares(position));
  const views = collateralViews(pool, position.collateral);
  const spot = Health.compute(views, owed, PriceBasis.Spot, now);
  const conservative = unlessCoreError(() => Health.compute(views, owed, PriceBasis.Conservative, now));
  const collateralValue = Health.collateralValue(views, PriceBasis.Spot, now);
  const conservativeRatio = conservative && unlessCoreError(() => Health.ratioWad(conservative));
  return {
    debt: toU64(owed),
    collateralValue,
    liquidationValue: spot.weightedCollateral,
    borrowLimit: conservative ? some(conservative.weightedCollateral) : none(),
    healthWad: Health.ratioWad(spot),
    conservativeHealthWad: conservativeRatio !== undefined && conservativeRatio !== null ? some(conservativeRatio) : none(),
    liquidatable: !Health.isHealthy(spot),
    insolvent: collateralValue < owed,
    rateIndexWad: debt.rateIndexWad,
    timestamp: now,
  };
}

function unlessCoreError<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch (error) {
    if (isCoreError(error)) return null;
    throw error;
  }
}

/** The liquidation plan `liquidate(collateralIndex, repayAmount)` would execute at
 * `now`, from the accounts' data (debt accrued on a copy), as the program sizes it.
 * Throws `CoreError` as the instruction would fail, and a RangeError named
 * `InvalidCollateralIndex` for an index the pool does not list. */
export function positionLiquidationPlan(
  pool: Pool,
  position: Position,
  collateralIndex: number,
  repayAmount: bigint,
  now: bigint,
): LiquidationPlan {
  const { state: debt } = DebtState.accrue(poolDebtState(pool), now);
  if (!Number.isInteger(collateralIndex) || collateralIndex < 0 || collateralIndex >= pool.collateralCount) {
    throw new RangeError(`InvalidCollateralIndex: ${collateralIndex}`);
  }
  const views = collateralViews(pool, position.collateral).slice(0, pool.collateralCount);
  return planLiquidation(
    debt,
    liquidationTerms(pool),
    views,
    positionDebtShares(position),
    collateralIndex,
    repayAmount,
    now,
  );
}

/** What the `quote_liquidation` view returns, computed off-chain (see
 * {@link positionLiquidationPlan}). */
export function positionLiquidationQuote(
  pool: Pool,
  position: Position,
  collateralIndex: number,
  repayAmount: bigint,
  now: bigint,
): LiquidationQuote {
  const plan = positionLiquidationPlan(pool, position, collateralIndex, repayAmount, now);
  return {
    shortfall: plan.kind === 'Shortfall',
    repay: plan.repay,
    seized: Array.from({ length: MAX_COLLATERALS }, (_, i) => LiquidationPlan.seized(plan, i)),
    bonusBps: Number(LiquidationPlan.bonusBps(plan, collateralIndex)),
    badDebt: LiquidationPlan.badDebt(plan),
    healthBeforeWad: Health.ratioWad(LiquidationPlan.before(plan)),
    healthAfterWad: Health.ratioWad(LiquidationPlan.after(plan)),
  };
}
