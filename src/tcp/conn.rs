//! The transmission control block (RFC 9293 §3.3.1) and the user calls of
//! §3.10.1–§3.10.6.

use alloc::collections::VecDeque;
use core::time::Duration;

use super::buffer::{Assembler, RingBuffer};
use super::diagram::{self, Cause};
use super::rtt::RttEstimator;
use super::{Config, ConnectionError, Event, Instant, SeqNum, State, UserError};
use crate::transport::tcp_option::TcpOptions;

/// Most events queued before the oldest are dropped (a user who never
/// polls must not make the queue grow).
const EVENT_QUEUE_LIMIT: usize = 64;

/// Counters of what a connection did, for tests and the simulator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Segments returned by `poll_transmit`.
    pub segments_sent: u64,
    /// Of those, segments that resent sequence space sent before.
    pub retransmissions: u64,
    /// Retransmission timer expiries.
    pub timeouts: u64,
    /// Fast retransmits (RFC 5681 §3.2).
    pub fast_retransmits: u64,
    /// Segments passed to `on_segment`.
    pub segments_received: u64,
    /// Challenge ACKs queued (RFC 5961).
    pub challenge_acks: u64,
}

/// A pending RST: `<SEQ=seq><ACK=ack><CTL=RST(,ACK)>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct RstSpec {
    pub seq: SeqNum,
    pub ack: Option<SeqNum>,
    /// The port it goes to: the offending segment's source port.
    pub to_port: u16,
}

/// One TCP connection: a TCB and its state machine (RFC 9293 §3.3).
///
/// See the [module docs](super) for the sans-IO calling pattern.
#[derive(Debug, Clone)]
pub struct Connection {
    pub(super) cfg: Config,
    pub(super) state: State,
    pub(super) local_port: u16,
    pub(super) remote_port: u16,
    /// The connection came from a passive OPEN (RFC 9293 §3.10.7.4: a RST
    /// in SYN-RECEIVED returns it to LISTEN).
    pub(super) passive: bool,
    pub(super) next_isn: Option<u32>,
    pub(super) error: Option<ConnectionError>,
    pub(super) now: Instant,

    // Send sequence space (RFC 9293 §3.3.1, Figure 3).
    pub(super) iss: SeqNum,
    pub(super) snd_una: SeqNum,
    /// Next sequence number to send; rewound to SND.UNA after a timeout.
    pub(super) snd_nxt: SeqNum,
    /// Highest sequence number sent plus one: what RFC 9293 calls SND.NXT
    /// for the ACK acceptability tests.
    pub(super) snd_max: SeqNum,
    pub(super) snd_wnd: u32,
    pub(super) snd_wl1: SeqNum,
    pub(super) snd_wl2: SeqNum,
    pub(super) max_snd_wnd: u32,
    pub(super) syn_acked: bool,
    /// The user called CLOSE: a FIN follows the buffered data.
    pub(super) fin_queued: bool,
    pub(super) fin_acked: bool,
    pub(super) send_buf: RingBuffer,
    /// SND.UP: the sequence number after the last urgent octet the user
    /// sent, while segments must still point to it (RFC 9293 §3.8.5).
    pub(super) snd_up: Option<SeqNum>,
    /// Send MSS: payload bytes per segment, options excluded.
    pub(super) snd_mss: u32,

    // Receive sequence space.
    pub(super) irs: SeqNum,
    pub(super) rcv_nxt: SeqNum,
    /// The right edge we last advertised, RCV.NXT + RCV.WND at that time.
    pub(super) rcv_adv: SeqNum,
    pub(super) recv_buf: RingBuffer,
    pub(super) asm: Assembler,
    pub(super) fin_rcvd: bool,
    /// The peer's FIN arrived out of order at this sequence number.
    pub(super) ooo_fin: Option<SeqNum>,
    /// RCV.UP: the sequence number after the last urgent octet the peer
    /// pointed to (RFC 9293 §3.8.5, §3.10.7.4 sixth check).
    pub(super) rcv_up: Option<SeqNum>,

    // Negotiated options.
    pub(super) snd_wscale: u8,
    pub(super) rcv_wscale: u8,
    /// Window scaling agreed (both SYNs carried the option).
    pub(super) ws_ok: bool,
    pub(super) ts_ok: bool,
    pub(super) sack_ok: bool,
    pub(super) ts_recent: u32,
    pub(super) last_ack_sent: SeqNum,

