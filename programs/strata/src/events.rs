//! Events, one per state change. Units: amounts are native token units (notes have 6
//! decimals), `*_wad` are 1e18 fixed point, `*_bps` basis points, times Unix seconds.

use anchor_lang::prelude::*;

use crate::state::{CollateralParams, OracleKind, PoolParams};

#[event]
pub struct PoolInitialized {
    pub pool: Pubkey,
    pub authority: Pubkey,
    pub pool_id: u64,
    pub note_mint: Pubkey,
    pub treasury: Pubkey,
    pub permissioned: bool,
    pub params: PoolParams,
}

#[event]
pub struct PoolParamsUpdated {
    pub pool: Pubkey,
    pub old: PoolParams,
    pub new: PoolParams,
    pub old_treasury: Pubkey,
    pub new_treasury: Pubkey,
}

#[event]
pub struct CollateralAdded {
    pub pool: Pubkey,
    pub index: u8,
    pub mint: Pubkey,
    pub token_program: Pubkey,
    pub vault: Pubkey,
    pub decimals: u8,
    pub oracle_kind: OracleKind,
    pub oracle: Pubkey,
    pub feed_id: [u8; 32],
    pub params: CollateralParams,
}

#[event]
pub struct CollateralUpdated {
    pub pool: Pubkey,
    pub index: u8,
    pub old: CollateralParams,
    pub new: CollateralParams,
    pub old_oracle: Pubkey,
    pub new_oracle: Pubkey,
    pub old_feed_id: [u8; 32],
    pub new_feed_id: [u8; 32],
}

#[event]
pub struct PauseFlagsSet {
    pub pool: Pubkey,
    pub old: u16,
    pub new: u16,
}

#[event]
pub struct AuthorityProposed {
    pub pool: Pubkey,
    pub authority: Pubkey,
    /// `Pubkey::default()` cancels a pending proposal.
    pub pending_authority: Pubkey,
}

#[event]
pub struct AuthorityAccepted {
    pub pool: Pubkey,
    pub old_authority: Pubkey,
    pub new_authority: Pubkey,
}

#[event]
pub struct PositionOpened {
    pub pool: Pubkey,
    pub position: Pubkey,
    pub owner: Pubkey,
}

#[event]
pub struct PositionClosed {
    pub pool: Pubkey,
    pub position: Pubkey,
    pub owner: Pubkey,
}

#[event]
pub struct CollateralDeposited {
    pub pool: Pubkey,
    pub position: Pubkey,
    pub owner: Pubkey,
    pub collateral_index: u8,
    pub amount: u64,
    /// The position's balance of this collateral after the deposit.
    pub position_collateral: u64,
    /// The pool's total of this collateral after the deposit.
    pub total_deposited: u64,
}

#[event]
pub struct CollateralWithdrawn {
    pub pool: Pubkey,
    pub position: Pubkey,
    pub owner: Pubkey,
    pub collateral_index: u8,
    pub amount: u64,
    pub position_collateral: u64,
    pub total_deposited: u64,
}

#[event]
pub struct OracleRefreshed {
    pub pool: Pubkey,
    pub collateral_index: u8,
    pub price_wad: u128,
    pub ema_price_wad: u128,
    pub conf_wad: u128,
    pub publish_time: i64,
    pub slot: u64,
}

#[event]
pub struct InterestAccrued {
    pub pool: Pubkey,
    pub rate_index_wad: u128,
    /// Fees booked by this accrual, native note units.
    pub fees: u64,
    pub pending_fees: u64,
    pub timestamp: i64,
}

#[event]
pub struct NotesMinted {
    pub pool: Pubkey,
    pub position: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub shares_issued: u128,
    /// The position's debt after the mint, rounded up.
    pub position_debt: u64,
    pub rate_index_wad: u128,
}

#[event]
pub struct NotesRepaid {
    pub pool: Pubkey,
    pub position: Pubkey,
    pub payer: Pubkey,
    pub amount: u64,
    pub shares_burned: u128,
    pub position_debt: u64,
    pub rate_index_wad: u128,
}

