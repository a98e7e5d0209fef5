//! A pool as plain numbers, changed only through `strata-core`, the way the program's
//! handlers change it, with exact token ledgers beside it (vaults, wallets, tranche
//! vaults, treasury, note supply) so that every invariant can be checked exactly.

use strata_core::income::{settle_income, take_protocol_fee, IncomeLedger, IncomeSplit};
use strata_core::liquidation::{self, LiquidationPlan, LiquidationTerms};
use strata_core::math::{compound_wad, Rounding};
use strata_core::tranche::{book_loss, junior_coverage_bps, TrancheState};
use strata_core::{
    absorb, flows, CachedPrice, CollateralView, CoreError, DebtState, Health, PriceBasis, PriceLimits, WAD,
};

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

/// A queued redemption.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Request {
    pub shares: u64,
    pub requested_at: i64,
}

/// What a loss booking did to the tranches' NAVs (for the junior-first-on-NAV check).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LossCheck {
    pub loss: u64,
    pub before: [u128; TRANCHES],
    pub after: [u128; TRANCHES],
    /// NAV of the tranches below each tranche, collateral at `min(spot, EMA) − conf`.
    pub below: [u128; TRANCHES],
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
    /// Share escrows (queued redemptions), per tranche.
    pub escrows: [u64; TRANCHES],
    pub requests: [[Option<Request>; TRANCHES]; ACTORS],
    pub vaults: [u64; ASSETS],
    pub treasury: u64,
    pub note_supply: u128,
    /// Protocol fee owed, bad debt, protocol fee rate, Turbo mode.
    pub ledger: IncomeLedger,
    pub close_factor_bps: u16,
    pub keeper_tip_bps: u16,
    pub coverage_floor_bps: u16,
    pub redemption_delay_secs: u32,
    /// An independent account of each non-junior tranche's target base (notes ×
    /// WAD): compounded at the target rate at every step, whatever settles, and moved
    /// only by what changes a tranche's principal (deposits, claims, losses,
    /// absorptions, recoveries, the Turbo residual). The core compounds only at
    /// settlements; the two agree up to rounding whatever the cadence.
    pub target_base_wad: [u128; TRANCHES],
    /// When `target_base_wad` was last compounded.
    pub target_base_ts: i64,
    /// The largest target base seen (the scale of the compounding's rounding).
    pub target_base_peak_wad: u128,
    /// The last loss booked by the step: each tranche's NAV at spot before and after,
    /// the NAV below it at the price collateral is handed over at, and the loss.
    pub last_loss: Option<LossCheck>,
    /// The rounding surplus invariant 2 allows so far (one debt share's value per
    /// share issue or burn).
    pub slack: u128,
}

