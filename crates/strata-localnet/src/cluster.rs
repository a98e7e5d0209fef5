//! The cluster as its RPC front sees it: the ledger, the transaction history, the
//! faucet, the events subscriptions follow, and what a client can ask of them.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use solana_account::AccountSharedData;
use solana_clock::{Slot, UnixTimestamp};
use solana_commitment_config::CommitmentLevel;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_hash::Hash;
use solana_keypair::Keypair;
use solana_message::v0::LoadedAddresses;
use solana_native_token::LAMPORTS_PER_SOL;
use solana_pubkey::Pubkey;
use solana_runtime::bank::{Bank, TransactionSimulationResult};
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction::{Transaction, TransactionVerificationMode};
use solana_transaction_error::TransactionError;
use solana_transaction_status::VersionedTransactionWithStatusMeta;
use tokio::sync::broadcast;

use crate::events::{Event, EVENT_CAPACITY};
use crate::executor::{self, SanitizedTx};
use crate::genesis::Genesis;
use crate::history::{History, HistoryLimits, TransactionRecord};
use crate::ledger::{latest_blockhash, Ledger, Writer};

/// Compute-unit limits the faucet cycles through (see `airdrop`).
const AIRDROP_CU_LIMIT_BASE: u32 = 1_000;
const AIRDROP_CU_LIMIT_SPREAD: u32 = 100_000;
/// The most one airdrop hands out: the faucet holds 500 times as much, so no request
/// can drain it.
pub const AIRDROP_CAP_LAMPORTS: u64 = 1_000_000 * LAMPORTS_PER_SOL;
/// How long a write that waits for its slot to close (airdrops, dev writes) waits at
/// most: many slots, in case the machine is very busy.
const CLOSE_PATIENCE: Duration = Duration::from_secs(30);

pub struct Cluster {
    pub ledger: Ledger,
    pub history: History,
    /// What subscriptions follow (see `events`).
    pub events: broadcast::Sender<Event>,
    faucet: Keypair,
    pub identity: Pubkey,
    pub genesis_hash: Hash,
    airdrops: AtomicU32,
}

/// Why a transaction is refused before it runs.
#[derive(Debug)]
pub enum Rejected {
    /// It does not sanitize, or its lookup tables do not resolve.
    Invalid(TransactionError),
    /// A signature does not verify.
    SignatureFailure,
}

/// Why a transaction was not accepted.
#[derive(Debug)]
pub enum SubmitError {
    Rejected(Rejected),
    /// The preflight simulation failed.
    Preflight(Box<Simulation>),
}

/// A simulation and what a client needs to interpret it.
#[derive(Debug)]
pub struct Simulation {
    pub result: TransactionSimulationResult,
    pub loaded_addresses: LoadedAddresses,
    /// How many accounts the transaction references (loaded ones included).
    pub account_count: usize,
    /// The blockhash put in place of the transaction's, and its last valid block height.
    pub replacement_blockhash: Option<(Hash, u64)>,
    pub slot: Slot,
}

/// How to simulate.
#[derive(Clone, Copy, Debug)]
pub struct SimulateOptions {
    pub verify_signatures: bool,
    pub replace_recent_blockhash: bool,
    pub record_inner_instructions: bool,
    /// The bank to simulate on.
    pub commitment: CommitmentLevel,
}

/// Why an airdrop was refused.
#[derive(Debug)]
pub enum AirdropError {
    /// More than `AIRDROP_CAP_LAMPORTS`.
    OverCap,
    /// The transfer was refused, or ran and failed.
    Failed(TransactionError),
    /// Its slot did not close in time.
    NotClosed,
}

impl Cluster {
    pub fn new(genesis: Genesis, history: HistoryLimits) -> Result<Self, String> {
        let (events, _) = broadcast::channel(EVENT_CAPACITY);
        Ok(Self {
            ledger: Ledger::new(genesis.bank)?,
            history: History::new(history),
            events,
            faucet: genesis.faucet,
            identity: genesis.identity,
            genesis_hash: genesis.genesis_hash,
            airdrops: AtomicU32::new(0),
        })
    }

    /// The cluster's current Unix time (the working bank's `Clock`).
    pub fn now(&self) -> UnixTimestamp {
        self.ledger.working_bank().clock().unix_timestamp
    }

