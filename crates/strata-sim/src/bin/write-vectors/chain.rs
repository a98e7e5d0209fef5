//! Vectors of the on-chain interface: PDAs from `strata::pda`, instructions built by
//! the test bench's builders (Anchor's own account metas and data encoding), and
//! Pool/Position account bytes with the values a decoder must read from them.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::Discriminator;
use serde_json::{json, Value};
use spl_associated_token_account_interface::address::get_associated_token_address_with_program_id as ata;
use strata::instructions::{HealthReport, LiquidationQuote};
use strata::pda;
use strata::state::{
    mode, AllowlistEntry, CollateralConfig, CollateralParams, OracleKind, OracleSource, Pool, PoolParams, Position,
    Tranche, TrancheParams,
};
use strata_core::WAD;
use strata_testkit::ix::{self, AccountMeta, CollateralAccounts, KeeperAccounts, TrancheAccounts};

use crate::gen::Rng;
use crate::json::{fields, hex, merged, obj, J};

const TOKEN: Pubkey = anchor_lang::pubkey!("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
const TOKEN_2022: Pubkey = anchor_lang::pubkey!("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");

pub fn key(rng: &mut Rng) -> Pubkey {
    let mut bytes = [0u8; 32];
    for chunk in bytes.chunks_mut(8) {
        chunk.copy_from_slice(&rng.next_u64().to_le_bytes());
    }
    Pubkey::new_from_array(bytes)
}

pub fn pdas(rng: &mut Rng) -> Vec<Value> {
    [0u64, 1, 42, u64::from(u32::MAX) + 1, u64::MAX, rng.next_u64()]
        .into_iter()
        .map(|pool_id| {
            let creator = key(rng);
            let pool = pda::pool(&creator, pool_id);
            let note_mint = pda::note_mint(&pool);
            let treasury_owner = key(rng);
            let vaults: Vec<Value> = (0..3)
                .map(|_| {
                    let mint = key(rng);
                    obj! { mint, vault: pda::vault(&pool, &mint) }
                })
                .collect();
            let positions: Vec<Value> = (0..3)
                .map(|_| {
                    let owner = key(rng);
                    obj! { owner, position: pda::position(&pool, &owner) }
                })
                .collect();
            let atas: Vec<Value> = [TOKEN, TOKEN_2022]
                .iter()
                .map(|program| {
                    let (owner, mint) = (key(rng), key(rng));
                    obj! { owner, mint, token_program: program, address: ata(&owner, &mint, program) }
                })
                .collect();
            let tranches: Vec<Value> = [0u8, 1, 2, 3, 255]
                .into_iter()
                .map(|index| {
                    let tranche = pda::tranche(&pool, index);
                    obj! { index, tranche, share_mint: pda::share_mint(&tranche), vault: pda::tranche_vault(&tranche) }
                })
                .collect();
            let allowlist: Vec<Value> = (0..2)
                .map(|_| {
                    let wallet = key(rng);
                    obj! { wallet, entry: pda::allowlist_entry(&pool, &wallet) }
                })
                .collect();
            let treasury = ix::treasury_address(&pool, &treasury_owner);
            obj! {
                creator, pool_id, pool, note_mint, treasury_owner, treasury,
                vaults, positions, atas, tranches, allowlist,
            }
        })
        .collect()
}

// --- instructions -------------------------------------------------------------------

fn instruction(ix: &Instruction) -> Value {
    let accounts: Vec<Value> = ix
        .accounts
        .iter()
        .map(|meta| obj! { address: meta.pubkey, signer: meta.is_signer, writable: meta.is_writable })
        .collect();
    obj! { program_address: ix.program_id, accounts, data: hex(&ix.data) }
}

fn oracle_source(o: &OracleSource) -> Value {
    let kind = match o.kind {
        OracleKind::PythLegacy => "PythLegacy",
        OracleKind::PythPull => "PythPull",
    };
    obj! { kind, feed_id: hex(&o.feed_id) }
}

fn ix_case(name: &str, input: Value, ix: Instruction) -> Value {
    obj! { name, input, instruction: instruction(&ix) }
}

pub fn instructions(rng: &mut Rng) -> Vec<Value> {
    let [payer, authority, owner, treasury_owner, mint, oracle, new_authority, treasury] =
        std::array::from_fn(|_| key(rng));
    let pool_id = 7u64;
    let pool = pda::pool(&authority, pool_id);
    let note_mint = pda::note_mint(&pool);
    let position = pda::position(&pool, &owner);
    let pool_args = PoolParams {
        stability_fee_bps: 500,
        debt_ceiling: u64::MAX - 5,
        min_debt: 10_000_000,
        close_factor_bps: 5_000,
        keeper_tip_bps: 50,
        protocol_fee_bps: 1_000,
        coverage_floor_bps: 1_000,
        redemption_delay_secs: 3_600,
    };
    let params = CollateralParams {
        ltv_bps: 5_000,
        liquidation_threshold_bps: 8_000,
        liquidation_bonus_min_bps: 200,
        liquidation_bonus_max_bps: 1_000,
        deposit_cap: u64::MAX / 3,
        max_age_secs: 60,
        max_conf_bps: 200,
        max_ema_deviation_bps: 500,
    };
    let legacy = OracleSource { kind: OracleKind::PythLegacy, feed_id: [0; 32] };
    let pull = OracleSource { kind: OracleKind::PythPull, feed_id: key(rng).to_bytes() };
    let collateral = |token_program: Pubkey, token_account: Pubkey| CollateralAccounts {
        owner,
        pool,
        position,
        mint,
        vault: pda::vault(&pool, &mint),
        token_account,
        token_program,
    };
    let (amount, index) = (1_234_567_890_123u64, 3u8);
    let mut cases = vec![
        ix_case(
            "initPool",
            obj! { payer, authority, treasury_owner, pool_id, params: pool_args, permissioned: false },
            ix::init_pool(&payer, &authority, &treasury_owner, pool_id, pool_args),
        ),
        ix_case(
            "initPool",
            obj! { payer, authority, treasury_owner, pool_id: pool_id + 1, params: pool_args, permissioned: true },
            ix::init_pool_with(&payer, &authority, &treasury_owner, pool_id + 1, pool_args, true),
        ),
        ix_case(
            "updatePool",
            obj! { authority, pool, treasury, params: pool_args },
            ix::update_pool(&authority, &pool, &treasury, pool_args),
        ),
        ix_case(
            "updateCollateral",
            obj! { authority, pool, collateral_index: index, params },
            ix::update_collateral(&authority, &pool, index, params, None),
        ),
        ix_case(
            "updateCollateral",
            obj! {
                authority, pool, collateral_index: index, params,
                oracle: obj! { address: oracle, source: oracle_source(&pull) },
            },
            ix::update_collateral(&authority, &pool, index, params, Some((oracle, pull))),
        ),
        ix_case(
            "setPauseFlags",
            obj! { authority, pool, flags: 0b10101 },
            ix::set_pause_flags(&authority, &pool, 0b10101),
        ),
        ix_case(
            "proposeAuthority",
            obj! { authority, pool, new_authority },
            ix::propose_authority(&authority, &pool, &new_authority),
        ),
        ix_case("acceptAuthority", obj! { new_authority, pool }, ix::accept_authority(&new_authority, &pool)),
        ix_case("openPosition", obj! { payer, owner, pool }, ix::open_position(&payer, &owner, &pool)),
        ix_case(
            "openPosition",
            obj! { payer, owner, pool, permissioned: true },
            ix::open_position_with(&payer, &owner, &pool, Some(pda::allowlist_entry(&pool, &owner))),
        ),
        ix_case("closePosition", obj! { owner, pool }, ix::close_position(&owner, &pool, &position)),
        ix_case(
            "refreshOracle",
            obj! { pool, oracle, collateral_index: index },
            ix::refresh_oracle(&pool, &oracle, index),
        ),
        ix_case(
            "mint",
            obj! { owner, pool, amount },
            ix::mint(&owner, &pool, &position, &note_mint, &ata(&owner, &note_mint, &TOKEN), amount),
        ),
        ix_case(
            "repay",
            obj! { payer, pool, position_owner: owner, amount: u64::MAX },
            ix::repay(&payer, &pool, &position, &note_mint, &ata(&payer, &note_mint, &TOKEN), u64::MAX),
        ),
    ];
    for (source, program) in [(legacy, TOKEN), (pull, TOKEN_2022)] {
        cases.push(ix_case(
            "addCollateral",
            obj! {
                payer, authority, pool, mint, token_program: program, oracle,
                oracle_source: oracle_source(&source), params,
            },
            ix::add_collateral(&payer, &authority, &pool, &mint, &program, &oracle, source, params),
        ));
        let token_account = ata(&owner, &mint, &program);
        let input = obj! { owner, pool, collateral_index: index, mint, token_program: program, amount };
        cases.push(ix_case("deposit", input.clone(), ix::deposit(&collateral(program, token_account), index, amount)));
        cases.push(ix_case("withdraw", input, ix::withdraw(&collateral(program, token_account), index, amount)));
    }
    cases.extend(tranche_instructions(rng, &payer, &authority, &pool));
    cases.extend(keeper_instructions(rng, &pool));
    cases
}

fn collateral_ref(index: u8, mint: &Pubkey, program: &Pubkey) -> Value {
    obj! { index, mint, token_program: program }
}

fn tranche_instructions(rng: &mut Rng, payer: &Pubkey, authority: &Pubkey, pool: &Pubkey) -> Vec<Value> {
    let [wallet, rent_receiver, treasury, mint_a, mint_b, own_destination] = std::array::from_fn(|_| key(rng));
    let note_mint = pda::note_mint(pool);
    let params = TrancheParams { target_apr_bps: 450, min_subordination_bps: 2_500 };
    let accounts = |index: u8, allowlisted: bool| {
        let share_mint = pda::share_mint(&pda::tranche(pool, index));
        TrancheAccounts {
            wallet,
            pool: *pool,
            index,
            note_mint,
            notes: ata(&wallet, &note_mint, &TOKEN),
            shares: ata(&wallet, &share_mint, &TOKEN_2022),
            allowlist_entry: allowlisted.then(|| pda::allowlist_entry(pool, &wallet)),
        }
    };
    let flow = |index: u8, count: u8, signer: &str, extra: Value| {
        let mut input = obj! { pool, index, tranche_count: count };
        input[signer] = wallet.j();
        merged(input, extra)
    };
    let mut claim_remaining = ix::tranche_metas(pool, 3, Some(0));
    claim_remaining.extend(ix::payout_metas(TOKEN, mint_a, pda::vault(pool, &mint_a), ata(&wallet, &mint_a, &TOKEN)));
    claim_remaining.extend(ix::payout_metas(TOKEN_2022, mint_b, pda::vault(pool, &mint_b), own_destination));
    vec![
        ix_case(
            "initTranche",
            obj! { payer, authority, pool, index: 2, params },
            ix::init_tranche(payer, authority, pool, &note_mint, 2, params),
        ),
        ix_case(
            "updateTranche",
            obj! { authority, pool, index: 1, params },
            ix::update_tranche(authority, pool, 1, params),
        ),
        ix_case("allow", obj! { payer, authority, pool, wallet }, ix::allow(payer, authority, pool, &wallet)),
        ix_case(
            "disallow",
            obj! { authority, pool, wallet, rent_receiver },
            ix::disallow(authority, pool, &wallet, &rent_receiver, 0),
        ),
        ix_case(
            "disallow",
            // A permissioned pool: the wallet's share account of every tranche is frozen.
            obj! { authority, pool, wallet, tranche_count: 3 },
            ix::disallow(authority, pool, &wallet, authority, 3),
        ),
        ix_case("thawShareAccount", obj! { pool, index: 2, owner: wallet }, ix::thaw_share_account(pool, 2, &wallet)),
        ix_case(
            "trancheDeposit",
            flow(1, 3, "depositor", obj! { amount: 77_000_000u64 }),
            ix::tranche_deposit(&accounts(1, false), 77_000_000, &ix::tranche_metas(pool, 3, Some(1))),
        ),
        ix_case(
            "trancheDeposit",
            flow(0, 1, "depositor", obj! { amount: u64::MAX, permissioned: true }),
            ix::tranche_deposit(&accounts(0, true), u64::MAX, &[]),
        ),
        ix_case(
            "requestRedemption",
            obj! { holder: wallet, pool, index: 2, shares: 5_000_000_000u64, permissioned: true },
            ix::request_redemption(&accounts(2, true), 5_000_000_000),
        ),
        ix_case(
            "requestRedemption",
            obj! { holder: wallet, pool, index: 0, shares: u64::MAX },
            ix::request_redemption(&accounts(0, false), u64::MAX),
        ),
        ix_case(
            "claimRedemption",
            flow(2, 4, "holder", obj! { permissioned: true }),
            ix::claim_redemption(&accounts(2, true), &ix::tranche_metas(pool, 4, Some(2))),
        ),
        ix_case(
            "claimRedemption",
            // Payouts given out of index order; the builder sorts them.
            flow(
                0,
                3,
                "holder",
                obj! { payouts: vec![
                    obj! { index: 5, mint: mint_b, token_program: TOKEN_2022, destination: own_destination },
                    collateral_ref(2, &mint_a, &TOKEN),
                ] },
            ),
            ix::claim_redemption(&accounts(0, false), &claim_remaining),
        ),
        ix_case(
            "cancelRedemption",
            obj! { holder: wallet, pool, index: 1 },
            ix::cancel_redemption(&accounts(1, false)),
        ),
        ix_case(
            "distribute",
            obj! { pool, tranche_count: 2, treasury },
            ix::distribute(pool, &note_mint, &treasury, &ix::tranche_metas(pool, 2, None)),
        ),
        ix_case(
            "checkCoverage",
            obj! { pool, tranche_count: 4 },
            ix::check_coverage(pool, &note_mint, &ix::tranche_metas(pool, 4, None)),
        ),
    ]
}

fn keeper_instructions(rng: &mut Rng, pool: &Pubkey) -> Vec<Value> {
    let [keeper, owner, mint, other_a, other_b, p1, p2, p3] = std::array::from_fn(|_| key(rng));
    let note_mint = pda::note_mint(pool);
    let position = pda::position(pool, &owner);
    let keeper_accounts = |program: Pubkey| KeeperAccounts {
        keeper,
        pool: *pool,
        note_mint,
        keeper_notes: ata(&keeper, &note_mint, &TOKEN),
        collateral_mint: mint,
        vault: pda::vault(pool, &mint),
        keeper_collateral: ata(&keeper, &mint, &program),
        collateral_token_program: program,
    };
    let keeper_input = |program: &Pubkey, extra: Value| {
        merged(obj! { keeper, pool, collateral: collateral_ref(1, &mint, program) }, extra)
    };
    let (repay, min_out) = (1_500_000_000u64, 9_000_000u64);
    let mut settle = ix::liquidate(&keeper_accounts(TOKEN_2022), &position, 1, u64::MAX, 0);
    settle = ix::with_remaining(settle, &ix::tranche_metas(pool, 2, None));
    settle =
        ix::with_other_collateral(settle, TOKEN, other_a, pda::vault(pool, &other_a), ata(&keeper, &other_a, &TOKEN));
    settle = ix::with_other_collateral(
        settle,
        TOKEN_2022,
        other_b,
        pda::vault(pool, &other_b),
        ata(&keeper, &other_b, &TOKEN_2022),
    );
    let batch_with_tranches = ix::with_remaining(
        ix::liquidate_batch(&keeper_accounts(TOKEN), &[], 1, repay, min_out),
        &[ix::tranche_metas(pool, 3, None), vec![AccountMeta::new(p1, false), AccountMeta::new(p2, false)]].concat(),
    );
    let mut absorb_remaining = ix::tranche_metas(pool, 2, None);
    absorb_remaining.extend(ix::payout_metas(
        TOKEN,
        other_a,
        pda::vault(pool, &other_a),
        ata(&keeper, &other_a, &TOKEN),
    ));
    absorb_remaining.extend(ix::payout_metas(
        TOKEN_2022,
        mint,
        pda::vault(pool, &mint),
        ata(&keeper, &mint, &TOKEN_2022),
    ));
    vec![
        ix_case(
            "liquidate",
            keeper_input(&TOKEN, obj! { position_owner: owner, repay_amount: repay, min_collateral_out: min_out }),
            ix::liquidate(&keeper_accounts(TOKEN), &position, 1, repay, min_out),
        ),
        ix_case(
            "liquidate",
            keeper_input(
                &TOKEN_2022,
                obj! {
                    position, repay_amount: u64::MAX, min_collateral_out: 0, tranche_count: 2,
                    other_collaterals:
                        vec![collateral_ref(6, &other_b, &TOKEN_2022), collateral_ref(0, &other_a, &TOKEN)],
                },
            ),
            settle,
        ),
        ix_case(
            "liquidateBatch",
            keeper_input(
                &TOKEN,
                obj! { positions: vec![p1, p2, p3], max_repay_total: repay, min_collateral_out_total: min_out },
            ),
            ix::liquidate_batch(&keeper_accounts(TOKEN), &[p1, p2, p3], 1, repay, min_out),
        ),
        ix_case(
            "liquidateBatch",
            keeper_input(
                &TOKEN,
                obj! { positions: vec![p1, p2], max_repay_total: repay, min_collateral_out_total: min_out,
                tranche_count: 3 },
            ),
            batch_with_tranches,
        ),
        ix_case(
            "absorb",
            obj! {
                keeper, pool, position_owner: owner, tranche_count: 2,
                tips: vec![collateral_ref(1, &mint, &TOKEN_2022), collateral_ref(0, &other_a, &TOKEN)],
            },
            ix::absorb(&keeper, pool, &position, &note_mint, &absorb_remaining),
        ),
        ix_case(
            "recoverySale",
            keeper_input(
                &TOKEN_2022,
                obj! { index: 1, tranche_count: 3, notes_in: repay, min_collateral_out: min_out },
            ),
            ix::recovery_sale(&keeper_accounts(TOKEN_2022), 1, 1, repay, min_out, &ix::tranche_metas(pool, 3, Some(1))),
        ),
        ix_case("flagShortfall", obj! { pool, position_owner: owner }, ix::flag_shortfall(pool, &position)),
        ix_case("clearShortfallFlag", obj! { pool, position }, ix::clear_shortfall_flag(pool, &position)),
        ix_case("health", obj! { pool, position_owner: owner }, ix::health(pool, &position)),
        ix_case(
            "quoteLiquidation",
            obj! { pool, position, collateral_index: 1, repay_amount: repay },
            ix::quote_liquidation(pool, &position, 1, repay),
        ),
    ]
}

// --- account bytes ------------------------------------------------------------------

fn collateral_config(c: &CollateralConfig) -> Value {
    let wad = u128::from_le_bytes;
    fields!(c; mint, token_program, vault, oracle, feed_id, price_wad: wad(c.price_wad),
        ema_price_wad: wad(c.ema_price_wad), conf_wad: wad(c.conf_wad), publish_time, refreshed_slot, deposit_cap,
        total_deposited, max_age_secs, ltv_bps, liquidation_threshold_bps, liquidation_bonus_min_bps,
        liquidation_bonus_max_bps, max_conf_bps, max_ema_deviation_bps, decimals, oracle_kind, vault_bump)
}

/// A pool with two listed collaterals and distinctive values in every field (128-bit
/// fields above 2^64, so a decoder that reads them as u64 or big-endian fails), a
/// position holding both, and the health the core computes from the two accounts.
pub fn accounts(rng: &mut Rng) -> Value {
    let now = 1_750_000_030i64;
    let (creator, authority) = (key(rng), key(rng));
    let pool_key = pda::pool(&creator, 9);
    let mut pool: Pool = bytemuck::Zeroable::zeroed();
    pool.version = 1;
    pool.bump = 254;
    pool.note_mint_bump = 253;
    pool.collateral_count = 2;
    pool.tranche_count = 3;
    pool.permissioned = 1;
    pool.mode = mode::TURBO;
    pool.pause_flags = 0b10010;
    pool.set_params(&PoolParams {
        stability_fee_bps: 500,
        debt_ceiling: 1_000_000_000_000_000,
        min_debt: 10_000_000,
        close_factor_bps: 5_000,
        keeper_tip_bps: 50,
        protocol_fee_bps: 1_000,
        coverage_floor_bps: 1_500,
        redemption_delay_secs: 1_800,
    });
    pool.protocol_fee_owed = 4_321;
    pool.pool_id = 9;
    pool.creator = creator;
    pool.authority = authority;
    pool.pending_authority = key(rng);
    pool.note_mint = pda::note_mint(&pool_key);
    pool.treasury = key(rng);
    pool.debt_shares = (3 * u128::from(u64::MAX) + 12_345).to_le_bytes();
    pool.rate_index_wad = (WAD + 123_456_789_012_345_678).to_le_bytes();
    pool.last_accrual_ts = now - 30;
    pool.pending_fees = 77_777;
    pool.bad_debt = 3;
    pool.loss_pending_count = 0x0102_0304;
    let specs = [(TOKEN, 9u8, OracleKind::PythLegacy, 150 * WAD / 1_000), (TOKEN_2022, 6, OracleKind::PythPull, WAD)];
    for (index, (program, decimals, kind, price_wad)) in specs.into_iter().enumerate() {
        let mint = key(rng);
        let mut config: CollateralConfig = bytemuck::Zeroable::zeroed();
        config.mint = mint;
        config.token_program = program;
        config.vault = pda::vault(&pool_key, &mint);
        config.oracle = key(rng);
        if kind == OracleKind::PythPull {
            config.feed_id = key(rng).to_bytes();
        }
        config.set_params(&CollateralParams {
            ltv_bps: 5_000 + index as u16 * 1_000,
            liquidation_threshold_bps: 8_000,
            liquidation_bonus_min_bps: 200,
            liquidation_bonus_max_bps: 1_000,
            deposit_cap: u64::MAX / 2,
            max_age_secs: 60,
            max_conf_bps: 200,
            max_ema_deviation_bps: 500,
        });
        config.price_wad = price_wad.to_le_bytes();
        config.ema_price_wad = (price_wad - price_wad / 200).to_le_bytes();
        config.conf_wad = (price_wad / 1_000 + 1).to_le_bytes();
        config.publish_time = now - 10;
        config.refreshed_slot = 123_456 + index as u64;
        config.total_deposited = 5_000_000_000_000 + index as u64;
        config.decimals = decimals;
        config.oracle_kind = kind.to_u8();
        config.vault_bump = 250 - index as u8;
        pool.collaterals[index] = config;
    }
    let owner = key(rng);
    let mut position: Position = bytemuck::Zeroable::zeroed();
    position.version = 1;
    position.bump = 251;
    position.pool = pool_key;
    position.owner = owner;
    position.collateral = [40_000_000_000, 2_500_000_000, 0, 0, 0, 0, 0, 0];
    position.set_debt_shares(3_000_000_000);
    position.last_update_slot = 999_999;
    position.flags = strata::state::position_flags::LOSS_PENDING;
    position.last_liquidated_slot = 0x0001_0000_0000_0002;

    let pool_bytes = [Pool::DISCRIMINATOR, bytemuck::bytes_of(&pool)].concat();
    let position_bytes = [Position::DISCRIMINATOR, bytemuck::bytes_of(&position)].concat();
    let (conservative, spot) = strata_sim::health(&pool, &position, now);
    let debt = spot.debt;
    let health = |h: strata_core::Health| {
        obj! {
            weighted_collateral: h.weighted_collateral, debt: h.debt,
            is_healthy: h.is_healthy(), ratio_wad: h.ratio_wad().expect("ratio"),
        }
    };
    let wad = u128::from_le_bytes;
    let configs: Vec<Value> = pool.collaterals.iter().map(collateral_config).collect();
    let pool_fields = fields!(pool; version, bump, note_mint_bump, collateral_count, tranche_count, mode, permissioned,
        pause_flags, loss_pending_count, stability_fee_bps, close_factor_bps, keeper_tip_bps, protocol_fee_bps,
        coverage_floor_bps, pool_id, creator, authority, pending_authority, note_mint, treasury,
        debt_shares: wad(pool.debt_shares), rate_index_wad: wad(pool.rate_index_wad), last_accrual_ts, debt_ceiling,
        min_debt, pending_fees, bad_debt, collaterals: configs);
    let offsets = obj! {
        has_debt: Position::HAS_DEBT_OFFSET, flags: 8 + ::core::mem::offset_of!(Position, flags),
        pool: Position::POOL_OFFSET, owner: Position::OWNER_OFFSET,
    };
    let position_fields = fields!(position; version, bump, has_debt, pool, owner, collateral,
        debt_shares: position.debt_shares(), last_update_slot, flags, last_liquidated_slot);
    obj! {
        now,
        pool: obj! { address: pool_key, data: hex(&pool_bytes), size: Pool::SIZE, fields: pool_fields },
        position: obj! {
            address: pda::position(&pool_key, &owner), data: hex(&position_bytes), size: Position::SIZE,
            offsets, fields: position_fields,
        },
        debt,
        health: json!({ "Conservative": health(conservative), "Spot": health(spot) }),
        tranche: tranche_account(rng, &pool_key, &pool, now),
        allowlist_entry: allowlist_entry(rng, &pool_key),
        views: views(&pool, &position, now),
    }
}

/// A tranche holding notes and both of the pool's collaterals, its bytes, fields,
/// core state and NAV at the pool's prices.
fn tranche_account(rng: &mut Rng, pool_key: &Pubkey, pool: &Pool, now: i64) -> Value {
    let index = 2u8;
    let tranche_key = pda::tranche(pool_key, index);
    let mut tranche: Tranche = bytemuck::Zeroable::zeroed();
    tranche.version = 1;
    tranche.bump = 249;
    tranche.index = index;
    tranche.share_mint_bump = 248;
    tranche.vault_bump = 247;
    tranche.escrow_bump = 245;
    tranche.pool = *pool_key;
    tranche.share_mint = pda::share_mint(&tranche_key);
    tranche.vault = pda::tranche_vault(&tranche_key);
    tranche.share_escrow = pda::share_escrow(&tranche_key);
    tranche.assets = 0x0000_0123_4567_89ab;
    tranche.total_shares = u64::MAX - 12;
    tranche.loss_outstanding = 55_555;
    tranche.cumulative_yield = 0x0102_0304_0506;
    tranche.cumulative_loss = 66_666;
    tranche.last_settled_ts = now - 86_400;
    tranche.yield_owed_wad = strata::state::pod::store_u128(123_456_789_000_000_000_000_000);
    tranche.escrowed_shares = 1_000_000;
    tranche.target_apr_bps = 450;
    tranche.min_subordination_bps = 2_500;
    tranche.collateral_held = [7_000_000_000, 1_234_567, 0, 0, 0, 0, 0, 0];
    // A draw nothing uses: it keeps the vectors stable (dropping it would change the
    // allowlist entry's wallet, drawn next from the same generator).
    let _ = key(rng);
    let bytes = [Tranche::DISCRIMINATOR, bytemuck::bytes_of(&tranche)].concat();
    let state = tranche.state();
    let nav = state.nav(&pool.price_views(), now).expect("nav");
    let fields = fields!(tranche; version, bump, index, share_mint_bump, vault_bump, pool, escrow_bump, share_escrow,
        share_mint, vault, assets, total_shares, loss_outstanding, cumulative_yield, cumulative_loss, last_settled_ts,
        target_apr_bps, yield_owed_wad: hex(&tranche.yield_owed_wad), escrowed_shares, min_subordination_bps,
        collateral_held);
    obj! { address: tranche_key, data: hex(&bytes), size: Tranche::SIZE, fields, state: crate::json::j(&state), nav }
}

fn allowlist_entry(rng: &mut Rng, pool_key: &Pubkey) -> Value {
    let wallet = key(rng);
    let mut entry: AllowlistEntry = bytemuck::Zeroable::zeroed();
    entry.version = 1;
    entry.bump = 246;
    entry.pool = *pool_key;
    entry.wallet = wallet;
    let bytes = [AllowlistEntry::DISCRIMINATOR, bytemuck::bytes_of(&entry)].concat();
    obj! { address: pda::allowlist_entry(pool_key, &wallet), data: hex(&bytes), size: AllowlistEntry::SIZE,
    fields: fields!(entry; version, bump, pool, wallet) }
}

/// The program's name for an error (core errors through `StrataError::from`).
fn anchor_error_name(error: anchor_lang::error::Error) -> String {
    match error {
        anchor_lang::error::Error::AnchorError(e) => e.error_name,
        other => panic!("not a program error: {other:?}"),
    }
}

/// The `quote_liquidation` view's quote, sized by the program's own `plan`.
fn quote(pool: &Pool, position: &Position, index: u8, repay: u64, now: i64) -> Result<LiquidationQuote, String> {
    let core_error = crate::core::error_name;
    let debt = pool.accrued_debt_state(now).map_err(core_error)?;
    let plan = strata::instructions::liquidation::plan::plan(pool, &debt, position, index, repay, now)
        .map_err(anchor_error_name)?;
    LiquidationQuote::from_plan(&plan, index).map_err(core_error)
}

fn report_json(r: &HealthReport) -> Value {
    fields!(r; debt, collateral_value, liquidation_value, borrow_limit, health_wad, conservative_health_wad,
        liquidatable, insolvent, rate_index_wad, timestamp)
}

fn quote_json(q: &LiquidationQuote) -> Value {
    fields!(q; shortfall, repay, seized, bonus_bps, bad_debt, health_before_wad, health_after_wad)
}

/// Positions in several states against the pool (and a variant whose second asset's
/// EMA deviates, so that its borrow limit is unknown): the health report and quotes
/// the views return, with the Borsh return data.
fn views(pool: &Pool, healthy: &Position, now: i64) -> Value {
    let with = |collateral: [u64; 8], shares: u128| {
        let mut p = *healthy;
        p.collateral = collateral;
        p.set_debt_shares(shares);
        p
    };
    let mut deviating = *pool;
    let price = u128::from_le_bytes(deviating.collaterals[1].price_wad);
    deviating.collaterals[1].ema_price_wad = (price * 4 / 5).to_le_bytes();
    let positions = [
        ("healthy", pool, *healthy, now),
        ("unhealthy", pool, with([20_000_000_000, 0, 0, 0, 0, 0, 0, 0], 2_500_000_000), now),
        ("insolvent", pool, with([10_000_000_000, 1_000_000_000, 0, 0, 0, 0, 0, 0], 3_000_000_000), now),
        (
            "insolvent, unknown borrow limit",
            &deviating,
            with([10_000_000_000, 1_000_000_000, 0, 0, 0, 0, 0, 0], 3_000_000_000),
            now,
        ),
        ("no debt", pool, with([1, 0, 0, 0, 0, 0, 0, 0], 0), now),
        ("stale", pool, *healthy, now + 3_600),
    ];
    let cases: Vec<Value> = positions
        .iter()
        .map(|(name, pool, position, now)| {
            let pool_bytes = [Pool::DISCRIMINATOR, bytemuck::bytes_of(*pool)].concat();
            let position_bytes = [Position::DISCRIMINATOR, bytemuck::bytes_of(position)].concat();
            let health = match HealthReport::compute(pool, position, *now) {
                Ok(r) => obj! { out: report_json(&r), return_data: crate::events::return_data(&r) },
                Err(e) => obj! { error: crate::core::error_name(e) },
            };
            let quotes: Vec<Value> = [(0u8, u64::MAX), (0, 1_000_000_000), (1, u64::MAX), (0, 0), (2, u64::MAX)]
                .into_iter()
                .map(|(index, repay)| {
                    let outcome = match quote(pool, position, index, repay, *now) {
                        Ok(q) => obj! { out: quote_json(&q), return_data: crate::events::return_data(&q) },
                        Err(error) => obj! { error },
                    };
                    merged(obj! { collateral_index: index, repay_amount: repay }, outcome)
                })
                .collect();
            obj! { name, now, pool: hex(&pool_bytes), position: hex(&position_bytes), health, quotes }
        })
        .collect();
    Value::Array(cases)
}
