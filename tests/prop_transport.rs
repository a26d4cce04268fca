#![cfg(feature = "proptest")]
//! Properties of the transport layer: TCP and UDP round trips, robustness
//! on arbitrary and mutated input, checksums, ports and flow keys.

mod common;

use core::net::{Ipv4Addr, Ipv6Addr};

use netspec::net::IpProtocol;
use netspec::strategy::transport::*;
use netspec::transport::port::{Port, check_service_name, service_port, services};
use netspec::transport::tcp::{self, TcpHeader, TcpSegment};
use netspec::transport::tcp_option::{TcpOption, TcpOptions};
use netspec::transport::udp::{self, UdpDatagram, UdpHeader};
use netspec::transport::{ChecksumStatus, FlowDirection};
use proptest::prelude::*;

use common::proptest_config;

/// Emit a header and its payload into one buffer.
fn tcp_bytes(h: &TcpHeader, payload: &[u8]) -> Vec<u8> {
    let mut b = vec![0u8; h.header_len() + payload.len()];
    let n = h.emit(&mut b).expect("room for the header");
    b[n..].copy_from_slice(payload);
    b
}

/// Every bit index of `len` bytes.
fn bits(len: usize) -> impl Iterator<Item = (usize, u8)> {
    (0..len).flat_map(|i| (0..8).map(move |k| (i, 1u8 << k)))
}

