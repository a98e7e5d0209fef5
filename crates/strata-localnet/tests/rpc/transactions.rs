//! Airdrops, sending (legacy and v0, base64 and base58), statuses, simulation and
//! stored transactions.

use base64::prelude::{Engine, BASE64_STANDARD};
use serde_json::json;
use solana_commitment_config::CommitmentConfig;
use solana_message::{v0, VersionedMessage};
use solana_program_pack::Pack;
use solana_rpc_client_api::config::RpcSimulateTransactionConfig;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_status_client_types::{TransactionConfirmationStatus, UiTransactionEncoding};
use strata_testkit::{Keypair, Pubkey, Signer};

use crate::harness::{TestCluster, SOL};

#[tokio::test(flavor = "multi_thread")]
async fn airdrop_then_balance() {
    let test = TestCluster::start().await;
    let wallet = Pubkey::new_unique();
    for _ in 0..2 {
        // The same amount twice in a row: two distinct transactions.
        let signature = test.client.request_airdrop(&wallet, 2 * SOL).await.expect("airdrop");
        test.client.confirm_transaction(&signature).await.expect("confirmed");
    }
    assert_eq!(test.client.get_balance(&wallet).await.expect("getBalance"), 4 * SOL);
    test.cluster.stop().await;
}

/// A real SPL Token mint, created by a transaction built with the solana crates and
/// confirmed through `getSignatureStatuses`.
#[tokio::test(flavor = "multi_thread")]
async fn create_an_spl_mint() {
    let test = TestCluster::start().await;
    let mint = Keypair::new();
    let instructions = test.create_mint_instructions(&mint.pubkey(), 6).await;
    let tx = test.transaction(&instructions, &[&mint]).await;
    let signature = test.client.send_transaction(&tx).await.expect("sendTransaction");
    // Processed in the working slot as soon as sent; finalized when the slot closes.
    let statuses = test.client.get_signature_statuses(&[signature]).await.expect("getSignatureStatuses");
    let status = statuses.value[0].clone().expect("known signature");
    assert_eq!(status.err, None);
    assert_eq!(status.confirmation_status, Some(TransactionConfirmationStatus::Processed));
    assert_eq!(status.confirmations, Some(0));
    test.finalized(&signature.to_string()).await;
    let statuses = test.client.get_signature_statuses(&[signature]).await.expect("getSignatureStatuses");
    let status = statuses.value[0].clone().expect("known signature");
    assert_eq!(status.confirmation_status, Some(TransactionConfirmationStatus::Finalized));
    assert_eq!(status.confirmations, None);

    let account = test.client.get_account(&mint.pubkey()).await.expect("mint exists");
    assert_eq!(account.owner, spl_token_interface::ID);
    let state = spl_token_interface::state::Mint::unpack(&account.data).expect("a mint");
    assert_eq!((state.decimals, state.is_initialized), (6, true));
    let parsed = test.result("getAccountInfo", json!([mint.pubkey().to_string(), {"encoding": "jsonParsed"}])).await;
    assert_eq!(parsed["value"]["data"]["parsed"]["type"], "mint");
    assert_eq!(parsed["value"]["data"]["parsed"]["info"]["decimals"], 6);
    test.cluster.stop().await;
}

