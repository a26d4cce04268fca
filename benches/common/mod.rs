//! Shared helpers for the benchmarks: loading the fixed inputs from
//! `benches/data/` (copied byte for byte from the project's shared bench
//! inputs), the xorshift64* generator those inputs were made with, and the
//! criterion settings every group uses.
//!
//! This is a module directory (`benches/common/mod.rs`) rather than
//! `benches/common.rs` so that cargo does not build it as a bench target.

#![allow(dead_code)]

use criterion::Criterion;
use std::path::PathBuf;
use std::time::Duration;

/// Read a whitespace-separated hex file from `benches/data/`.
pub fn load_hex(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("benches/data")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.split_whitespace()
        .map(|h| u8::from_str_radix(h, 16).unwrap_or_else(|e| panic!("{}: bad hex {h:?}: {e}", path.display())))
        .collect()
}

/// xorshift64* (Vigna 2016), the generator named in `benches/data/README.md`
/// for pseudo-random payloads.
pub struct XorShift64Star(u64);

impl XorShift64Star {
    /// A generator from a non-zero seed.
    pub fn new(seed: u64) -> Self {
        assert_ne!(seed, 0);
        XorShift64Star(seed)
    }

    /// The next 64-bit output.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// `len` pseudo-random bytes (the top byte of each output).
    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| (self.next_u64() >> 56) as u8).collect()
    }
}

/// Criterion settings shared by every group. Command-line flags
/// (`--warm-up-time`, `--measurement-time`, `--sample-size`) still override
/// these.
pub fn criterion() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}
