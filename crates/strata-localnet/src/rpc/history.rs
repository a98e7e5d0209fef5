//! The cluster's past: transaction statuses and transactions with their metadata,
//! signatures by address, blocks. Everything is built with Solana's own types
//! (`solana-transaction-status` encodes transactions and blocks in every encoding,
//! `jsonParsed` included), from the bounded in-memory history (`crate::history`).
//!
//! A transaction is `processed` in the working slot and `finalized` once its slot has
//! closed (one validator, no forks: it is rooted at once). As on a validator, history
//! reads refuse `processed`.

use std::sync::Arc;

use solana_commitment_config::{CommitmentConfig, CommitmentLevel};
use solana_rpc_client_api::config::{
    RpcBlockConfig, RpcBlocksConfigWrapper, RpcContextConfig, RpcEncodingConfigWrapper, RpcSignatureStatusConfig,
    RpcSignaturesForAddressConfig, RpcTransactionConfig,
};
use solana_rpc_client_api::custom_error::RpcCustomError;
use solana_rpc_client_api::request::{
    MAX_GET_CONFIRMED_BLOCKS_RANGE, MAX_GET_CONFIRMED_SIGNATURES_FOR_ADDRESS2_LIMIT,
    MAX_GET_SIGNATURE_STATUSES_QUERY_ITEMS,
};
use solana_rpc_client_api::response::{Response, RpcConfirmedTransactionStatusWithSignature};
use solana_transaction_status::extract_memos::extract_and_fmt_memos;
use solana_transaction_status::{
    BlockEncodingOptions, ConfirmedBlock, ConfirmedTransactionWithStatusMeta, EncodeError, TransactionWithStatusMeta,
};
use solana_transaction_status_client_types::{
    EncodedConfirmedTransactionWithStatusMeta, TransactionConfirmationStatus, TransactionDetails, TransactionStatus,
    UiConfirmedBlock, UiTransactionEncoding,
};

use super::error::{custom, invalid_params, RpcError, RpcResult};
use super::params::{commitment_level, in_context, parse_signature, Args, Params};
use crate::cluster::Cluster;
use crate::history::{Block, NoBlock};

/// Statuses of up to 256 signatures: `processed` (0 confirmations) in the working
/// slot, `finalized` once closed; unknown signatures are `null`.
pub fn get_signature_statuses(
    cluster: &Cluster,
    params: Params,
) -> RpcResult<Response<Vec<Option<TransactionStatus>>>> {
    let mut args = Args::new(&params);
    let signatures = args.required::<Vec<String>>()?;
    let _config = args.optional::<RpcSignatureStatusConfig>()?;
    if signatures.len() > MAX_GET_SIGNATURE_STATUSES_QUERY_ITEMS {
        return Err(invalid_params(format!("Too many inputs provided; max {MAX_GET_SIGNATURE_STATUSES_QUERY_ITEMS}")));
    }
    let signatures = signatures.iter().map(|text| parse_signature(text)).collect::<RpcResult<Vec<_>>>()?;
    // The working bank first: a transaction it holds is in one of the two.
    let bank = cluster.ledger.working_bank();
    let root = cluster.ledger.root_slot();
    let statuses = signatures
        .iter()
        .map(|signature| {
            cluster.history.get(signature).map(|record| {
                let status = record.with_meta.meta.status.clone();
                let finalized = record.slot <= root;
                TransactionStatus {
                    slot: record.slot,
                    confirmations: (!finalized).then_some(0),
                    err: status.clone().err(),
                    status,
                    confirmation_status: Some(match finalized {
                        true => TransactionConfirmationStatus::Finalized,
                        false => TransactionConfirmationStatus::Processed,
                    }),
                }
            })
        })
        .collect();
    Ok(in_context(&bank, statuses))
}

