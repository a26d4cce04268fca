#![cfg(feature = "proptest")]
//! Properties of IPv6, its extension headers, ICMPv6, NDP and MLD.

mod common;

use common::proptest_config;
use netspec::net::icmpv6::{compute_checksum, fill_checksum};
use netspec::net::ipv6_ext::{Ipv6ExtHeader, Ipv6Extension, walk};
use netspec::net::ipv6_opt::{Ipv6OptionIter, Ipv6OptionsHeader};
use netspec::net::mld::MldMessage;
use netspec::net::ndp::{NdpMessage, NdpOptions};
use netspec::net::{Icmpv6Header, Icmpv6Message, IpProtocol, Ipv6Packet};
use netspec::strategy::ipv6::*;
use proptest::collection::vec;
use proptest::prelude::*;
use std::net::Ipv6Addr;

/// Call every parser and accessor on `b`; must never panic nor hang.
fn exercise(b: &[u8]) {
    for p in [Ipv6Packet::parse(b), Ipv6Packet::parse_lax(b)].into_iter().flatten() {
        let _ = (
            p.to_header(),
            p.payload(),
            p.trailer(),
            p.is_truncated(),
            p.final_destination(),
        );
        for h in p.ext_headers().flatten() {
            exercise_ext(&h);
        }
        if let Ok(c) = p.ext_chain() {
            let _ = (c.upper_layer(), c.upper_payload(), c.fragment());
            if c.upper_layer() == IpProtocol::ICMPV6 {
                exercise_icmp(c.upper_payload());
            }
        }
    }
    exercise_icmp(b);
    for first in [0u8, 43, 44, 51, 60] {
        if let Ok(c) = walk(IpProtocol(first), b, 0) {
            for h in c.headers().flatten() {
                exercise_ext(&h);
            }
        }
    }
    let _ = Ipv6OptionIter::new(b, 0).count();
}

fn exercise_ext(h: &Ipv6ExtHeader<'_>) {
    let _ = h.to_extension();
    if let Some(o) = h.options() {
        let _ = o.count();
    }
    if let Some(r) = h.routing() {
        let _ = (r.final_address(), r.addresses().map(|a| a.count()), r.srh_tag());
    }
    let _ = (h.fragment(), h.authentication());
}

fn exercise_icmp(b: &[u8]) {
    if let Ok(m) = Icmpv6Message::parse(b) {
        let _ = (m.to_header(), m.mtu(), m.pointer(), m.echo());
        let _ = m.verify_checksum(&Ipv6Addr::LOCALHOST, &Ipv6Addr::UNSPECIFIED);
        if let Some(Ok(p)) = m.invoking_packet() {
            let _ = (p.to_header(), p.ext_chain());
        }
    }
    if let Ok(n) = NdpMessage::parse(b) {
        let _ = (n.body(), n.to_header(), n.options().count());
        for o in n.options().flatten() {
            let _ = o.redirected_packet();
        }
    }
    match MldMessage::parse(b) {
        Ok(MldMessage::Query(q)) => {
            let _ = (q.to_header(), q.sources().count(), q.additional_data());
        }
        Ok(MldMessage::Report(r)) => {
            let _ = r.to_header();
            for rec in r.records().flatten() {
                let _ = (rec.sources().count(), rec.aux_data());
            }
        }
        _ => {}
    }
    let _ = NdpOptions::from_slice(b, netspec::Layer::Icmpv6, "x").map(|o| o.iter().count());
}

fn emit_ext(e: &Ipv6Extension) -> Vec<u8> {
    let mut b = vec![0u8; e.header_len()];
    assert_eq!(e.emit(&mut b).unwrap(), b.len());
    b
}

