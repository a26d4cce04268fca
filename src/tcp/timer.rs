//! Timers: retransmission (RFC 6298), persist (RFC 9293 §3.8.6.1),
//! delayed ACK (§3.8.6.3), TIME-WAIT (§3.4.2), the user timeout and the
//! connect timeout (§3.8.3).

use core::time::Duration;

use super::diagram::Cause;
use super::{Connection, ConnectionError, Event, Instant, State};

impl Connection {
    /// The earliest instant at which [`on_timeout`](Self::on_timeout)
    /// has work to do, if any timer runs.
    pub fn poll_timeout(&self) -> Option<Instant> {
        [
            self.timewait_at,
            self.connect_deadline,
            self.user_deadline(),
            self.delack_at,
            self.persist_at,
            self.rtx_at,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    fn user_deadline(&self) -> Option<Instant> {
        let t = self.cfg.user_timeout?;
        let waiting = self.snd_max > self.snd_una || (self.persist_at.is_some() && !self.send_buf.is_empty());
        waiting.then(|| self.progress_at + t)
    }

    /// Run every timer that has expired by `now`.
    pub fn on_timeout(&mut self, now: Instant) {
        self.now = now;
        if self.timewait_at.is_some_and(|t| now >= t) {
            self.timewait_at = None;
            self.enter_closed(Cause::TimeWaitExpired, None);
            return;
        }
        if self.connect_deadline.is_some_and(|t| now >= t) {
            self.connect_deadline = None;
            if matches!(self.state, State::SynSent | State::SynReceived) {
                self.enter_closed(Cause::RetransmitTimeout, Some(ConnectionError::TimedOut));
                return;
            }
        }
        if self.user_deadline().is_some_and(|t| now >= t) {
            self.enter_closed(Cause::UserTimeout, Some(ConnectionError::TimedOut));
            return;
        }
        if self.delack_at.is_some_and(|t| now >= t) {
            self.delack_at = None;
            self.ack_now = true;
        }
        if self.persist_at.is_some_and(|t| now >= t) {
            self.persist_at = None;
            self.probe_due = true;
        }
        if self.rtx_at.is_some_and(|t| now >= t) {
            self.rtx_at = None;
            self.on_rto();
        }
    }

    /// The retransmission timer expired (RFC 6298 §5.4–§5.6, RFC 5681
    /// §3.1 eq. 4, RFC 9293 §3.8.3 R1/R2).
    fn on_rto(&mut self) {
        if self.snd_max == self.snd_una && self.syn_acked {
            return;
        }
        self.rtx_count += 1;
        self.stats.timeouts += 1;
        let limit = if self.syn_acked { self.cfg.r2 } else { self.cfg.syn_r2 };
        if self.rtx_count > limit {
            self.enter_closed(Cause::RetransmitTimeout, Some(ConnectionError::TimedOut));
            return;
        }
        if self.rtx_count == self.cfg.r1 {
            self.push_event(Event::RetransmitThreshold);
        }
        self.rtt.back_off();
        // Karn: the timed segment will be resent, so its sample is void.
        self.rtt_probe = None;
        if self.syn_acked {
            self.snd_nxt = self.snd_una;
            // RFC 6675 §5.1 lets the scoreboard survive one timeout, so
            // go-back-N skips SACKed data; after a second one it is dropped
            // in case the receiver reneged (RFC 2018 §8), which a receiver
            // with a full reassembly table does.
            if self.rtx_count >= 2 {
                self.sb.clear();
            }
            self.in_recovery = false;
            self.dupacks = 0;
            if self.cfg.congestion_control {
                let mss = self.seg_payload_max();
                let flight = self.snd_max.since(self.snd_una);
                self.ssthresh = (flight / 2).max(2 * mss);
                self.cwnd = mss;
                self.recover = self.snd_max;
            }
        } else {
            self.snd_nxt = self.iss;
        }
        self.fast_rtx = false;
        self.rtx_at = Some(self.now + self.rtt.rto());
    }

    /// After a segment: enter or leave the persist state (RFC 9293
    /// §3.8.6.1) and keep the retransmission timer running while
    /// anything is outstanding.
    pub(super) fn after_ack_update(&mut self) {
        if !self.syn_acked || matches!(self.state, State::Closed | State::Listen | State::TimeWait) {
            return;
        }
        if self.snd_wnd == 0 && !self.send_buf.is_empty() {
            // Zero window with data to send: probe instead of
            // retransmitting, and restart from SND.UNA when it opens
            // (as BSD does), so probes never count towards R2.
            self.rtx_at = None;
            self.rtx_count = 0;
            self.snd_nxt = self.snd_una;
            if self.persist_at.is_none() && !self.probe_due {
                let shift = self.persist_backoff.min(16);
                let interval = self.rtt.rto().saturating_mul(1 << shift).min(self.cfg.max_rto);
                self.persist_at = Some(self.now + interval.max(Duration::from_millis(1)));
            }
        } else {
            self.persist_at = None;
            self.probe_due = false;
            if self.snd_max > self.snd_una && self.rtx_at.is_none() {
                self.rtx_at = Some(self.now + self.rtt.rto());
            }
        }
    }
}
