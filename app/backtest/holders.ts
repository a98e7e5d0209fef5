/**
 * Tranche holders on the cluster, as the config makes them behave: a holder asks to
 * redeem all its shares once its tranche's share price has fallen `redeemOnDropPct`
 * below its entry price, then claims at every later step until the claim goes through
 * (it waits out the redemption delay, a pending loss, or a senior it would leave
 * uncovered). A holder that left stays out.
 */
import { fetchPool, fetchTranche, transactionEvents } from '../admin/chain.js';
import { TransactionFailed } from '../admin/send.js';
import { isEvent, shareAccountAddress, trancheState, tx, WAD } from '../src/index.js';
import { tokenBalance } from '../admin/chain.js';
import { refreshInstructions } from '../sim/prices.js';
import type { ReplaySender } from './send.js';
import type { Scene } from './setup.js';

/** Refusals a later step may clear: the holder tries again. */
export const RETRIABLE = new Set(['RedemptionNotReady', 'LossPending', 'SubordinationBreached']);

/** Whether a holder who entered at `entryPrice` leaves at `sharePrice`: a fall of at
 * least `redeemOnDropPct` percent (share prices in 6-decimal dollars). */
export const wantsOut = (entryPrice: bigint, sharePrice: bigint, redeemOnDropPct: number): boolean =>
  sharePrice < (entryPrice * BigInt(Math.round((100 - redeemOnDropPct) * 100))) / 10_000n;

type Holder = { index: number; entryPrice: bigint; requested: boolean; left: boolean };

export type HolderStep = { queued: bigint; paid: bigint };

export class Holders {
  private readonly holders: Holder[];

  /** `entryPrices`: each tranche's share price at the start (6-decimal dollars). */
  constructor(
    private readonly scene: Scene,
    private readonly sender: ReplaySender,
    entryPrices: readonly bigint[],
    private readonly redeemOnDropPct: number,
  ) {
    this.holders = entryPrices.map((entryPrice, index) => ({ index, entryPrice, requested: false, left: false }));
  }

  /** Requests and claims at this step, given the tranches' share prices now. */
  async act(sharePrices: readonly bigint[]): Promise<HolderStep> {
    const result: HolderStep = { queued: 0n, paid: 0n };
    if (this.redeemOnDropPct <= 0) return result;
    const { cluster, state } = this.scene;
    for (const holder of this.holders) {
      if (holder.left) continue;
      const signer = this.scene.holders[holder.index]!.signer;
      if (holder.requested) {
        const paid = await this.claim(holder);
        if (paid !== undefined) {
          result.paid += paid;
          holder.left = true;
        }
        continue;
      }
      if (!wantsOut(holder.entryPrice, sharePrices[holder.index]!, this.redeemOnDropPct)) continue;
      const tranche = (await fetchTranche(cluster.rpc, state.tranches[holder.index]!))!;
      const shares = await tokenBalance(cluster.rpc, await shareAccountAddress(signer.address, tranche.shareMint));
      if (shares === 0n) {
        holder.left = true;
        continue;
      }
      const built = await tx.requestRedemption({ holder: signer, pool: state.pool, index: holder.index, shares });
      await this.sender.send(signer, built.instructions);
      holder.requested = true;
      result.queued += shares;
    }
    return result;
  }

  /** The claim's value (notes plus collateral at spot), or undefined if it must wait. */
  private async claim(holder: Holder): Promise<bigint | undefined> {
    const { cluster, state } = this.scene;
    const signer = this.scene.holders[holder.index]!.signer;
    const pool = await fetchPool(cluster.rpc, state.pool);
    const tranche = trancheState((await fetchTranche(cluster.rpc, state.tranches[holder.index]!))!);
    const built = await tx.claimRedemption({
      holder: signer,
      pool: state.pool,
      index: holder.index,
      trancheCount: pool.trancheCount,
      payouts: tx.payoutsFor(pool, tranche.collateralHeld),
    });
    try {
      // Claims value held collateral at this slot's prices.
      const signature = await this.sender.send(signer, [...(await refreshInstructions(state)), ...built.instructions]);
      const { events } = await transactionEvents(cluster.rpc, signature);
      const claimed = events.find(isEvent('RedemptionClaimed'))!.data;
      return (claimed.shares * claimed.sharePriceWad) / WAD;
    } catch (error) {
      if (error instanceof TransactionFailed && RETRIABLE.has(error.programError?.name ?? '')) return undefined;
      throw error;
    }
  }
}