    // Timers and retransmission.
    pub(super) rtt: RttEstimator,
    pub(super) rtt_probe: Option<(SeqNum, Instant)>,
    pub(super) rtx_at: Option<Instant>,
    pub(super) rtx_count: u32,
    pub(super) persist_at: Option<Instant>,
    pub(super) persist_backoff: u32,
    pub(super) probe_due: bool,
    pub(super) delack_at: Option<Instant>,
    pub(super) timewait_at: Option<Instant>,
    pub(super) connect_deadline: Option<Instant>,
    /// When the oldest outstanding data was sent or last acknowledged:
    /// the USER TIMEOUT counts from here.
    pub(super) progress_at: Instant,

    // Congestion control (RFC 5681, RFC 6582).
    pub(super) cwnd: u32,
    pub(super) ssthresh: u32,
    pub(super) dupacks: u32,
    pub(super) recover: SeqNum,
    pub(super) in_recovery: bool,
    pub(super) fast_rtx: bool,
    /// SACKed data above SND.UNA (RFC 6675).
    pub(super) sb: super::sack::Scoreboard,
    /// Where the next hole retransmission starts in this recovery.
    pub(super) rtx_hole: SeqNum,

    // Acknowledgments.
    pub(super) ack_now: bool,
    pub(super) unacked_bytes: u32,
    pub(super) challenge_window: Instant,
    pub(super) challenge_count: u32,
    pub(super) rst_out: Option<RstSpec>,
    /// A duplicate range to report as the first SACK block of the next
    /// ACK (D-SACK, RFC 2883 §4).
    pub(super) dsack: Option<(SeqNum, SeqNum)>,
    /// A challenge ACK is owed (RFC 5961 §3.2, §4.2): in SYN-RECEIVED a
    /// pure ACK, not a repeated SYN,ACK; never one that repeats our FIN
    /// (`Config::fin_on_ack`).
    pub(super) challenge_pending: bool,
    /// The SACK blocks of the last ACK sent, so later ACKs repeat the most
    /// recently reported blocks first (RFC 2018 §4).
    pub(super) sack_sent: [(u32, u32); 4],
    /// How many of `sack_sent` are valid.
    pub(super) sack_sent_len: usize,

    pub(super) events: EventQueue,
    pub(super) stats: Stats,
    /// The options area of the last data segment or ACK that carried only
    /// timestamps, keyed by its (TSval, TSecr).
    pub(super) ts_options: Option<((u32, u32), TcpOptions)>,
}

/// The bounded event queue, remembering whether a `Readable` or `Writable`
/// is queued so that the per-segment dedup check costs no queue scan.
#[derive(Debug, Clone, Default)]
pub(super) struct EventQueue {
    queue: VecDeque<Event>,
    readable: bool,
    writable: bool,
}

impl EventQueue {
    /// The flag that tracks `ev`, if it is deduplicated.
    fn flag(&mut self, ev: &Event) -> Option<&mut bool> {
        match ev {
            Event::Readable => Some(&mut self.readable),
            Event::Writable => Some(&mut self.writable),
            _ => None,
        }
    }

    /// Queue `ev`, dropping the oldest event when full; `Readable` and
    /// `Writable` are queued at most once each.
    fn push(&mut self, ev: Event) {
        if let Some(queued) = self.flag(&ev) {
            if *queued {
                return;
            }
            *queued = true;
        }
        if self.queue.len() >= EVENT_QUEUE_LIMIT {
            self.pop();
        }
        self.queue.push_back(ev);
    }

    fn pop(&mut self) -> Option<Event> {
        let ev = self.queue.pop_front()?;
        if let Some(queued) = self.flag(&ev) {
            *queued = false;
        }
        Some(ev)
    }

    pub(super) fn len(&self) -> usize {
        self.queue.len()
    }
}

impl Connection {
    /// A connection in CLOSED on `local_port`, with its buffers allocated
    /// at the configured sizes.
    pub fn new(config: Config, local_port: u16) -> Self {
        let send_buf = RingBuffer::new(config.send_buffer);
        let recv_buf = RingBuffer::new(config.recv_buffer);
        Self::with_buffers(config, local_port, send_buf, recv_buf)
    }

