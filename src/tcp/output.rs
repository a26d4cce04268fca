//! Building outgoing segments: SYN, data, FIN, ACK and RST (RFC 9293
//! §3.8.6.2 sender algorithms, §3.7.4 Nagle, RFC 7323 and RFC 2018
//! options).

use super::closed::rst_header;
use super::config::SynOptionLayout;
use super::{Connection, Instant, SeqNum, State, Transmit};
use crate::transport::tcp::{TcpFlags, TcpHeader};
use crate::transport::tcp_option::{TcpOption, TcpOptions};

/// Bytes the Timestamps option takes in a data segment (NOP, NOP, TS).
const TS_SPACE: u32 = 12;

/// The largest TCP header: 20 bytes and 40 of options (RFC 9293 §3.1,
/// the 4-bit data offset counts at most 15 words).
pub const MAX_TCP_HEADER: usize = 60;

impl Connection {
    /// Our timestamp clock (RFC 7323 §5.4): milliseconds of virtual time,
    /// plus one so that it never reads 0, which a TSecr of "none" uses.
    pub(super) fn ts_now(&self) -> u32 {
        (self.now.as_millis() as u32).wrapping_add(1)
    }

    /// Largest payload of a segment carrying our usual options: the send
    /// MSS less the timestamp option (RFC 9293 §3.7.1: the MSS counts no
    /// TCP options).
    pub(super) fn seg_payload_max(&self) -> u32 {
        let ts = if self.ts_ok { TS_SPACE } else { 0 };
        self.snd_mss.saturating_sub(ts).max(1)
    }

    /// The next segment to send, if any; its payload is copied to the
    /// start of `payload` (which bounds the segment size).
    ///
    /// Call repeatedly until it returns `None`. The header's checksum is
    /// zero; the IP layer fills it in.
    pub fn poll_transmit(&mut self, now: Instant, payload: &mut [u8]) -> Option<Transmit> {
        self.now = now;
        let t = self.next_segment(payload)?;
        self.stats.segments_sent += 1;
        Some(t)
    }

