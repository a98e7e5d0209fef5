use strata::constants::pause;
use strata::events::{
    CoverageChecked, IncomeDistributed, RedemptionClaimed, TrancheDeposited, TrancheInitialized, TrancheUpdated,
};
use strata::state::{mode, TrancheParams};
use strata::StrataError;
use strata_testkit::events::decode;
use strata_testkit::pool::{default_pool_params, share_account};
use strata_testkit::tokens::unpack_mint;
use strata_testkit::{ix, Fixture, Signer};

use crate::support::*;

#[tokio::test]
async fn init_tranche_creates_the_tranche_its_share_mint_and_vault() {
    let (mut f, mut pool, _) = setup().await;
    let authority = pool.authority.insecure_clone();
    let init = ix::init_tranche(&f.payer.pubkey(), &authority.pubkey(), &pool.key, &pool.note_mint, 0, senior_params());
    let outcome = f.ok(&[init], &[&authority]).await;
    let key = strata::pda::tranche(&pool.key, 0);
    pool.tranches.push(strata_testkit::pool::TestTranche {
        index: 0,
        key,
        share_mint: strata::pda::share_mint(&key),
        vault: strata::pda::tranche_vault(&key),
        share_escrow: strata::pda::share_escrow(&key),
    });
    let tranche = f.tranche(&pool, 0).await;
    assert_eq!((tranche.index, tranche.pool, tranche.assets, tranche.total_shares), (0, pool.key, 0, 0));
    assert_eq!((tranche.target_apr_bps, tranche.min_subordination_bps), (1_000, 2_000));
    let mint = unpack_mint(&f.account(&tranche.share_mint).await.unwrap().data);
    assert_eq!(mint.decimals, 9);
    assert_eq!(Option::<strata_testkit::Pubkey>::from(mint.mint_authority), Some(pool.key));
    let vault = strata_testkit::tokens::unpack_token_account(&f.account(&tranche.vault).await.unwrap().data);
    assert_eq!((vault.mint, vault.owner), (pool.note_mint, pool.key));
    assert_eq!(f.pool(&pool.key).await.tranche_count, 1);
    assert_eq!(decode::<TrancheInitialized>(&outcome.logs)[0].tranche, key);
}

#[tokio::test]
async fn init_tranche_refuses_bad_input() {
    let (mut f, mut pool, _) = setup().await;
    let authority = pool.authority.insecure_clone();
    let intruder = f.funded_keypair(1_000_000_000).await;
    let (payer, key, note_mint) = (f.payer.pubkey(), pool.key, pool.note_mint);
    let init = |index, params, signer: &strata_testkit::Keypair| {
        ix::init_tranche(&payer, &signer.pubkey(), &key, &note_mint, index, params)
    };
    f.expect_error(&[init(0, senior_params(), &intruder)], &[&intruder], StrataError::Unauthorized).await;
    f.expect_error(&[init(1, senior_params(), &authority)], &[&authority], StrataError::InvalidTrancheIndex).await;
    let bad = TrancheParams { target_apr_bps: 5_001, min_subordination_bps: 0 };
    f.expect_error(&[init(0, bad, &authority)], &[&authority], StrataError::InvalidTrancheParams).await;
    f.add_tranches(&mut pool, &[senior_params(), junior_params(), junior_params(), junior_params()]).await;
    f.expect_error(&[init(4, junior_params(), &authority)], &[&authority], StrataError::TooManyTranches).await;
    f.expect_error(&[init(0, junior_params(), &authority)], &[&authority], StrataError::TooManyTranches).await;
}

