//! Runs packetdrill scripts against netspec's TCP state machine.
//!
//! ```text
//! cargo run --release --example packetdrill -- PATH...
//! cargo run --release --example packetdrill -- --report tests/data/freebsd-tcp-testsuite
//! ```
//!
//! Each PATH is a `.pkt` script or a directory searched recursively. One
//! line per script (`PASS|FAIL|UNSUPPORTED path: detail`), then
//! `N passed, M failed, K unsupported`. With `--report`, a Markdown table
//! per top-level directory and the verdict of every script that did not
//! pass follow (the body of `docs/conformance.md`). With `-q`, only
//! scripts that did not pass are listed. `-D SYMBOL` replaces the default
//! `#ifdef` symbols (`STANDARD`), e.g. `-D FreeBSD` for the suite's
//! FreeBSD-specific expectations. `--profile rfc9293` runs the scripts
//! with RFC 9293's segment processing instead of the default
//! `--profile freebsd` (`Config::freebsd`, which reproduces FreeBSD where
//! it departs from the RFC).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use netspec::packetdrill::{DEFINES, NetspecHost, Profile, Summary, Verdict, collect_scripts, run_file};

const USAGE: &str = "usage: packetdrill [-q] [--report] [--profile freebsd|rfc9293] [-D SYMBOL]... PATH...";

fn main() -> ExitCode {
    let mut report = false;
    let mut profile = Profile::FreeBsd;
    let mut quiet = false;
    let mut paths = Vec::new();
    let mut defines: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--report" => report = true,
            "-D" => match args.next() {
                Some(symbol) => defines.push(symbol),
                None => {
                    eprintln!("-D needs a symbol");
                    return ExitCode::from(2);
                }
            },
            "--profile" => match args.next().as_deref().and_then(Profile::from_name) {
                Some(p) => profile = p,
                None => {
                    eprintln!("--profile needs freebsd or rfc9293");
                    return ExitCode::from(2);
                }
            },
            "-q" => quiet = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    if paths.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let defines: Vec<&str> = if defines.is_empty() {
        DEFINES.to_vec()
    } else {
        defines.iter().map(String::as_str).collect()
    };
    // A panic of the state machine is reported as that script's FAIL.
    std::panic::set_hook(Box::new(|_| {}));
    let mut total = Summary::default();
    let mut per_dir: BTreeMap<String, Summary> = BTreeMap::new();
    let mut others: Vec<(PathBuf, Verdict)> = Vec::new();
    for root in &paths {
        let scripts = match collect_scripts(root) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{}: {e}", root.display());
                return ExitCode::from(2);
            }
        };
        for path in scripts {
            let verdict = run_file(&path, &defines, &mut NetspecHost::with_profile(profile));
            if !(quiet && verdict == Verdict::Pass) {
                println!("{} {}: {verdict}", verdict.label(), path.display());
            }
            total.add(&verdict);
            per_dir.entry(group(root, &path)).or_default().add(&verdict);
            if verdict != Verdict::Pass {
                others.push((path, verdict));
            }
        }
    }
    println!("{total}");
    if report {
        println!();
        println!("| directory | scripts | passed | failed | unsupported |");
        println!("|---|---:|---:|---:|---:|");
        for (dir, s) in &per_dir {
            println!(
                "| `{dir}` | {} | {} | {} | {} |",
                s.passed + s.failed + s.unsupported,
                s.passed,
                s.failed,
                s.unsupported
            );
        }
        println!(
            "| **total** | {} | {} | {} | {} |",
            total.passed + total.failed + total.unsupported,
            total.passed,
            total.failed,
            total.unsupported
        );
        println!();
        for (path, verdict) in &others {
            let shown = path.strip_prefix(paths[0].as_path()).unwrap_or(path);
            println!(
                "* {} `{}`: {}",
                verdict.label(),
                shown.display(),
                verdict.to_string().replace('|', "\\|")
            );
        }
    }
    ExitCode::SUCCESS
}

/// The first directory below `root` on the way to `path` (the suite's
/// `state-event-engine`, `rcv-data-segments`, `snd-syn`).
fn group(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut parts = rel.components();
    match (parts.next(), parts.next()) {
        (Some(first), Some(_)) => first.as_os_str().to_string_lossy().into_owned(),
        _ => root.display().to_string(),
    }
}
