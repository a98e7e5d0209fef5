// Views: instructions to simulate, whose results come back as return data (decoded
// in `../views.ts`).
import type { Address } from '@solana/kit';

import { getHealthInstruction, getQuoteLiquidationInstruction } from '../generated/index.js';
import type { Built } from './built.js';
import { targetPosition, type PositionTarget } from './position-target.js';

/** `health`: the position's `HealthReport` (decode with `decodeHealthReport`). */
export async function health(input: PositionTarget & { pool: Address }): Promise<Built<{ position: Address }>> {
  const position = await targetPosition(input.pool, input);
  return { instructions: [getHealthInstruction({ pool: input.pool, position })], position };
}

/** `quote_liquidation`: what `liquidate(collateralIndex, repayAmount)` would do now
 * (decode with `decodeLiquidationQuote`). */
export async function quoteLiquidation(
  input: PositionTarget & { pool: Address; collateralIndex: number; repayAmount: bigint | number },
): Promise<Built<{ position: Address }>> {
  const position = await targetPosition(input.pool, input);
  const instruction = getQuoteLiquidationInstruction({
    pool: input.pool,
    position,
    collateralIndex: input.collateralIndex,
    repayAmount: input.repayAmount,
  });
  return { instructions: [instruction], position };
}
