//! Address lookup tables and v0 transactions, for transactions that name more
//! accounts than a legacy transaction can (a legacy message holds at most 38 keys in a
//! 1,232-byte packet; a v0 message loads the rest from tables, up to 64 locks).

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use solana_address_lookup_table_interface::instruction::{create_lookup_table, extend_lookup_table};
use solana_keypair::Keypair;
use solana_message::{v0, AddressLookupTableAccount, VersionedMessage};
use solana_signer::Signer;
use solana_slot_hashes::SlotHashes;
use solana_transaction::versioned::VersionedTransaction;

use crate::fixture::{Fixture, TxOutcome};

/// Addresses one `extend_lookup_table` instruction adds (keeps it well inside a packet).
const EXTEND_CHUNK: usize = 20;

impl Fixture {
    /// Creates a lookup table holding `addresses` (authority and payer: the fixture's
    /// payer) and moves on a slot, so the new entries are usable.
    pub async fn create_lookup_table(&mut self, addresses: &[Pubkey]) -> AddressLookupTableAccount {
        let payer = self.payer.pubkey();
        // The table's seed slot must be a recent one: the newest in `SlotHashes`.
        self.next_slot().await;
        let hashes: SlotHashes = self.ctx.banks_client.get_sysvar().await.expect("SlotHashes");
        let recent = hashes.first().expect("a recent slot").0;
        let (create, key) = create_lookup_table(payer, payer, recent);
        self.ok(&[create], &[]).await;
        for chunk in addresses.chunks(EXTEND_CHUNK) {
            self.ok(&[extend_lookup_table(key, payer, Some(payer), chunk.to_vec())], &[]).await;
        }
        self.next_slot().await;
        self.ctx.last_blockhash = self.ctx.banks_client.get_latest_blockhash().await.expect("blockhash");
        AddressLookupTableAccount { key, addresses: addresses.to_vec() }
    }

    /// A v0 transaction paid by `payer`, signed by it and `signers`, compiled against
    /// `tables`, with the current blockhash (not sent).
    pub fn transaction_v0(
        &self,
        payer: &Keypair,
        instructions: &[Instruction],
        signers: &[&Keypair],
        tables: &[AddressLookupTableAccount],
    ) -> VersionedTransaction {
        let message = v0::Message::try_compile(&payer.pubkey(), instructions, tables, self.ctx.last_blockhash)
            .expect("v0 message compiles");
        let mut all: Vec<&Keypair> = vec![payer];
        all.extend(signers.iter().copied().filter(|k| k.pubkey() != payer.pubkey()));
        VersionedTransaction::try_new(VersionedMessage::V0(message), &all).expect("v0 transaction signs")
    }

    /// Sends a v0 transaction (see [`Fixture::transaction_v0`]) and collects its outcome.
    pub async fn send_v0(
        &mut self,
        payer: &Keypair,
        instructions: &[Instruction],
        signers: &[&Keypair],
        tables: &[AddressLookupTableAccount],
    ) -> TxOutcome {
        let tx = self.transaction_v0(payer, instructions, signers, tables);
        self.process(tx).await
    }
}
