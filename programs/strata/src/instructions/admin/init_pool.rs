use anchor_lang::prelude::*;
use anchor_spl::associated_token::{self, get_associated_token_address_with_program_id, AssociatedToken};
use anchor_spl::token::Token;
use anchor_spl::token_interface::{self, InitializeMint2};
use strata_core::{DebtState, NOTE_DECIMALS};

use crate::constants::{ACCOUNT_VERSION, NOTE_MINT_SEED, POOL_SEED};
use crate::create::{create_pda, create_zero_copy};
use crate::errors::StrataError;
use crate::events::PoolInitialized;
use crate::state::{mode, Pool, PoolParams};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct InitPoolArgs {
    /// Distinguishes pools of the same creator; part of the pool's seeds.
    pub pool_id: u64,
    pub params: PoolParams,
    /// Opening positions and holding tranche shares need an allowlist entry.
    pub permissioned: bool,
}

#[derive(Accounts)]
#[instruction(args: InitPoolArgs)]
pub struct InitPool<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The pool's first authority (may be a multisig PDA signing by CPI).
    pub authority: Signer<'info>,
    /// CHECK: created here (`crate::create`); the seeds pin the address.
    #[account(mut, seeds = [POOL_SEED, authority.key().as_ref(), &args.pool_id.to_le_bytes()], bump)]
    pub pool: UncheckedAccount<'info>,
    /// CHECK: created here as the note mint; the seeds pin the address.
    #[account(mut, seeds = [NOTE_MINT_SEED, pool.key().as_ref()], bump)]
    pub note_mint: UncheckedAccount<'info>,
    /// CHECK: any wallet; it owns the treasury note account.
    pub treasury_owner: UncheckedAccount<'info>,
    /// CHECK: the treasury owner's associated note account, created idempotently.
    #[account(
        mut,
        address = get_associated_token_address_with_program_id(treasury_owner.key, note_mint.key, &anchor_spl::token::ID)
            @ StrataError::TokenOwnerMismatch,
    )]
    pub treasury: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
}

impl InitPool<'_> {
    fn validate(&self, args: &InitPoolArgs) -> Result<()> {
        args.params.validate()?;
        // No collateral is listed yet: the delay needs only the margin.
        require!(
            strata_core::flows::redemption_delay_is_valid(args.params.redemption_delay_secs, 0),
            StrataError::RedemptionDelayTooShort
        );
        Ok(())
    }

    /// Creates the pool, its note mint (mint authority: the pool PDA, no freeze
    /// authority) and its treasury note account.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn handle(ctx: Context<InitPool>, args: InitPoolArgs) -> Result<()> {
        let accounts = &ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        let pool_key = accounts.pool.key();
        let authority = accounts.authority.key();
        let pool_id = args.pool_id.to_le_bytes();
        let pool_seeds: &[&[u8]] = &[POOL_SEED, authority.as_ref(), &pool_id, &[ctx.bumps.pool]];
        create_zero_copy::<Pool>(&accounts.payer, &accounts.pool, pool_seeds, |pool| {
            pool.version = ACCOUNT_VERSION;
            pool.bump = ctx.bumps.pool;
            pool.note_mint_bump = ctx.bumps.note_mint;
            pool.mode = mode::NORMAL;
            pool.permissioned = u8::from(args.permissioned);
            pool.pool_id = args.pool_id;
            pool.creator = authority;
            pool.authority = authority;
            pool.note_mint = accounts.note_mint.key();
            pool.treasury = accounts.treasury.key();
            pool.set_params(&args.params);
            let debt =
                DebtState::new(args.params.stability_fee_bps, args.params.debt_ceiling, args.params.min_debt, now);
            pool.set_debt_state(&debt);
            pool.invariant()
        })?;

        let mint_seeds: &[&[u8]] = &[NOTE_MINT_SEED, pool_key.as_ref(), &[ctx.bumps.note_mint]];
        create_pda(
            &accounts.payer,
            &accounts.note_mint,
            anchor_spl::token::Mint::LEN,
            &anchor_spl::token::ID,
            mint_seeds,
        )?;
        token_interface::initialize_mint2(
            CpiContext::new(anchor_spl::token::ID, InitializeMint2 { mint: accounts.note_mint.to_account_info() }),
            NOTE_DECIMALS,
            &pool_key,
            None,
        )?;
        associated_token::create_idempotent(CpiContext::new(
            anchor_spl::associated_token::ID,
            associated_token::Create {
                payer: accounts.payer.to_account_info(),
                associated_token: accounts.treasury.to_account_info(),
                authority: accounts.treasury_owner.to_account_info(),
                mint: accounts.note_mint.to_account_info(),
                system_program: accounts.system_program.to_account_info(),
                token_program: accounts.token_program.to_account_info(),
            },
        ))?;

        crate::log::emit(&PoolInitialized {
            pool: pool_key,
            authority,
            pool_id: args.pool_id,
            note_mint: accounts.note_mint.key(),
            treasury: accounts.treasury.key(),
            permissioned: args.permissioned,
            params: args.params,
        });
        Ok(())
    }
}
