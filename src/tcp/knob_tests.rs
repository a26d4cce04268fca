//! Unit tests for the `Config` knobs that reproduce FreeBSD where it departs
//! from RFC 9293 §3.10.7: each knob is checked in both settings on the
//! segments the connection sends and the state it ends in.

use alloc::vec;
use alloc::vec::Vec;

use super::test_peer::{IRS, ISS, LOCAL, PEER, at, deliver, header, open_with, plain_config, transmitted};
use super::{Config, Connection, ConnectionError, State};
use crate::transport::tcp::TcpFlags;

/// No options, so segments are easy to forge; `knobs` sets the knob.
fn cfg(knobs: impl FnOnce(&mut Config)) -> Config {
    let mut c = plain_config();
    knobs(&mut c);
    c
}

/// Delivers a forged segment from the peer.
fn feed(c: &mut Connection, seq: u32, ack: Option<u32>, flags: TcpFlags) {
    deliver(c, &header(seq, ack, flags), &[]);
}

/// Everything the connection sends now, as (flags, SEQ, ACK).
fn drain(c: &mut Connection) -> Vec<(TcpFlags, u32, u32)> {
    let out: Vec<_> = transmitted(c).iter().map(|(h, _)| (h.flags, h.seq, h.ack)).collect();
    assert!(out.len() < 16, "runaway output");
    out
}

/// An established connection (active open).
fn established(c: Config) -> Connection {
    open_with(c, &[])
}

/// LAST-ACK: the peer closed first, then we did; our FIN is at ISS + 1.
fn last_ack(c: Config) -> Connection {
    let mut conn = established(c);
    feed(&mut conn, IRS + 1, Some(ISS + 1), TcpFlags::FIN);
    conn.close(at(10));
    assert_eq!(conn.state(), State::LastAck);
    drain(&mut conn);
    conn
}

/// CLOSING: simultaneous close, the peer's FIN does not acknowledge ours.
/// Returns what was sent in answer to the peer's FIN.
fn closing(c: Config) -> (Connection, Vec<(TcpFlags, u32, u32)>) {
    let mut conn = established(c);
    conn.close(at(10));
    assert_eq!(drain(&mut conn), [(TcpFlags::FIN | TcpFlags::ACK, ISS + 1, IRS + 1)]);
    feed(&mut conn, IRS + 1, Some(ISS + 1), TcpFlags::FIN);
    assert_eq!(conn.state(), State::Closing);
    let out = drain(&mut conn);
    (conn, out)
}

/// TIME-WAIT: our FIN acknowledged together with the peer's FIN.
fn time_wait(c: Config) -> Connection {
    let mut conn = established(c);
    conn.close(at(10));
    drain(&mut conn);
    feed(&mut conn, IRS + 1, Some(ISS + 2), TcpFlags::FIN);
    assert_eq!(conn.state(), State::TimeWait);
    drain(&mut conn);
    conn
}

#[test]
fn stale_ack_closes_last_ack() {
    // `. ack` of our FIN at SEG.SEQ = RCV.NXT - 1.
    let mut rfc = last_ack(cfg(|_| {}));
    feed(&mut rfc, IRS + 1, Some(ISS + 2), TcpFlags::empty());
    // RFC 9293 §3.10.7.4 first check: unacceptable, ACK and drop.
    assert_eq!(rfc.state(), State::LastAck);
    assert_eq!(drain(&mut rfc), [(TcpFlags::ACK, ISS + 2, IRS + 2)]);

    let mut bsd = last_ack(cfg(|c| c.stale_ack = true));
    feed(&mut bsd, IRS + 1, Some(ISS + 2), TcpFlags::empty());
    assert_eq!(bsd.state(), State::Closed);
    assert_eq!(bsd.error(), None);
    assert!(drain(&mut bsd).is_empty());
}

#[test]
fn stale_ack_still_acknowledges_in_established() {
    let mut bsd = established(cfg(|c| c.stale_ack = true));
    feed(&mut bsd, IRS, Some(ISS + 1), TcpFlags::empty());
    assert_eq!(bsd.state(), State::Established);
    assert_eq!(drain(&mut bsd), [(TcpFlags::ACK, ISS + 1, IRS + 1)]);
}

