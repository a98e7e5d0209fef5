//! A tranche: a slice of the pool's income and losses, held as shares.

use anchor_lang::prelude::*;
use strata_core::TrancheState;

use super::params::TrancheParams;
use super::pod::{load_u128, store_u128};
use crate::constants::{ACCOUNT_VERSION, MAX_COLLATERALS, MAX_TRANCHES};
use crate::errors::StrataError;

/// `["tranche", pool, index]`; index 0 is the most senior.
#[account(zero_copy)]
#[derive(Debug)]
pub struct Tranche {
    pub version: u8,
    pub bump: u8,
    pub index: u8,
    pub share_mint_bump: u8,
    pub vault_bump: u8,
    /// Bump of the share escrow `["share_escrow", tranche]`.
    pub escrow_bump: u8,
    pub _padding0: [u8; 2],
    pub pool: Pubkey,
    /// `["shares", tranche]`: SPL Token, 9 decimals, mint authority the pool PDA.
    pub share_mint: Pubkey,
    /// `["tranche_vault", tranche]`: note account owned by the pool PDA.
    pub vault: Pubkey,
    /// `["share_escrow", tranche]`: share account owned by the pool PDA, holding the
    /// shares of queued redemptions.
    pub share_escrow: Pubkey,
    /// Notes owed to holders (tracked; never read from the vault balance).
    pub assets: u64,
    pub total_shares: u64,
    /// Losses taken and not yet recovered, notes.
    pub loss_outstanding: u64,
    pub cumulative_yield: u64,
    pub cumulative_loss: u64,
    /// When income was last settled into the tranche; its target accrues from here.
    pub last_settled_ts: i64,
    pub target_apr_bps: u16,
    pub min_subordination_bps: u16,
    pub _padding1: [u8; 4],
    /// Collateral from absorbed positions, per pool collateral index.
    pub collateral_held: [u64; MAX_COLLATERALS],
    /// Target yield accrued and not yet paid, notes × WAD (u128).
    pub yield_owed_wad: [u8; 16],
    /// Shares in the redemption escrow, waiting for their claims (part of
    /// `total_shares`).
    pub escrowed_shares: u64,
    pub reserved: [u8; 64],
}

const _: () = assert!(Tranche::SIZE == 352);

impl Tranche {
    pub const SIZE: usize = 8 + core::mem::size_of::<Tranche>();

    pub fn state(&self) -> TrancheState {
        TrancheState {
            assets: self.assets,
            total_shares: self.total_shares,
            target_apr_bps: self.target_apr_bps,
            min_subordination_bps: self.min_subordination_bps,
            last_settled_ts: self.last_settled_ts,
            yield_owed_wad: load_u128(&self.yield_owed_wad),
            escrowed_shares: self.escrowed_shares,
            loss_outstanding: self.loss_outstanding,
            cumulative_yield: self.cumulative_yield,
            cumulative_loss: self.cumulative_loss,
            collateral_held: self.collateral_held,
        }
    }

    pub fn params(&self) -> TrancheParams {
        TrancheParams { target_apr_bps: self.target_apr_bps, min_subordination_bps: self.min_subordination_bps }
    }

    pub fn set_params(&mut self, p: &TrancheParams) {
        self.target_apr_bps = p.target_apr_bps;
        self.min_subordination_bps = p.min_subordination_bps;
    }

    /// Writes back what the core may change (not the admin parameters).
    pub fn set_state(&mut self, state: &TrancheState) {
        self.assets = state.assets;
        self.total_shares = state.total_shares;
        self.last_settled_ts = state.last_settled_ts;
        self.yield_owed_wad = store_u128(state.yield_owed_wad);
        self.escrowed_shares = state.escrowed_shares;
        self.loss_outstanding = state.loss_outstanding;
        self.cumulative_yield = state.cumulative_yield;
        self.cumulative_loss = state.cumulative_loss;
        self.collateral_held = state.collateral_held;
    }

    /// Field relations every instruction that changes a tranche leaves true.
    pub fn invariant(&self) -> Result<()> {
        require!(self.version == ACCOUNT_VERSION, StrataError::InvariantViolation);
        require!(usize::from(self.index) < MAX_TRANCHES, StrataError::InvariantViolation);
        require!(
            self.pool != Pubkey::default()
                && self.share_mint != Pubkey::default()
                && self.vault != Pubkey::default()
                && self.share_escrow != Pubkey::default(),
            StrataError::InvariantViolation
        );
        // Losses outstanding are losses taken and not yet recovered.
        require!(self.cumulative_loss >= self.loss_outstanding, StrataError::InvariantViolation);
        // Escrowed shares are shares that exist.
        require!(self.escrowed_shares <= self.total_shares, StrataError::InvariantViolation);
        self.params().validate()
    }
}

/// `["allow", pool, wallet]`: exists iff the wallet may open positions and hold
/// tranche shares in a permissioned pool.
#[account(zero_copy)]
#[derive(Debug)]
pub struct AllowlistEntry {
    pub version: u8,
    pub bump: u8,
    pub _padding: [u8; 6],
    pub pool: Pubkey,
    pub wallet: Pubkey,
}

const _: () = assert!(AllowlistEntry::SIZE == 80);

impl AllowlistEntry {
    pub const SIZE: usize = 8 + core::mem::size_of::<AllowlistEntry>();
}

/// `["redemption", tranche, owner]`: one holder's queued redemption of a tranche's
/// shares, escrowed until it is claimed (after the pool's redemption delay) or
/// cancelled. Closed by either, its rent back to the owner.
#[account(zero_copy)]
#[derive(Debug)]
pub struct RedemptionRequest {
    pub version: u8,
    pub bump: u8,
    pub _padding: [u8; 6],
    pub pool: Pubkey,
    pub tranche: Pubkey,
    pub owner: Pubkey,
    /// Shares in the escrow for this request.
    pub shares: u64,
    /// Unix seconds of the request; claimable from `requested_at + delay`.
    pub requested_at: i64,
    pub reserved: [u8; 16],
}

const _: () = assert!(RedemptionRequest::SIZE == 144);

impl RedemptionRequest {
    pub const SIZE: usize = 8 + core::mem::size_of::<RedemptionRequest>();

    pub fn invariant(&self) -> Result<()> {
        require!(self.version == ACCOUNT_VERSION, StrataError::InvariantViolation);
        require!(self.shares > 0 && self.owner != Pubkey::default(), StrataError::InvariantViolation);
        Ok(())
    }
}
