//! Dev-only methods (`strata_*`), which no real cluster has: write Pyth price accounts
//! as a publisher would, write any account, move the clock ahead. Each answers once
//! the slot it wrote in has closed, so the write is visible at every commitment.

use std::str::FromStr;

use anchor_lang::AccountDeserialize;
use base64::prelude::{Engine, BASE64_STANDARD};
use pyth_solana_receiver_sdk::price_update::{get_feed_id_from_hex, PriceUpdateV2};
use serde::{Deserialize, Serialize};
use solana_account::{Account, AccountSharedData, ReadableAccount};
use solana_pubkey::Pubkey;
use strata::state::OracleKind;
use strata_testkit::pyth::{oracle_account, PriceSpec};

use super::error::{internal, invalid_params, RpcResult};
use super::params::{parse_pubkey, Args, Params};
use crate::cluster::Cluster;

/// A price update, as the JSON a client sends. Integers may be JSON numbers or decimal
/// strings (JavaScript numbers lose precision above 2^53).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PriceUpdate {
    price: Integer,
    expo: i32,
    #[serde(default)]
    conf: Option<Integer>,
    /// Defaults to `price`.
    #[serde(default)]
    ema_price: Option<Integer>,
    /// Defaults to `conf`.
    #[serde(default)]
    ema_conf: Option<Integer>,
    /// Defaults to the cluster's clock.
    #[serde(default)]
    publish_time: Option<i64>,
    /// Legacy: whether the aggregate is trading (default true); or `status`.
    #[serde(default)]
    trading: Option<bool>,
    /// Legacy: `"trading"`, `"halted"`, `"unknown"`, `"auction"` or `"ignored"`.
    #[serde(default)]
    status: Option<String>,
    /// Pull: the feed id, 32 bytes as hex (with or without `0x`). Defaults to the
    /// one the account already holds.
    #[serde(default)]
    feed_id: Option<String>,
    /// Pull: `VerificationLevel::Full` (default) or partial.
    #[serde(default)]
    fully_verified: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Integer {
    Signed(i64),
    Unsigned(u64),
    Text(String),
}

impl Integer {
    fn get<T: TryFrom<i128>>(&self, name: &str) -> RpcResult<T> {
        let value = match self {
            Self::Signed(value) => i128::from(*value),
            Self::Unsigned(value) => i128::from(*value),
            Self::Text(text) => {
                i128::from_str(text.trim()).map_err(|_| invalid_params(format!("{name}: not an integer: {text}")))?
            }
        };
        T::try_from(value).map_err(|_| invalid_params(format!("{name}: {value} is out of range")))
    }
}

/// What a price write did.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PriceWritten {
    pub slot: u64,
    pub publish_time: i64,
    pub owner: String,
}

/// An account to write, as `strata_setAccount` takes it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountWrite {
    lamports: u64,
    /// Base64; empty by default.
    #[serde(default)]
    data: String,
    /// The system program by default.
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    executable: bool,
}

pub fn set_pyth_legacy_price(cluster: &Cluster, params: Params) -> RpcResult<PriceWritten> {
    let mut args = Args::new(&params);
    let key = args.pubkey()?;
    let update = args.required::<PriceUpdate>()?;
    let spec = price_spec(cluster, &update)?;
    write_price(cluster, &key, OracleKind::PythLegacy, &spec, [0; 32])
}

pub fn set_pyth_pull_price(cluster: &Cluster, params: Params) -> RpcResult<PriceWritten> {
    let mut args = Args::new(&params);
    let key = args.pubkey()?;
    let update = args.required::<PriceUpdate>()?;
    let spec = price_spec(cluster, &update)?;
    let feed_id = match &update.feed_id {
        Some(hex) => parse_feed_id(hex)?,
        None => current_feed_id(cluster, &key)?,
    };
    write_price(cluster, &key, OracleKind::PythPull, &spec, feed_id)
}

