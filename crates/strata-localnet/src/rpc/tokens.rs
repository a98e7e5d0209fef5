//! SPL Token and Token-2022 queries, as wallets use them: token accounts by owner or
//! delegate (for a mint or a token program), a token account's balance, a mint's
//! supply and largest holders. Amounts are `UiTokenAmount`s with the mint's decimals
//! (and its interest-bearing or scaled UI amount configuration, at the bank's clock),
//! built by solana-account-decoder; accounts are encoded as `getProgramAccounts`
//! encodes them (`jsonParsed` parses them).

use std::sync::Arc;

use solana_account::{AccountSharedData, ReadableAccount};
use solana_account_decoder::parse_account_data::SplTokenAdditionalDataV2;
use solana_account_decoder::parse_token::{is_known_spl_token_id, token_amount_to_ui_amount_v3, UiTokenAmount};
use solana_account_decoder::UiAccountEncoding;
use solana_accounts_db::accounts_index::{ScanConfig, ScanOrder};
use solana_commitment_config::CommitmentConfig;
use solana_pubkey::Pubkey;
use solana_rpc_client_api::config::{RpcAccountInfoConfig, RpcTokenAccountsFilter};
use solana_rpc_client_api::custom_error::RpcCustomError;
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
use solana_rpc_client_api::request::NUM_LARGEST_ACCOUNTS;
use solana_rpc_client_api::response::{Response, RpcKeyedAccount, RpcTokenAccountBalance};
use solana_runtime::bank::Bank;
use spl_token_2022_interface::extension::interest_bearing_mint::InterestBearingConfig;
use spl_token_2022_interface::extension::scaled_ui_amount::ScaledUiAmountConfig;
use spl_token_2022_interface::extension::{BaseStateWithExtensions, StateWithExtensions};
use spl_token_2022_interface::state::{Account, Mint};

use super::accounts::{allows, encode_account};
use super::error::{custom, invalid_params, RpcResult};
use super::params::{bank_at, in_context, parse_pubkey, Args, Params};
use crate::cluster::Cluster;

/// Where a token account keeps its mint, owner and delegate (`COption` tag, then key).
const MINT_OFFSET: usize = 0;
const OWNER_OFFSET: usize = 32;
const DELEGATE_OFFSET: usize = 72;

/// The balance of a token account.
pub fn get_token_account_balance(cluster: &Cluster, params: Params) -> RpcResult<Response<UiTokenAmount>> {
    let mut args = Args::new(&params);
    let key = args.pubkey()?;
    let bank = bank_at(cluster, args.optional::<CommitmentConfig>()?, None)?;
    let account = bank.get_account(&key).ok_or_else(|| invalid_params("Invalid param: could not find account"))?;
    if !is_known_spl_token_id(account.owner()) {
        return Err(invalid_params("Invalid param: not a Token account"));
    }
    let token = StateWithExtensions::<Account>::unpack(account.data())
        .map_err(|_| invalid_params("Invalid param: not a Token account"))?;
    let mint = mint_data(&bank, &token.base.mint)?;
    Ok(in_context(&bank, token_amount_to_ui_amount_v3(token.base.amount, &mint)))
}

/// The supply of a mint.
pub fn get_token_supply(cluster: &Cluster, params: Params) -> RpcResult<Response<UiTokenAmount>> {
    let mut args = Args::new(&params);
    let key = args.pubkey()?;
    let bank = bank_at(cluster, args.optional::<CommitmentConfig>()?, None)?;
    let account = bank.get_account(&key).ok_or_else(|| invalid_params("Invalid param: could not find account"))?;
    if !is_known_spl_token_id(account.owner()) {
        return Err(invalid_params("Invalid param: not a Token mint"));
    }
    let mint = StateWithExtensions::<Mint>::unpack(account.data())
        .map_err(|_| invalid_params("Invalid param: not a Token mint"))?;
    let additional = additional_mint_data(&bank, &mint);
    Ok(in_context(&bank, token_amount_to_ui_amount_v3(mint.base.supply, &additional)))
}

/// The 20 token accounts of a mint holding the most, largest first.
pub fn get_token_largest_accounts(
    cluster: &Cluster,
    params: Params,
) -> RpcResult<Response<Vec<RpcTokenAccountBalance>>> {
    let mut args = Args::new(&params);
    let mint = args.pubkey()?;
    let bank = bank_at(cluster, args.optional::<CommitmentConfig>()?, None)?;
    let (program, additional) = token_program_of_mint(&bank, &mint)?;
    let filters = [RpcFilterType::TokenAccountState, memcmp(MINT_OFFSET, mint.to_bytes().to_vec())];
    let mut holders: Vec<(Pubkey, u64)> = scan(&bank, &program, &filters)?
        .iter()
        .filter_map(|(key, account)| {
            let token = StateWithExtensions::<Account>::unpack(account.data()).ok()?;
            Some((*key, token.base.amount))
        })
        .collect();
    holders.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    holders.truncate(NUM_LARGEST_ACCOUNTS);
    let value = holders
        .into_iter()
        .map(|(key, amount)| RpcTokenAccountBalance {
            address: key.to_string(),
            amount: token_amount_to_ui_amount_v3(amount, &additional),
        })
        .collect();
    Ok(in_context(&bank, value))
}

