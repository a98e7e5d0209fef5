// Price sources: how a collateral's oracle is described, and its permissionless
// refresh (any fee payer).
import type { Address, ReadonlyUint8Array } from '@solana/kit';

import { getRefreshOracleInstruction, type OracleKind, type OracleSourceArgs } from '../generated/index.js';
import type { Built } from './built.js';

/** A price source: legacy Pyth (no feed id) or pull Pyth (`PriceUpdateV2`, feed id). */
export type OracleSourceInput = { kind: OracleKind; feedId?: ReadonlyUint8Array };

const ZERO_FEED_ID = new Uint8Array(32);

/** The program's `OracleSource` argument; a legacy feed has no id, and sends zeros. */
export const oracleSource = (source: OracleSourceInput): OracleSourceArgs => ({
  kind: source.kind,
  feedId: source.feedId ?? ZERO_FEED_ID,
});

/** `refresh_oracle`: caches the collateral's Pyth price and accrues the fee. */
export async function refreshOracle(input: { pool: Address; oracle: Address; collateralIndex: number }): Promise<Built> {
  return { instructions: [getRefreshOracleInstruction(input)] };
}
