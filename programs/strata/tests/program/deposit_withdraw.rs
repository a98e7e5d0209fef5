use strata::constants::pause;
use strata::events::{CollateralDeposited, CollateralWithdrawn};
use strata::StrataError;
use strata_testkit::events::decode;
use strata_testkit::pool::default_pool_params;
use strata_testkit::{ix, CollateralSpec, Signer};

use crate::support::*;

#[tokio::test]
async fn deposit_moves_tokens_into_the_vault_for_both_token_programs() {
    let (mut f, pool, user) = setup().await;
    for (index, amount) in [(SOL, sol(3)), (BILL, bill(250))] {
        let c = &pool.collaterals[usize::from(index)];
        let outcome = f.ok(&[pool.deposit_ix(&user, index, amount)], &[&user.owner]).await;
        assert_eq!(f.token_balance(&c.vault).await, amount);
        let position = f.position(&user.position).await;
        assert_eq!(position.collateral[usize::from(index)], amount);
        assert_eq!(f.pool(&pool.key).await.collaterals[usize::from(index)].total_deposited, amount);
        let event = &decode::<CollateralDeposited>(&outcome.logs)[0];
        assert_eq!(
            (event.collateral_index, event.amount, event.position_collateral, event.total_deposited),
            (index, amount, amount, amount)
        );
    }
    assert_eq!(f.token_balance(&user.tokens[0]).await, sol(97));
}

#[tokio::test]
async fn deposit_refuses_bad_input() {
    let (mut f, pool, user) = setup().await;
    let other = f.create_user(&pool, &[sol(5)]).await;

    f.expect_error(&[pool.deposit_ix(&user, SOL, 0)], &[&user.owner], StrataError::ZeroAmount).await;
    f.expect_error(&[pool.deposit_ix(&user, SOL, u64::MAX)], &[&user.owner], StrataError::InsufficientFunds).await;
    let unlisted = strata_testkit::ix::deposit(&pool.collateral_accounts(&user, SOL), 5, 1);
    f.expect_error(&[unlisted], &[&user.owner], StrataError::InvalidCollateralIndex).await;

    // Another owner's position (signed by the attacker, with their own tokens).
    let mut into_other = pool.deposit_ix(&other, SOL, 1);
    into_other.accounts[2].pubkey = user.position;
    f.expect_error(&[into_other], &[&other.owner], StrataError::NotPositionOwner).await;

    // The right owner but someone else's token account.
    let mut foreign_source = pool.deposit_ix(&user, SOL, 1);
    foreign_source.accounts[5].pubkey = other.tokens[0];
    f.expect_error(&[foreign_source], &[&user.owner], StrataError::TokenOwnerMismatch).await;
    // The owner's own account, of another mint (tBILL for a SOL deposit).
    let mut wrong_mint = pool.deposit_ix(&user, SOL, 1);
    wrong_mint.accounts[5].pubkey = user.tokens[1];
    f.expect_error(&[wrong_mint], &[&user.owner], StrataError::TokenMintMismatch).await;

    // The vault given as the source too: Anchor refuses duplicate mutable accounts.
    let mut vault_twice = pool.deposit_ix(&user, SOL, 1);
    vault_twice.accounts[5].pubkey = pool.collaterals[0].vault;
    f.expect_error(
        &[vault_twice],
        &[&user.owner],
        anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount as u32,
    )
    .await;

    // Accounts of the other collateral under this index.
    let mut wrong_vault = pool.deposit_ix(&user, SOL, 1);
    wrong_vault.accounts[4].pubkey = pool.collaterals[1].vault;
    f.expect_error(&[wrong_vault], &[&user.owner], StrataError::VaultMismatch).await;
    // The other collateral's mint (and the owner's account of it) under this index.
    let mut wrong_mint = pool.deposit_ix(&user, SOL, 1);
    wrong_mint.accounts[3].pubkey = pool.collaterals[1].mint;
    wrong_mint.accounts[5].pubkey = user.tokens[1];
    f.expect_error(&[wrong_mint], &[&user.owner], StrataError::CollateralMintMismatch).await;
    let mut wrong_program = pool.deposit_ix(&user, BILL, 1);
    wrong_program.accounts[6].pubkey = anchor_spl::token::ID;
    f.expect_error(&[wrong_program], &[&user.owner], StrataError::TokenProgramMismatch).await;

    // Paused.
    let authority = pool.authority.insecure_clone();
    f.ok(&[ix::set_pause_flags(&authority.pubkey(), &pool.key, pause::DEPOSIT)], &[&authority]).await;
    f.expect_error(&[pool.deposit_ix(&user, SOL, 1)], &[&user.owner], StrataError::Paused).await;
}

