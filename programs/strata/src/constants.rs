//! Program-wide constants: PDA seeds, sizes, and the bounds every admin parameter is
//! validated against.

use anchor_lang::prelude::*;

/// `["pool", creator, pool_id]`. `creator` is the authority at creation; it stays in
/// the seeds after an authority hand-over, so the pool stores it.
#[constant]
pub const POOL_SEED: &[u8] = b"pool";
/// `["notes", pool]`: the note mint; the pool PDA is its only mint authority.
#[constant]
pub const NOTE_MINT_SEED: &[u8] = b"notes";
/// `["vault", pool, mint]`: a collateral vault owned by the pool PDA.
#[constant]
pub const VAULT_SEED: &[u8] = b"vault";
/// `["position", pool, owner]`.
#[constant]
pub const POSITION_SEED: &[u8] = b"position";

/// `["tranche", pool, index]`.
#[constant]
pub const TRANCHE_SEED: &[u8] = b"tranche";
/// `["shares", tranche]`: a tranche's share mint.
#[constant]
pub const SHARES_SEED: &[u8] = b"shares";
/// `["tranche_vault", tranche]`: a tranche's note account.
#[constant]
pub const TRANCHE_VAULT_SEED: &[u8] = b"tranche_vault";
/// `["share_escrow", tranche]`: a tranche's share account holding queued redemptions.
#[constant]
pub const SHARE_ESCROW_SEED: &[u8] = b"share_escrow";
/// `["redemption", tranche, owner]`: one holder's queued redemption.
#[constant]
pub const REDEMPTION_SEED: &[u8] = b"redemption";
/// `["allow", pool, wallet]`.
#[constant]
pub const ALLOW_SEED: &[u8] = b"allow";
/// Decimals of tranche share mints: notes' 6 plus the 3 of the virtual offset.
pub const SHARE_DECIMALS: u8 = 9;

/// Collateral assets a pool can list (the core's slot count).
pub const MAX_COLLATERALS: usize = strata_core::MAX_COLLATERALS;
/// Tranches a pool can have.
pub const MAX_TRANCHES: usize = strata_core::MAX_TRANCHES;

/// Positions one `liquidate_batch` may name. Each logs an event, and Solana truncates a
/// transaction's logs at 10,000 bytes, so indexers would lose the later events. At
/// this size the worst case (every position settled, both vaults of a two-tranche
/// pool burned) logs 8,464 bytes on-chain (`liquidation_batch.rs` tests it with a
/// margin, `scripts/bench.sh` prints it), and a v0 transaction with the pool's lookup
/// table still fits its 64 account locks.
pub const MAX_BATCH_POSITIONS: usize = 48;

/// Layout version written into every account this program creates.
pub const ACCOUNT_VERSION: u8 = 1;

/// Bounds on pool parameters.
pub mod pool_bounds {
    /// 50% APR: the largest stability fee accrual is proven not to overflow with.
    pub const MAX_STABILITY_FEE_BPS: u16 = strata_core::debt::MAX_STABILITY_FEE_BPS;
    pub const MAX_CLOSE_FACTOR_BPS: u16 = 10_000;
    pub const MAX_KEEPER_TIP_BPS: u16 = 1_000;
    pub const MAX_PROTOCOL_FEE_BPS: u16 = 5_000;
    pub const MAX_COVERAGE_FLOOR_BPS: u16 = 9_000;
}

/// Bounds on collateral parameters.
pub mod collateral_bounds {
    /// Highest liquidation threshold: a position must be liquidatable before its
    /// collateral is worth less than its debt.
    pub const MAX_LIQUIDATION_THRESHOLD_BPS: u16 = 9_800;
    pub const MAX_LIQUIDATION_BONUS_BPS: u16 = 2_500;
    pub const MAX_AGE_SECS: u32 = 86_400;
    pub const MAX_CONF_BPS: u16 = 5_000;
    pub const MAX_EMA_DEVIATION_BPS: u16 = 5_000;
    /// Token decimals the price normalisation is tested over.
    pub const MAX_DECIMALS: u8 = 18;
}

/// Bounds on tranche parameters.
pub mod tranche_bounds {
    pub const MAX_TARGET_APR_BPS: u16 = 5_000;
    pub const MAX_MIN_SUBORDINATION_BPS: u16 = 9_500;
}

/// Pause bits, one per instruction family.
pub mod pause {
    pub const DEPOSIT: u16 = 1 << 0;
    pub const WITHDRAW: u16 = 1 << 1;
    pub const MINT: u16 = 1 << 2;
    pub const LIQUIDATE: u16 = 1 << 3;
    pub const TRANCHE: u16 = 1 << 4;
    /// Every defined bit; others are refused so a typo cannot pass silently.
    pub const ALL: u16 = DEPOSIT | WITHDRAW | MINT | LIQUIDATE | TRANCHE;
}

/// The Pyth programs whose accounts a pool accepts as oracles, per cluster: the one
/// place the program's Pyth owners are chosen. Build with `--features devnet` for
/// devnet; the default build is for mainnet-beta (and the local cluster, which uses
/// the mainnet ids).
///
/// Sources: the cluster → program table of Pyth's own clients (`pyth-client-js`
/// `clusterToPythProgramKey`, `pythclient` `utils.get_key`), the ids Drift v2 and
/// Solend pin, and `pyth_solana_receiver_sdk::ID` for the receiver.
pub mod pyth {
    use anchor_lang::prelude::*;

    /// Owner of legacy (push v1) Pyth price accounts on mainnet-beta (and Pythnet).
    pub const MAINNET_LEGACY_PROGRAM_ID: Pubkey = pubkey!("FsJ3A3u2vn5cTVofAjvy6y5kwABJAqYWpe4975bi2epH");
    /// Owner of legacy Pyth price accounts on devnet.
    pub const DEVNET_LEGACY_PROGRAM_ID: Pubkey = pubkey!("gSbePebfvPy7tRqimPoVecS2UsBvYv46ynrzWocc92s");

    /// The legacy owner this build checks.
    pub const LEGACY_PROGRAM_ID: Pubkey =
        if cfg!(feature = "devnet") { DEVNET_LEGACY_PROGRAM_ID } else { MAINNET_LEGACY_PROGRAM_ID };

    /// Owner of `PriceUpdateV2` accounts (the Pyth receiver,
    /// `rec5EKMGg6MxZYaMdyBfgwp4d5rB9T1VQH5pJv5LtFJ`): pull updates and the push
    /// oracle's sponsored feed accounts alike, the same id on every cluster.
    pub const RECEIVER_PROGRAM_ID: Pubkey = pyth_solana_receiver_sdk::ID;
}
