//! The main job: an end-to-end scenario on the embedded bank.
//!
//! Creates a pool with two collaterals (a legacy-Pyth SOL-like token on SPL Token and
//! a pull-Pyth tokenized T-bill on Token-2022), opens a position, deposits both,
//! refreshes both oracle kinds, mints notes and prints the position's health.

use strata_core::price::collateral_value;
use strata_sim::book::EXPO;
use strata_sim::{dollars, health, ratio};
use strata_testkit::pool::default_pool_params;
use strata_testkit::{units, CollateralSpec, Fixture, Signer};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut f = Fixture::new().await;
    let specs = [
        CollateralSpec::legacy(9, 150 * 100_000_000, EXPO),
        CollateralSpec::pull(6, 100_000_000, EXPO).token_2022(&[]),
    ];
    let pool = f.create_pool(default_pool_params(), &specs).await;
    println!("pool            {}", pool.key);
    println!("note mint       {}", pool.note_mint);
    for (c, name) in pool.collaterals.iter().zip(["wSOL (legacy Pyth, SPL Token)", "tBILL (pull Pyth, Token-2022)"]) {
        println!("collateral {}    {name}: mint {}, oracle {}", c.index, c.mint, c.oracle);
    }

    let user = f.create_user(&pool, &[units(40, 9), units(10_000, 6)]).await;
    println!("position        {} (owner {})", user.position, user.owner.pubkey());
    f.ok(&[pool.deposit_ix(&user, 0, units(20, 9)), pool.deposit_ix(&user, 1, units(5_000, 6))], &[&user.owner]).await;
    println!("deposited       20 wSOL and 5,000 tBILL");

    f.refresh_all(&pool).await;
    let state = f.pool(&pool.key).await;
    for (index, config) in state.listed().iter().enumerate() {
        let price = config.cached_price();
        println!(
            "refreshed       collateral {index}: {} per whole token (publish time {})",
            dollars(collateral_value(10u64.pow(u32::from(config.decimals)), price.price_wad).unwrap()),
            price.publish_time
        );
    }

    let minted = units(3_000, 6);
    f.ok(&[pool.mint_ix(&user, minted)], &[&user.owner]).await;
    println!("minted          {} of notes", dollars(u128::from(minted)));

    let state = f.pool(&pool.key).await;
    let position = f.position(&user.position).await;
    let (conservative, spot) = health(&state, &position, f.now);
    println!();
    println!("position health");
    println!("  debt                         {}", dollars(spot.debt));
    println!("  borrowing power (ltv)        {}", dollars(conservative.weighted_collateral));
    println!("  liquidation value (thresh.)  {}", dollars(spot.weighted_collateral));
    println!("  health at conservative price {}", ratio(conservative.ratio_wad().unwrap()));
    println!("  health at spot price         {}  (liquidatable below 1.00)", ratio(spot.ratio_wad().unwrap()));
    println!("  note balance                 {}", dollars(u128::from(f.token_balance(&user.notes).await)));
    assert!(spot.is_healthy() && conservative.is_healthy());
}
