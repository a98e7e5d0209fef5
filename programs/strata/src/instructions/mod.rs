//! One file per instruction: its arguments, accounts, `validate` and handler.

pub mod admin;
pub mod common;
pub mod liquidation;
pub mod oracle;
pub mod position;
pub mod views;

pub use admin::*;
pub use liquidation::*;
pub use oracle::*;
pub use position::*;
pub use views::*;
