//! Real IPv6 / ICMPv6 / NDP / MLD frames from the tcpdump and Zeek test
//! suites (tests/data/corpus, licenses beside them), checked field by field
//! against Wireshark's dissection (`expected/truth/*.truth.jsonl`) and
//! re-emitted byte for byte.

mod common;

use common::pcap;
use common::truth::{self, Json};

use netspec::checksum;
use netspec::net::icmpv6::Icmpv6Type;
use netspec::net::ipv6_ext::Ipv6ExtHeader;
use netspec::net::mld::MldMessage;
use netspec::net::ndp::{NdpBody, NdpMessage, NdpOption};
use netspec::net::{Icmpv6Message, IpProtocol, Ipv6Packet};
use netspec::{Error, ErrorKind, Layer};
use std::net::Ipv6Addr;

/// The IPv6 address string at `key`.
fn addr(t: &Json, key: &str) -> Option<Ipv6Addr> {
    t.str(key).map(|s| s.parse().unwrap())
}

// ------------------------------------------------------------- helpers --

struct Frame {
    ip: Vec<u8>,
    truth: Json,
}

/// The IPv6 bytes and truth of every frame of a capture that has IPv6.
fn frames(rel: &str) -> Vec<Frame> {
    let file = truth::capture(rel);
    let truths = truth::load(rel);
    let pcap = pcap::parse(&file).unwrap();
    assert_eq!(pcap.records.len(), truths.len(), "{rel}: frame count");
    let mut out = Vec::new();
    for (rec, truth) in pcap.records.iter().zip(truths) {
        let rec = rec.data.to_vec();
        let ip = match pcap.link_type {
            1 if rec.len() >= 14 => {
                let mut at = 12;
                while rec.len() >= at + 2 && matches!(u16::from_be_bytes([rec[at], rec[at + 1]]), 0x8100 | 0x88a8) {
                    at += 4;
                }
                if rec.len() < at + 2 || u16::from_be_bytes([rec[at], rec[at + 1]]) != 0x86dd {
                    continue;
                }
                rec[at + 2..].to_vec()
            }
            // LINKTYPE_IPV6: the record is the packet.
            229 => rec,
            // Linux cooked capture v1 (16-byte header, protocol at 14) and
            // v2 (20-byte header, protocol at 0).
            113 if rec.len() >= 16 && rec[14..16] == [0x86, 0xdd] => rec[16..].to_vec(),
            276 if rec.len() >= 20 && rec[0..2] == [0x86, 0xdd] => rec[20..].to_vec(),
            _ => continue,
        };
        out.push(Frame { ip, truth });
    }
    out
}

fn is_bad(t: &Json) -> bool {
    t.u64("malformed") == Some(1) || t.u64("short") == Some(1)
}

fn mac(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect::<Vec<_>>().join(":")
}

fn check_ext(h: &Ipv6ExtHeader<'_>, t: &Json, bad: bool, what: &str) {
    assert_eq!(u64::from(h.kind().0), t.u64("type").unwrap(), "{what}: ext type");
    assert_eq!(u64::from(h.next_header().0), t.u64("nxt").unwrap(), "{what}: ext nxt");
    assert_eq!(h.len() as u64, t.u64("len").unwrap(), "{what}: ext len");
    if let Some(rt) = t.u64("routing_type") {
        let r = h.routing().unwrap();
        assert_eq!(u64::from(r.routing_type()), rt, "{what}: routing type");
        assert_eq!(
            u64::from(r.segments_left()),
            t.u64("segleft").unwrap(),
            "{what}: segleft"
        );
    }
    if let Some(opts) = t.arr("opts") {
        let theirs: Vec<u64> = opts
            .iter()
            .map(|j| match j {
                Json::Num(n) => u64::try_from(*n).unwrap(),
                other => panic!("{what}: option type {other:?}"),
            })
            .collect();
        let mut ours = Vec::new();
        for o in h.options().unwrap() {
            match o {
                Ok(o) => ours.push(u64::from(o.kind().0)),
                Err(e) => {
                    // Wireshark lists the broken option too, and flags it.
                    assert!(bad, "{what}: unexpected {e}");
                    assert_eq!(e.layer, Layer::Ipv6Ext);
                    ours.push(theirs[ours.len()]);
                }
            }
        }
        assert_eq!(ours, theirs, "{what}: option types");
    }
}

