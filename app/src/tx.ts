// Instruction builders for every instruction of the program. Each derives the PDAs
// and default token accounts, and assembles the remaining accounts from simple inputs
// (a pool's tranche count, the collaterals to pay out), so callers pass only wallets
// (as signers), mints, indexes and amounts. Each returns the instructions to put in one
// transaction, in order, with the addresses it derived.
import {
  AccountRole,
  type AccountMeta,
  type Address,
  type Instruction,
  type ReadonlyUint8Array,
  type TransactionSigner,
} from '@solana/kit';
import { getCreateAssociatedTokenIdempotentInstruction } from '@solana-program/token';

import {
  getAbsorbInstruction,
  getAcceptAuthorityInstruction,
  getAddCollateralInstruction,
  getAllowInstruction,
  getCheckCoverageInstruction,
  getClearShortfallFlagInstruction,
  getClosePositionInstruction,
  getDepositInstruction,
  getDisallowInstruction,
  getDistributeInstruction,
  getFlagShortfallInstruction,
  getHealthInstruction,
  getInitPoolInstruction,
  getInitTrancheInstruction,
  getLiquidateBatchInstruction,
  getLiquidateInstruction,
  getMintInstruction,
  getOpenPositionInstruction,
  getProposeAuthorityInstruction,
  getQuoteLiquidationInstruction,
  getRefreshOracleInstruction,
  getRepayInstruction,
  getSetPauseFlagsInstruction,
  getTrancheDepositInstruction,
  getTrancheWithdrawInstruction,
  getUpdateCollateralInstruction,
  getUpdatePoolInstruction,
  getUpdateTrancheInstruction,
  getWithdrawInstruction,
  OracleKind,
  type CollateralParamsArgs,
  type Pool,
  type PoolParamsArgs,
  type TrancheParamsArgs,
} from './generated/index.js';
import { collateralRefs, type CollateralRef } from './accounts.js';
import {
  allowlistEntryAddress,
  ASSOCIATED_TOKEN_PROGRAM_ADDRESS,
  associatedTokenAddress,
  noteMintAddress,
  poolAddress,
  positionAddress,
  SYSTEM_PROGRAM_ADDRESS,
  TOKEN_PROGRAM_ADDRESS,
  trancheAddresses,
  vaultAddress,
} from './pda.js';
import { MAX_TRANCHES } from './tranche.js';

/** What every builder returns: the instructions, in order, and what it derived. */
export type Built<T extends object = object> = T & { instructions: Instruction[] };

/** A price source: legacy Pyth (no feed id) or pull Pyth (`PriceUpdateV2`, feed id). */
export type OracleSourceInput = { kind: OracleKind; feedId?: ReadonlyUint8Array };

const ZERO_FEED_ID = new Uint8Array(32);
const oracleSource = (source: OracleSourceInput) => ({ kind: source.kind, feedId: source.feedId ?? ZERO_FEED_ID });

/** The Associated Token program's `CreateIdempotent`: creates `owner`'s account for
 * `mint` if it does not exist, and does nothing if it does. */
export function createAssociatedTokenIdempotentInstruction(input: {
  payer: TransactionSigner;
  associatedToken: Address;
  owner: Address;
  mint: Address;
  tokenProgram?: Address;
}): Instruction {
  // The payer's meta carries its signer, for `signTransactionMessageWithSigners`.
  return getCreateAssociatedTokenIdempotentInstruction({
    payer: input.payer,
    ata: input.associatedToken,
    owner: input.owner,
    mint: input.mint,
    tokenProgram: input.tokenProgram ?? TOKEN_PROGRAM_ADDRESS,
  });
}

// --- admin (signed by the pool authority) -------------------------------------------

/** `init_pool`: the pool `["pool", authority, poolId]`, its note mint and treasury (the
 * associated note account of `treasuryOwner`, default the authority). A `permissioned`
 * pool (default: not) requires an allowlist entry to open positions and hold shares. */
