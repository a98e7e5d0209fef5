//! The pool: its collateral basket, its debt, and its admin state.

use anchor_lang::prelude::*;
use strata_core::flows::redemption_delay_is_valid;
use strata_core::income::IncomeLedger;
use strata_core::{CollateralView, CoreResult, DebtState, WAD};

use super::collateral::CollateralConfig;
use super::params::PoolParams;
use super::pod::{load_u128, store_u128};
use super::position::{position_flags, Position};
use crate::constants::{pause, ACCOUNT_VERSION, MAX_COLLATERALS, MAX_TRANCHES, POOL_SEED};
use crate::errors::StrataError;

/// `Pool::mode`.
pub mod mode {
    pub const NORMAL: u8 = 0;
    /// Coverage test failed: no minting, all income to the senior tranche.
    pub const TURBO: u8 = 1;
}

/// `["pool", creator, pool_id]`. Byte offsets (with the 8-byte discriminator):
/// `authority` 72, `note_mint` 136, `collaterals` 272 (288 bytes each).
#[account(zero_copy)]
#[derive(Debug)]
pub struct Pool {
    pub version: u8,
    pub bump: u8,
    pub note_mint_bump: u8,
    pub collateral_count: u8,
    pub tranche_count: u8,
    /// [`mode`]: `NORMAL` or `TURBO`.
    pub mode: u8,
    /// 1 when opening positions and holding tranche shares need an allowlist entry.
    pub permissioned: u8,
    pub _padding0: [u8; 1],
    /// [`pause`] bits.
    pub pause_flags: u16,
    pub stability_fee_bps: u16,
    pub close_factor_bps: u16,
    pub keeper_tip_bps: u16,
    pub protocol_fee_bps: u16,
    pub coverage_floor_bps: u16,
    pub _padding1: [u8; 4],
    pub pool_id: u64,
    /// The authority at creation; part of the PDA seeds forever.
    pub creator: Pubkey,
    pub authority: Pubkey,
    /// Proposed next authority; `Pubkey::default()` when none.
    pub pending_authority: Pubkey,
    pub note_mint: Pubkey,
    /// Note account that receives the protocol fee.
    pub treasury: Pubkey,
    /// Σ positions' debt shares (u128).
    pub debt_shares: [u8; 16],
    /// Notes owed per debt share, WAD (u128).
    pub rate_index_wad: [u8; 16],
    pub last_accrual_ts: i64,
    pub debt_ceiling: u64,
    pub min_debt: u64,
    /// Stability fees accrued as debt, not yet distributed; native note units.
    pub pending_fees: u64,
    /// Loss no tranche could cover; native note units.
    pub bad_debt: u64,
    pub collaterals: [CollateralConfig; MAX_COLLATERALS],
    /// Positions reported insolvent whose loss is not booked yet; tranche deposits
    /// and withdrawals wait for zero.
    pub loss_pending_count: u32,
    /// Seconds between a redemption request and its claim.
    pub redemption_delay_secs: u32,
    /// The part of `pending_fees` owed to the treasury: settled, not yet minted to it
    /// (`distribute` does), native note units.
    pub protocol_fee_owed: u64,
    pub reserved: [u8; 496],
}

const _: () = assert!(core::mem::size_of::<Pool>() == 3_080);

/// Signer seeds of a pool PDA, copied out so the pool's data borrow can end before
/// a CPI that names the pool as authority.
pub struct PoolSigner {
    creator: Pubkey,
    pool_id: [u8; 8],
    bump: [u8; 1],
}

impl PoolSigner {
    pub fn seeds(&self) -> [&[u8]; 4] {
        [POOL_SEED, self.creator.as_ref(), &self.pool_id, &self.bump]
    }

    /// Runs a CPI builder with the pool PDA's signer seeds.
    pub fn sign<R>(&self, cpi: impl FnOnce(&[&[&[u8]]]) -> R) -> R {
        let seeds = self.seeds();
        cpi(&[&seeds])
    }
}

impl Pool {
    pub const SIZE: usize = 8 + core::mem::size_of::<Pool>();

    pub fn signer(&self) -> PoolSigner {
        PoolSigner { creator: self.creator, pool_id: self.pool_id.to_le_bytes(), bump: [self.bump] }
    }

    pub fn params(&self) -> PoolParams {
        PoolParams {
            stability_fee_bps: self.stability_fee_bps,
            debt_ceiling: self.debt_ceiling,
            min_debt: self.min_debt,
            close_factor_bps: self.close_factor_bps,
            keeper_tip_bps: self.keeper_tip_bps,
            protocol_fee_bps: self.protocol_fee_bps,
            coverage_floor_bps: self.coverage_floor_bps,
            redemption_delay_secs: self.redemption_delay_secs,
        }
    }

