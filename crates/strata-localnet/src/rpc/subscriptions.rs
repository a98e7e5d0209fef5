//! WebSocket subscriptions, one `Subscriptions` per connection: `accountSubscribe`,
//! `programSubscribe` (filters), `logsSubscribe` (`all`, `allWithVotes`,
//! `{mentions: [address]}`), `signatureSubscribe`, `slotSubscribe`, `rootSubscribe`,
//! and their `…Unsubscribe`.
//!
//! Notifications follow the cluster's events (`crate::events`) at the subscription's
//! commitment: `processed` as each transaction commits in the working slot,
//! `confirmed` and `finalized` (the default, as on a validator) when its slot closes.
//! An account notification is sent when the account differs from what was last sent
//! (or seen at subscription), read from the bank of that commitment. A notification
//! always carries a `result`: when a client unsubscribes while one is on its way, it
//! is simply not sent.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use serde_json::value::RawValue;
use solana_account::{AccountSharedData, ReadableAccount};
use solana_account_decoder::UiAccountEncoding;
use solana_commitment_config::CommitmentLevel;
use solana_pubkey::Pubkey;
use solana_rpc_client_api::config::{
    RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcSignatureSubscribeConfig, RpcTransactionLogsConfig,
    RpcTransactionLogsFilter,
};
use solana_rpc_client_api::filter::RpcFilterType;
use solana_rpc_client_api::response::{
    ProcessedSignatureResult, ReceivedSignatureResult, Response, RpcKeyedAccount, RpcLogsResponse, RpcResponseContext,
    RpcSignatureResult, SlotInfo,
};
use solana_runtime::bank::Bank;
use solana_signature::Signature;

use super::accounts::{allows, checked_filters, encode_any_size};
use super::error::{internal, invalid_params, RpcResult};
use super::jsonrpc::notification;
use super::params::{commitment_level, parse_pubkey, parse_signature, Args, Params};
use crate::cluster::Cluster;
use crate::events::{Event, SharedResults};
use crate::history::TransactionRecord;

/// Subscription ids are unique across connections, as on a validator.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The subscribe methods, their notification and unsubscribe methods.
const KINDS: [(&str, &str, &str); 6] = [
    ("accountSubscribe", "accountNotification", "accountUnsubscribe"),
    ("programSubscribe", "programNotification", "programUnsubscribe"),
    ("logsSubscribe", "logsNotification", "logsUnsubscribe"),
    ("signatureSubscribe", "signatureNotification", "signatureUnsubscribe"),
    ("slotSubscribe", "slotNotification", "slotUnsubscribe"),
    ("rootSubscribe", "rootNotification", "rootUnsubscribe"),
];

enum Kind {
    Account { key: Pubkey, encoding: UiAccountEncoding, config: RpcAccountInfoConfig, last: AccountSharedData },
    Program { program: Pubkey, filters: Vec<RpcFilterType>, encoding: UiAccountEncoding, config: RpcAccountInfoConfig },
    Logs { mentions: Option<Pubkey> },
    Signature { signature: Signature, received: bool },
    Slot,
    Root,
}

struct Subscription {
    kind: Kind,
    level: CommitmentLevel,
}

/// One connection's subscriptions.
#[derive(Default)]
pub struct Subscriptions {
    active: HashMap<u64, Subscription>,
}

impl Subscriptions {
    /// Whether `method` is one of the subscription methods.
    pub fn handles(method: &str) -> bool {
        KINDS.iter().any(|(subscribe, _, unsubscribe)| method == *subscribe || method == *unsubscribe)
    }

