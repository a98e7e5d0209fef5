//! A pool as plain numbers, changed only through `strata-core`, the way the program's
//! handlers change it, with exact token ledgers beside it (vaults, wallets, tranche
//! vaults, treasury, note supply) so that every invariant can be checked exactly.

use strata_core::liquidation::{self, LiquidationPlan, LiquidationTerms};
use strata_core::tranche::{
    apply_income, apply_loss, split_income, split_loss, subordination_holds, withdrawal_keeps_seniors_covered,
    TrancheState,
};
use strata_core::{absorb, CachedPrice, CollateralView, CoreError, DebtState, Health, PriceBasis, PriceLimits, WAD};

pub const ASSETS: usize = 2;
pub const ACTORS: usize = 6;
pub const TRANCHES: usize = 2;
/// 50 years: the horizon accrual is proven safe over (`strata-core`'s
/// `accrual_cannot_overflow`).
pub const MAX_POOL_AGE_SECS: i64 = 50 * 365 * 86_400;

/// What an actor holds outside the protocol.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Wallet {
    pub notes: u64,
    pub collateral: [u64; ASSETS],
    pub shares: [u64; TRANCHES],
}

/// One owner's position.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    pub collateral: [u64; ASSETS],
    pub shares: u128,
}

/// Everything a step may change.
#[derive(Clone, Debug)]
pub struct Model {
    /// When the pool was created.
    pub born: i64,
    pub now: i64,
    pub debt: DebtState,
    /// Per asset: prices, limits and risk parameters (amounts unused).
    pub assets: [CollateralView; ASSETS],
    pub positions: [Position; ACTORS],
    pub wallets: [Wallet; ACTORS],
    pub tranches: [TrancheState; TRANCHES],
    pub tranche_vaults: [u64; TRANCHES],
    pub vaults: [u64; ASSETS],
    pub treasury: u64,
    pub note_supply: u128,
    pub bad_debt: u64,
    pub close_factor_bps: u16,
    pub keeper_tip_bps: u16,
    pub protocol_fee_bps: u16,
    /// The rounding surplus invariant 2 allows so far (one debt share's value per
    /// share issue or burn).
    pub slack: u128,
}

/// One step of a sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Deposit { actor: usize, asset: usize, amount: u64 },
    Withdraw { actor: usize, asset: usize, amount: u64 },
    Mint { actor: usize, amount: u64 },
    Repay { payer: usize, target: usize, amount: u64 },
    MovePrice { asset: usize, move_bps: i32, conf_bps: u16, ema_lag: bool },
    Refresh,
    Advance { seconds: i64 },
    Distribute,
    Liquidate { keeper: usize, target: usize, asset: usize, repay: u64 },
    Absorb { keeper: usize, target: usize },
    TrancheDeposit { actor: usize, tranche: usize, amount: u64 },
    TrancheWithdraw { actor: usize, tranche: usize, shares: u64 },
}

impl Op {
    pub fn name(&self) -> &'static str {
        match self {
            Op::Deposit { .. } => "deposit",
            Op::Withdraw { .. } => "withdraw",
            Op::Mint { .. } => "mint",
            Op::Repay { .. } => "repay",
            Op::MovePrice { .. } => "move_price",
            Op::Refresh => "refresh",
            Op::Advance { .. } => "advance",
            Op::Distribute => "distribute",
            Op::Liquidate { .. } => "liquidate",
            Op::Absorb { .. } => "absorb",
            Op::TrancheDeposit { .. } => "tranche_deposit",
            Op::TrancheWithdraw { .. } => "tranche_withdraw",
        }
    }

    /// Steps that change no price or time: they must not make a healthy position
    /// liquidatable (invariant 4).
    pub fn keeps_prices(&self) -> bool {
        !matches!(self, Op::MovePrice { .. } | Op::Advance { .. } | Op::Refresh)
    }
}

/// Why a step was refused (a refused step must change nothing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Core(CoreError),
    /// A guard the program checks before the core (balances, amounts, accounts).
    Guard(&'static str),
}

impl From<CoreError> for Refusal {
    fn from(error: CoreError) -> Self {
        Refusal::Core(match error {
            // The location differs per call site; compare by kind.
            CoreError::MathOverflow { .. } => CoreError::math(),
            other => other,
        })
    }
}

type Step = Result<(), Refusal>;

