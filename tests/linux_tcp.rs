//! netspec's TCP (`tcp::Connection`) against the Linux kernel's TCP, live.
//!
//! Two network namespaces joined by a veth pair (see `tests/linux/harness.rs`
//! and `docs/linux-tcp.md`): kernel sockets on one side, netspec on the
//! other through an AF_PACKET bridge. The tests:
//!
//! * interop, both directions: handshake options as Linux offers them, 1 MB
//!   echoed and compared, orderly close, TIME-WAIT on the side that closed
//!   first, RST for closed ports both ways (RFC 9293 §3.10.7.1);
//! * the same transfer through a deterministic drop/duplicate/reorder
//!   schedule (RFC 9293 §3.1 "reliability over unreliable IP");
//! * a state-machine differential (`tests/linux/diff.rs`): scripted segments
//!   into Linux and into an in-process `Connection` with `Config::linux()`,
//!   replies normalized and compared; every difference is documented in
//!   docs/linux-tcp.md and asserted exactly.
//!
//! Needs root (namespaces). As root a setup failure is a test failure; as
//! another user each test prints a note and returns.

#[path = "linux/harness.rs"]
mod harness;

#[path = "linux/diff.rs"]
mod diff;

use std::time::{Duration, Instant as StdInstant};

use harness::{Faults, Schedule, Topology, Wire, is_root};
use netspec::tcp::{Config, Connection, Event, Instant, State, rst_for_closed};
use netspec::transport::tcp::{TcpFlags, TcpHeader, TcpSegment};

/// Skip (with a note) unless root.
fn root_or_skip(test: &str) -> bool {
    if !is_root() {
        eprintln!("{test}: not root, skipping (needs network namespaces; CI runs it as root)");
    }
    is_root()
}

/// The byte pattern both sides send (tests/linux/peer.py `pattern`).
fn pattern(n: usize) -> Vec<u8> {
    (0..n).map(|i| ((i * 7) + (i / 251)) as u8).collect()
}

/// Run `conn` against the wire until `app` says it is done, bounded by
/// `secs` of real time. `app` runs once per turn with the current time.
fn drive(wire: &mut Wire, conn: &mut Connection, secs: u64, mut app: impl FnMut(&mut Connection, Instant) -> bool) {
    let deadline = StdInstant::now() + Duration::from_secs(secs);
    let mut payload = [0u8; 2048];
    let mut pending = Vec::new();
    loop {
        assert!(
            StdInstant::now() < deadline,
            "connection did not finish within {secs} s: state {}, una {:?} nxt {:?} rcv {:?}",
            conn.state(),
            conn.snd_una(),
            conn.snd_nxt(),
            conn.rcv_nxt()
        );
        let now = wire.now();
        if conn.poll_timeout().is_some_and(|t| t <= now) {
            conn.on_timeout(now);
        }
        let done = app(conn, now);
        while let Some(t) = conn.poll_transmit(now, &mut payload) {
            wire.send_tcp(&t.header, &payload[..t.payload_len]);
        }
        if done {
            return;
        }
        let wait = conn
            .poll_timeout()
            .map_or(Duration::from_millis(5), |t| t.saturating_since(now))
            .min(Duration::from_millis(5));
        for seg in wire.recv_batch(wait, &mut pending) {
            let seg = TcpSegment::parse(&seg).expect("checked by the wire");
            if seg.dst_port() == conn.local_port() {
                conn.on_segment(wire.now(), &seg);
            }
        }
    }
}

