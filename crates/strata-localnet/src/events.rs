//! What happens on the cluster, as WebSocket subscriptions learn it: broadcast to
//! every connection, each of which matches them against its own subscriptions.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::value::RawValue;
use solana_account_decoder::{UiAccountEncoding, UiDataSliceConfig};
use solana_pubkey::Pubkey;

use crate::history::{Block, TransactionRecord};
use crate::ledger::ClosedSlot;

/// Events a connection may fall behind on before it starts missing some (it then
/// re-reads what it can: accounts and signatures; log lines in between are lost, as
/// on a validator whose notification queue overflows).
pub const EVENT_CAPACITY: usize = 16_384;

#[derive(Clone, Debug)]
pub enum Event {
    /// A transaction committed in the working slot (`processed`).
    Committed { record: Arc<TransactionRecord>, writable: Arc<[Pubkey]>, results: Arc<SharedResults> },
    /// Accounts written directly (dev methods) in the working slot.
    Written { keys: Arc<[Pubkey]>, results: Arc<SharedResults> },
    /// A slot closed and was rooted (`confirmed` and `finalized`); the next one opened.
    Closed { closed: Arc<ClosedSlot>, block: Arc<Block>, results: Arc<SharedResults> },
}

/// An account's notification result: which account, in which encoding and slice.
pub type ResultKey = (Pubkey, UiAccountEncoding, Option<UiDataSliceConfig>);

/// The program notifications' results of one event, shared by every connection. Each
/// connection follows the events on its own, and a fleet of keepers and a watcher all
/// subscribe to the same pool's positions: encoded per connection, every position a
/// liquidation touched was read, base58- and base64-encoded and serialized once per
/// subscriber (clearing 10,000 positions with one keeper and the watcher subscribed,
/// 9% of the cluster's time, about 5% per subscriber; the preflights took 12%).
/// Encoded once per event instead, the cluster's cost of a notification does not grow
/// with its subscribers. The results go with the event: the channel drops it once
/// every connection has received it.
#[derive(Debug, Default)]
pub struct SharedResults {
    results: Mutex<HashMap<ResultKey, Arc<RawValue>>>,
}

impl SharedResults {
    /// The result for `key`, encoded by `encode` unless a connection already did.
    /// Encoding runs outside the lock: two connections may both encode the same
    /// result at once (the same bytes), never wait for each other's encoding.
    pub fn get_or_encode(&self, key: ResultKey, encode: impl FnOnce() -> Box<RawValue>) -> Arc<RawValue> {
        if let Some(known) = self.lock().get(&key) {
            return known.clone();
        }
        let encoded: Arc<RawValue> = Arc::from(encode());
        self.lock().entry(key).or_insert(encoded).clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ResultKey, Arc<RawValue>>> {
        // A connection that panicked mid-insert leaves a map that is still whole.
        self.results.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_string()).expect("json")
    }

    #[test]
    fn a_result_is_encoded_once_per_account_encoding_and_slice() {
        let results = SharedResults::default();
        let encodings = Cell::new(0);
        let encode = |text: &'static str| {
            let encodings = &encodings;
            move || {
                encodings.set(encodings.get() + 1);
                raw(text)
            }
        };
        let account = Pubkey::new_unique();
        let whole = (account, UiAccountEncoding::Base64, None);
        let first = results.get_or_encode(whole, encode("1"));
        let again = results.get_or_encode(whole, encode("2"));
        assert_eq!((first.get(), again.get(), encodings.get()), ("1", "1", 1));
        // Another slice, encoding or account is another result.
        let slice = Some(UiDataSliceConfig { offset: 0, length: 8 });
        assert_eq!(results.get_or_encode((account, UiAccountEncoding::Base64, slice), encode("3")).get(), "3");
        assert_eq!(results.get_or_encode((account, UiAccountEncoding::Base64Zstd, None), encode("4")).get(), "4");
        assert_eq!(
            results.get_or_encode((Pubkey::new_unique(), UiAccountEncoding::Base64, None), encode("5")).get(),
            "5"
        );
        assert_eq!(encodings.get(), 4);
    }
}
