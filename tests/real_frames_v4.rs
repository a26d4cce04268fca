//! Real captures from the tcpdump and Zeek test suites (see
//! `tests/data/corpus/README.md`), parsed with the link, IPv4 and ICMPv4
//! parsers and checked field by field against Wireshark's dissection
//! (`expected/truth/**.truth.jsonl`, made with tshark 4.0.17).

mod common;

use common::pcap;
use common::truth::{self, Json};
use netspec::link::{ArpPacket, EtherType, EthernetFrame, MAX_VLAN_DEPTH};
use netspec::net::ipv4_option::Ipv4Option;
use netspec::net::{Icmpv4Message, IpProtocol, Ipv4Packet};
use netspec::{Error, Layer};

fn load(capture: &str) -> (Vec<u8>, Vec<Json>) {
    (truth::capture(capture), truth::load(capture))
}

/// Counts the fields compared, so no test passes by comparing nothing.
#[derive(Default)]
struct Checked(usize);

impl Checked {
    fn num(&mut self, t: &Json, key: &str, ours: i64, ctx: &str) {
        if let Some(want) = t.i64(key) {
            assert_eq!(ours, want, "{ctx}: {key}");
            self.0 += 1;
        }
    }
    fn str(&mut self, t: &Json, key: &str, ours: &str, ctx: &str) {
        if let Some(want) = t.str(key) {
            assert_eq!(ours, want, "{ctx}: {key}");
            self.0 += 1;
        }
    }
}

/// Compare an IPv4 header with the `<prefix>.*` keys (`ip` or
/// `icmp.inner.ip`).
fn check_ipv4(c: &mut Checked, t: &Json, prefix: &str, p: &Ipv4Packet<'_>, ctx: &str) {
    let k = |s: &str| format!("{prefix}.{s}");
    c.num(t, &k("version"), p.version().into(), ctx);
    c.num(t, &k("hdr_len"), p.header_len() as i64, ctx);
    c.num(t, &k("dsfield.dscp"), p.dscp().into(), ctx);
    c.num(t, &k("dsfield.ecn"), p.ecn().into(), ctx);
    c.num(t, &k("dsfield"), (p.dscp() << 2 | p.ecn()).into(), ctx);
    c.num(t, &k("len"), p.total_length().into(), ctx);
    c.num(t, &k("id"), p.identification().into(), ctx);
    c.num(t, &k("flags"), p.flags().bits().into(), ctx);
    c.num(t, &k("flags.rb"), (p.flags().bits() >> 2).into(), ctx);
    c.num(t, &k("flags.df"), p.dont_fragment().into(), ctx);
    c.num(t, &k("flags.mf"), p.more_fragments().into(), ctx);
    c.num(t, &k("frag_offset"), p.fragment_offset().into(), ctx);
    c.num(t, &k("ttl"), p.ttl().into(), ctx);
    c.num(t, &k("proto"), p.protocol().0.into(), ctx);
    c.num(t, &k("checksum"), p.checksum().into(), ctx);
    c.str(t, &k("src"), &p.src().to_string(), ctx);
    c.str(t, &k("dst"), &p.dst().to_string(), ctx);
    match t.str(&k("checksum.status")) {
        Some("good") => assert!(p.verify_checksum(), "{ctx}: checksum good"),
        Some("bad") => assert!(!p.verify_checksum(), "{ctx}: checksum bad"),
        _ => {}
    }
    if let Some(opts) = t.arr(&k("opt")) {
        let ours: Vec<_> = p.options().map(|o| o.unwrap()).collect();
        assert_eq!(ours.len(), opts.len(), "{ctx}: option count");
        for (o, w) in ours.iter().zip(opts) {
            c.num(w, "type", o.kind().0.into(), ctx);
            c.num(w, "len", o.wire_len() as i64, ctx);
            let ptr = match o {
                Ipv4Option::RecordRoute(r) | Ipv4Option::Lsrr(r) | Ipv4Option::Ssrr(r) => Some(r.pointer),
                Ipv4Option::Timestamp(t) => Some(t.pointer),
                _ => None,
            };
            if let Some(ptr) = ptr {
                c.num(w, "ptr", ptr.into(), ctx);
            }
        }
    }
}

