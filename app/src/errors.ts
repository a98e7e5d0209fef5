// The accounting core's errors, by the names of `strata_core::CoreError`. The program
// maps each one onto the StrataError variant of the same name, so a failure predicted
// off-chain carries the name (and code) the program would answer with.
import {
  STRATA_ERROR__CONFIDENCE_TOO_WIDE,
  STRATA_ERROR__DEBT_BELOW_MINIMUM,
  STRATA_ERROR__DEBT_CEILING_EXCEEDED,
  STRATA_ERROR__EMA_DEVIATION_TOO_LARGE,
  STRATA_ERROR__INSUFFICIENT_COLLATERAL_VALUE,
  STRATA_ERROR__INSUFFICIENT_SHARES,
  STRATA_ERROR__LIQUIDATION_WOULD_LOWER_HEALTH,
  STRATA_ERROR__MATH_OVERFLOW,
  STRATA_ERROR__NO_COLLATERAL_TO_SEIZE,
  STRATA_ERROR__NO_DEBT,
  STRATA_ERROR__NO_TRANCHES,
  STRATA_ERROR__NON_POSITIVE_PRICE,
  STRATA_ERROR__POSITION_HEALTHY,
  STRATA_ERROR__PRICE_OUT_OF_RANGE,
  STRATA_ERROR__REDEMPTION_NOT_READY,
  STRATA_ERROR__SHARE_PRICE_TOO_LOW,
  STRATA_ERROR__SHORTFALL_REPAY_TOO_LOW,
  STRATA_ERROR__STALE_PRICE,
  STRATA_ERROR__SUBORDINATION_BREACHED,
  STRATA_ERROR__TRANCHES_EMPTY,
  STRATA_ERROR__ZERO_AMOUNT,
  type StrataError,
} from './generated/index.js';

/** `CoreError` variant → the program's error code. */
export const CORE_ERROR_CODES = {
  MathOverflow: STRATA_ERROR__MATH_OVERFLOW,
  NonPositivePrice: STRATA_ERROR__NON_POSITIVE_PRICE,
  PriceOutOfRange: STRATA_ERROR__PRICE_OUT_OF_RANGE,
  StalePrice: STRATA_ERROR__STALE_PRICE,
  ConfidenceTooWide: STRATA_ERROR__CONFIDENCE_TOO_WIDE,
  EmaDeviationTooLarge: STRATA_ERROR__EMA_DEVIATION_TOO_LARGE,
  InsufficientCollateralValue: STRATA_ERROR__INSUFFICIENT_COLLATERAL_VALUE,
  DebtCeilingExceeded: STRATA_ERROR__DEBT_CEILING_EXCEEDED,
  DebtBelowMinimum: STRATA_ERROR__DEBT_BELOW_MINIMUM,
  ZeroAmount: STRATA_ERROR__ZERO_AMOUNT,
  NoDebt: STRATA_ERROR__NO_DEBT,
  PositionHealthy: STRATA_ERROR__POSITION_HEALTHY,
  NoCollateralToSeize: STRATA_ERROR__NO_COLLATERAL_TO_SEIZE,
  LiquidationWouldLowerHealth: STRATA_ERROR__LIQUIDATION_WOULD_LOWER_HEALTH,
  ShortfallRepayTooLow: STRATA_ERROR__SHORTFALL_REPAY_TOO_LOW,
  InsufficientShares: STRATA_ERROR__INSUFFICIENT_SHARES,
  NoTranches: STRATA_ERROR__NO_TRANCHES,
  TranchesEmpty: STRATA_ERROR__TRANCHES_EMPTY,
  SharePriceTooLow: STRATA_ERROR__SHARE_PRICE_TOO_LOW,
  SubordinationBreached: STRATA_ERROR__SUBORDINATION_BREACHED,
  RedemptionNotReady: STRATA_ERROR__REDEMPTION_NOT_READY,
} as const satisfies Record<string, StrataError>;

export type CoreErrorName = keyof typeof CORE_ERROR_CODES;

/** What the mirrored core throws; `code` is the variant's name. */
export class CoreError extends Error {
  override readonly name = 'CoreError';
  readonly code: CoreErrorName;

  constructor(code: CoreErrorName, detail?: string) {
    super(detail ? `${code}: ${detail}` : code);
    this.code = code;
  }

  /** The program's error code for the same failure (6000 + variant index). */
  get programErrorCode(): StrataError {
    return CORE_ERROR_CODES[this.code];
  }
}

export function isCoreError(error: unknown, code?: CoreErrorName): error is CoreError {
  return error instanceof CoreError && (code === undefined || error.code === code);
}
