//! The script interpreter: virtual time, sequence-number remapping and
//! segment matching.
//!
//! ## Time
//!
//! `0.10` is 100 ms after the script started, `+0.10` is 100 ms after the
//! previous event's *scripted* time (so small delays never accumulate), and
//! after a `*` event the next relative time counts from when the segment was
//! actually sent. Before each event the stack's timers run up to the
//! event's time.
//!
//! ## Matching
//!
//! An outbound line must match the next segment the stack sends, and that
//! segment must be sent within `--tolerance_usecs` of the line's time. A
//! segment that no outbound line can match any more (it is older than the
//! current event's time minus the tolerance, or still queued when the script
//! ends) is an extra segment and fails the script.
//!
//! ## Sequence numbers
//!
//! Inbound numbers count from a fixed remote ISN of the runner's choosing;
//! outbound ones from the ISN of the stack's first SYN (from 0 before it
//! sent one, as in packetdrill). Scripted `TS ecr`
//! values in inbound segments are shifted by the offset between the first
//! TSval the stack sent and the value the script wrote for it.
//!
//! Options are compared as packetdrill does, layout included (NOP and EOL
//! padding, order, SACK blocks in order); a failure notes when only the
//! layout differs. Outbound TSval values are not compared, as packetdrill
//! does unless asked to (`--tcp_ts_tick_usecs`).

use alloc::collections::VecDeque;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::cell::Cell;

use super::ast::{Action, Event, Expr, PacketSpec, Script, Syscall, TcpOpt, Time, flag};
use super::calls::{call_fd, decode_call};
use super::stack::{Call, CallResult, Errno, Segment, Stack};
use super::{Failure, Verdict};

/// The remote endpoint's ISN. Chosen close to 2^32 so that the suite also
/// exercises sequence-number wrap-around (RFC 9293 §3.4).
pub const REMOTE_ISN: u32 = 0xFFFF_F000;

/// packetdrill's default `--tolerance_usecs`.
const DEFAULT_TOLERANCE: u64 = 4_000;

/// Bounds the work per event, so a stack whose timer never advances cannot
/// hang the runner.
const MAX_STEPS: usize = 100_000;

/// Runs a parsed script against `stack`.
pub fn run(script: &Script, stack: &mut dyn Stack) -> Verdict {
    run_tracking(script, stack, &Cell::new(0))
}

/// [`run`], keeping in `line` the line of the event being played (so that
/// a caller catching a panic of the stack can say where it happened).
pub fn run_tracking(script: &Script, stack: &mut dyn Stack, line: &Cell<usize>) -> Verdict {
    let mut runner = Runner {
        line,
        stack,
        now: 0,
        tolerance: DEFAULT_TOLERANCE,
        outq: VecDeque::new(),
        local_isn: None,
        ts_offset: None,
        last_fd: None,
        pending: None,
    };
    match runner.run(script) {
        Ok(()) => Verdict::Pass,
        Err(v) => v,
    }
}

struct Runner<'s> {
    line: &'s Cell<usize>,
    stack: &'s mut dyn Stack,
    now: u64,
    tolerance: u64,
    /// Segments sent and not yet matched, with their send times.
    outq: VecDeque<(u64, Segment)>,
    local_isn: Option<u32>,
    /// Actual TSval minus scripted TSval.
    ts_offset: Option<u32>,
    /// The socket most recently named by a call, for `%{ }%` checks.
    last_fd: Option<i64>,
    /// A blocking call in progress (a `start...end` event).
    pending: Option<Pending>,
}

/// A blocking system call that has not returned yet.
struct Pending {
    line: usize,
    syscall: Syscall,
    call: Call,
    /// When it may return: `[start, end]`, widened by the tolerance.
    start: u64,
    end: u64,
}

fn fail(line: usize, expected: impl Into<String>, actual: impl Into<String>) -> Verdict {
    Verdict::Fail(Failure {
        line,
        expected: expected.into(),
        actual: actual.into(),
    })
}

fn unsupported(line: usize, construct: impl Into<String>) -> Verdict {
    Verdict::Unsupported {
        line,
        construct: construct.into(),
    }
}

