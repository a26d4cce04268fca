//! RFC 9293, RFC 5961, RFC 6298, RFC 7323 and RFC 2018 behaviours, each
//! checked on the segments a connection sends.

use std::time::Duration;

use netspec::sim::{ADDR_A, ADDR_B, PORT_A, PORT_B, Pair};
use netspec::tcp::{Config, ConnectionError, Event, Instant, State, rst_for_closed};
use netspec::transport::tcp::{TcpFlags, TcpHeader, TcpSegment, fill_checksum_v4};
use netspec::transport::tcp_option::{TcpOption, TcpOptions};

mod common;

fn seg(b: &[u8]) -> TcpSegment<'_> {
    TcpSegment::parse(b).unwrap()
}

fn plain() -> Config {
    Config {
        timestamps: false,
        sack: false,
        window_scaling: false,
        ..Config::default()
    }
}

fn established(a: Config, b: Config) -> Pair {
    let mut p = Pair::new(a, b);
    p.b.listen().unwrap();
    p.b.accept_isn(5000);
    p.a.connect(p.now(), PORT_B, 1000).unwrap();
    p.exchange();
    assert_eq!((p.a.state(), p.b.state()), (State::Established, State::Established));
    p
}

/// Deliver a forged segment from B to A.
fn forge(p: &mut Pair, h: TcpHeader, payload: &[u8]) {
    common::forge_to_a(p, &h, payload);
}

fn header(seq: u32, ack: Option<u32>, flags: TcpFlags) -> TcpHeader {
    common::header_from_b(seq, ack, flags)
}

#[test]
fn closed_port_answers_with_rst() {
    // RFC 9293 §3.10.7.1.
    let raw = |h: TcpHeader| {
        let mut b = vec![0u8; 20];
        h.emit(&mut b).unwrap();
        b
    };
    let syn = raw(header(100, None, TcpFlags::SYN));
    let r = rst_for_closed(&seg(&syn)).unwrap();
    assert_eq!((r.flags, r.seq, r.ack), (TcpFlags::RST | TcpFlags::ACK, 0, 101));
    let ack = raw(header(100, Some(777), TcpFlags::empty()));
    let r = rst_for_closed(&seg(&ack)).unwrap();
    assert_eq!((r.flags, r.seq), (TcpFlags::RST, 777));
    assert!(rst_for_closed(&seg(&raw(header(1, None, TcpFlags::RST)))).is_none());

    // A CLOSED connection answers the same way, unless blackholed.
    let mut p = Pair::new(plain(), plain());
    forge(&mut p, header(100, None, TcpFlags::SYN | TcpFlags::FIN), b"abc");
    let out = p.take_from_a();
    assert_eq!(out.len(), 1);
    let s = seg(&out[0]);
    assert_eq!((s.flags(), s.seq(), s.ack()), (TcpFlags::RST | TcpFlags::ACK, 0, 105));
    assert_eq!(
        (s.src_port(), s.dst_port()),
        (PORT_A, PORT_B),
        "back to the sender's port"
    );
    let mut p = Pair::new(
        Config {
            blackhole: true,
            ..plain()
        },
        plain(),
    );
    forge(&mut p, header(100, None, TcpFlags::SYN), b"");
    assert!(p.take_from_a().is_empty());
}

#[test]
fn listen_resets_acks_and_ignores_rsts() {
    // RFC 9293 §3.10.7.2.
    let mut p = Pair::new(plain(), plain());
    p.a.listen().unwrap();
    forge(&mut p, header(5, None, TcpFlags::RST), b"");
    assert!(p.take_from_a().is_empty());
    forge(&mut p, header(5, Some(999), TcpFlags::empty()), b"");
    let out = p.take_from_a();
    assert_eq!(out.len(), 1);
    assert_eq!((seg(&out[0]).flags(), seg(&out[0]).seq()), (TcpFlags::RST, 999));
    assert_eq!(seg(&out[0]).dst_port(), PORT_B);
    assert_eq!(p.a.state(), State::Listen);
}

