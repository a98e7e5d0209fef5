//! The attacks on the tranches that the income settlement, the redemption queue and
//! conservative entry prices close, each measured as the attacker's gain in native
//! note units (1 note = 1,000,000 units). On the code before (instant withdrawals,
//! income split only by `distribute`, entries at the cached spot price) the same
//! moves gained: JIT deposit +16,625,155; senior target on the wrong base +3,287,669;
//! exit ahead of an unreported loss: the senior lost 52,272,727; entry at a lagging
//! price +22,471,486.

use strata::events::{IncomeDistributed, RedemptionClaimed, TrancheDeposited};
use strata::StrataError;
use strata_core::math::{compound_wad, Rounding};
use strata_core::WAD;
use strata_testkit::events::decode;
use strata_testkit::pool::share_account;
use strata_testkit::{Fixture, Signer, TestPool, TestUser};

use crate::support::*;

/// A user holding 100 SOL in its position and share accounts for every tranche.
async fn attacker(f: &mut Fixture, pool: &TestPool) -> TestUser {
    let user = f.create_user(pool, &[sol(100)]).await;
    f.open_share_accounts(pool, &user).await;
    f.ok(&[pool.deposit_ix(&user, SOL, sol(100))], &[&user.owner]).await;
    user
}

async fn shares_of(f: &mut Fixture, pool: &TestPool, user: &TestUser, index: u8) -> u64 {
    f.token_balance(&share_account(&user.owner.pubkey(), &pool.tranches[usize::from(index)].share_mint)).await
}

/// What `shares` of tranche `index` would redeem for now, in notes (the tranches here
/// hold no collateral).
async fn notes_for(f: &mut Fixture, pool: &TestPool, index: u8, shares: u64) -> u128 {
    let t = f.tranche(pool, index).await;
    u128::from(shares) * (u128::from(t.assets) + 1) / (u128::from(t.total_shares) + 1_000)
}

/// Just-in-time deposit: mint notes, deposit into the junior, crank `distribute`. The
/// deposit settles the income first, so its shares are priced after the junior
/// received 30 days of income: the attacker earns only what accrues while it holds
/// (the redemption delay), and the junior's holder keeps the 30 days.
#[tokio::test]
async fn a_just_in_time_deposit_shares_none_of_the_income_earned_before_it() {
    let TrancheSetup { mut f, pool, junior_lp, .. } = tranche_setup(500, notes(300), notes(700)).await;
    let attacker = attacker(&mut f, &pool).await;
    f.advance(30 * 86_400).await;
    f.move_price(&pool, SOL, SOL_PRICE, EXPO).await;
    let lp_shares = shares_of(&mut f, &pool, &junior_lp, JUNIOR).await;
    let lp_before = notes_for(&mut f, &pool, JUNIOR, lp_shares).await;
    let put_in = notes(3_000);
    let outcome = f
        .ok(
            &[
                pool.mint_ix(&attacker, put_in),
                pool.tranche_deposit_ix(&attacker, JUNIOR, put_in),
                pool.distribute_ix(),
            ],
            &[&attacker.owner],
        )
        .await;
    let month = decode::<IncomeDistributed>(&outcome.logs)[0].yielded[JUNIOR as usize];
    assert!(month > notes(18), "the junior's 30 days: {month}");
    // The prior holder got all of it (it holds every share but the virtual ones).
    let lp_after = notes_for(&mut f, &pool, JUNIOR, lp_shares).await;
    assert!(lp_after + 1 >= lp_before + u128::from(month), "{lp_before} + {month} -> {lp_after}");

    let shares = shares_of(&mut f, &pool, &attacker, JUNIOR).await;
    let claim = f.redeem(&pool, &attacker, JUNIOR, shares, &[]).await;
    let out = decode::<RedemptionClaimed>(&claim.logs)[0].notes;
    // Fair: its part of the junior's income over the delay it held.
    let during = decode::<IncomeDistributed>(&claim.logs)[0].yielded[JUNIOR as usize];
    let junior = f.tranche(&pool, JUNIOR).await;
    let part = u128::from(during) * u128::from(shares) / (u128::from(junior.total_shares) + u128::from(shares));
    let gain = i128::from(out) - i128::from(put_in);
    println!("JIT deposit: attacker gain {gain} units, its income over the delay {part}, old code +16,625,155");
    assert!(gain <= part as i128 + 1, "gain {gain} beyond the income of its own time ({part})");
}

