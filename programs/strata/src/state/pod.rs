//! 128-bit integers in zero-copy accounts are stored as little-endian `[u8; 16]`:
//! x86_64 aligns `u128` to 16 bytes (since Rust 1.77) and SBF to 8, so a raw `u128`
//! field would give these native tests a different layout from the chain.

/// Reads a stored little-endian `u128`.
#[inline]
pub fn load_u128(bytes: &[u8; 16]) -> u128 {
    u128::from_le_bytes(*bytes)
}

/// Encodes a `u128` for storage.
#[inline]
pub fn store_u128(value: u128) -> [u8; 16] {
    value.to_le_bytes()
}
