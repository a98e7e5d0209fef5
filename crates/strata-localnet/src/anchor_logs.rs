//! Anchor's own log lines for the natively run Strata program.
//!
//! On-chain, Anchor 1.2.2 opens every instruction with `Program log: Instruction:
//! <Name>` and, when the instruction fails with an Anchor or program error, logs
//! `Program log: AnchorError occurred. Error Code: <Name>. Error Number: <n>. Error
//! Message: <message>.` before the runtime's failure line. Natively neither reaches the
//! transaction log: the local cluster builds Strata with `no-log-ix-name`, and Anchor
//! prints its error line to this process's stdout. Both are written back here, in the
//! exact form Anchor writes them, so that Anchor clients name instructions in explorers
//! and decode errors by name (`AnchorError.parse`).
//!
//! Names, numbers and messages come from the committed IDL (`app/idl/strata.json`,
//! which CI regenerates from the program and compares) for Strata's instructions and
//! errors, and from anchor-lang's own `ErrorCode` for the framework's errors. The
//! error's origin (`thrown in <file>:<line>` or `caused by account: <name>`, which
//! Anchor writes instead of `occurred` when it knows it) is not known natively; Anchor
//! clients parse all three forms alike.

use std::collections::HashMap;
use std::sync::OnceLock;

use anchor_lang::error::ErrorCode;
use solana_instruction::error::InstructionError;
use solana_pubkey::Pubkey;
use solana_transaction_error::TransactionError;

const IDL: &str = include_str!("../../../app/idl/strata.json");

/// Strata's instructions by discriminator and errors by number.
struct Names {
    instructions: Vec<(Vec<u8>, String)>,
    errors: HashMap<u32, (String, String)>,
}

fn names() -> &'static Names {
    static NAMES: OnceLock<Names> = OnceLock::new();
    NAMES.get_or_init(|| {
        let idl: serde_json::Value = serde_json::from_str(IDL).unwrap_or_default();
        let list = |key: &str| idl[key].as_array().cloned().unwrap_or_default();
        let instructions = list("instructions")
            .iter()
            .filter_map(|ix| {
                let name = ix["name"].as_str()?;
                let discriminator = ix["discriminator"]
                    .as_array()?
                    .iter()
                    .map(|byte| byte.as_u64().and_then(|byte| u8::try_from(byte).ok()))
                    .collect::<Option<Vec<u8>>>()?;
                Some((discriminator, upper_camel_case(name)))
            })
            .collect();
        let mut errors: HashMap<u32, (String, String)> =
            ANCHOR_ERRORS.iter().map(|error| (u32::from(*error), (error.name(), error.to_string()))).collect();
        for error in list("errors") {
            let (Some(code), Some(name)) = (error["code"].as_u64(), error["name"].as_str()) else {
                continue;
            };
            let Ok(code) = u32::try_from(code) else {
                continue;
            };
            // Anchor's message for a variant without `#[msg]` is its name.
            let message = error["msg"].as_str().unwrap_or(name);
            errors.insert(code, (name.to_string(), message.to_string()));
        }
        Names { instructions, errors }
    })
}

/// `init_pool` → `InitPool`, as Anchor names the instruction (heck's upper camel case
/// of the handler's name).
fn upper_camel_case(snake: &str) -> String {
    snake
        .split('_')
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map(|first| first.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
        })
        .collect()
}

/// `Instruction: <Name>` for a Strata instruction's data, as Anchor logs it.
pub fn instruction_line(data: &[u8]) -> Option<String> {
    let names = names();
    let (_, name) = names.instructions.iter().find(|(discriminator, _)| data.starts_with(discriminator))?;
    Some(format!("Program log: Instruction: {name}"))
}

/// Anchor's error line for a custom error code it knows (its own or Strata's).
pub fn error_line(code: u32) -> Option<String> {
    let (name, message) = names().errors.get(&code)?;
    Some(format!(
        "Program log: AnchorError occurred. Error Code: {name}. Error Number: {code}. Error Message: {message}."
    ))
}

