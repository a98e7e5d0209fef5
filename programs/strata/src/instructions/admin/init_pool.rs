use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token::Token;
use anchor_spl::token_interface::{Mint, TokenAccount};
use strata_core::{DebtState, NOTE_DECIMALS};

use crate::constants::{ACCOUNT_VERSION, NOTE_MINT_SEED, POOL_SEED};
use crate::events::PoolInitialized;
use crate::state::{mode, Pool, PoolParams};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct InitPoolArgs {
    /// Distinguishes pools of the same creator; part of the pool's seeds.
    pub pool_id: u64,
    pub params: PoolParams,
}

#[derive(Accounts)]
#[instruction(args: InitPoolArgs)]
pub struct InitPool<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The pool's first authority (may be a multisig PDA signing by CPI).
    pub authority: Signer<'info>,
    #[account(
        init,
        payer = payer,
        space = Pool::SIZE,
        seeds = [POOL_SEED, authority.key().as_ref(), &args.pool_id.to_le_bytes()],
        bump,
    )]
    pub pool: AccountLoader<'info, Pool>,
    #[account(
        init,
        payer = payer,
        seeds = [NOTE_MINT_SEED, pool.key().as_ref()],
        bump,
        mint::decimals = NOTE_DECIMALS,
        mint::authority = pool,
        mint::token_program = token_program,
    )]
    pub note_mint: InterfaceAccount<'info, Mint>,
    /// CHECK: any wallet; it owns the treasury note account created below.
    pub treasury_owner: UncheckedAccount<'info>,
    #[account(
        init,
        payer = payer,
        associated_token::mint = note_mint,
        associated_token::authority = treasury_owner,
        associated_token::token_program = token_program,
    )]
    pub treasury: InterfaceAccount<'info, TokenAccount>,
    pub token_program: Program<'info, Token>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
}

impl InitPool<'_> {
    fn validate(&self, args: &InitPoolArgs) -> Result<()> {
        args.params.validate()
    }

    /// Creates the pool, its note mint and its treasury note account.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn handle(ctx: Context<InitPool>, args: InitPoolArgs) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let mut pool = ctx.accounts.pool.load_init()?;
        pool.version = ACCOUNT_VERSION;
        pool.bump = ctx.bumps.pool;
        pool.note_mint_bump = ctx.bumps.note_mint;
        pool.mode = mode::NORMAL;
        pool.pool_id = args.pool_id;
        pool.creator = ctx.accounts.authority.key();
        pool.authority = ctx.accounts.authority.key();
        pool.note_mint = ctx.accounts.note_mint.key();
        pool.treasury = ctx.accounts.treasury.key();
        pool.set_params(&args.params);
        let debt = DebtState::new(args.params.stability_fee_bps, args.params.debt_ceiling, args.params.min_debt, now);
        pool.set_debt_state(&debt);
        pool.invariant()?;
        emit!(PoolInitialized {
            pool: ctx.accounts.pool.key(),
            authority: pool.authority,
            pool_id: pool.pool_id,
            note_mint: pool.note_mint,
            treasury: pool.treasury,
            permissioned: pool.is_permissioned(),
            params: args.params,
        });
        Ok(())
    }
}