#[event]
pub struct PositionLiquidated {
    pub pool: Pubkey,
    pub position: Pubkey,
    pub keeper: Pubkey,
    pub collateral_index: u8,
    /// Notes burned by the keeper.
    pub repaid: u64,
    /// Units of each collateral paid to the keeper.
    pub seized: [u64; 8],
    /// Bonus on `collateral_index`, basis points.
    pub bonus_bps: u16,
    /// Debt no collateral covered (insolvent settlement), native note units.
    pub bad_debt: u64,
    pub health_before_wad: u128,
    /// `u128::MAX` when no debt is left.
    pub health_after_wad: u128,
    pub debt_after: u64,
}

#[event]
pub struct BadDebtBooked {
    pub pool: Pubkey,
    pub position: Pubkey,
    pub amount: u64,
    /// The pool's total bad debt after booking.
    pub pool_bad_debt: u64,
}

/// Why a batch liquidation passed over a position.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    Healthy,
    AlreadyLiquidatedThisSlot,
    StalePrice,
    NoCollateralToSeize,
    WouldLowerHealth,
    /// Insolvent and holding other collaterals, or the batch did not bring the
    /// tranche accounts its loss must go through: needs the single `liquidate`.
    NeedsFullSettlement,
    BudgetExhausted,
}

/// One position liquidated by a `liquidate_batch`. Slimmer than
/// [`PositionLiquidated`] so that a batch of `MAX_BATCH_POSITIONS` stays inside
/// Solana's 10,000-byte log limit: the pool, keeper and collateral are the batch's
/// ([`BatchLiquidated`], emitted last), and only the batch's collateral is seized.
#[event]
pub struct BatchPositionLiquidated {
    pub position: Pubkey,
    /// Notes burned by the keeper.
    pub repaid: u64,
    /// Units of the batch's collateral paid to the keeper.
    pub seized: u64,
    pub bonus_bps: u16,
    /// Debt no collateral covered (insolvent settlement), native note units; how it
    /// fell on the tranches is in the batch's [`BatchLiquidated`].
    pub bad_debt: u64,
    /// WAD, saturating at `u64::MAX` (health above ~18.4).
    pub health_before_wad: u64,
    /// WAD, saturating at `u64::MAX` (`u64::MAX` when no debt is left).
    pub health_after_wad: u64,
    pub debt_after: u64,
}

#[event]
pub struct BatchPositionSkipped {
    pub position: Pubkey,
    pub reason: SkipReason,
}

/// The end of a `liquidate_batch`, after its positions' events.
#[event]
pub struct BatchLiquidated {
    pub pool: Pubkey,
    pub keeper: Pubkey,
    pub collateral_index: u8,
    pub liquidated: u16,
    pub skipped: u16,
    pub repaid: u64,
    pub seized: u64,
    /// Per tranche: notes the batch's settlements took (burned from its vault).
    pub loss_taken: [u64; 4],
    /// What no tranche covered (added to bad debt).
    pub loss_uncovered: u64,
    /// The pool's total bad debt after the batch.
    pub pool_bad_debt: u64,
}

#[event]
pub struct TrancheInitialized {
    pub pool: Pubkey,
    pub tranche: Pubkey,
    pub index: u8,
    pub share_mint: Pubkey,
    pub vault: Pubkey,
    pub params: crate::state::TrancheParams,
}

#[event]
pub struct TrancheUpdated {
    pub pool: Pubkey,
    pub index: u8,
    pub old: crate::state::TrancheParams,
    pub new: crate::state::TrancheParams,
}

#[event]
pub struct AllowlistChanged {
    pub pool: Pubkey,
    pub wallet: Pubkey,
    pub allowed: bool,
}

/// A disallowed wallet's share accounts frozen (permissioned pools).
#[event]
pub struct ShareAccountsFrozen {
    pub pool: Pubkey,
    pub wallet: Pubkey,
    pub accounts: u8,
}

/// A share account thawed for its allowlisted owner (permissioned pools).
#[event]
pub struct ShareAccountThawed {
    pub pool: Pubkey,
    pub index: u8,
    pub owner: Pubkey,
    pub account: Pubkey,
}

#[event]
pub struct TrancheDeposited {
    pub pool: Pubkey,
    pub index: u8,
    pub depositor: Pubkey,
    /// Notes deposited.
    pub amount: u64,
    /// Shares minted (9 decimals).
    pub shares: u64,
    /// Tranche assets (notes) after.
    pub assets: u64,
    pub total_shares: u64,
}