#[test]
fn rcv_wnd_free_space_widens_acceptance() {
    // 70000 bytes of buffer, 65535 advertised without window scaling: a
    // RST at RCV.NXT + 65535 is beyond the advertised window but inside
    // the free space.
    let edge = IRS + 1 + 65535;
    let mut rfc = established(cfg(|c| c.recv_buffer = 70000));
    feed(&mut rfc, edge, None, TcpFlags::RST);
    // Outside the window: dropped silently (RFC 5961 §3.2).
    assert!(drain(&mut rfc).is_empty());
    assert_eq!(rfc.state(), State::Established);

    let mut bsd = established(cfg(|c| {
        c.recv_buffer = 70000;
        c.rcv_wnd_free_space = true;
    }));
    feed(&mut bsd, edge, None, TcpFlags::RST);
    // In the window but not RCV.NXT: a challenge ACK.
    assert_eq!(drain(&mut bsd), [(TcpFlags::ACK, ISS + 1, IRS + 1)]);
    assert_eq!(bsd.state(), State::Established);

    // With RFC 5961 off the same RST resets the connection.
    let mut old = established(cfg(|c| {
        c.recv_buffer = 70000;
        c.rcv_wnd_free_space = true;
        c.rfc5961_rst = false;
    }));
    feed(&mut old, edge, None, TcpFlags::RST);
    assert_eq!(
        (old.state(), old.error()),
        (State::Closed, Some(ConnectionError::Reset))
    );
}

#[test]
fn rcv_wnd_free_space_not_in_time_wait() {
    let mut bsd = time_wait(cfg(|c| {
        c.recv_buffer = 70000;
        c.rcv_wnd_free_space = true;
    }));
    feed(&mut bsd, IRS + 2 + 65535, None, TcpFlags::RST);
    assert_eq!(bsd.state(), State::TimeWait);
    assert!(drain(&mut bsd).is_empty());
}

#[test]
fn fin_on_ack_repeats_the_fin() {
    let (_, rfc) = closing(cfg(|_| {}));
    assert_eq!(rfc, [(TcpFlags::ACK, ISS + 2, IRS + 2)]);
    let (_, bsd) = closing(cfg(|c| c.fin_on_ack = true));
    assert_eq!(bsd, [(TcpFlags::FIN | TcpFlags::ACK, ISS + 1, IRS + 2)]);
}

#[test]
fn fin_on_ack_spares_challenge_acks() {
    // An out-of-window SYN in LAST-ACK: FreeBSD's challenge ACK is a pure
    // ACK even with the FIN outstanding.
    let mut bsd = last_ack(cfg(|c| c.fin_on_ack = true));
    feed(&mut bsd, IRS - 100, None, TcpFlags::SYN);
    assert_eq!(drain(&mut bsd), [(TcpFlags::ACK, ISS + 2, IRS + 2)]);
    // An in-window RST with RFC 5961 on: also a pure challenge ACK.
    feed(&mut bsd, IRS + 10, None, TcpFlags::RST);
    assert_eq!(drain(&mut bsd), [(TcpFlags::ACK, ISS + 2, IRS + 2)]);
}

#[test]
fn reset_error_when_closing() {
    let (mut rfc, _) = closing(cfg(|_| {}));
    feed(&mut rfc, IRS + 2, None, TcpFlags::RST);
    assert_eq!((rfc.state(), rfc.error()), (State::Closed, None));

    let (mut bsd, _) = closing(cfg(|c| c.reset_error_when_closing = true));
    feed(&mut bsd, IRS + 2, None, TcpFlags::RST);
    assert_eq!(
        (bsd.state(), bsd.error()),
        (State::Closed, Some(ConnectionError::Reset))
    );

    let mut bsd = last_ack(cfg(|c| c.reset_error_when_closing = true));
    feed(&mut bsd, IRS + 2, None, TcpFlags::RST);
    assert_eq!(
        (bsd.state(), bsd.error()),
        (State::Closed, Some(ConnectionError::Reset))
    );
}

#[test]
fn timewait_ignore_rst() {
    let mut rfc = time_wait(cfg(|_| {}));
    feed(&mut rfc, IRS + 2, None, TcpFlags::RST);
    assert_eq!(rfc.state(), State::Closed);

    let mut bsd = time_wait(cfg(|c| c.timewait_ignore_rst = true));
    feed(&mut bsd, IRS + 2, None, TcpFlags::RST);
    assert_eq!(bsd.state(), State::TimeWait);
    assert!(drain(&mut bsd).is_empty());
}

