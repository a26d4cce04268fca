//! Properties of IPv4 (RFC 791) with its options, and ICMPv4 (RFC 792).
#![cfg(feature = "proptest")]

mod common;

use common::proptest_config;
use netspec::net::ipv4_option::Ipv4OptionIter;
use netspec::net::{Icmpv4Header, Icmpv4Message, Ipv4Header, Ipv4Packet};
use netspec::strategy::ipv4::*;
use netspec::strategy::link::{one_byte_changed, truncated, u16_field_changed};
use netspec::{Error, ErrorKind, Layer};
use proptest::collection::vec;
use proptest::prelude::*;

fn emit_packet(h: &Ipv4Header, payload: &[u8]) -> Vec<u8> {
    let mut b = vec![0u8; h.header_len()];
    h.emit(&mut b).unwrap();
    b.extend_from_slice(payload);
    b
}

/// Touch every accessor of the IPv4 view and of an ICMP message inside it.
fn walk(buf: &[u8]) {
    for p in [Ipv4Packet::parse(buf), Ipv4Packet::parse_lax(buf)]
        .into_iter()
        .flatten()
    {
        let _ = (
            p.dscp(),
            p.ecn(),
            p.flags(),
            p.fragment_offset_bytes(),
            p.ttl(),
            p.protocol(),
        );
        let _ = (
            p.src(),
            p.dst(),
            p.verify_checksum(),
            p.compute_checksum(),
            p.to_header(),
        );
        assert!(p.options().all(|o| o.is_ok()));
        assert_eq!(p.header_len() + p.payload().len() + p.trailer().len(), buf.len());
        assert_eq!(p.is_truncated(), p.missing_bytes() > 0);
        walk_icmp(p.payload());
    }
    walk_icmp(buf);
}

fn walk_icmp(buf: &[u8]) {
    if let Ok(m) = Icmpv4Message::parse(buf) {
        let _ = (m.body(), m.ident(), m.seq(), m.next_hop_mtu(), m.gateway(), m.pointer());
        let _ = (
            m.verify_checksum(),
            m.compute_checksum(),
            m.to_header(),
            m.quoted_transport(),
        );
        if let Some(Ok(q)) = m.quoted_packet() {
            assert!(q.header_len() + q.payload().len() <= m.data().len());
        }
    }
}

