//! A book of liquidatable positions, for measurements.

use strata_testkit::pool::{default_collateral_params, default_pool_params};
use strata_testkit::{units, CollateralSpec, Fixture, TestPool, TestUser};

pub const EXPO: i32 = -8;

pub struct Book {
    pub f: Fixture,
    pub pool: TestPool,
    pub keeper: TestUser,
    pub borrowers: Vec<TestUser>,
}

/// A one-collateral pool (SOL at $100, classic SPL Token, legacy Pyth), a keeper
/// with 100,000 notes, and `count` borrowers with 10 SOL owing 700 notes each (75%
/// ltv). After [`crash`] to $80 every borrower is liquidatable and solvent.
pub async fn liquidatable_book(count: usize) -> Book {
    let mut f = Fixture::new().await;
    let mut params = default_collateral_params();
    params.ltv_bps = 7_500;
    params.liquidation_threshold_bps = 8_000;
    let mut pool_params = default_pool_params();
    pool_params.stability_fee_bps = 0;
    let pool = f.create_pool(pool_params, &[CollateralSpec::legacy(9, 100 * 100_000_000, EXPO).params(params)]).await;
    f.refresh_all(&pool).await;
    let keeper = f.create_user(&pool, &[units(100_000, 9)]).await;
    f.ok(&[pool.deposit_ix(&keeper, 0, units(100_000, 9)), pool.mint_ix(&keeper, units(100_000, 6))], &[&keeper.owner])
        .await;
    let mut borrowers = Vec::with_capacity(count);
    for _ in 0..count {
        let b = f.create_user(&pool, &[units(10, 9)]).await;
        f.ok(&[pool.deposit_ix(&b, 0, units(10, 9)), pool.mint_ix(&b, units(700, 6))], &[&b.owner]).await;
        borrowers.push(b);
    }
    Book { f, pool, keeper, borrowers }
}

/// SOL to $80: health 640/700 ≈ 0.91 for every borrower.
pub async fn crash(book: &mut Book) {
    book.f.move_price(&book.pool, 0, 80 * 100_000_000, EXPO).await;
}
