//! A pool's tranches, passed as remaining accounts in index order, each followed by
//! its note vault, loaded, checked, settled and written back together.

use anchor_lang::prelude::*;
use strata_core::income::{settle_income, IncomeSplit};
use strata_core::{CollateralView, TrancheState, MAX_TRANCHES};

use crate::errors::{CoreResultExt, StrataError};
use crate::events::IncomeDistributed;
use crate::instructions::common::accrue;
use crate::state::{Pool, PoolSigner, Tranche};
use crate::token_ops::{burn_notes_by_pool, mint_notes};

/// A tranche the instruction names itself (with its vault), left out of the
/// remaining accounts.
pub struct Held<'info> {
    pub index: u8,
    pub state: TrancheState,
    pub vault: AccountInfo<'info>,
}

/// The tranches of one pool, with their states as the core sees them.
pub struct TrancheSet<'info> {
    /// The tranches loaded from the remaining accounts (not the held one).
    loaders: Vec<AccountLoader<'info, Tranche>>,
    /// Every tranche's note vault, by index.
    vaults: [Option<AccountInfo<'info>>; MAX_TRANCHES],
    /// By tranche index; the first `count` are the pool's.
    states: [TrancheState; MAX_TRANCHES],
    count: usize,
}

impl<'info> TrancheSet<'info> {
    /// Loads all `pool.tranche_count` tranches from the front of `accounts` as
    /// `[tranche, vault]` pairs in index order, except `held` (a tranche the
    /// instruction names itself). Returns the set and the accounts after it.
    pub fn load(
        pool_key: &Pubkey,
        pool: &Pool,
        accounts: &'info [AccountInfo<'info>],
        held: Option<Held<'info>>,
    ) -> Result<(Box<Self>, &'info [AccountInfo<'info>])> {
        let held_index = held.as_ref().map(|h| h.index);
        let indexes: Vec<u8> = (0..pool.tranche_count).filter(|i| Some(*i) != held_index).collect();
        let needed = indexes.len() * 2;
        require!(accounts.len() >= needed, StrataError::MissingTrancheAccounts);
        // Boxed: four tranche states and their vaults would take a quarter of SBF's
        // 4 KiB frame in every handler that settles.
        let mut set = Box::new(Self {
            loaders: Vec::with_capacity(indexes.len()),
            vaults: Default::default(),
            states: [TrancheState::default(); MAX_TRANCHES],
            count: usize::from(pool.tranche_count),
        });
        if let Some(held) = held {
            set.states[usize::from(held.index)] = held.state;
            set.vaults[usize::from(held.index)] = Some(held.vault);
        }
        for (entry, index) in accounts[..needed].chunks_exact(2).zip(indexes) {
            let loader = AccountLoader::<Tranche>::try_from(&entry[0]).map_err(|_| error!(StrataError::NotATranche))?;
            {
                let tranche = loader.load()?;
                require_keys_eq!(tranche.pool, *pool_key, StrataError::PoolMismatch);
                require!(tranche.index == index, StrataError::TrancheOutOfOrder);
                require_keys_eq!(*entry[1].key, tranche.vault, StrataError::TrancheVaultMismatch);
                set.states[usize::from(index)] = tranche.state();
            }
            set.loaders.push(loader);
            set.vaults[usize::from(index)] = Some(entry[1].clone());
        }
        Ok((set, &accounts[needed..]))
    }

    /// Loads the set when `accounts` starts with a tranche (`liquidate` and
    /// `liquidate_batch` take it optionally, in front of their other remaining
    /// accounts). Returns the set, if any, and the accounts after it.
    pub fn load_optional(
        pool_key: &Pubkey,
        pool: &Pool,
        accounts: &'info [AccountInfo<'info>],
    ) -> Result<(Option<Box<Self>>, &'info [AccountInfo<'info>])> {
        if !starts_with_tranche(accounts) {
            return Ok((None, accounts));
        }
        let (set, rest) = Self::load(pool_key, pool, accounts, None)?;
        Ok((Some(set), rest))
    }

    /// The pool's tranche states, in index order.
    pub fn states(&self) -> &[TrancheState] {
        &self.states[..self.count]
    }

    pub fn states_mut(&mut self) -> &mut [TrancheState] {
        &mut self.states[..self.count]
    }

    /// Tranche `index`'s state.
    pub fn state(&self, index: u8) -> TrancheState {
        self.states[usize::from(index)]
    }

    /// Every tranche's NAV (notes + held collateral at fresh spot prices, `views`
    /// from [`Pool::price_views`]), in index order.
    pub fn navs(&self, views: &[CollateralView], now: i64) -> Result<Vec<u128>> {
        self.states().iter().map(|state| state.nav(views, now).map_core()).collect()
    }

    /// Settles income up to `now` (`strata_core::income::settle_income`): accrues the
    /// pool's debt and runs the waterfall into the states. The caller mints the split
    /// with [`Self::mint_income`] once the pool's data borrow has ended. Out of line
    /// (the callers' frames stay small on SBF).
    #[inline(never)]
    pub fn settle(&mut self, pool: &mut Pool, pool_key: Pubkey, now: i64) -> Result<IncomeSplit> {
        accrue(pool, pool_key, now)?;
        let mut debt = pool.debt_state();
        let mut ledger = pool.income_ledger();
        let split = settle_income(&mut debt, &mut ledger, self.states_mut(), now).map_core()?;
        pool.set_debt_state(&debt);
        pool.set_income_ledger(&ledger);
        if split.fees > 0 {
            let mut yield_owed = [0u64; MAX_TRANCHES];
            for (owed, wad) in yield_owed.iter_mut().zip(split.yield_owed_wad) {
                *owed = u64::try_from(wad / strata_core::WAD).unwrap_or(u64::MAX);
            }
            crate::log::emit(&IncomeDistributed {
                pool: pool_key,
                fees: split.fees,
                protocol_fee: split.protocol_fee,
                bad_debt_repaid: split.bad_debt_repaid,
                recovered: split.recovered,
                yielded: split.yielded,
                yield_owed,
                turbo: ledger.turbo,
            });
        }
        Ok(split)
    }

    /// Writes the states back into every loaded tranche (not the held one).
    pub fn store(&self) -> Result<()> {
        for loader in &self.loaders {
            let mut tranche = loader.load_mut()?;
            let index = usize::from(tranche.index);
            tranche.set_state(&self.states[index]);
            tranche.invariant()?;
        }
        Ok(())
    }

    /// Mints each tranche's income from a settlement into its vault.
    pub fn mint_income(
        &self,
        split: &IncomeSplit,
        token_program: &AccountInfo<'info>,
        note_mint: &AccountInfo<'info>,
        pool: &AccountInfo<'info>,
        signer: &PoolSigner,
    ) -> Result<()> {
        for (index, vault) in self.vaults.iter().enumerate().take(self.count) {
            let amount = split.to_tranche(index);
            if amount > 0 {
                let vault = vault.as_ref().ok_or(StrataError::MissingTrancheAccounts)?;
                mint_notes(token_program, note_mint, vault, pool, signer, amount)?;
            }
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
        for (index, vault) in self.vaults.iter().enumerate().take(self.count) {
            if amounts[index] > 0 {
                let vault = vault.as_ref().ok_or(StrataError::MissingTrancheAccounts)?;
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
