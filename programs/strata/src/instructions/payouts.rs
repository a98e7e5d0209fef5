//! Paying collateral out of several pool vaults in one instruction (insolvent
//! settlements, tranche withdrawals, absorption tips). Each paid collateral comes as
//! remaining accounts `[token_program, mint, vault, destination]`, in index order.

use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::constants::MAX_COLLATERALS;
use crate::errors::StrataError;
use crate::instructions::common::check_collateral_accounts;
use crate::state::{Pool, PoolSigner};
use crate::token_ops::CollateralTransfer;

/// One collateral paid out of a pool vault.
pub struct CollateralPayout<'info> {
    pub accounts: [AccountInfo<'info>; 4],
    pub decimals: u8,
    pub amount: u64,
}

/// Checks `[token_program, mint, vault, destination]` entries for every non-zero
/// amount, in collateral index order.
pub fn collateral_payouts<'info>(
    pool: &Pool,
    amounts: &[u64; MAX_COLLATERALS],
    accounts: &'info [AccountInfo<'info>],
) -> Result<Vec<CollateralPayout<'info>>> {
    let mut entries = accounts.chunks_exact(4);
    let mut payouts = Vec::new();
    for (index, amount) in amounts.iter().enumerate().filter(|(_, a)| **a > 0) {
        let [token_program, mint, vault, destination] = entries.next().ok_or(StrataError::MissingCollateralAccounts)?
        else {
            return err!(StrataError::MissingCollateralAccounts);
        };
        let decimals = check_collateral_accounts(pool, index as u8, mint.key, vault.key, token_program.key)?;
        // Paying a vault into itself would move nothing while the books say it left.
        require_keys_neq!(*destination.key, *vault.key, StrataError::DuplicateAccount);
        let destination_account = InterfaceAccount::<TokenAccount>::try_from(destination)?;
        require_keys_eq!(destination_account.mint, *mint.key, StrataError::CollateralMintMismatch);
        require!(destination.is_writable && vault.is_writable, StrataError::MissingCollateralAccounts);
        payouts.push(CollateralPayout {
            accounts: [token_program.clone(), mint.clone(), vault.clone(), destination.clone()],
            decimals,
            amount: *amount,
        });
    }
    Ok(payouts)
}

/// Transfers every payout from its vault, signed by the pool PDA.
pub fn pay_out<'info>(
    payouts: &[CollateralPayout<'info>],
    pool: &AccountInfo<'info>,
    signer: &PoolSigner,
) -> Result<()> {
    for payout in payouts {
        let [token_program, mint, vault, destination] = &payout.accounts;
        CollateralTransfer {
            token_program,
            mint,
            from: vault,
            to: destination,
            authority: pool,
            decimals: payout.decimals,
        }
        .by_pool(signer, payout.amount)?;
    }
    Ok(())
}