#[tokio::test]
async fn deposit_refuses_a_vault_or_position_of_another_pool() {
    let (mut f, pool, user) = setup().await;
    let other_pool = f.create_pool(default_pool_params(), &specs()).await;
    let stranger = f.create_user(&other_pool, &[sol(1)]).await;
    // This pool's position with the other pool's vault of the same asset class.
    let mut foreign_vault = pool.deposit_ix(&user, SOL, 1);
    foreign_vault.accounts[3].pubkey = other_pool.collaterals[0].mint;
    foreign_vault.accounts[4].pubkey = other_pool.collaterals[0].vault;
    foreign_vault.accounts[5].pubkey = stranger.tokens[0];
    f.expect_error(&[foreign_vault], &[&user.owner], StrataError::TokenOwnerMismatch).await;
    let mut foreign_vault = pool.deposit_ix(&user, SOL, 1);
    foreign_vault.accounts[4].pubkey = other_pool.collaterals[0].vault;
    f.expect_error(&[foreign_vault], &[&user.owner], StrataError::VaultMismatch).await;
    // The other pool's position under this pool.
    let mut foreign_position = other_pool.deposit_ix(&stranger, SOL, 1);
    foreign_position.accounts[1].pubkey = pool.key;
    f.expect_error(&[foreign_position], &[&stranger.owner], StrataError::PoolMismatch).await;
}

#[tokio::test]
async fn deposit_cap_is_enforced() {
    let mut f = strata_testkit::Fixture::new().await;
    let capped = CollateralSpec::legacy(9, SOL_PRICE, EXPO)
        .params(strata_testkit::pool::default_collateral_params().with(|p| p.deposit_cap = sol(5)));
    let pool = f.create_pool(default_pool_params(), &[capped]).await;
    let user = f.create_user(&pool, &[sol(10)]).await;
    f.ok(&[pool.deposit_ix(&user, 0, sol(5))], &[&user.owner]).await;
    f.expect_error(&[pool.deposit_ix(&user, 0, 1)], &[&user.owner], StrataError::DepositCapExceeded).await;
}

#[tokio::test]
async fn withdraw_without_debt_needs_no_price() {
    let (mut f, pool, user) = setup().await;
    f.ok(&[pool.deposit_ix(&user, SOL, sol(4))], &[&user.owner]).await;
    // No oracle was ever refreshed and an hour passes: withdrawing debt-free works.
    f.advance(3_600).await;
    let outcome = f.ok(&[pool.withdraw_ix(&user, SOL, sol(1))], &[&user.owner]).await;
    assert_eq!(f.position(&user.position).await.collateral[0], sol(3));
    assert_eq!(f.token_balance(&pool.collaterals[0].vault).await, sol(3));
    assert_eq!(f.token_balance(&user.tokens[0]).await, sol(97));
    let event = &decode::<CollateralWithdrawn>(&outcome.logs)[0];
    assert_eq!((event.amount, event.position_collateral, event.total_deposited), (sol(1), sol(3), sol(3)));
}

