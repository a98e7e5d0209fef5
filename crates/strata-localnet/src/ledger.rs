//! The chain of banks: one working bank that takes transactions, a new slot every
//! 400 ms with a new blockhash, and a `Clock` that follows wall time.
//!
//! Everything that changes the working bank (transactions, simulations, account
//! writes, moving to the next slot) runs under one lock, like a leader's banking
//! stage with a single thread: transactions never race each other for account locks
//! and a slot never freezes under a running transaction. Reads never wait for the
//! writer (only, briefly, for the next slot's bank to be put in place).

use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use solana_clock::{Clock, UnixTimestamp};
use solana_hash::Hash;
use solana_runtime::bank::Bank;
use solana_runtime::bank_forks::BankForks;

/// How long a slot lasts, as on mainnet.
pub const SLOT_DURATION: std::time::Duration = std::time::Duration::from_millis(400);

pub struct Ledger {
    forks: Arc<RwLock<BankForks>>,
    writer: Mutex<WriterState>,
}

/// What only the writer touches.
#[derive(Default)]
pub struct WriterState {
    /// Seconds added to wall time by `strata_advanceClock`.
    clock_offset_secs: i64,
}

/// Exclusive access to the working bank, for changes.
pub struct Writer<'a> {
    state: MutexGuard<'a, WriterState>,
    pub bank: Arc<Bank>,
}

impl Ledger {
    /// Starts from `bank`, setting its clock to now.
    pub fn new(bank: Bank) -> Self {
        let state = WriterState::default();
        follow_wall_clock(&bank, state.clock_offset_secs);
        Self { forks: BankForks::new_rw_arc(bank), writer: Mutex::new(state) }
    }

    /// The bank that reads are served from and transactions go into.
    pub fn working_bank(&self) -> Arc<Bank> {
        self.forks.read().unwrap_or_else(PoisonError::into_inner).working_bank()
    }

    /// Waits for exclusive access to the working bank.
    pub fn writer(&self) -> Writer<'_> {
        // A panic while holding the lock cannot leave the bank half-changed (the
        // runtime commits a transaction atomically), so a poisoned lock is still usable.
        let state = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        Writer { state, bank: self.working_bank() }
    }

    /// Closes the current slot (its last tick registers the next blockhash) and opens
    /// the next one with the clock at wall time. The closed slot becomes the root:
    /// there is one validator and no forks.
    pub fn advance_slot(&self) -> Result<(), String> {
        let writer = self.writer();
        let parent = writer.bank.clone();
        parent.fill_bank_with_ticks_for_tests();
        let parent_slot = parent.slot();
        let slot = parent_slot.checked_add(1).ok_or("slot overflow")?;
        let collector = *parent.collector_id();
        let child = Bank::new_from_parent(parent, &collector, slot);
        follow_wall_clock(&child, writer.state.clock_offset_secs);
        let mut forks = self.forks.write().unwrap_or_else(PoisonError::into_inner);
        forks.insert(child);
        forks.set_root(parent_slot, None, Some(parent_slot));
        Ok(())
    }
}

impl Writer<'_> {
    /// Moves the cluster's clock `seconds` ahead of wall time, from now on.
    pub fn advance_clock(&mut self, seconds: i64) -> Result<UnixTimestamp, String> {
        let offset = self.state.clock_offset_secs.checked_add(seconds).ok_or("clock offset overflow")?;
        self.state.clock_offset_secs = offset;
        Ok(follow_wall_clock(&self.bank, offset))
    }
}

/// The bank's latest blockhash and the last block height at which it is valid.
pub fn latest_blockhash(bank: &Bank) -> (Hash, u64) {
    let blockhash = bank.last_blockhash();
    (blockhash, bank.get_blockhash_last_valid_block_height(&blockhash).unwrap_or_default())
}

/// Sets the bank's `Clock::unix_timestamp` to wall time plus `offset_secs`, never
/// moving it backwards. Returns the time set.
fn follow_wall_clock(bank: &Bank, offset_secs: i64) -> UnixTimestamp {
    let clock = bank.clock();
    let unix_timestamp = wall_clock_secs().saturating_add(offset_secs).max(clock.unix_timestamp);
    bank.set_sysvar_for_tests(&Clock { unix_timestamp, ..clock });
    unix_timestamp
}

fn wall_clock_secs() -> i64 {
    // Before 1970 or after year 292 billion: neither happens, 0 keeps it total.
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|elapsed| i64::try_from(elapsed.as_secs()).ok())
        .unwrap_or(0)
}