/// The transaction with its metadata in any encoding (`jsonParsed` parses the
/// message and the instructions of known programs), or `null` when the signature is
/// unknown or its slot has not closed.
pub fn get_transaction(
    cluster: &Cluster,
    params: Params,
) -> RpcResult<Option<EncodedConfirmedTransactionWithStatusMeta>> {
    let mut args = Args::new(&params);
    let signature = parse_signature(&args.required::<String>()?)?;
    let config = args
        .optional::<RpcEncodingConfigWrapper<RpcTransactionConfig>>()?
        .map(|wrapper| wrapper.convert_to_current())
        .unwrap_or_default();
    at_least_confirmed(config.commitment)?;
    let Some(record) = cluster.history.get(&signature) else {
        return Ok(None);
    };
    if record.slot > cluster.ledger.root_slot() {
        return Ok(None);
    }
    let encoding = config.encoding.unwrap_or(UiTransactionEncoding::Json);
    let confirmed = ConfirmedTransactionWithStatusMeta {
        slot: record.slot,
        tx_with_meta: TransactionWithStatusMeta::Complete(record.with_meta.clone()),
        block_time: Some(record.block_time),
    };
    confirmed.encode(encoding, config.max_supported_transaction_version).map(Some).map_err(encode_error)
}

/// Signatures of the transactions that reference an address, newest first (at most
/// 1,000; `before`, `until`), from closed slots.
pub fn get_signatures_for_address(
    cluster: &Cluster,
    params: Params,
) -> RpcResult<Vec<RpcConfirmedTransactionStatusWithSignature>> {
    let mut args = Args::new(&params);
    let address = args.pubkey()?;
    let config = args.optional::<RpcSignaturesForAddressConfig>()?.unwrap_or_default();
    at_least_confirmed(config.commitment)?;
    let limit = config.limit.unwrap_or(MAX_GET_CONFIRMED_SIGNATURES_FOR_ADDRESS2_LIMIT);
    if limit == 0 || limit > MAX_GET_CONFIRMED_SIGNATURES_FOR_ADDRESS2_LIMIT {
        return Err(invalid_params(format!("Invalid limit; max {MAX_GET_CONFIRMED_SIGNATURES_FOR_ADDRESS2_LIMIT}")));
    }
    let before = config.before.as_deref().map(parse_signature).transpose()?;
    let until = config.until.as_deref().map(parse_signature).transpose()?;
    let root = cluster.ledger.root_slot();
    min_context_slot(root, config.min_context_slot)?;
    let records = cluster.history.signatures_for_address(&address, root, before.as_ref(), until.as_ref(), limit);
    Ok(records
        .iter()
        .map(|record| RpcConfirmedTransactionStatusWithSignature {
            signature: record.signature().to_string(),
            slot: record.slot,
            err: record.with_meta.meta.status.clone().err().map(Into::into),
            memo: extract_and_fmt_memos(&record.with_meta),
            block_time: Some(record.block_time),
            confirmation_status: Some(TransactionConfirmationStatus::Finalized),
        })
        .collect())
}

/// A closed slot's block: `transactionDetails` `full` (default), `accounts`,
/// `signatures` or `none`, in any transaction encoding; no rewards (none are paid).
pub fn get_block(cluster: &Cluster, params: Params) -> RpcResult<UiConfirmedBlock> {
    let mut args = Args::new(&params);
    let slot = args.required::<u64>()?;
    let config = args
        .optional::<RpcEncodingConfigWrapper<RpcBlockConfig>>()?
        .map(|wrapper| wrapper.convert_to_current())
        .unwrap_or_default();
    at_least_confirmed(config.commitment)?;
    let block = closed_block(cluster, slot)?;
    let transactions = block
        .signatures
        .iter()
        .map(|signature| {
            let record = cluster.history.get(signature).ok_or(custom(RpcCustomError::BlockNotAvailable { slot }))?;
            Ok(TransactionWithStatusMeta::Complete(record.with_meta.clone()))
        })
        .collect::<RpcResult<Vec<_>>>()?;
    let confirmed = ConfirmedBlock {
        previous_blockhash: block.previous_blockhash.to_string(),
        blockhash: block.blockhash.to_string(),
        parent_slot: block.parent_slot,
        transactions,
        rewards: Vec::new(),
        num_partitions: None,
        block_time: Some(block.block_time),
        block_height: Some(block.block_height),
    };
    let options = BlockEncodingOptions {
        transaction_details: config.transaction_details.unwrap_or(TransactionDetails::Full),
        show_rewards: config.rewards.unwrap_or(true),
        max_supported_transaction_version: config.max_supported_transaction_version,
    };
    confirmed.encode_with_options(config.encoding.unwrap_or(UiTransactionEncoding::Json), options).map_err(encode_error)
}

