//! Segment arrival (RFC 9293 §3.10.7), in the RFC's order of checks.

use core::net::{IpAddr, Ipv4Addr};
use core::time::Duration;

use super::closed::reset_reply;
use super::conn::RstSpec;
use super::diagram::Cause;
pub(super) use super::segment::Seg;
use super::{Connection, ConnectionError, Event, Instant, IsnGenerator, SeqNum, State};
use crate::transport::tcp::{TcpFlags, TcpSegment};

/// Where in-order text may go directly: a reader waiting in RECEIVE
/// (`Connection::on_segment_direct`).
type Sink<'s> = Option<&'s mut dyn FnMut(&[u8]) -> usize>;

impl Connection {
    /// Process one arriving segment (RFC 9293 §3.10.7).
    ///
    /// The segment must already have passed the checksum and be addressed
    /// to this connection's local port; demultiplexing by 4-tuple is the
    /// caller's job (segments from another remote port are ignored once
    /// the connection has a peer).
    pub fn on_segment(&mut self, now: Instant, segment: &TcpSegment<'_>) {
        self.segment_in(now, segment, None);
    }

    /// [`on_segment`](Self::on_segment) for a user waiting in RECEIVE
    /// (§3.10.3): when the segment's text is next in sequence and nothing
    /// is buffered before it, it is offered to `deliver` straight from the
    /// segment, without passing through the receive buffer (as BSD and
    /// Linux copy to a waiting reader). `deliver` returns how many of the
    /// offered bytes it took (at most their length); the rest is buffered
    /// as usual and read with [`recv`](Self::recv) or
    /// [`readable`](Self::readable). Text that arrives out of order, or
    /// behind buffered bytes, is always buffered, so the user sees the
    /// stream in order either way.
    ///
    /// ```
    /// use netspec::tcp::{Config, Connection, Instant, State};
    /// use netspec::transport::tcp::TcpSegment;
    ///
    /// // Move every segment `from` has to `to`, whose reader appends
    /// // whatever is offered to `got`.
    /// fn pump(from: &mut Connection, to: &mut Connection, got: &mut Vec<u8>) -> netspec::Result<()> {
    ///     let mut wire = [0u8; 1500];
    ///     while let Some(t) = from.poll_transmit_segment(Instant::ZERO, &mut wire) {
    ///         let seg = TcpSegment::parse(&wire[..t.header.header_len() + t.payload_len])?;
    ///         to.on_segment_direct(Instant::ZERO, &seg, &mut |p| {
    ///             got.extend_from_slice(p);
    ///             p.len()
    ///         });
    ///     }
    ///     Ok(())
    /// }
    ///
    /// let (mut a, mut b) = (Connection::new(Config::default(), 1), Connection::new(Config::default(), 2));
    /// b.listen()?;
    /// a.connect(Instant::ZERO, 2, 100)?;
    /// let mut got = Vec::new();
    /// pump(&mut a, &mut b, &mut got)?; // SYN
    /// pump(&mut b, &mut a, &mut got)?; // SYN,ACK
    /// assert_eq!(a.state(), State::Established);
    /// a.send(b"hello")?;
    /// pump(&mut a, &mut b, &mut got)?; // ACK and data
    /// assert_eq!(got, b"hello");
    /// assert!(b.readable().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn on_segment_direct(
        &mut self,
        now: Instant,
        segment: &TcpSegment<'_>,
        deliver: &mut dyn FnMut(&[u8]) -> usize,
    ) {
        self.segment_in(now, segment, Some(deliver));
    }

    fn segment_in(&mut self, now: Instant, segment: &TcpSegment<'_>, sink: Sink<'_>) {
        self.now = now;
        self.stats.segments_received += 1;
        let seg = Seg::new(segment);
        match self.state {
            State::Closed => {
                if !self.cfg.blackhole {
                    self.rst_out = reset_reply(&seg);
                }
            }
            State::Listen => self.on_listen(&seg),
            State::SynSent => {
                if seg.src_port == self.remote_port {
                    self.on_syn_sent(&seg);
                }
            }
            _ => {
                if seg.src_port == self.remote_port {
                    self.on_synchronized(&seg, sink);
                }
            }
        }
        self.after_ack_update();
    }

    /// §3.10.7.2: LISTEN.
    fn on_listen(&mut self, seg: &Seg<'_>) {
        if seg.has(TcpFlags::RST) {
            return;
        }
        if seg.has(TcpFlags::ACK) {
            if self.cfg.listen_drop_syn_ack && seg.has(TcpFlags::SYN) {
                // FreeBSD's syncache drops a SYN,ACK silently.
                return;
            }
            self.rst_out = Some(RstSpec {
                seq: seg.ack,
                ack: None,
                to_port: seg.src_port,
            });
            return;
        }
        if !seg.has(TcpFlags::SYN) {
            return;
        }
        self.remote_port = seg.src_port;
        let isn = self.next_isn.take().unwrap_or_else(|| {
            let any = IpAddr::V4(Ipv4Addr::UNSPECIFIED);
            IsnGenerator::new([0; 16]).isn(self.now, any, self.local_port, any, seg.src_port)
        });
        self.init_send_space(isn);
        self.irs = seg.seq;
        self.rcv_nxt = seg.seq + 1u32;
        self.negotiate(seg);
        self.snd_wnd = u32::from(seg.window);
        self.max_snd_wnd = self.snd_wnd;
        self.snd_wl1 = seg.seq;
        self.snd_wl2 = self.iss;
        self.rcv_adv = self.rcv_nxt;
        self.connect_deadline = self.cfg.connect_timeout.map(|t| self.now + t);
        self.progress_at = self.now;
        // Data and FIN on a SYN are not kept (RFC 9293 allows queuing them;
        // the peer retransmits what we do not acknowledge).
        self.set_state(State::SynReceived, Cause::RcvSyn);
    }

    /// Take the peer's SYN options (RFC 9293 §3.7.1, RFC 7323 §2.2 and
    /// §3.2, RFC 2018 §2). An option counts only if we offer it too.
    fn negotiate(&mut self, seg: &Seg<'_>) {
        let peer_mss = match seg.opts.mss {
            Some(mss) => mss.max(self.cfg.min_send_mss),
            None => self.cfg.default_mss,
        };
        self.snd_mss = u32::from(peer_mss.min(self.cfg.mss)).max(1);
        match seg.opts.wscale {
            Some(shift) if self.cfg.window_scaling => {
                // RFC 7323 §2.3: a shift above 14 is used as 14.
                self.snd_wscale = shift.min(14);
                self.rcv_wscale = self.cfg.rcv_wscale();
                self.ws_ok = true;
            }
            _ => {
                self.snd_wscale = 0;
                self.rcv_wscale = 0;
                self.ws_ok = false;
            }
        }
        self.ts_ok = self.cfg.timestamps && seg.opts.ts.is_some();
        if let Some((val, _)) = seg.opts.ts {
            self.ts_recent = val;
        }
        self.sack_ok = self.cfg.sack && seg.opts.sack_permitted;
    }

    /// §3.10.7.3: SYN-SENT.
    fn on_syn_sent(&mut self, seg: &Seg<'_>) {
        let has_ack = seg.has(TcpFlags::ACK);
        if has_ack && (seg.ack <= self.iss || seg.ack > self.snd_max) {
            if !seg.has(TcpFlags::RST) {
                self.rst_out = Some(RstSpec {
                    seq: seg.ack,
                    ack: None,
                    to_port: seg.src_port,
                });
            }
            return;
        }
        if seg.has(TcpFlags::RST) {
            if has_ack {
                self.enter_closed(Cause::RcvRst, Some(ConnectionError::Refused));
            }
            return;
        }
        if !seg.has(TcpFlags::SYN) {
            return;
        }
        self.irs = seg.seq;
        self.rcv_nxt = seg.seq + 1u32;
        self.rcv_adv = self.rcv_nxt;
        self.negotiate(seg);
        // Windows in SYN segments are never scaled (RFC 7323 §2.2).
        self.snd_wnd = u32::from(seg.window);
        self.max_snd_wnd = self.snd_wnd;
        self.snd_wl1 = seg.seq;
        self.snd_wl2 = seg.ack;
        if has_ack {
            self.ack_of_syn(seg.ack);
            self.set_state(State::Established, Cause::RcvSynAck);
            self.ack_now = true;
            // Data or FIN carried on the SYN,ACK: process as in ESTABLISHED.
            let rest = Seg {
                seq: seg.seq + 1u32,
                flags: seg.flags - TcpFlags::SYN,
                ..*seg
            };
            self.text_and_fin(None, rest.seq, rest.payload, rest.has(TcpFlags::FIN));
        } else {
            // Simultaneous open: answer with SYN,ACK from the same ISS.
            // Text on the SYN is queued until ESTABLISHED (RFC 9293
            // §3.10.7.3): held like out-of-order data, so the SYN,ACK
            // acknowledges only the SYN.
            if !seg.payload.is_empty() {
                let n = self.recv_buf.write_unallocated(0, seg.payload);
                self.asm.add(0, n as u32);
            }
            self.snd_nxt = self.iss;
            self.set_state(State::SynReceived, Cause::RcvSyn);
        }
    }

    /// Our SYN is acknowledged by `ack`: the handshake's half is done.
    fn ack_of_syn(&mut self, ack: SeqNum) {
        self.syn_acked = true;
        self.snd_una = ack;
        self.snd_nxt = self.snd_nxt.max(ack);
        if let Some((seq, t)) = self.rtt_probe.take() {
            if ack > seq {
                self.rtt.sample(self.now.saturating_since(t));
            }
        }
        self.rtx_at = None;
        self.rtx_count = 0;
        self.connect_deadline = None;
        self.cwnd = self
            .cfg
            .initial_window_segments
            .max(1)
            .saturating_mul(self.seg_payload_max());
        self.progress_at = self.now;
    }

    /// The receive window we last advertised, RCV.WND.
    fn rcv_wnd_adv(&self) -> u32 {
        if self.rcv_adv > self.rcv_nxt {
            self.rcv_adv.since(self.rcv_nxt)
        } else {
            0
        }
    }

    /// RCV.WND for the acceptability test: the advertised window, or with
    /// [`super::Config::rcv_wnd_free_space`] all free buffer space (not in
    /// TIME-WAIT, nor in SYN-RECEIVED from LISTEN, where FreeBSD keeps the
    /// advertised window).
    fn rcv_wnd_accept(&self) -> u32 {
        let adv = self.rcv_wnd_adv();
        let syncache = self.state == State::SynReceived && self.passive;
        if !self.cfg.rcv_wnd_free_space || self.state == State::TimeWait || syncache {
            return adv;
        }
        let free = u32::try_from(self.recv_buf.free()).unwrap_or(u32::MAX);
        adv.max(free)
    }

    /// TIME-WAIT as FreeBSD's `tcp_twcheck`
    /// ([`super::Config::timewait_bsd_check`]) for a segment without RST
    /// or SYN: drop it without ACK, restart 2·MSL on a retransmitted FIN,
    /// acknowledge anything but a pure duplicate ACK.
    fn timewait_bsd(&mut self, seg: &Seg<'_>) {
        if !seg.has(TcpFlags::ACK) {
            return;
        }
        if seg.has(TcpFlags::FIN) && seg.seq + seg.len() == self.rcv_nxt {
            self.timewait_at = Some(self.now + self.cfg.msl.saturating_mul(2));
        }
        let dup_ack =
            seg.flags == TcpFlags::ACK && seg.payload.is_empty() && seg.seq == self.rcv_nxt && seg.ack == self.snd_nxt;
        if !dup_ack {
            self.ack_now = true;
        }
    }

    /// §3.10.7.4: SYN-RECEIVED and the synchronized states.
    fn on_synchronized(&mut self, seg: &Seg<'_>, sink: Sink<'_>) {
        let rst = seg.has(TcpFlags::RST);
        if self.state == State::TimeWait {
            if rst && self.cfg.timewait_ignore_rst {
                // RFC 1337 §3: no TIME-WAIT assassination.
                return;
            }
            if self.cfg.timewait_bsd_check && !rst && !seg.has(TcpFlags::SYN) {
                self.timewait_bsd(seg);
                return;
            }
        }
        // PAWS (RFC 7323 §5.3): a timestamp older than TS.Recent marks an
        // old duplicate.
        if self.ts_ok && !rst {
            if let Some((val, _)) = seg.opts.ts {
                if (val.wrapping_sub(self.ts_recent) as i32) < 0 {
                    self.ack_now = true;
                    return;
                }
            }
        }

        // First: the four-case acceptability test.
        let wnd = self.rcv_wnd_accept();
        let len = seg.len();
        let acceptable = match (len, wnd) {
            (0, 0) => seg.seq == self.rcv_nxt,
            (0, _) => seg.seq.in_window(self.rcv_nxt, wnd),
            (_, 0) => false,
            _ => seg.seq.in_window(self.rcv_nxt, wnd) || (seg.seq + (len - 1)).in_window(self.rcv_nxt, wnd),
        };
        // With `stale_ack`, an old segment (all of it before RCV.NXT) is
        // acknowledged and trimmed to nothing below, but its ACK field is
        // still processed, as 4.4BSD's tcp_input does.
        let stale = !acceptable
            && self.cfg.stale_ack
            && !rst
            && !seg.has(TcpFlags::SYN)
            && seg.has(TcpFlags::ACK)
            && self.state != State::TimeWait
            && seg.seq < self.rcv_nxt;
        if stale {
            self.ack_now = true;
        } else if !acceptable {
            if !rst {
                self.ack_now = true;
                if seg.has(TcpFlags::SYN) && self.state != State::SynReceived {
                    // FreeBSD answers a SYN in a synchronized state with a
                    // challenge ACK before the sequence check (RFC 5961
                    // §4.2): mark it so, for `Config::fin_on_ack`.
                    self.challenge_pending = true;
                }
                // Data wholly below RCV.NXT: a duplicate (RFC 2883 §4).
                let end = seg.seq + seg.payload.len();
                if !seg.payload.is_empty() && end <= self.rcv_nxt {
                    self.note_dsack(seg.seq, end);
                }
                if self.state == State::TimeWait && seg.has(TcpFlags::FIN) {
                    // A retransmitted FIN: acknowledge it and restart 2·MSL.
                    self.timewait_at = Some(self.now + self.cfg.msl.saturating_mul(2));
                }
            }
            return;
        }
        // Update TS.Recent (RFC 7323 §4.3): the segment covers the last
        // ACK we sent.
        if let Some((val, _)) = seg.opts.ts {
            if self.ts_ok && seg.seq <= self.last_ack_sent {
                self.ts_recent = val;
            }
        }

        // Trim to the window: drop what precedes RCV.NXT and what exceeds
        // the right edge.
        let mut seq = seg.seq;
        let mut payload = seg.payload;
        let mut syn = seg.has(TcpFlags::SYN);
        let mut fin = seg.has(TcpFlags::FIN);
        if seq < self.rcv_nxt {
            let data_start = if syn { seq + 1u32 } else { seq };
            let data_end = data_start + payload.len();
            if data_start < self.rcv_nxt && data_end > data_start {
                let end = if data_end < self.rcv_nxt {
                    data_end
                } else {
                    self.rcv_nxt
                };
                self.note_dsack(data_start, end);
            }
            let mut d = self.rcv_nxt.since(seq);
            if syn {
                syn = false;
                d -= 1;
            }
            if d as usize > payload.len() {
                fin = false;
            }
            payload = &payload[(d as usize).min(payload.len())..];
            seq = self.rcv_nxt;
        }
        let room = wnd.saturating_sub(seq.since(self.rcv_nxt)) as usize;
        if payload.len() > room {
            payload = &payload[..room];
            fin = false;
        }

        // Second: RST (RFC 5961 §3.2 when enabled).
        if rst {
            if self.cfg.rfc5961_rst && seg.seq != self.rcv_nxt {
                self.challenge_ack();
                return;
            }
            self.on_reset();
            return;
        }

        // Fourth: SYN in the window (RFC 5961 §4.2 when enabled).
        if syn {
            if self.state == State::SynReceived && self.passive {
                self.back_to_listen(Cause::RcvSyn);
            } else if self.cfg.rfc5961_syn {
                self.challenge_ack();
            } else {
                // RFC 9293 leaves the reset's form open; it takes BSD's and
                // Linux's <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>.
                self.rst_out = Some(RstSpec {
                    seq: self.snd_max,
                    ack: Some(self.rcv_nxt),
                    to_port: seg.src_port,
                });
                self.enter_closed(Cause::RcvSyn, Some(ConnectionError::Reset));
            }
            return;
        }

        // Fifth: ACK.
        if !seg.has(TcpFlags::ACK) {
            return;
        }
        if !self.syn_acked {
            if seg.ack > self.snd_una && seg.ack <= self.snd_max {
                self.ack_of_syn(self.iss + 1u32);
                self.snd_una = self.iss + 1u32;
                self.snd_wnd = u32::from(seg.window) << self.snd_wscale;
                self.max_snd_wnd = self.snd_wnd;
                self.snd_wl1 = seg.seq;
                self.snd_wl2 = seg.ack;
                if self.state == State::SynReceived {
                    self.set_state(State::Established, Cause::RcvAckOfSyn);
                    // Text queued from the SYN of a simultaneous open.
                    let n = self.asm.take_front();
                    if n > 0 {
                        self.recv_buf.commit(n as usize);
                        self.rcv_nxt += n;
                        self.push_event(Event::Readable);
                    }
                }
            } else {
                self.rst_out = Some(RstSpec {
                    seq: seg.ack,
                    ack: None,
                    to_port: seg.src_port,
                });
                return;
            }
        }
        if seg.ack > self.snd_max {
            if self.cfg.rfc5961_ack {
                self.challenge_ack();
            } else {
                self.ack_now = true;
            }
            return;
        }
        let lowest = self.snd_una - self.max_snd_wnd.max(1);
        if self.cfg.rfc5961_ack && seg.ack < lowest {
            self.challenge_ack();
            return;
        }
        let was_fin_acked = self.fin_acked;
        let new_ack = seg.ack > self.snd_una;
        if new_ack {
            self.ack_advance(seg);
        } else if seg.ack == self.snd_una {
            self.maybe_dupack(seg);
        }
        if self.sack_ok {
            let n = seg.opts.n_sack;
            self.sb.update(self.snd_una, self.snd_max, &seg.opts.sack[..n]);
            self.maybe_sack_recovery();
        }
        // The window update rule of §3.10.7.4 (SND.WL1/WL2), widened as
        // Linux does: a segment that acknowledges new data also carries the
        // newest window, even if its sequence number is old (a
        // retransmission), else SND.UNA could overtake the known right edge.
        if seg.ack.diff(self.snd_una) >= 0
            && (new_ack || self.snd_wl1 < seg.seq || (self.snd_wl1 == seg.seq && self.snd_wl2 <= seg.ack))
        {
            self.snd_wnd = u32::from(seg.window) << self.snd_wscale;
            self.snd_wl1 = seg.seq;
            self.snd_wl2 = seg.ack;
            self.max_snd_wnd = self.max_snd_wnd.max(self.snd_wnd);
        }
        if self.fin_acked && !was_fin_acked {
            match self.state {
                State::Closing => self.set_state(State::TimeWait, Cause::RcvAckOfFin),
                State::LastAck => {
                    self.enter_closed(Cause::RcvAckOfFin, None);
                    return;
                }
                _ => {}
            }
        }

        // Sixth: URG. Seventh and eighth: text and FIN.
        self.check_urgent(seg);
        self.text_and_fin(sink, seq, payload, fin);
        if self.state == State::FinWait1 && self.fin_acked {
            self.set_state(State::FinWait2, Cause::RcvAckOfFin);
        }
    }

    /// A RST passed the checks: close per state (§3.10.7.4 second check).
    fn on_reset(&mut self) {
        match self.state {
            State::SynReceived if self.passive => self.back_to_listen(Cause::RcvRst),
            State::SynReceived => self.enter_closed(Cause::RcvRst, Some(ConnectionError::Refused)),
            State::Established | State::FinWait1 | State::FinWait2 | State::CloseWait => {
                self.enter_closed(Cause::RcvRst, Some(ConnectionError::Reset));
            }
            State::Closing | State::LastAck if self.cfg.reset_error_when_closing => {
                self.enter_closed(Cause::RcvRst, Some(ConnectionError::Reset));
            }
            _ => self.enter_closed(Cause::RcvRst, None),
        }
    }

    /// SYN-RECEIVED from a passive OPEN goes back to LISTEN.
    fn back_to_listen(&mut self, cause: Cause) {
        self.reset_tcb();
        self.passive = true;
        self.set_state(State::Listen, cause);
    }

    /// New data acknowledged: SND.UNA advances (§3.10.7.4 fifth check).
    fn ack_advance(&mut self, seg: &Seg<'_>) {
        let fin_seq = self.fin_seq();
        let fin_sent = self.fin_sent();
        let mut acked = seg.ack.since(self.snd_una);
        if fin_sent && fin_seq.is_some_and(|f| seg.ack == f + 1u32) {
            self.fin_acked = true;
            acked -= 1;
        }
        self.send_buf.discard(acked as usize);
        self.snd_una = seg.ack;
        self.sb.advance(self.snd_una);
        if self.snd_nxt < self.snd_una {
            self.snd_nxt = self.snd_una;
        }
        // RTT measurement: timestamps (RFC 7323 §4.1) or the one timed
        // segment (RFC 6298 §3, Karn: never a retransmitted one).
        let mut sampled = false;
        if self.ts_ok {
            if let Some((_, ecr)) = seg.opts.ts {
                let d = self.ts_now().wrapping_sub(ecr);
                if ecr != 0 && d < 0x8000_0000 {
                    self.rtt.sample(Duration::from_millis(u64::from(d)));
                    sampled = true;
                }
            }
        }
        if let Some((pseq, t)) = self.rtt_probe {
            if seg.ack > pseq {
                self.rtt_probe = None;
                if !sampled {
                    self.rtt.sample(self.now.saturating_since(t));
                }
            }
        }
        self.rtx_count = 0;
        self.persist_backoff = 0;
        self.progress_at = self.now;
        self.rtx_at = if self.snd_una == self.snd_max {
            None
        } else {
            Some(self.now + self.rtt.rto())
        };
        self.on_new_ack_cc(acked, seg.ack);
        self.dupacks = 0;
        if acked > 0 {
            self.push_event(Event::Writable);
        }
    }

    /// Seventh and eighth checks: queue the text, then the FIN.
    fn text_and_fin(&mut self, sink: Sink<'_>, seq: SeqNum, payload: &[u8], fin: bool) {
        let takes_text = matches!(self.state, State::Established | State::FinWait1 | State::FinWait2);
        if !payload.is_empty() && takes_text {
            self.process_data(seq, payload, sink);
        }
        if fin && !matches!(self.state, State::Closed | State::Listen | State::SynSent) {
            let fin_seq = seq + payload.len();
            if fin_seq == self.rcv_nxt {
                self.process_fin();
            } else if fin_seq > self.rcv_nxt && takes_text {
                self.ooo_fin = Some(fin_seq);
                self.ack_now = true;
            }
        }
        if self.ooo_fin == Some(self.rcv_nxt) && !self.fin_rcvd {
            self.process_fin();
        }
    }

    /// Place data in the receive ring (in order or out of order) and
    /// decide how soon to acknowledge (RFC 9293 §3.8.6.3, RFC 5681 §4.2).
    fn process_data(&mut self, seq: SeqNum, payload: &[u8], sink: Sink<'_>) {
        let off = seq.since(self.rcv_nxt) as usize;
        // Data already held out of order is a duplicate too: report the
        // first overlap (RFC 2883 §4), unless a part below RCV.NXT was.
        if self.dsack.is_none() {
            let end = (off + payload.len()) as u32;
            let overlap = self.asm.ranges().iter().find(|&&(s, e)| s < end && e > off as u32);
            if let Some(&(s, e)) = overlap {
                let (s, e) = (s.max(off as u32), e.min(end));
                self.note_dsack(self.rcv_nxt + s, self.rcv_nxt + e);
            }
        }
        let was_ooo = !self.asm.is_empty();
        if off == 0 && !was_ooo {
            // In order with nothing held out of order (the common case):
            // no range to track. A waiting reader takes what it can
            // straight from the segment if nothing is buffered before it;
            // the rest becomes readable at once. `clear` also forgets the
            // last SACK-reported range, as `take_front` would once the
            // data is in order.
            let taken = match sink {
                Some(deliver) if self.recv_buf.is_empty() => deliver(payload).min(payload.len()),
                _ => 0,
            };
            let written = self.recv_buf.write_unallocated(0, &payload[taken..]);
            let n = taken + written;
            if n == 0 {
                self.ack_now = true;
                return;
            }
            self.asm.clear();
            self.recv_buf.commit(written);
            // At most one segment's payload: below 2^16.
            self.rcv_nxt += n as u32;
            if written > 0 {
                self.push_event(Event::Readable);
            }
            self.delay_ack(n);
            return;
        }
        let written = self.recv_buf.write_unallocated(off, payload);
        if written == 0 || !self.asm.add(off as u32, (off + written) as u32) {
            self.ack_now = true;
            return;
        }
        let n = self.asm.take_front();
        if n > 0 {
            self.recv_buf.commit(n as usize);
            self.rcv_nxt += n;
            self.push_event(Event::Readable);
        }
        if off > 0 || was_ooo {
            // Out-of-order data, or data filling a hole: ACK at once so the
            // sender sees duplicate ACKs / the advance quickly.
            self.ack_now = true;
            return;
        }
        self.delay_ack(written);
    }

    /// In-order data of `written` bytes arrived: acknowledge at once or
    /// delay (RFC 9293 §3.8.6.3: at least every second full-sized segment,
    /// and within the delayed-ACK time).
    fn delay_ack(&mut self, written: usize) {
        let credit = if self.cfg.ack_every_segment {
            self.seg_payload_max()
        } else {
            written as u32
        };
        self.unacked_bytes = self.unacked_bytes.saturating_add(credit);
        let threshold = self.cfg.ack_every.max(1).saturating_mul(self.seg_payload_max());
        match self.cfg.delayed_ack {
            Some(d) if self.unacked_bytes < threshold => {
                if self.delack_at.is_none() {
                    self.delack_at = Some(self.now + d);
                }
            }
            _ => self.ack_now = true,
        }
    }

    /// Remember a duplicate range for the next ACK's D-SACK block and send
    /// that ACK at once (RFC 2883 §4).
    fn note_dsack(&mut self, start: SeqNum, end: SeqNum) {
        if self.cfg.dsack && self.sack_ok {
            self.dsack = Some((start, end));
            self.ack_now = true;
        }
    }

    /// The peer's FIN is next in sequence: consume it (eighth check).
    fn process_fin(&mut self) {
        self.rcv_nxt += 1u32;
        self.fin_rcvd = true;
        self.ooo_fin = None;
        self.ack_now = true;
        self.push_event(Event::PeerClosed);
        self.push_event(Event::Readable);
        match self.state {
            State::SynReceived | State::Established => self.set_state(State::CloseWait, Cause::RcvFin),
            State::FinWait1 => {
                if self.fin_acked {
                    self.set_state(State::TimeWait, Cause::RcvFinAckOfFin);
                } else {
                    self.set_state(State::Closing, Cause::RcvFin);
                }
            }
            State::FinWait2 => self.set_state(State::TimeWait, Cause::RcvFin),
            _ => {}
        }
    }
}
