//! Every edge of the RFC 9293 state diagram table (`tcp::diagram::EDGES`)
//! is taken by some scenario here, and no scenario takes any other.

use std::collections::BTreeSet;
use std::time::Duration;

use netspec::sim::{PORT_A, PORT_B, Pair};
use netspec::tcp::diagram::{Cause, EDGES, is_edge};
use netspec::tcp::{Config, Event, State};
use netspec::transport::tcp::TcpFlags;

mod common;

type Edge = (State, State, Cause);

fn key(e: &Edge) -> String {
    format!("{:?}", e)
}

/// Collect the transitions both connections report.
fn drain(p: &mut Pair, seen: &mut BTreeSet<String>) {
    for conn in [&mut p.a, &mut p.b] {
        while let Some(ev) = conn.poll_event() {
            if let Event::StateChanged { from, to, cause } = ev {
                assert!(
                    is_edge(from, to, cause),
                    "not in the table: {from:?} -> {to:?} ({cause:?})"
                );
                seen.insert(key(&(from, to, cause)));
            }
        }
    }
}

fn base() -> Config {
    Config {
        rfc5961_syn: false,
        r2: 2,
        syn_r2: 2,
        connect_timeout: None,
        ..Config::default()
    }
}

fn user_timeout() -> Config {
    Config {
        user_timeout: Some(Duration::from_secs(5)),
        r2: 1000,
        syn_r2: 1000,
        connect_timeout: None,
        ..Config::default()
    }
}

/// A segment from B to A, forged.
fn forge(p: &mut Pair, seq: u32, ack: Option<u32>, flags: TcpFlags) {
    common::forge_to_a(p, &common::header_from_b(seq, ack, flags), &[]);
}

fn deliver_all_to_b(p: &mut Pair, segs: &[Vec<u8>]) {
    for s in segs {
        p.deliver_to_b(s);
    }
}

fn deliver_all_to_a(p: &mut Pair, segs: &[Vec<u8>]) {
    for s in segs {
        p.deliver_to_a(s);
    }
}

/// The ways `a` can be put into a state.
#[derive(Clone, Copy, Debug)]
enum Setup {
    Listen,
    SynSent,
    /// SYN-RECEIVED from a passive open (a listened).
    SynRcvdPassive,
    /// SYN-RECEIVED from a simultaneous open.
    SynRcvdActive,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
}

fn established(cfg: Config) -> Pair {
    let mut p = Pair::new(cfg.clone(), cfg);
    p.b.listen().unwrap();
    p.a.connect(p.now(), PORT_B, 1000).unwrap();
    p.exchange();
    assert_eq!(p.a.state(), State::Established);
    p
}

fn reach(setup: Setup, cfg: Config, seen: &mut BTreeSet<String>) -> Pair {
    let mut p = match setup {
        Setup::Listen => {
            let mut p = Pair::new(cfg.clone(), cfg);
            p.a.listen().unwrap();
            p
        }
        Setup::SynSent => {
            let mut p = Pair::new(cfg.clone(), cfg);
            p.a.connect(p.now(), PORT_B, 1000).unwrap();
            let _ = p.take_from_a();
            p
        }
        Setup::SynRcvdPassive => {
            let mut p = Pair::new(cfg.clone(), cfg);
            p.a.listen().unwrap();
            p.b.connect(p.now(), PORT_A, 5000).unwrap();
            let syn = p.take_from_b();
            deliver_all_to_a(&mut p, &syn);
            let _ = p.take_from_a();
            p
        }
        Setup::SynRcvdActive => {
            let mut p = Pair::new(cfg.clone(), cfg);
            p.a.connect(p.now(), PORT_B, 1000).unwrap();
            p.b.connect(p.now(), PORT_A, 5000).unwrap();
            let (sa, sb) = (p.take_from_a(), p.take_from_b());
            deliver_all_to_b(&mut p, &sa);
            deliver_all_to_a(&mut p, &sb);
            let _ = p.take_from_a();
            p
        }
        Setup::Established => established(cfg),
        Setup::FinWait1 => {
            let mut p = established(cfg);
            p.a.close(p.now());
            let _ = p.take_from_a();
            p
        }
        Setup::FinWait2 => {
            let mut p = established(cfg);
            p.a.close(p.now());
            p.exchange();
            p
        }
        Setup::CloseWait => {
            let mut p = established(cfg);
            p.b.close(p.now());
            p.exchange();
            p
        }
        Setup::Closing => {
            let mut p = established(cfg);
            p.a.close(p.now());
            p.b.close(p.now());
            let _ = p.take_from_a();
            let fin_b = p.take_from_b();
            deliver_all_to_a(&mut p, &fin_b);
            let _ = p.take_from_a();
            p
        }
        Setup::LastAck => {
            let mut p = established(cfg);
            p.b.close(p.now());
            p.exchange();
            p.a.close(p.now());
            let _ = p.take_from_a();
            p
        }
        Setup::TimeWait => {
            let mut p = established(cfg);
            p.a.close(p.now());
            p.exchange();
            p.b.close(p.now());
            // B's FIN reaches A; A's ACK of it is still to be taken.
            let fin_b = p.take_from_b();
            deliver_all_to_a(&mut p, &fin_b);
            p
        }
    };
    let want = match setup {
        Setup::Listen => State::Listen,
        Setup::SynSent => State::SynSent,
        Setup::SynRcvdPassive | Setup::SynRcvdActive => State::SynReceived,
        Setup::Established => State::Established,
        Setup::FinWait1 => State::FinWait1,
        Setup::FinWait2 => State::FinWait2,
        Setup::CloseWait => State::CloseWait,
        Setup::Closing => State::Closing,
        Setup::LastAck => State::LastAck,
        Setup::TimeWait => State::TimeWait,
    };
    assert_eq!(p.a.state(), want, "{setup:?}");
    drain(&mut p, seen);
    p
}

