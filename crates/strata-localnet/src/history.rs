//! What the cluster remembers of its past, in memory and bounded: committed
//! transactions by signature, the signatures that reference each address, and the
//! blocks of closed slots.
//!
//! A block is forgotten together with its transactions, oldest first, as soon as
//! there are more blocks or transactions than the limits allow, or the transactions'
//! estimated size exceeds its limit (by default [`BLOCK_CAPACITY`],
//! [`TRANSACTION_CAPACITY`], [`BYTE_CAPACITY`]): every block on record has all its
//! transactions on record, as in a validator's ledger after cleanup.

use std::collections::{HashMap, VecDeque};
use std::mem::size_of;
use std::sync::{Arc, PoisonError, RwLock};

use solana_clock::{Slot, UnixTimestamp};
use solana_hash::Hash;
use solana_pubkey::Pubkey;
use solana_signature::Signature;
use solana_transaction_status::VersionedTransactionWithStatusMeta;

use crate::ledger::ClosedSlot;

/// Blocks remembered: a day of 400 ms slots.
pub const BLOCK_CAPACITY: usize = 216_000;
/// Transactions remembered.
pub const TRANSACTION_CAPACITY: usize = 100_000;
/// The transactions' estimated size in memory (records and address index).
pub const BYTE_CAPACITY: usize = 256 << 20;

/// How much history to keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HistoryLimits {
    pub blocks: usize,
    pub transactions: usize,
    /// The transactions' estimated size in memory, records and address index.
    pub bytes: usize,
}

impl Default for HistoryLimits {
    fn default() -> Self {
        Self { blocks: BLOCK_CAPACITY, transactions: TRANSACTION_CAPACITY, bytes: BYTE_CAPACITY }
    }
}

/// A transaction the bank committed (successfully or not: a failed transaction still
/// pays its fee and is part of the block).
#[derive(Debug)]
pub struct TransactionRecord {
    pub slot: Slot,
    /// The clock's time in that slot.
    pub block_time: UnixTimestamp,
    pub with_meta: VersionedTransactionWithStatusMeta,
}

impl TransactionRecord {
    pub fn signature(&self) -> &Signature {
        &self.with_meta.transaction.signatures[0]
    }

    /// Every account the transaction references, loaded ones included.
    pub fn account_keys(&self) -> impl Iterator<Item = &Pubkey> {
        let loaded = &self.with_meta.meta.loaded_addresses;
        self.with_meta.transaction.message.static_account_keys().iter().chain(&loaded.writable).chain(&loaded.readonly)
    }

    /// What the record, its address-index entries and its place in its block
    /// allocate, roughly: every heap allocation with the allocator's 16 bytes, maps'
    /// entries at their usual load. A transfer comes to about 1.7 KB.
    fn estimated_size(&self) -> usize {
        const ALLOCATION: usize = 16;
        let heap = |bytes: usize| if bytes == 0 { 0 } else { bytes.next_multiple_of(16) + ALLOCATION };
        let transaction = &self.with_meta.transaction;
        let meta = &self.with_meta.meta;
        let keys = self.account_keys().count();
        let instructions: usize = transaction
            .message
            .instructions()
            .iter()
            .map(|ix| 56 + heap(ix.data.len()) + heap(ix.accounts.len()))
            .sum();
        let logs: usize = meta.log_messages.iter().flatten().map(|line| 24 + heap(line.len())).sum();
        let inner: usize = meta
            .inner_instructions
            .iter()
            .flatten()
            .map(|set| {
                let each = set
                    .instructions
                    .iter()
                    .map(|ix| 64 + heap(ix.instruction.data.len()) + heap(ix.instruction.accounts.len()));
                32 + ALLOCATION + each.sum::<usize>()
            })
            .sum();
        // Mint, owner and program as strings, and the amount in three forms.
        let token_balances = meta.pre_token_balances.iter().chain(&meta.post_token_balances).flatten().count() * 400;
        let return_data = meta.return_data.as_ref().map_or(0, |data| heap(data.data.len()));
        let record = size_of::<TransactionRecord>()
            + 2 * ALLOCATION
            + heap(transaction.signatures.len() * 64)
            + heap(transaction.message.static_account_keys().len() * 32)
            + heap(transaction.message.instructions().len() * 56)
            + instructions
            + heap(2 * 8 * keys)
            + heap(meta.log_messages.as_ref().map_or(0, Vec::len) * 24)
            + logs
            + inner
            + token_balances
            + return_data;
        // By signature (a map entry), in its block (a signature), by address (a
        // signature per account, and the map entry of a new address).
        let indexes = 128 + 64 + keys * (64 + 32);
        record + indexes
    }
}

