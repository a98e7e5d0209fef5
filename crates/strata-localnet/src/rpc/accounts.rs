//! Account reads: balances, single and multiple accounts, program scans with filters.

use solana_account::{AccountSharedData, ReadableAccount};
use solana_account_decoder::parse_account_data::{AccountAdditionalDataV3, SplTokenAdditionalDataV2};
use solana_account_decoder::parse_token::{
    get_token_account_mint, is_known_spl_token_id, parse_token_v3, TokenAccountType,
};
use solana_account_decoder::{encode_ui_account, UiAccount, UiAccountEncoding, UiDataSliceConfig, MAX_BASE58_BYTES};
use solana_accounts_db::accounts_index::{ScanConfig, ScanOrder};
use solana_pubkey::Pubkey;
use solana_rpc_client_api::config::{RpcAccountInfoConfig, RpcContextConfig, RpcProgramAccountsConfig};
use solana_rpc_client_api::custom_error::RpcCustomError;
use solana_rpc_client_api::filter::RpcFilterType;
use solana_rpc_client_api::request::{MAX_GET_PROGRAM_ACCOUNT_FILTERS, MAX_MULTIPLE_ACCOUNTS};
use solana_rpc_client_api::response::{OptionalContext, Response, RpcKeyedAccount};
use solana_runtime::bank::Bank;

use super::error::{custom, invalid_params, RpcResult};
use super::params::{bank_at, in_context, parse_pubkey, Args, Params};
use crate::cluster::Cluster;

pub fn get_balance(cluster: &Cluster, params: Params) -> RpcResult<Response<u64>> {
    let mut args = Args::new(&params);
    let key = args.pubkey()?;
    let config = args.optional::<RpcContextConfig>()?.unwrap_or_default();
    let bank = bank_at(cluster, config.commitment, config.min_context_slot)?;
    Ok(in_context(&bank, bank.get_balance(&key)))
}

pub fn get_account_info(cluster: &Cluster, params: Params) -> RpcResult<Response<Option<UiAccount>>> {
    let mut args = Args::new(&params);
    let key = args.pubkey()?;
    let config = args.optional::<RpcAccountInfoConfig>()?.unwrap_or_default();
    let bank = bank_at(cluster, config.commitment, config.min_context_slot)?;
    let value = match bank.get_account(&key) {
        Some(account) => Some(encode_account(&bank, &key, &account, &config)?),
        None => None,
    };
    Ok(in_context(&bank, value))
}

pub fn get_multiple_accounts(cluster: &Cluster, params: Params) -> RpcResult<Response<Vec<Option<UiAccount>>>> {
    let mut args = Args::new(&params);
    let keys = args.required::<Vec<String>>()?;
    let config = args.optional::<RpcAccountInfoConfig>()?.unwrap_or_default();
    if keys.len() > MAX_MULTIPLE_ACCOUNTS {
        return Err(invalid_params(format!("Too many inputs provided; max {MAX_MULTIPLE_ACCOUNTS}")));
    }
    let keys = keys.iter().map(|key| parse_pubkey(key)).collect::<RpcResult<Vec<_>>>()?;
    let bank = bank_at(cluster, config.commitment, config.min_context_slot)?;
    let value = keys
        .iter()
        .map(|key| bank.get_account(key).map(|account| encode_account(&bank, key, &account, &config)).transpose())
        .collect::<RpcResult<Vec<_>>>()?;
    Ok(in_context(&bank, value))
}

/// `getProgramAccounts`' and `programSubscribe`'s filters, refused as a validator
/// refuses them (too many, or one that cannot match), with memcmp bytes decoded once
/// (base58 / base64) rather than once per account compared.
pub fn checked_filters(filters: Option<Vec<RpcFilterType>>) -> RpcResult<Vec<RpcFilterType>> {
    let mut filters = filters.unwrap_or_default();
    if filters.len() > MAX_GET_PROGRAM_ACCOUNT_FILTERS {
        return Err(invalid_params(format!("Too many filters provided; max {MAX_GET_PROGRAM_ACCOUNT_FILTERS}")));
    }
    for filter in &mut filters {
        filter.verify().map_err(|error| invalid_params(format!("Invalid param: {error:?}")))?;
        if let RpcFilterType::Memcmp(compare) = filter {
            compare.convert_to_raw_bytes().map_err(|error| invalid_params(format!("Invalid param: {error:?}")))?;
        }
    }
    Ok(filters)
}

