//! The FreeBSD TCP test suite (`tests/data/freebsd-tcp-testsuite/`) run
//! through the packetdrill interpreter against netspec's state machine.
//!
//! `tests/packetdrill_expected_passes.txt` lists the scripts known to pass.
//! The list may only grow: a listed script that stops passing fails this
//! test. Scripts that pass but are not listed are printed so the list can
//! be extended (regenerate it with
//! `cargo run --release --example packetdrill -- tests/data/freebsd-tcp-testsuite | grep ^PASS`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use netspec::packetdrill::{DEFINES, Summary, Verdict, collect_scripts, parse, run_path};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/freebsd-tcp-testsuite")
}

fn suite() -> Vec<PathBuf> {
    collect_scripts(&root()).expect("the suite is readable")
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/")
}

fn expected_passes() -> BTreeSet<String> {
    let list = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/packetdrill_expected_passes.txt");
    std::fs::read_to_string(list)
        .expect("the expected-pass list is readable")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

/// Every script of the suite parses, with either set of `#ifdef` symbols
/// (a parse failure would be a FAIL, never UNSUPPORTED).
#[test]
fn every_script_parses() {
    let scripts = suite();
    assert_eq!(scripts.len(), 636);
    for path in &scripts {
        let text = std::fs::read_to_string(path).unwrap();
        for defines in [DEFINES, &["FreeBSD"][..]] {
            let script = parse(&text, defines).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(!script.events.is_empty(), "{}", path.display());
        }
    }
}

/// Every script listed as passing still passes.
#[test]
fn expected_passes_still_pass() {
    let expected = expected_passes();
    let scripts = suite();
    let known: BTreeSet<String> = scripts.iter().map(|p| relative(p)).collect();
    for name in &expected {
        assert!(
            known.contains(name),
            "{name} is listed as passing but is not in the suite"
        );
    }
    let mut summary = Summary::default();
    let mut regressions = Vec::new();
    let mut new_passes = Vec::new();
    for path in &scripts {
        let name = relative(path);
        let verdict = run_path(path);
        summary.add(&verdict);
        match (expected.contains(&name), &verdict) {
            (true, Verdict::Pass) => {}
            (true, v) => regressions.push(format!("{} {name}: {v}", v.label())),
            (false, Verdict::Pass) => new_passes.push(name),
            (false, _) => {}
        }
    }
    println!("{summary}");
    for name in &new_passes {
        println!("newly passing (add to tests/packetdrill_expected_passes.txt): {name}");
    }
    assert!(
        regressions.is_empty(),
        "scripts that passed before no longer pass:\n{}",
        regressions.join("\n")
    );
}
