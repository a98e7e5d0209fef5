//! Sequence fuzzing of Strata's accounting core.
//!
//! Random sequences of deposits, withdrawals, mints, repayments, price moves,
//! accrual, distributions and coverage tests (Turbo mode), liquidations, absorptions,
//! tranche deposits and queued redemptions (request, claim, cancel) run against a
//! plain-Rust [`model::Model`] of a pool that changes state only through
//! `strata-core`, as the program's handlers do, with exact token ledgers beside it.
//! After every step PROTOCOL.md's invariants are checked ([`invariants`]).
//!
//! The sequences are `proptest-state-machine` transitions ([`machine`]): when one
//! breaks an invariant, proptest shrinks it (drops steps, shrinks amounts) and the
//! campaign reports the smallest sequence that still breaks it.

pub mod campaign;
pub mod invariants;
pub mod machine;
pub mod model;
pub mod ops;

pub use campaign::{run, Failure, Report, Settings};
