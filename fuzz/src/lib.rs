//! The checks behind netspec's fuzz targets, one function per target.
//!
//! Every function takes the fuzzer's bytes and panics if, and only if,
//! netspec breaks a promise on them: a parser panics (an out-of-range
//! index, an arithmetic overflow: the targets are built with debug
//! assertions), a parsed header does not re-emit to its own bytes, or
//! parse → emit → parse is not stable. The fuzz targets in
//! `fuzz/fuzz_targets/` call these functions, and the main crate's
//! `tests/fuzz_regressions.rs` includes this file to replay every input a
//! fuzzer ever crashed on, so a fixed crash stays fixed under `cargo test`.
//!
//! The file depends on netspec and `std` only (no libFuzzer), so that the
//! test can include it with `#[path]`.

use netspec::app::dns::tcp::split_frame;
use netspec::app::dns::{DnsMessage, Name, OwnedMessage};
use netspec::build::BuildParams;
use netspec::edit::{Edit, PacketMut};
use netspec::link::{ArpHeader, ArpPacket, EthernetFrame, EthernetHeader};
use netspec::net::ipv6_ext::Ipv6ExtChain;
use netspec::net::mld::MldMessage;
use netspec::net::ndp::{NdpHeader, NdpMessage};
use netspec::net::{
    Icmpv4Header, Icmpv4Message, Icmpv6Header, Icmpv6Message, Ipv4Header, Ipv4Packet, Ipv6Header, Ipv6Packet,
};
use netspec::packet::Packet;
use netspec::packetdrill::{DEFINES, NetspecHost};
use netspec::tcp::{Config, Connection, Instant, State};
use netspec::transport::{ChecksumStatus, TcpFlags, TcpHeader, TcpSegment, UdpDatagram, UdpHeader};
use std::collections::VecDeque;
use std::fmt::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A target's check: panics if netspec breaks a promise on these bytes.
pub type Check = fn(&[u8]);

/// Every target by name, as `fuzz/Cargo.toml` names the binaries and
/// `tests/data/fuzz-regressions/<name>/` stores their crash inputs.
pub const TARGETS: &[(&str, Check)] = &[
    ("ethernet", ethernet),
    ("arp", arp),
    ("ipv4", ipv4),
    ("ipv6", ipv6),
    ("icmpv4", icmpv4),
    ("icmpv6", icmpv6),
    ("tcp", tcp),
    ("udp", udp),
    ("dns", dns),
    ("roundtrip", roundtrip),
    ("packet", packet),
    ("tcp_conn", tcp_conn),
    ("packetdrill", packetdrill),
];

/// Ethernet II / 802.3 frames with VLAN stacks: parse, every accessor,
/// exact re-emit of the header.
pub fn ethernet(data: &[u8]) {
    if let Ok(frame) = EthernetFrame::parse(data) {
        let mut text = String::new();
        let _ = (
            frame.dst(),
            frame.src(),
            frame.ethertype(),
            frame.length(),
            frame.is_8023(),
        );
        let _ = write!(text, "{:?} {:?}", frame.tags(), frame.llc());
        let _ = (frame.payload(), frame.trailer());
        let header = frame.to_header();
        let mut buf = [0u8; 64];
        let n = header.emit(&mut buf).expect("a parsed header fits its own length");
        assert_eq!(&buf[..n], frame.header_bytes(), "emit(parse(b)) == b");
    }
}

/// ARP for any hardware/protocol address size: typed accessors, re-emit.
pub fn arp(data: &[u8]) {
    if let Ok(arp) = ArpPacket::parse(data) {
        let _ = (
            arp.hw_type(),
            arp.proto_type(),
            arp.op(),
            arp.sender_mac(),
            arp.target_ipv4(),
        );
        let header = arp.to_header();
        let mut buf = [0u8; 1100];
        let n = header.emit(&mut buf).expect("a parsed header emits");
        assert_eq!(&buf[..n], arp.header_bytes(), "emit(parse(b)) == b");
    }
}

