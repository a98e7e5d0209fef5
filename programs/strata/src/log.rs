//! Logs, events and return data that behave the same on-chain and natively.
//!
//! On SBF these are exactly Anchor's `msg!`, `emit!` and `set_return_data`. Natively
//! (the program run through `processor!` by solana-program-test, in the tests and the
//! embedded local cluster) Anchor 1.x makes `emit!` and `set_return_data` no-ops and
//! prints `msg!` to stdout, so nothing would reach the transaction's metadata. Here they
//! go through the syscall stubs solana-program-test installs instead: messages and
//! return data land in the transaction exactly as on-chain; event data, which the stubs
//! can only log as a message, is written as `Program log: <NATIVE_DATA_PREFIX><base64>`
//! and the native hosts rewrite that line to the on-chain `Program data: <base64>`.

use anchor_lang::Event;

/// Marks event data logged natively (see the module docs).
pub const NATIVE_DATA_PREFIX: &str = "strata-native-data: ";

/// Logs a message (`Program log: …`).
pub fn message(text: &str) {
    #[cfg(target_os = "solana")]
    anchor_lang::solana_program::log::sol_log(text);
    #[cfg(not(target_os = "solana"))]
    solana_sysvar::program_stubs::sol_log(text);
}

/// Emits an Anchor event (`Program data: <discriminator ‖ borsh>` in base64).
pub fn emit<E: Event>(event: &E) {
    let data = event.data();
    #[cfg(target_os = "solana")]
    anchor_lang::solana_program::log::sol_log_data(&[&data]);
    #[cfg(not(target_os = "solana"))]
    {
        use base64::Engine;
        let encoded = base64::engine::general_purpose::STANDARD.encode(&data);
        solana_sysvar::program_stubs::sol_log(&format!("{NATIVE_DATA_PREFIX}{encoded}"));
    }
}

/// Sets a view's return data natively. On-chain, Anchor already sets it from the
/// instruction's return value (the same Borsh bytes), so this does nothing there.
#[allow(unused_variables)]
pub fn native_return_data<T: anchor_lang::AnchorSerialize>(value: &T) {
    #[cfg(not(target_os = "solana"))]
    if let Ok(data) = anchor_lang::prelude::borsh::to_vec(value) {
        solana_sysvar::program_stubs::sol_set_return_data(&data);
    }
}

/// Rewrites natively logged event data to the on-chain form, for native hosts.
pub fn normalise_native_log(line: &str) -> String {
    match line.strip_prefix("Program log: ").and_then(|rest| rest.strip_prefix(NATIVE_DATA_PREFIX)) {
        Some(data) => format!("Program data: {data}"),
        None => line.to_string(),
    }
}

/// `msg!` that also reaches the transaction log natively.
#[macro_export]
macro_rules! log_msg {
    ($($arg:tt)*) => {
        $crate::log::message(&format!($($arg)*))
    };
}
