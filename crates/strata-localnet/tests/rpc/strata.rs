//! Strata over JSON-RPC: a pool created by `sendTransaction`, read back, found by
//! keeper filters, failing in simulation, and priced by the dev Pyth methods.

use anchor_lang::Discriminator;
use serde_json::json;
use solana_account_decoder::UiAccountEncoding;
use solana_rpc_client_api::config::{RpcAccountInfoConfig, RpcProgramAccountsConfig};
use solana_rpc_client_api::filter::{Memcmp, MemcmpEncodedBytes, RpcFilterType};
use solana_transaction_error::TransactionError;
use strata::events::{OracleRefreshed, PoolInitialized};
use strata::state::{OracleKind, OracleSource, Pool, Position};
use strata_testkit::pool::{default_collateral_params, default_pool_params};
use strata_testkit::{events, ix, Keypair, Pubkey, Signer};

use crate::harness::{base64_of, TestCluster};

const POOL_ID: u64 = 1;

/// Creates a pool whose authority is the payer; returns its address.
async fn init_pool(test: &TestCluster) -> (Pubkey, solana_signature::Signature) {
    let payer = test.payer.pubkey();
    let init = ix::init_pool(&payer, &payer, &Pubkey::new_unique(), POOL_ID, default_pool_params());
    let signature = test.send(&[init], &[]).await;
    (strata::pda::pool(&payer, POOL_ID), signature)
}

fn pool_state(data: &[u8]) -> Pool {
    assert_eq!(&data[..8], Pool::DISCRIMINATOR);
    bytemuck::pod_read_unaligned(&data[8..8 + core::mem::size_of::<Pool>()])
}

#[tokio::test(flavor = "multi_thread")]
async fn init_pool_then_read_it_and_its_event() {
    let test = TestCluster::start().await;
    let (pool, signature) = init_pool(&test).await;

    let state = pool_state(&test.data(&pool).await);
    assert_eq!(state.authority, test.payer.pubkey());
    assert_eq!(state.pool_id, POOL_ID);
    assert_eq!(state.note_mint, strata::pda::note_mint(&pool));

    let logs = test.logs(&signature).await;
    assert!(logs.iter().any(|line| line.starts_with("Program data: ")), "{logs:#?}");
    assert!(!logs.iter().any(|line| line.contains("strata-native-data")), "native lines are rewritten");
    // On-chain form: one line per invocation, CPIs one level deeper.
    assert_eq!(logs.first(), Some(&format!("Program {} invoke [1]", strata::ID)));
    assert_eq!(logs[1], "Program log: Instruction: InitPool", "Anchor names the instruction first");
    assert_eq!(logs.last(), Some(&format!("Program {} success", strata::ID)));
    let invokes = logs.iter().filter(|line| line.contains(" invoke [")).count();
    let ends = logs.iter().filter(|line| line.ends_with(" success") || line.contains(" failed: ")).count();
    assert_eq!(invokes, ends, "{logs:#?}");
    assert!(logs.contains(&format!("Program {} invoke [2]", anchor_lang::solana_program::system_program::ID)));
    let initialized = events::decode::<PoolInitialized>(&logs);
    assert_eq!(initialized.len(), 1);
    assert_eq!(initialized[0].pool, pool);
    test.cluster.stop().await;
}

