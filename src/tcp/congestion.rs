//! Congestion control (RFC 5681) and loss recovery: NewReno (RFC 6582)
//! without SACK, and SACK-based recovery after RFC 6675 with it.
//!
//! ```text
//!   cwnd < ssthresh:   slow start, cwnd += min(acked, MSS) per ACK
//!   otherwise:         congestion avoidance, cwnd += MSS²/cwnd per ACK
//!   3 duplicate ACKs:  ssthresh = max(FlightSize/2, 2·MSS), resend the
//!                      first hole, recover until SND.MAX is acknowledged
//!   timeout:           ssthresh as above, cwnd = 1 MSS, go back to SND.UNA
//! ```

use super::{Connection, SeqNum};

impl Connection {
    /// RFC 5681 §3.1 growth, and RFC 6582 / RFC 6675 recovery exit or
    /// partial ACK.
    pub(super) fn on_new_ack_cc(&mut self, acked: u32, ack: SeqNum) {
        if !self.cfg.congestion_control {
            return;
        }
        let mss = self.seg_payload_max();
        if self.in_recovery {
            if ack >= self.recover {
                self.in_recovery = false;
                self.cwnd = self.ssthresh.max(mss);
            } else if self.sack_ok {
                // Partial ACK: holes below it are repaired; keep going.
                self.rtx_hole = self.rtx_hole.max(self.snd_una);
            } else {
                // NewReno partial ACK: retransmit the next hole, deflate.
                self.fast_rtx = true;
                self.cwnd = self.cwnd.saturating_sub(acked).saturating_add(mss).max(mss);
            }
        } else if self.cwnd < self.ssthresh {
            self.cwnd = self.cwnd.saturating_add(acked.min(mss));
        } else {
            let inc = (u64::from(mss) * u64::from(mss) / u64::from(self.cwnd.max(1))).max(1);
            self.cwnd = self.cwnd.saturating_add(inc as u32);
        }
    }

    /// RFC 5681 §3.2: the third duplicate ACK triggers fast retransmit.
    /// ACKs of a zero window answer probes and are not counted.
    pub(super) fn maybe_dupack(&mut self, seg: &super::input::Seg<'_>) {
        use crate::transport::tcp::TcpFlags;
        let dup = seg.payload.is_empty()
            && !seg.has(TcpFlags::SYN)
            && !seg.has(TcpFlags::FIN)
            && self.snd_max > self.snd_una
            && self.snd_wnd > 0
            && (u32::from(seg.window) << self.snd_wscale) == self.snd_wnd;
        if !dup || !self.cfg.congestion_control {
            return;
        }
        self.dupacks += 1;
        if self.in_recovery {
            if !self.sack_ok {
                // NewReno inflation: each duplicate ACK is a segment gone.
                self.cwnd = self.cwnd.saturating_add(self.seg_payload_max());
            }
        } else if self.dupacks == self.dup_threshold() && self.snd_una.diff(self.recover) >= 0 {
            self.enter_recovery();
        }
    }

    /// DupThresh: 3 (RFC 5681), lowered by Early Retransmit (RFC 5827
    /// §3.1) to one less than the segments outstanding when fewer than
    /// four are and no new data can go out, so a small window can still
    /// recover without a timeout.
    fn dup_threshold(&self) -> u32 {
        let mss = self.seg_payload_max();
        let segs = self.snd_max.since(self.snd_una).div_ceil(mss);
        let unsent = self.send_buf.len() as u32 > self.snd_max.since(self.snd_una);
        if segs < 4 && !unsent {
            segs.saturating_sub(1).max(1)
        } else {
            3
        }
    }

    /// Limited Transmit (RFC 3042): each of the first two duplicate ACKs
    /// lets one new segment out beyond the congestion window.
    pub(super) fn limited_transmit_allowance(&self) -> u32 {
        if self.in_recovery {
            0
        } else {
            self.dupacks.min(2) * self.seg_payload_max()
        }
    }

    /// RFC 6675 §5 (IsLost): three segments' worth of SACKed data above
    /// SND.UNA also starts recovery. Unlike duplicate ACKs, SACK blocks
    /// are not fooled by the duplicates a go-back-N retransmission causes,
    /// so this trigger also works after a timeout (before SND.UNA passes
    /// the old RecoveryPoint).
    pub(super) fn maybe_sack_recovery(&mut self) {
        let mss = self.seg_payload_max();
        let threshold = self.dup_threshold() * mss;
        if self.cfg.congestion_control && !self.in_recovery && self.sb.sacked() >= threshold {
            self.enter_recovery();
        }
    }

    fn enter_recovery(&mut self) {
        let mss = self.seg_payload_max();
        let flight = self.snd_max.since(self.snd_una);
        self.ssthresh = (flight / 2).max(2 * mss);
        self.recover = self.snd_max;
        self.in_recovery = true;
        self.stats.fast_retransmits += 1;
        if self.sack_ok {
            self.cwnd = self.ssthresh;
            self.rtx_hole = self.snd_una;
            // RFC 6675 §5 step 4.3: the first lost segment goes out at
            // once, whatever the pipe.
            self.fast_rtx = true;
        } else {
            self.cwnd = self.ssthresh.saturating_add(3 * mss);
            self.fast_rtx = true;
        }
    }

    /// RFC 6675 §4 "pipe": octets believed to be in the network. SACKed
    /// octets have left it, and holes not yet resent are deemed lost.
    pub(super) fn pipe(&self) -> u32 {
        let outstanding = self.snd_max.since(self.snd_una);
        let lost = self.sb.holes_from(self.rtx_hole.max(self.snd_una));
        outstanding.saturating_sub(self.sb.sacked()).saturating_sub(lost)
    }

    /// Octets in flight for the congestion window check.
    pub(super) fn flight(&self) -> u32 {
        if self.in_recovery && self.sack_ok {
            self.pipe()
        } else {
            self.snd_nxt.since(self.snd_una)
        }
    }

    /// During SACK recovery, the next hole to resend and how much of it,
    /// if the congestion window allows.
    pub(super) fn hole_to_resend(&self, maxseg: usize) -> Option<(SeqNum, usize)> {
        if !(self.in_recovery && self.sack_ok) {
            return None;
        }
        let (p, hole) = self.sb.next_hole(self.rtx_hole.max(self.snd_una))?;
        let edge = self.snd_wl2 + self.snd_wnd;
        let room = if edge > p { edge.since(p) } else { 0 };
        let len = (hole.min(room) as usize).min(maxseg);
        let pipe = self.pipe() as usize;
        (len > 0 && pipe + len <= self.cwnd.max(self.seg_payload_max()) as usize).then_some((p, len))
    }
}
