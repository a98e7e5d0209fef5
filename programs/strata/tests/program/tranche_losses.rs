use strata::events::{LossAllocated, PositionAbsorbed, PositionLiquidated, RedemptionClaimed, ShortfallFlagged};
use strata::StrataError;
use strata_testkit::events::decode;
use strata_testkit::{ix, Signer};

use crate::support::*;

/// Crashes SOL to `price` and settles the borrower with the tranche set attached,
/// by a lender who minted notes for it (its position is returned).
async fn settle_borrower(s: &mut TrancheSetup, price: i64) -> (PositionLiquidated, LossAllocated, Pubkey) {
    let lender = s.f.create_user(&s.pool, &[sol(10_000)]).await;
    s.f.ok(&[s.pool.deposit_ix(&lender, SOL, sol(10_000)), s.pool.mint_ix(&lender, notes(100_000))], &[&lender.owner])
        .await;
    set_sol_price(&mut s.f, &s.pool, price).await;
    let settle = s.pool.liquidate_with_tranches_ix(&lender, &s.borrower.position, SOL, u64::MAX, 0);
    let outcome = s.f.ok(&[settle], &[&lender.owner]).await;
    let liquidated = decode::<PositionLiquidated>(&outcome.logs).remove(0);
    let allocated = decode::<LossAllocated>(&outcome.logs).remove(0);
    (liquidated, allocated, lender.position)
}

#[tokio::test]
async fn a_loss_smaller_than_the_junior_leaves_the_senior_untouched() {
    let mut s = tranche_setup(0, notes(300), notes(700)).await;
    let (liquidated, allocated, lender) = settle_borrower(&mut s, 30 * 100_000_000).await;
    // $300 of SOL for 500 notes: the keeper pays 272.727273, the loss is 227.272727.
    assert_eq!(liquidated.bad_debt, notes(500) - 272_727_273);
    assert_eq!(allocated.taken, [0, liquidated.bad_debt, 0, 0]);
    assert_eq!(allocated.uncovered, 0);
    let (senior, junior) = (s.f.tranche(&s.pool, SENIOR).await, s.f.tranche(&s.pool, JUNIOR).await);
    assert_eq!(senior.assets, notes(700));
    assert_eq!(junior.assets, notes(300) - liquidated.bad_debt);
    assert_eq!((junior.cumulative_loss, junior.loss_outstanding), (liquidated.bad_debt, liquidated.bad_debt));
    assert_eq!(s.f.pool(&s.pool.key).await.bad_debt, 0);
    let positions = [s.borrower.position, s.junior_lp.position, s.senior_lp.position, lender];
    assert_books_balance(&mut s.f, &s.pool, &positions).await;
}

#[tokio::test]
async fn a_larger_loss_wipes_the_junior_and_hits_the_senior_by_exactly_the_excess() {
    let mut s = tranche_setup(0, notes(100), notes(300)).await;
    let (liquidated, allocated, _) = settle_borrower(&mut s, 30 * 100_000_000).await;
    let excess = liquidated.bad_debt - notes(100);
    assert_eq!(allocated.taken, [excess, notes(100), 0, 0]);
    assert_eq!(s.f.tranche(&s.pool, JUNIOR).await.assets, 0);
    assert_eq!(s.f.tranche(&s.pool, SENIOR).await.assets, notes(300) - excess);
    assert_eq!(s.f.pool(&s.pool.key).await.bad_debt, 0);
}