#[test]
fn syn_sent_rejects_bad_ack_and_takes_rst_only_with_good_ack() {
    // RFC 9293 §3.10.7.3.
    let mut p = Pair::new(plain(), plain());
    p.a.connect(p.now(), PORT_B, 1000).unwrap();
    let _ = p.take_from_a();
    forge(&mut p, header(0, Some(50), TcpFlags::SYN), b"");
    let out = p.take_from_a();
    assert_eq!((seg(&out[0]).flags(), seg(&out[0]).seq()), (TcpFlags::RST, 50));
    assert_eq!(p.a.state(), State::SynSent);
    // A RST without an acceptable ACK is dropped.
    forge(&mut p, header(0, None, TcpFlags::RST), b"");
    assert_eq!(p.a.state(), State::SynSent);
    forge(&mut p, header(0, Some(1001), TcpFlags::RST), b"");
    assert_eq!(p.a.state(), State::Closed);
    assert_eq!(p.a.error(), Some(ConnectionError::Refused));
}

#[test]
fn rfc5961_rst_needs_exact_sequence_number() {
    let mut p = established(plain(), plain());
    let (rcv, snd) = (p.a.rcv_nxt().0, p.a.snd_nxt().0);
    // In the window but not exact: challenge ACK, connection kept.
    forge(&mut p, header(rcv + 10, None, TcpFlags::RST), b"");
    let out = p.take_from_a();
    assert_eq!(out.len(), 1);
    let s = seg(&out[0]);
    assert_eq!((s.flags(), s.seq(), s.ack()), (TcpFlags::ACK, snd, rcv));
    assert_eq!(p.a.state(), State::Established);
    // Outside the window: silently dropped.
    forge(&mut p, header(rcv.wrapping_sub(100_000), None, TcpFlags::RST), b"");
    assert!(p.take_from_a().is_empty());
    // Exactly RCV.NXT: reset.
    forge(&mut p, header(rcv, None, TcpFlags::RST), b"");
    assert_eq!(p.a.state(), State::Closed);
    assert_eq!(p.a.error(), Some(ConnectionError::Reset));
    assert!(std::iter::from_fn(|| p.a.poll_event()).any(|e| e == Event::Reset));

    // RFC 793 behaviour when switched off: any in-window RST resets.
    let mut p = established(
        Config {
            rfc5961_rst: false,
            ..plain()
        },
        plain(),
    );
    let rcv = p.a.rcv_nxt().0;
    forge(&mut p, header(rcv + 10, None, TcpFlags::RST), b"");
    assert_eq!(p.a.state(), State::Closed);
}

#[test]
fn rfc5961_syn_gets_challenge_ack() {
    let mut p = established(plain(), plain());
    let rcv = p.a.rcv_nxt().0;
    for seq in [rcv, rcv + 5, rcv.wrapping_sub(5)] {
        forge(&mut p, header(seq, None, TcpFlags::SYN), b"");
        let out = p.take_from_a();
        assert_eq!(out.len(), 1, "seq {seq}");
        assert_eq!(seg(&out[0]).flags(), TcpFlags::ACK);
        assert_eq!(seg(&out[0]).ack(), rcv);
        assert_eq!(p.a.state(), State::Established);
    }
}

#[test]
fn challenge_acks_are_rate_limited() {
    // RFC 5961 §7.
    let mut p = established(
        Config {
            challenge_ack_limit: 5,
            ..plain()
        },
        plain(),
    );
    let rcv = p.a.rcv_nxt().0;
    let mut acks = 0;
    for i in 0..20 {
        forge(&mut p, header(rcv + 1 + i, None, TcpFlags::RST), b"");
        acks += p.take_from_a().len();
    }
    assert_eq!(acks, 5);
    p.advance(Duration::from_secs(1));
    forge(&mut p, header(rcv + 1, None, TcpFlags::RST), b"");
    assert_eq!(p.take_from_a().len(), 1);
    assert_eq!(p.a.stats().challenge_acks, 6);
}

#[test]
fn ack_of_unsent_data_is_dropped_with_an_ack() {
    let mut p = established(plain(), plain());
    let (rcv, snd) = (p.a.rcv_nxt().0, p.a.snd_nxt().0);
    forge(&mut p, header(rcv, Some(snd + 1000), TcpFlags::empty()), b"data");
    let out = p.take_from_a();
    assert_eq!(out.len(), 1);
    assert_eq!(seg(&out[0]).ack(), rcv, "the data was not taken");
    assert_eq!(p.a.snd_una().0, snd);
}

