//! Admin instructions, signed by the pool authority.

pub mod accept_authority;
pub mod add_collateral;
pub mod allowlist;
pub mod init_pool;
pub mod init_tranche;
pub mod propose_authority;
pub mod set_pause_flags;
pub mod update_collateral;
pub mod update_pool;
pub mod update_tranche;

pub use accept_authority::*;
pub use add_collateral::*;
pub use allowlist::*;
pub use init_pool::*;
pub use init_tranche::*;
pub use propose_authority::*;
pub use set_pause_flags::*;
pub use update_collateral::*;
pub use update_pool::*;
pub use update_tranche::*;

use anchor_lang::prelude::*;

use crate::errors::StrataError;
use crate::oracle;
use crate::state::{OracleKind, OracleSource};

/// An oracle source is valid when its account parses as that kind of Pyth account
/// (right owner program, type, status, feed id) and the feed id fits the kind.
pub(crate) fn validate_oracle_source(source: &OracleSource, account: &AccountInfo) -> Result<()> {
    let has_feed_id = source.feed_id != [0u8; 32];
    match source.kind {
        OracleKind::PythLegacy => require!(!has_feed_id, StrataError::FeedIdMismatch),
        OracleKind::PythPull => require!(has_feed_id, StrataError::FeedIdMismatch),
    }
    oracle::read_sample(source.kind, &source.feed_id, account).map(|_| ())
}
