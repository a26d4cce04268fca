//! Shared helpers for the benchmarks: loading the fixed inputs from
//! `benches/data/` (copied from the project's shared bench inputs).

#![allow(dead_code)]

use std::path::PathBuf;

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
