use strata::constants::MAX_BATCH_POSITIONS;
use strata::events::{BatchLiquidated, BatchPositionLiquidated, BatchPositionSkipped, PositionLiquidated, SkipReason};
use strata::instructions::{HealthReport, LiquidationQuote};
use strata::StrataError;
use strata_testkit::events::decode;
use strata_testkit::pool::{default_collateral_params, default_pool_params};
use strata_testkit::{ix, CollateralSpec, Fixture, Pubkey, Signer, TestUser};

use crate::support::*;

/// Borrowers each holding 10 SOL and owing `debts[i]` notes, plus a rich keeper.
async fn book(debts: &[u64]) -> (Fixture, strata_testkit::TestPool, Vec<TestUser>, TestUser) {
    let mut f = Fixture::new().await;
    let pool = f.create_pool(default_pool_params().with(|p| p.stability_fee_bps = 0), &specs()).await;
    f.refresh_all(&pool).await;
    let keeper = f.create_user(&pool, &[sol(10_000)]).await;
    f.ok(&[pool.deposit_ix(&keeper, SOL, sol(10_000)), pool.mint_ix(&keeper, notes(100_000))], &[&keeper.owner]).await;
    let mut borrowers = Vec::new();
    for debt in debts {
        let b = f.create_user(&pool, &[sol(10)]).await;
        f.ok(&[pool.deposit_ix(&b, SOL, sol(10)), pool.mint_ix(&b, *debt)], &[&b.owner]).await;
        borrowers.push(b);
    }
    (f, pool, borrowers, keeper)
}

#[tokio::test]
async fn a_batch_liquidates_the_unhealthy_and_skips_the_rest() {
    // At $60 (liquidation value 480): 500 and 490 are unhealthy, 300 is healthy.
    let (mut f, pool, borrowers, keeper) = book(&[notes(500), notes(300), notes(490)]).await;
    set_sol_price(&mut f, &pool, 60 * 100_000_000).await;
    let mut positions: Vec<Pubkey> = borrowers.iter().map(|b| b.position).collect();
    positions.push(borrowers[0].position); // a duplicate is skipped, not liquidated twice
    let notes_before = f.token_balance(&keeper.notes).await;
    let sol_before = f.token_balance(&keeper.tokens[0]).await;
    let outcome = f.ok(&[pool.liquidate_batch_ix(&keeper, &positions, SOL, u64::MAX, 0)], &[&keeper.owner]).await;

    let liquidated = decode::<BatchPositionLiquidated>(&outcome.logs);
    let skipped = decode::<BatchPositionSkipped>(&outcome.logs);
    let summary = &decode::<BatchLiquidated>(&outcome.logs)[0];
    assert_eq!(liquidated.iter().map(|e| e.position).collect::<Vec<_>>(), vec![positions[0], positions[2]]);
    assert_eq!(
        skipped.iter().map(|e| (e.position, e.reason)).collect::<Vec<_>>(),
        vec![(positions[1], SkipReason::Healthy), (positions[0], SkipReason::AlreadyLiquidatedThisSlot)]
    );
    assert_eq!((summary.liquidated, summary.skipped), (2, 2));
    let repaid: u64 = liquidated.iter().map(|e| e.repaid).sum();
    let seized: u64 = liquidated.iter().map(|e| e.seized).sum();
    assert_eq!((summary.repaid, summary.seized), (repaid, seized));
    assert_eq!(repaid, notes(250) + notes(245));
    assert_eq!(f.token_balance(&keeper.notes).await, notes_before - repaid);
    assert_eq!(f.token_balance(&keeper.tokens[0]).await, sol_before + seized);
    assert!(liquidated.iter().all(|e| e.health_after_wad > e.health_before_wad));
    assert_eq!(f.position(&borrowers[1].position).await.collateral[0], sol(10), "the healthy one is untouched");
}

