import type { Address } from '@solana/kit';

import { positionAddress } from '../pda.js';

/** Which position: its address, or its owner's wallet (the address is derived). */
export type PositionTarget = { position?: Address; positionOwner?: Address };

/** The position `target` names. The generated builders derive a position only from
 * its signing owner; keepers, views and repayments name someone else's. */
export async function targetPosition(pool: Address, target: PositionTarget): Promise<Address> {
  if (target.position) return target.position;
  if (target.positionOwner) return positionAddress(pool, target.positionOwner);
  throw new TypeError('pass the position or its owner');
}
