/**
 * `show`: a pool's parameters, its collaterals with their cached prices, its
 * tranches with NAV and share price, and its positions (getProgramAccounts with the
 * keeper filters, decoded) with their health, computed from account data with the
 * mirrored core at the cluster's clock, as the `health` view computes it.
 */
import { type Address, type Rpc, type SolanaRpcApi } from '@solana/kit';

import { clusterClock, fetchPool, fetchPositions, fetchTranches } from '../admin/chain.js';
import {
  collateralCachedPrice,
  isCoreError,
  listedCollaterals,
  NOTE_DECIMALS,
  OracleKind,
  poolDebtState,
  poolIsTurbo,
  positionHealthReport,
  SYSTEM_PROGRAM_ADDRESS,
  tokenProgramName,
  trancheNav,
  U128_MAX,
  VIRTUAL_ASSETS,
  VIRTUAL_SHARES,
  WAD,
  type HealthReport,
  type Pool,
} from '../src/index.js';
import { DebtState } from '../src/debt.js';
import { u128FromLe } from '../src/u128.js';
import { PAUSE_NAMES } from './pause.js';

/** `amount` native units of a `decimals` token as a decimal string (trailing zeros cut, at least `min` decimals). */
export function units(amount: bigint, decimals: number, min = 0): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const scale = 10n ** BigInt(decimals);
  const whole = (abs / scale).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  let fraction = decimals ? (abs % scale).toString().padStart(decimals, '0').replace(/0+$/, '') : '';
  if (fraction.length < min) fraction = fraction.padEnd(min, '0');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Native note units as dollars. */
export const usd = (notes: bigint) => `$${units(notes, Number(NOTE_DECIMALS), 2)}`;
const pct = (bps: number | bigint) => `${(Number(bps) / 100).toFixed(2)}%`;
/** A WAD ratio with two decimals (∞ for u128::MAX, "no debt"). */
export const ratio = (wad: bigint) => (wad === U128_MAX ? '∞' : (Number((wad * 100n) / WAD) / 100).toFixed(2));

/** USD per whole token, from a price in WAD native notes per native unit. */
export const pricePerToken = (priceWad: bigint, decimals: number) => usd((priceWad * 10n ** BigInt(decimals)) / WAD);

export const pauseNames = (flags: number) =>
  Object.entries(PAUSE_NAMES)
    .filter(([, bit]) => (flags & bit) !== 0)
    .map(([name]) => name)
    .join(', ') || 'none';

export type PoolSnapshot = Awaited<ReturnType<typeof snapshot>>;

/** Everything `show` prints, read from the cluster. */
export async function snapshot(rpc: Rpc<SolanaRpcApi>, address: Address, withPositions: boolean) {
  const pool = await fetchPool(rpc, address);
  const { unixTimestamp: now } = await clusterClock(rpc);
  const debt = poolDebtState(pool);
  const tranches = (await fetchTranches(rpc, address, pool.trancheCount)).map(({ address: trancheAddress, tranche }) => {
    const nav = trancheNav(pool, tranche, now);
    // Whole notes (6 decimals) per whole share (9 decimals), WAD: the offset price of a native share × 1,000.
    return { address: trancheAddress, tranche, nav, sharePriceWad: ((nav + VIRTUAL_ASSETS) * WAD * 1_000n) / (tranche.totalShares + VIRTUAL_SHARES) };
  });
  const positions = withPositions
    ? (await fetchPositions(rpc, address)).map(({ address: positionAddress, position }) => {
        let report: HealthReport | undefined;
        let error: string | undefined;
        try {
          report = positionHealthReport(pool, position, now);
        } catch (e) {
          if (!isCoreError(e)) throw e;
          error = e.code;
        }
        return { address: positionAddress, position, report, error };
      })
    : [];
  return { address, pool, now, totalDebt: DebtState.debtOf(debt, debt.totalShares), tranches, withPositions, positions };
}

