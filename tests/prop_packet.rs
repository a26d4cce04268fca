#![cfg(feature = "proptest")]
//! Properties of whole packets: build → parse gives the parameters back,
//! the layered view never panics and stays consistent on arbitrary and
//! damaged input, every checksum verifies what it computed and catches
//! every single-bit flip, and in-place edits keep every checksum equal to
//! a full recompute.

mod common;

use netspec::build::{BuildParams, IpParams, TransportParams};
use netspec::edit::{Edit, PacketMut};
use netspec::net::IpProtocol;
use netspec::packet::{Network, Packet, StackLayer, Transport};
use netspec::strategy::packet::*;
use netspec::transport::ChecksumStatus;
use proptest::collection::vec;
use proptest::prelude::*;

use common::proptest_config;

/// The structural promises of a [`Packet`], whatever the input.
fn consistent(p: &Packet<'_>, buf: &[u8]) -> Result<(), TestCaseError> {
    let at = p.payload_offset();
    prop_assert!(at + p.payload.len() <= buf.len());
    prop_assert_eq!(p.payload, &buf[at..at + p.payload.len()]);
    if let Some(e) = p.error {
        prop_assert!(e.error.offset <= buf.len() + 65536);
        match e.layer {
            StackLayer::Link => prop_assert!(p.link.is_none() && p.network.is_none()),
            StackLayer::Network => prop_assert!(p.transport.is_none()),
            StackLayer::Transport => prop_assert!(p.network.is_some() || p.link.is_none()),
        }
        prop_assert!(p.transport.is_none());
    }
    if let Some(t) = p.transport_offset() {
        prop_assert!(t <= buf.len());
        prop_assert!(p.network_offset().unwrap_or(0) <= t);
    }
    Ok(())
}

/// Every checksum the packet has is good (IPv6 has none in its header).
fn all_good(p: &Packet<'_>) -> bool {
    let r = p.verify_checksums();
    let net_ok = match p.network {
        Some(Network::Ipv4(_)) => r.network == ChecksumStatus::Good,
        _ => r.network == ChecksumStatus::NotPresent,
    };
    p.error.is_none() && net_ok && r.transport == ChecksumStatus::Good
}

/// True if `e` reads back from the parsed packet.
fn reads_back(p: &Packet<'_>, e: Edit) -> bool {
    let tcp = p.tcp();
    let ports = match p.transport {
        Some(Transport::Tcp(s)) => Some((s.src_port(), s.dst_port())),
        Some(Transport::Udp(d)) => Some((d.src_port(), d.dst_port())),
        _ => None,
    };
    let (ttl, dscp, ecn) = match p.network {
        Some(Network::Ipv4(ip)) => (ip.ttl(), ip.dscp(), ip.ecn()),
        Some(Network::Ipv6(ip)) => (ip.hop_limit(), ip.dscp(), ip.ecn()),
        _ => return false,
    };
    let link = p.link;
    match e {
        Edit::SrcMac(m) => link.is_some_and(|f| f.src() == m),
        Edit::DstMac(m) => link.is_some_and(|f| f.dst() == m),
        Edit::SrcIp(a) => p.ip_addrs().is_some_and(|(s, _)| s == a),
        Edit::DstIp(a) => p.ip_addrs().is_some_and(|(_, d)| d == a),
        Edit::Ttl(t) => ttl == t,
        Edit::Dscp(d) => dscp == d,
        Edit::Ecn(c) => ecn == c,
        Edit::SrcPort(v) => ports.is_some_and(|(s, _)| s == v),
        Edit::DstPort(v) => ports.is_some_and(|(_, d)| d == v),
        Edit::Seq(v) => tcp.is_some_and(|s| s.seq() == v),
        Edit::Ack(v) => tcp.is_some_and(|s| s.ack() == v),
        Edit::Flags(f) => tcp.is_some_and(|s| s.flags() == f),
        Edit::Window(w) => tcp.is_some_and(|s| s.window() == w),
    }
}

