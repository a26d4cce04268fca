//! Path MTU discovery, the TCP side (RFC 9293 §3.7.2, SHLD-6; RFC 1191 §6
//! for IPv4, RFC 8201 §5 for IPv6).
//!
//! A router that cannot forward a segment without fragmenting it (IPv4
//! with Don't Fragment set, and every IPv6 packet) drops it and answers
//! with an ICMP "Fragmentation Needed" or "Packet Too Big" message that
//! carries the next hop's MTU and quotes the start of the dropped packet.
//! The IP layer, which is the caller's, turns the MTU into MMS_S, the
//! largest transport message that fits (RFC 9293 §3.7.1: the MTU less the
//! IP header it sends), and hands it to [`Connection::on_packet_too_big`]
//! with the sequence number from the quoted TCP header. The connection
//! lowers its effective send MSS and sends what is outstanding again at
//! the new size. Raising the MSS again (PMTU increase probing, RFC 1191
//! §6.3, RFC 4821) is left to the caller, which can open a new connection
//! or keep the MTU it learned.

use super::Connection;
use super::seq::SeqNum;

/// The fixed TCP header that MMS_S includes and the send MSS does not
/// (RFC 9293 §3.7.1).
const TCP_FIXED_HEADER: u32 = 20;

impl Connection {
    /// An ICMP "Fragmentation Needed" (RFC 1191 §4) or "Packet Too Big"
    /// (RFC 8201 §4) message about this connection: `mms_s` is the largest
    /// transport message the path carries (the reported MTU less the IP
    /// header of our packets, RFC 9293 §3.7.1), and `quoted_seq` the
    /// sequence number in the TCP header the message quotes.
    ///
    /// Taken only in a synchronized state, with `quoted_seq` in
    /// [SND.UNA, SND.MAX), data actually outstanding (RFC 5927 §4.1: an
    /// off-path attacker must then guess a live sequence number), and an
    /// MMS_S that lowers the send MSS. The send MSS becomes MMS_S less the
    /// 20-byte fixed TCP header (§3.7.1; options still come off per
    /// segment), but not below [`Config::min_send_mss`](super::Config::min_send_mss).
    /// Everything outstanding is then sent again at once at the new size,
    /// as RFC 1191 §6.5 allows instead of waiting for the retransmission
    /// timer; the loss says nothing about congestion, so the congestion
    /// window and slow-start threshold stay as they are. The timed segment
    /// is resent, so its RTT sample is dropped (Karn). Returns whether the
    /// send MSS changed.
    pub fn on_packet_too_big(&mut self, quoted_seq: u32, mms_s: u32) -> bool {
        let quoted = SeqNum(quoted_seq);
        // SND.UNA <= SEG.SEQ < SND.MAX: the quoted segment was sent and is
        // not yet acknowledged (none is when SND.UNA = SND.MAX).
        let in_flight = quoted.between(self.snd_una, self.snd_max) && quoted != self.snd_max;
        if !self.state().is_synchronized() || !in_flight {
            return false;
        }
        let floor = u32::from(self.cfg.min_send_mss).max(1);
        let mss = mms_s.saturating_sub(TCP_FIXED_HEADER).max(floor);
        if mss >= self.snd_mss {
            return false;
        }
        self.snd_mss = mss;
        self.snd_nxt = self.snd_una;
        self.rtt_probe = None;
        true
    }
}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use alloc::vec::Vec;

    use super::super::test_peer::{ISS, LOCAL, PEER, open_with, plain_config, transmitted};
    use super::super::{Config, Connection, Instant};
    use crate::transport::tcp_option::TcpOption;

    /// Established against a peer that offers MSS 1460.
    fn established(c: Config) -> Connection {
        open_with(c, &[TcpOption::Mss(1460)])
    }

    /// (SEQ relative to our first data octet, payload length) of each
    /// segment sent now.
    fn sent(c: &mut Connection) -> Vec<(u32, usize)> {
        let out: Vec<_> = transmitted(c)
            .into_iter()
            .map(|(h, len)| (h.seq.wrapping_sub(ISS + 1), len))
            .collect();
        assert!(out.len() < 64, "runaway output");
        out
    }

    fn cfg() -> Config {
        Config {
            nagle: false,
            ..plain_config()
        }
    }

    #[test]
    fn a_smaller_path_resends_what_is_outstanding_at_the_new_size() {
        let mut c = established(cfg());
        c.send(&[9u8; 4000]).unwrap();
        assert_eq!(sent(&mut c), [(0, 1460), (1460, 1460), (2920, 1080)]);
        let cwnd = c.cwnd();
        // A 1000-byte IPv4 MTU: 980 bytes of TCP, 960 of data.
        assert!(c.on_packet_too_big(ISS + 1, 980));
        assert_eq!(c.send_mss(), 960);
        assert_eq!(
            sent(&mut c),
            [(0, 960), (960, 960), (1920, 960), (2880, 960), (3840, 160)]
        );
        assert_eq!(c.cwnd(), cwnd, "not a congestion signal");
        // The same news again changes nothing.
        assert!(!c.on_packet_too_big(ISS + 1, 980));
        assert!(sent(&mut c).is_empty());
    }

    #[test]
    fn messages_that_do_not_match_live_data_are_ignored() {
        let mut c = established(cfg());
        // Nothing outstanding.
        assert!(!c.on_packet_too_big(ISS + 1, 980));
        c.send(&[9u8; 2000]).unwrap();
        sent(&mut c);
        // Below SND.UNA (our SYN) and at or above SND.MAX.
        for seq in [ISS, ISS + 2001, ISS + 100_000] {
            assert!(!c.on_packet_too_big(seq, 980), "{seq}");
        }
        // An MTU no smaller than the one in use.
        assert!(!c.on_packet_too_big(ISS + 1, 1480));
        assert!(!c.on_packet_too_big(ISS + 1, 9000));
        assert_eq!(c.send_mss(), 1460);
        assert!(sent(&mut c).is_empty());
        // A quoted segment inside the flight is taken.
        assert!(c.on_packet_too_big(ISS + 1461, 1280 - 40));
        assert_eq!(c.send_mss(), 1220);
    }

    #[test]
    fn not_before_the_connection_is_synchronized() {
        let mut c = Connection::new(cfg(), LOCAL);
        c.connect(Instant::ZERO, PEER, ISS).unwrap();
        sent(&mut c);
        assert!(!c.on_packet_too_big(ISS, 500));
    }

    #[test]
    fn the_send_mss_floor_holds() {
        let mut c = established(Config {
            min_send_mss: 48,
            ..cfg()
        });
        c.send(&[9u8; 100]).unwrap();
        sent(&mut c);
        // A forged MTU of 30 cannot make us send 10-byte segments.
        assert!(c.on_packet_too_big(ISS + 1, 30));
        assert_eq!(c.send_mss(), 48);
        assert_eq!(sent(&mut c), [(0, 48), (48, 48), (96, 4)]);
    }
}
