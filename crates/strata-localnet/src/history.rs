//! Processed transactions by signature, for `getSignatureStatuses` and
//! `getTransaction`. Bounded: the oldest are forgotten first.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, PoisonError, RwLock};

use solana_clock::{Slot, UnixTimestamp};
use solana_signature::Signature;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_status_client_types::TransactionStatusMeta;

/// Transactions remembered; a long keeper run stays well within memory.
const CAPACITY: usize = 100_000;

/// A transaction the bank committed (successfully or not: a failed transaction still
/// pays its fee and is part of the block).
#[derive(Debug)]
pub struct TransactionRecord {
    pub slot: Slot,
    /// The clock's time in that slot.
    pub block_time: UnixTimestamp,
    pub transaction: VersionedTransaction,
    pub meta: TransactionStatusMeta,
}

#[derive(Default)]
pub struct History {
    inner: RwLock<Inner>,
}

#[derive(Default)]
struct Inner {
    by_signature: HashMap<Signature, Arc<TransactionRecord>>,
    oldest_first: VecDeque<Signature>,
}

impl History {
    pub fn insert(&self, signature: Signature, record: TransactionRecord) {
        let mut inner = self.inner.write().unwrap_or_else(PoisonError::into_inner);
        if inner.by_signature.insert(signature, Arc::new(record)).is_none() {
            inner.oldest_first.push_back(signature);
        }
        while inner.oldest_first.len() > CAPACITY {
            if let Some(oldest) = inner.oldest_first.pop_front() {
                inner.by_signature.remove(&oldest);
            }
        }
    }

    pub fn get(&self, signature: &Signature) -> Option<Arc<TransactionRecord>> {
        self.inner.read().unwrap_or_else(PoisonError::into_inner).by_signature.get(signature).cloned()
    }
}
