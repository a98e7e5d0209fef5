//! Pools, collaterals and users for tests, created through the program itself.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;
use strata::pda;
use strata::state::{CollateralParams, OracleKind, OracleSource, PoolParams, TrancheParams};

use crate::fixture::{Fixture, TxOutcome};
use crate::ix::{self, AccountMeta, CollateralAccounts};
use crate::pyth::{oracle_account, PriceSpec};
use crate::tokens::MintExtension;

/// Pool parameters tests start from: 5% APR, 10-note dust floor, 50% close factor,
/// a 10-minute redemption delay.
pub fn default_pool_params() -> PoolParams {
    PoolParams {
        stability_fee_bps: 500,
        debt_ceiling: 1_000_000_000 * 1_000_000,
        min_debt: 10 * 1_000_000,
        close_factor_bps: 5_000,
        keeper_tip_bps: 50,
        protocol_fee_bps: 1_000,
        coverage_floor_bps: 1_000,
        redemption_delay_secs: 600,
    }
}

/// Collateral parameters tests start from: 50% ltv, 80% threshold, 2–10% bonus,
/// 60 s max age, 2% max confidence, 5% max EMA deviation.
pub fn default_collateral_params() -> CollateralParams {
    CollateralParams {
        ltv_bps: 5_000,
        liquidation_threshold_bps: 8_000,
        liquidation_bonus_min_bps: 200,
        liquidation_bonus_max_bps: 1_000,
        deposit_cap: u64::MAX / 2,
        max_age_secs: 60,
        max_conf_bps: 200,
        max_ema_deviation_bps: 500,
    }
}

/// What a test wants listed.
#[derive(Clone, Debug)]
pub struct CollateralSpec {
    pub decimals: u8,
    pub kind: OracleKind,
    /// Token-2022 with these extensions; `None` for classic SPL Token.
    pub token_2022: Option<Vec<MintExtension>>,
    pub params: CollateralParams,
    /// Price as `mantissa × 10^expo` quote units per whole token.
    pub price: i64,
    pub expo: i32,
}

impl CollateralSpec {
    pub fn legacy(decimals: u8, price: i64, expo: i32) -> Self {
        Self {
            decimals,
            kind: OracleKind::PythLegacy,
            token_2022: None,
            params: default_collateral_params(),
            price,
            expo,
        }
    }

    pub fn pull(decimals: u8, price: i64, expo: i32) -> Self {
        Self { kind: OracleKind::PythPull, ..Self::legacy(decimals, price, expo) }
    }

    pub fn token_2022(mut self, extensions: &[MintExtension]) -> Self {
        self.token_2022 = Some(extensions.to_vec());
        self
    }

    pub fn params(mut self, params: CollateralParams) -> Self {
        self.params = params;
        self
    }
}

pub struct TestCollateral {
    pub index: u8,
    pub mint: Pubkey,
    pub mint_authority: Keypair,
    pub token_program: Pubkey,
    pub vault: Pubkey,
    pub oracle: Pubkey,
    pub kind: OracleKind,
    pub feed_id: [u8; 32],
    pub decimals: u8,
}

impl TestCollateral {
    pub fn source(&self) -> OracleSource {
        OracleSource { kind: self.kind, feed_id: self.feed_id }
    }
}

pub struct TestPool {
    pub key: Pubkey,
    pub pool_id: u64,
    pub authority: Keypair,
    pub note_mint: Pubkey,
    pub treasury: Pubkey,
    pub collaterals: Vec<TestCollateral>,
    pub tranches: Vec<TestTranche>,
    /// Wallets need an allowlist entry (their flows pass it).
    pub permissioned: bool,
}

pub struct TestTranche {
    pub index: u8,
    pub key: Pubkey,
    pub share_mint: Pubkey,
    pub vault: Pubkey,
    pub share_escrow: Pubkey,
}

pub struct TestUser {
    pub owner: Keypair,
    pub position: Pubkey,
    /// The owner's token account per collateral, indexed like the pool's.
    pub tokens: Vec<Pubkey>,
    pub notes: Pubkey,
}