fn check_icmp(c: &mut Checked, t: &Json, m: &Icmpv4Message<'_>, complete: bool, ctx: &str) {
    c.num(t, "icmp.type", m.icmp_type().0.into(), ctx);
    c.num(t, "icmp.code", m.code().0.into(), ctx);
    c.num(t, "icmp.checksum", m.checksum().into(), ctx);
    if let Some(i) = m.ident() {
        c.num(t, "icmp.ident", i.into(), ctx);
    }
    if let Some(s) = m.seq() {
        c.num(t, "icmp.seq", s.into(), ctx);
    }
    if matches!(m.icmp_type().0, 0 | 8) {
        c.num(t, "icmp.data_len", m.data().len() as i64, ctx);
    }
    if let Some(mtu) = m.next_hop_mtu() {
        c.num(t, "icmp.mtu", mtu.into(), ctx);
    }
    if complete {
        match t.str("icmp.checksum.status") {
            Some("good") => assert!(m.verify_checksum(), "{ctx}: icmp checksum good"),
            Some("bad") => assert!(!m.verify_checksum(), "{ctx}: icmp checksum bad"),
            _ => {}
        }
    }
    if let Some(q) = m.quoted_packet() {
        let q = q.unwrap();
        check_ipv4(c, t, "icmp.inner.ip", &q, ctx);
        let ports = q.payload();
        if ports.len() >= 4 && q.protocol() == IpProtocol::UDP {
            c.num(
                t,
                "icmp.inner.udp.srcport",
                u16::from_be_bytes([ports[0], ports[1]]).into(),
                ctx,
            );
            c.num(
                t,
                "icmp.inner.udp.dstport",
                u16::from_be_bytes([ports[2], ports[3]]).into(),
                ctx,
            );
        }
    }
}

fn check_arp(c: &mut Checked, t: &Json, a: &ArpPacket<'_>, ctx: &str) {
    c.num(t, "arp.hw.type", a.hw_type().0.into(), ctx);
    c.num(t, "arp.proto.type", a.proto_type().0.into(), ctx);
    c.num(t, "arp.hw.size", a.hlen().into(), ctx);
    c.num(t, "arp.proto.size", a.plen().into(), ctx);
    c.num(t, "arp.opcode", a.op().0.into(), ctx);
    if let Some(m) = a.sender_mac() {
        c.str(t, "arp.src.hw_mac", &m.to_string(), ctx);
    }
    if let Some(m) = a.target_mac() {
        c.str(t, "arp.dst.hw_mac", &m.to_string(), ctx);
    }
    if let Some(ip) = a.sender_ipv4() {
        c.str(t, "arp.src.proto_ipv4", &ip.to_string(), ctx);
    }
    if let Some(ip) = a.target_ipv4() {
        c.str(t, "arp.dst.proto_ipv4", &ip.to_string(), ctx);
    }
}

