use anchor_lang::prelude::Pubkey;
use strata::constants::pause;
use strata::events::{
    AuthorityAccepted, CollateralAdded, CollateralUpdated, PauseFlagsSet, PoolInitialized, PoolParamsUpdated,
};
use strata::state::{mode, OracleKind, OracleSource};
use strata::StrataError;
use strata_core::WAD;
use strata_testkit::events::decode;
use strata_testkit::pool::{default_collateral_params, default_pool_params};
use strata_testkit::tokens::{mint_extensions, unpack_mint, MintExtension};
use strata_testkit::{ix, CollateralSpec, Fixture, PriceSpec, Signer};

use crate::support::*;

#[tokio::test]
async fn init_pool_creates_pool_note_mint_and_treasury() {
    let mut f = Fixture::new().await;
    let authority = f.funded_keypair(1_000_000_000).await;
    let treasury_owner = Pubkey::new_unique();
    let params = default_pool_params();
    let init = ix::init_pool(&f.payer.pubkey(), &authority.pubkey(), &treasury_owner, 42, params);
    let outcome = f.ok(&[init], &[&authority]).await;

    let key = strata::pda::pool(&authority.pubkey(), 42);
    let pool = f.pool(&key).await;
    assert_eq!(pool.authority, authority.pubkey());
    assert_eq!(pool.creator, authority.pubkey());
    assert_eq!(pool.pool_id, 42);
    assert_eq!(pool.params(), params);
    assert_eq!(pool.mode, mode::NORMAL);
    assert_eq!(index_of(&pool), WAD);
    assert_eq!(pool.last_accrual_ts, f.now);

    let note_mint = f.account(&pool.note_mint).await.unwrap();
    let mint = unpack_mint(&note_mint.data);
    assert_eq!(note_mint.owner, anchor_spl::token::ID);
    assert_eq!(mint.decimals, 6);
    assert_eq!(Option::<Pubkey>::from(mint.mint_authority), Some(key), "the pool PDA is the only mint authority");
    assert_eq!(Option::<Pubkey>::from(mint.freeze_authority), None);
    assert_eq!(pool.treasury, ix::treasury_address(&key, &treasury_owner));
    assert_eq!(f.token_balance(&pool.treasury).await, 0);

    let events = decode::<PoolInitialized>(&outcome.logs);
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].pool, events[0].params), (key, params));
}

#[tokio::test]
async fn init_pool_refuses_out_of_bounds_params() {
    let mut f = Fixture::new().await;
    let authority = f.funded_keypair(1_000_000_000).await;
    let cases = [
        default_pool_params().with(|p| p.stability_fee_bps = 5_001),
        default_pool_params().with(|p| p.min_debt = p.debt_ceiling + 1),
        default_pool_params().with(|p| p.close_factor_bps = 0),
        default_pool_params().with(|p| p.close_factor_bps = 10_001),
        default_pool_params().with(|p| p.keeper_tip_bps = 1_001),
        default_pool_params().with(|p| p.protocol_fee_bps = 5_001),
        default_pool_params().with(|p| p.coverage_floor_bps = 9_001),
    ];
    for params in cases {
        let init = ix::init_pool(&f.payer.pubkey(), &authority.pubkey(), &Pubkey::new_unique(), 1, params);
        f.expect_error(&[init], &[&authority], StrataError::InvalidPoolParams).await;
    }
}

#[tokio::test]
async fn reinitializing_a_pool_or_position_is_refused() {
    let (mut f, pool, user) = setup().await;
    let again = ix::init_pool(
        &f.payer.pubkey(),
        &pool.authority.pubkey(),
        &Pubkey::new_unique(),
        pool.pool_id,
        default_pool_params(),
    );
    let authority = pool.authority.insecure_clone();
    f.expect_error(&[again], &[&authority], StrataError::AlreadyInitialized).await;
    let reopen = ix::open_position(&f.payer.pubkey(), &user.owner.pubkey(), &pool.key);
    f.expect_error(&[reopen], &[&user.owner], StrataError::AlreadyInitialized).await;
    let relist = {
        let c = &pool.collaterals[0];
        ix::add_collateral(
            &f.payer.pubkey(),
            &pool.authority.pubkey(),
            &pool.key,
            &c.mint,
            &c.token_program,
            &c.oracle,
            c.source(),
            default_collateral_params(),
        )
    };
    f.expect_error(&[relist], &[&authority], StrataError::CollateralAlreadyListed).await;
}

