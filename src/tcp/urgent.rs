//! Urgent data (RFC 9293 §3.8.5).
//!
//! The sender marks a point in its stream: every octet before it is
//! urgent. SND.UP is the sequence number just after the last urgent octet
//! (MUST-31's reading of the pointer, the one every stack uses), and each
//! segment sent below it carries the URG bit with the pointer as an offset
//! from its own SEG.SEQ. The receiver keeps RCV.UP, the furthest such
//! point seen (§3.10.7.4, sixth check), tells the user when urgent data is
//! pending (MUST-31) and how much of it remains to be read (MUST-32). The
//! urgent octets stay in the stream, in order: TCP has no out-of-band
//! channel, and RFC 6093 §6 advises new applications not to rely on the
//! mechanism. A sequence of urgent data may be of any length (MUST-30),
//! because only its end is signalled.

use super::segment::Seg;
use super::seq::SeqNum;
use super::{Connection, Event, State, UserError};
use crate::transport::tcp::TcpFlags;

impl Connection {
    /// SEND with the urgent flag set (RFC 9293 §3.10.2): queue as much of
    /// `data` as the send buffer holds, as [`send`](Self::send) does, and
    /// make its last queued octet the end of the urgent data. SND.UP moves
    /// just after it, so every segment sent below SND.UP, retransmissions
    /// included, carries URG and the urgent pointer until the peer
    /// acknowledges SND.UP (§3.8.5). Returns the count queued.
    pub fn send_urgent(&mut self, data: &[u8]) -> Result<usize, UserError> {
        let n = self.send(data)?;
        if n > 0 {
            self.snd_up = Some(self.buf_seq() + self.send_buf.len());
        }
        Ok(n)
    }

    /// How many octets of urgent data remain to be read: from the next
    /// octet [`recv`](Self::recv) returns up to RCV.UP, counting urgent
    /// octets not yet received (RFC 9293 §3.8.5, MUST-32). `None` when no
    /// urgent data is pending.
    pub fn urgent_pending(&self) -> Option<u32> {
        let left = self.rcv_up?.diff(self.read_seq());
        u32::try_from(left).ok().filter(|&n| n > 0)
    }

    /// The sequence number of the next octet the user reads: RCV.NXT less
    /// the in-order octets still buffered (and the FIN, which holds no
    /// octet).
    fn read_seq(&self) -> SeqNum {
        // The receive buffer holds less than 2^31 octets (a window is at
        // most 2^30).
        self.rcv_nxt - u32::from(self.fin_rcvd) - self.recv_buf.len() as u32
    }

    /// The sixth check of segment arrival (RFC 9293 §3.10.7.4), for a
    /// segment that passed the first five. In ESTABLISHED, FIN-WAIT-1 and
    /// FIN-WAIT-2, URG moves RCV.UP to SEG.SEQ + SEG.UP if that is
    /// further, and the user is told (MUST-31) when the pointer advanced
    /// ahead of the data read so far. After the peer's FIN the URG bit is
    /// ignored: "this should not occur".
    pub(super) fn check_urgent(&mut self, seg: &Seg<'_>) {
        // A pointer the user has read past is done with. Dropping it here,
        // on every segment, keeps the comparisons below within 2^31 of it:
        // reading cannot get further ahead than the data that arrived.
        if self.urgent_pending().is_none() {
            self.rcv_up = None;
        }
        if !seg.has(TcpFlags::URG) || !matches!(self.state, State::Established | State::FinWait1 | State::FinWait2) {
            return;
        }
        let up = seg.seq + u32::from(seg.urgent_ptr);
        if self.rcv_up.is_some_and(|old| up <= old) {
            // Not an advance: the user already knows (§3.10.7.4).
            return;
        }
        self.rcv_up = Some(up);
        if self.urgent_pending().is_some() {
            self.push_event(Event::Urgent);
        }
    }

