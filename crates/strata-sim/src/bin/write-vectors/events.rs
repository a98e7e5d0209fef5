//! Vectors of what the program writes into transactions: every event of
//! `strata::events` as `anchor_lang::Event::data()` bytes (discriminator ‖ Borsh) with the
//! values a decoder must read, a transaction log mixing them with other programs'
//! lines, and the Borsh return data of the `health` and `quote_liquidation` views.

use anchor_lang::prelude::Pubkey;
use anchor_lang::{AnchorSerialize, Event};
use base64::Engine;
use serde_json::{json, Map, Value};
use strata::events::*;
use strata::state::{CollateralParams, OracleKind, PoolParams, TrancheParams};

use crate::chain::key;
use crate::gen::Rng;
use crate::json::{camel, hex, J};

pub fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// One event: its name, its bytes and the values in them.
struct Sample {
    name: &'static str,
    data: Vec<u8>,
    fields: Value,
}

impl Sample {
    fn json(&self) -> Value {
        json!({ "name": self.name, "data": hex(&self.data), "fields": self.fields })
    }
}

/// Builds an event and the JSON of its fields from one list of `field: value`.
macro_rules! event {
    ($name:ident { $($field:ident $(: $value:expr)?),* $(,)? }) => {{
        let event = $name { $($field $(: $value)?),* };
        let mut fields = Map::new();
        $( fields.insert(camel(stringify!($field)), J::j(&event.$field)); )*
        Sample { name: stringify!($name), data: event.data(), fields: Value::Object(fields) }
    }};
}