/// IPv4, strict and lax: the options iterator (every option rendered), the
/// checksum, exact re-emit of the header.
pub fn ipv4(data: &[u8]) {
    let mut text = String::new();
    for packet in [Ipv4Packet::parse(data), Ipv4Packet::parse_lax(data)]
        .into_iter()
        .flatten()
    {
        for opt in packet.options() {
            text.clear();
            let _ = write!(text, "{opt:?}");
        }
        let _ = (
            packet.verify_checksum(),
            packet.payload(),
            packet.trailer(),
            packet.missing_bytes(),
        );
        let header = packet.to_header();
        let mut buf = [0u8; 60];
        let n = header.emit(&mut buf).expect("a parsed header emits");
        assert_eq!(&buf[..n], packet.header_bytes(), "emit(parse(b)) == b");
    }
}

/// IPv6, strict and lax: the extension-header walk, Hop-by-Hop and
/// Destination options, the chain summary, re-emit of the fixed header.
pub fn ipv6(data: &[u8]) {
    let mut text = String::new();
    for packet in [Ipv6Packet::parse(data), Ipv6Packet::parse_lax(data)]
        .into_iter()
        .flatten()
    {
        for ext in packet.ext_headers().flatten() {
            if let Some(opts) = ext.options() {
                for o in opts {
                    text.clear();
                    let _ = write!(text, "{o:?}");
                }
            }
        }
        if let Ok(chain) = packet.ext_chain() {
            check_ext_chain(&chain, packet.dst(), &mut text);
        }
        let header = packet.to_header();
        let mut buf = [0u8; 40];
        let n = header.emit(&mut buf).expect("a parsed header emits");
        assert_eq!(&buf[..n], &data[..40], "emit(parse(b)) == b");
    }
}

/// Every accessor of a validated extension-header chain. (Not its `Debug`:
/// that prints the whole packet, which would cost more than the walk.)
fn check_ext_chain(chain: &Ipv6ExtChain<'_>, dst: Ipv6Addr, text: &mut String) {
    let mut n = 0;
    for h in chain.headers() {
        assert!(h.is_ok(), "a validated chain yields only Ok headers: {h:?}");
        n += 1;
    }
    assert_eq!(n, chain.count(), "the chain counts the headers it yields");
    let _ = write!(
        text,
        "{:?} {:?} {:?}",
        chain.upper_layer(),
        chain.fragment(),
        chain.routing()
    );
    let _ = chain.final_destination(dst);
}

/// ICMPv4 messages, the lax view of the quoted IPv4 header and its options.
pub fn icmpv4(data: &[u8]) {
    if let Ok(msg) = Icmpv4Message::parse(data) {
        let mut text = String::new();
        let _ = write!(text, "{:?} {:?}", msg.body(), msg.quoted_transport());
        let _ = msg.quoted();
        if let Some(Ok(inner)) = msg.quoted_packet() {
            for opt in inner.options() {
                let _ = write!(text, "{opt:?}");
            }
        }
        let header = msg.to_header();
        let mut buf = [0u8; 64];
        let n = header.emit(&mut buf).expect("a parsed header emits");
        assert_eq!(&buf[..n], &data[..n], "emit(parse(b)) == b");
    }
}

/// ICMPv6, NDP with its options, MLDv1/v2, and the quoted invoking packet.
pub fn icmpv6(data: &[u8]) {
    let mut text = String::new();
    if let Ok(msg) = Icmpv6Message::parse(data) {
        let _ = (msg.mtu(), msg.pointer(), msg.echo(), msg.body());
        if let Some(Ok(inner)) = msg.invoking_packet()
            && let Ok(chain) = inner.ext_chain()
        {
            check_ext_chain(&chain, inner.dst(), &mut text);
        }
        let mut buf = [0u8; 64];
        let n = msg.to_header().emit(&mut buf).expect("a parsed header emits");
        assert_eq!(&buf[..n], &data[..n], "emit(parse(b)) == b");
    }
    if let Ok(ndp) = NdpMessage::parse(data) {
        let _ = write!(text, "{:?}", ndp.body());
        for o in ndp.options() {
            let _ = write!(text, "{o:?}");
        }
        let _ = ndp.to_header();
    }
    if let Ok(mld) = MldMessage::parse(data) {
        let _ = write!(text, "{mld:?}");
        if let MldMessage::Report(report) = mld {
            for record in report.records() {
                let _ = write!(text, "{record:?}");
            }
            let _ = report.to_header();
        }
    }
}

