//! Every rejection the program makes, by name. Errors raised inside the accounting
//! core map one-to-one onto the variants below ([`CoreResultExt`]).

use anchor_lang::prelude::*;
use strata_core::CoreError;

#[error_code]
pub enum StrataError {
    // --- arithmetic and core -------------------------------------------------------
    #[msg("Arithmetic overflow, underflow or division by zero")]
    MathOverflow,
    #[msg("Oracle price or EMA price is zero or negative")]
    NonPositivePrice,
    #[msg("Oracle price is outside the range the protocol can represent")]
    PriceOutOfRange,
    #[msg("Oracle price is older than the collateral's max_age_secs")]
    StalePrice,
    #[msg("Oracle confidence interval is wider than the collateral's max_conf_bps")]
    ConfidenceTooWide,
    #[msg("Spot price deviates from the EMA by more than max_ema_deviation_bps")]
    EmaDeviationTooLarge,
    #[msg("Debt would exceed the collateral's borrowing power at the conservative price")]
    InsufficientCollateralValue,
    #[msg("Pool debt would exceed its debt ceiling")]
    DebtCeilingExceeded,
    #[msg("Debt would be left above zero but below the pool's min_debt")]
    DebtBelowMinimum,
    #[msg("Amount must be greater than zero")]
    ZeroAmount,
    #[msg("Position has no debt to repay")]
    NoDebt,
    #[msg("Position is healthy at spot prices: it cannot be liquidated")]
    PositionHealthy,
    #[msg("Position holds none of this collateral")]
    NoCollateralToSeize,
    #[msg("Seizing this collateral would lower the position's health; liquidate another collateral")]
    LiquidationWouldLowerHealth,
    #[msg("Insolvent position: the repayment must cover all its collateral at the bonus")]
    ShortfallRepayTooLow,

    // --- signers and ownership -----------------------------------------------------
    #[msg("Signer is not the pool authority")]
    Unauthorized,
    #[msg("Signer is not the pending authority")]
    NotPendingAuthority,
    #[msg("No authority hand-over is pending")]
    NoPendingAuthority,
    #[msg("Signer does not own this position")]
    NotPositionOwner,
    #[msg("Account belongs to another pool")]
    PoolMismatch,
    #[msg("Token account is not owned by the expected wallet")]
    TokenOwnerMismatch,
    #[msg("The same account was passed for two different roles")]
    DuplicateAccount,
    #[msg("Account is already initialized")]
    AlreadyInitialized,

    // --- collateral and token accounts ---------------------------------------------
    #[msg("Collateral index is not a listed collateral of this pool")]
    InvalidCollateralIndex,
    #[msg("The pool already lists 8 collateral assets")]
    TooManyCollaterals,
    #[msg("This mint is already listed as collateral in the pool")]
    CollateralAlreadyListed,
    #[msg("The note mint cannot be its own collateral")]
    NoteMintAsCollateral,
    #[msg("Mint does not match the collateral's configured mint")]
    CollateralMintMismatch,
    #[msg("Vault does not match the collateral's configured vault")]
    VaultMismatch,
    #[msg("Token program does not match the collateral's token program")]
    TokenProgramMismatch,
    #[msg("Mint is not the pool's note mint")]
    NoteMintMismatch,
    #[msg("Token-2022 mint has an extension that breaks the pool's accounting")]
    UnsupportedMintExtension,
    #[msg("Deposit would exceed the collateral's deposit cap")]
    DepositCapExceeded,
    #[msg("Position holds less of this collateral than requested")]
    InsufficientCollateral,
    #[msg("Token account balance is lower than the amount")]
    InsufficientFunds,
    #[msg("Position still holds collateral or debt")]
    PositionNotEmpty,

    // --- oracle --------------------------------------------------------------------
    #[msg("Oracle account is not the one configured for this collateral")]
    OracleMismatch,
    #[msg("Oracle account is not owned by the expected Pyth program")]
    OracleOwnerMismatch,
    #[msg("Oracle account data is not a valid Pyth price account")]
    InvalidOracleData,
    #[msg("Pyth price status is not Trading")]
    OracleNotTrading,
    #[msg("Pyth price update is not fully verified")]
    OracleNotFullyVerified,
    #[msg("Pyth price update is for another feed id")]
    FeedIdMismatch,

