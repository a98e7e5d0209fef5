use strata::events::{PositionClosed, PositionOpened};
use strata::state::Position;
use strata::StrataError;
use strata_testkit::events::decode;
use strata_testkit::{ix, Signer};

use crate::support::*;

#[tokio::test]
async fn open_position_sets_owner_pool_and_keeper_offsets() {
    let (mut f, pool, _) = setup().await;
    let owner = f.funded_keypair(1_000_000_000).await;
    let outcome = f.ok(&[ix::open_position(&f.payer.pubkey(), &owner.pubkey(), &pool.key)], &[&owner]).await;
    let key = strata::pda::position(&pool.key, &owner.pubkey());
    let account = f.account(&key).await.unwrap();
    assert_eq!(account.data.len(), Position::SIZE);
    assert_eq!(Position::SIZE, 200);
    assert_eq!(&account.data[Position::POOL_OFFSET..Position::POOL_OFFSET + 32], pool.key.as_ref());
    assert_eq!(&account.data[Position::OWNER_OFFSET..Position::OWNER_OFFSET + 32], owner.pubkey().as_ref());
    assert_eq!(account.data[Position::HAS_DEBT_OFFSET], 0);
    let position = f.position(&key).await;
    assert!(position.is_empty());
    let event = &decode::<PositionOpened>(&outcome.logs)[0];
    assert_eq!((event.pool, event.position, event.owner), (pool.key, key, owner.pubkey()));
}

#[tokio::test]
async fn close_position_returns_rent_only_when_empty_and_only_to_its_owner() {
    let (mut f, pool, user) = setup().await;
    let other = f.create_user(&pool, &[sol(1)]).await;
    f.ok(&[pool.deposit_ix(&user, SOL, 1)], &[&user.owner]).await;
    f.expect_error(
        &[ix::close_position(&user.owner.pubkey(), &pool.key, &user.position)],
        &[&user.owner],
        StrataError::PositionNotEmpty,
    )
    .await;
    f.expect_error(
        &[ix::close_position(&other.owner.pubkey(), &pool.key, &user.position)],
        &[&other.owner],
        StrataError::NotPositionOwner,
    )
    .await;
    f.ok(&[pool.withdraw_ix(&user, SOL, 1)], &[&user.owner]).await;
    let rent = f.account(&user.position).await.unwrap().lamports;
    let before = f.account(&user.owner.pubkey()).await.unwrap().lamports;
    let outcome = f.ok(&[ix::close_position(&user.owner.pubkey(), &pool.key, &user.position)], &[&user.owner]).await;
    assert!(f.account(&user.position).await.is_none());
    assert_eq!(f.account(&user.owner.pubkey()).await.unwrap().lamports, before + rent);
    assert_eq!(decode::<PositionClosed>(&outcome.logs).len(), 1);
}

#[tokio::test]
async fn a_forged_position_of_the_right_size_is_refused() {
    let (mut f, pool, user) = setup().await;
    let mut account = f.account(&user.position).await.unwrap();
    account.data[0] ^= 0xff;
    let forged = strata_testkit::Pubkey::new_unique();
    f.set_account(&forged, account);
    let mut deposit = pool.deposit_ix(&user, SOL, 1);
    deposit.accounts[2].pubkey = forged;
    f.expect_error(&[deposit], &[&user.owner], anchor_lang::error::ErrorCode::AccountDiscriminatorMismatch as u32)
        .await;
}
