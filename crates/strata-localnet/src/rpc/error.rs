//! JSON-RPC errors with the codes and messages a Solana validator uses, so that
//! clients (`@solana/kit`, `solana-rpc-client`) classify them as they would there.

use jsonrpsee::types::error::{ErrorObjectOwned, INTERNAL_ERROR_CODE, INVALID_PARAMS_CODE};
use solana_rpc_client_api::custom_error::RpcCustomError;

pub type RpcResult<T> = Result<T, ErrorObjectOwned>;

pub fn invalid_params(message: impl Into<String>) -> ErrorObjectOwned {
    ErrorObjectOwned::owned(INVALID_PARAMS_CODE, message.into(), None::<()>)
}

pub fn internal(message: impl Into<String>) -> ErrorObjectOwned {
    ErrorObjectOwned::owned(INTERNAL_ERROR_CODE, message.into(), None::<()>)
}

/// A validator's own server error (`-32002` preflight failure, `-32003` signature
/// verification failure, …), converted through the RPC crate's own mapping.
pub fn custom(error: RpcCustomError) -> ErrorObjectOwned {
    let error: jsonrpc_core::Error = error.into();
    let code = i32::try_from(error.code.code()).unwrap_or(INTERNAL_ERROR_CODE);
    ErrorObjectOwned::owned(code, error.message, error.data)
}