/// Every event, with values that catch width, sign and order mistakes: 128-bit values
/// above 2^64, 64-bit values above 2^32, negative times, distinct keys.
fn samples(rng: &mut Rng) -> Vec<Sample> {
    let [pool, a, b, c, d, e] = std::array::from_fn(|_| key(rng));
    let feed = key(rng).to_bytes();
    let big = u128::from(u64::MAX) * 3 + 7;
    let wide = 0x0102_0304_0506_0708u64;
    let pool_params = PoolParams {
        stability_fee_bps: 500,
        debt_ceiling: u64::MAX - 1,
        min_debt: 10_000_000,
        close_factor_bps: 5_000,
        keeper_tip_bps: 50,
        protocol_fee_bps: 1_000,
        coverage_floor_bps: 1_500,
        redemption_delay_secs: 86_400,
    };
    let other_pool_params = PoolParams { stability_fee_bps: 4_999, debt_ceiling: 7, ..pool_params };
    let collateral = CollateralParams {
        ltv_bps: 5_000,
        liquidation_threshold_bps: 8_000,
        liquidation_bonus_min_bps: 200,
        liquidation_bonus_max_bps: 1_000,
        deposit_cap: u64::MAX / 3,
        max_age_secs: 86_400,
        max_conf_bps: 200,
        max_ema_deviation_bps: 500,
    };
    let other_collateral = CollateralParams { ltv_bps: 6_500, max_age_secs: u32::MAX, ..collateral };
    let tranche = TrancheParams { target_apr_bps: 450, min_subordination_bps: 2_500 };
    let other_tranche = TrancheParams { target_apr_bps: 0, min_subordination_bps: 9_500 };
    let eight = [1, u64::MAX, 0, wide, 5, 6, 7, 8];
    vec![
        event!(PoolInitialized {
            pool,
            authority: a,
            pool_id: u64::MAX - 9,
            note_mint: b,
            treasury: c,
            permissioned: true,
            params: pool_params,
        }),
        event!(PoolParamsUpdated { pool, old: pool_params, new: other_pool_params, old_treasury: a, new_treasury: b }),
        event!(CollateralAdded {
            pool,
            index: 7,
            mint: a,
            token_program: b,
            vault: c,
            decimals: 18,
            oracle_kind: OracleKind::PythPull,
            oracle: d,
            feed_id: feed,
            params: collateral,
        }),
        event!(CollateralUpdated {
            pool,
            index: 3,
            old: collateral,
            new: other_collateral,
            old_oracle: a,
            new_oracle: b,
            old_feed_id: [0; 32],
            new_feed_id: feed,
        }),
        event!(PauseFlagsSet { pool, old: 0b10101, new: 0b01010 }),
        event!(AuthorityProposed { pool, authority: a, pending_authority: Pubkey::default() }),
        event!(AuthorityAccepted { pool, old_authority: a, new_authority: b }),
        event!(PositionOpened { pool, position: a, owner: b }),
        event!(PositionClosed { pool, position: a, owner: b }),
        event!(CollateralDeposited {
            pool,
            position: a,
            owner: b,
            collateral_index: 1,
            amount: wide,
            position_collateral: u64::MAX,
            total_deposited: wide + 1,
        }),
        event!(CollateralWithdrawn {
            pool,
            position: a,
            owner: b,
            collateral_index: 2,
            amount: 1,
            position_collateral: 0,
            total_deposited: wide,
        }),
        event!(OracleRefreshed {
            pool,
            collateral_index: 0,
            price_wad: big,
            ema_price_wad: u128::MAX,
            conf_wad: 1,
            publish_time: -1_750_000_000,
            slot: u64::MAX - 3,
        }),
        event!(InterestAccrued { pool, rate_index_wad: big, fees: wide, pending_fees: u64::MAX, timestamp: i64::MIN }),
        event!(NotesMinted {
            pool,
            position: a,
            owner: b,
            amount: wide,
            shares_issued: big,
            position_debt: wide * 2,
            rate_index_wad: u128::MAX - 1,
        }),
        event!(NotesRepaid {
            pool,
            position: a,
            payer: c,
            amount: 9,
            shares_burned: big + 1,
            position_debt: 0,
            rate_index_wad: 1_000_000_000_000_000_000,
        }),
        event!(PositionLiquidated {
            pool,
            position: a,
            keeper: b,
            collateral_index: 5,
            repaid: wide,
            seized: eight,
            bonus_bps: 699,
            bad_debt: 3,
            health_before_wad: 950_000_000_000_000_000,
            health_after_wad: u128::MAX,
            debt_after: 0,
        }),
        event!(BadDebtBooked { pool, position: a, amount: wide, pool_bad_debt: u64::MAX }),
        event!(BatchPositionLiquidated {
            position: a,
            repaid: wide,
            seized: u64::MAX,
            bonus_bps: 250,
            bad_debt: 7,
            health_before_wad: 950_000_000_000_000_000,
            health_after_wad: u64::MAX,
            debt_after: 0,
        }),
        event!(BatchPositionSkipped { position: a, reason: SkipReason::NeedsFullSettlement }),
        event!(BatchPositionSkipped { position: b, reason: SkipReason::BudgetExhausted }),
        event!(BatchLiquidated {
            pool,
            keeper: a,
            collateral_index: 4,
            liquidated: 23,
            skipped: u16::MAX,
            repaid: wide,
            seized: u64::MAX,
            loss_taken: [1, 0, u64::MAX, 3],
            loss_uncovered: wide,
            pool_bad_debt: u64::MAX,
        }),
        event!(TrancheInitialized { pool, tranche: a, index: 3, share_mint: b, vault: c, params: tranche }),
        event!(TrancheUpdated { pool, index: 1, old: tranche, new: other_tranche }),
        event!(AllowlistChanged { pool, wallet: a, allowed: false }),
        event!(ShareAccountsFrozen { pool, wallet: a, accounts: 4 }),
        event!(ShareAccountThawed { pool, index: 3, owner: b, account: a }),
        event!(TrancheDeposited {
            pool,
            index: 2,
            depositor: a,
            amount: wide,
            shares: wide * 100,
            assets: u64::MAX,
            total_shares: 1,
        }),
        event!(RedemptionRequested {
            pool,
            index: 1,
            holder: a,
            shares: wide,
            requested_at: -5,
            claimable_at: i64::MAX,
            escrowed_shares: u64::MAX,
        }),
        event!(RedemptionClaimed {
            pool,
            index: 0,
            holder: a,
            shares: 5,
            notes: wide,
            collateral: eight,
            share_price_wad: u128::MAX - 1,
            assets: 0,
            total_shares: u64::MAX,
        }),
        event!(RedemptionCancelled { pool, index: 3, holder: b, shares: 1 }),
        event!(ProtocolFeePaid { pool, treasury: c, amount: wide }),
        event!(IncomeDistributed {
            pool,
            fees: wide,
            protocol_fee: 11,
            bad_debt_repaid: 0,
            recovered: [1, 2, 3, u64::MAX],
            yielded: [wide, 0, 0, 4],
            yield_owed: [7, u64::MAX, 0, 1],
            turbo: true,
        }),
        event!(LossAllocated {
            pool,
            position: a,
            taken: [0, 0, wide, 1],
            compensated: [wide, 0, 3, 0],
            lost: [0, 2, 0, u64::MAX],
            uncovered: u64::MAX,
        }),
        event!(CollateralRecovered {
            pool,
            index: 1,
            collateral_index: 7,
            buyer: b,
            notes_in: wide,
            collateral_out: u64::MAX,
            price_wad: big,
            discount_bps: 200,
            collateral_held: 0,
            assets: 5,
        }),
        event!(PositionAbsorbed {
            pool,
            position: a,
            keeper: b,
            full: false,
            paid: [wide, 0, 1, 2],
            moved: eight,
            tip: [0, 1, 0, 0, 0, 0, 0, u64::MAX],
            debt_after: wide,
            health_before_wad: big,
            health_after_wad: big + 5,
        }),
        event!(CoverageChecked { pool, coverage_bps: 999, floor_bps: 1_000, old_mode: 0, new_mode: 1 }),
        event!(ShortfallFlagged { pool, position: e, pending: true, pool_loss_pending_count: u32::MAX - 1 }),
    ]
}