    /// Verifies, optionally simulates first (`preflight`), then executes `tx` in the
    /// working slot. Returns its signature as soon as the bank has committed it. Like a
    /// validator, a transaction the bank refuses to include after preflight (expired
    /// blockhash, already processed) is dropped: its signature is returned and never
    /// gets a status.
    ///
    /// The preflight runs on the working bank, whatever `preflightCommitment` says: the
    /// transaction runs there next, with that slot's sysvars. On the last closed slot's
    /// bank, a lookup table created with `recentSlot: getSlot()` would always fail
    /// (a slot's own hash is never in its `SlotHashes`).
    pub fn submit(&self, tx: VersionedTransaction, preflight: bool) -> Result<Signature, SubmitError> {
        // Signatures are verified before the lock, as a validator's signature stage does
        // before banking: the costliest check, and it needs nothing the lock guards.
        let verified_on = self.ledger.working_bank();
        let verified = sanitize(&verified_on, tx.clone(), TransactionVerificationMode::FullVerification)
            .map_err(SubmitError::Rejected)?;
        let mut writer = self.ledger.writer();
        let bank = writer.bank.clone();
        // Its lookup tables are read again in a new slot (entries added in the last one
        // are usable now); within the same slot they read the same.
        let sanitized = match bank.slot() == verified_on.slot() {
            true => verified,
            false => {
                sanitize(&bank, tx.clone(), TransactionVerificationMode::HashOnly).map_err(SubmitError::Rejected)?
            }
        };
        let signature = *sanitized.signature();
        // With a preflight, one execution: committed if it succeeds; if not, nothing
        // changed, and the preflight's answer (its logs, its error) comes from a
        // simulation on the same state, as a validator's RPC gives it. Failures are the
        // rare case: a successful transaction runs once, not twice, under the lock.
        match self.commit(&mut writer, &sanitized, tx, preflight) {
            Ok(_) => {}
            Err(_) if preflight => {
                let result = executor::simulate(&bank, &sanitized, false);
                return Err(SubmitError::Preflight(Box::new(simulation(&bank, &sanitized, result, None))));
            }
            Err(TransactionError::AlreadyProcessed) => {}
            Err(error) => eprintln!("strata-localnet: dropped transaction {signature}: {error}"),
        }
        Ok(signature)
    }

    /// Simulates `tx` on the bank of `options.commitment`.
    pub fn simulate(&self, mut tx: VersionedTransaction, options: SimulateOptions) -> Result<Simulation, Rejected> {
        // The working bank changes under the writer; a closed slot's never does.
        let writer = (options.commitment == CommitmentLevel::Processed).then(|| self.ledger.writer());
        let bank = match &writer {
            Some(writer) => writer.bank.clone(),
            None => self.ledger.bank(options.commitment),
        };
        let mut replacement = None;
        if options.replace_recent_blockhash {
            let (blockhash, last_valid) = latest_blockhash(&bank);
            tx.message.set_recent_blockhash(blockhash);
            replacement = Some((blockhash, last_valid));
        }
        let mode = if options.verify_signatures {
            TransactionVerificationMode::FullVerification
        } else {
            TransactionVerificationMode::HashOnly
        };
        let sanitized = sanitize(&bank, tx, mode)?;
        let result = executor::simulate(&bank, &sanitized, options.record_inner_instructions);
        Ok(simulation(&bank, &sanitized, result, replacement))
    }

    /// Sends `lamports` from the faucet, as a transaction with its own signature, and
    /// answers once its slot has closed (the transfer is then visible at every
    /// commitment). A transfer that fails is an error, not a signature.
    pub fn airdrop(&self, to: &Pubkey, lamports: u64) -> Result<Signature, AirdropError> {
        if lamports > AIRDROP_CAP_LAMPORTS {
            return Err(AirdropError::OverCap);
        }
        // Two airdrops of the same amount to the same account in one slot would be the
        // same transaction, refused as already processed; a varying compute-unit limit
        // makes each one distinct.
        let count = self.airdrops.fetch_add(1, Ordering::Relaxed);
        let limit = AIRDROP_CU_LIMIT_BASE.saturating_add(count % AIRDROP_CU_LIMIT_SPREAD);
        let instructions = [
            ComputeBudgetInstruction::set_compute_unit_limit(limit),
            solana_system_interface::instruction::transfer(&self.faucet.pubkey(), to, lamports),
        ];
        let (signature, slot) = {
            let mut writer = self.ledger.writer();
            let tx = Transaction::new_signed_with_payer(
                &instructions,
                Some(&self.faucet.pubkey()),
                &[&self.faucet],
                writer.bank.last_blockhash(),
            );
            let tx = VersionedTransaction::from(tx);
            let bank = writer.bank.clone();
            let sanitized = bank
                .verify_transaction(tx.clone(), TransactionVerificationMode::HashOnly)
                .map_err(AirdropError::Failed)?;
            let record = self.commit(&mut writer, &sanitized, tx, false).map_err(AirdropError::Failed)?;
            record.with_meta.meta.status.clone().map_err(AirdropError::Failed)?;
            (*sanitized.signature(), record.slot)
        };
        if !self.ledger.wait_for_root(slot, CLOSE_PATIENCE) {
            return Err(AirdropError::NotClosed);
        }
        Ok(signature)
    }

