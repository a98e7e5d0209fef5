//! PDA derivations for off-chain callers (clients, tests, keepers). On-chain code
//! uses the stored bumps instead.

use anchor_lang::prelude::Pubkey;

use crate::constants::{NOTE_MINT_SEED, POOL_SEED, POSITION_SEED, VAULT_SEED};

pub fn pool(creator: &Pubkey, pool_id: u64) -> Pubkey {
    Pubkey::find_program_address(&[POOL_SEED, creator.as_ref(), &pool_id.to_le_bytes()], &crate::ID).0
}

pub fn note_mint(pool: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[NOTE_MINT_SEED, pool.as_ref()], &crate::ID).0
}

pub fn vault(pool: &Pubkey, mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[VAULT_SEED, pool.as_ref(), mint.as_ref()], &crate::ID).0
}

pub fn position(pool: &Pubkey, owner: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[POSITION_SEED, pool.as_ref(), owner.as_ref()], &crate::ID).0
}

pub fn tranche(pool: &Pubkey, index: u8) -> Pubkey {
    Pubkey::find_program_address(&[crate::constants::TRANCHE_SEED, pool.as_ref(), &[index]], &crate::ID).0
}

pub fn share_mint(tranche: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[crate::constants::SHARES_SEED, tranche.as_ref()], &crate::ID).0
}

pub fn tranche_vault(tranche: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[crate::constants::TRANCHE_VAULT_SEED, tranche.as_ref()], &crate::ID).0
}

pub fn allowlist_entry(pool: &Pubkey, wallet: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[crate::constants::ALLOW_SEED, pool.as_ref(), wallet.as_ref()], &crate::ID).0
}

pub fn share_escrow(tranche: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[crate::constants::SHARE_ESCROW_SEED, tranche.as_ref()], &crate::ID).0
}

pub fn redemption_request(tranche: &Pubkey, owner: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[crate::constants::REDEMPTION_SEED, tranche.as_ref(), owner.as_ref()], &crate::ID).0
}
