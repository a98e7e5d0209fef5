//! The campaign command: `--help` is an answer, not an error; a bad option is one.

use std::process::Command;

fn fuzz(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_strata-fuzz")).args(args).output().expect("strata-fuzz runs")
}

#[test]
fn help_exits_zero_and_a_bad_option_exits_two() {
    let help = fuzz(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("--cases N"));
    assert_eq!(fuzz(&["--bogus", "1"]).status.code(), Some(2));
    assert_eq!(fuzz(&["--cases"]).status.code(), Some(2));
}

#[test]
fn a_tiny_campaign_reports_no_violation() {
    let run = fuzz(&["--cases", "2", "--steps", "20", "--seed", "3"]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(String::from_utf8_lossy(&run.stdout).contains("invariant violations: 0"));
}
