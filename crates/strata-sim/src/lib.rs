//! Runnable scenarios and measurements of Strata on the embedded bank (the same
//! solana-program-test bank the tests use, with the real SPL programs).

pub mod book;

use strata::state::{Pool, Position};
use strata_core::{Health, PriceBasis, WAD};

/// Formats native note units (6 decimals) as a dollar amount.
pub fn dollars(native: u128) -> String {
    format!("${}.{:02}", native / 1_000_000, (native % 1_000_000) / 10_000)
}

/// Formats a WAD ratio with two decimals ("∞" without debt).
pub fn ratio(wad: u128) -> String {
    if wad == u128::MAX {
        return "∞ (no debt)".to_string();
    }
    format!("{}.{:02}", wad / WAD, (wad % WAD) / (WAD / 100))
}

/// A position's health on both bases, computed by the same core functions the
/// program uses, from the on-chain pool and position.
pub fn health(pool: &Pool, position: &Position, now: i64) -> (Health, Health) {
    let debt = pool.debt_state().debt_of(position.debt_shares()).expect("debt");
    let views = pool.collateral_views(&position.collateral);
    let conservative = Health::compute(&views, debt, PriceBasis::Conservative, now).expect("conservative health");
    let spot = Health::compute(&views, debt, PriceBasis::Spot, now).expect("spot health");
    (conservative, spot)
}
