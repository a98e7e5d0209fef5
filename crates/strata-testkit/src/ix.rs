//! Strata instructions, built from Anchor's generated account structs and argument
//! data (so a renamed account or argument breaks this file at compile time).

use anchor_lang::prelude::Pubkey;
pub use anchor_lang::solana_program::instruction::AccountMeta;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{InstructionData, ToAccountMetas};
use strata::instructions::{AddCollateralArgs, InitPoolArgs, UpdateCollateralArgs};
use strata::pda;
use strata::state::{CollateralParams, OracleSource, PoolParams, TrancheParams};
use strata::{accounts, instruction};

const TOKEN: Pubkey = anchor_spl::token::ID;
/// Shares are Token-2022 tokens in every pool.
const SHARE_TOKEN: Pubkey = anchor_spl::token_2022::ID;
const SYSTEM: Pubkey = anchor_lang::system_program::ID;

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction { program_id: strata::ID, accounts: accounts.to_account_metas(None), data: data.data() }
}

pub fn treasury_address(pool: &Pubkey, treasury_owner: &Pubkey) -> Pubkey {
    spl_associated_token_account_interface::address::get_associated_token_address_with_program_id(
        treasury_owner,
        &pda::note_mint(pool),
        &TOKEN,
    )
}

pub fn init_pool(
    payer: &Pubkey,
    authority: &Pubkey,
    treasury_owner: &Pubkey,
    pool_id: u64,
    params: PoolParams,
) -> Instruction {
    init_pool_with(payer, authority, treasury_owner, pool_id, params, false)
}

pub fn init_pool_with(
    payer: &Pubkey,
    authority: &Pubkey,
    treasury_owner: &Pubkey,
    pool_id: u64,
    params: PoolParams,
    permissioned: bool,
) -> Instruction {
    let pool = pda::pool(authority, pool_id);
    build(
        accounts::InitPool {
            payer: *payer,
            authority: *authority,
            pool,
            note_mint: pda::note_mint(&pool),
            treasury_owner: *treasury_owner,
            treasury: treasury_address(&pool, treasury_owner),
            token_program: TOKEN,
            associated_token_program: anchor_spl::associated_token::ID,
            system_program: SYSTEM,
        },
        instruction::InitPool { args: InitPoolArgs { pool_id, params, permissioned } },
    )
}

#[allow(clippy::too_many_arguments)]
pub fn add_collateral(
    payer: &Pubkey,
    authority: &Pubkey,
    pool: &Pubkey,
    mint: &Pubkey,
    token_program: &Pubkey,
    oracle: &Pubkey,
    source: OracleSource,
    params: CollateralParams,
) -> Instruction {
    build(
        accounts::AddCollateral {
            payer: *payer,
            authority: *authority,
            pool: *pool,
            mint: *mint,
            vault: pda::vault(pool, mint),
            oracle: *oracle,
            token_program: *token_program,
            system_program: SYSTEM,
        },
        instruction::AddCollateral { args: AddCollateralArgs { params, oracle: source } },
    )
}

pub fn update_pool(authority: &Pubkey, pool: &Pubkey, treasury: &Pubkey, params: PoolParams) -> Instruction {
    build(
        accounts::UpdatePool { authority: *authority, pool: *pool, treasury: *treasury },
        instruction::UpdatePool { params },
    )
}

pub fn update_collateral(
    authority: &Pubkey,
    pool: &Pubkey,
    collateral_index: u8,
    params: CollateralParams,
    new_oracle: Option<(Pubkey, OracleSource)>,
) -> Instruction {
    build(
        accounts::UpdateCollateral { authority: *authority, pool: *pool, oracle: new_oracle.map(|(key, _)| key) },
        instruction::UpdateCollateral {
            args: UpdateCollateralArgs { collateral_index, params, oracle: new_oracle.map(|(_, source)| source) },
        },
    )
}

pub fn set_pause_flags(authority: &Pubkey, pool: &Pubkey, flags: u16) -> Instruction {
    build(accounts::SetPauseFlags { authority: *authority, pool: *pool }, instruction::SetPauseFlags { flags })
}

pub fn propose_authority(authority: &Pubkey, pool: &Pubkey, new_authority: &Pubkey) -> Instruction {
    build(
        accounts::ProposeAuthority { authority: *authority, pool: *pool },
        instruction::ProposeAuthority { new_authority: *new_authority },
    )
}