#[tokio::test]
async fn update_tranche_replaces_its_parameters() {
    let TrancheSetup { mut f, pool, .. } = tranche_setup(500, 300, 700).await;
    let authority = pool.authority.insecure_clone();
    let new = TrancheParams { target_apr_bps: 800, min_subordination_bps: 1_500 };
    let outcome = f.ok(&[ix::update_tranche(&authority.pubkey(), &pool.key, SENIOR, new)], &[&authority]).await;
    let tranche = f.tranche(&pool, SENIOR).await;
    assert_eq!((tranche.target_apr_bps, tranche.min_subordination_bps), (800, 1_500));
    let event = &decode::<TrancheUpdated>(&outcome.logs)[0];
    assert_eq!((event.old, event.new), (senior_params(), new));
    let intruder = f.funded_keypair(1_000_000_000).await;
    f.expect_error(
        &[ix::update_tranche(&intruder.pubkey(), &pool.key, SENIOR, new)],
        &[&intruder],
        StrataError::Unauthorized,
    )
    .await;
    let bad = TrancheParams { target_apr_bps: 0, min_subordination_bps: 9_600 };
    f.expect_error(
        &[ix::update_tranche(&authority.pubkey(), &pool.key, SENIOR, bad)],
        &[&authority],
        StrataError::InvalidTrancheParams,
    )
    .await;
}

#[tokio::test]
async fn deposits_mint_shares_and_redemptions_redeem_them() {
    let TrancheSetup { mut f, pool, junior_lp, .. } = tranche_setup(500, 0, 0).await;
    let outcome = f.ok(&[pool.tranche_deposit_ix(&junior_lp, JUNIOR, notes(300))], &[&junior_lp.owner]).await;
    let event = &decode::<TrancheDeposited>(&outcome.logs)[0];
    // The first deposit: 1,000 shares per native note unit.
    assert_eq!((event.amount, event.shares, event.assets), (notes(300), notes(300) * 1_000, notes(300)));
    let shares = share_account(&junior_lp.owner.pubkey(), &pool.tranches[1].share_mint);
    assert_eq!(f.token_balance(&shares).await, notes(300) * 1_000);
    assert_eq!(f.token_balance(&pool.tranches[1].vault).await, notes(300));
    let before = f.token_balance(&junior_lp.notes).await;
    let outcome = f.redeem(&pool, &junior_lp, JUNIOR, notes(100) * 1_000, &[]).await;
    let event = &decode::<RedemptionClaimed>(&outcome.logs)[0];
    // A third of the tranche: a third of its notes, including the income the claim
    // settled first (fees of the redemption delay, all the junior's: no senior).
    let income = decode::<IncomeDistributed>(&outcome.logs)[0].yielded[JUNIOR as usize];
    assert!(income > 0);
    // shares × (assets + 1) / (total shares + 1,000), rounded down.
    let assets = u128::from(notes(300) + income);
    assert_eq!(
        u128::from(event.notes),
        u128::from(notes(100)) * 1_000 * (assets + 1) / (u128::from(notes(300)) * 1_000 + 1_000)
    );
    assert_eq!(f.token_balance(&junior_lp.notes).await, before + event.notes);
    assert_eq!(f.tranche(&pool, JUNIOR).await.assets, notes(300) + income - event.notes);
}

#[tokio::test]
async fn a_donation_to_the_vault_cannot_inflate_the_share_price() {
    let TrancheSetup { mut f, pool, junior_lp, senior_lp: victim, .. } = tranche_setup(500, 0, 0).await;
    // The attacker deposits one unit, then sends notes straight to the vault.
    f.ok(&[pool.tranche_deposit_ix(&junior_lp, JUNIOR, 1)], &[&junior_lp.owner]).await;
    let vault = pool.tranches[1].vault;
    f.transfer_tokens(&pool.note_mint, &junior_lp.notes, &vault, &junior_lp.owner, notes(1_000)).await;
    // The victim is priced on tracked assets: 1,000 shares per unit, as if no
    // donation happened, and can take back what it put in.
    let outcome = f.ok(&[pool.tranche_deposit_ix(&victim, JUNIOR, notes(500))], &[&victim.owner]).await;
    let shares = decode::<TrancheDeposited>(&outcome.logs)[0].shares;
    assert_eq!(shares, notes(500) * 1_000);
    let outcome = f.redeem(&pool, &victim, JUNIOR, shares, &[]).await;
    assert!(decode::<RedemptionClaimed>(&outcome.logs)[0].notes >= notes(500) - 1);
}

