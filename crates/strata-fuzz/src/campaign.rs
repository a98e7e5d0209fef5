//! A campaign: `cases` fresh pools, each driven through up to `steps` random steps; on the
//! first broken invariant, proptest shrinks the sequence and the report holds the
//! smallest one found.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::Ordering;

use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest};

use crate::machine::{Pool, Tally, TALLY};
use crate::model::{Model, Op};

/// How long a campaign runs.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub seed: u64,
    /// Sequences, each on a fresh pool.
    pub cases: u32,
    /// The longest sequence (each case draws its length from 1 to this).
    pub steps: usize,
    /// Bound on the shrinking of a failing sequence (each iteration reruns it).
    pub max_shrink_iters: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self { seed: 1, cases: 500, steps: 2_000, max_shrink_iters: 100_000 }
    }
}

/// The smallest failing sequence proptest found.
#[derive(Clone, Debug)]
pub struct Failure {
    /// The broken invariant, as the last step's check described it.
    pub reason: String,
    /// The fresh pool's stability fee.
    pub stability_fee_bps: u16,
    /// The steps, the last one breaking the invariant.
    pub steps: Vec<Op>,
}

/// What a campaign did.
#[derive(Debug, Default)]
pub struct Report {
    /// The sequences that passed (a failing one, and its shrinking, are not counted).
    pub tally: Tally,
    pub failure: Option<Failure>,
}

/// Runs a campaign of `T` ([`Checked`](crate::machine::Checked), with or without a
/// planted bug).
pub fn run_with<T>(settings: &Settings) -> Report
where
    T: StateMachineTest<Reference = Pool>,
{
    let config = Config {
        cases: settings.cases,
        max_shrink_iters: settings.max_shrink_iters,
        failure_persistence: None,
        ..Config::default()
    };
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&settings.seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(config.clone(), TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
    // From one step: shrinking can only delete steps down to the shortest length.
    let strategy = Pool::sequential_strategy(1..=settings.steps);
    let passed = std::cell::RefCell::new(Tally::default());
    let failed = std::cell::Cell::new(false);
    // Shrinking reruns the failing sequence many times; the default hook would print
    // every panic. The violation is in the report.
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = runner.run(&strategy, |(initial, steps, seen)| {
        TALLY.take();
        let outcome =
            panic::catch_unwind(AssertUnwindSafe(|| T::test_sequential(config.clone(), initial, steps, seen)));
        let tally = TALLY.take();
        match outcome {
            Ok(()) if !failed.get() => {
                merge(&mut passed.borrow_mut(), tally);
                Ok(())
            }
            Ok(()) => Ok(()),
            Err(payload) => {
                failed.set(true);
                Err(TestCaseError::fail(panic_message(payload.as_ref())))
            }
        }
    });
    let failure = match result {
        Ok(()) => None,
        Err(TestError::Fail(reason, (initial, steps, seen))) => {
            let shrunk = failure(reason.message(), &initial, steps, seen);
            Some(drop_needless_steps::<T>(&config, &initial, shrunk))
        }
        Err(TestError::Abort(reason)) => {
            Some(Failure { reason: format!("aborted: {}", reason.message()), stability_fee_bps: 0, steps: vec![] })
        }
    };
    panic::set_hook(hook);
    Report { tally: passed.into_inner(), failure }
}

/// The failure message of `steps` from `initial`, if they still break an invariant.
fn fails<T>(config: &Config, initial: &Model, steps: &[Op]) -> Option<String>
where
    T: StateMachineTest<Reference = Pool>,
{
    let run = || T::test_sequential(config.clone(), initial.clone(), steps.to_vec(), None);
    panic::catch_unwind(AssertUnwindSafe(run)).err().map(|payload| panic_message(payload.as_ref()))
}

/// proptest-state-machine deletes each step once, before it shrinks the steps'
/// values; a step needed then (a deposit for a withdrawal by the same actor) may be
/// needless once the withdrawal shrank to another actor. Deletes such steps while
/// the sequence still fails.
fn drop_needless_steps<T>(config: &Config, initial: &Model, mut failure: Failure) -> Failure
where
    T: StateMachineTest<Reference = Pool>,
{
    let mut index = failure.steps.len();
    while index > 0 {
        index -= 1;
        let mut fewer = failure.steps.clone();
        fewer.remove(index);
        if let Some(reason) = fails::<T>(config, initial, &fewer) {
            failure = Failure { reason, steps: fewer, ..failure };
            index = index.min(failure.steps.len());
        }
    }
    failure
}

/// Runs a campaign of the model under every invariant.
pub fn run(settings: &Settings) -> Report {
    run_with::<crate::machine::Checked>(settings)
}

fn failure(
    reason: &str,
    initial: &Model,
    mut steps: Vec<Op>,
    seen: Option<std::sync::Arc<std::sync::atomic::AtomicUsize>>,
) -> Failure {
    // The steps after the failing one never ran.
    if let Some(seen) = seen {
        steps.truncate(seen.load(Ordering::SeqCst).max(1));
    }
    Failure { reason: reason.to_string(), stability_fee_bps: initial.debt.stability_fee_bps, steps }
}

fn merge(into: &mut Tally, tally: Tally) {
    into.steps += tally.steps;
    for (op, (applied, refused)) in tally.by_op {
        let entry = into.by_op.entry(op).or_default();
        entry.0 += applied;
        entry.1 += refused;
    }
    for (reason, count) in tally.refusals {
        *into.refusals.entry(reason).or_default() += count;
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_string()))
        .unwrap_or_else(|| "panic".to_string())
}
