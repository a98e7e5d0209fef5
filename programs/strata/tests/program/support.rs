//! The standard pool most tests start from.

use strata::state::{Pool, PoolParams};
use strata_core::{SECONDS_PER_YEAR, WAD};
use strata_testkit::pool::default_pool_params;
use strata_testkit::{units, CollateralSpec, Fixture, TestPool, TestUser};

/// Index of the legacy-Pyth collateral: a 9-decimal token at $100.
pub const SOL: u8 = 0;
/// Index of the pull-Pyth collateral: a 6-decimal Token-2022 token at $1.
pub const BILL: u8 = 1;
/// Pyth exponent the standard feeds publish with.
pub const EXPO: i32 = -8;
pub const SOL_PRICE: i64 = 100 * 100_000_000;
pub const BILL_PRICE: i64 = 100_000_000;
pub const YEAR: i64 = SECONDS_PER_YEAR as i64;

pub fn notes(whole: u64) -> u64 {
    units(whole, 6)
}

pub fn sol(whole: u64) -> u64 {
    units(whole, 9)
}

pub fn bill(whole: u64) -> u64 {
    units(whole, 6)
}

pub fn specs() -> Vec<CollateralSpec> {
    vec![CollateralSpec::legacy(9, SOL_PRICE, EXPO), CollateralSpec::pull(6, BILL_PRICE, EXPO).token_2022(&[])]
}

/// A two-asset pool (legacy SOL, pull tBILL on Token-2022) and one user holding
/// 100 SOL and 10,000 tBILL with an empty position.
pub async fn setup() -> (Fixture, TestPool, TestUser) {
    setup_with(default_pool_params()).await
}

pub async fn setup_with(params: PoolParams) -> (Fixture, TestPool, TestUser) {
    let mut f = Fixture::new().await;
    let pool = f.create_pool(params, &specs()).await;
    let user = f.create_user(&pool, &[sol(100), bill(10_000)]).await;
    (f, pool, user)
}

/// `setup` plus a deposit of 10 SOL ($1,000) and fresh prices.
pub async fn setup_deposited() -> (Fixture, TestPool, TestUser) {
    let (mut f, pool, user) = setup().await;
    f.ok(&[pool.deposit_ix(&user, SOL, sol(10))], &[&user.owner]).await;
    f.refresh_all(&pool).await;
    (f, pool, user)
}

/// Notes a position owes now (shares × index, rounded up).
pub fn debt_of(pool: &Pool, shares: u128) -> u128 {
    pool.debt_state().debt_of(shares).unwrap()
}

pub fn index_of(pool: &Pool) -> u128 {
    pool.debt_state().rate_index_wad
}

pub const ONE: u128 = WAD;

/// Builder-style tweaks of a parameter struct.
pub trait With: Sized {
    fn with(mut self, change: impl FnOnce(&mut Self)) -> Self {
        change(&mut self);
        self
    }
}
impl With for strata::state::PoolParams {}
impl With for strata::state::CollateralParams {}

/// A pool for liquidation tests: no stability fee (exact numbers), SOL (legacy) and
/// tBILL (pull) listed, a borrower with 10 SOL ($1,000 at $100) owing 500 notes (the
/// maximum at 50% ltv; liquidatable below $62.50), and a keeper holding 5,000 notes
/// backed by 1,000 SOL.
pub struct LiquidationSetup {
    pub f: strata_testkit::Fixture,
    pub pool: TestPool,
    pub borrower: TestUser,
    pub keeper: TestUser,
}

pub async fn liquidation_setup_with(params: PoolParams) -> LiquidationSetup {
    let (mut f, pool, borrower) = setup_with(params).await;
    let keeper = f.create_user(&pool, &[sol(1_000), bill(10_000)]).await;
    f.refresh_all(&pool).await;
    f.ok(&[pool.deposit_ix(&borrower, SOL, sol(10)), pool.mint_ix(&borrower, notes(500))], &[&borrower.owner]).await;
    f.ok(&[pool.deposit_ix(&keeper, SOL, sol(1_000)), pool.mint_ix(&keeper, notes(5_000))], &[&keeper.owner]).await;
    LiquidationSetup { f, pool, borrower, keeper }
}

pub async fn liquidation_setup() -> LiquidationSetup {
    liquidation_setup_with(strata_testkit::pool::default_pool_params().with(|p| p.stability_fee_bps = 0)).await
}

/// SOL at `dollars_e8 / 1e8` dollars, published now and refreshed.
pub async fn set_sol_price(f: &mut strata_testkit::Fixture, pool: &TestPool, dollars_e8: i64) {
    f.move_price(pool, SOL, dollars_e8, EXPO).await;
}