    /// Runs a subscribe or unsubscribe call. Notifications due at once (a signature
    /// already at its commitment) go to `after`, to be sent after the response.
    pub fn call(
        &mut self,
        cluster: &Cluster,
        method: &str,
        params: &Params,
        after: &mut Vec<String>,
    ) -> RpcResult<Box<RawValue>> {
        if KINDS.iter().any(|(_, _, unsubscribe)| method == *unsubscribe) {
            let id = Args::new(params).required::<u64>()?;
            if params.len() > 1 {
                return Err(too_many(params.len()));
            }
            return match self.active.remove(&id) {
                Some(_) => raw(&true),
                None => Err(invalid_params("Invalid subscription id.")),
            };
        }
        let (max_params, subscription) = match method {
            "accountSubscribe" => (2, account(cluster, params)?),
            "programSubscribe" => (2, program(params)?),
            "logsSubscribe" => (2, logs(params)?),
            "signatureSubscribe" => (2, signature(params)?),
            "slotSubscribe" => (0, Subscription { kind: Kind::Slot, level: CommitmentLevel::Processed }),
            "rootSubscribe" => (0, Subscription { kind: Kind::Root, level: CommitmentLevel::Finalized }),
            _ => return Err(jsonrpc_core::Error::method_not_found()),
        };
        if params.len() > max_params {
            return Err(too_many(params.len()));
        }
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        self.active.insert(id, subscription);
        // A signature that is already at the commitment asked for is notified at once.
        if let Some(subscription) = self.active.get(&id) {
            if let Kind::Signature { signature, .. } = &subscription.kind {
                if let Some(record) = cluster.history.get(signature) {
                    if reached(cluster, &record, subscription.level) {
                        after.push(signature_done(id, &record));
                        self.active.remove(&id);
                    }
                }
            }
        }
        raw(&id)
    }

    pub fn is_empty(&self) -> bool {
        self.active.is_empty()
    }

    /// The notifications an event causes.
    pub fn on_event(&mut self, cluster: &Cluster, event: &Event, out: &mut Vec<String>) {
        match event {
            Event::Committed { record, writable, results } => {
                let bank = cluster.ledger.working_bank();
                self.accounts_changed(&bank, CommitmentLevel::Processed, Some(writable), out);
                self.program_accounts(&bank, CommitmentLevel::Processed, writable, results, out);
                self.transaction(cluster, record, CommitmentLevel::Processed, out);
            }
            Event::Written { keys, results } => {
                let bank = cluster.ledger.working_bank();
                self.accounts_changed(&bank, CommitmentLevel::Processed, Some(keys), out);
                self.program_accounts(&bank, CommitmentLevel::Processed, keys, results, out);
            }
            Event::Closed { closed, block, results } => {
                let info = SlotInfo { slot: closed.next_slot, parent: closed.slot, root: closed.slot };
                for (id, subscription) in &self.active {
                    match subscription.kind {
                        Kind::Slot => out.push(notify("slotNotification", *id, &info)),
                        Kind::Root => out.push(notify("rootNotification", *id, &closed.slot)),
                        _ => {}
                    }
                }
                // The new working bank changed the sysvars; the closed slot is the root.
                self.accounts_changed(&cluster.ledger.working_bank(), CommitmentLevel::Processed, None, out);
                let root = cluster.ledger.root_bank();
                self.accounts_changed(&root, CommitmentLevel::Finalized, None, out);
                self.program_accounts(&root, CommitmentLevel::Finalized, &closed.touched, results, out);
                for signature in &block.signatures {
                    if let Some(record) = cluster.history.get(signature) {
                        self.transaction(cluster, &record, CommitmentLevel::Finalized, out);
                    }
                }
            }
        }
    }

    /// After missing events: accounts are compared again and signatures looked up;
    /// the log lines and program changes in between are lost.
    pub fn on_lag(&mut self, cluster: &Cluster, out: &mut Vec<String>) {
        self.accounts_changed(&cluster.ledger.working_bank(), CommitmentLevel::Processed, None, out);
        self.accounts_changed(&cluster.ledger.root_bank(), CommitmentLevel::Finalized, None, out);
        let signatures: Vec<_> = self
            .active
            .values()
            .filter_map(|subscription| match subscription.kind {
                Kind::Signature { signature, .. } => Some(signature),
                _ => None,
            })
            .collect();
        for signature in signatures {
            if let Some(record) = cluster.history.get(&signature) {
                self.transaction(cluster, &record, CommitmentLevel::Processed, out);
                self.transaction(cluster, &record, CommitmentLevel::Finalized, out);
            }
        }
    }