/// A closed slot's block: its transactions are those signatures, in order.
#[derive(Debug)]
pub struct Block {
    pub slot: Slot,
    pub parent_slot: Slot,
    pub blockhash: Hash,
    pub previous_blockhash: Hash,
    pub block_time: UnixTimestamp,
    pub block_height: u64,
    pub signatures: Vec<Signature>,
}

/// Why there is no block for a slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoBlock {
    /// Older than the first block still on record.
    CleanedUp { first_available: Slot },
    /// Not closed yet.
    NotYet,
}

#[derive(Default)]
pub struct History {
    inner: RwLock<Inner>,
    limits: HistoryLimits,
}

#[derive(Default)]
struct Inner {
    transactions: HashMap<Signature, Arc<TransactionRecord>>,
    /// Oldest first.
    by_address: HashMap<Pubkey, VecDeque<Signature>>,
    /// Consecutive closed slots, oldest first.
    blocks: VecDeque<Arc<Block>>,
    /// The working slot's transactions, in order.
    open: Vec<Signature>,
    bytes: usize,
}

impl History {
    pub fn new(limits: HistoryLimits) -> Self {
        Self { inner: RwLock::default(), limits }
    }

    /// Records a transaction committed in the working slot.
    pub fn insert(&self, record: TransactionRecord) -> Arc<TransactionRecord> {
        let signature = *record.signature();
        let size = record.estimated_size();
        let record = Arc::new(record);
        let mut inner = self.write();
        if inner.transactions.insert(signature, record.clone()).is_some() {
            // The bank refuses a signature twice; nothing else to index.
            return record;
        }
        for key in record.account_keys() {
            let signatures = inner.by_address.entry(*key).or_default();
            if signatures.back() != Some(&signature) {
                signatures.push_back(signature);
            }
        }
        inner.open.push(signature);
        inner.bytes += size;
        record
    }

    /// Records the block of a slot that closed, then forgets the oldest blocks while
    /// over capacity.
    pub fn close_slot(&self, closed: &ClosedSlot) -> Arc<Block> {
        let mut inner = self.write();
        let block = Arc::new(Block {
            slot: closed.slot,
            parent_slot: closed.parent_slot,
            blockhash: closed.blockhash,
            previous_blockhash: closed.previous_blockhash,
            block_time: closed.block_time,
            block_height: closed.block_height,
            signatures: std::mem::take(&mut inner.open),
        });
        inner.blocks.push_back(block.clone());
        let limits = self.limits;
        while inner.blocks.len() > limits.blocks
            || inner.transactions.len() > limits.transactions
            || inner.bytes > limits.bytes
        {
            if !inner.forget_oldest_block() {
                break;
            }
        }
        block
    }

    pub fn get(&self, signature: &Signature) -> Option<Arc<TransactionRecord>> {
        self.read().transactions.get(signature).cloned()
    }

    /// The block of `slot`, when it has closed and is still on record.
    pub fn block(&self, slot: Slot) -> Result<Arc<Block>, NoBlock> {
        let inner = self.read();
        let Some(first) = inner.blocks.front().map(|block| block.slot) else {
            return Err(NoBlock::NotYet);
        };
        if slot < first {
            return Err(NoBlock::CleanedUp { first_available: first });
        }
        let index = usize::try_from(slot - first).map_err(|_| NoBlock::NotYet)?;
        inner.blocks.get(index).cloned().ok_or(NoBlock::NotYet)
    }