#[tokio::test]
async fn a_batch_stays_within_the_budget_and_the_slippage_guard() {
    let (mut f, pool, borrowers, keeper) = book(&[notes(500), notes(500), notes(500)]).await;
    set_sol_price(&mut f, &pool, 60 * 100_000_000).await;
    let positions: Vec<Pubkey> = borrowers.iter().map(|b| b.position).collect();
    let greedy = pool.liquidate_batch_ix(&keeper, &positions, SOL, notes(300), u64::MAX);
    f.expect_error(&[greedy], &[&keeper.owner], StrataError::SlippageExceeded).await;
    let outcome = f.ok(&[pool.liquidate_batch_ix(&keeper, &positions, SOL, notes(300), 0)], &[&keeper.owner]).await;
    let repaid: Vec<u64> = decode::<BatchPositionLiquidated>(&outcome.logs).iter().map(|e| e.repaid).collect();
    assert_eq!(repaid, vec![notes(250), notes(50)]);
    let skipped = decode::<BatchPositionSkipped>(&outcome.logs);
    assert_eq!(skipped[0].reason, SkipReason::BudgetExhausted);
}

#[tokio::test]
async fn a_batch_refuses_bad_accounts_and_a_keeper_without_notes() {
    let (mut f, pool, borrowers, keeper) = book(&[notes(500)]).await;
    set_sol_price(&mut f, &pool, 60 * 100_000_000).await;
    let broke = f.create_user(&pool, &[]).await;
    let batch = pool.liquidate_batch_ix(&broke, &[borrowers[0].position], SOL, u64::MAX, 0);
    f.expect_error(&[batch], &[&broke.owner], StrataError::InsufficientFunds).await;
    // A position of another pool fails the batch rather than being skipped.
    let other_pool = f.create_pool(default_pool_params(), &specs()).await;
    let stranger = f.create_user(&other_pool, &[]).await;
    let mixed = pool.liquidate_batch_ix(&keeper, &[borrowers[0].position, stranger.position], SOL, u64::MAX, 0);
    f.expect_error(&[mixed], &[&keeper.owner], StrataError::PoolMismatch).await;
    // Something that is not a position at all: a token account, and a Strata account
    // of another kind.
    let forged = pool.liquidate_batch_ix(&keeper, &[borrowers[0].notes], SOL, u64::MAX, 0);
    f.expect_error(&[forged], &[&keeper.owner], StrataError::NotAPosition).await;
    let not_a_position = pool.liquidate_batch_ix(&keeper, &[pool.key], SOL, u64::MAX, 0);
    f.expect_error(&[not_a_position], &[&keeper.owner], StrataError::NotAPosition).await;
    let mut wrong_vault = pool.liquidate_batch_ix(&keeper, &[borrowers[0].position], SOL, u64::MAX, 0);
    wrong_vault.accounts[5].pubkey = pool.collaterals[1].vault;
    f.expect_error(&[wrong_vault], &[&keeper.owner], StrataError::VaultMismatch).await;
    let authority = pool.authority.insecure_clone();
    f.ok(&[ix::set_pause_flags(&authority.pubkey(), &pool.key, strata::constants::pause::LIQUIDATE)], &[&authority])
        .await;
    let paused = pool.liquidate_batch_ix(&keeper, &[borrowers[0].position], SOL, u64::MAX, 0);
    f.expect_error(&[paused], &[&keeper.owner], StrataError::Paused).await;
}

#[tokio::test]
async fn a_batch_passes_over_insolvent_positions_holding_other_collateral() {
    let (mut f, pool, borrowers, keeper) = book(&[notes(500), notes(500)]).await;
    let second = &borrowers[1];
    let bill_authority = pool.collaterals[1].mint_authority.insecure_clone();
    f.mint_to(&pool.collaterals[1].mint, &second.tokens[1], &bill_authority, bill(50)).await;
    f.ok(&[pool.deposit_ix(second, BILL, bill(50))], &[&second.owner]).await;
    // $300 of SOL (+ $50 of tBILL for the second) against 500 notes: both insolvent.
    set_sol_price(&mut f, &pool, 30 * 100_000_000).await;
    f.move_price(&pool, BILL, BILL_PRICE, EXPO).await;
    let positions: Vec<Pubkey> = borrowers.iter().map(|b| b.position).collect();
    let outcome = f.ok(&[pool.liquidate_batch_ix(&keeper, &positions, SOL, u64::MAX, 0)], &[&keeper.owner]).await;
    let settled = decode::<BatchPositionLiquidated>(&outcome.logs);
    assert_eq!(settled.len(), 1, "a single-collateral insolvent position settles in a batch");
    assert_eq!((settled[0].position, settled[0].debt_after), (positions[0], 0));
    assert!(settled[0].bad_debt > 0);
    let skipped = decode::<BatchPositionSkipped>(&outcome.logs);
    assert_eq!((skipped[0].position, skipped[0].reason), (positions[1], SkipReason::NeedsFullSettlement));
    // The batch's own event carries where the settlement's loss went (no tranches
    // here: all of it is bad debt).
    let summary = &decode::<BatchLiquidated>(&outcome.logs)[0];
    assert_eq!((summary.loss_taken, summary.loss_uncovered), ([0; 4], settled[0].bad_debt));
    assert_eq!(summary.pool_bad_debt, f.pool(&pool.key).await.bad_debt);
    assert_eq!(f.position(&second.position).await.collateral, [sol(10), bill(50), 0, 0, 0, 0, 0, 0]);
}

