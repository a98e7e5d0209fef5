//! One listed collateral asset of a pool: where it lives, how it is priced, how much
//! debt it supports, and the last validated oracle price.

use anchor_lang::prelude::*;
use strata_core::{CachedPrice, CollateralView, PriceLimits};

use super::params::{CollateralParams, OracleKind};
use super::pod::{load_u128, store_u128};

#[zero_copy]
#[derive(Debug, PartialEq, Eq)]
pub struct CollateralConfig {
    pub mint: Pubkey,
    /// SPL Token or Token-2022.
    pub token_program: Pubkey,
    /// `["vault", pool, mint]`, owned by the pool PDA.
    pub vault: Pubkey,
    /// The one Pyth account refreshes must read.
    pub oracle: Pubkey,
    /// Pyth feed id (pull oracle); zeros for legacy.
    pub feed_id: [u8; 32],
    /// Cached spot price, WAD note units per native unit, rounded down.
    pub price_wad: [u8; 16],
    /// Cached EMA price, same unit, rounded down.
    pub ema_price_wad: [u8; 16],
    /// Cached spot confidence, same unit, rounded up.
    pub conf_wad: [u8; 16],
    /// Unix seconds of the cached update; 0 = never refreshed.
    pub publish_time: i64,
    /// Slot of the last refresh.
    pub refreshed_slot: u64,
    /// Most native units the pool may hold.
    pub deposit_cap: u64,
    /// Native units held for positions (and, later, tranches).
    pub total_deposited: u64,
    pub max_age_secs: u32,
    pub ltv_bps: u16,
    pub liquidation_threshold_bps: u16,
    pub liquidation_bonus_min_bps: u16,
    pub liquidation_bonus_max_bps: u16,
    pub max_conf_bps: u16,
    pub max_ema_deviation_bps: u16,
    pub decimals: u8,
    /// [`OracleKind`] as `u8`.
    pub oracle_kind: u8,
    pub vault_bump: u8,
    pub _padding: [u8; 5],
    pub reserved: [u8; 24],
}

const _: () = assert!(core::mem::size_of::<CollateralConfig>() == 288);

impl CollateralConfig {
    pub fn params(&self) -> CollateralParams {
        CollateralParams {
            ltv_bps: self.ltv_bps,
            liquidation_threshold_bps: self.liquidation_threshold_bps,
            liquidation_bonus_min_bps: self.liquidation_bonus_min_bps,
            liquidation_bonus_max_bps: self.liquidation_bonus_max_bps,
            deposit_cap: self.deposit_cap,
            max_age_secs: self.max_age_secs,
            max_conf_bps: self.max_conf_bps,
            max_ema_deviation_bps: self.max_ema_deviation_bps,
        }
    }

    pub fn set_params(&mut self, p: &CollateralParams) {
        self.ltv_bps = p.ltv_bps;
        self.liquidation_threshold_bps = p.liquidation_threshold_bps;
        self.liquidation_bonus_min_bps = p.liquidation_bonus_min_bps;
        self.liquidation_bonus_max_bps = p.liquidation_bonus_max_bps;
        self.deposit_cap = p.deposit_cap;
        self.max_age_secs = p.max_age_secs;
        self.max_conf_bps = p.max_conf_bps;
        self.max_ema_deviation_bps = p.max_ema_deviation_bps;
    }

    pub fn oracle_kind(&self) -> Option<OracleKind> {
        OracleKind::from_u8(self.oracle_kind)
    }

    pub fn cached_price(&self) -> CachedPrice {
        CachedPrice {
            price_wad: load_u128(&self.price_wad),
            ema_price_wad: load_u128(&self.ema_price_wad),
            conf_wad: load_u128(&self.conf_wad),
            publish_time: self.publish_time,
        }
    }

    pub fn set_cached_price(&mut self, price: &CachedPrice, slot: u64) {
        self.price_wad = store_u128(price.price_wad);
        self.ema_price_wad = store_u128(price.ema_price_wad);
        self.conf_wad = store_u128(price.conf_wad);
        self.publish_time = price.publish_time;
        self.refreshed_slot = slot;
    }

    /// Forgets the cached price (after an oracle change), so nothing is valued with a
    /// price from the previous source.
    pub fn clear_cached_price(&mut self) {
        self.set_cached_price(&CachedPrice::default(), 0);
    }

    pub fn limits(&self) -> PriceLimits {
        PriceLimits {
            max_age_secs: self.max_age_secs,
            max_conf_bps: self.max_conf_bps,
            max_ema_deviation_bps: self.max_ema_deviation_bps,
        }
    }

    /// The core's view of `amount` units of this asset.
    pub fn view(&self, amount: u64) -> CollateralView {
        CollateralView {
            amount,
            price: self.cached_price(),
            limits: self.limits(),
            ltv_bps: self.ltv_bps,
            liquidation_threshold_bps: self.liquidation_threshold_bps,
            liquidation_bonus_min_bps: self.liquidation_bonus_min_bps,
            liquidation_bonus_max_bps: self.liquidation_bonus_max_bps,
        }
    }
}
