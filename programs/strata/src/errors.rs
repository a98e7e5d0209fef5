//! Every rejection the program makes, by name. Errors raised inside the accounting
//! core map one-to-one onto the variants below ([`CoreResultExt`]).

use anchor_lang::prelude::*;
use strata_core::CoreError;

/// Error codes are Anchor's 6000 + the explicit number below, and they are permanent:
/// clients and indexers match on them. A new error is appended with the next number;
/// none is renumbered or reused. `error-codes.tsv` (beside `Cargo.toml`) is the public
/// table, checked against this enum (through the IDL) by `tests/error_codes.rs`.
#[error_code]
pub enum StrataError {
    // --- arithmetic and core -------------------------------------------------------
    #[msg("Arithmetic overflow, underflow or division by zero")]
    MathOverflow = 0,
    #[msg("Oracle price or EMA price is zero or negative")]
    NonPositivePrice = 1,
    #[msg("Oracle price is outside the range the protocol can represent")]
    PriceOutOfRange = 2,
    #[msg("Oracle price is older than the collateral's max_age_secs")]
    StalePrice = 3,
    #[msg("Oracle confidence interval is wider than the collateral's max_conf_bps")]
    ConfidenceTooWide = 4,
    #[msg("Spot price deviates from the EMA by more than max_ema_deviation_bps")]
    EmaDeviationTooLarge = 5,
    #[msg("Debt would exceed the collateral's borrowing power at the conservative price")]
    InsufficientCollateralValue = 6,
    #[msg("Pool debt would exceed its debt ceiling")]
    DebtCeilingExceeded = 7,
    #[msg("Debt would be left above zero but below the pool's min_debt")]
    DebtBelowMinimum = 8,
    #[msg("Amount must be greater than zero")]
    ZeroAmount = 9,
    #[msg("Position has no debt to repay")]
    NoDebt = 10,
    #[msg("Position is healthy at spot prices: it cannot be liquidated")]
    PositionHealthy = 11,
    #[msg("Position holds none of this collateral")]
    NoCollateralToSeize = 12,
    #[msg("Seizing this collateral would lower the position's health; liquidate another collateral")]
    LiquidationWouldLowerHealth = 13,
    #[msg("Insolvent position: the repayment must cover all its collateral at the bonus")]
    ShortfallRepayTooLow = 14,

    // --- signers and ownership -----------------------------------------------------
    #[msg("Signer is not the pool authority")]
    Unauthorized = 15,
    #[msg("Signer is not the pending authority")]
    NotPendingAuthority = 16,
    #[msg("No authority hand-over is pending")]
    NoPendingAuthority = 17,
    #[msg("Signer does not own this position")]
    NotPositionOwner = 18,
    #[msg("Account belongs to another pool")]
    PoolMismatch = 19,
    #[msg("Token account is not owned by the expected wallet")]
    TokenOwnerMismatch = 20,
    #[msg("The same account was passed for two different roles")]
    DuplicateAccount = 21,
    #[msg("Account is already initialized")]
    AlreadyInitialized = 22,

    // --- collateral and token accounts ---------------------------------------------
    #[msg("Collateral index is not a listed collateral of this pool")]
    InvalidCollateralIndex = 23,
    #[msg("The pool already lists 8 collateral assets")]
    TooManyCollaterals = 24,
    #[msg("This mint is already listed as collateral in the pool")]
    CollateralAlreadyListed = 25,
    #[msg("The note mint cannot be its own collateral")]
    NoteMintAsCollateral = 26,
    #[msg("Mint does not match the collateral's configured mint")]
    CollateralMintMismatch = 27,
    #[msg("Vault does not match the collateral's configured vault")]
    VaultMismatch = 28,
    #[msg("Token program does not match the collateral's token program")]
    TokenProgramMismatch = 29,
    #[msg("Mint is not the pool's note mint")]
    NoteMintMismatch = 30,
    #[msg("Token-2022 mint has an extension that breaks the pool's accounting")]
    UnsupportedMintExtension = 31,
    #[msg("Deposit would exceed the collateral's deposit cap")]
    DepositCapExceeded = 32,
    #[msg("Position holds less of this collateral than requested")]
    InsufficientCollateral = 33,
    #[msg("Token account balance is lower than the amount")]
    InsufficientFunds = 34,
    #[msg("Position still holds collateral or debt")]
    PositionNotEmpty = 35,

    // --- oracle --------------------------------------------------------------------
    #[msg("Oracle account is not the one configured for this collateral")]
    OracleMismatch = 36,
    #[msg("Oracle account is not owned by the expected Pyth program")]
    OracleOwnerMismatch = 37,
    #[msg("Oracle account data is not a valid Pyth price account")]
    InvalidOracleData = 38,
    #[msg("Pyth price status is not Trading")]
    OracleNotTrading = 39,
    #[msg("Pyth price update is not fully verified")]
    OracleNotFullyVerified = 40,
    #[msg("Pyth price update is for another feed id")]
    FeedIdMismatch = 41,

