//! The interface between the script runner and the TCP implementation under
//! test.
//!
//! The runner owns time, sequence-number remapping and matching; a
//! [`Stack`] owns sockets and connections. A stack sees absolute sequence
//! numbers and absolute virtual time in microseconds, and speaks in the
//! socket calls of [`Call`]. [`super::host::NetspecHost`] implements it over
//! netspec's own TCP state machine.

use alloc::string::String;
use alloc::vec::Vec;

use super::ast::TcpOpt;

/// A TCP segment as the runner and a stack exchange it: absolute numbers,
/// options as a list, the payload by length only (the suite never checks
/// payload bytes).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Segment {
    /// Flag bits (see [`super::ast::flag`]).
    pub flags: u8,
    /// SEG.SEQ.
    pub seq: u32,
    /// SEG.ACK (meaningful when the ACK flag is set).
    pub ack: u32,
    /// SEG.WND as on the wire (unscaled).
    pub win: u16,
    /// SEG.UP.
    pub urg: u16,
    /// The options, in wire order, with absolute sequence numbers in SACK
    /// blocks.
    pub options: Vec<TcpOpt>,
    /// SEG.LEN without SYN and FIN: the payload length.
    pub payload_len: usize,
}

/// A socket call, decoded from a script's system call line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// `socket(..., SOCK_STREAM, IPPROTO_TCP)`.
    Socket,
    /// `bind(fd, ..., ...)` to the script's local address.
    Bind(i64),
    /// `listen(fd, backlog)`: RFC 9293 §3.10.1 passive OPEN.
    Listen(i64, i64),
    /// `accept(fd, ..., ...)`.
    Accept(i64),
    /// `connect(fd, ..., ...)` to the script's remote endpoint: RFC 9293
    /// §3.10.1 active OPEN.
    Connect(i64),
    /// `close(fd)`: RFC 9293 §3.10.4 CLOSE.
    Close(i64),
    /// `shutdown(fd, how)` with `SHUT_RD` (0), `SHUT_WR` (1), `SHUT_RDWR`
    /// (2).
    Shutdown(i64, i64),
    /// `read`/`recv`: RFC 9293 §3.10.3 RECEIVE of up to `len` bytes; `peek`
    /// leaves the data queued (`MSG_PEEK`).
    Recv {
        /// The socket.
        fd: i64,
        /// The buffer length.
        len: usize,
        /// `MSG_PEEK`.
        peek: bool,
    },
    /// `write`/`send`: RFC 9293 §3.10.2 SEND of `len` bytes.
    Send {
        /// The socket.
        fd: i64,
        /// The number of bytes.
        len: usize,
    },
    /// `setsockopt(fd, level, name, [value], len)`.
    SetSockOpt {
        /// The socket.
        fd: i64,
        /// The option's symbolic name (`SO_REUSEADDR`, `TCP_NOOPT`, ...).
        name: String,
        /// The integer value.
        value: i64,
    },
    /// `getsockopt(fd, level, name, [value], [len])`.
    GetSockOpt {
        /// The socket.
        fd: i64,
        /// The option's symbolic name (`SO_ERROR`, `SO_RCVBUF`, ...).
        name: String,
    },
    /// `fcntl(fd, F_GETFL)`.
    GetFlags(i64),
    /// `fcntl(fd, F_SETFL, flags)`.
    SetFlags(i64, i64),
}

/// The errno values the suite names, with FreeBSD's numbers (FreeBSD
/// `sys/errno.h`), since the scripts were written against FreeBSD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Errno {
    /// EBADF (9): not an open socket.
    Badf,
    /// EINVAL (22): invalid argument or state.
    Inval,
    /// EPIPE (32): writing after the send side closed.
    Pipe,
    /// EWOULDBLOCK / EAGAIN (35): a non-blocking call would block.
    WouldBlock,
    /// EINPROGRESS (36): a non-blocking connect has started.
    InProgress,
    /// EALREADY (37): a connect is already in progress.
    Already,
    /// EOPNOTSUPP (45): the operation does not apply to this socket.
    OpNotSupp,
    /// ECONNABORTED (53): the connection was aborted locally.
    ConnAborted,
    /// ECONNRESET (54): the peer reset the connection.
    ConnReset,
    /// EISCONN (56): already connected.
    IsConn,
    /// ENOTCONN (57): not connected.
    NotConn,
    /// ETIMEDOUT (60): the connection timed out.
    TimedOut,
    /// ECONNREFUSED (61): the peer refused the connection.
    ConnRefused,
}