    fn with_buffers(config: Config, local_port: u16, send_buf: RingBuffer, recv_buf: RingBuffer) -> Self {
        let rtt = RttEstimator::new(config.initial_rto, config.min_rto, config.max_rto).with_slop(config.rto_slop);
        Connection {
            send_buf,
            snd_up: None,
            recv_buf,
            state: State::Closed,
            local_port,
            remote_port: 0,
            passive: false,
            next_isn: None,
            error: None,
            now: Instant::ZERO,
            iss: SeqNum(0),
            snd_una: SeqNum(0),
            snd_nxt: SeqNum(0),
            snd_max: SeqNum(0),
            snd_wnd: 0,
            snd_wl1: SeqNum(0),
            snd_wl2: SeqNum(0),
            max_snd_wnd: 0,
            syn_acked: false,
            fin_queued: false,
            fin_acked: false,
            snd_mss: u32::from(config.default_mss.min(config.mss)).max(1),
            irs: SeqNum(0),
            rcv_nxt: SeqNum(0),
            rcv_adv: SeqNum(0),
            asm: Assembler::new(),
            fin_rcvd: false,
            ooo_fin: None,
            rcv_up: None,
            snd_wscale: 0,
            rcv_wscale: 0,
            ws_ok: false,
            ts_ok: false,
            sack_ok: false,
            ts_recent: 0,
            last_ack_sent: SeqNum(0),
            rtt,
            rtt_probe: None,
            rtx_at: None,
            rtx_count: 0,
            persist_at: None,
            persist_backoff: 0,
            probe_due: false,
            delack_at: None,
            timewait_at: None,
            connect_deadline: None,
            progress_at: Instant::ZERO,
            cwnd: 0,
            ssthresh: u32::MAX,
            dupacks: 0,
            recover: SeqNum(0),
            in_recovery: false,
            fast_rtx: false,
            sb: super::sack::Scoreboard::default(),
            rtx_hole: SeqNum(0),
            ack_now: false,
            unacked_bytes: 0,
            challenge_window: Instant::ZERO,
            challenge_count: 0,
            rst_out: None,
            dsack: None,
            challenge_pending: false,
            sack_sent: [(0, 0); 4],
            sack_sent_len: 0,
            events: EventQueue {
                queue: VecDeque::with_capacity(8),
                ..EventQueue::default()
            },
            stats: Stats::default(),
            ts_options: None,
            cfg: config,
        }
    }

    // ---- user calls (RFC 9293 §3.10.1–§3.10.6) ----

    /// Passive OPEN (§3.10.1): wait in LISTEN for a SYN from any remote
    /// port.
    ///
    /// The ISN for the answering SYN,ACK is the value last given to
    /// [`accept_isn`](Self::accept_isn); without one, netspec derives it
    /// from an [`IsnGenerator`](super::IsnGenerator) keyed with zeros, the
    /// ports and the arrival time (deterministic, but guessable: real
    /// users should supply ISNs from a keyed generator, RFC 6528).
    pub fn listen(&mut self) -> Result<(), UserError> {
        if self.state != State::Closed {
            return Err(UserError::AlreadyOpen);
        }
        self.reset_tcb();
        self.passive = true;
        self.set_state(State::Listen, Cause::PassiveOpen);
        Ok(())
    }

    /// Supply the ISN for the next passive open (the SYN,ACK sent when a
    /// SYN arrives in LISTEN). RFC 6528 generators: see
    /// [`IsnGenerator::isn`](super::IsnGenerator::isn).
    pub fn accept_isn(&mut self, isn: u32) {
        self.next_isn = Some(isn);
    }

    /// Active OPEN (§3.10.1) to `remote_port` with initial send sequence
    /// number `isn`: a SYN is queued and the state is SYN-SENT.
    pub fn connect(&mut self, now: Instant, remote_port: u16, isn: u32) -> Result<(), UserError> {
        if self.state != State::Closed {
            return Err(UserError::AlreadyOpen);
        }
        self.now = now;
        self.reset_tcb();
        self.passive = false;
        self.remote_port = remote_port;
        self.init_send_space(isn);
        self.connect_deadline = self.cfg.connect_timeout.map(|t| now + t);
        self.progress_at = now;
        self.set_state(State::SynSent, Cause::ActiveOpen);
        Ok(())
    }

