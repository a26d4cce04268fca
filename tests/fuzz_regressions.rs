//! Every input a fuzz target ever failed on, replayed under `cargo test`.
//!
//! The fuzz targets (`fuzz/`, see `fuzz/README.md`) are thin wrappers around
//! the check functions in `fuzz/src/lib.rs`; this test includes that same
//! file, so an input is replayed through exactly the checks the fuzzer ran.
//! Inputs live in `tests/data/fuzz-regressions/<target>/`, one file each,
//! named after what went wrong; `tests/data/fuzz-regressions/README.md`
//! lists them with their fixes. The tests below the replay pin each bug
//! that was in netspec itself to the typed result it must give instead.

mod common;

#[path = "../fuzz/src/lib.rs"]
mod checks;

use netspec::tcp::State;
use std::fs;
use std::panic;

fn regression_dir() -> std::path::PathBuf {
    common::data_path("fuzz-regressions")
}

#[test]
fn every_regression_input_passes_its_target() {
    let mut replayed = 0;
    let mut failures = Vec::new();
    for (name, check) in checks::TARGETS {
        let Ok(entries) = fs::read_dir(regression_dir().join(name)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("readable directory").path();
            let bytes = fs::read(&path).expect("readable input");
            let what = if *name == "roundtrip" {
                bytes
                    .first()
                    .map_or("empty", |s| checks::ROUNDTRIP_TYPES[usize::from(*s) % 10])
            } else {
                name
            };
            if panic::catch_unwind(|| check(&bytes)).is_err() {
                failures.push(format!("{} ({what})", path.display()));
            }
            replayed += 1;
        }
    }
    assert!(failures.is_empty(), "inputs that still fail: {failures:#?}");
    assert!(replayed > 0, "no inputs found under {}", regression_dir().display());
}

#[test]
fn every_regression_directory_names_a_target() {
    for entry in fs::read_dir(regression_dir()).expect("tests/data/fuzz-regressions exists") {
        let path = entry.expect("readable directory").path();
        if path.is_dir() {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            assert!(
                checks::TARGETS.iter().any(|(t, _)| *t == name),
                "{} is not a fuzz target name, so its inputs would never be replayed",
                path.display()
            );
        }
    }
}

/// The `tcp_conn` target is only as good as the states it reaches: a
/// scripted input (handshake, 160 bytes from client to server, a read)
/// must establish both ends and deliver the bytes, or the target's byte
/// decoding has drifted from what it claims to exercise.
#[test]
fn tcp_conn_script_establishes_and_delivers() {
    // Setup byte 0 (default configs); then, per operation, bit 0 picks the
    // end and (op >> 1) % 10 the action: 0 deliver, 3 send, 4 recv.
    let script = [0, 0, 1, 0, 6, 10, 0, 9, 10];
    let (received, states) = checks::tcp_conn_run(&script);
    assert_eq!(states, [State::Established; 2]);
    assert_eq!(received, [0, 160]);
}
