//! The bank, its clock, and transaction helpers that check outcomes precisely.

use std::collections::{HashMap, HashSet};

use anchor_lang::prelude::{AccountInfo, Clock, Pubkey};
use anchor_lang::solana_program::instruction::Instruction;
use solana_account::{Account, AccountSharedData};
use solana_instruction::error::InstructionError;
use solana_keypair::Keypair;
use solana_program_runtime::invoke_context::BuiltinFunctionWithContext;
use solana_program_test::{processor, ProgramTest, ProgramTestContext};
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;
use strata::state::{Pool, Position};

use crate::pyth::PriceSpec;

/// Unix time the bank's clock starts at.
pub const START_TIME: i64 = 1_750_000_000;

/// Runs Anchor's generated `entry` natively. solana-program-test hands the processor
/// shorter lifetimes than Anchor's `entry<'info>` asks for; the bank keeps every
/// account alive for the whole instruction, so extending them is sound here.
fn entry_shim<'a, 'b, 'c, 'info>(
    program_id: &'a Pubkey,
    accounts: &'b [AccountInfo<'info>],
    data: &'c [u8],
) -> anchor_lang::solana_program::entrypoint::ProgramResult {
    // SAFETY: see above; the references outlive the call they are used in.
    let accounts: &'info [AccountInfo<'info>] = unsafe { std::mem::transmute(accounts) };
    let program_id: &'info Pubkey = unsafe { std::mem::transmute(program_id) };
    let data: &'info [u8] = unsafe { std::mem::transmute(data) };
    strata::entry(program_id, accounts, data)
}

/// A `ProgramTest` with Strata registered as a native program.
pub fn program_test() -> ProgramTest {
    let mut program_test = ProgramTest::new("strata", strata::ID, processor!(entry_shim));
    program_test.prefer_bpf(false);
    program_test
}

/// Strata's native entrypoint as solana-program-test registers it, for hosts that build
/// their own bank (the embedded local cluster) rather than starting a `ProgramTest`.
pub fn strata_processor() -> Option<BuiltinFunctionWithContext> {
    processor!(entry_shim)
}

/// What a processed transaction returned.
#[derive(Debug)]
pub struct TxOutcome {
    pub result: Result<(), TransactionError>,
    pub logs: Vec<String>,
    pub return_data: Option<Vec<u8>>,
}

impl TxOutcome {
    /// The custom error code of the failing instruction, if any.
    pub fn custom_error(&self) -> Option<u32> {
        match &self.result {
            Err(TransactionError::InstructionError(_, InstructionError::Custom(code))) => Some(*code),
            _ => None,
        }
    }
}

pub struct Fixture {
    pub ctx: ProgramTestContext,
    /// Pays fees and rent; never a protocol actor, so it is the one account a failed
    /// transaction may change.
    pub payer: Keypair,
    pub now: i64,
    sent: HashSet<[u8; 64]>,
    /// The last price written to each oracle account (`Fixture::set_price`), so
    /// that prices can be published again later (`Fixture::republish`).
    pub(crate) prices: HashMap<Pubkey, PriceSpec>,
}

impl Fixture {
    pub async fn new() -> Self {
        let ctx = program_test().start_with_context().await;
        let payer = ctx.payer.insecure_clone();
        let mut fixture = Self { ctx, payer, now: START_TIME, sent: HashSet::new(), prices: HashMap::new() };
        fixture.set_time(START_TIME).await;
        fixture
    }

    /// Sets the bank clock's Unix time (the slot is left alone).
    pub async fn set_time(&mut self, unix_timestamp: i64) {
        let mut clock: Clock = self.ctx.banks_client.get_sysvar().await.expect("clock");
        clock.unix_timestamp = unix_timestamp;
        self.ctx.set_sysvar(&clock);
        self.now = unix_timestamp;
    }

    pub async fn advance(&mut self, seconds: i64) {
        self.set_time(self.now + seconds).await;
    }

