//! Bad requests get JSON-RPC errors with a validator's codes, and the server keeps
//! serving.

use base64::prelude::{Engine, BASE64_STANDARD};
use serde_json::json;
use strata_testkit::{Pubkey, Signer};

use crate::harness::{TestCluster, SOL};

const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const INTERNAL_ERROR: i64 = -32603;
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

/// JSON-RPC 2.0 as the specification has it: any string or number id, echoed as
/// written; notifications executed without a response; anything else refused without
/// running; and the server's other limits. The cluster keeps serving throughout.
#[tokio::test(flavor = "multi_thread")]
async fn envelopes_ids_notifications_and_limits() {
    let test = TestCluster::start().await;
    let url = test.cluster.url();
    let raw = |body: String| {
        let http = test.http.clone();
        let url = url.clone();
        async move {
            let response =
                http.post(url).header("content-type", "application/json").body(body).send().await.expect("HTTP");
            let status = response.status().as_u16();
            (status, response.text().await.expect("body"))
        }
    };
    let client = &test.client;
    let balance = |key: Pubkey| async move { client.get_balance(&key).await.expect("getBalance") };

    // Negative, fractional and huge ids are echoed byte for byte, and the call runs.
    let (a, b, c) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
    let airdrop = |key: Pubkey| format!(r#""method":"requestAirdrop","params":["{key}",{SOL}]"#);
    let (status, body) = raw(format!(r#"{{"jsonrpc":"2.0","id":-7.25,{}}}"#, airdrop(a))).await;
    assert_eq!(status, 200);
    assert!(body.starts_with(r#"{"jsonrpc":"2.0","result":""#) && body.ends_with(r#","id":-7.25}"#), "{body}");
    assert_eq!(balance(a).await, SOL);
    for id in ["123456789012345678901234567890", "-1", "0.5", "\"text\"", "null"] {
        let (_, body) = raw(format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"getHealth"}}"#)).await;
        assert_eq!(body, format!(r#"{{"jsonrpc":"2.0","result":"ok","id":{id}}}"#));
    }
    // A notification runs and gets no response at all.
    let (status, body) = raw(format!(r#"{{"jsonrpc":"2.0",{}}}"#, airdrop(b))).await;
    assert_eq!((status, body.as_str()), (204, ""));
    assert_eq!(balance(b).await, SOL);
    // An object id, or a JSON string, is an invalid request: refused, not run.
    let (_, body) = raw(format!(r#"{{"jsonrpc":"2.0","id":{{"n":1}},{}}}"#, airdrop(c))).await;
    let body: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!((body["error"]["code"].as_i64(), body["id"].clone()), (Some(INVALID_REQUEST), json!(null)));
    let (_, body) = raw(r#""getHealth""#.to_string()).await;
    assert_eq!(serde_json::from_str::<serde_json::Value>(&body).expect("JSON")["error"]["code"], INVALID_REQUEST);
    let (_, body) = raw("[]".to_string()).await;
    assert_eq!(serde_json::from_str::<serde_json::Value>(&body).expect("JSON")["error"]["code"], INVALID_REQUEST);
    assert_eq!(balance(c).await, 0, "never airdropped");

    // Unknown commitment levels and extra parameters are refused.
    let key = a.to_string();
    for (method, params) in [
        ("getBalance", json!([key, {"commitment": "bogus"}])),
        ("getSlot", json!([{"commitment": "latest"}])),
        ("getAccountInfo", json!([key, {"encoding": "base64", "commitment": 3}])),
        ("sendTransaction", json!(["AAAA", {"preflightCommitment": "soon"}])),
        ("getBalance", json!([key, {}, 1])),
        ("getHealth", json!([1])),
        ("getSlot", json!([{}, {}])),
    ] {
        let (code, error) = test.error(method, params.clone()).await;
        assert_eq!(code, INVALID_PARAMS, "{method} {params}: {error}");
    }
    // Older clients' names for the levels still mean what they meant.
    test.result("getBalance", json!([key, {"commitment": "max"}])).await;
    test.result("getBalance", json!([key, {"commitment": "recent"}])).await;

    // A body just over 10 MiB gets 413, not a closed connection.
    let (status, _) = raw(" ".repeat(strata_localnet::MAX_BODY_BYTES + 1)).await;
    assert_eq!(status, 413);
    let (status, _) = raw(format!(r#"{{"jsonrpc":"2.0","id":1,"method":"getHealth"}}{}"#, " ".repeat(1 << 20))).await;
    assert_eq!(status, 200, "a large body within the limit is served");

    // The faucet: over its cap, or a transfer that fails on-chain (to a sysvar, which
    // no transaction may write), is an error rather than a signature.
    let (code, error) = test.error("requestAirdrop", json!([key, u64::MAX])).await;
    assert_eq!(code, INTERNAL_ERROR, "{error}");
    let (code, error) = test.error("requestAirdrop", json!([key, strata_localnet::AIRDROP_CAP_LAMPORTS + 1])).await;
    assert_eq!(code, INTERNAL_ERROR, "{error}");
    let clock = solana_clock::sysvar::ID;
    let clock_balance = balance(clock).await;
    let (code, error) = test.error("requestAirdrop", json!([clock.to_string(), SOL])).await;
    assert_eq!(code, INTERNAL_ERROR, "{error}");
    assert!(error["message"].as_str().is_some_and(|m| m.contains("failed")), "{error}");
    assert_eq!(balance(clock).await, clock_balance);
    test.result("requestAirdrop", json!([key, strata_localnet::AIRDROP_CAP_LAMPORTS])).await;

    let health = test.post(r#"{"jsonrpc":"2.0","id":1,"method":"getHealth"}"#).await;
    assert_eq!(health["result"], "ok", "still serving");
    test.cluster.stop().await;
}

/// Open WebSocket connections have their own limit: the connection over it is refused
/// at the upgrade (429), and HTTP requests are never turned away by them.
#[tokio::test(flavor = "multi_thread")]
async fn websocket_connections_never_turn_http_away() {
    let config = strata_localnet::Config { port: 0, max_websocket_connections: 8, ..Default::default() };
    let cluster = strata_localnet::start_with(config).await.expect("cluster starts");
    let ws_url = format!("ws://{}", cluster.addr);
    let mut open = Vec::new();
    for _ in 0..8 {
        open.push(tokio_tungstenite::connect_async(ws_url.as_str()).await.expect("within the limit").0);
    }
    match tokio_tungstenite::connect_async(ws_url.as_str()).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => assert_eq!(response.status().as_u16(), 429),
        other => panic!("the ninth connection should get 429: {other:?}"),
    }
    let http = reqwest::Client::new();
    for _ in 0..20 {
        let response = http
            .post(cluster.url())
            .header("content-type", "application/json")
            .body(r#"{"jsonrpc":"2.0","id":1,"method":"getHealth"}"#)
            .send()
            .await
            .expect("HTTP");
        assert_eq!(response.status().as_u16(), 200);
    }
    // A connection that closes frees its place.
    drop(open.pop());
    let mut reconnected = false;
    for _ in 0..50 {
        if tokio_tungstenite::connect_async(ws_url.as_str()).await.is_ok() {
            reconnected = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(reconnected);
    cluster.stop().await;

    // With the default limit: 2,100 WebSocket connections on the main port (more than
    // the 2,048 that used to shut HTTP out), and HTTP still answers.
    let cluster = strata_localnet::start(0).await.expect("cluster starts");
    let ws_url = format!("ws://{}", cluster.addr);
    let mut open = Vec::new();
    for _ in 0..2_100 {
        open.push(tokio_tungstenite::connect_async(ws_url.as_str()).await.expect("WebSocket connects").0);
    }
    let response = http
        .post(cluster.url())
        .header("content-type", "application/json")
        .body(r#"{"jsonrpc":"2.0","id":1,"method":"getHealth"}"#)
        .send()
        .await
        .expect("HTTP");
    assert_eq!(response.status().as_u16(), 200);
    drop(open);
    cluster.stop().await;
}
