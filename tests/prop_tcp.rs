#![cfg(feature = "proptest")]
//! Properties of the TCP state machine: stream delivery over an impaired
//! network, the handshake segment by segment, and robustness against
//! hostile input.

mod common;

use std::time::Duration;

use netspec::sim::{BulkTransfer, Pair};
use netspec::strategy::tcp::{Action, config, link_config, payload};
use netspec::tcp::diagram::is_edge;
use netspec::tcp::{Config, Connection, Event, Instant, State};
use netspec::transport::tcp::{TcpFlags, TcpSegment};
use proptest::prelude::*;

proptest! {
    #![proptest_config(common::proptest_config("prop_tcp_delivery", 512))]

    /// Stream delivery: both byte streams arrive exactly and in order over
    /// links with up to 30 % loss, duplication, reordering and corruption;
    /// both sides end in CLOSED or TIME-WAIT; no data segment exceeds the
    /// peer's advertised window; every transition is a diagram edge.
    #[test]
    fn stream_delivery(
        seed in any::<u64>(),
        link in link_config(0.3),
        up in payload(20000),
        down in payload(20000),
        client in config(),
        server in config(),
    ) {
        let mut t = BulkTransfer::new(seed, link, up, down);
        t.client = client;
        t.server = server;
        let r = t.run();
        prop_assert!(r.delivered_ok, "{:?}", r);
        prop_assert!(matches!(r.final_states.0, State::Closed | State::TimeWait), "{:?}", r);
        prop_assert!(matches!(r.final_states.1, State::Closed | State::TimeWait), "{:?}", r);
        prop_assert_eq!(r.window_violations, 0);
        prop_assert!(r.bad_transitions.is_empty(), "{:?}", r.bad_transitions);
        prop_assert_eq!(r.invariant_violation, None);
    }
}

/// MSS, window shift, SACK-Permitted and timestamps of a SYN.
type SynOptions = (Option<u16>, Option<u8>, bool, Option<(u32, u32)>);

fn options_of(seg: &TcpSegment<'_>) -> SynOptions {
    let h = seg.to_header();
    (
        h.options.mss(),
        h.options.window_scale(),
        h.options.sack_permitted(),
        h.options.timestamps(),
    )
}

proptest! {
    #![proptest_config(common::proptest_config("prop_tcp_handshake", 1024))]

    /// The three-way handshake (RFC 9293 §3.5, Figure 6), checked segment
    /// by segment with both endpoints' states at each step, for any ISNs
    /// (including near 2^32) and any option combination.
    #[test]
    fn handshake(isn_a in any::<u32>(), isn_b in any::<u32>(), ca in config(), cb in config()) {
        let mut p = Pair::new(ca.clone(), cb.clone());
        p.b.listen().unwrap();
        p.b.accept_isn(isn_b);
        p.a.connect(p.now(), 80, isn_a).unwrap();
        prop_assert_eq!((p.a.state(), p.b.state()), (State::SynSent, State::Listen));

        // 1. A -> B: SYN, SEQ=ISN_A, with every option A enables.
        let syn = p.take_from_a();
        prop_assert_eq!(syn.len(), 1);
        let s = TcpSegment::parse(&syn[0]).unwrap();
        prop_assert_eq!(s.flags(), TcpFlags::SYN);
        prop_assert_eq!(s.seq(), isn_a);
        prop_assert!(s.payload().is_empty());
        let (mss, ws, sack, ts) = options_of(&s);
        prop_assert_eq!(mss, Some(ca.mss));
        prop_assert_eq!(ws, ca.window_scaling.then(|| ca.rcv_wscale()));
        prop_assert_eq!(sack, ca.sack);
        prop_assert_eq!(ts.map(|t| t.1), ca.timestamps.then_some(0));
        p.deliver_to_b(&syn[0]);
        prop_assert_eq!((p.a.state(), p.b.state()), (State::SynSent, State::SynReceived));

        // 2. B -> A: SYN,ACK, SEQ=ISN_B, ACK=ISN_A+1, options agreed.
        let syn_ack = p.take_from_b();
        prop_assert_eq!(syn_ack.len(), 1);
        let s = TcpSegment::parse(&syn_ack[0]).unwrap();
        prop_assert_eq!(s.flags(), TcpFlags::SYN | TcpFlags::ACK);
        prop_assert_eq!(s.seq(), isn_b);
        prop_assert_eq!(s.ack(), isn_a.wrapping_add(1));
        let (mss, ws, sack, ts) = options_of(&s);
        let both_ws = ca.window_scaling && cb.window_scaling;
        prop_assert_eq!(mss, Some(cb.mss));
        prop_assert_eq!(ws, both_ws.then(|| cb.rcv_wscale()));
        prop_assert_eq!(sack, ca.sack && cb.sack);
        prop_assert_eq!(ts.is_some(), ca.timestamps && cb.timestamps);
        p.deliver_to_a(&syn_ack[0]);
        prop_assert_eq!((p.a.state(), p.b.state()), (State::Established, State::SynReceived));

        // 3. A -> B: ACK, SEQ=ISN_A+1, ACK=ISN_B+1, no data.
        let ack = p.take_from_a();
        prop_assert_eq!(ack.len(), 1);
        let s = TcpSegment::parse(&ack[0]).unwrap();
        prop_assert_eq!(s.flags(), TcpFlags::ACK);
        prop_assert_eq!(s.seq(), isn_a.wrapping_add(1));
        prop_assert_eq!(s.ack(), isn_b.wrapping_add(1));
        prop_assert!(s.payload().is_empty());
        p.deliver_to_b(&ack[0]);
        prop_assert_eq!((p.a.state(), p.b.state()), (State::Established, State::Established));

        // Quiet afterwards, and both agree on what was negotiated.
        prop_assert!(p.take_from_a().is_empty());
        prop_assert!(p.take_from_b().is_empty());
        let mss = u32::from(ca.mss.min(cb.mss));
        prop_assert_eq!(p.a.send_mss(), mss);
        prop_assert_eq!(p.b.send_mss(), mss);
        let (a_snd, a_rcv) = p.a.window_shifts();
        let (b_snd, b_rcv) = p.b.window_shifts();
        prop_assert_eq!((a_snd, a_rcv), (b_rcv, b_snd));
        prop_assert_eq!(p.a.ts_sack(), p.b.ts_sack());
        prop_assert_eq!((p.a.snd_una().0, p.a.rcv_nxt().0), (isn_a.wrapping_add(1), isn_b.wrapping_add(1)));
    }
}