/// Linux's SYN (or SYN,ACK) offered MSS 1460 (a 1500-byte MTU less 40),
/// SACK-permitted, timestamps and a window scale, and netspec took each:
/// its send MSS, its SACK/timestamps switches and its send shift are
/// Linux's offers (RFC 9293 §3.7.1, RFC 2018 §2, RFC 7323 §2.2, §3.2).
fn check_linux_offer(wire: &Wire, conn: &Connection) {
    let syn = wire.first_syn.as_ref().expect("Linux sent a SYN");
    let o = &syn.options;
    assert_eq!(o.mss(), Some(1460));
    assert!(o.sack_permitted(), "Linux offers SACK");
    assert!(o.timestamps().is_some(), "Linux offers timestamps");
    let ws = o.window_scale().expect("Linux offers window scaling");
    assert_eq!(conn.send_mss(), 1460);
    assert_eq!(conn.ts_sack(), (true, true));
    assert_eq!(
        conn.window_shifts().0,
        ws,
        "netspec scales Linux's window by Linux's shift"
    );
}

/// What an echo run measured.
struct EchoRun {
    segments_sent: u64,
    retransmissions: u64,
    frames_in: u64,
    frames_out: u64,
    faults: Faults,
}

/// netspec connects to a Linux echo server, sends `n` bytes, reads the
/// echo, closes first. Returns the figures; asserts everything else.
fn active_echo(n: usize, faults: Option<Faults>) -> EchoRun {
    let mut topo = Topology::new();
    let peer = topo.peer(&["serve", "5001", "echo"]);
    peer.expect("listening", 10);
    let mut wire = topo.wire();
    wire.resolve();
    if let Some(f) = faults {
        wire.faults = f;
    }
    let mut conn = Connection::new(Config::linux(), 40001);
    conn.connect(wire.now(), 5001, 0x1234_5678).expect("connect");
    let data = pattern(n);
    let (mut sent, mut got, mut closed) = (0usize, Vec::with_capacity(n), false);
    let mut buf = vec![0u8; 65536];
    drive(&mut wire, &mut conn, 40, |c, now| {
        if c.state() == State::Established && sent < n {
            sent += c.send(&data[sent..]).unwrap_or(0);
        }
        if sent == n && !closed && c.state() == State::Established {
            c.close(now);
            closed = true;
        }
        while let Ok(k) = c.recv(&mut buf) {
            if k == 0 {
                break;
            }
            got.extend_from_slice(&buf[..k]);
        }
        c.state() == State::TimeWait && got.len() == n
    });
    assert!(
        got == data,
        "the echo differs from what netspec sent ({} of {n} bytes)",
        got.len()
    );
    let accepted = peer.expect("accepted", 5);
    let done = peer.expect("done", 10);
    assert_eq!(done["bytes"], n, "Linux received every byte");
    assert_eq!(done["pattern_ok"], true, "Linux received the bytes netspec sent");
    // Handshake: netspec offered MSS, SACK-permitted, timestamps and window
    // scale; Linux took all four (its tcp_info), and netspec took Linux's.
    assert_eq!(accepted["timestamps"], true);
    assert_eq!(accepted["sack"], true);
    assert_eq!(accepted["wscale"], true);
    let (snd_shift, rcv_shift) = conn.window_shifts();
    assert_eq!(
        accepted["snd_wscale"],
        u64::from(rcv_shift),
        "Linux scales by netspec's shift"
    );
    assert_eq!(
        accepted["rcv_wscale"],
        u64::from(snd_shift),
        "netspec scales by Linux's shift"
    );
    check_linux_offer(&wire, &conn);
    assert_eq!(
        accepted["snd_mss"], 1448,
        "Linux's effective MSS: 1460 less 12 bytes of timestamps"
    );
    // netspec closed first: it, not Linux, holds TIME-WAIT (§3.6).
    assert_eq!(conn.state(), State::TimeWait);
    let tw = topo.linux_time_wait();
    assert!(
        !tw.iter().any(|l| l.contains("198.51.100.2:40001")),
        "Linux is not in TIME-WAIT: {tw:?}"
    );
    let st = conn.stats();
    EchoRun {
        segments_sent: st.segments_sent,
        retransmissions: st.retransmissions,
        frames_in: wire.frames_in,
        frames_out: wire.frames_out,
        faults: wire.faults,
    }
}

