//! Assembles Strata's Anchor IDL from the output of the program's `idl-build` tests,
//! without the Solana toolchain or the Anchor CLI:
//!
//! ```sh
//! cargo test -p strata --features idl-build --lib __anchor_private_print_idl -- --show-output --quiet > out.txt
//! cargo run -p strata-sim --bin idl -- out.txt > app/idl/strata.json
//! ```
//!
//! The steps are those of `anchor_lang_idl::build::IdlBuilder` (what `anchor build`
//! runs), minus spawning cargo itself: it would set `RUSTFLAGS` and the
//! `ANCHOR_IDL_BUILD_*` variables, which rebuild the dependency tree in the shared
//! target directory. So the pieces printed between `--- IDL begin <kind> ---` and
//! `--- IDL end <kind> ---` are merged here exactly as Anchor merges them: the program
//! piece plus address, errors, constants and events (with their types), module paths
//! shortened to names where unambiguous, then everything sorted by name.
//! `app/scripts/generate.sh` runs both steps.

use std::collections::BTreeMap;
use std::io::Read;

use anchor_lang_idl_spec::{Idl, IdlConst, IdlErrorCode, IdlEvent, IdlTypeDef};
use regex::Regex;

type BoxError = Box<dyn std::error::Error>;

/// The pieces one test run printed.
#[derive(Default)]
struct Pieces {
    address: String,
    program: Option<Idl>,
    errors: Option<Vec<IdlErrorCode>>,
    constants: Vec<IdlConst>,
    events: Vec<IdlEvent>,
    event_types: BTreeMap<String, IdlTypeDef>,
}

fn parse(output: &str) -> Result<Pieces, BoxError> {
    let mut pieces = Pieces::default();
    let mut lines = output.lines();
    while let Some(line) = lines.next() {
        let Some(kind) = line.strip_prefix("--- IDL begin ").and_then(|rest| rest.strip_suffix(" ---")) else {
            continue;
        };
        let end = format!("--- IDL end {kind} ---");
        let mut body = Vec::new();
        loop {
            match lines.next() {
                Some(line) if line == end => break,
                Some(line) => body.push(line),
                None => return Err(format!("unterminated IDL piece `{kind}`").into()),
            }
        }
        let body = body.join("\n");
        match kind {
            "address" => pieces.address = body.replace(|c: char| !c.is_alphanumeric(), ""),
            "const" => pieces.constants.push(serde_json::from_str(&body)?),
            "errors" if pieces.errors.is_some() => return Err("multiple error definitions".into()),
            "errors" => pieces.errors = Some(serde_json::from_str(&body)?),
            "program" => pieces.program = Some(serde_json::from_str(&body)?),
            "event" => {
                // `{ "event": IdlEvent, "types": [IdlTypeDef] }`
                let mut piece: serde_json::Value = serde_json::from_str(&body)?;
                let event: IdlEvent = serde_json::from_value(piece["event"].take())?;
                let types: Vec<IdlTypeDef> = serde_json::from_value(piece["types"].take())?;
                pieces.events.push(event);
                pieces.event_types.extend(types.into_iter().map(|ty| (ty.name.clone(), ty)));
            }
            other => return Err(format!("unknown IDL piece `{other}`").into()),
        }
    }
    Ok(pieces)
}

fn assemble(pieces: Pieces) -> Result<Idl, BoxError> {
    let mut idl = pieces.program.ok_or("no `program` piece: did the idl-build tests run?")?;
    idl.address = pieces.address;
    idl.constants = pieces.constants;
    idl.events = pieces.events;
    idl.errors = pieces.errors.unwrap_or_default();
    let mut types = pieces.event_types;
    types.extend(std::mem::take(&mut idl.types).into_iter().map(|ty| (ty.name.clone(), ty)));
    idl.types = types.into_values().collect();
    Ok(idl)
}

/// `"a::b::Name"` → `"Name"` wherever no other path ends in the same name
/// (`anchor_lang_idl::build::convert_module_paths`).
fn convert_module_paths(idl: Idl) -> Result<Idl, BoxError> {
    let original = serde_json::to_string(&idl)?;
    let path = Regex::new(r#""(\w+::)+(\w+)""#)?;
    let mut converted = original.clone();
    for capture in path.captures_iter(&original) {
        let full = &capture[0];
        let name = &capture[2];
        let replaced = converted.replace(full, &format!(r#""{name}""#));
        let conflict = Regex::new(&format!(r#""(\w+::)+{name}""#))?;
        if !conflict.is_match(&replaced) {
            converted = replaced;
        }
    }
    Ok(serde_json::from_str(&converted)?)
}

fn sort(mut idl: Idl) -> Idl {
    idl.accounts.sort_by(|a, b| a.name.cmp(&b.name));
    idl.constants.sort_by(|a, b| a.name.cmp(&b.name));
    idl.events.sort_by(|a, b| a.name.cmp(&b.name));
    idl.instructions.sort_by(|a, b| a.name.cmp(&b.name));
    idl.types.sort_by(|a, b| a.name.cmp(&b.name));
    idl
}

fn main() -> Result<(), BoxError> {
    let mut output = String::new();
    match std::env::args().nth(1) {
        Some(path) if path != "-" => output = std::fs::read_to_string(path)?,
        _ => {
            std::io::stdin().read_to_string(&mut output)?;
        }
    }
    let idl = sort(convert_module_paths(assemble(parse(&output)?)?)?);
    if idl.address.is_empty() || idl.instructions.is_empty() {
        return Err("incomplete IDL: missing address or instructions".into());
    }
    println!("{}", serde_json::to_string_pretty(&idl)?);
    Ok(())
}
