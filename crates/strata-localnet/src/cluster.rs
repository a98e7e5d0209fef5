//! The cluster as its RPC front sees it: the ledger, the transaction history, the
//! faucet, and what a client can ask of them.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use solana_account::AccountSharedData;
use solana_clock::{Slot, UnixTimestamp};
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_hash::Hash;
use solana_keypair::Keypair;
use solana_message::v0::LoadedAddresses;
use solana_pubkey::Pubkey;
use solana_runtime::bank::{Bank, TransactionSimulationResult};
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction::{Transaction, TransactionVerificationMode};
use solana_transaction_error::TransactionError;

use crate::executor::{self, SanitizedTx};
use crate::genesis::Genesis;
use crate::history::{History, TransactionRecord};
use crate::ledger::{latest_blockhash, Ledger};

/// Compute-unit limits the faucet cycles through (see `airdrop`).
const AIRDROP_CU_LIMIT_BASE: u32 = 1_000;
const AIRDROP_CU_LIMIT_SPREAD: u32 = 100_000;

pub struct Cluster {
    /// Shared with the task that produces slots.
    pub ledger: Arc<Ledger>,
    pub history: History,
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
}

impl Cluster {
    pub fn new(genesis: Genesis) -> Self {
        Self {
            ledger: Arc::new(Ledger::new(genesis.bank)),
            history: History::default(),
            faucet: genesis.faucet,
            identity: genesis.identity,
            genesis_hash: genesis.genesis_hash,
            airdrops: AtomicU32::new(0),
        }
    }

    /// The cluster's current Unix time (the working bank's `Clock`).
    pub fn now(&self) -> UnixTimestamp {
        self.ledger.working_bank().clock().unix_timestamp
    }

    /// Verifies, optionally simulates first (`preflight`), then executes `tx`. Returns
    /// its signature as soon as the bank has committed it. Like a validator, a
    /// transaction the bank refuses to include without preflight (expired blockhash,
    /// already processed) is dropped: its signature is returned and never gets a status.
    pub fn submit(&self, tx: VersionedTransaction, preflight: bool) -> Result<Signature, SubmitError> {
        let writer = self.ledger.writer();
        let sanitized = sanitize(&writer.bank, tx.clone(), TransactionVerificationMode::FullVerification)
            .map_err(SubmitError::Rejected)?;
        if preflight {
            let result = executor::simulate(&writer.bank, &sanitized, false);
            if result.result.is_err() {
                return Err(SubmitError::Preflight(Box::new(simulation(&writer.bank, &sanitized, result, None))));
            }
        }
        let signature = *sanitized.signature();
        if let Err(error) = self.commit(&writer.bank, &sanitized, tx) {
            eprintln!("strata-localnet: dropped transaction {signature}: {error}");
        }
        Ok(signature)
    }

    /// Simulates `tx` on the working bank.
    pub fn simulate(&self, mut tx: VersionedTransaction, options: SimulateOptions) -> Result<Simulation, Rejected> {
        let writer = self.ledger.writer();
        let mut replacement = None;
        if options.replace_recent_blockhash {
            let (blockhash, last_valid) = latest_blockhash(&writer.bank);
            tx.message.set_recent_blockhash(blockhash);
            replacement = Some((blockhash, last_valid));
        }
        let mode = if options.verify_signatures {
            TransactionVerificationMode::FullVerification
        } else {
            TransactionVerificationMode::HashOnly
        };
        let sanitized = sanitize(&writer.bank, tx, mode)?;
        let result = executor::simulate(&writer.bank, &sanitized, options.record_inner_instructions);
        Ok(simulation(&writer.bank, &sanitized, result, replacement))
    }

    /// Sends `lamports` from the faucet, as a transaction with its own signature.
    pub fn airdrop(&self, to: &Pubkey, lamports: u64) -> Result<Signature, TransactionError> {
        // Two airdrops of the same amount to the same account in one slot would be the
        // same transaction, refused as already processed; a varying compute-unit limit
        // makes each one distinct.
        let count = self.airdrops.fetch_add(1, Ordering::Relaxed);
        let limit = AIRDROP_CU_LIMIT_BASE.saturating_add(count % AIRDROP_CU_LIMIT_SPREAD);
        let instructions = [
            ComputeBudgetInstruction::set_compute_unit_limit(limit),
            solana_system_interface::instruction::transfer(&self.faucet.pubkey(), to, lamports),
        ];
        let writer = self.ledger.writer();
        let tx = Transaction::new_signed_with_payer(
            &instructions,
            Some(&self.faucet.pubkey()),
            &[&self.faucet],
            writer.bank.last_blockhash(),
        );
        let tx = VersionedTransaction::from(tx);
        let sanitized = writer.bank.verify_transaction(tx.clone(), TransactionVerificationMode::HashOnly)?;
        self.commit(&writer.bank, &sanitized, tx)?;
        Ok(*sanitized.signature())
    }

    /// Writes an account directly (dev methods).
    pub fn set_account(&self, key: &Pubkey, account: &AccountSharedData) {
        let writer = self.ledger.writer();
        writer.bank.store_account(key, account);
    }

    /// Executes and records a transaction the bank accepts.
    fn commit(&self, bank: &Bank, sanitized: &SanitizedTx, tx: VersionedTransaction) -> Result<(), TransactionError> {
        let meta = executor::execute(bank, sanitized)?;
        let record =
            TransactionRecord { slot: bank.slot(), block_time: bank.clock().unix_timestamp, transaction: tx, meta };
        self.history.insert(*sanitized.signature(), record);
        Ok(())
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
