//! Sending, simulating and airdropping.

use solana_account_decoder::{UiAccount, UiAccountEncoding};
use solana_commitment_config::{CommitmentConfig, CommitmentLevel};
use solana_rpc_client_api::config::{
    RpcAccountInfoConfig, RpcRequestAirdropConfig, RpcSendTransactionConfig, RpcSimulateTransactionConfig,
};
use solana_rpc_client_api::custom_error::RpcCustomError;
use solana_rpc_client_api::response::{Response, RpcBlockhash, RpcResponseContext, RpcSimulateTransactionResult};
use solana_transaction_status_client_types::{
    UiInnerInstructions, UiLoadedAddresses, UiTransactionEncoding, UiTransactionTokenBalance,
};

use solana_runtime::bank::Bank;

use super::accounts::encode_account;
use super::error::{custom, internal, invalid_params, RpcError, RpcResult};
use super::params::{bank_at, commitment_level, decode_transaction, parse_pubkey, Args, Params};
use crate::cluster::{AirdropError, Cluster, Rejected, SimulateOptions, Simulation, SubmitError, AIRDROP_CAP_LAMPORTS};
use crate::executor;

/// Verifies, simulates (unless `skipPreflight`; on the working bank, see
/// `Cluster::submit`), executes in the working slot; returns the signature once the
/// transaction is committed (`processed`). A failed preflight is error -32002 carrying
/// the simulation (logs, error), as on a validator.
pub fn send_transaction(cluster: &Cluster, params: Params) -> RpcResult<String> {
    let mut args = Args::new(&params);
    let encoded = args.required::<String>()?;
    let config = args.optional::<RpcSendTransactionConfig>()?.unwrap_or_default();
    let transaction = decode_transaction(&encoded, config.encoding.unwrap_or(UiTransactionEncoding::Base58))?;
    let level = config.preflight_commitment.unwrap_or(CommitmentLevel::Finalized);
    bank_at(cluster, Some(CommitmentConfig { commitment: level }), config.min_context_slot)?;
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
    bank_at(cluster, config.commitment, config.min_context_slot)?;
    let options = SimulateOptions {
        verify_signatures: config.sig_verify,
        replace_recent_blockhash: config.replace_recent_blockhash,
        record_inner_instructions: config.inner_instructions,
        commitment: commitment_level(config.commitment),
    };
    let simulation = cluster.simulate(transaction, options).map_err(rejection)?;
    let accounts = match &config.accounts {
        Some(requested) => {
            let bank = cluster.ledger.bank(options.commitment);
            Some(simulated_accounts(&bank, &simulation, &requested.addresses, requested.encoding)?)
        }
        None => None,
    };
    let slot = simulation.slot;
    Ok(Response {
        context: RpcResponseContext::new(slot),
        value: simulation_result(simulation, accounts, config.inner_instructions),
    })
}

/// Sends lamports from the faucet; returns the transfer's signature once its slot has
/// closed. A transfer that fails, or more than the faucet's cap per request, is an
/// internal error (-32603), as a validator answers when its faucet refuses.
pub fn request_airdrop(cluster: &Cluster, params: Params) -> RpcResult<String> {
    let mut args = Args::new(&params);
    let to = args.pubkey()?;
    let lamports = args.required::<u64>()?;
    let _config = args.optional::<RpcRequestAirdropConfig>()?;
    let refused = |reason: String| internal(format!("airdrop of {lamports} lamports refused: {reason}"));
    match cluster.airdrop(&to, lamports) {
        Ok(signature) => Ok(signature.to_string()),
        Err(AirdropError::OverCap) => {
            Err(refused(format!("the faucet hands out at most {AIRDROP_CAP_LAMPORTS} lamports per request")))
        }
        Err(AirdropError::Failed(error)) => Err(refused(format!("the transfer failed: {error}"))),
        Err(AirdropError::NotClosed) => Err(refused("its slot did not close in time".to_string())),
    }
}

fn rejection(rejected: Rejected) -> RpcError {
    match rejected {
        Rejected::Invalid(error) => invalid_params(format!("invalid transaction: {error}")),
        Rejected::SignatureFailure => custom(RpcCustomError::TransactionSignatureVerificationFailure),
    }
}

/// The accounts a client asked to see after the simulation, as it left them.
fn simulated_accounts(
    bank: &Bank,
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
            account.map(|account| encode_account(bank, &key, &account, &config)).transpose()
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