    /// Writes accounts directly (dev methods) and answers once their slot has closed
    /// (the write is then visible at every commitment).
    pub fn set_accounts(&self, accounts: &[(Pubkey, AccountSharedData)]) -> Result<Slot, String> {
        let slot = {
            let mut writer = self.ledger.writer();
            for (key, account) in accounts {
                writer.bank.store_account(key, account);
            }
            let keys: Arc<[Pubkey]> = accounts.iter().map(|(key, _)| *key).collect();
            writer.touch(keys.iter().copied());
            let slot = writer.bank.slot();
            let _ = self.events.send(Event::Written { keys, results: Arc::default() });
            slot
        };
        self.wait_for_close(slot)?;
        Ok(slot)
    }

    /// Moves the clock ahead (dev method); answers the new time once its slot closed.
    pub fn advance_clock(&self, seconds: i64) -> Result<UnixTimestamp, String> {
        let (time, slot) = {
            let mut writer = self.ledger.writer();
            let time = writer.advance_clock(seconds)?;
            let keys = Arc::new([solana_clock::sysvar::ID]);
            let _ = self.events.send(Event::Written { keys, results: Arc::default() });
            (time, writer.bank.slot())
        };
        self.wait_for_close(slot)?;
        Ok(time)
    }

    /// Closes the working slot, records its block, opens the next; tells subscribers.
    pub fn advance_slot(&self) -> Result<(), String> {
        let mut block = None;
        let closed = self.ledger.advance_slot(|closed| block = Some(self.history.close_slot(closed)))?;
        if let Some(block) = block {
            let _ = self.events.send(Event::Closed { closed: Arc::new(closed), block, results: Arc::default() });
        }
        Ok(())
    }

    fn wait_for_close(&self, slot: Slot) -> Result<(), String> {
        match self.ledger.wait_for_root(slot, CLOSE_PATIENCE) {
            true => Ok(()),
            false => Err(format!("slot {slot} did not close within {} s", CLOSE_PATIENCE.as_secs())),
        }
    }

    /// Executes and records a transaction the bank accepts (`only_if_it_succeeds`: one
    /// that also runs without error); tells subscribers.
    fn commit(
        &self,
        writer: &mut Writer<'_>,
        sanitized: &SanitizedTx,
        tx: VersionedTransaction,
        only_if_it_succeeds: bool,
    ) -> Result<Arc<TransactionRecord>, TransactionError> {
        let bank = writer.bank.clone();
        let meta = match only_if_it_succeeds {
            true => executor::execute_if_it_succeeds(&bank, sanitized)?,
            false => executor::execute(&bank, sanitized)?,
        };
        let keys = sanitized.message().account_keys();
        let writable: Arc<[Pubkey]> = keys
            .iter()
            .enumerate()
            .filter(|(index, _)| sanitized.message().is_writable(*index))
            .map(|(_, key)| *key)
            .collect();
        writer.touch(writable.iter().copied());
        let record = self.history.insert(TransactionRecord {
            slot: bank.slot(),
            block_time: bank.clock().unix_timestamp,
            with_meta: VersionedTransactionWithStatusMeta { transaction: tx, meta },
        });
        let _ = self.events.send(Event::Committed { record: record.clone(), writable, results: Arc::default() });
        Ok(record)
    }
}

fn sanitize(bank: &Bank, tx: VersionedTransaction, mode: TransactionVerificationMode) -> Result<SanitizedTx, Rejected> {
    bank.verify_transaction(tx, mode).map_err(|error| match error {
        TransactionError::SignatureFailure => Rejected::SignatureFailure,
        other => Rejected::Invalid(other),
    })
}

fn simulation(
    bank: &Bank,
    sanitized: &SanitizedTx,
    result: TransactionSimulationResult,
    replacement_blockhash: Option<(Hash, u64)>,
) -> Simulation {
    Simulation {
        result,
        loaded_addresses: sanitized.get_loaded_addresses(),
        account_count: sanitized.message().account_keys().len(),
        replacement_blockhash,
        slot: bank.slot(),
    }
}
