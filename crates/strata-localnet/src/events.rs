//! What happens on the cluster, as WebSocket subscriptions learn it: broadcast to
//! every connection, each of which matches them against its own subscriptions.

use std::sync::Arc;

use solana_pubkey::Pubkey;

use crate::history::{Block, TransactionRecord};
use crate::ledger::ClosedSlot;

/// Events a connection may fall behind on before it starts missing some (it then
/// re-reads what it can: accounts and signatures; log lines in between are lost, as
/// on a validator whose notification queue overflows).
pub const EVENT_CAPACITY: usize = 16_384;

#[derive(Clone, Debug)]
pub enum Event {
    /// A transaction committed in the working slot (`processed`).
    Committed { record: Arc<TransactionRecord>, writable: Arc<[Pubkey]> },
    /// Accounts written directly (dev methods) in the working slot.
    Written { keys: Arc<[Pubkey]> },
    /// A slot closed and was rooted (`confirmed` and `finalized`); the next one opened.
    Closed { closed: Arc<ClosedSlot>, block: Arc<Block> },
}