#[test]
fn unacceptable_segment_is_answered_with_ack() {
    // RFC 9293 §3.10.7.4, first check: old data.
    let mut p = established(plain(), plain());
    let (rcv, snd) = (p.a.rcv_nxt().0, p.a.snd_nxt().0);
    forge(
        &mut p,
        header(rcv.wrapping_sub(10), Some(snd), TcpFlags::empty()),
        b"old",
    );
    let out = p.take_from_a();
    assert_eq!(out.len(), 1);
    assert_eq!((seg(&out[0]).seq(), seg(&out[0]).ack()), (snd, rcv));
    assert_eq!(p.a.bytes_readable(), 0);
}

#[test]
fn time_wait_lasts_two_msl() {
    let cfg = Config {
        msl: Duration::from_secs(2),
        ..plain()
    };
    let mut p = established(cfg.clone(), cfg);
    p.a.close(p.now());
    p.exchange();
    p.b.close(p.now());
    p.exchange();
    assert_eq!(p.a.state(), State::TimeWait);
    assert_eq!(p.b.state(), State::Closed);
    let start = p.now();
    assert_eq!(p.a.poll_timeout(), Some(start + Duration::from_secs(4)));
    p.advance(Duration::from_millis(3999));
    assert_eq!(p.a.state(), State::TimeWait);
    p.advance(Duration::from_millis(1));
    assert_eq!(p.a.state(), State::Closed);
    assert_eq!(p.a.error(), None);
}

#[test]
fn retransmission_backs_off_until_r2() {
    let cfg = Config {
        r1: 2,
        r2: 4,
        ..plain()
    };
    let mut p = established(cfg.clone(), cfg);
    p.a.send(b"lost").unwrap();
    assert_eq!(p.take_from_a().len(), 1);
    let mut gaps = Vec::new();
    let mut last = p.now();
    while p.a.state() != State::Closed {
        let t = p.a.poll_timeout().unwrap();
        p.advance(t.saturating_since(p.now()));
        let out = p.take_from_a();
        if p.a.state() != State::Closed {
            assert_eq!(out.len(), 1);
            assert_eq!(seg(&out[0]).payload(), b"lost");
        }
        gaps.push(t.saturating_since(last));
        last = t;
    }
    // First RTO 200 ms (min RTO after a zero RTT sample), then doubling.
    let ms: Vec<u128> = gaps.iter().map(|d| d.as_millis()).collect();
    assert_eq!(ms, vec![200, 400, 800, 1600, 3200]);
    assert_eq!(p.a.error(), Some(ConnectionError::TimedOut));
    assert!(std::iter::from_fn(|| p.a.poll_event()).any(|e| e == Event::RetransmitThreshold));
    assert_eq!(p.a.stats().retransmissions, 4);
}

#[test]
fn karn_ignores_retransmitted_samples() {
    let mut p = established(plain(), plain());
    let srtt0 = p.a.rtt().srtt();
    p.a.send(b"x").unwrap();
    let _ = p.take_from_a();
    p.advance(Duration::from_millis(200));
    let rtx = p.take_from_a();
    assert_eq!(rtx.len(), 1);
    p.advance(Duration::from_millis(150));
    p.deliver_to_b(&rtx[0]);
    p.b.on_timeout(p.now() + Duration::from_secs(1));
    p.exchange();
    assert_eq!(p.a.bytes_unacked(), 0);
    assert_eq!(p.a.rtt().srtt(), srtt0, "no sample from a retransmitted segment");
    // A segment sent once is sampled.
    p.a.send(b"y").unwrap();
    let s = p.take_from_a();
    p.advance(Duration::from_millis(30));
    p.deliver_to_b(&s[0]);
    let ack = p.take_from_b();
    let ack = if ack.is_empty() {
        p.advance(Duration::from_millis(40));
        p.take_from_b()
    } else {
        ack
    };
    p.deliver_to_a(&ack[0]);
    assert!(p.a.rtt().srtt() > srtt0);
}

