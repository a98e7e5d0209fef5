//! Closed permissioned pools: tranche shares reach only allowlisted wallets, whatever
//! token instruction moves them. Share mints are Token-2022 in every pool; a
//! permissioned pool's carry `DefaultAccountState = Frozen` with the pool PDA as
//! freeze authority, the program thaws only allowlisted wallets' associated share
//! accounts, and `disallow` freezes them again. These tests move shares with plain
//! Token-2022 instructions signed by the holders, as any wallet could.

use anchor_spl::token_2022::spl_token_2022::error::TokenError;
use anchor_spl::token_2022::spl_token_2022::extension::ExtensionType;
use anchor_spl::token_2022::spl_token_2022::instruction::{self as token_ix, AuthorityType};
use anchor_spl::token_2022::spl_token_2022::state::AccountState;
use strata::errors::StrataError;
use strata_testkit::pool::{default_pool_params, share_account};
use strata_testkit::tokens::{mint_extensions, unpack_mint, unpack_token_account};
use strata_testkit::{ix, Fixture, Instruction, Keypair, Pubkey, Signer, TestPool, TestUser};

use crate::support::{junior_params, notes, senior_params, sol, specs, JUNIOR, SENIOR, SOL};

const SHARE_TOKEN: Pubkey = anchor_spl::token_2022::ID;

/// A pool with a senior and a junior tranche and an allowlisted LP (when
/// `permissioned`) holding junior shares for 100 notes.
async fn pool_with_lp(permissioned: bool) -> (Fixture, TestPool, TestUser) {
    let mut f = Fixture::new().await;
    let mut pool = f.create_pool_with(default_pool_params(), &specs(), permissioned).await;
    f.add_tranches(&mut pool, &[senior_params(), junior_params()]).await;
    f.refresh_all(&pool).await;
    let lp = f.create_user(&pool, &[sol(100)]).await;
    f.open_share_accounts(&pool, &lp).await;
    f.ok(&[pool.deposit_ix(&lp, SOL, sol(100)), pool.mint_ix(&lp, notes(1_000))], &[&lp.owner]).await;
    f.ok(&[pool.tranche_deposit_ix(&lp, JUNIOR, notes(100))], &[&lp.owner]).await;
    (f, pool, lp)
}

fn share_mint(pool: &TestPool, index: u8) -> Pubkey {
    pool.tranches[usize::from(index)].share_mint
}

/// A plain Token-2022 `transfer_checked` of shares, signed by the holder.
fn transfer_shares(pool: &TestPool, index: u8, from: &Keypair, to: &Pubkey, amount: u64) -> Instruction {
    let mint = share_mint(pool, index);
    let source = share_account(&from.pubkey(), &mint);
    token_ix::transfer_checked(&SHARE_TOKEN, &source, &mint, to, &from.pubkey(), &[], amount, 9).expect("transfer")
}

async fn state_of(f: &mut Fixture, account: &Pubkey) -> AccountState {
    unpack_token_account(&f.account(account).await.expect("share account").data).state
}

/// Sends, expects the token program's `error`, and checks that nothing changed.
async fn expect_token_error(f: &mut Fixture, ixs: &[Instruction], signers: &[&Keypair], error: TokenError) {
    let keys: Vec<Pubkey> = ixs.iter().flat_map(|i| i.accounts.iter().map(|m| m.pubkey)).collect();
    let before = f.snapshot(&keys).await;
    let outcome = f.send(ixs, signers).await;
    assert_eq!(outcome.custom_error(), Some(error as u32), "{:?}\n{}", outcome.result, outcome.logs.join("\n"));
    assert!(before == f.snapshot(&keys).await, "an account changed although the transaction failed");
}

/// A funded wallet with its (frozen, in a permissioned pool) associated share account
/// of tranche `index`.
async fn wallet_with_share_account(f: &mut Fixture, pool: &TestPool, index: u8) -> (Keypair, Pubkey) {
    let wallet = f.funded_keypair(1_000_000_000).await;
    let account = f.create_ata(&share_mint(pool, index), &wallet.pubkey(), &SHARE_TOKEN).await;
    (wallet, account)
}

fn allow(f: &Fixture, pool: &TestPool, wallet: &Pubkey) -> Instruction {
    ix::allow(&f.payer.pubkey(), &pool.authority.pubkey(), &pool.key, wallet)
}