    /// The urgent pointer for a segment starting at `seq`: the offset of
    /// SND.UP from it while SND.UP lies ahead (RFC 9293 §3.8.5), 65535 if
    /// the offset does not fit the 16-bit field (as BSD and Linux send it:
    /// the URG bit still gets through, and a later segment carries the
    /// exact pointer). SND.UP is forgotten once the peer acknowledges it.
    pub(super) fn urgent_pointer_for(&mut self, seq: SeqNum) -> Option<u16> {
        let up = self.snd_up?;
        if up <= self.snd_una {
            self.snd_up = None;
            return None;
        }
        (up > seq).then(|| up.since(seq).min(0xFFFF) as u16)
    }
}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    //! Per-state tests of the urgent mechanism: the sender's pointer on
    //! every segment below SND.UP, the receiver's RCV.UP, signal and count.

    use alloc::vec;
    use alloc::vec::Vec;

    use super::super::test_peer::{IRS, ISS, at, deliver, header, open_with, plain_config, segment_bytes, transmitted};
    use super::super::{Config, Connection, Event, Instant, State};
    use crate::transport::tcp::{TcpFlags, TcpHeader, TcpSegment};

    fn cfg() -> Config {
        Config {
            nagle: false,
            ..plain_config()
        }
    }

    /// A segment from the peer: `flags` (ACK added, acknowledging our
    /// SYN), `payload`, and an urgent pointer if given (with URG).
    fn feed(c: &mut Connection, seq: u32, flags: TcpFlags, payload: &[u8], urgent: Option<u16>) {
        let mut h = header(seq, Some(ISS + 1), flags);
        if let Some(up) = urgent {
            h.flags |= TcpFlags::URG;
            h.urgent_ptr = up;
        }
        deliver(c, &h, payload);
    }

    /// Headers and payload lengths of everything the connection sends now.
    fn drain(c: &mut Connection) -> Vec<(TcpHeader, usize)> {
        transmitted(c)
    }

    fn established(c: Config) -> Connection {
        open_with(c, &[])
    }

    fn urgent_events(c: &mut Connection) -> usize {
        let mut n = 0;
        while let Some(ev) = c.poll_event() {
            n += usize::from(ev == Event::Urgent);
        }
        n
    }

    #[test]
    fn segments_below_snd_up_carry_urg_and_the_pointer() {
        let mut c = established(cfg());
        c.send(b"abc").unwrap();
        assert_eq!(c.send_urgent(b"XY"), Ok(2));
        let sent = drain(&mut c);
        let (h, len) = sent[0];
        assert_eq!((h.seq, len), (ISS + 1, 5));
        // The pointer is the offset of the octet after the urgent data.
        assert!(h.flags.contains(TcpFlags::URG), "{h:?}");
        assert_eq!(h.urgent_ptr, 5);
        // A retransmission still points to SND.UP.
        let due = c.poll_timeout().unwrap();
        c.on_timeout(due);
        let mut payload = [0u8; 1500];
        let t = c.poll_transmit(due, &mut payload).unwrap();
        assert_eq!((t.header.seq, t.header.urgent_ptr), (ISS + 1, 5));
        assert!(t.header.flags.contains(TcpFlags::URG));
        // Once the peer acknowledges SND.UP, urgent mode is over.
        let ack = segment_bytes(&header(IRS + 1, Some(ISS + 6), TcpFlags::empty()), &[]);
        c.on_segment(due, &TcpSegment::parse(&ack).unwrap());
        c.send(b"z").unwrap();
        let t = c.poll_transmit(due, &mut payload).unwrap();
        assert_eq!(t.header.seq, ISS + 6);
        assert!(!t.header.flags.contains(TcpFlags::URG));
        assert_eq!(t.header.urgent_ptr, 0);
    }

    #[test]
    fn every_segment_below_snd_up_points_to_it() {
        let mut c = established(Config { mss: 100, ..cfg() });
        c.send_urgent(&[7u8; 250]).unwrap();
        let sent = drain(&mut c);
        let pointers: Vec<_> = sent
            .iter()
            .map(|(h, len)| (h.seq - ISS - 1, *len, h.urgent_ptr))
            .collect();
        // Every segment below SND.UP (251) points to it.
        assert_eq!(pointers, [(0, 100, 250), (100, 100, 150), (200, 50, 50)]);
        assert!(sent.iter().all(|(h, _)| h.flags.contains(TcpFlags::URG)));
    }

    #[test]
    fn an_ack_announces_urgent_data_the_window_holds_back() {
        let mut c = established(Config { mss: 100, ..cfg() });
        c.send_urgent(&[7u8; 3000]).unwrap();
        // The initial window lets 10 segments go (RFC 6928).
        let sent = drain(&mut c);
        assert_eq!(sent.len(), 10);
        assert!(sent.iter().all(|(h, _)| h.flags.contains(TcpFlags::URG)));
        // Data from the peer that acknowledges nothing: the ACK we send at
        // SND.NXT (1001) still points to SND.UP, 2000 octets further.
        feed(&mut c, IRS + 1, TcpFlags::PSH, b"x", None);
        let acks = drain(&mut c);
        let (h, len) = acks[0];
        assert_eq!((h.seq - ISS - 1, len), (1000, 0));
        assert!(h.flags.contains(TcpFlags::URG));
        assert_eq!(h.urgent_ptr, 2000);
    }

    #[test]
    fn a_pointer_beyond_16_bits_is_sent_as_65535() {
        let mut c = established(Config {
            send_buffer: 128 * 1024,
            ..cfg()
        });
        c.send(&vec![1u8; 70_000]).unwrap();
        c.send_urgent(b"!").unwrap();
        let (h, _) = drain(&mut c)[0];
        assert!(h.flags.contains(TcpFlags::URG));
        assert_eq!(h.urgent_ptr, 0xFFFF);
    }

    #[test]
    fn established_signals_once_per_advance_and_counts_down_as_data_is_read() {
        let mut c = established(cfg());
        // 10 octets, the urgent data ending after the 4th.
        feed(&mut c, IRS + 1, TcpFlags::PSH, b"0123456789", Some(4));
        assert_eq!(urgent_events(&mut c), 1);
        assert_eq!(c.urgent_pending(), Some(4));
        let mut buf = [0u8; 3];
        assert_eq!(c.recv(&mut buf), Ok(3));
        assert_eq!(c.urgent_pending(), Some(1));
        // The same pointer again (a retransmission) is not news.
        feed(&mut c, IRS + 1, TcpFlags::PSH, b"0123456789", Some(4));
        assert_eq!(urgent_events(&mut c), 0);
        // A pointer into data not yet received counts those octets too,
        // and advancing it is news (MUST-31).
        feed(&mut c, IRS + 11, TcpFlags::PSH, b"ab", Some(30));
        assert_eq!(urgent_events(&mut c), 1);
        assert_eq!(c.urgent_pending(), Some(41 - 4));
        let mut all = [0u8; 64];
        assert_eq!(c.recv(&mut all), Ok(9));
        assert_eq!(c.urgent_pending(), Some(41 - 13));
    }

    #[test]
    fn urgent_data_read_is_no_longer_pending_and_a_zero_pointer_is_not_urgent() {
        let mut c = established(cfg());
        feed(&mut c, IRS + 1, TcpFlags::PSH, b"abc", Some(3));
        assert_eq!(urgent_events(&mut c), 1);
        let mut buf = [0u8; 8];
        assert_eq!(c.recv(&mut buf), Ok(3));
        assert_eq!(c.urgent_pending(), None);
        // SEG.UP 0: the urgent data ends where this segment starts, which
        // the user has read already.
        feed(&mut c, IRS + 4, TcpFlags::PSH, b"d", Some(0));
        assert_eq!((urgent_events(&mut c), c.urgent_pending()), (0, None));
    }

    #[test]
    fn fin_wait_states_take_the_pointer() {
        for fin_wait_2 in [false, true] {
            let mut c = established(cfg());
            c.close(at(10));
            drain(&mut c);
            assert_eq!(c.state(), State::FinWait1);
            if fin_wait_2 {
                deliver(&mut c, &header(IRS + 1, Some(ISS + 2), TcpFlags::empty()), &[]);
                assert_eq!(c.state(), State::FinWait2);
            }
            let mut h = header(IRS + 1, Some(if fin_wait_2 { ISS + 2 } else { ISS + 1 }), TcpFlags::URG);
            h.urgent_ptr = 2;
            deliver(&mut c, &h, b"hi");
            assert_eq!(
                (urgent_events(&mut c), c.urgent_pending()),
                (1, Some(2)),
                "{}",
                c.state()
            );
        }
    }

    #[test]
    fn after_the_peers_fin_urg_is_ignored() {
        let mut c = established(cfg());
        feed(&mut c, IRS + 1, TcpFlags::FIN, &[], None);
        assert_eq!(c.state(), State::CloseWait);
        // "This should not occur": a FIN came first (§3.10.7.4 sixth check).
        feed(&mut c, IRS + 2, TcpFlags::empty(), &[], Some(100));
        assert_eq!((urgent_events(&mut c), c.urgent_pending()), (0, None));
    }

    #[test]
    fn urgent_data_end_to_end() {
        let (mut a, mut b) = (Connection::new(cfg(), 40000), Connection::new(cfg(), 80));
        b.listen().unwrap();
        b.accept_isn(9000);
        a.connect(Instant::ZERO, 80, 1000).unwrap();
        let mut wire = [0u8; 1600];
        let mut payload = [0u8; 1500];
        let mut pump = |from: &mut Connection, to: &mut Connection| {
            while let Some(t) = from.poll_transmit(Instant::ZERO, &mut payload) {
                let n = t.header.emit(&mut wire).unwrap();
                wire[n..n + t.payload_len].copy_from_slice(&payload[..t.payload_len]);
                to.on_segment(Instant::ZERO, &TcpSegment::parse(&wire[..n + t.payload_len]).unwrap());
            }
        };
        for _ in 0..3 {
            pump(&mut a, &mut b);
            pump(&mut b, &mut a);
        }
        assert_eq!((a.state(), b.state()), (State::Established, State::Established));
        a.send(b"normal ").unwrap();
        a.send_urgent(b"INTERRUPT").unwrap();
        pump(&mut a, &mut b);
        assert_eq!(urgent_events(&mut b), 1);
        assert_eq!(b.urgent_pending(), Some(16));
        let mut got = [0u8; 32];
        assert_eq!(b.recv(&mut got), Ok(16));
        assert_eq!(&got[..16], b"normal INTERRUPT");
        assert_eq!(b.urgent_pending(), None);
        pump(&mut b, &mut a);
        a.send(b"after").unwrap();
        let t = a.poll_transmit(Instant::ZERO, &mut payload).unwrap();
        assert!(!t.header.flags.contains(TcpFlags::URG));
    }
}
