use strata::constants::pause;
use strata::events::{BadDebtBooked, PositionLiquidated};
use strata::instructions::{HealthReport, LiquidationQuote};
use strata::StrataError;
use strata_core::WAD;
use strata_testkit::events::decode;
use strata_testkit::pool::{default_collateral_params, default_pool_params};
use strata_testkit::{ix, CollateralSpec, Fixture, PriceSpec, Signer};

use crate::support::*;

#[tokio::test]
async fn a_healthy_position_is_refused() {
    let LiquidationSetup { mut f, pool, borrower, keeper } = liquidation_setup().await;
    let liquidate = pool.liquidate_ix(&keeper, &borrower.position, SOL, u64::MAX, 0);
    f.expect_error(&[liquidate], &[&keeper.owner], StrataError::PositionHealthy).await;
}

#[tokio::test]
async fn exactly_at_the_threshold_is_healthy_and_a_hair_below_is_not() {
    let LiquidationSetup { mut f, pool, borrower, keeper } = liquidation_setup().await;
    // 10 SOL × $62.50 × 80% = 500 notes = the debt: health exactly 1.0.
    set_sol_price(&mut f, &pool, 6_250_000_000).await;
    let liquidate = pool.liquidate_ix(&keeper, &borrower.position, SOL, u64::MAX, 0);
    f.expect_error(std::slice::from_ref(&liquidate), &[&keeper.owner], StrataError::PositionHealthy).await;
    f.advance(1).await;
    set_sol_price(&mut f, &pool, 6_249_999_999).await;
    f.ok(&[liquidate], &[&keeper.owner]).await;
}

#[tokio::test]
async fn a_partial_liquidation_repays_the_close_factor_at_the_dynamic_bonus() {
    let LiquidationSetup { mut f, pool, borrower, keeper } = liquidation_setup().await;
    set_sol_price(&mut f, &pool, 60 * 100_000_000).await; // health 480/500 = 0.96
    let notes_before = f.token_balance(&keeper.notes).await;
    let sol_before = f.token_balance(&keeper.tokens[0]).await;
    let quote: LiquidationQuote =
        f.view(ix::quote_liquidation(&pool.key, &borrower.position, SOL, u64::MAX)).await.unwrap();
    let outcome = f.ok(&[pool.liquidate_ix(&keeper, &borrower.position, SOL, u64::MAX, 0)], &[&keeper.owner]).await;

    // Half the debt, bonus 2% + 4% (the health deficit): 265 notes of SOL at $60.
    let event = &decode::<PositionLiquidated>(&outcome.logs)[0];
    assert_eq!((event.repaid, event.bonus_bps, event.bad_debt), (notes(250), 600, 0));
    let seized = 265 * 1_000_000_000 / 60; // 4.416666666 SOL
    assert_eq!(event.seized[0], seized);
    assert_eq!(f.token_balance(&keeper.notes).await, notes_before - notes(250));
    assert_eq!(f.token_balance(&keeper.tokens[0]).await, sol_before + seized);
    assert_eq!(f.mint_supply(&pool.note_mint).await, notes(5_500) - notes(250));
    let position = f.position(&borrower.position).await;
    let state = f.pool(&pool.key).await;
    assert_eq!(position.collateral[0], sol(10) - seized);
    assert_eq!(debt_of(&state, position.debt_shares()), u128::from(notes(250)));
    assert_eq!(state.collaterals[0].total_deposited, sol(1_010) - seized);
    assert_eq!(f.token_balance(&pool.collaterals[0].vault).await, sol(1_010) - seized);
    assert!(event.health_after_wad > event.health_before_wad);
    assert_eq!(event.health_before_wad, 960_000_000_000_000_000);
    // The quote was exactly what happened.
    assert_eq!((quote.repay, quote.seized, quote.bonus_bps), (event.repaid, event.seized, event.bonus_bps));
    assert_eq!((quote.health_before_wad, quote.health_after_wad), (event.health_before_wad, event.health_after_wad));
}