#[tokio::test]
async fn permissioned_share_mints_freeze_new_accounts_and_open_ones_do_not() {
    let (mut f, closed, lp) = pool_with_lp(true).await;
    for t in &closed.tranches {
        let mint = f.account(&t.share_mint).await.unwrap();
        assert_eq!(mint.owner, SHARE_TOKEN);
        assert_eq!(mint_extensions(&mint.data), vec![ExtensionType::DefaultAccountState]);
        let state = unpack_mint(&mint.data);
        assert_eq!(Option::<Pubkey>::from(state.freeze_authority), Some(closed.key));
        assert_eq!(Option::<Pubkey>::from(state.mint_authority), Some(closed.key));
        // The pool's own escrow is thawed at creation.
        assert_eq!(state_of(&mut f, &t.share_escrow).await, AccountState::Initialized);
    }
    // The LP's account was thawed by its deposit; a fresh one is born frozen.
    let lp_shares = share_account(&lp.owner.pubkey(), &share_mint(&closed, JUNIOR));
    assert_eq!(state_of(&mut f, &lp_shares).await, AccountState::Initialized);
    let (_, outsider) = wallet_with_share_account(&mut f, &closed, JUNIOR).await;
    assert_eq!(state_of(&mut f, &outsider).await, AccountState::Frozen);

    let (mut f, open, _) = pool_with_lp(false).await;
    let mint = f.account(&share_mint(&open, JUNIOR)).await.unwrap();
    assert_eq!(mint.owner, SHARE_TOKEN);
    assert!(mint_extensions(&mint.data).is_empty());
    assert_eq!(Option::<Pubkey>::from(unpack_mint(&mint.data).freeze_authority), None);
    let (_, fresh) = wallet_with_share_account(&mut f, &open, JUNIOR).await;
    assert_eq!(state_of(&mut f, &fresh).await, AccountState::Initialized);
}

#[tokio::test]
async fn shares_of_a_closed_pool_reach_only_allowlisted_wallets() {
    let (mut f, pool, lp) = pool_with_lp(true).await;
    let mint = share_mint(&pool, JUNIOR);
    let lp_shares = share_account(&lp.owner.pubkey(), &mint);
    let held = f.token_balance(&lp_shares).await;
    assert!(held > 0);

    // An outsider's account is frozen: a plain transfer to it fails.
    let (outsider, outsider_shares) = wallet_with_share_account(&mut f, &pool, JUNIOR).await;
    let to_outsider = transfer_shares(&pool, JUNIOR, &lp.owner, &outsider_shares, 1_000);
    expect_token_error(&mut f, &[to_outsider], &[&lp.owner], TokenError::AccountFrozen).await;
    // Nobody can thaw it while the outsider is not allowlisted.
    let thaw_outsider = ix::thaw_share_account(&pool.key, JUNIOR, &outsider.pubkey());
    f.expect_error(std::slice::from_ref(&thaw_outsider), &[], StrataError::NotAllowlisted).await;
    // Handing over the LP's thawed account instead: associated accounts' owners are
    // immutable.
    let hand_over = token_ix::set_authority(
        &SHARE_TOKEN,
        &lp_shares,
        Some(&outsider.pubkey()),
        AuthorityType::AccountOwner,
        &lp.owner.pubkey(),
        &[],
    )
    .unwrap();
    expect_token_error(&mut f, &[hand_over], &[&lp.owner], TokenError::ImmutableOwner).await;

    // Allowlisted, the outsider's account is thawed by anyone, and shares can move to it.
    let authority = pool.authority.insecure_clone();
    f.ok(&[allow(&f, &pool, &outsider.pubkey())], &[&authority]).await;
    f.ok(&[thaw_outsider], &[]).await;
    assert_eq!(state_of(&mut f, &outsider_shares).await, AccountState::Initialized);
    f.ok(&[transfer_shares(&pool, JUNIOR, &lp.owner, &outsider_shares, 1_000)], &[&lp.owner]).await;
    assert_eq!(f.token_balance(&outsider_shares).await, 1_000);

    // Disallowed again, its accounts are frozen: the shares can neither leave nor
    // arrive. The accounts must be the wallet's associated ones, one per tranche.
    let disallow = |tranche_count| {
        ix::disallow(&authority.pubkey(), &pool.key, &outsider.pubkey(), &authority.pubkey(), tranche_count)
    };
    f.expect_error(&[disallow(1)], &[&authority], StrataError::InvalidFreezeAccounts).await;
    let mut someone_elses = disallow(2);
    let last = someone_elses.accounts.len() - 1;
    someone_elses.accounts[last].pubkey = lp_shares;
    f.expect_error(&[someone_elses], &[&authority], StrataError::NotAssociatedShareAccount).await;
    let mut swapped = disallow(2);
    swapped.accounts.swap(5, 8);
    f.expect_error(&[swapped], &[&authority], StrataError::TrancheOutOfOrder).await;
    // The senior account does not exist yet: skipped (it will be born frozen).
    f.ok(&[disallow(2)], &[&authority]).await;
    assert_eq!(state_of(&mut f, &outsider_shares).await, AccountState::Frozen);
    let back = transfer_shares(&pool, JUNIOR, &outsider, &lp_shares, 1_000);
    expect_token_error(&mut f, &[back], &[&outsider], TokenError::AccountFrozen).await;
    let more = transfer_shares(&pool, JUNIOR, &lp.owner, &outsider_shares, 1_000);
    expect_token_error(&mut f, &[more], &[&lp.owner], TokenError::AccountFrozen).await;
    let thaw_again = ix::thaw_share_account(&pool.key, JUNIOR, &outsider.pubkey());
    f.expect_error(&[thaw_again], &[], StrataError::NotAllowlisted).await;
}

