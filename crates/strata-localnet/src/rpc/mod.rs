//! Solana JSON-RPC over the cluster: the method table, and the glue that turns every
//! handler's outcome, a panic included, into a result or a JSON-RPC error.

mod accounts;
mod chain;
mod dev;
mod error;
mod history;
pub mod jsonrpc;
mod params;
pub mod subscriptions;
mod tokens;
mod transactions;

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, OnceLock};

use serde::Serialize;
use serde_json::value::RawValue;

use crate::cluster::Cluster;
use error::{internal, invalid_params, RpcError, RpcResult};
pub use params::Params;

/// A call's result as JSON, or its error.
pub type RpcOutcome = RpcResult<Box<RawValue>>;

type Handler = Arc<dyn Fn(&Cluster, Params) -> RpcResult<Box<RawValue>> + Send + Sync>;

/// A method: its handler, how many parameters it takes at most, and whether it may
/// wait (for the bank's writer, a scan, a slot to close): those run on blocking
/// threads, the others on the server's own.
struct Method {
    handler: Handler,
    max_params: usize,
    blocking: bool,
}

/// Calls `method`. Too many parameters is `-32602`, as on a validator.
pub async fn call(cluster: &Arc<Cluster>, method: &str, params: Params) -> RpcOutcome {
    let Some(entry) = methods().get(method) else {
        return Err(RpcError::method_not_found());
    };
    if params.len() > entry.max_params {
        return Err(invalid_params(format!(
            "Invalid params: invalid length {}, expected fewer elements in array.",
            params.len()
        )));
    }
    if !entry.blocking {
        return run(&entry.handler, cluster, params);
    }
    let (handler, cluster) = (entry.handler.clone(), cluster.clone());
    tokio::task::spawn_blocking(move || run(&handler, &cluster, params))
        .await
        .unwrap_or_else(|_| Err(internal("internal error: the request handler panicked")))
}

/// Runs a handler; a panic is an internal error (the server keeps serving).
fn run(handler: &Handler, cluster: &Cluster, params: Params) -> RpcResult<Box<RawValue>> {
    catch_unwind(AssertUnwindSafe(|| handler(cluster, params)))
        .unwrap_or_else(|_| Err(internal("internal error: the request handler panicked")))
}

fn methods() -> &'static HashMap<&'static str, Method> {
    static METHODS: OnceLock<HashMap<&'static str, Method>> = OnceLock::new();
    METHODS.get_or_init(|| {
        let mut table = Table::default();
        // Reads that never wait: on the server's own threads.
        table.fast("getHealth", 0, chain::get_health);
        table.fast("getVersion", 0, chain::get_version);
        table.fast("getGenesisHash", 0, chain::get_genesis_hash);
        table.fast("getIdentity", 0, chain::get_identity);
        table.fast("getSlot", 1, chain::get_slot);
        table.fast("getBlockHeight", 1, chain::get_block_height);
        table.fast("getEpochInfo", 1, chain::get_epoch_info);
        table.fast("getLatestBlockhash", 1, chain::get_latest_blockhash);
        table.fast("isBlockhashValid", 2, chain::is_blockhash_valid);
        table.fast("getMinimumBalanceForRentExemption", 2, chain::get_minimum_balance_for_rent_exemption);
        table.fast("getFeeForMessage", 2, chain::get_fee_for_message);
        table.fast("getRecentPrioritizationFees", 1, chain::get_recent_prioritization_fees);
        table.fast("getBalance", 2, accounts::get_balance);
        table.fast("getAccountInfo", 2, accounts::get_account_info);
        table.fast("getMultipleAccounts", 2, accounts::get_multiple_accounts);
        table.fast("getSignatureStatuses", 2, history::get_signature_statuses);
        table.fast("getTransaction", 2, history::get_transaction);
        table.fast("getSignaturesForAddress", 2, history::get_signatures_for_address);
        table.fast("getBlock", 2, history::get_block);
        table.fast("getBlocks", 3, history::get_blocks);
        table.fast("getBlocksWithLimit", 3, history::get_blocks_with_limit);
        table.fast("getBlockTime", 1, history::get_block_time);
        table.fast("getFirstAvailableBlock", 0, history::get_first_available_block);
        table.fast("minimumLedgerSlot", 0, history::minimum_ledger_slot);
        table.fast("getTokenAccountBalance", 2, tokens::get_token_account_balance);
        table.fast("getTokenSupply", 2, tokens::get_token_supply);
        // Scans, and anything that waits for the bank's writer or a slot to close.
        table.blocking("getProgramAccounts", 2, accounts::get_program_accounts);
        table.blocking("getTokenAccountsByOwner", 3, tokens::get_token_accounts_by_owner);
        table.blocking("getTokenAccountsByDelegate", 3, tokens::get_token_accounts_by_delegate);
        table.blocking("getTokenLargestAccounts", 2, tokens::get_token_largest_accounts);
        table.blocking("sendTransaction", 2, transactions::send_transaction);
        table.blocking("simulateTransaction", 2, transactions::simulate_transaction);
        table.blocking("requestAirdrop", 3, transactions::request_airdrop);
        table.blocking("strata_setPythLegacyPrice", 2, dev::set_pyth_legacy_price);
        table.blocking("strata_setPythPullPrice", 2, dev::set_pyth_pull_price);
        table.blocking("strata_setAccount", 2, dev::set_account);
        table.blocking("strata_advanceClock", 1, dev::advance_clock);
        table.0
    })
}

#[derive(Default)]
struct Table(HashMap<&'static str, Method>);

impl Table {
    fn fast<T: Serialize + 'static>(
        &mut self,
        name: &'static str,
        max_params: usize,
        handler: fn(&Cluster, Params) -> RpcResult<T>,
    ) {
        self.add(name, max_params, false, handler);
    }

    fn blocking<T: Serialize + 'static>(
        &mut self,
        name: &'static str,
        max_params: usize,
        handler: fn(&Cluster, Params) -> RpcResult<T>,
    ) {
        self.add(name, max_params, true, handler);
    }

    fn add<T: Serialize + 'static>(
        &mut self,
        name: &'static str,
        max_params: usize,
        blocking: bool,
        handler: fn(&Cluster, Params) -> RpcResult<T>,
    ) {
        let handler: Handler = Arc::new(move |cluster, params| {
            let result = handler(cluster, params)?;
            serde_json::value::to_raw_value(&result)
                .map_err(|error| internal(format!("cannot encode the result: {error}")))
        });
        self.0.insert(name, Method { handler, max_params, blocking });
    }
}
