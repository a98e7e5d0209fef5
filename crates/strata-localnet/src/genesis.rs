//! The cluster's first bank, built with solana-program-test's own recipe: the same
//! genesis (fees, rent, every feature active), the SPL Token, Token-2022, Associated
//! Token and Memo programs it ships (real SBF binaries, run in the VM), and Strata
//! registered natively with the entrypoint strata-testkit uses.
//!
//! Why not `ProgramTest::start_with_context()` itself: its context registers a fresh
//! blockhash on the bank every 6.4 ms, so a blockhash expires after about a second
//! (measured: a transfer signed 2 s earlier fails with `BlockhashNotFound`), and it
//! hides the bank that `getProgramAccounts`, balance recording and unverified
//! simulation need. Here the bank moves one blockhash per 400 ms slot, as a real
//! cluster does, so a blockhash lives 150 slots (a minute).

use std::sync::Arc;

use agave_feature_set::FeatureSet;
use solana_accounts_db::accounts_db::ACCOUNTS_DB_CONFIG_FOR_TESTING;
use solana_cluster_type::ClusterType;
use solana_fee_calculator::{FeeRateGovernor, DEFAULT_TARGET_LAMPORTS_PER_SIGNATURE};
use solana_hash::Hash;
use solana_keypair::Keypair;
use solana_native_token::LAMPORTS_PER_SOL;
use solana_program_runtime::loaded_programs::ProgramCacheEntry;
use solana_pubkey::Pubkey;
use solana_rent::Rent;
use solana_runtime::bank::Bank;
use solana_runtime::genesis_utils::create_genesis_config_with_leader_ex;
use solana_runtime::runtime_config::RuntimeConfig;
use solana_signer::Signer;

/// Lamports the faucet (the genesis mint) starts with: what `requestAirdrop` hands out.
const FAUCET_LAMPORTS: u64 = 500_000_000 * LAMPORTS_PER_SOL;
/// The bootstrap validator's stake, as solana-program-test gives it (rounded up to
/// cover the vote account's rent).
const VALIDATOR_STAKE_LAMPORTS: u64 = 1_000_001 * LAMPORTS_PER_SOL;
const VALIDATOR_LAMPORTS: u64 = 42;
const STRATA_PROGRAM_NAME: &str = "strata";

/// What the first bank comes with.
pub struct Genesis {
    /// Slot 0, complete: the ledger opens slot 1 on it.
    pub bank: Bank,
    /// Funds `requestAirdrop`.
    pub faucet: Keypair,
    /// The bootstrap validator (`getIdentity`, the slot leader).
    pub identity: Pubkey,
    pub genesis_hash: Hash,
}

/// Installs solana-program-test's syscall stubs (logs, return data, CPI and sysvars for
/// natively run programs). They are process-wide and set once by the first
/// `ProgramTest` that starts, so starting the project's test bench once does it.
pub async fn install_native_runtime() {
    // Dropping the context stops its blockhash task; its bank is never used.
    drop(strata_testkit::program_test().start_with_context().await);
}

/// Builds the first bank. `install_native_runtime` must have run in this process.
pub fn create() -> Result<Genesis, String> {
    let processor = strata_testkit::strata_processor().ok_or("solana-program-test returned no native processor")?;
    let rent = Rent::default();
    let faucet = Keypair::new();
    let identity = Keypair::new();
    let vote_account = Keypair::new();
    let fee_rate_governor = FeeRateGovernor {
        lamports_per_signature: DEFAULT_TARGET_LAMPORTS_PER_SIGNATURE / 2,
        ..FeeRateGovernor::default()
    };
    let genesis_config = create_genesis_config_with_leader_ex(
        FAUCET_LAMPORTS,
        &faucet.pubkey(),
        &identity.pubkey(),
        &vote_account.pubkey(),
        &Pubkey::new_unique(),
        None,
        VALIDATOR_STAKE_LAMPORTS,
        VALIDATOR_LAMPORTS,
        fee_rate_governor,
        rent.clone(),
        ClusterType::Development,
        &FeatureSet::all_enabled(),
        Vec::new(),
    );
    let bank = Bank::new_from_genesis(
        &genesis_config,
        Arc::new(RuntimeConfig::default()),
        Vec::new(),
        None,
        ACCOUNTS_DB_CONFIG_FOR_TESTING,
        None,
        None,
        Arc::default(),
        None,
        None,
    );
    for (program_id, account) in solana_program_binaries::spl_programs(&rent) {
        bank.store_account(&program_id, &account);
    }
    let is_active = |feature: &Pubkey| genesis_config.accounts.contains_key(feature);
    for (program_id, account) in solana_program_binaries::core_bpf_programs(&rent, is_active) {
        bank.store_account(&program_id, &account);
    }
    bank.add_builtin(
        strata::ID,
        STRATA_PROGRAM_NAME,
        ProgramCacheEntry::new_builtin(0, STRATA_PROGRAM_NAME.len(), processor),
    );
    bank.set_capitalization_for_tests(bank.calculate_capitalization_for_tests());

    // Slot 0 ends; like solana-program-test, transactions start in slot 1.
    bank.fill_bank_with_ticks_for_tests();
    Ok(Genesis { bank, faucet, identity: identity.pubkey(), genesis_hash: genesis_config.hash() })
}
