//! How the vectors write values: every integer as a decimal string (JavaScript reads
//! it as a bigint without losing precision), objects with the camelCase names of the
//! Rust fields (`serde` derives on the core's types, `args!` for a case's inputs), and
//! the program's values through `J` (keys as base58, bytes as hex): `obj!`, `fields!`.

use std::io::{self, Write};

use anchor_lang::prelude::Pubkey;
use serde::Serialize;
use serde_json::ser::Formatter;
use serde_json::Value;
use strata::events::SkipReason;
use strata::state::{CollateralParams, OracleKind, PoolParams, TrancheParams};

/// serde_json's compact output, but integers quoted.
struct Decimal;

macro_rules! quoted {
    ($($write:ident: $t:ty),*) => {$(
        fn $write<W: ?Sized + Write>(&mut self, writer: &mut W, value: $t) -> io::Result<()> {
            write!(writer, "\"{value}\"")
        }
    )*};
}

impl Formatter for Decimal {
    quoted!(write_u8: u8, write_u16: u16, write_u32: u32, write_u64: u64, write_u128: u128,
            write_i8: i8, write_i16: i16, write_i32: i32, write_i64: i64, write_i128: i128);
}

/// `value` as the vectors write it.
pub fn j<T: Serialize + ?Sized>(value: &T) -> Value {
    let mut bytes = Vec::new();
    value.serialize(&mut serde_json::Serializer::with_formatter(&mut bytes, Decimal)).expect("serializable");
    serde_json::from_slice(&bytes).expect("valid json")
}

/// A decimal string.
pub fn s(value: impl ToString) -> Value {
    Value::String(value.to_string())
}

/// `snake_case` → `camelCase`.
pub fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `base` with the fields of `extra` added.
pub fn merged(mut base: Value, extra: Value) -> Value {
    let Value::Object(extra) = extra else { panic!("merged: not an object") };
    base.as_object_mut().expect("merged: not an object").extend(extra);
    base
}

/// An object of named values, each written by `j`, keyed by the camelCase of its Rust
/// name: `args!{ state, position_shares: l.shares }`.
macro_rules! args {
    (@value $key:ident) => { $key };
    (@value $key:ident $value:expr) => { $value };
    ($($key:ident $(: $value:expr)?),* $(,)?) => {{
        let mut map = serde_json::Map::new();
        $(map.insert($crate::json::camel(stringify!($key)), $crate::json::j(&args!(@value $key $($value)?)));)*
        serde_json::Value::Object(map)
    }};
}
pub(crate) use args;

/// An object of named values written by `J`, keyed by the camelCase of their Rust
/// names: `obj!{ payer, pool_id: 7u64 }`.
macro_rules! obj {
    (@value $key:ident) => { $key };
    (@value $key:ident $value:expr) => { $value };
    ($($key:ident $(: $value:expr)?),* $(,)?) => {{
        let mut map = serde_json::Map::new();
        $(map.insert($crate::json::camel(stringify!($key)), $crate::json::J::j(&obj!(@value $key $($value)?)));)*
        serde_json::Value::Object(map)
    }};
}
pub(crate) use obj;

/// The named fields of `src` (or the value given) as `obj!` writes them:
/// `fields!(pool; bump, debt_shares: pool.debt_shares())`.
macro_rules! fields {
    (@value $src:ident $key:ident) => { $src.$key };
    (@value $src:ident $key:ident $value:expr) => { $value };
    ($src:ident; $($key:ident $(: $value:expr)?),* $(,)?) => {
        $crate::json::obj! { $($key: fields!(@value $src $key $($value)?)),* }
    };
}
pub(crate) use fields;

/// A program value as the vectors write it: numbers as decimal strings, keys in
/// base58, byte arrays as hex, enums as their index.
pub trait J {
    fn j(&self) -> Value;
}

macro_rules! to_string {
    ($($t:ty),*) => {$(
        impl J for $t {
            fn j(&self) -> Value {
                s(self)
            }
        }
    )*};
}
to_string!(u8, u16, u32, u64, u128, usize, i32, i64, str, String, Pubkey);

impl J for bool {
    fn j(&self) -> Value {
        Value::Bool(*self)
    }
}

impl J for Value {
    fn j(&self) -> Value {
        self.clone()
    }
}

impl J for [u8; 32] {
    fn j(&self) -> Value {
        hex(self)
    }
}

impl<T: J + ?Sized> J for &T {
    fn j(&self) -> Value {
        (**self).j()
    }
}

impl<T: J> J for Option<T> {
    fn j(&self) -> Value {
        self.as_ref().map_or(Value::Null, J::j)
    }
}

impl<T: J> J for Vec<T> {
    fn j(&self) -> Value {
        Value::Array(self.iter().map(J::j).collect())
    }
}

impl<const N: usize> J for [u64; N] {
    fn j(&self) -> Value {
        Value::Array(self.iter().map(s).collect())
    }
}

impl J for PoolParams {
    fn j(&self) -> Value {
        fields!(self; stability_fee_bps, debt_ceiling, min_debt, close_factor_bps, keeper_tip_bps, protocol_fee_bps,
            coverage_floor_bps, redemption_delay_secs)
    }
}

impl J for CollateralParams {
    fn j(&self) -> Value {
        fields!(self; ltv_bps, liquidation_threshold_bps, liquidation_bonus_min_bps, liquidation_bonus_max_bps,
            deposit_cap, max_age_secs, max_conf_bps, max_ema_deviation_bps)
    }
}

impl J for TrancheParams {
    fn j(&self) -> Value {
        fields!(self; target_apr_bps, min_subordination_bps)
    }
}

impl J for OracleKind {
    fn j(&self) -> Value {
        s(self.to_u8())
    }
}

impl J for SkipReason {
    fn j(&self) -> Value {
        s(*self as u8)
    }
}

pub fn hex(bytes: &[u8]) -> Value {
    s(bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}