#[tokio::test]
async fn subordination_guards_senior_deposits_and_junior_withdrawals() {
    let TrancheSetup { mut f, pool, junior_lp, senior_lp, .. } = tranche_setup(0, notes(200), 0).await;
    // Junior 200 of 1,001 total would be 19.98% < 20%.
    f.expect_error(
        &[pool.tranche_deposit_ix(&senior_lp, SENIOR, notes(801))],
        &[&senior_lp.owner],
        StrataError::SubordinationBreached,
    )
    .await;
    f.ok(&[pool.tranche_deposit_ix(&senior_lp, SENIOR, notes(800))], &[&senior_lp.owner]).await;
    // The junior cannot leave from beneath the senior: its claim is refused and stays
    // queued.
    let shares = 1_000; // one native unit's worth
    f.ok(&[pool.request_redemption_ix(&junior_lp, JUNIOR, shares * 10)], &[&junior_lp.owner]).await;
    f.wait_redemption_delay(&pool).await;
    f.expect_error(
        &[pool.claim_redemption_ix(&junior_lp, JUNIOR, &[])],
        &[&junior_lp.owner],
        StrataError::SubordinationBreached,
    )
    .await;
    // The senior may leave; then the junior's claim goes through.
    let senior_shares = f.tranche(&pool, SENIOR).await.total_shares;
    f.redeem(&pool, &senior_lp, SENIOR, senior_shares, &[]).await;
    f.ok(&[pool.claim_redemption_ix(&junior_lp, JUNIOR, &[])], &[&junior_lp.owner]).await;
}

/// Once every senior share is redeemed, the rounding dust left in the senior tranche
/// belongs to no one: it protects no one, so the last junior holder may leave too.
#[tokio::test]
async fn the_last_junior_may_leave_once_no_senior_share_remains() {
    let TrancheSetup { mut f, pool, junior_lp, senior_lp, .. } = tranche_setup(100, notes(300), notes(700)).await;
    f.advance(YEAR).await;
    f.move_price(&pool, SOL, SOL_PRICE, EXPO).await;
    f.ok(&[pool.distribute_ix()], &[]).await;
    let senior_shares = f.tranche(&pool, SENIOR).await.total_shares;
    f.redeem(&pool, &senior_lp, SENIOR, senior_shares, &[]).await;
    let senior = f.tranche(&pool, SENIOR).await;
    assert_eq!(senior.total_shares, 0);
    assert!(senior.assets > 0, "the yield leaves rounding dust in the senior");
    let junior_shares = f.tranche(&pool, JUNIOR).await.total_shares;
    f.redeem(&pool, &junior_lp, JUNIOR, junior_shares, &[]).await;
    let junior = f.tranche(&pool, JUNIOR).await;
    assert_eq!(junior.total_shares, 0, "the last junior holder left");
    // Redemptions round down: at most a native unit of dust stays, owned by no one.
    assert!(junior.assets <= 1, "{} notes left behind", junior.assets);
}

