//! Tranche flows: deposits, withdrawals, income distribution, the coverage test.

pub mod check_coverage;
pub mod distribute;
pub mod set;
pub mod tranche_deposit;
pub mod tranche_withdraw;

pub use check_coverage::*;
pub use distribute::*;
pub use tranche_deposit::*;
pub use tranche_withdraw::*;
