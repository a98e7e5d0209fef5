//! Tranche shares: Token-2022 tokens in every pool, moved with `transfer_checked`.
//!
//! A permissioned pool keeps its shares among allowlisted wallets whatever token
//! instruction is used (as Credix keeps its LP tokens): its share mints carry the
//! `DefaultAccountState` extension set to frozen, with the pool PDA as freeze
//! authority. Every share account is born frozen; the program thaws only an
//! allowlisted wallet's *associated* share account (one per wallet and tranche, so
//! `disallow` can freeze all of them at once, and its owner cannot be changed: a
//! thawed account handed to another owner would reopen the pool), and `disallow`
//! freezes them again. Open pools' share mints have no extension and no freeze
//! authority: their shares move freely.

use anchor_lang::prelude::*;
use anchor_spl::associated_token::get_associated_token_address_with_program_id;
use anchor_spl::token_2022::spl_token_2022::extension::{ExtensionType, StateWithExtensions};
use anchor_spl::token_2022::spl_token_2022::state::{Account as TokenState, AccountState, Mint as MintState};
use anchor_spl::token_2022::{self, FreezeAccount, InitializeAccount3, InitializeMint2, ThawAccount};
use anchor_spl::token_2022_extensions::{default_account_state_initialize, DefaultAccountStateInitialize};
use anchor_spl::token_interface::TransferChecked;

use crate::constants::SHARE_DECIMALS;
use crate::create::create_pda;
use crate::errors::StrataError;
use crate::state::PoolSigner;
use crate::token_ops::{burn_by_pool, mint_by_pool};

/// The program every share mint and share account belongs to.
pub const SHARE_TOKEN_PROGRAM: Pubkey = token_2022::ID;

/// The share mint's size: the base mint, plus `DefaultAccountState` when permissioned.
fn share_mint_space(permissioned: bool) -> Result<usize> {
    let extensions: &[ExtensionType] = if permissioned { &[ExtensionType::DefaultAccountState] } else { &[] };
    ExtensionType::try_calculate_account_len::<MintState>(extensions).map_err(|_| error!(StrataError::MathOverflow))
}

/// Creates the share mint PDA (`seeds`) with the pool PDA as mint authority and, in a
/// permissioned pool, as freeze authority of accounts born frozen.
pub fn create_share_mint<'info>(
    payer: &AccountInfo<'info>,
    share_mint: &AccountInfo<'info>,
    seeds: &[&[u8]],
    share_token_program: &AccountInfo<'info>,
    pool: &Pubkey,
    permissioned: bool,
) -> Result<()> {
    create_pda(payer, share_mint, share_mint_space(permissioned)?, &SHARE_TOKEN_PROGRAM, seeds)?;
    if permissioned {
        let accounts =
            DefaultAccountStateInitialize { token_program_id: share_token_program.clone(), mint: share_mint.clone() };
        default_account_state_initialize(CpiContext::new(SHARE_TOKEN_PROGRAM, accounts), &AccountState::Frozen)?;
    }
    token_2022::initialize_mint2(
        CpiContext::new(SHARE_TOKEN_PROGRAM, InitializeMint2 { mint: share_mint.clone() }),
        SHARE_DECIMALS,
        pool,
        permissioned.then_some(pool),
    )
}

/// Creates a share account PDA (`seeds`) of `share_mint` owned by the pool PDA (the
/// share escrow), thawed: the pool's own account.
pub fn create_pool_share_account<'info>(
    payer: &AccountInfo<'info>,
    account: &AccountInfo<'info>,
    seeds: &[&[u8]],
    share_mint: &AccountInfo<'info>,
    pool: &AccountInfo<'info>,
    signer: &PoolSigner,
    permissioned: bool,
) -> Result<()> {
    create_pda(payer, account, anchor_spl::token::TokenAccount::LEN, &SHARE_TOKEN_PROGRAM, seeds)?;
    token_2022::initialize_account3(CpiContext::new(
        SHARE_TOKEN_PROGRAM,
        InitializeAccount3 { account: account.clone(), mint: share_mint.clone(), authority: pool.clone() },
    ))?;
    if permissioned {
        thaw(account, share_mint, pool, signer)?;
    }
    Ok(())
}

/// Whether the share account is frozen.
pub fn is_frozen(account: &AccountInfo) -> Result<bool> {
    let data = account.try_borrow_data()?;
    let state = StateWithExtensions::<TokenState>::unpack(&data).map_err(|_| error!(StrataError::ShareMintMismatch))?;
    Ok(state.base.state == AccountState::Frozen)
}

