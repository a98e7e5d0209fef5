//! Reading positional parameters and the values inside them. Every failure is an
//! `Invalid params` error (-32602) with a validator's wording.

use std::str::FromStr;
use std::sync::Arc;

use base64::prelude::{Engine, BASE64_STANDARD};
use bincode::Options;
use serde::de::DeserializeOwned;
use serde_json::Value;
use solana_commitment_config::{CommitmentConfig, CommitmentLevel};
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

/// A call's positional parameters (`params` absent is none).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params(Vec<Value>);

impl Params {
    pub fn new(values: Vec<Value>) -> Self {
        Self(values)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// Reads a method's positional parameters in order.
pub struct Args<'a> {
    values: &'a [Value],
    next: usize,
}

impl<'a> Args<'a> {
    pub fn new(params: &'a Params) -> Self {
        Self { values: &params.0, next: 0 }
    }

    /// The next parameter; missing is an error, as on a validator.
    pub fn required<T: DeserializeOwned>(&mut self) -> RpcResult<T> {
        let position = self.next;
        self.next += 1;
        match self.values.get(position) {
            Some(value) => parse_value(value),
            None => Err(invalid_params(format!("`params` should have at least {} argument(s)", position + 1))),
        }
    }

    /// A trailing parameter that may be missing or `null`.
    pub fn optional<T: DeserializeOwned>(&mut self) -> RpcResult<Option<T>> {
        let position = self.next;
        self.next += 1;
        match self.values.get(position) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => parse_value(value).map(Some),
        }
    }

    pub fn pubkey(&mut self) -> RpcResult<Pubkey> {
        parse_pubkey(&self.required::<String>()?)
    }
}

/// Deserializes one parameter. In a configuration object, `commitment` and
/// `preflightCommitment` must name a level: the RPC types flatten an optional
/// commitment, which would read an unknown level as none at all. The names older
/// clients send (`recent`, `single`, `singleGossip`, `root`, `max`) mean what they
/// meant.
fn parse_value<T: DeserializeOwned>(value: &Value) -> RpcResult<T> {
    let normalised;
    let value = match value {
        Value::Object(fields) if fields.contains_key("commitment") || fields.contains_key("preflightCommitment") => {
            let mut fields = fields.clone();
            for key in ["commitment", "preflightCommitment"] {
                if let Some(level) = fields.get_mut(key) {
                    *level = Value::String(commitment_name(level)?.to_string());
                }
            }
            normalised = Value::Object(fields);
            &normalised
        }
        other => other,
    };
    serde_json::from_value(value.clone()).map_err(|error| invalid_params(format!("Invalid params: {error}.")))
}

fn commitment_name(level: &Value) -> RpcResult<&'static str> {
    let name = match level.as_str() {
        Some("processed" | "recent") => "processed",
        Some("confirmed" | "single" | "singleGossip") => "confirmed",
        Some("finalized" | "root" | "max") => "finalized",
        Some(other) => {
            return Err(invalid_params(format!(
                "Invalid params: unknown variant `{other}`, expected one of `processed`, `confirmed`, `finalized`."
            )))
        }
        None => return Err(invalid_params(format!("Invalid params: invalid commitment {level}, expected a string."))),
    };
    Ok(name)
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

/// The bank a read at `commitment` sees: `processed` the working bank, `confirmed`
/// and `finalized` (the default, as on a validator) the last closed slot, which is
/// rooted at once. Refuses a request that asks for a slot that bank has not reached.
pub fn bank_at(
    cluster: &Cluster,
    commitment: Option<CommitmentConfig>,
    min_context_slot: Option<u64>,
) -> RpcResult<Arc<Bank>> {
    let bank = cluster.ledger.bank(commitment_level(commitment));
    match min_context_slot {
        Some(context_slot) if context_slot > bank.slot() => {
            Err(custom(RpcCustomError::MinContextSlotNotReached { context_slot: bank.slot() }))
        }
        _ => Ok(bank),
    }
}

/// A request's commitment level; `finalized` when it names none.
pub fn commitment_level(commitment: Option<CommitmentConfig>) -> CommitmentLevel {
    commitment.map(|config| config.commitment).unwrap_or(CommitmentLevel::Finalized)
}

/// The bank for a method whose only parameter is an optional `RpcContextConfig`.
pub fn context_bank(cluster: &Cluster, params: &Params) -> RpcResult<Arc<Bank>> {
    let config = Args::new(params).optional::<RpcContextConfig>()?.unwrap_or_default();
    bank_at(cluster, config.commitment, config.min_context_slot)
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
