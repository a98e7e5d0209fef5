// Payouts: collateral a program pays out of the pool's vaults (tranche withdrawals,
// absorb tips, the other collaterals of a settlement), passed as remaining accounts.
import type { AccountMeta, Address, Instruction, TransactionSigner } from '@solana/kit';

import { collateralRefs, type CollateralRef } from '../accounts.js';
import type { Pool } from '../generated/index.js';
import { associatedTokenAddress, TOKEN_PROGRAM_ADDRESS, vaultAddress } from '../pda.js';
import { readonlyMeta, writableMeta } from './remaining.js';
import { createAssociatedTokenIdempotentInstruction } from './token-accounts.js';

/** Collateral paid out of a pool vault to `destination` (default: the recipient's
 * associated account of the mint, created first if missing). */
export type PayoutInput = CollateralRef & { destination?: Address };

/** The payouts a program pays for `amounts` (per pool collateral index): every
 * listed collateral with a non-zero amount except `except`, in index order. Feed it a
 * plan's amounts: `Redemption.collateral` (tranche withdrawals), `AbsorbPlan.tip`
 * (absorb), or the seized amounts of a shortfall `LiquidationPlan` with the seized
 * collateral as `except` (liquidate's `otherCollaterals`). */
export function payoutsFor(pool: Pool, amounts: readonly bigint[], except?: number): PayoutInput[] {
  return collateralRefs(pool).filter((ref) => ref.index !== except && (amounts[ref.index] ?? 0n) > 0n);
}

/** A payout with every address resolved. */
export type ResolvedPayout = Required<PayoutInput> & { vault: Address; defaultDestination: boolean };

/** Resolves payouts to `recipient`, in collateral index order (the order the program
 * reads them in); the same index twice is refused. */
export async function resolvePayouts(pool: Address, payouts: readonly PayoutInput[], recipient: Address): Promise<ResolvedPayout[]> {
  const sorted = [...payouts].sort((a, b) => a.index - b.index);
  sorted.forEach((payout, i) => {
    if (i > 0 && sorted[i - 1]!.index === payout.index) throw new RangeError(`collateral ${payout.index} paid out twice`);
  });
  return Promise.all(
    sorted.map(async (payout) => {
      const tokenProgram = payout.tokenProgram ?? TOKEN_PROGRAM_ADDRESS;
      return {
        index: payout.index,
        mint: payout.mint,
        tokenProgram,
        vault: await vaultAddress(pool, payout.mint),
        destination: payout.destination ?? (await associatedTokenAddress(recipient, payout.mint, tokenProgram)),
        defaultDestination: payout.destination === undefined,
      };
    }),
  );
}

/** `[token_program, mint, vault, destination]` for each payout, in index order. */
export function payoutAccounts(payouts: readonly ResolvedPayout[]): AccountMeta[] {
  return payouts.flatMap((p) => [
    readonlyMeta(p.tokenProgram),
    readonlyMeta(p.mint),
    writableMeta(p.vault),
    writableMeta(p.destination),
  ]);
}

/** Idempotent creations of the default payout destinations, paid by `payer`, unless
 * `create` is false. */
export function createDefaultDestinations(
  payer: TransactionSigner,
  owner: Address,
  payouts: readonly ResolvedPayout[],
  create = true,
): Instruction[] {
  if (!create) return [];
  return payouts
    .filter((p) => p.defaultDestination)
    .map((p) =>
      createAssociatedTokenIdempotentInstruction({
        payer,
        associatedToken: p.destination,
        owner,
        mint: p.mint,
        tokenProgram: p.tokenProgram,
      }),
    );
}
