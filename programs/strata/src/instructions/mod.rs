//! One file per instruction: its arguments, accounts, `validate` and handler.

pub mod admin;
pub mod common;
pub mod liquidation;
pub mod oracle;
pub mod payouts;
pub mod position;
pub mod tranche;
pub mod views;

pub use admin::*;
pub use liquidation::*;
pub use oracle::*;
pub use position::*;
pub use tranche::*;
pub use views::*;