export async function initPool(input: {
  payer: TransactionSigner;
  authority: TransactionSigner;
  poolId: bigint | number;
  params: PoolParamsArgs;
  treasuryOwner?: Address;
  permissioned?: boolean;
}): Promise<Built<{ pool: Address; noteMint: Address; treasury: Address }>> {
  const pool = await poolAddress(input.authority.address, input.poolId);
  const noteMint = await noteMintAddress(pool);
  const treasuryOwner = input.treasuryOwner ?? input.authority.address;
  const treasury = await associatedTokenAddress(treasuryOwner, noteMint, TOKEN_PROGRAM_ADDRESS);
  const instruction = getInitPoolInstruction({
    payer: input.payer,
    authority: input.authority,
    pool,
    noteMint,
    treasuryOwner,
    treasury,
    tokenProgram: TOKEN_PROGRAM_ADDRESS,
    associatedTokenProgram: ASSOCIATED_TOKEN_PROGRAM_ADDRESS,
    systemProgram: SYSTEM_PROGRAM_ADDRESS,
    poolId: input.poolId,
    params: input.params,
    permissioned: input.permissioned ?? false,
  });
  return { instructions: [instruction], pool, noteMint, treasury };
}

/** `add_collateral`: lists `mint` (SPL Token or Token-2022) with its vault
 * `["vault", pool, mint]`, its Pyth oracle account and risk parameters. */
export async function addCollateral(input: {
  payer: TransactionSigner;
  authority: TransactionSigner;
  pool: Address;
  mint: Address;
  tokenProgram?: Address;
  oracle: Address;
  oracleSource: OracleSourceInput;
  params: CollateralParamsArgs;
}): Promise<Built<{ vault: Address }>> {
  const vault = await vaultAddress(input.pool, input.mint);
  const instruction = getAddCollateralInstruction({
    payer: input.payer,
    authority: input.authority,
    pool: input.pool,
    mint: input.mint,
    vault,
    oracle: input.oracle,
    tokenProgram: input.tokenProgram ?? TOKEN_PROGRAM_ADDRESS,
    systemProgram: SYSTEM_PROGRAM_ADDRESS,
    params: input.params,
    oracleArg: oracleSource(input.oracleSource),
  });
  return { instructions: [instruction], vault };
}

/** `update_pool`: new parameters and treasury note account (pass the current one to
 * keep it). Debt accrues at the old fee first. */
export async function updatePool(input: {
  authority: TransactionSigner;
  pool: Address;
  params: PoolParamsArgs;
  treasury: Address;
}): Promise<Built> {
  const instruction = getUpdatePoolInstruction({
    authority: input.authority,
    pool: input.pool,
    treasury: input.treasury,
    params: input.params,
  });
  return { instructions: [instruction] };
}

/** `update_collateral`: new risk parameters and, optionally, a new oracle (which
 * clears the cached price until the next refresh). */
export async function updateCollateral(input: {
  authority: TransactionSigner;
  pool: Address;
  collateralIndex: number;
  params: CollateralParamsArgs;
  oracle?: { address: Address; source: OracleSourceInput };
}): Promise<Built> {
  const instruction = getUpdateCollateralInstruction({
    authority: input.authority,
    pool: input.pool,
    ...(input.oracle ? { oracle: input.oracle.address } : {}),
    collateralIndex: input.collateralIndex,
    params: input.params,
    oracleArg: input.oracle ? oracleSource(input.oracle.source) : null,
  });
  return { instructions: [instruction] };
}

/** Pause bits (`programs/strata/src/constants.rs`, `pause`). */
export const PauseFlags = {
  Deposit: 1 << 0,
  Withdraw: 1 << 1,
  Mint: 1 << 2,
  Liquidate: 1 << 3,
  Tranche: 1 << 4,
  All: 0b11111,
} as const;