#[test]
fn active_open_echo_1mb_netspec_closes_first() {
    if !root_or_skip("active_open_echo_1mb_netspec_closes_first") {
        return;
    }
    let r = active_echo(1 << 20, None);
    println!(
        "active open, 1 MiB echoed: {} segments sent by netspec ({} retransmitted), frames in/out {}/{}",
        r.segments_sent, r.retransmissions, r.frames_in, r.frames_out
    );
}

#[test]
fn passive_open_echo_1mb_linux_closes_first() {
    if !root_or_skip("passive_open_echo_1mb_linux_closes_first") {
        return;
    }
    let n = 1 << 20;
    let mut topo = Topology::new();
    let mut wire = topo.wire();
    let mut conn = Connection::new(Config::linux(), 5002);
    conn.listen().expect("listen");
    conn.accept_isn(0x0bad_cafe);
    let peer = topo.peer(&["connect", "198.51.100.2", "5002", &n.to_string()]);
    let (mut backlog, mut echoed, mut closed) = (Vec::<u8>::new(), 0usize, false);
    let mut buf = vec![0u8; 65536];
    let mut first_syn_opts = None;
    drive(&mut wire, &mut conn, 40, |c, now| {
        if first_syn_opts.is_none() && c.state() != State::Listen {
            first_syn_opts = Some((c.ts_sack(), c.window_shifts(), c.send_mss()));
        }
        while let Ok(k) = c.recv(&mut buf) {
            if k == 0 {
                break;
            }
            backlog.extend_from_slice(&buf[..k]);
        }
        if !backlog.is_empty() {
            let k = c.send(&backlog).unwrap_or(0);
            echoed += k;
            backlog.drain(..k);
        }
        if c.peer_closed() && backlog.is_empty() && !closed {
            c.close(now);
            closed = true;
        }
        closed && c.state() == State::Closed
    });
    let connected = peer.expect("connected", 5);
    let done = peer.expect("done", 10);
    assert_eq!(echoed, n);
    assert_eq!(done["bytes"], n);
    assert_eq!(done["echo_ok"], true, "Linux got back exactly what it sent");
    // Linux's SYN offered everything; netspec's SYN,ACK took all of it.
    let ((ts, sack), (snd_shift, rcv_shift), mss) = first_syn_opts.expect("a SYN arrived");
    assert!(ts && sack);
    assert_eq!(mss, 1460);
    check_linux_offer(&wire, &conn);
    assert_eq!(connected["timestamps"], true);
    assert_eq!(connected["sack"], true);
    assert_eq!(connected["snd_wscale"], u64::from(rcv_shift));
    assert_eq!(connected["rcv_wscale"], u64::from(snd_shift));
    // Linux closed first, so Linux holds TIME-WAIT and netspec went
    // through LAST-ACK to CLOSED.
    let local = connected["local"].as_u64().expect("local port");
    let tw = topo.linux_time_wait();
    let want = format!("198.51.100.1:{local} 198.51.100.2:5002");
    assert!(
        tw.contains(&want),
        "Linux should be in TIME-WAIT ({want}), ss says {tw:?}"
    );
    assert_eq!(conn.state(), State::Closed);
    assert_eq!(conn.error(), None, "an orderly close");
    let st = conn.stats();
    println!(
        "passive open, 1 MiB echoed: {} segments sent by netspec ({} retransmitted), {} received; frames in/out {}/{}",
        st.segments_sent, st.retransmissions, st.segments_received, wire.frames_in, wire.frames_out
    );
}

#[test]
fn loss_duplication_reordering_schedule() {
    if !root_or_skip("loss_duplication_reordering_schedule") {
        return;
    }
    let mut f = Faults::none();
    f.to_linux = Schedule {
        drop: (23, 7),
        dup: (29, 3),
        reorder: (31, 11),
        spare: 3,
    };
    f.to_netspec = Schedule {
        drop: (19, 5),
        dup: (37, 2),
        reorder: (41, 17),
        spare: 3,
    };
    let r = active_echo(256 * 1024, Some(f));
    println!(
        "faulty path, 256 KiB echoed: dropped {} duplicated {} reordered {}; netspec sent {} segments ({} retransmitted)",
        r.faults.dropped, r.faults.duplicated, r.faults.reordered, r.segments_sent, r.retransmissions
    );
    assert!(r.faults.dropped > 10 && r.faults.duplicated > 5 && r.faults.reordered > 5);
    assert!(r.retransmissions > 0, "netspec lost segments, so it retransmitted");
}

