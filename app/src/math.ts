// Checked integer arithmetic, mirrored from `strata_core::math` in bigint. Every
// value that is a u64/u128 in Rust is a bigint here, range-checked the same way: an
// operation whose Rust counterpart overflows, underflows or divides by zero throws
// CoreError('MathOverflow').
import { CoreError } from './errors.js';

/** 1.0 in WAD fixed point (prices, indexes). */
export const WAD = 1_000_000_000_000_000_000n;
/** 1.0 in basis points. */
export const BPS = 10_000n;
/** Seconds in the 365-day year the stability fee's APR is quoted over. */
export const SECONDS_PER_YEAR = 31_536_000n;

export const U8_MAX = 0xffn;
export const U16_MAX = 0xffffn;
export const U32_MAX = 0xffff_ffffn;
export const U64_MAX = 0xffff_ffff_ffff_ffffn;
export const U128_MAX = (1n << 128n) - 1n;
export const I64_MIN = -(1n << 63n);
export const I64_MAX = (1n << 63n) - 1n;

/** Which way a division rounds; the protocol's side decides. */
export const Rounding = {
  /** Towards zero (floor): collateral value, shares issued, payouts. */
  Down: 'Down',
  /** Away from zero (ceil): debt, shares burned, fees owed. */
  Up: 'Up',
} as const;
export type Rounding = (typeof Rounding)[keyof typeof Rounding];

function overflow(what: string): never {
  throw new CoreError('MathOverflow', what);
}

/** `value` if it fits in `[0, max]`, else MathOverflow (a Rust `checked_*` → None). */
export function checkedUnsigned(value: bigint, max: bigint, what = 'out of range'): bigint {
  if (value < 0n || value > max) overflow(what);
  return value;
}

/** `a * b / d`, rounded as asked, with an exact intermediate (Rust: 256 bits). Fails
 * on `d == 0` or when the quotient does not fit in u128. */
export function mulDiv(a: bigint, b: bigint, d: bigint, rounding: Rounding): bigint {
  if (d === 0n) overflow('mulDiv by zero');
  const product = a * b;
  let quotient = product / d;
  if (rounding === Rounding.Up && product % d !== 0n) quotient += 1n;
  return checkedUnsigned(quotient, U128_MAX, 'mulDiv quotient exceeds u128');
}

/** `a / d` rounded as asked. */
export function divRound(a: bigint, d: bigint, rounding: Rounding): bigint {
  return mulDiv(a, 1n, d, rounding);
}

/** `10^exp` for `exp <= 38` (the largest power of ten in u128). */
export function pow10(exp: number | bigint): bigint {
  const e = BigInt(exp);
  if (e > 38n) overflow('pow10 exceeds u128');
  return 10n ** e;
}

/** Narrows a u128 to u64, failing instead of truncating. */
export function toU64(value: bigint): bigint {
  return checkedUnsigned(value, U64_MAX, 'value exceeds u64');
}

// `SafeMath` on the unsigned widths the core uses.
export const safeAdd = (a: bigint, b: bigint, max: bigint = U128_MAX): bigint => checkedUnsigned(a + b, max, 'add');
export const safeSub = (a: bigint, b: bigint, max: bigint = U128_MAX): bigint => checkedUnsigned(a - b, max, 'sub');
export const safeMul = (a: bigint, b: bigint, max: bigint = U128_MAX): bigint => checkedUnsigned(a * b, max, 'mul');

/** Rust's `i64::saturating_sub`. */
export function saturatingSubI64(a: bigint, b: bigint): bigint {
  const diff = a - b;
  return diff > I64_MAX ? I64_MAX : diff < I64_MIN ? I64_MIN : diff;
}

export const minBig = (a: bigint, b: bigint): bigint => (a < b ? a : b);
export const maxBig = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/** Compares `a × b` with `c × d` exactly (Rust: 256-bit products): -1, 0 or 1, as
 * `core::cmp::Ordering` Less, Equal, Greater. */
export function cmpProducts(a: bigint, b: bigint, c: bigint, d: bigint): -1 | 0 | 1 {
  const left = a * b;
  const right = c * d;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Rust's `u16::saturating_add`. */
export const saturatingAddU16 = (a: bigint, b: bigint): bigint => minBig(a + b, U16_MAX);

/** `u16::try_from(value).unwrap_or(u16::MAX)`. */
export const toU16Saturating = (value: bigint): bigint => minBig(value, U16_MAX);

export const absDiff = (a: bigint, b: bigint): bigint => (a > b ? a - b : b - a);

/** `(1 + rateBps / (BPS × SECONDS_PER_YEAR))^elapsed` in WAD: an annual rate
 * compounded every second over `elapsed` seconds (u64), by squaring, every product
 * rounded `rounding` (`strata_core::math::compound_wad`). Accrual compounded per
 * second does not depend on how often it runs. */
export function compoundWad(rateBps: bigint, elapsed: bigint, rounding: Rounding): bigint {
  const perSecond = mulDiv(rateBps, WAD, safeMul(BPS, SECONDS_PER_YEAR), rounding);
  let base = safeAdd(WAD, perSecond);
  let factor = WAD;
  let remaining = elapsed;
  while (remaining > 0n) {
    if ((remaining & 1n) === 1n) factor = mulDiv(factor, base, WAD, rounding);
    remaining >>= 1n;
    if (remaining > 0n) base = mulDiv(base, base, WAD, rounding);
  }
  return factor;
}