pub fn set_account(cluster: &Cluster, params: Params) -> RpcResult<bool> {
    let mut args = Args::new(&params);
    let key = args.pubkey()?;
    let write = args.required::<AccountWrite>()?;
    let data = BASE64_STANDARD
        .decode(write.data.as_bytes())
        .map_err(|error| invalid_params(format!("data: invalid base64: {error}")))?;
    let owner = match &write.owner {
        Some(owner) => parse_pubkey(owner)?,
        None => solana_system_interface::program::ID,
    };
    let account = Account { lamports: write.lamports, data, owner, executable: write.executable, rent_epoch: 0 };
    cluster.set_accounts(&[(key, AccountSharedData::from(account))]).map_err(internal)?;
    Ok(true)
}

/// Moves the cluster's clock `seconds` (≥ 0) ahead of wall time; returns the new
/// Unix time. Offsets add up; the clock keeps following wall time from there.
pub fn advance_clock(cluster: &Cluster, params: Params) -> RpcResult<i64> {
    let seconds = Args::new(&params).required::<i64>()?;
    if seconds < 0 {
        return Err(invalid_params("seconds must not be negative: the clock never goes back"));
    }
    cluster.advance_clock(seconds).map_err(invalid_params)
}

fn price_spec(cluster: &Cluster, update: &PriceUpdate) -> RpcResult<PriceSpec> {
    let price: i64 = update.price.get("price")?;
    let conf: u64 = match &update.conf {
        Some(conf) => conf.get("conf")?,
        None => 0,
    };
    let trading = match (&update.status, update.trading) {
        (Some(_), Some(_)) => return Err(invalid_params("give either status or trading, not both")),
        (Some(status), None) => legacy_status_is_trading(status)?,
        (None, trading) => trading.unwrap_or(true),
    };
    Ok(PriceSpec {
        price,
        conf,
        expo: update.expo,
        ema_price: match &update.ema_price {
            Some(ema) => ema.get("emaPrice")?,
            None => price,
        },
        ema_conf: match &update.ema_conf {
            Some(ema) => ema.get("emaConf")?,
            None => conf,
        },
        publish_time: update.publish_time.unwrap_or_else(|| cluster.now()),
        trading,
        fully_verified: update.fully_verified.unwrap_or(true),
    })
}

fn legacy_status_is_trading(status: &str) -> RpcResult<bool> {
    match status.to_ascii_lowercase().as_str() {
        "trading" => Ok(true),
        "halted" | "unknown" | "auction" | "ignored" => Ok(false),
        other => Err(invalid_params(format!(
            "status: unknown Pyth status {other}; expected trading, halted, unknown, auction or ignored"
        ))),
    }
}

fn write_price(
    cluster: &Cluster,
    key: &Pubkey,
    kind: OracleKind,
    spec: &PriceSpec,
    feed_id: [u8; 32],
) -> RpcResult<PriceWritten> {
    let account = oracle_account(kind, spec, feed_id);
    let owner = account.owner.to_string();
    let slot = cluster.set_accounts(&[(*key, AccountSharedData::from(account))]).map_err(internal)?;
    Ok(PriceWritten { slot, publish_time: spec.publish_time, owner })
}

fn parse_feed_id(text: &str) -> RpcResult<[u8; 32]> {
    let hex = text.strip_prefix("0x").unwrap_or(text);
    let invalid = || invalid_params(format!("feedId: expected 32 bytes as 64 hex digits, got {text}"));
    // Pyth's parser takes 64 digits, or any 2 characters and 64 digits; only `0x` is a prefix here.
    if hex.len() != 64 {
        return Err(invalid());
    }
    get_feed_id_from_hex(hex).map_err(|_| invalid())
}

/// The feed id of the `PriceUpdateV2` already at `key`.
fn current_feed_id(cluster: &Cluster, key: &Pubkey) -> RpcResult<[u8; 32]> {
    let missing = || invalid_params(format!("feedId is required: {key} does not hold a PriceUpdateV2 account"));
    let account = cluster.ledger.working_bank().get_account(key).ok_or_else(missing)?;
    let update = PriceUpdateV2::try_deserialize(&mut account.data()).map_err(|_| missing())?;
    Ok(update.price_message.feed_id)
}
