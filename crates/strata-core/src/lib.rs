//! Strata's accounting core.
//!
//! Plain Rust over plain structs: no Anchor, no Solana types, no floats. The on-chain
//! program, the fuzzers and the TypeScript mirror (through test vectors) all run these
//! exact functions, so on-chain and off-chain numbers never disagree.
//!
//! Units (see `PROTOCOL.md`, "Units and math"):
//! - token amounts are `u64` native units; notes have [`NOTE_DECIMALS`] decimals;
//! - prices are `*_wad: u128`, the value of one native collateral unit in native note
//!   units scaled by [`WAD`];
//! - ratios are basis points (`*_bps`), indexes are WAD.
//!
//! Every rounding is explicit ([`Rounding`]) and favours the protocol: collateral value
//! and shares issued round down, debt and shares burned round up.
#![no_std]
#![forbid(unsafe_code)]

pub mod absorb;
pub mod debt;
pub mod error;
pub mod flows;
pub mod health;
pub mod income;
pub mod liquidation;
pub mod math;
pub mod price;
#[cfg(any(test, feature = "strategies"))]
pub mod strategies;
#[cfg(test)]
mod test_support;
pub mod tranche;

pub use absorb::AbsorbPlan;
pub use debt::DebtState;
pub use error::{CoreError, CoreResult};
pub use health::{CollateralView, Health, PriceBasis};
pub use liquidation::{LiquidationPlan, LiquidationTerms, MAX_COLLATERALS};
pub use math::{mul_div, Rounding, SafeMath, BPS, SECONDS_PER_YEAR, WAD};
pub use price::{CachedPrice, OracleSample, PriceLimits, NOTE_DECIMALS};
pub use tranche::{TrancheState, MAX_TRANCHES};