impl Runner<'_> {
    fn run(&mut self, script: &Script) -> Result<(), Verdict> {
        for (name, value) in &script.options {
            if name == "tolerance_usecs" {
                self.tolerance = value
                    .parse()
                    .map_err(|_| fail(0, "an integer tolerance_usecs", value.clone()))?;
            } else {
                self.stack.script_option(name, value).map_err(|c| unsupported(0, c))?;
            }
        }
        let mut last_time = 0u64;
        let mut last_line = 0;
        for event in &script.events {
            last_line = event.line;
            self.line.set(event.line);
            let at = match event.time {
                Time::Absolute(t) => Some(t),
                Time::Relative(d) => Some(last_time.saturating_add(d)),
                Time::Any => None,
                // A blocking call starts at the range's start, and later
                // relative times count from there.
                Time::Range { start, relative, .. } => Some(if relative {
                    last_time.saturating_add(start)
                } else {
                    start
                }),
            };
            if let Some(p) = &self.pending {
                if at.is_some_and(|t| t > p.end.saturating_add(self.tolerance)) {
                    self.advance_to(event.line, p.end.saturating_add(self.tolerance))?;
                }
            }
            if let (Time::Range { .. }, false) = (event.time, matches!(event.action, Action::Syscall(_))) {
                return Err(fail(
                    event.line,
                    "a system call on a line with a time range",
                    "another event",
                ));
            }
            last_time = match (&event.action, at) {
                (Action::Outbound(spec), _) => self.outbound(event, spec, at)?,
                (_, None) => return Err(fail(event.line, "a time for this event", "`*`")),
                (action, Some(t)) => {
                    self.advance_to(event.line, t)?;
                    self.check_stale(event.line, t)?;
                    self.perform(event.line, event.time, action)?;
                    t
                }
            };
        }
        self.advance_to(last_line, last_time)?;
        if let Some(p) = &self.pending {
            return Err(fail(
                p.line,
                format!("{} by {}", show_expected(&p.syscall), secs(p.end)),
                "the call still blocks when the script ends",
            ));
        }
        if let Some((t, seg)) = self.outq.front() {
            return Err(fail(
                last_line,
                "no further segment before the script ends",
                format!("{} sent at {}", self.show(seg), secs(*t)),
            ));
        }
        Ok(())
    }

    /// Runs the stack's timers up to `t` and collects what it sends.
    fn advance_to(&mut self, line: usize, t: u64) -> Result<(), Verdict> {
        for _ in 0..MAX_STEPS {
            match self.stack.poll_timeout() {
                Some(due) if due <= t => {
                    self.now = self.now.max(due);
                    self.stack.on_timeout(self.now);
                    self.drain(line)?;
                    self.check_pending()?;
                }
                _ => {
                    self.now = self.now.max(t);
                    return self.check_pending();
                }
            }
        }
        Err(fail(line, "timers that make progress", "a timer that keeps firing"))
    }

    fn drain(&mut self, line: usize) -> Result<(), Verdict> {
        for _ in 0..MAX_STEPS {
            match self.stack.poll_transmit(self.now) {
                Some(seg) => {
                    if seg.flags & flag::SYN != 0 && self.local_isn.is_none() {
                        self.local_isn = Some(seg.seq);
                    }
                    self.outq.push_back((self.now, seg));
                }
                None => return Ok(()),
            }
        }
        Err(fail(
            line,
            "a bounded burst of segments",
            "an endless stream of segments",
        ))
    }

    /// Fails on a queued segment too old for any later outbound line.
    fn check_stale(&self, line: usize, t: u64) -> Result<(), Verdict> {
        match self.outq.front() {
            Some((sent, seg)) if sent.saturating_add(self.tolerance) < t => Err(fail(
                line,
                "no segment sent before this event",
                format!("extra segment {} sent at {}", self.show(seg), secs(*sent)),
            )),
            _ => Ok(()),
        }
    }

    /// Matches an outbound line; returns the time later relative times count
    /// from.
    fn outbound(&mut self, event: &Event, spec: &PacketSpec, at: Option<u64>) -> Result<u64, Verdict> {
        let line = event.line;
        let deadline = at.map(|t| t.saturating_add(self.tolerance));
        let mut steps = 0;
        while self.outq.is_empty() {
            steps += 1;
            let due = self.stack.poll_timeout();
            match (due, deadline) {
                (Some(due), Some(d)) if due <= d => {}
                (Some(_), None) if steps < MAX_STEPS => {}
                _ => {
                    return Err(fail(
                        line,
                        self.show_spec(spec),
                        match deadline {
                            Some(d) => format!("nothing sent by {}", secs(d)),
                            None => "nothing sent".to_string(),
                        },
                    ));
                }
            }
            let due = due.unwrap_or(self.now);
            self.now = self.now.max(due);
            self.stack.on_timeout(self.now);
            self.drain(line)?;
            self.check_pending()?;
        }
        let Some((sent, seg)) = self.outq.pop_front() else {
            return Err(fail(line, self.show_spec(spec), "nothing sent"));
        };
        if let Some(t) = at {
            if sent.saturating_add(self.tolerance) < t || sent > t.saturating_add(self.tolerance) {
                return Err(fail(
                    line,
                    format!("{} at {}", self.show_spec(spec), secs(t)),
                    format!("{} sent at {}", self.show(&seg), secs(sent)),
                ));
            }
        }
        if let Some(mismatch) = self.mismatch(spec, &seg) {
            return Err(fail(
                line,
                self.show_spec(spec),
                format!("{} ({mismatch})", self.show(&seg)),
            ));
        }
        if self.ts_offset.is_none() {
            if let (Some(want), Some(got)) = (ts_of(spec.options.as_deref()), ts_of(Some(&seg.options))) {
                self.ts_offset = Some(got.0.wrapping_sub(want.0));
            }
        }
        Ok(at.unwrap_or(sent))
    }

    /// The base of outbound sequence numbers: the stack's ISN once it sent
    /// a SYN; before that 0, as in packetdrill, so that a reset answering a
    /// segment without ACK (`R. 0:0(0)`) shows sequence number 0.
    fn local_isn(&self) -> u32 {
        self.local_isn.unwrap_or(0)
    }

    /// The first difference between an outbound line and a sent segment.
    fn mismatch(&self, spec: &PacketSpec, seg: &Segment) -> Option<String> {
        if spec.flags != seg.flags {
            return Some(format!(
                "flags {} instead of {}",
                flags_str(seg.flags),
                flags_str(spec.flags)
            ));
        }
        let isn = self.local_isn();
        if let Some(s) = spec.seq {
            if seg.seq.wrapping_sub(isn) != s {
                return Some(format!("seq {} instead of {s}", seg.seq.wrapping_sub(isn)));
            }
        }
        if spec.len as usize != seg.payload_len {
            return Some(format!("length {} instead of {}", seg.payload_len, spec.len));
        }
        if let Some(a) = spec.ack {
            if seg.ack.wrapping_sub(REMOTE_ISN) != a {
                return Some(format!("ack {} instead of {a}", seg.ack.wrapping_sub(REMOTE_ISN)));
            }
        }
        if let Some(w) = spec.win {
            if seg.win != w {
                return Some(format!("win {} instead of {w}", seg.win));
            }
        }
        if let Some(u) = spec.urg {
            if seg.urg != u {
                return Some(format!("urg {} instead of {u}", seg.urg));
            }
        }
        let mut want = spec.options.clone()?;
        let mut got = relative_options(&seg.options, REMOTE_ISN, None);
        // TSval is not compared (packetdrill without --tcp_ts_tick_usecs).
        for o in got.iter_mut().chain(want.iter_mut()) {
            if let TcpOpt::Timestamp { val, .. } = o {
                *val = 0;
            }
        }
        (want != got).then(|| {
            let layout_only = meaningful(&want) == meaningful(&got);
            let note = if layout_only {
                " (same options, different layout)"
            } else {
                ""
            };
            format!("options <{}> instead of <{}>{note}", opts_str(&got), opts_str(&want))
        })
    }

    fn perform(&mut self, line: usize, time: Time, action: &Action) -> Result<(), Verdict> {
        match action {
            Action::Inbound(spec) => {
                let seg = self.inbound_segment(line, spec)?;
                self.stack.inbound(self.now, &seg);
            }
            Action::Syscall(call) => self.syscall(line, time, call)?,
            Action::Command(cmd) => self.command(line, cmd)?,
            Action::Code(code) => self.code(line, code)?,
            Action::Outbound(_) => unreachable!("outbound lines are matched, not performed"),
        }
        self.drain(line)?;
        self.check_pending()
    }

    /// Completes the blocking call in progress if it can return now.
    fn check_pending(&mut self) -> Result<(), Verdict> {
        let Some(p) = &self.pending else { return Ok(()) };
        let Some(result) = self.stack.resume(self.now, &p.call) else {
            if self.now > p.end.saturating_add(self.tolerance) {
                return Err(fail(
                    p.line,
                    format!("{} by {}", show_expected(&p.syscall), secs(p.end)),
                    format!("the call still blocks at {}", secs(self.now)),
                ));
            }
            return Ok(());
        };
        let Some(p) = self.pending.take() else { return Ok(()) };
        if self.now.saturating_add(self.tolerance) < p.start || self.now > p.end.saturating_add(self.tolerance) {
            return Err(fail(
                p.line,
                format!(
                    "{} between {} and {}",
                    show_expected(&p.syscall),
                    secs(p.start),
                    secs(p.end)
                ),
                format!("it returned at {}", secs(self.now)),
            ));
        }
        check_result(p.line, &p.syscall, &p.call, &result)
    }

    fn inbound_segment(&self, line: usize, spec: &PacketSpec) -> Result<Segment, Verdict> {
        let Some(seq) = spec.seq else {
            return Err(fail(line, "a sequence number on an inbound segment", "`...`"));
        };
        let Some(options) = &spec.options else {
            return Err(fail(line, "options on an inbound segment", "`<...>`"));
        };
        let isn = self.local_isn();
        let ts = self.ts_offset.unwrap_or(0);
        let options = options
            .iter()
            .map(|o| match o {
                TcpOpt::Sack(blocks) => TcpOpt::Sack(
                    blocks
                        .iter()
                        .map(|&(l, r)| (l.wrapping_add(isn), r.wrapping_add(isn)))
                        .collect(),
                ),
                TcpOpt::Timestamp { val, ecr } => TcpOpt::Timestamp {
                    val: *val,
                    ecr: ecr.wrapping_add(ts),
                },
                other => other.clone(),
            })
            .collect();
        Ok(Segment {
            flags: spec.flags,
            seq: seq.wrapping_add(REMOTE_ISN),
            ack: spec.ack.map_or(0, |a| a.wrapping_add(isn)),
            win: spec.win.unwrap_or(0),
            urg: spec.urg.unwrap_or(0),
            options,
            payload_len: spec.len as usize,
        })
    }

    fn syscall(&mut self, line: usize, time: Time, sc: &Syscall) -> Result<(), Verdict> {
        let call = decode_call(sc).map_err(|c| unsupported(line, c))?;
        if let Some(fd) = call_fd(&call) {
            self.last_fd = Some(fd);
        }
        if self.pending.is_some() {
            return Err(unsupported(line, "a system call while another one blocks"));
        }
        match (
            self.stack.call(self.now, &call).map_err(|c| unsupported(line, c))?,
            time,
        ) {
            // A call that returns at once returns at its start time.
            (Some(result), _) => check_result(line, sc, &call, &result),
            (None, Time::Range { start, end, relative }) => {
                let (start, end) = if relative {
                    (self.now, self.now.saturating_add(end - start))
                } else {
                    (start, end)
                };
                self.pending = Some(Pending {
                    line,
                    syscall: sc.clone(),
                    call,
                    start,
                    end,
                });
                Ok(())
            }
            (None, _) => Err(fail(line, show_expected(sc), "the call blocks")),
        }
    }

    fn command(&mut self, line: usize, cmd: &str) -> Result<(), Verdict> {
        let words: Vec<&str> = cmd.split_whitespace().collect();
        match words.as_slice() {
            ["sysctl", "-w", setting] => {
                let (name, value) = setting
                    .split_once('=')
                    .ok_or_else(|| fail(line, "sysctl -w name=value", cmd))?;
                self.stack.sysctl(name, value).map_err(|c| unsupported(line, c))
            }
            ["tcpdrop", "-s", state] => {
                self.stack.drop_in_state(self.now, state);
                Ok(())
            }
            ["sockstat", ..] => {
                // `sockstat ... | grep -c STATE | grep N`: N connections in STATE.
                let stages: Vec<&str> = cmd.split('|').map(str::trim).collect();
                let count = stages.iter().find_map(|s| s.strip_prefix("grep -c "));
                let want = stages.last().and_then(|s| s.strip_prefix("grep "));
                let (Some(state), Some(want)) = (count, want) else {
                    return Err(unsupported(line, format!("shell command `{cmd}`")));
                };
                let want: usize = want
                    .trim()
                    .parse()
                    .map_err(|_| unsupported(line, format!("shell command `{cmd}`")))?;
                let got = self.stack.count_in_state(state.trim());
                if got == want {
                    Ok(())
                } else {
                    Err(fail(line, format!("{want} connection(s) in {state}"), format!("{got}")))
                }
            }
            _ => Err(unsupported(line, format!("shell command `{cmd}`"))),
        }
    }

    fn code(&mut self, line: usize, code: &str) -> Result<(), Verdict> {
        let Some(want) = code.strip_prefix("assert tcpi_state ==").map(str::trim) else {
            return Err(unsupported(line, format!("inline code `{code}`")));
        };
        let got = self.last_fd.and_then(|fd| self.stack.tcpi_state(fd));
        if got == Some(want) {
            Ok(())
        } else {
            Err(fail(line, format!("tcpi_state {want}"), format!("{got:?}")))
        }
    }

    fn show(&self, seg: &Segment) -> String {
        let isn = self.local_isn();
        let seq = seg.seq.wrapping_sub(isn);
        let mut s = format!(
            "{} {}:{}({})",
            flags_str(seg.flags),
            seq,
            seq.wrapping_add(seg.payload_len as u32),
            seg.payload_len
        );
        if seg.flags & flag::ACK != 0 {
            s += &format!(" ack {}", seg.ack.wrapping_sub(REMOTE_ISN));
        }
        s += &format!(" win {}", seg.win);
        if !seg.options.is_empty() {
            s += &format!(" <{}>", opts_str(&relative_options(&seg.options, REMOTE_ISN, None)));
        }
        s
    }

    fn show_spec(&self, spec: &PacketSpec) -> String {
        let mut s = flags_str(spec.flags);
        match spec.seq {
            Some(q) => s += &format!(" {}:{}({})", q, q.wrapping_add(spec.len), spec.len),
            None => s += &format!(" ...({})", spec.len),
        }
        if let Some(a) = spec.ack {
            s += &format!(" ack {a}");
        }
        if let Some(w) = spec.win {
            s += &format!(" win {w}");
        }
        match &spec.options {
            None => s += " <...>",
            Some(o) if !o.is_empty() => s += &format!(" <{}>", opts_str(o)),
            Some(_) => {}
        }
        s
    }
}

