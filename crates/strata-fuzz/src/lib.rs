//! Sequence fuzzing of Strata's accounting core.
//!
//! Random sequences of deposits, withdrawals, mints, repayments, price moves,
//! accrual, distributions and coverage tests (Turbo mode), liquidations, absorptions,
//! tranche deposits and queued redemptions (request, claim, cancel) run against a
//! plain-Rust [`model::Model`] of a pool that changes state only through
//! `strata-core`, as the program's handlers do, with exact token ledgers beside it.
//! After every step PROTOCOL.md's invariants are checked ([`invariants`]).

pub mod invariants;
pub mod model;
pub mod ops;

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use model::Refusal;

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    pub steps: u64,
    /// Per operation: (applied, refused).
    pub by_op: BTreeMap<&'static str, (u64, u64)>,
    /// Refusals by reason.
    pub refusals: BTreeMap<String, u64>,
    /// Invariant violations: (step, description); the run stops at the first.
    pub violations: Vec<(u64, String)>,
}

/// Runs `steps` random steps from `seed` on fresh pools (a new pool every
/// `steps_per_pool` steps, so that runs see many early-life states too).
pub fn run(seed: u64, steps: u64, steps_per_pool: u64) -> Report {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut report = Report::default();
    let mut model = ops::fresh_pool(&mut rng);
    for step in 0..steps {
        if step > 0 && step % steps_per_pool == 0 {
            model = ops::fresh_pool(&mut rng);
        }
        let op = ops::random_op(&mut rng, &model);
        let before = model.clone();
        let outcome = model.apply(op);
        let entry = report.by_op.entry(op.name()).or_default();
        match &outcome {
            Ok(()) => entry.0 += 1,
            Err(refusal) => {
                entry.1 += 1;
                let reason = match refusal {
                    Refusal::Core(error) if error.is_math() => format!("MathOverflow in {}", op.name()),
                    Refusal::Core(error) => format!("{error:?}"),
                    Refusal::Guard(reason) => (*reason).to_string(),
                };
                *report.refusals.entry(reason).or_default() += 1;
            }
        }
        report.steps += 1;
        if let Err(violation) = invariants::check(&before, &model, &op, outcome.is_ok()) {
            report.violations.push((step, violation));
            break;
        }
    }
    report
}
