use strata::events::OracleRefreshed;
use strata::StrataError;
use strata_core::WAD;
use strata_testkit::events::decode;
use strata_testkit::pool::default_pool_params;
use strata_testkit::{ix, CollateralSpec, Fixture, PriceSpec, Pubkey};

use crate::support::*;

#[tokio::test]
async fn refresh_caches_both_oracle_kinds_in_wad_note_units() {
    let (mut f, pool, _) = setup().await;
    let sol_c = &pool.collaterals[0];
    f.set_price(sol_c, PriceSpec::new(SOL_PRICE, EXPO, f.now - 5).ema(99 * 100_000_000).conf(50_000_000));
    let outcome = f.ok(&pool.refresh_all_ixs(), &[]).await;
    let state = f.pool(&pool.key).await;
    // $100 per 1e9 native units → 0.1 native note units per native unit.
    let sol_cache = state.collaterals[0].cached_price();
    assert_eq!(sol_cache.price_wad, WAD / 10);
    assert_eq!(sol_cache.ema_price_wad, WAD / 10 * 99 / 100);
    assert_eq!(sol_cache.conf_wad, WAD / 10 / 200);
    assert_eq!(sol_cache.publish_time, f.now - 5);
    // $1 per 1e6 native units → exactly one native note unit.
    assert_eq!(state.collaterals[1].cached_price().price_wad, WAD);
    assert_eq!(state.collaterals[1].refreshed_slot, f.slot().await);
    let events = decode::<OracleRefreshed>(&outcome.logs);
    assert_eq!(events.iter().map(|e| e.collateral_index).collect::<Vec<_>>(), vec![0, 1]);
    assert_eq!(events[0].price_wad, WAD / 10);
}

#[tokio::test]
async fn refresh_normalises_any_exponent_sign() {
    let mut f = Fixture::new().await;
    let pool = f
        .create_pool(
            default_pool_params(),
            &[
                // $300 per whole 0-decimal token, published as 3 × 10^2.
                CollateralSpec::legacy(0, 3, 2),
                // $0.000123 per whole 12-decimal token, as 123 × 10^-6 (pull).
                CollateralSpec::pull(12, 123, -6),
            ],
        )
        .await;
    f.refresh_all(&pool).await;
    let state = f.pool(&pool.key).await;
    assert_eq!(state.collaterals[0].cached_price().price_wad, 300_000_000 * WAD);
    // 123e-6 dollars / 1e12 units × 1e6 note units × 1e18 = 123e-6 × 1e12 = 123_000_000.
    assert_eq!(state.collaterals[1].cached_price().price_wad, 123_000_000);
}

#[tokio::test]
async fn refresh_refuses_the_wrong_or_a_forged_oracle_account() {
    let (mut f, pool, _) = setup().await;
    // Another collateral's oracle under this index.
    let swapped = ix::refresh_oracle(&pool.key, &pool.collaterals[1].oracle, SOL);
    f.expect_error(&[swapped], &[], StrataError::OracleMismatch).await;
    f.expect_error(
        &[ix::refresh_oracle(&pool.key, &pool.collaterals[0].oracle, 7)],
        &[],
        StrataError::InvalidCollateralIndex,
    )
    .await;

    for index in [SOL, BILL] {
        let oracle = pool.collaterals[usize::from(index)].oracle;
        let genuine = f.account(&oracle).await.unwrap();
        // The configured address, but owned by another program.
        let mut foreign = genuine.clone();
        foreign.owner = Pubkey::new_unique();
        f.set_account(&oracle, foreign);
        f.expect_error(&[pool.refresh_ix(index)], &[], StrataError::OracleOwnerMismatch).await;
        // Right owner, right size, wrong discriminator.
        let mut forged = genuine.clone();
        forged.data[0] ^= 0xff;
        f.set_account(&oracle, forged);
        f.expect_error(&[pool.refresh_ix(index)], &[], StrataError::InvalidOracleData).await;
        f.set_account(&oracle, genuine);
    }
}