#[tokio::test]
async fn tranche_flows_refuse_bad_input() {
    let TrancheSetup { mut f, pool, junior_lp, keeper, .. } = tranche_setup(500, notes(300), notes(700)).await;
    f.expect_error(&[pool.tranche_deposit_ix(&junior_lp, JUNIOR, 0)], &[&junior_lp.owner], StrataError::ZeroAmount)
        .await;
    f.expect_error(
        &[pool.tranche_deposit_ix(&junior_lp, JUNIOR, u64::MAX)],
        &[&junior_lp.owner],
        StrataError::InsufficientFunds,
    )
    .await;
    // Someone else's notes.
    let mut foreign = pool.tranche_deposit_ix(&keeper, JUNIOR, 1);
    foreign.accounts[6].pubkey = junior_lp.notes;
    f.expect_error(&[foreign], &[&keeper.owner], StrataError::TokenOwnerMismatch).await;
    // Without the other tranche accounts the subordination cannot be checked.
    let mut bare = pool.tranche_deposit_ix(&junior_lp, JUNIOR, notes(1));
    bare.accounts.truncate(bare.accounts.len() - 1);
    f.expect_error(&[bare], &[&junior_lp.owner], StrataError::MissingTrancheAccounts).await;
    // Senior shares into the junior tranche.
    let mut wrong_mint = pool.tranche_deposit_ix(&junior_lp, JUNIOR, notes(1));
    wrong_mint.accounts[7].pubkey = share_account(&junior_lp.owner.pubkey(), &pool.tranches[0].share_mint);
    f.expect_error(&[wrong_mint], &[&junior_lp.owner], StrataError::ShareMintMismatch).await;
    let authority = pool.authority.insecure_clone();
    f.ok(&[ix::set_pause_flags(&authority.pubkey(), &pool.key, pause::TRANCHE)], &[&authority]).await;
    f.expect_error(&[pool.tranche_deposit_ix(&junior_lp, JUNIOR, notes(1))], &[&junior_lp.owner], StrataError::Paused)
        .await;
    for flow in [
        pool.request_redemption_ix(&junior_lp, JUNIOR, 1_000),
        pool.claim_redemption_ix(&junior_lp, JUNIOR, &[]),
        pool.cancel_redemption_ix(&junior_lp, JUNIOR),
    ] {
        f.expect_error(&[flow], &[&junior_lp.owner], StrataError::Paused).await;
    }
    f.expect_error(&[pool.distribute_ix()], &[], StrataError::Paused).await;
}

/// Fees below the senior's target all go to the senior.
#[tokio::test]
async fn income_below_the_senior_target_goes_to_the_senior() {
    // Total debt 6,500 at 1%: 65 notes a year; 90% of it (58.5) is below the
    // senior's 10% on 700 (70).
    let TrancheSetup { mut f, pool, .. } = tranche_setup(100, notes(300), notes(700)).await;
    f.advance(YEAR).await;
    f.move_price(&pool, SOL, SOL_PRICE, EXPO).await;
    let treasury_before = f.token_balance(&pool.treasury).await;
    let outcome = f.ok(&[pool.distribute_ix()], &[]).await;
    let event = &decode::<IncomeDistributed>(&outcome.logs)[0];
    assert!(event.fees > 0);
    assert_eq!(event.protocol_fee, (event.fees * 1_000).div_ceil(10_000));
    assert_eq!(event.yielded[0], event.fees - event.protocol_fee);
    assert_eq!(event.yielded[1], 0);
    assert!(event.yielded[0] < notes(70));
    assert_eq!(f.token_balance(&pool.treasury).await, treasury_before + event.protocol_fee);
    assert_eq!(f.tranche(&pool, SENIOR).await.assets, notes(700) + event.yielded[0]);
    assert_eq!(f.pool(&pool.key).await.pending_fees, 0);
}

/// Fees above the senior's target: the senior gets exactly its target, the junior the rest.
#[tokio::test]
async fn income_above_the_senior_target_goes_to_the_junior() {
    let TrancheSetup { mut f, pool, borrower, junior_lp, senior_lp, .. } =
        tranche_setup(500, notes(300), notes(700)).await;
    f.advance(YEAR).await;
    f.move_price(&pool, SOL, SOL_PRICE, EXPO).await;
    let outcome = f.ok(&[pool.distribute_ix()], &[]).await;
    let event = &decode::<IncomeDistributed>(&outcome.logs)[0];
    // 10% of 700 over one year compounded per second, 700 × (e^0.1 − 1) = 73.6196
    // (plus the seconds of the set-up transactions).
    assert!(event.yielded[0] >= 73_619_000 && event.yielded[0] < 73_630_000, "senior {}", event.yielded[0]);
    assert_eq!(event.yielded[1], event.fees - event.protocol_fee - event.yielded[0]);
    assert!(event.yielded[1] > event.yielded[0]);
    let positions = [borrower.position, junior_lp.position, senior_lp.position];
    assert_books_balance(&mut f, &pool, &positions).await;
}

