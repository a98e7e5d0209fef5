//! The redemption queue: request, claim after the pool's delay, cancel; its bad
//! inputs, each refused by name with nothing changed.

use strata::events::{RedemptionCancelled, RedemptionClaimed, RedemptionRequested};
use strata::StrataError;
use strata_testkit::events::decode;
use strata_testkit::pool::share_account;
use strata_testkit::{ix, Signer};

use crate::support::*;

#[tokio::test]
async fn a_request_escrows_the_shares_and_the_claim_pays_them_after_the_delay() {
    let TrancheSetup { mut f, pool, junior_lp, .. } = tranche_setup(0, notes(300), notes(700)).await;
    let holder_shares = share_account(&junior_lp.owner.pubkey(), &pool.tranches[1].share_mint);
    let all = f.token_balance(&holder_shares).await;
    let shares = all / 3;
    let outcome = f.ok(&[pool.request_redemption_ix(&junior_lp, JUNIOR, shares)], &[&junior_lp.owner]).await;
    let requested = &decode::<RedemptionRequested>(&outcome.logs)[0];
    assert_eq!((requested.shares, requested.escrowed_shares), (shares, shares));
    assert_eq!(requested.claimable_at, requested.requested_at + 600);
    assert_eq!(f.token_balance(&holder_shares).await, all - shares);
    assert_eq!(f.token_balance(&pool.tranches[1].share_escrow).await, shares);
    assert_eq!(f.tranche(&pool, JUNIOR).await.escrowed_shares, shares);
    let request = ix::TrancheAccounts { ..pool.tranche_accounts(&junior_lp, JUNIOR) }.request();
    let rent = f.account(&request).await.unwrap().lamports;

    f.wait_redemption_delay(&pool).await;
    let lamports_before = f.account(&junior_lp.owner.pubkey()).await.unwrap().lamports;
    let notes_before = f.token_balance(&junior_lp.notes).await;
    let outcome = f.ok(&[pool.claim_redemption_ix(&junior_lp, JUNIOR, &[])], &[&junior_lp.owner]).await;
    let claimed = &decode::<RedemptionClaimed>(&outcome.logs)[0];
    assert_eq!(claimed.shares, shares);
    assert_eq!(claimed.notes, notes(100));
    assert_eq!(claimed.share_price_wad, u128::from(notes(100)) * strata_core::WAD / u128::from(shares));
    assert_eq!(f.token_balance(&junior_lp.notes).await, notes_before + notes(100));
    assert_eq!(f.token_balance(&pool.tranches[1].share_escrow).await, 0);
    let tranche = f.tranche(&pool, JUNIOR).await;
    assert_eq!((tranche.escrowed_shares, tranche.total_shares), (0, all - shares));
    assert!(f.account(&request).await.is_none(), "the request is closed");
    let lamports_after = f.account(&junior_lp.owner.pubkey()).await.unwrap().lamports;
    assert_eq!(lamports_after, lamports_before + rent, "its rent returns to the holder");
}

#[tokio::test]
async fn a_cancel_returns_the_escrowed_shares() {
    let TrancheSetup { mut f, pool, junior_lp, .. } = tranche_setup(0, notes(300), notes(700)).await;
    let holder_shares = share_account(&junior_lp.owner.pubkey(), &pool.tranches[1].share_mint);
    let all = f.token_balance(&holder_shares).await;
    f.ok(&[pool.request_redemption_ix(&junior_lp, JUNIOR, all)], &[&junior_lp.owner]).await;
    let outcome = f.ok(&[pool.cancel_redemption_ix(&junior_lp, JUNIOR)], &[&junior_lp.owner]).await;
    assert_eq!(decode::<RedemptionCancelled>(&outcome.logs)[0].shares, all);
    assert_eq!(f.token_balance(&holder_shares).await, all);
    assert_eq!(f.tranche(&pool, JUNIOR).await.escrowed_shares, 0);
    // And the holder may queue again.
    f.ok(&[pool.request_redemption_ix(&junior_lp, JUNIOR, all / 2)], &[&junior_lp.owner]).await;
}

