// Instruction builders for every instruction of the program (`tx.*`), by family. Each
// takes wallets (as signers), mints, indexes and amounts, and returns the instructions
// of one transaction, in order, with the addresses it derived. The generated async
// builders (`get…InstructionAsync`) derive the PDAs the IDL describes; these add what
// the IDL cannot say: default token accounts (created when they receive), remaining
// accounts, the allowlist entry of permissioned pools and positions named by owner.
export type { CollateralRef } from '../accounts.js';
export type { Built } from './built.js';
export type { PositionTarget } from './position-target.js';
export { createAssociatedTokenIdempotentInstruction } from './token-accounts.js';
export { trancheSetAccounts, withRemainingAccounts } from './remaining.js';
export { payoutAccounts, payoutsFor, resolvePayouts, type PayoutInput, type ResolvedPayout } from './payouts.js';

export * from './admin.js';
export { refreshOracle, type OracleSourceInput } from './oracle.js';
export * from './positions.js';
export * from './tranches.js';
export * from './tranche-flows.js';
export { shareAccountFreezeList, thawShareAccount } from './share-accounts.js';
export * from './liquidation.js';
export * from './views.js';
