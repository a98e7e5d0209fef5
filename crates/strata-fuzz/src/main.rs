//! `cargo run --release -p strata-fuzz -- [--cases N] [--steps N] [--seed S] [--max-shrink-iters N]`
//! Runs a sequence-fuzzing campaign and prints what it did; on a broken invariant,
//! prints the smallest failing sequence proptest shrank it to and exits 1.

use strata_fuzz::Settings;

const USAGE: &str = "usage: strata-fuzz [--cases N] [--steps N] [--seed S] [--max-shrink-iters N]

Sequence fuzzing of strata-core against PROTOCOL.md's invariants: N cases, each a
fresh pool driven through 1 to --steps random steps (proptest-state-machine); a
failing sequence is shrunk to a minimal one, printed step by step.

  --cases N             sequences, each on a fresh pool (default 500)
  --steps N             the longest sequence (default 2000)
  --seed S              the campaign's seed (default 1)
  --max-shrink-iters N  bound on the shrinking of a failure (default 100000)
  -h, --help            this help";

fn parse(args: &[String]) -> Result<Option<Settings>, String> {
    let mut settings = Settings::default();
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            return Ok(None);
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = |what: &str| value.parse::<u64>().map_err(|_| format!("{what}: not a number: {value}"));
        match flag.as_str() {
            "--cases" => settings.cases = u32::try_from(number(flag)?).map_err(|_| "--cases: too large".to_string())?,
            "--steps" => {
                settings.steps = usize::try_from(number(flag)?).map_err(|_| "--steps: too large".to_string())?
            }
            "--seed" => settings.seed = number(flag)?,
            "--max-shrink-iters" => {
                settings.max_shrink_iters =
                    u32::try_from(number(flag)?).map_err(|_| "--max-shrink-iters: too large".to_string())?
            }
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if settings.cases == 0 || settings.steps == 0 {
        return Err("--cases and --steps must be at least 1".to_string());
    }
    Ok(Some(settings))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let settings = match parse(&args) {
        Ok(Some(settings)) => settings,
        Ok(None) => {
            println!("{USAGE}");
            return;
        }
        Err(error) => {
            eprintln!("strata-fuzz: {error}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    let started = std::time::Instant::now();
    let report = strata_fuzz::run(&settings);
    let tally = &report.tally;
    println!(
        "seed {}: {} cases of 1 to {} steps, {} steps passed in {:.1?}",
        settings.seed,
        settings.cases,
        settings.steps,
        tally.steps,
        started.elapsed()
    );
    println!("{:<18} {:>10} {:>10}", "operation", "applied", "refused");
    for (op, (applied, refused)) in &tally.by_op {
        println!("{op:<18} {applied:>10} {refused:>10}");
    }
    println!("refusals by reason:");
    for (reason, count) in &tally.refusals {
        println!("  {reason:<32} {count:>10}");
    }
    match &report.failure {
        None => println!("invariant violations: 0"),
        Some(failure) => {
            println!("invariant violated: {}", failure.reason);
            println!(
                "minimal sequence ({} steps, fresh pool with a {} bps stability fee):",
                failure.steps.len(),
                failure.stability_fee_bps
            );
            for (index, op) in failure.steps.iter().enumerate() {
                println!("  {:>3}. {op:?}", index + 1);
            }
            std::process::exit(1);
        }
    }
}
