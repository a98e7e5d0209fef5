//! The chain of banks: one working bank that takes transactions, a new slot every
//! 400 ms with a new blockhash, and a `Clock` that follows wall time.
//!
//! Everything that changes the working bank (transactions, simulations on it, account
//! writes, moving to the next slot) runs under one lock, like a leader's banking
//! stage with a single thread: transactions never race each other for account locks
//! and a slot never freezes under a running transaction. Reads never wait for the
//! writer (only, briefly, for the next slot's bank to be put in place).
//!
//! A slot ends on time, as a leader's does, however many transactions wait: once a
//! slot is due, only the one running finishes before it closes, and the others go into
//! the next slot. (With a plain lock the slot waited its turn behind them: under a
//! burst of liquidations slots ran 600 ms and more, so the chain's clock depended on
//! its load and a benchmark timed the lock as much as the keepers.)
//!
//! Commitment: the working bank is `processed`; a slot that closes is frozen and rooted
//! at once (one validator, no forks), so the last closed slot is both `confirmed` and
//! `finalized`.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use solana_clock::{Clock, Slot, UnixTimestamp};
use solana_commitment_config::CommitmentLevel;
use solana_hash::Hash;
use solana_pubkey::Pubkey;
use solana_runtime::bank::{Bank, DropCallback};
use solana_runtime::bank_forks::BankForks;

/// How long a slot lasts, as on mainnet.
pub const SLOT_DURATION: Duration = Duration::from_millis(400);

pub struct Ledger {
    forks: Arc<RwLock<BankForks>>,
    writer: Mutex<WriterState>,
    /// Set while `advance_slot` waits for the writer lock: whoever else takes the lock
    /// meanwhile hands it straight back (`slot_opened`) until the next slot is open.
    slot_due: AtomicBool,
    slot_opened: Condvar,
    /// The last closed slot, for those who wait for one (`wait_for_root`).
    root: Mutex<Slot>,
    root_moved: Condvar,
}

/// What only the writer touches.
#[derive(Default)]
pub struct WriterState {
    /// Seconds added to wall time by `strata_advanceClock`.
    clock_offset_secs: i64,
    /// Accounts written in the working slot (by transactions or dev writes).
    touched: HashSet<Pubkey>,
}

/// Exclusive access to the working bank, for changes.
pub struct Writer<'a> {
    state: MutexGuard<'a, WriterState>,
    pub bank: Arc<Bank>,
}

/// A slot that has just closed, and what its block records.
#[derive(Clone, Debug)]
pub struct ClosedSlot {
    pub slot: Slot,
    pub parent_slot: Slot,
    /// The slot's last blockhash (registered by its final tick), and its parent's.
    pub blockhash: Hash,
    pub previous_blockhash: Hash,
    pub block_time: UnixTimestamp,
    pub block_height: u64,
    /// Accounts written in the slot.
    pub touched: Vec<Pubkey>,
    /// The slot opened after it.
    pub next_slot: Slot,
}

/// What a bank does when its last reference goes: nothing. Without a callback a
/// dropped bank purges its slot's accounts, which is for abandoned forks; here every
/// slot is rooted as it closes and `upkeep` cleans rooted slots, so a purge could only
/// race that cleaning. It did, under load: a `getProgramAccounts` over 10,000
/// positions held a bank past its slot's cleaning, and its late purge tripped an
/// accounts-db assertion ("slot … is not none") and took the cluster down. Children
/// inherit the callback from their parent.
#[derive(Debug, Clone)]
struct RootedSlotsStay;

impl DropCallback for RootedSlotsStay {
    fn callback(&self, _bank: &Bank) {}

    fn clone_box(&self) -> Box<dyn DropCallback + Send + Sync> {
        Box::new(self.clone())
    }
}

impl Ledger {
    /// Starts from the frozen genesis bank (the first root) and opens slot 1 on it,
    /// with the clock at now.
    pub fn new(genesis: Bank) -> Result<Self, String> {
        genesis.set_callback(Some(Box::new(RootedSlotsStay)));
        let root = genesis.slot();
        let forks = BankForks::new_rw_arc(genesis);
        let parent = forks.read().unwrap_or_else(PoisonError::into_inner).root_bank();
        let collector = *parent.collector_id();
        let slot = root.checked_add(1).ok_or("slot overflow")?;
        let state = WriterState::default();
        let child = Bank::new_from_parent(parent, &collector, slot);
        follow_wall_clock(&child, state.clock_offset_secs);
        forks.write().unwrap_or_else(PoisonError::into_inner).insert(child);
        Ok(Self {
            forks,
            writer: Mutex::new(state),
            slot_due: AtomicBool::new(false),
            slot_opened: Condvar::new(),
            root: Mutex::new(root),
            root_moved: Condvar::new(),
        })
    }

    /// The bank that `processed` reads are served from and transactions go into.
    pub fn working_bank(&self) -> Arc<Bank> {
        self.forks.read().unwrap_or_else(PoisonError::into_inner).working_bank()
    }

    /// The last closed slot's bank: `confirmed` and `finalized`.
    pub fn root_bank(&self) -> Arc<Bank> {
        self.forks.read().unwrap_or_else(PoisonError::into_inner).root_bank()
    }

    /// The bank a read at `level` sees.
    pub fn bank(&self, level: CommitmentLevel) -> Arc<Bank> {
        match level {
            CommitmentLevel::Processed => self.working_bank(),
            CommitmentLevel::Confirmed | CommitmentLevel::Finalized => self.root_bank(),
        }
    }

