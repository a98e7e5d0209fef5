//! `strata-localnet [--port N]`: runs the embedded local cluster until interrupted.

use std::process::ExitCode;

const USAGE: &str =
    "usage: strata-localnet [--port N] [--max-websocket-connections N] [--history-transactions N] [--slot-ms N]\n\n\
Serves Solana JSON-RPC on http://127.0.0.1:N (default 8899; WebSocket subscriptions\n\
there and on N+1) from an in-memory bank\n\
with Strata loaded natively beside the SPL Token, Token-2022, Associated Token and\n\
Memo programs. No ledger directory: state lives in memory and ends with the process.\n\
WebSocket connections open at once: 4096 by default, over both ports. Transactions\n\
remembered (getTransaction, getBlock, getSignaturesForAddress): 100000 by default.\n\
A slot closes every 400 ms by default (--slot-ms: 50 to 10000).";

fn main() -> ExitCode {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(Some(config)) => config,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("strata-localnet: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    // solana-program-test turns on debug logging of every instruction unless RUST_LOG
    // says otherwise; a server should only report errors. Set before any thread starts.
    if std::env::var_os("RUST_LOG").is_none() {
        std::env::set_var("RUST_LOG", "error");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("strata-localnet: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(config))
}

async fn run(config: strata_localnet::Config) -> ExitCode {
    let cluster = match strata_localnet::start_with(config).await {
        Ok(cluster) => cluster,
        Err(error) => {
            eprintln!("strata-localnet: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("strata-localnet listening on {}", cluster.url());
    println!("websocket subscriptions on {}", cluster.ws_url());
    tokio::select! {
        _ = shutdown_requested() => {}
        _ = cluster.stopped() => {}
    }
    // A clean stop lets the bank remove its temporary account directories.
    cluster.stop().await;
    ExitCode::SUCCESS
}

/// Ctrl-C, or SIGTERM (what scripts and test runners send).
async fn shutdown_requested() {
    let mut terminate = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(signal) => signal,
        Err(error) => {
            eprintln!("strata-localnet: cannot watch SIGTERM ({error}); stop with Ctrl-C");
            let _ = tokio::signal::ctrl_c().await;
            return;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
}

/// `Ok(None)` for `--help`.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<strata_localnet::Config>, String> {
    let mut config = strata_localnet::Config::default();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" | "-p" => {
                let value = args.next().ok_or("--port needs a value")?;
                config.port = value.parse().map_err(|_| format!("--port: not a port number: {value}"))?;
            }
            "--max-websocket-connections" => {
                let value = args.next().ok_or("--max-websocket-connections needs a value")?;
                config.max_websocket_connections =
                    value.parse().map_err(|_| format!("--max-websocket-connections: not a count: {value}"))?;
            }
            "--history-transactions" => {
                let value = args.next().ok_or("--history-transactions needs a value")?;
                config.history.transactions =
                    value.parse().map_err(|_| format!("--history-transactions: not a count: {value}"))?;
            }
            "--slot-ms" => {
                let value = args.next().ok_or("--slot-ms needs a value")?;
                let ms: u64 = value.parse().map_err(|_| format!("--slot-ms: not a number of milliseconds: {value}"))?;
                if !(50..=10_000).contains(&ms) {
                    return Err(format!("--slot-ms: {ms} is outside 50 to 10000"));
                }
                config.slot_duration = std::time::Duration::from_millis(ms);
            }
            "--help" | "-h" => return Ok(None),
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    Ok(Some(config))
}