/// The senior's target accrues on what it held over time: a deposit just before a
/// settlement earns the target of its own time only, not the period's.
#[tokio::test]
async fn a_senior_deposit_earns_the_target_from_its_own_time_on() {
    let TrancheSetup { mut f, pool, senior_lp, .. } = tranche_setup(2_000, notes(300), notes(700)).await;
    let attacker = attacker(&mut f, &pool).await;
    f.advance(30 * 86_400).await;
    f.move_price(&pool, SOL, SOL_PRICE, EXPO).await;
    let lp_shares = shares_of(&mut f, &pool, &senior_lp, SENIOR).await;
    let put_in = notes(400);
    let outcome = f
        .ok(
            &[
                pool.mint_ix(&attacker, put_in),
                pool.tranche_deposit_ix(&attacker, SENIOR, put_in),
                pool.distribute_ix(),
            ],
            &[&attacker.owner],
        )
        .await;
    // The 30 days' target went to the senior before the deposit: to its holder.
    let month = decode::<IncomeDistributed>(&outcome.logs)[0].yielded[SENIOR as usize];
    let expected = notes(700) as u128 * (compound_wad(1_000, 30 * 86_400, Rounding::Down).unwrap() - WAD) / WAD;
    assert!(u128::from(month).abs_diff(expected) < notes(1) as u128 / 100, "{month} vs {expected}");
    assert!(notes_for(&mut f, &pool, SENIOR, lp_shares).await >= u128::from(notes(700) + month) - 1);
    let shares = decode::<TrancheDeposited>(&outcome.logs)[0].shares;

    let claim = f.redeem(&pool, &attacker, SENIOR, shares, &[]).await;
    let out = decode::<RedemptionClaimed>(&claim.logs)[0].notes;
    let delay = i64::from(f.pool(&pool.key).await.redemption_delay_secs);
    let own = u128::from(put_in) * (compound_wad(1_000, delay as u64 + 1, Rounding::Up).unwrap() - WAD) / WAD;
    let gain = i128::from(out) - i128::from(put_in);
    println!("senior base: attacker gain {gain} units, its own target over the delay {own}, old code +3,287,669");
    assert!(gain <= own as i128 + 1, "gain {gain} beyond its own time's target {own}");
}

/// A junior holder sees a position turn insolvent and asks to leave before anyone
/// reports it. Its shares wait in the queue while keepers book the loss, so the claim
/// pays after the loss, and the senior loses nothing (as if the junior had stayed).
#[tokio::test]
async fn an_exit_ahead_of_an_unreported_loss_waits_for_the_loss() {
    let TrancheSetup { mut f, pool, borrower, junior_lp, .. } = tranche_setup(0, notes(300), notes(700)).await;
    let lender = f.create_user(&pool, &[sol(100)]).await;
    f.ok(&[pool.deposit_ix(&lender, SOL, sol(100)), pool.mint_ix(&lender, notes(1_000))], &[&lender.owner]).await;
    set_sol_price(&mut f, &pool, 30 * 100_000_000).await;
    let junior = f.tranche(&pool, JUNIOR).await;
    // As much as the senior's 20% subordination allows: junior 175 of 875.
    let shares = junior.total_shares * 125 / 300;
    f.ok(&[pool.request_redemption_ix(&junior_lp, JUNIOR, shares)], &[&junior_lp.owner]).await;
    // Too early: the delay has not passed.
    f.expect_error(
        &[pool.claim_redemption_ix(&junior_lp, JUNIOR, &[])],
        &[&junior_lp.owner],
        StrataError::RedemptionNotReady,
    )
    .await;
    // Within the delay, a keeper settles the insolvent position.
    f.ok(&[pool.liquidate_with_tranches_ix(&lender, &borrower.position, SOL, u64::MAX, 0)], &[&lender.owner]).await;
    let junior_loss = f.tranche(&pool, JUNIOR).await.cumulative_loss;
    f.wait_redemption_delay(&pool).await;
    // The claim would now leave the senior uncovered (the junior absorbed the loss):
    // it is refused and stays queued; the junior may cancel.
    f.expect_error(
        &[pool.claim_redemption_ix(&junior_lp, JUNIOR, &[])],
        &[&junior_lp.owner],
        StrataError::SubordinationBreached,
    )
    .await;
    let senior = f.tranche(&pool, SENIOR).await;
    println!(
        "exit ahead of a loss: senior loss {} units (old code 52,272,727), junior loss {junior_loss}",
        senior.cumulative_loss
    );
    assert_eq!(senior.cumulative_loss, 0, "the junior's loss stays the junior's");
    assert_eq!(junior_loss, 227_272_727);
    f.ok(&[pool.cancel_redemption_ix(&junior_lp, JUNIOR)], &[&junior_lp.owner]).await;
    assert_eq!(shares_of(&mut f, &pool, &junior_lp, JUNIOR).await, junior.total_shares);
}