/// Walk every Ethernet frame of `capture` and compare it with the truth.
/// Returns the number of fields compared.
fn check_ethernet_capture(capture: &str) -> usize {
    let (file, truth) = load(capture);
    let pcap = pcap::parse(&file).unwrap();
    assert_eq!(pcap.link_type, 1, "{capture}");
    assert_eq!(pcap.records.len(), truth.len(), "{capture}: record count");
    let mut c = Checked::default();
    for (i, (rec, t)) in pcap.records.iter().zip(&truth).enumerate() {
        let ctx = format!("{capture} frame {}", i + 1);
        c.num(t, "caplen", rec.data.len() as i64, &ctx);
        c.num(t, "len", rec.orig_len.into(), &ctx);
        let f = EthernetFrame::parse(rec.data).unwrap();
        c.str(t, "eth.dst", &f.dst().to_string(), &ctx);
        c.str(t, "eth.src", &f.src().to_string(), &ctx);
        let outer = f.tags().outer().map_or(f.ethertype(), |tag| tag.tpid);
        c.num(t, "eth.type", outer.0.into(), &ctx);
        let tags = f.tags().as_slice();
        let want_tags = t.arr("vlan").unwrap_or(&[]);
        assert_eq!(tags.len(), want_tags.len(), "{ctx}: tag count");
        for (j, (tag, w)) in tags.iter().zip(want_tags).enumerate() {
            c.num(w, "tpid", tag.tpid.0.into(), &ctx);
            c.num(w, "pcp", tag.pcp.into(), &ctx);
            c.num(w, "dei", tag.dei.into(), &ctx);
            c.num(w, "id", tag.vid.into(), &ctx);
            let next = tags.get(j + 1).map_or(f.ethertype(), |n| n.tpid);
            c.num(w, "etype", next.0.into(), &ctx);
        }
        // An Ethernet frame stores no payload length: all of it is payload.
        assert_eq!(f.header_len() + f.payload().len(), rec.data.len());
        match f.ethertype() {
            EtherType::ARP => {
                let a = ArpPacket::parse(f.payload()).unwrap();
                check_arp(&mut c, t, &a, &ctx);
            }
            EtherType::IPV4 => {
                let snapped = (rec.data.len() as u32) < rec.orig_len;
                let p = match Ipv4Packet::parse(f.payload()) {
                    Ok(p) => p,
                    Err(e) => {
                        // Only a snapped frame, or one tshark flags for its
                        // length, may fail the strict parse, and only on
                        // total_length.
                        assert_eq!((e.field, e.offset), ("total_length", 2), "{ctx}: {e}");
                        let p = Ipv4Packet::parse_lax(f.payload()).unwrap();
                        assert!(p.is_truncated());
                        assert!(snapped || t.arr("expert").is_some(), "{ctx}");
                        p
                    }
                };
                check_ipv4(&mut c, t, "ip", &p, &ctx);
                let (pad, tail) = (t.i64("eth.padding_len"), t.i64("eth.trailer_len"));
                if pad.is_some() || tail.is_some() {
                    let want = pad.unwrap_or(0) + tail.unwrap_or(0);
                    assert_eq!(p.trailer().len() as i64, want, "{ctx}: trailer");
                    c.0 += 1;
                } else {
                    // tshark reports no trailer; it silently takes a final
                    // 4 bytes as the frame check sequence when they fit.
                    assert!(matches!(p.trailer().len(), 0 | 4), "{ctx}: trailer");
                }
                if p.protocol() == IpProtocol::ICMP && p.fragment_offset() == 0 {
                    let m = Icmpv4Message::parse(p.payload()).unwrap();
                    check_icmp(&mut c, t, &m, !p.is_truncated() && !p.more_fragments(), &ctx);
                }
            }
            other => panic!("{ctx}: unexpected type {other}"),
        }
    }
    c.0
}

#[test]
fn zeek_q_in_q() {
    assert!(check_ethernet_capture("zeek/q-in-q.pcap") > 5 * 20);
}

#[test]
fn zeek_vlan_qinqinq_triple_tags() {
    let n = check_ethernet_capture("zeek/vlan-qinqinq.pcap");
    assert!(n > 14 * 25, "{n}");
    let (file, _) = load("zeek/vlan-qinqinq.pcap");
    let pcap = pcap::parse(&file).unwrap();
    let f = EthernetFrame::parse(pcap.records[0].data).unwrap();
    let vids: Vec<u16> = f.tags().as_slice().iter().map(|t| t.vid).collect();
    assert_eq!(vids, [30, 20, 10]);
    assert!(f.tags().len() < MAX_VLAN_DEPTH);
    // The owned header emits the exact tag stack back.
    let h = f.to_header();
    let mut out = [0u8; 64];
    let n = h.emit(&mut out).unwrap();
    assert_eq!(&out[..n], f.header_bytes());
}

