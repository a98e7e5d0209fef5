//! One file per instruction: its arguments, accounts, `validate` and handler.

pub mod admin;
pub mod common;
pub mod oracle;
pub mod position;

pub use admin::*;
pub use oracle::*;
pub use position::*;
