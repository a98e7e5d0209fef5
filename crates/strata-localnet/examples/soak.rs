//! Memory soak of the local cluster (`./scripts/bench-localnet.sh`): the resident
//! memory (RSS) of the real `strata-localnet` process, idle for ten minutes, then while
//! it takes 20,000 transactions; then a second cluster keeping 10,000 transactions of
//! history takes 20,000, to show where memory levels off once history is full.
//! Prints figures; asserts nothing.
//!
//! `cargo run --example soak -p strata-localnet -- [--idle-minutes N] [--transactions N]`

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::config::RpcSendTransactionConfig;
use solana_transaction::Transaction;
use strata_testkit::{Keypair, Signer};

/// Wallets the transfers go round; a fixed set, so the accounts do not grow.
const WALLETS: usize = 64;
/// Senders at once: the cluster runs one transaction at a time, this keeps it busy.
const SENDERS: usize = 4;
const SOL: u64 = 1_000_000_000;
const BLOCKHASH_REFRESH: Duration = Duration::from_secs(10);

struct Options {
    idle_minutes: u64,
    transactions: usize,
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let options = parse_options();
    let binary = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("strata-localnet")))
        .filter(|path| path.exists())
        .expect("strata-localnet beside the examples directory: cargo build -p strata-localnet first");

    println!("== idle: {} minutes", options.idle_minutes);
    let mut cluster = Cluster::start(&binary, &[]);
    tokio::time::sleep(Duration::from_secs(5)).await;
    let (start_rss, start_slot) = (cluster.rss_kib(), cluster.slot().await);
    println!("{:>8} {:>8} {:>12} {:>16}", "minute", "slot", "RSS (MiB)", "KiB per slot");
    println!("{:>8} {start_slot:>8} {:>12.1} {:>16}", 0, mib(start_rss), "");
    let (mut last_rss, mut last_slot) = (start_rss, start_slot);
    // The first minute fills caches and runs the first upkeep rounds; growth that
    // lasts shows after it.
    let mut warm = (start_rss, start_slot);
    for minute in 1..=options.idle_minutes {
        tokio::time::sleep(Duration::from_secs(60)).await;
        let (rss, slot) = (cluster.rss_kib(), cluster.slot().await);
        let per_slot = (rss as f64 - last_rss as f64) / (slot - last_slot).max(1) as f64;
        println!("{minute:>8} {slot:>8} {:>12.1} {per_slot:>16.2}", mib(rss));
        (last_rss, last_slot) = (rss, slot);
        if minute == 1 {
            warm = (rss, slot);
        }
    }
    let idle_rss = last_rss;
    let per_slot = |(rss, slot): (u64, u64)| (idle_rss as f64 - rss as f64) / (last_slot - slot).max(1) as f64;
    println!(
        "idle: {:.1} MiB after {} minutes ({} slots): {:+.2} KiB per slot from the start, {:+.2} after the first minute",
        mib(idle_rss),
        options.idle_minutes,
        last_slot - start_slot,
        per_slot((start_rss, start_slot)),
        per_slot(warm)
    );

    println!("\n== {} transactions (history: 100,000 transactions at most)", options.transactions);
    let after = cluster.transfers(options.transactions).await;
    let per_transaction = (after as f64 - idle_rss as f64) * 1024.0 / options.transactions as f64;
    println!(
        "after {} transactions: {:.1} MiB ({:+.0} bytes per transaction)",
        options.transactions,
        mib(after),
        per_transaction
    );
    cluster.stop();

    let cap = options.transactions / 2;
    println!(
        "\n== {} transactions with a history of {cap} (memory levels off once history is full)",
        options.transactions
    );
    let mut cluster = Cluster::start(&binary, &["--history-transactions", &cap.to_string()]);
    tokio::time::sleep(Duration::from_secs(5)).await;
    let before = cluster.rss_kib();
    let after = cluster.transfers(options.transactions).await;
    println!("before {:.1} MiB, after {:.1} MiB", mib(before), mib(after));
    cluster.stop();
}

struct Cluster {
    child: Child,
    client: Arc<RpcClient>,
}