proptest! {
    #![proptest_config(proptest_config("prop_packet", 2048))]

    /// build(params) then parse gives params (and the payload) back, for
    /// Ethernet frames and raw IP packets, with every checksum good and
    /// the length the builder announced.
    #[test]
    fn build_then_parse_gives_params_back((params, data, frame) in built_packet(true)) {
        prop_assert_eq!(frame.len(), params.frame_len(data.len())?);
        let p = Packet::from_ethernet(&frame);
        prop_assert_eq!(p.error, None);
        prop_assert!(all_good(&p));
        prop_assert_eq!(BuildParams::from_packet(&p), Some((params, &data[..])));
        // Headers: protocol numbers and lengths as the RFCs define them.
        match (p.network, params.ip) {
            (Some(Network::Ipv4(ip)), IpParams::V4(_)) => {
                prop_assert_eq!(usize::from(ip.total_length()), frame.len() - p.network_offset().unwrap_or(0));
                prop_assert_eq!(ip.protocol(), params.protocol());
            }
            (Some(Network::Ipv6(ip)), IpParams::V6(_)) => {
                prop_assert_eq!(usize::from(ip.payload_length()), frame.len() - p.network_offset().unwrap_or(0) - 40);
                prop_assert_eq!(ip.next_header(), params.protocol());
            }
            other => prop_assert!(false, "wrong network layer {:?}", other),
        }
    }

    /// The raw-IP entry point sees the same layers as the Ethernet one.
    #[test]
    fn raw_ip_round_trip_and_entry_points_agree((params, data, ip) in built_packet(false)) {
        let p = Packet::from_ip(&ip);
        prop_assert!(all_good(&p));
        prop_assert_eq!(BuildParams::from_packet(&p), Some((params, &data[..])));
        let from_t = Packet::from_transport(params.protocol(), &ip[p.transport_offset().unwrap_or(0)..]);
        prop_assert_eq!(from_t.transport, p.transport);
        prop_assert_eq!(from_t.payload, p.payload);
    }

    /// Arbitrary bytes through every entry point: no panic, and the view
    /// is consistent (payload inside the buffer, nothing above an error).
    #[test]
    fn arbitrary_bytes_never_panic(b in vec(any::<u8>(), 0..=300), proto in any::<u8>()) {
        for p in [
            Packet::from_ethernet(&b),
            Packet::from_ip(&b),
            Packet::from_ipv4(&b),
            Packet::from_ipv6(&b),
            Packet::from_arp(&b),
            Packet::from_transport(IpProtocol(proto), &b),
        ] {
            consistent(&p, &b)?;
            let _ = p.verify_checksums();
            let _ = BuildParams::from_packet(&p);
            let _ = p.flow_key();
        }
        let mut m = b.clone();
        if let Ok(mut e) = PacketMut::from_ethernet(&mut m) {
            let _ = e.apply(Edit::Ttl(1));
            let _ = e.recompute_checksums();
        }
    }

    /// Damaged valid frames (a byte changed, cut short, a length field
    /// rewritten): no panic, a consistent view, and editing whatever still
    /// parses neither panics nor breaks the editor's own recompute.
    #[test]
    fn mutated_frames_never_panic(b in mutated_frame(), edits in edits()) {
        let p = Packet::from_ethernet(&b);
        consistent(&p, &b)?;
        let _ = p.verify_checksums();
        let _ = BuildParams::from_packet(&p);
        let mut m = b.clone();
        if let Ok(mut e) = PacketMut::from_ethernet(&mut m) {
            for x in edits {
                let _ = e.apply(x);
            }
            prop_assert!(e.recompute_checksums().is_ok());
        }
    }

    /// Cutting a valid frame anywhere never makes a checksum look bad:
    /// the layers that are complete verify, the rest is unverified or
    /// stops with an error at the layer that was cut.
    #[test]
    fn truncation_is_never_reported_bad(f in prop_oneof![frame(), ipv6_routed_frame()], cut in any::<prop::sample::Index>()) {
        let cut = cut.index(f.len() + 1);
        let p = Packet::from_ethernet(&f[..cut]);
        consistent(&p, &f[..cut])?;
        prop_assert!(p.verify_checksums().no_errors(), "{:?}", p.verify_checksums());
        if cut == f.len() {
            prop_assert!(all_good(&p));
        }
    }

    /// Routed IPv6 frames: the transport checksum was computed over the
    /// Routing header's final destination (RFC 8200 §8.1), and the parser
    /// agrees.
    #[test]
    fn ipv6_routing_header_uses_final_destination(f in ipv6_routed_frame()) {
        let p = Packet::from_ethernet(&f);
        prop_assert!(all_good(&p), "{:?}", p.verify_checksums());
        prop_assert!(p.ipv6_ext.is_some_and(|c| c.count() == 1));
    }

    /// For every checksum (IPv4 header, TCP, UDP, ICMPv4, ICMPv6, over
    /// IPv4 and IPv6): what the builder computed verifies, and every
    /// single-bit flip of a byte it covers is detected.
    #[test]
    fn every_single_bit_flip_is_detected(
        (params, _data, f) in (build_params(true), vec(any::<u8>(), 0..=24))
            .prop_map(|(p, d)| {
                let mut b = vec![0u8; p.frame_len(d.len()).unwrap_or(0)];
                let n = p.build(&d, &mut b).unwrap_or(0);
                b.truncate(n);
                (p, d, b)
            })
    ) {
        let p = Packet::from_ethernet(&f);
        prop_assert!(all_good(&p));
        let ip_at = p.network_offset().unwrap_or(0);
        // IPv6's first word and Hop Limit are covered by no checksum, and
        // a UDP pseudo-header takes the UDP Length, not the Payload Length
        // (RFC 8200 §8.1).
        let udp = matches!(params.transport, TransportParams::Udp { .. });
        let covered = |i: usize| match params.ip {
            IpParams::V4(_) => i >= ip_at,
            IpParams::V6(_) => i >= ip_at + 4 && i != ip_at + 7 && !(udp && i < ip_at + 6),
        };
        // A length field that sets how many bytes a transport checksum
        // covers (UDP Length, RFC 768; IPv6 Payload Length, RFC 8200 §8.1):
        // a flip that *shrinks* it also changes which bytes are summed, so
        // the checksum detects it only with probability 1 - 1/65535 (the
        // dropped bytes can cancel the smaller length words exactly; a
        // receiver such as Linux then trims the datagram and accepts it).
        let t_at = p.transport_offset().unwrap_or(0);
        let coverage_len_at = match (params.ip, udp) {
            (_, true) => Some(t_at + 4),
            (IpParams::V6(_), false) => Some(ip_at + 4),
            (IpParams::V4(_), false) => None,
        };
        for i in (0..f.len()).filter(|&i| covered(i)) {
            for bit in 0..8 {
                let mut g = f.clone();
                g[i] ^= 1 << bit;
                // An IPv6 Next Header turned into 1 makes the bytes ICMP for
                // IPv4, whose checksum has no pseudo-header (RFC 792): it
                // then holds by chance, 1 in 65535 (every other checksummed
                // protocol a flip can reach sums the changed Next Header).
                if matches!(params.ip, IpParams::V6(_)) && i == ip_at + 6 && g[i] == 1 {
                    continue;
                }
                let q = Packet::from_ethernet(&g);
                let shrinks = coverage_len_at.is_some_and(|at| (i == at || i == at + 1) && f[i] & (1 << bit) != 0);
                if shrinks {
                    // Then the damage must at least show as a shorter payload.
                    prop_assert!(
                        !all_good(&q) || q.payload.len() != p.payload.len(),
                        "flip of bit {} of byte {} went unnoticed", bit, i
                    );
                } else {
                    prop_assert!(!all_good(&q), "flip of bit {} of byte {} went unnoticed", bit, i);
                }
            }
        }
    }

    /// After any sequence of edits, recomputing every checksum from
    /// scratch changes nothing: the RFC 1624 updates kept them exact. Each
    /// edit reads back; an edit that does not fit fails and changes no
    /// byte.
    #[test]
    fn edits_keep_checksums_equal_to_a_full_recompute(
        f in prop_oneof![3 => frame(), 1 => ipv6_routed_frame()],
        edits in edits(),
    ) {
        let mut b = f.clone();
        let mut e = PacketMut::from_ethernet(&mut b).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for x in edits {
            let before = e.as_bytes().to_vec();
            match e.apply(x) {
                Ok(()) => prop_assert!(reads_back(&e.packet(), x), "{:?} did not read back", x),
                Err(_) => prop_assert_eq!(e.as_bytes(), &before[..]),
            }
        }
        let edited = e.as_bytes().to_vec();
        e.recompute_checksums()?;
        prop_assert_eq!(e.as_bytes(), &edited[..]);
        prop_assert!(all_good(&Packet::from_ethernet(&edited)));
    }
}