fn guard(ok: bool, reason: &'static str) -> Step {
    if ok {
        Ok(())
    } else {
        Err(Refusal::Guard(reason))
    }
}

/// The value in notes of one debt share now, plus one unit: the most a share issue or
/// burn can round in the protocol's favour.
fn share_rounding(debt: &DebtState) -> u128 {
    debt.rate_index_wad.div_ceil(WAD) + 1
}

impl Model {
    /// A pool with SOL-like (9 decimals, $100) and T-bill-like (6 decimals, $1)
    /// collateral, a senior (10% target, 20% subordination) and a junior tranche, and
    /// actors holding collateral.
    pub fn new(stability_fee_bps: u16) -> Self {
        let now = 1_750_000_000;
        let asset = |price_wad: u128, ltv_bps: u16, liquidation_threshold_bps: u16| CollateralView {
            amount: 0,
            price: CachedPrice { price_wad, ema_price_wad: price_wad, conf_wad: 0, publish_time: now },
            limits: PriceLimits { max_age_secs: 60, max_conf_bps: 200, max_ema_deviation_bps: 500 },
            ltv_bps,
            liquidation_threshold_bps,
            liquidation_bonus_min_bps: 200,
            liquidation_bonus_max_bps: 1_000,
        };
        let mut tranches = [TrancheState::default(); TRANCHES];
        tranches[0].target_apr_bps = 1_000;
        tranches[0].min_subordination_bps = 2_000;
        for t in &mut tranches {
            t.last_distribution_ts = now;
        }
        let mut model = Self {
            born: now,
            now,
            debt: DebtState::new(stability_fee_bps, 10_000_000_000_000, 10_000_000, now),
            assets: [asset(WAD / 10, 6_000, 8_000), asset(WAD, 8_000, 9_000)],
            positions: [Position::default(); ACTORS],
            wallets: [Wallet::default(); ACTORS],
            tranches,
            tranche_vaults: [0; TRANCHES],
            vaults: [0; ASSETS],
            treasury: 0,
            note_supply: 0,
            bad_debt: 0,
            close_factor_bps: 5_000,
            keeper_tip_bps: 50,
            protocol_fee_bps: 1_000,
            slack: 0,
        };
        for wallet in &mut model.wallets {
            wallet.collateral = [1_000_000_000_000, 100_000_000_000];
        }
        model
    }

    /// The core's view of a position's collateral.
    pub fn views(&self, collateral: &[u64; ASSETS]) -> [CollateralView; ASSETS] {
        let mut views = self.assets;
        for (view, amount) in views.iter_mut().zip(collateral) {
            view.amount = *amount;
        }
        views
    }

    /// Health of `position` now at `basis`.
    pub fn health(&self, position: &Position, basis: PriceBasis) -> Result<Health, CoreError> {
        let owed = self.debt.debt_of(position.shares)?;
        Health::compute(&self.views(&position.collateral), owed, basis, self.now)
    }

    /// Spot health of a position now (None while a held asset's price is stale).
    pub fn spot_health(&self, actor: usize) -> Option<Health> {
        self.health(&self.positions[actor], PriceBasis::Spot).ok()
    }

    /// Applies `op`; on refusal nothing changes.
    pub fn apply(&mut self, op: Op) -> Step {
        let mut next = self.clone();
        next.step(op)?;
        *self = next;
        Ok(())
    }

    fn step(&mut self, op: Op) -> Step {
        match op {
            Op::Deposit { actor, asset, amount } => self.deposit(actor, asset, amount),
            Op::Withdraw { actor, asset, amount } => self.withdraw(actor, asset, amount),
            Op::Mint { actor, amount } => self.mint(actor, amount),
            Op::Repay { payer, target, amount } => self.repay(payer, target, amount),
            Op::MovePrice { asset, move_bps, conf_bps, ema_lag } => self.move_price(asset, move_bps, conf_bps, ema_lag),
            Op::Refresh => {
                for asset in &mut self.assets {
                    asset.price.publish_time = self.now;
                }
                self.debt.accrue(self.now)?;
                Ok(())
            }
            Op::Advance { seconds } => {
                // Accrual is proven not to overflow for 50 years at the maximum fee;
                // the model's pools live that long at most.
                guard(self.now + seconds - self.born <= MAX_POOL_AGE_SECS, "pool older than 50 years")?;
                self.now += seconds;
                Ok(())
            }
            Op::Distribute => self.distribute(),
            Op::Liquidate { keeper, target, asset, repay } => self.liquidate(keeper, target, asset, repay),
            Op::Absorb { keeper, target } => self.absorb(keeper, target),
            Op::TrancheDeposit { actor, tranche, amount } => self.tranche_deposit(actor, tranche, amount),
            Op::TrancheWithdraw { actor, tranche, shares } => self.tranche_withdraw(actor, tranche, shares),
        }
    }

