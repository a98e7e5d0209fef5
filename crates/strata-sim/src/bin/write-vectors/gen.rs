//! A deterministic spread of inputs: proptest's ChaCha generator under a fixed seed,
//! drawing from the core's own strategies (`strata_core::strategies`, which its
//! property tests use too) for values of every magnitude and the edges.

use proptest::prelude::Rng as _;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use strata_core::strategies;

pub use strata_core::strategies::{EDGES_U128, EDGES_U64};

pub struct Rng(TestRunner);

impl Rng {
    pub fn new(seed: u64) -> Self {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        Self(TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)))
    }

    /// One value of `strategy`.
    pub fn draw<S: Strategy>(&mut self, strategy: S) -> S::Value {
        strategy.new_tree(&mut self.0).expect("the core's strategies do not reject").current()
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.rng().next_u64()
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

    /// A value of `bits` significant bits at most (0..=128).
    pub fn bits_u128(&mut self, bits: u32) -> u128 {
        self.draw(strategies::bits(bits))
    }

    /// A value of fewer than `n` bits, uniformly many bits.
    pub fn small(&mut self, n: u64) -> u128 {
        self.draw(strategies::small(n as u32))
    }

    /// Any magnitude up to `max_bits`, an edge value one time in four.
    pub fn spread_u128(&mut self, max_bits: u32) -> u128 {
        self.draw(strategies::spread_u128(max_bits))
    }

    pub fn spread_u64(&mut self) -> u64 {
        self.draw(strategies::spread_u64())
    }
}
