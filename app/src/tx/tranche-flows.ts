// Tranche deposits and the redemption queue, signed by the wallet. The generated
// builders derive the tranche's vault, share mint, share escrow, the note mint and the
// wallet's redemption request; what stays here is the tranche itself (the IDL gives
// no seeds for it), the share and note mints the default token accounts need, the
// allowlist entry of permissioned pools and the remaining accounts: the other
// tranches with their vaults (every flow settles income into all of them first) and
// the collateral payouts.
import type { Address, Instruction, TransactionSigner } from '@solana/kit';

import {
  getCancelRedemptionInstructionAsync,
  getClaimRedemptionInstructionAsync,
  getRequestRedemptionInstructionAsync,
  getTrancheDepositInstructionAsync,
  parseClaimRedemptionInstruction,
  parseRequestRedemptionInstruction,
  parseTrancheDepositInstruction,
} from '../generated/index.js';
import {
  allowlistEntryAddress,
  associatedTokenAddress,
  noteMintAddress,
  SHARE_TOKEN_PROGRAM_ADDRESS,
  shareAccountAddress,
  shareMintAddress,
  trancheAddress,
} from '../pda.js';
import type { Built } from './built.js';
import { createDefaultDestinations, payoutAccounts, resolvePayouts, type PayoutInput } from './payouts.js';
import { trancheSetAccounts, withRemainingAccounts } from './remaining.js';
import { receivingAccount } from './token-accounts.js';

type TrancheInput = {
  pool: Address;
  /** The tranche's index (0 = most senior). */
  index: number;
  /** Pass the wallet's allowlist entry (permissioned pools). */
  permissioned?: boolean;
};

type SettlingInput = TrancheInput & {
  /** The pool's `tranche_count`: the other tranches go along (income is settled into
   * every tranche first, and subordination is checked over all of them). */
  trancheCount: number;
};

/** The tranche and its share mint, the wallet's allowlist entry (permissioned pools). */
async function trancheOf(input: TrancheInput, wallet: Address) {
  const tranche = await trancheAddress(input.pool, input.index);
  const shareMint = await shareMintAddress(tranche);
  const allowlistEntry = input.permissioned ? await allowlistEntryAddress(input.pool, wallet) : undefined;
  return { tranche, shareMint, allowlistEntry };
}

/** The other tranches with their vaults, writable (the settlement mints into them). */
const otherTranches = (input: SettlingInput) =>
  trancheSetAccounts(input.pool, input.trancheCount, { withVaults: true, writable: true, except: input.index });

/** `tranche_deposit`: deposits `amount` notes from `depositorNotes` (default: the
 * associated note account) for shares into `depositorShares` (default: the associated
 * share account, created first if missing). When the tranche holds collateral, the
 * transaction must refresh those oracles first: put `refreshOracle` instructions in
 * front (`refreshes`). */
export async function trancheDeposit(
  input: SettlingInput & {
    depositor: TransactionSigner;
    amount: bigint | number;
    depositorNotes?: Address;
    depositorShares?: Address;
    createShares?: boolean;
    /** Oracle refreshes the deposit needs (the held collaterals'), put first. */
    refreshes?: readonly Instruction[];
  },
): Promise<Built<{ tranche: Address; shareMint: Address; vault: Address; depositorShares: Address }>> {
  const wallet = input.depositor.address;
  const { tranche, shareMint, allowlistEntry } = await trancheOf(input, wallet);
  const noteMint = await noteMintAddress(input.pool);
  const others = await otherTranches(input);
  const depositorNotes = input.depositorNotes ?? (await associatedTokenAddress(wallet, noteMint));
  const shares = await receivingAccount({
    payer: input.depositor,
    owner: wallet,
    mint: shareMint,
    tokenProgram: SHARE_TOKEN_PROGRAM_ADDRESS,
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
    instructions: [...(input.refreshes ?? []), ...shares.creation, withRemainingAccounts(instruction, others)],
    tranche,
    shareMint,
    vault: vault.address,
    depositorShares: shares.address,
  };
}

/** `request_redemption`: moves `shares` from `holderShares` (default: the associated
 * share account) into the tranche's escrow, claimable after the pool's redemption
 * delay (`claimRedemption`) or cancellable (`cancelRedemption`). */
export async function requestRedemption(
  input: TrancheInput & { holder: TransactionSigner; shares: bigint | number; holderShares?: Address },
): Promise<Built<{ tranche: Address; request: Address }>> {
  const wallet = input.holder.address;
  const { tranche, shareMint, allowlistEntry } = await trancheOf(input, wallet);
  const holderShares = input.holderShares ?? (await shareAccountAddress(wallet, shareMint));
  const instruction = await getRequestRedemptionInstructionAsync({
    holder: input.holder,
    pool: input.pool,
    tranche,
    holderShares,
    allowlistEntry,
    shares: input.shares,
  });
  const { request } = parseRequestRedemptionInstruction(instruction).accounts;
  return { instructions: [instruction], tranche, request: request.address };
}

/** `claim_redemption`: once the delay has passed, burns the escrowed shares for their
 * notes into `holderNotes` (default: the associated note account, created first if
 * missing) and, for each collateral the tranche holds that the claim pays (see
 * `flows.claim`), that collateral into the payout's destination. */
export async function claimRedemption(
  input: SettlingInput & {
    holder: TransactionSigner;
    payouts?: readonly PayoutInput[];
    holderNotes?: Address;
    createDestinations?: boolean;
  },
): Promise<Built<{ tranche: Address; vault: Address; holderNotes: Address; request: Address }>> {
  const wallet = input.holder.address;
  const { tranche, allowlistEntry } = await trancheOf(input, wallet);
  const noteMint = await noteMintAddress(input.pool);
  const payouts = await resolvePayouts(input.pool, input.payouts ?? [], wallet);
  const others = await otherTranches(input);
  const holderNotes = await receivingAccount({
    payer: input.holder,
    owner: wallet,
    mint: noteMint,
    given: input.holderNotes,
    create: input.createDestinations,
  });
  const instruction = await getClaimRedemptionInstructionAsync({
    holder: input.holder,
    pool: input.pool,
    tranche,
    holderNotes: holderNotes.address,
    allowlistEntry,
  });
  const { vault, request } = parseClaimRedemptionInstruction(instruction).accounts;
  return {
    instructions: [
      ...holderNotes.creation,
      ...createDefaultDestinations(input.holder, wallet, payouts, input.createDestinations),
      withRemainingAccounts(instruction, [...others, ...payoutAccounts(payouts)]),
    ],
    tranche,
    vault: vault.address,
    holderNotes: holderNotes.address,
    request: request.address,
  };
}

/** `cancel_redemption`: returns the escrowed shares to `holderShares` (default: the
 * associated share account) and closes the request. */
export async function cancelRedemption(
  input: TrancheInput & { holder: TransactionSigner; holderShares?: Address },
): Promise<Built<{ tranche: Address }>> {
  const wallet = input.holder.address;
  const { tranche, shareMint } = await trancheOf(input, wallet);
  const holderShares = input.holderShares ?? (await shareAccountAddress(wallet, shareMint));
  const instruction = await getCancelRedemptionInstructionAsync({ holder: input.holder, pool: input.pool, tranche, holderShares });
  return { instructions: [instruction], tranche };
}