    /// The first slot whose block is on record (the next one to close when none is).
    pub fn first_available_block(&self) -> Option<Slot> {
        self.read().blocks.front().map(|block| block.slot)
    }

    /// The slots of the blocks on record from `start` to `end` inclusive, at most `limit`.
    pub fn block_slots(&self, start: Slot, end: Slot, limit: usize) -> Vec<Slot> {
        let inner = self.read();
        let Some(first) = inner.blocks.front().map(|block| block.slot) else {
            return Vec::new();
        };
        let start = start.max(first);
        let skip = usize::try_from(start - first).unwrap_or(usize::MAX);
        inner.blocks.iter().skip(skip).map(|block| block.slot).take_while(|slot| *slot <= end).take(limit).collect()
    }

    /// Transactions that reference `address` in slots up to `max_slot`, newest first:
    /// those older than `before` (when given, and on record), down to `until`
    /// (excluded), at most `limit`.
    pub fn signatures_for_address(
        &self,
        address: &Pubkey,
        max_slot: Slot,
        before: Option<&Signature>,
        until: Option<&Signature>,
        limit: usize,
    ) -> Vec<Arc<TransactionRecord>> {
        let inner = self.read();
        let Some(signatures) = inner.by_address.get(address) else {
            return Vec::new();
        };
        let mut newest_first = signatures.iter().rev().peekable();
        if let Some(before) = before {
            if !signatures.contains(before) {
                return Vec::new();
            }
            newest_first.by_ref().find(|signature| *signature == before);
        }
        newest_first
            .take_while(|signature| Some(*signature) != until)
            .filter_map(|signature| inner.transactions.get(signature))
            .filter(|record| record.slot <= max_slot)
            .take(limit)
            .cloned()
            .collect()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Inner {
    /// Forgets the oldest block and its transactions; false when there is none.
    fn forget_oldest_block(&mut self) -> bool {
        let Some(block) = self.blocks.pop_front() else {
            return false;
        };
        for signature in &block.signatures {
            let Some(record) = self.transactions.remove(signature) else {
                continue;
            };
            self.bytes = self.bytes.saturating_sub(record.estimated_size());
            for key in record.account_keys() {
                let Some(signatures) = self.by_address.get_mut(key) else {
                    continue;
                };
                // The oldest transactions go first, so theirs is the oldest entry.
                if signatures.front() == Some(signature) {
                    signatures.pop_front();
                } else if let Some(position) = signatures.iter().position(|s| s == signature) {
                    signatures.remove(position);
                }
                if signatures.is_empty() {
                    self.by_address.remove(key);
                }
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use solana_message::{Message, VersionedMessage};
    use solana_transaction::versioned::VersionedTransaction;
    use solana_transaction_status::TransactionStatusMeta;

    use super::*;

    fn record(slot: Slot, keys: &[Pubkey], seed: u8) -> TransactionRecord {
        let mut message = Message::new(&[], Some(&keys[0]));
        message.account_keys = keys.to_vec();
        let transaction = VersionedTransaction {
            signatures: vec![Signature::from([seed; 64])],
            message: VersionedMessage::Legacy(message),
        };
        let with_meta = VersionedTransactionWithStatusMeta { transaction, meta: TransactionStatusMeta::default() };
        TransactionRecord { slot, block_time: 0, with_meta }
    }

    fn closed(slot: Slot) -> ClosedSlot {
        ClosedSlot {
            slot,
            parent_slot: slot.saturating_sub(1),
            blockhash: Hash::new_unique(),
            previous_blockhash: Hash::new_unique(),
            block_time: 0,
            block_height: slot,
            touched: Vec::new(),
            next_slot: slot + 1,
        }
    }

    #[test]
    fn a_transfer_is_estimated_at_what_it_allocates() {
        let (from, to) = (Pubkey::new_unique(), Pubkey::new_unique());
        let transfer = solana_system_interface::instruction::transfer(&from, &to, 1);
        let message = Message::new(&[transfer], Some(&from));
        let transaction = VersionedTransaction {
            signatures: vec![Signature::from([1; 64])],
            message: VersionedMessage::Legacy(message),
        };
        let system = solana_system_interface::program::ID;
        let meta = TransactionStatusMeta {
            pre_balances: vec![10, 0, 1],
            post_balances: vec![5, 5, 1],
            log_messages: Some(vec![format!("Program {system} invoke [1]"), format!("Program {system} success")]),
            pre_token_balances: Some(Vec::new()),
            post_token_balances: Some(Vec::new()),
            ..TransactionStatusMeta::default()
        };
        let with_meta = VersionedTransactionWithStatusMeta { transaction, meta };
        let size = TransactionRecord { slot: 1, block_time: 0, with_meta }.estimated_size();
        assert!((1_400..2_000).contains(&size), "{size}");
    }

    #[test]
    fn over_the_transaction_limit_whole_blocks_go() {
        let history = History::new(HistoryLimits { transactions: 3, ..HistoryLimits::default() });
        let payer = Pubkey::new_unique();
        for slot in 1..=4u64 {
            history.insert(record(slot, &[payer], (2 * slot) as u8));
            history.insert(record(slot, &[payer], (2 * slot + 1) as u8));
            history.close_slot(&closed(slot));
        }
        // Blocks of two transactions, at most three transactions: each new block pushes
        // the one before out, whole.
        assert_eq!(history.first_available_block(), Some(4));
        assert_eq!(history.signatures_for_address(&payer, Slot::MAX, None, None, 10).len(), 2);
        let inner = history.read();
        assert!(inner.bytes > 0 && inner.transactions.len() == 2);
    }

    #[test]
    fn blocks_hold_their_transactions_and_the_index_finds_them_newest_first() {
        let history = History::default();
        let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
        history.insert(record(1, &[a, b], 1));
        history.insert(record(1, &[a], 2));
        let block = history.close_slot(&closed(1));
        assert_eq!(block.signatures, vec![Signature::from([1; 64]), Signature::from([2; 64])]);
        history.insert(record(2, &[b], 3));
        history.close_slot(&closed(2));

        let for_a: Vec<_> =
            history.signatures_for_address(&a, 2, None, None, 10).iter().map(|r| *r.signature()).collect();
        assert_eq!(for_a, vec![Signature::from([2; 64]), Signature::from([1; 64])]);
        let for_b = history.signatures_for_address(&b, 2, Some(&Signature::from([3; 64])), None, 10);
        assert_eq!(for_b.iter().map(|r| *r.signature()).collect::<Vec<_>>(), vec![Signature::from([1; 64])]);
        assert!(history.signatures_for_address(&b, 1, None, Some(&Signature::from([1; 64])), 10).is_empty());
        assert_eq!(history.block_slots(0, 10, 10), vec![1, 2]);
        assert_eq!(history.block(0).err(), Some(NoBlock::CleanedUp { first_available: 1 }));
        assert_eq!(history.block(3).err(), Some(NoBlock::NotYet));
    }

    #[test]
    fn the_oldest_blocks_go_with_their_transactions_and_index_entries() {
        let history = History::new(HistoryLimits { blocks: 1_000, ..HistoryLimits::default() });
        let payer = Pubkey::new_unique();
        for slot in 1..=1_002 {
            if slot <= 3 {
                history.insert(record(slot, &[payer], slot as u8));
            }
            history.close_slot(&closed(slot));
        }
        assert_eq!(history.first_available_block(), Some(3));
        assert!(history.get(&Signature::from([1; 64])).is_none());
        assert!(history.get(&Signature::from([3; 64])).is_some());
        let left = history.signatures_for_address(&payer, Slot::MAX, None, None, 10);
        assert_eq!(left.len(), 1);
        let inner = history.read();
        assert_eq!(inner.transactions.len(), 1);
        assert_eq!(inner.by_address[&payer].len(), 1);
    }
}