proptest! {
    #![proptest_config(proptest_config("prop_transport", 4096))]

    /// parse(emit(h)) == h for every header, all flags, reserved bits and
    /// option combinations; the payload comes back too.
    #[test]
    fn tcp_parse_emit_round_trip((h, payload) in tcp_header_and_payload()) {
        let b = tcp_bytes(&h, &payload);
        prop_assert_eq!(b.len(), h.header_len() + payload.len());
        prop_assert_eq!(h.header_len() % 4, 0);
        let seg = TcpSegment::parse(&b)?;
        prop_assert_eq!(seg.to_header(), h);
        prop_assert_eq!(seg.payload(), &payload[..]);
        prop_assert_eq!(usize::from(seg.data_offset()) * 4, h.header_len());
        prop_assert_eq!(seg.flags(), h.flags);
        prop_assert_eq!(seg.reserved(), h.reserved);
        let (back, rest) = TcpHeader::parse(&b)?;
        prop_assert_eq!(back, h);
        prop_assert_eq!(rest, &payload[..]);
    }

    /// emit(parse(b)) == b on valid segments; the options iterator sees
    /// the options that built the area and rebuilds it with `push`.
    #[test]
    fn tcp_emit_parse_bytes(b in tcp_segment()) {
        let seg = TcpSegment::parse(&b)?;
        let mut out = vec![0u8; seg.header_len()];
        prop_assert_eq!(seg.to_header().emit(&mut out)?, seg.header_len());
        prop_assert_eq!(&out[..], seg.header_bytes());
        // Rebuild up to the first EOL with push: same bytes.
        let mut rebuilt = TcpOptions::new();
        let mut eol_at = seg.options_bytes().len();
        let mut pos = 0;
        for o in seg.options() {
            if o == TcpOption::Eol {
                eol_at = pos;
                break;
            }
            pos += o.wire_len();
            rebuilt.push(o)?;
        }
        prop_assert_eq!(rebuilt.as_bytes(), &seg.options_bytes()[..eol_at]);
    }

    /// Arbitrary bytes never panic; whatever parses emits back exactly.
    #[test]
    fn tcp_arbitrary_bytes(b in proptest::collection::vec(any::<u8>(), 0..80)) {
        check_tcp_total(&b)?;
    }

    /// Valid segments with one byte or the data offset changed never
    /// panic; whatever still parses emits back exactly.
    #[test]
    fn tcp_mutated(b in tcp_segment_mutated()) {
        check_tcp_total(&b)?;
    }

    /// Any 0..=40 bytes as an options area: accepted areas are kept
    /// exactly and iterate in at most one item per byte; rejected ones
    /// name an option field and an offset inside the area.
    #[test]
    fn tcp_options_from_any_bytes(b in proptest::collection::vec(any::<u8>(), 0..=40)) {
        match TcpOptions::from_bytes(&b) {
            Ok(o) => {
                prop_assert_eq!(o.as_bytes(), &b[..]);
                prop_assert!(o.iter().count() <= b.len());
                let total: usize = o.iter().map(|x| x.wire_len().min(b.len())).sum();
                prop_assert!(total >= o.iter().count());
            }
            Err(e) => {
                prop_assert!(e.field.starts_with("option_"), "{}", e);
                prop_assert!(e.offset < b.len());
            }
        }
    }

    /// The typed getters agree with the iterator (first option of each
    /// kind), and equality is equality of the padded wire bytes.
    #[test]
    fn tcp_options_getters_and_equality(a in tcp_options(), b in tcp_options()) {
        let items: Vec<TcpOption<'_>> = a.iter().take_while(|o| *o != TcpOption::Eol).collect();
        let first = |f: &dyn Fn(&TcpOption<'_>) -> bool| items.iter().find(|o| f(o)).copied();
        prop_assert_eq!(a.mss().map(TcpOption::Mss), first(&|o| matches!(o, TcpOption::Mss(_))));
        prop_assert_eq!(a.window_scale().map(TcpOption::WindowScale), first(&|o| matches!(o, TcpOption::WindowScale(_))));
        prop_assert_eq!(a.sack_permitted(), items.contains(&TcpOption::SackPermitted));
        prop_assert_eq!(
            a.timestamps().map(|(val, ecr)| TcpOption::Timestamps { val, ecr }),
            first(&|o| matches!(o, TcpOption::Timestamps { .. }))
        );
        prop_assert_eq!(a.sack_blocks().map(TcpOption::Sack), first(&|o| matches!(o, TcpOption::Sack(_))));
        prop_assert_eq!(a == b, a.padded_bytes() == b.padded_bytes());
        prop_assert_eq!(a.padded_len() % 4, 0);
        prop_assert!(a.padded_bytes()[a.len()..].iter().all(|&x| x == 0));
    }

    /// UDP header round trip over the whole field space, length included.
    #[test]
    fn udp_parse_emit_round_trip(h in udp_header()) {
        let mut b = vec![0u8; usize::from(h.length)];
        prop_assert_eq!(h.emit(&mut b)?, 8);
        let (back, payload) = UdpHeader::parse(&b)?;
        prop_assert_eq!(back, h);
        prop_assert_eq!(payload.len(), usize::from(h.length) - 8);
    }

    /// emit(parse(b)) == b; payload and trailer split where length says.
    #[test]
    fn udp_emit_parse_bytes((h, payload, trailer) in udp_datagram()) {
        let mut b = vec![0u8; 8];
        h.emit(&mut b)?;
        b.extend_from_slice(&payload);
        b.extend_from_slice(&trailer);
        let d = UdpDatagram::parse(&b)?;
        prop_assert_eq!(d.to_header(), h);
        prop_assert_eq!(d.payload(), &payload[..]);
        prop_assert_eq!(d.trailer(), &trailer[..]);
        let mut out = [0u8; 8];
        d.to_header().emit(&mut out)?;
        prop_assert_eq!(&out[..], d.header_bytes());
    }

    /// Arbitrary and mutated datagrams never panic; the pieces add up.
    #[test]
    fn udp_arbitrary_and_mutated(
        a in proptest::collection::vec(any::<u8>(), 0..40),
        m in udp_datagram_mutated(),
    ) {
        for b in [&a, &m] {
            if let Ok(d) = UdpDatagram::parse(b) {
                prop_assert!(!d.is_truncated());
                prop_assert_eq!(8 + d.payload().len() + d.trailer().len(), b.len());
                prop_assert_eq!(8 + d.payload().len(), usize::from(d.length()));
            }
            if let Ok(d) = UdpDatagram::parse_lax(b) {
                prop_assert_eq!(8 + d.payload().len() + d.trailer().len(), b.len());
                prop_assert_eq!(d.is_truncated(), usize::from(d.length()) > b.len());
                prop_assert!(UdpDatagram::parse(b).is_ok() != d.is_truncated());
            }
        }
    }

    /// Flow keys: both directions share one canonical key, with opposite
    /// directions; canonicalising is idempotent.
    #[test]
    fn flow_key_normalisation(k in flow_key()) {
        let (c, d) = k.canonical();
        let (cr, dr) = k.reversed().canonical();
        prop_assert_eq!(c, cr);
        prop_assert!(c.is_canonical());
        prop_assert_eq!(c.canonical(), (c, FlowDirection::Forward));
        if k == k.reversed() {
            prop_assert_eq!((d, dr), (FlowDirection::Forward, FlowDirection::Forward));
        } else {
            prop_assert_ne!(d, dr);
        }
        let back = if d == FlowDirection::Forward { c } else { c.reversed() };
        prop_assert_eq!(back, k);
    }

    /// Every name of the RFC 6335 §5.1 shape passes the syntax check, and
    /// breaking it (a bad character, a doubled or edge hyphen, too long)
    /// fails it.
    #[test]
    fn service_name_syntax(name in service_name(), bad in "[^a-zA-Z0-9-]", at in any::<prop::sample::Index>()) {
        prop_assert_eq!(check_service_name(&name), Ok(()));
        let i = at.index(name.len() + 1);
        let broken = format!("{}{}{}", &name[..i], bad, &name[i..]);
        prop_assert!(check_service_name(&broken).is_err());
        let edge = [format!("-{name}"), format!("{name}-"), format!("{name}--x"), format!("{name}{}", "x".repeat(16 - name.len()))];
        for bad in &edge {
            prop_assert!(check_service_name(bad).is_err(), "{} accepted", bad);
        }
    }
}

proptest! {
    #![proptest_config(proptest_config("prop_transport_checksum", 1024))]

    /// TCP over IPv4: verify(fill(x)) holds and every single-bit flip of
    /// the covered bytes (pseudo-header addresses, header, data) is caught.
    #[test]
    fn tcp_checksum_v4(mut b in tcp_segment(), src in ipv4_addr(), dst in ipv4_addr()) {
        tcp::fill_checksum_v4(&mut b, src, dst)?;
        prop_assert!(TcpSegment::parse(&b)?.verify_checksum_v4(src, dst));
        for (i, m) in bits(b.len()) {
            b[i] ^= m;
            let ok = TcpSegment::parse(&b).is_ok_and(|s| s.verify_checksum_v4(src, dst));
            b[i] ^= m;
            prop_assert!(!ok, "flip of byte {} bit {:#x} undetected", i, m);
        }
        for (i, m) in bits(8) {
            let mut a = [src.octets(), dst.octets()].concat();
            a[i] ^= m;
            let s = Ipv4Addr::new(a[0], a[1], a[2], a[3]);
            let d = Ipv4Addr::new(a[4], a[5], a[6], a[7]);
            prop_assert!(!TcpSegment::parse(&b)?.verify_checksum_v4(s, d));
        }
    }

    /// TCP over IPv6, the same.
    #[test]
    fn tcp_checksum_v6(mut b in tcp_segment(), src in ipv6_addr(), dst in ipv6_addr()) {
        tcp::fill_checksum_v6(&mut b, &src, &dst)?;
        prop_assert!(TcpSegment::parse(&b)?.verify_checksum_v6(&src, &dst));
        for (i, m) in bits(b.len()) {
            b[i] ^= m;
            let ok = TcpSegment::parse(&b).is_ok_and(|s| s.verify_checksum_v6(&src, &dst));
            b[i] ^= m;
            prop_assert!(!ok, "flip of byte {} bit {:#x} undetected", i, m);
        }
        for (i, m) in bits(32) {
            let mut a = [src.octets(), dst.octets()].concat();
            a[i] ^= m;
            let s = Ipv6Addr::from(<[u8; 16]>::try_from(&a[..16]).unwrap());
            let d = Ipv6Addr::from(<[u8; 16]>::try_from(&a[16..]).unwrap());
            prop_assert!(!TcpSegment::parse(&b)?.verify_checksum_v6(&s, &d));
        }
    }

    /// UDP over IPv4: fill never stores 0 (RFC 768), verifies, and every
    /// bit flip is caught. The length field is special: the UDP length is
    /// not only summed but also says which bytes are covered; a flip that
    /// shrinks it leaves bytes outside the datagram (a trailer that no
    /// longer matches the IP payload length), one that grows it fails the
    /// strict parse. Either way the datagram is rejected.
    #[test]
    fn udp_checksum_v4((h, payload, _) in udp_datagram(), src in ipv4_addr(), dst in ipv4_addr()) {
        let mut b = vec![0u8; 8];
        h.emit(&mut b)?;
        b.extend_from_slice(&payload);
        let c = udp::fill_checksum_v4(&mut b, src, dst)?;
        prop_assert_ne!(c, 0);
        prop_assert_eq!(UdpDatagram::parse(&b)?.checksum_status_v4(src, dst), ChecksumStatus::Good);
        for (i, m) in bits(b.len()) {
            b[i] ^= m;
            let ok = UdpDatagram::parse(&b)
                .is_ok_and(|d| d.trailer().is_empty() && d.verify_checksum_v4(src, dst));
            b[i] ^= m;
            prop_assert!(!ok, "flip of byte {} bit {:#x} undetected", i, m);
        }
        for (i, m) in bits(8) {
            let mut a = [src.octets(), dst.octets()].concat();
            a[i] ^= m;
            let s = Ipv4Addr::new(a[0], a[1], a[2], a[3]);
            let d = Ipv4Addr::new(a[4], a[5], a[6], a[7]);
            prop_assert!(!UdpDatagram::parse(&b)?.verify_checksum_v4(s, d));
        }
        // Zero checksum field: "not present" over IPv4, invalid over IPv6.
        b[6] = 0;
        b[7] = 0;
        let d = UdpDatagram::parse(&b)?;
        prop_assert_eq!(d.checksum_status_v4(src, dst), ChecksumStatus::NotPresent);
        prop_assert_eq!(
            d.checksum_status_v6(&Ipv6Addr::LOCALHOST, &Ipv6Addr::LOCALHOST),
            ChecksumStatus::ZeroInvalid
        );
    }

    /// UDP over IPv6, the same.
    #[test]
    fn udp_checksum_v6((h, payload, _) in udp_datagram(), src in ipv6_addr(), dst in ipv6_addr()) {
        let mut b = vec![0u8; 8];
        h.emit(&mut b)?;
        b.extend_from_slice(&payload);
        let c = udp::fill_checksum_v6(&mut b, &src, &dst)?;
        prop_assert_ne!(c, 0);
        prop_assert_eq!(UdpDatagram::parse(&b)?.checksum_status_v6(&src, &dst), ChecksumStatus::Good);
        for (i, m) in bits(b.len()) {
            b[i] ^= m;
            let ok = UdpDatagram::parse(&b)
                .is_ok_and(|d| d.trailer().is_empty() && d.verify_checksum_v6(&src, &dst));
            b[i] ^= m;
            prop_assert!(!ok, "flip of byte {} bit {:#x} undetected", i, m);
        }
        for (i, m) in bits(32) {
            let mut a = [src.octets(), dst.octets()].concat();
            a[i] ^= m;
            let s = Ipv6Addr::from(<[u8; 16]>::try_from(&a[..16]).unwrap());
            let d = Ipv6Addr::from(<[u8; 16]>::try_from(&a[16..]).unwrap());
            prop_assert!(!UdpDatagram::parse(&b)?.verify_checksum_v6(&s, &d));
        }
    }
}

/// Parse without panicking; on success every accessor works, the options
/// iterate in at most one item per byte, and the header emits back to the
/// exact input bytes.
fn check_tcp_total(b: &[u8]) -> Result<(), TestCaseError> {
    match TcpSegment::parse(b) {
        Ok(seg) => {
            prop_assert!(seg.header_len() >= 20 && seg.header_len() <= b.len());
            prop_assert!(seg.options().count() <= seg.options_bytes().len());
            let h = seg.to_header();
            let mut out = vec![0u8; h.header_len()];
            h.emit(&mut out)?;
            prop_assert_eq!(&out[..], seg.header_bytes());
            prop_assert_eq!(seg.header_bytes().len() + seg.payload().len(), b.len());
        }
        Err(e) => {
            prop_assert_eq!(e.layer, netspec::Layer::Tcp);
            prop_assert!(e.offset < b.len().max(1) || e.field == "data_offset");
        }
    }
    Ok(())
}

/// Exhaustive over all 65536 ports: the RFC 6335 §6 ranges.
#[test]
fn port_ranges_exhaustive() {
    use netspec::transport::PortRange;
    for p in 0..=u16::MAX {
        let want = if p <= 1023 {
            PortRange::System
        } else if p <= 49151 {
            PortRange::User
        } else {
            PortRange::Dynamic
        };
        assert_eq!(Port(p).range(), want);
    }
}

/// Every table row answers both lookups: its port names a service for
/// each protocol it lists, and its name leads back to a port with that
/// name (names can map to two ports, e.g. per protocol).
#[test]
fn service_table_lookups_agree() {
    let mut checked = 0;
    for s in services() {
        for p in [IpProtocol::TCP, IpProtocol::UDP] {
            let flag = netspec::transport::port::ServiceProtocols::from_ip_protocol(p).unwrap();
            if !s.protocols.contains(flag) {
                continue;
            }
            assert!(Port(s.port).service(p).is_some());
            let port = service_port(s.name, p).expect("name resolves");
            assert!(
                services()
                    .iter()
                    .any(|t| t.port == port.0 && t.name == s.name && t.protocols.contains(flag))
            );
            checked += 1;
        }
        assert!(s.port <= 49151);
    }
    assert!(checked > 300, "{checked}");
}

/// The option strategy reaches every option kind netspec decodes, unknown
/// kinds, EOL padding and junk after EOL (a deterministic run).
#[test]
fn option_strategy_covers_every_kind() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut seen = std::collections::BTreeSet::new();
    let mut junk_after_eol = false;
    for _ in 0..2000 {
        let o = tcp_options().new_tree(&mut runner).unwrap().current();
        let mut after_eol = false;
        for x in o.iter() {
            match x {
                TcpOption::Unknown { data: &[], .. } if after_eol => junk_after_eol = true,
                TcpOption::Unknown { .. } => {
                    seen.insert(-1);
                }
                _ => {
                    seen.insert(i32::from(x.kind().0));
                }
            }
            after_eol |= x == TcpOption::Eol;
        }
    }
    let want = [-1, 0, 1, 2, 3, 4, 5, 8, 19, 28, 29, 30, 34, 253, 254];
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), want);
    assert!(junk_after_eol);
}