#[tokio::test]
async fn lamports_sent_to_a_future_address_cannot_block_its_creation() {
    // Every PDA is predictable; a griefer funds the addresses before they exist.
    let mut f = Fixture::new().await;
    let authority = f.funded_keypair(1_000_000_000).await;
    let owner = f.funded_keypair(1_000_000_000).await;
    let pool = strata::pda::pool(&authority.pubkey(), 1);
    let position = strata::pda::position(&pool, &owner.pubkey());
    for address in [pool, strata::pda::note_mint(&pool), position] {
        let transfer = solana_system_interface_transfer(&f.payer.pubkey(), &address, 1_000_000);
        f.ok(&[transfer], &[]).await;
    }
    let init = ix::init_pool(&f.payer.pubkey(), &authority.pubkey(), &Pubkey::new_unique(), 1, default_pool_params());
    f.ok(&[init], &[&authority]).await;
    f.ok(&[ix::open_position(&f.payer.pubkey(), &owner.pubkey(), &pool)], &[&owner]).await;
    assert_eq!(f.position(&position).await.owner, owner.pubkey());
    let rent = f.account(&position).await.unwrap().lamports;
    assert!(rent >= 1_000_000 && f.account(&position).await.unwrap().data.len() == strata::state::Position::SIZE);
}

#[tokio::test]
async fn add_collateral_lists_both_oracle_kinds_and_token_programs() {
    let (mut f, pool, _) = setup().await;
    let state = f.pool(&pool.key).await;
    assert_eq!(state.collateral_count, 2);
    for (index, c) in pool.collaterals.iter().enumerate() {
        let listed = state.collaterals[index];
        assert_eq!(listed.mint, c.mint);
        assert_eq!(listed.vault, strata::pda::vault(&pool.key, &c.mint));
        assert_eq!(listed.token_program, c.token_program);
        assert_eq!(listed.oracle, c.oracle);
        assert_eq!(listed.oracle_kind().unwrap(), c.kind);
        assert_eq!(listed.feed_id, c.feed_id);
        assert_eq!(listed.decimals, c.decimals);
        assert_eq!(listed.params(), default_collateral_params());
        assert_eq!(listed.publish_time, 0, "nothing cached before the first refresh");
        let vault = f.account(&listed.vault).await.unwrap();
        assert_eq!(vault.owner, c.token_program);
    }
    assert_eq!(pool.collaterals[1].token_program, anchor_spl::token_2022::ID);
    // Unlisted slots stay zeroed.
    assert!(state.collaterals[2..].iter().all(|c| c.mint == Pubkey::default()));
}

#[tokio::test]
async fn add_collateral_emits_and_accepts_harmless_token_2022_extensions() {
    let (mut f, mut pool, _) = setup().await;
    let spec = CollateralSpec::pull(6, 100_000_000, -8)
        .token_2022(&[MintExtension::MetadataPointer, MintExtension::MintCloseAuthority]);
    let (collateral, add) = f.prepare_collateral(&pool, &spec).await;
    let authority = pool.authority.insecure_clone();
    let outcome = f.ok(&[add], &[&authority]).await;
    let events = decode::<CollateralAdded>(&outcome.logs);
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].index, events[0].mint, events[0].oracle_kind), (2, collateral.mint, OracleKind::PythPull));
    pool.collaterals.push(collateral);
    assert_eq!(f.pool(&pool.key).await.collateral_count, 3);
}