/// What a keeper does: positions by size, discriminator, pool and owner.
#[tokio::test(flavor = "multi_thread")]
async fn program_accounts_with_keeper_filters() {
    let test = TestCluster::start().await;
    let (pool, _) = init_pool(&test).await;
    let owners = [Keypair::new(), Keypair::new()];
    for owner in &owners {
        test.send(&[ix::open_position(&test.payer.pubkey(), &owner.pubkey(), &pool)], &[owner]).await;
    }
    let filtered = |filters: Vec<RpcFilterType>| RpcProgramAccountsConfig {
        filters: Some(filters),
        account_config: RpcAccountInfoConfig { encoding: Some(UiAccountEncoding::Base64), ..Default::default() },
        ..Default::default()
    };
    let size = RpcFilterType::DataSize(Position::SIZE as u64);
    let discriminator = RpcFilterType::Memcmp(Memcmp::new_raw_bytes(0, Position::DISCRIMINATOR.to_vec()));
    let in_pool = RpcFilterType::Memcmp(Memcmp::new_base58_encoded(Position::POOL_OFFSET, pool.as_ref()));
    let positions = test
        .client
        .get_program_accounts_with_config(&strata::ID, filtered(vec![size.clone(), discriminator, in_pool]))
        .await
        .expect("getProgramAccounts");
    assert_eq!(positions.len(), 2);
    assert!(positions.windows(2).all(|pair| pair[0].0 < pair[1].0), "sorted by address");

    // Base64 bytes, as @solana/kit may send them, on the owner offset.
    let owner = owners[1].pubkey();
    let by_owner = test
        .result(
            "getProgramAccounts",
            json!([strata::ID.to_string(), {
                "encoding": "base64",
                "withContext": true,
                "filters": [
                    {"dataSize": Position::SIZE},
                    {"memcmp": {"offset": Position::OWNER_OFFSET, "bytes": base64_of(owner.as_ref()), "encoding": "base64"}}
                ]
            }]),
        )
        .await;
    let value = by_owner["value"].as_array().expect("withContext wraps the list");
    assert_eq!(value.len(), 1);
    assert_eq!(value[0]["pubkey"], strata::pda::position(&pool, &owner).to_string());

    let everything = test.client.get_program_accounts(&strata::ID).await.expect("unfiltered");
    assert_eq!(everything.len(), 3, "the pool and two positions");
    let nobody = RpcFilterType::Memcmp(Memcmp::new(Position::OWNER_OFFSET, MemcmpEncodedBytes::Bytes(vec![7; 32])));
    let none = test.client.get_program_accounts_with_config(&strata::ID, filtered(vec![size, nobody])).await;
    assert!(none.expect("getProgramAccounts").is_empty());
    test.cluster.stop().await;
}

/// A failing Strata instruction: simulation returns its logs (with Anchor's lines) and
/// the program's error; sending it fails preflight with the same.
#[tokio::test(flavor = "multi_thread")]
async fn simulation_reports_logs_and_the_program_error() {
    let test = TestCluster::start().await;
    let payer = test.payer.pubkey();
    let mut params = default_pool_params();
    params.stability_fee_bps = u16::MAX;
    let init = ix::init_pool(&payer, &payer, &Pubkey::new_unique(), POOL_ID, params);
    let tx = test.transaction(&[init], &[]).await;
    let simulated = test.client.simulate_transaction(&tx).await.expect("simulateTransaction").value;
    let code = u32::from(strata::errors::StrataError::InvalidPoolParams);
    assert_eq!(
        simulated.err.map(TransactionError::from),
        Some(TransactionError::InstructionError(0, solana_instruction::error::InstructionError::Custom(code)))
    );
    // Anchor's own lines, as it writes them on-chain: the instruction's name first, the
    // error by name, number and message before the runtime's failure line.
    let logs = simulated.logs.expect("logs");
    let failure = format!("Program {} failed: custom program error: {code:#x}", strata::ID);
    let error = strata::errors::StrataError::InvalidPoolParams;
    let anchor_error = format!(
        "Program log: AnchorError occurred. Error Code: InvalidPoolParams. Error Number: {code}. Error Message: {error}."
    );
    assert_eq!(logs[0], format!("Program {} invoke [1]", strata::ID), "{logs:#?}");
    assert_eq!(logs[1], "Program log: Instruction: InitPool", "{logs:#?}");
    assert!(logs.iter().any(|line| line.contains("parameter out of bounds: stability_fee_bps")), "{logs:#?}");
    assert_eq!(logs[logs.len() - 2..], [anchor_error, failure], "{logs:#?}");
    assert_eq!(logs.iter().filter(|line| line.contains(" invoke [")).count(), 1, "{logs:#?}");

    let error = test.client.send_transaction(&tx).await.expect_err("preflight refuses it");
    let message = format!("{error:?}");
    assert!(message.contains(&format!("custom program error: {code:#x}")), "{message}");
    test.cluster.stop().await;
}