/// Compares a call's result with the script's expectation.
fn check_result(line: usize, sc: &Syscall, call: &Call, result: &CallResult) -> Result<(), Verdict> {
    let shown = show_result(
        result,
        matches!(call, Call::GetSockOpt { name, .. } if name == "SO_ERROR"),
    );
    let expected = show_expected(sc);
    // The return value (or -1 and errno).
    match (&result.ret, &sc.ret, &sc.errno) {
        (_, Expr::Ellipsis, None) => {}
        (Ok(v), Expr::Int(want), None) if v == want => {}
        (Err(e), Expr::Int(-1), Some(name)) if Errno::from_name(name) == Some(*e) => {}
        _ => return Err(fail(line, expected, shown)),
    }
    if let (Call::GetSockOpt { .. }, Some(Expr::List(items))) = (call, sc.args.get(3)) {
        let want = match items.first() {
            Some(Expr::Int(v)) => Some(*v),
            Some(Expr::Symbol(s)) => Some(
                Errno::from_name(s)
                    .map(Errno::code)
                    .ok_or_else(|| unsupported(line, format!("value `{s}`")))?,
            ),
            _ => None,
        };
        if want.is_some() && want != result.value {
            return Err(fail(line, expected, shown));
        }
    }
    Ok(())
}

fn ts_of(opts: Option<&[TcpOpt]>) -> Option<(u32, u32)> {
    opts?.iter().find_map(|o| match o {
        TcpOpt::Timestamp { val, ecr } => Some((*val, *ecr)),
        _ => None,
    })
}

