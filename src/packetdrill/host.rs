//! A [`Stack`] over netspec's own TCP state machine: the socket layer a
//! kernel would put around [`Connection`]s.
//!
//! The host has one local address and talks to one scripted remote
//! endpoint, as packetdrill does. It keeps
//!
//! * a file-descriptor table of sockets (numbered from 3, as in a fresh
//!   process): fresh, listening, or attached to a connection;
//! * the connections: each listening socket spawns a new [`Connection`] in
//!   LISTEN for every segment that reaches it and keeps the ones that got
//!   past LISTEN as its accept queue; an accepted or connected socket owns
//!   its connection, which lives on after `close` until it reaches CLOSED
//!   (FIN-WAIT, TIME-WAIT);
//! * the configuration: the [`Profile`]'s ([`Config::freebsd`], or the same
//!   with RFC 9293's segment processing) adjusted by the script's `sysctl`
//!   lines and options (see [`NetspecHost::sysctl_names`]).
//!
//! Inbound segments go to the newest connection that is past LISTEN and not
//! CLOSED (there is only one remote endpoint), else to a listening socket,
//! else to [`rst_for_closed`] (RFC 9293 §3.10.7.1).
//!
//! FreeBSD's socket-layer behaviours are reproduced at this layer: the
//! receive buffer is rounded up to a multiple of the MSS (FreeBSD's
//! `tcp_mss`), the window scale comes from `kern.ipc.maxsockbuf`, and
//! `SO_ERROR` reports an error once. Where FreeBSD's segment processing
//! departs from RFC 9293, the state machine has a `Config` knob for it,
//! which [`Profile::FreeBsd`] turns on.
//!
//! Calls on blocking sockets (no `O_NONBLOCK`) that cannot complete yet
//! block: [`Stack::call`] says so and [`Stack::resume`] completes them
//! later (a `connect` when the handshake ends or fails, RFC 9293 §3.10.1).

use alloc::collections::VecDeque;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::time::Duration;

use super::Profile;
use super::ast::TcpOpt;
use super::stack::{Call, CallResult, Errno, Segment, Stack};
use crate::tcp::{Config, Connection, ConnectionError, Instant, State, UserError, rst_for_closed};
use crate::transport::tcp::{SackBlocks, TcpFlags, TcpHeader, TcpOption, TcpOptions, TcpSegment};

/// The port the scripts `bind` and `listen` on (the suite's `sockstat -p
/// 8080` lines name it).
pub const LOCAL_PORT: u16 = 8080;
/// The local port of a `connect`ed socket that was not bound.
pub const EPHEMERAL_PORT: u16 = 49152;
/// The scripted peer's port.
pub const REMOTE_PORT: u16 = 34567;
/// The ISN of every connection the host opens, active or passive.
pub const LOCAL_ISN: u32 = 0x7FFF_FC00;

/// Largest `read`/`write` length honoured (bounds allocation by a script
/// value).
const MAX_IO: usize = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Fresh { bound: bool },
    Listening,
    Conn(u64),
}

#[derive(Debug, Clone)]
struct Socket {
    kind: Kind,
    nonblocking: bool,
    keepinit: Option<Duration>,
    nodelay: bool,
    noopt: bool,
}

struct Conn {
    id: u64,
    tcb: Connection,
    fd: Option<i64>,
    /// The listening socket it came from, until accepted.
    listener: Option<i64>,
    /// Whether `SO_ERROR` or a failed call already reported the error.
    error_reported: bool,
    /// Whether it ever processed the peer's SYN (FreeBSD rounds the
    /// receive buffer then).
    synchronized: bool,
}

/// netspec's TCP behind a packetdrill socket API; see the module docs.
pub struct NetspecHost {
    base: Config,
    recvspace: usize,
    ipv6: bool,
    mtu: Option<u32>,
    sockets: Vec<(i64, Socket)>,
    conns: Vec<Conn>,
    next_id: u64,
    /// Segments the host itself sends (resets for closed ports).
    out: VecDeque<Segment>,
    payload: Vec<u8>,
    /// Set by a call that blocks (its returned value is then meaningless).
    blocked: bool,
}

impl Default for NetspecHost {
    fn default() -> Self {
        Self::new()
    }
}

impl NetspecHost {
    /// A host with FreeBSD's defaults ([`Config::freebsd`]).
    pub fn new() -> Self {
        Self::with_profile(Profile::FreeBsd)
    }

    /// A host whose connections start from `profile`'s configuration.
    pub fn with_profile(profile: Profile) -> Self {
        let base = profile.config();
        NetspecHost {
            recvspace: base.recv_buffer,
            base,
            ipv6: false,
            mtu: None,
            sockets: Vec::new(),
            conns: Vec::new(),
            next_id: 0,
            out: VecDeque::new(),
            payload: vec![0; 65536 + 1024],
            blocked: false,
        }
    }