/// One step of a sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Deposit {
        actor: usize,
        asset: usize,
        amount: u64,
    },
    Withdraw {
        actor: usize,
        asset: usize,
        amount: u64,
    },
    Mint {
        actor: usize,
        amount: u64,
    },
    Repay {
        payer: usize,
        target: usize,
        amount: u64,
    },
    MovePrice {
        asset: usize,
        move_bps: i32,
        conf_bps: u16,
        ema_lag: bool,
    },
    Refresh,
    Advance {
        seconds: i64,
    },
    Distribute,
    Liquidate {
        keeper: usize,
        target: usize,
        asset: usize,
        repay: u64,
    },
    Absorb {
        keeper: usize,
        target: usize,
    },
    TrancheDeposit {
        actor: usize,
        tranche: usize,
        amount: u64,
    },
    RequestRedemption {
        actor: usize,
        tranche: usize,
        shares: u64,
    },
    ClaimRedemption {
        actor: usize,
        tranche: usize,
    },
    CancelRedemption {
        actor: usize,
        tranche: usize,
    },
    RecoverySale {
        buyer: usize,
        tranche: usize,
        asset: usize,
        notes: u64,
    },
    CheckCoverage,
    /// A probe changing nothing: deposit `amount` then redeem it at once, on a copy
    /// (`invariants` checks the round trip never gains).
    RoundTrip {
        actor: usize,
        tranche: usize,
        amount: u64,
    },
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
            Op::RequestRedemption { .. } => "request_redemption",
            Op::ClaimRedemption { .. } => "claim_redemption",
            Op::CancelRedemption { .. } => "cancel_redemption",
            Op::RecoverySale { .. } => "recovery_sale",
            Op::CheckCoverage => "check_coverage",
            Op::RoundTrip { .. } => "round_trip",
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
            t.last_settled_ts = now;
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
            escrows: [0; TRANCHES],
            requests: [[None; TRANCHES]; ACTORS],
            vaults: [0; ASSETS],
            treasury: 0,
            note_supply: 0,
            ledger: IncomeLedger { protocol_fee_bps: 1_000, ..Default::default() },
            close_factor_bps: 5_000,
            keeper_tip_bps: 50,
            coverage_floor_bps: 1_000,
            redemption_delay_secs: 600,
            target_base_wad: [0; TRANCHES],
            target_base_ts: now,
            target_base_peak_wad: 0,
            last_loss: None,
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
        self.last_loss = None;
        self.compound_target_bases()?;
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
            Op::CheckCoverage => self.check_coverage(),
            Op::RoundTrip { .. } => Ok(()),
            Op::Liquidate { keeper, target, asset, repay } => self.liquidate(keeper, target, asset, repay),
            Op::Absorb { keeper, target } => self.absorb(keeper, target),
            Op::TrancheDeposit { actor, tranche, amount } => self.tranche_deposit(actor, tranche, amount),
            Op::RequestRedemption { actor, tranche, shares } => self.request(actor, tranche, shares),
            Op::ClaimRedemption { actor, tranche } => self.claim(actor, tranche),
            Op::CancelRedemption { actor, tranche } => self.cancel(actor, tranche),
            Op::RecoverySale { buyer, tranche, asset, notes } => self.recovery_sale(buyer, tranche, asset, notes),
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
        guard(!self.ledger.turbo, "turbo")?;
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

    /// Compounds the independent target bases to now (every step, whatever settles).
    fn compound_target_bases(&mut self) -> Step {
        let elapsed = (self.now - self.target_base_ts).max(0) as u64;
        for (base, tranche) in self.target_base_wad.iter_mut().zip(&self.tranches).take(TRANCHES - 1) {
            // A tranche nobody holds earns no target and forgets what was owed to its
            // former holders: its base is what it holds (rounding dust).
            if tranche.total_shares == 0 {
                *base = u128::from(tranche.assets) * WAD;
                continue;
            }
            let factor = compound_wad(tranche.target_apr_bps, elapsed, Rounding::Down)?;
            *base = strata_core::mul_div(*base, factor, WAD, Rounding::Down)?;
        }
        self.target_base_ts = self.now;
        Ok(())
    }

    /// Moves a tranche's independent target base by a change of its principal.
    fn move_target_base(&mut self, tranche: usize, notes: i128) {
        if tranche < TRANCHES - 1 {
            let delta = notes.unsigned_abs() * WAD;
            let base = &mut self.target_base_wad[tranche];
            *base = if notes >= 0 { *base + delta } else { base.saturating_sub(delta) };
            self.target_base_peak_wad = self.target_base_peak_wad.max(*base);
        }
    }

    /// Income settled up to now (what every tranche flow does first), minted into
    /// the tranche vaults.
    fn settle(&mut self) -> Result<IncomeSplit, Refusal> {
        let split = settle_income(&mut self.debt, &mut self.ledger, &mut self.tranches, self.now)?;
        for (index, vault) in self.tranche_vaults.iter_mut().enumerate() {
            *vault += split.to_tranche(index);
        }
        self.note_supply += u128::from(split.to_tranches());
        for index in 0..TRANCHES {
            self.move_target_base(index, i128::from(split.recovered[index]));
        }
        if self.ledger.turbo {
            self.move_target_base(0, i128::from(split.residual));
        }
        Ok(split)
    }

    fn distribute(&mut self) -> Step {
        self.settle()?;
        let fee = take_protocol_fee(&mut self.debt, &mut self.ledger)?;
        self.treasury += fee;
        self.note_supply += u128::from(fee);
        Ok(())
    }

    fn check_coverage(&mut self) -> Step {
        self.settle()?;
        let navs = flows::navs(&self.tranches, &self.assets, self.now)?;
        let coverage = junior_coverage_bps(&navs[..TRANCHES])?;
        self.ledger.turbo = coverage < u128::from(self.coverage_floor_bps);
        Ok(())
    }

    /// Books a loss through the tranches (settled first), burning their vault notes.
    fn book_loss(&mut self, loss: u64) -> Step {
        let mut check = LossCheck { loss, ..Default::default() };
        let navs_before = self.spot_navs();
        for index in 0..TRANCHES {
            check.below[index] = self.tranches[index + 1..].iter().map(|t| self.floor_nav(t)).sum();
        }
        let split = book_loss(&mut self.tranches, &mut self.ledger.bad_debt, loss, &self.assets, self.now)?;
        for (index, taken) in split.taken.iter().enumerate().take(TRANCHES) {
            self.tranche_vaults[index] -= taken;
            self.note_supply -= u128::from(*taken);
            self.move_target_base(index, -i128::from(*taken));
        }
        if let (Some(before), Some(after)) = (navs_before, self.spot_navs()) {
            check.before = before;
            check.after = after;
            self.last_loss = Some(check);
        }
        Ok(())
    }

    /// Every tranche's NAV at spot, `None` while a held asset's price is stale.
    fn spot_navs(&self) -> Option<[u128; TRANCHES]> {
        let mut navs = [0u128; TRANCHES];
        for (nav, tranche) in navs.iter_mut().zip(&self.tranches) {
            *nav = tranche.nav(&self.assets, self.now).ok()?;
        }
        Some(navs)
    }

    /// A tranche's NAV with its collateral at `min(spot, EMA) − conf` (0 where stale).
    fn floor_nav(&self, tranche: &TrancheState) -> u128 {
        let mut nav = u128::from(tranche.assets);
        for (held, view) in tranche.collateral_held.iter().zip(&self.assets) {
            let price = view.price.senior_favouring(&view.limits, self.now).unwrap_or(0);
            nav += u128::from(*held) * price / WAD;
        }
        nav
    }

    fn recovery_sale(&mut self, buyer: usize, tranche: usize, asset: usize, notes: u64) -> Step {
        guard(notes > 0, "zero amount")?;
        guard(self.wallets[buyer].notes >= notes, "insufficient notes")?;
        self.settle()?;
        let discount = self.assets[asset].liquidation_bonus_min_bps;
        let sale =
            flows::plan_recovery_sale(&self.tranches[tranche], asset, &self.assets[asset], discount, notes, self.now)?;
        flows::apply_recovery_sale(&mut self.tranches[tranche], asset, &sale)?;
        self.wallets[buyer].notes -= sale.notes_in;
        self.tranche_vaults[tranche] += sale.notes_in;
        self.move_target_base(tranche, i128::from(sale.notes_in));
        self.vaults[asset] -= sale.collateral_out;
        self.wallets[buyer].collateral[asset] += sale.collateral_out;
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
            // The settlement carries the tranche set: income first, then the loss.
            self.settle()?;
            self.book_loss(bad_debt)?;
        }
        self.slack += rounding;
        Ok(())
    }

    fn absorb(&mut self, keeper: usize, target: usize) -> Step {
        self.settle()?;
        let position = self.positions[target];
        let views = self.views(&position.collateral);
        let plan = absorb::plan(&self.debt, &views, position.shares, &self.tranches, self.keeper_tip_bps, self.now)?;
        let rounding = share_rounding(&self.debt);
        self.positions[target].shares = plan.apply(&mut self.debt, position.shares, &mut self.tranches)?;
        for (index, paid) in plan.paid.iter().enumerate().take(TRANCHES) {
            self.tranche_vaults[index] -= paid;
            self.move_target_base(index, -i128::from(*paid));
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

    fn tranche_deposit(&mut self, actor: usize, tranche: usize, amount: u64) -> Step {
        guard(amount > 0, "zero amount")?;
        guard(self.wallets[actor].notes >= amount, "insufficient notes")?;
        self.settle()?;
        let shares = flows::deposit(&mut self.tranches, tranche, amount, &self.assets, self.now)?;
        self.wallets[actor].notes -= amount;
        self.wallets[actor].shares[tranche] += shares;
        self.tranche_vaults[tranche] += amount;
        self.move_target_base(tranche, i128::from(amount));
        Ok(())
    }

    fn request(&mut self, actor: usize, tranche: usize, shares: u64) -> Step {
        guard(self.requests[actor][tranche].is_none(), "already requested")?;
        guard(self.wallets[actor].shares[tranche] >= shares, "insufficient shares")?;
        flows::request(&mut self.tranches[tranche], shares)?;
        self.wallets[actor].shares[tranche] -= shares;
        self.escrows[tranche] += shares;
        self.requests[actor][tranche] = Some(Request { shares, requested_at: self.now });
        Ok(())
    }

    fn claim(&mut self, actor: usize, tranche: usize) -> Step {
        let request = self.requests[actor][tranche].ok_or(Refusal::Guard("no request"))?;
        flows::claimable(request.requested_at, self.redemption_delay_secs, self.now)?;
        self.settle()?;
        let redemption = flows::claim(&mut self.tranches, tranche, request.shares, &self.assets, self.now)?;
        self.escrows[tranche] -= request.shares;
        self.requests[actor][tranche] = None;
        self.wallets[actor].notes += redemption.notes;
        self.tranche_vaults[tranche] -= redemption.notes;
        self.move_target_base(tranche, -i128::from(redemption.notes));
        for (index, amount) in redemption.collateral.iter().take(ASSETS).enumerate() {
            self.vaults[index] -= amount;
            self.wallets[actor].collateral[index] += amount;
        }
        Ok(())
    }

    fn cancel(&mut self, actor: usize, tranche: usize) -> Step {
        let request = self.requests[actor][tranche].ok_or(Refusal::Guard("no request"))?;
        flows::cancel(&mut self.tranches[tranche], request.shares)?;
        self.escrows[tranche] -= request.shares;
        self.wallets[actor].shares[tranche] += request.shares;
        self.requests[actor][tranche] = None;
        Ok(())
    }

    /// What depositing `amount` into `tranche` and redeeming the new shares at once
    /// would gain, in native note units, with the collateral paid valued at the entry
    /// price; `None` when the deposit or the claim is refused.
    pub fn round_trip_gain(&self, tranche: usize, amount: u64) -> Option<i128> {
        let mut copy = self.clone();
        copy.settle().ok()?;
        let shares = flows::deposit(&mut copy.tranches, tranche, amount, &copy.assets, copy.now).ok()?;
        flows::request(&mut copy.tranches[tranche], shares).ok()?;
        let out = flows::claim(&mut copy.tranches, tranche, shares, &copy.assets, copy.now).ok()?;
        let mut value = i128::from(out.notes);
        for (index, amount) in out.collateral.iter().take(ASSETS).enumerate() {
            let view = &copy.assets[index];
            let price = view.price.entry(&view.limits, copy.now).ok()?;
            value += (u128::from(*amount) * price / WAD) as i128;
        }
        Some(value - i128::from(amount))
    }
}