#[tokio::test]
async fn add_collateral_refuses_accounting_breaking_token_2022_extensions() {
    let (mut f, pool, _) = setup().await;
    let authority = pool.authority.insecure_clone();
    for extension in [
        MintExtension::TransferFee,
        MintExtension::TransferHook,
        MintExtension::PermanentDelegate,
        MintExtension::NonTransferable,
    ] {
        let spec = CollateralSpec::pull(6, 100_000_000, -8).token_2022(&[extension]);
        let (collateral, add) = f.prepare_collateral(&pool, &spec).await;
        let mint = f.account(&collateral.mint).await.unwrap();
        assert_eq!(mint_extensions(&mint.data).len(), 1, "{extension:?} is on the mint");
        f.expect_error(&[add], &[&authority], StrataError::UnsupportedMintExtension).await;
    }
}

#[tokio::test]
async fn add_collateral_refuses_bad_input() {
    let (mut f, pool, _) = setup().await;
    let authority = pool.authority.insecure_clone();
    let spec = CollateralSpec::legacy(8, 60_000 * 100_000_000, -8);

    // Wrong signer.
    let (_, add) = f.prepare_collateral(&pool, &spec).await;
    let intruder = f.funded_keypair(1_000_000_000).await;
    let forged = ix_with_authority(add, &intruder.pubkey());
    f.expect_error(&[forged], &[&intruder], StrataError::Unauthorized).await;

    // Risk parameters out of bounds.
    let bad_params = [
        default_collateral_params().with(|p| p.ltv_bps = 0),
        default_collateral_params().with(|p| p.ltv_bps = p.liquidation_threshold_bps),
        default_collateral_params().with(|p| p.liquidation_threshold_bps = 9_900),
        default_collateral_params().with(|p| p.liquidation_bonus_min_bps = p.liquidation_bonus_max_bps + 1),
        default_collateral_params().with(|p| p.liquidation_bonus_max_bps = 2_600),
        default_collateral_params().with(|p| {
            p.liquidation_threshold_bps = 9_500;
            p.liquidation_bonus_max_bps = 1_000;
        }),
        default_collateral_params().with(|p| p.max_age_secs = 0),
        default_collateral_params().with(|p| p.max_conf_bps = 0),
        default_collateral_params().with(|p| p.max_ema_deviation_bps = 5_001),
    ];
    for params in bad_params {
        let (_, add) = f.prepare_collateral(&pool, &spec.clone().params(params)).await;
        f.expect_error(&[add], &[&authority], StrataError::InvalidCollateralParams).await;
    }

    // The note mint cannot back itself.
    let c = &pool.collaterals[0];
    let note = ix::add_collateral(
        &f.payer.pubkey(),
        &authority.pubkey(),
        &pool.key,
        &pool.note_mint,
        &anchor_spl::token::ID,
        &c.oracle,
        c.source(),
        default_collateral_params(),
    );
    f.expect_error(&[note], &[&authority], StrataError::NoteMintAsCollateral).await;

    // Decimals beyond what price normalisation is tested over.
    let (_, add) = f.prepare_collateral(&pool, &CollateralSpec::legacy(19, 1, 0)).await;
    f.expect_error(&[add], &[&authority], StrataError::InvalidCollateralParams).await;
}

