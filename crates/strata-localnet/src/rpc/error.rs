//! JSON-RPC errors with the codes and messages a Solana validator uses (its
//! `jsonrpc-core` error type), so that clients (`@solana/kit`, web3.js,
//! `solana-rpc-client`) classify them as they would there.

use solana_rpc_client_api::custom_error::RpcCustomError;

pub use jsonrpc_core::Error as RpcError;

pub type RpcResult<T> = Result<T, RpcError>;

/// `-32602` with `message` as is.
pub fn invalid_params(message: impl Into<String>) -> RpcError {
    RpcError::invalid_params(message)
}

/// `-32603` with `message`.
pub fn internal(message: impl Into<String>) -> RpcError {
    RpcError { message: message.into(), ..RpcError::internal_error() }
}

/// A validator's own server error (`-32002` preflight failure, `-32003` signature
/// verification failure, …), converted through the RPC crate's own mapping.
pub fn custom(error: RpcCustomError) -> RpcError {
    error.into()
}