#[tokio::test]
async fn the_coverage_test_enters_and_leaves_turbo() {
    // Floor 10% (the default). Junior 200 of 1,000; the senior's subordination is
    // relaxed to 5% so that the junior can shrink to 80 of 880 (9.09%).
    let TrancheSetup { mut f, pool, borrower, junior_lp, .. } = tranche_setup(500, notes(200), notes(800)).await;
    let authority = pool.authority.insecure_clone();
    let relaxed = TrancheParams { target_apr_bps: 1_000, min_subordination_bps: 500 };
    f.ok(&[ix::update_tranche(&authority.pubkey(), &pool.key, SENIOR, relaxed)], &[&authority]).await;
    let junior_shares = f.tranche(&pool, JUNIOR).await.total_shares * 6 / 10;
    f.redeem(&pool, &junior_lp, JUNIOR, junior_shares, &[]).await;
    let outcome = f.ok(&[pool.check_coverage_ix()], &[]).await;
    let event = &decode::<CoverageChecked>(&outcome.logs)[0];
    assert!(event.coverage_bps < 1_000, "coverage {}", event.coverage_bps);
    assert_eq!((event.old_mode, event.new_mode), (mode::NORMAL, mode::TURBO));
    // In Turbo no notes are minted, and all income goes to the senior.
    f.expect_error(&[pool.mint_ix(&borrower, notes(10))], &[&borrower.owner], StrataError::TurboMode).await;
    f.advance(30 * 86_400).await;
    f.move_price(&pool, SOL, SOL_PRICE, EXPO).await;
    let outcome = f.ok(&[pool.distribute_ix()], &[]).await;
    let income = &decode::<IncomeDistributed>(&outcome.logs)[0];
    assert!(income.turbo && income.yielded[1] == 0 && income.yielded[0] == income.fees - income.protocol_fee);
    // The junior tops up and the test passes again.
    f.ok(&[pool.tranche_deposit_ix(&junior_lp, JUNIOR, notes(200))], &[&junior_lp.owner]).await;
    let outcome = f.ok(&[pool.check_coverage_ix()], &[]).await;
    assert_eq!(decode::<CoverageChecked>(&outcome.logs)[0].new_mode, mode::NORMAL);
    f.ok(&[pool.mint_ix(&junior_lp, notes(10))], &[&junior_lp.owner]).await;
}

#[tokio::test]
async fn a_permissioned_pool_requires_an_allowlist_entry() {
    let mut f = Fixture::new().await;
    let authority = f.funded_keypair(1_000_000_000).await;
    let init = ix::init_pool_with(
        &f.payer.pubkey(),
        &authority.pubkey(),
        &strata_testkit::Pubkey::new_unique(),
        3,
        default_pool_params(),
        true,
    );
    f.ok(&[init], &[&authority]).await;
    let pool = strata::pda::pool(&authority.pubkey(), 3);
    assert_eq!(f.pool(&pool).await.permissioned, 1);
    let wallet = f.funded_keypair(1_000_000_000).await;
    let open = ix::open_position(&f.payer.pubkey(), &wallet.pubkey(), &pool);
    f.expect_error(&[open], &[&wallet], StrataError::NotAllowlisted).await;
    // Someone else's entry does not help.
    let other = strata_testkit::Pubkey::new_unique();
    f.ok(&[ix::allow(&f.payer.pubkey(), &authority.pubkey(), &pool, &other)], &[&authority]).await;
    let borrowed = ix::open_position_with(
        &f.payer.pubkey(),
        &wallet.pubkey(),
        &pool,
        Some(strata::pda::allowlist_entry(&pool, &other)),
    );
    f.expect_error(&[borrowed], &[&wallet], StrataError::NotAllowlisted).await;
    // Only the authority allows; then the wallet opens its position.
    f.expect_error(
        &[ix::allow(&f.payer.pubkey(), &wallet.pubkey(), &pool, &wallet.pubkey())],
        &[&wallet],
        StrataError::Unauthorized,
    )
    .await;
    f.ok(&[ix::allow(&f.payer.pubkey(), &authority.pubkey(), &pool, &wallet.pubkey())], &[&authority]).await;
    f.expect_error(
        &[ix::allow(&f.payer.pubkey(), &authority.pubkey(), &pool, &wallet.pubkey())],
        &[&authority],
        StrataError::AlreadyInitialized,
    )
    .await;
    let allowed = ix::open_position_with(
        &f.payer.pubkey(),
        &wallet.pubkey(),
        &pool,
        Some(strata::pda::allowlist_entry(&pool, &wallet.pubkey())),
    );
    f.ok(&[allowed], &[&wallet]).await;
    // Disallowing closes the entry.
    let entry = strata::pda::allowlist_entry(&pool, &wallet.pubkey());
    f.ok(&[ix::disallow(&authority.pubkey(), &pool, &wallet.pubkey(), &authority.pubkey(), 0)], &[&authority]).await;
    assert!(f.account(&entry).await.is_none());
}