/// The junior holds absorbed SOL cached at $55 while Pyth publishes $60. A deposit
/// must refresh the held collateral in the same transaction, and buys it at the top
/// of its band: the attacker cannot buy the holders' SOL at the lagging price.
#[tokio::test]
async fn an_entry_at_a_lagging_price_is_refused_and_a_fresh_one_gains_nothing() {
    let TrancheSetup { mut f, pool, borrower, keeper, junior_lp, .. } = tranche_setup(0, notes(300), notes(700)).await;
    set_sol_price(&mut f, &pool, 55 * 100_000_000).await;
    f.ok(&[pool.absorb_ix(&keeper, &borrower.position, &[SOL])], &[&keeper.owner]).await;
    let attacker = attacker(&mut f, &pool).await;
    f.ok(&[pool.mint_ix(&attacker, notes(2_000))], &[&attacker.owner]).await;
    // A slot later Pyth publishes $60; the cache still says $55 (fresh enough to
    // value at).
    f.next_slot().await;
    f.set_price(&pool.collaterals[0], strata_testkit::PriceSpec::new(60 * 100_000_000, EXPO, f.now));
    f.expect_error(
        &[pool.tranche_deposit_ix(&attacker, JUNIOR, notes(1_000))],
        &[&attacker.owner],
        StrataError::RefreshRequired,
    )
    .await;
    let lp_shares = shares_of(&mut f, &pool, &junior_lp, JUNIOR).await;
    let notes_before = f.token_balance(&attacker.notes).await;
    let sol_before = f.token_balance(&attacker.tokens[0]).await;
    f.ok(&[pool.refresh_ix(SOL), pool.tranche_deposit_ix(&attacker, JUNIOR, notes(1_000))], &[&attacker.owner]).await;
    let lp_value = |t: strata::state::Tranche, shares: u64| {
        // Notes plus SOL at $60 (0.06 native note units per native SOL unit).
        (u128::from(t.assets) * 100 + u128::from(t.collateral_held[0]) * 6) * u128::from(shares)
            / (u128::from(t.total_shares) + 1_000)
            / 100
    };
    let lp_before = lp_value(f.tranche(&pool, JUNIOR).await, lp_shares);
    let shares = shares_of(&mut f, &pool, &attacker, JUNIOR).await;
    f.redeem(&pool, &attacker, JUNIOR, shares, &[SOL]).await;
    let notes_gain = i128::from(f.token_balance(&attacker.notes).await) - i128::from(notes_before);
    let sol_gain = i128::from(f.token_balance(&attacker.tokens[0]).await) - i128::from(sol_before);
    let gain = notes_gain + sol_gain * 6 / 100;
    println!("lagging price: attacker gain {gain} units at $60 (old code +22,471,486)");
    assert!(gain <= 1, "the attacker gained {gain} units");
    assert!(lp_value(f.tranche(&pool, JUNIOR).await, lp_shares) + 1 >= lp_before, "the holder lost value");
}

