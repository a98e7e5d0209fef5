// Tranche flows over plain state, mirrored from `strata_core::flows`: a deposit at the
// entry NAV, and the redemption queue (request, cancel, claim after the pool's delay).
// The program runs these after settling income (`income.ts`, `settleIncome`).
import { CoreError } from './errors.js';
import { CollateralView, PriceBasis } from './health.js';
import { mulDiv, Rounding, safeAdd, safeSub, toU64, WAD } from './math.js';
import { CachedPrice } from './price.js';
import { MAX_TRANCHES, subordinationHolds, TrancheState, withdrawalKeepsSeniorsCovered, type Redemption } from './tranche.js';

/** Seconds a redemption delay must exceed every collateral's `max_age_secs` by. */
export const REDEMPTION_DELAY_MARGIN_SECS = 60n;
/** The longest redemption delay a pool may set (30 days). */
export const MAX_REDEMPTION_DELAY_SECS = 30n * 86_400n;

/** Whether `delaySecs` is a valid redemption delay for collaterals whose largest
 * `max_age_secs` is `maxAgeSecs`. */
export const redemptionDelayIsValid = (delaySecs: bigint, maxAgeSecs: bigint): boolean =>
  delaySecs <= MAX_REDEMPTION_DELAY_SECS && delaySecs >= maxAgeSecs + REDEMPTION_DELAY_MARGIN_SECS;

/** Every tranche's NAV at fresh spot prices (4 slots). */
export function navs(tranches: readonly TrancheState[], slots: readonly CollateralView[], now: bigint): bigint[] {
  const out = Array.from({ length: MAX_TRANCHES }, () => 0n);
  tranches.slice(0, MAX_TRANCHES).forEach((t, i) => (out[i] = TrancheState.nav(t, slots, now)));
  return out;
}

const at = (tranches: readonly TrancheState[], index: number): TrancheState => {
  const t = tranches[index];
  if (!t) throw new CoreError('NoTranches');
  return t;
};

/** Deposits `amount` notes into tranche `index`: shares at the entry NAV, refused when
 * the tranche would be left below its own minimum subordination (at spot). */
export function deposit(
  tranches: readonly TrancheState[],
  index: number,
  amount: bigint,
  slots: readonly CollateralView[],
  now: bigint,
): { shares: bigint; tranches: TrancheState[] } {
  const tranche = at(tranches, index);
  const shares = TrancheState.sharesForDeposit(tranche, TrancheState.entryNav(tranche, slots, now), amount);
  const next = tranches.map((t, i) => (i === index ? TrancheState.deposit(t, amount, shares) : t));
  const values = navs(next, slots, now).slice(0, next.length);
  if (!subordinationHolds(values, tranche.minSubordinationBps, index)) throw new CoreError('SubordinationBreached');
  return { shares, tranches: next };
}

/** Escrows `shares` of a tranche for redemption. */
export function request(tranche: TrancheState, shares: bigint): TrancheState {
  if (shares === 0n) throw new CoreError('ZeroAmount');
  const escrowed = safeAdd(tranche.escrowedShares, shares, 0xffff_ffff_ffff_ffffn);
  if (escrowed > tranche.totalShares) throw new CoreError('InsufficientShares');
  return { ...tranche, escrowedShares: escrowed };
}

/** Returns `shares` from the escrow to their holder. */
export function cancel(tranche: TrancheState, shares: bigint): TrancheState {
  if (shares > tranche.escrowedShares) throw new CoreError('InsufficientShares');
  return { ...tranche, escrowedShares: tranche.escrowedShares - shares };
}

/** Whether a request made at `requestedAt` may be claimed at `now` (throws
 * `RedemptionNotReady` otherwise). */
export function claimable(requestedAt: bigint, delaySecs: bigint, now: bigint): true {
  if (now < requestedAt + delaySecs) throw new CoreError('RedemptionNotReady');
  return true;
}

/** Claims `shares` escrowed in tranche `index`: their pro-rata notes and collateral as
 * the tranche stands now, refused when it would uncover a more senior tranche. */
export function claim(
  tranches: readonly TrancheState[],
  index: number,
  shares: bigint,
  slots: readonly CollateralView[],
  now: bigint,
): { redemption: Redemption; tranches: TrancheState[] } {
  const tranche = at(tranches, index);
  if (shares > tranche.escrowedShares) throw new CoreError('InsufficientShares');
  const redemption = TrancheState.redemption(tranche, shares);
  const after = { ...TrancheState.withdraw(tranche, redemption), escrowedShares: tranche.escrowedShares - shares };
  const next = tranches.map((t, i) => (i === index ? after : t));
  const values = navs(next, slots, now).slice(0, next.length);
  if (!withdrawalKeepsSeniorsCovered(next, values, index)) throw new CoreError('SubordinationBreached');
  return { redemption, tranches: next };
}

/** A recovery sale: notes paid into a tranche for collateral it holds. */
export type RecoverySale = { collateralOut: bigint; notesIn: bigint; priceWad: bigint };

/** Sizes a recovery sale of a tranche's held collateral `asset` for up to
 * `notesOffered` notes at spot × (1 − discountBps), rounded up. */
export function planRecoverySale(
  tranche: TrancheState,
  asset: number,
  slot: CollateralView,
  discountBps: bigint,
  notesOffered: bigint,
  now: bigint,
): RecoverySale {
  const held = tranche.collateralHeld[asset];
  if (held === undefined || held === 0n) throw new CoreError('NoCollateralToSeize');
  if (notesOffered === 0n) throw new CoreError('ZeroAmount');
  const spot = CachedPrice.spot(slot.price, slot.limits, now);
  const discount = discountBps < 10_000n ? discountBps : 10_000n;
  const priceWad = mulDiv(spot, 10_000n - discount, 10_000n, Rounding.Up);
  const affordable = mulDiv(notesOffered, WAD, priceWad, Rounding.Down);
  const collateralOut = toU64(affordable < held ? affordable : held);
  if (collateralOut === 0n) throw new CoreError('ZeroAmount');
  const notesIn = toU64(mulDiv(collateralOut, priceWad, WAD, Rounding.Up));
  return { collateralOut, notesIn, priceWad };
}

/** Applies a recovery sale to the selling tranche. */
export function applyRecoverySale(tranche: TrancheState, asset: number, sale: RecoverySale): TrancheState {
  const held = tranche.collateralHeld[asset];
  if (held === undefined) throw new CoreError('NoCollateralToSeize');
  return {
    ...tranche,
    assets: safeAdd(tranche.assets, sale.notesIn, 0xffff_ffff_ffff_ffffn),
    collateralHeld: tranche.collateralHeld.map((h, i) => (i === asset ? safeSub(h, sale.collateralOut, 0xffff_ffff_ffff_ffffn) : h)),
  };
}

/** What one share of a redemption paid, notes × WAD per share unit: its notes plus its
 * collateral at spot, over its shares (rounded down). */
export function sharePriceWad(redemption: Redemption, slots: readonly CollateralView[], now: bigint): bigint {
  let value = redemption.notes;
  redemption.collateral.forEach((amount, index) => {
    if (amount === 0n) return;
    const slot = slots[index];
    if (!slot) throw new CoreError('NoCollateralToSeize');
    value = safeAdd(value, CollateralView.value({ ...slot, amount }, PriceBasis.Spot, now));
  });
  return mulDiv(value, WAD, redemption.shares > 0n ? redemption.shares : 1n, Rounding.Down);
}