/// `wallet`'s associated account of `share_mint`.
pub fn associated_share_account(wallet: &Pubkey, share_mint: &Pubkey) -> Pubkey {
    get_associated_token_address_with_program_id(wallet, share_mint, &SHARE_TOKEN_PROGRAM)
}

/// Thaws `account` when it is frozen; it must be the associated share account of
/// `wallet`, whose allowlisting the caller has checked.
pub fn thaw_allowlisted<'info>(
    account: &AccountInfo<'info>,
    wallet: &Pubkey,
    share_mint: &AccountInfo<'info>,
    pool: &AccountInfo<'info>,
    signer: &PoolSigner,
) -> Result<()> {
    require_keys_eq!(
        account.key(),
        associated_share_account(wallet, share_mint.key),
        StrataError::NotAssociatedShareAccount
    );
    if !is_frozen(account)? {
        return Ok(());
    }
    thaw(account, share_mint, pool, signer)
}

fn thaw<'info>(
    account: &AccountInfo<'info>,
    share_mint: &AccountInfo<'info>,
    pool: &AccountInfo<'info>,
    signer: &PoolSigner,
) -> Result<()> {
    signer.sign(|seeds| {
        token_2022::thaw_account(CpiContext::new_with_signer(
            SHARE_TOKEN_PROGRAM,
            ThawAccount { account: account.clone(), mint: share_mint.clone(), authority: pool.clone() },
            seeds,
        ))
    })
}

/// Freezes `account` (of `share_mint`) unless it already is.
pub fn freeze<'info>(
    account: &AccountInfo<'info>,
    share_mint: &AccountInfo<'info>,
    pool: &AccountInfo<'info>,
    signer: &PoolSigner,
) -> Result<()> {
    if is_frozen(account)? {
        return Ok(());
    }
    signer.sign(|seeds| {
        token_2022::freeze_account(CpiContext::new_with_signer(
            SHARE_TOKEN_PROGRAM,
            FreezeAccount { account: account.clone(), mint: share_mint.clone(), authority: pool.clone() },
            seeds,
        ))
    })
}

/// Mints shares, signed by the pool PDA (their only mint authority).
pub fn mint_shares<'info>(
    share_mint: &AccountInfo<'info>,
    to: &AccountInfo<'info>,
    pool: &AccountInfo<'info>,
    signer: &PoolSigner,
    amount: u64,
) -> Result<()> {
    mint_by_pool(SHARE_TOKEN_PROGRAM, share_mint, to, pool, signer, amount)
}

/// Burns shares from the pool's escrow.
pub fn burn_escrowed_shares<'info>(
    share_mint: &AccountInfo<'info>,
    escrow: &AccountInfo<'info>,
    pool: &AccountInfo<'info>,
    signer: &PoolSigner,
    amount: u64,
) -> Result<()> {
    burn_by_pool(SHARE_TOKEN_PROGRAM, share_mint, escrow, pool, signer, amount)
}

/// Accounts of a share transfer.
pub struct ShareTransfer<'a, 'info> {
    pub share_mint: &'a AccountInfo<'info>,
    pub from: &'a AccountInfo<'info>,
    pub to: &'a AccountInfo<'info>,
    pub authority: &'a AccountInfo<'info>,
}

impl<'info> ShareTransfer<'_, 'info> {
    /// A transfer the (already signing) holder approves.
    pub fn by_holder(&self, amount: u64) -> Result<()> {
        token_2022::transfer_checked(CpiContext::new(SHARE_TOKEN_PROGRAM, self.accounts()), amount, SHARE_DECIMALS)
    }

    /// A transfer out of the pool's escrow, signed by the pool PDA.
    pub fn by_pool(&self, signer: &PoolSigner, amount: u64) -> Result<()> {
        signer.sign(|seeds| {
            token_2022::transfer_checked(
                CpiContext::new_with_signer(SHARE_TOKEN_PROGRAM, self.accounts(), seeds),
                amount,
                SHARE_DECIMALS,
            )
        })
    }

    fn accounts(&self) -> TransferChecked<'info> {
        TransferChecked {
            from: self.from.clone(),
            mint: self.share_mint.clone(),
            to: self.to.clone(),
            authority: self.authority.clone(),
        }
    }
}
