//! Native integration tests: Strata runs natively inside solana-program-test's bank,
//! next to the real SPL Token, Token-2022 and Associated Token programs.
//!
//! Every rejection test asserts the exact named error **and** that no account the
//! transaction names changed (`Fixture::expect_error`).

mod admin;
mod closed_pools;
mod deposit_withdraw;
mod liquidation;
mod liquidation_batch;
mod mint_repay;
mod oracle;
mod positions;
mod redemptions;
mod support;
mod tranche_attacks;
mod tranche_losses;
mod tranche_recovery;
mod tranches;
