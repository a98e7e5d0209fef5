//! WebSocket subscriptions, through Solana's own PubSub client.

use std::time::Duration;

use futures_util::StreamExt;
use solana_pubsub_client::nonblocking::pubsub_client::PubsubClient;
use solana_rpc_client_api::response::RpcSignatureResult;
use strata_testkit::{Pubkey, Signer};

use crate::harness::{base64_of, TestCluster, SOL};

const PATIENCE: Duration = Duration::from_secs(5);

#[tokio::test(flavor = "multi_thread")]
async fn signature_and_slot_notifications() {
    let test = TestCluster::start().await;
    assert_ne!(test.cluster.ws_addr, None, "a second listener on another port");
    let pubsub = PubsubClient::new(test.cluster.ws_url().as_str()).await.expect("WebSocket connects");

    let (mut slots, unsubscribe) = pubsub.slot_subscribe().await.expect("slotSubscribe");
    let first = tokio::time::timeout(PATIENCE, slots.next()).await.expect("a slot").expect("open");
    let second = tokio::time::timeout(PATIENCE, slots.next()).await.expect("a slot").expect("open");
    assert_eq!(second.slot, first.slot + 1);
    assert_eq!(second.parent, first.slot);
    unsubscribe().await;

    // Succeeding and failing transfers, confirmed by notification.
    let poor = strata_testkit::Keypair::new();
    let cases = [
        (test.payer.pubkey(), Pubkey::new_unique(), vec![], true),
        (poor.pubkey(), test.payer.pubkey(), vec![&poor], false),
    ];
    for (from, to, signers, succeeds) in cases {
        let transfer = solana_system_interface::instruction::transfer(&from, &to, SOL);
        let tx = test.transaction(&[transfer], &signers).await;
        let (mut notifications, _unsubscribe) =
            pubsub.signature_subscribe(&tx.signatures[0], None).await.expect("signatureSubscribe");
        let wire = base64_of(&bincode::serialize(&tx).expect("serialize"));
        test.result("sendTransaction", serde_json::json!([wire, {"encoding": "base64", "skipPreflight": true}])).await;
        let notification = tokio::time::timeout(PATIENCE, notifications.next()).await.expect("notified").expect("open");
        match notification.value {
            RpcSignatureResult::ProcessedSignature(result) => assert_eq!(result.err.is_none(), succeeds),
            other => panic!("unexpected notification {other:?}"),
        }
    }
    test.cluster.stop().await;
}
