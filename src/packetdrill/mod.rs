//! A packetdrill interpreter: run TCP conformance scripts against netspec's
//! pure TCP state machine, in virtual time, without a kernel.
//!
//! [packetdrill](https://github.com/google/packetdrill) scripts describe a
//! TCP conversation from the point of view of the stack under test: the
//! script plays the remote peer (`<` lines are segments it sends), calls the
//! socket API (`connect(...) = -1 EINPROGRESS`), and states which segments
//! the stack must send in reply (`>` lines), and when:
//!
//! ```text
//! 0.00 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
//! +0.00 bind(3, ..., ...) = 0
//! +0.00 listen(3, 1) = 0
//! +0.00 < S   0:0(0) win 65535 <mss 1460,sackOK,eol,eol>
//! +0.00 > S.  0:0(0) ack 1 win 65535 <mss 1460,sackOK,eol,eol>
//! +0.01 <  .  1:1(0) ack 1 win 65535
//! +0.00 accept(3, ..., ...) = 4
//! ```
//!
//! The module has four parts:
//!
//! * [`parser`] turns script text into the [`ast`];
//! * [`runner`] plays the events in virtual time against a [`Stack`],
//!   remapping relative sequence numbers and timestamps and matching every
//!   segment the stack sends against the script's `>` lines;
//! * [`host`] is the [`Stack`] over netspec's own state machine
//!   ([`crate::tcp::Connection`]): a socket table, listeners, and the
//!   mapping from FreeBSD `sysctl` settings onto [`crate::tcp::Config`];
//! * [`Verdict`] and [`Summary`] report the outcome.
//!
//! Every script ends as PASS, FAIL (with the first mismatch: the line, what
//! the script expected and what happened) or UNSUPPORTED (naming the
//! construct outside the interpreter or the state machine, such as ECN). A
//! script that cannot be parsed is a FAIL.
//!
//! ```
//! use netspec::packetdrill::{DEFINES, NetspecHost, Verdict, run_text};
//!
//! let script = "
//! 0.00 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
//! +0.00 bind(3, ..., ...) = 0
//! +0.00 listen(3, 1) = 0
//! +0.00 < S   0:0(0) win 65535 <mss 1460,sackOK,eol,eol>
//! +0.00 > S.  0:0(0) ack 1 win 65535 <mss 1460,sackOK,eol,eol>
//! +0.01 <  .  1:1(0) ack 1 win 65535
//! +0.00 accept(3, ..., ...) = 4
//! +0.00 < P. 1:101(100) ack 1 win 65535
//! +0.00 read(4, ..., 1000) = 100
//! ";
//! assert_eq!(run_text(script, DEFINES, &mut NetspecHost::new()), Verdict::Pass);
//!
//! // The delayed ACK (100 ms in FreeBSD's profile) was due before 0.5 s.
//! let late = format!("{script}+0.49 close(4) = 0\n");
//! let verdict = run_text(&late, DEFINES, &mut NetspecHost::new());
//! assert_eq!(verdict.label(), "FAIL");
//! assert!(verdict.to_string().contains("extra segment . 1:1(0) ack 101"), "{verdict}");
//! ```

pub mod ast;
mod calls;
pub mod host;
pub mod parser;
pub mod runner;
pub mod stack;

use alloc::string::String;
use core::fmt;
use std::path::{Path, PathBuf};

pub use ast::Script;
pub use host::NetspecHost;
pub use parser::{ParseError, parse};
pub use stack::{Call, CallResult, Errno, Segment, Stack};

/// The `#ifdef` symbols defined while parsing: the suite brackets
/// FreeBSD-specific expectations in `#ifdef FreeBSD` and the RFC behaviour
/// in `#ifdef STANDARD`; netspec implements the RFC.
pub const DEFINES: &[&str] = &["STANDARD"];

/// The first mismatch of a failed script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// 1-based script line (0 for the option lines as a whole).
    pub line: usize,
    /// What the script expected.
    pub expected: String,
    /// What happened instead.
    pub actual: String,
}

/// How a script ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every event happened as scripted.
    Pass,
    /// The first mismatch (or the parse error).
    Fail(Failure),
    /// The script needs a construct outside the interpreter or the state
    /// machine.
    Unsupported {
        /// 1-based script line.
        line: usize,
        /// The construct.
        construct: String,
    },
}

impl Verdict {
    /// `PASS`, `FAIL` or `UNSUPPORTED`.
    pub const fn label(&self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Fail(_) => "FAIL",
            Verdict::Unsupported { .. } => "UNSUPPORTED",
        }
    }
}