#[tokio::test]
async fn permissioned_tranche_shares_need_an_allowlist_entry() {
    let mut f = Fixture::new().await;
    let authority = f.funded_keypair(10_000_000_000).await;
    let treasury_owner = strata_testkit::Pubkey::new_unique();
    f.ok(
        &[ix::init_pool_with(&f.payer.pubkey(), &authority.pubkey(), &treasury_owner, 7, default_pool_params(), true)],
        &[&authority],
    )
    .await;
    // Build a TestPool around it: list SOL, add tranches, allow one LP.
    let key = strata::pda::pool(&authority.pubkey(), 7);
    let mut pool = strata_testkit::TestPool {
        key,
        pool_id: 7,
        authority: authority.insecure_clone(),
        note_mint: strata::pda::note_mint(&key),
        treasury: ix::treasury_address(&key, &treasury_owner),
        collaterals: Vec::new(),
        tranches: Vec::new(),
        permissioned: true,
    };
    let (sol_c, add) = f.prepare_collateral(&pool, &specs()[0]).await;
    f.ok(&[add], &[&authority]).await;
    pool.collaterals.push(sol_c);
    f.add_tranches(&mut pool, &[junior_params()]).await;
    f.refresh_all(&pool).await;
    let lp = f.funded_keypair(1_000_000_000).await;
    f.ok(&[ix::allow(&f.payer.pubkey(), &authority.pubkey(), &key, &lp.pubkey())], &[&authority]).await;
    let entry = Some(strata::pda::allowlist_entry(&key, &lp.pubkey()));
    let position = strata::pda::position(&key, &lp.pubkey());
    f.ok(&[ix::open_position_with(&f.payer.pubkey(), &lp.pubkey(), &key, entry)], &[&lp]).await;
    let sol_tokens = f.create_ata(&pool.collaterals[0].mint, &lp.pubkey(), &anchor_spl::token::ID).await;
    let mint_authority = pool.collaterals[0].mint_authority.insecure_clone();
    f.mint_to(&pool.collaterals[0].mint, &sol_tokens, &mint_authority, sol(10)).await;
    let notes_account = f.create_ata(&pool.note_mint, &lp.pubkey(), &anchor_spl::token::ID).await;
    let user = strata_testkit::TestUser {
        owner: lp.insecure_clone(),
        position,
        tokens: vec![sol_tokens],
        notes: notes_account,
    };
    f.open_share_accounts(&pool, &user).await;
    f.ok(&[pool.deposit_ix(&user, SOL, sol(10)), pool.mint_ix(&user, notes(100))], &[&lp]).await;
    // Without presenting the entry: refused. With it: shares.
    let mut accounts = pool.tranche_accounts(&user, 0);
    accounts.allowlist_entry = None;
    f.expect_error(&[ix::tranche_deposit(&accounts, notes(50), &[])], &[&lp], StrataError::NotAllowlisted).await;
    accounts.allowlist_entry = entry;
    f.ok(&[ix::tranche_deposit(&accounts, notes(50), &[])], &[&lp]).await;
    // After being disallowed, the holder cannot queue, claim (or add) shares.
    f.ok(&[ix::request_redemption(&accounts, 1_000)], &[&lp]).await;
    f.wait_redemption_delay(&pool).await;
    f.ok(&[ix::disallow(&authority.pubkey(), &key, &lp.pubkey(), &authority.pubkey(), 1)], &[&authority]).await;
    accounts.allowlist_entry = None;
    f.expect_error(&[ix::claim_redemption(&accounts, &[])], &[&lp], StrataError::NotAllowlisted).await;
    f.expect_error(&[ix::request_redemption(&accounts, 1_000)], &[&lp], StrataError::NotAllowlisted).await;
}

