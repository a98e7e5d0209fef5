//! Strata's native test bench.
//!
//! solana-program-test's bank with Strata loaded natively (through `processor!`) and
//! the real SPL Token, Token-2022 and Associated Token programs (SBF binaries shipped
//! with solana-program-test) running in the real VM. Used by the program's
//! integration tests, the end-to-end scenario and the benchmarks.

// solana-program-test 3.1 marks its whole API "to become agave-unstable-api" with
// #[deprecated]; it is the supported way to run programs natively on this line.
#![allow(deprecated)]

pub mod events;
pub mod fixture;
pub mod ix;
pub mod lookup;
pub mod pool;
pub mod pyth;
pub mod tokens;

pub use fixture::{program_test, strata_processor, Fixture, TxOutcome, START_TIME};
pub use pool::{CollateralSpec, TestCollateral, TestPool, TestUser};
pub use pyth::PriceSpec;

pub use anchor_lang::prelude::Pubkey;
pub use anchor_lang::solana_program::instruction::Instruction;
pub use solana_account::Account;
pub use solana_keypair::Keypair;
pub use solana_message::AddressLookupTableAccount;
pub use solana_signer::Signer;
pub use solana_transaction::versioned::VersionedTransaction;

/// Whole tokens to native units.
pub fn units(whole: u64, decimals: u8) -> u64 {
    whole * 10u64.pow(u32::from(decimals))
}
