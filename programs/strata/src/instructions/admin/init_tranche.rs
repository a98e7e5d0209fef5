use anchor_lang::prelude::*;
use anchor_spl::token::Token;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{self, InitializeAccount3, Mint};

use crate::constants::{
    ACCOUNT_VERSION, MAX_TRANCHES, SHARES_SEED, SHARE_ESCROW_SEED, TRANCHE_SEED, TRANCHE_VAULT_SEED,
};
use crate::create::{create_pda, create_zero_copy};
use crate::errors::StrataError;
use crate::events::TrancheInitialized;
use crate::share_ops::{create_pool_share_account, create_share_mint};
use crate::state::{Pool, Tranche, TrancheParams};

#[derive(Accounts)]
#[instruction(index: u8)]
pub struct InitTranche<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    pub authority: Signer<'info>,
    #[account(mut, has_one = authority @ StrataError::Unauthorized)]
    pub pool: AccountLoader<'info, Pool>,
    /// CHECK: created here; the seeds pin the address.
    #[account(mut, seeds = [TRANCHE_SEED, pool.key().as_ref(), &[index]], bump)]
    pub tranche: UncheckedAccount<'info>,
    /// CHECK: created here as the share mint.
    #[account(mut, seeds = [SHARES_SEED, tranche.key().as_ref()], bump)]
    pub share_mint: UncheckedAccount<'info>,
    /// CHECK: created here as the tranche's note account.
    #[account(mut, seeds = [TRANCHE_VAULT_SEED, tranche.key().as_ref()], bump)]
    pub vault: UncheckedAccount<'info>,
    /// CHECK: created here as the share escrow (queued redemptions).
    #[account(mut, seeds = [SHARE_ESCROW_SEED, tranche.key().as_ref()], bump)]
    pub share_escrow: UncheckedAccount<'info>,
    #[account(address = pool.load()?.note_mint @ StrataError::NoteMintMismatch)]
    pub note_mint: Box<InterfaceAccount<'info, Mint>>,
    pub token_program: Program<'info, Token>,
    /// Token-2022: the share mint's program.
    pub share_token_program: Program<'info, Token2022>,
    pub system_program: Program<'info, System>,
}

impl InitTranche<'_> {
    fn validate(&self, index: u8, params: &TrancheParams) -> Result<()> {
        params.validate()?;
        let pool = self.pool.load()?;
        require!(usize::from(pool.tranche_count) < MAX_TRANCHES, StrataError::TooManyTranches);
        require!(index == pool.tranche_count, StrataError::InvalidTrancheIndex);
        Ok(())
    }

    /// Adds the next tranche (index 0 first: the most senior), with its share mint
    /// (Token-2022; in a permissioned pool share accounts are born frozen, see
    /// `share_ops`), note vault and share escrow, all under the pool PDA's authority.
    #[access_control(ctx.accounts.validate(index, &params))]
    pub fn handle(ctx: Context<InitTranche>, index: u8, params: TrancheParams) -> Result<()> {
        let accounts = &ctx.accounts;
        let (pool_key, tranche_key) = (accounts.pool.key(), accounts.tranche.key());
        let now = Clock::get()?.unix_timestamp;
        let bumps = &ctx.bumps;
        let tranche_seeds: &[&[u8]] = &[TRANCHE_SEED, pool_key.as_ref(), &[index], &[bumps.tranche]];
        create_zero_copy::<Tranche>(&accounts.payer, &accounts.tranche, tranche_seeds, |tranche| {
            tranche.version = ACCOUNT_VERSION;
            tranche.bump = bumps.tranche;
            tranche.index = index;
            tranche.share_mint_bump = bumps.share_mint;
            tranche.vault_bump = bumps.vault;
            tranche.escrow_bump = bumps.share_escrow;
            tranche.pool = pool_key;
            tranche.share_mint = accounts.share_mint.key();
            tranche.vault = accounts.vault.key();
            tranche.share_escrow = accounts.share_escrow.key();
            tranche.set_params(&params);
            tranche.last_settled_ts = now;
            tranche.invariant()
        })?;
        let (permissioned, signer) = {
            let pool = accounts.pool.load()?;
            (pool.is_permissioned(), pool.signer())
        };
        let mint_seeds: &[&[u8]] = &[SHARES_SEED, tranche_key.as_ref(), &[bumps.share_mint]];
        let share_program = accounts.share_token_program.to_account_info();
        create_share_mint(&accounts.payer, &accounts.share_mint, mint_seeds, &share_program, &pool_key, permissioned)?;
        let token = anchor_spl::token::ID;
        let vault_seeds: &[&[u8]] = &[TRANCHE_VAULT_SEED, tranche_key.as_ref(), &[bumps.vault]];
        create_pda(&accounts.payer, &accounts.vault, anchor_spl::token::TokenAccount::LEN, &token, vault_seeds)?;
        token_interface::initialize_account3(CpiContext::new(
            token,
            InitializeAccount3 {
                account: accounts.vault.to_account_info(),
                mint: accounts.note_mint.to_account_info(),
                authority: accounts.pool.to_account_info(),
            },
        ))?;
        let escrow_seeds: &[&[u8]] = &[SHARE_ESCROW_SEED, tranche_key.as_ref(), &[bumps.share_escrow]];
        create_pool_share_account(
            &accounts.payer,
            &accounts.share_escrow,
            escrow_seeds,
            &accounts.share_mint,
            &accounts.pool.to_account_info(),
            &signer,
            permissioned,
        )?;
        let mut pool = accounts.pool.load_mut()?;
        pool.tranche_count += 1;
        pool.invariant()?;
        crate::log::emit(&TrancheInitialized {
            pool: pool_key,
            tranche: tranche_key,
            index,
            share_mint: accounts.share_mint.key(),
            vault: accounts.vault.key(),
            params,
        });
        Ok(())
    }
}