#[tokio::test]
async fn an_offer_over_the_close_factor_is_capped_and_a_smaller_one_honoured() {
    let LiquidationSetup { mut f, pool, borrower, keeper } = liquidation_setup().await;
    set_sol_price(&mut f, &pool, 60 * 100_000_000).await;
    let outcome = f.ok(&[pool.liquidate_ix(&keeper, &borrower.position, SOL, notes(400), 0)], &[&keeper.owner]).await;
    assert_eq!(decode::<PositionLiquidated>(&outcome.logs)[0].repaid, notes(250));
    f.next_slot().await;
    f.advance(1).await;
    set_sol_price(&mut f, &pool, 50 * 100_000_000).await; // still solvent, unhealthy
    let outcome = f.ok(&[pool.liquidate_ix(&keeper, &borrower.position, SOL, notes(50), 0)], &[&keeper.owner]).await;
    assert_eq!(decode::<PositionLiquidated>(&outcome.logs)[0].repaid, notes(50));
}

#[tokio::test]
async fn a_position_whose_rest_would_be_dust_is_closed_out() {
    // Floor of 300 notes: repaying half of 500 would leave 250.
    let params = default_pool_params().with(|p| {
        p.stability_fee_bps = 0;
        p.min_debt = notes(300);
    });
    let LiquidationSetup { mut f, pool, borrower, keeper } = liquidation_setup_with(params).await;
    set_sol_price(&mut f, &pool, 60 * 100_000_000).await;
    let outcome = f.ok(&[pool.liquidate_ix(&keeper, &borrower.position, SOL, u64::MAX, 0)], &[&keeper.owner]).await;
    let event = &decode::<PositionLiquidated>(&outcome.logs)[0];
    assert_eq!((event.repaid, event.debt_after, event.health_after_wad), (notes(500), 0, u128::MAX));
    let position = f.position(&borrower.position).await;
    assert_eq!((position.debt_shares(), position.has_debt), (0, 0));
    // Fully repaid at a bonus, the borrower keeps the rest of the collateral.
    assert!(position.collateral[0] > 0);
}

#[tokio::test]
async fn the_slippage_guard_refuses_a_payout_below_the_minimum() {
    let LiquidationSetup { mut f, pool, borrower, keeper } = liquidation_setup().await;
    set_sol_price(&mut f, &pool, 60 * 100_000_000).await;
    let expected = 265 * 1_000_000_000 / 60;
    let too_greedy = pool.liquidate_ix(&keeper, &borrower.position, SOL, u64::MAX, expected + 1);
    f.expect_error(&[too_greedy], &[&keeper.owner], StrataError::SlippageExceeded).await;
    f.ok(&[pool.liquidate_ix(&keeper, &borrower.position, SOL, u64::MAX, expected)], &[&keeper.owner]).await;
}

#[tokio::test]
async fn a_stale_price_blocks_and_a_wide_confidence_or_deviating_ema_does_not() {
    let LiquidationSetup { mut f, pool, borrower, keeper } = liquidation_setup().await;
    set_sol_price(&mut f, &pool, 60 * 100_000_000).await;
    f.advance(61).await;
    let liquidate = pool.liquidate_ix(&keeper, &borrower.position, SOL, u64::MAX, 0);
    f.expect_error(std::slice::from_ref(&liquidate), &[&keeper.owner], StrataError::StalePrice).await;
    // Fresh again, with a 10% confidence interval and an EMA 30% away.
    let wide = PriceSpec::new(60 * 100_000_000, EXPO, f.now).conf(6 * 100_000_000).ema(85 * 100_000_000);
    f.set_price(&pool.collaterals[0], wide);
    f.ok(&[pool.refresh_ix(SOL), liquidate], &[&keeper.owner]).await;
}

