//! Losses junior-first on NAV, recovery sales of absorbed collateral, and
//! absorptions that never leave dust.

use strata::constants::pause;
use strata::events::{CollateralRecovered, LossAllocated, PositionAbsorbed};
use strata::StrataError;
use strata_testkit::events::decode;
use strata_testkit::{ix, Fixture, Signer, TestPool, TestUser};

use crate::support::*;

/// Tranche `index`'s NAV at the pool's cached spot prices.
async fn nav(f: &mut Fixture, pool: &TestPool, index: u8) -> u128 {
    let state = f.pool(&pool.key).await;
    f.tranche(pool, index).await.state().nav(&state.price_views(), f.now).unwrap()
}

/// The junior absorbs a position at $55 and holds its SOL and no notes; the senior
/// keeps 500 notes and some SOL.
async fn absorbed() -> TrancheSetup {
    let mut s = tranche_setup(0, notes(300), notes(700)).await;
    set_sol_price(&mut s.f, &s.pool, 55 * 100_000_000).await;
    let keeper = s.keeper.owner.insecure_clone();
    s.f.ok(&[s.pool.absorb_ix(&s.keeper, &s.borrower.position, &[SOL])], &[&keeper]).await;
    assert_eq!(s.f.tranche(&s.pool, JUNIOR).await.assets, 0);
    s
}

/// A second borrower: 10 SOL against 500 notes.
async fn second_borrower(f: &mut Fixture, pool: &TestPool) -> TestUser {
    f.move_price(pool, SOL, SOL_PRICE, EXPO).await;
    let b = f.create_user(pool, &[sol(10)]).await;
    f.ok(&[pool.deposit_ix(&b, SOL, sol(10)), pool.mint_ix(&b, notes(500))], &[&b.owner]).await;
    b
}

#[tokio::test]
async fn a_loss_beyond_the_juniors_notes_is_paid_with_its_collateral_before_the_senior_loses() {
    let TrancheSetup { mut f, pool, junior_lp, senior_lp, keeper, .. } = absorbed().await;
    let b = second_borrower(&mut f, &pool).await;
    let lender = f.create_user(&pool, &[sol(100)]).await;
    f.ok(&[pool.deposit_ix(&lender, SOL, sol(100)), pool.mint_ix(&lender, notes(1_000))], &[&lender.owner]).await;
    // $40: 10 SOL for 500 notes, insolvent. The junior holds ~6 SOL (~$238), no notes.
    set_sol_price(&mut f, &pool, 40 * 100_000_000).await;
    let (senior_before, junior_before) = (nav(&mut f, &pool, SENIOR).await, nav(&mut f, &pool, JUNIOR).await);
    let junior_sol = f.tranche(&pool, JUNIOR).await.collateral_held[0];
    let outcome =
        f.ok(&[pool.liquidate_with_tranches_ix(&lender, &b.position, SOL, u64::MAX, 0)], &[&lender.owner]).await;
    let loss = &decode::<LossAllocated>(&outcome.logs)[0];
    let shortfall: u64 = loss.taken.iter().sum();
    assert!(shortfall > notes(100), "shortfall {shortfall}");
    // Only the senior had notes to burn, and the junior's SOL made it whole.
    assert_eq!(loss.taken, [shortfall, 0, 0, 0]);
    assert_eq!((loss.compensated[SENIOR as usize], loss.lost), (shortfall, [0, shortfall, 0, 0]));
    assert_eq!(loss.uncovered, 0);
    let (senior_after, junior_after) = (nav(&mut f, &pool, SENIOR).await, nav(&mut f, &pool, JUNIOR).await);
    assert!(senior_after >= senior_before, "the senior's NAV fell: {senior_before} -> {senior_after}");
    assert!(junior_after + u128::from(shortfall) <= junior_before + 1, "the junior bore the loss");
    let (senior, junior) = (f.tranche(&pool, SENIOR).await, f.tranche(&pool, JUNIOR).await);
    assert!(junior.collateral_held[0] < junior_sol);
    assert_eq!((senior.loss_outstanding, junior.loss_outstanding), (0, shortfall));
    let positions = [b.position, junior_lp.position, senior_lp.position, keeper.position, lender.position];
    assert_books_balance(&mut f, &pool, &positions).await;
}

