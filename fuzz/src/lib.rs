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
use netspec::app::dns::{DnsMessage, OwnedMessage};
use netspec::link::{ArpHeader, ArpPacket, EthernetFrame, EthernetHeader};
use netspec::net::mld::MldMessage;
use netspec::net::ndp::{NdpMessage, NdpRepr};
use netspec::net::{
    Icmpv4Header, Icmpv4Message, Icmpv6Header, Icmpv6Message, Ipv4Header, Ipv4Packet, Ipv6Header, Ipv6Packet,
};
use netspec::transport::{TcpHeader, TcpSegment, UdpDatagram, UdpHeader};
use std::fmt::Write;

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
        let _ = write!(text, "{:?}", packet.ext_chain());
        let header = packet.to_header();
        let mut buf = [0u8; 40];
        let n = header.emit(&mut buf).expect("a parsed header emits");
        assert_eq!(&buf[..n], &data[..40], "emit(parse(b)) == b");
    }
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
        if let Some(Ok(inner)) = msg.invoking_packet() {
            let _ = write!(text, "{:?}", inner.ext_chain());
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
        let _ = ndp.to_repr();
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

fn render_dns(data: &[u8], text: &mut String) {
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
            text.clear();
            let _ = q.name().write_text(text);
        }
        for section in [msg.answers(), msg.authorities(), msg.additionals()] {
            for rr in section {
                text.clear();
                let _ = rr.name().write_text(text);
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
    let mut text = String::new();
    render_dns(data, &mut text);
    // Every frame consumes at least its two-byte prefix, so this loop runs
    // at most data.len() / 2 times.
    let mut stream = data;
    while let Some((msg, rest)) = split_frame(stream) {
        render_dns(msg, &mut text);
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
            if let Ok(first) = NdpRepr::parse(rest) {
                let mut buf = vec![0u8; first.len()];
                let n = first.emit(&mut buf).expect("a parsed NDP message emits");
                let second = NdpRepr::parse(&buf[..n]).expect("emitted NDP message parses");
                assert_eq!(first, second, "parse(emit(parse(b))) == parse(b)");
            }
        }
    }
}
