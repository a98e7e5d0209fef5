//! One WebSocket connection: JSON-RPC calls and batches in text (or binary) messages,
//! subscriptions, and the notifications the cluster's events cause. One task per
//! connection reads, runs and writes in order, so a subscription's response always
//! goes out before its first notification.

use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{broadcast, watch};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use crate::cluster::Cluster;
use crate::rpc::jsonrpc::{self, Dispatch};
use crate::rpc::subscriptions::Subscriptions;
use crate::rpc::{self, Params};

/// Runs calls for one connection: subscriptions here, everything else through the
/// method table.
struct Connection {
    cluster: Arc<Cluster>,
    subscriptions: Subscriptions,
    /// Notifications due after the current response.
    after: Vec<String>,
}

impl Dispatch for Connection {
    fn dispatch(&mut self, method: &str, params: Params) -> impl std::future::Future<Output = rpc::RpcOutcome> + Send {
        let subscription = Subscriptions::handles(method)
            .then(|| self.subscriptions.call(&self.cluster, method, &params, &mut self.after));
        let cluster = self.cluster.clone();
        let method = method.to_string();
        async move {
            match subscription {
                Some(outcome) => outcome,
                None => rpc::call(&cluster, &method, params).await,
            }
        }
    }
}

/// Serves `stream` until the client leaves or the cluster stops.
pub async fn serve<S>(mut stream: WebSocketStream<S>, cluster: Arc<Cluster>, mut shutdown: watch::Receiver<bool>)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut events = cluster.events.subscribe();
    let mut connection = Connection { cluster, subscriptions: Subscriptions::default(), after: Vec::new() };
    loop {
        let mut outgoing = Vec::new();
        tokio::select! {
            message = stream.next() => {
                let text = match message {
                    Some(Ok(Message::Text(text))) => text.to_string(),
                    Some(Ok(Message::Binary(bytes))) => String::from_utf8_lossy(&bytes).into_owned(),
                    // Pongs go out with the next write.
                    Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => {
                        if stream.flush().await.is_err() {
                            break;
                        }
                        continue;
                    }
                    Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                };
                outgoing.extend(jsonrpc::process(&text, &mut connection).await);
                outgoing.append(&mut connection.after);
            }
            event = events.recv() => match event {
                Ok(event) => {
                    if !connection.subscriptions.is_empty() {
                        connection.subscriptions.on_event(&connection.cluster, &event, &mut outgoing);
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    connection.subscriptions.on_lag(&connection.cluster, &mut outgoing);
                }
                Err(broadcast::error::RecvError::Closed) => break,
            },
            _ = shutdown.changed() => break,
        }
        for text in outgoing {
            if stream.feed(Message::text(text)).await.is_err() {
                return;
            }
        }
        if stream.flush().await.is_err() {
            return;
        }
    }
    let _ = stream.close(None).await;
}