    // --- admin parameters and modes ------------------------------------------------
    #[msg("Pool parameters are outside their allowed bounds")]
    InvalidPoolParams = 42,
    #[msg("Collateral risk parameters are outside their allowed bounds")]
    InvalidCollateralParams = 43,
    #[msg("Unknown pause flag bits")]
    InvalidPauseFlags = 44,
    #[msg("This instruction family is paused")]
    Paused = 45,
    #[msg("Minting is disabled while the pool is in Turbo mode")]
    TurboMode = 46,
    #[msg("An account invariant does not hold")]
    InvariantViolation = 47,
    #[msg("Collateral paid out is below min_collateral_out")]
    SlippageExceeded = 48,
    #[msg("Position was already liquidated in this slot")]
    AlreadyLiquidatedThisSlot = 49,
    #[msg("Settling an insolvent position needs the accounts of every collateral it holds")]
    MissingCollateralAccounts = 50,
    #[msg("Withdrawal asks for more shares than exist")]
    InsufficientShares = 51,
    #[msg("The pool has no tranche")]
    NoTranches = 52,
    #[msg("The tranches hold no notes to absorb with")]
    TranchesEmpty = 53,
    #[msg("Tranche index is not the next one or not an existing tranche")]
    InvalidTrancheIndex = 54,
    #[msg("The pool already has 4 tranches")]
    TooManyTranches = 55,
    #[msg("Tranche parameters are outside their allowed bounds")]
    InvalidTrancheParams = 56,
    #[msg("The pool's tranche accounts (and vaults) are missing or out of order")]
    MissingTrancheAccounts = 57,
    #[msg("This would leave a more senior tranche below its minimum subordination")]
    SubordinationBreached = 58,
    #[msg("A loss is pending: tranche deposits and withdrawals wait until it is booked")]
    LossPending = 59,
    #[msg("This wallet is not on the pool's allowlist")]
    NotAllowlisted = 60,
    #[msg("The position is already reported insolvent")]
    ShortfallAlreadyFlagged = 61,
    #[msg("The position is not reported insolvent")]
    ShortfallNotFlagged = 62,
    #[msg("The position's collateral covers its debt")]
    PositionSolvent = 63,
    #[msg("The position's collateral still does not cover its debt")]
    PositionInsolvent = 64,
    #[msg("The tranche has lost (nearly) all its value: new shares cannot be issued")]
    SharePriceTooLow = 65,
    // --- appended (codes are permanent: add new variants at the end) ------------
    #[msg("Share mint does not match the tranche's share mint")]
    ShareMintMismatch = 66,
    #[msg("Treasury does not match the pool's treasury")]
    TreasuryMismatch = 67,
    #[msg("Account passed as a tranche is not a Strata tranche account")]
    NotATranche = 68,
    #[msg("Tranche accounts are not in index order")]
    TrancheOutOfOrder = 69,
    #[msg("Vault does not match the tranche's note vault")]
    TrancheVaultMismatch = 70,
    #[msg("A liquidate_batch names more positions than MAX_BATCH_POSITIONS")]
    BatchTooLarge = 71,
    #[msg("The redemption delay must exceed every collateral's max_age_secs by 60 s (and be at most 30 days)")]
    RedemptionDelayTooShort = 72,
    #[msg("The redemption delay since the request has not passed yet")]
    RedemptionNotReady = 73,
    #[msg("No redemption request of this holder exists for this tranche")]
    NoRedemptionRequest = 74,
    #[msg("This wallet already has a redemption request for this tranche: claim or cancel it first")]
    RedemptionAlreadyRequested = 75,
    #[msg("The redemption request belongs to another holder")]
    NotRequestOwner = 76,
    #[msg("Account is not the tranche's share escrow")]
    ShareEscrowMismatch = 77,
    #[msg("Refresh the oracle of every collateral the tranche holds in the same transaction first")]
    RefreshRequired = 78,
    #[msg("Token account is not of the expected mint")]
    TokenMintMismatch = 79,
    #[msg("Account passed as a position is not a Strata position account")]
    NotAPosition = 80,
    #[msg("The pool is open: its shares are not frozen, there is nothing to thaw or freeze")]
    NotPermissioned = 81,
    #[msg("The share account is frozen: only an allowlisted owner's account is thawed (thaw_share_account)")]
    ShareAccountFrozen = 82,
    #[msg("A permissioned pool's shares are held only in the wallet's associated share account")]
    NotAssociatedShareAccount = 83,
    #[msg("Pass [tranche, share mint, the wallet's share account] for every tranche, in index order")]
    InvalidFreezeAccounts = 84,
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
            CoreError::SubordinationBreached => StrataError::SubordinationBreached,
            CoreError::RedemptionNotReady => StrataError::RedemptionNotReady,
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
