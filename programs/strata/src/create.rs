//! Creating program-derived accounts safely.
//!
//! Anchor 1.2's `init` creates an address that already holds lamports with the
//! System program's `CreateAccountAllowPrefund`, which runtimes without that feature
//! reject. Every Strata PDA is predictable (a position's is `["position", pool,
//! owner]`), so anyone could send a few lamports there first and block the account's
//! creation. This module uses the classic path instead — `create_account` when the
//! address is empty, otherwise top-up, `allocate` and `assign` — which works on every
//! runtime, and refuses an address that is already in use with a named error.

use anchor_lang::prelude::*;
use anchor_lang::system_program::{self, Allocate, Assign, CreateAccount, Transfer};
use anchor_lang::{Discriminator, ZeroCopy};

use crate::errors::StrataError;

/// Creates the PDA `target` (signed by `seeds`) with `space` bytes owned by `owner`.
pub fn create_pda<'info>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    space: usize,
    owner: &Pubkey,
    seeds: &[&[u8]],
) -> Result<()> {
    require!(*target.owner == system_program::ID && target.data_is_empty(), StrataError::AlreadyInitialized);
    let rent = Rent::get()?.minimum_balance(space);
    let signer: &[&[&[u8]]] = &[seeds];
    let current = target.lamports();
    if current == 0 {
        let accounts = CreateAccount { from: payer.clone(), to: target.clone() };
        return system_program::create_account(
            CpiContext::new_with_signer(system_program::ID, accounts, signer),
            rent,
            space as u64,
            owner,
        );
    }
    if rent > current {
        let accounts = Transfer { from: payer.clone(), to: target.clone() };
        system_program::transfer(CpiContext::new(system_program::ID, accounts), rent - current)?;
    }
    let allocate = Allocate { account_to_allocate: target.clone() };
    system_program::allocate(CpiContext::new_with_signer(system_program::ID, allocate, signer), space as u64)?;
    let assign = Assign { account_to_assign: target.clone() };
    system_program::assign(CpiContext::new_with_signer(system_program::ID, assign, signer), owner)
}

/// Creates a zero-copy Strata account at the PDA `target`, writes its discriminator,
/// and lets `fill` set its fields.
pub fn create_zero_copy<'info, T: ZeroCopy + Discriminator>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    seeds: &[&[u8]],
    fill: impl FnOnce(&mut T) -> Result<()>,
) -> Result<()> {
    let space = 8 + core::mem::size_of::<T>();
    create_pda(payer, target, space, &crate::ID, seeds)?;
    let mut data = target.try_borrow_mut_data()?;
    data[..8].copy_from_slice(T::DISCRIMINATOR);
    let account: &mut T = bytemuck::from_bytes_mut(&mut data[8..space]);
    fill(account)
}

/// Closes a Strata account (the inverse of [`create_zero_copy`]): its lamports go to
/// `destination`, and it returns to the System program with no data, so it can be
/// neither read as the old account nor revived within the transaction.
pub fn close_account<'info>(target: &AccountInfo<'info>, destination: &AccountInfo<'info>) -> Result<()> {
    require_keys_neq!(*target.key, *destination.key, StrataError::DuplicateAccount);
    destination.add_lamports(target.lamports())?;
    target.sub_lamports(target.lamports())?;
    target.assign(&system_program::ID);
    target.resize(0).map_err(Into::into)
}