    pub fn set_params(&mut self, p: &PoolParams) {
        self.stability_fee_bps = p.stability_fee_bps;
        self.debt_ceiling = p.debt_ceiling;
        self.min_debt = p.min_debt;
        self.close_factor_bps = p.close_factor_bps;
        self.keeper_tip_bps = p.keeper_tip_bps;
        self.protocol_fee_bps = p.protocol_fee_bps;
        self.coverage_floor_bps = p.coverage_floor_bps;
        self.redemption_delay_secs = p.redemption_delay_secs;
    }

    /// The income side of the pool as the core's settlement sees it.
    pub fn income_ledger(&self) -> IncomeLedger {
        IncomeLedger {
            protocol_fee_owed: self.protocol_fee_owed,
            bad_debt: self.bad_debt,
            protocol_fee_bps: self.protocol_fee_bps,
            turbo: self.mode == mode::TURBO,
        }
    }

    /// Writes back what a settlement changes in the ledger.
    pub fn set_income_ledger(&mut self, ledger: &IncomeLedger) {
        self.protocol_fee_owed = ledger.protocol_fee_owed;
        self.bad_debt = ledger.bad_debt;
    }

    /// The largest `max_age_secs` of the listed collaterals (what the redemption
    /// delay must exceed).
    pub fn max_oracle_age_secs(&self) -> u32 {
        self.listed().iter().map(|c| c.max_age_secs).max().unwrap_or(0)
    }

    /// Refuses a redemption delay (and collateral ages) under which a loss existing
    /// at a request could go unseen until its claim.
    pub fn require_valid_redemption_delay(&self, delay_secs: u32, max_age_secs: u32) -> Result<()> {
        require!(redemption_delay_is_valid(delay_secs, max_age_secs), StrataError::RedemptionDelayTooShort);
        Ok(())
    }

    pub fn debt_state(&self) -> DebtState {
        DebtState {
            total_shares: load_u128(&self.debt_shares),
            rate_index_wad: load_u128(&self.rate_index_wad),
            stability_fee_bps: self.stability_fee_bps,
            last_accrual_ts: self.last_accrual_ts,
            pending_fees: self.pending_fees,
            debt_ceiling: self.debt_ceiling,
            min_debt: self.min_debt,
        }
    }

    /// The debt state accrued to `now` on a copy: nothing is written.
    pub fn accrued_debt_state(&self, now: i64) -> CoreResult<DebtState> {
        let mut debt = self.debt_state();
        debt.accrue(now)?;
        Ok(debt)
    }

    /// Writes back what the core may change (shares, index, accrual time, fees).
    pub fn set_debt_state(&mut self, debt: &DebtState) {
        self.debt_shares = store_u128(debt.total_shares);
        self.rate_index_wad = store_u128(debt.rate_index_wad);
        self.last_accrual_ts = debt.last_accrual_ts;
        self.pending_fees = debt.pending_fees;
    }

    /// The listed collateral at `index`.
    pub fn collateral(&self, index: u8) -> Result<&CollateralConfig> {
        require!(index < self.collateral_count, StrataError::InvalidCollateralIndex);
        Ok(&self.collaterals[usize::from(index)])
    }

    pub fn collateral_mut(&mut self, index: u8) -> Result<&mut CollateralConfig> {
        require!(index < self.collateral_count, StrataError::InvalidCollateralIndex);
        Ok(&mut self.collaterals[usize::from(index)])
    }

    /// The listed collaterals.
    pub fn listed(&self) -> &[CollateralConfig] {
        &self.collaterals[..usize::from(self.collateral_count)]
    }

    /// The core's view of a position's collateral (slots beyond the listed ones are
    /// empty and never valued).
    pub fn collateral_views(&self, amounts: &[u64; MAX_COLLATERALS]) -> [CollateralView; MAX_COLLATERALS] {
        let mut views = [CollateralView::default(); MAX_COLLATERALS];
        for (index, config) in self.listed().iter().enumerate() {
            views[index] = config.view(amounts[index]);
        }
        views
    }

    /// The core's view of every listed asset's price, holding nothing (what tranche
    /// NAVs are valued with).
    pub fn price_views(&self) -> [CollateralView; MAX_COLLATERALS] {
        self.collateral_views(&[0; MAX_COLLATERALS])
    }

