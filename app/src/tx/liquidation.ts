// Liquidation, permissionless (keepers): `liquidate`, `liquidate_batch`, `absorb`, the
// shortfall flag and `recovery_sale` (the tranches' absorbed collateral sold back for
// notes). The generated builders derive the note mint and the seized
// collateral's vault; what stays here is the target position (someone else's), the
// keeper's token accounts and the remaining accounts: the tranche set an insolvent
// settlement books its loss through, and the collateral payouts.
import type { Address, Instruction, TransactionSigner } from '@solana/kit';

import type { CollateralRef } from '../accounts.js';
import {
  getAbsorbInstructionAsync,
  getClearShortfallFlagInstruction,
  getFlagShortfallInstruction,
  getLiquidateBatchInstructionAsync,
  getLiquidateInstructionAsync,
  getRecoverySaleInstructionAsync,
} from '../generated/index.js';
import { associatedTokenAddress, noteMintAddress, TOKEN_PROGRAM_ADDRESS, trancheAddress, vaultAddress } from '../pda.js';
import type { Built } from './built.js';
import { createDefaultDestinations, payoutAccounts, resolvePayouts, type PayoutInput } from './payouts.js';
import { targetPosition, type PositionTarget } from './position-target.js';
import { trancheSetAccounts, withRemainingAccounts, writableMeta } from './remaining.js';
import { receivingAccount } from './token-accounts.js';

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

/** The accounts `liquidate` and `liquidate_batch` share, the instructions creating the
 * keeper's collateral account, and the tranche set. */
async function keeperAccounts(input: KeeperInput) {
  const keeper = input.keeper.address;
  // The note mint is derived here for the default note account, and passed on.
  const noteMint = await noteMintAddress(input.pool);
  const keeperNotes = input.keeperNotes ?? (await associatedTokenAddress(keeper, noteMint));
  const collateralTokenProgram = input.collateral.tokenProgram ?? TOKEN_PROGRAM_ADDRESS;
  const keeperCollateral = await receivingAccount({
    payer: input.keeper,
    owner: keeper,
    mint: input.collateral.mint,
    tokenProgram: collateralTokenProgram,
    given: input.keeperCollateral,
    create: input.createDestinations,
  });
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
      keeperCollateral: keeperCollateral.address,
      collateralTokenProgram,
    },
    creation: keeperCollateral.creation,
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
  const position = await targetPosition(input.pool, input);
  const { accounts, creation, tranches } = await keeperAccounts(input);
  const others = await resolvePayouts(input.pool, input.otherCollaterals ?? [], input.keeper.address);
  if (others.some((p) => p.index === input.collateral.index)) {
    throw new RangeError(`collateral ${input.collateral.index} is the seized one, not another`);
  }
  const instruction = await getLiquidateInstructionAsync({
    ...accounts,
    vault: await vaultAddress(input.pool, input.collateral.mint),
    position,
    collateralIndex: input.collateral.index,
    repayAmount: input.repayAmount,
    minCollateralOut: input.minCollateralOut,
  });
  return {
    instructions: [
      ...creation,
      ...createDefaultDestinations(input.keeper, input.keeper.address, others, input.createDestinations),
      withRemainingAccounts(instruction, [...tranches, ...payoutAccounts(others)]),
    ],
    position,
    keeperCollateral: accounts.keeperCollateral,
  };
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
  const { accounts, creation, tranches } = await keeperAccounts(input);
  const instruction = await getLiquidateBatchInstructionAsync({
    ...accounts,
    // The collateral vault, derived once (pda.ts), not for every transaction.
    vault: await vaultAddress(input.pool, input.collateral.mint),
    collateralIndex: input.collateral.index,
    maxRepayTotal: input.maxRepayTotal,
    minCollateralOutTotal: input.minCollateralOutTotal,
  });
  const positions = input.positions.map(writableMeta);
  return {
    instructions: [...creation, withRemainingAccounts(instruction, [...tranches, ...positions])],
    keeperCollateral: accounts.keeperCollateral,
  };
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
  const position = await targetPosition(input.pool, input);
  const tranches = await trancheSetAccounts(input.pool, input.trancheCount, { withVaults: true, writable: true });
  const tips = await resolvePayouts(input.pool, input.tips ?? [], input.keeper.address);
  const instruction = await getAbsorbInstructionAsync({ keeper: input.keeper, pool: input.pool, position });
  return {
    instructions: [
      ...createDefaultDestinations(input.keeper, input.keeper.address, tips, input.createDestinations),
      withRemainingAccounts(instruction, [...tranches, ...payoutAccounts(tips)]),
    ],
    position,
  };
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

/** `recovery_sale`: the keeper pays up to `notesIn` notes into tranche `index`'s vault
 * for that tranche's held `collateral`, at the oracle price less the collateral's
 * minimum liquidation bonus, at least `minCollateralOut` units. The oracle must be
 * refreshed in the same slot: put its `refreshOracle` first (`refreshes`). */
export async function recoverySale(
  input: Omit<KeeperInput, 'trancheCount'> & {
    /** The tranche selling (0 = most senior). */
    index: number;
    /** The pool's `tranche_count` (the others settle income first). */
    trancheCount: number;
    notesIn: bigint | number;
    minCollateralOut: bigint | number;
    refreshes?: readonly Instruction[];
  },
): Promise<Built<{ tranche: Address; keeperCollateral: Address }>> {
  if (input.index < 0 || input.index >= input.trancheCount) {
    throw new RangeError(`tranche ${input.index} is not one of the pool's ${input.trancheCount}`);
  }
  // The tranche set goes without the seller, so none from keeperAccounts.
  const { accounts, creation } = await keeperAccounts({ ...input, trancheCount: 0 });
  const tranche = await trancheAddress(input.pool, input.index);
  const others = await trancheSetAccounts(input.pool, input.trancheCount, {
    withVaults: true,
    writable: true,
    except: input.index,
  });
  const instruction = await getRecoverySaleInstructionAsync({
    buyer: accounts.keeper,
    pool: accounts.pool,
    tranche,
    noteMint: accounts.noteMint,
    buyerNotes: accounts.keeperNotes,
    collateralMint: accounts.collateralMint,
    buyerCollateral: accounts.keeperCollateral,
    collateralTokenProgram: accounts.collateralTokenProgram,
    collateralIndex: input.collateral.index,
    notesIn: input.notesIn,
    minCollateralOut: input.minCollateralOut,
  });
  return {
    instructions: [...creation, ...(input.refreshes ?? []), withRemainingAccounts(instruction, others)],
    tranche,
    keeperCollateral: accounts.keeperCollateral,
  };
}
