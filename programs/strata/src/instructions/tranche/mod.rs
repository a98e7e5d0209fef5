//! Tranche flows: deposits, the redemption queue, income settlement, the coverage
//! test.

pub mod cancel_redemption;
pub mod check_coverage;
pub mod claim_redemption;
pub mod distribute;
pub mod flow_accounts;
pub mod queue;
pub mod recovery_sale;
pub mod request_redemption;
pub mod set;
pub mod thaw_share_account;
pub mod tranche_deposit;

pub use cancel_redemption::*;
pub use check_coverage::*;
pub use claim_redemption::*;
pub use distribute::*;
pub use flow_accounts::*;
pub use recovery_sale::*;
pub use request_redemption::*;
pub use thaw_share_account::*;
pub use tranche_deposit::*;
