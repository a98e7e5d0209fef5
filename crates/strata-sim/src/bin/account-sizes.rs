//! Prints the size in bytes (with the 8-byte discriminator) and the rent-exempt
//! deposit of every Strata account type.

use strata::state::{AllowlistEntry, CollateralConfig, Pool, Position, Tranche};

/// Lamports per byte-year × exemption years, as the runtime's default `Rent`.
fn rent_exempt_lamports(size: usize) -> u64 {
    const LAMPORTS_PER_BYTE_YEAR: u64 = 3_480;
    const EXEMPTION_YEARS: u64 = 2;
    const ACCOUNT_STORAGE_OVERHEAD: u64 = 128;
    (size as u64 + ACCOUNT_STORAGE_OVERHEAD) * LAMPORTS_PER_BYTE_YEAR * EXEMPTION_YEARS
}

fn main() {
    let rows = [
        ("Pool", Pool::SIZE, "zero-copy; 8 CollateralConfig slots inside"),
        ("Position", Position::SIZE, "zero-copy; keeper filters: has_debt @10, pool @16, owner @48"),
        ("Tranche", Tranche::SIZE, "zero-copy; up to 4 per pool"),
        ("Allowlist", AllowlistEntry::SIZE, "zero-copy; one per allowed wallet (permissioned pools)"),
    ];
    println!("{:<10} {:>6} {:>14}  notes", "account", "bytes", "rent (SOL)");
    for (name, size, notes) in rows {
        let rent = rent_exempt_lamports(size);
        println!(
            "{name:<10} {size:>6} {:>14}  {notes}",
            format!("{}.{:09}", rent / 1_000_000_000, rent % 1_000_000_000)
        );
    }
    println!("(CollateralConfig slot: {} bytes)", core::mem::size_of::<CollateralConfig>());
}
