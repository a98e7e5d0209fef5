// Tranches: their set-up by the pool authority (`init_tranche`, `update_tranche`) and
// the permissionless cranks over the whole set (`distribute`, `check_coverage`). The
// deposits and the redemption queue are in `tranche-flows.ts`.
import type { Address, TransactionSigner } from '@solana/kit';

import {
  getCheckCoverageInstructionAsync,
  getDistributeInstructionAsync,
  getInitTrancheInstructionAsync,
  getUpdateTrancheInstruction,
  parseInitTrancheInstruction,
  type TrancheParamsArgs,
} from '../generated/index.js';
import { trancheAddress } from '../pda.js';
import type { Built } from './built.js';
import { trancheSetAccounts, withRemainingAccounts } from './remaining.js';

// The IDL gives no seeds for a tranche (the program checks it with a named error),
// so the builders here derive it from its index; the generated builders derive its
// share mint, its vault and the note mint from it.

/** `init_tranche`: the next tranche `["tranche", pool, index]` (0 = most senior; index
 * must equal the pool's tranche count), its share mint and note vault. */
export async function initTranche(input: {
  payer: TransactionSigner;
  authority: TransactionSigner;
  pool: Address;
  index: number;
  params: TrancheParamsArgs;
}): Promise<Built<{ tranche: Address; shareMint: Address; vault: Address }>> {
  const tranche = await trancheAddress(input.pool, input.index);
  const instruction = await getInitTrancheInstructionAsync({ ...input, tranche });
  const { shareMint, vault } = parseInitTrancheInstruction(instruction).accounts;
  return { instructions: [instruction], tranche, shareMint: shareMint.address, vault: vault.address };
}

/** `update_tranche`: new target yield and minimum subordination of tranche `index`. */
export async function updateTranche(input: {
  authority: TransactionSigner;
  pool: Address;
  index: number;
  params: TrancheParamsArgs;
}): Promise<Built<{ tranche: Address }>> {
  const tranche = await trancheAddress(input.pool, input.index);
  const instruction = getUpdateTrancheInstruction({ authority: input.authority, pool: input.pool, tranche, params: input.params });
  return { instructions: [instruction], tranche };
}

/** `distribute` (permissionless): settles income through the waterfall into every
 * tranche and pays the protocol fee owed to the treasury (the pool's `treasury` note
 * account). */
export async function distribute(input: { pool: Address; trancheCount: number; treasury: Address }): Promise<Built> {
  const tranches = await trancheSetAccounts(input.pool, input.trancheCount, { withVaults: true, writable: true });
  const instruction = await getDistributeInstructionAsync({ pool: input.pool, treasury: input.treasury });
  return { instructions: [withRemainingAccounts(instruction, tranches)] };
}

/** `check_coverage` (permissionless): the over-collateralisation test, entering or
 * leaving Turbo. */
export async function checkCoverage(input: { pool: Address; trancheCount: number }): Promise<Built> {
  // Income is settled first: every tranche with its vault, writable.
  const tranches = await trancheSetAccounts(input.pool, input.trancheCount, { withVaults: true, writable: true });
  const instruction = await getCheckCoverageInstructionAsync({ pool: input.pool });
  return { instructions: [withRemainingAccounts(instruction, tranches)] };
}