    fn deposit(&mut self, actor: usize, asset: usize, amount: u64) -> Step {
        guard(amount > 0, "zero amount")?;
        guard(self.wallets[actor].collateral[asset] >= amount, "insufficient funds")?;
        self.debt.accrue(self.now)?;
        self.wallets[actor].collateral[asset] -= amount;
        self.positions[actor].collateral[asset] += amount;
        self.vaults[asset] += amount;
        Ok(())
    }

    fn withdraw(&mut self, actor: usize, asset: usize, amount: u64) -> Step {
        guard(amount > 0, "zero amount")?;
        guard(self.positions[actor].collateral[asset] >= amount, "insufficient collateral")?;
        self.debt.accrue(self.now)?;
        self.positions[actor].collateral[asset] -= amount;
        let position = self.positions[actor];
        if position.shares > 0 {
            let health = self.health(&position, PriceBasis::Conservative)?;
            if !health.is_healthy() {
                return Err(CoreError::InsufficientCollateralValue.into());
            }
        }
        self.vaults[asset] -= amount;
        self.wallets[actor].collateral[asset] += amount;
        Ok(())
    }

    fn mint(&mut self, actor: usize, amount: u64) -> Step {
        self.debt.accrue(self.now)?;
        let position = self.positions[actor];
        let limit = Health::compute(&self.views(&position.collateral), 0, PriceBasis::Conservative, self.now)?
            .weighted_collateral;
        let rounding = share_rounding(&self.debt);
        let outcome = self.debt.mint(position.shares, amount, limit)?;
        self.positions[actor].shares = outcome.position_shares;
        self.wallets[actor].notes += amount;
        self.note_supply += u128::from(amount);
        self.slack += rounding;
        Ok(())
    }

    fn repay(&mut self, payer: usize, target: usize, amount: u64) -> Step {
        self.debt.accrue(self.now)?;
        let rounding = share_rounding(&self.debt);
        let outcome = self.debt.repay(self.positions[target].shares, amount)?;
        guard(self.wallets[payer].notes >= outcome.repaid, "insufficient notes")?;
        self.positions[target].shares = outcome.position_shares;
        self.wallets[payer].notes -= outcome.repaid;
        self.note_supply -= u128::from(outcome.repaid);
        self.slack += rounding;
        Ok(())
    }

    /// A publisher posts a new price: spot moves by `move_bps`, the EMA lags behind
    /// (or follows), the confidence interval is `conf_bps` of spot.
    fn move_price(&mut self, asset: usize, move_bps: i32, conf_bps: u16, ema_lag: bool) -> Step {
        let price = &mut self.assets[asset].price;
        let old = price.price_wad;
        let moved = (old as i128 * (10_000 + i128::from(move_bps)) / 10_000).max(1) as u128;
        price.ema_price_wad = if ema_lag { old } else { moved };
        price.price_wad = moved;
        price.conf_wad = moved * u128::from(conf_bps) / 10_000;
        price.publish_time = self.now;
        self.debt.accrue(self.now)?;
        Ok(())
    }

    fn distribute(&mut self) -> Step {
        self.debt.accrue(self.now)?;
        let fees = self.debt.pending_fees;
        let split = split_income(&self.tranches, fees, self.protocol_fee_bps, self.bad_debt, false, self.now)?;
        apply_income(&mut self.tranches, &split, self.now)?;
        self.debt.pending_fees = 0;
        self.bad_debt -= split.bad_debt_repaid;
        self.treasury += split.protocol_fee;
        for (vault, index) in self.tranche_vaults.iter_mut().zip(0..) {
            *vault += split.to_tranche(index);
        }
        self.note_supply += u128::from(fees - split.bad_debt_repaid);
        Ok(())
    }

