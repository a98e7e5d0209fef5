//! JSON-RPC 2.0 envelopes, as the specification has them, for HTTP bodies and
//! WebSocket messages alike:
//!
//! - a request object, or a batch (a non-empty array) of them, answered by one
//!   response or an array of responses in the same order;
//! - `id` is any string or number, echoed byte for byte (negative, fractional,
//!   beyond 64 bits), or `null`; a request without `id` is a notification: it is
//!   executed and gets no response (a batch of notifications gets none at all);
//! - an `id` of another type, a missing or wrong `jsonrpc`, a `method` that is not a
//!   string, `params` that are neither an array nor an object, any other JSON value
//!   (a string, a number, `[]`): `-32600` Invalid request, with `id` null when it could
//!   not be read; text that is not JSON: `-32700` Parse error.
//!
//! Solana's methods take positional parameters; named ones (an object) are `-32602`.

use std::future::Future;

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::Value;

use super::error::{invalid_params, RpcError, RpcResult};
use super::params::Params;

/// Runs calls: the method table over HTTP, plus subscriptions over WebSocket.
pub trait Dispatch {
    fn dispatch(&mut self, method: &str, params: Params) -> impl Future<Output = RpcResult<Box<RawValue>>> + Send;
}

/// Processes a body or message; `None` when nothing is to be answered (only
/// notifications).
pub async fn process(text: &str, dispatch: &mut impl Dispatch) -> Option<String> {
    let Ok(raw) = serde_json::from_str::<&RawValue>(text) else {
        return Some(failure(None, &RpcError::parse_error()));
    };
    let json = raw.get().trim_start();
    if json.starts_with('[') {
        let elements: Vec<&RawValue> = match serde_json::from_str(json) {
            Ok(elements) => elements,
            Err(_) => return Some(failure(None, &RpcError::invalid_request())),
        };
        if elements.is_empty() {
            return Some(failure(None, &RpcError::invalid_request()));
        }
        let mut responses = Vec::with_capacity(elements.len());
        for element in elements {
            responses.extend(process_one(element, dispatch).await);
        }
        (!responses.is_empty()).then(|| format!("[{}]", responses.join(",")))
    } else {
        process_one(raw, dispatch).await
    }
}

async fn process_one(element: &RawValue, dispatch: &mut impl Dispatch) -> Option<String> {
    let call = match parse_call(element) {
        Ok(call) => call,
        Err((id, error)) => return Some(failure(id, &error)),
    };
    let outcome = match call.params {
        Ok(params) => dispatch.dispatch(&call.method, params).await,
        Err(error) => Err(error),
    };
    let id = call.id?;
    Some(match outcome {
        Ok(result) => format!(r#"{{"jsonrpc":"2.0","result":{},"id":{}}}"#, result.get(), id.get()),
        Err(error) => failure(Some(id), &error),
    })
}

/// One request, ready to run.
struct Call<'a> {
    /// `None`: a notification.
    id: Option<&'a RawValue>,
    method: String,
    params: RpcResult<Params>,
}

/// The request's members, as written (`null` included: present, unlike absent).
#[derive(Deserialize)]
struct Members<'a> {
    #[serde(borrow, default, deserialize_with = "present")]
    jsonrpc: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    method: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    params: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    id: Option<&'a RawValue>,
}

fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(deserializer).map(Some)
}

/// A request, or the id to answer with (`None`: null) and why it cannot run.
fn parse_call(element: &RawValue) -> Result<Call<'_>, (Option<&RawValue>, RpcError)> {
    let invalid = |id| (id, RpcError::invalid_request());
    if !element.get().trim_start().starts_with('{') {
        return Err(invalid(None));
    }
    let members: Members = serde_json::from_str(element.get()).map_err(|_| invalid(None))?;
    let id = match members.id {
        Some(id) if is_valid_id(id) => Some(id),
        Some(_) => return Err(invalid(None)),
        None => None,
    };
    // A request we cannot run is answered even without an id (with id null).
    let answer_id = id;
    if members.jsonrpc.map(RawValue::get) != Some(r#""2.0""#) {
        return Err(invalid(answer_id));
    }
    let method = members
        .method
        .and_then(|method| serde_json::from_str::<String>(method.get()).ok())
        .ok_or_else(|| invalid(answer_id))?;
    let params = match members.params.map(|params| params.get().trim_start()) {
        None | Some("null") => Ok(Params::default()),
        Some(list) if list.starts_with('[') => {
            let values: Vec<Value> = serde_json::from_str(list).map_err(|_| invalid(answer_id))?;
            Ok(Params::new(values))
        }
        Some(named) if named.starts_with('{') => {
            Err(invalid_params("Invalid params: expected an array of positional parameters."))
        }
        Some(_) => return Err(invalid(answer_id)),
    };
    Ok(Call { id, method, params })
}

/// A string, a number or null.
fn is_valid_id(id: &RawValue) -> bool {
    let text = id.get().trim_start();
    text == "null" || text.starts_with('"') || text.starts_with('-') || text.starts_with(|c: char| c.is_ascii_digit())
}

