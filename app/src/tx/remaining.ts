// Remaining accounts: what an instruction reads beyond its fixed accounts, which the
// IDL does not describe, so the generated builders leave them to the caller.
import { AccountRole, type AccountMeta, type Address, type Instruction } from '@solana/kit';

import { trancheAddress, trancheVaultAddress } from '../pda.js';
import { MAX_TRANCHES } from '../tranche.js';

export const readonlyMeta = (address: Address): AccountMeta => ({ address, role: AccountRole.READONLY });
export const writableMeta = (address: Address): AccountMeta => ({ address, role: AccountRole.WRITABLE });

/** The instruction with `metas` appended as remaining accounts. */
export function withRemainingAccounts(instruction: Instruction, metas: readonly AccountMeta[]): Instruction {
  return { ...instruction, accounts: [...(instruction.accounts ?? []), ...metas] };
}

function checkTrancheCount(trancheCount: number): void {
  if (!Number.isInteger(trancheCount) || trancheCount < 0 || trancheCount > MAX_TRANCHES) {
    throw new RangeError(`a pool has 0 to ${MAX_TRANCHES} tranches, not ${trancheCount}`);
  }
}

/** The pool's tranches as remaining accounts, in index order: each tranche (writable
 * when the instruction changes it), followed by its note vault when `withVaults`,
 * leaving out `except` (the tranche the instruction names itself). */
export async function trancheSetAccounts(
  pool: Address,
  trancheCount: number,
  options: { withVaults: boolean; writable: boolean; except?: number },
): Promise<AccountMeta[]> {
  checkTrancheCount(trancheCount);
  const metas: AccountMeta[] = [];
  for (let index = 0; index < trancheCount; index += 1) {
    if (index === options.except) continue;
    const tranche = await trancheAddress(pool, index);
    metas.push(options.writable ? writableMeta(tranche) : readonlyMeta(tranche));
    if (options.withVaults) metas.push(writableMeta(await trancheVaultAddress(tranche)));
  }
  return metas;
}
