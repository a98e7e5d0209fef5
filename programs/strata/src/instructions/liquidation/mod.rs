//! Permissionless liquidation, cranked by keepers.

pub mod liquidate;
pub mod liquidate_batch;
pub mod plan;

pub use liquidate::*;
pub use liquidate_batch::*;
