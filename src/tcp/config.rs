//! Connection configuration, with profiles that reproduce real hosts.
//!
//! Every knob RFC 9293 leaves to the implementation lives here: buffer
//! sizes (which bound all memory a connection uses), the MSS to advertise,
//! timers (delayed ACK, RTO bounds, MSL), the retransmission limits R1/R2
//! of RFC 9293 §3.8.3, the optional RFC 7323 / RFC 2018 / RFC 5961
//! mechanisms, Nagle, and congestion control (RFC 5681).
//!
//! [`Config::freebsd`] and [`Config::linux`] mirror those stacks' default
//! `sysctl` values so that a packetdrill script written against them sees
//! the same windows, options and timings.

use core::time::Duration;

/// The order in which options are laid out in a SYN or SYN-ACK.
///
/// Stacks differ here, and packetdrill scripts match option lists
/// byte for byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SynOptionLayout {
    /// FreeBSD: `mss, nop, wscale, sackOK, TS` (`nop, nop` before TS when
    /// there is no sackOK), padded with EOL.
    Bsd,
    /// Linux: `mss, sackOK, TS, nop, wscale` (`nop, nop, sackOK` without TS).
    Linux,
}

/// Tunables of one connection (RFC 9293 §3.8, RFC 6298, RFC 7323, RFC 5961).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The MSS advertised in our SYN (RFC 9293 §3.7.1): the largest
    /// segment payload we accept. Also caps the send MSS.
    pub mss: u16,
    /// Send buffer size in bytes: unacknowledged plus unsent data.
    pub send_buffer: usize,
    /// Receive buffer size in bytes: unread plus out-of-order data. The
    /// advertised window never exceeds its free space.
    pub recv_buffer: usize,
    /// Delayed-ACK timeout (RFC 9293 §3.8.6.3, MUST-40: below 500 ms), or
    /// `None` to acknowledge every segment at once.
    pub delayed_ack: Option<Duration>,
    /// Acknowledge at once after this many full-sized segments (RFC 9293
    /// §3.8.6.3 SHOULD-15/-16 / RFC 5681 §4.2: at least every second).
    pub ack_every: u32,
    /// Count every data segment as full-sized toward `ack_every`, so the
    /// ACK goes out after every second segment of any size (FreeBSD's
    /// delayed ACK; RFC 9293 §3.8.6.3 only sets a floor on how often).
    pub ack_every_segment: bool,
    /// RTO before any RTT sample (RFC 6298 §2.1: 1 s).
    pub initial_rto: Duration,
    /// Lower bound on the RTO (RFC 6298 §2.4).
    pub min_rto: Duration,
    /// Upper bound on the RTO (RFC 6298 §2.5).
    pub max_rto: Duration,
    /// Added to every RTO after the initial one (FreeBSD's
    /// `net.inet.tcp.rexmit_slop`); zero for RFC 6298's plain formula.
    pub rto_slop: Duration,
    /// Maximum segment lifetime; TIME-WAIT lasts 2·MSL (RFC 9293 §3.4.2).
    pub msl: Duration,
    /// Nagle's algorithm (RFC 9293 §3.7.4); `false` is `TCP_NODELAY`.
    pub nagle: bool,
    /// Offer the Window Scale option (RFC 7323 §2).
    pub window_scaling: bool,
    /// Our window shift when scaling is negotiated; `None` picks the
    /// smallest shift that lets the receive buffer be advertised.
    pub window_shift: Option<u8>,
    /// Offer the Timestamps option and use it for RTTM and PAWS-lite
    /// (RFC 7323 §3, §4).
    pub timestamps: bool,
    /// Offer SACK-Permitted and send SACK blocks (RFC 2018).
    pub sack: bool,
    /// RFC 5961 §3: accept a RST only at exactly RCV.NXT, answer an
    /// in-window one with a challenge ACK. `false` is RFC 793 behaviour.
    pub rfc5961_rst: bool,
    /// RFC 5961 §4: answer any SYN in a synchronized state with a
    /// challenge ACK instead of a reset.
    pub rfc5961_syn: bool,
    /// RFC 5961 §5: also drop segments whose ACK is outside
    /// `[SND.UNA - MAX.SND.WND, SND.NXT]`, with a challenge ACK.
    pub rfc5961_ack: bool,
    /// Most challenge ACKs sent per second (RFC 5961 §7); 0 means no limit.
    pub challenge_ack_limit: u32,
    /// Give up when data stays unacknowledged this long (RFC 9293 §3.8.3,
    /// the USER TIMEOUT; RFC 5482).
    pub user_timeout: Option<Duration>,
    /// Retransmissions of one segment after which the user is told of
    /// trouble (R1, RFC 9293 §3.8.3 MUST-20; at least 3).
    pub r1: u32,
    /// Retransmissions of one segment after which the connection is
    /// closed (R2, MUST-20; RFC 1122 asks for at least 100 s' worth).
    pub r2: u32,
    /// R2 for a SYN (MUST-23: at least 3 minutes' worth by default; a
    /// count here, bounded also by `connect_timeout`).
    pub syn_r2: u32,
    /// Abort an opening connection that is not established after this
    /// long (FreeBSD `keepinit`).
    pub connect_timeout: Option<Duration>,
    /// Send no RST for segments to closed ports (FreeBSD
    /// `net.inet.tcp.blackhole`).
    pub blackhole: bool,
    /// Initial congestion window in segments (RFC 5681 §3.1, RFC 6928).
    pub initial_window_segments: u32,
    /// RFC 5681 congestion control (slow start, congestion avoidance,
    /// fast retransmit and recovery). When off, only the peer's window and
    /// the initial window after an RTO limit sending.
    pub congestion_control: bool,
    /// Send MSS when the peer's SYN has no MSS option (RFC 9293 §3.7.1,
    /// MUST-15: 536 for IPv4).
    pub default_mss: u16,
    /// The smallest send MSS a peer's MSS option can set: a smaller one is
    /// raised to this, though never above our own [`Config::mss`]. A peer
    /// that announces an MSS of 1 otherwise makes the connection send one
    /// byte per segment, with 40 or more bytes of headers for each (the
    /// resource exhaustion of CVE-2019-11479). RFC 9293 §3.7.1 sets no
    /// floor, so the default is 1; FreeBSD's `net.inet.tcp.minmss` is 216
    /// ([`Config::freebsd`]) and Linux's `tcp_min_snd_mss` 48
    /// ([`Config::linux`]). The MSS counts no TCP options (§3.7.1), so
    /// segments with timestamps still carry 12 bytes less.
    pub min_send_mss: u16,
    /// Option layout for SYN and SYN-ACK.
    pub syn_options: SynOptionLayout,
    /// Receiver SWS avoidance (RFC 9293 §3.8.6.2.2): `true` holds the right
    /// window edge until it can move by min(buffer/2, MSS), the RFC's
    /// suggested algorithm; `false` advertises all free buffer space in
    /// every segment and only holds back pure window updates, as FreeBSD
    /// does (also an SWS avoidance algorithm, as MUST-39 requires).
    pub rcv_hold_edge: bool,
    /// Report duplicate segments in the first SACK block (D-SACK,
    /// RFC 2883), when SACK is in use.
    pub dsack: bool,
    /// Process the ACK field of a segment that lies wholly to the left of
    /// the window (SEG.SEQ < RCV.NXT, nothing new in it), as 4.4BSD's and
    /// FreeBSD's `tcp_input` do after trimming it to nothing: the segment
    /// is still acknowledged, but an acknowledgment of our FIN inside it
    /// closes LAST-ACK. RFC 9293 §3.10.7.4 (first check) drops an
    /// unacceptable segment after sending an ACK, without looking at its
    /// ACK field. Default `false` (RFC); [`Config::freebsd`] `true`.
    /// TIME-WAIT, SYN and RST segments are not affected.
    pub stale_ack: bool,
    /// RCV.WND for the acceptability test (RFC 9293 §3.10.7.4 first check)
    /// is all free receive-buffer space, even beyond what the window field
    /// could advertise (65535 without scaling), as FreeBSD's `rcv_wnd`.
    /// RFC 9293 §3.8.6 / §3.3.1 define RCV.WND as the receiver's window and
    /// the acceptable range as the window last advertised; netspec by
    /// default tests against the advertised right edge. Not applied in
    /// TIME-WAIT or in SYN-RECEIVED from LISTEN (FreeBSD's syncache and
    /// `tcp_twcheck` use the advertised window there). Default `false`;
    /// [`Config::freebsd`] `true`.
    pub rcv_wnd_free_space: bool,
    /// Repeat our unacknowledged FIN on every ACK the output path sends in
    /// FIN-WAIT-1, CLOSING and LAST-ACK (FreeBSD's `tcp_output` keeps the
    /// FIN flag and backs SND.NXT up over it), e.g. `F. ack` when
    /// acknowledging the peer's FIN in a simultaneous close. RFC 9293
    /// §3.10.7.4 (eighth check) asks only for an acknowledgment
    /// `<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>`; challenge ACKs are never
    /// affected. Default `false`; [`Config::freebsd`] `true`.
    pub fin_on_ack: bool,
    /// Report "connection reset" to the user for a RST accepted in CLOSING
    /// or LAST-ACK, as FreeBSD (`ECONNRESET`). RFC 9293 §3.10.7.4 (second
    /// check) just enters CLOSED in these states, without a signal.
    /// Default `false`; [`Config::freebsd`] `true`.
    pub reset_error_when_closing: bool,
    /// Ignore RSTs in TIME-WAIT, RFC 1337 §3's remedy (TW-assassination
    /// hazards), as FreeBSD's `tcp_twcheck`. RFC 9293 §3.10.7.4 (second
    /// check) closes the connection on an acceptable RST in TIME-WAIT, and
    /// RFC 1337 is informational. Default `false`; [`Config::freebsd`]
    /// `true`.
    pub timewait_ignore_rst: bool,
    /// TIME-WAIT as FreeBSD's `tcp_twcheck`: a segment without the ACK bit
    /// is dropped before any other check, and every other segment except a
    /// pure duplicate ACK (SEG.SEQ = RCV.NXT, SEG.ACK = SND.NXT, no data)
    /// is acknowledged. RFC 9293 §3.10.7.4 runs the sequence check first
    /// (an unacceptable segment is acknowledged whatever its flags) and,
    /// fifth check, in TIME-WAIT acknowledges only a retransmitted FIN.
    /// Default `false`; [`Config::freebsd`] `true`.
    pub timewait_bsd_check: bool,
    /// Drop a SYN,ACK arriving at a LISTEN socket silently, as FreeBSD's
    /// syncache does. RFC 9293 §3.10.7.2 (second check) answers any
    /// ACK-bearing segment in LISTEN with `<SEQ=SEG.ACK><CTL=RST>`.
    /// Default `false`; [`Config::freebsd`] `true`.
    pub listen_drop_syn_ack: bool,
    /// Offer a configured [`Config::window_shift`] as is, as FreeBSD offers
    /// the shift derived from `kern.ipc.maxsockbuf` whatever the socket's
    /// buffer; by default [`Config::rcv_wscale`] lowers it so that the
    /// buffer spans at least 64 units of the window field. RFC 7323 §2.2
    /// leaves the shift to the receiver; a coarse one only makes the
    /// advertised window coarser. Default `false`; [`Config::freebsd`]
    /// `true`.
    pub window_shift_exact: bool,
    /// Send a SYN without any option, not even the MSS (FreeBSD's
    /// `TCP_NOOPT` socket option). RFC 9293 §3.7.1 SHOULD-5 asks for the
    /// MSS option whenever the MSS differs from the default 536, so this is
    /// for the user who asks for it, never set by a profile. Default
    /// `false`.
    pub syn_without_options: bool,
    /// From this many retransmissions of our SYN on, send it with the MSS
    /// option only (FreeBSD's `net.inet.tcp.rexmit_drop_options`, with 3:
    /// a middlebox may be dropping SYNs with unknown options). `None`, the
    /// default and FreeBSD's, keeps the options. RFC 9293 does not address
    /// it; RFC 7323 §2.2 / §3.2 and RFC 2018 §2 make the options optional
    /// in a SYN.
    pub syn_drop_options_after: Option<u32>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            mss: 1460,
            send_buffer: 64 * 1024,
            recv_buffer: 64 * 1024,
            delayed_ack: Some(Duration::from_millis(40)),
            ack_every: 2,
            ack_every_segment: false,
            initial_rto: Duration::from_secs(1),
            min_rto: Duration::from_millis(200),
            max_rto: Duration::from_secs(60),
            rto_slop: Duration::ZERO,
            msl: Duration::from_secs(30),
            nagle: true,
            window_scaling: true,
            window_shift: None,
            timestamps: true,
            sack: true,
            rfc5961_rst: true,
            rfc5961_syn: true,
            rfc5961_ack: true,
            challenge_ack_limit: 100,
            user_timeout: None,
            r1: 3,
            r2: 15,
            syn_r2: 6,
            connect_timeout: Some(Duration::from_secs(75)),
            blackhole: false,
            initial_window_segments: 10,
            congestion_control: true,
            default_mss: 536,
            min_send_mss: 1,
            syn_options: SynOptionLayout::Bsd,
            rcv_hold_edge: true,
            dsack: false,
            stale_ack: false,
            rcv_wnd_free_space: false,
            fin_on_ack: false,
            reset_error_when_closing: false,
            timewait_ignore_rst: false,
            timewait_bsd_check: false,
            listen_drop_syn_ack: false,
            window_shift_exact: false,
            syn_without_options: false,
            syn_drop_options_after: None,
        }
    }
}

