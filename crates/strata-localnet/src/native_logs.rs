//! Transaction logs of the natively run Strata program, rewritten to what the same
//! transaction logs on-chain, so that log parsers (Anchor's event parser, explorers,
//! the TypeScript client) see a validator's output:
//!
//! - event data, logged natively as a message, becomes `Program data: <base64>`
//!   (`strata::log::normalise_native_log`);
//! - the host's duplicate lines go: solana-program-test's processor repeats the
//!   native program's own `invoke [n]` and `success`/`failed` lines, and its CPI stub
//!   writes an extra `invoke [n]` (at the caller's depth) and `success` around every
//!   CPI the native program makes;
//! - return data the native program set gets the `Program return:` line the runtime
//!   writes on-chain.
//!
//! Runtime lines are told from host lines by depth: the runtime logs a new invocation
//! one level below the innermost running program; the host's extra `invoke` lines
//! repeat that program's own depth.

use base64::prelude::{Engine, BASE64_STANDARD};
use solana_pubkey::Pubkey;
use solana_transaction_context::TransactionReturnData;

/// Rewrites `logs` of one transaction; `native` is the natively run program.
pub fn to_onchain_form(logs: Vec<String>, native: &Pubkey, return_data: Option<&TransactionReturnData>) -> Vec<String> {
    let native = native.to_string();
    let mut kept: Vec<String> = Vec::with_capacity(logs.len());
    // Programs running, innermost last, as the kept lines have opened them.
    let mut running: Vec<String> = Vec::new();
    for line in logs {
        let line = strata::log::normalise_native_log(&line);
        let inside_native = running.last() == Some(&native);
        if let Some((program, depth)) = parse_invoke(&line) {
            if inside_native && depth <= running.len() {
                continue;
            }
            running.push(program.to_string());
        } else if let Some(program) = parse_end(&line) {
            let repeated = kept.last() == Some(&line);
            if repeated && (program == native || inside_native) {
                continue;
            }
            running.pop();
        }
        kept.push(line);
    }
    if let Some(data) = return_data.filter(|data| data.program_id.to_string() == native && !data.data.is_empty()) {
        let success = format!("Program {native} success");
        if let Some(position) = kept.iter().rposition(|line| *line == success) {
            let line = format!("Program return: {native} {}", BASE64_STANDARD.encode(&data.data));
            kept.insert(position, line);
        }
    }
    kept
}

/// `Program <id> invoke [<depth>]`.
fn parse_invoke(line: &str) -> Option<(&str, usize)> {
    let rest = line.strip_prefix("Program ")?;
    let (program, depth) = rest.split_once(" invoke [")?;
    Some((program, depth.strip_suffix(']')?.parse().ok()?))
}

/// `Program <id> success` or `Program <id> failed: <error>`.
fn parse_end(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("Program ")?;
    rest.strip_suffix(" success").or_else(|| rest.split_once(" failed: ").map(|(program, _)| program))
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: &str = "STRAtAvDY6Xh3yVNvKP1UazQuBv2c1ZQfgaBuqTzqu4";
    const SYSTEM: &str = "11111111111111111111111111111111";
    const TOKEN: &str = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect()
    }

    fn native() -> Pubkey {
        S.parse().unwrap()
    }

    #[test]
    fn host_duplicates_go_and_events_become_program_data() {
        let host = lines(&format!(
            "Program {S} invoke [1]
             Program {S} invoke [1]
             Program {SYSTEM} invoke [1]
             Program {SYSTEM} invoke [2]
             Program {SYSTEM} success
             Program {SYSTEM} success
             Program {TOKEN} invoke [1]
             Program {TOKEN} invoke [2]
             Program log: Instruction: InitializeMint2
             Program {TOKEN} consumed 2780 of 199325 compute units
             Program {TOKEN} success
             Program {TOKEN} success
             Program log: strata-native-data: AQID
             Program {S} success
             Program {S} success"
        ));
        let onchain = lines(&format!(
            "Program {S} invoke [1]
             Program {SYSTEM} invoke [2]
             Program {SYSTEM} success
             Program {TOKEN} invoke [2]
             Program log: Instruction: InitializeMint2
             Program {TOKEN} consumed 2780 of 199325 compute units
             Program {TOKEN} success
             Program data: AQID
             Program {S} success"
        ));
        assert_eq!(to_onchain_form(host, &native(), None), onchain);
    }

    #[test]
    fn a_failing_cpi_and_a_failing_native_program() {
        let host = lines(&format!(
            "Program {S} invoke [1]
             Program {S} invoke [1]
             Program {TOKEN} invoke [1]
             Program {TOKEN} invoke [2]
             Program {TOKEN} failed: custom program error: 0x1
             Program {S} failed: custom program error: 0x1
             Program {S} failed: custom program error: 0x1"
        ));
        let onchain = lines(&format!(
            "Program {S} invoke [1]
             Program {TOKEN} invoke [2]
             Program {TOKEN} failed: custom program error: 0x1
             Program {S} failed: custom program error: 0x1"
        ));
        assert_eq!(to_onchain_form(host, &native(), None), onchain);
    }

    #[test]
    fn other_programs_and_consecutive_instructions_are_untouched() {
        let logs = lines(&format!(
            "Program {SYSTEM} invoke [1]
             Program {SYSTEM} success
             Program {SYSTEM} invoke [1]
             Program {SYSTEM} success
             Program {S} invoke [1]
             Program {S} success
             Program {S} invoke [1]
             Program {S} success"
        ));
        assert_eq!(to_onchain_form(logs.clone(), &native(), None), logs);
    }

    #[test]
    fn return_data_gets_its_line_before_the_last_success() {
        let logs = lines(&format!("Program {S} invoke [1]\nProgram {S} success"));
        let data = TransactionReturnData { program_id: native(), data: vec![1, 2, 3] };
        let expected = lines(&format!("Program {S} invoke [1]\nProgram return: {S} AQID\nProgram {S} success"));
        assert_eq!(to_onchain_form(logs, &native(), Some(&data)), expected);
    }
}