impl TestPool {
    pub fn collateral_accounts(&self, user: &TestUser, index: u8) -> CollateralAccounts {
        let c = &self.collaterals[usize::from(index)];
        CollateralAccounts {
            owner: user.owner.pubkey(),
            pool: self.key,
            position: user.position,
            mint: c.mint,
            vault: c.vault,
            token_account: user.tokens[usize::from(index)],
            token_program: c.token_program,
        }
    }

    pub fn deposit_ix(&self, user: &TestUser, index: u8, amount: u64) -> Instruction {
        ix::deposit(&self.collateral_accounts(user, index), index, amount)
    }

    pub fn withdraw_ix(&self, user: &TestUser, index: u8, amount: u64) -> Instruction {
        ix::withdraw(&self.collateral_accounts(user, index), index, amount)
    }

    pub fn mint_ix(&self, user: &TestUser, amount: u64) -> Instruction {
        ix::mint(&user.owner.pubkey(), &self.key, &user.position, &self.note_mint, &user.notes, amount)
    }

    /// `payer` burns its notes against `position`.
    pub fn repay_ix(&self, payer: &TestUser, position: &Pubkey, amount: u64) -> Instruction {
        ix::repay(&payer.owner.pubkey(), &self.key, position, &self.note_mint, &payer.notes, amount)
    }

    /// Accounts for `keeper` liquidating on collateral `index`.
    pub fn keeper_accounts(&self, keeper: &TestUser, index: u8) -> ix::KeeperAccounts {
        let c = &self.collaterals[usize::from(index)];
        ix::KeeperAccounts {
            keeper: keeper.owner.pubkey(),
            pool: self.key,
            note_mint: self.note_mint,
            keeper_notes: keeper.notes,
            collateral_mint: c.mint,
            vault: c.vault,
            keeper_collateral: keeper.tokens[usize::from(index)],
            collateral_token_program: c.token_program,
        }
    }

    pub fn liquidate_ix(
        &self,
        keeper: &TestUser,
        position: &Pubkey,
        index: u8,
        repay: u64,
        min_out: u64,
    ) -> Instruction {
        ix::liquidate(&self.keeper_accounts(keeper, index), position, index, repay, min_out)
    }

    pub fn liquidate_batch_ix(
        &self,
        keeper: &TestUser,
        positions: &[Pubkey],
        index: u8,
        max_repay: u64,
        min_out: u64,
    ) -> Instruction {
        ix::liquidate_batch(&self.keeper_accounts(keeper, index), positions, index, max_repay, min_out)
    }

    /// `liquidate_batch` with the tranche set in front of the positions (settlements
    /// book their losses through the tranches).
    pub fn liquidate_batch_with_tranches_ix(
        &self,
        keeper: &TestUser,
        positions: &[Pubkey],
        index: u8,
        max_repay: u64,
        min_out: u64,
    ) -> Instruction {
        let mut ix = ix::liquidate_batch(&self.keeper_accounts(keeper, index), &[], index, max_repay, min_out);
        ix.accounts.extend(self.tranche_metas(None));
        ix.accounts.extend(positions.iter().map(|p| AccountMeta::new(*p, false)));
        ix
    }

    pub fn refresh_ix(&self, index: u8) -> Instruction {
        ix::refresh_oracle(&self.key, &self.collaterals[usize::from(index)].oracle, index)
    }

    /// The tranche set as remaining accounts, in index order: each tranche followed
    /// by its vault, leaving out `except`.
    pub fn tranche_metas(&self, except: Option<u8>) -> Vec<AccountMeta> {
        ix::tranche_metas(&self.key, self.tranches.len() as u8, except)
    }

    /// `[token_program, mint, vault, destination]` paying collateral `index` out.
    pub fn payout_metas(&self, index: u8, destination: &Pubkey) -> Vec<AccountMeta> {
        let c = &self.collaterals[usize::from(index)];
        ix::payout_metas(c.token_program, c.mint, c.vault, *destination).to_vec()
    }

