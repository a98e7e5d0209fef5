//! What became of sent transactions: statuses and full transactions with metadata.

use jsonrpsee::types::Params;
use solana_rpc_client_api::config::{RpcEncodingConfigWrapper, RpcSignatureStatusConfig, RpcTransactionConfig};
use solana_rpc_client_api::request::MAX_GET_SIGNATURE_STATUSES_QUERY_ITEMS;
use solana_rpc_client_api::response::Response;
use solana_transaction_status_client_types::{
    EncodedConfirmedTransactionWithStatusMeta, EncodedTransactionWithStatusMeta, TransactionConfirmationStatus,
    TransactionStatus, UiTransactionEncoding, UiTransactionStatusMeta,
};

use super::encode::{encode_transaction, version_field};
use super::error::{invalid_params, RpcResult};
use super::params::{in_context, parse_signature, Args};
use crate::cluster::Cluster;

/// A committed transaction is final at once: one validator, no forks, nothing can
/// roll it back. Unknown signatures are `null`.
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
    let statuses = signatures
        .iter()
        .map(|text| {
            let record = cluster.history.get(&parse_signature(text)?);
            Ok(record.map(|record| TransactionStatus {
                slot: record.slot,
                confirmations: None,
                status: record.meta.status.clone(),
                err: record.meta.status.clone().err(),
                confirmation_status: Some(TransactionConfirmationStatus::Finalized),
            }))
        })
        .collect::<RpcResult<Vec<_>>>()?;
    Ok(in_context(&cluster.ledger.working_bank(), statuses))
}

/// The transaction with its metadata (logs, error, fee, balances, return data,
/// compute units), or `null` when the signature is unknown.
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
    let Some(record) = cluster.history.get(&signature) else {
        return Ok(None);
    };
    let version = version_field(&record.transaction, config.max_supported_transaction_version)?;
    let encoding = config.encoding.unwrap_or(UiTransactionEncoding::Json);
    Ok(Some(EncodedConfirmedTransactionWithStatusMeta {
        slot: record.slot,
        transaction: EncodedTransactionWithStatusMeta {
            transaction: encode_transaction(&record.transaction, encoding)?,
            meta: Some(UiTransactionStatusMeta::from(record.meta.clone())),
            version,
        },
        block_time: Some(record.block_time),
    }))
}