#[test]
fn rst_for_closed_ports_both_ways() {
    if !root_or_skip("rst_for_closed_ports_both_ways") {
        return;
    }
    let mut topo = Topology::new();
    let mut wire = topo.wire();
    wire.resolve();
    // netspec → a closed Linux port: a SYN, then a bare ACK.
    for (flags, seq, ack) in [(TcpFlags::SYN, 7000u32, 0u32), (TcpFlags::ACK, 7000, 99_999)] {
        let mut h = TcpHeader::new(40100, 5999);
        (h.seq, h.ack, h.flags, h.window) = (seq, ack, flags, 1000);
        wire.send_tcp(&h, &[]);
        let reply = wire
            .recv_segment(Duration::from_secs(2))
            .expect("Linux answers a closed port");
        let reply = TcpSegment::parse(&reply).expect("parsed");
        let mut bytes = [0u8; 20];
        h.emit(&mut bytes).expect("emit");
        let ours = rst_for_closed(&TcpSegment::parse(&bytes).expect("parse")).expect("not a RST");
        assert_eq!(
            (
                reply.flags(),
                reply.seq(),
                reply.ack(),
                reply.src_port(),
                reply.dst_port()
            ),
            (ours.flags, ours.seq, ours.ack, ours.src_port, ours.dst_port),
            "Linux's RST and netspec's rst_for_closed agree (RFC 9293 §3.10.7.1)"
        );
    }
    // Linux → a netspec port with no connection: netspec's RST makes
    // Linux's connect() fail with ECONNREFUSED.
    let peer = topo.peer(&["connect", "198.51.100.2", "6000", "1"]);
    let deadline = StdInstant::now() + Duration::from_secs(10);
    let mut answered = 0;
    loop {
        assert!(StdInstant::now() < deadline, "Linux never reported the refusal");
        if let Some(v) = peer.try_next() {
            assert_eq!(v["event"], "refused", "connect() must fail: {v}");
            break;
        }
        if let Some(seg) = wire.recv_segment(Duration::from_millis(20)) {
            let seg = TcpSegment::parse(&seg).expect("parsed");
            if let Some(rst) = rst_for_closed(&seg) {
                assert_eq!(seg.flags(), TcpFlags::SYN);
                assert_eq!(
                    (rst.flags, rst.seq, rst.ack),
                    (TcpFlags::RST | TcpFlags::ACK, 0, seg.seq().wrapping_add(1))
                );
                wire.send_tcp(&rst, &[]);
                answered += 1;
            }
        }
    }
    assert_eq!(answered, 1, "one SYN, one RST, one refusal");
}

#[test]
fn state_machine_differential() {
    if !root_or_skip("state_machine_differential") {
        return;
    }
    diff::run_all();
}

/// The scenario of the differential called `name`.
fn scenario(name: &str) -> diff::Scenario {
    diff::scenarios()
        .into_iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no scenario {name}"))
}

/// Regression, found by the differential (runs in process, no root): each
/// zero-window probe used to advance SND.NXT past its octet, so the probes
/// walked forward through the unsent data (SEQ 1, 2, ...) and, once the
/// window opened, the data started after a hole and waited for a
/// retransmission timeout. Probes now resend the same octet and the data
/// follows the window update at once (src/tcp/output.rs `account_sent`).
#[test]
fn zero_window_probe_resends_one_octet_and_data_follows_the_opening() {
    let sc = scenario("zero-window probes, then the window opens");
    let diff::Expect::Differ { netspec, .. } = sc.expect else {
        panic!("documented as a difference")
    };
    let got = diff::netspec_trace(&sc);
    assert!(diff::same(&got, netspec), "netspec replied {got:?}");
}