    /// `remaining` followed by the payout accounts of each of `collaterals`, paid to
    /// `user`'s token accounts.
    fn with_payouts(&self, mut remaining: Vec<AccountMeta>, collaterals: &[u8], user: &TestUser) -> Vec<AccountMeta> {
        for collateral in collaterals {
            remaining.extend(self.payout_metas(*collateral, &user.tokens[usize::from(*collateral)]));
        }
        remaining
    }

    pub fn tranche_accounts(&self, user: &TestUser, index: u8) -> ix::TrancheAccounts {
        let share_mint = self.tranches[usize::from(index)].share_mint;
        ix::TrancheAccounts {
            wallet: user.owner.pubkey(),
            pool: self.key,
            index,
            note_mint: self.note_mint,
            notes: user.notes,
            shares: share_account(&user.owner.pubkey(), &share_mint),
            allowlist_entry: self.permissioned.then(|| pda::allowlist_entry(&self.key, &user.owner.pubkey())),
        }
    }

    pub fn tranche_deposit_ix(&self, user: &TestUser, index: u8, amount: u64) -> Instruction {
        ix::tranche_deposit(&self.tranche_accounts(user, index), amount, &self.tranche_metas(Some(index)))
    }

    pub fn request_redemption_ix(&self, user: &TestUser, index: u8, shares: u64) -> Instruction {
        ix::request_redemption(&self.tranche_accounts(user, index), shares)
    }

    /// A claim paying the held collaterals `payouts` to the user's accounts.
    pub fn claim_redemption_ix(&self, user: &TestUser, index: u8, payouts: &[u8]) -> Instruction {
        let remaining = self.with_payouts(self.tranche_metas(Some(index)), payouts, user);
        ix::claim_redemption(&self.tranche_accounts(user, index), &remaining)
    }

    pub fn cancel_redemption_ix(&self, user: &TestUser, index: u8) -> Instruction {
        ix::cancel_redemption(&self.tranche_accounts(user, index))
    }

    pub fn distribute_ix(&self) -> Instruction {
        ix::distribute(&self.key, &self.note_mint, &self.treasury, &self.tranche_metas(None))
    }

    pub fn check_coverage_ix(&self) -> Instruction {
        ix::check_coverage(&self.key, &self.note_mint, &self.tranche_metas(None))
    }

    /// `absorb` by `keeper`, paying its tip in the collaterals `tips`.
    pub fn absorb_ix(&self, keeper: &TestUser, position: &Pubkey, tips: &[u8]) -> Instruction {
        let remaining = self.with_payouts(self.tranche_metas(None), tips, keeper);
        ix::absorb(&keeper.owner.pubkey(), &self.key, position, &self.note_mint, &remaining)
    }

    /// `liquidate` with the tranche set in front (for insolvent settlements).
    pub fn liquidate_with_tranches_ix(
        &self,
        keeper: &TestUser,
        position: &Pubkey,
        index: u8,
        repay: u64,
        min_out: u64,
    ) -> Instruction {
        ix::with_remaining(self.liquidate_ix(keeper, position, index, repay, min_out), &self.tranche_metas(None))
    }

    /// `buyer` buys tranche `index`'s held collateral `collateral` for up to
    /// `notes_in` notes (the collateral's oracle refreshed first, in the same
    /// transaction).
    pub fn recovery_sale_ixs(
        &self,
        buyer: &TestUser,
        index: u8,
        collateral: u8,
        notes_in: u64,
        min_out: u64,
    ) -> Vec<Instruction> {
        let sale = ix::recovery_sale(
            &self.keeper_accounts(buyer, collateral),
            index,
            collateral,
            notes_in,
            min_out,
            &self.tranche_metas(Some(index)),
        );
        vec![self.refresh_ix(collateral), sale]
    }

    /// Refresh instructions for every collateral.
    pub fn refresh_all_ixs(&self) -> Vec<Instruction> {
        (0..self.collaterals.len() as u8).map(|i| self.refresh_ix(i)).collect()
    }
}

pub use crate::ix::share_account;