impl Cluster {
    fn start(binary: &std::path::Path, extra: &[&str]) -> Self {
        let mut child = Command::new(binary)
            .args(["--port", "0"])
            .args(extra)
            .env("RUST_LOG", "error")
            .stdout(Stdio::piped())
            .spawn()
            .expect("strata-localnet starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let url = loop {
            let line = lines.next().expect("a line").expect("readable");
            if let Some(url) = line.strip_prefix("strata-localnet listening on ") {
                break url.to_string();
            }
        };
        let client = Arc::new(RpcClient::new_with_commitment(url, CommitmentConfig::confirmed()));
        Self { child, client }
    }

    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).expect("/proc status");
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS")
    }

    async fn slot(&self) -> u64 {
        self.client.get_slot().await.expect("getSlot")
    }

    /// Sends `count` transfers round `WALLETS` wallets (without preflight), printing
    /// the RSS every quarter; returns the RSS once the last has finalized and an
    /// upkeep round has passed. (A transfer the cluster drops, e.g. for an expired
    /// blockhash, is printed on its stderr.)
    async fn transfers(&self, count: usize) -> u64 {
        let wallets: Arc<Vec<Keypair>> = Arc::new((0..WALLETS).map(|_| Keypair::new()).collect());
        for wallet in wallets.iter() {
            let signature = self.client.request_airdrop(&wallet.pubkey(), 1_000 * SOL).await.expect("airdrop");
            self.client.confirm_transaction(&signature).await.expect("airdrop lands");
        }
        let started = Instant::now();
        let quarter = count.div_ceil(4);
        let mut sent = 0;
        while sent < count {
            let batch = quarter.min(count - sent);
            let mut tasks = Vec::new();
            for sender in 0..SENDERS {
                let (client, wallets) = (self.client.clone(), wallets.clone());
                let mine: Vec<usize> = (sent + sender..sent + batch).step_by(SENDERS).collect();
                tasks.push(tokio::spawn(async move {
                    let mut blockhash = client.get_latest_blockhash().await.expect("blockhash");
                    let mut fetched = Instant::now();
                    for index in mine {
                        // A blockhash lives 60 s; on a loaded machine 200 transfers can
                        // take longer than that, so refresh by time, not by count.
                        if fetched.elapsed() > BLOCKHASH_REFRESH {
                            blockhash = client.get_latest_blockhash().await.expect("blockhash");
                            fetched = Instant::now();
                        }
                        let from = &wallets[index % WALLETS];
                        let to = wallets[(index + 1) % WALLETS].pubkey();
                        // A distinct amount makes every transfer a distinct transaction.
                        let transfer =
                            solana_system_interface::instruction::transfer(&from.pubkey(), &to, 1 + index as u64);
                        let tx =
                            Transaction::new_signed_with_payer(&[transfer], Some(&from.pubkey()), &[from], blockhash);
                        let config = RpcSendTransactionConfig { skip_preflight: true, ..Default::default() };
                        client.send_transaction_with_config(&tx, config).await.expect("sendTransaction");
                    }
                }));
            }
            for task in tasks {
                task.await.expect("sender");
            }
            sent += batch;
            println!(
                "{sent:>8} transactions  {:>6.1} s  RSS {:>7.1} MiB",
                started.elapsed().as_secs_f64(),
                mib(self.rss_kib())
            );
        }
        // The cluster commits a transaction before answering: once the slot of the
        // last answer has closed, every transfer is finalized and in a block.
        let processed = self.client.get_slot_with_commitment(CommitmentConfig::processed()).await.expect("getSlot");
        while self.slot().await < processed {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        println!("{:.0} transactions per second", count as f64 / started.elapsed().as_secs_f64());
        // One round of the ledger's upkeep (every 25 slots, 10 s).
        tokio::time::sleep(Duration::from_secs(12)).await;
        self.rss_kib()
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn parse_options() -> Options {
    let mut options = Options { idle_minutes: 10, transactions: 20_000 };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|value| value.parse::<u64>().ok());
        match (arg.as_str(), value) {
            ("--idle-minutes", Some(value)) => options.idle_minutes = value,
            ("--transactions", Some(value)) => options.transactions = value as usize,
            _ => {
                eprintln!("usage: soak [--idle-minutes N] [--transactions N]");
                std::process::exit(2);
            }
        }
    }
    options
}