#[test]
fn zeek_arp_who_has_with_padding() {
    assert!(check_ethernet_capture("zeek/arp-who-has.pcap") > 2 * 12);
    let (file, _) = load("zeek/arp-who-has.pcap");
    let pcap = pcap::parse(&file).unwrap();
    // Frame 2: 60 bytes, 18 of them non-zero padding after the ARP reply.
    let f = EthernetFrame::parse(pcap.records[1].data).unwrap();
    let a = ArpPacket::parse(f.payload()).unwrap();
    assert_eq!(a.trailer().len(), 18);
    let mut out = [0u8; 28];
    a.to_header().emit(&mut out).unwrap();
    assert_eq!(&out[..], a.header_bytes());
}

#[test]
fn zeek_icmp_dot1q() {
    assert!(check_ethernet_capture("zeek/icmp_dot1q.pcap") > 15 * 15);
}

#[test]
fn zeek_icmp_destunreach_quotes_udp() {
    let n = check_ethernet_capture("zeek/icmp_icmp-destunreach-udp.pcap");
    assert!(n > 40, "{n}");
    let (file, _) = load("zeek/icmp_icmp-destunreach-udp.pcap");
    let pcap = pcap::parse(&file).unwrap();
    let f = EthernetFrame::parse(pcap.records[0].data).unwrap();
    let p = Ipv4Packet::parse(f.payload()).unwrap();
    let m = Icmpv4Message::parse(p.payload()).unwrap();
    let q = m.quoted_packet().unwrap().unwrap();
    // The 176-byte ICMP datagram quotes 148 bytes of a 163-byte one: the
    // lax view says 15 are missing.
    assert_eq!(p.total_length(), 176);
    assert!(q.is_truncated());
    assert_eq!(q.missing_bytes(), 15);
    assert_eq!(m.quoted_transport().unwrap().len(), 148 - 20);
}

#[test]
fn zeek_ipv4_fragments() {
    assert!(check_ethernet_capture("zeek/ipv4_fragmented-1.pcap") > 3 * 20);
    assert!(check_ethernet_capture("zeek/ipv4_fragmented-4.pcap") > 6 * 20);
    let (file, _) = load("zeek/ipv4_fragmented-1.pcap");
    let pcap = pcap::parse(&file).unwrap();
    let offsets: Vec<(usize, bool)> = pcap
        .records
        .iter()
        .map(|r| {
            let f = EthernetFrame::parse(r.data).unwrap();
            let p = Ipv4Packet::parse(f.payload()).unwrap();
            (p.fragment_offset_bytes(), p.more_fragments())
        })
        .collect();
    assert_eq!(offsets[0], (0, true));
    assert_eq!(offsets[1], (48, false));
}

#[test]
fn tcpdump_802_1ad_qinq_arp() {
    assert!(check_ethernet_capture("tcpdump/802.1ad_QinQ.pcap") > 2 * 20);
}

#[test]
fn tcpdump_igmp_router_alert() {
    assert!(check_ethernet_capture("tcpdump/igmpv3-queries.pcap") > 6 * 20);
}

#[test]
fn tcpdump_loopback_tcp_session() {
    // Ten IPv4/TCP frames, one of 5.6 KB: every header field and checksum.
    assert!(check_ethernet_capture("tcpdump/print-flags.pcap") > 10 * 20);
}

#[test]
fn tcpdump_invalid_total_length() {
    // Total Length 85, but only 84 bytes of IP follow the Ethernet header.
    let (file, _) = load("tcpdump/ipv4_invalid_total_length.pcap");
    let pcap = pcap::parse(&file).unwrap();
    let f = EthernetFrame::parse(pcap.records[0].data).unwrap();
    let e = Ipv4Packet::parse(f.payload()).unwrap_err();
    assert_eq!(e, Error::length_exceeds(Layer::Ipv4, "total_length", 2, 85, 84));
    assert_eq!(
        e.to_string(),
        "ipv4: total_length 85 exceeds the 84 bytes available at offset 2"
    );
    let p = Ipv4Packet::parse_lax(f.payload()).unwrap();
    assert_eq!(p.missing_bytes(), 1);
    assert!(check_ethernet_capture("tcpdump/ipv4_invalid_total_length.pcap") > 15);
}