impl Fixture {
    /// Adds tranches (index 0 first) with `params`.
    pub async fn add_tranches(&mut self, pool: &mut TestPool, params: &[TrancheParams]) {
        for p in params {
            let index = pool.tranches.len() as u8;
            let authority = pool.authority.insecure_clone();
            let ix = ix::init_tranche(&self.payer.pubkey(), &authority.pubkey(), &pool.key, &pool.note_mint, index, *p);
            self.ok(&[ix], &[&authority]).await;
            let key = pda::tranche(&pool.key, index);
            pool.tranches.push(TestTranche {
                index,
                key,
                share_mint: pda::share_mint(&key),
                vault: pda::tranche_vault(&key),
                share_escrow: pda::share_escrow(&key),
            });
        }
    }

    /// Creates `user`'s share accounts for every tranche of the pool.
    pub async fn open_share_accounts(&mut self, pool: &TestPool, user: &TestUser) {
        for t in &pool.tranches {
            self.create_ata(&t.share_mint, &user.owner.pubkey(), &anchor_spl::token_2022::ID).await;
        }
    }

    pub async fn tranche(&mut self, pool: &TestPool, index: u8) -> strata::state::Tranche {
        self.zero_copy_account(&pool.tranches[usize::from(index)].key).await
    }

    /// Creates a pool with `specs` listed, each with an oracle priced at its spec and
    /// published now.
    pub async fn create_pool(&mut self, params: PoolParams, specs: &[CollateralSpec]) -> TestPool {
        self.create_pool_with(params, specs, false).await
    }

    /// `create_pool`, permissioned or open.
    pub async fn create_pool_with(
        &mut self,
        params: PoolParams,
        specs: &[CollateralSpec],
        permissioned: bool,
    ) -> TestPool {
        let authority = self.funded_keypair(10_000_000_000).await;
        let pool_id = 7;
        let pool = pda::pool(&authority.pubkey(), pool_id);
        let treasury_owner = Pubkey::new_unique();
        let ix = ix::init_pool_with(
            &self.payer.pubkey(),
            &authority.pubkey(),
            &treasury_owner,
            pool_id,
            params,
            permissioned,
        );
        self.ok(&[ix], &[&authority]).await;
        let mut test_pool = TestPool {
            key: pool,
            pool_id,
            authority,
            note_mint: pda::note_mint(&pool),
            treasury: ix::treasury_address(&pool, &treasury_owner),
            collaterals: Vec::new(),
            tranches: Vec::new(),
            permissioned,
        };
        for spec in specs {
            let (collateral, add) = self.prepare_collateral(&test_pool, spec).await;
            let authority = test_pool.authority.insecure_clone();
            self.ok(&[add], &[&authority]).await;
            test_pool.collaterals.push(collateral);
        }
        test_pool
    }

    /// Creates the mint and oracle of `spec` and returns the `add_collateral`
    /// instruction that would list it (not sent).
    pub async fn prepare_collateral(
        &mut self,
        pool: &TestPool,
        spec: &CollateralSpec,
    ) -> (TestCollateral, Instruction) {
        let mint_authority = Keypair::new();
        let (token_program, extensions) = match &spec.token_2022 {
            Some(extensions) => (anchor_spl::token_2022::ID, extensions.clone()),
            None => (anchor_spl::token::ID, vec![]),
        };
        let mint = self.create_mint(&token_program, spec.decimals, &mint_authority.pubkey(), &extensions).await;
        let oracle = Pubkey::new_unique();
        let feed_id = match spec.kind {
            OracleKind::PythLegacy => [0u8; 32],
            OracleKind::PythPull => Pubkey::new_unique().to_bytes(),
        };
        let collateral = TestCollateral {
            index: pool.collaterals.len() as u8,
            mint,
            mint_authority,
            token_program,
            vault: pda::vault(&pool.key, &mint),
            oracle,
            kind: spec.kind,
            feed_id,
            decimals: spec.decimals,
        };
        self.set_price(&collateral, PriceSpec::new(spec.price, spec.expo, self.now));
        let add = ix::add_collateral(
            &self.payer.pubkey(),
            &pool.authority.pubkey(),
            &pool.key,
            &mint,
            &token_program,
            &oracle,
            collateral.source(),
            spec.params,
        );
        (collateral, add)
    }

