//! Starting the cluster: genesis, the slot clock, the HTTP JSON-RPC server.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use jsonrpsee::server::{Server, ServerHandle};

use crate::cluster::Cluster;
use crate::genesis;
use crate::ledger::SLOT_DURATION;

pub const DEFAULT_PORT: u16 = 8899;

/// A running cluster. Dropping it does not stop it; call `stop`.
pub struct LocalCluster {
    pub addr: SocketAddr,
    handle: ServerHandle,
    ticker: tokio::task::JoinHandle<()>,
}

impl LocalCluster {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops serving and producing slots.
    pub async fn stop(self) {
        self.ticker.abort();
        if self.handle.stop().is_ok() {
            self.handle.stopped().await;
        }
    }

    /// Resolves when the server has stopped.
    pub async fn stopped(&self) {
        self.handle.clone().stopped().await;
    }
}

/// Builds the genesis bank and serves JSON-RPC on 127.0.0.1:`port` (0 picks a free
/// port). Must run inside a multi-threaded tokio runtime.
pub async fn start(port: u16) -> Result<LocalCluster, String> {
    genesis::install_native_runtime().await;
    let genesis =
        tokio::task::spawn_blocking(genesis::create).await.map_err(|error| format!("genesis failed: {error}"))??;
    let cluster = Arc::new(Cluster::new(genesis));
    let module = crate::rpc::module(cluster.clone()).map_err(|error| error.to_string())?;
    let server = Server::builder()
        .build(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
        .await
        .map_err(|error| format!("cannot listen on 127.0.0.1:{port}: {error}"))?;
    let addr = server.local_addr().map_err(|error| error.to_string())?;
    let handle = server.start(module);
    let ticker = tokio::spawn(produce_slots(cluster));
    Ok(LocalCluster { addr, handle, ticker })
}

/// Opens a new slot every 400 ms, with a new blockhash and the clock at wall time.
async fn produce_slots(cluster: Arc<Cluster>) {
    let mut interval = tokio::time::interval(SLOT_DURATION);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        let cluster = cluster.clone();
        match tokio::task::spawn_blocking(move || cluster.ledger.advance_slot()).await {
            Ok(Ok(_slot)) => {}
            Ok(Err(error)) => eprintln!("strata-localnet: cannot advance the slot: {error}"),
            Err(error) => eprintln!("strata-localnet: the slot task failed: {error}"),
        }
    }
}