    /// SEND (§3.10.2): queue as much of `data` as the send buffer holds;
    /// returns the count queued. Data queued in SYN-SENT or SYN-RECEIVED
    /// goes out once the connection is established.
    pub fn send(&mut self, data: &[u8]) -> Result<usize, UserError> {
        if let Some(e) = self.error {
            return Err(UserError::Failed(e));
        }
        match self.state {
            State::Closed | State::Listen => Err(UserError::NotConnected),
            // A passive OPEN names no foreign socket, and its SYN-RECEIVED
            // can fall back to LISTEN (§3.10.7.4 second and fourth checks),
            // which would silently discard anything queued here for a peer
            // that is gone. So data is only accepted once the connection is
            // synchronized, as for SEND in LISTEN with the foreign socket
            // unspecified (§3.10.2). Found by the `tcp_conn` fuzz target.
            State::SynReceived if self.passive => Err(UserError::NotConnected),
            State::SynSent | State::SynReceived | State::Established | State::CloseWait => {
                if self.fin_queued {
                    return Err(UserError::Closing);
                }
                if data.is_empty() {
                    return Ok(0);
                }
                let n = self.send_buf.enqueue(data);
                if n == 0 { Err(UserError::WouldBlock) } else { Ok(n) }
            }
            _ => Err(UserError::Closing),
        }
    }

    /// RECEIVE (§3.10.3): move in-order received data into `buf`.
    ///
    /// `Ok(0)` with a non-empty `buf` means end of stream (the peer's FIN
    /// was received and all data read); `Err(WouldBlock)` means no data
    /// yet.
    pub fn recv(&mut self, buf: &mut [u8]) -> Result<usize, UserError> {
        if buf.is_empty() {
            return Ok(0);
        }
        let n = self.recv_buf.dequeue(buf);
        if n > 0 {
            return Ok(n);
        }
        if self.fin_rcvd {
            return Ok(0);
        }
        if let Some(e) = self.error {
            return Err(UserError::Failed(e));
        }
        match self.state {
            State::Closed | State::Listen => Err(UserError::NotConnected),
            _ => Err(UserError::WouldBlock),
        }
    }

    /// The in-order received bytes that can be read now, in place, without
    /// a copy: the first contiguous run of the receive buffer (a ring, so
    /// after [`consume`](Self::consume)-ing all of it a second run may
    /// follow). Empty when nothing is readable; then [`recv`](Self::recv)
    /// tells end of stream from "no data yet".
    ///
    /// RECEIVE (§3.10.3) in two steps, for a user that can process the
    /// bytes where they are: look with `readable`, then `consume` what was
    /// used. The window reopens as bytes are consumed, as with `recv`.
    ///
    /// ```
    /// use netspec::tcp::{Config, Connection};
    ///
    /// let mut c = Connection::new(Config::default(), 80);
    /// assert!(c.readable().is_empty());
    /// assert_eq!(c.consume(10), 0);
    /// ```
    #[inline]
    pub fn readable(&self) -> &[u8] {
        self.recv_buf.readable()
    }

    /// Drop up to `n` bytes from the front of the readable data (those
    /// [`readable`](Self::readable) showed); returns the count dropped.
    #[inline]
    pub fn consume(&mut self, n: usize) -> usize {
        self.recv_buf.discard(n)
    }

    /// Copy in-order received data into `buf` without consuming it.
    pub fn peek(&self, buf: &mut [u8]) -> usize {
        self.recv_buf.peek_at(0, buf)
    }

    /// CLOSE (§3.10.4): "I have no more data to send". In an open state a
    /// FIN is queued behind the buffered data; receiving continues until
    /// the peer closes too. In LISTEN or SYN-SENT the TCB is deleted.
    pub fn close(&mut self, now: Instant) {
        self.now = now;
        match self.state {
            State::Listen | State::SynSent => self.enter_closed(Cause::Close, None),
            State::SynReceived | State::Established => {
                self.fin_queued = true;
                self.set_state(State::FinWait1, Cause::Close);
            }
            State::CloseWait => {
                self.fin_queued = true;
                self.set_state(State::LastAck, Cause::Close);
            }
            // Already closing or closed: nothing more to do (RFC 9293
            // §3.10.4 answers "connection closing" and ignores the call).
            _ => {}
        }
    }

    /// Half-close: the same as [`close`](Self::close), which in TCP only
    /// ends our direction of the stream.
    pub fn shutdown_write(&mut self, now: Instant) {
        self.close(now);
    }

    /// ABORT (§3.10.5): send a RST if the peer may hold state, and delete
    /// the TCB. Queued data is discarded.
    pub fn abort(&mut self, now: Instant) {
        self.now = now;
        match self.state {
            State::Closed => {}
            State::Listen | State::SynSent | State::Closing | State::LastAck | State::TimeWait => {
                self.enter_closed(Cause::Abort, Some(ConnectionError::Aborted));
            }
            State::SynReceived | State::Established | State::FinWait1 | State::FinWait2 | State::CloseWait => {
                // SND.NXT in the RFC's sense: the highest sent.
                let seq = self.snd_max;
                self.enter_closed(Cause::Abort, Some(ConnectionError::Aborted));
                self.rst_out = Some(RstSpec {
                    seq,
                    ack: None,
                    to_port: self.remote_port,
                });
            }
        }
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop()
    }