/// Check one IPv6 packet against its truth; `prefix` is "" or
/// "icmpv6.inner." for quoted packets. Returns the number of fields compared.
fn check_ipv6(p: &Ipv6Packet<'_>, t: &Json, prefix: &str, what: &str) -> usize {
    let k = |f: &str| format!("{prefix}ipv6.{f}");
    let mut n = 0;
    for (f, ours) in [
        ("version", u64::from(p.version())),
        ("tclass", u64::from(p.traffic_class())),
        ("flow", u64::from(p.flow_label())),
        ("plen", u64::from(p.payload_length())),
        ("nxt", u64::from(p.next_header().0)),
        ("hlim", u64::from(p.hop_limit())),
    ] {
        if let Some(v) = t.u64(&k(f)) {
            assert_eq!(ours, v, "{what}: {}", k(f));
            n += 1;
        }
    }
    if let Some(a) = addr(t, &k("src")) {
        assert_eq!(p.src(), a, "{what}: src");
        assert_eq!(p.dst(), addr(t, &k("dst")).unwrap(), "{what}: dst");
        n += 2;
    }
    n
}

/// Re-emit a strictly parsed packet (header, extension headers, upper
/// layer, trailer) and compare with the original bytes.
fn reemit(p: &Ipv6Packet<'_>, ip: &[u8], what: &str) {
    let c = p.ext_chain().unwrap();
    let mut out = vec![0u8; ip.len()];
    let mut at = p.to_header().emit(&mut out).unwrap();
    for h in c.headers() {
        at += h.unwrap().to_extension().emit(&mut out[at..]).unwrap();
    }
    let rest = &ip[at..];
    out[at..].copy_from_slice(rest);
    assert_eq!(out, ip, "{what}: re-emitted bytes");
}

#[derive(Default, Debug)]
struct Tally {
    frames: usize,
    fields: usize,
    strict_ok: usize,
    errors: usize,
    checksums: usize,
}

/// Check every frame of `rel` against the truth; returns what was checked.
fn check_capture(rel: &str) -> Tally {
    let mut tally = Tally::default();
    for (i, f) in frames(rel).iter().enumerate() {
        let what = format!("{rel} frame {}", i + 1);
        let t = &f.truth;
        tally.frames += 1;
        let Some(version) = t.u64("ipv6.version") else { continue };
        if version != 6 {
            let e = Ipv6Packet::parse_lax(&f.ip).unwrap_err();
            assert_eq!(e, Error::invalid(Layer::Ipv6, "version", 0, version, "6"), "{what}");
            tally.errors += 1;
            continue;
        }
        let p = Ipv6Packet::parse_lax(&f.ip).unwrap();
        tally.fields += check_ipv6(&p, t, "", &what);
        match Ipv6Packet::parse(&f.ip) {
            Ok(_) => assert!(!p.is_truncated()),
            Err(e) => {
                assert!(p.is_truncated(), "{what}");
                assert!(is_bad(t) || t.u64("malformed") == Some(0), "{what}");
                assert_eq!(
                    (e.layer, e.field, e.offset),
                    (Layer::Ipv6, "payload_length", 4),
                    "{what}"
                );
                tally.errors += 1;
            }
        }
        // Extension headers, as far as the truth lists them.
        let ours: Vec<_> = p.ext_headers().collect();
        for (j, te) in t.arr("ipv6.ext").unwrap_or(&[]).iter().enumerate() {
            match &ours[j] {
                Ok(h) => check_ext(h, te, is_bad(t), &what),
                Err(e) => {
                    // Wireshark lists a header it could only start to read.
                    assert!(is_bad(t), "{what}: unexpected {e}");
                    assert_eq!(e.layer, Layer::Ipv6Ext);
                    tally.errors += 1;
                }
            }
            tally.fields += 1;
        }
        if let Some(off) = t.u64("ipv6.frag.offset") {
            let fr = p.ext_chain().unwrap().fragment().unwrap();
            assert_eq!(u64::from(fr.fragment_offset), off, "{what}");
            assert_eq!(u64::from(fr.more_fragments), t.u64("ipv6.frag.more").unwrap(), "{what}");
            assert_eq!(u64::from(fr.identification), t.u64("ipv6.frag.id").unwrap(), "{what}");
            tally.fields += 3;
        }
        let Ok(chain) = p.ext_chain() else { continue };
        if !p.is_truncated() {
            tally.strict_ok += 1;
            reemit(&p, &f.ip, &what);
        }
        let src = p.src();
        let dst = p.final_destination().unwrap();
        let upper = chain.upper_payload();
        for (proto, key) in [(17u8, "udp.checksum.status"), (6, "tcp.checksum.status")] {
            let Some(status) = t.str(key) else { continue };
            let sum = checksum::pseudo_header_v6(&src, &dst, proto, upper.len() as u32);
            match status {
                "good" => assert!(checksum::verify_with(sum, upper), "{what}: {key}"),
                "bad" => assert!(!checksum::verify_with(sum, upper), "{what}: {key}"),
                _ => continue,
            }
            assert_eq!(chain.upper_layer().0, proto, "{what}");
            tally.checksums += 1;
        }
        if let Some(ty) = t.u64("icmpv6.type") {
            assert_eq!(chain.upper_layer(), IpProtocol::ICMPV6);
            check_icmpv6(upper, &src, &dst, t, &what, &mut tally);
            assert_eq!(ty, u64::from(upper[0]));
        }
    }
    tally
}

