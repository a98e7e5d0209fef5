//! Mints and token accounts for tests: classic SPL Token and Token-2022 (with any
//! extensions), created through the real token programs.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_spl::token_2022::spl_token_2022::{
    self,
    extension::{
        metadata_pointer, transfer_fee, transfer_hook, BaseStateWithExtensions, ExtensionType, StateWithExtensions,
    },
    state::{Account as TokenAccountState, Mint as MintState},
};
use solana_keypair::Keypair;
use solana_program_pack::Pack;
use solana_signer::Signer;

use crate::fixture::Fixture;

/// Token-2022 mint extensions a test can put on a collateral mint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MintExtension {
    TransferFee,
    TransferHook,
    PermanentDelegate,
    NonTransferable,
    MintCloseAuthority,
    MetadataPointer,
}

impl MintExtension {
    fn extension_type(self) -> ExtensionType {
        match self {
            Self::TransferFee => ExtensionType::TransferFeeConfig,
            Self::TransferHook => ExtensionType::TransferHook,
            Self::PermanentDelegate => ExtensionType::PermanentDelegate,
            Self::NonTransferable => ExtensionType::NonTransferable,
            Self::MintCloseAuthority => ExtensionType::MintCloseAuthority,
            Self::MetadataPointer => ExtensionType::MetadataPointer,
        }
    }

    fn init_instruction(self, mint: &Pubkey, authority: &Pubkey) -> Instruction {
        let program = &spl_token_2022::ID;
        match self {
            Self::TransferFee => transfer_fee::instruction::initialize_transfer_fee_config(
                program,
                mint,
                Some(authority),
                Some(authority),
                100,
                u64::MAX,
            ),
            Self::TransferHook => {
                transfer_hook::instruction::initialize(program, mint, Some(*authority), Some(Pubkey::new_unique()))
            }
            Self::PermanentDelegate => {
                spl_token_2022::instruction::initialize_permanent_delegate(program, mint, authority)
            }
            Self::NonTransferable => spl_token_2022::instruction::initialize_non_transferable_mint(program, mint),
            Self::MintCloseAuthority => {
                spl_token_2022::instruction::initialize_mint_close_authority(program, mint, Some(authority))
            }
            Self::MetadataPointer => {
                metadata_pointer::instruction::initialize(program, mint, Some(*authority), Some(*mint))
            }
        }
        .expect("extension instruction")
    }
}

pub fn unpack_token_account(data: &[u8]) -> TokenAccountState {
    StateWithExtensions::<TokenAccountState>::unpack(data).expect("token account").base
}

pub fn unpack_mint(data: &[u8]) -> MintState {
    StateWithExtensions::<MintState>::unpack(data).expect("mint").base
}

/// The extension types a mint carries.
pub fn mint_extensions(data: &[u8]) -> Vec<ExtensionType> {
    StateWithExtensions::<MintState>::unpack(data).expect("mint").get_extension_types().expect("extensions")
}

impl Fixture {
    /// Creates a mint under `token_program` (SPL Token or Token-2022) with
    /// `extensions` (Token-2022 only); `authority` mints.
    pub async fn create_mint(
        &mut self,
        token_program: &Pubkey,
        decimals: u8,
        authority: &Pubkey,
        extensions: &[MintExtension],
    ) -> Pubkey {
        let mint = Keypair::new();
        let types: Vec<ExtensionType> = extensions.iter().map(|e| e.extension_type()).collect();
        let space = if *token_program == spl_token_2022::ID {
            ExtensionType::try_calculate_account_len::<MintState>(&types).expect("mint size")
        } else {
            assert!(extensions.is_empty(), "extensions need Token-2022");
            spl_token_interface::state::Mint::LEN
        };
        let rent = self.ctx.banks_client.get_rent().await.expect("rent").minimum_balance(space);
        let mut ixs = vec![solana_system_interface::instruction::create_account(
            &self.payer.pubkey(),
            &mint.pubkey(),
            rent,
            space as u64,
            token_program,
        )];
        ixs.extend(extensions.iter().map(|e| e.init_instruction(&mint.pubkey(), authority)));
        ixs.push(
            spl_token_2022::instruction::initialize_mint2(token_program, &mint.pubkey(), authority, None, decimals)
                .expect("initialize_mint2"),
        );
        self.ok(&ixs, &[&mint]).await;
        mint.pubkey()
    }

    /// Creates a token account of `mint` for `owner` at a fresh address (not the
    /// associated one; no extensions, so its owner can be changed).
    pub async fn create_token_account(&mut self, mint: &Pubkey, owner: &Pubkey, token_program: &Pubkey) -> Pubkey {
        let account = Keypair::new();
        let space = spl_token_interface::state::Account::LEN;
        let rent = self.ctx.banks_client.get_rent().await.expect("rent").minimum_balance(space);
        let ixs = [
            solana_system_interface::instruction::create_account(
                &self.payer.pubkey(),
                &account.pubkey(),
                rent,
                space as u64,
                token_program,
            ),
            spl_token_2022::instruction::initialize_account3(token_program, &account.pubkey(), mint, owner)
                .expect("initialize_account3"),
        ];
        self.ok(&ixs, &[&account]).await;
        account.pubkey()
    }

    /// Creates the associated token account of `owner` for `mint`.
    pub async fn create_ata(&mut self, mint: &Pubkey, owner: &Pubkey, token_program: &Pubkey) -> Pubkey {
        let ix = spl_associated_token_account_interface::instruction::create_associated_token_account_idempotent(
            &self.payer.pubkey(),
            owner,
            mint,
            token_program,
        );
        self.ok(&[ix], &[]).await;
        spl_associated_token_account_interface::address::get_associated_token_address_with_program_id(
            owner,
            mint,
            token_program,
        )
    }

    /// Mints `amount` to `account`; `authority` must be the mint authority.
    pub async fn mint_to(&mut self, mint: &Pubkey, account: &Pubkey, authority: &Keypair, amount: u64) {
        let program = self.account(mint).await.expect("mint").owner;
        let ix = spl_token_2022::instruction::mint_to(&program, mint, account, &authority.pubkey(), &[], amount)
            .expect("mint_to");
        self.ok(&[ix], &[authority]).await;
    }

    /// Moves tokens between two accounts (classic transfer; no extensions involved).
    pub async fn transfer_tokens(&mut self, mint: &Pubkey, from: &Pubkey, to: &Pubkey, owner: &Keypair, amount: u64) {
        let mint_account = self.account(mint).await.expect("mint");
        let (program, decimals) = (mint_account.owner, unpack_mint(&mint_account.data).decimals);
        let ix = spl_token_2022::instruction::transfer_checked(
            &program,
            from,
            mint,
            to,
            &owner.pubkey(),
            &[],
            amount,
            decimals,
        )
        .expect("transfer");
        self.ok(&[ix], &[owner]).await;
    }
}