    /// The `sysctl` variables [`Stack::sysctl`] maps onto [`Config`].
    pub fn sysctl_names() -> &'static [&'static str] {
        &[
            "net.inet.tcp.insecure_rst",
            "net.inet.tcp.insecure_syn",
            "net.inet.tcp.rfc1323",
            "net.inet.tcp.sack.enable",
            "net.inet.tcp.recvspace",
            "net.inet.tcp.sendspace",
            "net.inet.tcp.delacktime",
            "net.inet.tcp.rexmit_initial",
            "net.inet.tcp.rexmit_slop",
            "net.inet.tcp.rexmit_drop_options",
            "net.inet.tcp.keepinit",
            "net.inet.tcp.blackhole",
            "net.inet.tcp.ecn.enable",
            "net.inet.tcp.ecn.maxretries",
            "net.inet.tcp.hostcache.purgenow",
            "kern.ipc.maxsockbuf",
        ]
    }

    /// The MSS of the interface: MTU minus the IP and TCP headers.
    fn local_mss(&self) -> u16 {
        let headers = if self.ipv6 { 60 } else { 40 };
        let mtu = self.mtu.unwrap_or(1500);
        u16::try_from(mtu.saturating_sub(headers)).unwrap_or(u16::MAX).max(1)
    }

    /// The configuration for a new connection of `sock`.
    fn config(&self, sock: &Socket) -> Config {
        let mut c = self.base.clone();
        c.mss = self.local_mss();
        // FreeBSD's tcp_mss() rounds the receive buffer up to a multiple of
        // the MSS once the connection is set up; the suite's window values
        // (65700 - queued bytes) depend on it.
        c.recv_buffer = self.recvspace.div_ceil(usize::from(c.mss)) * usize::from(c.mss);
        if let Some(t) = sock.keepinit {
            c.connect_timeout = Some(t);
        }
        if sock.nodelay {
            c.nagle = false;
        }
        if sock.noopt {
            // FreeBSD's TCP_NOOPT: no options in the SYN, so none are used.
            c.syn_without_options = true;
            c.window_scaling = false;
            c.timestamps = false;
            c.sack = false;
        }
        c
    }

    /// POSIX hands out the lowest free descriptor; 0 to 2 are stdio.
    fn lowest_free_fd(&self) -> i64 {
        (3..).find(|f| self.sockets.iter().all(|(g, _)| g != f)).unwrap_or(3)
    }

    fn socket(&mut self, fd: i64) -> Option<&mut Socket> {
        self.sockets.iter_mut().find(|(f, _)| *f == fd).map(|(_, s)| s)
    }

    fn conn_index(&self, id: u64) -> Option<usize> {
        self.conns.iter().position(|c| c.id == id)
    }

    fn conn_of(&mut self, fd: i64) -> Result<&mut Conn, Errno> {
        let kind = self.socket(fd).map(|s| s.kind).ok_or(Errno::Badf)?;
        let Kind::Conn(id) = kind else {
            return Err(Errno::NotConn);
        };
        let i = self.conn_index(id).ok_or(Errno::NotConn)?;
        Ok(&mut self.conns[i])
    }

    fn new_conn(&mut self, tcb: Connection, fd: Option<i64>, listener: Option<i64>) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        self.conns.push(Conn {
            id,
            tcb,
            fd,
            listener,
            error_reported: false,
            synchronized: false,
        });
        id
    }

    /// Forgets connections nobody can reach any more: CLOSED (or returned
    /// to LISTEN) with no socket, and nothing left to send.
    fn collect_garbage(&mut self) {
        self.conns
            .retain(|c| c.fd.is_some() || !matches!(c.tcb.state(), State::Closed | State::Listen));
    }

    fn note_states(&mut self) {
        for c in &mut self.conns {
            // FreeBSD sizes the buffer when it processes the peer's SYN
            // (tcp_mss), so from SYN-RECEIVED on.
            c.synchronized |= !matches!(c.tcb.state(), State::Closed | State::Listen | State::SynSent);
        }
    }

    fn call_inner(&mut self, now: Instant, call: &Call) -> Result<CallResult, String> {
        let r = |e: Errno| Ok(CallResult::err(e));
        match *call {
            Call::Socket => {
                let fd = self.lowest_free_fd();
                let sock = Socket {
                    kind: Kind::Fresh { bound: false },
                    nonblocking: false,
                    keepinit: None,
                    nodelay: false,
                    noopt: false,
                };
                self.sockets.push((fd, sock));
                Ok(CallResult::ok(fd))
            }
            Call::Bind(fd) => match self.socket(fd) {
                Some(
                    s @ Socket {
                        kind: Kind::Fresh { .. },
                        ..
                    },
                ) => {
                    s.kind = Kind::Fresh { bound: true };
                    Ok(CallResult::ok(0))
                }
                Some(_) => r(Errno::Inval),
                None => r(Errno::Badf),
            },
            Call::Listen(fd, _backlog) => match self.socket(fd) {
                Some(
                    s @ Socket {
                        kind: Kind::Fresh { .. } | Kind::Listening,
                        ..
                    },
                ) => {
                    s.kind = Kind::Listening;
                    Ok(CallResult::ok(0))
                }
                Some(_) => r(Errno::Inval),
                None => r(Errno::Badf),
            },
            Call::Accept(fd) => {
                let Some(sock) = self.socket(fd).cloned() else {
                    return r(Errno::Badf);
                };
                if sock.kind != Kind::Listening {
                    return r(Errno::Inval);
                }
                let ready = self.conns.iter().position(|c| {
                    c.listener == Some(fd)
                        && c.fd.is_none()
                        && !matches!(c.tcb.state(), State::Listen | State::SynReceived | State::Closed)
                });
                let Some(i) = ready else {
                    return if sock.nonblocking {
                        r(Errno::WouldBlock)
                    } else {
                        self.block()
                    };
                };
                let new_fd = self.lowest_free_fd();
                let id = self.conns[i].id;
                self.conns[i].fd = Some(new_fd);
                self.conns[i].listener = None;
                self.sockets.push((
                    new_fd,
                    Socket {
                        kind: Kind::Conn(id),
                        ..sock
                    },
                ));
                Ok(CallResult::ok(new_fd))
            }
            Call::Connect(fd) => {
                let Some(sock) = self.socket(fd).cloned() else {
                    return r(Errno::Badf);
                };
                let bound = match sock.kind {
                    Kind::Fresh { bound } => bound,
                    Kind::Listening => return r(Errno::OpNotSupp),
                    Kind::Conn(_) => return r(Errno::IsConn),
                };
                let port = if bound { LOCAL_PORT } else { EPHEMERAL_PORT };
                let mut tcb = Connection::new(self.config(&sock), port);
                tcb.connect(now, REMOTE_PORT, LOCAL_ISN)
                    .map_err(|e| format!("connect refused by the TCB: {e}"))?;
                let id = self.new_conn(tcb, Some(fd), None);
                if let Some(s) = self.socket(fd) {
                    s.kind = Kind::Conn(id);
                }
                if sock.nonblocking {
                    r(Errno::InProgress)
                } else {
                    self.block()
                }
            }
            Call::Close(fd) => {
                let Some(i) = self.sockets.iter().position(|(f, _)| *f == fd) else {
                    return r(Errno::Badf);
                };
                let (_, sock) = self.sockets.remove(i);
                match sock.kind {
                    Kind::Fresh { .. } => {}
                    Kind::Listening => {
                        // Connections not yet accepted go with the listener:
                        // half-open ones silently (they were never visible
                        // to the user), established ones with a reset
                        // (RFC 9293 §3.10.5 ABORT).
                        self.conns
                            .retain(|c| c.listener != Some(fd) || c.tcb.state() != State::SynReceived);
                        for c in self.conns.iter_mut().filter(|c| c.listener == Some(fd)) {
                            c.tcb.abort(now);
                            c.listener = None;
                        }
                    }
                    Kind::Conn(id) => {
                        if let Some(i) = self.conn_index(id) {
                            self.conns[i].tcb.close(now);
                            self.conns[i].fd = None;
                        }
                    }
                }
                Ok(CallResult::ok(0))
            }
            Call::Shutdown(fd, how) => {
                if how != 1 {
                    return Err(format!("shutdown how={how} (only SHUT_WR)"));
                }
                match self.conn_of(fd) {
                    Ok(c) => {
                        c.tcb.shutdown_write(now);
                        Ok(CallResult::ok(0))
                    }
                    Err(e) => r(e),
                }
            }
            Call::Recv { fd, len, peek } => self.recv(fd, len.min(MAX_IO), peek),
            Call::Send { fd, len } => {
                let nonblocking = self.socket(fd).is_some_and(|s| s.nonblocking);
                let data = vec![0u8; len.min(MAX_IO)];
                let c = match self.conn_of(fd) {
                    Ok(c) => c,
                    Err(e) => return r(e),
                };
                match c.tcb.send(&data) {
                    Ok(n) => Ok(CallResult::ok(n as i64)),
                    Err(UserError::WouldBlock) if nonblocking => r(Errno::WouldBlock),
                    Err(UserError::WouldBlock) => self.block(),
                    Err(e) => r(user_errno(c, e, Errno::Pipe)),
                }
            }
            Call::SetSockOpt { fd, ref name, value } => {
                let Some(sock) = self.socket(fd) else {
                    return r(Errno::Badf);
                };
                match name.as_str() {
                    "SO_REUSEADDR" | "SO_REUSEPORT" => {}
                    "TCP_NODELAY" => sock.nodelay = value != 0,
                    "TCP_KEEPINIT" if !matches!(sock.kind, Kind::Conn(_)) => {
                        sock.keepinit = Some(Duration::from_secs(value.max(0) as u64));
                    }
                    "TCP_NOOPT" => sock.noopt = value != 0,
                    other => return Err(format!("setsockopt {other}")),
                }
                Ok(CallResult::ok(0))
            }
            Call::GetSockOpt { fd, ref name } => {
                let recvspace = self.recvspace;
                let sendspace = self.base.send_buffer;
                let Some(kind) = self.socket(fd).map(|s| s.kind) else {
                    return r(Errno::Badf);
                };
                let conn = match kind {
                    Kind::Conn(id) => self.conn_index(id),
                    _ => None,
                };
                let value = match (name.as_str(), conn) {
                    ("SO_ERROR", Some(i)) => {
                        let c = &mut self.conns[i];
                        match c.tcb.error() {
                            Some(e) if !c.error_reported => {
                                c.error_reported = true;
                                conn_errno(e).code()
                            }
                            _ => 0,
                        }
                    }
                    ("SO_ERROR", None) => 0,
                    ("SO_RCVBUF", Some(i)) if self.conns[i].synchronized => {
                        self.conns[i].tcb.config().recv_buffer as i64
                    }
                    ("SO_RCVBUF", _) => recvspace as i64,
                    ("SO_SNDBUF", _) => sendspace as i64,
                    (other, _) => return Err(format!("getsockopt {other}")),
                };
                Ok(CallResult {
                    ret: Ok(0),
                    value: Some(value),
                })
            }
            Call::GetFlags(fd) => match self.socket(fd) {
                Some(s) => Ok(CallResult::ok(2 | if s.nonblocking { 4 } else { 0 })),
                None => r(Errno::Badf),
            },
            Call::SetFlags(fd, flags) => match self.socket(fd) {
                Some(s) => {
                    s.nonblocking = flags & 4 != 0;
                    Ok(CallResult::ok(0))
                }
                None => r(Errno::Badf),
            },
        }
    }

    fn recv(&mut self, fd: i64, len: usize, peek: bool) -> Result<CallResult, String> {
        let nonblocking = self.socket(fd).is_some_and(|s| s.nonblocking);
        let mut buf = vec![0u8; len];
        let c = match self.conn_of(fd) {
            Ok(c) => c,
            Err(e) => return Ok(CallResult::err(e)),
        };
        if peek {
            let n = c.tcb.peek(&mut buf);
            if n > 0 || len == 0 {
                return Ok(CallResult::ok(n as i64));
            }
        }
        // With nothing queued a RECEIVE consumes nothing, so it also
        // answers a peek: end of stream, an error, or "would block".
        match c.tcb.recv(&mut buf) {
            Ok(n) => Ok(CallResult::ok(n as i64)),
            Err(UserError::WouldBlock) if nonblocking => Ok(CallResult::err(Errno::WouldBlock)),
            Err(UserError::WouldBlock) => self.block(),
            Err(e) => Ok(match user_errno(c, e, Errno::NotConn) {
                // Once reported, a failed connection reads as end of stream
                // (FreeBSD clears so_error when it returns it).
                Errno::NotConn if c.error_reported => CallResult::ok(0),
                e => CallResult::err(e),
            }),
        }
    }

    /// Marks the current call as blocked.
    fn block(&mut self) -> Result<CallResult, String> {
        self.blocked = true;
        Ok(CallResult::err(Errno::WouldBlock))
    }

    /// The connection an inbound segment belongs to.
    fn route(&self) -> Option<usize> {
        self.conns
            .iter()
            .rposition(|c| !matches!(c.tcb.state(), State::Closed | State::Listen))
    }
}