#[tokio::test]
async fn a_loss_larger_than_every_tranche_ends_in_bad_debt_and_income_recovers_seniors_first() {
    let mut s = tranche_setup(500, notes(100), notes(300)).await;
    // $50 of SOL for 500 notes: 454.545454 lost, 400 covered by the tranches.
    let (liquidated, allocated, _) = settle_borrower(&mut s, 5 * 100_000_000).await;
    assert_eq!(allocated.taken, [notes(300), notes(100), 0, 0]);
    assert_eq!(allocated.uncovered, liquidated.bad_debt - notes(400));
    assert_eq!(s.f.pool(&s.pool.key).await.bad_debt, allocated.uncovered);
    // Twenty days of fees (~290 notes on ~106,000 of debt at 5%) first repay the
    // bad debt, then part of the senior's loss; the junior waits.
    s.f.advance(20 * 86_400).await;
    s.f.move_price(&s.pool, SOL, 5 * 100_000_000, EXPO).await;
    let outcome = s.f.ok(&[s.pool.distribute_ix()], &[]).await;
    let income = &decode::<strata::events::IncomeDistributed>(&outcome.logs)[0];
    assert_eq!(income.bad_debt_repaid, allocated.uncovered);
    assert_eq!(income.recovered[0], income.fees - income.protocol_fee - allocated.uncovered);
    assert_eq!(income.recovered[1], 0, "the junior recovers only after the senior");
    assert!(income.recovered[0] > 0 && income.recovered[0] < notes(300));
    assert_eq!(s.f.pool(&s.pool.key).await.bad_debt, 0);
    assert_eq!(s.f.tranche(&s.pool, SENIOR).await.loss_outstanding, notes(300) - income.recovered[0]);
    assert_eq!(s.f.tranche(&s.pool, JUNIOR).await.loss_outstanding, notes(100));
}

#[tokio::test]
async fn a_settlement_of_a_pool_with_tranches_needs_their_accounts() {
    let mut s = tranche_setup(0, notes(300), notes(700)).await;
    let lender = s.f.create_user(&s.pool, &[sol(100)]).await;
    s.f.ok(&[s.pool.deposit_ix(&lender, SOL, sol(100)), s.pool.mint_ix(&lender, notes(1_000))], &[&lender.owner]).await;
    set_sol_price(&mut s.f, &s.pool, 30 * 100_000_000).await;
    let bare = s.pool.liquidate_ix(&lender, &s.borrower.position, SOL, u64::MAX, 0);
    s.f.expect_error(&[bare], &[&lender.owner], StrataError::MissingTrancheAccounts).await;
}

#[tokio::test]
async fn absorb_needs_no_keeper_notes_and_withdrawals_pay_the_collateral_out() {
    let TrancheSetup { mut f, pool, borrower, junior_lp, senior_lp, keeper } =
        tranche_setup(0, notes(300), notes(700)).await;
    assert_eq!(f.token_balance(&keeper.notes).await, 0, "the keeper brings nothing");
    set_sol_price(&mut f, &pool, 55 * 100_000_000).await; // health 0.88
    let sol_before = f.token_balance(&keeper.tokens[0]).await;
    let outcome = f.ok(&[pool.absorb_ix(&keeper, &borrower.position, &[SOL])], &[&keeper.owner]).await;
    let event = &decode::<PositionAbsorbed>(&outcome.logs)[0];
    // Two vault burns and a tip: far inside Solana's 10,000-byte log limit.
    let log_bytes: usize = outcome.logs.iter().map(String::len).sum();
    println!("absorb (2 tranches paying, 1 tip): logs {log_bytes} bytes natively");
    assert!(log_bytes < 5_000, "absorb logs {log_bytes} bytes");
    // The junior pays first (300), the senior the rest (200); all 10 SOL move.
    assert!(event.full);
    assert_eq!(event.paid, [notes(200), notes(300), 0, 0]);
    assert_eq!(event.moved[0], sol(10));
    assert_eq!(event.tip[0], sol(10) / 200, "0.5% keeper tip");
    assert_eq!(f.token_balance(&keeper.tokens[0]).await, sol_before + event.tip[0]);
    let (senior, junior) = (f.tranche(&pool, SENIOR).await, f.tranche(&pool, JUNIOR).await);
    let credited = sol(10) - event.tip[0];
    assert_eq!(junior.collateral_held[0] + senior.collateral_held[0], credited);
    assert_eq!(junior.collateral_held[0], credited * 3 / 5);
    assert_eq!((senior.assets, junior.assets), (notes(500), 0));
    assert!(f.position(&borrower.position).await.is_empty());
    let positions = [borrower.position, junior_lp.position, senior_lp.position, keeper.position];
    assert_books_balance(&mut f, &pool, &positions).await;
    // The junior LP redeems a quarter (more would leave the senior below its 20%
    // subordination): its share of the collateral comes out.
    let shares = junior.total_shares / 4;
    let sol_before = f.token_balance(&junior_lp.tokens[0]).await;
    let outcome = f.redeem(&pool, &junior_lp, JUNIOR, shares, &[SOL]).await;
    let paid = decode::<RedemptionClaimed>(&outcome.logs)[0].collateral[0];
    let expected =
        u128::from(junior.collateral_held[0]) * u128::from(shares) / (u128::from(junior.total_shares) + 1_000);
    assert_eq!(u128::from(paid), expected);
    assert_eq!(f.token_balance(&junior_lp.tokens[0]).await, sol_before + paid);
    assert_books_balance(&mut f, &pool, &positions).await;
}