    // --- admin parameters and modes ------------------------------------------------
    #[msg("Pool parameters are outside their allowed bounds")]
    InvalidPoolParams,
    #[msg("Collateral risk parameters are outside their allowed bounds")]
    InvalidCollateralParams,
    #[msg("Unknown pause flag bits")]
    InvalidPauseFlags,
    #[msg("This instruction family is paused")]
    Paused,
    #[msg("Minting is disabled while the pool is in Turbo mode")]
    TurboMode,
    #[msg("An account invariant does not hold")]
    InvariantViolation,
    #[msg("Collateral paid out is below min_collateral_out")]
    SlippageExceeded,
    #[msg("Position was already liquidated in this slot")]
    AlreadyLiquidatedThisSlot,
    #[msg("Settling an insolvent position needs the accounts of every collateral it holds")]
    MissingCollateralAccounts,
    #[msg("Withdrawal asks for more shares than exist")]
    InsufficientShares,
    #[msg("The pool has no tranche")]
    NoTranches,
    #[msg("The tranches hold no notes to absorb with")]
    TranchesEmpty,
    #[msg("Tranche index is not the next one or not an existing tranche")]
    InvalidTrancheIndex,
    #[msg("The pool already has 4 tranches")]
    TooManyTranches,
    #[msg("Tranche parameters are outside their allowed bounds")]
    InvalidTrancheParams,
    #[msg("The pool's tranche accounts (and vaults) are missing or out of order")]
    MissingTrancheAccounts,
    #[msg("This would leave a more senior tranche below its minimum subordination")]
    SubordinationBreached,
    #[msg("A loss is pending: tranche deposits and withdrawals wait until it is booked")]
    LossPending,
    #[msg("This wallet is not on the pool's allowlist")]
    NotAllowlisted,
    #[msg("The position is already reported insolvent")]
    ShortfallAlreadyFlagged,
    #[msg("The position is not reported insolvent")]
    ShortfallNotFlagged,
    #[msg("The position's collateral covers its debt")]
    PositionSolvent,
    #[msg("The position's collateral still does not cover its debt")]
    PositionInsolvent,
    #[msg("The tranche has lost (nearly) all its value: new shares cannot be issued")]
    SharePriceTooLow,
}

impl From<CoreError> for StrataError {
    fn from(error: CoreError) -> Self {
        match error {
            CoreError::MathOverflow { .. } => StrataError::MathOverflow,
            CoreError::NonPositivePrice => StrataError::NonPositivePrice,
            CoreError::PriceOutOfRange => StrataError::PriceOutOfRange,
            CoreError::StalePrice => StrataError::StalePrice,
            CoreError::ConfidenceTooWide => StrataError::ConfidenceTooWide,
            CoreError::EmaDeviationTooLarge => StrataError::EmaDeviationTooLarge,
            CoreError::InsufficientCollateralValue => StrataError::InsufficientCollateralValue,
            CoreError::DebtCeilingExceeded => StrataError::DebtCeilingExceeded,
            CoreError::DebtBelowMinimum => StrataError::DebtBelowMinimum,
            CoreError::ZeroAmount => StrataError::ZeroAmount,
            CoreError::NoDebt => StrataError::NoDebt,
            CoreError::PositionHealthy => StrataError::PositionHealthy,
            CoreError::NoCollateralToSeize => StrataError::NoCollateralToSeize,
            CoreError::LiquidationWouldLowerHealth => StrataError::LiquidationWouldLowerHealth,
            CoreError::ShortfallRepayTooLow => StrataError::ShortfallRepayTooLow,
            CoreError::InsufficientShares => StrataError::InsufficientShares,
            CoreError::NoTranches => StrataError::NoTranches,
            CoreError::TranchesEmpty => StrataError::TranchesEmpty,
            CoreError::SharePriceTooLow => StrataError::SharePriceTooLow,
        }
    }
}

/// Turns a core result into an Anchor one, logging where a math failure happened.
pub trait CoreResultExt<T> {
    fn map_core(self) -> Result<T>;
}

impl<T> CoreResultExt<T> for core::result::Result<T, CoreError> {
    #[track_caller]
    fn map_core(self) -> Result<T> {
        self.map_err(|error| {
            if let CoreError::MathOverflow { at } = error {
                crate::log_msg!("math overflow at {}:{}", at.file(), at.line());
            }
            let caller = core::panic::Location::caller();
            anchor_lang::error::Error::from(StrataError::from(error))
                .with_source(anchor_lang::error::Source { filename: caller.file(), line: caller.line() })
        })
    }
}
