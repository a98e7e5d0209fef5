//! Position instructions, signed by the position's owner (repay: by anyone).

pub mod close_position;
pub mod collateral;
pub mod deposit;
pub mod mint;
pub mod open_position;
pub mod repay;
pub mod withdraw;

pub use close_position::*;
pub use collateral::*;
pub use deposit::*;
pub use mint::*;
pub use open_position::*;
pub use repay::*;
pub use withdraw::*;
