//! `cargo run --release -p strata-fuzz -- [--steps N] [--seed S] [--steps-per-pool K]`
//! Runs a sequence-fuzzing campaign and prints what it did; exits 1 on a violation.

fn main() {
    let mut steps = 1_000_000u64;
    let mut seed = 1u64;
    let mut per_pool = 2_000u64;
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = pair.get(1).and_then(|v| v.parse().ok());
        match (pair[0].as_str(), value) {
            ("--steps", Some(v)) => steps = v,
            ("--seed", Some(v)) => seed = v,
            ("--steps-per-pool", Some(v)) => per_pool = v,
            _ => {
                eprintln!("usage: strata-fuzz [--steps N] [--seed S] [--steps-per-pool K]");
                std::process::exit(2);
            }
        }
    }
    let started = std::time::Instant::now();
    let report = strata_fuzz::run(seed, steps, per_pool);
    println!("seed {seed}: {} steps in {:.1?}, fresh pool every {per_pool} steps", report.steps, started.elapsed());
    println!("{:<18} {:>10} {:>10}", "operation", "applied", "refused");
    for (op, (applied, refused)) in &report.by_op {
        println!("{op:<18} {applied:>10} {refused:>10}");
    }
    println!("refusals by reason:");
    for (reason, count) in &report.refusals {
        println!("  {reason:<32} {count:>10}");
    }
    println!("invariant violations: {}", report.violations.len());
    if let Some((step, violation)) = report.violations.first() {
        println!("  step {step}: {violation}");
        std::process::exit(1);
    }
}
