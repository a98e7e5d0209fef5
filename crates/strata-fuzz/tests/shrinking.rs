//! The fuzzer shrinks: with a bug planted in the model (`machine::Plant`: a withdrawal
//! that pays out but leaves the vault's balance as it was), a campaign of long sequences
//! must report a failing sequence of at most three steps (it finds one: a single
//! withdrawal of one unit), ending in the withdrawal, with the broken invariant named.

use strata_fuzz::machine::{Checked, Plant};
use strata_fuzz::model::{Model, Op};
use strata_fuzz::{campaign, Settings};

/// The planted bug.
struct LeakyWithdraw;

impl Plant for LeakyWithdraw {
    fn after(model: &mut Model, op: &Op, applied: bool) {
        if let (true, Op::Withdraw { asset, amount, .. }) = (applied, *op) {
            model.vaults[asset] += amount; // the vault forgets what it paid
        }
    }
}

#[test]
fn a_planted_bug_is_reported_as_a_sequence_of_at_most_three_steps() {
    let settings = Settings { seed: 7, cases: 16, steps: 300, ..Settings::default() };
    let report = campaign::run_with::<Checked<LeakyWithdraw>>(&settings);
    let failure = report.failure.expect("the planted bug must be found");
    assert!(failure.reason.contains("invariant 1"), "{failure:#?}");
    assert!(failure.steps.len() <= 3, "not shrunk: {failure:#?}");
    // The amounts shrink too: one unit withdrawn is enough to show the leak.
    assert!(matches!(failure.steps.last(), Some(Op::Withdraw { amount: 1, .. })), "{failure:#?}");
}

#[test]
fn the_real_model_passes_where_the_planted_bug_fails() {
    let settings = Settings { seed: 7, cases: 16, steps: 300, ..Settings::default() };
    let report = strata_fuzz::run(&settings);
    assert!(report.failure.is_none(), "{:#?}", report.failure);
}
