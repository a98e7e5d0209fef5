//! A deterministic spread of inputs: a fixed-seed PRNG, values of every magnitude, and
//! the edge values every section starts from.

use strata_core::WAD;

/// splitmix64: tiny, fixed, and the same on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0; the modulo bias does not matter here).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    pub fn range_i64(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    pub fn chance(&mut self, one_in: u64) -> bool {
        self.below(one_in) == 0
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    fn raw_u128(&mut self) -> u128 {
        (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64())
    }

    /// A value of `bits` significant bits at most (0..=128), uniformly many bits.
    pub fn bits_u128(&mut self, bits: u32) -> u128 {
        match bits {
            0 => 0,
            128.. => self.raw_u128(),
            _ => self.raw_u128() & ((1u128 << bits) - 1),
        }
    }

    /// A value of fewer than `n` bits, uniformly many bits.
    pub fn small(&mut self, n: u64) -> u128 {
        let bits = self.below(n) as u32;
        self.bits_u128(bits)
    }

    /// Any magnitude up to `max_bits`, an edge value one time in four.
    pub fn spread_u128(&mut self, max_bits: u32) -> u128 {
        if self.chance(4) {
            let edges: Vec<u128> = EDGES_U128.iter().copied().filter(|v| fits(*v, max_bits)).collect();
            return self.pick(&edges);
        }
        let bits = self.below(u64::from(max_bits) + 1) as u32;
        self.bits_u128(bits)
    }

    pub fn spread_u64(&mut self) -> u64 {
        self.spread_u128(64) as u64
    }
}

fn fits(value: u128, bits: u32) -> bool {
    bits >= 128 || value >> bits == 0
}

/// Values where rounding, widening and overflow change behaviour.
pub const EDGES_U128: [u128; 16] = [
    0,
    1,
    2,
    3,
    9_999,
    10_000,
    WAD - 1,
    WAD,
    WAD + 1,
    u64::MAX as u128,
    u64::MAX as u128 + 1,
    100_000_000_000_000_000_000_000_000_000_000_000_000, // 1e38
    1 << 127,
    u128::MAX / 3,
    u128::MAX - 1,
    u128::MAX,
];

pub const EDGES_U64: [u64; 9] = [0, 1, 2, 999, 1_000_000, 1_000_000_000_000, u32::MAX as u64, u64::MAX - 1, u64::MAX];
