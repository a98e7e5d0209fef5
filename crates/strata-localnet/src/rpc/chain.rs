//! The cluster's state: slots, blockhashes, epochs, fees, rent, version, identity.
//!
//! `processed` reads the working bank, `confirmed` and `finalized` (the default) the
//! last closed slot (`params::bank_at`).

use solana_commitment_config::CommitmentConfig;
use solana_epoch_info::EpochInfo;
use solana_message::{SanitizedMessage, SanitizedVersionedMessage, VersionedMessage};
use solana_rpc_client_api::config::RpcContextConfig;
use solana_rpc_client_api::response::{Response, RpcBlockhash, RpcIdentity, RpcPrioritizationFee, RpcVersionInfo};
use solana_system_interface::MAX_PERMITTED_DATA_LENGTH;
use solana_transaction::sanitized::MAX_TX_ACCOUNT_LOCKS;
use solana_transaction_status_client_types::UiTransactionEncoding;

use super::error::{invalid_params, RpcResult};
use super::params::{
    bank_at, context_bank, decode_wire, deserialize_wire, in_context, parse_hash, parse_pubkey, Args, Params,
};
use crate::cluster::Cluster;
use crate::ledger::latest_blockhash;

/// An account's largest data size. Lossless: the system program keeps it below 2^32.
const MAX_ACCOUNT_DATA_LEN: usize = MAX_PERMITTED_DATA_LENGTH as usize;

pub fn get_health(_: &Cluster, _: Params) -> RpcResult<&'static str> {
    Ok("ok")
}

pub fn get_version(_: &Cluster, _: Params) -> RpcResult<RpcVersionInfo> {
    let version = solana_version::Version::default();
    Ok(RpcVersionInfo { solana_core: version.to_string(), feature_set: Some(version.feature_set) })
}

pub fn get_genesis_hash(cluster: &Cluster, _: Params) -> RpcResult<String> {
    Ok(cluster.genesis_hash.to_string())
}

pub fn get_identity(cluster: &Cluster, _: Params) -> RpcResult<RpcIdentity> {
    Ok(RpcIdentity { identity: cluster.identity.to_string() })
}

pub fn get_slot(cluster: &Cluster, params: Params) -> RpcResult<u64> {
    Ok(context_bank(cluster, &params)?.slot())
}

pub fn get_block_height(cluster: &Cluster, params: Params) -> RpcResult<u64> {
    Ok(context_bank(cluster, &params)?.block_height())
}

pub fn get_epoch_info(cluster: &Cluster, params: Params) -> RpcResult<EpochInfo> {
    Ok(context_bank(cluster, &params)?.get_epoch_info())
}

pub fn get_latest_blockhash(cluster: &Cluster, params: Params) -> RpcResult<Response<RpcBlockhash>> {
    let bank = context_bank(cluster, &params)?;
    let (blockhash, last_valid_block_height) = latest_blockhash(&bank);
    Ok(in_context(&bank, RpcBlockhash { blockhash: blockhash.to_string(), last_valid_block_height }))
}

pub fn is_blockhash_valid(cluster: &Cluster, params: Params) -> RpcResult<Response<bool>> {
    let mut args = Args::new(&params);
    let blockhash = parse_hash(&args.required::<String>()?)?;
    let config = args.optional::<RpcContextConfig>()?.unwrap_or_default();
    let bank = bank_at(cluster, config.commitment, config.min_context_slot)?;
    Ok(in_context(&bank, bank.is_blockhash_valid(&blockhash)))
}

pub fn get_minimum_balance_for_rent_exemption(cluster: &Cluster, params: Params) -> RpcResult<u64> {
    let mut args = Args::new(&params);
    let data_len = args.required::<usize>()?;
    let commitment = args.optional::<CommitmentConfig>()?;
    // Rent arithmetic overflows far beyond any real size; no account exceeds 10 MiB.
    if data_len > MAX_ACCOUNT_DATA_LEN {
        return Err(invalid_params(format!(
            "data length {data_len} exceeds the {MAX_ACCOUNT_DATA_LEN}-byte account limit"
        )));
    }
    Ok(bank_at(cluster, commitment, None)?.get_minimum_balance_for_rent_exemption(data_len))
}

/// The fee for a base64 message, or `null` when its blockhash is unknown or expired.
pub fn get_fee_for_message(cluster: &Cluster, params: Params) -> RpcResult<Response<Option<u64>>> {
    const WHAT: &str = "solana_message::versions::VersionedMessage";
    let mut args = Args::new(&params);
    let encoded = args.required::<String>()?;
    let config = args.optional::<RpcContextConfig>()?.unwrap_or_default();
    let bytes = decode_wire(&encoded, UiTransactionEncoding::Base64, WHAT)?;
    let message: VersionedMessage = deserialize_wire(&bytes, WHAT)?;
    let message = SanitizedVersionedMessage::try_new(message)
        .map_err(|error| invalid_params(format!("invalid transaction message: {error}")))?;
    let bank = bank_at(cluster, config.commitment, config.min_context_slot)?;
    let message = SanitizedMessage::try_new(message, bank.as_ref(), bank.get_reserved_account_keys())
        .map_err(|error| invalid_params(format!("invalid transaction message: {error}")))?;
    Ok(in_context(&bank, bank.get_fee_for_message(&message)))
}

/// There is no fee market here: no recent slot paid a priority fee.
pub fn get_recent_prioritization_fees(_: &Cluster, params: Params) -> RpcResult<Vec<RpcPrioritizationFee>> {
    let accounts = Args::new(&params).optional::<Vec<String>>()?.unwrap_or_default();
    // A validator takes as many accounts as one transaction may lock.
    if accounts.len() > MAX_TX_ACCOUNT_LOCKS {
        return Err(invalid_params(format!("Too many inputs provided; max {MAX_TX_ACCOUNT_LOCKS}")));
    }
    for account in &accounts {
        parse_pubkey(account)?;
    }
    Ok(Vec::new())
}