/// TCP segments: the options iterator (every option rendered), the typed
/// getters, exact re-emit of the header.
pub fn tcp(data: &[u8]) {
    if let Ok(seg) = TcpSegment::parse(data) {
        let mut text = String::new();
        for opt in seg.options() {
            text.clear();
            let _ = write!(text, "{opt:?}");
        }
        let header = seg.to_header();
        let _ = (
            header.options.mss(),
            header.options.timestamps(),
            header.options.sack_blocks(),
        );
        let mut buf = [0u8; 60];
        let n = header.emit(&mut buf).expect("a parsed header emits");
        assert_eq!(&buf[..n], seg.header_bytes(), "emit(parse(b)) == b");
    }
}

/// UDP, strict and lax, re-emit.
pub fn udp(data: &[u8]) {
    for d in [UdpDatagram::parse(data), UdpDatagram::parse_lax(data)]
        .into_iter()
        .flatten()
    {
        let _ = (d.payload(), d.trailer());
        let mut buf = [0u8; 8];
        d.to_header().emit(&mut buf).expect("a parsed header emits");
        assert_eq!(&buf[..], &data[..8], "emit(parse(b)) == b");
    }
}

/// Render `name` both ways: `push_text`'s fast path must give exactly the
/// text of `write_text` whenever the latter succeeds.
fn render_name(name: &Name<'_>, text: &mut String, pushed: &mut String) {
    text.clear();
    pushed.clear();
    let written = name.write_text(text).is_ok();
    name.push_text(pushed);
    if written {
        assert_eq!(text, pushed, "push_text == write_text");
    }
}

fn render_dns(data: &[u8], text: &mut String, pushed: &mut String) {
    let strict = DnsMessage::parse(data).ok();
    let lenient = DnsMessage::parse_lenient(data).ok().map(|(m, _)| m);
    // The documented contract: only a message shorter than its 12-byte
    // header is an error for the lenient parser.
    assert_eq!(
        lenient.is_some(),
        data.len() >= 12,
        "lenient parse of {} bytes",
        data.len()
    );
    for msg in [strict, lenient].into_iter().flatten() {
        for q in msg.questions() {
            render_name(&q.name(), text, pushed);
        }
        for section in [msg.answers(), msg.authorities(), msg.additionals()] {
            for rr in section {
                render_name(&rr.name(), text, pushed);
                let _ = write!(text, "{:?}", rr.try_rdata());
            }
        }
        let _ = write!(text, "{:?}", msg.opt());
    }
}

/// DNS messages, strict and lenient: every question, record, RDATA and
/// name rendered; the same bytes also read as a DNS-over-TCP stream
/// (RFC 1035 §4.2.2 two-byte length prefixes).
pub fn dns(data: &[u8]) {
    let (mut text, mut pushed) = (String::new(), String::new());
    render_dns(data, &mut text, &mut pushed);
    // Every frame consumes at least its two-byte prefix, so this loop runs
    // at most data.len() / 2 times.
    let mut stream = data;
    while let Some((msg, rest)) = split_frame(stream) {
        render_dns(msg, &mut text, &mut pushed);
        stream = rest;
    }
}

macro_rules! stable {
    ($ty:ty, $data:expr) => {{
        if let Ok((first, payload)) = <$ty>::parse($data) {
            let mut buf = vec![0u8; $data.len() + 64];
            let n = first.emit(&mut buf).expect("a parsed header emits");
            buf[n..n + payload.len()].copy_from_slice(payload);
            let (second, payload2) = <$ty>::parse(&buf[..n + payload.len()]).expect("emitted bytes parse");
            assert_eq!(first, second, "parse(emit(parse(b))) == parse(b)");
            assert_eq!(payload, payload2, "the payload survives");
        }
    }};
}

/// The `roundtrip` target's first byte: `selector % 10` picks the type
/// (`fuzz/seed.py` writes its seeds with the same table).
pub const ROUNDTRIP_TYPES: [&str; 10] = [
    "ethernet", "arp", "ipv4", "ipv6", "icmpv4", "icmpv6", "tcp", "udp", "dns", "ndp",
];