proptest! {
    #![proptest_config(proptest_config("prop_ipv6", 1024))]

    /// parse(emit(h)) == h for the fixed header, over every field value.
    #[test]
    fn ipv6_header_round_trip(h in ipv6_header()) {
        let mut b = [0u8; 40];
        prop_assert_eq!(h.emit(&mut b).unwrap(), 40);
        let p = Ipv6Packet::parse_lax(&b).unwrap();
        prop_assert_eq!(p.to_header(), h);
        prop_assert_eq!(p.version(), 6);
    }

    /// Strict parse of a header plus exactly its payload; any trailer is
    /// kept apart; a shorter buffer is an error and lax parse says truncated.
    #[test]
    fn payload_length_consistency(mut h in ipv6_header(), len in 0usize..300, trailer in vec(any::<u8>(), 0..16)) {
        h.payload_length = len as u16;
        h.next_header = IpProtocol::UDP;
        let mut b = vec![0u8; 40 + len];
        h.emit(&mut b).unwrap();
        b.extend_from_slice(&trailer);
        let p = Ipv6Packet::parse(&b).unwrap();
        prop_assert_eq!(p.payload().len(), len);
        prop_assert_eq!(p.trailer(), &trailer[..]);
        if len > 0 {
            let short = &b[..40 + len - 1];
            prop_assert!(Ipv6Packet::parse(short).is_err());
            let lax = Ipv6Packet::parse_lax(short).unwrap();
            prop_assert!(lax.is_truncated());
            prop_assert_eq!(lax.payload().len(), len - 1);
        }
    }

    /// parse(emit(e)) == e for every extension header kind.
    #[test]
    fn ext_header_round_trip(e in ipv6_extension()) {
        let b = emit_ext(&e);
        let c = walk(e.kind(), &b, 0).unwrap();
        prop_assert_eq!(c.count(), 1);
        prop_assert_eq!(c.upper_layer(), e.next_header());
        let h = c.headers().next().unwrap().unwrap();
        prop_assert_eq!(h.len(), b.len());
        prop_assert_eq!(h.to_extension(), e);
    }

    /// Typed options re-emitted one by one give the same options area:
    /// the typed view loses nothing, for every option kind.
    #[test]
    fn options_typed_round_trip(h in options_header()) {
        let mut again = Ipv6OptionsHeader { next_header: h.next_header, ..Default::default() };
        for o in h.iter() {
            again.push(o.unwrap()).unwrap();
        }
        prop_assert_eq!(again, h);
    }

    /// Chains of up to 16 headers in any order walk back to the same
    /// headers, upper layer, offset and payload.
    #[test]
    fn chain_round_trip(h in ipv6_header(), (chain, upper) in ext_chain(), data in vec(any::<u8>(), 0..32)) {
        let b = build_packet(h, &chain, upper, &data);
        let p = Ipv6Packet::parse(&b).unwrap();
        let c = p.ext_chain().unwrap();
        prop_assert_eq!(c.count(), chain.len());
        prop_assert_eq!(c.upper_layer(), upper);
        prop_assert_eq!(c.upper_payload(), &data[..]);
        prop_assert_eq!(40 + c.upper_offset() + data.len(), b.len());
        let back: Vec<Ipv6Extension> = c.headers().map(|x| x.unwrap().to_extension()).collect();
        prop_assert_eq!(back, chain);
    }

    /// emit(parse(b)) == b on canonical packets.
    #[test]
    fn packet_bytes_round_trip(b in ipv6_packet()) {
        let p = Ipv6Packet::parse(&b).unwrap();
        let mut out = vec![0u8; b.len()];
        let mut at = p.to_header().emit(&mut out).unwrap();
        let c = p.ext_chain().unwrap();
        for x in c.headers() {
            at += x.unwrap().to_extension().emit(&mut out[at..]).unwrap();
        }
        out[at..].copy_from_slice(c.upper_payload());
        prop_assert_eq!(out, b);
    }

    /// The final destination is the Routing header's final address while
    /// Segments Left > 0 (RFC 8200 §8.1), else the Destination Address.
    #[test]
    fn final_destination_rule(h in ipv6_header(), (chain, upper) in ext_chain()) {
        let b = build_packet(h, &chain, upper, &[]);
        let p = Ipv6Packet::parse(&b).unwrap();
        let expect = chain.iter().find_map(|e| match e {
            Ipv6Extension::Routing(r) => Some(r),
            _ => None,
        }).filter(|r| r.segments_left > 0).and_then(|r| r.final_address()).unwrap_or(h.dst);
        prop_assert_eq!(p.final_destination().unwrap(), expect);
    }

    /// More than 16 extension headers is LimitExceeded, never a hang.
    #[test]
    fn chain_limit(extra in 17usize..40) {
        let mut b = vec![0u8; extra * 8];
        for i in 0..extra {
            b[i * 8] = 60;
        }
        let e = walk(IpProtocol::IPV6_OPTS, &b, 0).unwrap_err();
        prop_assert_eq!(e.kind, netspec::ErrorKind::LimitExceeded { limit: 16 });
    }

    /// parse(emit(h)) == h for the ICMPv6 header.
    #[test]
    fn icmpv6_header_round_trip(h in icmpv6_header(), body in vec(any::<u8>(), 0..32)) {
        let mut b = vec![0u8; 8];
        h.emit(&mut b).unwrap();
        b.extend_from_slice(&body);
        let (back, rest) = Icmpv6Header::parse(&b).unwrap();
        prop_assert_eq!(back, h);
        prop_assert_eq!(rest, &body[..]);
    }

    /// emit(parse(b)) == b for fixed-size headers from arbitrary bytes:
    /// every bit pattern is canonical (reserved bits are kept).
    #[test]
    fn fixed_headers_keep_every_bit(mut b in proptest::array::uniform32(any::<u8>()), more in proptest::array::uniform8(any::<u8>())) {
        let mut ip = [0u8; 40];
        ip[..32].copy_from_slice(&b);
        ip[32..].copy_from_slice(&more);
        ip[0] = 0x60 | (ip[0] & 0x0f);
        let mut out = [0u8; 40];
        Ipv6Packet::parse_lax(&ip).unwrap().to_header().emit(&mut out).unwrap();
        prop_assert_eq!(out, ip);
        let mut out = [0u8; 8];
        Icmpv6Header::parse(&b).unwrap().0.emit(&mut out).unwrap();
        prop_assert_eq!(&out[..], &b[..8]);
        let (frag, _) = netspec::net::ipv6_ext::FragmentHeader::parse(&b).unwrap();
        frag.emit(&mut out).unwrap();
        prop_assert_eq!(&out[..], &b[..8]);
        b[0] = 131;
        let MldMessage::V1(h) = MldMessage::parse(&b[..24]).unwrap() else { panic!("not MLDv1") };
        let mut out = [0u8; 24];
        h.emit(&mut out).unwrap();
        prop_assert_eq!(&out[..], &b[..24]);
    }

    /// A filled checksum verifies; a single flipped bit never does, nor
    /// does another destination.
    #[test]
    fn icmpv6_checksum(h in icmpv6_header(), body in vec(any::<u8>(), 0..64), src in ipv6_addr(), dst in ipv6_addr(), bit in any::<prop::sample::Index>()) {
        let mut b = vec![0u8; 8];
        h.emit(&mut b).unwrap();
        b.extend_from_slice(&body);
        fill_checksum(&mut b, &src, &dst).unwrap();
        prop_assert!(Icmpv6Message::parse(&b).unwrap().verify_checksum(&src, &dst));
        prop_assert_eq!(compute_checksum(&b, &src, &dst).unwrap(), Icmpv6Message::parse(&b).unwrap().checksum());
        let i = bit.index(b.len() * 8);
        b[i / 8] ^= 1 << (i % 8);
        prop_assert!(!Icmpv6Message::parse(&b).unwrap().verify_checksum(&src, &dst));
    }

    /// Error messages give a lax view of the quoted (cut) packet, whose
    /// header is the original one.
    #[test]
    fn icmpv6_error_quotes(b in icmpv6_error()) {
        let m = Icmpv6Message::parse(&b).unwrap();
        let inner = m.invoking_packet().unwrap().unwrap();
        let orig = Ipv6Packet::parse_lax(&b[8..]).unwrap();
        prop_assert_eq!(inner.to_header(), orig.to_header());
        prop_assert_eq!(inner.payload(), &b[48..]);
    }

    /// parse(emit(r)) == r for NDP messages, options typed losslessly.
    #[test]
    fn ndp_round_trip(r in ndp_header()) {
        let mut b = vec![0u8; r.len()];
        prop_assert_eq!(r.emit(&mut b).unwrap(), b.len());
        let m = NdpMessage::parse(&b).unwrap();
        prop_assert_eq!(m.to_header().unwrap(), r);
        let mut again = NdpOptions::new();
        for o in m.options() {
            again.push(&o.unwrap()).unwrap();
        }
        prop_assert_eq!(again, r.options);
        let mut out = vec![0u8; b.len()];
        m.to_header().unwrap().emit(&mut out).unwrap();
        prop_assert_eq!(out, b);
    }

    /// parse(emit(h)) == h and emit(parse(b)) == b for MLDv1 messages.
    #[test]
    fn mld_v1_round_trip(h in mld_v1()) {
        let mut b = [0u8; 24];
        h.emit(&mut b).unwrap();
        prop_assert_eq!(MldMessage::parse(&b).unwrap(), MldMessage::V1(h));
    }

    /// parse(emit(q)) == q for MLDv2 queries.
    #[test]
    fn mld_v2_query_round_trip(q in mld_v2_query()) {
        let mut b = vec![0u8; q.header_len()];
        q.emit(&mut b).unwrap();
        let MldMessage::Query(v) = MldMessage::parse(&b).unwrap() else { panic!("not a query") };
        prop_assert_eq!(v.to_header().unwrap(), q);
        prop_assert_eq!(v.sources().count(), q.sources().count());
        let mut out = vec![0u8; b.len()];
        v.to_header().unwrap().emit(&mut out).unwrap();
        prop_assert_eq!(out, b);
    }

    /// parse(emit(r)) == r for MLDv2 reports.
    #[test]
    fn mld_v2_report_round_trip(r in mld_v2_report()) {
        let mut b = vec![0u8; r.header_len()];
        r.emit(&mut b).unwrap();
        let MldMessage::Report(v) = MldMessage::parse(&b).unwrap() else { panic!("not a report") };
        prop_assert_eq!(v.to_header().unwrap(), r);
        prop_assert_eq!(usize::from(v.number_of_records()), r.records().count());
        let mut out = vec![0u8; b.len()];
        v.to_header().unwrap().emit(&mut out).unwrap();
        prop_assert_eq!(out, b);
    }

}