/// The dev methods write both Pyth account kinds as the Pyth programs would, and
/// Strata's `refresh_oracle` accepts them; a newer price moves the cache.
#[tokio::test(flavor = "multi_thread")]
async fn dev_pyth_prices_then_refresh_oracle() {
    let test = TestCluster::start().await;
    let (pool, _) = init_pool(&test).await;
    let payer = test.payer.pubkey();
    let legacy_oracle = Pubkey::new_unique();
    let pull_oracle = Pubkey::new_unique();
    let feed_id = [0x42u8; 32];
    let legacy = test
        .result(
            "strata_setPythLegacyPrice",
            json!([legacy_oracle.to_string(), {"price": 15_000_000_000i64, "expo": -8, "conf": 1_000_000}]),
        )
        .await;
    assert_eq!(legacy["owner"], strata::constants::pyth::LEGACY_PROGRAM_ID.to_string());
    test.result(
        "strata_setPythPullPrice",
        json!([pull_oracle.to_string(), {"price": "100000000", "expo": -8, "feedId": hex(&feed_id)}]),
    )
    .await;

    let listings = [
        (legacy_oracle, OracleSource { kind: OracleKind::PythLegacy, feed_id: [0; 32] }),
        (pull_oracle, OracleSource { kind: OracleKind::PythPull, feed_id }),
    ];
    for (oracle, source) in listings {
        let mint = create_mint(&test).await;
        let add = ix::add_collateral(
            &payer,
            &payer,
            &pool,
            &mint,
            &spl_token_interface::ID,
            &oracle,
            source,
            default_collateral_params(),
        );
        test.send(&[add], &[]).await;
    }
    let refresh = test
        .send(&[ix::refresh_oracle(&pool, &legacy_oracle, 0), ix::refresh_oracle(&pool, &pull_oracle, 1)], &[])
        .await;
    let refreshed = events::decode::<OracleRefreshed>(&test.logs(&refresh).await);
    assert_eq!(refreshed.len(), 2);
    let state = pool_state(&test.data(&pool).await);
    assert_eq!(state.collaterals[0].publish_time, legacy["publishTime"].as_i64().expect("publish time"));
    assert!(state.collaterals[1].publish_time > 0);

    // A publisher's next update, a minute later on the cluster's clock.
    test.result("strata_advanceClock", json!([60])).await;
    let moved = test
        .result(
            "strata_setPythLegacyPrice",
            json!([legacy_oracle.to_string(), {"price": 12_000_000_000i64, "expo": -8}]),
        )
        .await;
    test.send(&[ix::refresh_oracle(&pool, &legacy_oracle, 0)], &[]).await;
    let state = pool_state(&test.data(&pool).await);
    assert_eq!(state.collaterals[0].publish_time, moved["publishTime"].as_i64().expect("publish time"));
    assert!(state.collaterals[0].publish_time >= legacy["publishTime"].as_i64().unwrap_or(0) + 60);

    // A pull update that keeps its feed id, but is not fully verified: refused.
    test.result(
        "strata_setPythPullPrice",
        json!([pull_oracle.to_string(), {"price": 1, "expo": 0, "fullyVerified": false}]),
    )
    .await;
    let tx = test.transaction(&[ix::refresh_oracle(&pool, &pull_oracle, 1)], &[]).await;
    let simulated = test.client.simulate_transaction(&tx).await.expect("simulate").value;
    let code = u32::from(strata::errors::StrataError::OracleNotFullyVerified);
    assert_eq!(
        simulated.err.map(TransactionError::from),
        Some(TransactionError::InstructionError(0, solana_instruction::error::InstructionError::Custom(code)))
    );
    test.cluster.stop().await;
}

async fn create_mint(test: &TestCluster) -> Pubkey {
    let mint = Keypair::new();
    let instructions = test.create_mint_instructions(&mint.pubkey(), 9).await;
    test.send(&instructions, &[&mint]).await;
    mint.pubkey()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
