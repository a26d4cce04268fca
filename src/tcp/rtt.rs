//! The retransmission timer's estimator (RFC 6298).
//!
//! From round-trip samples `R` the sender keeps a smoothed RTT and its
//! variation (RFC 6298 §2):
//!
//! ```text
//!   first sample:  SRTT = R        RTTVAR = R/2
//!   later:         RTTVAR = (1 - 1/4) RTTVAR + 1/4 |SRTT - R|
//!                  SRTT   = (1 - 1/8) SRTT   + 1/8 R
//!   RTO = SRTT + max(G, 4 RTTVAR), clamped to [min RTO, max RTO]
//! ```
//!
//! Before any sample, RTO is the configured initial value (1 s in RFC 6298
//! §2.1). Each expiry doubles the RTO ("back off the timer", §5.5) up to
//! the maximum; a new sample after new data is acknowledged resets it.
//! Karn's algorithm (§3) — never sample a retransmitted segment — is the
//! caller's job: it only offers samples for segments sent once, or
//! timestamp echoes (RFC 7323 §4).

use core::time::Duration;

/// RFC 6298 state: SRTT, RTTVAR, and the current (backed-off) RTO, all in
/// microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RttEstimator {
    srtt: Option<u64>,
    rttvar: u64,
    rto: u64,
    min_rto: u64,
    max_rto: u64,
    /// Clock granularity `G` of RFC 6298 §2.
    granularity: u64,
    /// Added to every computed RTO (BSD's `rexmit_slop`), but not to the
    /// initial one.
    slop: u64,
    slop_applies: bool,
}

impl RttEstimator {
    /// A fresh estimator with RTO = `initial` (RFC 6298 §2.1).
    pub fn new(initial: Duration, min: Duration, max: Duration) -> Self {
        let min_rto = super::time::micros(min);
        let max_rto = super::time::micros(max).max(min_rto);
        RttEstimator {
            srtt: None,
            rttvar: 0,
            rto: super::time::micros(initial).clamp(min_rto, max_rto),
            min_rto,
            max_rto,
            granularity: 1000,
            slop: 0,
            slop_applies: false,
        }
    }

    /// Add `slop` to every RTO computed from samples or backed off, as
    /// FreeBSD does with `net.inet.tcp.rexmit_slop` (its RTO is
    /// `max(rexmit_min, SRTT + 4·RTTVAR) + slop`, and a SYN's timeouts run
    /// 1 s, 2.2 s, 4.2 s, ... with the default 200 ms).
    pub fn with_slop(mut self, slop: Duration) -> Self {
        self.slop = super::time::micros(slop);
        self
    }

    /// Feed one round-trip sample (RFC 6298 §2.2, §2.3), recomputing RTO.
    pub fn sample(&mut self, r: Duration) {
        let r = super::time::micros(r);
        match self.srtt {
            None => {
                self.srtt = Some(r);
                self.rttvar = r / 2;
            }
            Some(srtt) => {
                let delta = srtt.abs_diff(r);
                self.rttvar = self.rttvar - self.rttvar / 4 + delta / 4;
                self.srtt = Some(srtt - srtt / 8 + r / 8);
            }
        }
        self.recompute();
    }

    fn recompute(&mut self) {
        let srtt = self.srtt.unwrap_or(0);
        let var = self.rttvar.saturating_mul(4).max(self.granularity);
        self.rto = srtt.saturating_add(var).clamp(self.min_rto, self.max_rto);
        self.slop_applies = true;
    }

    /// Double the RTO after a retransmission timeout (RFC 6298 §5.5),
    /// up to the maximum.
    pub fn back_off(&mut self) {
        self.rto = self.rto.saturating_mul(2).min(self.max_rto);
        self.slop_applies = true;
    }

    /// Undo backoff after new data is acknowledged (RFC 6298 §5.7 note):
    /// recompute from SRTT, or keep the current value if no sample yet.
    pub fn reset_backoff(&mut self) {
        if self.srtt.is_some() {
            self.recompute();
        }
    }

    /// The current retransmission timeout.
    pub fn rto(&self) -> Duration {
        let slop = if self.slop_applies { self.slop } else { 0 };
        Duration::from_micros(self.rto.saturating_add(slop).min(self.max_rto))
    }

    /// The smoothed RTT, once a sample has been taken.
    pub fn srtt(&self) -> Option<Duration> {
        self.srtt.map(Duration::from_micros)
    }

    /// The RTT variation.
    pub fn rttvar(&self) -> Duration {
        Duration::from_micros(self.rttvar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: u64) -> Duration {
        Duration::from_millis(v)
    }

    #[test]
    fn rfc6298_first_and_later_samples() {
        let mut e = RttEstimator::new(ms(1000), ms(200), ms(60_000));
        assert_eq!(e.rto(), ms(1000));
        e.sample(ms(100));
        // SRTT 100, RTTVAR 50, RTO = 100 + 200 = 300.
        assert_eq!(e.srtt(), Some(ms(100)));
        assert_eq!(e.rto(), ms(300));
        e.sample(ms(100));
        // RTTVAR = 37.5, SRTT = 100: RTO = 250.
        assert_eq!(e.rto(), Duration::from_micros(250_000));
        e.back_off();
        assert_eq!(e.rto(), ms(500));
        e.reset_backoff();
        assert_eq!(e.rto(), Duration::from_micros(250_000));
    }

    #[test]
    fn bsd_slop_gives_freebsd_syn_schedule() {
        let mut e = RttEstimator::new(ms(1000), ms(30), ms(64_000)).with_slop(ms(200));
        let mut schedule = vec![e.rto().as_millis()];
        for _ in 0..7 {
            e.back_off();
            schedule.push(e.rto().as_millis());
        }
        assert_eq!(schedule, [1000, 2200, 4200, 8200, 16200, 32200, 64000, 64000]);
    }

    #[test]
    fn clamps_to_bounds() {
        let mut e = RttEstimator::new(ms(1000), ms(200), ms(2000));
        e.sample(ms(1));
        assert_eq!(e.rto(), ms(200));
        for _ in 0..100 {
            e.back_off();
        }
        assert_eq!(e.rto(), ms(2000));
    }
}