    fn liquidate(&mut self, keeper: usize, target: usize, asset: usize, repay: u64) -> Step {
        self.debt.accrue(self.now)?;
        let position = self.positions[target];
        let terms = LiquidationTerms { close_factor_bps: self.close_factor_bps };
        let views = self.views(&position.collateral);
        let plan = liquidation::plan(&self.debt, &terms, &views, position.shares, asset, repay, self.now)?;
        guard(self.wallets[keeper].notes >= plan.repay(), "keeper lacks notes")?;
        let rounding = share_rounding(&self.debt);
        let shares = plan.apply(&mut self.debt, position.shares)?;
        self.positions[target].shares = shares;
        self.wallets[keeper].notes -= plan.repay();
        self.note_supply -= u128::from(plan.repay());
        for index in 0..ASSETS {
            let seized = plan.seized(index);
            self.positions[target].collateral[index] -= seized;
            self.vaults[index] -= seized;
            self.wallets[keeper].collateral[index] += seized;
        }
        if let LiquidationPlan::Shortfall { bad_debt, .. } = plan {
            let loss = split_loss(&self.tranches, bad_debt);
            apply_loss(&mut self.tranches, &loss)?;
            for (vault, taken) in self.tranche_vaults.iter_mut().zip(loss.taken) {
                *vault -= taken;
                self.note_supply -= u128::from(taken);
            }
            self.bad_debt += loss.uncovered;
        }
        self.slack += rounding;
        Ok(())
    }

    fn absorb(&mut self, keeper: usize, target: usize) -> Step {
        self.debt.accrue(self.now)?;
        let position = self.positions[target];
        let views = self.views(&position.collateral);
        let plan = absorb::plan(&self.debt, &views, position.shares, &self.tranches, self.keeper_tip_bps, self.now)?;
        let rounding = share_rounding(&self.debt);
        self.positions[target].shares = plan.apply(&mut self.debt, position.shares, &mut self.tranches)?;
        for (vault, paid) in self.tranche_vaults.iter_mut().zip(plan.paid) {
            *vault -= paid;
        }
        self.note_supply -= u128::from(plan.total_paid);
        for index in 0..ASSETS {
            self.positions[target].collateral[index] -= plan.moved[index];
            self.vaults[index] -= plan.tip[index];
            self.wallets[keeper].collateral[index] += plan.tip[index];
        }
        self.slack += rounding;
        Ok(())
    }

    fn navs(&self) -> Result<[u128; TRANCHES], CoreError> {
        let mut navs = [0u128; TRANCHES];
        for (nav, tranche) in navs.iter_mut().zip(&self.tranches) {
            *nav = tranche.nav(&self.assets, self.now)?;
        }
        Ok(navs)
    }

    fn tranche_deposit(&mut self, actor: usize, tranche: usize, amount: u64) -> Step {
        guard(amount > 0, "zero amount")?;
        guard(self.wallets[actor].notes >= amount, "insufficient notes")?;
        let nav = self.tranches[tranche].nav(&self.assets, self.now)?;
        let shares = self.tranches[tranche].shares_for_deposit(nav, amount)?;
        self.tranches[tranche].deposit(amount, shares)?;
        let navs = self.navs()?;
        let min = self.tranches[tranche].min_subordination_bps;
        guard(subordination_holds(&navs, min, tranche)?, "subordination")?;
        self.wallets[actor].notes -= amount;
        self.wallets[actor].shares[tranche] += shares;
        self.tranche_vaults[tranche] += amount;
        Ok(())
    }

    fn tranche_withdraw(&mut self, actor: usize, tranche: usize, shares: u64) -> Step {
        guard(shares > 0, "zero shares")?;
        guard(self.wallets[actor].shares[tranche] >= shares, "insufficient shares")?;
        let redemption = self.tranches[tranche].redemption(shares)?;
        self.tranches[tranche].withdraw(&redemption)?;
        let navs = self.navs()?;
        guard(withdrawal_keeps_seniors_covered(&self.tranches, &navs, tranche)?, "subordination")?;
        self.wallets[actor].shares[tranche] -= shares;
        self.wallets[actor].notes += redemption.notes;
        self.tranche_vaults[tranche] -= redemption.notes;
        for (index, amount) in redemption.collateral.iter().take(ASSETS).enumerate() {
            self.vaults[index] -= amount;
            self.wallets[actor].collateral[index] += amount;
        }
        Ok(())
    }
}