/// errno for a failed connection (FreeBSD's choices, RFC 9293 §3.9 names).
fn conn_errno(e: ConnectionError) -> Errno {
    match e {
        ConnectionError::Refused => Errno::ConnRefused,
        ConnectionError::Reset => Errno::ConnReset,
        ConnectionError::TimedOut => Errno::TimedOut,
        ConnectionError::Aborted => Errno::ConnAborted,
    }
}

/// errno for a refused user call; a connection error is reported once.
fn user_errno(c: &mut Conn, e: UserError, closing: Errno) -> Errno {
    match e {
        UserError::Failed(err) if !c.error_reported => {
            c.error_reported = true;
            conn_errno(err)
        }
        UserError::Failed(_) | UserError::NotConnected => Errno::NotConn,
        UserError::AlreadyOpen => Errno::IsConn,
        UserError::Closing => closing,
        UserError::WouldBlock => Errno::WouldBlock,
    }
}

/// The flags of [`super::ast::flag`] as wire flags (same bit positions).
fn wire_flags(flags: u8) -> TcpFlags {
    TcpFlags::from_bits_retain(u16::from(flags))
}

fn to_wire_option(o: &TcpOpt) -> Option<TcpOption<'static>> {
    Some(match o {
        TcpOpt::Eol => TcpOption::Eol,
        TcpOpt::Nop => TcpOption::Nop,
        TcpOpt::Mss(m) => TcpOption::Mss(*m),
        TcpOpt::WindowScale(s) => TcpOption::WindowScale(*s),
        TcpOpt::SackPermitted => TcpOption::SackPermitted,
        TcpOpt::Sack(b) => TcpOption::Sack(SackBlocks::new(b)?),
        TcpOpt::Timestamp { val, ecr } => TcpOption::Timestamps { val: *val, ecr: *ecr },
        TcpOpt::Unknown(_) => return None,
    })
}

