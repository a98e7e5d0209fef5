//! Solana JSON-RPC over the cluster: the method table and the glue that turns every
//! handler's outcome, a panic included, into a JSON-RPC response.

mod accounts;
mod chain;
mod dev;
mod encode;
mod error;
mod history;
mod params;
mod subscriptions;
mod transactions;

use std::panic::{catch_unwind, AssertUnwindSafe};

use jsonrpsee::core::RegisterMethodError;
use jsonrpsee::types::Params;
use jsonrpsee::RpcModule;
use serde::Serialize;

use crate::cluster::Cluster;
use error::{internal, RpcResult};

type Handler<T> = fn(&Cluster, Params) -> RpcResult<T>;

/// Every method the cluster serves.
pub fn module(cluster: Cluster) -> Result<RpcModule<Cluster>, RegisterMethodError> {
    let mut module = RpcModule::new(cluster);
    // Reads that never wait for the writer (bank, history): on the server's own threads.
    fast(&mut module, "getHealth", chain::get_health)?;
    fast(&mut module, "getVersion", chain::get_version)?;
    fast(&mut module, "getGenesisHash", chain::get_genesis_hash)?;
    fast(&mut module, "getIdentity", chain::get_identity)?;
    fast(&mut module, "getSlot", chain::get_slot)?;
    fast(&mut module, "getBlockHeight", chain::get_block_height)?;
    fast(&mut module, "getEpochInfo", chain::get_epoch_info)?;
    fast(&mut module, "getLatestBlockhash", chain::get_latest_blockhash)?;
    fast(&mut module, "isBlockhashValid", chain::is_blockhash_valid)?;
    fast(&mut module, "getMinimumBalanceForRentExemption", chain::get_minimum_balance_for_rent_exemption)?;
    fast(&mut module, "getFeeForMessage", chain::get_fee_for_message)?;
    fast(&mut module, "getRecentPrioritizationFees", chain::get_recent_prioritization_fees)?;
    fast(&mut module, "getBalance", accounts::get_balance)?;
    fast(&mut module, "getAccountInfo", accounts::get_account_info)?;
    fast(&mut module, "getMultipleAccounts", accounts::get_multiple_accounts)?;
    fast(&mut module, "getSignatureStatuses", history::get_signature_statuses)?;
    fast(&mut module, "getTransaction", history::get_transaction)?;
    // Scans, and anything that waits for the bank's writer lock: on blocking threads.
    blocking(&mut module, "getProgramAccounts", accounts::get_program_accounts)?;
    blocking(&mut module, "sendTransaction", transactions::send_transaction)?;
    blocking(&mut module, "simulateTransaction", transactions::simulate_transaction)?;
    blocking(&mut module, "requestAirdrop", transactions::request_airdrop)?;
    blocking(&mut module, "strata_setPythLegacyPrice", dev::set_pyth_legacy_price)?;
    blocking(&mut module, "strata_setPythPullPrice", dev::set_pyth_pull_price)?;
    blocking(&mut module, "strata_setAccount", dev::set_account)?;
    blocking(&mut module, "strata_advanceClock", dev::advance_clock)?;
    subscriptions::register(&mut module)?;
    Ok(module)
}

fn fast<T: Serialize + 'static>(
    module: &mut RpcModule<Cluster>,
    name: &'static str,
    handler: Handler<T>,
) -> Result<(), RegisterMethodError> {
    module.register_method(name, move |params, cluster, _| respond(|| handler(cluster, params)))?;
    Ok(())
}

fn blocking<T: Serialize + 'static>(
    module: &mut RpcModule<Cluster>,
    name: &'static str,
    handler: Handler<T>,
) -> Result<(), RegisterMethodError> {
    module.register_blocking_method(name, move |params, cluster, _| respond(|| handler(&cluster, params)))?;
    Ok(())
}

/// Runs a handler; its result as JSON, its error as is, a panic as an internal error
/// (the server keeps serving).
fn respond<T: Serialize>(handler: impl FnOnce() -> RpcResult<T>) -> RpcResult<serde_json::Value> {
    match catch_unwind(AssertUnwindSafe(handler)) {
        Ok(result) => {
            serde_json::to_value(result?).map_err(|error| internal(format!("cannot encode the result: {error}")))
        }
        Err(_) => Err(internal("internal error: the request handler panicked")),
    }
}
