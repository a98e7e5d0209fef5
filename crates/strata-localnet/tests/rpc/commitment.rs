//! Commitment levels: `processed` is the working slot, `confirmed` and `finalized` the
//! last closed one, so the default `getSlot()` is always in `SlotHashes` and the
//! documented lookup-table recipe (`recentSlot: getSlot()`) always works.

use serde_json::json;
use solana_address_lookup_table_interface::instruction::{create_lookup_table, extend_lookup_table};
use solana_commitment_config::CommitmentConfig;
use solana_message::AddressLookupTableAccount;
use solana_message::{v0, VersionedMessage};
use solana_slot_hashes::SlotHashes;
use solana_transaction::versioned::VersionedTransaction;
use strata_testkit::{Pubkey, Signer};

use crate::harness::{base64_of, TestCluster, SOL};

#[tokio::test(flavor = "multi_thread")]
async fn processed_is_the_working_slot_and_the_default_slot_is_in_slot_hashes() {
    let test = TestCluster::start().await;
    for _ in 0..10 {
        let processed = test.client.get_slot_with_commitment(CommitmentConfig::processed()).await.expect("getSlot");
        let slot = test.result("getSlot", json!([])).await.as_u64().expect("slot");
        assert!(processed == slot + 1 || processed == slot + 2, "processed {processed}, default {slot}");
        let data =
            test.client.get_account_with_commitment(&solana_slot_hashes::sysvar::ID, CommitmentConfig::processed());
        let data = data.await.expect("SlotHashes").value.expect("exists").data;
        let hashes: SlotHashes = bincode::deserialize(&data).expect("SlotHashes");
        assert!(hashes.get(&slot).is_some(), "slot {slot} in the working bank's SlotHashes");
        tokio::time::sleep(std::time::Duration::from_millis(130)).await;
    }

    // A transfer is visible at processed as soon as sent, at confirmed once its slot closed.
    let recipient = Pubkey::new_unique();
    let transfer = solana_system_interface::instruction::transfer(&test.payer.pubkey(), &recipient, SOL);
    let tx = test.transaction(&[transfer], &[]).await;
    let wire = base64_of(&bincode::serialize(&tx).expect("serialize"));
    let signature = test.result("sendTransaction", json!([wire, {"encoding": "base64"}])).await;
    let processed = test.client.get_balance_with_commitment(&recipient, CommitmentConfig::processed()).await;
    assert_eq!(processed.expect("getBalance").value, SOL);
    test.finalized(signature.as_str().expect("signature")).await;
    for commitment in [CommitmentConfig::confirmed(), CommitmentConfig::finalized()] {
        assert_eq!(test.client.get_balance_with_commitment(&recipient, commitment).await.expect("balance").value, SOL);
    }
    test.cluster.stop().await;
}

/// The recipe of Solana's docs, 10 times (20 in the web3.js compatibility suite): a
/// table created at `getSlot()`, extended, then used by a v0 transaction.
#[tokio::test(flavor = "multi_thread")]
async fn the_lookup_table_recipe_works_every_time() {
    let test = TestCluster::start().await;
    let authority = test.payer.pubkey();
    let mut created = 0;
    for _ in 0..10 {
        let recent_slot = test.client.get_slot().await.expect("getSlot");
        let (create, table) = create_lookup_table(authority, authority, recent_slot);
        let addresses: Vec<Pubkey> = (0..3).map(|_| Pubkey::new_unique()).collect();
        let extend = extend_lookup_table(table, authority, Some(authority), addresses.clone());
        test.send(&[create, extend], &[]).await;
        created += 1;

        let lookup = AddressLookupTableAccount { key: table, addresses: addresses.clone() };
        let transfer = solana_system_interface::instruction::transfer(&authority, &addresses[1], SOL);
        let blockhash = test.client.get_latest_blockhash().await.expect("blockhash");
        let message = v0::Message::try_compile(&authority, &[transfer], &[lookup], blockhash).expect("v0");
        assert_eq!(message.address_table_lookups.len(), 1, "the recipient comes from the table");
        let tx = VersionedTransaction::try_new(VersionedMessage::V0(message), &[&test.payer]).expect("signed");
        test.client.send_and_confirm_transaction(&tx).await.expect("the v0 transaction lands");
        assert_eq!(test.client.get_balance(&addresses[1]).await.expect("balance"), SOL);
    }
    assert_eq!(created, 10);
    test.cluster.stop().await;
}
