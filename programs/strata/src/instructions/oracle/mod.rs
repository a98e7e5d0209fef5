//! Oracle instructions (permissionless).

pub mod refresh_oracle;

pub use refresh_oracle::*;