    /// Takes `amounts` off the pool's totals (collateral leaving the pool).
    pub fn release_collateral(&mut self, amounts: &[u64; MAX_COLLATERALS]) -> Result<()> {
        for (config, amount) in self.collaterals.iter_mut().zip(amounts).filter(|(_, amount)| **amount > 0) {
            config.total_deposited =
                config.total_deposited.checked_sub(*amount).ok_or(StrataError::InvariantViolation)?;
        }
        Ok(())
    }

    pub fn require_not_paused(&self, family: u16) -> Result<()> {
        require!(self.pause_flags & family == 0, StrataError::Paused);
        Ok(())
    }

    pub fn is_permissioned(&self) -> bool {
        self.permissioned != 0
    }

    /// Tranche deposits and withdrawals wait while a loss is pending, so nobody can
    /// leave (or enter) at the pre-loss price.
    pub fn require_no_pending_loss(&self) -> Result<()> {
        require!(self.loss_pending_count == 0, StrataError::LossPending);
        Ok(())
    }

    pub fn require_tranches(&self) -> Result<()> {
        require!(self.tranche_count > 0, StrataError::NoTranches);
        Ok(())
    }

    /// Reports `position` insolvent: a loss is pending until it is booked.
    pub fn flag_loss_pending(&mut self, position: &mut Position) -> Result<()> {
        position.flags |= position_flags::LOSS_PENDING;
        self.loss_pending_count = self.loss_pending_count.checked_add(1).ok_or(StrataError::MathOverflow)?;
        Ok(())
    }

    /// Sets a position's debt shares; a position that owes nothing has no loss
    /// pending, so a report ends with its debt (whoever repaid or liquidated it).
    pub fn set_position_debt_shares(&mut self, position: &mut Position, shares: u128) -> Result<()> {
        position.set_debt_shares(shares);
        if shares == 0 {
            self.clear_loss_pending(position)?;
        }
        Ok(())
    }

    /// Ends `position`'s pending-loss report, if any: its loss is booked (or it has
    /// none left).
    pub fn clear_loss_pending(&mut self, position: &mut Position) -> Result<()> {
        if position.loss_pending() {
            position.flags &= !position_flags::LOSS_PENDING;
            self.loss_pending_count = self.loss_pending_count.checked_sub(1).ok_or(StrataError::InvariantViolation)?;
        }
        Ok(())
    }

    /// Structural invariants checked at the end of every instruction that changes
    /// the pool.
    pub fn invariant(&self) -> Result<()> {
        require!(self.version == ACCOUNT_VERSION, StrataError::InvariantViolation);
        require!(self.authority != Pubkey::default(), StrataError::InvariantViolation);
        require!(self.note_mint != Pubkey::default(), StrataError::InvariantViolation);
        require!(self.mode == mode::NORMAL || self.mode == mode::TURBO, StrataError::InvariantViolation);
        // Only the coverage test enters Turbo, and it needs tranches.
        require!(self.mode == mode::NORMAL || self.tranche_count > 0, StrataError::InvariantViolation);
        require!(self.permissioned <= 1, StrataError::InvariantViolation);
        // A pending loss is a reported position that still owes notes.
        require!(self.loss_pending_count == 0 || load_u128(&self.debt_shares) > 0, StrataError::InvariantViolation);
        let count = usize::from(self.collateral_count);
        require!(count <= MAX_COLLATERALS, StrataError::InvariantViolation);
        require!(usize::from(self.tranche_count) <= MAX_TRANCHES, StrataError::InvariantViolation);
        require!(self.pause_flags & !pause::ALL == 0, StrataError::InvariantViolation);
        require!(load_u128(&self.rate_index_wad) >= WAD, StrataError::InvariantViolation);
        self.params().validate()?;
        // Every listed oracle's staleness fits inside the redemption delay.
        self.require_valid_redemption_delay(self.redemption_delay_secs, self.max_oracle_age_secs())
            .map_err(|_| error!(StrataError::InvariantViolation))?;
        require!(self.protocol_fee_owed <= self.pending_fees, StrataError::InvariantViolation);
        for config in self.listed() {
            config.params().validate()?;
            require!(config.oracle_kind().is_some(), StrataError::InvariantViolation);
        }
        // Unlisted slots stay zeroed so they can never be mistaken for a listing.
        for config in &self.collaterals[count..] {
            require!(config.mint == Pubkey::default(), StrataError::InvariantViolation);
        }
        Ok(())
    }
}
