use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::{
    self,
    extension::{BaseStateWithExtensions, ExtensionType, StateWithExtensions},
};
use anchor_spl::token_interface::{self, InitializeAccount3, Mint, TokenInterface};

use crate::constants::{collateral_bounds, MAX_COLLATERALS, VAULT_SEED};
use crate::create::create_pda;
use crate::errors::StrataError;
use crate::events::CollateralAdded;
use crate::instructions::admin::validate_oracle_source;
use crate::state::{CollateralConfig, CollateralParams, OracleSource, Pool};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct AddCollateralArgs {
    pub params: CollateralParams,
    pub oracle: OracleSource,
}

#[derive(Accounts)]
pub struct AddCollateral<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    pub authority: Signer<'info>,
    #[account(mut, has_one = authority @ StrataError::Unauthorized)]
    pub pool: AccountLoader<'info, Pool>,
    #[account(constraint = *mint.to_account_info().owner == token_program.key() @ StrataError::TokenProgramMismatch)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// CHECK: created here as the pool's token account; the seeds pin the address.
    #[account(mut, seeds = [VAULT_SEED, pool.key().as_ref(), mint.key().as_ref()], bump)]
    pub vault: UncheckedAccount<'info>,
    /// CHECK: parsed as the Pyth account `args.oracle.kind` names.
    pub oracle: UncheckedAccount<'info>,
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

/// Token-2022 mint extensions a collateral may carry. Anything else is refused:
/// transfer fees and hooks change what arrives in the vault, a permanent delegate or
/// pausability lets the issuer move or freeze it, confidential or non-transferable
/// balances cannot be accounted, and interest-bearing or scaled UI amounts make the
/// raw amount disagree with the unit the oracle prices. An allowlist (not a
/// denylist) so that extensions added to Token-2022 later are refused by default.
const ALLOWED_MINT_EXTENSIONS: [ExtensionType; 7] = [
    ExtensionType::MintCloseAuthority,
    ExtensionType::MetadataPointer,
    ExtensionType::TokenMetadata,
    ExtensionType::GroupPointer,
    ExtensionType::TokenGroup,
    ExtensionType::GroupMemberPointer,
    ExtensionType::TokenGroupMember,
];

impl AddCollateral<'_> {
    fn validate(&self, args: &AddCollateralArgs) -> Result<()> {
        args.params.validate()?;
        let pool = self.pool.load()?;
        require!(usize::from(pool.collateral_count) < MAX_COLLATERALS, StrataError::TooManyCollaterals);
        require_keys_neq!(self.mint.key(), pool.note_mint, StrataError::NoteMintAsCollateral);
        require!(pool.listed().iter().all(|c| c.mint != self.mint.key()), StrataError::CollateralAlreadyListed);
        require!(self.mint.decimals <= collateral_bounds::MAX_DECIMALS, StrataError::InvalidCollateralParams);
        let max_age = pool.max_oracle_age_secs().max(args.params.max_age_secs);
        pool.require_valid_redemption_delay(pool.redemption_delay_secs, max_age)?;
        self.validate_extensions()?;
        validate_oracle_source(&args.oracle, &self.oracle)
    }

    /// The mint's Token-2022 extensions (none for classic SPL Token mints).
    fn mint_extensions(&self) -> Result<Vec<ExtensionType>> {
        let info = self.mint.to_account_info();
        if *info.owner != spl_token_2022::ID {
            return Ok(Vec::new());
        }
        let data = info.try_borrow_data()?;
        let mint = StateWithExtensions::<spl_token_2022::state::Mint>::unpack(&data)?;
        Ok(mint.get_extension_types()?)
    }

    fn validate_extensions(&self) -> Result<()> {
        for extension in self.mint_extensions()? {
            if !ALLOWED_MINT_EXTENSIONS.contains(&extension) {
                crate::log_msg!("unsupported Token-2022 mint extension: {:?}", extension);
                return err!(StrataError::UnsupportedMintExtension);
            }
        }
        Ok(())
    }

    /// Creates the vault: a token account of `mint` owned by the pool PDA, sized as
    /// the token program sizes it (base account plus the account extensions the
    /// mint's extensions require).
    fn create_vault(&self, bump: u8) -> Result<()> {
        let token_program = self.token_program.key();
        let required = ExtensionType::get_required_init_account_extensions(&self.mint_extensions()?);
        let size = ExtensionType::try_calculate_account_len::<spl_token_2022::state::Account>(&required)?;
        let (pool, mint) = (self.pool.key(), self.mint.key());
        let seeds: &[&[u8]] = &[VAULT_SEED, pool.as_ref(), mint.as_ref(), &[bump]];
        create_pda(&self.payer, &self.vault, size, &token_program, seeds)?;
        token_interface::initialize_account3(CpiContext::new(
            token_program,
            InitializeAccount3 {
                account: self.vault.to_account_info(),
                mint: self.mint.to_account_info(),
                authority: self.pool.to_account_info(),
            },
        ))
    }

    /// Lists a collateral asset: its vault, oracle and risk parameters.
    #[access_control(ctx.accounts.validate(&args))]
    pub fn handle(ctx: Context<AddCollateral>, args: AddCollateralArgs) -> Result<()> {
        let accounts = &ctx.accounts;
        accounts.create_vault(ctx.bumps.vault)?;
        let mut pool = accounts.pool.load_mut()?;
        let index = pool.collateral_count;
        let mut config = CollateralConfig {
            mint: accounts.mint.key(),
            token_program: accounts.token_program.key(),
            vault: accounts.vault.key(),
            oracle: accounts.oracle.key(),
            feed_id: args.oracle.feed_id,
            decimals: accounts.mint.decimals,
            oracle_kind: args.oracle.kind.to_u8(),
            vault_bump: ctx.bumps.vault,
            ..bytemuck::Zeroable::zeroed()
        };
        config.set_params(&args.params);
        pool.collaterals[usize::from(index)] = config;
        pool.collateral_count = index + 1;
        pool.invariant()?;
        crate::log::emit(&CollateralAdded {
            pool: accounts.pool.key(),
            index,
            mint: config.mint,
            token_program: config.token_program,
            vault: config.vault,
            decimals: config.decimals,
            oracle_kind: args.oracle.kind,
            oracle: config.oracle,
            feed_id: config.feed_id,
            params: args.params,
        });
        Ok(())
    }
}