/// Every account `program` owns that passes all filters (`dataSize`, `memcmp` with
/// base58, base64 or raw bytes, `tokenAccountState`), sorted by address unless
/// `sortResults` is false; wrapped in a context with `withContext`.
pub fn get_program_accounts(cluster: &Cluster, params: Params) -> RpcResult<OptionalContext<Vec<RpcKeyedAccount>>> {
    let mut args = Args::new(&params);
    let program = args.pubkey()?;
    let config = args.optional::<RpcProgramAccountsConfig>()?.unwrap_or_default();
    let filters = checked_filters(config.filters)?;
    let bank = bank_at(cluster, config.account_config.commitment, config.account_config.min_context_slot)?;
    let scan_config = match config.sort_results {
        Some(false) => ScanConfig::default(),
        _ => ScanConfig::new(ScanOrder::Sorted),
    };
    let matching = bank
        .get_filtered_program_accounts(&program, |account| filters.iter().all(|f| allows(f, account)), &scan_config)
        .map_err(|error| custom(RpcCustomError::ScanError { message: error.to_string() }))?;
    let accounts = matching
        .iter()
        .map(|(key, account)| {
            Ok(RpcKeyedAccount {
                pubkey: key.to_string(),
                account: encode_account(&bank, key, account, &config.account_config)?,
            })
        })
        .collect::<RpcResult<Vec<_>>>()?;
    Ok(match config.with_context {
        Some(true) => OptionalContext::Context(in_context(&bank, accounts)),
        _ => OptionalContext::NoContext(accounts),
    })
}

/// Whether `account` passes `filter` (memcmp bytes already decoded).
pub fn allows(filter: &RpcFilterType, account: &AccountSharedData) -> bool {
    match filter {
        RpcFilterType::DataSize(size) => u64::try_from(account.data().len()).is_ok_and(|len| len == *size),
        RpcFilterType::Memcmp(compare) => compare.bytes_match(account.data()),
        RpcFilterType::TokenAccountState => get_token_account_mint(account.data()).is_some(),
    }
}

/// Encodes an account as a validator's RPC does; the default encoding is legacy
/// base58, refused for data over 128 bytes.
pub fn encode_account(
    bank: &Bank,
    key: &Pubkey,
    account: &AccountSharedData,
    config: &RpcAccountInfoConfig,
) -> RpcResult<UiAccount> {
    let encoding = config.encoding.unwrap_or(UiAccountEncoding::Binary);
    if matches!(encoding, UiAccountEncoding::Binary | UiAccountEncoding::Base58)
        && sliced_len(account.data().len(), config.data_slice) > MAX_BASE58_BYTES
    {
        return Err(invalid_params(format!(
            "Encoded binary (base 58) data should be less than {MAX_BASE58_BYTES} bytes, please use Base64 encoding."
        )));
    }
    Ok(encode_any_size(bank, key, account, encoding, config.data_slice))
}

/// Encodes an account whatever its size (subscriptions do, as on a validator).
pub fn encode_any_size(
    bank: &Bank,
    key: &Pubkey,
    account: &AccountSharedData,
    encoding: UiAccountEncoding,
    data_slice: Option<UiDataSliceConfig>,
) -> UiAccount {
    match encoding {
        // Parsed where solana-account-decoder knows the owner; otherwise it falls back
        // to base64 by itself.
        UiAccountEncoding::JsonParsed => {
            encode_ui_account(key, account, encoding, token_additional_data(bank, account), None)
        }
        _ => encode_ui_account(key, account, encoding, None, data_slice),
    }
}

fn sliced_len(len: usize, slice: Option<UiDataSliceConfig>) -> usize {
    match slice {
        Some(slice) => len.saturating_sub(slice.offset).min(slice.length),
        None => len,
    }
}

/// A token account parses only with its mint's decimals.
fn token_additional_data(bank: &Bank, account: &AccountSharedData) -> Option<AccountAdditionalDataV3> {
    if !is_known_spl_token_id(account.owner()) {
        return None;
    }
    let mint = bank.get_account(&get_token_account_mint(account.data())?)?;
    match parse_token_v3(mint.data(), None) {
        Ok(TokenAccountType::Mint(mint)) => Some(AccountAdditionalDataV3 {
            spl_token_additional_data: Some(SplTokenAdditionalDataV2::with_decimals(mint.decimals)),
        }),
        _ => None,
    }
}