pub fn accept_authority(new_authority: &Pubkey, pool: &Pubkey) -> Instruction {
    build(accounts::AcceptAuthority { new_authority: *new_authority, pool: *pool }, instruction::AcceptAuthority {})
}

pub fn open_position(payer: &Pubkey, owner: &Pubkey, pool: &Pubkey) -> Instruction {
    open_position_with(payer, owner, pool, None)
}

/// `open_position` presenting an allowlist entry (permissioned pools).
pub fn open_position_with(
    payer: &Pubkey,
    owner: &Pubkey,
    pool: &Pubkey,
    allowlist_entry: Option<Pubkey>,
) -> Instruction {
    build(
        accounts::OpenPosition {
            payer: *payer,
            owner: *owner,
            pool: *pool,
            position: pda::position(pool, owner),
            allowlist_entry,
            system_program: SYSTEM,
        },
        instruction::OpenPosition {},
    )
}

pub fn close_position(owner: &Pubkey, pool: &Pubkey, position: &Pubkey) -> Instruction {
    build(accounts::ClosePosition { owner: *owner, pool: *pool, position: *position }, instruction::ClosePosition {})
}

/// Accounts of a collateral transfer instruction (deposit, withdraw).
#[derive(Clone, Copy, Debug)]
pub struct CollateralAccounts {
    pub owner: Pubkey,
    pub pool: Pubkey,
    pub position: Pubkey,
    pub mint: Pubkey,
    pub vault: Pubkey,
    /// Source of a deposit, destination of a withdrawal.
    pub token_account: Pubkey,
    pub token_program: Pubkey,
}

impl CollateralAccounts {
    /// The block `deposit` and `withdraw` share.
    fn shared(&self) -> accounts::CollateralAccounts {
        accounts::CollateralAccounts {
            owner: self.owner,
            pool: self.pool,
            position: self.position,
            mint: self.mint,
            vault: self.vault,
        }
    }
}

pub fn deposit(a: &CollateralAccounts, collateral_index: u8, amount: u64) -> Instruction {
    build(
        accounts::Deposit { collateral: a.shared(), source: a.token_account, token_program: a.token_program },
        instruction::Deposit { collateral_index, amount },
    )
}

pub fn withdraw(a: &CollateralAccounts, collateral_index: u8, amount: u64) -> Instruction {
    build(
        accounts::Withdraw { collateral: a.shared(), destination: a.token_account, token_program: a.token_program },
        instruction::Withdraw { collateral_index, amount },
    )
}

pub fn mint(
    owner: &Pubkey,
    pool: &Pubkey,
    position: &Pubkey,
    note_mint: &Pubkey,
    destination: &Pubkey,
    amount: u64,
) -> Instruction {
    build(
        accounts::MintNotes {
            owner: *owner,
            pool: *pool,
            position: *position,
            note_mint: *note_mint,
            destination: *destination,
            token_program: TOKEN,
        },
        instruction::Mint { amount },
    )
}

pub fn repay(
    payer: &Pubkey,
    pool: &Pubkey,
    position: &Pubkey,
    note_mint: &Pubkey,
    source: &Pubkey,
    amount: u64,
) -> Instruction {
    build(
        accounts::Repay {
            payer: *payer,
            pool: *pool,
            position: *position,
            note_mint: *note_mint,
            source: *source,
            token_program: TOKEN,
        },
        instruction::Repay { amount },
    )
}

pub fn refresh_oracle(pool: &Pubkey, oracle: &Pubkey, collateral_index: u8) -> Instruction {
    build(accounts::RefreshOracle { pool: *pool, oracle: *oracle }, instruction::RefreshOracle { collateral_index })
}

/// Accounts a keeper passes to `liquidate` / `liquidate_batch`.
#[derive(Clone, Copy, Debug)]
pub struct KeeperAccounts {
    pub keeper: Pubkey,
    pub pool: Pubkey,
    pub note_mint: Pubkey,
    pub keeper_notes: Pubkey,
    pub collateral_mint: Pubkey,
    pub vault: Pubkey,
    pub keeper_collateral: Pubkey,
    pub collateral_token_program: Pubkey,
}

impl KeeperAccounts {
    /// The block `liquidate` and `liquidate_batch` share.
    fn shared(&self) -> accounts::KeeperAccounts {
        accounts::KeeperAccounts {
            keeper: self.keeper,
            pool: self.pool,
            note_mint: self.note_mint,
            keeper_notes: self.keeper_notes,
            collateral_mint: self.collateral_mint,
            vault: self.vault,
            keeper_collateral: self.keeper_collateral,
            collateral_token_program: self.collateral_token_program,
            note_token_program: TOKEN,
        }
    }
}

