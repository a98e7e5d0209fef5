// Tranche deposits and withdrawals, signed by the wallet. The generated builders
// derive the tranche's vault (and, for withdrawals, the note mint); what stays here is
// the tranche itself (the IDL gives no seeds for it), the share and note mints the
// default token accounts need, the allowlist entry of permissioned pools and the
// remaining accounts: the other tranches and the collateral payouts.
import type { Address, TransactionSigner } from '@solana/kit';

import {
  getTrancheDepositInstructionAsync,
  getTrancheWithdrawInstructionAsync,
  parseTrancheDepositInstruction,
  parseTrancheWithdrawInstruction,
} from '../generated/index.js';
import { allowlistEntryAddress, associatedTokenAddress, noteMintAddress, shareMintAddress, trancheAddress } from '../pda.js';
import type { Built } from './built.js';
import { createDefaultDestinations, payoutAccounts, resolvePayouts, type PayoutInput } from './payouts.js';
import { trancheSetAccounts, withRemainingAccounts } from './remaining.js';
import { receivingAccount } from './token-accounts.js';

type TrancheFlowInput = {
  pool: Address;
  /** The tranche's index (0 = most senior). */
  index: number;
  /** The pool's `tranche_count`: the other tranches go along for the subordination test. */
  trancheCount: number;
  /** Pass the wallet's allowlist entry (permissioned pools). */
  permissioned?: boolean;
};

/** What both flows derive for `wallet`: the tranche and its share mint, the note mint,
 * `payouts` resolved to `wallet`, its allowlist entry (permissioned pools) and the
 * other tranches (read-only, for the subordination test). In this order, so a bad
 * index, a repeated payout and a bad tranche count are refused in that order. */
async function trancheFlowAccounts(input: TrancheFlowInput, wallet: Address, payouts: readonly PayoutInput[] = []) {
  const tranche = await trancheAddress(input.pool, input.index);
  const shareMint = await shareMintAddress(tranche);
  const noteMint = await noteMintAddress(input.pool);
  const resolved = await resolvePayouts(input.pool, payouts, wallet);
  const allowlistEntry = input.permissioned ? await allowlistEntryAddress(input.pool, wallet) : undefined;
  const others = await trancheSetAccounts(input.pool, input.trancheCount, { withVaults: false, writable: false, except: input.index });
  return { tranche, shareMint, noteMint, payouts: resolved, allowlistEntry, others };
}

/** `tranche_deposit`: deposits `amount` notes from `depositorNotes` (default: the
 * associated note account) for shares into `depositorShares` (default: the associated
 * share account, created first if missing). */
export async function trancheDeposit(
  input: TrancheFlowInput & {
    depositor: TransactionSigner;
    amount: bigint | number;
    depositorNotes?: Address;
    depositorShares?: Address;
    createShares?: boolean;
  },
): Promise<Built<{ tranche: Address; shareMint: Address; vault: Address; depositorShares: Address }>> {
  const wallet = input.depositor.address;
  const { tranche, shareMint, noteMint, allowlistEntry, others } = await trancheFlowAccounts(input, wallet);
  const depositorNotes = input.depositorNotes ?? (await associatedTokenAddress(wallet, noteMint));
  const shares = await receivingAccount({
    payer: input.depositor,
    owner: wallet,
    mint: shareMint,
    given: input.depositorShares,
    create: input.createShares,
  });
  const instruction = await getTrancheDepositInstructionAsync({
    depositor: input.depositor,
    pool: input.pool,
    tranche,
    shareMint,
    depositorNotes,
    depositorShares: shares.address,
    allowlistEntry,
    amount: input.amount,
  });
  const { vault } = parseTrancheDepositInstruction(instruction).accounts;
  return {
    instructions: [...shares.creation, withRemainingAccounts(instruction, others)],
    tranche,
    shareMint,
    vault: vault.address,
    depositorShares: shares.address,
  };
}

/** `tranche_withdraw`: burns `shares` for notes into `holderNotes` (default: the
 * associated note account, created first if missing) and, for each collateral the
 * tranche holds that the redemption pays (see `TrancheState.redemption`), that
 * collateral into the payout's destination. */
export async function trancheWithdraw(
  input: TrancheFlowInput & {
    holder: TransactionSigner;
    shares: bigint | number;
    payouts?: readonly PayoutInput[];
    holderNotes?: Address;
    holderShares?: Address;
    createDestinations?: boolean;
  },
): Promise<Built<{ tranche: Address; shareMint: Address; vault: Address; holderNotes: Address }>> {
  const wallet = input.holder.address;
  const { tranche, shareMint, noteMint, payouts, allowlistEntry, others } = await trancheFlowAccounts(input, wallet, input.payouts);
  const holderShares = input.holderShares ?? (await associatedTokenAddress(wallet, shareMint));
  const holderNotes = await receivingAccount({
    payer: input.holder,
    owner: wallet,
    mint: noteMint,
    given: input.holderNotes,
    create: input.createDestinations,
  });
  const instruction = await getTrancheWithdrawInstructionAsync({
    holder: input.holder,
    pool: input.pool,
    tranche,
    shareMint,
    holderShares,
    holderNotes: holderNotes.address,
    noteMint,
    allowlistEntry,
    shares: input.shares,
  });
  const { vault } = parseTrancheWithdrawInstruction(instruction).accounts;
  return {
    instructions: [
      ...holderNotes.creation,
      ...createDefaultDestinations(input.holder, wallet, payouts, input.createDestinations),
      withRemainingAccounts(instruction, [...others, ...payoutAccounts(payouts)]),
    ],
    tranche,
    shareMint,
    vault: vault.address,
    holderNotes: holderNotes.address,
  };
}