#[test]
fn tcpdump_invalid_header_length() {
    let (file, truth) = load("tcpdump/ipv4_invalid_hdr_length.pcap");
    let pcap = pcap::parse(&file).unwrap();
    let f = EthernetFrame::parse(pcap.records[0].data).unwrap();
    let e = Ipv4Packet::parse_lax(f.payload()).unwrap_err();
    // tshark: "Bogus IP header length (16, must be at least 20)".
    assert_eq!(truth[0].i64("ip.hdr_len"), Some(16));
    assert_eq!(e, Error::length_too_small(Layer::Ipv4, "ihl", 0, 4, 5));
}

#[test]
fn tcpdump_timestamp_option_overrun() {
    // CVE-2017-13037: a timestamp option followed by an option whose length
    // runs past the 36-byte header; tshark: "option length = 19 bytes says
    // option goes past end of options". The frame is also snapped.
    let (file, truth) = load("tcpdump/ip_ts_opts_asan.pcap");
    let pcap = pcap::parse(&file).unwrap();
    let rec = &pcap.records[0];
    assert!((rec.data.len() as u32) < rec.orig_len);
    let f = EthernetFrame::parse(rec.data).unwrap();
    let ip = f.payload();
    assert_eq!(truth[0].i64("ip.hdr_len"), Some(36));
    let e = Ipv4Packet::parse_lax(ip).unwrap_err();
    assert_eq!(e, Error::length_exceeds(Layer::Ipv4, "option_length", 35, 19, 2));
    // The first option is the timestamp tshark shows (len 14, ptr 5).
    let mut it = netspec::net::Ipv4OptionIter::new(&ip[20..36]);
    let Some(Ok(Ipv4Option::Timestamp(ts))) = it.next() else {
        panic!("timestamp first")
    };
    assert_eq!((ts.pointer, ts.data.len() + 4), (5, 14));
    assert!(it.next().unwrap().is_err());
    assert!(it.next().is_none());
}

#[test]
fn tcpdump_printroute_overrun() {
    // CVE-2017-13022: a 60-byte header with a broken route option, snapped
    // to 60 bytes of frame (46 of IP): the header itself is cut short.
    let (file, truth) = load("tcpdump/ip_printroute_asan.pcap");
    let pcap = pcap::parse(&file).unwrap();
    let f = EthernetFrame::parse(pcap.records[0].data).unwrap();
    assert_eq!(truth[0].i64("ip.hdr_len"), Some(60));
    let e = Ipv4Packet::parse_lax(f.payload()).unwrap_err();
    assert_eq!(e, Error::length_exceeds(Layer::Ipv4, "ihl", 0, 60, f.payload().len()));
}

#[test]
fn tcpdump_arp_too_long_tha() {
    // CVE-2016-7923: an 802.1ad-tagged ARP with 14-byte hardware addresses
    // (tcpdump once read past the buffer on it). 8 + 2 * (14 + 4) = 44 bytes
    // fit in the 46 captured, so it parses; there is no typed MAC view for
    // hlen 14, only the protocol addresses.
    assert!(check_ethernet_capture("tcpdump/arp-too-long-tha.pcap") > 10);
    let (file, _) = load("tcpdump/arp-too-long-tha.pcap");
    let pcap = pcap::parse(&file).unwrap();
    let f = EthernetFrame::parse(pcap.records[0].data).unwrap();
    assert_eq!(f.tags().outer().unwrap().tpid, EtherType::QINQ);
    let a = ArpPacket::parse(f.payload()).unwrap();
    assert_eq!((a.hlen(), a.sender_mac(), a.target_hw().len()), (14, None, 14));
    assert_eq!(a.sender_ipv4(), Some(std::net::Ipv4Addr::new(48, 48, 48, 48)));
    assert_eq!(a.trailer().len(), 2);
    // Two bytes fewer and the target protocol address is cut.
    let short = &f.payload()[..43];
    assert_eq!(
        ArpPacket::parse(short).unwrap_err(),
        Error::truncated(Layer::Arp, "addresses", 8, 36, 35)
    );
}