/// The position comes after the keeper's accounts (they are one block shared with
/// `liquidate_batch`).
pub fn liquidate(
    k: &KeeperAccounts,
    position: &Pubkey,
    collateral_index: u8,
    repay_amount: u64,
    min_collateral_out: u64,
) -> Instruction {
    build(
        accounts::Liquidate { keeper_accounts: k.shared(), position: *position },
        instruction::Liquidate { collateral_index, repay_amount, min_collateral_out },
    )
}

/// `[token_program, mint, vault, destination]`: remaining accounts paying a collateral
/// out of its vault.
pub fn payout_metas(token_program: Pubkey, mint: Pubkey, vault: Pubkey, destination: Pubkey) -> [AccountMeta; 4] {
    [
        AccountMeta::new_readonly(token_program, false),
        AccountMeta::new_readonly(mint, false),
        AccountMeta::new(vault, false),
        AccountMeta::new(destination, false),
    ]
}

/// `[token_program, mint, vault, destination]` of another collateral an insolvent
/// settlement pays out, appended to a `liquidate` instruction.
pub fn with_other_collateral(
    mut ix: Instruction,
    token_program: Pubkey,
    mint: Pubkey,
    vault: Pubkey,
    destination: Pubkey,
) -> Instruction {
    ix.accounts.extend(payout_metas(token_program, mint, vault, destination));
    ix
}

pub fn liquidate_batch(
    k: &KeeperAccounts,
    positions: &[Pubkey],
    collateral_index: u8,
    max_repay_total: u64,
    min_collateral_out_total: u64,
) -> Instruction {
    let mut ix = build(
        accounts::LiquidateBatch { keeper_accounts: k.shared() },
        instruction::LiquidateBatch { collateral_index, max_repay_total, min_collateral_out_total },
    );
    ix.accounts.extend(positions.iter().map(|p| AccountMeta::new(*p, false)));
    ix
}

pub fn health(pool: &Pubkey, position: &Pubkey) -> Instruction {
    build(accounts::ViewPosition { pool: *pool, position: *position }, instruction::Health {})
}

pub fn quote_liquidation(pool: &Pubkey, position: &Pubkey, collateral_index: u8, repay_amount: u64) -> Instruction {
    build(
        accounts::ViewPosition { pool: *pool, position: *position },
        instruction::QuoteLiquidation { collateral_index, repay_amount },
    )
}

/// Appends remaining accounts to an instruction.
pub fn with_remaining(mut ix: Instruction, metas: &[AccountMeta]) -> Instruction {
    ix.accounts.extend_from_slice(metas);
    ix
}

/// The first `count` tranches of `pool` as remaining accounts, in index order, leaving
/// out `except`: each tranche (writable) followed by its vault.
pub fn tranche_metas(pool: &Pubkey, count: u8, except: Option<u8>) -> Vec<AccountMeta> {
    let mut metas = Vec::new();
    for index in (0..count).filter(|i| Some(*i) != except) {
        let tranche = pda::tranche(pool, index);
        metas.push(AccountMeta::new(tranche, false));
        metas.push(AccountMeta::new(pda::tranche_vault(&tranche), false));
    }
    metas
}

pub fn init_tranche(
    payer: &Pubkey,
    authority: &Pubkey,
    pool: &Pubkey,
    note_mint: &Pubkey,
    index: u8,
    params: TrancheParams,
) -> Instruction {
    let tranche = pda::tranche(pool, index);
    build(
        accounts::InitTranche {
            payer: *payer,
            authority: *authority,
            pool: *pool,
            tranche,
            share_mint: pda::share_mint(&tranche),
            vault: pda::tranche_vault(&tranche),
            share_escrow: pda::share_escrow(&tranche),
            note_mint: *note_mint,
            token_program: TOKEN,
            share_token_program: SHARE_TOKEN,
            system_program: SYSTEM,
        },
        instruction::InitTranche { index, params },
    )
}

pub fn update_tranche(authority: &Pubkey, pool: &Pubkey, index: u8, params: TrancheParams) -> Instruction {
    build(
        accounts::UpdateTranche { authority: *authority, pool: *pool, tranche: pda::tranche(pool, index) },
        instruction::UpdateTranche { params },
    )
}

