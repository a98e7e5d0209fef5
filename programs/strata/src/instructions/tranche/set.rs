//! A pool's tranches, passed as remaining accounts in index order (optionally each
//! followed by its note vault), loaded, checked and written back together.

use anchor_lang::prelude::*;
use strata_core::{CollateralView, TrancheState, MAX_TRANCHES};

use crate::errors::{CoreResultExt, StrataError};
use crate::state::PoolSigner;
use crate::state::{Pool, Tranche};
use crate::token_ops::burn_notes_by_pool;

/// The tranches of one pool, with their states as the core sees them.
pub struct TrancheSet<'info> {
    pub loaders: Vec<AccountLoader<'info, Tranche>>,
    pub vaults: Vec<AccountInfo<'info>>,
    /// By tranche index; the first `count` are the pool's.
    states: [TrancheState; MAX_TRANCHES],
    count: usize,
}

impl<'info> TrancheSet<'info> {
    /// Loads all `pool.tranche_count` tranches from the front of `accounts`, as
    /// `[tranche]` or `[tranche, vault]` entries, skipping `except` (a tranche the
    /// instruction already holds). Returns the set and the accounts after it.
    pub fn load(
        pool_key: &Pubkey,
        pool: &Pool,
        accounts: &'info [AccountInfo<'info>],
        with_vaults: bool,
        except: Option<u8>,
    ) -> Result<(Self, &'info [AccountInfo<'info>])> {
        let stride = if with_vaults { 2 } else { 1 };
        let indexes: Vec<u8> = (0..pool.tranche_count).filter(|i| Some(*i) != except).collect();
        let needed = indexes.len() * stride;
        require!(accounts.len() >= needed, StrataError::MissingTrancheAccounts);
        let mut set = Self {
            loaders: Vec::new(),
            vaults: Vec::new(),
            states: [TrancheState::default(); MAX_TRANCHES],
            count: usize::from(pool.tranche_count),
        };
        for (entry, index) in accounts[..needed].chunks_exact(stride).zip(indexes) {
            let loader = AccountLoader::<Tranche>::try_from(&entry[0]).map_err(|_| error!(StrataError::NotATranche))?;
            {
                let tranche = loader.load()?;
                require_keys_eq!(tranche.pool, *pool_key, StrataError::PoolMismatch);
                require!(tranche.index == index, StrataError::TrancheOutOfOrder);
                if with_vaults {
                    require_keys_eq!(*entry[1].key, tranche.vault, StrataError::TrancheVaultMismatch);
                }
                set.states[usize::from(index)] = tranche.state();
            }
            set.loaders.push(loader);
            if with_vaults {
                set.vaults.push(entry[1].clone());
            }
        }
        Ok((set, &accounts[needed..]))
    }

    /// Loads the set with its vaults when `accounts` starts with a tranche
    /// (`liquidate` and `liquidate_batch` take it optionally, in front of their other
    /// remaining accounts). Returns the set, if any, and the accounts after it.
    pub fn load_optional(
        pool_key: &Pubkey,
        pool: &Pool,
        accounts: &'info [AccountInfo<'info>],
    ) -> Result<(Option<Self>, &'info [AccountInfo<'info>])> {
        if !starts_with_tranche(accounts) {
            return Ok((None, accounts));
        }
        let (set, rest) = Self::load(pool_key, pool, accounts, true, None)?;
        Ok((Some(set), rest))
    }

    /// The pool's tranche states, in index order (the held one as last set with
    /// [`Self::set_state`]).
    pub fn states(&self) -> &[TrancheState] {
        &self.states[..self.count]
    }

    pub fn states_mut(&mut self) -> &mut [TrancheState] {
        &mut self.states[..self.count]
    }

    /// Sets tranche `index`'s state (the one the instruction holds itself).
    pub fn set_state(&mut self, index: u8, state: TrancheState) {
        self.states[usize::from(index)] = state;
    }

    /// Every tranche's NAV (notes + held collateral at fresh spot prices, `views`
    /// from [`Pool::price_views`]), in index order.
    pub fn navs(&self, views: &[CollateralView], now: i64) -> Result<Vec<u128>> {
        self.states().iter().map(|state| state.nav(views, now).map_core()).collect()
    }

    /// Writes the states back into every loaded tranche (skipping the held one).
    pub fn store(&self) -> Result<()> {
        for loader in &self.loaders {
            let mut tranche = loader.load_mut()?;
            let index = usize::from(tranche.index);
            tranche.set_state(&self.states[index]);
            tranche.invariant()?;
        }
        Ok(())
    }

    /// Burns `amounts[i]` notes from tranche `i`'s vault (the pool PDA owns vaults).
    pub fn burn_from_vaults(
        &self,
        amounts: &[u64; MAX_TRANCHES],
        token_program: &AccountInfo<'info>,
        note_mint: &AccountInfo<'info>,
        pool: &AccountInfo<'info>,
        signer: &PoolSigner,
    ) -> Result<()> {
        for (index, vault) in self.vaults.iter().enumerate() {
            if amounts[index] > 0 {
                burn_notes_by_pool(token_program, note_mint, vault, pool, signer, amounts[index])?;
            }
        }
        Ok(())
    }
}

/// Whether the first of `accounts` is a tranche account of this program.
fn starts_with_tranche(accounts: &[AccountInfo]) -> bool {
    accounts.first().is_some_and(|info| {
        *info.owner == crate::ID
            && info
                .try_borrow_data()
                .is_ok_and(|data| data.starts_with(<Tranche as anchor_lang::Discriminator>::DISCRIMINATOR))
    })
}