/// Regression, found by the differential: `Config::linux()` left D-SACK
/// (RFC 2883) off although Linux's `tcp_dsack` defaults to 1, so a
/// duplicate segment was acknowledged without the D-SACK block Linux sends.
#[test]
fn config_linux_reports_duplicates_with_dsack() {
    assert!(Config::linux().dsack);
    let got = diff::netspec_trace(&scenario("old duplicate data in ESTABLISHED"));
    assert_eq!(
        got.last().map(Vec::as_slice),
        Some(&["A seq=1 ack=101 len=0 [TS,SACK(1-101)]".to_string()][..])
    );
}

/// `Config::linux()` raises a peer's MSS of 1 to Linux's `tcp_min_snd_mss`
/// (48; `Config::min_send_mss`), so data goes out 36 bytes a segment with
/// timestamps, not one byte. The differential checks this against the
/// kernel ("peer MSS 1"); this runs the netspec side in process, no root.
#[test]
fn config_linux_raises_a_tiny_peer_mss_to_48() {
    assert_eq!(Config::linux().min_send_mss, 48);
    let sc = scenario("peer MSS 1: data in segments of the minimum send MSS");
    let diff::Expect::Differ { netspec, .. } = sc.expect else {
        panic!("documented as a difference (Nagle)")
    };
    let got = diff::netspec_trace(&sc);
    assert!(diff::same(&got, netspec), "netspec replied {got:?}");
}

/// SEND with the urgent flag marks the data as Linux's `MSG_OOB` does: the
/// segment carries URG and a pointer just past the last urgent octet (RFC
/// 9293 §3.8.5). The differential checks both against each other ("the
/// application sends 100 bytes of urgent data"); this runs the netspec
/// side in process, no root.
#[test]
fn send_urgent_points_past_the_last_urgent_octet() {
    let sc = scenario("the application sends 100 bytes of urgent data");
    assert!(matches!(sc.expect, diff::Expect::Agree));
    let got = diff::netspec_trace(&sc);
    assert_eq!(
        got.last().map(Vec::as_slice),
        Some(&["A seq=1 ack=1 len=100 urg=100 [TS]".to_string()][..])
    );
}

/// Urgent data from Linux (`MSG_OOB`, 3000 bytes, more than one segment,
/// each with URG and a pointer to the end): netspec signals it once
/// (`Event::Urgent`, RFC 9293 §3.8.5 MUST-31), counts all 3000 octets as
/// pending before any is read (MUST-32), and delivers them in the stream.
#[test]
fn urgent_data_from_linux_is_signalled_once_and_counted() {
    if !root_or_skip("urgent_data_from_linux_is_signalled_once_and_counted") {
        return;
    }
    const N: usize = 3000;
    let mut topo = Topology::new();
    let peer = topo.peer(&["serve", "5005", &format!("urgent:{N}")]);
    peer.expect("listening", 10);
    let mut wire = topo.wire();
    wire.resolve();
    let mut conn = Connection::new(Config::linux(), 40005);
    conn.connect(wire.now(), 5005, 0x0bad_cafe).expect("connect");
    let mut signals = 0;
    drive(&mut wire, &mut conn, 20, |c, _| {
        while let Some(ev) = c.poll_event() {
            signals += usize::from(ev == Event::Urgent);
        }
        c.readable().len() == N
    });
    assert_eq!(signals, 1, "one signal for one urgent pointer");
    assert_eq!(conn.urgent_pending(), Some(N as u32));
    let mut got = vec![0u8; N];
    assert_eq!(conn.recv(&mut got), Ok(N));
    assert_eq!(got, pattern(N), "the urgent octets stay in the stream");
    assert_eq!(conn.urgent_pending(), None);
}
