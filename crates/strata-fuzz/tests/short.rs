//! A short campaign for CI: several seeds, every invariant after every step.

#[test]
fn twenty_thousand_steps_on_four_seeds_break_no_invariant() {
    for seed in 1..=4 {
        let report = strata_fuzz::run(seed, 20_000, 1_000);
        assert!(report.violations.is_empty(), "seed {seed}: {:?}", report.violations);
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
            let (applied, _) = report.by_op.get(op).copied().unwrap_or_default();
            assert!(applied > 0, "seed {seed}: no {op} applied: {:?}", report.by_op);
        }
    }
}