#[test]
fn big_endian_and_nanosecond_files() {
    // unaligned-nfs-1 is the corpus's one big-endian pcap.
    let (file, truth) = load("tcpdump/unaligned-nfs-1.pcap");
    let pcap = pcap::parse(&file).unwrap();
    assert!(!pcap.nanos);
    let ts = format!("{}.{:09}", pcap.records[0].ts_sec, pcap.records[0].ts_nsec);
    assert_eq!(Some(ts.as_str()), truth[0].str("ts"));
    assert!(check_ethernet_capture("tcpdump/unaligned-nfs-1.pcap") > 15);
    // tcp-handshake-nano: nanosecond stamps, Linux cooked (SLL) link type.
    let (file, truth) = load("tcpdump/tcp-handshake-nano.pcap");
    let pcap = pcap::parse(&file).unwrap();
    assert!(pcap.nanos);
    assert_eq!(pcap.link_type, 113);
    for (r, t) in pcap.records.iter().zip(&truth) {
        let ts = format!("{}.{:09}", r.ts_sec, r.ts_nsec);
        assert_eq!(Some(ts.as_str()), t.str("ts"));
        // SLL: a 16-byte pseudo-header whose last two bytes are the EtherType.
        assert_eq!(&r.data[14..16], &[0x08, 0x00]);
        let p = Ipv4Packet::parse(&r.data[16..]).unwrap();
        let mut c = Checked::default();
        check_ipv4(&mut c, t, "ip", &p, "tcp-handshake-nano");
        assert!(c.0 > 15);
    }
}

#[test]
fn zeek_snap_arp_in_8023_frames() {
    // IEEE 802.3 frames (length 36) carrying LLC/SNAP-encapsulated ARP over
    // hardware type 6 (IEEE 802), padded to 60 bytes (RFC 1042).
    let (file, truth) = load("zeek/snap-arp.pcapng");
    let packets = pcap::parse_pcapng(&file).unwrap();
    assert_eq!(packets.len(), truth.len());
    let mut c = Checked::default();
    for (i, ((lt, rec), t)) in packets.iter().zip(&truth).enumerate() {
        let ctx = format!("snap-arp frame {}", i + 1);
        assert_eq!(*lt, 1);
        let f = EthernetFrame::parse(rec.data).unwrap();
        c.str(t, "eth.dst", &f.dst().to_string(), &ctx);
        c.str(t, "eth.src", &f.src().to_string(), &ctx);
        c.num(t, "eth.len", f.length().unwrap().into(), &ctx);
        c.num(t, "eth.padding_len", f.trailer().len() as i64, &ctx);
        let llc = f.llc().unwrap();
        c.num(t, "llc.dsap", llc.dsap.into(), &ctx);
        c.num(t, "llc.ssap", llc.ssap.into(), &ctx);
        c.num(t, "llc.control", llc.control.into(), &ctx);
        let snap = llc.snap.unwrap();
        assert_eq!((snap.oui, snap.protocol), ([0, 0, 0], EtherType::ARP));
        let a = ArpPacket::parse(llc.payload).unwrap();
        assert!(a.trailer().is_empty());
        // Hardware type 6 is not Ethernet: no typed MAC, raw bytes compare.
        assert_eq!(a.sender_mac(), None);
        c.str(
            t,
            "arp.src.hw_mac",
            &netspec::link::MacAddress::from_slice(a.sender_hw())
                .unwrap()
                .to_string(),
            &ctx,
        );
        check_arp(&mut c, t, &a, &ctx);
    }
    assert!(c.0 >= 4 * 15, "{}", c.0);
}

/// The test pcap reader itself, on hand-made files.
mod pcap_reader {
    use super::pcap;