fn from_wire_option(o: TcpOption<'_>) -> TcpOpt {
    match o {
        TcpOption::Eol => TcpOpt::Eol,
        TcpOption::Nop => TcpOpt::Nop,
        TcpOption::Mss(m) => TcpOpt::Mss(m),
        TcpOption::WindowScale(s) => TcpOpt::WindowScale(s),
        TcpOption::SackPermitted => TcpOpt::SackPermitted,
        TcpOption::Sack(b) => TcpOpt::Sack(b.as_slice().to_vec()),
        TcpOption::Timestamps { val, ecr } => TcpOpt::Timestamp { val, ecr },
        other => TcpOpt::Unknown(other.kind().0),
    }
}

/// A sent header as the runner sees it; the options include the EOL
/// padding the header carries on the wire.
fn from_header(h: &TcpHeader, payload_len: usize) -> Segment {
    let options = match TcpOptions::from_bytes(h.options.padded_bytes()) {
        Ok(padded) => padded.iter().map(from_wire_option).collect(),
        Err(_) => h.options.iter().map(from_wire_option).collect(),
    };
    Segment {
        flags: (h.flags.bits() & 0xff) as u8,
        seq: h.seq,
        ack: h.ack,
        win: h.window,
        urg: h.urgent_ptr,
        options,
        payload_len,
    }
}

