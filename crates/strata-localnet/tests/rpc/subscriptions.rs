//! WebSocket subscriptions, through Solana's own PubSub client (which checks every
//! notification against Solana's types), and raw for the races and bad inputs.

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::json;
use solana_account_decoder::{UiAccountEncoding, UiDataSliceConfig};
use solana_commitment_config::CommitmentConfig;
use solana_program_pack::Pack;
use solana_pubsub_client::nonblocking::pubsub_client::PubsubClient;
use solana_rpc_client_api::config::{
    RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcSignatureSubscribeConfig, RpcTransactionLogsConfig,
    RpcTransactionLogsFilter,
};
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
use solana_rpc_client_api::response::RpcSignatureResult;
use strata_testkit::{Keypair, Pubkey, Signer};

use crate::harness::{base64_of, TestCluster, WebSocket, SOL};

const PATIENCE: Duration = Duration::from_secs(5);

async fn next<T>(stream: &mut (impl futures_util::Stream<Item = T> + Unpin)) -> T {
    tokio::time::timeout(PATIENCE, stream.next()).await.expect("a notification in time").expect("open")
}

#[tokio::test(flavor = "multi_thread")]
async fn signature_slot_and_root_notifications() {
    let test = TestCluster::start().await;
    assert_ne!(test.cluster.ws_addr, None, "a second listener on another port");
    let pubsub = PubsubClient::new(test.cluster.ws_url().as_str()).await.expect("WebSocket connects");

    let (mut slots, unsubscribe) = pubsub.slot_subscribe().await.expect("slotSubscribe");
    let first = next(&mut slots).await;
    let second = next(&mut slots).await;
    assert_eq!(second.slot, first.slot + 1);
    assert_eq!((second.parent, second.root), (first.slot, first.slot));
    unsubscribe().await;
    let (mut roots, unsubscribe) = pubsub.root_subscribe().await.expect("rootSubscribe");
    let root = next(&mut roots).await;
    assert_eq!(next(&mut roots).await, root + 1);
    unsubscribe().await;

    // Succeeding and failing transfers, confirmed by notification at every commitment.
    let poor = Keypair::new();
    let cases = [
        (test.payer.pubkey(), Pubkey::new_unique(), vec![], true),
        (poor.pubkey(), test.payer.pubkey(), vec![&poor], false),
    ];
    for (from, to, signers, succeeds) in cases {
        let transfer = solana_system_interface::instruction::transfer(&from, &to, SOL);
        let tx = test.transaction(&[transfer], &signers).await;
        let at = |commitment| RpcSignatureSubscribeConfig { commitment: Some(commitment), ..Default::default() };
        let (mut processed, _p) =
            pubsub.signature_subscribe(&tx.signatures[0], Some(at(CommitmentConfig::processed()))).await.expect("sub");
        let (mut finalized, _f) =
            pubsub.signature_subscribe(&tx.signatures[0], Some(at(CommitmentConfig::finalized()))).await.expect("sub");
        let wire = base64_of(&bincode::serialize(&tx).expect("serialize"));
        test.result("sendTransaction", json!([wire, {"encoding": "base64", "skipPreflight": true}])).await;
        for stream in [&mut processed, &mut finalized] {
            match next(stream).await.value {
                RpcSignatureResult::ProcessedSignature(result) => assert_eq!(result.err.is_none(), succeeds),
                other => panic!("unexpected notification {other:?}"),
            }
        }
        // Subscribing once it is final notifies at once.
        let (mut late, _l) = pubsub.signature_subscribe(&tx.signatures[0], None).await.expect("sub");
        assert!(matches!(next(&mut late).await.value, RpcSignatureResult::ProcessedSignature(_)));
    }
    test.cluster.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn account_program_and_logs_notifications() {
    let test = TestCluster::start().await;
    let pubsub = PubsubClient::new(test.cluster.ws_url().as_str()).await.expect("WebSocket connects");
    let recipient = Pubkey::new_unique();
    let base64_at = |commitment| RpcAccountInfoConfig {
        encoding: Some(UiAccountEncoding::Base64),
        commitment: Some(commitment),
        ..Default::default()
    };
    let (mut processed, _a) =
        pubsub.account_subscribe(&recipient, Some(base64_at(CommitmentConfig::processed()))).await.expect("sub");
    let (mut confirmed, _b) =
        pubsub.account_subscribe(&recipient, Some(base64_at(CommitmentConfig::confirmed()))).await.expect("sub");
    let logs_config = RpcTransactionLogsConfig { commitment: Some(CommitmentConfig::confirmed()) };
    let (mut mentions, _c) = pubsub
        .logs_subscribe(RpcTransactionLogsFilter::Mentions(vec![recipient.to_string()]), logs_config.clone())
        .await
        .expect("logsSubscribe mentions");
    let (mut all, _d) = pubsub.logs_subscribe(RpcTransactionLogsFilter::All, logs_config).await.expect("logs all");

    let transfer = solana_system_interface::instruction::transfer(&test.payer.pubkey(), &recipient, SOL);
    let signature = test.send(&[transfer], &[]).await;
    for stream in [&mut processed, &mut confirmed] {
        let notification = next(stream).await;
        assert_eq!(notification.value.lamports, SOL);
        assert_eq!(notification.value.owner, solana_system_interface::program::ID.to_string());
    }
    let logs = next(&mut mentions).await;
    assert_eq!(logs.value.signature, signature.to_string());
    assert!(logs.value.err.is_none());
    assert!(logs.value.logs.iter().any(|line| line.contains(" invoke [1]")));
    let mut seen = next(&mut all).await;
    while seen.value.signature != signature.to_string() {
        seen = next(&mut all).await;
    }

    // A program subscription with filters: the token accounts of one mint.
    let mint = Keypair::new();
    let instructions = test.create_mint_instructions(&mint.pubkey(), 0).await;
    test.send(&instructions, &[&mint]).await;
    let config = RpcProgramAccountsConfig {
        filters: Some(vec![
            RpcFilterType::DataSize(spl_token_interface::state::Account::LEN as u64),
            RpcFilterType::Memcmp(Memcmp::new_base58_encoded(0, mint.pubkey().as_ref())),
        ]),
        account_config: base64_at(CommitmentConfig::confirmed()),
        ..Default::default()
    };
    // A second subscriber with the same filters and encoding, one on another
    // connection (the result is encoded once for all three), and one asking for a
    // slice of the data.
    let sliced = RpcProgramAccountsConfig {
        account_config: RpcAccountInfoConfig {
            data_slice: Some(UiDataSliceConfig { offset: 32, length: 32 }),
            ..base64_at(CommitmentConfig::confirmed())
        },
        ..config.clone()
    };
    let (mut same, _e) =
        pubsub.program_subscribe(&spl_token_interface::ID, Some(config.clone())).await.expect("programSubscribe");
    let (mut slice, _e) =
        pubsub.program_subscribe(&spl_token_interface::ID, Some(sliced)).await.expect("programSubscribe");
    let elsewhere = PubsubClient::new(test.cluster.ws_url().as_str()).await.expect("WebSocket connects");
    let (mut other_connection, _e) =
        elsewhere.program_subscribe(&spl_token_interface::ID, Some(config.clone())).await.expect("programSubscribe");
    let (mut accounts, _e) =
        pubsub.program_subscribe(&spl_token_interface::ID, Some(config)).await.expect("programSubscribe");
    let holder = Keypair::new();
    let space = spl_token_interface::state::Account::LEN;
    let rent = test.client.get_minimum_balance_for_rent_exemption(space).await.expect("rent");
    let create = solana_system_interface::instruction::create_account(
        &test.payer.pubkey(),
        &holder.pubkey(),
        rent,
        space as u64,
        &spl_token_interface::ID,
    );
    let owner = Pubkey::new_unique();
    let init = spl_token_interface::instruction::initialize_account3(
        &spl_token_interface::ID,
        &holder.pubkey(),
        &mint.pubkey(),
        &owner,
    )
    .expect("initialize_account3");
    test.send(&[create, init], &[&holder]).await;
    let notified = next(&mut accounts).await;
    let (keyed_slot, keyed) = (notified.context.slot, notified.value);
    assert_eq!(keyed.pubkey, holder.pubkey().to_string());
    assert_eq!(keyed.account.owner, spl_token_interface::ID.to_string());
    let twin = next(&mut same).await.value;
    assert_eq!((twin.pubkey, twin.account.data.clone()), (keyed.pubkey.clone(), keyed.account.data.clone()));
    let remote = next(&mut other_connection).await;
    assert_eq!((remote.value.pubkey, remote.value.account.data), (keyed.pubkey.clone(), keyed.account.data.clone()));
    assert_eq!(remote.context.slot, keyed_slot);
    // The slice: the account's owner field (bytes 32 to 64 of a token account).
    let sliced = next(&mut slice).await.value;
    assert_eq!(sliced.pubkey, keyed.pubkey);
    assert_eq!(sliced.account.data.decode().expect("base64"), owner.to_bytes().to_vec());
    test.cluster.stop().await;
}

/// A client that unsubscribes while its notification is on the way gets either the
/// notification (with a result) or nothing: never a notification carrying an error,
/// which web3.js 1.x cannot parse (it throws from its socket handler).
#[tokio::test(flavor = "multi_thread")]
async fn unsubscribing_while_notified_never_sends_an_error() {
    let test = TestCluster::start().await;
    let mut socket = WebSocket::connect(&test.cluster.ws_url()).await;
    let mut messages = Vec::new();
    for round in 0..40u64 {
        let recipient = Pubkey::new_unique();
        let transfer = solana_system_interface::instruction::transfer(&test.payer.pubkey(), &recipient, SOL + round);
        let tx = test.transaction(&[transfer], &[]).await;
        let subscribe = json!({"jsonrpc": "2.0", "id": round, "method": "signatureSubscribe",
            "params": [tx.signatures[0].to_string(), {"commitment": "processed"}]});
        socket.send(&subscribe).await;
        let id = socket.response(round, &mut messages).await["result"].as_u64().expect("subscription id");
        let wire = base64_of(&bincode::serialize(&tx).expect("serialize"));
        let unsubscribe =
            json!({"jsonrpc": "2.0", "id": 1_000 + round, "method": "signatureUnsubscribe", "params": [id]});
        tokio::join!(test.result("sendTransaction", json!([wire, {"encoding": "base64"}])), socket.send(&unsubscribe));
        let answer = socket.response(1_000 + round, &mut messages).await;
        // true when it beat the notification, "Invalid subscription id." otherwise.
        assert!(answer["result"] == true || answer["error"]["code"] == -32602, "{answer}");
    }
    socket.drain(Duration::from_millis(500), &mut messages).await;
    for message in &messages {
        if message.get("method").is_some() {
            assert!(message["params"].get("error").is_none(), "{message}");
            assert!(message["params"].get("result").is_some(), "{message}");
        }
    }
    test.cluster.stop().await;
}

/// What a validator refuses, and a batch that subscribes is answered once per call.
#[tokio::test(flavor = "multi_thread")]
async fn subscription_bad_inputs_and_batches() {
    let test = TestCluster::start().await;
    let mut socket = WebSocket::connect(&test.cluster.ws_url()).await;
    let key = Pubkey::new_unique().to_string();
    let cases = [
        ("slotUnsubscribe", json!(["x"])),
        ("slotUnsubscribe", json!([987_654_321])),
        ("slotUnsubscribe", json!([])),
        ("slotSubscribe", json!([1])),
        ("accountSubscribe", json!(["not-a-key"])),
        ("accountSubscribe", json!([key, {"commitment": "bogus"}])),
        ("accountSubscribe", json!([key, {}, 3])),
        ("logsSubscribe", json!([{"mentions": [key, key]}])),
        ("logsSubscribe", json!(["everything"])),
        ("signatureSubscribe", json!(["not-a-signature"])),
        (
            "programSubscribe",
            json!([key, {"filters": [{"dataSize": 1}, {"dataSize": 2}, {"dataSize": 3}, {"dataSize": 4}, {"dataSize": 5}]}]),
        ),
    ];
    let mut messages = Vec::new();
    for (index, (method, params)) in cases.iter().enumerate() {
        let id = index as u64;
        socket.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})).await;
        let answer = socket.response(id, &mut messages).await;
        assert_eq!(answer["error"]["code"], -32602, "{method} {params}: {answer}");
    }
    socket.send(&json!({"jsonrpc": "2.0", "id": 99, "method": "blockSubscribe", "params": ["all"]})).await;
    assert_eq!(socket.response(99, &mut messages).await["error"]["code"], -32601);

    // A batch: one answer per call, in order; the subscription then notifies.
    socket
        .send(&json!([
            {"jsonrpc": "2.0", "id": "a", "method": "slotSubscribe"},
            {"jsonrpc": "2.0", "id": "b", "method": "getHealth"},
            {"jsonrpc": "2.0", "method": "rootSubscribe"},
        ]))
        .await;
    let batch = socket.next_message().await;
    let answers = batch.as_array().unwrap_or_else(|| panic!("a batch answer: {batch}"));
    assert_eq!(answers.len(), 2, "{batch}");
    assert_eq!((answers[0]["id"].clone(), answers[1]["id"].clone()), (json!("a"), json!("b")));
    let slot_subscription = answers[0]["result"].as_u64().expect("subscription id");
    socket.drain(Duration::from_millis(900), &mut messages).await;
    let answers_to_a = messages.iter().filter(|m| m["id"] == "a").count();
    assert_eq!(answers_to_a, 0, "answered once, in the batch");
    assert!(messages.iter().any(|m| m["params"]["subscription"] == slot_subscription));
    // The notification-form rootSubscribe ran: root notifications arrive for an id
    // the client never got.
    assert!(messages.iter().any(|m| m["method"] == "rootNotification"));

    let health = test.post(r#"{"jsonrpc":"2.0","id":1,"method":"getHealth"}"#).await;
    assert_eq!(health["result"], "ok", "still serving");
    test.cluster.stop().await;
}
