//! A short campaign for CI: every invariant after every step, on fresh pools.

use strata_fuzz::Settings;

#[test]
fn short_campaigns_on_two_seeds_break_no_invariant() {
    for seed in [1, 2] {
        let report = strata_fuzz::run(&Settings { seed, cases: 32, steps: 800, ..Settings::default() });
        assert!(report.failure.is_none(), "seed {seed}: {:#?}", report.failure);
        let tally = &report.tally;
        assert!(tally.steps >= 32 * 200, "seed {seed}: only {} steps", tally.steps);
        // The campaign must actually exercise the interesting paths.
        for op in [
            "mint",
            "liquidate",
            "absorb",
            "distribute",
            "check_coverage",
            "tranche_deposit",
            "request_redemption",
            "claim_redemption",
            "cancel_redemption",
            "round_trip",
            "recovery_sale",
            "withdraw",
            "repay",
        ] {
            let (applied, _) = tally.by_op.get(op).copied().unwrap_or_default();
            assert!(applied > 0, "seed {seed}: no {op} applied: {:?}", tally.by_op);
        }
    }
}
