/** Pause flag names (`programs/strata/src/constants.rs`, `pause`). */
import { tx } from '../src/index.js';
import { InputError } from '../admin/chain.js';

export const PAUSE_NAMES = {
  deposit: tx.PauseFlags.Deposit,
  withdraw: tx.PauseFlags.Withdraw,
  mint: tx.PauseFlags.Mint,
  liquidate: tx.PauseFlags.Liquidate,
  tranche: tx.PauseFlags.Tranche,
} as const;

/** The bits of `names` (`all` for every family; none given: all). */
export function pauseBits(names: readonly string[]): number {
  if (names.length === 0) return tx.PauseFlags.All;
  let bits = 0;
  for (const raw of names.flatMap((n) => n.split(','))) {
    const name = raw.trim().toLowerCase();
    if (!name) continue;
    if (name === 'all') bits |= tx.PauseFlags.All;
    else if (name in PAUSE_NAMES) bits |= PAUSE_NAMES[name as keyof typeof PAUSE_NAMES];
    else throw new InputError(`unknown pause flag '${raw}': expected ${[...Object.keys(PAUSE_NAMES), 'all'].join(', ')}`);
  }
  return bits;
}