pub fn allow(payer: &Pubkey, authority: &Pubkey, pool: &Pubkey, wallet: &Pubkey) -> Instruction {
    build(
        accounts::Allow {
            payer: *payer,
            authority: *authority,
            pool: *pool,
            entry: pda::allowlist_entry(pool, wallet),
            system_program: SYSTEM,
        },
        instruction::Allow { wallet: *wallet },
    )
}

/// `tranche_count`: the pool's, when it is permissioned (the wallet's associated
/// share account of every tranche is frozen); 0 for an open pool.
pub fn disallow(
    authority: &Pubkey,
    pool: &Pubkey,
    wallet: &Pubkey,
    rent_receiver: &Pubkey,
    tranche_count: u8,
) -> Instruction {
    with_remaining(
        build(
            accounts::Disallow {
                authority: *authority,
                pool: *pool,
                entry: pda::allowlist_entry(pool, wallet),
                rent_receiver: *rent_receiver,
                share_token_program: SHARE_TOKEN,
            },
            instruction::Disallow {},
        ),
        &freeze_metas(pool, wallet, tranche_count),
    )
}

/// `[tranche, share_mint, wallet's associated share account]` for every tranche.
pub fn freeze_metas(pool: &Pubkey, wallet: &Pubkey, tranche_count: u8) -> Vec<AccountMeta> {
    let mut metas = Vec::new();
    for index in 0..tranche_count {
        let tranche = pda::tranche(pool, index);
        let share_mint = pda::share_mint(&tranche);
        metas.push(AccountMeta::new_readonly(tranche, false));
        metas.push(AccountMeta::new_readonly(share_mint, false));
        metas.push(AccountMeta::new(share_account(wallet, &share_mint), false));
    }
    metas
}

/// The associated share account of `owner` for a tranche's share mint (Token-2022).
pub fn share_account(owner: &Pubkey, share_mint: &Pubkey) -> Pubkey {
    spl_associated_token_account_interface::address::get_associated_token_address_with_program_id(
        owner,
        share_mint,
        &SHARE_TOKEN,
    )
}

/// `thaw_share_account`: thaws `owner`'s associated share account of tranche `index`.
pub fn thaw_share_account(pool: &Pubkey, index: u8, owner: &Pubkey) -> Instruction {
    let tranche = pda::tranche(pool, index);
    let share_mint = pda::share_mint(&tranche);
    build(
        accounts::ThawShareAccount {
            pool: *pool,
            tranche,
            share_mint,
            share_account: share_account(owner, &share_mint),
            allowlist_entry: pda::allowlist_entry(pool, owner),
            share_token_program: SHARE_TOKEN,
        },
        instruction::ThawShareAccount {},
    )
}

/// Accounts of a tranche flow (deposit, redemption request, claim, cancel).
#[derive(Clone, Copy, Debug)]
pub struct TrancheAccounts {
    pub wallet: Pubkey,
    pub pool: Pubkey,
    pub index: u8,
    pub note_mint: Pubkey,
    /// The wallet's note account.
    pub notes: Pubkey,
    /// The wallet's share account.
    pub shares: Pubkey,
    pub allowlist_entry: Option<Pubkey>,
}

impl TrancheAccounts {
    pub fn tranche(&self) -> Pubkey {
        pda::tranche(&self.pool, self.index)
    }

    pub fn request(&self) -> Pubkey {
        pda::redemption_request(&self.tranche(), &self.wallet)
    }

    /// The block `tranche_deposit` and `claim_redemption` share.
    fn flow(&self) -> accounts::TrancheFlowAccounts {
        let tranche = self.tranche();
        accounts::TrancheFlowAccounts {
            pool: self.pool,
            tranche,
            share_mint: pda::share_mint(&tranche),
            vault: pda::tranche_vault(&tranche),
        }
    }
}

pub fn tranche_deposit(a: &TrancheAccounts, amount: u64, others: &[AccountMeta]) -> Instruction {
    with_remaining(
        build(
            accounts::TrancheDeposit {
                depositor: a.wallet,
                flow: a.flow(),
                note_mint: a.note_mint,
                depositor_notes: a.notes,
                depositor_shares: a.shares,
                allowlist_entry: a.allowlist_entry,
                token_program: TOKEN,
                share_token_program: SHARE_TOKEN,
            },
            instruction::TrancheDeposit { amount },
        ),
        others,
    )
}

