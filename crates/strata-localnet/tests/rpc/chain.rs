//! Health, version, slots, blockhashes, the clock, fees and rent.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::json;
use solana_clock::Clock;
use solana_message::Message;
use strata_testkit::Signer;

use crate::harness::{TestCluster, SOL};

fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_secs() as i64
}

async fn clock(test: &TestCluster) -> Clock {
    let data = test.data(&solana_clock::sysvar::ID).await;
    bincode::deserialize(&data).expect("Clock sysvar")
}

#[tokio::test(flavor = "multi_thread")]
async fn health_and_version() {
    let test = TestCluster::start().await;
    // Exactly what the README tells a newcomer to curl.
    let health = test.post(r#"{"jsonrpc":"2.0","id":1,"method":"getHealth"}"#).await;
    assert_eq!(health["result"], "ok");
    test.client.get_health().await.expect("getHealth");
    let version = test.client.get_version().await.expect("getVersion");
    assert_eq!(version.solana_core, "3.1.12");
    assert!(version.feature_set.is_some());

    // Browser pages and wallet extensions may call it from any origin.
    let preflight = test
        .http
        .request(reqwest::Method::OPTIONS, test.cluster.url())
        .header("origin", "http://localhost:3000")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .expect("OPTIONS");
    assert!(preflight.status().is_success());
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
    let post = test
        .http
        .post(test.cluster.url())
        .header("content-type", "application/json")
        .body(r#"{"jsonrpc":"2.0","id":1,"method":"getSlot"}"#)
        .send()
        .await
        .expect("POST");
    assert_eq!(post.headers()["access-control-allow-origin"], "*");
    test.cluster.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cluster_identity_epoch_rent_and_fees() {
    let test = TestCluster::start().await;
    let genesis = test.result("getGenesisHash", json!([])).await;
    assert_eq!(genesis.as_str().map(str::len).map(|len| len >= 32), Some(true));
    let identity = test.client.get_identity().await.expect("getIdentity");
    assert_ne!(identity, strata_testkit::Pubkey::default());

    let epoch = test.client.get_epoch_info().await.expect("getEpochInfo");
    let slot = test.client.get_slot().await.expect("getSlot");
    assert!(epoch.absolute_slot <= slot && epoch.block_height > 0);
    assert!(test.client.get_block_height().await.expect("getBlockHeight") >= epoch.block_height);

    let rent = test.client.get_minimum_balance_for_rent_exemption(200).await.expect("rent");
    assert_eq!(rent, 2_282_880, "the Position's rent, as the README's account table gives it");

    let blockhash = test.client.get_latest_blockhash().await.expect("blockhash");
    let transfer = solana_system_interface::instruction::transfer(&test.payer.pubkey(), &identity, 1);
    let message = Message::new_with_blockhash(&[transfer], Some(&test.payer.pubkey()), &blockhash);
    assert_eq!(test.client.get_fee_for_message(&message).await.expect("getFeeForMessage"), 5_000);

    let fees = test.result("getRecentPrioritizationFees", json!([[identity.to_string()]])).await;
    assert_eq!(fees, json!([]));
    test.cluster.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn slots_advance_and_the_clock_follows_wall_time() {
    let test = TestCluster::start().await;
    let before = clock(&test).await;
    assert!((before.unix_timestamp - unix_now()).abs() <= 2, "clock {} vs now {}", before.unix_timestamp, unix_now());
    let first_hash = test.client.get_latest_blockhash().await.expect("blockhash");

    tokio::time::sleep(Duration::from_millis(2_100)).await;
    let after = clock(&test).await;
    assert!(after.slot >= before.slot + 3, "slots {} → {}", before.slot, after.slot);
    assert!(after.unix_timestamp > before.unix_timestamp);
    assert!((after.unix_timestamp - unix_now()).abs() <= 2);
    let (second_hash, last_valid) =
        test.client.get_latest_blockhash_with_commitment(Default::default()).await.expect("blockhash");
    assert_ne!(first_hash, second_hash, "every slot has its own blockhash");
    assert!(last_valid >= test.client.get_block_height().await.expect("height") + 140);

    // Dev: move the clock ahead, as a test of staleness or fee accrual would.
    let moved = test.result("strata_advanceClock", json!([3_600])).await;
    let moved = moved.as_i64().expect("new time");
    assert!((moved - (unix_now() + 3_600)).abs() <= 2);
    assert!(clock(&test).await.unix_timestamp >= moved);
    test.cluster.stop().await;
}

/// A blockhash stays valid for 150 slots (a minute), as on a real cluster: a
/// transaction signed seconds before it is sent still lands.
#[tokio::test(flavor = "multi_thread")]
async fn a_blockhash_outlives_a_slow_signer() {
    let test = TestCluster::start().await;
    let recipient = strata_testkit::Pubkey::new_unique();
    let transfer = solana_system_interface::instruction::transfer(&test.payer.pubkey(), &recipient, SOL);
    let tx = test.transaction(&[transfer], &[]).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(test.client.is_blockhash_valid(&tx.message.recent_blockhash, Default::default()).await.expect("valid"));
    test.client.send_and_confirm_transaction(&tx).await.expect("lands");
    assert_eq!(test.client.get_balance(&recipient).await.expect("balance"), SOL);
    test.cluster.stop().await;
}