    /// The last closed slot.
    pub fn root_slot(&self) -> Slot {
        *self.root.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until `slot` has closed, or `timeout` has passed; whether it closed.
    pub fn wait_for_root(&self, slot: Slot, timeout: Duration) -> bool {
        let root = self.root.lock().unwrap_or_else(PoisonError::into_inner);
        let (root, _) = self
            .root_moved
            .wait_timeout_while(root, timeout, |root| *root < slot)
            .unwrap_or_else(PoisonError::into_inner);
        *root >= slot
    }

    /// Waits for exclusive access to the working bank; while a slot is due, for the
    /// next slot's.
    pub fn writer(&self) -> Writer<'_> {
        let mut state = self.lock_writer();
        while self.slot_due.load(Ordering::Acquire) {
            state = self.slot_opened.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
        Writer { state, bank: self.working_bank() }
    }

    fn lock_writer(&self) -> MutexGuard<'_, WriterState> {
        // A panic while holding the lock cannot leave the bank half-changed (the
        // runtime commits a transaction atomically), so a poisoned lock is still usable.
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Closes the current slot (its last tick registers the next blockhash), roots it
    /// (there is one validator and no forks) and opens the next one with the clock at
    /// wall time. `on_closed` runs before anyone can read the new root: the block is
    /// on record when a `confirmed` read first sees the slot.
    pub fn advance_slot(&self, on_closed: impl FnOnce(&ClosedSlot)) -> Result<ClosedSlot, String> {
        // Ahead of every writer waiting: they see the flag once they hold the lock, and
        // wait for the next slot without touching this one.
        self.slot_due.store(true, Ordering::Release);
        let mut state = self.lock_writer();
        let advanced = self.advance_locked(&mut state, on_closed);
        // Cleared under the lock: a writer that saw it set is already waiting.
        self.slot_due.store(false, Ordering::Release);
        drop(state);
        self.slot_opened.notify_all();
        advanced
    }

    /// `advance_slot`'s work, with the writer lock held (`state`).
    fn advance_locked(
        &self,
        state: &mut WriterState,
        on_closed: impl FnOnce(&ClosedSlot),
    ) -> Result<ClosedSlot, String> {
        let parent = self.working_bank();
        let previous_blockhash = parent.last_blockhash();
        parent.fill_bank_with_ticks_for_tests();
        let parent_slot = parent.slot();
        let slot = parent_slot.checked_add(1).ok_or("slot overflow")?;
        let collector = *parent.collector_id();
        let child = Bank::new_from_parent(parent.clone(), &collector, slot);
        follow_wall_clock(&child, state.clock_offset_secs);
        let mut touched: Vec<Pubkey> = state.touched.drain().collect();
        touched.sort_unstable();
        let closed = ClosedSlot {
            slot: parent_slot,
            parent_slot: parent.parent_slot(),
            blockhash: parent.last_blockhash(),
            previous_blockhash,
            block_time: parent.clock().unix_timestamp,
            block_height: parent.block_height(),
            touched,
            next_slot: slot,
        };
        on_closed(&closed);
        {
            let mut forks = self.forks.write().unwrap_or_else(PoisonError::into_inner);
            forks.insert(child);
            forks.set_root(parent_slot, None, Some(parent_slot));
        }
        *self.root.lock().unwrap_or_else(PoisonError::into_inner) = parent_slot;
        self.root_moved.notify_all();
        Ok(closed)
    }
}

impl Ledger {
    /// What a validator's accounts background service does for rooted slots: writes
    /// the accounts cache of rooted slots to storage, keeping only each account's
    /// newest version, drops the dead versions and shrinks what storage they leave.
    /// Without it, every slot's new sysvar versions (`SlotHashes`, `SlotHistory`, the
    /// `Clock`, about 150 KiB a slot) and every transaction's account versions would
    /// stay in memory for as long as the cluster runs.
    pub fn upkeep(&self) {
        let root = self.root_bank();
        let accounts_db = &root.rc.accounts.accounts_db;
        accounts_db.flush_accounts_cache(true, Some(root.slot()));
        accounts_db.clean_accounts(Some(root.slot().saturating_sub(1)), false, root.epoch_schedule());
        root.shrink_candidate_slots();
    }
}

impl Writer<'_> {
    /// Moves the cluster's clock `seconds` ahead of wall time, from now on.
    pub fn advance_clock(&mut self, seconds: i64) -> Result<UnixTimestamp, String> {
        let offset = self.state.clock_offset_secs.checked_add(seconds).ok_or("clock offset overflow")?;
        self.state.clock_offset_secs = offset;
        self.state.touched.insert(solana_clock::sysvar::ID);
        Ok(follow_wall_clock(&self.bank, offset))
    }

    /// Records that `keys` were written in the working slot.
    pub fn touch(&mut self, keys: impl IntoIterator<Item = Pubkey>) {
        self.state.touched.extend(keys);
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

#[cfg(test)]
mod tests {
    use std::thread;

    use super::*;

    /// Long enough for a thread just started to be waiting on the lock it asked for.
    const SETTLE: Duration = Duration::from_millis(100);

    #[test]
    fn a_due_slot_closes_before_the_writers_already_waiting() {
        let ledger = Ledger::new(crate::genesis::create().expect("genesis").bank).expect("ledger");
        let first = ledger.working_bank().slot();
        let holder = ledger.writer();
        thread::scope(|scope| {
            // A transaction waits for the lock first, then the slot comes due.
            let waiting = scope.spawn(|| ledger.writer().bank.slot());
            thread::sleep(SETTLE);
            let advancing = scope.spawn(|| ledger.advance_slot(|_| {}).map(|closed| closed.slot));
            thread::sleep(SETTLE);
            drop(holder);
            assert_eq!(advancing.join().expect("advance").expect("advanced"), first, "the working slot closed");
            assert_eq!(waiting.join().expect("writer"), first + 1, "the waiting transaction went into the next slot");
        });
    }
}