#[tokio::test]
async fn a_recovery_sale_turns_absorbed_collateral_back_into_notes() {
    let TrancheSetup { mut f, pool, .. } = absorbed().await;
    let buyer = f.create_user(&pool, &[sol(100)]).await;
    f.ok(&[pool.deposit_ix(&buyer, SOL, sol(100)), pool.mint_ix(&buyer, notes(1_000))], &[&buyer.owner]).await;
    f.next_slot().await;
    let before = f.tranche(&pool, JUNIOR).await;
    let nav_before = nav(&mut f, &pool, JUNIOR).await;
    let (notes_before, sol_before) = (f.token_balance(&buyer.notes).await, f.token_balance(&buyer.tokens[0]).await);
    let outcome = f.ok(&pool.recovery_sale_ixs(&buyer, JUNIOR, SOL, notes(100), 1), &[&buyer.owner]).await;
    let sale = &decode::<CollateralRecovered>(&outcome.logs)[0];
    // $55 less the 2% minimum liquidation bonus: $53.90 a SOL, 0.0539 note units a unit.
    assert_eq!(sale.discount_bps, 200);
    assert_eq!(sale.price_wad, strata_core::WAD * 539 / 10_000);
    assert_eq!(sale.collateral_out, (u128::from(notes(100)) * 10_000 / 539) as u64);
    assert!(sale.notes_in <= notes(100) && sale.notes_in >= notes(100) - 1);
    assert_eq!(f.token_balance(&buyer.notes).await, notes_before - sale.notes_in);
    assert_eq!(f.token_balance(&buyer.tokens[0]).await, sol_before + sale.collateral_out);
    let after = f.tranche(&pool, JUNIOR).await;
    assert_eq!(
        (after.assets, after.collateral_held[0]),
        (before.assets + sale.notes_in, before.collateral_held[0] - sale.collateral_out)
    );
    assert_eq!(f.token_balance(&pool.tranches[1].vault).await, after.assets);
    // The junior's NAV at spot fell by at most the discount on what it sold.
    let sold_value = u128::from(sale.collateral_out) * 55 / 1_000;
    let nav_after = nav(&mut f, &pool, JUNIOR).await;
    assert!(nav_after + sold_value * 200 / 10_000 + 1 >= nav_before, "{nav_before} -> {nav_after}");
    // The tranches can absorb again with the notes recovered.
    assert!(after.assets > 0);
}

/// Sandwich: the permissionless cranks right before and after a recovery sale, in its
/// transaction, change nothing for the buyer or the tranche: the sale settles the same
/// income first and prices at the same fresh oracle, so the buyer gets the minimum
/// liquidation bonus (its tip) and no more, and the junior loses that and no more.
#[tokio::test]
async fn cranks_around_a_recovery_sale_change_nothing() {
    let mut sales = Vec::new();
    for sandwiched in [false, true] {
        let TrancheSetup { mut f, pool, .. } = absorbed().await;
        let buyer = f.create_user(&pool, &[sol(100)]).await;
        f.ok(&[pool.deposit_ix(&buyer, SOL, sol(100)), pool.mint_ix(&buyer, notes(1_000))], &[&buyer.owner]).await;
        f.next_slot().await;
        let nav_before = nav(&mut f, &pool, JUNIOR).await;
        let sale = pool.recovery_sale_ixs(&buyer, JUNIOR, SOL, notes(100), 1);
        let ixs = if sandwiched {
            [vec![pool.distribute_ix()], sale, vec![pool.distribute_ix(), pool.check_coverage_ix()]].concat()
        } else {
            sale
        };
        let outcome = f.ok(&ixs, &[&buyer.owner]).await;
        let sold = decode::<CollateralRecovered>(&outcome.logs).remove(0);
        let nav_after = nav(&mut f, &pool, JUNIOR).await;
        // The junior gave up at most the discount on what it sold ($55 a SOL, 2%).
        let discount = u128::from(sold.collateral_out) * 55 / 1_000 * 200 / 10_000;
        assert!(nav_after + discount + 1 >= nav_before, "{nav_before} -> {nav_after} (discount {discount})");
        sales.push((sold.notes_in, sold.collateral_out, nav_after));
    }
    assert_eq!(sales[0].0, sales[1].0, "the same notes paid");
    assert_eq!(sales[0].1, sales[1].1, "the same collateral bought");
    assert!(sales[0].2.abs_diff(sales[1].2) <= 1, "the junior's NAV the same: {sales:?}");
}