/// SACK blocks made relative to `base`; TS ecr shifted back by `ts`.
fn relative_options(opts: &[TcpOpt], base: u32, ts: Option<u32>) -> Vec<TcpOpt> {
    opts.iter()
        .map(|o| match o {
            TcpOpt::Sack(b) => TcpOpt::Sack(
                b.iter()
                    .map(|&(l, r)| (l.wrapping_sub(base), r.wrapping_sub(base)))
                    .collect(),
            ),
            TcpOpt::Timestamp { val, ecr } => TcpOpt::Timestamp {
                val: *val,
                ecr: ecr.wrapping_sub(ts.unwrap_or(0)),
            },
            o => o.clone(),
        })
        .collect()
}

fn meaningful(opts: &[TcpOpt]) -> Vec<TcpOpt> {
    opts.iter()
        .filter(|o| !matches!(o, TcpOpt::Nop | TcpOpt::Eol))
        .cloned()
        .collect()
}

/// packetdrill's flag letters.
pub fn flags_str(flags: u8) -> String {
    let mut s = String::new();
    for (bit, c) in [
        (flag::SYN, 'S'),
        (flag::FIN, 'F'),
        (flag::RST, 'R'),
        (flag::PSH, 'P'),
        (flag::ACK, '.'),
        (flag::URG, 'U'),
        (flag::ECE, 'E'),
        (flag::CWR, 'W'),
    ] {
        if flags & bit != 0 {
            s.push(c);
        }
    }
    s
}

