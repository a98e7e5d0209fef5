//! A fixed workload for `valgrind --tool=callgrind` (see `scripts/bench.sh`): runs
//! deposit, mint, refresh_oracle, liquidate and liquidate_batch through the native
//! handlers so their instruction counts can be read per call. Prints nothing useful
//! by itself.

use strata_sim::book::{crash, liquidatable_book};
use strata_testkit::Pubkey;

/// Positions the measured batch liquidates.
pub const BATCH: usize = 20;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // `liquidatable_book` deposits, mints and refreshes; those calls are measured.
    let mut book = liquidatable_book(BATCH + 1).await;
    crash(&mut book).await;
    let keeper = book.keeper.owner.insecure_clone();
    let single = book.pool.liquidate_ix(&book.keeper, &book.borrowers[0].position, 0, u64::MAX, 0);
    book.f.send_paid_by(&keeper, &[single], &[]).await.result.expect("liquidate");
    let positions: Vec<Pubkey> = book.borrowers[1..].iter().map(|b| b.position).collect();
    let batch = book.pool.liquidate_batch_ix(&book.keeper, &positions, 0, u64::MAX, 0);
    book.f.send_paid_by(&keeper, &[batch], &[]).await.result.expect("liquidate_batch");
    println!("workload done: {} positions in the batch", positions.len());
}
