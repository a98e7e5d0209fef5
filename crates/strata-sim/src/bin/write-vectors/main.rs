//! Writes the TypeScript client's test vectors (`app/test/vectors/core.json`): the
//! real `strata_core` functions run over edge values and a seeded spread of inputs,
//! plus PDAs, instructions and account bytes from the program crate. The TS tests
//! compare every output and every error name with their mirror, so on-chain and
//! off-chain math never disagree.
//!
//! ```sh
//! cargo run -p strata-sim --bin write-vectors > app/test/vectors/core.json
//! cd app && npm run test:vectors:full   # the TS tests over the full set (--share 1)
//! ```
//!
//! The committed file holds one in `DEFAULT_SHARE` cases of each section and every case
//! that shows a behaviour (error name, boolean or enum output) no earlier one did
//! (`thin.rs`): under 1 MB, so that regenerating it does not bloat the history.
//! `--share 1` writes every case, the large set the file held before.
//!
//! Every number is a decimal string; each case sits on one line so that a diff of the
//! file shows which cases changed. The output is a pure function of the sources (a
//! fixed seed), which `npm run check:generated` relies on.

mod chain;
mod core;
mod events;
mod flows;
mod gen;
mod json;
mod risk;
mod thin;

use std::fmt::Write as _;

use serde_json::Value;

use crate::gen::Rng;

const SEED: u64 = 0x5742_4154_415f_5631; // "STRATA_V1"-ish; change only with the vectors.

/// One in how many cases the committed file keeps (`app/scripts/vector-coverage.ts`
/// shows the kept ones cover what the full set covers).
const DEFAULT_SHARE: usize = 30;

enum Section {
    Object(Value),
    /// A function's cases (inputs with `out` or `error`), thinned by `--share`.
    Cases(Vec<Value>),
    /// Written whole.
    List(Vec<Value>),
}

/// One case a line, so that a diff of the file shows which cases changed.
fn case_lines(cases: &[Value]) -> String {
    let lines: Vec<String> =
        cases.iter().map(|case| format!("    {}", serde_json::to_string(case).expect("json"))).collect();
    format!("[\n{}\n  ]", lines.join(",\n"))
}

fn render(sections: Vec<(&str, Section)>, share: usize) -> String {
    let mut out = String::from("{\n");
    let count = sections.len();
    for (i, (name, section)) in sections.into_iter().enumerate() {
        let body = match section {
            Section::Object(value) => serde_json::to_string(&value).expect("json"),
            Section::Cases(cases) => case_lines(&thin::thin(cases, share)),
            Section::List(cases) => case_lines(&cases),
        };
        let comma = if i + 1 < count { "," } else { "" };
        writeln!(out, "  {}: {body}{comma}", serde_json::to_string(name).expect("json")).expect("write");
    }
    out.push_str("}\n");
    out
}

fn main() {
    use crate::core::*;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let share = match args.as_slice() {
        [] => DEFAULT_SHARE,
        [flag, n] if flag == "--share" => n.parse().expect("--share takes a positive count"),
        _ => panic!("usage: write-vectors [--share N]"),
    };
    use Section::{Cases, List, Object};

    // One generator per section, so adding cases to one leaves the others unchanged.
    let rng = |n: u64| Rng::new(SEED ^ n.wrapping_mul(0x1000_0000_01b3));
    let (fresh, spot, conservative) = price_check_cases(&mut rng(6));
    let (value, for_value, bps, not_older) = value_cases(&mut rng(7));
    let (health, health_value) = health_cases(&mut rng(12));
    let tranches = risk::tranche_cases(&mut rng(21));
    let flows = flows::flow_cases(&mut rng(24));
    let sections = vec![
        ("seed", Object(Value::String(format!("{SEED:#x}")))),
        ("constants", Object(constants())),
        ("mulDiv", Cases(mul_div_cases(&mut rng(1)))),
        ("divRound", Cases(div_round_cases(&mut rng(2)))),
        ("pow10", Cases(pow10_cases())),
        ("toU64", Cases(to_u64_cases())),
        ("normalise", Cases(normalise_cases(&mut rng(4)))),
        ("fromSample", Cases(from_sample_cases(&mut rng(5)))),
        ("isFresh", Cases(fresh)),
        ("spot", Cases(spot)),
        ("conservative", Cases(conservative)),
        ("collateralValue", Cases(value)),
        ("collateralForValue", Cases(for_value)),
        ("applyBps", Cases(bps)),
        ("isNotOlder", Cases(not_older)),
        ("debtOf", Cases(debt_of_cases(&mut rng(8)))),
        ("accrue", Cases(accrue_cases(&mut rng(9)))),
        ("mint", Cases(mint_cases(&mut rng(10)))),
        ("repay", Cases(repay_cases(&mut rng(11)))),
        ("burn", Cases(burn_cases(&mut rng(16)))),
        ("settle", Cases(settle_cases(&mut rng(17)))),
        ("cmpProducts", Cases(cmp_products_cases(&mut rng(18)))),
        ("health", Cases(health)),
        ("healthCollateralValue", Cases(health_value)),
        ("isAtLeast", Cases(is_at_least_cases(&mut rng(19)))),
        ("liquidation", Cases(risk::liquidation_cases(&mut rng(20)))),
        ("absorb", Cases(risk::absorb_cases(&mut rng(22)))),
        ("trancheNav", Cases(tranches.nav)),
        ("sharesForDeposit", Cases(tranches.shares_for_deposit)),
        ("redemption", Cases(tranches.redemption)),
        ("trancheDeposit", Cases(tranches.deposit)),
        ("trancheWithdraw", Cases(tranches.withdraw)),
        ("subordinationHolds", Cases(tranches.subordination)),
        ("splitIncome", Cases(tranches.split_income)),
        ("applyIncome", Cases(tranches.apply_income)),
        ("splitLoss", Cases(tranches.split_loss)),
        ("applyLoss", Cases(tranches.apply_loss)),
        ("juniorCoverageBps", Cases(tranches.coverage)),
        ("compoundWad", Cases(flows.compound)),
        ("targetAccrual", Cases(flows.target_accrual)),
        ("settleIncome", Cases(flows.settle_income)),
        ("takeProtocolFee", Cases(flows.take_protocol_fee)),
        ("entryNav", Cases(flows.entry_nav)),
        ("flowsDeposit", Cases(flows.deposit)),
        ("flowsRequest", Cases(flows.request)),
        ("flowsCancel", Cases(flows.cancel)),
        ("claimable", Cases(flows.claimable)),
        ("flowsClaim", Cases(flows.claim)),
        ("sharePrice", Cases(flows.share_price)),
        ("bookLoss", Cases(flows.book_loss)),
        ("recoverySale", Cases(flows.recovery_sale)),
        ("errorCodes", Object(error_codes())),
        ("pda", List(chain::pdas(&mut rng(13)))),
        ("instructions", List(chain::instructions(&mut rng(14)))),
        ("accounts", Object(chain::accounts(&mut rng(15)))),
        ("events", Object(events::events(&mut rng(23)))),
    ];
    print!("{}", render(sections, share));
}
