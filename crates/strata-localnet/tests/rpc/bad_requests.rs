//! Bad requests get JSON-RPC errors with a validator's codes, and the server keeps
//! serving.

use base64::prelude::{Engine, BASE64_STANDARD};
use serde_json::json;
use strata_testkit::{Pubkey, Signer};

use crate::harness::{TestCluster, SOL};

const PARSE_ERROR: i64 = -32700;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;
const SIGNATURE_VERIFICATION_FAILURE: i64 = -32003;

#[tokio::test(flavor = "multi_thread")]
async fn bad_requests_get_json_rpc_errors() {
    let test = TestCluster::start().await;
    let key = Pubkey::new_unique().to_string();
    let cases = [
        ("getNothing", json!([])),
        ("getBalance", json!(["not-a-pubkey"])),
        ("getBalance", json!([])),
        ("getBalance", json!([42])),
        ("getAccountInfo", json!([key, {"encoding": "hex"}])),
        ("getMultipleAccounts", json!([vec![key.clone(); 101]])),
        ("getProgramAccounts", json!([key, {"filters": [{"memcmp": {"offset": 0, "bytes": "1".repeat(200)}}]}])),
        (
            "getProgramAccounts",
            json!([key, {"filters": [{"dataSize": 1}, {"dataSize": 2}, {"dataSize": 3}, {"dataSize": 4}, {"dataSize": 5}]}]),
        ),
        ("sendTransaction", json!(["!!! not base58 !!!"])),
        ("sendTransaction", json!(["AAAA", {"encoding": "base64"}])),
        ("sendTransaction", json!([BASE64_STANDARD.encode([1u8; 300]), {"encoding": "base64"}])),
        ("sendTransaction", json!(["x".repeat(5_000), {"encoding": "base64"}])),
        (
            "simulateTransaction",
            json!(["AAAA", {"encoding": "base64", "sigVerify": true, "replaceRecentBlockhash": true}]),
        ),
        ("getSignatureStatuses", json!([["not-a-signature"]])),
        ("getTransaction", json!(["not-a-signature"])),
        ("isBlockhashValid", json!(["not-a-hash"])),
        ("getFeeForMessage", json!(["AAAA"])),
        ("getMinimumBalanceForRentExemption", json!([u64::MAX])),
        ("requestAirdrop", json!([key, -1])),
        ("strata_setPythLegacyPrice", json!([key, {"price": "abc", "expo": -8}])),
        ("strata_setPythLegacyPrice", json!([key, {"price": 1, "expo": -8, "bogus": true}])),
        ("strata_setPythPullPrice", json!([key, {"price": 1, "expo": -8}])),
        ("strata_setPythPullPrice", json!([key, {"price": 1, "expo": -8, "feedId": "0x12"}])),
        ("strata_setAccount", json!([key, {"lamports": 1, "data": "%%%"}])),
        ("strata_advanceClock", json!([-5])),
    ];
    for (method, params) in cases {
        let (code, error) = test.error(method, params.clone()).await;
        let expected = if method == "getNothing" { METHOD_NOT_FOUND } else { INVALID_PARAMS };
        assert_eq!(code, expected, "{method} {params}: {error}");
    }

    let garbage = test.post("{ this is not json").await;
    assert_eq!(garbage["error"]["code"], PARSE_ERROR);

    // A transaction whose signature does not match its message.
    let transfer = solana_system_interface::instruction::transfer(&test.payer.pubkey(), &Pubkey::new_unique(), SOL);
    let mut tx = test.transaction(&[transfer], &[]).await;
    tx.message.instructions[0].data[4] ^= 1;
    let wire = BASE64_STANDARD.encode(bincode::serialize(&tx).expect("serialize"));
    let (code, _) = test.error("sendTransaction", json!([wire, {"encoding": "base64"}])).await;
    assert_eq!(code, SIGNATURE_VERIFICATION_FAILURE);

    let health = test.post(r#"{"jsonrpc":"2.0","id":1,"method":"getHealth"}"#).await;
    assert_eq!(health["result"], "ok", "still serving");
    test.cluster.stop().await;
}
