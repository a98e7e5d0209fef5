//! Permissionless liquidation, cranked by keepers.

pub mod absorb;
pub mod flag_shortfall;
pub mod keeper;
pub mod liquidate;
pub mod liquidate_batch;
pub mod plan;

pub use absorb::*;
pub use flag_shortfall::*;
pub use keeper::*;
pub use liquidate::*;
pub use liquidate_batch::*;