#[tokio::test]
async fn add_collateral_refuses_bad_oracles() {
    let (mut f, pool, _) = setup().await;
    let authority = pool.authority.insecure_clone();

    // Not owned by Pyth.
    let (c, add) = f.prepare_collateral(&pool, &CollateralSpec::legacy(9, 1, 0)).await;
    let mut account = f.account(&c.oracle).await.unwrap();
    account.owner = Pubkey::new_unique();
    f.set_account(&c.oracle, account);
    f.expect_error(&[add], &[&authority], StrataError::OracleOwnerMismatch).await;

    // Right owner and size, wrong discriminator / magic.
    for kind_spec in [CollateralSpec::legacy(9, 1, 0), CollateralSpec::pull(9, 1, 0)] {
        let (c, add) = f.prepare_collateral(&pool, &kind_spec).await;
        let mut account = f.account(&c.oracle).await.unwrap();
        account.data[0] ^= 0xff;
        f.set_account(&c.oracle, account);
        f.expect_error(&[add], &[&authority], StrataError::InvalidOracleData).await;
    }

    // A pull feed that is only partially verified.
    let (c, add) = f.prepare_collateral(&pool, &CollateralSpec::pull(9, 1, 0)).await;
    f.set_price(&c, PriceSpec::new(1, 0, f.now).partially_verified());
    f.expect_error(&[add], &[&authority], StrataError::OracleNotFullyVerified).await;

    // The configured feed id must be the account's, and legacy has none.
    let (mut c, _) = f.prepare_collateral(&pool, &CollateralSpec::pull(9, 1, 0)).await;
    let wrong_feed = OracleSource { kind: OracleKind::PythPull, feed_id: [7; 32] };
    let add = ix::add_collateral(
        &f.payer.pubkey(),
        &authority.pubkey(),
        &pool.key,
        &c.mint,
        &c.token_program,
        &c.oracle,
        wrong_feed,
        default_collateral_params(),
    );
    f.expect_error(&[add], &[&authority], StrataError::FeedIdMismatch).await;
    c.kind = OracleKind::PythLegacy;
    let (c, _) = f.prepare_collateral(&pool, &CollateralSpec::legacy(9, 1, 0)).await;
    let legacy_with_feed = OracleSource { kind: OracleKind::PythLegacy, feed_id: [7; 32] };
    let add = ix::add_collateral(
        &f.payer.pubkey(),
        &authority.pubkey(),
        &pool.key,
        &c.mint,
        &c.token_program,
        &c.oracle,
        legacy_with_feed,
        default_collateral_params(),
    );
    f.expect_error(&[add], &[&authority], StrataError::FeedIdMismatch).await;

    // A legacy account given as a pull oracle (right owner? no: wrong owner program).
    let (c, _) = f.prepare_collateral(&pool, &CollateralSpec::legacy(9, 1, 0)).await;
    let as_pull = OracleSource { kind: OracleKind::PythPull, feed_id: [7; 32] };
    let add = ix::add_collateral(
        &f.payer.pubkey(),
        &authority.pubkey(),
        &pool.key,
        &c.mint,
        &c.token_program,
        &c.oracle,
        as_pull,
        default_collateral_params(),
    );
    f.expect_error(&[add], &[&authority], StrataError::OracleOwnerMismatch).await;
}

#[tokio::test]
async fn a_pool_lists_at_most_eight_collaterals() {
    let mut f = Fixture::new().await;
    let specs: Vec<CollateralSpec> = (0..8).map(|_| CollateralSpec::legacy(6, 100_000_000, -8)).collect();
    let pool = f.create_pool(default_pool_params(), &specs).await;
    assert_eq!(f.pool(&pool.key).await.collateral_count, 8);
    let (_, add) = f.prepare_collateral(&pool, &CollateralSpec::legacy(6, 1, 0)).await;
    let authority = pool.authority.insecure_clone();
    f.expect_error(&[add], &[&authority], StrataError::TooManyCollaterals).await;
}

#[tokio::test]
async fn update_pool_accrues_at_the_old_fee_then_switches() {
    let (mut f, pool, user) = setup_deposited().await;
    f.ok(&[pool.mint_ix(&user, notes(100))], &[&user.owner]).await;
    f.advance(YEAR).await;
    let authority = pool.authority.insecure_clone();
    let new = default_pool_params().with(|p| p.stability_fee_bps = 0);
    let outcome = f.ok(&[ix::update_pool(&authority.pubkey(), &pool.key, &pool.treasury, new)], &[&authority]).await;
    let state = f.pool(&pool.key).await;
    assert_eq!(state.params(), new);
    // 5% for one year, compounded per second (e^0.05 − 1 = 5.1271%), was booked
    // before the fee went to zero.
    let position = f.position(&user.position).await;
    assert_eq!(debt_of(&state, position.debt_shares()), 105_127_110);
    assert_eq!(state.pending_fees, 5_127_110);
    let event = &decode::<PoolParamsUpdated>(&outcome.logs)[0];
    assert_eq!((event.old, event.new), (default_pool_params(), new));
    f.advance(YEAR).await;
    f.move_price(&pool, SOL, SOL_PRICE, EXPO).await;
    assert_eq!(f.pool(&pool.key).await.pending_fees, 5_127_110, "no fee accrues at 0%");
}