    /// Writes the collateral's oracle account as its Pyth program would.
    pub fn set_price(&mut self, collateral: &TestCollateral, spec: PriceSpec) {
        let account = oracle_account(collateral.kind, &spec, collateral.feed_id);
        self.set_account(&collateral.oracle, account);
        self.prices.insert(collateral.oracle, spec);
    }

    /// Publishes every collateral's last price again, stamped now, and refreshes the
    /// pool (time moved on; the market did not).
    pub async fn republish(&mut self, pool: &TestPool) {
        for collateral in &pool.collaterals {
            let mut spec = self.prices[&collateral.oracle];
            spec.publish_time = self.now;
            self.set_price(collateral, spec);
        }
        self.refresh_all(pool).await;
    }

    /// Waits out the pool's redemption delay (prices published again at its end).
    pub async fn wait_redemption_delay(&mut self, pool: &TestPool) {
        let delay = self.pool(&pool.key).await.redemption_delay_secs;
        self.advance(i64::from(delay)).await;
        self.republish(pool).await;
    }

    /// A whole redemption through the queue: request `shares`, wait out the delay,
    /// claim (paying the held collaterals `payouts`). Returns the claim's outcome.
    pub async fn redeem(
        &mut self,
        pool: &TestPool,
        user: &TestUser,
        index: u8,
        shares: u64,
        payouts: &[u8],
    ) -> TxOutcome {
        self.ok(&[pool.request_redemption_ix(user, index, shares)], &[&user.owner]).await;
        self.wait_redemption_delay(pool).await;
        self.ok(&[pool.claim_redemption_ix(user, index, payouts)], &[&user.owner]).await
    }

    /// Publishes `price × 10^expo` now for the collateral and refreshes the pool.
    pub async fn move_price(&mut self, pool: &TestPool, index: u8, price: i64, expo: i32) {
        let spec = PriceSpec::new(price, expo, self.now);
        self.set_price(&pool.collaterals[usize::from(index)], spec);
        self.ok(&[pool.refresh_ix(index)], &[]).await;
    }

    /// Refreshes every collateral of the pool from its current oracle account.
    pub async fn refresh_all(&mut self, pool: &TestPool) {
        let ixs = pool.refresh_all_ixs();
        self.ok(&ixs, &[]).await;
    }

    /// A funded wallet with an open position, a token account per collateral holding
    /// `balances[i]`, and a note account; allowlisted first in a permissioned pool.
    pub async fn create_user(&mut self, pool: &TestPool, balances: &[u64]) -> TestUser {
        let owner = self.funded_keypair(1_000_000_000).await;
        let entry = if pool.permissioned {
            let authority = pool.authority.insecure_clone();
            let allow = ix::allow(&self.payer.pubkey(), &authority.pubkey(), &pool.key, &owner.pubkey());
            self.ok(&[allow], &[&authority]).await;
            Some(pda::allowlist_entry(&pool.key, &owner.pubkey()))
        } else {
            None
        };
        let mut tokens = Vec::with_capacity(pool.collaterals.len());
        for (index, collateral) in pool.collaterals.iter().enumerate() {
            let account = self.create_ata(&collateral.mint, &owner.pubkey(), &collateral.token_program).await;
            let amount = balances.get(index).copied().unwrap_or(0);
            if amount > 0 {
                let authority = collateral.mint_authority.insecure_clone();
                self.mint_to(&collateral.mint, &account, &authority, amount).await;
            }
            tokens.push(account);
        }
        let notes = self.create_ata(&pool.note_mint, &owner.pubkey(), &anchor_spl::token::ID).await;
        let open = ix::open_position_with(&self.payer.pubkey(), &owner.pubkey(), &pool.key, entry);
        self.ok(&[open], &[&owner]).await;
        TestUser { position: pda::position(&pool.key, &owner.pubkey()), owner, tokens, notes }
    }
}
