//! Sending, simulating and airdropping.

use jsonrpsee::types::{ErrorObjectOwned, Params};
use solana_account_decoder::{UiAccount, UiAccountEncoding};
use solana_rpc_client_api::config::{
    RpcAccountInfoConfig, RpcRequestAirdropConfig, RpcSendTransactionConfig, RpcSimulateTransactionConfig,
};
use solana_rpc_client_api::custom_error::RpcCustomError;
use solana_rpc_client_api::response::{Response, RpcBlockhash, RpcResponseContext, RpcSimulateTransactionResult};
use solana_transaction_status_client_types::{
    UiInnerInstructions, UiLoadedAddresses, UiTransactionEncoding, UiTransactionTokenBalance,
};

use super::accounts::encode_account;
use super::error::{custom, internal, invalid_params, RpcResult};
use super::params::{bank_at, decode_transaction, parse_pubkey, Args};
use crate::cluster::{Cluster, Rejected, SimulateOptions, Simulation, SubmitError};
use crate::executor;

/// Verifies, simulates (unless `skipPreflight`), executes; returns the signature once
/// the transaction is committed. A failed preflight is error -32002 carrying the
/// simulation (logs, error), as on a validator.
pub fn send_transaction(cluster: &Cluster, params: Params) -> RpcResult<String> {
    let mut args = Args::new(&params);
    let encoded = args.required::<String>()?;
    let config = args.optional::<RpcSendTransactionConfig>()?.unwrap_or_default();
    let transaction = decode_transaction(&encoded, config.encoding.unwrap_or(UiTransactionEncoding::Base58))?;
    bank_at(cluster, config.min_context_slot)?;
    match cluster.submit(transaction, !config.skip_preflight) {
        Ok(signature) => Ok(signature.to_string()),
        Err(SubmitError::Preflight(simulation)) => {
            let message = match &simulation.result.result {
                Err(error) => format!("Transaction simulation failed: {error}"),
                Ok(()) => "Transaction simulation failed".to_string(),
            };
            let result = simulation_result(*simulation, None, false);
            Err(custom(RpcCustomError::SendTransactionPreflightFailure { message, result }))
        }
        Err(SubmitError::Rejected(rejected)) => Err(rejection(rejected)),
    }
}

pub fn simulate_transaction(cluster: &Cluster, params: Params) -> RpcResult<Response<RpcSimulateTransactionResult>> {
    let mut args = Args::new(&params);
    let encoded = args.required::<String>()?;
    let config = args.optional::<RpcSimulateTransactionConfig>()?.unwrap_or_default();
    if config.sig_verify && config.replace_recent_blockhash {
        return Err(invalid_params("sigVerify may not be used with replaceRecentBlockhash"));
    }
    let transaction = decode_transaction(&encoded, config.encoding.unwrap_or(UiTransactionEncoding::Base58))?;
    bank_at(cluster, config.min_context_slot)?;
    let options = SimulateOptions {
        verify_signatures: config.sig_verify,
        replace_recent_blockhash: config.replace_recent_blockhash,
        record_inner_instructions: config.inner_instructions,
    };
    let simulation = cluster.simulate(transaction, options).map_err(rejection)?;
    let accounts = match &config.accounts {
        Some(requested) => Some(simulated_accounts(cluster, &simulation, &requested.addresses, requested.encoding)?),
        None => None,
    };
    let slot = simulation.slot;
    Ok(Response {
        context: RpcResponseContext::new(slot),
        value: simulation_result(simulation, accounts, config.inner_instructions),
    })
}

/// Sends lamports from the faucet; returns the transfer's signature.
pub fn request_airdrop(cluster: &Cluster, params: Params) -> RpcResult<String> {
    let mut args = Args::new(&params);
    let to = args.pubkey()?;
    let lamports = args.required::<u64>()?;
    let _config = args.optional::<RpcRequestAirdropConfig>()?;
    cluster
        .airdrop(&to, lamports)
        .map(|signature| signature.to_string())
        .map_err(|error| internal(format!("airdrop request failed: {error}")))
}

fn rejection(rejected: Rejected) -> ErrorObjectOwned {
    match rejected {
        Rejected::Invalid(error) => invalid_params(format!("invalid transaction: {error}")),
        Rejected::SignatureFailure => custom(RpcCustomError::TransactionSignatureVerificationFailure),
    }
}

/// The accounts a client asked to see after the simulation, as it left them.
fn simulated_accounts(
    cluster: &Cluster,
    simulation: &Simulation,
    addresses: &[String],
    encoding: Option<UiAccountEncoding>,
) -> RpcResult<Vec<Option<UiAccount>>> {
    let encoding = encoding.unwrap_or(UiAccountEncoding::Base64);
    if matches!(encoding, UiAccountEncoding::Binary | UiAccountEncoding::Base58) {
        return Err(invalid_params("base58 encoding not supported"));
    }
    if addresses.len() > simulation.account_count {
        return Err(invalid_params(format!("Too many accounts provided; max {}", simulation.account_count)));
    }
    let bank = cluster.ledger.working_bank();
    let config = RpcAccountInfoConfig { encoding: Some(encoding), ..RpcAccountInfoConfig::default() };
    addresses
        .iter()
        .map(|address| {
            let key = parse_pubkey(address)?;
            let after = simulation.result.post_simulation_accounts.iter().find(|(k, _)| *k == key);
            let account = match after {
                Some((_, account)) => Some(account.clone()),
                None => bank.get_account(&key),
            };
            account.map(|account| encode_account(&bank, &key, &account, &config)).transpose()
        })
        .collect()
}

fn simulation_result(
    simulation: Simulation,
    accounts: Option<Vec<Option<UiAccount>>>,
    with_inner_instructions: bool,
) -> RpcSimulateTransactionResult {
    let result = simulation.result;
    let token_balances = |infos: Option<Vec<_>>| {
        infos.map(|infos| executor::token_balances(infos).into_iter().map(UiTransactionTokenBalance::from).collect())
    };
    let inner_instructions = match (with_inner_instructions, result.inner_instructions) {
        (true, Some(list)) => {
            Some(executor::inner_instructions(list).into_iter().map(UiInnerInstructions::from).collect())
        }
        _ => None,
    };
    RpcSimulateTransactionResult {
        err: result.result.err().map(Into::into),
        logs: Some(result.logs),
        accounts,
        units_consumed: Some(result.units_consumed),
        loaded_accounts_data_size: Some(result.loaded_accounts_data_size),
        return_data: result.return_data.map(Into::into),
        inner_instructions,
        replacement_blockhash: simulation.replacement_blockhash.map(|(blockhash, last_valid_block_height)| {
            RpcBlockhash { blockhash: blockhash.to_string(), last_valid_block_height }
        }),
        fee: result.fee,
        pre_balances: result.pre_balances,
        post_balances: result.post_balances,
        pre_token_balances: token_balances(result.pre_token_balances),
        post_token_balances: token_balances(result.post_token_balances),
        loaded_addresses: Some(UiLoadedAddresses::from(&simulation.loaded_addresses)),
    }
}