#[tokio::test]
async fn withdraw_keeps_the_position_healthy_at_the_conservative_price() {
    let (mut f, pool, user) = setup_deposited().await;
    // 10 SOL at $100, ltv 50%: borrowing power $500. Mint $400, so $800 of
    // collateral must stay: up to 2 SOL can leave.
    f.ok(&[pool.mint_ix(&user, notes(400))], &[&user.owner]).await;
    f.expect_error(
        &[pool.withdraw_ix(&user, SOL, sol(2) + 1)],
        &[&user.owner],
        StrataError::InsufficientCollateralValue,
    )
    .await;
    f.ok(&[pool.withdraw_ix(&user, SOL, sol(2))], &[&user.owner]).await;
    // With a stale price, nothing may leave while debt is outstanding.
    f.advance(61).await;
    f.expect_error(&[pool.withdraw_ix(&user, SOL, 1)], &[&user.owner], StrataError::StalePrice).await;
}

#[tokio::test]
async fn withdraw_refuses_bad_input() {
    let (mut f, pool, user) = setup_deposited().await;
    let other = f.create_user(&pool, &[sol(1)]).await;
    f.expect_error(&[pool.withdraw_ix(&user, SOL, 0)], &[&user.owner], StrataError::ZeroAmount).await;
    f.expect_error(&[pool.withdraw_ix(&user, SOL, sol(10) + 1)], &[&user.owner], StrataError::InsufficientCollateral)
        .await;
    f.expect_error(&[pool.withdraw_ix(&user, SOL, u64::MAX)], &[&user.owner], StrataError::InsufficientCollateral)
        .await;
    // Another owner tries to take this position's collateral to their account.
    let mut steal = pool.withdraw_ix(&other, SOL, 1);
    steal.accounts[2].pubkey = user.position;
    f.expect_error(&[steal], &[&other.owner], StrataError::NotPositionOwner).await;
    // A destination of another mint.
    let mut wrong_mint = pool.withdraw_ix(&user, SOL, 1);
    wrong_mint.accounts[5].pubkey = user.tokens[1];
    f.expect_error(&[wrong_mint], &[&user.owner], StrataError::TokenMintMismatch).await;
    // The vault as its own destination: Anchor refuses duplicate mutable accounts.
    let mut vault_twice = pool.withdraw_ix(&user, SOL, 1);
    vault_twice.accounts[5].pubkey = pool.collaterals[0].vault;
    f.expect_error(
        &[vault_twice],
        &[&user.owner],
        anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount as u32,
    )
    .await;
    let authority = pool.authority.insecure_clone();
    f.ok(&[ix::set_pause_flags(&authority.pubkey(), &pool.key, pause::WITHDRAW)], &[&authority]).await;
    f.expect_error(&[pool.withdraw_ix(&user, SOL, 1)], &[&user.owner], StrataError::Paused).await;
}

#[tokio::test]
async fn vault_balances_equal_the_sum_of_positions() {
    let (mut f, pool, user) = setup().await;
    let second = f.create_user(&pool, &[sol(50), bill(500)]).await;
    f.ok(&[pool.deposit_ix(&user, SOL, sol(7)), pool.deposit_ix(&user, BILL, bill(300))], &[&user.owner]).await;
    f.ok(&[pool.deposit_ix(&second, SOL, sol(11)), pool.deposit_ix(&second, BILL, bill(20))], &[&second.owner]).await;
    f.ok(&[pool.withdraw_ix(&user, BILL, bill(100)), pool.withdraw_ix(&user, SOL, sol(2))], &[&user.owner]).await;
    let state = f.pool(&pool.key).await;
    for index in [SOL, BILL] {
        let i = usize::from(index);
        let held = f.position(&user.position).await.collateral[i] + f.position(&second.position).await.collateral[i];
        assert_eq!(f.token_balance(&pool.collaterals[i].vault).await, held);
        assert_eq!(state.collaterals[i].total_deposited, held);
    }
}