/// Token accounts whose owner is the given wallet.
pub fn get_token_accounts_by_owner(cluster: &Cluster, params: Params) -> RpcResult<Response<Vec<RpcKeyedAccount>>> {
    token_accounts_by(cluster, params, |owner| memcmp(OWNER_OFFSET, owner.to_bytes().to_vec()))
}

/// Token accounts that delegate to the given wallet.
pub fn get_token_accounts_by_delegate(cluster: &Cluster, params: Params) -> RpcResult<Response<Vec<RpcKeyedAccount>>> {
    token_accounts_by(cluster, params, |delegate| {
        let mut bytes = vec![1, 0, 0, 0];
        bytes.extend_from_slice(delegate.as_ref());
        memcmp(DELEGATE_OFFSET, bytes)
    })
}

/// `[wallet, {mint} | {programId}, config?]`: the token accounts the wallet's filter
/// selects, for one mint or all of a token program's.
fn token_accounts_by(
    cluster: &Cluster,
    params: Params,
    wallet_filter: impl Fn(&Pubkey) -> RpcFilterType,
) -> RpcResult<Response<Vec<RpcKeyedAccount>>> {
    let mut args = Args::new(&params);
    let wallet = args.pubkey()?;
    let filter = args.required::<RpcTokenAccountsFilter>()?;
    let config = args.optional::<RpcAccountInfoConfig>()?.unwrap_or_default();
    let bank = bank_at(cluster, config.commitment, config.min_context_slot)?;
    let mut filters = vec![RpcFilterType::TokenAccountState, wallet_filter(&wallet)];
    let program = match filter {
        RpcTokenAccountsFilter::Mint(mint) => {
            let mint = parse_pubkey(&mint)?;
            filters.push(memcmp(MINT_OFFSET, mint.to_bytes().to_vec()));
            token_program_of_mint(&bank, &mint)?.0
        }
        RpcTokenAccountsFilter::ProgramId(program) => {
            let program = parse_pubkey(&program)?;
            if !is_known_spl_token_id(&program) {
                return Err(invalid_params("Invalid param: unrecognized Token program id"));
            }
            program
        }
    };
    // Legacy base58 by default, as on a validator (refused for token accounts' 165 bytes).
    let config =
        RpcAccountInfoConfig { encoding: Some(config.encoding.unwrap_or(UiAccountEncoding::Binary)), ..config };
    let value = scan(&bank, &program, &filters)?
        .iter()
        .map(|(key, account)| {
            Ok(RpcKeyedAccount { pubkey: key.to_string(), account: encode_account(&bank, key, account, &config)? })
        })
        .collect::<RpcResult<Vec<_>>>()?;
    Ok(in_context(&bank, value))
}

/// The token program that owns `mint`, and the mint's amount data.
fn token_program_of_mint(bank: &Bank, mint: &Pubkey) -> RpcResult<(Pubkey, SplTokenAdditionalDataV2)> {
    let account = bank.get_account(mint).ok_or_else(|| invalid_params("Invalid param: could not find mint"))?;
    if !is_known_spl_token_id(account.owner()) {
        return Err(invalid_params("Invalid param: not a Token mint"));
    }
    let state = StateWithExtensions::<Mint>::unpack(account.data())
        .map_err(|_| invalid_params("Invalid param: not a Token mint"))?;
    Ok((*account.owner(), additional_mint_data(bank, &state)))
}

fn mint_data(bank: &Bank, mint: &Pubkey) -> RpcResult<SplTokenAdditionalDataV2> {
    token_program_of_mint(bank, mint).map(|(_, additional)| additional)
}

/// Decimals, and the UI-amount extensions at the bank's clock (as a validator does).
fn additional_mint_data(bank: &Bank, mint: &StateWithExtensions<Mint>) -> SplTokenAdditionalDataV2 {
    let now = bank.clock().unix_timestamp;
    SplTokenAdditionalDataV2 {
        decimals: mint.base.decimals,
        interest_bearing_config: mint.get_extension::<InterestBearingConfig>().ok().map(|config| (*config, now)),
        scaled_ui_amount_config: mint.get_extension::<ScaledUiAmountConfig>().ok().map(|config| (*config, now)),
    }
}

fn memcmp(offset: usize, bytes: Vec<u8>) -> RpcFilterType {
    RpcFilterType::Memcmp(Memcmp::new_raw_bytes(offset, bytes))
}

/// The program's accounts that pass every filter, sorted by address.
fn scan(bank: &Arc<Bank>, program: &Pubkey, filters: &[RpcFilterType]) -> RpcResult<Vec<(Pubkey, AccountSharedData)>> {
    bank.get_filtered_program_accounts(
        program,
        |account| filters.iter().all(|filter| allows(filter, account)),
        &ScanConfig::new(ScanOrder::Sorted),
    )
    .map_err(|error| custom(RpcCustomError::ScanError { message: error.to_string() }))
}