fn check_icmpv6(b: &[u8], src: &Ipv6Addr, dst: &Ipv6Addr, t: &Json, what: &str, tally: &mut Tally) {
    let m = match Icmpv6Message::parse(b) {
        Ok(m) => m,
        Err(e) => {
            assert!(is_bad(t), "{what}: {e}");
            tally.errors += 1;
            return;
        }
    };
    assert_eq!(u64::from(m.code().0), t.u64("icmpv6.code").unwrap(), "{what}");
    assert_eq!(u64::from(m.checksum()), t.u64("icmpv6.checksum").unwrap(), "{what}");
    tally.fields += 3;
    match t.str("icmpv6.checksum.status") {
        Some("good") => {
            assert!(m.verify_checksum(src, dst), "{what}: icmpv6 checksum");
            tally.checksums += 1;
        }
        Some("bad") => assert!(!m.verify_checksum(src, dst), "{what}"),
        _ => {}
    }
    if let Some(id) = t.u64("icmpv6.echo.identifier") {
        let (i, s) = m.echo().unwrap();
        assert_eq!(
            (u64::from(i), u64::from(s)),
            (id, t.u64("icmpv6.echo.sequence_number").unwrap())
        );
        tally.fields += 2;
    }
    if let Some(Ok(inner)) = m.invoking_packet() {
        tally.fields += check_ipv6(&inner, t, "icmpv6.inner.", what);
    }
    if (133..=137).contains(&m.msg_type().0) {
        check_ndp(b, t, what, tally);
    }
    if matches!(
        m.msg_type(),
        Icmpv6Type::MLD_QUERY | Icmpv6Type::MLD_REPORT | Icmpv6Type::MLD_DONE | Icmpv6Type::MLDV2_REPORT
    ) {
        let mld = MldMessage::parse(b).unwrap();
        let mut out = vec![0u8; b.len()];
        match mld {
            MldMessage::V1(h) => {
                h.emit(&mut out).unwrap();
            }
            MldMessage::Query(q) => {
                q.to_header().unwrap().emit(&mut out).unwrap();
            }
            MldMessage::Report(r) => {
                if let Some(n) = t.u64("icmpv6.mldr.nb_mcast_records") {
                    assert_eq!(u64::from(r.number_of_records()), n, "{what}");
                    assert_eq!(r.records().count() as u64, n);
                    tally.fields += 1;
                }
                r.to_header().unwrap().emit(&mut out).unwrap();
            }
        }
        assert_eq!(out, b, "{what}: MLD re-emitted");
    }
}