impl Config {
    /// FreeBSD 14 defaults, as set by the FreeBSD TCP test suite's
    /// `sysctl` lines: `recvspace` 65536, `sendspace` 32768,
    /// `delacktime` 100 ms, `rexmit_initial` 1 s, `rexmit_min` 30 ms,
    /// `rexmit_slop` 200 ms,
    /// `TCPTV_REXMTMAX` 64 s, `msl` 30 s, MSS 1460, window shift 6 (from
    /// `kern.ipc.maxsockbuf` 2 MiB), `TCP_MAXRXTSHIFT` 12, `keepinit` 75 s,
    /// `ack_war_cnt` 5 challenge ACKs per second, `initcwnd_segments` 10,
    /// `minmss` 216.
    ///
    /// It also turns on the knobs that reproduce FreeBSD where it departs
    /// from RFC 9293 ([`Config::stale_ack`], [`Config::rcv_wnd_free_space`],
    /// [`Config::fin_on_ack`], [`Config::reset_error_when_closing`],
    /// [`Config::timewait_ignore_rst`], [`Config::timewait_bsd_check`],
    /// [`Config::listen_drop_syn_ack`]); [`Config::rfc9293_semantics`]
    /// turns them off again.
    pub fn freebsd() -> Self {
        Config {
            mss: 1460,
            send_buffer: 32768,
            recv_buffer: 65536,
            delayed_ack: Some(Duration::from_millis(100)),
            ack_every: 2,
            initial_rto: Duration::from_secs(1),
            min_rto: Duration::from_millis(30),
            max_rto: Duration::from_secs(64),
            rto_slop: Duration::from_millis(200),
            msl: Duration::from_secs(30),
            window_shift: Some(6),
            challenge_ack_limit: 5,
            r2: 12,
            syn_r2: 12,
            connect_timeout: Some(Duration::from_secs(75)),
            syn_options: SynOptionLayout::Bsd,
            rcv_hold_edge: false,
            ack_every_segment: true,
            dsack: true,
            stale_ack: true,
            rcv_wnd_free_space: true,
            fin_on_ack: true,
            reset_error_when_closing: true,
            timewait_ignore_rst: true,
            timewait_bsd_check: true,
            listen_drop_syn_ack: true,
            window_shift_exact: true,
            min_send_mss: 216,
            ..Config::default()
        }
    }