/// The slots with a block from `start` to `end` (default: the last closed slot).
pub fn get_blocks(cluster: &Cluster, params: Params) -> RpcResult<Vec<u64>> {
    let mut args = Args::new(&params);
    let start = args.required::<u64>()?;
    let (end, config) = match args.optional::<RpcBlocksConfigWrapper>()? {
        Some(wrapper) => {
            let (end, config) = wrapper.unzip();
            (end, config.or(args.optional::<RpcContextConfig>()?))
        }
        None => (None, None),
    };
    let config = config.unwrap_or_default();
    at_least_confirmed(config.commitment)?;
    let root = cluster.ledger.root_slot();
    min_context_slot(root, config.min_context_slot)?;
    let end = end.unwrap_or(root).min(root);
    if end < start {
        return Ok(Vec::new());
    }
    if end - start > MAX_GET_CONFIRMED_BLOCKS_RANGE {
        return Err(invalid_params(format!("Slot range too large; max {MAX_GET_CONFIRMED_BLOCKS_RANGE}")));
    }
    Ok(cluster.history.block_slots(start, end, usize::MAX))
}

/// At most `limit` slots with a block from `start` on.
pub fn get_blocks_with_limit(cluster: &Cluster, params: Params) -> RpcResult<Vec<u64>> {
    let mut args = Args::new(&params);
    let start = args.required::<u64>()?;
    let limit = args.required::<usize>()?;
    let config = args.optional::<RpcContextConfig>()?.unwrap_or_default();
    at_least_confirmed(config.commitment)?;
    if limit > MAX_GET_CONFIRMED_BLOCKS_RANGE as usize {
        return Err(invalid_params(format!("Limit too large; max {MAX_GET_CONFIRMED_BLOCKS_RANGE}")));
    }
    let root = cluster.ledger.root_slot();
    min_context_slot(root, config.min_context_slot)?;
    Ok(cluster.history.block_slots(start, root, limit))
}

/// The clock's time in a closed slot.
pub fn get_block_time(cluster: &Cluster, params: Params) -> RpcResult<Option<i64>> {
    let slot = Args::new(&params).required::<u64>()?;
    Ok(Some(closed_block(cluster, slot)?.block_time))
}

/// The oldest slot whose block is on record.
pub fn get_first_available_block(cluster: &Cluster, _: Params) -> RpcResult<u64> {
    Ok(cluster.history.first_available_block().unwrap_or_else(|| cluster.ledger.root_slot()))
}

/// The oldest slot the ledger holds: the same here.
pub fn minimum_ledger_slot(cluster: &Cluster, params: Params) -> RpcResult<u64> {
    get_first_available_block(cluster, params)
}

fn closed_block(cluster: &Cluster, slot: u64) -> RpcResult<Arc<Block>> {
    if slot > cluster.ledger.root_slot() {
        return Err(custom(RpcCustomError::BlockNotAvailable { slot }));
    }
    cluster.history.block(slot).map_err(|missing| match missing {
        NoBlock::CleanedUp { first_available } => {
            custom(RpcCustomError::BlockCleanedUp { slot, first_available_block: first_available })
        }
        NoBlock::NotYet => custom(RpcCustomError::BlockNotAvailable { slot }),
    })
}

/// History is served from closed slots only, as a validator serves it from its
/// blockstore.
fn at_least_confirmed(commitment: Option<CommitmentConfig>) -> RpcResult<()> {
    match commitment_level(commitment) {
        CommitmentLevel::Processed => Err(invalid_params("Method does not support commitment below `confirmed`")),
        CommitmentLevel::Confirmed | CommitmentLevel::Finalized => Ok(()),
    }
}

fn min_context_slot(root: u64, min_context_slot: Option<u64>) -> RpcResult<()> {
    match min_context_slot {
        Some(wanted) if wanted > root => Err(custom(RpcCustomError::MinContextSlotNotReached { context_slot: root })),
        _ => Ok(()),
    }
}

fn encode_error(error: EncodeError) -> RpcError {
    match error {
        EncodeError::UnsupportedTransactionVersion(version) => {
            custom(RpcCustomError::UnsupportedTransactionVersion(version))
        }
    }
}
