//! Which cases the committed file keeps: all of a short section (a hand-picked edge
//! list), else one in `share` cases and every case that shows something no kept case
//! has shown yet (an error name, a boolean or enum-like output such as `Less` or
//! `plan.kind = "Shortfall"`). The kept cases are a subset of the full set, and every
//! behaviour the full set covers stays covered.

use std::collections::BTreeSet;

use serde_json::Value;

/// The error name and the non-numeric values of a case's output, with their paths.
fn behaviours(case: &Value) -> BTreeSet<String> {
    fn walk(value: &Value, path: &str, into: &mut BTreeSet<String>) {
        match value {
            Value::Bool(b) => {
                into.insert(format!("{path}={b}"));
            }
            Value::String(s) if s.parse::<i128>().is_err() && s.parse::<u128>().is_err() => {
                into.insert(format!("{path}={s}"));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, &format!("{path}[]"), into)),
            Value::Object(map) => map.iter().for_each(|(k, v)| walk(v, &format!("{path}.{k}"), into)),
            _ => {}
        }
    }
    let mut found = BTreeSet::new();
    if let Some(error) = case.get("error") {
        walk(error, "error", &mut found);
    }
    if let Some(out) = case.get("out") {
        found.insert("out".to_string());
        walk(out, "out", &mut found);
    }
    found
}

/// Sections of at most this many cases are kept whole.
const SHORT: usize = 12;

pub fn thin(cases: Vec<Value>, share: usize) -> Vec<Value> {
    let cases_len = cases.len();
    let mut seen = BTreeSet::new();
    let mut kept = Vec::new();
    for (i, case) in cases.into_iter().enumerate() {
        let shown = behaviours(&case);
        if cases_len <= SHORT || i % share == 0 || !shown.is_subset(&seen) {
            seen.extend(shown);
            kept.push(case);
        }
    }
    kept
}
