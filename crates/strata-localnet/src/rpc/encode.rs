//! A stored transaction in the encodings `getTransaction` offers.

use base64::prelude::{Engine, BASE64_STANDARD};
use solana_rpc_client_api::custom_error::RpcCustomError;
use solana_transaction::versioned::{Legacy, TransactionVersion, VersionedTransaction};
use solana_transaction_status_client_types::{
    EncodedTransaction, TransactionBinaryEncoding, UiAddressTableLookup, UiCompiledInstruction, UiMessage,
    UiRawMessage, UiTransaction, UiTransactionEncoding,
};

use super::error::{custom, internal, RpcResult};

/// The `version` field: omitted for legacy transactions unless the client says which
/// versions it supports; a v0 transaction needs `maxSupportedTransactionVersion: 0`.
pub fn version_field(
    transaction: &VersionedTransaction,
    max_supported_version: Option<u8>,
) -> RpcResult<Option<TransactionVersion>> {
    match (transaction.version(), max_supported_version) {
        (TransactionVersion::Legacy(_), None) => Ok(None),
        (TransactionVersion::Legacy(_), Some(_)) => Ok(Some(TransactionVersion::Legacy(Legacy::Legacy))),
        (TransactionVersion::Number(version), Some(max)) if version <= max => {
            Ok(Some(TransactionVersion::Number(version)))
        }
        (TransactionVersion::Number(version), _) => Err(custom(RpcCustomError::UnsupportedTransactionVersion(version))),
    }
}

/// `json` (and `jsonParsed`, served as raw JSON), `base64`, `base58`.
pub fn encode_transaction(
    transaction: &VersionedTransaction,
    encoding: UiTransactionEncoding,
) -> RpcResult<EncodedTransaction> {
    let binary = || bincode::serialize(transaction).map_err(|error| internal(format!("cannot serialize: {error}")));
    Ok(match encoding {
        UiTransactionEncoding::Json | UiTransactionEncoding::JsonParsed => {
            EncodedTransaction::Json(ui_transaction(transaction))
        }
        UiTransactionEncoding::Base64 => {
            EncodedTransaction::Binary(BASE64_STANDARD.encode(binary()?), TransactionBinaryEncoding::Base64)
        }
        UiTransactionEncoding::Base58 => {
            EncodedTransaction::Binary(bs58::encode(binary()?).into_string(), TransactionBinaryEncoding::Base58)
        }
        UiTransactionEncoding::Binary => EncodedTransaction::LegacyBinary(bs58::encode(binary()?).into_string()),
    })
}

fn ui_transaction(transaction: &VersionedTransaction) -> UiTransaction {
    let message = &transaction.message;
    UiTransaction {
        signatures: transaction.signatures.iter().map(ToString::to_string).collect(),
        message: UiMessage::Raw(UiRawMessage {
            header: *message.header(),
            account_keys: message.static_account_keys().iter().map(ToString::to_string).collect(),
            recent_blockhash: message.recent_blockhash().to_string(),
            instructions: message.instructions().iter().map(|ix| UiCompiledInstruction::from(ix, None)).collect(),
            address_table_lookups: message
                .address_table_lookups()
                .map(|lookups| lookups.iter().map(UiAddressTableLookup::from).collect()),
        }),
    }
}
