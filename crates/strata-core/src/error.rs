//! The core's error enum. The program maps each variant one-to-one onto its own
//! named error, so a failure inside the core surfaces on-chain with the same name.

use core::panic::Location;

/// Everything the accounting core can refuse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoreError {
    /// A checked operation overflowed, underflowed or divided by zero. `at` is the
    /// caller's source line (`#[track_caller]`), logged by the program.
    MathOverflow { at: &'static Location<'static> },
    /// The oracle reported a price (or EMA price) that is zero or negative.
    NonPositivePrice,
    /// The price scaled into WAD note units rounds to zero: the feed's exponent and the
    /// token's decimals put it outside what the protocol can represent.
    PriceOutOfRange,
    /// The cached price is older than the collateral's `max_age_secs`.
    StalePrice,
    /// `conf / price` exceeds the collateral's `max_conf_bps`.
    ConfidenceTooWide,
    /// Spot and EMA differ by more than the collateral's `max_ema_deviation_bps`.
    EmaDeviationTooLarge,
    /// The position's debt would exceed what its collateral supports at the
    /// loan-to-value ratio, valued at the conservative price.
    InsufficientCollateralValue,
    /// The pool's total debt would exceed its debt ceiling.
    DebtCeilingExceeded,
    /// The position's debt would be left above zero but below the pool's `min_debt`.
    DebtBelowMinimum,
    /// An amount of zero was given where a positive amount is required (or an
    /// amount so small it converts to zero shares).
    ZeroAmount,
    /// A repayment was made to a position that owes nothing.
    NoDebt,
    /// The position's health at spot is at least 1.0: it cannot be liquidated.
    PositionHealthy,
    /// The position holds none of the collateral the liquidation asks for.
    NoCollateralToSeize,
    /// Seizing this collateral (even without a bonus) would lower the position's
    /// health; a keeper should seize another of its collaterals.
    LiquidationWouldLowerHealth,
    /// The position is insolvent: it is settled whole, and the repayment offered is
    /// less than what its collateral covers at the bonus.
    ShortfallRepayTooLow,
    /// A withdrawal asks for more shares than exist.
    InsufficientShares,
    /// The pool has no tranche to pay income to or absorb with.
    NoTranches,
    /// The tranches hold no notes to absorb a position with.
    TranchesEmpty,
    /// The tranche has lost (nearly) all its value while its shares are still
    /// outstanding: new shares would be worth almost nothing and cannot be issued.
    SharePriceTooLow,
    /// The flow would leave a more senior tranche below its minimum subordination.
    SubordinationBreached,
    /// The redemption delay since the request has not passed yet.
    RedemptionNotReady,
}

/// Result alias for the core.
pub type CoreResult<T> = Result<T, CoreError>;

impl CoreError {
    /// A math failure located at the caller of the function that builds it.
    #[track_caller]
    #[inline]
    pub fn math() -> Self {
        CoreError::MathOverflow { at: Location::caller() }
    }

    /// Whether this is a math failure (any location).
    pub fn is_math(&self) -> bool {
        matches!(self, CoreError::MathOverflow { .. })
    }
}