#[tokio::test]
async fn a_closed_pool_thaws_only_associated_accounts() {
    let (mut f, pool, lp) = pool_with_lp(true).await;
    let mint = share_mint(&pool, JUNIOR);
    // A second, non-associated share account of the allowlisted LP (its owner could be
    // changed once thawed): born frozen, never thawed, never deposited into.
    let extra = f.create_token_account(&mint, &lp.owner.pubkey(), &SHARE_TOKEN).await;
    assert_eq!(state_of(&mut f, &extra).await, AccountState::Frozen);
    let mut thaw = ix::thaw_share_account(&pool.key, JUNIOR, &lp.owner.pubkey());
    thaw.accounts[3].pubkey = extra;
    f.expect_error(&[thaw], &[], StrataError::NotAssociatedShareAccount).await;
    let mut accounts = pool.tranche_accounts(&lp, JUNIOR);
    accounts.shares = extra;
    let deposit = ix::tranche_deposit(&accounts, notes(10), &pool.tranche_metas(Some(JUNIOR)));
    f.expect_error(&[deposit], &[&lp.owner], StrataError::NotAssociatedShareAccount).await;
}

#[tokio::test]
async fn a_disallowed_holder_gets_queued_shares_back_only_once_allowed_again() {
    let (mut f, pool, lp) = pool_with_lp(true).await;
    let authority = pool.authority.insecure_clone();
    let wallet = lp.owner.pubkey();
    let lp_shares = share_account(&wallet, &share_mint(&pool, JUNIOR));
    let held = f.token_balance(&lp_shares).await;
    f.ok(&[pool.request_redemption_ix(&lp, JUNIOR, held / 2)], &[&lp.owner]).await;
    f.ok(&[ix::disallow(&authority.pubkey(), &pool.key, &wallet, &authority.pubkey(), 2)], &[&authority]).await;
    // Cancelling would return shares into a frozen account: refused by name.
    f.expect_error(&[pool.cancel_redemption_ix(&lp, JUNIOR)], &[&lp.owner], StrataError::ShareAccountFrozen).await;
    // Allowed again, the account stays frozen until anyone thaws it; then the cancel
    // goes through.
    f.ok(&[allow(&f, &pool, &wallet)], &[&authority]).await;
    assert_eq!(state_of(&mut f, &lp_shares).await, AccountState::Frozen);
    f.ok(&[ix::thaw_share_account(&pool.key, JUNIOR, &wallet)], &[]).await;
    f.ok(&[pool.cancel_redemption_ix(&lp, JUNIOR)], &[&lp.owner]).await;
    assert_eq!(f.token_balance(&lp_shares).await, held);
    // A redemption request thaws the allowlisted holder's own account itself.
    f.ok(&[ix::disallow(&authority.pubkey(), &pool.key, &wallet, &authority.pubkey(), 2)], &[&authority]).await;
    f.ok(&[allow(&f, &pool, &wallet)], &[&authority]).await;
    f.ok(&[pool.request_redemption_ix(&lp, JUNIOR, held)], &[&lp.owner]).await;
    assert_eq!(f.token_balance(&lp_shares).await, 0);
}

#[tokio::test]
async fn open_pools_keep_freely_transferable_shares() {
    let (mut f, pool, lp) = pool_with_lp(false).await;
    let (_, anyone) = wallet_with_share_account(&mut f, &pool, JUNIOR).await;
    f.ok(&[transfer_shares(&pool, JUNIOR, &lp.owner, &anyone, 1_000)], &[&lp.owner]).await;
    assert_eq!(f.token_balance(&anyone).await, 1_000);
    // Nothing to thaw or freeze in an open pool.
    let thaw = ix::thaw_share_account(&pool.key, SENIOR, &lp.owner.pubkey());
    f.expect_error(&[thaw], &[], StrataError::NotPermissioned).await;
    let authority = pool.authority.insecure_clone();
    f.ok(&[allow(&f, &pool, &lp.owner.pubkey())], &[&authority]).await;
    let freeze = ix::disallow(&authority.pubkey(), &pool.key, &lp.owner.pubkey(), &authority.pubkey(), 2);
    f.expect_error(&[freeze], &[&authority], StrataError::InvalidFreezeAccounts).await;
}
