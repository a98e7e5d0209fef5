// Strata's TypeScript client: the Codama-generated program client for @solana/kit,
// and the hand-written layer over it.
export * from './generated/index.js';

export * from './absorb.js';
export * from './accounts.js';
export * from './debt.js';
export * from './errors.js';
export * from './events.js';
export * as flows from './flows.js';
export * from './health.js';
export * from './income.js';
export * from './liquidation.js';
export * from './market.js';
export * from './math.js';
export * from './pda.js';
export * from './price.js';
export * from './program-errors.js';
export * from './stress.js';
export * from './tranche.js';
export * from './u128.js';
export * from './views.js';
/** Instruction builders: `tx.initPool(...)`, `tx.deposit(...)`, `tx.mint(...)`, ... */
export * as tx from './tx/index.js';
export * from './pyth.js';
export * from './redemption.js';
export * from './message.js';
