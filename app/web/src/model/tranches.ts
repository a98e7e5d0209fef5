// The Tranches view's figures, as Centrifuge's tranche cards: NAV (notes plus held
// collateral at spot) and share price, realised yield, target and yield owed, losses,
// subordination against its minimum, capacity (what a deposit may add before that
// minimum breaks), and the redemption queue.
import type { Address } from '@solana/kit';
import { BPS, TrancheState, VIRTUAL_ASSETS, VIRTUAL_SHARES, WAD, type RedemptionRequest } from '@strata/client';

import type { Snapshot } from '../chain/snapshot.js';

/** Native share units in one whole share (9 decimals). */
const SHARE = 1_000_000_000n;

export type QueuedRedemption = RedemptionRequest & { claimableAt: bigint; ready: boolean };

export type TrancheFigures = {
  index: number;
  address: Address;
  name: string;
  nav: bigint;
  notes: bigint;
  totalShares: bigint;
  /** Native notes per whole share, at the NAV (the virtual offset included). */
  sharePrice: bigint;
  cumulativeYield: bigint;
  targetAprBps: number;
  /** Target yield accrued and unpaid, native notes (rounded down). */
  yieldOwed: bigint;
  cumulativeLoss: bigint;
  lossOutstanding: bigint;
  collateralHeld: bigint[];
  junior: boolean;
  /** NAV below this tranche over all tranche NAV, bps; null for the junior. */
  subordinationBps: bigint | null;
  minSubordinationBps: number;
  /** Notes a deposit may add before the minimum subordination breaks; null: no limit. */
  capacity: bigint | null;
  escrowedShares: bigint;
  queue: QueuedRedemption[];
};

export const trancheName = (index: number, count: number): string =>
  index === count - 1 ? (count === 1 ? 'single' : 'junior') : index === 0 ? 'senior' : `mezzanine ${index}`;

/** Native notes per whole share at `nav` and `totalShares`. */
export const sharePrice = (nav: bigint, totalShares: bigint): bigint => ((nav + VIRTUAL_ASSETS) * SHARE) / (totalShares + VIRTUAL_SHARES);

export function trancheFigures(snapshot: Snapshot): TrancheFigures[] {
  const { tranches, views, now, pool, requests } = snapshot;
  const navs = tranches.map((t) => TrancheState.nav(t.state, views, now));
  const total = navs.reduce((a, b) => a + b, 0n);
  return tranches.map((t, index) => {
    const junior = index === tranches.length - 1;
    const below = navs.slice(index + 1).reduce((a, b) => a + b, 0n);
    const min = BigInt(t.account.minSubordinationBps);
    const subordinationBps = junior ? null : total === 0n ? BPS : (below * BPS) / total;
    // below / (total + x) ≥ min / BPS  ⇔  x ≤ below × BPS / min − total
    const capacity = junior || min === 0n ? null : (() => {
      const room = (below * BPS) / min - total;
      return room > 0n ? room : 0n;
    })();
    const queue = requests
      .filter((r) => r.tranche === t.address)
      .map((r) => {
        const claimableAt = r.requestedAt + BigInt(pool.redemptionDelaySecs);
        return { ...r, claimableAt, ready: now >= claimableAt };
      })
      .sort((a, b) => (a.requestedAt < b.requestedAt ? -1 : a.requestedAt > b.requestedAt ? 1 : 0));
    return {
      index,
      address: t.address,
      name: trancheName(index, tranches.length),
      nav: navs[index]!,
      notes: t.state.assets,
      totalShares: t.state.totalShares,
      sharePrice: sharePrice(navs[index]!, t.state.totalShares),
      cumulativeYield: t.state.cumulativeYield,
      targetAprBps: t.account.targetAprBps,
      yieldOwed: t.state.yieldOwedWad / WAD,
      cumulativeLoss: t.state.cumulativeLoss,
      lossOutstanding: t.state.lossOutstanding,
      collateralHeld: t.state.collateralHeld,
      junior,
      subordinationBps,
      minSubordinationBps: t.account.minSubordinationBps,
      capacity,
      escrowedShares: t.state.escrowedShares,
      queue,
    };
  });
}