/// The starting points of a robustness run.
fn start(kind: u8, cfg: Config) -> Connection {
    match kind % 3 {
        0 => {
            let mut c = Connection::new(cfg, 80);
            c.listen().unwrap();
            c
        }
        1 => {
            let mut c = Connection::new(cfg, 40000);
            c.connect(Instant::ZERO, 80, u32::MAX - 2).unwrap();
            c
        }
        _ => {
            let mut p = Pair::new(Config::default(), cfg);
            p.b.listen().unwrap();
            p.b.accept_isn(u32::MAX - 100);
            p.a.connect(p.now(), 80, 7).unwrap();
            p.exchange();
            p.b
        }
    }
}

proptest! {
    #![proptest_config(common::proptest_config("prop_tcp_robustness", 2048))]

    /// Arbitrary segments (hostile sequence and acknowledgment numbers,
    /// flags, windows, options) mixed with user calls and time never panic
    /// and keep the invariants: SND.UNA ≤ SND.NXT, buffers within their
    /// bounds, RCV.NXT only advances within one incarnation, every
    /// transition is a diagram edge.
    #[test]
    fn robustness(kind in any::<u8>(), cfg in config(), actions in proptest::collection::vec(netspec::strategy::tcp::action(), 1..40)) {
        let mut c = start(kind, cfg);
        let mut now = Instant::ZERO;
        let mut wire = vec![0u8; 4096];
        let mut out = vec![0u8; 65536];
        let mut last_rcv = c.rcv_nxt();
        let mut prev_state = c.state();
        let data = vec![0x5a; 5000];
        for action in actions {
            match action {
                Action::Segment(spec) => {
                    let h = spec.header(&c);
                    let n = h.emit(&mut wire).unwrap();
                    let len = spec.payload_len.min(wire.len() - n);
                    for (i, b) in wire[n..n + len].iter_mut().enumerate() {
                        *b = i as u8;
                    }
                    let seg = TcpSegment::parse(&wire[..n + len]).unwrap();
                    c.on_segment(now, &seg);
                }
                Action::Send(n) => { let _ = c.send(&data[..n]); }
                Action::Recv(n) => { let _ = c.recv(&mut out[..n]); }
                Action::Close => c.close(now),
                Action::Abort => c.abort(now),
                Action::Listen => { let _ = c.listen(); }
                Action::Connect(isn) => { let _ = c.connect(now, 80, isn); }
                Action::Advance(ms) => {
                    now += Duration::from_millis(ms);
                    c.on_timeout(now);
                }
            }
            let mut sent = 0;
            while let Some(t) = c.poll_transmit(now, &mut out) {
                prop_assert!(t.payload_len <= out.len());
                let n = t.header.emit(&mut wire).unwrap();
                prop_assert!(TcpSegment::parse(&wire[..n]).is_ok());
                sent += 1;
                prop_assert!(sent < 10_000, "poll_transmit never stops");
            }
            while let Some(ev) = c.poll_event() {
                if let Event::StateChanged { from, to, cause } = ev {
                    prop_assert!(is_edge(from, to, cause), "{:?} -> {:?} ({:?})", from, to, cause);
                }
            }
            if let Err(e) = c.check_invariants() {
                prop_assert!(false, "invariant broken: {}", e);
            }
            // RCV.NXT is first set by the peer's SYN: only once the
            // connection was synchronizing before this step must it not
            // move back.
            let fresh = matches!(prev_state, State::Closed | State::Listen | State::SynSent);
            if !fresh && !matches!(c.state(), State::Closed | State::Listen) {
                prop_assert!(c.rcv_nxt().diff(last_rcv) >= 0, "RCV.NXT went back");
            }
            last_rcv = c.rcv_nxt();
            prev_state = c.state();
        }
    }
}
