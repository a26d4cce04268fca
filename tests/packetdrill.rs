//! The FreeBSD TCP test suite (`tests/data/freebsd-tcp-testsuite/`) run
//! through the packetdrill interpreter.

use std::path::Path;

use netspec::packetdrill::{DEFINES, collect_scripts, parse};

fn suite() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/freebsd-tcp-testsuite");
    collect_scripts(&root).expect("the suite is readable")
}

/// Every script of the suite parses, with either set of `#ifdef` symbols.
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
