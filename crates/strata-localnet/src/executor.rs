//! Running one transaction on a bank: committed with the metadata a validator's
//! ledger keeps, or simulated. Logs come back in their on-chain form (`native_logs`,
//! then Anchor's own lines: `anchor_logs`).

use solana_account_decoder::parse_account_data::SplTokenAdditionalDataV2;
use solana_account_decoder::parse_token::token_amount_to_ui_amount_v3;
use solana_clock::{MAX_PROCESSING_AGE, MAX_TRANSACTION_FORWARDING_DELAY};
use solana_message::inner_instruction::InnerInstructionsList;
use solana_runtime::bank::{Bank, TransactionSimulationResult};
use solana_runtime_transaction::runtime_transaction::RuntimeTransaction;
use solana_svm::transaction_balances::SvmTokenInfo;
use solana_svm::transaction_processor::ExecutionRecordingConfig;
use solana_svm_timings::ExecuteTimings;
use solana_transaction::sanitized::SanitizedTransaction;
use solana_transaction_context::TransactionReturnData;
use solana_transaction_error::TransactionError;
use solana_transaction_status_client_types::{
    InnerInstruction, InnerInstructions, TransactionStatusMeta, TransactionTokenBalance,
};

use crate::{anchor_logs, native_logs};

pub type SanitizedTx = RuntimeTransaction<SanitizedTransaction>;

const RECORD_EVERYTHING: ExecutionRecordingConfig = ExecutionRecordingConfig {
    enable_cpi_recording: true,
    enable_log_recording: true,
    enable_return_data_recording: true,
    enable_transaction_balance_recording: true,
};

/// Executes and commits `tx`. `Err` when the bank refused to include it at all
/// (expired blockhash, already processed, fee payer cannot pay); a transaction that
/// ran and failed is `Ok` with the error in `meta.status`.
pub fn execute(bank: &Bank, tx: &SanitizedTx) -> Result<TransactionStatusMeta, TransactionError> {
    execute_with(bank, tx, false)
}

/// The blockhash age a preflight allows: a validator's RPC leaves room for forwarding
/// the transaction to the leader (`Bank::simulate_transaction_unchecked`).
const PREFLIGHT_MAX_AGE: usize = MAX_PROCESSING_AGE - MAX_TRANSACTION_FORWARDING_DELAY;

/// Executes `tx` and commits it only if it succeeds: a preflight and the transaction
/// in one execution (the writer lock makes them one step anyway, see `Cluster::submit`).
/// `Err` when it would fail or the bank refuses it, and then nothing was committed.
pub fn execute_if_it_succeeds(bank: &Bank, tx: &SanitizedTx) -> Result<TransactionStatusMeta, TransactionError> {
    execute_with(bank, tx, true)
}

/// `only_if_it_succeeds`: as a preflight, with its blockhash age.
fn execute_with(
    bank: &Bank,
    tx: &SanitizedTx,
    only_if_it_succeeds: bool,
) -> Result<TransactionStatusMeta, TransactionError> {
    let max_age = if only_if_it_succeeds { PREFLIGHT_MAX_AGE } else { MAX_PROCESSING_AGE };
    let batch = bank.prepare_sanitized_batch(std::slice::from_ref(tx));
    let (mut results, balances) = bank.load_execute_and_commit_transactions_with_pre_commit_callback(
        &batch,
        max_age,
        RECORD_EVERYTHING,
        &mut ExecuteTimings::default(),
        None,
        |_, processed| match processed.first() {
            // Nothing is committed when the callback refuses.
            Some(Ok(transaction)) if only_if_it_succeeds => transaction.status().map(|()| None),
            Some(Err(error)) if only_if_it_succeeds => Err(error.clone()),
            _ => Ok(None),
        },
    )?;
    drop(batch);
    let committed = results.pop().unwrap_or(Err(TransactionError::InvalidProgramForExecution))?;
    let (pre_balances, post_balances, pre_tokens, post_tokens) = match balances {
        Some(collector) => {
            let (mut pre, mut post, mut pre_tokens, mut post_tokens) = collector.into_vecs();
            (
                pre.pop().unwrap_or_default(),
                post.pop().unwrap_or_default(),
                pre_tokens.pop().unwrap_or_default(),
                post_tokens.pop().unwrap_or_default(),
            )
        }
        None => Default::default(),
    };
    let log_messages = committed.log_messages.map(|logs| {
        let inner = committed.inner_instructions.as_deref().unwrap_or_default();
        onchain_logs(logs, tx, inner, &committed.status, committed.return_data.as_ref())
    });
    Ok(TransactionStatusMeta {
        status: committed.status,
        fee: committed.fee_details.total_fee(),
        pre_balances,
        post_balances,
        inner_instructions: committed.inner_instructions.map(inner_instructions),
        log_messages,
        pre_token_balances: Some(token_balances(pre_tokens)),
        post_token_balances: Some(token_balances(post_tokens)),
        rewards: None,
        loaded_addresses: tx.get_loaded_addresses(),
        return_data: committed.return_data,
        compute_units_consumed: Some(committed.executed_units),
        cost_units: None,
    })
}

