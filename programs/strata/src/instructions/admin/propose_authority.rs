use anchor_lang::prelude::*;

use crate::errors::StrataError;
use crate::events::AuthorityProposed;
use crate::state::Pool;

#[derive(Accounts)]
pub struct ProposeAuthority<'info> {
    pub authority: Signer<'info>,
    #[account(mut, has_one = authority @ StrataError::Unauthorized)]
    pub pool: AccountLoader<'info, Pool>,
}

impl ProposeAuthority<'_> {
    /// First step of the hand-over: names the next authority, which must accept.
    /// `Pubkey::default()` cancels a pending proposal.
    pub fn handle(ctx: Context<ProposeAuthority>, new_authority: Pubkey) -> Result<()> {
        let mut pool = ctx.accounts.pool.load_mut()?;
        pool.pending_authority = new_authority;
        pool.invariant()?;
        crate::log::emit(&AuthorityProposed {
            pool: ctx.accounts.pool.key(),
            authority: pool.authority,
            pending_authority: new_authority,
        });
        Ok(())
    }
}
