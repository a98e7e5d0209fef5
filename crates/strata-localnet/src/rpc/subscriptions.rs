//! WebSocket subscriptions: `signatureSubscribe` (what `@solana/kit`'s and web3.js's
//! confirmation strategies wait on) and `slotSubscribe`. Served on the RPC port and on
//! the next one (where web3.js looks by default).

use std::sync::Arc;
use std::time::Duration;

use jsonrpsee::core::{RegisterMethodError, SubscriptionResult};
use jsonrpsee::types::Params;
use jsonrpsee::{Extensions, PendingSubscriptionSink, RpcModule, SubscriptionSink};
use serde::Serialize;
use solana_rpc_client_api::response::{
    ProcessedSignatureResult, Response, RpcResponseContext, RpcSignatureResult, SlotInfo,
};

use super::params::{parse_signature, Args};
use crate::cluster::Cluster;

/// How often a subscription looks for news: well inside a 400 ms slot.
const POLL_INTERVAL: Duration = Duration::from_millis(20);

pub fn register(module: &mut RpcModule<Cluster>) -> Result<(), RegisterMethodError> {
    module.register_subscription("signatureSubscribe", "signatureNotification", "signatureUnsubscribe", signature)?;
    module.register_subscription("slotSubscribe", "slotNotification", "slotUnsubscribe", slot)?;
    Ok(())
}

/// One notification when the transaction is committed, then the subscription ends
/// (as on a validator).
async fn signature(
    params: Params<'static>,
    pending: PendingSubscriptionSink,
    cluster: Arc<Cluster>,
    _: Extensions,
) -> SubscriptionResult {
    let parsed = {
        let mut args = Args::new(&params);
        args.required::<String>().and_then(|text| parse_signature(&text)).and_then(|signature| {
            args.optional::<serde_json::Value>()?;
            Ok(signature)
        })
    };
    let signature = match parsed {
        Ok(signature) => signature,
        Err(error) => {
            pending.reject(error).await;
            return Ok(());
        }
    };
    let sink = pending.accept().await?;
    let mut poll = tokio::time::interval(POLL_INTERVAL);
    loop {
        tokio::select! {
            _ = sink.closed() => return Ok(()),
            _ = poll.tick() => {}
        }
        if let Some(record) = cluster.history.get(&signature) {
            let result = ProcessedSignatureResult { err: record.meta.status.clone().err().map(Into::into) };
            let value = RpcSignatureResult::ProcessedSignature(result);
            notify(&sink, &Response { context: RpcResponseContext::new(record.slot), value }).await?;
            return Ok(());
        }
    }
}

/// A notification for every new slot.
async fn slot(
    _: Params<'static>,
    pending: PendingSubscriptionSink,
    cluster: Arc<Cluster>,
    _: Extensions,
) -> SubscriptionResult {
    let sink = pending.accept().await?;
    let mut last = cluster.ledger.working_bank().slot();
    let mut poll = tokio::time::interval(POLL_INTERVAL);
    loop {
        tokio::select! {
            _ = sink.closed() => return Ok(()),
            _ = poll.tick() => {}
        }
        let slot = cluster.ledger.working_bank().slot();
        if slot != last {
            last = slot;
            // The previous slot is the parent, and rooted as soon as it closes.
            let parent = slot.saturating_sub(1);
            notify(&sink, &SlotInfo { slot, parent, root: parent }).await?;
        }
    }
}

async fn notify(sink: &SubscriptionSink, value: &impl Serialize) -> SubscriptionResult {
    sink.send(serde_json::value::to_raw_value(value)?).await?;
    Ok(())
}
