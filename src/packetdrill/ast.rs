//! The syntax tree of a packetdrill script.
//!
//! A script is a list of lines. Option lines (`--ip_version=ipv4`) configure
//! the run; every other line is an *event* at a point in time: a TCP segment
//! injected into the stack (`<`), a segment the stack must emit (`>`), a
//! system call with its expected result, a backtick shell command (`sysctl`,
//! `sockstat`, `tcpdrop`) or an inline `%{ assert ... }%` check.
//!
//! Sequence and acknowledgment numbers in segment lines are *relative*:
//! inbound sequence numbers count from the remote (scripted) ISN, outbound
//! ones from the ISN the stack chose, exactly as packetdrill prints them.

use alloc::string::String;
use alloc::vec::Vec;

/// A whole parsed script.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Script {
    /// `--name=value` option lines, in order.
    pub options: Vec<(String, String)>,
    /// The events, in script order, with their 1-based line numbers.
    pub events: Vec<Event>,
}

/// When an event happens (packetdrill's four time forms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Time {
    /// `1.25`: microseconds since the start of the script.
    Absolute(u64),
    /// `+0.10`: microseconds after the previous event.
    Relative(u64),
    /// `*`: any time (only meaningful for outbound segments).
    Any,
    /// `1.00...6.00` (or `+a...+b`): a blocking call returning in this
    /// interval; `relative` tells whether both ends count from the previous
    /// event.
    Range {
        /// Start of the interval in microseconds.
        start: u64,
        /// End of the interval in microseconds.
        end: u64,
        /// Whether the ends are relative to the previous event.
        relative: bool,
    },
}

/// One timed line of the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// 1-based line number in the script file.
    pub line: usize,
    /// When it happens.
    pub time: Time,
    /// What happens.
    pub action: Action,
}

/// What an event does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `< ...`: a segment the script injects into the stack.
    Inbound(PacketSpec),
    /// `> ...`: a segment the stack must emit.
    Outbound(PacketSpec),
    /// `name(args) = result`: a system call and its expected result.
    Syscall(Syscall),
    /// `` `command` ``: a shell command (sysctl, sockstat, tcpdrop).
    Command(String),
    /// `%{ code }%`: an inline Python snippet (packetdrill's TCP_INFO checks).
    Code(String),
}

/// TCP header flag letters as packetdrill writes them (`S . F P R U E W`).
pub mod flag {
    /// `F`: FIN.
    pub const FIN: u8 = 0x01;
    /// `S`: SYN.
    pub const SYN: u8 = 0x02;
    /// `R`: RST.
    pub const RST: u8 = 0x04;
    /// `P`: PSH.
    pub const PSH: u8 = 0x08;
    /// `.`: ACK.
    pub const ACK: u8 = 0x10;
    /// `U`: URG.
    pub const URG: u8 = 0x20;
    /// `E`: ECE (RFC 3168).
    pub const ECE: u8 = 0x40;
    /// `W`: CWR (RFC 3168).
    pub const CWR: u8 = 0x80;
}

/// A segment line: `S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PacketSpec {
    /// The flag bits (see [`flag`]).
    pub flags: u8,
    /// The relative sequence number of the first byte; `None` for `...`.
    pub seq: Option<u32>,
    /// The payload length in bytes.
    pub len: u32,
    /// The relative acknowledgment number, if the line has `ack N`.
    pub ack: Option<u32>,
    /// The window field, if the line has `win N` (unscaled, as on the wire).
    pub win: Option<u16>,
    /// The urgent pointer, if the line has `urg N`.
    pub urg: Option<u16>,
    /// The options: `None` for `<...>` (not checked), else the list (empty
    /// when the line has none).
    pub options: Option<Vec<TcpOpt>>,
}

/// One TCP option of a segment line (RFC 9293 §3.2, RFC 7323, RFC 2018).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TcpOpt {
    /// `eol`: End of Option List.
    Eol,
    /// `nop`: No-Operation.
    Nop,
    /// `mss N`: Maximum Segment Size.
    Mss(u16),
    /// `wscale N`: Window Scale shift count (RFC 7323 §2).
    WindowScale(u8),
    /// `sackOK`: SACK permitted (RFC 2018 §2).
    SackPermitted,
    /// `sack a:b c:d`: SACK blocks, relative sequence numbers (RFC 2018 §3).
    Sack(Vec<(u32, u32)>),
    /// `TS val x ecr y`: Timestamps (RFC 7323 §3).
    Timestamp {
        /// TSval.
        val: u32,
        /// TSecr.
        ecr: u32,
    },
    /// Any other option kind a stack sent (scripts cannot write these;
    /// shown as `kind N`).
    Unknown(u8),
}

/// A system call line: `accept(3, ..., ...) = 4`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Syscall {
    /// The call's name.
    pub name: String,
    /// Its arguments.
    pub args: Vec<Expr>,
    /// The expected return value.
    pub ret: Expr,
    /// The expected errno symbol (`EINPROGRESS`), when the call fails.
    pub errno: Option<String>,
}

/// An argument or result expression of a system call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// `...`: anything (not checked / a default).
    Ellipsis,
    /// An integer literal (decimal, or hex with `0x`).
    Int(i64),
    /// A symbolic constant such as `SOCK_STREAM` or `MSG_PEEK`.
    Symbol(String),
    /// `[a, b]`: an array, packetdrill's notation for a pointer argument.
    List(Vec<Expr>),
    /// `A | B`: a bitwise or of flags.
    Or(Vec<Expr>),
    /// `"text"`: a string literal.
    Str(String),
}

impl core::fmt::Display for Expr {
    /// The expression as a script writes it.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        fn join(f: &mut core::fmt::Formatter<'_>, items: &[Expr], sep: &str) -> core::fmt::Result {
            for (i, e) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(sep)?;
                }
                write!(f, "{e}")?;
            }
            Ok(())
        }
        match self {
            Expr::Ellipsis => f.write_str("..."),
            Expr::Int(v) => write!(f, "{v}"),
            Expr::Symbol(s) => f.write_str(s),
            Expr::List(items) => {
                f.write_str("[")?;
                join(f, items, ", ")?;
                f.write_str("]")
            }
            Expr::Or(items) => join(f, items, " | "),
            Expr::Str(s) => write!(f, "\"{s}\""),
        }
    }
}