#[event]
pub struct RedemptionRequested {
    pub pool: Pubkey,
    pub index: u8,
    pub holder: Pubkey,
    /// Shares moved into the escrow (9 decimals).
    pub shares: u64,
    pub requested_at: i64,
    /// The earliest claim: `requested_at` + the pool's redemption delay.
    pub claimable_at: i64,
    /// The tranche's escrowed shares after.
    pub escrowed_shares: u64,
}

#[event]
pub struct RedemptionClaimed {
    pub pool: Pubkey,
    pub index: u8,
    pub holder: Pubkey,
    /// Escrowed shares burned.
    pub shares: u64,
    /// Notes paid.
    pub notes: u64,
    /// Collateral paid, per pool collateral index.
    pub collateral: [u64; 8],
    /// What one share paid, notes × WAD per share unit: notes plus collateral at
    /// spot, over the shares.
    pub share_price_wad: u128,
    /// Tranche assets (notes) and shares after.
    pub assets: u64,
    pub total_shares: u64,
}

#[event]
pub struct RedemptionCancelled {
    pub pool: Pubkey,
    pub index: u8,
    pub holder: Pubkey,
    /// Shares returned from the escrow.
    pub shares: u64,
}

/// A settlement of income through the waterfall (before every tranche flow, and by
/// `distribute`).
#[event]
pub struct IncomeDistributed {
    pub pool: Pubkey,
    /// Fees settled, notes.
    pub fees: u64,
    pub protocol_fee: u64,
    pub bad_debt_repaid: u64,
    /// Per tranche (index order): losses recovered.
    pub recovered: [u64; 4],
    /// Per tranche: yield paid.
    pub yielded: [u64; 4],
    /// Per tranche: target yield still owed after this settlement, notes (rounded
    /// down; the sub-unit remainder is carried too).
    pub yield_owed: [u64; 4],
    pub turbo: bool,
}

/// A recovery sale: notes into a tranche's vault for collateral it held.
#[event]
pub struct CollateralRecovered {
    pub pool: Pubkey,
    /// The selling tranche.
    pub index: u8,
    pub collateral_index: u8,
    pub buyer: Pubkey,
    /// Notes paid into the tranche's vault.
    pub notes_in: u64,
    /// Units of collateral sold.
    pub collateral_out: u64,
    /// Price per native unit paid, WAD note units: spot × (1 − discount), rounded up.
    pub price_wad: u128,
    pub discount_bps: u16,
    /// The tranche's holdings of the collateral, and its notes, after.
    pub collateral_held: u64,
    pub assets: u64,
}

/// `distribute` minted the protocol fee owed to the treasury.
#[event]
pub struct ProtocolFeePaid {
    pub pool: Pubkey,
    pub treasury: Pubkey,
    pub amount: u64,
}

#[event]
pub struct LossAllocated {
    pub pool: Pubkey,
    pub position: Pubkey,
    /// Per tranche: notes burned from its vault, junior first.
    pub taken: [u64; 4],
    /// Per tranche: the value, in notes, of the collateral it received from the
    /// tranches below it for its burned notes (valued at `min(spot, EMA) − conf`).
    pub compensated: [u64; 4],
    /// Per tranche: what it lost, notes (burned − compensated + collateral given).
    pub lost: [u64; 4],
    /// What no tranche's notes covered (added to bad debt).
    pub uncovered: u64,
}

#[event]
pub struct PositionAbsorbed {
    pub pool: Pubkey,
    pub position: Pubkey,
    pub keeper: Pubkey,
    pub full: bool,
    /// Notes each tranche burned against the debt.
    pub paid: [u64; 4],
    /// Collateral leaving the position, per index.
    pub moved: [u64; 8],
    /// The keeper's tip, per index.
    pub tip: [u64; 8],
    pub debt_after: u64,
    pub health_before_wad: u128,
    pub health_after_wad: u128,
}

#[event]
pub struct CoverageChecked {
    pub pool: Pubkey,
    /// Junior NAV over all tranche NAV, basis points.
    pub coverage_bps: u16,
    pub floor_bps: u16,
    pub old_mode: u8,
    pub new_mode: u8,
}

#[event]
pub struct ShortfallFlagged {
    pub pool: Pubkey,
    pub position: Pubkey,
    pub pending: bool,
    pub pool_loss_pending_count: u32,
}