fn opts_str(opts: &[TcpOpt]) -> String {
    let parts: Vec<String> = opts
        .iter()
        .map(|o| match o {
            TcpOpt::Eol => "eol".to_string(),
            TcpOpt::Nop => "nop".to_string(),
            TcpOpt::Mss(m) => format!("mss {m}"),
            TcpOpt::WindowScale(w) => format!("wscale {w}"),
            TcpOpt::SackPermitted => "sackOK".to_string(),
            TcpOpt::Sack(b) => {
                let blocks: Vec<String> = b.iter().map(|(l, r)| format!("{l}:{r}")).collect();
                format!("sack {}", blocks.join(" "))
            }
            TcpOpt::Timestamp { val, ecr } => format!("TS val {val} ecr {ecr}"),
            TcpOpt::Unknown(kind) => format!("kind {kind}"),
        })
        .collect();
    parts.join(",")
}

fn secs(us: u64) -> String {
    format!("{}.{:06}", us / 1_000_000, us % 1_000_000)
}

/// A call's result as a script would write it; `errno_value` names the
/// option value as an errno (`SO_ERROR`).
fn show_result(r: &CallResult, errno_value: bool) -> String {
    let mut s = match r.ret {
        Ok(v) => format!("{v}"),
        Err(e) => format!("-1 {}", e.name()),
    };
    if let Some(v) = r.value {
        let name = Errno::ALL
            .iter()
            .find(|e| errno_value && e.code() == v)
            .map(|e| e.name());
        match name {
            Some(n) => s += &format!(", value [{n}]"),
            None => s += &format!(", value [{v}]"),
        }
    }
    s
}

