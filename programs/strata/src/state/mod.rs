//! Account layouts. Zero-copy (`#[repr(C)]`, version first, reserved bytes last,
//! sizes asserted at compile time), each with an `invariant()`.

pub mod collateral;
pub mod params;
pub mod pod;
pub mod pool;
pub mod position;
pub mod tranche;

pub use collateral::CollateralConfig;
pub use params::{CollateralParams, OracleKind, OracleSource, PoolParams, TrancheParams};
pub use pool::{mode, Pool, PoolSigner};
pub use position::{position_flags, Position};
pub use tranche::{AllowlistEntry, RedemptionRequest, Tranche};