/// Runs `tx` without committing anything. Inner instructions are always recorded
/// (Anchor's log lines need them); `with_inner_instructions` says whether to return them.
pub fn simulate(bank: &Bank, tx: &SanitizedTx, with_inner_instructions: bool) -> TransactionSimulationResult {
    let mut result = bank.simulate_transaction_unchecked(tx, true);
    let inner = result.inner_instructions.clone().unwrap_or_default();
    result.logs =
        onchain_logs(std::mem::take(&mut result.logs), tx, &inner, &result.result, result.return_data.as_ref());
    if !with_inner_instructions {
        result.inner_instructions = None;
    }
    result
}

/// The native host's lines rewritten to the on-chain form, then Anchor's lines added
/// for every invocation of Strata (`inner` are the CPIs made by each top-level
/// instruction, in order).
fn onchain_logs(
    logs: Vec<String>,
    tx: &SanitizedTx,
    inner: &[solana_message::inner_instruction::InnerInstructions],
    status: &Result<(), TransactionError>,
    return_data: Option<&TransactionReturnData>,
) -> Vec<String> {
    let logs = native_logs::to_onchain_form(logs, &strata::ID, return_data);
    let keys = tx.message().account_keys();
    let is_strata = |index: u8| keys.get(usize::from(index)) == Some(&strata::ID);
    let native_data = tx.message().instructions().iter().enumerate().flat_map(|(index, instruction)| {
        let top = is_strata(instruction.program_id_index).then_some(instruction.data.as_slice());
        let cpis = inner
            .get(index)
            .into_iter()
            .flatten()
            .filter(|cpi| is_strata(cpi.instruction.program_id_index))
            .map(|cpi| cpi.instruction.data.as_slice());
        top.into_iter().chain(cpis)
    });
    anchor_logs::add_anchor_lines(logs, &strata::ID, native_data, status)
}

/// The runtime's inner instructions, numbered by the top-level instruction they ran in.
pub fn inner_instructions(list: InnerInstructionsList) -> Vec<InnerInstructions> {
    list.into_iter()
        .enumerate()
        .filter(|(_, instructions)| !instructions.is_empty())
        .filter_map(|(index, instructions)| {
            Some(InnerInstructions {
                // A message holds at most 64 instructions, far below u8::MAX.
                index: u8::try_from(index).ok()?,
                instructions: instructions
                    .into_iter()
                    .map(|inner| InnerInstruction {
                        instruction: inner.instruction,
                        stack_height: Some(u32::from(inner.stack_height)),
                    })
                    .collect(),
            })
        })
        .collect()
}

pub fn token_balances(infos: Vec<SvmTokenInfo>) -> Vec<TransactionTokenBalance> {
    infos
        .into_iter()
        .map(|info| TransactionTokenBalance {
            account_index: info.account_index,
            mint: info.mint.to_string(),
            ui_token_amount: token_amount_to_ui_amount_v3(
                info.amount,
                &SplTokenAdditionalDataV2::with_decimals(info.decimals),
            ),
            owner: info.owner.to_string(),
            program_id: info.program_id.to_string(),
        })
        .collect()
}