#[tokio::test]
async fn the_same_position_cannot_be_liquidated_twice_in_one_transaction() {
    let LiquidationSetup { mut f, pool, borrower, keeper } = liquidation_setup().await;
    set_sol_price(&mut f, &pool, 55 * 100_000_000).await; // health 0.88, solvent
    let once = pool.liquidate_ix(&keeper, &borrower.position, SOL, notes(100), 0);
    let mut twice = once.clone();
    twice.data =
        strata_testkit::ix::liquidate(&pool.keeper_accounts(&keeper, SOL), &borrower.position, SOL, notes(101), 0).data;
    f.expect_error(&[once.clone(), twice], &[&keeper.owner], StrataError::AlreadyLiquidatedThisSlot).await;
    f.ok(std::slice::from_ref(&once), &[&keeper.owner]).await;
    // The next slot may liquidate again.
    f.next_slot().await;
    f.ok(&[once], &[&keeper.owner]).await;
}

#[tokio::test]
async fn liquidate_refuses_bad_accounts() {
    let LiquidationSetup { mut f, pool, borrower, keeper } = liquidation_setup().await;
    set_sol_price(&mut f, &pool, 55 * 100_000_000).await; // health 0.88, solvent
    let good = pool.liquidate_ix(&keeper, &borrower.position, SOL, u64::MAX, 0);
    let with = |index: usize, key| {
        let mut ix = good.clone();
        ix.accounts[index].pubkey = key;
        ix
    };
    // The keeper's block (shared with `liquidate_batch`): 0 keeper, 1 pool, 2 note
    // mint, 3 keeper notes, 4 collateral mint, 5 vault, 6 keeper collateral, 7
    // collateral token program, 8 note token program; then 9 position.
    let cases = [
        (with(5, pool.collaterals[1].vault), StrataError::VaultMismatch),
        (with(4, pool.collaterals[1].mint), StrataError::CollateralMintMismatch),
        (with(2, pool.collaterals[0].mint), StrataError::NoteMintMismatch),
        (with(3, keeper.tokens[1]), StrataError::NoteMintMismatch),
        (with(3, borrower.notes), StrataError::TokenOwnerMismatch),
        (with(6, keeper.tokens[1]), StrataError::CollateralMintMismatch),
    ];
    for (ix, error) in cases {
        f.expect_error(&[ix], &[&keeper.owner], error).await;
    }
    // A position of another pool.
    let other_pool = f.create_pool(default_pool_params(), &specs()).await;
    let stranger = f.create_user(&other_pool, &[]).await;
    f.expect_error(&[with(9, stranger.position)], &[&keeper.owner], StrataError::PoolMismatch).await;
    // Another pool's vault for the same index.
    f.expect_error(&[with(5, other_pool.collaterals[0].vault)], &[&keeper.owner], StrataError::VaultMismatch).await;
    // Zero and paused.
    f.expect_error(
        &[pool.liquidate_ix(&keeper, &borrower.position, SOL, 0, 0)],
        &[&keeper.owner],
        StrataError::ZeroAmount,
    )
    .await;
    let authority = pool.authority.insecure_clone();
    f.ok(&[ix::set_pause_flags(&authority.pubkey(), &pool.key, pause::LIQUIDATE)], &[&authority]).await;
    f.expect_error(&[good], &[&keeper.owner], StrataError::Paused).await;
}

#[tokio::test]
async fn a_keeper_without_notes_is_refused() {
    let LiquidationSetup { mut f, pool, borrower, .. } = liquidation_setup().await;
    let broke = f.create_user(&pool, &[]).await;
    set_sol_price(&mut f, &pool, 55 * 100_000_000).await; // health 0.88, solvent
    let liquidate = pool.liquidate_ix(&broke, &borrower.position, SOL, u64::MAX, 0);
    f.expect_error(&[liquidate], &[&broke.owner], StrataError::InsufficientFunds).await;
}