fn check_ndp(b: &[u8], t: &Json, what: &str, tally: &mut Tally) {
    let n = match NdpMessage::parse(b) {
        Ok(n) => n,
        Err(e) => {
            // Wireshark flags these as malformed too (short fixed part or
            // options).
            assert!(is_bad(t), "{what}: {e}");
            tally.errors += 1;
            return;
        }
    };
    assert!(!is_bad(t), "{what}: Wireshark says malformed, netspec accepted it");
    match n.body() {
        NdpBody::NeighborSolicitation { target, .. } | NdpBody::Redirect { target, .. } => {
            if let Some(a) = addr(t, "icmpv6.nd.target") {
                assert_eq!(target, a, "{what}");
                tally.fields += 1;
            }
        }
        NdpBody::NeighborAdvertisement { flags, target } => {
            if let Some(a) = addr(t, "icmpv6.nd.target") {
                assert_eq!(target, a, "{what}");
                tally.fields += 1;
            }
            use netspec::net::ndp::NaFlags;
            for (k, fl) in [
                ("r", NaFlags::ROUTER),
                ("s", NaFlags::SOLICITED),
                ("o", NaFlags::OVERRIDE),
            ] {
                if let Some(v) = t.u64(&format!("icmpv6.nd.na.flag.{k}")) {
                    assert_eq!(u64::from(flags.contains(fl)), v, "{what}: flag {k}");
                    tally.fields += 1;
                }
            }
        }
        _ => {}
    }
    if let Some(opts) = t.arr("icmpv6.opt") {
        let ours: Vec<NdpOption<'_>> = n.options().map(|o| o.unwrap()).collect();
        assert_eq!(ours.len(), opts.len(), "{what}: option count");
        for (o, j) in ours.iter().zip(opts) {
            assert_eq!(u64::from(o.kind().0), j.u64("type").unwrap(), "{what}");
            assert_eq!(o.len() as u64 / 8, j.u64("len").unwrap(), "{what}");
            if let (Some(l), NdpOption::SourceLinkLayerAddress(d) | NdpOption::TargetLinkLayerAddress(d)) =
                (j.str("linkaddr"), o)
            {
                assert_eq!(mac(d), l, "{what}");
            }
            if let (Some(pfx), NdpOption::PrefixInformation(pi)) = (addr(j, "prefix"), o) {
                assert_eq!(pi.prefix, pfx, "{what}");
                assert_eq!(u64::from(pi.prefix_length), j.u64("prefix_len").unwrap(), "{what}");
            }
            tally.fields += 2;
        }
    }
    let mut out = vec![0u8; b.len()];
    n.to_header().unwrap().emit(&mut out).unwrap();
    assert_eq!(out, b, "{what}: NDP re-emitted");
}

// --------------------------------------------------------------- tests --

fn run(rel: &str) -> Tally {
    let t = check_capture(rel);
    eprintln!("{rel}: {t:?}");
    assert!(t.frames > 0);
    t
}

#[test]
fn icmpv6_ra_mld() {
    let t = run("tcpdump/icmpv6.pcap");
    assert_eq!((t.frames, t.strict_ok, t.checksums), (5, 5, 5));
}

#[test]
fn ra_with_pref64_kept_raw() {
    let t = run("tcpdump/icmpv6-ra-pref64.pcap");
    assert_eq!(t.checksums, 4);
    let f = &frames("tcpdump/icmpv6-ra-pref64.pcap")[0];
    let p = Ipv6Packet::parse(&f.ip).unwrap();
    let n = NdpMessage::parse(p.payload()).unwrap();
    let last = n.options().last().unwrap().unwrap();
    assert!(matches!(last, NdpOption::Unknown { kind, data } if kind.0 == 38 && data.len() == 14));
    let NdpBody::RouterAdvertisement { router_lifetime, .. } = n.body() else {
        panic!("not an RA")
    };
    assert!(router_lifetime > 0);
}

#[test]
fn parameter_problem_quotes_fragment() {
    let t = run("tcpdump/icmpv6-rfc7112.pcap");
    assert_eq!(t.checksums, 1);
    let f = &frames("tcpdump/icmpv6-rfc7112.pcap")[0];
    let m = Icmpv6Message::parse(Ipv6Packet::parse(&f.ip).unwrap().payload()).unwrap();
    assert_eq!((m.msg_type(), m.code().0), (Icmpv6Type::PARAMETER_PROBLEM, 3));
    let inner = m.invoking_packet().unwrap().unwrap();
    assert_eq!(inner.next_header(), IpProtocol::IPV6_FRAG);
    let frag = inner.ext_chain().unwrap().fragment().unwrap();
    // RFC 7112's example: the first fragment carries only an IPv6 header.
    assert_eq!(frag.next_header, IpProtocol::IPV6);
}