/** `set_pause_flags`: replaces the pause bits ({@link PauseFlags}). */
export async function setPauseFlags(input: { authority: TransactionSigner; pool: Address; flags: number }): Promise<Built> {
  return { instructions: [getSetPauseFlagsInstruction(input)] };
}

/** `propose_authority`: names the next authority (the default address cancels). */
export async function proposeAuthority(input: {
  authority: TransactionSigner;
  pool: Address;
  newAuthority: Address;
}): Promise<Built> {
  return { instructions: [getProposeAuthorityInstruction(input)] };
}

/** `accept_authority`: signed by the proposed authority. */
export async function acceptAuthority(input: { newAuthority: TransactionSigner; pool: Address }): Promise<Built> {
  return { instructions: [getAcceptAuthorityInstruction(input)] };
}

// --- positions (signed by the owner) ------------------------------------------------

/** `open_position`: the owner's position `["position", pool, owner]`; `payer`
 * (default: the owner) funds its rent. In a `permissioned` pool the owner's allowlist
 * entry `["allow", pool, owner]` goes along. */
export async function openPosition(input: {
  owner: TransactionSigner;
  pool: Address;
  payer?: TransactionSigner;
  permissioned?: boolean;
}): Promise<Built<{ position: Address; allowlistEntry?: Address }>> {
  const position = await positionAddress(input.pool, input.owner.address);
  const allowlistEntry = input.permissioned ? await allowlistEntryAddress(input.pool, input.owner.address) : undefined;
  const instruction = getOpenPositionInstruction({
    payer: input.payer ?? input.owner,
    owner: input.owner,
    pool: input.pool,
    position,
    ...(allowlistEntry ? { allowlistEntry } : {}),
    systemProgram: SYSTEM_PROGRAM_ADDRESS,
  });
  return { instructions: [instruction], position, ...(allowlistEntry ? { allowlistEntry } : {}) };
}

/** `close_position`: closes the owner's empty position; rent back to the owner. */
export async function closePosition(input: { owner: TransactionSigner; pool: Address }): Promise<Built<{ position: Address }>> {
  const position = await positionAddress(input.pool, input.owner.address);
  return { instructions: [getClosePositionInstruction({ owner: input.owner, pool: input.pool, position })], position };
}

type CollateralInput = {
  owner: TransactionSigner;
  pool: Address;
  /** The collateral's index in the pool (see `findCollateral`). */
  collateralIndex: number;
  mint: Address;
  /** The mint's token program (default SPL Token). */
  tokenProgram?: Address;
  amount: bigint | number;
};

/** `deposit`: moves `amount` from `source` (default: the owner's associated account
 * of the mint) into the pool's vault. */
export async function deposit(
  input: CollateralInput & { source?: Address },
): Promise<Built<{ position: Address; vault: Address; source: Address }>> {
  const tokenProgram = input.tokenProgram ?? TOKEN_PROGRAM_ADDRESS;
  const position = await positionAddress(input.pool, input.owner.address);
  const vault = await vaultAddress(input.pool, input.mint);
  const source = input.source ?? (await associatedTokenAddress(input.owner.address, input.mint, tokenProgram));
  const instruction = getDepositInstruction({
    owner: input.owner,
    pool: input.pool,
    position,
    mint: input.mint,
    vault,
    source,
    tokenProgram,
    collateralIndex: input.collateralIndex,
    amount: input.amount,
  });
  return { instructions: [instruction], position, vault, source };
}

/** `withdraw`: moves `amount` from the vault to `destination` (default: the owner's
 * associated account of the mint, created first if missing). */