impl fmt::Display for Verdict {
    /// The detail after the label: empty for a pass.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Pass => Ok(()),
            Verdict::Fail(x) => {
                write!(f, "line {}: expected {}, got {}", x.line, x.expected, x.actual)
            }
            Verdict::Unsupported { line, construct } => write!(f, "line {line}: {construct}"),
        }
    }
}

/// Parses one script's text with the `#ifdef` symbols `defines` (usually
/// [`DEFINES`]) and runs it against `stack`.
pub fn run_text(text: &str, defines: &[&str], stack: &mut dyn Stack) -> Verdict {
    match parse(text, defines) {
        // A panic in the stack under test is a failure of that script, not
        // the end of the whole run.
        Ok(script) => {
            let line = core::cell::Cell::new(0);
            let run = std::panic::AssertUnwindSafe(|| runner::run_tracking(&script, stack, &line));
            match std::panic::catch_unwind(run) {
                Ok(verdict) => verdict,
                Err(payload) => {
                    let message = payload
                        .downcast_ref::<&str>()
                        .map(|s| String::from(*s))
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    Verdict::Fail(Failure {
                        line: line.get(),
                        expected: String::from("no panic"),
                        actual: format!("the stack panicked: {message}"),
                    })
                }
            }
        }
        Err(e) => Verdict::Fail(Failure {
            line: e.line,
            expected: String::from("a valid script line"),
            actual: e.message,
        }),
    }
}

/// Reads and runs one script file against `stack` (see [`run_text`]).
pub fn run_file(path: &Path, defines: &[&str], stack: &mut dyn Stack) -> Verdict {
    match std::fs::read_to_string(path) {
        Ok(text) => run_text(&text, defines, stack),
        Err(e) => Verdict::Fail(Failure {
            line: 0,
            expected: String::from("a readable script"),
            actual: e.to_string(),
        }),
    }
}

/// Runs one script file against a fresh [`NetspecHost`] (FreeBSD's
/// defaults, adjusted by the script's `sysctl` lines).
pub fn run_path(path: &Path) -> Verdict {
    run_file(path, DEFINES, &mut NetspecHost::new())
}

/// The configuration profile a [`NetspecHost`] starts its connections from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// [`crate::tcp::Config::freebsd`]: FreeBSD's parameters and its observable
    /// behaviour where it departs from RFC 9293 (the knobs listed there).
    #[default]
    FreeBsd,
    /// FreeBSD's parameters (buffers, timers, options), but RFC 9293's
    /// segment processing: [`crate::tcp::Config::freebsd`] then
    /// [`crate::tcp::Config::rfc9293_semantics`].
    Rfc9293,
}

impl Profile {
    /// The profile named `freebsd` or `rfc9293`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "freebsd" => Some(Profile::FreeBsd),
            "rfc9293" => Some(Profile::Rfc9293),
            _ => None,
        }
    }

    /// The base configuration, before the script's `sysctl` lines.
    pub fn config(self) -> crate::tcp::Config {
        match self {
            Profile::FreeBsd => crate::tcp::Config::freebsd(),
            Profile::Rfc9293 => crate::tcp::Config::freebsd().rfc9293_semantics(),
        }
    }
}

/// Runs one script file against a fresh [`NetspecHost`] with `profile`.
pub fn run_path_with(path: &Path, profile: Profile) -> Verdict {
    run_file(path, DEFINES, &mut NetspecHost::with_profile(profile))
}

/// The `.pkt` files under `path` (or `path` itself), sorted.
pub fn collect_scripts(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()?;
        entries.sort();
        for entry in entries {
            if entry.is_dir() {
                out.extend(collect_scripts(&entry)?);
            } else if entry.extension().is_some_and(|e| e == "pkt") {
                out.push(entry);
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
    Ok(out)
}

/// Counts of verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Scripts that passed.
    pub passed: usize,
    /// Scripts that failed.
    pub failed: usize,
    /// Scripts that are unsupported.
    pub unsupported: usize,
}

impl Summary {
    /// Counts one verdict.
    pub fn add(&mut self, v: &Verdict) {
        match v {
            Verdict::Pass => self.passed += 1,
            Verdict::Fail(_) => self.failed += 1,
            Verdict::Unsupported { .. } => self.unsupported += 1,
        }
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} passed, {} failed, {} unsupported",
            self.passed, self.failed, self.unsupported
        )
    }
}