#[test]
fn timewait_bsd_check_drops_segments_without_ack() {
    // A FIN without ACK outside the window.
    let mut rfc = time_wait(cfg(|_| {}));
    feed(&mut rfc, IRS + 1, None, TcpFlags::FIN);
    assert_eq!(drain(&mut rfc), [(TcpFlags::ACK, ISS + 2, IRS + 2)]);

    let mut bsd = time_wait(cfg(|c| c.timewait_bsd_check = true));
    feed(&mut bsd, IRS + 1, None, TcpFlags::FIN);
    assert!(drain(&mut bsd).is_empty());
    assert_eq!(bsd.state(), State::TimeWait);
}

#[test]
fn timewait_bsd_check_acknowledges_all_but_duplicate_acks() {
    // An in-window pure ACK at RCV.NXT + 1.
    let mut rfc = time_wait(cfg(|_| {}));
    feed(&mut rfc, IRS + 3, Some(ISS + 2), TcpFlags::empty());
    assert!(drain(&mut rfc).is_empty());

    let mut bsd = time_wait(cfg(|c| c.timewait_bsd_check = true));
    feed(&mut bsd, IRS + 3, Some(ISS + 2), TcpFlags::empty());
    assert_eq!(drain(&mut bsd), [(TcpFlags::ACK, ISS + 2, IRS + 2)]);
    // A pure duplicate ACK is not answered.
    feed(&mut bsd, IRS + 2, Some(ISS + 2), TcpFlags::empty());
    assert!(drain(&mut bsd).is_empty());
    // A retransmitted FIN is acknowledged.
    feed(&mut bsd, IRS + 1, Some(ISS + 2), TcpFlags::FIN);
    assert_eq!(drain(&mut bsd), [(TcpFlags::ACK, ISS + 2, IRS + 2)]);
    assert_eq!(bsd.state(), State::TimeWait);
}

#[test]
fn listen_drop_syn_ack() {
    for drop in [false, true] {
        let mut l = Connection::new(cfg(|c| c.listen_drop_syn_ack = drop), LOCAL);
        l.listen().unwrap();
        feed(&mut l, 100, Some(777), TcpFlags::SYN);
        let out = drain(&mut l);
        if drop {
            assert!(out.is_empty());
        } else {
            assert_eq!(out, [(TcpFlags::RST, 777, 0)]);
        }
        // A plain ACK is answered with a RST either way.
        feed(&mut l, 100, Some(778), TcpFlags::empty());
        assert_eq!(drain(&mut l), [(TcpFlags::RST, 778, 0)]);
        assert_eq!(l.state(), State::Listen);
    }
}

/// The options of the SYN a fresh active open sends after `timeouts`
/// retransmission timeouts.
fn syn_options_after(c: Config, timeouts: u32) -> crate::transport::tcp_option::TcpOptions {
    let mut conn = Connection::new(c, LOCAL);
    conn.connect(at(0), PEER, ISS).unwrap();
    let mut payload = [0u8; 64];
    let mut t = conn.poll_transmit(at(0), &mut payload).unwrap();
    for _ in 0..timeouts {
        let due = conn.poll_timeout().unwrap();
        conn.on_timeout(due);
        t = conn.poll_transmit(due, &mut payload).unwrap();
    }
    assert_eq!(t.header.flags, TcpFlags::SYN);
    t.header.options
}

#[test]
fn syn_without_options() {
    use crate::transport::tcp_option::TcpOption;
    let with = syn_options_after(Config::default(), 0);
    let with: Vec<_> = with.iter().collect();
    assert!(with.contains(&TcpOption::Mss(1460)) && with.len() > 1);
    let none = syn_options_after(
        Config {
            syn_without_options: true,
            ..Config::default()
        },
        0,
    );
    assert_eq!(none.iter().count(), 0, "{none:?}");
}

#[test]
fn syn_drop_options_after() {
    use crate::transport::tcp_option::TcpOption;
    let c = Config {
        syn_drop_options_after: Some(3),
        ..Config::default()
    };
    // The first two retransmissions keep the options, the third drops them.
    assert_eq!(syn_options_after(c.clone(), 2), syn_options_after(Config::default(), 2));
    assert!(syn_options_after(c.clone(), 2).iter().count() > 1);
    let dropped = syn_options_after(c, 3);
    assert_eq!(dropped.iter().collect::<Vec<_>>(), [TcpOption::Mss(1460)]);
    assert!(syn_options_after(Config::default(), 3).iter().count() > 1);
}