#[test]
fn zero_window_is_probed_without_giving_up() {
    let small = Config {
        recv_buffer: 2000,
        r2: 3,
        ..plain()
    };
    let mut p = established(Config { r2: 3, ..plain() }, small);
    let data = vec![7u8; 6000];
    assert_eq!(p.a.send(&data).unwrap(), 6000);
    p.exchange();
    // The last 540 bytes of the window wait for sender SWS avoidance's
    // override timeout.
    assert_eq!(p.b.bytes_readable(), 1460);
    for _ in 0..3 {
        assert!(p.fire_next_timer());
        p.exchange();
    }
    assert_eq!(p.b.bytes_readable(), 2000);
    assert_eq!(p.a.snd_wnd(), 0);
    // Far more probes than R2 allows retransmissions: still open.
    let mut probes = 0;
    let mut prev = p.now();
    let mut intervals = Vec::new();
    for _ in 0..8 {
        assert!(p.fire_next_timer());
        intervals.push(p.now().saturating_since(prev));
        prev = p.now();
        for s in p.take_from_a() {
            let s2 = s.clone();
            let v = seg(&s2);
            assert_eq!(v.payload().len(), 1, "a probe carries one octet");
            probes += 1;
            p.deliver_to_b(&s);
        }
        let acks = p.take_from_b();
        for s in &acks {
            assert_eq!(seg(s).window(), 0);
            p.deliver_to_a(s);
        }
    }
    assert_eq!(probes, 8);
    assert_eq!(p.a.state(), State::Established);
    assert!(intervals.windows(2).all(|w| w[1] >= w[0]), "backoff: {intervals:?}");
    // The reader drains the buffer: the window update restarts the flow.
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    for _ in 0..50 {
        while let Ok(n) = p.b.recv(&mut buf) {
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
        p.exchange();
        if got.len() == 6000 {
            break;
        }
        p.fire_next_timer();
    }
    assert_eq!(got, data);
}

#[test]
fn nagle_holds_small_segments_while_data_is_unacknowledged() {
    let mut p = established(plain(), plain());
    p.a.send(b"one").unwrap();
    assert_eq!(p.take_from_a().len(), 1);
    p.a.send(b"two").unwrap();
    assert!(p.take_from_a().is_empty(), "held by Nagle");
    p.a.send(b"three").unwrap();
    assert!(p.take_from_a().is_empty());

    let mut p = established(
        Config {
            nagle: false,
            ..plain()
        },
        plain(),
    );
    p.a.send(b"one").unwrap();
    assert_eq!(p.take_from_a().len(), 1);
    p.a.send(b"two").unwrap();
    assert_eq!(p.take_from_a().len(), 1, "TCP_NODELAY");
}

#[test]
fn delayed_ack_waits_and_every_second_full_segment_is_acked() {
    let mut p = established(plain(), plain());
    p.a.send(b"small").unwrap();
    let s = p.take_from_a();
    p.deliver_to_b(&s[0]);
    assert!(p.take_from_b().is_empty(), "ACK delayed");
    assert_eq!(p.b.poll_timeout(), Some(p.now() + Duration::from_millis(40)));
    p.advance(Duration::from_millis(40));
    let acks = p.take_from_b();
    assert_eq!(acks.len(), 1);
    p.deliver_to_a(&acks[0]);
    // Two full-sized segments: acknowledged at once.
    p.a.send(&[1u8; 2920]).unwrap();
    let segs = p.take_from_a();
    assert_eq!(segs.len(), 2);
    p.deliver_to_b(&segs[0]);
    assert!(p.take_from_b().is_empty());
    p.deliver_to_b(&segs[1]);
    let acks = p.take_from_b();
    assert_eq!(acks.len(), 1);
    assert_eq!(seg(&acks[0]).ack(), p.b.rcv_nxt().0);
}

#[test]
fn out_of_order_data_is_sacked_and_reassembled() {
    let cfg = Config {
        sack: true,
        nagle: false,
        ..plain()
    };
    let mut p = established(cfg.clone(), cfg);
    p.a.send(&[1u8; 1460]).unwrap();
    p.a.send(&[2u8; 1460]).unwrap();
    p.a.send(&[3u8; 1460]).unwrap();
    let segs = p.take_from_a();
    assert_eq!(segs.len(), 3);
    let first = seg(&segs[0]).seq();
    p.deliver_to_b(&segs[1]);
    p.deliver_to_b(&segs[2]);
    let acks = p.take_from_b();
    assert!(!acks.is_empty());
    let last = seg(acks.last().unwrap());
    assert_eq!(last.ack(), first, "duplicate ACK for the hole");
    let sack = last.to_header().options.sack_blocks().expect("SACK blocks");
    assert_eq!(sack.as_slice()[0], (first.wrapping_add(1460), first.wrapping_add(4380)));
    assert_eq!(p.b.reassembly_bytes(), 2920);
    assert_eq!(p.b.bytes_readable(), 0);
    p.deliver_to_b(&segs[0]);
    assert_eq!(p.b.bytes_readable(), 4380);
    let mut buf = vec![0u8; 4380];
    assert_eq!(p.b.recv(&mut buf), Ok(4380));
    assert!(buf[..1460].iter().all(|&b| b == 1) && buf[2920..].iter().all(|&b| b == 3));
}

#[test]
fn effective_mss_is_the_smaller_one_less_options() {
    // RFC 9293 §3.7.1; the timestamp option takes 12 bytes of it.
    let a = Config {
        mss: 1000,
        timestamps: true,
        ..plain()
    };
    let b = Config {
        mss: 500,
        timestamps: true,
        ..plain()
    };
    let mut p = established(a, b);
    assert_eq!(p.a.send_mss(), 500);
    p.a.send(&[0u8; 3000]).unwrap();
    let segs = p.take_from_a();
    assert!(segs.iter().all(|s| seg(s).payload().len() <= 488));
    assert_eq!(seg(&segs[0]).payload().len(), 488);
    // No MSS option: 536 (MUST-15).
    let mut p = Pair::new(plain(), plain());
    p.b.listen().unwrap();
    let mut h = TcpHeader::new(PORT_A, PORT_B);
    h.flags = TcpFlags::SYN;
    h.window = 65535;
    let mut buf = [0u8; 20];
    h.emit(&mut buf).unwrap();
    fill_checksum_v4(&mut buf, ADDR_A, ADDR_B).unwrap();
    p.deliver_to_b(&buf);
    assert_eq!(p.b.send_mss(), 536);
}

#[test]
fn sequence_numbers_wrap_at_two_to_the_32() {
    let mut p = Pair::new(Config::default(), Config::default());
    p.b.listen().unwrap();
    p.b.accept_isn(u32::MAX - 3000);
    p.a.connect(p.now(), PORT_B, u32::MAX - 10).unwrap();
    p.exchange();
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let (mut sent, mut got, mut got_b) = (0, Vec::new(), Vec::new());
    let mut buf = vec![0u8; 65536];
    for _ in 0..10_000 {
        if sent < data.len() {
            sent += p.a.send(&data[sent..]).unwrap_or(0);
        }
        let _ = p.b.send(&data[..100.min(data.len() - got_b.len().min(100))]);
        while let Ok(n) = p.b.recv(&mut buf) {
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
        while let Ok(n) = p.a.recv(&mut buf) {
            if n == 0 {
                break;
            }
            got_b.extend_from_slice(&buf[..n]);
        }
        if p.exchange() == 0 && got.len() == data.len() {
            break;
        }
        p.advance(Duration::from_millis(50));
    }
    assert_eq!(got, data);
    assert!(p.a.snd_una().0 < 1_000_000, "wrapped past 2^32");
}

#[test]
fn shrinking_window_is_respected() {
    let mut p = established(
        Config {
            nagle: false,
            ..plain()
        },
        plain(),
    );
    let (rcv, una) = (p.a.rcv_nxt().0, p.a.snd_una().0);
    let mut h = header(rcv, Some(una), TcpFlags::empty());
    h.window = 100;
    forge(&mut p, h, b"");
    assert_eq!(p.a.snd_wnd(), 100);
    p.a.send(&[0u8; 5000]).unwrap();
    for _ in 0..5 {
        for s in p.take_from_a() {
            let v = seg(&s);
            assert!(v.seq().wrapping_add(v.payload().len() as u32).wrapping_sub(una) <= 100);
        }
        p.fire_next_timer();
    }
    assert_eq!(p.a.state(), State::Established);
}

#[test]
fn freebsd_profile_syn_and_syn_ack_options() {
    let mut p = Pair::new(Config::freebsd(), Config::freebsd());
    p.a.connect(Instant::ZERO, PORT_B, 1).unwrap();
    let syn = p.take_from_a();
    let s = seg(&syn[0]);
    assert_eq!(s.window(), 65535);
    let opts: Vec<_> = s.options().collect();
    assert!(matches!(
        opts[..],
        [
            TcpOption::Mss(1460),
            TcpOption::Nop,
            TcpOption::WindowScale(6),
            TcpOption::SackPermitted,
            TcpOption::Timestamps { ecr: 0, .. }
        ]
    ));
    // A SYN offering only MSS and SACK gets "mss, sackOK" back, EOL-padded.
    p.b.listen().unwrap();
    let mut h = TcpHeader::new(PORT_A, PORT_B);
    h.flags = TcpFlags::SYN;
    h.window = 32767;
    let mut o = TcpOptions::new();
    o.push(TcpOption::Mss(1460)).unwrap();
    o.push(TcpOption::SackPermitted).unwrap();
    h.options = o;
    let mut buf = vec![0u8; h.header_len()];
    h.emit(&mut buf).unwrap();
    fill_checksum_v4(&mut buf, ADDR_A, ADDR_B).unwrap();
    p.deliver_to_b(&buf);
    let sa = p.take_from_b();
    let s = seg(&sa[0]);
    assert_eq!(s.flags(), TcpFlags::SYN | TcpFlags::ACK);
    assert_eq!(s.window(), 65535);
    assert_eq!(s.options_bytes(), &[2, 4, 0x05, 0xb4, 4, 2, 0, 0]);
}

#[test]
fn rfc5961_ack_below_the_acceptable_window_gets_challenge_ack() {
    // RFC 5961 §5.2: SEG.ACK < SND.UNA - MAX.SND.WND is dropped with an ACK.
    let mut p = established(plain(), plain());
    let (rcv, una) = (p.a.rcv_nxt().0, p.a.snd_una().0);
    forge(
        &mut p,
        header(rcv, Some(una.wrapping_sub(200_000)), TcpFlags::empty()),
        b"data",
    );
    let out = p.take_from_a();
    assert_eq!(out.len(), 1);
    assert_eq!(seg(&out[0]).ack(), rcv, "the data was dropped");
    assert_eq!(p.a.stats().challenge_acks, 1);
    // An old but acceptable ACK: the data is taken.
    forge(
        &mut p,
        header(rcv, Some(una.wrapping_sub(10)), TcpFlags::empty()),
        b"data",
    );
    assert_eq!(p.a.bytes_readable(), 4);
}

#[test]
fn passive_open_rst_returns_to_listen() {
    // RFC 9293 §3.10.7.4: a RST in SYN-RECEIVED from a passive OPEN.
    let mut p = Pair::new(plain(), plain());
    p.a.listen().unwrap();
    forge(&mut p, header(100, None, TcpFlags::SYN), b"");
    assert_eq!(p.a.state(), State::SynReceived);
    let syn_ack = p.take_from_a();
    assert_eq!(seg(&syn_ack[0]).ack(), 101);
    forge(&mut p, header(101, None, TcpFlags::RST), b"");
    assert_eq!(p.a.state(), State::Listen);
    assert_eq!(p.a.error(), None);
    // It can accept the next SYN.
    forge(&mut p, header(9000, None, TcpFlags::SYN), b"");
    assert_eq!(p.a.state(), State::SynReceived);
    assert_eq!(p.a.irs().0, 9000);
}

#[test]
fn freebsd_syn_retransmission_schedule_and_keepinit() {
    // As the FreeBSD suite's snd-syn-rtx scripts expect: SYNs at 0, +1.0,
    // +2.2, +4.2, ... (rexmit_initial 1 s, doubling, rexmit_slop 200 ms),
    // and ETIMEDOUT at keepinit (75 s).
    let mut p = Pair::new(Config::freebsd(), Config::freebsd());
    p.a.connect(p.now(), PORT_B, 1).unwrap();
    let mut times = Vec::new();
    while p.a.state() == State::SynSent {
        for s in p.take_from_a() {
            assert_eq!(seg(&s).flags(), TcpFlags::SYN);
            times.push(p.now().as_millis());
        }
        assert!(p.fire_next_timer());
    }
    assert_eq!(times, [0, 1000, 3200, 7400, 15600, 31800, 64000]);
    assert_eq!(p.now().as_millis(), 75_000);
    assert_eq!(p.a.error(), Some(ConnectionError::TimedOut));
}