/// Sandwiches: the permissionless cranks called right before and after a deposit or
/// a claim, in the same transaction, change nothing for the entrant or the leaver,
/// because every flow settles the same income first.
#[tokio::test]
async fn cranks_around_a_deposit_or_a_claim_change_nothing() {
    let mut shares = Vec::new();
    let mut paid = Vec::new();
    for sandwiched in [false, true] {
        let TrancheSetup { mut f, pool, junior_lp, .. } = tranche_setup(500, notes(300), notes(700)).await;
        f.advance(30 * 86_400).await;
        f.move_price(&pool, SOL, SOL_PRICE, EXPO).await;
        let deposit = pool.tranche_deposit_ix(&junior_lp, JUNIOR, notes(500));
        let ixs = if sandwiched {
            vec![
                pool.distribute_ix(),
                pool.check_coverage_ix(),
                deposit,
                pool.check_coverage_ix(),
                pool.refresh_ix(SOL),
            ]
        } else {
            vec![deposit]
        };
        let outcome = f.ok(&ixs, &[&junior_lp.owner]).await;
        let minted = decode::<TrancheDeposited>(&outcome.logs)[0].shares;
        shares.push(minted);
        f.ok(&[pool.request_redemption_ix(&junior_lp, JUNIOR, minted)], &[&junior_lp.owner]).await;
        f.wait_redemption_delay(&pool).await;
        let claim = pool.claim_redemption_ix(&junior_lp, JUNIOR, &[]);
        let ixs = if sandwiched { vec![pool.distribute_ix(), claim, pool.distribute_ix()] } else { vec![claim] };
        let outcome = f.ok(&ixs, &[&junior_lp.owner]).await;
        paid.push(decode::<RedemptionClaimed>(&outcome.logs)[0].notes);
    }
    assert_eq!(shares[0], shares[1], "the same shares with or without the cranks");
    assert!(paid[0].abs_diff(paid[1]) <= 1, "the same notes out: {paid:?}");
}

/// First depositor into an empty tranche after fees accrued with nobody holding it:
/// the waterfall's residual would have sat in the junior's NAV with no shares to own
/// it, and the first deposit's shares been priced over it (its share price jumping by
/// that income over one note unit), a gift of every fee accrued before. Income no
/// holder owns goes to the treasury instead: the first depositor pays par.
#[tokio::test]
async fn the_first_depositor_into_an_empty_tranche_does_not_collect_fees_accrued_before() {
    let TrancheSetup { mut f, pool, .. } = tranche_setup(500, 0, 0).await;
    let attacker = attacker(&mut f, &pool).await;
    f.advance(30 * 86_400).await;
    f.move_price(&pool, SOL, SOL_PRICE, EXPO).await;
    let owed_before = f.pool(&pool.key).await.protocol_fee_owed;
    let put_in = notes(1);
    let minted = notes(20); // above the pool's minimum debt
    f.ok(&[pool.mint_ix(&attacker, minted), pool.tranche_deposit_ix(&attacker, JUNIOR, put_in)], &[&attacker.owner])
        .await;
    // Par: 1,000 share units per note unit, and the tranche holds exactly what was put in.
    assert_eq!(shares_of(&mut f, &pool, &attacker, JUNIOR).await, put_in * 1_000);
    let junior = f.tranche(&pool, JUNIOR).await;
    assert_eq!(junior.assets, put_in);
    assert_eq!(notes_for(&mut f, &pool, JUNIOR, put_in * 1_000).await, u128::from(put_in));
    // The month of fees (on 6,500 notes of debt at 5%, about 26.7 notes) went to the treasury.
    let owed_after = f.pool(&pool.key).await.protocol_fee_owed;
    assert!(owed_after - owed_before > notes(26), "{owed_before} -> {owed_after}");
}