#[tokio::test]
async fn the_queue_refuses_bad_input() {
    let TrancheSetup { mut f, pool, junior_lp, senior_lp, .. } = tranche_setup(0, notes(300), notes(700)).await;
    let request = |user| pool.request_redemption_ix(user, JUNIOR, 1_000);
    f.expect_error(&[pool.request_redemption_ix(&junior_lp, JUNIOR, 0)], &[&junior_lp.owner], StrataError::ZeroAmount)
        .await;
    f.expect_error(
        &[pool.request_redemption_ix(&junior_lp, JUNIOR, u64::MAX)],
        &[&junior_lp.owner],
        StrataError::InsufficientShares,
    )
    .await;
    // No request yet: nothing to claim or cancel.
    f.expect_error(
        &[pool.claim_redemption_ix(&junior_lp, JUNIOR, &[])],
        &[&junior_lp.owner],
        StrataError::NoRedemptionRequest,
    )
    .await;
    f.expect_error(
        &[pool.cancel_redemption_ix(&junior_lp, JUNIOR)],
        &[&junior_lp.owner],
        StrataError::NoRedemptionRequest,
    )
    .await;
    f.ok(&[request(&junior_lp)], &[&junior_lp.owner]).await;
    f.expect_error(&[request(&junior_lp)], &[&junior_lp.owner], StrataError::RedemptionAlreadyRequested).await;
    // Claimed too early.
    f.expect_error(
        &[pool.claim_redemption_ix(&junior_lp, JUNIOR, &[])],
        &[&junior_lp.owner],
        StrataError::RedemptionNotReady,
    )
    .await;
    f.wait_redemption_delay(&pool).await;
    // Someone else's request, claimed or cancelled by another signer.
    let mut foreign_claim = pool.claim_redemption_ix(&senior_lp, JUNIOR, &[]);
    let junior_request = pool.tranche_accounts(&junior_lp, JUNIOR).request();
    foreign_claim.accounts[6].pubkey = junior_request;
    f.expect_error(&[foreign_claim], &[&senior_lp.owner], StrataError::NotRequestOwner).await;
    let mut foreign_cancel = pool.cancel_redemption_ix(&senior_lp, JUNIOR);
    foreign_cancel.accounts[5].pubkey = junior_request;
    f.expect_error(&[foreign_cancel], &[&senior_lp.owner], StrataError::NotRequestOwner).await;
    // Another account as the escrow.
    let mut wrong_escrow = pool.claim_redemption_ix(&junior_lp, JUNIOR, &[]);
    wrong_escrow.accounts[5].pubkey = pool.tranches[0].share_escrow;
    f.expect_error(&[wrong_escrow], &[&junior_lp.owner], StrataError::ShareEscrowMismatch).await;
    // Claimed once; a second claim, or a cancel after it, finds no request.
    f.ok(&[pool.claim_redemption_ix(&junior_lp, JUNIOR, &[])], &[&junior_lp.owner]).await;
    f.expect_error(
        &[pool.claim_redemption_ix(&junior_lp, JUNIOR, &[])],
        &[&junior_lp.owner],
        StrataError::NoRedemptionRequest,
    )
    .await;
    f.expect_error(
        &[pool.cancel_redemption_ix(&junior_lp, JUNIOR)],
        &[&junior_lp.owner],
        StrataError::NoRedemptionRequest,
    )
    .await;
}

#[tokio::test]
async fn the_redemption_delay_covers_every_oracle_age() {
    let (mut f, pool, _) = setup().await;
    let authority = pool.authority.insecure_clone();
    // Collaterals allow 60 s of staleness: the delay needs at least 120 s.
    let short = strata_testkit::pool::default_pool_params().with(|p| p.redemption_delay_secs = 119);
    f.expect_error(
        &[ix::update_pool(&authority.pubkey(), &pool.key, &pool.treasury, short)],
        &[&authority],
        StrataError::RedemptionDelayTooShort,
    )
    .await;
    let enough = strata_testkit::pool::default_pool_params().with(|p| p.redemption_delay_secs = 120);
    f.ok(&[ix::update_pool(&authority.pubkey(), &pool.key, &pool.treasury, enough)], &[&authority]).await;
    // Now no collateral may allow more than 60 s.
    let older = strata_testkit::pool::default_collateral_params().with(|p| p.max_age_secs = 61);
    f.expect_error(
        &[ix::update_collateral(&authority.pubkey(), &pool.key, SOL, older, None)],
        &[&authority],
        StrataError::RedemptionDelayTooShort,
    )
    .await;
}
