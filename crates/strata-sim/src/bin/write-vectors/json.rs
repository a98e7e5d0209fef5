//! How the vectors write values: every integer as a decimal string (JavaScript reads
//! it as a bigint without losing precision), objects with the camelCase names of the
//! Rust fields (`serde` derives on the core's types, `args!` for a case's inputs).

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;
use serde_json::Value;

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
