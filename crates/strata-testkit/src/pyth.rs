//! Forged Pyth accounts, byte-for-byte what the Pyth programs write, at any price,
//! confidence, exponent, publish time, status and verification level.

use anchor_lang::prelude::Pubkey;
use anchor_lang::AccountSerialize;
use pyth_sdk_solana::state::{AccountType, PriceStatus, Rational, SolanaPriceAccount, MAGIC, VERSION_2};
use pyth_solana_receiver_sdk::price_update::{PriceFeedMessage, PriceUpdateV2, VerificationLevel};
use solana_account::Account;
use strata::state::OracleKind;

/// One oracle reading as a publisher would post it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PriceSpec {
    pub price: i64,
    pub conf: u64,
    pub expo: i32,
    pub ema_price: i64,
    pub ema_conf: u64,
    pub publish_time: i64,
    /// Legacy: aggregate status `Trading` (else `Halted`).
    pub trading: bool,
    /// Pull: `VerificationLevel::Full` (else `Partial { num_signatures: 5 }`).
    pub fully_verified: bool,
}

impl PriceSpec {
    /// A clean price `price × 10^expo`, EMA equal to spot, no confidence interval.
    pub fn new(price: i64, expo: i32, publish_time: i64) -> Self {
        Self { price, conf: 0, expo, ema_price: price, ema_conf: 0, publish_time, trading: true, fully_verified: true }
    }

    pub fn conf(mut self, conf: u64) -> Self {
        self.conf = conf;
        self.ema_conf = conf;
        self
    }

    pub fn ema(mut self, ema_price: i64) -> Self {
        self.ema_price = ema_price;
        self
    }

    pub fn halted(mut self) -> Self {
        self.trading = false;
        self
    }

    pub fn partially_verified(mut self) -> Self {
        self.fully_verified = false;
        self
    }
}

/// Data of a legacy Pyth price account (`SolanaPriceAccount`).
pub fn legacy_data(spec: &PriceSpec) -> Vec<u8> {
    // Field by field into zeroed memory: a struct literal leaves its padding bytes
    // undefined, and they would leak into the bytes (and the committed vectors).
    let mut account: SolanaPriceAccount = bytemuck::Zeroable::zeroed();
    account.magic = MAGIC;
    account.ver = VERSION_2;
    account.atype = AccountType::Price as u32;
    account.size = core::mem::size_of::<SolanaPriceAccount>() as u32;
    account.expo = spec.expo;
    account.num = 1;
    account.num_qt = 1;
    account.timestamp = spec.publish_time;
    account.prev_timestamp = spec.publish_time;
    account.prev_price = spec.price;
    account.prev_conf = spec.conf;
    account.ema_price = Rational { val: spec.ema_price, numer: spec.ema_price, denom: 1 };
    account.ema_conf = Rational { val: spec.ema_conf as i64, numer: spec.ema_conf as i64, denom: 1 };
    account.agg.price = spec.price;
    account.agg.conf = spec.conf;
    account.agg.status = if spec.trading { PriceStatus::Trading } else { PriceStatus::Halted };
    bytemuck::bytes_of(&account).to_vec()
}

/// Data of a pull-oracle `PriceUpdateV2` account for `feed_id`.
pub fn pull_data(spec: &PriceSpec, feed_id: [u8; 32]) -> Vec<u8> {
    let update = PriceUpdateV2 {
        write_authority: Pubkey::new_unique(),
        verification_level: if spec.fully_verified {
            VerificationLevel::Full
        } else {
            VerificationLevel::Partial { num_signatures: 5 }
        },
        price_message: PriceFeedMessage {
            feed_id,
            price: spec.price,
            conf: spec.conf,
            exponent: spec.expo,
            publish_time: spec.publish_time,
            prev_publish_time: spec.publish_time - 1,
            ema_price: spec.ema_price,
            ema_conf: spec.ema_conf,
        },
        posted_slot: 0,
    };
    let mut data = Vec::with_capacity(PriceUpdateV2::LEN);
    update.try_serialize(&mut data).expect("PriceUpdateV2 serializes");
    data
}

/// A complete oracle account of `kind`, owned by the matching Pyth program.
pub fn oracle_account(kind: OracleKind, spec: &PriceSpec, feed_id: [u8; 32]) -> Account {
    let (data, owner) = match kind {
        OracleKind::PythLegacy => (legacy_data(spec), strata::constants::pyth::LEGACY_PROGRAM_ID),
        OracleKind::PythPull => (pull_data(spec, feed_id), strata::constants::pyth::RECEIVER_PROGRAM_ID),
    };
    Account { lamports: 1_000_000_000, data, owner, executable: false, rent_epoch: 0 }
}
