/**
 * The state a keeper values the book against: the pool, the clock, the pool's
 * tranches, the keeper's note balance and the collaterals' Pyth accounts, in one
 * `getMultipleAccounts` when the oracles are those of the last reading (`oracles`),
 * else in two (the pool names its oracles). Fewer calls, fewer to go wrong. Each collateral is priced the way the `refresh_oracle` the keeper
 * will send would cache it: from a readable oracle update unless the pool already
 * caches a newer one.
 */
import type { Address, Rpc, SolanaRpcApi } from '@solana/kit';

import { CLOCK_SYSVAR, decodeClock, tokenAmount } from '../admin/chain.js';
import {
  DebtState,
  decodePoolData,
  decodeTrancheData,
  noteMintAddress,
  associatedTokenAddress,
  poolDebtState,
  refreshedViews,
  trancheAddress,
  trancheState,
  type CollateralView,
  type Pool,
  type TrancheState,
} from '../src/index.js';

export type Market = {
  pool: Address;
  state: Pool;
  slot: bigint;
  now: bigint;
  /** The pool's debt accrued to `now` (what the next instruction will see). */
  debt: DebtState;
  /** Price and parameters per collateral slot (amounts zero), as refreshed now. */
  views: CollateralView[];
  /** Whether collateral `i`'s oracle could be read (and so refreshed). */
  refreshable: boolean[];
  tranches: TrancheState[];
  keeperNotes: bigint;
  keeperNotesAccount: Address;
  /** The collaterals' oracle accounts, in collateral order (pass them to the next reading). */
  oracles: Address[];
};

/** `market` with the notes a plan may spend or the views it values at, copied field by
 * field in the order `readMarket` writes them, never spread and overwritten: in V8 the
 * rehearsal's spread copy with its views overwritten had a hidden class of its own
 * (`%HaveSameMap` said so), and the planner's code compiled for it was thrown away
 * ("wrong map") by the markets the crash's cycles read (see `CollateralView.holding`). */
export function marketWith(market: Market, changes: { keeperNotes?: bigint; views?: CollateralView[] }): Market {
  return {
    pool: market.pool,
    state: market.state,
    slot: market.slot,
    now: market.now,
    debt: market.debt,
    views: changes.views ?? market.views,
    refreshable: market.refreshable,
    tranches: market.tranches,
    keeperNotes: changes.keeperNotes ?? market.keeperNotes,
    keeperNotesAccount: market.keeperNotesAccount,
    oracles: market.oracles,
  };
}

const bytes = (data: readonly [string, string] | undefined): Uint8Array | undefined =>
  data ? Buffer.from(data[0], 'base64') : undefined;

export async function readMarket(
  rpc: Rpc<SolanaRpcApi>,
  pool: Address,
  keeper: Address,
  onOracleError?: (index: number, error: unknown) => void,
  signal?: AbortSignal,
  expectedOracles: readonly Address[] = [],
): Promise<Market> {
  const noteMint = await noteMintAddress(pool);
  const keeperNotesAccount = await associatedTokenAddress(keeper, noteMint);
  const trancheAddresses = await Promise.all([0, 1, 2, 3].map((index) => trancheAddress(pool, index)));
  const first = await rpc
    .getMultipleAccounts([pool, CLOCK_SYSVAR, keeperNotesAccount, ...trancheAddresses, ...expectedOracles], { encoding: 'base64', commitment: 'confirmed' })
    .send({ abortSignal: signal });
  const [poolAccount, clockAccount, notesAccount, ...rest] = first.value;
  const trancheAccounts = rest.slice(0, trancheAddresses.length);
  const poolData = bytes(poolAccount?.data);
  const clockData = bytes(clockAccount?.data);
  if (!poolData || !clockData) throw new Error(`pool ${pool} or the clock sysvar is missing`);
  const state = decodePoolData(poolData);
  const now = decodeClock(clockData).unixTimestamp;
  const keeperNotes = tokenAmount(bytes(notesAccount?.data));
  const tranches = trancheAccounts
    .slice(0, state.trancheCount)
    .map((account) => {
      const data = bytes(account?.data);
      if (!data) throw new Error(`a tranche of pool ${pool} is missing`);
      return trancheState(decodeTrancheData(data));
    });

  const listed = state.collaterals.slice(0, state.collateralCount);
  const oracleAddresses = listed.map((c) => c.oracle);
  const sameOracles = oracleAddresses.length === expectedOracles.length && oracleAddresses.every((address, i) => address === expectedOracles[i]);
  const oracles = sameOracles
    ? { value: rest.slice(trancheAddresses.length) }
    : await rpc.getMultipleAccounts(oracleAddresses, { encoding: 'base64', commitment: 'confirmed' }).send({ abortSignal: signal });
  const { views, refreshable } = refreshedViews(
    state,
    listed.map((_, index) => {
      const account = oracles.value[index];
      return account ? { owner: account.owner, data: bytes(account.data)! } : null;
    }),
    now,
    onOracleError,
  );
  const debt = DebtState.accrue(poolDebtState(state), now).state;
  // The fields in `marketWith`'s order: one hidden class for every market.
  return { pool, state, slot: first.context.slot, now, debt, views, refreshable, tranches, keeperNotes, keeperNotesAccount, oracles: oracleAddresses };
}