proptest! {
    #![proptest_config(proptest_config("prop_ipv4", 1024))]

    /// parse(emit(h)) == h over every field, all option kinds, and Total
    /// Lengths up to 65535.
    #[test]
    fn ipv4_header_round_trip((h, payload) in ipv4_packet()) {
        let b = emit_packet(&h, &payload);
        let (h2, p2) = Ipv4Header::parse(&b).unwrap();
        prop_assert_eq!(h2, h);
        prop_assert_eq!(p2, &payload[..]);
        let v = Ipv4Packet::parse(&b).unwrap();
        prop_assert_eq!(v.ihl(), h.ihl());
        prop_assert!(v.trailer().is_empty());
    }

    /// emit(parse(b)) == b on canonical datagrams (valid checksum), and the
    /// padding lands in the trailer, not the payload.
    #[test]
    fn ipv4_bytes_round_trip((b, pad) in ipv4_datagram_bytes()) {
        let p = Ipv4Packet::parse(&b).unwrap();
        prop_assert!(p.verify_checksum());
        prop_assert_eq!(p.compute_checksum(), p.checksum());
        prop_assert_eq!(p.trailer().len(), pad);
        let mut out = vec![0u8; p.header_len()];
        p.to_header().emit(&mut out).unwrap();
        prop_assert_eq!(&out[..], p.header_bytes());
    }

    /// emit(parse(b)) == b also for every header that parses out of noise
    /// or a damaged datagram: no bit is lost in the owned header.
    #[test]
    fn ipv4_any_parsed_header_reemits(
        b in prop_oneof![
            ipv4_like_bytes(),
            ipv4_datagram_bytes().prop_flat_map(|(b, _)| one_byte_changed(b)),
        ]
    ) {
        if let Ok(p) = Ipv4Packet::parse_lax(&b) {
            let mut out = vec![0u8; p.header_len()];
            p.to_header().emit(&mut out).unwrap();
            prop_assert_eq!(&out[..], p.header_bytes());
        }
    }

    /// Every single-bit error in a header is caught by the checksum
    /// (RFC 1071: a one-bit change alters the sum by a power of two).
    #[test]
    fn ipv4_checksum_catches_one_bit((b, _) in ipv4_datagram_bytes(), bit in 0usize..480) {
        let mut b = b;
        let hl = usize::from(b[0] & 0x0f) * 4;
        let bit = bit % (hl * 8);
        b[bit / 8] ^= 0x80 >> (bit % 8);
        if let Ok(p) = Ipv4Packet::parse_lax(&b) {
            prop_assert!(!p.verify_checksum());
        }
    }

    /// Cutting a datagram inside its payload: strict parse fails with the
    /// exact total_length error, lax parse keeps the prefix and counts the
    /// missing bytes.
    #[test]
    fn ipv4_strict_and_lax_truncation((b, pad) in ipv4_datagram_bytes(), cut in any::<prop::sample::Index>()) {
        let hl = usize::from(b[0] & 0x0f) * 4;
        let total = b.len() - pad;
        prop_assume!(total > hl);
        let k = hl + cut.index(total - hl);
        let e = Ipv4Packet::parse(&b[..k]).unwrap_err();
        prop_assert_eq!(e, Error::length_exceeds(Layer::Ipv4, "total_length", 2, total, k));
        let p = Ipv4Packet::parse_lax(&b[..k]).unwrap();
        prop_assert_eq!(p.missing_bytes(), total - k);
        prop_assert_eq!(p.payload(), &b[hl..k]);
    }

    /// A lying IHL or Total Length gives the error the definition predicts.
    #[test]
    fn ipv4_length_fields_mutated((b, pad) in ipv4_datagram_bytes(), ihl in 0u8..16, total in any::<u16>(), which in 0..2) {
        let mut b = b;
        let orig_hl = usize::from(b[0] & 0x0f) * 4;
        let (hl, t) = if which == 0 {
            b[0] = 0x40 | ihl;
            (usize::from(ihl) * 4, b.len() - pad)
        } else {
            b[2..4].copy_from_slice(&total.to_be_bytes());
            (orig_hl, usize::from(total))
        };
        let r = Ipv4Packet::parse(&b);
        if hl < 20 {
            prop_assert_eq!(r.unwrap_err(), Error::length_too_small(Layer::Ipv4, "ihl", 0, hl / 4, 5));
        } else if hl > b.len() {
            prop_assert_eq!(r.unwrap_err(), Error::length_exceeds(Layer::Ipv4, "ihl", 0, hl, b.len()));
        } else if t < hl {
            prop_assert_eq!(r.unwrap_err(), Error::length_too_small(Layer::Ipv4, "total_length", 2, t, hl));
        } else if hl == orig_hl && t > b.len() {
            prop_assert_eq!(r.unwrap_err(), Error::length_exceeds(Layer::Ipv4, "total_length", 2, t, b.len()));
        } else if hl == orig_hl {
            let p = r.unwrap();
            prop_assert_eq!(p.payload().len(), t - hl);
            prop_assert_eq!(p.trailer().len(), b.len() - t);
        }
    }

    /// Header emitters never truncate.
    #[test]
    fn ipv4_emit_never_truncates(h in ipv4_header(), short in 0usize..60) {
        let n = h.header_len();
        let size = short.min(n - 1);
        let mut b = vec![0x5au8; size];
        prop_assert_eq!(h.emit(&mut b).unwrap_err().kind, ErrorKind::BufferTooSmall { needed: n, available: size });
        prop_assert!(b.iter().all(|&x| x == 0x5a));
    }

    /// One typed option reads back as itself and re-emits to its bytes.
    #[test]
    fn ipv4_option_round_trip(o in ipv4_option_bytes()) {
        let mut it = Ipv4OptionIter::new(&o);
        let opt = it.next().unwrap().unwrap();
        prop_assert_eq!(opt.wire_len(), o.len());
        let mut out = vec![0u8; o.len()];
        prop_assert_eq!(opt.emit(&mut out), Ok(o.len()));
        prop_assert_eq!(&out, &o);
        prop_assert!(it.next().is_none());
    }

    /// The option walk terminates, stays inside its input, yields at most
    /// one error and nothing after it.
    #[test]
    fn ipv4_option_walk_is_bounded(b in vec(any::<u8>(), 0..=40)) {
        let mut used = 0;
        let mut items = 0;
        let mut failed = false;
        for o in Ipv4OptionIter::new(&b) {
            prop_assert!(!failed);
            items += 1;
            match o {
                Ok(o) => used += o.wire_len(),
                Err(e) => {
                    prop_assert!(e.offset >= 20 && e.offset <= 20 + b.len());
                    failed = true;
                }
            }
        }
        prop_assert!(items <= b.len() && used <= b.len());
    }

    /// parse(emit(h)) == h for ICMPv4 headers of every type.
    #[test]
    fn icmpv4_round_trip((h, data) in icmpv4_message()) {
        let mut b = vec![0u8; 8];
        prop_assert_eq!(h.emit(&mut b), Ok(8));
        b.extend_from_slice(&data);
        prop_assert_eq!(Icmpv4Header::parse(&b).unwrap(), (h, &data[..]));
        let m = Icmpv4Message::parse(&b).unwrap();
        prop_assert_eq!(m.header_bytes(), &b[..8]);
    }

    /// The checksum covers the whole message: fill, verify, then any
    /// one-bit change is caught.
    #[test]
    fn icmpv4_checksum((h, data) in icmpv4_message(), bit in any::<prop::sample::Index>()) {
        let mut h = h;
        h.fill_checksum(&data);
        let mut b = vec![0u8; 8];
        h.emit(&mut b).unwrap();
        b.extend_from_slice(&data);
        let m = Icmpv4Message::parse(&b).unwrap();
        prop_assert!(m.verify_checksum());
        prop_assert_eq!(m.compute_checksum(), h.checksum);
        let bit = bit.index(b.len() * 8);
        b[bit / 8] ^= 0x80 >> (bit % 8);
        if let Ok(m) = Icmpv4Message::parse(&b) {
            prop_assert!(!m.verify_checksum());
        }
    }

    /// An error's quoted datagram reads back (lax) as the original header
    /// with its first 8 payload bytes.
    #[test]
    fn icmpv4_error_quotes((b, dgram) in icmpv4_error_bytes()) {
        let m = Icmpv4Message::parse(&b).unwrap();
        prop_assert!(m.verify_checksum());
        let q = m.quoted_packet().unwrap().unwrap();
        let orig = Ipv4Packet::parse(&dgram).unwrap();
        prop_assert_eq!(q.to_header(), orig.to_header());
        prop_assert_eq!(q.missing_bytes(), orig.payload().len().saturating_sub(8));
        let n = orig.payload().len().min(8);
        prop_assert_eq!(m.quoted_transport().unwrap(), &orig.payload()[..n]);
    }
}

// The no-panic properties are cheap: run more cases.
proptest! {
    #![proptest_config(proptest_config("prop_ipv4", 4096))]

    /// No panic, consistent slices, on arbitrary and header-shaped bytes.
    #[test]
    fn no_panic_on_arbitrary_bytes(b in prop_oneof![vec(any::<u8>(), 0..100), ipv4_like_bytes()]) {
        walk(&b);
    }

    /// No panic on valid datagrams and ICMP errors with one byte changed,
    /// cut short, or a length field overwritten.
    #[test]
    fn no_panic_on_mutated_packets(
        b in prop_oneof![
            ipv4_datagram_bytes().prop_map(|(b, _)| b),
            icmpv4_error_bytes().prop_map(|(b, _)| b),
        ]
        .prop_flat_map(|b| prop_oneof![
            one_byte_changed(b.clone()),
            truncated(b.clone()),
            u16_field_changed(b.clone(), 2),
            u16_field_changed(b.clone(), 8 + 2),
        ])
    ) {
        walk(&b);
    }
}