impl Stack for NetspecHost {
    fn script_option(&mut self, name: &str, value: &str) -> Result<(), String> {
        match (name, value) {
            ("ip_version", "ipv4") => self.ipv6 = false,
            ("ip_version", "ipv6") => self.ipv6 = true,
            ("mtu", v) => self.mtu = Some(v.parse().map_err(|_| format!("--mtu={v}"))?),
            _ => return Err(format!("script option --{name}={value}")),
        }
        Ok(())
    }

    fn sysctl(&mut self, name: &str, value: &str) -> Result<(), String> {
        let v: u64 = value.parse().map_err(|_| format!("sysctl {name}={value}"))?;
        let ms = Duration::from_millis(v);
        let c = &mut self.base;
        match name {
            "net.inet.tcp.insecure_rst" => c.rfc5961_rst = v == 0,
            "net.inet.tcp.insecure_syn" => c.rfc5961_syn = v == 0,
            "net.inet.tcp.rfc1323" => {
                c.window_scaling = v != 0;
                c.timestamps = v != 0;
            }
            "net.inet.tcp.sack.enable" => c.sack = v != 0,
            "net.inet.tcp.recvspace" => self.recvspace = v as usize,
            "net.inet.tcp.sendspace" => c.send_buffer = v as usize,
            "net.inet.tcp.delacktime" => c.delayed_ack = Some(ms),
            "net.inet.tcp.rexmit_initial" => c.initial_rto = ms,
            "net.inet.tcp.keepinit" => c.connect_timeout = Some(ms),
            "net.inet.tcp.blackhole" => c.blackhole = v != 0,
            "net.inet.tcp.rexmit_slop" => c.rto_slop = ms,
            // FreeBSD drops the options from the third SYN retransmission.
            "net.inet.tcp.rexmit_drop_options" => c.syn_drop_options_after = (v != 0).then_some(3),
            // 2: answer ECN only when the peer asks (it never does in these
            // scripts, and netspec never asks); 0: off.
            "net.inet.tcp.ecn.enable" if v != 1 => {}
            "net.inet.tcp.ecn.maxretries" => {}
            "net.inet.tcp.hostcache.purgenow" => {}
            "kern.ipc.maxsockbuf" => {
                // FreeBSD: the smallest shift with TCP_MAXWIN << shift >= sb_max.
                let mut shift = 0u8;
                while shift < 14 && (65535u64 << shift) < v {
                    shift += 1;
                }
                c.window_shift = Some(shift);
            }
            "net.inet.tcp.ecn.enable" => return Err("ECN (net.inet.tcp.ecn.enable=1)".into()),
            _ => return Err(format!("sysctl {name}={value}")),
        }
        Ok(())
    }

    fn call(&mut self, now: u64, call: &Call) -> Result<Option<CallResult>, String> {
        self.blocked = false;
        let r = self.call_inner(Instant::from_micros(now), call);
        self.note_states();
        let r = r?;
        Ok((!core::mem::take(&mut self.blocked)).then_some(r))
    }

    fn resume(&mut self, now: u64, call: &Call) -> Option<CallResult> {
        match *call {
            // A blocking connect returns once the handshake is done or
            // failed (RFC 9293 §3.10.1 OPEN, §3.9 error reporting).
            Call::Connect(fd) => {
                let c = self.conn_of(fd).ok()?;
                if let Some(e) = c.tcb.error() {
                    c.error_reported = true;
                    return Some(CallResult::err(conn_errno(e)));
                }
                c.tcb.state().is_synchronized().then_some(CallResult::ok(0))
            }
            // The others return once they would not block.
            _ => self.call(now, call).ok().flatten(),
        }
    }

