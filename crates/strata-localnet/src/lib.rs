//! Strata's embedded local cluster: a solana-runtime bank with Strata loaded natively
//! beside the real SPL Token, Token-2022, Associated Token and Memo programs, served
//! as Solana JSON-RPC over HTTP, so that wallets, the TypeScript client and keeper bots
//! talk to it as to a validator. See the crate's README for the methods.

// solana-program-test and the runtime crates of the 3.1 line mark their API "to become
// agave-unstable-api" with #[deprecated]; it is the supported way to run a bank here.
#![allow(deprecated)]

mod anchor_logs;
mod cluster;
mod events;
mod executor;
mod genesis;
mod history;
mod http;
mod ledger;
mod native_logs;
mod rpc;
mod server;
mod ws;

pub use cluster::AIRDROP_CAP_LAMPORTS;
pub use history::{HistoryLimits, BLOCK_CAPACITY, BYTE_CAPACITY, TRANSACTION_CAPACITY};
pub use server::{
    start, start_with, Config, LocalCluster, DEFAULT_MAX_WEBSOCKET_CONNECTIONS, DEFAULT_PORT, MAX_BODY_BYTES,
};
