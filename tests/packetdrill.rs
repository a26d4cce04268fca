//! The FreeBSD TCP test suite (`tests/data/freebsd-tcp-testsuite/`) run
//! through the packetdrill interpreter against netspec's state machine.
//!
//! `tests/packetdrill_expected_passes.txt` lists the scripts known to pass
//! with the FreeBSD profile (`Config::freebsd`), and
//! `tests/packetdrill_expected_passes_rfc9293.txt` those known to pass with
//! RFC 9293's segment processing (`Profile::Rfc9293`). The lists may only
//! grow: a listed script that stops passing fails this test. Scripts that
//! pass but are not listed are printed so the list can be extended
//! (regenerate it with
//! `cargo run --release --example packetdrill -- [--profile rfc9293] tests/data/freebsd-tcp-testsuite | grep ^PASS`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use netspec::packetdrill::{DEFINES, Profile, Summary, Verdict, collect_scripts, parse, run_path_with};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/freebsd-tcp-testsuite")
}

fn suite() -> Vec<PathBuf> {
    collect_scripts(&root()).expect("the suite is readable")
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/")
}

fn expected_passes(file: &str) -> BTreeSet<String> {
    let list = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(file);
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

/// Every script listed as passing with the FreeBSD profile still passes.
#[test]
fn expected_passes_still_pass() {
    check_profile(Profile::FreeBsd, "packetdrill_expected_passes.txt");
}

/// Every script listed as passing with the RFC 9293 profile still passes.
#[test]
fn expected_passes_still_pass_rfc9293() {
    check_profile(Profile::Rfc9293, "packetdrill_expected_passes_rfc9293.txt");
}

/// The scripts the two profiles disagree on are exactly those that show
/// one of FreeBSD's departures from RFC 9293: the FreeBSD profile passes
/// every script the RFC profile passes.
#[test]
fn freebsd_profile_passes_a_superset() {
    let freebsd = expected_passes("packetdrill_expected_passes.txt");
    let rfc = expected_passes("packetdrill_expected_passes_rfc9293.txt");
    let missing: Vec<_> = rfc.difference(&freebsd).collect();
    assert!(missing.is_empty(), "pass only with the RFC profile: {missing:?}");
    assert!(freebsd.len() > rfc.len());
}

fn check_profile(profile: Profile, file: &str) {
    let expected = expected_passes(file);
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
        let verdict = run_path_with(path, profile);
        summary.add(&verdict);
        match (expected.contains(&name), &verdict) {
            (true, Verdict::Pass) => {}
            (true, v) => regressions.push(format!("{} {name}: {v}", v.label())),
            (false, Verdict::Pass) => new_passes.push(name),
            (false, _) => {}
        }
    }
    println!("{profile:?}: {summary}");
    for name in &new_passes {
        println!("newly passing (add to tests/{file}): {name}");
    }
    assert!(
        regressions.is_empty(),
        "scripts that passed before no longer pass:\n{}",
        regressions.join("\n")
    );
}