    fn inbound(&mut self, now: u64, seg: &Segment) {
        let now = Instant::from_micros(now);
        let target = self.route();
        let dst_port = target.map_or(LOCAL_PORT, |i| self.conns[i].tcb.local_port());
        let mut h = TcpHeader::new(REMOTE_PORT, dst_port);
        h.seq = seg.seq;
        h.ack = seg.ack;
        h.flags = wire_flags(seg.flags);
        h.window = seg.win;
        h.urgent_ptr = seg.urg;
        for o in &seg.options {
            if let Some(w) = to_wire_option(o) {
                // A script's options always fit; one that did not would
                // simply be left out.
                let _ = h.options.push(w);
            }
        }
        let mut wire = vec![0u8; h.header_len() + seg.payload_len.min(MAX_IO)];
        let Ok(n) = h.emit(&mut wire) else { return };
        let Ok(view) = TcpSegment::parse(&wire) else { return };
        debug_assert_eq!(n, view.header_len());
        if let Some(i) = target {
            self.conns[i].tcb.on_segment(now, &view);
        } else if let Some(lfd) = self
            .sockets
            .iter()
            .find(|(_, s)| s.kind == Kind::Listening)
            .map(|(f, _)| *f)
        {
            let sock = self.sockets.iter().find(|(f, _)| *f == lfd).map(|(_, s)| s.clone());
            let cfg = sock.map(|s| self.config(&s)).unwrap_or_else(|| self.base.clone());
            let mut tcb = Connection::new(cfg, LOCAL_PORT);
            // A fresh TCB is in CLOSED, so LISTEN cannot fail.
            let _ = tcb.listen();
            tcb.accept_isn(LOCAL_ISN);
            tcb.on_segment(now, &view);
            self.new_conn(tcb, None, Some(lfd));
        } else if !self.base.blackhole {
            if let Some(rst) = rst_for_closed(&view) {
                self.out.push_back(from_header(&rst, 0));
            }
        }
        self.note_states();
    }

    fn poll_transmit(&mut self, now: u64) -> Option<Segment> {
        if let Some(s) = self.out.pop_front() {
            return Some(s);
        }
        let now = Instant::from_micros(now);
        for c in &mut self.conns {
            if let Some(t) = c.tcb.poll_transmit(now, &mut self.payload) {
                let seg = from_header(&t.header, t.payload_len);
                self.note_states();
                return Some(seg);
            }
        }
        self.collect_garbage();
        None
    }

    fn poll_timeout(&self) -> Option<u64> {
        self.conns
            .iter()
            .filter_map(|c| c.tcb.poll_timeout())
            .map(Instant::as_micros)
            .min()
    }

    fn on_timeout(&mut self, now: u64) {
        let now = Instant::from_micros(now);
        for c in &mut self.conns {
            if c.tcb.poll_timeout().is_some_and(|t| t <= now) {
                c.tcb.on_timeout(now);
            }
        }
        self.note_states();
    }

    fn count_in_state(&self, state: &str) -> usize {
        if state == "CLOSED" {
            return self
                .sockets
                .iter()
                .filter(|(_, s)| match s.kind {
                    Kind::Fresh { .. } => true,
                    Kind::Listening => false,
                    Kind::Conn(id) => self.conns.iter().any(|c| c.id == id && c.tcb.state() == State::Closed),
                })
                .count();
        }
        if state == "LISTEN" {
            return self.sockets.iter().filter(|(_, s)| s.kind == Kind::Listening).count();
        }
        self.conns
            .iter()
            .filter(|c| sockstat_name(c.tcb.state()) == state)
            .count()
    }

    fn drop_in_state(&mut self, now: u64, state: &str) {
        let now = Instant::from_micros(now);
        for c in self.conns.iter_mut().filter(|c| sockstat_name(c.tcb.state()) == state) {
            c.tcb.abort(now);
        }
    }

    fn tcpi_state(&self, fd: i64) -> Option<&'static str> {
        let kind = self.sockets.iter().find(|(f, _)| *f == fd)?.1.kind;
        Some(match kind {
            Kind::Fresh { .. } => "TCPI_CLOSED",
            Kind::Listening => "TCPI_LISTEN",
            Kind::Conn(id) => tcpi_name(self.conns.iter().find(|c| c.id == id)?.tcb.state()),
        })
    }
}

/// The state as FreeBSD's `sockstat -s` prints it.
fn sockstat_name(s: State) -> &'static str {
    match s {
        State::Closed => "CLOSED",
        State::Listen => "LISTEN",
        State::SynSent => "SYN_SENT",
        State::SynReceived => "SYN_RCVD",
        State::Established => "ESTABLISHED",
        State::FinWait1 => "FIN_WAIT_1",
        State::FinWait2 => "FIN_WAIT_2",
        State::CloseWait => "CLOSE_WAIT",
        State::Closing => "CLOSING",
        State::LastAck => "LAST_ACK",
        State::TimeWait => "TIME_WAIT",
    }
}

