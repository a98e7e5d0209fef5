//! HTTP on each listener: JSON-RPC in `POST` bodies, WebSocket upgrades, `GET
//! /health`, and CORS open to any origin (preflight `OPTIONS` answered), as on a
//! validator, so browser pages and wallet extensions can call it.
//!
//! Limits, each with its own answer: a body over `max_body_bytes` is read to its end
//! (up to `DRAIN_LIMIT`) and answered `413 Payload Too Large`; WebSocket connections
//! beyond `max_websocket_connections` are refused `429 Too Many Requests` at the
//! upgrade. HTTP requests have no connection limit of their own, so open WebSocket
//! connections never turn them away.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use http::header::{self, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::sync::{watch, Semaphore};
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::WebSocketStream;

use crate::cluster::Cluster;
use crate::rpc::jsonrpc::{self, Dispatch};
use crate::rpc::{self, Params, RpcOutcome};
use crate::ws;

/// A body larger than the limit is still read (and dropped) up to this size, so that
/// the client, still sending, receives the 413 rather than a reset connection.
const DRAIN_LIMIT: usize = 64 << 20;

/// What every connection shares.
pub struct Front {
    pub cluster: Arc<Cluster>,
    pub max_body_bytes: usize,
    pub max_websocket_connections: usize,
    /// One permit per open WebSocket connection, over both listeners.
    pub websockets: Arc<Semaphore>,
    pub shutdown: watch::Receiver<bool>,
}

/// Serves one TCP connection (HTTP/1.1, keep-alive, upgrades to WebSocket).
pub async fn serve_connection(stream: TcpStream, front: Arc<Front>) {
    let _ = stream.set_nodelay(true);
    let mut shutdown = front.shutdown.clone();
    let service = service_fn(move |request| handle(request, front.clone()));
    let connection =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).with_upgrades();
    tokio::select! {
        _ = connection => {}
        _ = shutdown.changed() => {}
    }
}

async fn handle(request: Request<Incoming>, front: Arc<Front>) -> Result<Response<Full<Bytes>>, Infallible> {
    let mut response = match *request.method() {
        Method::OPTIONS => empty(StatusCode::NO_CONTENT),
        Method::POST => post(request, &front).await,
        Method::GET if is_websocket_upgrade(&request) => upgrade(request, &front),
        Method::GET if request.uri().path() == "/health" => text(StatusCode::OK, "ok"),
        _ => text(StatusCode::METHOD_NOT_ALLOWED, "Used HTTP Method is not allowed. POST or OPTIONS is required"),
    };
    allow_any_origin(response.headers_mut());
    Ok(response)
}

async fn post(request: Request<Incoming>, front: &Front) -> Response<Full<Bytes>> {
    let body = match read_body(request.into_body(), front.max_body_bytes).await {
        Ok(body) => body,
        Err(BodyError::TooLarge) => {
            let mut response = text(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!("Payload Too Large: the request body exceeds {} bytes", front.max_body_bytes),
            );
            response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
            return response;
        }
        Err(BodyError::Broken) => return text(StatusCode::BAD_REQUEST, "The request body could not be read"),
    };
    let text = String::from_utf8_lossy(&body);
    let mut dispatch = Methods { cluster: front.cluster.clone() };
    match jsonrpc::process(&text, &mut dispatch).await {
        Some(json) => {
            let mut response = Response::new(Full::new(Bytes::from(json)));
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response
        }
        // Only notifications: nothing to answer.
        None => empty(StatusCode::NO_CONTENT),
    }
}

/// The method table; subscriptions exist only over WebSocket.
struct Methods {
    cluster: Arc<Cluster>,
}

impl Dispatch for Methods {
    fn dispatch(&mut self, method: &str, params: Params) -> impl std::future::Future<Output = RpcOutcome> + Send {
        let cluster = self.cluster.clone();
        let method = method.to_string();
        async move { rpc::call(&cluster, &method, params).await }
    }
}

enum BodyError {
    TooLarge,
    Broken,
}

async fn read_body(mut body: Incoming, limit: usize) -> Result<Bytes, BodyError> {
    let mut buffer = BytesMut::new();
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| BodyError::Broken)?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        total = total.saturating_add(data.len());
        if total > DRAIN_LIMIT {
            return Err(BodyError::TooLarge);
        }
        if total <= limit {
            buffer.extend_from_slice(&data);
        }
    }
    if total > limit {
        return Err(BodyError::TooLarge);
    }
    Ok(buffer.freeze())
}

fn is_websocket_upgrade(request: &Request<Incoming>) -> bool {
    let has_token = |name, token: &str| {
        request
            .headers()
            .get_all(name)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .any(|value| value.split(',').any(|part| part.trim().eq_ignore_ascii_case(token)))
    };
    has_token(header::CONNECTION, "upgrade") && has_token(header::UPGRADE, "websocket")
}

/// Accepts a WebSocket handshake (RFC 6455) and serves the connection on its own task.
fn upgrade(mut request: Request<Incoming>, front: &Arc<Front>) -> Response<Full<Bytes>> {
    if request.headers().get(header::SEC_WEBSOCKET_VERSION).map(HeaderValue::as_bytes) != Some(b"13") {
        let mut response = text(StatusCode::UPGRADE_REQUIRED, "WebSocket version 13 is required");
        response.headers_mut().insert(header::SEC_WEBSOCKET_VERSION, HeaderValue::from_static("13"));
        return response;
    }
    let Some(key) = request.headers().get(header::SEC_WEBSOCKET_KEY) else {
        return text(StatusCode::BAD_REQUEST, "Sec-WebSocket-Key is missing");
    };
    let accept = derive_accept_key(key.as_bytes());
    let Ok(permit) = front.websockets.clone().try_acquire_owned() else {
        return text(
            StatusCode::TOO_MANY_REQUESTS,
            &format!("Too many WebSocket connections: at most {} at once", front.max_websocket_connections),
        );
    };
    let upgrading = hyper::upgrade::on(&mut request);
    let (cluster, shutdown, max_message) = (front.cluster.clone(), front.shutdown.clone(), front.max_body_bytes);
    tokio::spawn(async move {
        if let Ok(upgraded) = upgrading.await {
            let config = WebSocketConfig::default()
                .read_buffer_size(16 << 10)
                .write_buffer_size(0)
                .max_message_size(Some(max_message))
                .max_frame_size(Some(max_message));
            let stream = WebSocketStream::from_raw_socket(TokioIo::new(upgraded), Role::Server, Some(config)).await;
            ws::serve(stream, cluster, shutdown).await;
        }
        drop(permit);
    });
    let mut response = empty(StatusCode::SWITCHING_PROTOCOLS);
    let headers = response.headers_mut();
    headers.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
    headers.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
    if let Ok(accept) = HeaderValue::from_str(&accept) {
        headers.insert(header::SEC_WEBSOCKET_ACCEPT, accept);
    }
    response
}

fn empty(status: StatusCode) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = status;
    response
}

fn text(status: StatusCode, body: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    response
}

fn allow_any_origin(headers: &mut http::HeaderMap) {
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("POST, GET, OPTIONS"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("*"));
    headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
}