/// Put something in flight so the retransmission timer runs.
fn outstanding(p: &mut Pair) {
    if matches!(p.a.state(), State::Established | State::CloseWait) {
        p.a.send(b"data").unwrap();
    }
    let _ = p.take_from_a();
}

/// Let timers run with every segment lost until `a` closes.
fn starve(p: &mut Pair) {
    for _ in 0..10_000 {
        if p.a.state() == State::Closed {
            return;
        }
        let _ = p.take_from_a();
        let _ = p.take_from_b();
        if !p.fire_next_timer() {
            break;
        }
    }
    assert_eq!(p.a.state(), State::Closed);
}

#[test]
fn every_edge_is_exercised() {
    use Setup::*;
    let mut seen = BTreeSet::new();
    let all = [
        Listen,
        SynSent,
        SynRcvdPassive,
        SynRcvdActive,
        Established,
        FinWait1,
        FinWait2,
        CloseWait,
        Closing,
        LastAck,
        TimeWait,
    ];
    for setup in all {
        // A reset exactly at RCV.NXT.
        if !matches!(setup, Listen) {
            let mut p = reach(setup, base(), &mut seen);
            let (seq, ack) = (p.a.rcv_nxt().0, p.a.snd_nxt().0);
            forge(&mut p, seq, Some(ack), TcpFlags::RST);
            drain(&mut p, &mut seen);
            assert!(matches!(p.a.state(), State::Closed | State::Listen), "{setup:?} RST");
        }
        // An in-window SYN with RFC 5961 off.
        if !matches!(setup, Listen | SynSent) {
            let mut p = reach(setup, base(), &mut seen);
            let seq = p.a.rcv_nxt().0;
            forge(&mut p, seq, None, TcpFlags::SYN);
            drain(&mut p, &mut seen);
            assert!(matches!(p.a.state(), State::Closed | State::Listen), "{setup:?} SYN");
        }
        // ABORT.
        let mut p = reach(setup, base(), &mut seen);
        p.a.abort(p.now());
        drain(&mut p, &mut seen);
        assert_eq!(p.a.state(), State::Closed);
        // Timeouts, where something is outstanding.
        if !matches!(setup, Listen | FinWait2 | TimeWait) {
            for cfg in [base(), user_timeout()] {
                let mut p = reach(setup, cfg, &mut seen);
                outstanding(&mut p);
                starve(&mut p);
                drain(&mut p, &mut seen);
            }
        }
        // CLOSE.
        if !matches!(setup, FinWait1 | FinWait2 | Closing | LastAck | TimeWait) {
            let mut p = reach(setup, base(), &mut seen);
            p.a.close(p.now());
            drain(&mut p, &mut seen);
        }
    }
    // The normal endings: FIN-WAIT-2 and CLOSING to TIME-WAIT, TIME-WAIT
    // expiry, LAST-ACK to CLOSED.
    let mut p = reach(TimeWait, base(), &mut seen);
    assert_eq!(p.b.state(), State::LastAck);
    p.exchange();
    assert_eq!(p.b.state(), State::Closed);
    p.advance(Duration::from_secs(60));
    assert_eq!(p.a.state(), State::Closed);
    drain(&mut p, &mut seen);
    let mut p = reach(Closing, base(), &mut seen);
    // A's FIN was lost: its retransmission gets B's ACK.
    assert!(p.fire_next_timer());
    p.exchange();
    assert_eq!(p.a.state(), State::TimeWait);
    drain(&mut p, &mut seen);
    // FIN and the ACK of our FIN in one segment: FIN-WAIT-1 to TIME-WAIT.
    let mut p = established(base());
    p.a.close(p.now());
    let fin = p.take_from_a();
    deliver_all_to_b(&mut p, &fin);
    p.b.close(p.now());
    let fin_ack = p.take_from_b();
    assert_eq!(fin_ack.len(), 1);
    deliver_all_to_a(&mut p, &fin_ack);
    assert_eq!(p.a.state(), State::TimeWait);
    drain(&mut p, &mut seen);

    let table: BTreeSet<String> = EDGES.iter().map(key).collect();
    let missing: Vec<_> = table.difference(&seen).collect();
    assert!(missing.is_empty(), "edges never taken: {missing:#?}");
    assert_eq!(seen, table);
}