/// Every event's bytes and fields, and a transaction log in which Strata emits some of
/// them next to lines a decoder must pass over: other programs' `Program data:` (even
/// with a Strata event's bytes), a CPI, an unknown discriminator, compute and return
/// lines.
pub fn events(rng: &mut Rng) -> Value {
    let samples = samples(rng);
    let by_name = |name: &str| samples.iter().find(|s| s.name == name).expect("sample");
    let strata = strata::ID.to_string();
    let token = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
    let other = key(rng).to_string();
    let data = |name: &str| format!("Program data: {}", base64(&by_name(name).data));
    let logs = vec![
        "Program ComputeBudget111111111111111111111111111111 invoke [1]".to_string(),
        "Program ComputeBudget111111111111111111111111111111 success".to_string(),
        format!("Program {strata} invoke [1]"),
        "Program log: Instruction: Liquidate".to_string(),
        data("InterestAccrued"),
        format!("Program {token} invoke [2]"),
        "Program log: Instruction: Burn".to_string(),
        data("BadDebtBooked"), // emitted by the token program: not Strata's
        format!("Program {token} consumed 4753 of 180000 compute units"),
        format!("Program {token} success"),
        data("PositionLiquidated"),
        data("BatchPositionSkipped"),
        format!("Program {strata} consumed 52000 of 200000 compute units"),
        format!("Program return: {strata} AQID"),
        format!("Program {strata} success"),
        format!("Program {other} invoke [1]"),
        data("PoolInitialized"), // another program
        format!("Program {other} invoke [2]"),
        format!("Program {strata} invoke [2]"), // Strata by CPI
        format!("Program data: {}", base64(b"not an event of Strata")),
        data("ShortfallFlagged"),
        format!("Program {strata} success"),
        "Program log: Program data: not a data line".to_string(),
        format!("Program {other} success"),
        format!("Program {other} success"),
    ];
    let expected = ["InterestAccrued", "PositionLiquidated", "BatchPositionSkipped", "ShortfallFlagged"];
    json!({
        "samples": samples.iter().map(Sample::json).collect::<Vec<_>>(),
        "logs": logs,
        "fromLogs": expected.iter().map(|name| json!({ "name": name,
            "fields": by_name(name).fields })).collect::<Vec<_>>(),
    })
}

/// Return data of a view: Borsh bytes, base64, and the same bytes with trailing zeros
/// stripped (what RPC nodes before Agave 1.17 answer).
pub fn return_data<T: AnchorSerialize>(value: &T) -> Value {
    let bytes = anchor_lang::prelude::borsh::to_vec(value).expect("borsh");
    let trimmed = bytes.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
    json!({ "hex": hex(&bytes), "base64": base64(&bytes), "trimmedBase64": base64(&bytes[..trimmed]) })
}
