//! What the redemption-queue instructions share: the request account, read and
//! checked with Strata's own errors, and closed.

use anchor_lang::prelude::*;
use anchor_lang::Discriminator;

use crate::errors::StrataError;
use crate::state::RedemptionRequest;

/// `holder`'s request for `tranche`, copied out: refused as `NoRedemptionRequest` when
/// the account is not a live request (never made, claimed or cancelled), and as
/// `NotRequestOwner` when it is someone else's or another tranche's.
pub fn read_request(info: &AccountInfo, tranche: &Pubkey, holder: &Pubkey) -> Result<RedemptionRequest> {
    require_keys_eq!(*info.owner, crate::ID, StrataError::NoRedemptionRequest);
    let data = info.try_borrow_data()?;
    require!(
        data.len() == RedemptionRequest::SIZE && data.starts_with(RedemptionRequest::DISCRIMINATOR),
        StrataError::NoRedemptionRequest
    );
    let request: RedemptionRequest = *bytemuck::from_bytes(&data[8..]);
    require!(request.tranche == *tranche && request.owner == *holder, StrataError::NotRequestOwner);
    Ok(request)
}

/// Closes a request, its rent back to `owner`.
pub fn close_request<'info>(request: &AccountInfo<'info>, owner: &AccountInfo<'info>) -> Result<()> {
    crate::create::close_account(request, owner)
}