#[tokio::test]
async fn recovery_sales_refuse_bad_input() {
    let TrancheSetup { mut f, pool, .. } = absorbed().await;
    let buyer = f.create_user(&pool, &[sol(100)]).await;
    f.ok(&[pool.deposit_ix(&buyer, SOL, sol(100)), pool.mint_ix(&buyer, notes(1_000))], &[&buyer.owner]).await;
    f.next_slot().await;
    let sale = |notes_in: u64, min_out: u64| pool.recovery_sale_ixs(&buyer, JUNIOR, SOL, notes_in, min_out);
    // Without refreshing the oracle in the same transaction: a cache that could lag.
    f.expect_error(&sale(notes(10), 0)[1..], &[&buyer.owner], StrataError::RefreshRequired).await;
    f.expect_error(&sale(notes(10), sol(1)), &[&buyer.owner], StrataError::SlippageExceeded).await;
    f.expect_error(&sale(0, 0), &[&buyer.owner], StrataError::ZeroAmount).await;
    f.expect_error(&sale(notes(5_000), 0), &[&buyer.owner], StrataError::InsufficientFunds).await;
    // No tranche holds tBILL.
    let bill = pool.recovery_sale_ixs(&buyer, JUNIOR, BILL, notes(10), 0);
    f.expect_error(&bill, &[&buyer.owner], StrataError::NoCollateralToSeize).await;
    // Another collateral's vault; a destination of another mint.
    let mut wrong_vault = sale(notes(10), 0);
    wrong_vault[1].accounts[7].pubkey = pool.collaterals[1].vault;
    f.expect_error(&wrong_vault, &[&buyer.owner], StrataError::VaultMismatch).await;
    let mut wrong_mint = sale(notes(10), 0);
    wrong_mint[1].accounts[8].pubkey = buyer.tokens[1];
    f.expect_error(&wrong_mint, &[&buyer.owner], StrataError::TokenMintMismatch).await;
    let authority = pool.authority.insecure_clone();
    f.ok(&[ix::set_pause_flags(&authority.pubkey(), &pool.key, pause::TRANCHE)], &[&authority]).await;
    f.expect_error(&sale(notes(10), 0), &[&buyer.owner], StrataError::Paused).await;
}

#[tokio::test]
async fn a_partial_absorption_leaves_at_least_the_dust_floor() {
    // The tranches hold 495 notes against a 500-note debt; the floor is 10 notes.
    let TrancheSetup { mut f, pool, borrower, keeper, .. } = tranche_setup(0, notes(100), notes(395)).await;
    set_sol_price(&mut f, &pool, 55 * 100_000_000).await;
    let outcome = f.ok(&[pool.absorb_ix(&keeper, &borrower.position, &[SOL])], &[&keeper.owner]).await;
    let event = &decode::<PositionAbsorbed>(&outcome.logs)[0];
    assert!(!event.full);
    assert_eq!(event.paid.iter().sum::<u64>(), notes(490), "pays only down to the floor");
    assert!(event.debt_after >= notes(10), "debt left {}", event.debt_after);
}