/// Active open against a peer whose SYN-ACK carries `peer_mss` (or no MSS
/// option) and, if `c` asks for them, timestamps; then `data` queued,
/// Nagle off: the send MSS and the payload sizes of the segments sent.
fn mss_and_segments(mut c: Config, peer_mss: Option<u16>, data: usize) -> (u32, Vec<usize>) {
    use crate::transport::tcp_option::TcpOption;
    c.nagle = false;
    let mut options = Vec::new();
    options.extend(peer_mss.map(TcpOption::Mss));
    if c.timestamps {
        options.push(TcpOption::Timestamps { val: 1, ecr: 1 });
    }
    let mut conn = open_with(c, &options);
    assert_eq!(conn.send(&vec![7u8; data]).unwrap(), data);
    let sizes: Vec<usize> = transmitted(&mut conn)
        .into_iter()
        .map(|(_, len)| len)
        .filter(|&len| len > 0)
        .collect();
    assert!(sizes.len() < 64, "runaway output");
    (conn.send_mss(), sizes)
}

#[test]
fn min_send_mss_raises_a_tiny_peer_mss() {
    // RFC 9293 §3.7.1 sets no floor: a peer's MSS of 1 means one byte per
    // segment (the initial window of 10 segments: 10 bytes).
    let (mss, sizes) = mss_and_segments(cfg(|_| {}), Some(1), 100);
    assert_eq!((mss, sizes), (1, vec![1; 10]));
    // Raised to the floor, as Linux's `tcp_min_snd_mss` does.
    let (mss, sizes) = mss_and_segments(cfg(|c| c.min_send_mss = 48), Some(1), 100);
    assert_eq!((mss, sizes), (48, vec![48, 48, 4]));
    let (mss, sizes) = mss_and_segments(Config::linux(), Some(1), 100);
    assert_eq!((mss, sizes), (48, vec![36, 36, 28]), "Linux profile, with timestamps");
    // A peer's MSS above the floor is taken as it is.
    let (mss, _) = mss_and_segments(cfg(|c| c.min_send_mss = 48), Some(100), 100);
    assert_eq!(mss, 100);
    // Never above our own MSS.
    let floor_above_ours = cfg(|c| (c.min_send_mss, c.mss) = (216, 100));
    assert_eq!(mss_and_segments(floor_above_ours, Some(1), 0).0, 100);
    // No MSS option: the default send MSS of MUST-15, floor or not.
    let (mss, _) = mss_and_segments(cfg(|c| c.min_send_mss = 1000), None, 0);
    assert_eq!(mss, 536);
}

#[test]
fn min_send_mss_counts_no_options() {
    // The floor applies to the MSS, which counts no TCP options (RFC 9293
    // §3.7.1): with timestamps each data segment carries 12 option bytes,
    // so 216 - 12 bytes of data, as in FreeBSD.
    let c = cfg(|c| (c.timestamps, c.min_send_mss) = (true, 216));
    let (mss, sizes) = mss_and_segments(c, Some(20), 500);
    assert_eq!(mss, 216);
    assert_eq!(sizes, [204, 204, 92]);
}

#[test]
fn profiles_set_the_knobs() {
    let bsd = Config::freebsd();
    assert!(bsd.stale_ack && bsd.rcv_wnd_free_space && bsd.fin_on_ack);
    assert!(bsd.reset_error_when_closing && bsd.timewait_ignore_rst);
    assert!(bsd.timewait_bsd_check && bsd.listen_drop_syn_ack);
    let rfc = Config::freebsd().rfc9293_semantics();
    let d = Config::default();
    assert_eq!(
        (
            rfc.stale_ack,
            rfc.rcv_wnd_free_space,
            rfc.fin_on_ack,
            rfc.reset_error_when_closing
        ),
        (
            d.stale_ack,
            d.rcv_wnd_free_space,
            d.fin_on_ack,
            d.reset_error_when_closing
        )
    );
    assert_eq!(
        (rfc.timewait_ignore_rst, rfc.timewait_bsd_check, rfc.listen_drop_syn_ack),
        (false, false, false)
    );
    assert!(!d.stale_ack && !d.rcv_wnd_free_space && !d.fin_on_ack && !d.reset_error_when_closing);
    // The send-MSS floors: none in the RFC, FreeBSD's `minmss`, Linux's
    // `tcp_min_snd_mss`.
    assert_eq!(
        (d.min_send_mss, bsd.min_send_mss, Config::linux().min_send_mss),
        (1, 216, 48)
    );
    // Everything else is FreeBSD's.
    assert_eq!(rfc.min_send_mss, bsd.min_send_mss);
    assert_eq!(rfc.recv_buffer, bsd.recv_buffer);
    assert_eq!(rfc.rto_slop, bsd.rto_slop);
    assert_eq!(rfc.dsack, bsd.dsack);
}
