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

/// A pool with two tranches (senior: 10% target, 20% minimum subordination; junior:
/// residual), a borrower owing 500 notes against 10 SOL, LPs who minted notes and
/// deposited `junior` and `senior` notes, and a keeper without notes.
pub struct TrancheSetup {
    pub f: strata_testkit::Fixture,
    pub pool: TestPool,
    pub borrower: TestUser,
    pub junior_lp: TestUser,
    pub senior_lp: TestUser,
    pub keeper: TestUser,
}

pub const SENIOR: u8 = 0;
pub const JUNIOR: u8 = 1;

pub fn senior_params() -> strata::state::TrancheParams {
    strata::state::TrancheParams { target_apr_bps: 1_000, min_subordination_bps: 2_000 }
}

pub fn junior_params() -> strata::state::TrancheParams {
    strata::state::TrancheParams { target_apr_bps: 0, min_subordination_bps: 0 }
}

pub async fn tranche_setup(stability_fee_bps: u16, junior: u64, senior: u64) -> TrancheSetup {
    let params = strata_testkit::pool::default_pool_params().with(|p| p.stability_fee_bps = stability_fee_bps);
    let (mut f, mut pool, borrower) = setup_with(params).await;
    f.add_tranches(&mut pool, &[senior_params(), junior_params()]).await;
    f.refresh_all(&pool).await;
    let junior_lp = f.create_user(&pool, &[sol(100)]).await;
    let senior_lp = f.create_user(&pool, &[sol(100)]).await;
    let keeper = f.create_user(&pool, &[sol(1)]).await;
    for lp in [&junior_lp, &senior_lp, &keeper] {
        f.open_share_accounts(&pool, lp).await;
    }
    f.ok(&[pool.deposit_ix(&borrower, SOL, sol(10)), pool.mint_ix(&borrower, notes(500))], &[&borrower.owner]).await;
    for lp in [&junior_lp, &senior_lp] {
        f.ok(&[pool.deposit_ix(lp, SOL, sol(100)), pool.mint_ix(lp, notes(3_000))], &[&lp.owner]).await;
    }
    if junior > 0 {
        f.ok(&[pool.tranche_deposit_ix(&junior_lp, JUNIOR, junior)], &[&junior_lp.owner]).await;
    }
    if senior > 0 {
        f.ok(&[pool.tranche_deposit_ix(&senior_lp, SENIOR, senior)], &[&senior_lp.owner]).await;
    }
    TrancheSetup { f, pool, borrower, junior_lp, senior_lp, keeper }
}

/// PROTOCOL.md's invariants 1 to 3 over the whole pool.
pub async fn assert_books_balance(f: &mut strata_testkit::Fixture, pool: &TestPool, positions: &[Pubkey]) {
    let state = f.pool(&pool.key).await;
    let supply = u128::from(f.mint_supply(&pool.note_mint).await);
    // 2. notes + pending fees = debt + bad debt (rounding in the protocol's favour).
    let owed = state.debt_state().total_debt().unwrap() + u128::from(state.bad_debt);
    let booked = supply + u128::from(state.pending_fees);
    assert!(booked <= owed && owed - booked <= 4, "notes + fees {booked} vs debt + bad debt {owed}");
    // 3. tranche assets = tranche vault balances.
    for t in &pool.tranches {
        let tranche = f.tranche(pool, t.index).await;
        assert_eq!(f.token_balance(&t.vault).await, tranche.assets, "tranche {} assets", t.index);
    }
    // 1. each vault = positions + tranches' held collateral.
    for (index, c) in pool.collaterals.iter().enumerate() {
        let mut held = 0u64;
        for p in positions {
            held += f.position(p).await.collateral[index];
        }
        for t in &pool.tranches {
            held += f.tranche(pool, t.index).await.collateral_held[index];
        }
        assert_eq!(f.token_balance(&c.vault).await, held, "vault {index}");
        assert_eq!(state.collaterals[index].total_deposited, held, "total_deposited {index}");
    }
}

pub use strata_testkit::Pubkey;
