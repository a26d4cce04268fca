//! Helpers shared by the integration tests.

#![allow(dead_code)]

use proptest::test_runner::{Config, FileFailurePersistence};

/// A proptest configuration with `cases` cases whose failures persist in the
/// committed top-level `proptest-regressions/<name>.txt`.
pub fn proptest_config(name: &'static str, cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(leak(format!(
            "proptest-regressions/{name}.txt"
        ))))),
        ..Config::default()
    }
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// Path of a file under `tests/data/`.
pub fn data_path(rel: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}
pub mod pcap;
pub mod truth;
