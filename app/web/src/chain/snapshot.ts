// One reading of a pool, everything the views show at one slot: the pool, the
// cluster's clock, the tranches, the collaterals' oracle accounts (priced as the next
// refresh would cache them, as the keeper and `npm run stress` do), every position, the
// redemption queue, and the connected wallet's position, balances and requests.
import { getBase58Decoder, type Address, type Base58EncodedBytes, type Rpc, type SolanaRpcApi } from '@solana/kit';
import {
  associatedTokenAddress,
  decodePoolData,
  decodePositionData,
  decodeRedemptionRequestData,
  decodeTrancheData,
  DebtState,
  getPoolSize,
  noteMintAddress,
  POOL_DISCRIMINATOR,
  poolDebtState,
  positionAddress,
  positionFilters,
  redemptionRequestAddress,
  redemptionRequestFilters,
  refreshedViews,
  shareAccountAddress,
  STRATA_PROGRAM_ADDRESS,
  trancheAddress,
  trancheState,
  type CollateralView,
  type Pool,
  type Position,
  type RedemptionRequest,
  type Tranche,
  type TrancheState,
} from '@strata/client';

import { accountBytes, CLOCK_SYSVAR, clockUnixTimestamp, tokenAmount } from './accounts.js';

export type TrancheReading = { address: Address; account: Tranche; state: TrancheState };
export type PositionReading = { address: Address; account: Position };

export type WalletReading = {
  address: Address;
  lamports: bigint;
  position: PositionReading | null;
  notes: bigint;
  /** Per listed collateral, native units in the wallet's associated account. */
  collaterals: bigint[];
  /** Per tranche, shares in the wallet's associated (Token-2022) account. */
  shares: bigint[];
  /** Per tranche, the wallet's queued redemption, if any. */
  requests: (RedemptionRequest | null)[];
};

export type Snapshot = {
  slot: bigint;
  /** The cluster's clock (unix seconds): every figure is computed at it. */
  now: bigint;
  poolAddress: Address;
  pool: Pool;
  /** The pool's debt accrued to `now`, as the next instruction will see it. */
  debt: DebtState;
  tranches: TrancheReading[];
  /** Each collateral slot's price and parameters as refreshed now (amounts zero). */
  views: CollateralView[];
  /** Whether each listed collateral's oracle account reads as fresh and valid. */
  refreshable: boolean[];
  positions: PositionReading[];
  requests: RedemptionRequest[];
  wallet: WalletReading | null;
};

/** The pools the program owns (for the pool picker). */
export async function findPools(rpc: Rpc<SolanaRpcApi>): Promise<Address[]> {
  const accounts = await rpc
    .getProgramAccounts(STRATA_PROGRAM_ADDRESS, {
      encoding: 'base64',
      dataSlice: { offset: 0, length: 0 },
      filters: [
        { dataSize: BigInt(getPoolSize()) },
        { memcmp: { offset: 0n, bytes: getBase58Decoder().decode(POOL_DISCRIMINATOR) as Base58EncodedBytes, encoding: 'base58' } },
      ],
    })
    .send();
  return accounts.map((a) => a.pubkey);
}

/** The wallet's accounts to read with the pool's: position, notes, each collateral, each
 * tranche's shares and redemption request. */
async function walletAddresses(pool: Address, state: Pool, trancheAccounts: readonly Tranche[], wallet: Address): Promise<Address[]> {
  const notes = await associatedTokenAddress(wallet, await noteMintAddress(pool));
  const collaterals = await Promise.all(
    state.collaterals.slice(0, state.collateralCount).map((c) => associatedTokenAddress(wallet, c.mint, c.tokenProgram)),
  );
  const shares = await Promise.all(trancheAccounts.map((t) => shareAccountAddress(wallet, t.shareMint)));
  const tranches = await Promise.all(trancheAccounts.map((_, i) => trancheAddress(pool, i)));
  const requests = await Promise.all(tranches.map((t) => redemptionRequestAddress(t, wallet)));
  return [wallet, await positionAddress(pool, wallet), notes, ...collaterals, ...shares, ...requests];
}

/** The accounts a reading needs beside the pool, the clock and the tranches: each
 * listed collateral's oracle, then the wallet's. They follow from the pool's state, so
 * they are learnt from a reading and kept for the next (per pool and wallet). */
const extraKeys = new Map<string, Address[]>();

async function keysFor(poolAddress: Address, pool: Pool, tranches: readonly Tranche[], wallet: Address | null): Promise<Address[]> {
  const oracles = pool.collaterals.slice(0, pool.collateralCount).map((c) => c.oracle);
  return [...oracles, ...(wallet ? await walletAddresses(poolAddress, pool, tranches, wallet) : [])];
}