/// A Routing header whose final address happens to equal the Destination
/// Address: editing the destination must still leave the pseudo-header
/// (the final address) alone.
#[test]
fn routed_dst_edit_when_final_equals_destination() {
    use core::net::Ipv6Addr;
    use netspec::build::LinkParams;
    use netspec::link::MacAddress;
    let dst = Ipv6Addr::from(0x2001_0db8_u128 << 96 | 2);
    let params = BuildParams {
        link: Some(LinkParams::new(MacAddress([2; 6]), MacAddress([4; 6]))),
        ip: IpParams::v6(Ipv6Addr::LOCALHOST, dst),
        transport: TransportParams::tcp(1, 2, 3, 4),
    };
    let mut b = vec![0u8; params.frame_len(5).unwrap()];
    params.build(b"hello", &mut b).unwrap();
    let mut f = insert_routing_header(&b, 14, &[dst], 1).unwrap();
    let mut e = PacketMut::from_ethernet(&mut f).unwrap();
    e.set_dst_ip(Ipv6Addr::from(99u128).into()).unwrap();
    let edited = e.as_bytes().to_vec();
    e.recompute_checksums().unwrap();
    assert_eq!(e.as_bytes(), &edited[..]);
    assert!(all_good(&Packet::from_ethernet(&edited)));
}

proptest! {
    #![proptest_config(proptest_config("prop_packet", 2048))]

    /// The IPv4 header checksum on its own: verify(compute(x)) holds for
    /// every header (options included), and every single-bit flip of the
    /// header is caught by the sum.
    #[test]
    fn ipv4_header_checksum_catches_every_bit_flip(h in netspec::strategy::ipv4::ipv4_header()) {
        let mut f = vec![0u8; h.header_len()];
        let mut h = h;
        h.fill_checksum();
        h.emit(&mut f)?;
        prop_assert!(netspec::checksum::verify(&f));
        for i in 0..f.len() {
            for bit in 0..8 {
                f[i] ^= 1 << bit;
                prop_assert!(!netspec::checksum::verify(&f));
                f[i] ^= 1 << bit;
            }
        }
    }
}