/// Adds Anchor's lines to on-chain-form `logs`. `native_data` holds the data of every
/// invocation of `native`, in the order they ran (top-level instructions and CPIs);
/// `status` is the transaction's outcome.
pub fn add_anchor_lines<'a>(
    logs: Vec<String>,
    native: &Pubkey,
    mut native_data: impl Iterator<Item = &'a [u8]>,
    status: &Result<(), TransactionError>,
) -> Vec<String> {
    let invoke_prefix = format!("Program {native} invoke [");
    let failed_prefix = format!("Program {native} failed: ");
    let failed_code = match status {
        Err(TransactionError::InstructionError(_, InstructionError::Custom(code))) => Some(*code),
        _ => None,
    };
    let mut out = Vec::with_capacity(logs.len() + 2);
    for line in logs {
        if line.starts_with(&failed_prefix) {
            // A failure that a CPI passed up carries the callee's failure line just
            // before: Anchor never saw the error (on-chain a failed CPI ends the
            // transaction), so it logged nothing.
            let from_callee = out.last().is_some_and(|last: &String| {
                last.starts_with("Program ") && last.contains(" failed: ") && !last.starts_with(&failed_prefix)
            });
            if let (false, Some(error)) = (from_callee, failed_code.and_then(error_line)) {
                out.push(error);
            }
            out.push(line);
        } else if line.starts_with(&invoke_prefix) {
            out.push(line);
            if let Some(name) = native_data.next().and_then(instruction_line) {
                out.push(name);
            }
        } else {
            out.push(line);
        }
    }
    out
}

/// Every error anchor-lang's framework raises (`anchor_lang::error::ErrorCode`).
const ANCHOR_ERRORS: &[ErrorCode] = &[
    ErrorCode::InstructionMissing,
    ErrorCode::InstructionFallbackNotFound,
    ErrorCode::InstructionDidNotDeserialize,
    ErrorCode::InstructionDidNotSerialize,
    ErrorCode::IdlInstructionStub,
    ErrorCode::IdlInstructionInvalidProgram,
    ErrorCode::IdlAccountNotEmpty,
    ErrorCode::EventInstructionStub,
    ErrorCode::ConstraintMut,
    ErrorCode::ConstraintHasOne,
    ErrorCode::ConstraintSigner,
    ErrorCode::ConstraintRaw,
    ErrorCode::ConstraintOwner,
    ErrorCode::ConstraintRentExempt,
    ErrorCode::ConstraintSeeds,
    ErrorCode::ConstraintExecutable,
    ErrorCode::ConstraintState,
    ErrorCode::ConstraintAssociated,
    ErrorCode::ConstraintAssociatedInit,
    ErrorCode::ConstraintClose,
    ErrorCode::ConstraintAddress,
    ErrorCode::ConstraintZero,
    ErrorCode::ConstraintTokenMint,
    ErrorCode::ConstraintTokenOwner,
    ErrorCode::ConstraintMintMintAuthority,
    ErrorCode::ConstraintMintFreezeAuthority,
    ErrorCode::ConstraintMintDecimals,
    ErrorCode::ConstraintSpace,
    ErrorCode::ConstraintAccountIsNone,
    ErrorCode::ConstraintTokenTokenProgram,
    ErrorCode::ConstraintMintTokenProgram,
    ErrorCode::ConstraintAssociatedTokenTokenProgram,
    ErrorCode::ConstraintMintGroupPointerExtension,
    ErrorCode::ConstraintMintGroupPointerExtensionAuthority,
    ErrorCode::ConstraintMintGroupPointerExtensionGroupAddress,
    ErrorCode::ConstraintMintGroupMemberPointerExtension,
    ErrorCode::ConstraintMintGroupMemberPointerExtensionAuthority,
    ErrorCode::ConstraintMintGroupMemberPointerExtensionMemberAddress,
    ErrorCode::ConstraintMintMetadataPointerExtension,
    ErrorCode::ConstraintMintMetadataPointerExtensionAuthority,
    ErrorCode::ConstraintMintMetadataPointerExtensionMetadataAddress,
    ErrorCode::ConstraintMintCloseAuthorityExtension,
    ErrorCode::ConstraintMintCloseAuthorityExtensionAuthority,
    ErrorCode::ConstraintMintPermanentDelegateExtension,
    ErrorCode::ConstraintMintPermanentDelegateExtensionDelegate,
    ErrorCode::ConstraintMintTransferHookExtension,
    ErrorCode::ConstraintMintTransferHookExtensionAuthority,
    ErrorCode::ConstraintMintTransferHookExtensionProgramId,
    ErrorCode::ConstraintDuplicateMutableAccount,
    ErrorCode::AccountAlreadyMigrated,
    ErrorCode::AccountNotMigrated,
    ErrorCode::ConstraintMintPausableExtension,
    ErrorCode::ConstraintMintPausableAuthority,
    ErrorCode::RequireViolated,
    ErrorCode::RequireEqViolated,
    ErrorCode::RequireKeysEqViolated,
    ErrorCode::RequireNeqViolated,
    ErrorCode::RequireKeysNeqViolated,
    ErrorCode::RequireGtViolated,
    ErrorCode::RequireGteViolated,
    ErrorCode::AccountDiscriminatorAlreadySet,
    ErrorCode::AccountDiscriminatorNotFound,
    ErrorCode::AccountDiscriminatorMismatch,
    ErrorCode::AccountDidNotDeserialize,
    ErrorCode::AccountDidNotSerialize,
    ErrorCode::AccountNotEnoughKeys,
    ErrorCode::AccountNotMutable,
    ErrorCode::AccountOwnedByWrongProgram,
    ErrorCode::InvalidProgramId,
    ErrorCode::InvalidProgramExecutable,
    ErrorCode::AccountNotSigner,
    ErrorCode::AccountNotSystemOwned,
    ErrorCode::AccountNotInitialized,
    ErrorCode::AccountNotProgramData,
    ErrorCode::AccountNotAssociatedTokenAccount,
    ErrorCode::AccountSysvarMismatch,
    ErrorCode::AccountReallocExceedsLimit,
    ErrorCode::AccountDuplicateReallocs,
    ErrorCode::DeclaredProgramIdMismatch,
    ErrorCode::TryingToInitPayerAsProgramAccount,
    ErrorCode::InvalidNumericConversion,
    ErrorCode::Deprecated,
];