/** Reads the pool, the clock, the tranches and `keys` in one `getMultipleAccounts`: one
 * slot's state, so the wallet's position and the pool's debt index never come from
 * either side of a transaction. */
async function readAtOnce(rpc: Rpc<SolanaRpcApi>, poolAddress: Address, trancheAddresses: readonly Address[], keys: readonly Address[], signal?: AbortSignal) {
  const answer = await rpc.getMultipleAccounts([poolAddress, CLOCK_SYSVAR, ...trancheAddresses, ...keys], { encoding: 'base64' }).send({ abortSignal: signal });
  const [poolAccount, clockAccount, ...rest] = answer.value;
  const poolData = accountBytes(poolAccount);
  const clockData = accountBytes(clockAccount);
  if (!poolData || poolAccount?.owner !== STRATA_PROGRAM_ADDRESS) throw new Error(`no Strata pool at ${poolAddress} on this cluster`);
  if (!clockData) throw new Error('the cluster has no Clock sysvar');
  const pool = decodePoolData(poolData);
  const tranches = rest.slice(0, pool.trancheCount).map((raw, index) => {
    const data = accountBytes(raw);
    if (!data) throw new Error(`tranche ${index} of the pool is missing`);
    const account = decodeTrancheData(data);
    return { address: trancheAddresses[index]!, account, state: trancheState(account) };
  });
  return { slot: answer.context.slot, pool, now: clockUnixTimestamp(clockData), tranches, extra: rest.slice(trancheAddresses.length) };
}

export async function readSnapshot(rpc: Rpc<SolanaRpcApi>, poolAddress: Address, wallet: Address | null, signal?: AbortSignal): Promise<Snapshot> {
  const trancheAddresses = await Promise.all([0, 1, 2, 3].map((i) => trancheAddress(poolAddress, i)));
  const cacheKey = `${poolAddress}:${wallet ?? ''}`;
  let keys = extraKeys.get(cacheKey) ?? [];
  let read = await readAtOnce(rpc, poolAddress, trancheAddresses, keys, signal);
  const wanted = await keysFor(poolAddress, read.pool, read.tranches.map((t) => t.account), wallet);
  if (wanted.join() !== keys.join()) {
    // First reading, or the pool listed a collateral or a tranche: read again with them.
    keys = wanted;
    extraKeys.set(cacheKey, keys);
    read = await readAtOnce(rpc, poolAddress, trancheAddresses, keys, signal);
  }
  const { pool, now, tranches, extra } = read;

  // The book and the queue: other accounts, read at that slot or later.
  const listed = pool.collaterals.slice(0, pool.collateralCount);
  const minContextSlot = read.slot;
  const [positionsRaw, requestsRaw] = await Promise.all([
    rpc.getProgramAccounts(STRATA_PROGRAM_ADDRESS, { encoding: 'base64', filters: positionFilters({ pool: poolAddress }), minContextSlot }).send({ abortSignal: signal }),
    rpc.getProgramAccounts(STRATA_PROGRAM_ADDRESS, { encoding: 'base64', filters: redemptionRequestFilters({ pool: poolAddress }), minContextSlot }).send({ abortSignal: signal }),
  ]);
  const oracles = extra.slice(0, listed.length);
  const { views, refreshable } = refreshedViews(
    pool,
    oracles.map((a) => (a ? { owner: a.owner, data: accountBytes(a)! } : null)),
    now,
  );
  const positions = positionsRaw.map(({ pubkey, account }) => ({ address: pubkey, account: decodePositionData(accountBytes(account)!) }));
  const requests = requestsRaw.map(({ account }) => decodeRedemptionRequestData(accountBytes(account)!));

  let walletReading: WalletReading | null = null;
  if (wallet) {
    const raw = extra.slice(listed.length);
    const n = listed.length;
    const t = tranches.length;
    const positionData = accountBytes(raw[1]);
    walletReading = {
      address: wallet,
      lamports: raw[0] ? BigInt(raw[0].lamports) : 0n,
      position: positionData ? { address: keys[listed.length + 1]!, account: decodePositionData(positionData) } : null,
      notes: tokenAmount(accountBytes(raw[2])),
      collaterals: raw.slice(3, 3 + n).map((a) => tokenAmount(accountBytes(a))),
      shares: raw.slice(3 + n, 3 + n + t).map((a) => tokenAmount(accountBytes(a))),
      requests: raw.slice(3 + n + t, 3 + n + 2 * t).map((a) => {
        const data = accountBytes(a);
        return data ? decodeRedemptionRequestData(data) : null;
      }),
    };
  }
  const debt = DebtState.accrue(poolDebtState(pool), now).state;
  return { slot: read.slot, now, poolAddress, pool, debt, tranches, views, refreshable, positions, requests, wallet: walletReading };
}