fn show_expected(sc: &Syscall) -> String {
    let args: Vec<String> = sc.args.iter().map(ToString::to_string).collect();
    let mut s = format!("{}({}) = {}", sc.name, args.join(", "), sc.ret);
    if let Some(e) = &sc.errno {
        s += &format!(" {e}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packetdrill::parse;

    /// A toy stack: `connect` sends a SYN (retransmitted after 1 s); a
    /// SYN-ACK is acknowledged after `ack_delay` µs.
    #[derive(Default)]
    struct Toy {
        out: VecDeque<Segment>,
        timer: Option<u64>,
        ack_delay: u64,
        got: Vec<Segment>,
        pending_ack: Option<Segment>,
        blocking: bool,
        connected: bool,
    }

    const ISN: u32 = 5000;

    fn syn() -> Segment {
        Segment {
            flags: flag::SYN,
            seq: ISN,
            win: 65535,
            options: vec![TcpOpt::Mss(1460), TcpOpt::Timestamp { val: 777, ecr: 0 }],
            ..Segment::default()
        }
    }

    impl Stack for Toy {
        fn script_option(&mut self, _: &str, _: &str) -> Result<(), String> {
            Ok(())
        }
        fn sysctl(&mut self, name: &str, _: &str) -> Result<(), String> {
            if name.contains("ecn") {
                Err("ECN".into())
            } else {
                Ok(())
            }
        }
        fn resume(&mut self, _: u64, _: &Call) -> Option<CallResult> {
            self.connected.then_some(CallResult::ok(0))
        }
        fn call(&mut self, now: u64, call: &Call) -> Result<Option<CallResult>, String> {
            Ok(Some(match call {
                Call::Socket => CallResult::ok(3),
                Call::Connect(_) => {
                    self.out.push_back(syn());
                    self.timer = Some(now + 1_000_000);
                    if self.blocking {
                        return Ok(None);
                    }
                    CallResult::err(Errno::InProgress)
                }
                _ => CallResult::ok(0),
            }))
        }
        fn inbound(&mut self, now: u64, seg: &Segment) {
            self.got.push(seg.clone());
            if seg.flags == flag::SYN | flag::ACK {
                self.connected = true;
                let ack = Segment {
                    flags: flag::ACK,
                    seq: ISN + 1,
                    ack: seg.seq.wrapping_add(1),
                    win: 65535,
                    ..Segment::default()
                };
                if self.ack_delay == 0 {
                    self.out.push_back(ack);
                    self.timer = None;
                } else {
                    self.pending_ack = Some(ack);
                    self.timer = Some(now + self.ack_delay);
                }
            }
        }
        fn poll_transmit(&mut self, _: u64) -> Option<Segment> {
            self.out.pop_front()
        }
        fn poll_timeout(&self) -> Option<u64> {
            self.timer
        }
        fn on_timeout(&mut self, now: u64) {
            if let Some(ack) = self.pending_ack.take() {
                self.out.push_back(ack);
                self.timer = None;
            } else {
                self.out.push_back(syn());
                self.timer = Some(now + 1_000_000);
            }
        }
        fn count_in_state(&self, _: &str) -> usize {
            0
        }
        fn drop_in_state(&mut self, _: u64, _: &str) {}
        fn tcpi_state(&self, _: i64) -> Option<&'static str> {
            None
        }
    }

    const HANDSHAKE: &str = "\
--tolerance_usecs=10000
0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
+0 > S 0:0(0) win 65535 <mss 1460,TS val 1 ecr 0>
+0.1 < S. 0:0(0) ack 1 win 1000 <mss 1460,TS val 9 ecr 1>
+0 > . 1:1(0) ack 1 win 65535
";

    fn run_with(text: &str, toy: &mut Toy) -> Verdict {
        run(&parse(text, &[]).unwrap(), toy)
    }

    fn failed_line(v: &Verdict) -> usize {
        match v {
            Verdict::Fail(f) => f.line,
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn handshake_passes_with_remapped_numbers() {
        let mut toy = Toy::default();
        assert_eq!(run_with(HANDSHAKE, &mut toy), Verdict::Pass);
        // The SYN-ACK reached the stack with absolute numbers: the remote
        // ISN, our ISN + 1, and the ecr shifted onto our TSval (777 for 1).
        let synack = &toy.got[0];
        assert_eq!((synack.seq, synack.ack), (REMOTE_ISN, ISN + 1));
        assert_eq!(synack.options[1], TcpOpt::Timestamp { val: 9, ecr: 777 });
    }

    #[test]
    fn wrong_fields_fail_on_their_line() {
        let wrong_ack = HANDSHAKE.replace("> . 1:1(0) ack 1", "> . 1:1(0) ack 2");
        assert_eq!(failed_line(&run_with(&wrong_ack, &mut Toy::default())), 6);
        let wrong_opts = HANDSHAKE.replace("<mss 1460,TS val 1 ecr 0>", "<mss 1460>");
        assert_eq!(failed_line(&run_with(&wrong_opts, &mut Toy::default())), 4);
        let wrong_ret = HANDSHAKE.replace("= -1 EINPROGRESS", "= 0");
        assert_eq!(failed_line(&run_with(&wrong_ret, &mut Toy::default())), 3);
    }

    #[test]
    fn timing_is_checked_against_the_tolerance() {
        // The ACK comes 5 ms late: within the 10 ms tolerance.
        let mut toy = Toy {
            ack_delay: 5_000,
            ..Toy::default()
        };
        assert_eq!(run_with(HANDSHAKE, &mut toy), Verdict::Pass);
        // 20 ms late: outside it.
        let mut toy = Toy {
            ack_delay: 20_000,
            ..Toy::default()
        };
        assert_eq!(failed_line(&run_with(HANDSHAKE, &mut toy)), 6);
        // A retransmitted SYN after 1 s matches a `*` line and `+1` line.
        let rtx = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 connect(3, ..., ...) = -1 EINPROGRESS\n\
                   +0 > S 0:0(0) win 65535 <...>\n* > S 0:0(0) win 65535 <...>\n+1 > S 0:0(0) win 65535 <...>\n";
        assert_eq!(run_with(rtx, &mut Toy::default()), Verdict::Pass);
    }

    #[test]
    fn extra_segments_fail() {
        // The SYN is never matched: it is stale when the next event comes.
        let text = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 connect(3, ..., ...) = -1 EINPROGRESS\n\
                    +0.5 close(3) = 0\n";
        assert_eq!(failed_line(&run_with(text, &mut Toy::default())), 3);
        // ... or still queued when the script ends.
        let text = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 connect(3, ..., ...) = -1 EINPROGRESS\n";
        assert_eq!(failed_line(&run_with(text, &mut Toy::default())), 2);
    }

    #[test]
    fn blocking_calls_return_within_their_range() {
        let script = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n\
                      1.0...1.2 connect(3, ..., ...) = 0\n\
                      +0 > S 0:0(0) win 65535 <...>\n\
                      +0.1 < S. 0:0(0) ack 1 win 1000 <mss 1460>\n\
                      +0 > . 1:1(0) ack 1 win 65535\n";
        let mut toy = Toy {
            blocking: true,
            ..Toy::default()
        };
        assert_eq!(run_with(script, &mut toy), Verdict::Pass);
        // The handshake completes at 1.1 s, after a range ending at 1.05 s.
        let late = script.replace("1.0...1.2", "1.0...1.05");
        let mut toy = Toy {
            blocking: true,
            ..Toy::default()
        };
        assert!(matches!(
            run_with(&late, &mut toy),
            Verdict::Fail(Failure { line: 2, .. })
        ));
        // Never completing is a failure at the call's line.
        let never = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n1.0...1.2 connect(3, ..., ...) = 0\n\
                     +0 > S 0:0(0) win 65535 <...>\n";
        let mut toy = Toy {
            blocking: true,
            ..Toy::default()
        };
        assert!(matches!(
            run_with(never, &mut toy),
            Verdict::Fail(Failure { line: 2, .. })
        ));
        // A call that blocks on a line without a range fails.
        let mut toy = Toy {
            blocking: true,
            ..Toy::default()
        };
        let plain = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 connect(3, ..., ...) = 0\n";
        assert!(matches!(
            run_with(plain, &mut toy),
            Verdict::Fail(Failure { line: 2, .. })
        ));
    }

    #[test]
    fn unsupported_constructs_are_named() {
        let text = "0 `sysctl -w net.inet.tcp.ecn.enable=1`\n";
        assert!(matches!(
            run_with(text, &mut Toy::default()),
            Verdict::Unsupported { line: 1, .. }
        ));
        let text = "0 `rm -rf /`\n";
        assert!(matches!(
            run_with(text, &mut Toy::default()),
            Verdict::Unsupported { line: 1, .. }
        ));
        let text = "0 socketpair(1, 2) = 0\n";
        assert!(matches!(
            run_with(text, &mut Toy::default()),
            Verdict::Unsupported { line: 1, .. }
        ));
    }
}
