//! The program's error codes are a public interface: clients, keepers and indexers
//! match on them. `error-codes.tsv` is the table they can rely on; this test fails
//! when the enum (`src/errors.rs`) or the committed IDL (`app/idl/strata.json`,
//! which CI regenerates and compares) disagree with it in any code, name or message.

use std::collections::BTreeMap;

use anchor_lang::error::ERROR_CODE_OFFSET;
use strata::StrataError;

const TABLE: &str = include_str!("../error-codes.tsv");
const SOURCE: &str = include_str!("../src/errors.rs");
const IDL: &str = include_str!("../../../app/idl/strata.json");

type Codes = BTreeMap<u32, (String, String)>;

fn table() -> Codes {
    let mut rows = TABLE.lines().filter(|l| !l.starts_with('#'));
    assert_eq!(rows.next(), Some("code\tname\tmessage"), "header");
    rows.map(|row| {
        let mut cells = row.splitn(3, '\t');
        let code = cells.next().unwrap().parse().expect("numeric code");
        let name = cells.next().expect("name").to_string();
        let message = cells.next().expect("message").to_string();
        (code, (name, message))
    })
    .collect()
}

/// `#[msg("…")]` followed by `Name = N,` in the enum's source: every variant must
/// carry its number explicitly, so that reordering or inserting cannot renumber.
fn source() -> Codes {
    let body = &SOURCE[SOURCE.find("pub enum StrataError {").expect("the enum")..];
    let body = &body[..body.find("\n}\n").expect("end of the enum")];
    let mut codes = Codes::new();
    let mut message = None;
    for line in body.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("#[msg(\"") {
            message = Some(rest.trim_end_matches("\")]").replace("\\\"", "\""));
        } else if let Some((name, number)) = line.trim_end_matches(',').split_once(" = ") {
            let number: u32 = number.parse().unwrap_or_else(|_| panic!("{name}: explicit number"));
            let message = message.take().unwrap_or_else(|| panic!("{name}: #[msg] missing"));
            assert!(codes.insert(ERROR_CODE_OFFSET + number, (name.to_string(), message)).is_none());
        } else if line.chars().next().is_some_and(char::is_uppercase) {
            panic!("variant without an explicit number: {line}");
        }
    }
    codes
}

fn idl() -> Codes {
    let idl: serde_json::Value = serde_json::from_str(IDL).expect("IDL JSON");
    idl["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            let code = u32::try_from(e["code"].as_u64().unwrap()).unwrap();
            (code, (e["name"].as_str().unwrap().to_string(), e["msg"].as_str().unwrap_or("").to_string()))
        })
        .collect()
}

#[test]
fn the_error_table_matches_the_enum_and_the_idl() {
    let table = table();
    assert_eq!(source(), table, "src/errors.rs differs from error-codes.tsv");
    assert_eq!(idl(), table, "app/idl/strata.json differs from error-codes.tsv (npm run generate?)");
}

#[test]
fn codes_run_from_6000_without_gaps() {
    let codes: Vec<u32> = table().into_keys().collect();
    let expected: Vec<u32> = (ERROR_CODE_OFFSET..ERROR_CODE_OFFSET + codes.len() as u32).collect();
    assert_eq!(codes, expected);
}

#[test]
fn compiled_codes_are_the_tables() {
    // A few variants from the start, the middle and the end, through the compiled enum.
    let table = table();
    for (variant, name) in [
        (StrataError::MathOverflow, "MathOverflow"),
        (StrataError::AlreadyInitialized, "AlreadyInitialized"),
        (StrataError::SharePriceTooLow, "SharePriceTooLow"),
        (StrataError::BatchTooLarge, "BatchTooLarge"),
    ] {
        let code = u32::from(variant);
        assert_eq!(table[&code].0, name);
        assert_eq!(variant.name(), name);
        assert_eq!(variant.to_string(), table[&code].1);
    }
}