impl Errno {
    /// Every errno the interpreter knows.
    pub const ALL: [Errno; 13] = [
        Errno::Badf,
        Errno::Inval,
        Errno::Pipe,
        Errno::WouldBlock,
        Errno::InProgress,
        Errno::Already,
        Errno::OpNotSupp,
        Errno::ConnAborted,
        Errno::ConnReset,
        Errno::IsConn,
        Errno::NotConn,
        Errno::TimedOut,
        Errno::ConnRefused,
    ];

    /// The symbolic name, as scripts write it.
    pub const fn name(self) -> &'static str {
        match self {
            Errno::Badf => "EBADF",
            Errno::Inval => "EINVAL",
            Errno::Pipe => "EPIPE",
            Errno::WouldBlock => "EWOULDBLOCK",
            Errno::InProgress => "EINPROGRESS",
            Errno::Already => "EALREADY",
            Errno::OpNotSupp => "EOPNOTSUPP",
            Errno::ConnAborted => "ECONNABORTED",
            Errno::ConnReset => "ECONNRESET",
            Errno::IsConn => "EISCONN",
            Errno::NotConn => "ENOTCONN",
            Errno::TimedOut => "ETIMEDOUT",
            Errno::ConnRefused => "ECONNREFUSED",
        }
    }

    /// FreeBSD's number for it.
    pub const fn code(self) -> i64 {
        match self {
            Errno::Badf => 9,
            Errno::Inval => 22,
            Errno::Pipe => 32,
            Errno::WouldBlock => 35,
            Errno::InProgress => 36,
            Errno::Already => 37,
            Errno::OpNotSupp => 45,
            Errno::ConnAborted => 53,
            Errno::ConnReset => 54,
            Errno::IsConn => 56,
            Errno::NotConn => 57,
            Errno::TimedOut => 60,
            Errno::ConnRefused => 61,
        }
    }

    /// Looks a symbolic name up (`EAGAIN` is FreeBSD's alias of
    /// `EWOULDBLOCK`).
    pub fn from_name(name: &str) -> Option<Errno> {
        if name == "EAGAIN" {
            return Some(Errno::WouldBlock);
        }
        Errno::ALL.into_iter().find(|e| e.name() == name)
    }
}

/// The result of a [`Call`]: the return value or the errno, and for
/// `getsockopt` the value written through the pointer argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallResult {
    /// `Ok(return value)` or `Err(errno)` (the call returned -1).
    pub ret: Result<i64, Errno>,
    /// The option value a successful `getsockopt` wrote.
    pub value: Option<i64>,
}

impl CallResult {
    /// A call that returned `v`.
    pub const fn ok(v: i64) -> CallResult {
        CallResult {
            ret: Ok(v),
            value: None,
        }
    }

    /// A call that failed with `e`.
    pub const fn err(e: Errno) -> CallResult {
        CallResult {
            ret: Err(e),
            value: None,
        }
    }
}

/// A TCP implementation driven by the script runner.
///
/// Times are microseconds of virtual time since the script started; the
/// runner never moves time backwards. Every `Err(String)` names a construct
/// the stack does not support, which makes the script UNSUPPORTED.
pub trait Stack {
    /// A `--name=value` script option other than the runner's own
    /// (`tolerance_usecs`), e.g. `ip_version` or `mtu`.
    fn script_option(&mut self, name: &str, value: &str) -> Result<(), String>;
    /// `sysctl -w name=value`.
    fn sysctl(&mut self, name: &str, value: &str) -> Result<(), String>;
    /// Performs a socket call at time `now`; `Ok(None)` means the call
    /// blocks (a blocking socket with nothing to return yet).
    fn call(&mut self, now: u64, call: &Call) -> Result<Option<CallResult>, String>;
    /// Whether a call that blocked can now return, and what.
    fn resume(&mut self, now: u64, call: &Call) -> Option<CallResult>;
    /// Delivers a segment from the scripted peer.
    fn inbound(&mut self, now: u64, segment: &Segment);
    /// The next segment the stack sends, if any.
    fn poll_transmit(&mut self, now: u64) -> Option<Segment>;
    /// The earliest pending timer, if any.
    fn poll_timeout(&self) -> Option<u64>;
    /// Runs the timers due at `now`.
    fn on_timeout(&mut self, now: u64);
    /// How many connections are in the state named as FreeBSD's `sockstat`
    /// prints it (`SYN_RCVD`, `TIME_WAIT`, `CLOSED`, ...).
    fn count_in_state(&self, state: &str) -> usize;
    /// Drops every connection in the named state (`tcpdrop -s STATE`).
    fn drop_in_state(&mut self, now: u64, state: &str);
    /// The state of socket `fd`'s connection as Linux's `tcpi_state` names it
    /// (`TCPI_ESTABLISHED`, ...), for `%{ assert tcpi_state == ... }%`.
    fn tcpi_state(&self, fd: i64) -> Option<&'static str>;
}