    /// Moves to the next slot (fresh blockhash), keeping the Unix time.
    pub async fn next_slot(&mut self) {
        let slot = self.ctx.banks_client.get_root_slot().await.expect("slot");
        self.ctx.warp_to_slot(slot + 2).expect("warp");
        self.set_time(self.now).await;
    }

    pub async fn slot(&mut self) -> u64 {
        let clock: Clock = self.ctx.banks_client.get_sysvar().await.expect("clock");
        clock.slot
    }

    /// Signs with the fee payer plus `signers` and processes the transaction.
    pub async fn send(&mut self, instructions: &[Instruction], signers: &[&Keypair]) -> TxOutcome {
        let payer = self.payer.insecure_clone();
        self.send_paid_by(&payer, instructions, signers).await
    }

    /// A legacy transaction paid by `payer`, signed by it and `signers`, with the
    /// current blockhash (not sent).
    pub fn transaction(&self, payer: &Keypair, instructions: &[Instruction], signers: &[&Keypair]) -> Transaction {
        let mut all: Vec<&Keypair> = vec![payer];
        all.extend(signers.iter().copied().filter(|k| k.pubkey() != payer.pubkey()));
        Transaction::new_signed_with_payer(instructions, Some(&payer.pubkey()), &all, self.ctx.last_blockhash)
    }