#[tokio::test]
async fn thin_tranches_absorb_part_and_leave_a_reported_loss_to_keepers() {
    let TrancheSetup { mut f, pool, borrower, junior_lp, senior_lp, keeper } =
        tranche_setup(0, notes(100), notes(300)).await;
    set_sol_price(&mut f, &pool, 30 * 100_000_000).await; // insolvent: $300 for 500 notes
    let outcome = f.ok(&[pool.absorb_ix(&keeper, &borrower.position, &[SOL])], &[&keeper.owner]).await;
    let event = &decode::<PositionAbsorbed>(&outcome.logs)[0];
    assert!(!event.full);
    assert_eq!(event.paid, [notes(300), notes(100), 0, 0]);
    assert_eq!(event.debt_after, notes(100));
    assert!(event.health_after_wad >= event.health_before_wad);
    // What is left is insolvent: reported, and tranche flows wait for it.
    let position = f.position(&borrower.position).await;
    assert!(position.loss_pending());
    assert_eq!(f.pool(&pool.key).await.loss_pending_count, 1);
    f.expect_error(
        &[pool.tranche_deposit_ix(&junior_lp, JUNIOR, notes(1))],
        &[&junior_lp.owner],
        StrataError::LossPending,
    )
    .await;
    f.expect_error(&[pool.claim_redemption_ix(&senior_lp, SENIOR, &[])], &[&senior_lp.owner], StrataError::LossPending)
        .await;
    // A keeper settles the rest; the report ends with it.
    let lender = f.create_user(&pool, &[sol(1_000)]).await;
    f.ok(&[pool.deposit_ix(&lender, SOL, sol(1_000)), pool.mint_ix(&lender, notes(1_000))], &[&lender.owner]).await;
    f.next_slot().await;
    let settle = pool.liquidate_with_tranches_ix(&lender, &borrower.position, SOL, u64::MAX, 0);
    f.ok(&[settle], &[&lender.owner]).await;
    assert_eq!(f.pool(&pool.key).await.loss_pending_count, 0);
    assert!(f.position(&borrower.position).await.is_empty());
    // The junior holds absorbed SOL: an entrant refreshes its price in the same transaction.
    f.ok(&[pool.refresh_ix(SOL), pool.tranche_deposit_ix(&junior_lp, JUNIOR, notes(1))], &[&junior_lp.owner]).await;
    let positions = [borrower.position, junior_lp.position, senior_lp.position, lender.position];
    assert_books_balance(&mut f, &pool, &positions).await;
}