proptest! {
    #![proptest_config(proptest_config("prop_ipv6", 4096))]

    /// Arbitrary bytes never panic any parser.
    #[test]
    fn arbitrary_bytes_never_panic(b in vec(any::<u8>(), 0..600)) {
        exercise(&b);
    }

    /// Arbitrary bytes behind a valid fixed header never panic.
    #[test]
    fn arbitrary_payload_never_panics(h in ipv6_header(), b in vec(any::<u8>(), 0..400)) {
        let mut buf = vec![0u8; 40];
        h.emit(&mut buf).unwrap();
        buf.extend_from_slice(&b);
        exercise(&buf);
    }

    /// Valid packets with one byte, word or the length changed never panic.
    #[test]
    fn mutated_packets_never_panic(b in mutated(ipv6_packet())) {
        exercise(&b);
    }

    /// Valid ICMPv6 errors, NDP and MLD messages mutated never panic.
    #[test]
    fn mutated_icmpv6_never_panics(
        e in mutated(icmpv6_error()),
        n in mutated(ndp_header().prop_map(|r| { let mut b = vec![0u8; r.len()]; r.emit(&mut b).unwrap(); b })),
        q in mutated(mld_v2_query().prop_map(|q| { let mut b = vec![0u8; q.header_len()]; q.emit(&mut b).unwrap(); b })),
        r in mutated(mld_v2_report().prop_map(|r| { let mut b = vec![0u8; r.header_len()]; r.emit(&mut b).unwrap(); b })),
    ) {
        exercise(&e);
        exercise(&n);
        exercise(&q);
        exercise(&r);
    }
}

proptest! {
    // Each case is a packet of more than 64 KiB: few cases suffice.
    #![proptest_config(proptest_config("prop_ipv6", 24))]

    /// Jumbograms (RFC 2675): the payload is the Jumbo Payload length; a
    /// cut buffer is an error in strict parse and truncated in lax parse.
    #[test]
    fn jumbogram_payload(b in jumbogram(), cut in 1usize..100) {
        let p = Ipv6Packet::parse(&b).unwrap();
        prop_assert_eq!(p.payload_length(), 0);
        prop_assert_eq!(p.jumbo_payload_length(), Some((b.len() - 40) as u32));
        prop_assert_eq!(p.payload().len(), b.len() - 40);
        let c = p.ext_chain().unwrap();
        prop_assert_eq!(c.upper_payload().len(), b.len() - 48);
        let short = &b[..b.len() - cut];
        let e = Ipv6Packet::parse(short).unwrap_err();
        prop_assert_eq!((e.field, e.offset), ("jumbo_payload_length", 44));
        prop_assert!(Ipv6Packet::parse_lax(short).unwrap().is_truncated());
    }
}