    // ---- STATUS (§3.10.6) ----

    /// The current state.
    pub fn state(&self) -> State {
        self.state
    }

    /// Why the connection failed, if it did.
    pub fn error(&self) -> Option<ConnectionError> {
        self.error
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// Local port.
    pub fn local_port(&self) -> u16 {
        self.local_port
    }

    /// Remote port (0 before a peer is known).
    pub fn remote_port(&self) -> u16 {
        self.remote_port
    }

    /// SND.UNA: oldest unacknowledged sequence number.
    pub fn snd_una(&self) -> SeqNum {
        self.snd_una
    }

    /// SND.NXT: the highest sequence number sent so far, plus one (the
    /// RFC's SND.NXT; internally the send point may be rewound after a
    /// timeout).
    #[allow(clippy::misnamed_getters)]
    pub fn snd_nxt(&self) -> SeqNum {
        self.snd_max
    }

    /// SND.WND: the peer's advertised window, scaled, in bytes.
    pub fn snd_wnd(&self) -> u32 {
        self.snd_wnd
    }

    /// RCV.NXT: next sequence number expected.
    pub fn rcv_nxt(&self) -> SeqNum {
        self.rcv_nxt
    }

    /// RCV.WND: the receive window we would advertise now.
    pub fn rcv_wnd(&self) -> u32 {
        self.recv_buf.free().min(u32::MAX as usize) as u32
    }

    /// ISS: our initial sequence number.
    pub fn iss(&self) -> SeqNum {
        self.iss
    }

    /// IRS: the peer's initial sequence number.
    pub fn irs(&self) -> SeqNum {
        self.irs
    }

    /// The effective send MSS (payload bytes per segment before options).
    pub fn send_mss(&self) -> u32 {
        self.snd_mss
    }

    /// The congestion window, in bytes.
    pub fn cwnd(&self) -> u32 {
        self.cwnd
    }

    /// The current retransmission timeout.
    pub fn rto(&self) -> Duration {
        self.rtt.rto()
    }

    /// The RTT estimator.
    pub fn rtt(&self) -> &RttEstimator {
        &self.rtt
    }

    /// Bytes that `recv` can return now.
    pub fn bytes_readable(&self) -> usize {
        self.recv_buf.len()
    }

    /// Bytes that `send` can accept now.
    pub fn send_space(&self) -> usize {
        if self.fin_queued { 0 } else { self.send_buf.free() }
    }

    /// Bytes queued for sending or awaiting acknowledgment.
    pub fn bytes_unacked(&self) -> usize {
        self.send_buf.len()
    }

    /// Whether the peer's FIN has been received (end of stream).
    pub fn peer_closed(&self) -> bool {
        self.fin_rcvd
    }

    /// The negotiated (send, receive) window shifts (RFC 7323 §2).
    pub fn window_shifts(&self) -> (u8, u8) {
        (self.snd_wscale, self.rcv_wscale)
    }

    /// Whether timestamps and SACK were negotiated.
    pub fn ts_sack(&self) -> (bool, bool) {
        (self.ts_ok, self.sack_ok)
    }

    /// Bytes held out of order in the reassembly area.
    pub fn reassembly_bytes(&self) -> usize {
        self.asm.ranges().iter().map(|&(s, e)| (e - s) as usize).sum()
    }

    /// The latest time passed to any call.
    pub fn last_time(&self) -> Instant {
        self.now
    }

    /// Counters.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    // ---- internals shared by input, output and timers ----

    /// Forget everything about a previous incarnation (but the state, the
    /// queued events, the counters and the ISN given for the next passive
    /// open).
    pub(super) fn reset_tcb(&mut self) {
        let keep_isn = self.next_isn;
        let events = core::mem::take(&mut self.events);
        let stats = self.stats;
        let now = self.now;
        let state = self.state;
        // Reuse the allocations: a reopened connection must not allocate.
        let mut send_buf = core::mem::replace(&mut self.send_buf, RingBuffer::new(0));
        let mut recv_buf = core::mem::replace(&mut self.recv_buf, RingBuffer::new(0));
        send_buf.discard(usize::MAX);
        recv_buf.discard(usize::MAX);
        *self = Connection::with_buffers(self.cfg.clone(), self.local_port, send_buf, recv_buf);
        self.next_isn = keep_isn;
        self.events = events;
        self.stats = stats;
        self.now = now;
        // The state changes only through `set_state`, which reports it.
        self.state = state;
    }

    pub(super) fn init_send_space(&mut self, isn: u32) {
        self.iss = SeqNum(isn);
        self.snd_una = self.iss;
        self.snd_nxt = self.iss;
        self.snd_max = self.iss;
        self.recover = self.iss;
        self.syn_acked = false;
    }

    pub(super) fn push_event(&mut self, ev: Event) {
        self.events.push(ev);
    }

    pub(super) fn set_state(&mut self, to: State, cause: Cause) {
        let from = self.state;
        debug_assert!(diagram::is_edge(from, to, cause), "{from:?} -> {to:?} ({cause:?})");
        self.state = to;
        self.push_event(Event::StateChanged { from, to, cause });
        match to {
            State::Established => self.push_event(Event::Connected),
            State::TimeWait => {
                self.rtx_at = None;
                self.persist_at = None;
                self.timewait_at = Some(self.now + self.cfg.msl.saturating_mul(2));
            }
            _ => {}
        }
    }

    /// Enter CLOSED, delete the TCB's timers and remember why.
    pub(super) fn enter_closed(&mut self, cause: Cause, error: Option<ConnectionError>) {
        if self.state == State::Closed {
            return;
        }
        self.set_state(State::Closed, cause);
        if error.is_some() {
            self.error = error;
        }
        if error == Some(ConnectionError::Reset) || error == Some(ConnectionError::Refused) {
            self.push_event(Event::Reset);
        }
        self.rtx_at = None;
        self.persist_at = None;
        self.delack_at = None;
        self.timewait_at = None;
        self.connect_deadline = None;
        self.ack_now = false;
        self.probe_due = false;
        self.fast_rtx = false;
        if error.is_some() {
            // RFC 9293 §3.10.7.4: on reset "all segment queues should be
            // flushed"; unread data stays readable only on a normal close.
            self.send_buf.discard(usize::MAX);
        }
        self.push_event(Event::Closed);
    }

    /// The sequence number of `send_buf[0]`.
    pub(super) fn buf_seq(&self) -> SeqNum {
        if self.syn_acked { self.snd_una } else { self.iss + 1u32 }
    }

    /// The FIN's sequence number, once the user has closed.
    pub(super) fn fin_seq(&self) -> Option<SeqNum> {
        if !self.fin_queued {
            None
        } else if self.fin_acked {
            // SND.UNA moved past the FIN.
            Some(self.snd_una - 1)
        } else {
            Some(self.buf_seq() + self.send_buf.len())
        }
    }

    /// Whether our FIN has been sent (it is below SND.MAX).
    pub(super) fn fin_sent(&self) -> bool {
        self.fin_seq().is_some_and(|f| self.snd_max > f)
    }

    /// Queue a challenge ACK (RFC 5961 §3.2, §4.2, §5.2) within the rate
    /// limit of §7.
    pub(super) fn challenge_ack(&mut self) {
        let now = self.now;
        if now.saturating_since(self.challenge_window) >= Duration::from_secs(1) {
            self.challenge_window = now;
            self.challenge_count = 0;
        }
        let limit = self.cfg.challenge_ack_limit;
        if limit == 0 || self.challenge_count < limit {
            self.challenge_count += 1;
            self.stats.challenge_acks += 1;
            self.ack_now = true;
            self.challenge_pending = true;
        }
    }

    /// The invariants the property tests check after every call:
    /// SND.UNA ≤ SND.NXT ≤ SND.MAX and buffers within their bounds.
    pub fn check_invariants(&self) -> Result<(), &'static str> {
        if self.snd_una > self.snd_nxt {
            return Err("SND.UNA > SND.NXT");
        }
        if self.snd_nxt > self.snd_max {
            return Err("SND.NXT > SND.MAX");
        }
        if self.send_buf.len() > self.cfg.send_buffer || self.recv_buf.len() > self.cfg.recv_buffer {
            return Err("buffer over its bound");
        }
        if let Some(&(_, end)) = self.asm.ranges().last() {
            if end as usize > self.recv_buf.free() {
                return Err("reassembly beyond the receive buffer");
            }
        }
        if self.events.len() > EVENT_QUEUE_LIMIT {
            return Err("event queue over its bound");
        }
        Ok(())
    }
}