#[test]
fn routing_header_type0_checksums_use_final_destination() {
    let t = run("tcpdump/ipv6-routing-header.pcap");
    assert_eq!(t.checksums, 4);
    for f in frames("tcpdump/ipv6-routing-header.pcap") {
        let p = Ipv6Packet::parse(&f.ip).unwrap();
        let c = p.ext_chain().unwrap();
        let r = c.routing().unwrap();
        assert_eq!(r.routing_type(), 0);
        assert!(r.segments_left() > 0);
        let fin = p.final_destination().unwrap();
        assert_ne!(fin, p.dst());
        assert_eq!(Some(fin), r.addresses().unwrap().next_back());
        // The checksum does not verify against the first-hop destination.
        let up = c.upper_payload();
        let proto = c.upper_layer().0;
        let wrong = checksum::pseudo_header_v6(&p.src(), &p.dst(), proto, up.len() as u32);
        assert!(!checksum::verify_with(wrong, up));
    }
}

#[test]
fn routing_header_out_of_bounds() {
    run("tcpdump/ipv6-rthdr-oobr.pcap");
    let f = &frames("tcpdump/ipv6-rthdr-oobr.pcap")[0];
    let e = Ipv6Packet::parse(&f.ip).unwrap_err();
    assert_eq!(e, Error::length_exceeds(Layer::Ipv6, "payload_length", 4, 12336, 5));
    let p = Ipv6Packet::parse_lax(&f.ip).unwrap();
    assert_eq!(
        p.ext_chain().unwrap_err(),
        Error::length_exceeds(Layer::Ipv6Ext, "hdr_ext_len", 41, 392, 5)
    );
}

#[test]
fn jumbogram() {
    let t = run("tcpdump/ipv6_jumbogram_1.pcap");
    assert_eq!((t.strict_ok, t.checksums), (1, 1));
    let f = &frames("tcpdump/ipv6_jumbogram_1.pcap")[0];
    let p = Ipv6Packet::parse(&f.ip).unwrap();
    assert_eq!(p.payload_length(), 0);
    assert_eq!(p.jumbo_payload_length(), Some((f.ip.len() - 40) as u32));
    assert!(p.payload().len() > 0xffff);
    assert!(p.trailer().is_empty());
}

#[test]
fn no_next_header() {
    run("tcpdump/ipv6_no_next_header.pcap");
    let f = &frames("tcpdump/ipv6_no_next_header.pcap")[0];
    let c = Ipv6Packet::parse(&f.ip).unwrap().ext_chain().unwrap();
    assert_eq!(
        (c.upper_layer(), c.upper_payload().len()),
        (IpProtocol::IPV6_NO_NEXT, 20)
    );
}

#[test]
fn bad_version() {
    let t = run("tcpdump/ipv6-bad-version.pcap");
    assert_eq!(t.errors, 2);
}

#[test]
fn truncated_fragment_header() {
    run("tcpdump/ip6_frag_asan.pcap");
    let f = &frames("tcpdump/ip6_frag_asan.pcap")[0];
    let p = Ipv6Packet::parse_lax(&f.ip).unwrap();
    let e = p.ext_chain().unwrap_err();
    assert_eq!((e.layer, e.field, e.offset), (Layer::Ipv6Ext, "hdr_ext_len", 41));
    assert!(matches!(e.kind, ErrorKind::LengthExceeds { value: 8, .. }));
}

#[test]
fn hop_by_hop_bad_option_length() {
    run("tcpdump/ipv6hdr-heapoverflow.pcap");
    let f = &frames("tcpdump/ipv6hdr-heapoverflow.pcap")[0];
    let p = Ipv6Packet::parse_lax(&f.ip).unwrap();
    let hbh = p.ext_headers().next().unwrap().unwrap();
    let mut opts = hbh.options().unwrap();
    // Option 0x30 claims 48 data bytes in an 8-byte header.
    assert_eq!(
        opts.next().unwrap().unwrap_err(),
        Error::length_exceeds(Layer::Ipv6Ext, "opt_data_len", 43, 48, 4)
    );
    assert!(opts.next().is_none());
}