#[tokio::test]
async fn absorb_refuses_bad_input() {
    let TrancheSetup { mut f, pool, borrower, keeper, .. } = tranche_setup(0, notes(300), notes(700)).await;
    f.expect_error(
        &[pool.absorb_ix(&keeper, &borrower.position, &[SOL])],
        &[&keeper.owner],
        StrataError::PositionHealthy,
    )
    .await;
    set_sol_price(&mut f, &pool, 55 * 100_000_000).await;
    let mut no_tranches = pool.absorb_ix(&keeper, &borrower.position, &[SOL]);
    no_tranches.accounts.truncate(5);
    f.expect_error(&[no_tranches], &[&keeper.owner], StrataError::MissingTrancheAccounts).await;
    let no_tip_accounts = pool.absorb_ix(&keeper, &borrower.position, &[]);
    f.expect_error(&[no_tip_accounts], &[&keeper.owner], StrataError::MissingCollateralAccounts).await;
    // The vault named as the tip's destination too.
    let mut vault_as_destination = pool.absorb_ix(&keeper, &borrower.position, &[SOL]);
    let last = vault_as_destination.accounts.len() - 1;
    vault_as_destination.accounts[last].pubkey = pool.collaterals[0].vault;
    f.expect_error(&[vault_as_destination], &[&keeper.owner], StrataError::DuplicateAccount).await;
    let twice = pool.absorb_ix(&keeper, &borrower.position, &[SOL]);
    let mut again = twice.clone();
    again.accounts.push(strata_testkit::ix::AccountMeta::new_readonly(strata_testkit::Pubkey::new_unique(), false));
    f.expect_error(&[twice, again], &[&keeper.owner], StrataError::AlreadyLiquidatedThisSlot).await;
    let authority = pool.authority.insecure_clone();
    f.ok(&[ix::set_pause_flags(&authority.pubkey(), &pool.key, strata::constants::pause::LIQUIDATE)], &[&authority])
        .await;
    f.expect_error(&[pool.absorb_ix(&keeper, &borrower.position, &[SOL])], &[&keeper.owner], StrataError::Paused).await;
}

#[tokio::test]
async fn shortfall_reports_follow_solvency() {
    let TrancheSetup { mut f, pool, borrower, junior_lp, .. } = tranche_setup(0, notes(300), notes(700)).await;
    let flag = ix::flag_shortfall(&pool.key, &borrower.position);
    let clear = ix::clear_shortfall_flag(&pool.key, &borrower.position);
    f.expect_error(std::slice::from_ref(&flag), &[], StrataError::PositionSolvent).await;
    f.expect_error(std::slice::from_ref(&clear), &[], StrataError::ShortfallNotFlagged).await;
    set_sol_price(&mut f, &pool, 40 * 100_000_000).await;
    let outcome = f.ok(std::slice::from_ref(&flag), &[]).await;
    assert_eq!(decode::<ShortfallFlagged>(&outcome.logs)[0].pool_loss_pending_count, 1);
    f.expect_error(std::slice::from_ref(&flag), &[], StrataError::ShortfallAlreadyFlagged).await;
    f.expect_error(std::slice::from_ref(&clear), &[], StrataError::PositionInsolvent).await;
    f.expect_error(
        &[pool.tranche_deposit_ix(&junior_lp, JUNIOR, notes(1))],
        &[&junior_lp.owner],
        StrataError::LossPending,
    )
    .await;
    // The price recovers: anyone withdraws the report.
    f.advance(1).await;
    set_sol_price(&mut f, &pool, SOL_PRICE).await;
    f.ok(&[clear], &[]).await;
    assert_eq!(f.pool(&pool.key).await.loss_pending_count, 0);
    f.ok(&[pool.tranche_deposit_ix(&junior_lp, JUNIOR, notes(1))], &[&junior_lp.owner]).await;
}

#[tokio::test]
async fn repaying_a_reported_position_in_full_ends_its_report() {
    let TrancheSetup { mut f, pool, borrower, junior_lp, .. } = tranche_setup(0, notes(300), notes(700)).await;
    set_sol_price(&mut f, &pool, 40 * 100_000_000).await;
    f.ok(&[ix::flag_shortfall(&pool.key, &borrower.position)], &[]).await;
    // The borrower buys notes elsewhere and repays everything: no loss is left to book.
    f.transfer_tokens(&pool.note_mint, &junior_lp.notes, &borrower.notes, &junior_lp.owner, notes(10)).await;
    f.ok(&[pool.repay_ix(&borrower, &borrower.position, u64::MAX)], &[&borrower.owner]).await;
    assert_eq!(f.pool(&pool.key).await.loss_pending_count, 0, "tranche flows are not left waiting");
    assert!(!f.position(&borrower.position).await.loss_pending());
    f.ok(&[pool.withdraw_ix(&borrower, SOL, sol(10))], &[&borrower.owner]).await;
    f.ok(&[ix::close_position(&borrower.owner.pubkey(), &pool.key, &borrower.position)], &[&borrower.owner]).await;
    f.ok(&[pool.tranche_deposit_ix(&junior_lp, JUNIOR, notes(1))], &[&junior_lp.owner]).await;
}