    /// The same parameters with every knob that departs from RFC 9293's
    /// segment processing (§3.10.7) set back to the RFC's behaviour: the
    /// knobs [`Config::freebsd`] uses to reproduce FreeBSD's observable
    /// behaviour. Choices RFC 9293 leaves open (SWS avoidance, delayed-ACK
    /// frequency, D-SACK, option layout, RTO slop) are kept.
    pub fn rfc9293_semantics(self) -> Self {
        let d = Config::default();
        Config {
            stale_ack: d.stale_ack,
            rcv_wnd_free_space: d.rcv_wnd_free_space,
            fin_on_ack: d.fin_on_ack,
            reset_error_when_closing: d.reset_error_when_closing,
            timewait_ignore_rst: d.timewait_ignore_rst,
            timewait_bsd_check: d.timewait_bsd_check,
            listen_drop_syn_ack: d.listen_drop_syn_ack,
            ..self
        }
    }

    /// Linux 6.x defaults: `tcp_rmem` 131072, `tcp_wmem` 16384, 40 ms
    /// minimum delayed ACK, RTO 1 s in [200 ms, 120 s], TIME-WAIT 60 s,
    /// window shift 7, `tcp_retries2` 15, `tcp_syn_retries` 6,
    /// `tcp_challenge_ack_limit` 1000, `tcp_dsack` 1 (D-SACK, RFC 2883),
    /// `tcp_min_snd_mss` 48.
    pub fn linux() -> Self {
        Config {
            send_buffer: 16384,
            recv_buffer: 131072,
            delayed_ack: Some(Duration::from_millis(40)),
            min_rto: Duration::from_millis(200),
            max_rto: Duration::from_secs(120),
            msl: Duration::from_secs(30),
            window_shift: Some(7),
            challenge_ack_limit: 1000,
            r2: 15,
            syn_r2: 6,
            connect_timeout: None,
            syn_options: SynOptionLayout::Linux,
            dsack: true,
            min_send_mss: 48,
            ..Config::default()
        }
    }