/// An error response; `id` null when `None`.
pub fn failure(id: Option<&RawValue>, error: &RpcError) -> String {
    let error = serde_json::to_string(error).unwrap_or_else(|_| r#"{"code":-32603,"message":"Internal error"}"#.into());
    format!(r#"{{"jsonrpc":"2.0","error":{error},"id":{}}}"#, id.map_or("null", RawValue::get))
}

/// A subscription's notification.
pub fn notification(method: &str, subscription: u64, result: &RawValue) -> String {
    format!(
        r#"{{"jsonrpc":"2.0","method":"{method}","params":{{"result":{},"subscription":{subscription}}}}}"#,
        result.get()
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Answers `[method, number of params]`; `fail` fails.
    struct Echo {
        calls: Vec<String>,
    }

    impl Dispatch for Echo {
        fn dispatch(&mut self, method: &str, params: Params) -> impl Future<Output = RpcResult<Box<RawValue>>> + Send {
            self.calls.push(method.to_string());
            let outcome = match method {
                "fail" => Err(RpcError::method_not_found()),
                _ => Ok(serde_json::value::to_raw_value(&json!([method, params.len()])).unwrap()),
            };
            std::future::ready(outcome)
        }
    }

    async fn run(text: &str) -> (Option<Value>, Vec<String>) {
        let mut echo = Echo { calls: Vec::new() };
        let response = process(text, &mut echo).await;
        (response.map(|text| serde_json::from_str(&text).expect("a JSON response")), echo.calls)
    }

    async fn raw(text: &str) -> String {
        process(text, &mut Echo { calls: Vec::new() }).await.expect("a response")
    }

    #[tokio::test]
    async fn ids_of_any_string_or_number_are_echoed_as_written() {
        for id in ["-1", "1.5", "1e3", "123456789012345678901234567890", r#""abc""#, "0", "null"] {
            let text = format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"m","params":[1]}}"#);
            let (response, calls) = run(&text).await;
            assert_eq!(calls, vec!["m"], "{id} is executed");
            assert_eq!(response.unwrap()["result"], json!(["m", 1]));
        }
        let response = raw(r#"{"jsonrpc":"2.0","id":-0.5e-3,"method":"m"}"#).await;
        assert_eq!(response, r#"{"jsonrpc":"2.0","result":["m",0],"id":-0.5e-3}"#);
    }

    #[tokio::test]
    async fn notifications_run_without_a_response() {
        let (response, calls) = run(r#"{"jsonrpc":"2.0","method":"m","params":[]}"#).await;
        assert_eq!((response, calls), (None, vec!["m".to_string()]));
        let (response, calls) = run(r#"[{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","method":"b"}]"#).await;
        assert_eq!((response, calls.len()), (None, 2));
        let (response, calls) = run(r#"[{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","method":"b","id":7}]"#).await;
        assert_eq!(response.unwrap(), json!([{"jsonrpc": "2.0", "result": ["b", 0], "id": 7}]));
        assert_eq!(calls.len(), 2);
    }

    #[tokio::test]
    async fn invalid_requests_and_parse_errors() {
        let cases = [
            (r#""a string""#, -32600, Value::Null),
            ("42", -32600, Value::Null),
            ("[]", -32600, Value::Null),
            (r#"{"jsonrpc":"2.0","id":{"a":1},"method":"m"}"#, -32600, Value::Null),
            (r#"{"jsonrpc":"2.0","id":[1],"method":"m"}"#, -32600, Value::Null),
            (r#"{"jsonrpc":"2.0","id":true,"method":"m"}"#, -32600, Value::Null),
            (r#"{"jsonrpc":"1.0","id":3,"method":"m"}"#, -32600, json!(3)),
            (r#"{"id":3,"method":"m"}"#, -32600, json!(3)),
            (r#"{"jsonrpc":"2.0","id":3,"method":5}"#, -32600, json!(3)),
            (r#"{"jsonrpc":"2.0","id":3,"method":"m","params":"x"}"#, -32600, json!(3)),
            (r#"{"jsonrpc":"2.0","id":3,"method":"m","params":{"a":1}}"#, -32602, json!(3)),
            (r#"{"jsonrpc":"2.0","id":3,"method":"fail"}"#, -32601, json!(3)),
            ("{ not json", -32700, Value::Null),
            ("", -32700, Value::Null),
        ];
        for (text, code, id) in cases {
            let (response, calls) = run(text).await;
            let response = response.unwrap_or_else(|| panic!("{text}: no response"));
            assert_eq!(response["error"]["code"], code, "{text}: {response}");
            assert_eq!(response["id"], id, "{text}");
            assert!(calls.is_empty() || text.contains("fail"), "{text} is not executed");
        }
        let (response, calls) = run(r#"[1, {"jsonrpc":"2.0","id":2,"method":"m"}, {"foo":"bar"}]"#).await;
        let response = response.unwrap();
        assert_eq!(response.as_array().map(Vec::len), Some(3));
        assert_eq!(response[0]["error"]["code"], -32600);
        assert_eq!(response[1]["id"], 2);
        assert_eq!(response[2]["error"]["code"], -32600);
        assert_eq!(calls, vec!["m"]);
    }
}