/// The state as packetdrill's `tcpi_state` names it.
fn tcpi_name(s: State) -> &'static str {
    match s {
        State::Closed => "TCPI_CLOSED",
        State::Listen => "TCPI_LISTEN",
        State::SynSent => "TCPI_SYN_SENT",
        State::SynReceived => "TCPI_SYN_RECEIVED",
        State::Established => "TCPI_ESTABLISHED",
        State::FinWait1 => "TCPI_FIN_WAIT_1",
        State::FinWait2 => "TCPI_FIN_WAIT_2",
        State::CloseWait => "TCPI_CLOSE_WAIT",
        State::Closing => "TCPI_CLOSING",
        State::LastAck => "TCPI_LAST_ACK",
        State::TimeWait => "TCPI_TIME_WAIT",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packetdrill::ast::flag;

    fn call(h: &mut NetspecHost, now: u64, c: Call) -> CallResult {
        h.call(now, &c).unwrap().expect("the call returns")
    }

    fn syn(seq: u32) -> Segment {
        Segment {
            flags: flag::SYN,
            seq,
            win: 32767,
            options: vec![TcpOpt::Mss(1460), TcpOpt::SackPermitted, TcpOpt::Eol, TcpOpt::Eol],
            ..Segment::default()
        }
    }

    #[test]
    fn sysctls_map_onto_the_config() {
        let mut h = NetspecHost::new();
        for (name, v, shift) in [
            ("kern.ipc.maxsockbuf", "2097152", 6),
            ("kern.ipc.maxsockbuf", "73728", 1),
        ] {
            h.sysctl(name, v).unwrap();
            assert_eq!(h.base.window_shift, Some(shift));
        }
        h.sysctl("kern.ipc.maxsockbuf", "4294967295").unwrap();
        assert_eq!(h.base.window_shift, Some(14));
        h.sysctl("net.inet.tcp.insecure_rst", "1").unwrap();
        h.sysctl("net.inet.tcp.insecure_syn", "0").unwrap();
        assert!(!h.base.rfc5961_rst && h.base.rfc5961_syn);
        h.sysctl("net.inet.tcp.delacktime", "40").unwrap();
        assert_eq!(h.base.delayed_ack, Some(Duration::from_millis(40)));
        assert!(h.sysctl("net.inet.tcp.ecn.enable", "1").is_err());
        assert!(h.sysctl("net.inet.tcp.ecn.enable", "2").is_ok());
        assert!(h.sysctl("net.inet.tcp.no_such_thing", "1").is_err());
        assert!(h.sysctl("net.inet.tcp.recvspace", "lots").is_err());
        for name in NetspecHost::sysctl_names() {
            assert!(
                h.sysctl(name, "0").is_ok() || *name == "net.inet.tcp.rexmit_slop",
                "{name}"
            );
        }
    }

    #[test]
    fn closed_port_answers_with_reset() {
        let mut h = NetspecHost::new();
        assert_eq!(call(&mut h, 0, Call::Socket).ret, Ok(3));
        assert_eq!(call(&mut h, 0, Call::Bind(3)).ret, Ok(0));
        let seg = Segment {
            flags: flag::ACK,
            seq: 17,
            ack: 34,
            win: 32767,
            payload_len: 3,
            ..Segment::default()
        };
        h.inbound(0, &seg);
        let rst = h.poll_transmit(0).unwrap();
        assert_eq!((rst.flags, rst.seq), (flag::RST, 34));
        assert_eq!(h.poll_transmit(0), None);
        h.sysctl("net.inet.tcp.blackhole", "2").unwrap();
        h.inbound(0, &seg);
        assert_eq!(h.poll_transmit(0), None);
    }

    #[test]
    fn listener_accepts_after_the_handshake() {
        let mut h = NetspecHost::new();
        call(&mut h, 0, Call::Socket);
        call(&mut h, 0, Call::Bind(3));
        call(&mut h, 0, Call::Listen(3, 1));
        call(&mut h, 0, Call::SetFlags(3, 4));
        assert_eq!(call(&mut h, 0, Call::Accept(3)).ret, Err(Errno::WouldBlock));
        h.inbound(0, &syn(1000));
        let synack = h.poll_transmit(0).unwrap();
        assert_eq!(
            (synack.flags, synack.seq, synack.ack),
            (flag::SYN | flag::ACK, LOCAL_ISN, 1001)
        );
        assert_eq!(h.count_in_state("SYN_RCVD"), 1);
        assert_eq!(call(&mut h, 0, Call::Accept(3)).ret, Err(Errno::WouldBlock));
        let ack = Segment {
            flags: flag::ACK,
            seq: 1001,
            ack: LOCAL_ISN + 1,
            win: 32767,
            ..Segment::default()
        };
        h.inbound(10, &ack);
        assert_eq!(call(&mut h, 10, Call::Accept(3)).ret, Ok(4));
        assert_eq!(h.tcpi_state(4), Some("TCPI_ESTABLISHED"));
        assert_eq!(h.tcpi_state(3), Some("TCPI_LISTEN"));
        // The accepted socket's buffer is rounded up to whole segments.
        let rcvbuf = call(
            &mut h,
            10,
            Call::GetSockOpt {
                fd: 4,
                name: "SO_RCVBUF".into(),
            },
        );
        assert_eq!(rcvbuf.value, Some(65700));
        let rcvbuf = call(
            &mut h,
            10,
            Call::GetSockOpt {
                fd: 3,
                name: "SO_RCVBUF".into(),
            },
        );
        assert_eq!(rcvbuf.value, Some(65536));
    }

    #[test]
    fn reset_is_reported_once() {
        let mut h = NetspecHost::new();
        call(&mut h, 0, Call::Socket);
        call(&mut h, 0, Call::SetFlags(3, 6));
        assert_eq!(call(&mut h, 0, Call::GetFlags(3)).ret, Ok(6));
        assert_eq!(call(&mut h, 0, Call::Connect(3)).ret, Err(Errno::InProgress));
        let s = h.poll_transmit(0).unwrap();
        assert_eq!((s.flags, s.seq), (flag::SYN, LOCAL_ISN));
        let rst = Segment {
            flags: flag::RST | flag::ACK,
            seq: 0,
            ack: LOCAL_ISN + 1,
            ..Segment::default()
        };
        h.inbound(1000, &rst);
        let err = call(
            &mut h,
            1000,
            Call::GetSockOpt {
                fd: 3,
                name: "SO_ERROR".into(),
            },
        );
        assert_eq!(err.value, Some(Errno::ConnRefused.code()));
        let err = call(
            &mut h,
            1000,
            Call::GetSockOpt {
                fd: 3,
                name: "SO_ERROR".into(),
            },
        );
        assert_eq!(err.value, Some(0));
        assert_eq!(call(&mut h, 1000, Call::Close(3)).ret, Ok(0));
        assert_eq!(call(&mut h, 1000, Call::Close(3)).ret, Err(Errno::Badf));
    }

    #[test]
    fn blocking_connect_returns_when_established() {
        let mut h = NetspecHost::new();
        call(&mut h, 0, Call::Socket);
        assert_eq!(h.call(0, &Call::Connect(3)), Ok(None), "blocks");
        assert_eq!(h.resume(0, &Call::Connect(3)), None);
        let s = h.poll_transmit(0).unwrap();
        let synack = Segment {
            flags: flag::SYN | flag::ACK,
            seq: 5000,
            ack: s.seq.wrapping_add(1),
            win: 32767,
            options: vec![TcpOpt::Mss(1460)],
            ..Segment::default()
        };
        h.inbound(100, &synack);
        assert_eq!(h.resume(100, &Call::Connect(3)), Some(CallResult::ok(0)));
        // A blocking read with nothing queued blocks too.
        assert_eq!(
            h.call(
                100,
                &Call::Recv {
                    fd: 3,
                    len: 10,
                    peek: false
                }
            ),
            Ok(None)
        );
    }

    #[test]
    fn profiles_by_name() {
        assert_eq!(Profile::from_name("freebsd"), Some(Profile::FreeBsd));
        assert_eq!(Profile::from_name("rfc9293"), Some(Profile::Rfc9293));
        assert_eq!(Profile::from_name("linux"), None);
        assert_eq!(Profile::default(), Profile::FreeBsd);
        let (bsd, rfc) = (Profile::FreeBsd.config(), Profile::Rfc9293.config());
        assert!(bsd.stale_ack && !rfc.stale_ack);
        assert_eq!((bsd.recv_buffer, bsd.delayed_ack), (rfc.recv_buffer, rfc.delayed_ack));
        // A script that tells the profiles apart: a SYN,ACK to a listener.
        let script = "
0.00 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0.00 bind(3, ..., ...) = 0
+0.00 listen(3, 1) = 0
+0.00 < S. 0:0(0) ack 1 win 65535
+0.10 close(3) = 0
";
        let bsd = crate::packetdrill::run_text(script, crate::packetdrill::DEFINES, &mut NetspecHost::new());
        assert_eq!(bsd.label(), "PASS", "{bsd}");
        let mut host = NetspecHost::with_profile(Profile::Rfc9293);
        let rfc = crate::packetdrill::run_text(script, crate::packetdrill::DEFINES, &mut host);
        assert_eq!(rfc.label(), "FAIL", "{rfc}");
    }

    #[test]
    fn unsupported_calls_are_named() {
        let mut h = NetspecHost::new();
        call(&mut h, 0, Call::Socket);
        assert!(
            h.call(
                0,
                &Call::SetSockOpt {
                    fd: 3,
                    name: "SO_LINGER".into(),
                    value: 1
                }
            )
            .is_err()
        );
        assert!(
            h.call(
                0,
                &Call::SetSockOpt {
                    fd: 3,
                    name: "TCP_MAXSEG".into(),
                    value: 1
                }
            )
            .is_err()
        );
        assert!(
            h.call(
                0,
                &Call::GetSockOpt {
                    fd: 3,
                    name: "SO_LINGER".into()
                }
            )
            .is_err()
        );
        assert!(h.script_option("ip_version", "ipv5").is_err());
        assert!(h.script_option("mtu", "9000").is_ok());
        assert_eq!(h.local_mss(), 8960);
    }
}