#[tokio::test]
async fn deep_insolvency_settles_the_position_whole_at_the_capped_bonus() {
    let LiquidationSetup { mut f, pool, borrower, keeper } = liquidation_setup().await;
    // 10 SOL at $30 = $300 against 500 notes of debt.
    set_sol_price(&mut f, &pool, 30 * 100_000_000).await;
    let report: HealthReport = f.view(ix::health(&pool.key, &borrower.position)).await.unwrap();
    assert!(report.liquidatable && report.insolvent);
    // Too small an offer cannot settle it.
    let small = pool.liquidate_ix(&keeper, &borrower.position, SOL, notes(100), 0);
    f.expect_error(&[small], &[&keeper.owner], StrataError::ShortfallRepayTooLow).await;

    let supply_before = f.mint_supply(&pool.note_mint).await;
    let outcome = f.ok(&[pool.liquidate_ix(&keeper, &borrower.position, SOL, u64::MAX, 0)], &[&keeper.owner]).await;
    let event = &decode::<PositionLiquidated>(&outcome.logs)[0];
    // Keeper pays $300 / 1.10 (the 10% maximum bonus), rounded up; gets all 10 SOL.
    assert_eq!(event.bonus_bps, 1_000);
    assert_eq!(event.repaid, 272_727_273);
    assert_eq!(event.seized[0], sol(10));
    assert_eq!(event.bad_debt, notes(500) - 272_727_273);
    let booked = &decode::<BadDebtBooked>(&outcome.logs)[0];
    assert_eq!((booked.amount, booked.pool_bad_debt), (event.bad_debt, event.bad_debt));
    let position = f.position(&borrower.position).await;
    assert!(position.is_empty(), "nothing is left in a settled position");

    // Totals are conserved: notes + pending fees = debt + bad debt; vault = positions.
    let state = f.pool(&pool.key).await;
    assert_eq!(state.bad_debt, event.bad_debt);
    let supply = f.mint_supply(&pool.note_mint).await;
    assert_eq!(supply, supply_before - event.repaid);
    let total_debt = state.debt_state().total_debt().unwrap();
    assert_eq!(u128::from(supply) + u128::from(state.pending_fees), total_debt + u128::from(state.bad_debt));
    let keeper_position = f.position(&keeper.position).await;
    assert_eq!(f.token_balance(&pool.collaterals[0].vault).await, keeper_position.collateral[0]);
}

#[tokio::test]
async fn an_insolvent_position_with_two_collaterals_needs_both_paid_out() {
    let LiquidationSetup { mut f, pool, borrower, keeper } = liquidation_setup().await;
    f.ok(&[pool.deposit_ix(&borrower, BILL, bill(100))], &[&borrower.owner]).await;
    // SOL to $20: $200 + $100 of collateral against 500 notes.
    set_sol_price(&mut f, &pool, 20 * 100_000_000).await;
    f.ok(&[pool.refresh_ix(BILL)], &[]).await;
    let alone = pool.liquidate_ix(&keeper, &borrower.position, SOL, u64::MAX, 0);
    f.expect_error(std::slice::from_ref(&alone), &[&keeper.owner], StrataError::MissingCollateralAccounts).await;
    let bill_c = &pool.collaterals[1];
    let full = ix::with_other_collateral(alone, bill_c.token_program, bill_c.mint, bill_c.vault, keeper.tokens[1]);
    let bill_before = f.token_balance(&keeper.tokens[1]).await;
    let outcome = f.ok(&[full], &[&keeper.owner]).await;
    let event = &decode::<PositionLiquidated>(&outcome.logs)[0];
    assert_eq!((event.seized[0], event.seized[1]), (sol(10), bill(100)));
    assert_eq!(f.token_balance(&keeper.tokens[1]).await, bill_before + bill(100));
    assert_eq!(u128::from(event.repaid) + u128::from(event.bad_debt), u128::from(notes(500)));
    assert!(f.position(&borrower.position).await.is_empty());
}

