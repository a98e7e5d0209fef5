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
    if cases.len() <= SHORT {
        return cases;
    }
    let mut seen = BTreeSet::new();
    let mut kept = Vec::new();
    for (i, case) in cases.into_iter().enumerate() {
        let shown = behaviours(&case);
        if i % share == 0 || !shown.is_subset(&seen) {
            seen.extend(shown);
            kept.push(case);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn keeps_every_behaviour_and_one_in_share() {
        let mut cases: Vec<Value> = (0..100).map(|i| json!({ "a": i.to_string(), "out": i.to_string() })).collect();
        cases[37] = json!({ "a": "37", "error": "MathOverflow" });
        cases[38] = json!({ "a": "38", "error": "MathOverflow" });
        cases[55] = json!({ "a": "55", "out": { "kind": "Shortfall", "isHealthy": false } });
        cases[56] = json!({ "a": "56", "out": { "kind": "Partial", "isHealthy": false } });
        let kept: Vec<String> = thin(cases, 30).iter().map(|c| c["a"].as_str().unwrap().to_string()).collect();
        // 0, 30, 60, 90 by share; 37 (first error), 55 and 56 (new kinds); not 38.
        assert_eq!(kept, ["0", "30", "37", "55", "56", "60", "90"]);
    }

    #[test]
    fn short_sections_are_whole() {
        let cases: Vec<Value> = (0..SHORT).map(|i| json!({ "out": i.to_string() })).collect();
        assert_eq!(thin(cases.clone(), 30), cases);
    }
}