/// parse → emit → parse is stable, for every owned header type, DNS
/// messages (with and without name compression) and NDP messages.
///
/// For a header, the parsed payload is written back after the emitted
/// header, so that length fields (IPv4 total length, UDP length) stay
/// consistent with the bytes that follow; the second parse must give back
/// the same header and the same payload.
pub fn roundtrip(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    match selector % 10 {
        0 => stable!(EthernetHeader, rest),
        1 => stable!(ArpHeader, rest),
        2 => stable!(Ipv4Header, rest),
        3 => stable!(Ipv6Header, rest),
        4 => stable!(Icmpv4Header, rest),
        5 => stable!(Icmpv6Header, rest),
        6 => stable!(TcpHeader, rest),
        7 => stable!(UdpHeader, rest),
        8 => {
            if let Ok(first) = OwnedMessage::parse(rest) {
                for compress in [false, true] {
                    // Emitting may legitimately fail: without compression a
                    // parsed message can outgrow the 65,535-byte limit.
                    if let Ok(wire) = first.to_vec(compress) {
                        let second = OwnedMessage::parse(&wire).expect("emitted message parses");
                        assert_eq!(first, second, "compress = {compress}");
                    }
                }
            }
        }
        _ => {
            if let Ok(first) = NdpHeader::parse(rest) {
                let mut buf = vec![0u8; first.len()];
                let n = first.emit(&mut buf).expect("a parsed NDP message emits");
                let second = NdpHeader::parse(&buf[..n]).expect("emitted NDP message parses");
                assert_eq!(first, second, "parse(emit(parse(b))) == parse(b)");
            }
        }
    }
}

/// The whole-packet view from both entry points (Ethernet and raw IP):
/// every accessor and the checksum report; the builder's inverse
/// (`BuildParams::from_packet` then `build` gives a packet that reads back
/// the same, with good checksums); and in-place editing, whose incremental
/// (RFC 1624) checksum updates must equal a full recomputation.
pub fn packet(data: &[u8]) {
    let mut text = String::new();
    for ethernet in [true, false] {
        let p = if ethernet {
            Packet::from_ethernet(data)
        } else {
            Packet::from_ip(data)
        };
        let _ = write!(
            text,
            // Not `{p:?}`: that prints every byte of the frame.
            "{:?} {:?} {:?} {:?}",
            p.error,
            p.verify_checksums(),
            p.flow_key(),
            p.ip_addrs()
        );
        let _ = (
            p.network_offset(),
            p.transport_offset(),
            p.payload_offset(),
            p.is_truncated(),
        );
        let _ = (
            p.result(),
            p.ipv6_pseudo_destination(),
            p.ipv4(),
            p.ipv6(),
            p.tcp(),
            p.udp(),
        );
        if let Some((params, payload)) = BuildParams::from_packet(&p) {
            let len = params.frame_len(payload.len()).expect("a parsed packet's length fits");
            let mut built = vec![0u8; len];
            let n = params.build(payload, &mut built).expect("parsed parameters build");
            assert_eq!(n, len, "build writes frame_len bytes");
            let q = if ethernet {
                Packet::from_ethernet(&built)
            } else {
                Packet::from_ip(&built)
            };
            assert_eq!(
                BuildParams::from_packet(&q),
                Some((params, payload)),
                "from_packet(build(x)) == x"
            );
            let report = q.verify_checksums();
            assert!(report.no_errors(), "a built packet's checksums are right: {report:?}");
            assert_ne!(report.network, ChecksumStatus::Unverified, "{report:?}");
            edits_agree_with_recompute(&built, ethernet, data);
        }
        edits_agree_with_recompute(data, ethernet, data);
    }
}