export async function withdraw(
  input: CollateralInput & { destination?: Address; createDestination?: boolean },
): Promise<Built<{ position: Address; vault: Address; destination: Address }>> {
  const tokenProgram = input.tokenProgram ?? TOKEN_PROGRAM_ADDRESS;
  const position = await positionAddress(input.pool, input.owner.address);
  const vault = await vaultAddress(input.pool, input.mint);
  const instructions: Instruction[] = [];
  const destination = await tokenAccount(
    instructions,
    input.owner,
    input.owner.address,
    input.mint,
    tokenProgram,
    input.destination,
    input.createDestination,
  );
  instructions.push(
    getWithdrawInstruction({
      owner: input.owner,
      pool: input.pool,
      position,
      mint: input.mint,
      vault,
      destination,
      tokenProgram,
      collateralIndex: input.collateralIndex,
      amount: input.amount,
    }),
  );
  return { instructions, position, vault, destination };
}

/** `mint`: mints `amount` notes against the owner's position into `destination`
 * (default: the owner's associated note account, created first if missing). */
export async function mint(input: {
  owner: TransactionSigner;
  pool: Address;
  amount: bigint | number;
  destination?: Address;
  createDestination?: boolean;
}): Promise<Built<{ position: Address; noteMint: Address; destination: Address }>> {
  const position = await positionAddress(input.pool, input.owner.address);
  const noteMint = await noteMintAddress(input.pool);
  const instructions: Instruction[] = [];
  const destination = await tokenAccount(
    instructions,
    input.owner,
    input.owner.address,
    noteMint,
    TOKEN_PROGRAM_ADDRESS,
    input.destination,
    input.createDestination,
  );
  instructions.push(
    getMintInstruction({
      owner: input.owner,
      pool: input.pool,
      position,
      noteMint,
      destination,
      tokenProgram: TOKEN_PROGRAM_ADDRESS,
      amount: input.amount,
    }),
  );
  return { instructions, position, noteMint, destination };
}

/** The `repay` amount that repays the whole debt. */
export const REPAY_ALL = 0xffff_ffff_ffff_ffffn;

/** `repay`: burns up to `amount` notes ({@link REPAY_ALL} for everything) from
 * `source` (default: the payer's associated note account) against the position of
 * `positionOwner` (default: the payer). Anyone may repay any position. */
export async function repay(input: {
  payer: TransactionSigner;
  pool: Address;
  amount: bigint | number;
  positionOwner?: Address;
  source?: Address;
}): Promise<Built<{ position: Address; noteMint: Address; source: Address }>> {
  const position = await positionAddress(input.pool, input.positionOwner ?? input.payer.address);
  const noteMint = await noteMintAddress(input.pool);
  const source = input.source ?? (await associatedTokenAddress(input.payer.address, noteMint, TOKEN_PROGRAM_ADDRESS));
  const instruction = getRepayInstruction({
    payer: input.payer,
    pool: input.pool,
    position,
    noteMint,
    source,
    tokenProgram: TOKEN_PROGRAM_ADDRESS,
    amount: input.amount,
  });
  return { instructions: [instruction], position, noteMint, source };
}

// --- oracle (permissionless; any fee payer) -----------------------------------------

/** `refresh_oracle`: caches the collateral's Pyth price and accrues the fee. */
export async function refreshOracle(input: { pool: Address; oracle: Address; collateralIndex: number }): Promise<Built> {
  return { instructions: [getRefreshOracleInstruction(input)] };
}

// --- remaining accounts -------------------------------------------------------------

export type { CollateralRef };

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

/** Which position: its address, or its owner's wallet (the address is derived). */
export type PositionTarget = { position?: Address; positionOwner?: Address };

async function targetPosition(pool: Address, target: PositionTarget): Promise<Address> {
  if (target.position) return target.position;
  if (target.positionOwner) return positionAddress(pool, target.positionOwner);
  throw new TypeError('pass the position or its owner');
}

function checkTrancheCount(trancheCount: number): void {
  if (!Number.isInteger(trancheCount) || trancheCount < 0 || trancheCount > MAX_TRANCHES) {
    throw new RangeError(`a pool has 0 to ${MAX_TRANCHES} tranches, not ${trancheCount}`);
  }
}