    /// The window shift we offer (RFC 7323 §2.2, at most 14).
    ///
    /// A configured shift is lowered if needed so that the receive buffer
    /// still spans at least 64 units of the scaled window field: with a
    /// coarser shift a small buffer could only be advertised as zero (or
    /// as more than it holds), and the connection would stall.
    pub fn rcv_wscale(&self) -> u8 {
        let mut needed = 0u8;
        while needed < 14 && (self.recv_buffer >> needed) > 0xffff {
            needed += 1;
        }
        let Some(s) = self.window_shift else { return needed };
        if self.window_shift_exact {
            return s.min(14);
        }
        let mut fine = 0u8;
        while fine < 14 && (self.recv_buffer >> (fine + 1)) >= 64 {
            fine += 1;
        }
        s.min(14).min(fine.max(needed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_shift_fits_buffer() {
        assert_eq!(Config::freebsd().rcv_wscale(), 6);
        assert_eq!(Config::default().rcv_wscale(), 1);
        let big = Config {
            recv_buffer: 1 << 20,
            ..Config::default()
        };
        assert_eq!(big.rcv_wscale(), 5);
        let coarse = Config {
            recv_buffer: 9553,
            window_shift: Some(14),
            ..Config::default()
        };
        assert_eq!(coarse.rcv_wscale(), 7);
        let huge = Config {
            recv_buffer: 1 << 30,
            window_shift: Some(14),
            ..Config::default()
        };
        assert_eq!(huge.rcv_wscale(), 14);
        let exact = Config {
            window_shift_exact: true,
            ..coarse.clone()
        };
        assert_eq!(exact.rcv_wscale(), 14);
        let capped = Config {
            window_shift: Some(20),
            ..exact
        };
        assert_eq!(capped.rcv_wscale(), 14);
    }
}