/** The snapshot as text. */
export function render(s: PoolSnapshot): string {
  const { pool } = s;
  const lines: string[] = [];
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(22)}${value}`);
  lines.push(`pool ${s.address}`);
  row('id', `${pool.poolId} (creator ${pool.creator})`);
  row('authority', pool.authority);
  row('pending authority', pool.pendingAuthority === SYSTEM_PROGRAM_ADDRESS ? 'none' : pool.pendingAuthority);
  row('note mint', pool.noteMint);
  row('treasury', pool.treasury);
  row('mode', `${poolIsTurbo(pool) ? 'Turbo' : 'Normal'}${pool.permissioned ? ', permissioned' : ''}`);
  row('paused', pauseNames(pool.pauseFlags));
  row('debt', `${usd(s.totalDebt)} of ${usd(pool.debtCeiling)} ceiling; min debt ${usd(pool.minDebt)}`);
  row('stability fee', `${pct(pool.stabilityFeeBps)} APR; rate index ${units(u128FromLe(pool.rateIndexWad), 18)}`);
  row('pending fees', usd(pool.pendingFees));
  row('bad debt', usd(pool.badDebt));
  row('liquidation', `close factor ${pct(pool.closeFactorBps)}, keeper tip ${pct(pool.keeperTipBps)}`);
  row('protocol fee', pct(pool.protocolFeeBps));
  row('coverage floor', pct(pool.coverageFloorBps));

  const collaterals = listedCollaterals(pool);
  lines.push('', `collaterals (${collaterals.length})`);
  collaterals.forEach((c, index) => {
    const program = tokenProgramName(c.tokenProgram);
    const kind = c.oracleKind === OracleKind.PythLegacy ? 'Pyth legacy' : `Pyth pull, feed 0x${Buffer.from(c.feedId).toString('hex')}`;
    lines.push(`  #${index} mint ${c.mint} (${program}, ${c.decimals} decimals)`);
    row('  oracle', `${c.oracle} (${kind})`);
    const cached = collateralCachedPrice(c);
    if (cached.publishTime === 0n) row('  price', 'never refreshed');
    else {
      const age = s.now - cached.publishTime;
      const stale = age > BigInt(c.maxAgeSecs) ? ', STALE' : '';
      row('  price', `${pricePerToken(cached.priceWad, c.decimals)} (ema ${pricePerToken(cached.emaPriceWad, c.decimals)}, conf ±${pricePerToken(cached.confWad, c.decimals)}), published ${age}s ago${stale}`);
    }
    row('  risk', `ltv ${pct(c.ltvBps)}, threshold ${pct(c.liquidationThresholdBps)}, bonus ${pct(c.liquidationBonusMinBps)}–${pct(c.liquidationBonusMaxBps)}`);
    row('  oracle limits', `max age ${c.maxAgeSecs}s, max conf ${pct(c.maxConfBps)}, max EMA deviation ${pct(c.maxEmaDeviationBps)}`);
    row('  deposited', `${units(c.totalDeposited, c.decimals)} of ${units(c.depositCap, c.decimals)} cap`);
  });

  lines.push('', `tranches (${s.tranches.length})`);
  s.tranches.forEach(({ address, tranche, nav, sharePriceWad }, index) => {
    const role = index === 0 && s.tranches.length > 1 ? 'senior' : index === s.tranches.length - 1 ? 'junior' : 'mezzanine';
    lines.push(`  #${index} ${role} ${address}`);
    row('  NAV', `${usd(nav)} (notes ${usd(tranche.assets)}${tranche.collateralHeld.some((h) => h > 0n) ? ' + held collateral' : ''})`);
    row("  shares", `${units(tranche.totalShares, 9)} at ${units(sharePriceWad / 10n ** 12n, 6, 2)} notes each`);
    row('  target', index === s.tranches.length - 1 ? 'residual (junior)' : `${pct(tranche.targetAprBps)} APR, min subordination ${pct(tranche.minSubordinationBps)}`);
    row('  yield / loss', `${usd(tranche.cumulativeYield)} / ${usd(tranche.cumulativeLoss)}${tranche.lossOutstanding ? `, ${usd(tranche.lossOutstanding)} outstanding` : ''}`);
    const held = tranche.collateralHeld
      .map((amount, i) => [amount, i] as const)
      .filter(([amount]) => amount > 0n)
      .map(([amount, i]) => `#${i} ${units(amount, pool.collaterals[i]!.decimals)}`);
    if (held.length) row('  held collateral', held.join(', '));
  });

  if (s.withPositions) {
    lines.push('', `positions (${s.positions.length})`);
    for (const { address, position, report, error } of s.positions) {
      const amounts = position.collateral
        .slice(0, pool.collateralCount)
        .map((amount, i) => `#${i} ${units(amount, pool.collaterals[i]!.decimals)}`)
        .join(', ');
      const health = report
        ? `health ${ratio(report.healthWad)}${report.liquidatable ? ' LIQUIDATABLE' : ''}${report.insolvent ? ' INSOLVENT' : ''}, debt ${usd(report.debt)}, value ${usd(report.collateralValue)}`
        : `health unknown (${error})`;
      lines.push(`  ${address} owner ${position.owner}`);
      lines.push(`    ${health}; collateral ${amounts}`);
    }
  }
  return lines.join('\n');
}

/** The snapshot as JSON (bigints as decimal strings, bytes as hex). */
export function toJson(s: PoolSnapshot): string {
  const pool: Pool = s.pool;
  const data = {
    address: s.address,
    clock: s.now,
    pool: { ...pool, collaterals: listedCollaterals(pool), totalDebt: s.totalDebt },
    tranches: s.tranches,
    positions: s.withPositions ? s.positions : undefined,
  };
  return JSON.stringify(
    data,
    function (this: Record<string, unknown>, key, value: unknown) {
      if (key === 'discriminator' || key === 'reserved' || key.startsWith('padding')) return undefined;
      const raw = this[key]; // before Buffer.prototype.toJSON
      if (typeof raw === 'bigint') return raw.toString();
      if (raw instanceof Uint8Array) {
        // 128-bit little-endian fields become numbers, other bytes hex.
        return raw.length === 16 ? u128FromLe(raw).toString() : `0x${Buffer.from(raw).toString('hex')}`;
      }
      return value;
    },
    2,
  );
}
