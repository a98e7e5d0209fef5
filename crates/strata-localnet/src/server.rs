//! Starting the cluster: genesis, the slot clock and the ledger's upkeep, and the
//! listeners (JSON-RPC over HTTP and WebSocket on the port, the same again on the next
//! port, where web3.js looks for WebSocket subscriptions).

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinHandle;

use crate::cluster::Cluster;
use crate::genesis;
use crate::history::HistoryLimits;
use crate::http::{self, Front};
use crate::ledger::SLOT_DURATION;

pub const DEFAULT_PORT: u16 = 8899;
/// The largest request body (and WebSocket message).
pub const MAX_BODY_BYTES: usize = 10 << 20;
/// WebSocket connections open at once, over both listeners.
pub const DEFAULT_MAX_WEBSOCKET_CONNECTIONS: usize = 4_096;
/// Slots between two rounds of the ledger's upkeep (flushing the accounts cache of
/// rooted slots to storage, cleaning dead versions, shrinking storage): every 10 s.
const UPKEEP_EVERY_SLOTS: u32 = 25;

/// How to run a cluster.
#[derive(Clone, Debug)]
pub struct Config {
    /// 0 picks a free port (and another free one for the second listener).
    pub port: u16,
    pub max_websocket_connections: usize,
    /// How much of the past to keep in memory.
    pub history: HistoryLimits,
    /// How often a slot closes (a validator's 400 ms by default). Shorter slots serve
    /// replays that move the clock themselves (the backtest): every confirmation waits
    /// for its slot to close, and a day of prices needs dozens of them.
    pub slot_duration: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            port: DEFAULT_PORT,
            max_websocket_connections: DEFAULT_MAX_WEBSOCKET_CONNECTIONS,
            history: HistoryLimits::default(),
            slot_duration: SLOT_DURATION,
        }
    }
}

/// A running cluster. Dropping it does not stop it; call `stop`.
pub struct LocalCluster {
    /// JSON-RPC over HTTP, and WebSocket subscriptions.
    pub addr: SocketAddr,
    /// The same again on the next port, where web3.js looks for WebSocket
    /// subscriptions by default; `None` when that port was taken.
    pub ws_addr: Option<SocketAddr>,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl LocalCluster {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The WebSocket URL a client derives from `url` (next port), or the main port.
    pub fn ws_url(&self) -> String {
        format!("ws://{}", self.ws_addr.unwrap_or(self.addr))
    }

    /// Stops serving (open connections are closed) and producing slots.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            task.abort();
            let _ = task.await;
        }
    }

    /// Resolves when the cluster has been told to stop.
    pub async fn stopped(&self) {
        let mut shutdown = self.shutdown.subscribe();
        let _ = shutdown.wait_for(|stopping| *stopping).await;
    }
}

/// Builds the genesis bank and serves JSON-RPC on 127.0.0.1:`port` (0 picks a free
/// port). Must run inside a multi-threaded tokio runtime.
pub async fn start(port: u16) -> Result<LocalCluster, String> {
    start_with(Config { port, ..Config::default() }).await
}

/// `start` with every setting.
pub async fn start_with(config: Config) -> Result<LocalCluster, String> {
    raise_open_files_limit();
    genesis::install_native_runtime().await;
    let genesis =
        tokio::task::spawn_blocking(genesis::create).await.map_err(|error| format!("genesis failed: {error}"))??;
    let cluster = Arc::new(Cluster::new(genesis, config.history)?);
    let port = config.port;
    let listener = listen(port).await.map_err(|error| format!("cannot listen on 127.0.0.1:{port}: {error}"))?;
    let addr = listener.local_addr().map_err(|error| error.to_string())?;
    // Port 0 asks for any free port; then any free port serves as the "next" one too.
    let ws_port = if port == 0 { Some(0) } else { port.checked_add(1) };
    let ws_listener = match ws_port {
        Some(ws_port) => match listen(ws_port).await {
            Ok(listener) => Some(listener),
            Err(error) => {
                eprintln!("strata-localnet: no WebSocket listener on 127.0.0.1:{ws_port} ({error}); use {addr}");
                None
            }
        },
        None => None,
    };
    let ws_addr = ws_listener.as_ref().and_then(|listener| listener.local_addr().ok());
    let (shutdown, stopping) = watch::channel(false);
    let front = Arc::new(Front {
        cluster: cluster.clone(),
        max_body_bytes: MAX_BODY_BYTES,
        max_websocket_connections: config.max_websocket_connections,
        websockets: Arc::new(Semaphore::new(config.max_websocket_connections)),
        shutdown: stopping,
    });
    let mut tasks = vec![tokio::spawn(accept(listener, front.clone()))];
    tasks.extend(ws_listener.map(|listener| tokio::spawn(accept(listener, front))));
    tasks.push(tokio::spawn(produce_slots(cluster, config.slot_duration)));
    Ok(LocalCluster { addr, ws_addr, shutdown, tasks })
}

async fn listen(port: u16) -> std::io::Result<TcpListener> {
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await
}

/// Accepts connections until the cluster stops. Out of file descriptors, it waits a
/// moment and goes on: the connections already open keep being served.
async fn accept(listener: TcpListener, front: Arc<Front>) {
    let mut shutdown = front.shutdown.clone();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = shutdown.changed() => return,
        };
        match accepted {
            Ok((stream, _)) => {
                tokio::spawn(http::serve_connection(stream, front.clone()));
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

/// Opens a new slot every `slot_duration` (400 ms unless configured), with a new
/// blockhash and the clock at wall time, and every `UPKEEP_EVERY_SLOTS` slots has the
/// ledger's upkeep run beside it.
async fn produce_slots(cluster: Arc<Cluster>, slot_duration: Duration) {
    let mut interval = tokio::time::interval(slot_duration);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let upkeep_running = Arc::new(AtomicBool::new(false));
    let mut slots = 0u32;
    loop {
        interval.tick().await;
        let advancing = cluster.clone();
        match tokio::task::spawn_blocking(move || advancing.advance_slot()).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => eprintln!("strata-localnet: cannot advance the slot: {error}"),
            Err(error) => eprintln!("strata-localnet: the slot task failed: {error}"),
        }
        slots = slots.wrapping_add(1);
        if slots.is_multiple_of(UPKEEP_EVERY_SLOTS) && !upkeep_running.swap(true, Ordering::AcqRel) {
            let (cluster, running) = (cluster.clone(), upkeep_running.clone());
            tokio::task::spawn_blocking(move || {
                cluster.ledger.upkeep();
                running.store(false, Ordering::Release);
            });
        }
    }
}

/// Lets this process open as many files as the system allows it (each connection is
/// one), as a validator does at start.
fn raise_open_files_limit() {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit only read or write the struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}