    /// The next segment to send, written whole to the start of `segment`:
    /// the header with its options, then the payload copied straight from
    /// the send buffer. This saves the copy through a separate payload
    /// buffer that [`poll_transmit`](Self::poll_transmit) needs: the caller
    /// reserves room for its link and IP headers in front of `segment`,
    /// fills the checksum with
    /// [`fill_checksum_v4`](crate::transport::tcp::fill_checksum_v4) (or
    /// `_v6`) over `segment[..t.header.header_len() + t.payload_len]`, and
    /// sends the frame.
    ///
    /// The segment's payload starts at `segment[t.header.header_len()..]`;
    /// the checksum field is zero. `segment`'s length bounds the segment
    /// (header and payload, RFC 9293 §3.7.1: the caller passes the MTU less
    /// its IP header); a buffer shorter than the largest TCP header
    /// ([`MAX_TCP_HEADER`] bytes) gets `None` and nothing is consumed.
    ///
    /// ```
    /// use netspec::tcp::{Config, Connection, Instant};
    /// use netspec::transport::tcp::{TcpSegment, fill_checksum_v4};
    /// use std::net::Ipv4Addr;
    ///
    /// let mut c = Connection::new(Config::default(), 40000);
    /// c.connect(Instant::ZERO, 80, 1000)?;
    /// let (src, dst) = (Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2));
    /// let mut buf = [0u8; 1480];
    /// let t = c.poll_transmit_segment(Instant::ZERO, &mut buf).expect("a SYN");
    /// let n = t.header.header_len() + t.payload_len;
    /// fill_checksum_v4(&mut buf[..n], src, dst)?;
    /// let seg = TcpSegment::parse(&buf[..n])?;
    /// assert!(seg.verify_checksum_v4(src, dst));
    /// assert_eq!(seg.seq(), 1000);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn poll_transmit_segment(&mut self, now: Instant, segment: &mut [u8]) -> Option<Transmit> {
        if segment.len() < MAX_TCP_HEADER {
            return None;
        }
        self.now = now;
        // A data segment's header is 20 bytes plus `data_options_len()`,
        // computed from the same state `data_options` reads, so the payload
        // can be placed before the header is built. `data_options` may
        // write fewer SACK blocks (duplicates are dropped), never more, and
        // SYN and RST segments carry no payload.
        let guess = (20 + self.data_options_len() as usize).min(MAX_TCP_HEADER);
        let t = self.next_segment(&mut segment[guess..])?;
        self.stats.segments_sent += 1;
        let hl = t.header.header_len();
        debug_assert!(
            t.payload_len == 0 || hl <= guess,
            "options grew past their reserved room"
        );
        if hl != guess && t.payload_len > 0 {
            let len = t.payload_len.min(segment.len() - hl.max(guess));
            segment.copy_within(guess..guess + len, hl);
        }
        // The buffer holds the largest header, checked above; the flags
        // and reserved bits the state machine sets are always emittable.
        let _ = t.header.emit(segment);
        Some(t)
    }

    fn next_segment(&mut self, payload: &mut [u8]) -> Option<Transmit> {
        if let Some(spec) = self.rst_out.take() {
            let header = rst_header(spec, self.local_port);
            return Some(Transmit { header, payload_len: 0 });
        }
        if matches!(self.state, State::Closed | State::Listen) {
            return None;
        }
        if !self.syn_acked && self.challenge_pending && self.state == State::SynReceived && self.snd_max > self.iss {
            // RFC 5961 §3.2: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, our SYN
            // being SND.NXT - 1.
            self.challenge_pending = false;
            let header = self.header(self.iss + 1u32, TcpFlags::ACK, 0);
            return Some(Transmit { header, payload_len: 0 });
        }
        let challenge = core::mem::take(&mut self.challenge_pending);
        if !self.syn_acked {
            // In SYN-RECEIVED, any other ACK we owe is a repeated SYN,ACK.
            if self.ack_now && self.state != State::SynSent {
                self.snd_nxt = self.iss;
            }
            if self.snd_nxt == self.iss {
                return Some(self.syn_segment());
            }
            return None;
        }
        if let Some(t) = self.data_segment(payload) {
            return Some(t);
        }
        if self.ack_now || self.window_update_due() {
            // A pure ACK carries SND.MAX, not the rewound send point: after
            // a timeout SND.NXT is below what the peer has received, and an
            // ACK at that old sequence number would be unacceptable there
            // (§3.10.7.4 first check) and its acknowledgment ignored, as
            // BSD notes in tcp_output.
            if self.cfg.fin_on_ack && !challenge && self.ack_now {
                if let Some(t) = self.fin_with_ack() {
                    return Some(t);
                }
            }
            let header = self.header(self.snd_max, TcpFlags::ACK, 0);
            return Some(Transmit { header, payload_len: 0 });
        }
        None
    }

    /// [`super::Config::fin_on_ack`]: an owed ACK in FIN-WAIT-1, CLOSING or
    /// LAST-ACK, with all data sent and our FIN the only thing
    /// unacknowledged beyond it, repeats the FIN (as FreeBSD's tcp_output,
    /// which backs SND.NXT up over a sent FIN whenever it sends).
    fn fin_with_ack(&mut self) -> Option<Transmit> {
        if !matches!(self.state, State::FinWait1 | State::Closing | State::LastAck) || self.fin_acked {
            return None;
        }
        let fin = self.fin_seq()?;
        if self.snd_max != fin + 1u32 || self.snd_nxt != self.snd_max {
            return None;
        }
        let header = self.header(fin, TcpFlags::ACK | TcpFlags::FIN, 0);
        Some(Transmit { header, payload_len: 0 })
    }

    /// SYN (SYN-SENT) or SYN,ACK (SYN-RECEIVED), with the options of
    /// RFC 9293 §3.7.1, RFC 7323 and RFC 2018.
    fn syn_segment(&mut self) -> Transmit {
        let active = self.state == State::SynSent;
        let resend = self.snd_max != self.iss;
        let mut h = TcpHeader::new(self.local_port, self.remote_port);
        h.seq = self.iss.0;
        h.flags = TcpFlags::SYN;
        if !active {
            h.flags |= TcpFlags::ACK;
            h.ack = self.rcv_nxt.0;
        }
        // The window in a SYN is never scaled (RFC 7323 §2.2).
        let wnd = self.recv_buf.free().min(0xffff) as u16;
        h.window = wnd;
        self.rcv_adv = self.rcv_nxt + u32::from(wnd);
        let dropped = self.cfg.syn_drop_options_after.is_some_and(|n| self.rtx_count >= n);
        let (ws, ts, sack) = if active && dropped {
            // The SYN keeps failing: give up on the optional options.
            self.ws_ok = false;
            self.ts_ok = false;
            self.sack_ok = false;
            (false, false, false)
        } else if active {
            (self.cfg.window_scaling, self.cfg.timestamps, self.cfg.sack)
        } else {
            (self.ws_ok, self.ts_ok, self.sack_ok)
        };
        let shift = self.cfg.rcv_wscale();
        let tsopt = TcpOption::Timestamps {
            val: self.ts_now(),
            ecr: if active { 0 } else { self.ts_recent },
        };
        let o = &mut h.options;
        // 40 bytes hold every combination below, so push cannot fail.
        if !self.cfg.syn_without_options {
            let _ = o.push(TcpOption::Mss(self.cfg.mss));
        }
        match self.cfg.syn_options {
            _ if self.cfg.syn_without_options => {}
            SynOptionLayout::Bsd => {
                if ws {
                    let _ = o.push(TcpOption::Nop);
                    let _ = o.push(TcpOption::WindowScale(shift));
                }
                if sack {
                    let _ = o.push(TcpOption::SackPermitted);
                }
                if ts {
                    // BSD aligns the timestamps on a 4-byte boundary plus
                    // 2 (tcp_addoptions); SACK-Permitted does that itself.
                    if !sack {
                        let _ = o.push(TcpOption::Nop);
                        let _ = o.push(TcpOption::Nop);
                    }
                    let _ = o.push(tsopt);
                }
            }
            SynOptionLayout::Linux => {
                match (sack, ts) {
                    (true, true) => {
                        let _ = o.push(TcpOption::SackPermitted);
                        let _ = o.push(tsopt);
                    }
                    (false, true) => {
                        let _ = o.push(TcpOption::Nop);
                        let _ = o.push(TcpOption::Nop);
                        let _ = o.push(tsopt);
                    }
                    (true, false) => {
                        let _ = o.push(TcpOption::Nop);
                        let _ = o.push(TcpOption::Nop);
                        let _ = o.push(TcpOption::SackPermitted);
                    }
                    (false, false) => {}
                }
                if ws {
                    let _ = o.push(TcpOption::Nop);
                    let _ = o.push(TcpOption::WindowScale(shift));
                }
            }
        }
        self.snd_nxt = self.iss + 1u32;
        if resend {
            self.stats.retransmissions += 1;
        } else {
            self.snd_max = self.snd_nxt;
            self.rtt_probe = Some((self.iss, self.now));
        }
        if self.rtx_at.is_none() {
            self.rtx_at = Some(self.now + self.rtt.rto());
        }
        self.ack_now = false;
        self.delack_at = None;
        self.last_ack_sent = self.rcv_nxt;
        Transmit {
            header: h,
            payload_len: 0,
        }
    }

    /// A data and/or FIN segment if the windows, Nagle and SWS avoidance
    /// allow one (RFC 9293 §3.8.6.2.1).
    fn data_segment(&mut self, payload: &mut [u8]) -> Option<Transmit> {
        let data_len = self.send_buf.len();
        let fin_seq = self.fin_seq();
        if self.fast_rtx {
            self.fast_rtx = false;
            return self.retransmit_first(payload);
        }
        // Going back after a timeout: skip what the peer has SACKed.
        if self.snd_nxt < self.snd_max {
            if let Some(end) = self.sb.covering(self.snd_nxt) {
                self.snd_nxt = end.min(self.snd_max);
            }
        }
        let base = self.snd_una;
        let off = self.snd_nxt.since(base) as usize;
        let unsent = data_len.saturating_sub(off);
        let fin_pending = !self.fin_acked && fin_seq.is_some_and(|f| self.snd_nxt.diff(f) <= 0);
        let opt_len = self.data_options_len();
        let maxseg = self.snd_mss.saturating_sub(opt_len).max(1) as usize;
        // SACK recovery: resend the holes first (RFC 6675 §5 NextSeg rule 1).
        if let Some((p, len)) = self.hole_to_resend(maxseg.min(payload.len())) {
            let off = p.since(self.snd_una) as usize;
            self.send_buf.peek_at(off, &mut payload[..len]);
            let header = self.header(p, TcpFlags::ACK, len);
            self.account_sent(p, len as u32, false);
            self.rtx_hole = p + len;
            return Some(Transmit {
                header,
                payload_len: len,
            });
        }
        if unsent == 0 && !fin_pending {
            return None;
        }
        // Usable window: the peer's right edge (RFC 9293 §3.8.6.2.1,
        // SND.UNA + SND.WND taken at the last window update) and the
        // congestion window.
        let edge = self.snd_wl2 + self.snd_wnd;
        let peer_room = if edge > self.snd_nxt {
            edge.since(self.snd_nxt)
        } else {
            0
        };
        let cwnd_room = if self.cfg.congestion_control {
            (self.cwnd + self.limited_transmit_allowance()).saturating_sub(self.flight())
        } else {
            u32::MAX
        };
        let usable = peer_room.min(cwnd_room) as usize;
        let mut len = unsent.min(usable).min(maxseg).min(payload.len());
        // The persist timer fired: probe a zero window, or override the
        // sender's SWS avoidance (RFC 9293 §3.8.6.2.1 case 4, the
        // "override timeout"), so that a lost window update cannot stall
        // the connection.
        let forced = self.probe_due && unsent > 0;
        let probe = forced && peer_room == 0;
        if forced {
            self.probe_due = false;
        }
        if probe {
            // Zero-window probe (RFC 9293 §3.8.6.1): one octet of new data.
            len = 1.min(payload.len());
        } else if len > 0 && !forced {
            let retransmit = self.snd_nxt < self.snd_max;
            // The caller's buffer bounds the segment like the MSS does: a
            // segment filling it is full-sized (else a buffer below the MSS
            // would stall the sender in SWS avoidance).
            let full = len == maxseg.min(payload.len());
            let all = len == unsent;
            let idle = self.snd_max == self.snd_una;
            let big = self.max_snd_wnd > 0 && len as u32 >= self.max_snd_wnd / 2;
            // Nagle: with data in flight, hold back a small final segment.
            let nagle_ok = idle || !self.cfg.nagle;
            if !(full || retransmit || big || (all && nagle_ok)) {
                len = 0;
            }
        }
        let send_fin = fin_pending && off + len == data_len && (len > 0 || unsent == 0);
        if len == 0 && !send_fin {
            self.arm_persist_if_stuck();
            return None;
        }
        let seq = self.snd_nxt;
        let got = self.send_buf.peek_at(off, &mut payload[..len]);
        debug_assert_eq!(got, len);
        let mut flags = TcpFlags::ACK;
        if len > 0 && off + len == data_len {
            flags |= TcpFlags::PSH;
        }
        if send_fin {
            flags |= TcpFlags::FIN;
        }
        let header = self.header(seq, flags, len);
        self.account_sent(seq, len as u32 + u32::from(send_fin), probe);
        Some(Transmit {
            header,
            payload_len: len,
        })
    }

    /// Data waits but nothing is in flight, so no ACK will come to wake
    /// the sender: run the persist timer (as BSD's `tcp_setpersist`).
    fn arm_persist_if_stuck(&mut self) {
        let idle = self.snd_max == self.snd_una;
        if idle && !self.send_buf.is_empty() && self.rtx_at.is_none() && self.persist_at.is_none() {
            let shift = self.persist_backoff.min(16);
            let interval = self.rtt.rto().saturating_mul(1 << shift).min(self.cfg.max_rto);
            self.persist_at = Some(self.now + interval);
        }
    }

    /// Fast retransmit (RFC 5681 §3.2) or a NewReno partial-ACK
    /// retransmission (RFC 6582): the first unacknowledged segment.
    fn retransmit_first(&mut self, payload: &mut [u8]) -> Option<Transmit> {
        let data_len = self.send_buf.len();
        let maxseg = self.snd_mss.saturating_sub(self.data_options_len()).max(1) as usize;
        // Never beyond the peer's right edge, even for a retransmission.
        let edge = self.snd_wl2 + self.snd_wnd;
        let room = if edge > self.snd_una {
            edge.since(self.snd_una) as usize
        } else {
            0
        };
        let len = data_len.min(maxseg).min(payload.len()).min(room);
        let fin = self.fin_sent() && len == data_len;
        if len == 0 && !fin {
            return None;
        }
        self.send_buf.peek_at(0, &mut payload[..len]);
        let mut flags = TcpFlags::ACK;
        if fin {
            flags |= TcpFlags::FIN;
        }
        let seq = self.snd_una;
        let header = self.header(seq, flags, len);
        self.account_sent(seq, len as u32 + u32::from(fin), false);
        if self.in_recovery && self.sack_ok {
            self.rtx_hole = self.rtx_hole.max(seq + len);
        }
        Some(Transmit {
            header,
            payload_len: len,
        })
    }

    /// Bookkeeping for `n` octets of sequence space sent at `seq`: SND.NXT,
    /// SND.MAX, the RTT probe (Karn) and the timers.
    fn account_sent(&mut self, seq: SeqNum, n: u32, probe: bool) {
        let end = seq + n;
        let retransmit = seq < self.snd_max;
        if retransmit {
            self.stats.retransmissions += 1;
            if let Some((p, _)) = self.rtt_probe {
                if p >= seq && p < end {
                    self.rtt_probe = None;
                }
            }
        }
        // A zero-window probe leaves SND.NXT where it was (as BSD's
        // tcp_output does in the persist state): the octet lies outside
        // the peer's window, so the next probe, or the first segment once
        // the window opens, must send it again rather than leave a hole.
        if seq == self.snd_nxt && !probe {
            self.snd_nxt = end;
        }
        if end > self.snd_max {
            if !retransmit && self.rtt_probe.is_none() {
                self.rtt_probe = Some((seq, self.now));
            }
            if self.snd_max == self.snd_una {
                self.progress_at = self.now;
            }
            self.snd_max = end;
        }
        if probe {
            let shift = self.persist_backoff.min(16);
            let interval = self.rtt.rto().saturating_mul(1 << shift).min(self.cfg.max_rto);
            self.persist_backoff = self.persist_backoff.saturating_add(1);
            self.persist_at = Some(self.now + interval);
        } else if self.rtx_at.is_none() {
            self.rtx_at = Some(self.now + self.rtt.rto());
        }
    }

    /// Option bytes in a non-SYN segment: timestamps, plus SACK blocks
    /// while out-of-order data is held.
    fn data_options_len(&self) -> u32 {
        let ts = if self.ts_ok { TS_SPACE } else { 0 };
        let n = self.sack_count() as u32;
        let sack = if n > 0 { 4 + 8 * n } else { 0 };
        ts + sack
    }

    fn sack_count(&self) -> usize {
        if !self.sack_ok {
            return 0;
        }
        let max = if self.ts_ok { 3 } else { 4 };
        (self.asm.ranges().len() + usize::from(self.dsack.is_some())).min(max)
    }

    /// The right edge we could advertise now: RCV.NXT plus the free
    /// receive space, as far as the window field (with our shift) can
    /// express it, rounded down to the shift's granularity.
    fn rcv_edge_candidate(&self) -> SeqNum {
        let shift = self.rcv_wscale;
        let free = self.recv_buf.free().min(0xffff << shift) as u32;
        self.rcv_nxt + ((free >> shift) << shift)
    }

    /// Whether the window has opened enough since the last advertisement
    /// to be worth an update (receiver SWS avoidance, RFC 9293
    /// §3.8.6.2.2: by min(buffer/2, MSS); netspec waits for 2·MSS like
    /// BSD, capped at half the buffer).
    fn window_update_due(&self) -> bool {
        if !self.state.is_synchronized() || self.fin_rcvd {
            return false;
        }
        let cand = self.rcv_edge_candidate();
        if cand.diff(self.rcv_adv) <= 0 {
            return false;
        }
        let threshold = (2 * self.seg_payload_max())
            .min((self.recv_buf.capacity() / 2) as u32)
            .max(1);
        cand.since(self.rcv_adv) >= threshold
    }

    /// The window field to advertise, moving the advertised right edge
    /// forward only by worthwhile amounts and never back (RFC 9293
    /// §3.8.6.2.2, MUST-39; §3.8.6 SHOULD-14 on shrinking).
    fn advertise_window(&mut self) -> u16 {
        let shift = self.rcv_wscale;
        let cand = self.rcv_edge_candidate();
        let cur = if self.rcv_adv > self.rcv_nxt {
            self.rcv_adv
        } else {
            self.rcv_nxt
        };
        let threshold = self.seg_payload_max().min((self.recv_buf.capacity() / 2) as u32).max(1);
        let edge = if cand > cur && (!self.cfg.rcv_hold_edge || cand.since(cur) >= threshold) {
            cand
        } else {
            cur
        };
        let wnd = edge.since(self.rcv_nxt);
        // Round up: rounding down would shrink the window already offered.
        let mut field = (wnd >> shift).min(0xffff);
        if self.rcv_nxt + (field << shift) < cur && field < 0xffff {
            field += 1;
        }
        let adv = self.rcv_nxt + (field << shift);
        if adv > self.rcv_adv {
            self.rcv_adv = adv;
        }
        field as u16
    }

    /// A header carrying ACK, window and options, at `seq`. Sending it
    /// satisfies any pending ACK.
    fn header(&mut self, seq: SeqNum, flags: TcpFlags, _payload_len: usize) -> TcpHeader {
        let mut h = TcpHeader::new(self.local_port, self.remote_port);
        h.seq = seq.0;
        h.flags = flags;
        if let Some(ptr) = self.urgent_pointer_for(seq) {
            h.flags |= TcpFlags::URG;
            h.urgent_ptr = ptr;
        }
        h.ack = self.rcv_nxt.0;
        h.window = self.advertise_window();
        let (options, sack) = self.data_options();
        h.options = options;
        self.dsack = None;
        // Remember the blocks sent, so the next ACK repeats them first.
        self.sack_sent_len = sack.len();
        self.sack_sent[..sack.len()].copy_from_slice(sack.as_slice());
        self.ack_now = false;
        self.delack_at = None;
        self.unacked_bytes = 0;
        self.last_ack_sent = self.rcv_nxt;
        h
    }

    /// NOP, NOP, Timestamps (RFC 7323 Appendix A layout) and NOP, NOP,
    /// SACK with the most recent block first (RFC 2018 §4); also returns
    /// the SACK blocks written (none without SACK).
    ///
    /// Every data segment and ACK carries these, so the area is written in
    /// wire form directly (a fixed layout of well-formed options) rather
    /// than option by option.
    fn data_options(&mut self) -> (TcpOptions, SackList) {
        let sack = self.sack_list();
        let ts = (self.ts_now(), self.ts_recent);
        // A burst of segments within one clock tick carries the same
        // timestamps: reuse the area built for the previous one.
        if let Some((key, options)) = self.ts_options {
            if sack.is_empty() && self.ts_ok && key == ts {
                return (options, sack);
            }
        }
        let mut area = [0u8; 40];
        let mut len = 0;
        if self.ts_ok {
            area[..4].copy_from_slice(&[1, 1, 8, 10]);
            area[4..8].copy_from_slice(&ts.0.to_be_bytes());
            area[8..12].copy_from_slice(&ts.1.to_be_bytes());
            len = TS_SPACE as usize;
        }
        if !sack.is_empty() {
            // NOP, NOP, kind 5, 2 + 8 per block: at most 4 + 8 * 4 bytes
            // after the 12 of timestamps, and `sack_count` allows only 3
            // blocks with timestamps, so the area never exceeds 40 bytes.
            let blocks = sack.as_slice();
            area[len..len + 4].copy_from_slice(&[1, 1, 5, 2 + 8 * blocks.len() as u8]);
            len += 4;
            for &(s, e) in blocks {
                area[len..len + 4].copy_from_slice(&s.to_be_bytes());
                area[len + 4..len + 8].copy_from_slice(&e.to_be_bytes());
                len += 8;
            }
        }
        // The options above are well formed and fit 40 bytes, so this
        // cannot fail; an empty area is the fallback all the same.
        let options = TcpOptions::from_bytes(&area[..len]).unwrap_or_default();
        if sack.is_empty() && self.ts_ok {
            self.ts_options = Some((ts, options));
        }
        (options, sack)
    }

    /// The SACK blocks for the next ACK (RFC 2018 §4, RFC 2883 §4): a
    /// D-SACK block first if one is owed, then the block holding the
    /// segment that triggered this ACK, then the most recently reported
    /// blocks, then the rest (highest first), without repeats.
    fn sack_list(&self) -> SackList {
        let n = self.sack_count();
        let mut list = SackList::default();
        if n == 0 {
            return list;
        }
        let to_seq = |(s, e): (u32, u32)| ((self.rcv_nxt + s).0, (self.rcv_nxt + e).0);
        if let Some((s, e)) = self.dsack {
            list.blocks[0] = (s.0, e.0);
            list.len = 1;
        }
        let reported = self.sack_sent[..self.sack_sent_len].iter().filter_map(|&(s, _)| {
            let off = SeqNum(s).diff(self.rcv_nxt);
            let off = u32::try_from(off).ok()?;
            self.asm.ranges().iter().copied().find(|&(a, b)| a <= off && off < b)
        });
        let order = self
            .asm
            .recent()
            .into_iter()
            .chain(reported)
            .chain(self.asm.ranges().iter().rev().copied());
        let first_regular = list.len;
        for r in order {
            if list.len == n {
                break;
            }
            let r = to_seq(r);
            if !list.blocks[first_regular..list.len].contains(&r) {
                list.blocks[list.len] = r;
                list.len += 1;
            }
        }
        list
    }
}

/// Up to four SACK blocks as `(left, right)` sequence numbers.
#[derive(Debug, Clone, Copy, Default)]
struct SackList {
    blocks: [(u32, u32); 4],
    len: usize,
}

impl SackList {
    fn as_slice(&self) -> &[(u32, u32)] {
        &self.blocks[..self.len]
    }

    fn len(&self) -> usize {
        self.len
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }
}
