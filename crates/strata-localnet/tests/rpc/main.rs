//! The local cluster over real HTTP: each test starts its own cluster on a free port.

// The solana-program-test line marks its API deprecated (see the crate's lib.rs).
#![allow(deprecated)]

mod bad_requests;
mod chain;
mod commitment;
mod harness;
mod history;
mod strata;
mod subscriptions;
mod tokens;
mod transactions;