#[tokio::test]
async fn update_pool_refuses_bad_input() {
    let (mut f, pool, user) = setup().await;
    let authority = pool.authority.insecure_clone();
    let intruder = f.funded_keypair(1_000_000_000).await;
    let params = default_pool_params();
    f.expect_error(
        &[ix::update_pool(&intruder.pubkey(), &pool.key, &pool.treasury, params)],
        &[&intruder],
        StrataError::Unauthorized,
    )
    .await;
    let bad = params.with(|p| p.stability_fee_bps = u16::MAX);
    f.expect_error(
        &[ix::update_pool(&authority.pubkey(), &pool.key, &pool.treasury, bad)],
        &[&authority],
        StrataError::InvalidPoolParams,
    )
    .await;
    // A treasury that does not hold notes.
    f.expect_error(
        &[ix::update_pool(&authority.pubkey(), &pool.key, &user.tokens[0], params)],
        &[&authority],
        StrataError::NoteMintMismatch,
    )
    .await;
}

#[tokio::test]
async fn update_collateral_replaces_params_and_a_new_oracle_clears_the_cache() {
    let (mut f, pool, _) = setup_deposited().await;
    let authority = pool.authority.insecure_clone();
    assert!(f.pool(&pool.key).await.collaterals[0].publish_time > 0);
    let params = default_collateral_params().with(|p| p.ltv_bps = 6_000);
    // Same oracle: params change, cache stays.
    f.ok(&[ix::update_collateral(&authority.pubkey(), &pool.key, SOL, params, None)], &[&authority]).await;
    let state = f.pool(&pool.key).await;
    assert_eq!(state.collaterals[0].params(), params);
    assert!(state.collaterals[0].publish_time > 0);
    // New oracle (a pull feed now): cache cleared until refreshed.
    let (other, _) = f.prepare_collateral(&pool, &CollateralSpec::pull(9, SOL_PRICE, EXPO)).await;
    let outcome = f
        .ok(
            &[ix::update_collateral(&authority.pubkey(), &pool.key, SOL, params, Some((other.oracle, other.source())))],
            &[&authority],
        )
        .await;
    let state = f.pool(&pool.key).await;
    let c = state.collaterals[0];
    assert_eq!((c.oracle, c.oracle_kind().unwrap(), c.feed_id), (other.oracle, OracleKind::PythPull, other.feed_id));
    assert_eq!((c.publish_time, c.cached_price().price_wad), (0, 0));
    let event = &decode::<CollateralUpdated>(&outcome.logs)[0];
    assert_eq!((event.old_oracle, event.new_oracle), (pool.collaterals[0].oracle, other.oracle));
    let refresh = ix::refresh_oracle(&pool.key, &other.oracle, SOL);
    f.ok(&[refresh], &[]).await;
    assert!(f.pool(&pool.key).await.collaterals[0].publish_time > 0);
}

#[tokio::test]
async fn update_collateral_refuses_bad_input() {
    let (mut f, pool, _) = setup().await;
    let authority = pool.authority.insecure_clone();
    let intruder = f.funded_keypair(1_000_000_000).await;
    let params = default_collateral_params();
    f.expect_error(
        &[ix::update_collateral(&intruder.pubkey(), &pool.key, SOL, params, None)],
        &[&intruder],
        StrataError::Unauthorized,
    )
    .await;
    f.expect_error(
        &[ix::update_collateral(&authority.pubkey(), &pool.key, 2, params, None)],
        &[&authority],
        StrataError::InvalidCollateralIndex,
    )
    .await;
    let bad = params.with(|p| p.liquidation_threshold_bps = p.ltv_bps);
    f.expect_error(
        &[ix::update_collateral(&authority.pubkey(), &pool.key, SOL, bad, None)],
        &[&authority],
        StrataError::InvalidCollateralParams,
    )
    .await;
    let not_pyth = Pubkey::new_unique();
    f.set_account(&not_pyth, solana_account_with_owner(Pubkey::new_unique()));
    let source = pool.collaterals[0].source();
    f.expect_error(
        &[ix::update_collateral(&authority.pubkey(), &pool.key, SOL, params, Some((not_pyth, source)))],
        &[&authority],
        StrataError::OracleOwnerMismatch,
    )
    .await;
}