/// A v0 transaction, sent as base58 text; `getTransaction` asks for v0 support.
#[tokio::test(flavor = "multi_thread")]
async fn v0_transaction_in_base58() {
    let test = TestCluster::start().await;
    let recipient = Pubkey::new_unique();
    let blockhash = test.client.get_latest_blockhash().await.expect("blockhash");
    let transfer = solana_system_interface::instruction::transfer(&test.payer.pubkey(), &recipient, SOL);
    let message = v0::Message::try_compile(&test.payer.pubkey(), &[transfer], &[], blockhash).expect("v0");
    let tx = VersionedTransaction::try_new(VersionedMessage::V0(message), &[&test.payer]).expect("signed");
    let wire = bs58::encode(bincode::serialize(&tx).expect("serialize")).into_string();
    let signature = test.result("sendTransaction", json!([wire, {"encoding": "base58"}])).await;
    assert_eq!(signature, tx.signatures[0].to_string());
    test.finalized(signature.as_str().expect("signature")).await;
    assert_eq!(test.client.get_balance(&recipient).await.expect("balance"), SOL);
    // Sent again once finalized, preflight finds it already processed.
    let (code, error) = test.error("sendTransaction", json!([wire, {"encoding": "base58"}])).await;
    assert_eq!(code, -32002, "{error}");
    assert!(error["message"].as_str().is_some_and(|m| m.contains("already been processed")), "{error}");

    let (code, _) = test.error("getTransaction", json!([signature, "json"])).await;
    assert_eq!(code, -32015, "v0 needs maxSupportedTransactionVersion");
    let fetched = test
        .result("getTransaction", json!([signature, {"encoding": "base64", "maxSupportedTransactionVersion": 0}]))
        .await;
    assert_eq!(fetched["version"], 0);
    let bytes = BASE64_STANDARD.decode(fetched["transaction"][0].as_str().expect("base64")).expect("decodes");
    assert_eq!(bincode::deserialize::<VersionedTransaction>(&bytes).expect("transaction"), tx);
    test.cluster.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn simulate_without_signatures_on_a_fresh_blockhash() {
    let test = TestCluster::start().await;
    let recipient = Pubkey::new_unique();
    let transfer = solana_system_interface::instruction::transfer(&test.payer.pubkey(), &recipient, SOL);
    // Unsigned, with a blockhash the cluster never issued.
    let tx = solana_transaction::Transaction::new_with_payer(&[transfer], Some(&test.payer.pubkey()));
    let config = RpcSimulateTransactionConfig {
        sig_verify: false,
        replace_recent_blockhash: true,
        ..RpcSimulateTransactionConfig::default()
    };
    let simulated = test.client.simulate_transaction_with_config(&tx, config).await.expect("simulate");
    let result = simulated.value;
    assert_eq!(result.err, None, "{:?}", result.logs);
    assert!(result.replacement_blockhash.is_some());
    assert!(result.units_consumed.unwrap_or(0) > 0);
    assert_eq!(result.fee, Some(5_000));
    assert_eq!(test.client.get_balance(&recipient).await.expect("balance"), 0, "nothing committed");

    // With signature verification, the unsigned transaction is refused.
    let wire = BASE64_STANDARD.encode(bincode::serialize(&tx).expect("serialize"));
    let (code, _) = test.error("simulateTransaction", json!([wire, {"encoding": "base64", "sigVerify": true}])).await;
    assert_eq!(code, -32003);
    test.cluster.stop().await;
}

/// Without preflight, a failing transaction still lands: it pays its fee and its
/// error and logs are on record.
#[tokio::test(flavor = "multi_thread")]
async fn failed_transaction_without_preflight_is_recorded() {
    let test = TestCluster::start().await;
    let poor = Keypair::new();
    // `poor` holds nothing, so its transfer fails in the system program.
    let transfer = solana_system_interface::instruction::transfer(&poor.pubkey(), &test.payer.pubkey(), SOL);
    let tx = test.transaction(&[transfer], &[&poor]).await;
    let wire = BASE64_STANDARD.encode(bincode::serialize(&tx).expect("serialize"));
    let before = test.client.get_balance_with_commitment(&test.payer.pubkey(), CommitmentConfig::processed()).await;
    let (code, error) = test.error("sendTransaction", json!([wire, {"encoding": "base64"}])).await;
    assert_eq!(code, -32002, "preflight failure");
    assert!(error["data"]["logs"].as_array().is_some_and(|logs| !logs.is_empty()), "{error}");
    // The preflight ran it and kept nothing: no status, no fee (the preflight and the
    // commit are one execution, see `Cluster::submit`).
    let statuses = test.result("getSignatureStatuses", json!([[tx.signatures[0].to_string()]])).await;
    assert!(statuses["value"][0].is_null(), "{statuses}");
    let after = test.client.get_balance_with_commitment(&test.payer.pubkey(), CommitmentConfig::processed()).await;
    assert_eq!(after.expect("balance").value, before.expect("balance").value, "no fee for a refusal");

    let signature = test.result("sendTransaction", json!([wire, {"encoding": "base64", "skipPreflight": true}])).await;
    let statuses = test.result("getSignatureStatuses", json!([[signature]])).await;
    assert!(statuses["value"][0]["err"].is_object(), "{statuses}");
    test.finalized(signature.as_str().expect("signature")).await;
    let fetched =
        test.client.get_transaction(&tx.signatures[0], UiTransactionEncoding::Json).await.expect("getTransaction");
    let meta = fetched.transaction.meta.expect("meta");
    assert!(meta.err.is_some());
    assert_eq!(meta.fee, 10_000, "two signatures");
    assert_eq!(meta.pre_balances[0] - meta.post_balances[0], meta.fee);
    test.cluster.stop().await;
}