    /// Account subscriptions at `level` (`Finalized` stands for both closed-slot
    /// levels) whose account differs in `bank` from what was last sent; only `keys`
    /// when given.
    fn accounts_changed(
        &mut self,
        bank: &Bank,
        level: CommitmentLevel,
        keys: Option<&[Pubkey]>,
        out: &mut Vec<String>,
    ) {
        for (id, subscription) in &mut self.active {
            if !same_bank(subscription.level, level) {
                continue;
            }
            let Kind::Account { key, encoding, config, last } = &mut subscription.kind else {
                continue;
            };
            if keys.is_some_and(|keys| !keys.contains(key)) {
                continue;
            }
            let now = bank.get_account(key).unwrap_or_default();
            if now == *last {
                continue;
            }
            let value = encode_any_size(bank, key, &now, *encoding, config.data_slice);
            out.push(notify("accountNotification", *id, &in_slot(bank.slot(), value)));
            *last = now;
        }
    }

    /// Program subscriptions at `level` for the accounts among `keys` that the
    /// program owns in `bank` and that pass the filters. Each result (account,
    /// encoding, slice) is encoded once for the event, whichever connection needs it
    /// first (`results`, see `SharedResults`); each subscriber gets its own envelope.
    fn program_accounts(
        &self,
        bank: &Bank,
        level: CommitmentLevel,
        keys: &[Pubkey],
        results: &SharedResults,
        out: &mut Vec<String>,
    ) {
        let programs: Vec<_> = self
            .active
            .iter()
            .filter(|(_, subscription)| same_bank(subscription.level, level))
            .filter_map(|(id, subscription)| match &subscription.kind {
                Kind::Program { program, filters, encoding, config } => Some((*id, program, filters, encoding, config)),
                _ => None,
            })
            .collect();
        if programs.is_empty() {
            return;
        }
        for key in keys {
            let Some(account) = bank.get_account(key) else {
                continue;
            };
            for (id, program, filters, encoding, config) in &programs {
                if account.owner() != *program || !filters.iter().all(|filter| allows(filter, &account)) {
                    continue;
                }
                let result = results.get_or_encode((*key, **encoding, config.data_slice), || {
                    let value = RpcKeyedAccount {
                        pubkey: key.to_string(),
                        account: encode_any_size(bank, key, &account, **encoding, config.data_slice),
                    };
                    to_raw(&in_slot(bank.slot(), value))
                });
                out.push(notification("programNotification", *id, &result));
            }
        }
    }

    /// Logs and signature subscriptions at `level` for a transaction.
    fn transaction(
        &mut self,
        cluster: &Cluster,
        record: &TransactionRecord,
        level: CommitmentLevel,
        out: &mut Vec<String>,
    ) {
        let mut done = Vec::new();
        for (id, subscription) in &mut self.active {
            let at_level = same_bank(subscription.level, level);
            match &mut subscription.kind {
                Kind::Logs { mentions } if at_level => {
                    if mentions.is_some_and(|address| !record.account_keys().any(|key| *key == address)) {
                        continue;
                    }
                    let value = RpcLogsResponse {
                        signature: record.signature().to_string(),
                        err: record.with_meta.meta.status.clone().err().map(Into::into),
                        logs: record.with_meta.meta.log_messages.clone().unwrap_or_default(),
                    };
                    out.push(notify("logsNotification", *id, &in_slot(record.slot, value)));
                }
                Kind::Signature { signature, received } if signature == record.signature() => {
                    if at_level && reached(cluster, record, subscription.level) {
                        out.push(signature_done(*id, record));
                        done.push(*id);
                    } else if *received && level == CommitmentLevel::Processed {
                        let value = RpcSignatureResult::ReceivedSignature(ReceivedSignatureResult::ReceivedSignature);
                        out.push(notify("signatureNotification", *id, &in_slot(record.slot, value)));
                        *received = false;
                    }
                }
                _ => {}
            }
        }
        for id in done {
            self.active.remove(&id);
        }
    }
}