#[tokio::test]
async fn cranks_refuse_wrong_accounts() {
    let TrancheSetup { mut f, pool, junior_lp, .. } = tranche_setup(500, notes(300), notes(700)).await;
    f.advance(86_400).await;
    f.move_price(&pool, SOL, SOL_PRICE, EXPO).await;
    // A treasury that is not the pool's.
    let mut wrong_treasury = pool.distribute_ix();
    wrong_treasury.accounts[2].pubkey = junior_lp.notes;
    f.expect_error(&[wrong_treasury], &[], StrataError::TreasuryMismatch).await;
    // Tranches out of order, a vault swapped, tranches missing.
    let mut swapped = pool.distribute_ix();
    let (a, b) = (swapped.accounts[4].clone(), swapped.accounts[6].clone());
    swapped.accounts[4] = b;
    swapped.accounts[6] = a;
    f.expect_error(&[swapped], &[], StrataError::TrancheOutOfOrder).await;
    let mut wrong_vault = pool.distribute_ix();
    wrong_vault.accounts[5].pubkey = pool.tranches[1].vault;
    f.expect_error(&[wrong_vault], &[], StrataError::TrancheVaultMismatch).await;
    // Something that is not a tranche where a tranche belongs.
    let mut not_a_tranche = pool.distribute_ix();
    not_a_tranche.accounts[4].pubkey = pool.key;
    f.expect_error(&[not_a_tranche], &[], StrataError::NotATranche).await;
    let mut missing = pool.check_coverage_ix();
    missing.accounts.truncate(3);
    f.expect_error(&[missing], &[], StrataError::MissingTrancheAccounts).await;
    // Another pool's tranche.
    let authority = pool.authority.insecure_clone();
    let mut elsewhere = f.create_pool(default_pool_params(), &specs()).await;
    f.add_tranches(&mut elsewhere, &[junior_params()]).await;
    let mut foreign = ix::update_tranche(&authority.pubkey(), &pool.key, 0, senior_params());
    foreign.accounts[2].pubkey = elsewhere.tranches[0].key;
    f.expect_error(&[foreign], &[&authority], StrataError::PoolMismatch).await;
    let mut foreign_set = pool.check_coverage_ix();
    foreign_set.accounts[3].pubkey = elsewhere.tranches[0].key;
    f.expect_error(&[foreign_set], &[], StrataError::PoolMismatch).await;
    // Only the authority removes allowlist entries.
    f.ok(&[ix::allow(&f.payer.pubkey(), &authority.pubkey(), &pool.key, &junior_lp.owner.pubkey())], &[&authority])
        .await;
    let intruder = f.funded_keypair(1_000_000_000).await;
    let remove = ix::disallow(&intruder.pubkey(), &pool.key, &junior_lp.owner.pubkey(), &intruder.pubkey(), 0);
    f.expect_error(&[remove], &[&intruder], StrataError::Unauthorized).await;
}