#[cfg(test)]
mod tests {
    use strata::errors::StrataError;

    use super::*;

    const S: &str = "STRAtAvDY6Xh3yVNvKP1UazQuBv2c1ZQfgaBuqTzqu4";
    const TOKEN: &str = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect()
    }

    fn discriminator<T: anchor_lang::Discriminator>() -> &'static [u8] {
        T::DISCRIMINATOR
    }

    #[test]
    fn every_strata_instruction_and_error_has_its_anchor_name() {
        let init = discriminator::<strata::instruction::InitPool>();
        assert_eq!(instruction_line(init).as_deref(), Some("Program log: Instruction: InitPool"));
        let batch = discriminator::<strata::instruction::LiquidateBatch>();
        assert_eq!(instruction_line(batch).as_deref(), Some("Program log: Instruction: LiquidateBatch"));
        assert_eq!(
            names().instructions.len(),
            serde_json::from_str::<serde_json::Value>(IDL).unwrap()["instructions"].as_array().unwrap().len()
        );

        let error = StrataError::InsufficientCollateralValue;
        let expected = format!(
            "Program log: AnchorError occurred. Error Code: InsufficientCollateralValue. Error Number: {}. Error \
             Message: {}.",
            u32::from(error),
            error
        );
        assert_eq!(error_line(u32::from(error)), Some(expected));
        assert_eq!(
            error_line(2006).as_deref(),
            Some(
                "Program log: AnchorError occurred. Error Code: ConstraintSeeds. Error Number: 2006. Error Message: \
                 A seeds constraint was violated."
            )
        );
        assert_eq!(error_line(1), None, "not Anchor's");
    }

    #[test]
    fn names_go_after_each_invoke_and_the_error_before_the_failure() {
        let native: Pubkey = S.parse().unwrap();
        let init = discriminator::<strata::instruction::InitPool>();
        let code = u32::from(StrataError::Unauthorized);
        let logs = lines(&format!(
            "Program {S} invoke [1]
             Program {S} success
             Program {S} invoke [1]
             Program log: parameter check
             Program {S} failed: custom program error: {code:#x}"
        ));
        let status = Err(TransactionError::InstructionError(1, InstructionError::Custom(code)));
        let out = add_anchor_lines(logs, &native, [init, init].into_iter(), &status);
        assert_eq!(
            out,
            lines(&format!(
                "Program {S} invoke [1]
                 Program log: Instruction: InitPool
                 Program {S} success
                 Program {S} invoke [1]
                 Program log: Instruction: InitPool
                 Program log: parameter check
                 Program log: AnchorError occurred. Error Code: Unauthorized. Error Number: {code}. Error Message: Signer is not the pool authority.
                 Program {S} failed: custom program error: {code:#x}"
            ))
        );
    }

    #[test]
    fn a_failed_cpi_gets_no_anchor_line() {
        let native: Pubkey = S.parse().unwrap();
        // Even when the callee's code is one Anchor would name (2006, ConstraintSeeds).
        let logs = lines(&format!(
            "Program {S} invoke [1]
             Program {TOKEN} invoke [2]
             Program {TOKEN} failed: custom program error: 0x7d6
             Program {S} failed: custom program error: 0x7d6"
        ));
        let status = Err(TransactionError::InstructionError(0, InstructionError::Custom(2006)));
        let out = add_anchor_lines(logs.clone(), &native, std::iter::empty(), &status);
        assert_eq!(out, logs);
    }
}
