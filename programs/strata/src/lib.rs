//! Strata: asset-backed notes and tranches over Pyth-priced collateral pools.
//!
//! Collateral **pools** hold a basket of SPL assets in program-owned vaults;
//! **positions** lock collateral and mint the pool's **notes** against it; oracle
//! refreshes cache validated Pyth prices. The contract is `PROTOCOL.md`; the
//! accounting lives in the plain-Rust `strata-core` crate, and each handler here only
//! loads, validates, calls the core, moves tokens and emits.
// Anchor's `Result` carries a large error type; boxing it would cost every caller.
#![allow(clippy::result_large_err)]

use anchor_lang::prelude::*;

pub mod constants;
pub mod create;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod log;
pub mod oracle;
pub mod pda;
pub mod share_ops;
pub mod state;
pub mod token_ops;

pub use errors::StrataError;
use instructions::*;
pub use state::*;

declare_id!("STRAtAvDY6Xh3yVNvKP1UazQuBv2c1ZQfgaBuqTzqu4");

#[program]
pub mod strata {
    use super::*;

    // --- admin (signed by the pool authority) --------------------------------------

    /// Creates a pool, its note mint (mint authority: the pool PDA) and its treasury.
    pub fn init_pool(ctx: Context<InitPool>, args: InitPoolArgs) -> Result<()> {
        InitPool::handle(ctx, args)
    }

    /// Lists a collateral asset with its vault, Pyth oracle and risk parameters.
    pub fn add_collateral(ctx: Context<AddCollateral>, args: AddCollateralArgs) -> Result<()> {
        AddCollateral::handle(ctx, args)
    }

    /// Replaces the pool parameters and treasury.
    pub fn update_pool(ctx: Context<UpdatePool>, params: PoolParams) -> Result<()> {
        UpdatePool::handle(ctx, params)
    }

    /// Replaces a collateral's risk parameters and optionally its oracle.
    pub fn update_collateral(ctx: Context<UpdateCollateral>, args: UpdateCollateralArgs) -> Result<()> {
        UpdateCollateral::handle(ctx, args)
    }

    /// Sets the pause bits of the instruction families.
    pub fn set_pause_flags(ctx: Context<SetPauseFlags>, flags: u16) -> Result<()> {
        SetPauseFlags::handle(ctx, flags)
    }

    /// Proposes the next authority (two-step hand-over).
    pub fn propose_authority(ctx: Context<ProposeAuthority>, new_authority: Pubkey) -> Result<()> {
        ProposeAuthority::handle(ctx, new_authority)
    }

    /// Accepts the hand-over; signed by the proposed authority.
    pub fn accept_authority(ctx: Context<AcceptAuthority>) -> Result<()> {
        AcceptAuthority::handle(ctx)
    }

    /// Adds the next tranche (0 = most senior) with its share mint and note vault.
    pub fn init_tranche(ctx: Context<InitTranche>, index: u8, params: TrancheParams) -> Result<()> {
        InitTranche::handle(ctx, index, params)
    }

    /// Replaces a tranche's target yield and minimum subordination.
    pub fn update_tranche(ctx: Context<UpdateTranche>, params: TrancheParams) -> Result<()> {
        UpdateTranche::handle(ctx, params)
    }

    /// Adds a wallet to a permissioned pool's allowlist.
    pub fn allow(ctx: Context<Allow>, wallet: Pubkey) -> Result<()> {
        Allow::handle(ctx, wallet)
    }

