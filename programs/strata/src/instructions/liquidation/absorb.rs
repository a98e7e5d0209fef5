use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use anchor_spl::token_interface::Mint;
use strata_core::absorb;

use crate::constants::pause;
use crate::errors::{CoreResultExt, StrataError};
use crate::events::PositionAbsorbed;
use crate::instructions::common::is_insolvent;
use crate::instructions::payouts::{collateral_payouts, pay_out};
use crate::instructions::tranche::set::TrancheSet;
use crate::state::{Pool, Position};

#[derive(Accounts)]
pub struct Absorb<'info> {
    /// Anyone: brings no notes, earns the keeper tip.
    pub keeper: Signer<'info>,
    #[account(mut)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(mut, has_one = pool @ StrataError::PoolMismatch)]
    pub position: AccountLoader<'info, Position>,
    #[account(mut, address = pool.load()?.note_mint @ StrataError::NoteMintMismatch)]
    pub note_mint: Box<InterfaceAccount<'info, Mint>>,
    pub note_token_program: Program<'info, Token>,
    // Remaining accounts: every tranche followed by its vault, in index order; then,
    // for each collateral that pays a tip, in index order, `[token_program, mint,
    // vault, keeper_destination]`.
}

impl Absorb<'_> {
    fn validate(&self) -> Result<()> {
        let pool = self.pool.load()?;
        pool.require_not_paused(pause::LIQUIDATE)?;
        pool.require_tranches()
    }

    /// The tranches take an unhealthy position (permissionless, no market needed):
    /// vault notes are burned against its debt junior first, and its collateral moves
    /// to the paying tranches, less the keeper's tip. When the tranches hold less than
    /// the debt, they take the part they can pay and leave the rest to keepers.
    #[access_control(ctx.accounts.validate())]
    pub fn handle<'info>(ctx: Context<'info, Absorb<'info>>) -> Result<()> {
        let accounts = &ctx.accounts;
        let clock = Clock::get()?;
        let pool_key = accounts.pool.key();
        let (plan, set, tips, income, signer) = {
            let mut pool = accounts.pool.load_mut()?;
            let mut position = accounts.position.load_mut()?;
            require!(position.last_liquidated_slot != clock.slot, StrataError::AlreadyLiquidatedThisSlot);
            let (mut set, rest) = TrancheSet::load(&pool_key, &pool, ctx.remaining_accounts, None)?;
            // Income up to now goes to the tranches as they stand before they pay.
            let income = set.settle(&mut pool, pool_key, clock.unix_timestamp)?;
            let plan = plan_absorb(&pool, &position, &set, clock.unix_timestamp)?;
            let mut debt = pool.debt_state();
            let tips = collateral_payouts(&pool, &plan.tip, rest)?;
            let shares = plan.apply(&mut debt, position.debt_shares(), set.states_mut()).map_core()?;
            pool.set_debt_state(&debt);
            pool.set_position_debt_shares(&mut position, shares)?;
            // The moved collateral stays in the pool, held by the tranches; only the
            // tips leave it.
            require!(position.remove_collateral(&plan.moved), StrataError::InvariantViolation);
            pool.release_collateral(&plan.tip)?;
            set.store()?;
            position.last_liquidated_slot = clock.slot;
            position.touch(clock.slot);
            if plan.full {
                pool.clear_loss_pending(&mut position)?;
            } else if !position.loss_pending() && is_insolvent(&pool, &position, clock.unix_timestamp)? {
                // What is left is a loss waiting for keepers.
                pool.flag_loss_pending(&mut position)?;
            }
            position.invariant()?;
            pool.invariant()?;
            crate::log::emit(&PositionAbsorbed {
                pool: pool_key,
                position: accounts.position.key(),
                keeper: accounts.keeper.key(),
                full: plan.full,
                paid: plan.paid,
                moved: plan.moved,
                tip: plan.tip,
                debt_after: strata_core::math::to_u64(plan.after.debt).map_core()?,
                health_before_wad: plan.before.ratio_wad().map_core()?,
                health_after_wad: plan.after.ratio_wad().map_core()?,
            });
            (plan, set, tips, income, pool.signer())
        };
        let pool_info = accounts.pool.to_account_info();
        set.mint_income(
            &income,
            &accounts.note_token_program.to_account_info(),
            &accounts.note_mint.to_account_info(),
            &pool_info,
            &signer,
        )?;
        set.burn_from_vaults(
            &plan.paid,
            &accounts.note_token_program.to_account_info(),
            &accounts.note_mint.to_account_info(),
            &pool_info,
            &signer,
        )?;
        pay_out(&tips, &pool_info, &signer)
    }
}

/// Sizes the absorption with the core. Kept out of the handler's frame, and the plan
/// boxed: the position's collateral views and the plan's arrays together would take
/// most of SBF's 4 KiB frame (`scripts/stack-frames.sh`).
#[inline(never)]
fn plan_absorb(pool: &Pool, position: &Position, set: &TrancheSet, now: i64) -> Result<Box<absorb::AbsorbPlan>> {
    let listed = usize::from(pool.collateral_count);
    let views = pool.collateral_views(&position.collateral);
    let plan = absorb::plan(
        &pool.debt_state(),
        &views[..listed],
        position.debt_shares(),
        set.states(),
        pool.keeper_tip_bps,
        now,
    )
    .map_core()?;
    Ok(Box::new(plan))
}