#[tokio::test]
async fn refresh_refuses_bad_prices() {
    let (mut f, pool, _) = setup().await;
    let now = f.now;
    for index in [SOL, BILL] {
        let c = &pool.collaterals[usize::from(index)];
        let cases = [
            (PriceSpec::new(SOL_PRICE, EXPO, now - 61), StrataError::StalePrice),
            (PriceSpec::new(0, EXPO, now), StrataError::NonPositivePrice),
            (PriceSpec::new(-5, EXPO, now), StrataError::NonPositivePrice),
            (PriceSpec::new(SOL_PRICE, EXPO, now).ema(0), StrataError::NonPositivePrice),
            (PriceSpec::new(1, -60, now), StrataError::PriceOutOfRange),
        ];
        for (spec, error) in cases {
            f.set_price(c, spec);
            f.expect_error(&[pool.refresh_ix(index)], &[], error).await;
        }
    }
    f.set_price(&pool.collaterals[0], PriceSpec::new(SOL_PRICE, EXPO, now).halted());
    f.expect_error(&[pool.refresh_ix(SOL)], &[], StrataError::OracleNotTrading).await;
    f.set_price(&pool.collaterals[1], PriceSpec::new(BILL_PRICE, EXPO, now).partially_verified());
    f.expect_error(&[pool.refresh_ix(BILL)], &[], StrataError::OracleNotFullyVerified).await;
    // A genuine update of another feed written to the configured account.
    let other_feed = strata_testkit::pyth::oracle_account(
        strata::state::OracleKind::PythPull,
        &PriceSpec::new(BILL_PRICE, EXPO, now),
        [9; 32],
    );
    f.set_account(&pool.collaterals[1].oracle, other_feed);
    f.expect_error(&[pool.refresh_ix(BILL)], &[], StrataError::FeedIdMismatch).await;
}

#[tokio::test]
async fn an_older_update_never_replaces_a_newer_cache() {
    let (mut f, pool, _) = setup().await;
    let c = &pool.collaterals[0];
    f.set_price(c, PriceSpec::new(SOL_PRICE, EXPO, f.now));
    f.ok(&[pool.refresh_ix(SOL)], &[]).await;
    // Still inside the freshness window, but older than what is cached.
    f.set_price(c, PriceSpec::new(SOL_PRICE * 2, EXPO, f.now - 10));
    let outcome = f.ok(&[pool.refresh_ix(SOL)], &[]).await;
    assert!(decode::<OracleRefreshed>(&outcome.logs).is_empty());
    let cache = f.pool(&pool.key).await.collaterals[0].cached_price();
    assert_eq!((cache.price_wad, cache.publish_time), (WAD / 10, f.now));
}

/// The legacy owner follows the build's cluster (`--features devnet`, run by CI too):
/// a genuine account owned by the other cluster's Pyth program is refused by name.
#[tokio::test]
async fn legacy_oracles_are_owned_by_this_clusters_pyth_program() {
    use strata::constants::pyth::{DEVNET_LEGACY_PROGRAM_ID, LEGACY_PROGRAM_ID, MAINNET_LEGACY_PROGRAM_ID};
    let (this, other) = if cfg!(feature = "devnet") {
        (DEVNET_LEGACY_PROGRAM_ID, MAINNET_LEGACY_PROGRAM_ID)
    } else {
        (MAINNET_LEGACY_PROGRAM_ID, DEVNET_LEGACY_PROGRAM_ID)
    };
    assert_eq!(LEGACY_PROGRAM_ID, this);
    let (mut f, pool, _) = setup().await;
    let oracle = pool.collaterals[usize::from(SOL)].oracle;
    let genuine = f.account(&oracle).await.unwrap();
    assert_eq!(genuine.owner, this);
    let mut other_cluster = genuine.clone();
    other_cluster.owner = other;
    f.set_account(&oracle, other_cluster);
    f.expect_error(&[pool.refresh_ix(SOL)], &[], StrataError::OracleOwnerMismatch).await;
    f.set_account(&oracle, genuine);
    f.ok(&[pool.refresh_ix(SOL)], &[]).await;
}
