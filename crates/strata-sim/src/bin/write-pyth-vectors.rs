//! Writes `app/test/vectors/pyth.json`: Pyth accounts of both kinds, forged exactly as
//! the Pyth programs write them (strata-testkit's `pyth` module), with what the
//! program's own reader (`strata::oracle::read_sample`) makes of each: the sample, or
//! the error name. The TypeScript reader (`app/src/pyth.ts`) must agree on every case.

use anchor_lang::prelude::{AccountInfo, Pubkey};
use base64::Engine;
use serde_json::{json, Value};
use strata::state::OracleKind;
use strata_testkit::pyth::{oracle_account, PriceSpec};

fn read(kind: OracleKind, feed_id: [u8; 32], owner: Pubkey, mut data: Vec<u8>) -> Value {
    let key = Pubkey::new_unique();
    let mut lamports = 1_000_000_000u64;
    let info = AccountInfo::new(&key, false, false, &mut lamports, &mut data, &owner, false);
    match strata::oracle::read_sample(kind, &feed_id, &info) {
        Ok(s) => json!({ "sample": {
            "price": s.price.to_string(), "conf": s.conf.to_string(), "expo": s.expo.to_string(),
            "emaPrice": s.ema_price.to_string(), "emaConf": s.ema_conf.to_string(), "publishTime": s.publish_time.to_string(),
        }}),
        Err(anchor_lang::error::Error::AnchorError(e)) => json!({ "error": e.error_name }),
        Err(other) => json!({ "error": format!("{other:?}") }),
    }
}

fn main() {
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let feed = [7u8; 32];
    let now = 1_750_000_000;
    let specs = [
        ("trading", PriceSpec::new(15_025_000_000, -8, now).ema(14_900_000_000).conf(12_345_678)),
        ("positive exponent", PriceSpec::new(3, 2, now)),
        ("zero price", PriceSpec::new(0, -8, now)),
        ("negative price", PriceSpec::new(-5, -8, now)),
        ("zero ema", PriceSpec::new(100, -8, now).ema(0)),
        ("halted", PriceSpec::new(100, -8, now).halted()),
        ("partially verified", PriceSpec::new(100, -8, now).partially_verified()),
        ("extreme values", PriceSpec::new(i64::MAX, -12, i64::MAX).ema(1).conf(u64::MAX)),
    ];
    let mut cases = Vec::new();
    for (kind, name) in [(OracleKind::PythLegacy, "legacy"), (OracleKind::PythPull, "pull")] {
        // Reads `data` as the program would and records the case.
        let mut push = |label: &str, owner: Pubkey, feed_id: [u8; 32], data: &[u8]| {
            let result = read(kind, feed_id, owner, data.to_vec());
            cases.push(json!({ "kind": name, "case": label, "owner": owner.to_string(), "feedId": b64(&feed_id), "data": b64(data), "result": result }));
        };
        for (label, spec) in &specs {
            let account = oracle_account(kind, spec, feed);
            push(label, account.owner, feed, &account.data);
        }
        // The same bytes under another owner, with a corrupted type tag, for another feed.
        let account = oracle_account(kind, &specs[0].1, feed);
        push("wrong owner", Pubkey::new_from_array([9; 32]), feed, &account.data);
        let mut corrupted = account.data.clone();
        corrupted[0] ^= 0xff;
        push("wrong discriminator", account.owner, feed, &corrupted);
        push("other feed", account.owner, [8u8; 32], &account.data);
        push("truncated", account.owner, feed, &account.data[..100]);
    }
    println!("{}", serde_json::to_string_pretty(&json!({ "cases": cases })).expect("json"));
}