/// The crash scenario of the issue: 50 positions at leverage spread from safe to the
/// limit, SOL falls 30%, keepers liquidate every unhealthy position until none is
/// left. Every partial liquidation raises health, healthy positions are never
/// touched, and the books balance at the end.
#[tokio::test]
async fn a_thirty_percent_crash_over_fifty_positions() {
    let mut f = Fixture::new().await;
    let levered = default_collateral_params().with(|p| {
        p.ltv_bps = 7_500;
        p.liquidation_threshold_bps = 8_000;
    });
    let pool = f
        .create_pool(
            default_pool_params().with(|p| p.stability_fee_bps = 0),
            &[CollateralSpec::legacy(9, SOL_PRICE, EXPO).params(levered)],
        )
        .await;
    f.refresh_all(&pool).await;
    let keeper = f.create_user(&pool, &[sol(100_000)]).await;
    f.ok(&[pool.deposit_ix(&keeper, SOL, sol(100_000)), pool.mint_ix(&keeper, notes(1_000_000))], &[&keeper.owner])
        .await;
    let mut borrowers = Vec::new();
    for i in 0..50u64 {
        let b = f.create_user(&pool, &[sol(10)]).await;
        // $1,000 of SOL each; debt from 100 to 750 notes.
        let debt = notes(100 + i * 650 / 49);
        f.ok(&[pool.deposit_ix(&b, SOL, sol(10)), pool.mint_ix(&b, debt)], &[&b.owner]).await;
        borrowers.push((b, debt));
    }
    set_sol_price(&mut f, &pool, 70 * 100_000_000).await;

    let (mut partial, mut settled, mut healthy) = (0, 0, 0);
    for (b, debt) in &borrowers {
        let report: HealthReport = f.view(ix::health(&pool.key, &b.position)).await.unwrap();
        // $700 of SOL × 80% = 560 notes of liquidation value.
        assert_eq!(report.liquidatable, *debt > notes(560), "debt {debt}");
        if !report.liquidatable {
            healthy += 1;
            let refused = pool.liquidate_ix(&keeper, &b.position, SOL, u64::MAX, 0);
            f.expect_error(&[refused], &[&keeper.owner], StrataError::PositionHealthy).await;
            continue;
        }
        loop {
            let report: HealthReport = f.view(ix::health(&pool.key, &b.position)).await.unwrap();
            if !report.liquidatable {
                break;
            }
            let quote: LiquidationQuote =
                f.view(ix::quote_liquidation(&pool.key, &b.position, SOL, u64::MAX)).await.unwrap();
            let outcome = f
                .ok(&[pool.liquidate_ix(&keeper, &b.position, SOL, u64::MAX, quote.seized[0])], &[&keeper.owner])
                .await;
            let event = &decode::<PositionLiquidated>(&outcome.logs)[0];
            assert_eq!(event.seized, quote.seized);
            if event.bad_debt > 0 {
                settled += 1;
                assert_eq!(event.debt_after, 0);
            } else {
                partial += 1;
                assert!(
                    event.health_after_wad > event.health_before_wad,
                    "health must rise: {} -> {}",
                    event.health_before_wad,
                    event.health_after_wad
                );
            }
            f.next_slot().await;
        }
    }
    assert!(partial > 0 && settled > 0 && healthy > 0, "partial {partial}, settled {settled}, healthy {healthy}");
    // Books balance: notes + pending fees = debt + bad debt; the vault holds exactly
    // what positions hold.
    let state = f.pool(&pool.key).await;
    let supply = f.mint_supply(&pool.note_mint).await;
    assert_eq!(
        u128::from(supply) + u128::from(state.pending_fees),
        state.debt_state().total_debt().unwrap() + u128::from(state.bad_debt)
    );
    let mut held = f.position(&keeper.position).await.collateral[0];
    for (b, _) in &borrowers {
        held += f.position(&b.position).await.collateral[0];
    }
    assert_eq!(f.token_balance(&pool.collaterals[0].vault).await, held);
    assert_eq!(state.collaterals[0].total_deposited, held);
}

