//! Starting the cluster: genesis, the slot clock, the JSON-RPC servers (HTTP and
//! WebSocket on the port, WebSocket again on the next port).

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use jsonrpsee::server::{Server, ServerConfig, ServerHandle};
use tower::layer::util::{Identity, Stack};

use crate::cluster::Cluster;
use crate::cors::CorsLayer;
use crate::genesis;
use crate::ledger::{Ledger, SLOT_DURATION};

pub const DEFAULT_PORT: u16 = 8899;

/// A running cluster. Dropping it does not stop it; call `stop`.
pub struct LocalCluster {
    /// JSON-RPC over HTTP, and WebSocket subscriptions.
    pub addr: SocketAddr,
    /// The same again on the next port, where web3.js looks for WebSocket
    /// subscriptions by default; `None` when that port was taken.
    pub ws_addr: Option<SocketAddr>,
    handles: Vec<ServerHandle>,
    ticker: tokio::task::JoinHandle<()>,
}

impl LocalCluster {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The WebSocket URL a client derives from `url` (next port), or the main port.
    pub fn ws_url(&self) -> String {
        format!("ws://{}", self.ws_addr.unwrap_or(self.addr))
    }

    /// Stops serving and producing slots.
    pub async fn stop(self) {
        self.ticker.abort();
        for handle in self.handles {
            if handle.stop().is_ok() {
                handle.stopped().await;
            }
        }
    }

    /// Resolves when the main server has stopped.
    pub async fn stopped(&self) {
        if let Some(handle) = self.handles.first() {
            handle.clone().stopped().await;
        }
    }
}

/// Builds the genesis bank and serves JSON-RPC on 127.0.0.1:`port` (0 picks a free
/// port). Must run inside a multi-threaded tokio runtime.
pub async fn start(port: u16) -> Result<LocalCluster, String> {
    genesis::install_native_runtime().await;
    let genesis =
        tokio::task::spawn_blocking(genesis::create).await.map_err(|error| format!("genesis failed: {error}"))??;
    let cluster = Cluster::new(genesis);
    let ledger = cluster.ledger.clone();
    let module = crate::rpc::module(cluster).map_err(|error| error.to_string())?;
    let server = listen(port).await.map_err(|error| format!("cannot listen on 127.0.0.1:{port}: {error}"))?;
    let addr = server.local_addr().map_err(|error| error.to_string())?;
    // Port 0 asks for any free port; then any free port serves as the "next" one too.
    let ws_port = if port == 0 { Some(0) } else { port.checked_add(1) };
    let ws_server = match ws_port {
        Some(ws_port) => match listen(ws_port).await {
            Ok(server) => Some(server),
            Err(error) => {
                eprintln!("strata-localnet: no WebSocket listener on 127.0.0.1:{ws_port} ({error}); use {addr}");
                None
            }
        },
        None => None,
    };
    let ws_addr = ws_server.as_ref().and_then(|server| server.local_addr().ok());
    let mut handles = vec![server.start(module.clone())];
    handles.extend(ws_server.map(|server| server.start(module)));
    let ticker = tokio::spawn(produce_slots(ledger));
    Ok(LocalCluster { addr, ws_addr, handles, ticker })
}

/// A JSON-RPC server (HTTP and WebSocket) with CORS open to any origin.
type RpcServer = Server<Stack<CorsLayer, Identity>>;

/// Simulations open hundreds of wallets at once; jsonrpsee's default of 100
/// connections would turn the rest away with HTTP 429.
const MAX_CONNECTIONS: u32 = 2_048;

async fn listen(port: u16) -> std::io::Result<RpcServer> {
    Server::builder()
        .set_config(ServerConfig::builder().max_connections(MAX_CONNECTIONS).build())
        .set_http_middleware(tower::ServiceBuilder::new().layer(CorsLayer))
        .build(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
        .await
}

/// Opens a new slot every 400 ms, with a new blockhash and the clock at wall time.
async fn produce_slots(ledger: Arc<Ledger>) {
    let mut interval = tokio::time::interval(SLOT_DURATION);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        let ledger = ledger.clone();
        match tokio::task::spawn_blocking(move || ledger.advance_slot()).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => eprintln!("strata-localnet: cannot advance the slot: {error}"),
            Err(error) => eprintln!("strata-localnet: the slot task failed: {error}"),
        }
    }
}