    fn file(big: bool, nanos: bool, records: &[(&[u8], u32)]) -> Vec<u8> {
        let w = |v: u32| if big { v.to_be_bytes() } else { v.to_le_bytes() };
        let mut f = Vec::new();
        f.extend(w(if nanos { 0xa1b2_3c4d } else { 0xa1b2_c3d4 }));
        f.extend(if big { [0, 2, 0, 4] } else { [2, 0, 4, 0] });
        f.extend(w(0));
        f.extend(w(0));
        f.extend(w(65535));
        f.extend(w(1));
        for (i, (d, len)) in records.iter().enumerate() {
            f.extend(w(i as u32));
            f.extend(w(7));
            f.extend(w(d.len() as u32));
            f.extend(w(*len));
            f.extend(*d);
        }
        f
    }

    #[test]
    fn both_byte_orders_and_resolutions() {
        for big in [false, true] {
            for nanos in [false, true] {
                let f = file(big, nanos, &[(b"abc", 3), (b"", 60)]);
                let p = pcap::parse(&f).unwrap();
                assert_eq!((p.link_type, p.snaplen, p.nanos), (1, 65535, nanos));
                assert_eq!(p.records.len(), 2);
                assert_eq!(p.records[0].data, b"abc");
                assert_eq!(p.records[1].orig_len, 60);
                assert_eq!(p.records[1].ts_sec, 1);
                assert_eq!(p.records[0].ts_nsec, if nanos { 7 } else { 7000 });
            }
        }
    }

    #[test]
    fn damaged_files_are_errors() {
        assert!(pcap::parse(&[0; 23]).is_err());
        assert!(pcap::parse(&[0; 24]).is_err());
        let f = file(false, false, &[(b"abcd", 4)]);
        assert!(pcap::parse(&f[..f.len() - 1]).is_err());
        assert!(pcap::parse(&f[..30]).is_err());
        assert_eq!(pcap::parse(&f[..24]).unwrap().records.len(), 0);
    }

    #[test]
    fn pcapng_blocks() {
        // SHB (LE), IDB (Ethernet), EPB with 3 bytes padded to 4.
        let mut f = Vec::new();
        f.extend([0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0]);
        f.extend([0xff; 8]);
        f.extend([28, 0, 0, 0]);
        f.extend([1, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0]);
        f.extend([6, 0, 0, 0, 36, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x42, 0x0f, 0]);
        f.extend([3, 0, 0, 0, 9, 0, 0, 0, b'a', b'b', b'c', 0, 36, 0, 0, 0]);
        let p = pcap::parse_pcapng(&f).unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0, 1);
        assert_eq!((p[0].1.data, p[0].1.orig_len, p[0].1.ts_sec), (&b"abc"[..], 9, 1));
        let n = f.len();
        f[n - 32] = 200;
        assert!(pcap::parse_pcapng(&f).is_err());
        assert!(pcap::parse_pcapng(&f[..n - 1]).is_err());
    }
}

#[test]
fn pcapng_files_read_like_classic_pcap() {
    // Two interfaces, one stamping in ns (if_tsresol 9) and one in µs; the
    // shared reader gives one record list with exact nanosecond stamps.
    for capture in ["zeek/pcapng-multi-interface.pcapng", "zeek/snap-arp.pcapng"] {
        let (file, truth) = load(capture);
        let pcap = pcap::parse(&file).unwrap();
        assert_eq!(pcap.link_type, 1, "{capture}");
        assert_eq!(pcap.records.len(), truth.len(), "{capture}: record count");
        assert_eq!(pcap.records.len(), pcap::parse_pcapng(&file).unwrap().len());
        for (r, t) in pcap.records.iter().zip(&truth) {
            let ts = format!("{}.{:09}", r.ts_sec, r.ts_nsec);
            assert_eq!(Some(ts.as_str()), t.str("ts"), "{capture}");
            assert_eq!(Some(r.data.len() as i64), t.i64("caplen"), "{capture}");
            assert_eq!(Some(i64::from(r.orig_len)), t.i64("len"), "{capture}");
        }
    }
    // A block cut short is an error, not a shorter record list.
    let (file, _) = load("zeek/snap-arp.pcapng");
    assert!(pcap::parse(&file[..file.len() - 4]).is_err());
}
