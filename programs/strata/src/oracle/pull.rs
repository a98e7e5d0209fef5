//! Pull-oracle `PriceUpdateV2` accounts of the Pyth receiver program.

use anchor_lang::prelude::*;
use pyth_solana_receiver_sdk::price_update::{PriceUpdateV2, VerificationLevel};
use strata_core::OracleSample;

use crate::constants::pyth;
use crate::errors::StrataError;

pub fn read(account: &AccountInfo, feed_id: &[u8; 32]) -> Result<OracleSample> {
    require_keys_eq!(*account.owner, pyth::RECEIVER_PROGRAM_ID, StrataError::OracleOwnerMismatch);
    let data = account.try_borrow_data()?;
    // Checks the 8-byte discriminator, so a forged account of the right size fails.
    let update = PriceUpdateV2::try_deserialize(&mut &data[..]).map_err(|_| error!(StrataError::InvalidOracleData))?;
    require!(update.verification_level == VerificationLevel::Full, StrataError::OracleNotFullyVerified);
    let message = &update.price_message;
    require!(message.feed_id == *feed_id, StrataError::FeedIdMismatch);
    Ok(OracleSample {
        price: message.price,
        conf: message.conf,
        expo: message.exponent,
        ema_price: message.ema_price,
        ema_conf: message.ema_conf,
        publish_time: message.publish_time,
    })
}