fn account(cluster: &Cluster, params: &Params) -> RpcResult<Subscription> {
    let mut args = Args::new(params);
    let key = args.pubkey()?;
    let config = args.optional::<RpcAccountInfoConfig>()?.unwrap_or_default();
    let level = commitment_level(config.commitment);
    let encoding = config.encoding.unwrap_or(UiAccountEncoding::Binary);
    let last = cluster.ledger.bank(level).get_account(&key).unwrap_or_default();
    Ok(Subscription { kind: Kind::Account { key, encoding, config, last }, level })
}

fn program(params: &Params) -> RpcResult<Subscription> {
    let mut args = Args::new(params);
    let program = args.pubkey()?;
    let config = args.optional::<RpcProgramAccountsConfig>()?.unwrap_or_default();
    let filters = checked_filters(config.filters)?;
    let config = config.account_config;
    let level = commitment_level(config.commitment);
    let encoding = config.encoding.unwrap_or(UiAccountEncoding::Binary);
    Ok(Subscription { kind: Kind::Program { program, filters, encoding, config }, level })
}

fn logs(params: &Params) -> RpcResult<Subscription> {
    let mut args = Args::new(params);
    let filter = args.required::<RpcTransactionLogsFilter>()?;
    let config = args.optional::<RpcTransactionLogsConfig>()?;
    let mentions = match filter {
        RpcTransactionLogsFilter::All | RpcTransactionLogsFilter::AllWithVotes => None,
        RpcTransactionLogsFilter::Mentions(addresses) => match addresses.as_slice() {
            [address] => Some(parse_pubkey(address)?),
            _ => return Err(invalid_params("Invalid Request: Only 1 address supported")),
        },
    };
    let level = commitment_level(config.and_then(|config| config.commitment));
    Ok(Subscription { kind: Kind::Logs { mentions }, level })
}

fn signature(params: &Params) -> RpcResult<Subscription> {
    let mut args = Args::new(params);
    let signature = parse_signature(&args.required::<String>()?)?;
    let config = args.optional::<RpcSignatureSubscribeConfig>()?.unwrap_or_default();
    let received = config.enable_received_notification.unwrap_or(false);
    Ok(Subscription { kind: Kind::Signature { signature, received }, level: commitment_level(config.commitment) })
}

/// Whether a subscription at `subscribed` reads the bank of `level`: the working bank
/// (`processed`) or the last closed slot (`confirmed`, `finalized`).
fn same_bank(subscribed: CommitmentLevel, level: CommitmentLevel) -> bool {
    (subscribed == CommitmentLevel::Processed) == (level == CommitmentLevel::Processed)
}

/// Whether a committed transaction is at `level`.
fn reached(cluster: &Cluster, record: &TransactionRecord, level: CommitmentLevel) -> bool {
    level == CommitmentLevel::Processed || record.slot <= cluster.ledger.root_slot()
}

fn signature_done(id: u64, record: &TransactionRecord) -> String {
    let err = record.with_meta.meta.status.clone().err().map(Into::into);
    let value = RpcSignatureResult::ProcessedSignature(ProcessedSignatureResult { err });
    notify("signatureNotification", id, &in_slot(record.slot, value))
}

fn in_slot<T>(slot: u64, value: T) -> Response<T> {
    Response { context: RpcResponseContext::new(slot), value }
}

fn notify(method: &str, id: u64, result: &impl Serialize) -> String {
    notification(method, id, &to_raw(result))
}

fn to_raw(result: &impl Serialize) -> Box<RawValue> {
    // Solana's response types always serialize.
    serde_json::value::to_raw_value(result).unwrap_or_else(|_| RawValue::NULL.to_owned())
}

fn raw(value: &impl Serialize) -> RpcResult<Box<RawValue>> {
    serde_json::value::to_raw_value(value).map_err(|error| internal(error.to_string()))
}

fn too_many(count: usize) -> jsonrpc_core::Error {
    invalid_params(format!("Invalid params: invalid length {count}, expected fewer elements in array."))
}
