//! Liquidation throughput per transaction: serialized size and account count of a
//! keeper's refresh + liquidate, and the most liquidations one legacy transaction
//! carries with single `liquidate` instructions and with `liquidate_batch`. Each
//! largest transaction is also executed to show it lands and liquidates every
//! position it names.

use solana_transaction::Transaction;
use strata::constants::MAX_BATCH_POSITIONS;
use strata::events::BatchPositionLiquidated;
use strata_sim::book::{crash, liquidatable_book, Book};
use strata_testkit::events::decode;
use strata_testkit::{Instruction, Keypair, Pubkey};

/// Largest serialized transaction a validator accepts (`PACKET_DATA_SIZE`:
/// 1280-byte IPv6 MTU − 40-byte IP header − 8-byte UDP header).
const PACKET_DATA_SIZE: usize = 1_232;
/// Accounts one transaction may lock.
const ACCOUNT_LOCK_LIMIT: usize = 64;

fn wire_size(tx: &Transaction) -> usize {
    // compact-u16 signature count (one byte below 128) + signatures + message.
    1 + 64 * tx.signatures.len() + tx.message.serialize().len()
}

fn fits(tx: &Transaction) -> bool {
    wire_size(tx) <= PACKET_DATA_SIZE && tx.message.account_keys.len() <= ACCOUNT_LOCK_LIMIT
}

struct Largest {
    count: usize,
    bytes: usize,
    accounts: usize,
}

/// Grows `build(n)` until it no longer fits; returns the largest that does.
fn largest(book: &Book, keeper: &Keypair, build: impl Fn(usize) -> Vec<Instruction>) -> Largest {
    let mut best = Largest { count: 0, bytes: 0, accounts: 0 };
    for n in 1..=book.borrowers.len() {
        let tx = book.f.transaction(keeper, &build(n), &[]);
        if !fits(&tx) {
            break;
        }
        best = Largest { count: n, bytes: wire_size(&tx), accounts: tx.message.account_keys.len() };
    }
    best
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut book = liquidatable_book(40 + MAX_BATCH_POSITIONS).await;
    crash(&mut book).await;
    let keeper = book.keeper.owner.insecure_clone();
    let positions: Vec<Pubkey> = book.borrowers.iter().map(|b| b.position).collect();
    let pool = &book.pool;

    let single = |n: usize| {
        let mut ixs = vec![pool.refresh_ix(0)];
        ixs.extend(positions[..n].iter().map(|p| pool.liquidate_ix(&book.keeper, p, 0, u64::MAX, 0)));
        ixs
    };
    let batch =
        |n: usize| vec![pool.refresh_ix(0), pool.liquidate_batch_ix(&book.keeper, &positions[..n], 0, u64::MAX, 0)];

    let one = book.f.transaction(&keeper, &single(1), &[]);
    let most_single = largest(&book, &keeper, single);
    let most_batch = largest(&book, &keeper, batch);

    println!("legacy transaction limits: {PACKET_DATA_SIZE} bytes, {ACCOUNT_LOCK_LIMIT} account locks; the keeper pays the fee");
    println!();
    println!("{:<44} {:>13} {:>6} {:>9}", "transaction", "liquidations", "bytes", "accounts");
    println!(
        "{:<44} {:>13} {:>6} {:>9}",
        "refresh_oracle + liquidate",
        1,
        wire_size(&one),
        one.message.account_keys.len()
    );
    println!(
        "{:<44} {:>13} {:>6} {:>9}",
        "refresh_oracle + N × liquidate (largest)", most_single.count, most_single.bytes, most_single.accounts
    );
    println!(
        "{:<44} {:>13} {:>6} {:>9}",
        "refresh_oracle + liquidate_batch(N) (largest)", most_batch.count, most_batch.bytes, most_batch.accounts
    );

    // Execute the largest batch: every position in it must be liquidated.
    let ixs = batch(most_batch.count);
    let pool_refresh = pool.refresh_ix(0);
    let outcome = book.f.send_paid_by(&keeper, &ixs, &[]).await;
    outcome.result.as_ref().expect("the largest batch transaction lands");
    let liquidated = decode::<BatchPositionLiquidated>(&outcome.logs);
    let named: Vec<Pubkey> = positions[..most_batch.count].to_vec();
    assert_eq!(liquidated.iter().map(|e| e.position).collect::<Vec<_>>(), named);
    println!();
    println!(
        "executed the largest batch: {} of {} positions liquidated in one transaction",
        liquidated.len(),
        most_batch.count
    );
    assert_eq!(liquidated.len(), most_batch.count);
    let bytes: usize = outcome.logs.iter().map(String::len).sum();
    println!(
        "its logs: {bytes} bytes natively in {} lines (Solana truncates a transaction's logs at 10,000 bytes)",
        outcome.logs.len()
    );

    // The program's largest batch, as a v0 transaction with the positions in a lookup
    // table (a legacy message holds at most 38 keys).
    let rest: Vec<Pubkey> = positions[most_batch.count..most_batch.count + MAX_BATCH_POSITIONS].to_vec();
    let table = book.f.create_lookup_table(&rest).await;
    let ixs = vec![pool_refresh, book.pool.liquidate_batch_ix(&book.keeper, &rest, 0, u64::MAX, 0)];
    let tx = book.f.transaction_v0(&keeper, &ixs, &[], std::slice::from_ref(&table));
    let size = bincode_size(&tx);
    let outcome = book.f.send_v0(&keeper, &ixs, &[], &[table]).await;
    outcome.result.as_ref().expect("the largest v0 batch lands");
    assert_eq!(decode::<BatchPositionLiquidated>(&outcome.logs).len(), MAX_BATCH_POSITIONS);
    let bytes: usize = outcome.logs.iter().map(String::len).sum();
    println!(
        "largest batch the program takes (MAX_BATCH_POSITIONS = {MAX_BATCH_POSITIONS}), v0 with a lookup table: \
         {size} bytes, logs {bytes} bytes natively"
    );
}

/// Serialized size of a v0 transaction: signatures (compact-u16 count) + message.
fn bincode_size(tx: &strata_testkit::VersionedTransaction) -> usize {
    1 + 64 * tx.signatures.len() + tx.message.serialize().len()
}