/// Open `frame` for editing, make its checksums right, apply edits chosen
/// from `seed`, and check that the incrementally updated bytes equal a full
/// recomputation (`PacketMut::recompute_checksums` documents that the
/// setters must agree with it).
fn edits_agree_with_recompute(frame: &[u8], ethernet: bool, seed: &[u8]) {
    let mut buf = frame.to_vec();
    let opened = if ethernet {
        PacketMut::from_ethernet(&mut buf)
    } else {
        PacketMut::from_ip(&mut buf)
    };
    let Ok(mut e) = opened else { return };
    e.recompute_checksums()
        .expect("recomputing the checksums of an opened packet");
    let before = e.as_bytes().to_vec();
    let v6 = matches!(e.packet().ip_addrs(), Some((IpAddr::V6(_), _)));
    // A small deterministic generator over the input, so the edits vary
    // with it but need no bytes of their own.
    let mut x = seed.iter().fold(0x9e37_79b9_7f4a_7c15_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for _ in 0..4 {
        let r = next();
        let ip = if v6 {
            IpAddr::V6(Ipv6Addr::from(u128::from(r) << 64 | u128::from(next())))
        } else {
            IpAddr::V4(Ipv4Addr::from(r as u32))
        };
        let edit = match (r >> 32) % 11 {
            0 => Edit::SrcIp(ip),
            1 => Edit::DstIp(ip),
            2 => Edit::Ttl(r as u8),
            3 => Edit::Dscp(r as u8 & 63),
            4 => Edit::Ecn(r as u8 & 3),
            5 => Edit::SrcPort(r as u16),
            6 => Edit::DstPort(r as u16),
            7 => Edit::Seq(r as u32),
            8 => Edit::Ack(r as u32),
            9 => Edit::Flags(TcpFlags::from_bits_retain(r as u16 & 0x0fff)),
            _ => Edit::Window(r as u16),
        };
        // An edit of a layer the packet lacks is a typed error, not a change.
        let _ = e.apply(edit);
    }
    let edited = e.as_bytes().to_vec();
    e.recompute_checksums()
        .expect("recomputing the checksums of an edited packet");
    assert_eq!(
        edited,
        e.as_bytes(),
        "incremental checksum updates == recomputation (from {before:02x?})"
    );
}

/// The byte every stream carries at offset `i`: a long-period pattern, so a
/// byte delivered at the wrong offset shows.
fn stream_byte(i: usize) -> u8 {
    ((i as u32).wrapping_mul(2_654_435_761) >> 24) as u8
}

/// One end of the `tcp_conn` target's connection pair.
struct End {
    conn: Connection,
    /// Bytes the application has handed to `send` and had accepted.
    sent: usize,
    /// Bytes the application has read with `recv`.
    received: usize,
    /// Wire segments on their way to the *other* end.
    out: VecDeque<Vec<u8>>,
    /// A forged segment reached this end: its received stream may now
    /// legitimately differ from what the peer sent (TCP cannot tell
    /// in-window forgeries from data, RFC 9293 §3.10.7.4, RFC 5961).
    forged: bool,
}

/// At most this many segments wait in each direction; more are dropped,
/// as a full router queue would.
const QUEUE_LIMIT: usize = 64;

impl End {
    fn new(conn: Connection) -> Self {
        End {
            conn,
            sent: 0,
            received: 0,
            out: VecDeque::new(),
            forged: false,
        }
    }

    /// Everything the connection wants to send, serialised onto the wire.
    /// Each segment must emit and parse back to the same header.
    fn transmit(&mut self, now: Instant) {
        let mut payload = [0u8; 2048];
        // Bounded: every segment but a handful of control segments (ACK,
        // window update, FIN, RST) carries at least one byte of the send
        // buffer, so one drain cannot yield more segments than that. (A
        // peer's tiny MSS option makes 1-byte segments, so the bound is
        // the buffer size, not a window of full-sized segments.)
        for _ in 0..self.conn.config().send_buffer + 64 {
            let Some(t) = self.conn.poll_transmit(now, &mut payload) else {
                return;
            };
            let mut wire = vec![0u8; t.header.header_len() + t.payload_len];
            let n = t.header.emit(&mut wire).expect("a transmitted header emits");
            wire[n..].copy_from_slice(&payload[..t.payload_len]);
            let parsed = TcpSegment::parse(&wire).expect("a transmitted segment parses");
            assert_eq!(
                parsed.to_header(),
                t.header,
                "the segment on the wire is the one transmitted"
            );
            if self.out.len() < QUEUE_LIMIT {
                self.out.push_back(wire);
            }
        }
        panic!("poll_transmit never returned None");
    }

    fn check(&mut self, name: &str) {
        if let Err(e) = self.conn.check_invariants() {
            panic!("{name}: invariant broken: {e} (state {:?})", self.conn.state());
        }
        // Events are bounded by the connection; draining them exercises
        // every kind.
        for _ in 0..1024 {
            if self.conn.poll_event().is_none() {
                return;
            }
        }
        panic!("{name}: poll_event never returned None");
    }
}

/// The RFC 9293 state machine: two connections (a client and a listening
/// server) joined by a network the fuzzer drives. Each input byte is an
/// operation: deliver, drop, duplicate or reorder a queued segment; a user
/// call (send, recv, close, shutdown, abort); advance the clock and run the
/// timers; or inject a forged segment (raw bytes, or a header built around
/// the receiver's current sequence numbers so that it lands in the
/// window). After every operation both connections must keep their
/// invariants (`Connection::check_invariants`), every transmitted segment
/// must serialise and parse back to itself, and each application must have
/// read exactly a prefix of what its peer's application sent, unless a
/// forged segment reached it.
pub fn tcp_conn(data: &[u8]) {
    tcp_conn_run(data);
}

/// [`tcp_conn`], returning the bytes each application (client, server)
/// read and the connections' final states, so that a test can check that
/// a scripted input really reaches the states and the data transfer.
pub fn tcp_conn_run(data: &[u8]) -> ([usize; 2], [State; 2]) {
    let mut input = data.iter().copied();
    let mut byte = move || input.next();
    let Some(setup) = byte() else {
        return ([0, 0], [State::Closed; 2]);
    };
    let config = |bits: u8| {
        let mut c = match bits % 3 {
            0 => Config::default(),
            1 => Config::linux(),
            _ => Config::freebsd(),
        };
        c.timestamps ^= bits & 4 != 0;
        c.sack ^= bits & 8 != 0;
        c.window_scaling ^= bits & 16 != 0;
        c.nagle ^= bits & 32 != 0;
        // Small buffers reach the full-window and zero-window paths.
        if bits & 64 != 0 {
            c.send_buffer = 4096;
            c.recv_buffer = 4096;
        }
        c
    };
    let mut now = Instant::ZERO;
    let mut ends = [
        End::new(Connection::new(config(setup), 40000)),
        End::new(Connection::new(config(setup >> 1), 80)),
    ];
    ends[1].conn.listen().expect("a new connection listens");
    ends[1].conn.accept_isn(u32::from(setup).wrapping_mul(0x0101_0101));
    ends[0]
        .conn
        .connect(now, 80, 0xffff_0000 | u32::from(setup))
        .expect("a new connection connects");
    for e in &mut ends {
        e.transmit(now);
    }
    let mut buf = vec![0u8; 16 * 1024];
    while let Some(op) = byte() {
        // The low bit picks the end the operation is about.
        let (a, b) = if op & 1 == 0 { (0, 1) } else { (1, 0) };
        match (op >> 1) % 10 {
            // Deliver the next segment from `a` to `b`.
            0 | 1 => {
                if let Some(wire) = ends[a].out.pop_front() {
                    let seg = TcpSegment::parse(&wire).expect("queued segments parse");
                    ends[b].conn.on_segment(now, &seg);
                }
            }
            // Lose it (and maybe report it too big for the path, as a
            // router's ICMP message would: RFC 1191, RFC 8201), duplicate
            // it, or send it to the back of the queue.
            2 => {
                let q = &mut ends[a].out;
                match byte().unwrap_or(0) % 3 {
                    0 => {
                        let lost = q.pop_front();
                        let mtu_byte = byte().unwrap_or(0);
                        if let Some(wire) = lost
                            && mtu_byte != 0
                        {
                            let seq = TcpSegment::parse(&wire).expect("queued segments parse").seq();
                            // MMS_S from 516 to 1532 bytes: IPv4 stacks keep
                            // the path MTU at 552 or more (Linux's min_pmtu).
                            ends[a].conn.on_packet_too_big(seq, 512 + u32::from(mtu_byte) * 4);
                        }
                    }
                    1 => {
                        if let Some(w) = q.front().cloned()
                            && q.len() < QUEUE_LIMIT
                        {
                            q.push_back(w);
                        }
                    }
                    _ => q.rotate_left(usize::from(!q.is_empty())),
                }
            }
            // The application at `a` sends up to 4 KiB.
            3 => {
                let len = usize::from(byte().unwrap_or(0)) * 16;
                let start = ends[a].sent;
                let chunk: Vec<u8> = (start..start + len).map(stream_byte).collect();
                // An odd length byte sends urgent data (RFC 9293 §3.8.5),
                // which stays in the stream.
                let sent = if len % 32 == 16 {
                    ends[a].conn.send_urgent(&chunk)
                } else {
                    ends[a].conn.send(&chunk)
                };
                if let Ok(n) = sent {
                    assert!(n <= len, "send accepted more than offered");
                    ends[a].sent += n;
                }
            }
            // The application at `a` reads; what it gets must be the next
            // bytes its peer's application sent.
            4 => {
                let len = (usize::from(byte().unwrap_or(0)) * 64).min(buf.len());
                if let Ok(n) = ends[a].conn.recv(&mut buf[..len]) {
                    assert!(n <= len, "recv wrote past the buffer it was given");
                    let at = ends[a].received;
                    if !ends[a].forged {
                        assert!(
                            at + n <= ends[b].sent,
                            "received {} bytes, peer sent {}",
                            at + n,
                            ends[b].sent
                        );
                        for (i, &got) in buf[..n].iter().enumerate() {
                            assert_eq!(got, stream_byte(at + i), "byte {} of the stream", at + i);
                        }
                    }
                    ends[a].received += n;
                }
            }
            // Close, half-close or abort.
            5 => match byte().unwrap_or(0) % 3 {
                0 => ends[a].conn.close(now),
                1 => ends[a].conn.shutdown_write(now),
                _ => ends[a].conn.abort(now),
            },
            // Time passes (0 to 25.5 s, or straight to the next timer);
            // expired timers run.
            6 | 7 => {
                let step = byte().unwrap_or(0);
                now = if step == 255 {
                    let next = ends.iter().filter_map(|e| e.conn.poll_timeout()).min();
                    next.map_or(now, |t| t.max(now))
                } else {
                    Instant::from_millis(now.as_millis() + u64::from(step) * 100)
                };
                for e in &mut ends {
                    if e.conn.poll_timeout().is_some_and(|t| t <= now) {
                        e.conn.on_timeout(now);
                    }
                }
            }
            // A forged segment of raw bytes.
            8 => {
                let len = usize::from(byte().unwrap_or(0) % 64);
                let raw: Vec<u8> = (0..len).map_while(|_| byte()).collect();
                if let Ok(seg) = TcpSegment::parse(&raw) {
                    ends[b].forged = true;
                    ends[b].conn.on_segment(now, &seg);
                }
            }
            // A forged segment aimed at the receiver's window: sequence and
            // acknowledgment numbers near what `b` expects.
            _ => {
                let mut fields = [0u8; 6];
                for f in &mut fields {
                    *f = byte().unwrap_or(0);
                }
                let conn = &ends[b].conn;
                let mut h = TcpHeader::new(conn.remote_port(), conn.local_port());
                h.flags = TcpFlags::from_bits_retain(u16::from(fields[0]));
                h.seq = conn
                    .rcv_nxt()
                    .0
                    .wrapping_add(u32::from(fields[1]).wrapping_sub(64).wrapping_mul(64));
                h.ack = conn
                    .snd_una()
                    .0
                    .wrapping_add(u32::from(fields[2]).wrapping_sub(16).wrapping_mul(64));
                h.window = u16::from_be_bytes([fields[3], fields[4]]);
                let len = usize::from(fields[5]);
                let mut wire = vec![0u8; h.header_len() + len];
                let n = h.emit(&mut wire).expect("a plain header emits");
                for (i, b) in wire[n..].iter_mut().enumerate() {
                    *b = i as u8;
                }
                ends[b].forged = true;
                ends[b]
                    .conn
                    .on_segment(now, &TcpSegment::parse(&wire).expect("a built segment parses"));
            }
        }
        for (i, e) in ends.iter_mut().enumerate() {
            e.transmit(now);
            e.check(if i == 0 { "client" } else { "server" });
        }
    }
    (
        [ends[0].received, ends[1].received],
        [ends[0].conn.state(), ends[1].conn.state()],
    )
}

/// The packetdrill interpreter: the script parser on any text, and, when a
/// script parses, a run of it against netspec's own stack in virtual time.
/// Neither may panic; the run must end in a verdict.
pub fn packetdrill(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(script) = netspec::packetdrill::parse(text, DEFINES) {
        let mut text = String::new();
        let _ = write!(text, "{script:?}");
        let verdict = netspec::packetdrill::runner::run(&script, &mut NetspecHost::new());
        let _ = write!(text, "{verdict}");
    }
}