    /// Removes a wallet from the allowlist and freezes its share accounts.
    pub fn disallow<'info>(ctx: Context<'info, Disallow<'info>>) -> Result<()> {
        Disallow::handle(ctx)
    }

    // --- positions (signed by the owner) -------------------------------------------

    /// Opens the owner's position in a pool.
    pub fn open_position(ctx: Context<OpenPosition>) -> Result<()> {
        OpenPosition::handle(ctx)
    }

    /// Closes an empty position; rent back to the owner.
    pub fn close_position(ctx: Context<ClosePosition>) -> Result<()> {
        ClosePosition::handle(ctx)
    }

    /// Deposits collateral into the position.
    pub fn deposit(ctx: Context<Deposit>, collateral_index: u8, amount: u64) -> Result<()> {
        Deposit::handle(ctx, collateral_index, amount)
    }

    /// Withdraws collateral, keeping the position healthy at the conservative price.
    pub fn withdraw(ctx: Context<Withdraw>, collateral_index: u8, amount: u64) -> Result<()> {
        Withdraw::handle(ctx, collateral_index, amount)
    }

    /// Mints notes against the position.
    pub fn mint(ctx: Context<MintNotes>, amount: u64) -> Result<()> {
        MintNotes::handle(ctx, amount)
    }

    /// Burns notes against a position's debt (anyone may repay).
    pub fn repay(ctx: Context<Repay>, amount: u64) -> Result<()> {
        Repay::handle(ctx, amount)
    }

    // --- liquidation (permissionless) ----------------------------------------------

    /// Liquidates an unhealthy position on one collateral (settles it whole when
    /// insolvent); the keeper burns notes and receives collateral plus a bonus.
    pub fn liquidate<'info>(
        ctx: Context<'info, Liquidate<'info>>,
        collateral_index: u8,
        repay_amount: u64,
        min_collateral_out: u64,
    ) -> Result<()> {
        Liquidate::handle(ctx, collateral_index, repay_amount, min_collateral_out)
    }

    /// Liquidates many positions (remaining accounts) on one collateral; skips the
    /// ones that turned healthy.
    pub fn liquidate_batch<'info>(
        ctx: Context<'info, LiquidateBatch<'info>>,
        collateral_index: u8,
        max_repay_total: u64,
        min_collateral_out_total: u64,
    ) -> Result<()> {
        LiquidateBatch::handle(ctx, collateral_index, max_repay_total, min_collateral_out_total)
    }

    /// The tranches take an unhealthy position (no keeper notes or market needed).
    pub fn absorb<'info>(ctx: Context<'info, Absorb<'info>>) -> Result<()> {
        Absorb::handle(ctx)
    }

    /// Reports an insolvent position: tranche flows wait until its loss is booked.
    pub fn flag_shortfall(ctx: Context<ReportShortfall>) -> Result<()> {
        ReportShortfall::flag(ctx)
    }

    /// Withdraws a report once the position is solvent again or owes nothing.
    pub fn clear_shortfall_flag(ctx: Context<ReportShortfall>) -> Result<()> {
        ReportShortfall::clear(ctx)
    }

    // --- tranches --------------------------------------------------------------------

    /// Deposits notes into a tranche for shares.
    pub fn tranche_deposit<'info>(ctx: Context<'info, TrancheDeposit<'info>>, amount: u64) -> Result<()> {
        TrancheDeposit::handle(ctx, amount)
    }

    /// Queues a redemption: escrows shares, claimable after the pool's delay.
    pub fn request_redemption(ctx: Context<RequestRedemption>, shares: u64) -> Result<()> {
        RequestRedemption::handle(ctx, shares)
    }

    /// Claims a queued redemption: its notes and held collateral as they stand now.
    pub fn claim_redemption<'info>(ctx: Context<'info, ClaimRedemption<'info>>) -> Result<()> {
        ClaimRedemption::handle(ctx)
    }

    /// Cancels a queued redemption: the escrowed shares go back.
    pub fn cancel_redemption(ctx: Context<CancelRedemption>) -> Result<()> {
        CancelRedemption::handle(ctx)
    }

    /// Thaws an allowlisted wallet's associated share account (permissionless).
    pub fn thaw_share_account<'info>(ctx: Context<'info, ThawShareAccount<'info>>) -> Result<()> {
        ThawShareAccount::handle(ctx)
    }

    /// Sells a tranche's absorbed collateral for notes at a bounded discount to spot
    /// (permissionless), so the tranches can absorb again.
    pub fn recovery_sale<'info>(
        ctx: Context<'info, RecoverySale<'info>>,
        collateral_index: u8,
        notes_in: u64,
        min_collateral_out: u64,
    ) -> Result<()> {
        RecoverySale::handle(ctx, collateral_index, notes_in, min_collateral_out)
    }

    /// Settles income through the waterfall and pays the treasury (permissionless).
    pub fn distribute<'info>(ctx: Context<'info, Distribute<'info>>) -> Result<()> {
        Distribute::handle(ctx)
    }

    /// The over-collateralisation test: enters or leaves Turbo (permissionless).
    pub fn check_coverage<'info>(ctx: Context<'info, CheckCoverage<'info>>) -> Result<()> {
        CheckCoverage::handle(ctx)
    }

    // --- views (simulate; results in return data) ---------------------------------

    /// A position's health, debt and borrowing power now.
    pub fn health(ctx: Context<ViewPosition>) -> Result<HealthReport> {
        ViewPosition::health(ctx)
    }

    /// What `liquidate` would do now, sized by the same code.
    pub fn quote_liquidation(
        ctx: Context<ViewPosition>,
        collateral_index: u8,
        repay_amount: u64,
    ) -> Result<LiquidationQuote> {
        ViewPosition::quote_liquidation(ctx, collateral_index, repay_amount)
    }

    // --- oracle (permissionless) ---------------------------------------------------

    /// Validates and caches a collateral's Pyth price; accrues the stability fee.
    pub fn refresh_oracle(ctx: Context<RefreshOracle>, collateral_index: u8) -> Result<()> {
        RefreshOracle::handle(ctx, collateral_index)
    }
}
