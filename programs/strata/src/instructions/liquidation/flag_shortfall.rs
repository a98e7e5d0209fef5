use anchor_lang::prelude::*;

use crate::errors::StrataError;
use crate::events::ShortfallFlagged;
use crate::instructions::common::is_insolvent;
use crate::state::{Pool, Position};

#[derive(Accounts)]
pub struct ReportShortfall<'info> {
    #[account(mut)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(mut, has_one = pool @ StrataError::PoolMismatch)]
    pub position: AccountLoader<'info, Position>,
}

impl ReportShortfall<'_> {
    /// Reports a position whose collateral is worth less than its debt at fresh
    /// spot prices (permissionless). Until its loss is booked (settlement or full
    /// absorption), tranche deposits and withdrawals wait: nobody leaves at the
    /// pre-loss price.
    pub fn flag(ctx: Context<ReportShortfall>) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let mut pool = ctx.accounts.pool.load_mut()?;
        let mut position = ctx.accounts.position.load_mut()?;
        require!(!position.loss_pending(), StrataError::ShortfallAlreadyFlagged);
        require!(is_insolvent(&pool, &position, now)?, StrataError::PositionSolvent);
        pool.flag_loss_pending(&mut position)?;
        position.invariant()?;
        pool.invariant()?;
        crate::log::emit(&ShortfallFlagged {
            pool: ctx.accounts.pool.key(),
            position: ctx.accounts.position.key(),
            pending: true,
            pool_loss_pending_count: pool.loss_pending_count,
        });
        Ok(())
    }

    /// Withdraws a report once the position is solvent again or owes nothing
    /// (permissionless).
    pub fn clear(ctx: Context<ReportShortfall>) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let mut pool = ctx.accounts.pool.load_mut()?;
        let mut position = ctx.accounts.position.load_mut()?;
        require!(position.loss_pending(), StrataError::ShortfallNotFlagged);
        require!(position.debt_shares() == 0 || !is_insolvent(&pool, &position, now)?, StrataError::PositionInsolvent);
        pool.clear_loss_pending(&mut position)?;
        position.invariant()?;
        pool.invariant()?;
        crate::log::emit(&ShortfallFlagged {
            pool: ctx.accounts.pool.key(),
            position: ctx.accounts.position.key(),
            pending: false,
            pool_loss_pending_count: pool.loss_pending_count,
        });
        Ok(())
    }
}
