//! A cluster started in-process on a free port, with a typed client
//! (`solana-rpc-client`, which checks every response against Solana's own types) and
//! a raw JSON-RPC client for what the typed one cannot send.

use base64::prelude::{Engine, BASE64_STANDARD};
use serde_json::{json, Value};
use solana_commitment_config::CommitmentConfig;
use solana_program_pack::Pack;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_signature::Signature;
use solana_transaction::Transaction;
use strata_localnet::LocalCluster;
use strata_testkit::{Keypair, Pubkey, Signer};

use anchor_lang::solana_program::instruction::Instruction;

pub use solana_native_token::LAMPORTS_PER_SOL as SOL;

pub struct TestCluster {
    pub cluster: LocalCluster,
    pub client: RpcClient,
    pub http: reqwest::Client,
    /// Funded with 1,000 SOL by airdrop.
    pub payer: Keypair,
}

impl TestCluster {
    pub async fn start() -> Self {
        let cluster = strata_localnet::start(0).await.expect("cluster starts");
        let client = RpcClient::new_with_commitment(cluster.url(), CommitmentConfig::confirmed());
        let test = Self { cluster, client, http: reqwest::Client::new(), payer: Keypair::new() };
        let signature = test.client.request_airdrop(&test.payer.pubkey(), 1_000 * SOL).await.expect("airdrop");
        test.client.confirm_transaction(&signature).await.expect("airdrop confirms");
        test
    }

    /// Posts a raw JSON body; returns the whole JSON-RPC response.
    pub async fn post(&self, body: &str) -> Value {
        let response = self
            .http
            .post(self.cluster.url())
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("HTTP request");
        let text = response.text().await.expect("HTTP body");
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
    }

    /// Calls `method`; returns the whole JSON-RPC response (`result` or `error`).
    pub async fn call(&self, method: &str, params: Value) -> Value {
        self.post(&json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params }).to_string()).await
    }

    /// Calls `method` and returns its `result`, failing the test on an error.
    pub async fn result(&self, method: &str, params: Value) -> Value {
        let response = self.call(method, params).await;
        match response.get("result") {
            Some(result) => result.clone(),
            None => panic!("{method} failed: {response}"),
        }
    }

    /// Calls `method`, requires a JSON-RPC error, returns its code and the error.
    pub async fn error(&self, method: &str, params: Value) -> (i64, Value) {
        let response = self.call(method, params).await;
        let error = response.get("error").unwrap_or_else(|| panic!("{method} should fail: {response}")).clone();
        (error["code"].as_i64().expect("error code"), error)
    }

    /// A legacy transaction paid and signed by the payer plus `signers`.
    pub async fn transaction(&self, instructions: &[Instruction], signers: &[&Keypair]) -> Transaction {
        let blockhash = self.client.get_latest_blockhash().await.expect("blockhash");
        let mut all: Vec<&Keypair> = vec![&self.payer];
        all.extend(signers.iter().copied());
        Transaction::new_signed_with_payer(instructions, Some(&self.payer.pubkey()), &all, blockhash)
    }

    /// Sends through `sendTransaction` and waits for `getSignatureStatuses` to confirm.
    pub async fn send(&self, instructions: &[Instruction], signers: &[&Keypair]) -> Signature {
        let tx = self.transaction(instructions, signers).await;
        match self.client.send_and_confirm_transaction(&tx).await {
            Ok(signature) => signature,
            Err(error) => panic!("transaction failed: {error:?}"),
        }
    }

    /// Waits until `signature`'s slot has closed: its status is `finalized`, and
    /// `confirmed` and `finalized` reads see it.
    pub async fn finalized(&self, signature: &str) {
        for _ in 0..100 {
            let statuses = self.result("getSignatureStatuses", json!([[signature]])).await;
            if statuses["value"][0]["confirmationStatus"] == "finalized" {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("{signature} not finalized within 5 s");
    }

    /// The log lines `getTransaction` returns for `signature`.
    pub async fn logs(&self, signature: &Signature) -> Vec<String> {
        let transaction = self.result("getTransaction", json!([signature.to_string(), "json"])).await;
        serde_json::from_value(transaction["meta"]["logMessages"].clone()).expect("logMessages")
    }

    /// Raw account data, read with `getAccountInfo` in base64+zstd.
    pub async fn data(&self, key: &Pubkey) -> Vec<u8> {
        self.client.get_account_data(key).await.expect("account exists")
    }

    /// Creates a rent-exempt SPL Token account for `mint` and initializes it as a
    /// mint with the payer as authority; `mint` signs.
    pub async fn create_mint_instructions(&self, mint: &Pubkey, decimals: u8) -> [Instruction; 2] {
        let space = spl_token_interface::state::Mint::LEN;
        let rent = self.client.get_minimum_balance_for_rent_exemption(space).await.expect("rent");
        [
            solana_system_interface::instruction::create_account(
                &self.payer.pubkey(),
                mint,
                rent,
                space as u64,
                &spl_token_interface::ID,
            ),
            spl_token_interface::instruction::initialize_mint2(
                &spl_token_interface::ID,
                mint,
                &self.payer.pubkey(),
                None,
                decimals,
            )
            .expect("initialize_mint2"),
        ]
    }
}

pub fn base64_of(bytes: &[u8]) -> String {
    BASE64_STANDARD.encode(bytes)
}

/// A raw WebSocket JSON-RPC client, for what the typed PubSub client cannot send.
pub struct WebSocket {
    stream: tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
}

impl WebSocket {
    pub async fn connect(url: &str) -> Self {
        let (stream, _) = tokio_tungstenite::connect_async(url).await.expect("WebSocket connects");
        Self { stream }
    }

    pub async fn send(&mut self, message: &Value) {
        use futures_util::SinkExt;
        let text = tokio_tungstenite::tungstenite::Message::text(message.to_string());
        self.stream.send(text).await.expect("WebSocket send");
    }

    /// The next text message, as JSON.
    pub async fn next_message(&mut self) -> Value {
        use futures_util::StreamExt;
        loop {
            let message = tokio::time::timeout(std::time::Duration::from_secs(5), self.stream.next())
                .await
                .expect("a message in time")
                .expect("open")
                .expect("readable");
            if let tokio_tungstenite::tungstenite::Message::Text(text) = message {
                return serde_json::from_str(&text).expect("JSON");
            }
        }
    }

    /// Reads until the response to `id`; every other message goes to `seen`.
    pub async fn response(&mut self, id: impl Into<Value>, seen: &mut Vec<Value>) -> Value {
        let id = id.into();
        loop {
            let message = self.next_message().await;
            if message.get("id") == Some(&id) {
                return message;
            }
            seen.push(message);
        }
    }

    /// Reads whatever arrives for `duration`.
    pub async fn drain(&mut self, duration: std::time::Duration, seen: &mut Vec<Value>) {
        let deadline = tokio::time::Instant::now() + duration;
        while let Ok(message) = tokio::time::timeout_at(deadline, self.next_message()).await {
            seen.push(message);
        }
    }
}