#[tokio::test]
async fn seizing_a_collateral_that_would_lower_health_is_refused() {
    // SOL with a 95% threshold next to tBILL at 50%: seizing SOL from a position
    // whose health is below 0.95 would lower it, seizing tBILL raises it.
    let mut f = Fixture::new().await;
    let high = default_collateral_params().with(|p| {
        p.ltv_bps = 7_000;
        p.liquidation_threshold_bps = 9_500;
        p.liquidation_bonus_max_bps = 500;
    });
    let low = default_collateral_params().with(|p| {
        p.ltv_bps = 4_000;
        p.liquidation_threshold_bps = 5_000;
    });
    let pool = f
        .create_pool(
            default_pool_params().with(|p| p.stability_fee_bps = 0),
            &[
                CollateralSpec::legacy(9, SOL_PRICE, EXPO).params(high),
                CollateralSpec::pull(6, BILL_PRICE, EXPO).params(low),
            ],
        )
        .await;
    let borrower = f.create_user(&pool, &[sol(1), bill(1_000)]).await;
    let keeper = f.create_user(&pool, &[sol(100)]).await;
    f.refresh_all(&pool).await;
    // $100 of SOL (borrowing power 70) + $1,000 of tBILL (400): mint 470.
    f.ok(
        &[
            pool.deposit_ix(&borrower, SOL, sol(1)),
            pool.deposit_ix(&borrower, BILL, bill(1_000)),
            pool.mint_ix(&borrower, notes(470)),
        ],
        &[&borrower.owner],
    )
    .await;
    f.ok(&[pool.deposit_ix(&keeper, SOL, sol(100)), pool.mint_ix(&keeper, notes(1_000))], &[&keeper.owner]).await;
    // tBILL falls to $0.60: weighted 95 + 300 = 395 against 470, health 0.84 < 0.95;
    // still solvent ($700 of collateral).
    f.move_price(&pool, BILL, 60_000_000, EXPO).await;
    f.move_price(&pool, SOL, SOL_PRICE, EXPO).await;
    let on_sol = pool.liquidate_ix(&keeper, &borrower.position, SOL, u64::MAX, 0);
    f.expect_error(&[on_sol], &[&keeper.owner], StrataError::LiquidationWouldLowerHealth).await;
    let on_bill = pool.liquidate_ix(&keeper, &borrower.position, BILL, u64::MAX, 0);
    let outcome = f.ok(&[on_bill], &[&keeper.owner]).await;
    let event = &decode::<PositionLiquidated>(&outcome.logs)[0];
    assert!(event.health_after_wad > event.health_before_wad);
}

#[tokio::test]
async fn health_view_reports_what_the_core_computes() {
    let LiquidationSetup { mut f, pool, borrower, .. } = liquidation_setup().await;
    let report: HealthReport = f.view(ix::health(&pool.key, &borrower.position)).await.unwrap();
    assert_eq!(report.debt, notes(500));
    assert_eq!(report.collateral_value, u128::from(notes(1_000)));
    assert_eq!(report.liquidation_value, u128::from(notes(800)));
    assert_eq!(report.borrow_limit, Some(u128::from(notes(500))));
    assert_eq!(report.health_wad, 16 * WAD / 10);
    assert_eq!(report.conservative_health_wad, Some(WAD));
    assert!(!report.liquidatable && !report.insolvent);
    // A wide confidence interval hides the borrow limit but not spot health.
    let wide = PriceSpec::new(SOL_PRICE, EXPO, f.now).conf(5 * 100_000_000);
    f.set_price(&pool.collaterals[0], wide);
    f.ok(&[pool.refresh_ix(SOL)], &[]).await;
    let report: HealthReport = f.view(ix::health(&pool.key, &borrower.position)).await.unwrap();
    assert_eq!((report.borrow_limit, report.conservative_health_wad), (None, None));
    assert_eq!(report.health_wad, 16 * WAD / 10);
    // Views change nothing, and fail like the instruction on stale prices.
    f.advance(61).await;
    let before = f.account(&pool.key).await;
    let stale = f.view::<HealthReport>(ix::health(&pool.key, &borrower.position)).await.unwrap_err();
    assert_eq!(stale.custom_error(), Some(u32::from(StrataError::StalePrice)));
    assert_eq!(f.account(&pool.key).await, before);
}