#[tokio::test]
async fn pause_flags_are_set_with_an_event_and_unknown_bits_refused() {
    let (mut f, pool, _) = setup().await;
    let authority = pool.authority.insecure_clone();
    let flags = pause::DEPOSIT | pause::MINT;
    let outcome = f.ok(&[ix::set_pause_flags(&authority.pubkey(), &pool.key, flags)], &[&authority]).await;
    assert_eq!(f.pool(&pool.key).await.pause_flags, flags);
    let event = &decode::<PauseFlagsSet>(&outcome.logs)[0];
    assert_eq!((event.old, event.new), (0, flags));
    f.expect_error(
        &[ix::set_pause_flags(&authority.pubkey(), &pool.key, 1 << 9)],
        &[&authority],
        StrataError::InvalidPauseFlags,
    )
    .await;
    let intruder = f.funded_keypair(1_000_000_000).await;
    f.expect_error(&[ix::set_pause_flags(&intruder.pubkey(), &pool.key, 0)], &[&intruder], StrataError::Unauthorized)
        .await;
}

#[tokio::test]
async fn authority_hand_over_takes_two_steps() {
    let (mut f, pool, _) = setup().await;
    let old = pool.authority.insecure_clone();
    let new = f.funded_keypair(1_000_000_000).await;
    let intruder = f.funded_keypair(1_000_000_000).await;

    f.expect_error(&[ix::accept_authority(&new.pubkey(), &pool.key)], &[&new], StrataError::NoPendingAuthority).await;
    f.expect_error(
        &[ix::propose_authority(&intruder.pubkey(), &pool.key, &intruder.pubkey())],
        &[&intruder],
        StrataError::Unauthorized,
    )
    .await;
    f.ok(&[ix::propose_authority(&old.pubkey(), &pool.key, &new.pubkey())], &[&old]).await;
    assert_eq!(f.pool(&pool.key).await.authority, old.pubkey(), "nothing changes until accepted");
    f.expect_error(
        &[ix::accept_authority(&intruder.pubkey(), &pool.key)],
        &[&intruder],
        StrataError::NotPendingAuthority,
    )
    .await;
    let outcome = f.ok(&[ix::accept_authority(&new.pubkey(), &pool.key)], &[&new]).await;
    let state = f.pool(&pool.key).await;
    assert_eq!((state.authority, state.pending_authority), (new.pubkey(), Pubkey::default()));
    assert_eq!(state.creator, old.pubkey(), "the seeds keep the creator");
    let event = &decode::<AuthorityAccepted>(&outcome.logs)[0];
    assert_eq!((event.old_authority, event.new_authority), (old.pubkey(), new.pubkey()));
    // The old authority lost its power; the new one has it, and the pool PDA still signs.
    f.expect_error(&[ix::set_pause_flags(&old.pubkey(), &pool.key, 0)], &[&old], StrataError::Unauthorized).await;
    f.ok(&[ix::set_pause_flags(&new.pubkey(), &pool.key, pause::MINT)], &[&new]).await;
}

/// Replaces the authority account (index 1) of an admin instruction.
fn ix_with_authority(
    mut ix: anchor_lang::solana_program::instruction::Instruction,
    authority: &Pubkey,
) -> anchor_lang::solana_program::instruction::Instruction {
    ix.accounts[1].pubkey = *authority;
    ix
}

fn solana_system_interface_transfer(
    from: &Pubkey,
    to: &Pubkey,
    lamports: u64,
) -> anchor_lang::solana_program::instruction::Instruction {
    anchor_lang::solana_program::instruction::Instruction::new_with_bincode(
        anchor_lang::system_program::ID,
        &(2u32, lamports),
        vec![
            anchor_lang::solana_program::instruction::AccountMeta::new(*from, true),
            anchor_lang::solana_program::instruction::AccountMeta::new(*to, false),
        ],
    )
}

fn solana_account_with_owner(owner: Pubkey) -> strata_testkit::Account {
    strata_testkit::Account { lamports: 1_000_000, data: vec![0; 200], owner, executable: false, rent_epoch: 0 }
}
