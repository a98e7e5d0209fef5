//! Reading positional parameters and the values inside them. Every failure is an
//! `Invalid params` error (-32602) with a validator's wording.

use std::str::FromStr;
use std::sync::Arc;

use base64::prelude::{Engine, BASE64_STANDARD};
use bincode::Options;
use jsonrpsee::types::params::ParamsSequence;
use jsonrpsee::types::Params;
use serde::de::DeserializeOwned;
use solana_hash::Hash;
use solana_packet::PACKET_DATA_SIZE;
use solana_pubkey::Pubkey;
use solana_rpc_client_api::config::RpcContextConfig;
use solana_rpc_client_api::custom_error::RpcCustomError;
use solana_rpc_client_api::response::{Response, RpcResponseContext};
use solana_runtime::bank::Bank;
use solana_signature::Signature;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_status_client_types::{TransactionBinaryEncoding, UiTransactionEncoding};

use super::error::{custom, invalid_params, RpcResult};
use crate::cluster::Cluster;

/// Longest base58 / base64 text that can decode to one packet (as a validator checks).
const MAX_BASE58_SIZE: usize = 1683;
const MAX_BASE64_SIZE: usize = 1644;

/// A method's positional parameters.
pub struct Args<'a> {
    sequence: ParamsSequence<'a>,
}

impl<'a> Args<'a> {
    pub fn new(params: &'a Params<'a>) -> Self {
        Self { sequence: params.sequence() }
    }

    pub fn required<T: DeserializeOwned>(&mut self) -> RpcResult<T> {
        self.sequence.next::<T>()
    }

    /// A trailing parameter that may be missing or `null`.
    pub fn optional<T: DeserializeOwned>(&mut self) -> RpcResult<Option<T>> {
        self.sequence.optional_next::<T>()
    }

    pub fn pubkey(&mut self) -> RpcResult<Pubkey> {
        parse_pubkey(&self.required::<String>()?)
    }
}

pub fn parse_pubkey(text: &str) -> RpcResult<Pubkey> {
    Pubkey::from_str(text).map_err(|error| invalid_params(format!("Invalid param: {error:?}")))
}

pub fn parse_signature(text: &str) -> RpcResult<Signature> {
    Signature::from_str(text).map_err(|error| invalid_params(format!("Invalid param: {error:?}")))
}

pub fn parse_hash(text: &str) -> RpcResult<Hash> {
    Hash::from_str(text).map_err(|error| invalid_params(format!("Invalid param: {error:?}")))
}

/// The working bank, refusing a request that asks for a slot the cluster has not reached.
pub fn bank_at(cluster: &Cluster, min_context_slot: Option<u64>) -> RpcResult<Arc<Bank>> {
    let bank = cluster.ledger.working_bank();
    match min_context_slot {
        Some(context_slot) if context_slot > bank.slot() => {
            Err(custom(RpcCustomError::MinContextSlotNotReached { context_slot: bank.slot() }))
        }
        _ => Ok(bank),
    }
}

/// The working bank for a method whose only parameter is an optional `RpcContextConfig`.
pub fn context_bank(cluster: &Cluster, params: &Params) -> RpcResult<Arc<Bank>> {
    let config = Args::new(params).optional::<RpcContextConfig>()?.unwrap_or_default();
    bank_at(cluster, config.min_context_slot)
}

/// `value` as read from `bank`.
pub fn in_context<T>(bank: &Bank, value: T) -> Response<T> {
    Response { context: RpcResponseContext::new(bank.slot()), value }
}

/// Decodes base58 or base64 text into bytes of at most one packet.
pub fn decode_wire(text: &str, encoding: UiTransactionEncoding, what: &str) -> RpcResult<Vec<u8>> {
    let binary = encoding.into_binary_encoding().ok_or_else(|| {
        invalid_params(format!("unsupported encoding: {encoding}. Supported encodings: base58, base64"))
    })?;
    let (max_text, bytes) = match binary {
        TransactionBinaryEncoding::Base58 => {
            (MAX_BASE58_SIZE, bs58::decode(text).into_vec().map_err(|e| e.to_string()))
        }
        TransactionBinaryEncoding::Base64 => (MAX_BASE64_SIZE, BASE64_STANDARD.decode(text).map_err(|e| e.to_string())),
    };
    if text.len() > max_text {
        return Err(invalid_params(format!(
            "{binary:?} encoded {what} too large: {} bytes (max: encoded/raw {max_text}/{PACKET_DATA_SIZE})",
            text.len()
        )));
    }
    let bytes = bytes.map_err(|error| invalid_params(format!("invalid {binary:?} encoding: {error}")))?;
    if bytes.len() > PACKET_DATA_SIZE {
        return Err(invalid_params(format!(
            "decoded {what} too large: {} bytes (max: {PACKET_DATA_SIZE} bytes)",
            bytes.len()
        )));
    }
    Ok(bytes)
}

/// Deserializes bincode the way a validator does: bounded, fixed-width integers.
pub fn deserialize_wire<T: DeserializeOwned>(bytes: &[u8], what: &str) -> RpcResult<T> {
    bincode::options()
        .with_limit(PACKET_DATA_SIZE as u64)
        .with_fixint_encoding()
        .allow_trailing_bytes()
        .deserialize_from(bytes)
        .map_err(|error| invalid_params(format!("failed to deserialize {what}: {error}")))
}

/// A wire transaction (`sendTransaction`, `simulateTransaction`), structurally sane.
pub fn decode_transaction(text: &str, encoding: UiTransactionEncoding) -> RpcResult<VersionedTransaction> {
    const WHAT: &str = "solana_transaction::versioned::VersionedTransaction";
    let bytes = decode_wire(text, encoding, WHAT)?;
    let transaction: VersionedTransaction = deserialize_wire(&bytes, WHAT)?;
    transaction.sanitize().map_err(|error| invalid_params(format!("invalid transaction: {error}")))?;
    Ok(transaction)
}
