//! Token queries, through Solana's own client (which asks for `jsonParsed` accounts
//! and checks every answer against Solana's types): accounts by owner and by
//! delegate, balances, supply, largest accounts; and their bad inputs.

use serde_json::json;
use solana_program_pack::Pack;
use solana_rpc_client_api::request::TokenAccountsFilter;
use strata_testkit::{Keypair, Pubkey, Signer};

use crate::harness::TestCluster;

/// A token account for `mint` owned by `owner`; `account` signs.
async fn token_account(test: &TestCluster, mint: &Pubkey, owner: &Pubkey) -> Pubkey {
    let account = Keypair::new();
    let space = spl_token_interface::state::Account::LEN;
    let rent = test.client.get_minimum_balance_for_rent_exemption(space).await.expect("rent");
    let create = solana_system_interface::instruction::create_account(
        &test.payer.pubkey(),
        &account.pubkey(),
        rent,
        space as u64,
        &spl_token_interface::ID,
    );
    let init =
        spl_token_interface::instruction::initialize_account3(&spl_token_interface::ID, &account.pubkey(), mint, owner)
            .expect("initialize_account3");
    test.send(&[create, init], &[&account]).await;
    account.pubkey()
}

#[tokio::test(flavor = "multi_thread")]
async fn token_accounts_balances_supply_and_largest_holders() {
    let test = TestCluster::start().await;
    let token = spl_token_interface::ID;
    let mint = Keypair::new();
    let instructions = test.create_mint_instructions(&mint.pubkey(), 6).await;
    test.send(&instructions, &[&mint]).await;
    let mint = mint.pubkey();
    let (alice, bob, delegate) = (Keypair::new(), Pubkey::new_unique(), Pubkey::new_unique());
    let alice_main = token_account(&test, &mint, &alice.pubkey()).await;
    let alice_spare = token_account(&test, &mint, &alice.pubkey()).await;
    let bob_account = token_account(&test, &mint, &bob).await;
    let payer = test.payer.pubkey();
    let mint_to = |account: &Pubkey, amount: u64| {
        spl_token_interface::instruction::mint_to(&token, &mint, account, &payer, &[], amount).expect("mint_to")
    };
    let approve = spl_token_interface::instruction::approve(&token, &alice_main, &delegate, &alice.pubkey(), &[], 100)
        .expect("approve");
    test.send(
        &[mint_to(&alice_main, 5_000_000), mint_to(&alice_spare, 2_000_000), mint_to(&bob_account, 7), approve],
        &[&alice],
    )
    .await;

    let by_mint = test
        .client
        .get_token_accounts_by_owner(&alice.pubkey(), TokenAccountsFilter::Mint(mint))
        .await
        .expect("getTokenAccountsByOwner");
    let mut found: Vec<String> = by_mint.iter().map(|keyed| keyed.pubkey.clone()).collect();
    found.sort();
    let mut expected = vec![alice_main.to_string(), alice_spare.to_string()];
    expected.sort();
    assert_eq!(found, expected);
    let by_program = test
        .client
        .get_token_accounts_by_owner(&alice.pubkey(), TokenAccountsFilter::ProgramId(token))
        .await
        .expect("getTokenAccountsByOwner");
    assert_eq!(by_program.len(), 2);
    let none = test
        .client
        .get_token_accounts_by_owner(&alice.pubkey(), TokenAccountsFilter::ProgramId(spl_token_2022_interface::ID))
        .await
        .expect("getTokenAccountsByOwner");
    assert!(none.is_empty());

    // Parsed as a validator parses them: the amount with the mint's decimals.
    let main = test
        .result(
            "getTokenAccountsByOwner",
            json!([alice.pubkey().to_string(), {"mint": mint.to_string()}, {"encoding": "jsonParsed"}]),
        )
        .await;
    let main =
        main["value"].as_array().expect("accounts").iter().find(|a| a["pubkey"] == alice_main.to_string()).cloned();
    let info = &main.expect("alice's main account")["account"]["data"]["parsed"]["info"];
    assert_eq!(info["tokenAmount"]["uiAmountString"], "5");
    assert_eq!(info["delegate"], delegate.to_string());
    assert_eq!(info["owner"], alice.pubkey().to_string());

    // Raw: solana-rpc-client 3.1's `get_token_accounts_by_delegate` sends
    // `getTokenAccountsByOwner`.
    let delegated = test
        .result(
            "getTokenAccountsByDelegate",
            json!([delegate.to_string(), {"mint": mint.to_string()}, {"encoding": "jsonParsed"}]),
        )
        .await;
    let delegated = delegated["value"].as_array().expect("accounts").clone();
    assert_eq!(
        delegated.iter().map(|keyed| keyed["pubkey"].clone()).collect::<Vec<_>>(),
        vec![json!(alice_main.to_string())]
    );
    assert_eq!(delegated[0]["account"]["data"]["parsed"]["info"]["delegatedAmount"]["amount"], "100");

    let balance = test.client.get_token_account_balance(&alice_main).await.expect("getTokenAccountBalance");
    assert_eq!((balance.amount.as_str(), balance.decimals, balance.ui_amount_string.as_str()), ("5000000", 6, "5"));
    let supply = test.client.get_token_supply(&mint).await.expect("getTokenSupply");
    assert_eq!(supply.amount, "7000007");
    let largest = test.client.get_token_largest_accounts(&mint).await.expect("getTokenLargestAccounts");
    let order: Vec<_> = largest.iter().map(|holder| (holder.address.clone(), holder.amount.amount.clone())).collect();
    assert_eq!(
        order,
        vec![
            (alice_main.to_string(), "5000000".to_string()),
            (alice_spare.to_string(), "2000000".to_string()),
            (bob_account.to_string(), "7".to_string()),
        ]
    );

    // Bad inputs: not a token account, not a mint, not a token program, and the
    // default (base58) encoding for 165-byte accounts.
    let system = solana_system_interface::program::ID.to_string();
    let cases = [
        ("getTokenAccountBalance", json!([payer.to_string()])),
        ("getTokenSupply", json!([alice_main.to_string()])),
        ("getTokenLargestAccounts", json!([Pubkey::new_unique().to_string()])),
        ("getTokenAccountsByOwner", json!([alice.pubkey().to_string(), {"programId": system}])),
        ("getTokenAccountsByOwner", json!([alice.pubkey().to_string(), {"mint": Pubkey::new_unique().to_string()}])),
        ("getTokenAccountsByOwner", json!([alice.pubkey().to_string(), {"mint": mint.to_string()}])),
        ("getTokenAccountsByDelegate", json!([delegate.to_string(), {"bogus": 1}])),
    ];
    for (method, params) in cases {
        let (code, error) = test.error(method, params.clone()).await;
        assert_eq!(code, -32602, "{method} {params}: {error}");
    }
    test.cluster.stop().await;
}
