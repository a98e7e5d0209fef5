//! Token CPIs. Collateral moves with `transfer_checked` through the token interface
//! (SPL Token or Token-2022); notes are minted and burned on SPL Token.

use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Burn, MintTo, TransferChecked};

use crate::state::PoolSigner;

/// Accounts of a collateral transfer.
pub struct CollateralTransfer<'a, 'info> {
    pub token_program: &'a AccountInfo<'info>,
    pub mint: &'a AccountInfo<'info>,
    pub from: &'a AccountInfo<'info>,
    pub to: &'a AccountInfo<'info>,
    pub authority: &'a AccountInfo<'info>,
    pub decimals: u8,
}

impl<'info> CollateralTransfer<'_, 'info> {
    /// A transfer the (already signing) authority approves.
    pub fn by_user(&self, amount: u64) -> Result<()> {
        token_interface::transfer_checked(
            CpiContext::new(self.token_program.key(), self.accounts()),
            amount,
            self.decimals,
        )
    }

    /// A transfer out of a vault, signed by the pool PDA.
    pub fn by_pool(&self, signer: &PoolSigner, amount: u64) -> Result<()> {
        signer.sign(|seeds| {
            token_interface::transfer_checked(
                CpiContext::new_with_signer(self.token_program.key(), self.accounts(), seeds),
                amount,
                self.decimals,
            )
        })
    }

    fn accounts(&self) -> TransferChecked<'info> {
        TransferChecked {
            from: self.from.clone(),
            mint: self.mint.clone(),
            to: self.to.clone(),
            authority: self.authority.clone(),
        }
    }
}

/// Mints notes, signed by the pool PDA (their only mint authority).
pub fn mint_notes<'info>(
    token_program: &AccountInfo<'info>,
    note_mint: &AccountInfo<'info>,
    to: &AccountInfo<'info>,
    pool: &AccountInfo<'info>,
    signer: &PoolSigner,
    amount: u64,
) -> Result<()> {
    mint_by_pool(token_program.key(), note_mint, to, pool, signer, amount)
}

/// Mints `mint`'s tokens (notes or tranche shares: the pool PDA is the only mint
/// authority of both) on `program` (SPL Token or Token-2022), signed by the pool PDA.
pub fn mint_by_pool<'info>(
    program: Pubkey,
    mint: &AccountInfo<'info>,
    to: &AccountInfo<'info>,
    pool: &AccountInfo<'info>,
    signer: &PoolSigner,
    amount: u64,
) -> Result<()> {
    signer.sign(|seeds| {
        token_interface::mint_to(
            CpiContext::new_with_signer(
                program,
                MintTo { mint: mint.clone(), to: to.clone(), authority: pool.clone() },
                seeds,
            ),
            amount,
        )
    })
}

/// Burns notes from an account its (signing) owner controls.
pub fn burn_notes<'info>(
    token_program: &AccountInfo<'info>,
    note_mint: &AccountInfo<'info>,
    from: &AccountInfo<'info>,
    owner: &AccountInfo<'info>,
    amount: u64,
) -> Result<()> {
    token_interface::burn(
        CpiContext::new(
            token_program.key(),
            Burn { mint: note_mint.clone(), from: from.clone(), authority: owner.clone() },
        ),
        amount,
    )
}

/// Burns notes from an account the pool PDA owns (tranche vaults).
pub fn burn_notes_by_pool<'info>(
    token_program: &AccountInfo<'info>,
    note_mint: &AccountInfo<'info>,
    from: &AccountInfo<'info>,
    pool: &AccountInfo<'info>,
    signer: &PoolSigner,
    amount: u64,
) -> Result<()> {
    burn_by_pool(token_program.key(), note_mint, from, pool, signer, amount)
}

/// Burns `mint`'s tokens from an account the pool PDA owns (tranche vaults, the share
/// escrow) on `program`, signed by the pool PDA.
pub fn burn_by_pool<'info>(
    program: Pubkey,
    mint: &AccountInfo<'info>,
    from: &AccountInfo<'info>,
    pool: &AccountInfo<'info>,
    signer: &PoolSigner,
    amount: u64,
) -> Result<()> {
    signer.sign(|seeds| {
        token_interface::burn(
            CpiContext::new_with_signer(
                program,
                Burn { mint: mint.clone(), from: from.clone(), authority: pool.clone() },
                seeds,
            ),
            amount,
        )
    })
}

/// Moves notes out of an account the pool PDA owns (tranche vaults).
pub fn transfer_notes_by_pool<'info>(
    token_program: &AccountInfo<'info>,
    from: &AccountInfo<'info>,
    to: &AccountInfo<'info>,
    pool: &AccountInfo<'info>,
    signer: &PoolSigner,
    amount: u64,
) -> Result<()> {
    signer.sign(|seeds| {
        anchor_spl::token::transfer(
            CpiContext::new_with_signer(
                token_program.key(),
                anchor_spl::token::Transfer { from: from.clone(), to: to.clone(), authority: pool.clone() },
                seeds,
            ),
            amount,
        )
    })
}

/// Moves notes the (signing) owner holds.
pub fn transfer_notes<'info>(
    token_program: &AccountInfo<'info>,
    from: &AccountInfo<'info>,
    to: &AccountInfo<'info>,
    owner: &AccountInfo<'info>,
    amount: u64,
) -> Result<()> {
    anchor_spl::token::transfer(
        CpiContext::new(
            token_program.key(),
            anchor_spl::token::Transfer { from: from.clone(), to: to.clone(), authority: owner.clone() },
        ),
        amount,
    )
}