/// Bytes the runtime adds to a batch's logs on-chain that the native run does not
/// write: Anchor's `Program log: Instruction: LiquidateBatch` line and the BPF
/// loader's `Program <id> consumed <n> of <m> compute units` line (at its longest).
fn onchain_only_log_bytes() -> usize {
    let id = strata::ID.to_string();
    "Program log: Instruction: LiquidateBatch".len()
        + format!("Program {id} consumed 1400000 of 1400000 compute units").len()
}

/// The worst case of the log budget: `MAX_BATCH_POSITIONS` positions, every one
/// settled insolvent so that the loss burns both tranche vaults. Its logs stay under
/// Solana's 10,000-byte limit with a margin (nothing is truncated), and one position
/// more is refused by name with nothing changed.
#[tokio::test]
async fn the_largest_batch_logs_within_solanas_limit() {
    let (mut f, mut pool, borrowers, keeper) = book(&vec![notes(500); MAX_BATCH_POSITIONS + 1]).await;
    f.add_tranches(&mut pool, &[senior_params(), junior_params()]).await;
    f.open_share_accounts(&pool, &keeper).await;
    f.ok(
        &[
            pool.tranche_deposit_ix(&keeper, JUNIOR, notes(3_000)),
            pool.tranche_deposit_ix(&keeper, SENIOR, notes(9_000)),
        ],
        &[&keeper.owner],
    )
    .await;
    // $45: 10 SOL = 450 notes against 500 owed, every position insolvent.
    set_sol_price(&mut f, &pool, 45 * 100_000_000).await;
    let positions: Vec<Pubkey> = borrowers.iter().map(|b| b.position).collect();
    // A legacy transaction holds 38 keys at most: the positions come from a lookup
    // table, as the keeper sends large batches.
    let table = f.create_lookup_table(&positions).await;
    let keeper_key = keeper.owner.insecure_clone();
    let batch = |positions: &[Pubkey]| pool.liquidate_batch_with_tranches_ix(&keeper, positions, SOL, u64::MAX, 0);
    let too_many = batch(&positions);
    let named: Vec<Pubkey> = too_many.accounts.iter().map(|m| m.pubkey).filter(|k| *k != keeper_key.pubkey()).collect();
    let before = f.snapshot(&named).await;
    let refused = f.send_v0(&keeper_key, &[too_many], &[], std::slice::from_ref(&table)).await;
    assert_eq!(refused.custom_error(), Some(u32::from(StrataError::BatchTooLarge)));
    assert!(f.snapshot(&named).await == before, "a refused batch changes nothing");

    let outcome = f.send_v0(&keeper_key, &[batch(&positions[..MAX_BATCH_POSITIONS])], &[], &[table]).await;
    outcome.result.as_ref().unwrap_or_else(|e| panic!("{e:?}\n{}", outcome.logs.join("\n")));
    let liquidated = decode::<BatchPositionLiquidated>(&outcome.logs);
    assert_eq!(liquidated.len(), MAX_BATCH_POSITIONS);
    assert!(liquidated.iter().all(|e| e.bad_debt > 0 && e.debt_after == 0));
    let summary = &decode::<BatchLiquidated>(&outcome.logs)[0];
    assert!(summary.loss_taken[SENIOR as usize] > 0 && summary.loss_taken[JUNIOR as usize] == notes(3_000));
    assert!(outcome.logs.iter().all(|line| !line.contains("Log truncated")));
    let native: usize = outcome.logs.iter().map(String::len).sum();
    let onchain = native + onchain_only_log_bytes();
    println!("largest batch ({MAX_BATCH_POSITIONS} positions): logs {native} bytes natively, {onchain} on-chain");
    assert!(onchain <= 9_500, "the largest batch logs {onchain} bytes on-chain: too close to 10,000");
}