pub fn request_redemption(a: &TrancheAccounts, shares: u64) -> Instruction {
    let tranche = a.tranche();
    build(
        accounts::RequestRedemption {
            holder: a.wallet,
            pool: a.pool,
            tranche,
            share_mint: pda::share_mint(&tranche),
            share_escrow: pda::share_escrow(&tranche),
            holder_shares: a.shares,
            request: a.request(),
            allowlist_entry: a.allowlist_entry,
            share_token_program: SHARE_TOKEN,
            system_program: SYSTEM,
        },
        instruction::RequestRedemption { shares },
    )
}

/// `remaining`: the other tranches with vaults, then the collateral payouts.
pub fn claim_redemption(a: &TrancheAccounts, remaining: &[AccountMeta]) -> Instruction {
    let tranche = a.tranche();
    with_remaining(
        build(
            accounts::ClaimRedemption {
                holder: a.wallet,
                flow: a.flow(),
                share_escrow: pda::share_escrow(&tranche),
                request: a.request(),
                holder_notes: a.notes,
                note_mint: a.note_mint,
                allowlist_entry: a.allowlist_entry,
                token_program: TOKEN,
                share_token_program: SHARE_TOKEN,
            },
            instruction::ClaimRedemption {},
        ),
        remaining,
    )
}

pub fn cancel_redemption(a: &TrancheAccounts) -> Instruction {
    let tranche = a.tranche();
    build(
        accounts::CancelRedemption {
            holder: a.wallet,
            pool: a.pool,
            tranche,
            share_mint: pda::share_mint(&tranche),
            share_escrow: pda::share_escrow(&tranche),
            request: a.request(),
            holder_shares: a.shares,
            share_token_program: SHARE_TOKEN,
        },
        instruction::CancelRedemption {},
    )
}

pub fn distribute(pool: &Pubkey, note_mint: &Pubkey, treasury: &Pubkey, tranches: &[AccountMeta]) -> Instruction {
    with_remaining(
        build(
            accounts::Distribute { pool: *pool, note_mint: *note_mint, treasury: *treasury, token_program: TOKEN },
            instruction::Distribute {},
        ),
        tranches,
    )
}

pub fn check_coverage(pool: &Pubkey, note_mint: &Pubkey, tranches: &[AccountMeta]) -> Instruction {
    with_remaining(
        build(
            accounts::CheckCoverage { pool: *pool, note_mint: *note_mint, token_program: TOKEN },
            instruction::CheckCoverage {},
        ),
        tranches,
    )
}

pub fn absorb(
    keeper: &Pubkey,
    pool: &Pubkey,
    position: &Pubkey,
    note_mint: &Pubkey,
    remaining: &[AccountMeta],
) -> Instruction {
    with_remaining(
        build(
            accounts::Absorb {
                keeper: *keeper,
                pool: *pool,
                position: *position,
                note_mint: *note_mint,
                note_token_program: TOKEN,
            },
            instruction::Absorb {},
        ),
        remaining,
    )
}

/// `recovery_sale` by the keeper accounts `k` (its notes pay, its collateral account
/// receives) of tranche `index`'s collateral; `others`: the other tranches with vaults.
pub fn recovery_sale(
    k: &KeeperAccounts,
    index: u8,
    collateral_index: u8,
    notes_in: u64,
    min_collateral_out: u64,
    others: &[AccountMeta],
) -> Instruction {
    let tranche = pda::tranche(&k.pool, index);
    with_remaining(
        build(
            accounts::RecoverySale {
                buyer: k.keeper,
                pool: k.pool,
                tranche,
                vault: pda::tranche_vault(&tranche),
                note_mint: k.note_mint,
                buyer_notes: k.keeper_notes,
                collateral_mint: k.collateral_mint,
                collateral_vault: k.vault,
                buyer_collateral: k.keeper_collateral,
                collateral_token_program: k.collateral_token_program,
                note_token_program: TOKEN,
            },
            instruction::RecoverySale { collateral_index, notes_in, min_collateral_out },
        ),
        others,
    )
}

pub fn flag_shortfall(pool: &Pubkey, position: &Pubkey) -> Instruction {
    build(accounts::ReportShortfall { pool: *pool, position: *position }, instruction::FlagShortfall {})
}

pub fn clear_shortfall_flag(pool: &Pubkey, position: &Pubkey) -> Instruction {
    build(accounts::ReportShortfall { pool: *pool, position: *position }, instruction::ClearShortfallFlag {})
}