#[test]
fn hbh_then_routing0_udp() {
    let t = run("zeek/ipv6-hbh-routing0.pcap");
    assert_eq!(t.checksums, 1);
}

#[test]
fn atomic_fragments_and_ext_headers_before_tcp() {
    let t = run("zeek/ipv6-http-atomic-frag.pcap");
    assert_eq!(t.strict_ok, t.frames);
    let atomic = frames("zeek/ipv6-http-atomic-frag.pcap")
        .iter()
        .filter_map(|f| Ipv6Packet::parse(&f.ip).unwrap().ext_chain().unwrap().fragment())
        .filter(|fr| fr.is_atomic())
        .count();
    assert!(atomic > 0);
}

#[test]
fn fragmented_dns() {
    let t = run("zeek/ipv6-fragmented-dns.pcap");
    assert_eq!(t.strict_ok, t.frames);
}

#[test]
fn nd_options() {
    let t = run("zeek/icmp_icmp6-nd-options.pcap");
    assert_eq!(t.checksums, t.frames);
}

#[test]
fn nd_short_options_rejected_like_wireshark() {
    let t = run("zeek/icmp_icmp6-nd-short-options.pcap");
    // Eight frames are malformed for Wireshark, and rejected by netspec.
    assert_eq!(t.errors, 8);
}

#[test]
fn redirect() {
    run("zeek/icmp_icmp6-redirect.pcap");
    let f = &frames("zeek/icmp_icmp6-redirect.pcap")[0];
    let n = NdpMessage::parse(Ipv6Packet::parse(&f.ip).unwrap().payload()).unwrap();
    let NdpBody::Redirect {
        target, destination, ..
    } = n.body()
    else {
        panic!("not a redirect")
    };
    assert_ne!(target, destination);
}

#[test]
fn extension_header_cut_by_capture() {
    run("zeek/trunc_ip6-ext-trunc.pcap");
    let f = &frames("zeek/trunc_ip6-ext-trunc.pcap")[0];
    assert_eq!(
        Ipv6Packet::parse(&f.ip).unwrap_err(),
        Error::length_exceeds(Layer::Ipv6, "payload_length", 4, 20, 0)
    );
    let p = Ipv6Packet::parse_lax(&f.ip).unwrap();
    assert_eq!(
        p.ext_chain().unwrap_err(),
        Error::truncated(Layer::Ipv6Ext, "hdr_ext_len", 40, 2, 0)
    );
}

#[test]
fn mobility_header_is_an_opaque_upper_layer() {
    run("tcpdump/ipv6-mobility-header-oobr.pcap");
    let f = &frames("tcpdump/ipv6-mobility-header-oobr.pcap")[0];
    let p = Ipv6Packet::parse_lax(&f.ip).unwrap();
    assert!(p.is_truncated());
    let c = p.ext_chain().unwrap();
    assert_eq!((c.count(), c.upper_payload().len()), (0, 7));
}

#[test]
fn truncated_mobile_prefix_message() {
    let t = run("tcpdump/icmp6_mobileprefix_asan.pcap");
    // The second record is empty and carries no IPv6.
    assert_eq!(t.frames, 1);
    let f = &frames("tcpdump/icmp6_mobileprefix_asan.pcap")[0];
    let p = Ipv6Packet::parse_lax(&f.ip).unwrap();
    // Six bytes of ICMPv6 survive: Wireshark reads type 147, code 147 and
    // the checksum; netspec wants the whole 8-byte header and says so.
    assert_eq!(p.payload()[..2], [147, 147]);
    assert_eq!(
        Icmpv6Message::parse(p.payload()).unwrap_err(),
        Error::truncated(Layer::Icmpv6, "header", 0, 8, 6)
    );
}

#[test]
fn linux_cooked_v2() {
    let t = run("zeek/linux_dlt_sll2.pcap");
    assert!(t.checksums >= 1);
}

#[test]
fn udp_and_tcp_checksums_over_ipv6() {
    let a = run("zeek/dns_naptr.pcap");
    let b = run("zeek/dns-edns-ecs.pcap");
    let c = run("zeek/dns-edns-ecs-bad.pcap");
    // Good and bad checksums alike agree with Wireshark.
    assert_eq!(a.checksums, 2);
    assert!(b.checksums >= 10);
    assert_eq!(c.checksums, 3);
}