    /// Like [`Fixture::send`] with `payer` paying the fee (e.g. a keeper paying for
    /// its own liquidations).
    pub async fn send_paid_by(
        &mut self,
        payer: &Keypair,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> TxOutcome {
        let mut tx = self.transaction(payer, instructions, signers);
        // An identical transaction would be refused as already processed: move on
        // a slot for a fresh blockhash.
        if !self.sent.insert(tx.signatures[0].into()) {
            self.next_slot().await;
            self.ctx.last_blockhash = self.ctx.banks_client.get_latest_blockhash().await.expect("blockhash");
            tx = self.transaction(payer, instructions, signers);
            self.sent.insert(tx.signatures[0].into());
        }
        let outcome = self.process(tx).await;
        // The bank moves a slot every 400 ms of wall time and forgets blockhashes after
        // 150 slots: a long test on a loaded machine outlives the one it cached. The
        // transaction did not run, so it is signed again with a fresh one.
        if outcome.result == Err(TransactionError::BlockhashNotFound) {
            self.ctx.last_blockhash = self.ctx.banks_client.get_latest_blockhash().await.expect("blockhash");
            let tx = self.transaction(payer, instructions, signers);
            self.sent.insert(tx.signatures[0].into());
            return self.process(tx).await;
        }
        outcome
    }

    /// Processes a (legacy or v0) transaction and collects its outcome.
    pub async fn process(&mut self, tx: impl Into<solana_transaction::versioned::VersionedTransaction>) -> TxOutcome {
        let outcome = self.ctx.banks_client.process_transaction_with_metadata(tx).await.expect("banks client");
        let (logs, return_data) = match outcome.metadata {
            Some(meta) => (
                meta.log_messages.iter().map(|line| strata::log::normalise_native_log(line)).collect(),
                meta.return_data.map(|r| r.data),
            ),
            None => (vec![], None),
        };
        TxOutcome { result: outcome.result, logs, return_data }
    }

    /// Sends and requires success, printing the logs if it failed.
    pub async fn ok(&mut self, instructions: &[Instruction], signers: &[&Keypair]) -> TxOutcome {
        let outcome = self.send(instructions, signers).await;
        if let Err(error) = &outcome.result {
            panic!("transaction failed: {error:?}\n{}", outcome.logs.join("\n"));
        }
        outcome
    }

    /// Sends, requires failure with exactly `code` (a Strata error, an Anchor error
    /// code or a raw custom code), and requires that no account the transaction names
    /// changed — except the fee payer, which pays the fee.
    pub async fn expect_error(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
        code: impl Into<u32>,
    ) -> TxOutcome {
        let code = code.into();
        let keys = self.touched_keys(instructions);
        let before = self.snapshot(&keys).await;
        let outcome = self.send(instructions, signers).await;
        assert_eq!(
            outcome.custom_error(),
            Some(code),
            "expected custom error {code} ({}), got {:?}\n{}",
            describe(code),
            outcome.result,
            outcome.logs.join("\n")
        );
        let after = self.snapshot(&keys).await;
        for ((key, a), b) in keys.iter().zip(before).zip(after) {
            assert!(a == b, "account {key} changed although the transaction failed");
        }
        outcome
    }

    /// Every account key the instructions name, except the fee payer.
    fn touched_keys(&self, instructions: &[Instruction]) -> Vec<Pubkey> {
        let mut keys: Vec<Pubkey> = Vec::new();
        for ix in instructions {
            for meta in &ix.accounts {
                if meta.pubkey != self.payer.pubkey() && !keys.contains(&meta.pubkey) {
                    keys.push(meta.pubkey);
                }
            }
        }
        keys
    }

    pub async fn snapshot(&mut self, keys: &[Pubkey]) -> Vec<Option<Account>> {
        let mut accounts = Vec::with_capacity(keys.len());
        for key in keys {
            accounts.push(self.account(key).await);
        }
        accounts
    }

    pub async fn account(&mut self, key: &Pubkey) -> Option<Account> {
        self.ctx.banks_client.get_account(*key).await.expect("get_account")
    }

    pub fn set_account(&mut self, key: &Pubkey, account: Account) {
        self.ctx.set_account(key, &AccountSharedData::from(account));
    }

    /// A new keypair holding `lamports`.
    pub async fn funded_keypair(&mut self, lamports: u64) -> Keypair {
        let keypair = Keypair::new();
        let ix = solana_system_interface::instruction::transfer(&self.payer.pubkey(), &keypair.pubkey(), lamports);
        self.ok(&[ix], &[]).await;
        keypair
    }

    pub async fn pool(&mut self, key: &Pubkey) -> Pool {
        self.zero_copy_account(key).await
    }

    pub async fn position(&mut self, key: &Pubkey) -> Position {
        self.zero_copy_account(key).await
    }

    /// Any Strata zero-copy account, checked against its discriminator.
    pub async fn zero_copy_account<T: bytemuck::Pod + anchor_lang::Discriminator>(&mut self, key: &Pubkey) -> T {
        let account = self.account(key).await.unwrap_or_else(|| panic!("account {key} missing"));
        assert_eq!(&account.data[..8], T::DISCRIMINATOR, "discriminator of {key}");
        *bytemuck::from_bytes(&account.data[8..8 + core::mem::size_of::<T>()])
    }

    /// Simulates `instruction` (a view) and decodes its Borsh return data.
    pub async fn view<T: anchor_lang::AnchorDeserialize>(&mut self, instruction: Instruction) -> Result<T, TxOutcome> {
        let outcome = self.send(&[instruction], &[]).await;
        if outcome.result.is_err() {
            return Err(outcome);
        }
        let data = outcome.return_data.clone().unwrap_or_default();
        T::deserialize(&mut data.as_slice()).map_err(|_| outcome)
    }

    pub async fn token_balance(&mut self, key: &Pubkey) -> u64 {
        let account = self.account(key).await.expect("token account");
        crate::tokens::unpack_token_account(&account.data).amount
    }

    pub async fn mint_supply(&mut self, key: &Pubkey) -> u64 {
        let account = self.account(key).await.expect("mint");
        crate::tokens::unpack_mint(&account.data).supply
    }
}

/// A readable name for an error code in assertion messages.
pub fn describe(code: u32) -> String {
    if code >= anchor_lang::error::ERROR_CODE_OFFSET {
        let index = code - anchor_lang::error::ERROR_CODE_OFFSET;
        format!("StrataError #{index}")
    } else {
        format!("framework or token error {code}")
    }
}
