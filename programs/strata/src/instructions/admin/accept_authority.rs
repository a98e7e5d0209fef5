use anchor_lang::prelude::*;

use crate::errors::StrataError;
use crate::events::AuthorityAccepted;
use crate::state::Pool;

#[derive(Accounts)]
pub struct AcceptAuthority<'info> {
    pub new_authority: Signer<'info>,
    #[account(mut)]
    pub pool: AccountLoader<'info, Pool>,
}

impl AcceptAuthority<'_> {
    fn validate(&self) -> Result<()> {
        let pool = self.pool.load()?;
        require_keys_neq!(pool.pending_authority, Pubkey::default(), StrataError::NoPendingAuthority);
        require_keys_eq!(pool.pending_authority, self.new_authority.key(), StrataError::NotPendingAuthority);
        Ok(())
    }

    /// Second step of the hand-over, signed by the proposed authority.
    #[access_control(ctx.accounts.validate())]
    pub fn handle(ctx: Context<AcceptAuthority>) -> Result<()> {
        let mut pool = ctx.accounts.pool.load_mut()?;
        let old_authority = pool.authority;
        pool.authority = ctx.accounts.new_authority.key();
        pool.pending_authority = Pubkey::default();
        pool.invariant()?;
        crate::log::emit(&AuthorityAccepted {
            pool: ctx.accounts.pool.key(),
            old_authority,
            new_authority: pool.authority,
        });
        Ok(())
    }
}