const readonly = (address: Address): AccountMeta => ({ address, role: AccountRole.READONLY });
const writable = (address: Address): AccountMeta => ({ address, role: AccountRole.WRITABLE });

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
    const { tranche, vault } = await trancheAddresses(pool, index);
    metas.push(options.writable ? writable(tranche) : readonly(tranche));
    if (options.withVaults) metas.push(writable(vault));
  }
  return metas;
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
  return payouts.flatMap((p) => [readonly(p.tokenProgram), readonly(p.mint), writable(p.vault), writable(p.destination)]);
}

/** Idempotent creations of the default payout destinations, paid by `payer`. */
function createDefaultDestinations(payer: TransactionSigner, owner: Address, payouts: readonly ResolvedPayout[]): Instruction[] {
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

/** The instruction with `metas` appended as remaining accounts. */
export function withRemainingAccounts(instruction: Instruction, metas: readonly AccountMeta[]): Instruction {
  return { ...instruction, accounts: [...(instruction.accounts ?? []), ...metas] };
}

/** `owner`'s account for `mint`: the one given, or its associated account (created
 * first when `create` is not false). */
async function tokenAccount(
  instructions: Instruction[],
  payer: TransactionSigner,
  owner: Address,
  mint: Address,
  tokenProgram: Address,
  given: Address | undefined,
  create: boolean | undefined,
): Promise<Address> {
  const account = given ?? (await associatedTokenAddress(owner, mint, tokenProgram));
  if (create ?? given === undefined) {
    instructions.push(createAssociatedTokenIdempotentInstruction({ payer, associatedToken: account, owner, mint, tokenProgram }));
  }
  return account;
}

// --- tranches and allowlist (admin) ---------------------------------------------------

/** `init_tranche`: the next tranche `["tranche", pool, index]` (0 = most senior; index
 * must equal the pool's tranche count), its share mint and note vault. */
export async function initTranche(input: {
  payer: TransactionSigner;
  authority: TransactionSigner;
  pool: Address;
  index: number;
  params: TrancheParamsArgs;
}): Promise<Built<{ tranche: Address; shareMint: Address; vault: Address }>> {
  const { tranche, shareMint, vault } = await trancheAddresses(input.pool, input.index);
  const instruction = getInitTrancheInstruction({
    payer: input.payer,
    authority: input.authority,
    pool: input.pool,
    tranche,
    shareMint,
    vault,
    noteMint: await noteMintAddress(input.pool),
    tokenProgram: TOKEN_PROGRAM_ADDRESS,
    systemProgram: SYSTEM_PROGRAM_ADDRESS,
    index: input.index,
    params: input.params,
  });
  return { instructions: [instruction], tranche, shareMint, vault };
}

/** `update_tranche`: new target yield and minimum subordination of tranche `index`. */
export async function updateTranche(input: {
  authority: TransactionSigner;
  pool: Address;
  index: number;
  params: TrancheParamsArgs;
}): Promise<Built<{ tranche: Address }>> {
  const { tranche } = await trancheAddresses(input.pool, input.index);
  const instruction = getUpdateTrancheInstruction({ authority: input.authority, pool: input.pool, tranche, params: input.params });
  return { instructions: [instruction], tranche };
}

/** `allow`: puts `wallet` on a permissioned pool's allowlist (`["allow", pool, wallet]`). */
export async function allow(input: {
  payer: TransactionSigner;
  authority: TransactionSigner;
  pool: Address;
  wallet: Address;
}): Promise<Built<{ entry: Address }>> {
  const entry = await allowlistEntryAddress(input.pool, input.wallet);
  const instruction = getAllowInstruction({
    payer: input.payer,
    authority: input.authority,
    pool: input.pool,
    entry,
    systemProgram: SYSTEM_PROGRAM_ADDRESS,
    wallet: input.wallet,
  });
  return { instructions: [instruction], entry };
}

/** `disallow`: closes `wallet`'s allowlist entry; its rent goes to `rentReceiver`
 * (default: the authority). */
export async function disallow(input: {
  authority: TransactionSigner;
  pool: Address;
  wallet: Address;
  rentReceiver?: Address;
}): Promise<Built<{ entry: Address }>> {
  const entry = await allowlistEntryAddress(input.pool, input.wallet);
  const instruction = getDisallowInstruction({
    authority: input.authority,
    pool: input.pool,
    entry,
    rentReceiver: input.rentReceiver ?? input.authority.address,
  });
  return { instructions: [instruction], entry };
}

// --- tranche flows --------------------------------------------------------------------

type TrancheFlowInput = {
  pool: Address;
  /** The tranche's index (0 = most senior). */
  index: number;
  /** The pool's `tranche_count`: the other tranches go along for the subordination test. */
  trancheCount: number;
  /** Pass the wallet's allowlist entry (permissioned pools). */
  permissioned?: boolean;
};

/** What both tranche flows derive for `wallet`: the tranche's addresses, the note
 * mint, `payouts` resolved to `wallet`, its allowlist entry (permissioned pools) and
 * the other tranches (read-only, for the subordination test). In this order, so a bad
 * index, a repeated payout and a bad tranche count are refused in that order. */
async function trancheFlowAccounts(input: TrancheFlowInput, wallet: Address, payouts: readonly PayoutInput[] = []) {
  const { tranche, shareMint, vault } = await trancheAddresses(input.pool, input.index);
  const noteMint = await noteMintAddress(input.pool);
  const resolved = await resolvePayouts(input.pool, payouts, wallet);
  const allowlistEntry = input.permissioned ? await allowlistEntryAddress(input.pool, wallet) : undefined;
  const others = await trancheSetAccounts(input.pool, input.trancheCount, { withVaults: false, writable: false, except: input.index });
  return { tranche, shareMint, vault, noteMint, payouts: resolved, allowlistEntry, others };
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
  const { tranche, shareMint, vault, noteMint, allowlistEntry, others } = await trancheFlowAccounts(input, wallet);
  const instructions: Instruction[] = [];
  const depositorNotes = input.depositorNotes ?? (await associatedTokenAddress(wallet, noteMint, TOKEN_PROGRAM_ADDRESS));
  const depositorShares = await tokenAccount(
    instructions,
    input.depositor,
    wallet,
    shareMint,
    TOKEN_PROGRAM_ADDRESS,
    input.depositorShares,
    input.createShares,
  );
  const instruction = getTrancheDepositInstruction({
    depositor: input.depositor,
    pool: input.pool,
    tranche,
    shareMint,
    vault,
    depositorNotes,
    depositorShares,
    ...(allowlistEntry ? { allowlistEntry } : {}),
    tokenProgram: TOKEN_PROGRAM_ADDRESS,
    amount: input.amount,
  });
  instructions.push(withRemainingAccounts(instruction, others));
  return { instructions, tranche, shareMint, vault, depositorShares };
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
  const { tranche, shareMint, vault, noteMint, payouts, allowlistEntry, others } = await trancheFlowAccounts(
    input,
    wallet,
    input.payouts ?? [],
  );
  const instructions: Instruction[] = [];
  const holderShares = input.holderShares ?? (await associatedTokenAddress(wallet, shareMint, TOKEN_PROGRAM_ADDRESS));
  const holderNotes = await tokenAccount(
    instructions,
    input.holder,
    wallet,
    noteMint,
    TOKEN_PROGRAM_ADDRESS,
    input.holderNotes,
    input.createDestinations,
  );
  if (input.createDestinations ?? true) instructions.push(...createDefaultDestinations(input.holder, wallet, payouts));
  const instruction = getTrancheWithdrawInstruction({
    holder: input.holder,
    pool: input.pool,
    tranche,
    shareMint,
    vault,
    holderShares,
    holderNotes,
    noteMint,
    ...(allowlistEntry ? { allowlistEntry } : {}),
    tokenProgram: TOKEN_PROGRAM_ADDRESS,
    shares: input.shares,
  });
  instructions.push(withRemainingAccounts(instruction, [...others, ...payoutAccounts(payouts)]));
  return { instructions, tranche, shareMint, vault, holderNotes };
}

/** `distribute` (permissionless): pays pending fees to the treasury (the pool's
 * `treasury` note account) and through the income waterfall to every tranche. */
export async function distribute(input: { pool: Address; trancheCount: number; treasury: Address }): Promise<Built> {
  const tranches = await trancheSetAccounts(input.pool, input.trancheCount, { withVaults: true, writable: true });
  const instruction = getDistributeInstruction({
    pool: input.pool,
    noteMint: await noteMintAddress(input.pool),
    treasury: input.treasury,
    tokenProgram: TOKEN_PROGRAM_ADDRESS,
  });
  return { instructions: [withRemainingAccounts(instruction, tranches)] };
}

/** `check_coverage` (permissionless): the over-collateralisation test, entering or
 * leaving Turbo. */
export async function checkCoverage(input: { pool: Address; trancheCount: number }): Promise<Built> {
  const tranches = await trancheSetAccounts(input.pool, input.trancheCount, { withVaults: false, writable: false });
  return { instructions: [withRemainingAccounts(getCheckCoverageInstruction({ pool: input.pool }), tranches)] };
}

// --- liquidation (permissionless; keepers) --------------------------------------------

type KeeperInput = {
  keeper: TransactionSigner;
  pool: Address;
  /** The collateral the keeper seizes. */
  collateral: CollateralRef;
  /** The keeper's note account (default: its associated note account). */
  keeperNotes?: Address;
  /** Receives the seized collateral (default: the keeper's associated account of the
   * mint, created first if missing). */
  keeperCollateral?: Address;
  createDestinations?: boolean;
  /** The pool's `tranche_count`, to pass the tranche set (with vaults) that an
   * insolvent settlement books its loss through; 0 or absent: none. */
  trancheCount?: number;
};

async function keeperAccounts(input: KeeperInput, instructions: Instruction[]) {
  const tokenProgram = input.collateral.tokenProgram ?? TOKEN_PROGRAM_ADDRESS;
  const noteMint = await noteMintAddress(input.pool);
  const keeper = input.keeper.address;
  const keeperNotes = input.keeperNotes ?? (await associatedTokenAddress(keeper, noteMint, TOKEN_PROGRAM_ADDRESS));
  const keeperCollateral = await tokenAccount(
    instructions,
    input.keeper,
    keeper,
    input.collateral.mint,
    tokenProgram,
    input.keeperCollateral,
    input.createDestinations,
  );
  const tranches = input.trancheCount
    ? await trancheSetAccounts(input.pool, input.trancheCount, { withVaults: true, writable: true })
    : [];
  return {
    accounts: {
      keeper: input.keeper,
      pool: input.pool,
      noteMint,
      keeperNotes,
      collateralMint: input.collateral.mint,
      vault: await vaultAddress(input.pool, input.collateral.mint),
      keeperCollateral,
      collateralTokenProgram: tokenProgram,
      noteTokenProgram: TOKEN_PROGRAM_ADDRESS,
    },
    tranches,
  };
}

/** `liquidate`: repays up to `repayAmount` notes of an unhealthy position for its
 * `collateral`, at least `minCollateralOut` units. An insolvent position is settled
 * whole: pass `trancheCount` (pools with tranches) and, for every other collateral
 * it holds, an entry in `otherCollaterals` (see `LiquidationPlan.seized`). */
export async function liquidate(
  input: KeeperInput &
    PositionTarget & {
      repayAmount: bigint | number;
      minCollateralOut: bigint | number;
      otherCollaterals?: readonly PayoutInput[];
    },
): Promise<Built<{ position: Address; keeperCollateral: Address }>> {
  const instructions: Instruction[] = [];
  const position = await targetPosition(input.pool, input);
  const { accounts, tranches } = await keeperAccounts(input, instructions);
  const others = await resolvePayouts(input.pool, input.otherCollaterals ?? [], input.keeper.address);
  if (others.some((p) => p.index === input.collateral.index)) {
    throw new RangeError(`collateral ${input.collateral.index} is the seized one, not another`);
  }
  if (input.createDestinations ?? true) instructions.push(...createDefaultDestinations(input.keeper, input.keeper.address, others));
  const instruction = getLiquidateInstruction({
    ...accounts,
    position,
    collateralIndex: input.collateral.index,
    repayAmount: input.repayAmount,
    minCollateralOut: input.minCollateralOut,
  });
  instructions.push(withRemainingAccounts(instruction, [...tranches, ...payoutAccounts(others)]));
  return { instructions, position, keeperCollateral: accounts.keeperCollateral };
}

/** `liquidate_batch`: liquidates every position of `positions` on one collateral
 * within `maxRepayTotal` notes; positions that turned healthy are skipped. */
export async function liquidateBatch(
  input: KeeperInput & {
    positions: readonly Address[];
    maxRepayTotal: bigint | number;
    minCollateralOutTotal: bigint | number;
  },
): Promise<Built<{ keeperCollateral: Address }>> {
  const instructions: Instruction[] = [];
  const { accounts, tranches } = await keeperAccounts(input, instructions);
  const instruction = getLiquidateBatchInstruction({
    ...accounts,
    collateralIndex: input.collateral.index,
    maxRepayTotal: input.maxRepayTotal,
    minCollateralOutTotal: input.minCollateralOutTotal,
  });
  instructions.push(withRemainingAccounts(instruction, [...tranches, ...input.positions.map(writable)]));
  return { instructions, keeperCollateral: accounts.keeperCollateral };
}

/** `absorb`: the tranches take an unhealthy position; the keeper brings no notes and
 * earns its tip in each collateral of `tips` (every collateral with a non-zero tip,
 * see `AbsorbPlan.tip`). */
export async function absorb(
  input: PositionTarget & {
    keeper: TransactionSigner;
    pool: Address;
    trancheCount: number;
    tips?: readonly PayoutInput[];
    createDestinations?: boolean;
  },
): Promise<Built<{ position: Address }>> {
  if (input.trancheCount < 1) throw new RangeError('absorb needs the pool to have tranches');
  const instructions: Instruction[] = [];
  const position = await targetPosition(input.pool, input);
  const tranches = await trancheSetAccounts(input.pool, input.trancheCount, { withVaults: true, writable: true });
  const tips = await resolvePayouts(input.pool, input.tips ?? [], input.keeper.address);
  if (input.createDestinations ?? true) instructions.push(...createDefaultDestinations(input.keeper, input.keeper.address, tips));
  const instruction = getAbsorbInstruction({
    keeper: input.keeper,
    pool: input.pool,
    position,
    noteMint: await noteMintAddress(input.pool),
    noteTokenProgram: TOKEN_PROGRAM_ADDRESS,
  });
  instructions.push(withRemainingAccounts(instruction, [...tranches, ...payoutAccounts(tips)]));
  return { instructions, position };
}

/** `flag_shortfall` (permissionless): reports an insolvent position. */
export async function flagShortfall(input: PositionTarget & { pool: Address }): Promise<Built<{ position: Address }>> {
  const position = await targetPosition(input.pool, input);
  return { instructions: [getFlagShortfallInstruction({ pool: input.pool, position })], position };
}

/** `clear_shortfall_flag` (permissionless): withdraws a report once the position is
 * solvent again or owes nothing. */
export async function clearShortfallFlag(input: PositionTarget & { pool: Address }): Promise<Built<{ position: Address }>> {
  const position = await targetPosition(input.pool, input);
  return { instructions: [getClearShortfallFlagInstruction({ pool: input.pool, position })], position };
}

// --- views (simulate; results in return data, see `views.ts`) ------------------------

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
