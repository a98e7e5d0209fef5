//! The cluster's past, through Solana's own client: signatures by address, parsed
//! transactions, blocks, block times; and what a validator refuses.

use serde_json::json;
use solana_commitment_config::CommitmentConfig;
use solana_message::{v0, VersionedMessage};
use solana_rpc_client::rpc_client::GetConfirmedSignaturesForAddress2Config;
use solana_rpc_client_api::config::{RpcBlockConfig, RpcTransactionConfig};
use solana_signature::Signature;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_status_client_types::{
    EncodedTransaction, TransactionDetails, UiMessage, UiTransactionEncoding,
};
use strata_testkit::{Pubkey, Signer};

use crate::harness::{TestCluster, SOL};

const BLOCK_NOT_AVAILABLE: i64 = -32004;
const BLOCK_CLEANED_UP: i64 = -32001;
const UNSUPPORTED_VERSION: i64 = -32015;

#[tokio::test(flavor = "multi_thread")]
async fn signatures_by_address_parsed_transactions_and_blocks() {
    let test = TestCluster::start().await;
    let recipient = Pubkey::new_unique();
    let mut sent = Vec::new();
    for lamports in 1..=3 {
        let transfer = solana_system_interface::instruction::transfer(&test.payer.pubkey(), &recipient, lamports * SOL);
        sent.push(test.send(&[transfer], &[]).await);
    }
    // A v0 transfer too.
    let blockhash = test.client.get_latest_blockhash().await.expect("blockhash");
    let transfer = solana_system_interface::instruction::transfer(&test.payer.pubkey(), &recipient, 4 * SOL);
    let message = v0::Message::try_compile(&test.payer.pubkey(), &[transfer], &[], blockhash).expect("v0");
    let v0_tx = VersionedTransaction::try_new(VersionedMessage::V0(message), &[&test.payer]).expect("signed");
    let v0_signature = test.client.send_and_confirm_transaction(&v0_tx).await.expect("v0 lands");
    sent.push(v0_signature);

    // Newest first; limit, before, until.
    let all = test.client.get_signatures_for_address(&recipient).await.expect("getSignaturesForAddress");
    let newest_first: Vec<Signature> = sent.iter().rev().copied().collect();
    assert_eq!(all.iter().map(|s| s.signature.parse().unwrap()).collect::<Vec<Signature>>(), newest_first);
    assert!(all.iter().all(|s| s.err.is_none() && s.block_time.is_some()));
    let page =
        |before: Option<Signature>, until: Option<Signature>, limit: usize| GetConfirmedSignaturesForAddress2Config {
            before,
            until,
            limit: Some(limit),
            commitment: Some(CommitmentConfig::confirmed()),
        };
    let signatures_of = |list: Vec<solana_rpc_client_api::response::RpcConfirmedTransactionStatusWithSignature>| {
        list.iter().map(|s| s.signature.parse().unwrap()).collect::<Vec<Signature>>()
    };
    let first_two = test.client.get_signatures_for_address_with_config(&recipient, page(None, None, 2)).await;
    assert_eq!(signatures_of(first_two.expect("limit")), newest_first[..2]);
    let older = test.client.get_signatures_for_address_with_config(&recipient, page(Some(sent[2]), None, 10)).await;
    assert_eq!(signatures_of(older.expect("before")), vec![sent[1], sent[0]]);
    let newer = test.client.get_signatures_for_address_with_config(&recipient, page(None, Some(sent[1]), 10)).await;
    assert_eq!(signatures_of(newer.expect("until")), vec![sent[3], sent[2]]);

    // Parsed: account keys with their roles, the system transfer decoded.
    let config = RpcTransactionConfig {
        encoding: Some(UiTransactionEncoding::JsonParsed),
        commitment: Some(CommitmentConfig::confirmed()),
        max_supported_transaction_version: Some(0),
    };
    let parsed = test.client.get_transaction_with_config(&sent[0], config).await.expect("jsonParsed");
    let EncodedTransaction::Json(transaction) = parsed.transaction.transaction else { panic!("JSON transaction") };
    let UiMessage::Parsed(message) = transaction.message else { panic!("parsed message") };
    assert_eq!(message.account_keys[0].pubkey, test.payer.pubkey().to_string());
    assert!(message.account_keys[0].signer && message.account_keys[0].writable);
    let raw = test
        .result(
            "getTransaction",
            json!([sent[0].to_string(), {"encoding": "jsonParsed", "maxSupportedTransactionVersion": 0}]),
        )
        .await;
    let instruction = &raw["transaction"]["message"]["instructions"][0];
    assert_eq!(instruction["program"], "system");
    assert_eq!(instruction["parsed"]["type"], "transfer");
    assert_eq!(instruction["parsed"]["info"]["lamports"], SOL);
    assert_eq!(instruction["parsed"]["info"]["destination"], recipient.to_string());

    // The block of the first transfer: full, signatures only, none; chained to its parent.
    let slot = parsed.slot;
    let block_config = |details, version| RpcBlockConfig {
        encoding: Some(UiTransactionEncoding::Base64),
        transaction_details: Some(details),
        rewards: Some(false),
        commitment: Some(CommitmentConfig::confirmed()),
        max_supported_transaction_version: version,
    };
    let full = test.client.get_block_with_config(slot, block_config(TransactionDetails::Full, Some(0))).await;
    let full = full.expect("getBlock");
    assert!(full
        .transactions
        .expect("transactions")
        .iter()
        .any(|tx| tx.transaction.decode().is_some_and(|tx| tx.signatures[0] == sent[0])));
    let signatures =
        test.client.get_block_with_config(slot, block_config(TransactionDetails::Signatures, Some(0))).await;
    assert!(signatures.expect("signatures").signatures.expect("list").contains(&sent[0].to_string()));
    let none = test.client.get_block_with_config(slot, block_config(TransactionDetails::None, None)).await;
    let none = none.expect("no details");
    assert!(none.transactions.is_none() && none.signatures.is_none());
    assert_eq!(full.parent_slot, slot - 1);
    let parent = test.client.get_block_with_config(slot - 1, block_config(TransactionDetails::None, None)).await;
    assert_eq!(full.previous_blockhash, parent.expect("parent block").blockhash);
    assert_eq!(test.client.get_block_time(slot).await.expect("getBlockTime"), full.block_time.expect("block time"));
    assert!(full.block_height.is_some());

    // Blocks listed, every closed slot has one.
    let blocks = test.client.get_blocks(slot - 1, Some(slot + 1)).await.expect("getBlocks");
    assert_eq!(blocks, vec![slot - 1, slot, slot + 1]);
    let limited = test.client.get_blocks_with_limit(slot, 2).await.expect("getBlocksWithLimit");
    assert_eq!(limited, vec![slot, slot + 1]);
    assert_eq!(test.result("getFirstAvailableBlock", json!([])).await, 1);

    // The v0 transaction's block needs maxSupportedTransactionVersion.
    let v0_slot = test.client.get_transaction_with_config(&v0_signature, config).await.expect("v0").slot;
    let (code, _) = test.error("getBlock", json!([v0_slot, {"encoding": "base64"}])).await;
    assert_eq!(code, UNSUPPORTED_VERSION);

    // What a validator refuses: processed history, blocks not closed or cleaned up.
    let processed = json!({"commitment": "processed"});
    for (method, params) in [
        ("getBlock", json!([slot, processed])),
        ("getTransaction", json!([sent[0].to_string(), processed])),
        ("getSignaturesForAddress", json!([recipient.to_string(), processed])),
        ("getBlocks", json!([slot, processed])),
        ("getSignaturesForAddress", json!([recipient.to_string(), {"limit": 1001}])),
    ] {
        let (code, error) = test.error(method, params).await;
        assert_eq!(code, -32602, "{method}: {error}");
    }
    let (code, _) = test.error("getBlock", json!([u64::MAX / 2])).await;
    assert_eq!(code, BLOCK_NOT_AVAILABLE);
    let (code, error) = test.error("getBlock", json!([0])).await;
    assert_eq!(code, BLOCK_CLEANED_UP, "{error}");
    let unknown = test.result("getTransaction", json!([Signature::from([7; 64]).to_string()])).await;
    assert!(unknown.is_null());
    test.cluster.stop().await;
}
