// Native units as people read them. Every figure the page shows is computed in
// bigint native units (as the program and the client compute it) and only formatted
// here; the elements carry the raw value in `data-value` for tests and tools.
import { U128_MAX, WAD } from '@strata/client';

export const NOTE_DECIMALS = 6;
export const SHARE_DECIMALS = 9;

const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** `native` with `decimals`, cut to `shown` decimals (rounded down), grouped. */
export function units(native: bigint, decimals: number, shown = Math.min(decimals, 4)): string {
  const sign = native < 0n ? '-' : '';
  const abs = native < 0n ? -native : native;
  const scale = 10n ** BigInt(decimals);
  const whole = group((abs / scale).toString());
  if (shown === 0) return `${sign}${whole}`;
  const fraction = (abs % scale).toString().padStart(decimals, '0').slice(0, shown);
  return `${sign}${whole}.${fraction}`;
}

/** Native note units as dollars, to the cent (rounded down). */
export const dollars = (native: bigint): string => (native < 0n ? `-$${units(-native, NOTE_DECIMALS, 2)}` : `$${units(native, NOTE_DECIMALS, 2)}`);

/** A WAD-scaled price of one native collateral unit, in dollars per whole token. */
export function tokenPrice(priceWad: bigint, decimals: number): string {
  // price per whole token in native notes = priceWad × 10^decimals / WAD
  const nativeNotes = (priceWad * 10n ** BigInt(decimals)) / WAD;
  return dollars(nativeNotes);
}

/** Basis points as a percentage with two decimals. */
export const percentBps = (bps: bigint | number): string => {
  const value = BigInt(bps);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}%`;
};

/** A WAD ratio (health) with two decimals, ∞ for none. */
export function ratio(wad: bigint | null | undefined): string {
  if (wad === null || wad === undefined) return '—';
  if (wad >= U128_MAX) return '∞';
  const hundredths = (wad * 100n) / WAD;
  return `${group((hundredths / 100n).toString())}.${(hundredths % 100n).toString().padStart(2, '0')}`;
}

/** Seconds as "42s", "3m 05s", "2h 10m", "3d 4h". */
export function duration(seconds: bigint): string {
  const s = seconds < 0n ? 0n : seconds;
  if (s < 60n) return `${s}s`;
  if (s < 3_600n) return `${s / 60n}m ${(s % 60n).toString().padStart(2, '0')}s`;
  if (s < 86_400n) return `${s / 3_600n}h ${((s % 3_600n) / 60n).toString().padStart(2, '0')}m`;
  return `${s / 86_400n}d ${(s % 86_400n) / 3_600n}h`;
}

/** An address shortened to its ends. */
export const short = (address: string): string => `${address.slice(0, 4)}…${address.slice(-4)}`;

/** Parses a decimal amount into native units; undefined when it is not one. */
export function parseAmount(text: string, decimals: number): bigint | undefined {
  const match = /^\s*(\d+)(?:\.(\d*))?\s*$/.exec(text.replace(/,/g, ''));
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) return undefined;
  return BigInt(match[1]!) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
}
