//! `dissect`: print what netspec makes of every frame of pcap/pcapng
//! captures, one line per frame.
//!
//! ```text
//! cargo run --release --example dissect -- [--format jsonl|text] FILE...
//! cargo run --example dissect -- --report docs/truth.md
//! ```
//!
//! * `--format text` (the default) prints a compact per-layer summary.
//! * `--format jsonl` prints one JSON object per frame with exactly the keys
//!   and conventions of the Wireshark truth files
//!   (`tests/data/truth/README.md`), plus `error` where a layer failed:
//!   `{"layer", "field", "offset", "message"}`, with `offset` counted from
//!   the start of the frame (the message's own "at offset" counts from the
//!   start of the failing layer, as netspec's `Error` does).
//! * `--report FILE` compares netspec with the truth of every capture under
//!   `tests/data/` and writes the agreement tables (`docs/truth.md`).
//!
//! Link types: Ethernet (1), raw IP (101, 228, 229), Linux SLL (113) and
//! SLL2 (276), BSD loopback (0).

mod compare;
mod dissect;
mod ip;
mod l4;
mod pcap;
mod text;

use std::io::Write;
use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!("usage: dissect [--format jsonl|text] FILE...\n       dissect --report OUT.md");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut jsonl = false;
    let mut files = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--format" => match args.next().as_deref() {
                Some("jsonl") => jsonl = true,
                Some("text") => jsonl = false,
                _ => return usage(),
            },
            "--report" => {
                let Some(path) = args.next() else { return usage() };
                let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
                let results = compare::run_all(&root);
                let md = compare::report(&results);
                if let Err(e) = std::fs::write(&path, md) {
                    eprintln!("{path}: {e}");
                    return ExitCode::FAILURE;
                }
                let failures: usize = results.iter().map(|r| r.failures.len()).sum();
                eprintln!("wrote {path}; {failures} failures");
                return if failures == 0 {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                };
            }
            "-h" | "--help" => return usage(),
            _ => files.push(a),
        }
    }
    if files.is_empty() {
        return usage();
    }
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    let mut status = ExitCode::SUCCESS;
    for f in &files {
        let bytes = match std::fs::read(f) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{f}: {e}");
                status = ExitCode::FAILURE;
                continue;
            }
        };
        let records = match pcap::read(&bytes) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{f}: {e}");
                status = ExitCode::FAILURE;
                continue;
            }
        };
        if files.len() > 1 && !jsonl {
            let _ = writeln!(w, "== {f}");
        }
        for r in &records {
            let d = dissect::dissect(r);
            let line = if jsonl {
                serde_json::Value::Object(d.fields).to_string()
            } else {
                text::line(&d)
            };
            if writeln!(w, "{line}").is_err() {
                return ExitCode::FAILURE;
            }
        }
    }
    status
}
