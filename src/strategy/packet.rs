//! Strategies for whole packets: builder parameters, valid frames
//! (Ethernet ± VLAN → IPv4/IPv6 → TCP/UDP/ICMP echo, every length and
//! checksum right), IPv6 frames routed through a Routing header, mutated
//! frames, and edit sequences.
//!
//! Valid frames come from [`crate::build`]; the routed IPv6 frames are
//! assembled independently (extension header spliced in, checksum redone
//! with the final destination, RFC 8200 §8.1), so the parser's
//! pseudo-header choice is tested against a second construction.

use core::net::Ipv6Addr;

use proptest::collection::vec;
use proptest::prelude::*;

use crate::build::{BuildParams, IpParams, Ipv4Params, Ipv6Params, LinkParams, TcpParams, TransportParams};
use crate::edit::Edit;
use crate::net::icmpv6;
use crate::net::ipv6_routing::Ipv6RoutingHeader;
use crate::net::{IpProtocol, Ipv4Options};
use crate::strategy::ipv4::ipv4_options;
use crate::strategy::link::{mac_address, vlan_stack};
use crate::strategy::transport::{ip_addr, ipv4_addr, ipv6_addr, tcp_flags, tcp_options};
use crate::transport::{tcp, udp};

/// MACs and 0 to [`MAX_VLAN_DEPTH`](crate::link::MAX_VLAN_DEPTH) VLAN
/// tags of any TPID (C-tags, S-tags, QinQ).
///
/// ```
/// use netspec::strategy::packet::link_params;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(l in link_params())| {
///     prop_assert!(l.tags.len() <= netspec::link::MAX_VLAN_DEPTH);
///     for tag in l.tags.as_slice() {
///         prop_assert!(tag.vid < 4096 && tag.tpid.is_vlan_tpid());
///     }
/// });
/// ```
pub fn link_params() -> impl Strategy<Value = LinkParams> {
    (mac_address(), mac_address(), vlan_stack()).prop_map(|(src, dst, tags)| LinkParams { src, dst, tags })
}

/// IPv4 parameters over their whole range; a third of them carry
/// well-formed options ([`ipv4_options`]).
///
/// ```
/// use netspec::strategy::packet::ipv4_params;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(p in ipv4_params())| {
///     prop_assert!(p.dscp < 64 && p.ecn < 4);
///     prop_assert!(p.options.padded_len() <= 40);
/// });
/// ```
pub fn ipv4_params() -> impl Strategy<Value = Ipv4Params> {
    (
        ipv4_addr(),
        ipv4_addr(),
        any::<u8>(),
        0u8..=63,
        0u8..=3,
        any::<u16>(),
        any::<bool>(),
        prop_oneof![2 => Just(Ipv4Options::new()), 1 => ipv4_options()],
    )
        .prop_map(
            |(src, dst, ttl, dscp, ecn, identification, dont_fragment, options)| Ipv4Params {
                src,
                dst,
                ttl,
                dscp,
                ecn,
                identification,
                dont_fragment,
                options,
            },
        )
}

/// IPv6 parameters over their whole range.
///
/// ```
/// use netspec::strategy::packet::ipv6_params;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(p in ipv6_params())| {
///     prop_assert!(p.dscp < 64 && p.ecn < 4 && p.flow_label < 1 << 20);
/// });
/// ```
pub fn ipv6_params() -> impl Strategy<Value = Ipv6Params> {
    (
        ipv6_addr(),
        ipv6_addr(),
        any::<u8>(),
        0u8..=63,
        0u8..=3,
        0u32..=0xf_ffff,
    )
        .prop_map(|(src, dst, hop_limit, dscp, ecn, flow_label)| Ipv6Params {
            src,
            dst,
            hop_limit,
            dscp,
            ecn,
            flow_label,
        })
}

/// IPv4 or IPv6.
///
/// ```
/// use netspec::build::IpParams;
/// use netspec::strategy::packet::ip_params;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(ip in ip_params())| {
///     prop_assert!(matches!(ip, IpParams::V4(_) | IpParams::V6(_)));
/// });
/// ```
pub fn ip_params() -> impl Strategy<Value = IpParams> {
    prop_oneof![
        ipv4_params().prop_map(IpParams::V4),
        ipv6_params().prop_map(IpParams::V6)
    ]
}

/// TCP (any flags, window, options), UDP or ICMP echo parameters.
///
/// ```
/// use netspec::build::TransportParams;
/// use netspec::strategy::packet::transport_params;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(t in transport_params())| {
///     let tcp = matches!(t, TransportParams::Tcp(_));
///     let other = matches!(t, TransportParams::Udp { .. } | TransportParams::IcmpEcho { .. });
///     prop_assert!(tcp != other);
/// });
/// ```
pub fn transport_params() -> impl Strategy<Value = TransportParams> {
    prop_oneof![
        (any::<(u16, u16, u32, u32, u16)>(), tcp_flags(), tcp_options()).prop_map(
            |((src_port, dst_port, seq, ack, window), flags, options)| TransportParams::Tcp(TcpParams {
                src_port,
                dst_port,
                seq,
                ack,
                flags,
                window,
                options,
            })
        ),
        any::<(u16, u16)>().prop_map(|(src_port, dst_port)| TransportParams::Udp { src_port, dst_port }),
        any::<(u16, u16, bool)>().prop_map(|(ident, seq, reply)| TransportParams::IcmpEcho { ident, seq, reply }),
    ]
}

/// Builder parameters, with an Ethernet header (`link`) or without.
///
/// ```
/// use netspec::strategy::packet::{build_params, payload};
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(params in build_params(true), data in payload())| {
///     let mut buf = vec![0u8; params.frame_len(data.len()).unwrap()];
///     prop_assert_eq!(params.build(&data, &mut buf), Ok(buf.len()));
/// });
/// ```
pub fn build_params(link: bool) -> impl Strategy<Value = BuildParams> {
    (link_params(), ip_params(), transport_params()).prop_map(move |(l, ip, transport)| BuildParams {
        link: link.then_some(l),
        ip,
        transport,
    })
}

/// An application payload of 0..=200 bytes.
///
/// ```
/// use netspec::strategy::packet::payload;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(data in payload())| {
///     prop_assert!(data.len() <= 200);
/// });
/// ```
pub fn payload() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..=200)
}

/// Build `params` with `payload`; the builder cannot fail for the sizes
/// these strategies make, and an empty frame would show if it did.
fn built(params: &BuildParams, payload: &[u8]) -> Vec<u8> {
    let mut b = vec![0u8; params.frame_len(payload.len()).unwrap_or(0)];
    let n = params.build(payload, &mut b).unwrap_or(0);
    b.truncate(n);
    b
}

/// Parameters, payload and the frame (Ethernet, or raw IP without `link`)
/// the builder makes of them.
///
/// ```
/// use netspec::build::BuildParams;
/// use netspec::packet::Packet;
/// use netspec::strategy::packet::built_packet;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |((params, data, ip) in built_packet(false))| {
///     // Without `link`: a raw IP packet, which reads back as what built it.
///     let p = Packet::from_ip(&ip);
///     prop_assert_eq!(BuildParams::from_packet(&p), Some((params, &data[..])));
/// });
/// ```
pub fn built_packet(link: bool) -> impl Strategy<Value = (BuildParams, Vec<u8>, Vec<u8>)> {
    (build_params(link), payload()).prop_map(|(p, data)| {
        let frame = built(&p, &data);
        (p, data, frame)
    })
}

/// A valid Ethernet frame (± VLAN) carrying IPv4 or IPv6 and TCP, UDP or
/// ICMP echo, with correct lengths and checksums.
///
/// ```
/// use netspec::packet::Packet;
/// use netspec::strategy::packet::frame;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(bytes in frame())| {
///     let p = Packet::from_ethernet(&bytes);
///     prop_assert!(p.error.is_none());
///     prop_assert!(p.verify_checksums().no_errors());
/// });
/// ```
pub fn frame() -> impl Strategy<Value = Vec<u8>> {
    built_packet(true).prop_map(|(_, _, f)| f)
}

/// Splice a type 0 Routing header (RFC 8200 §4.4) with `addrs` and
/// `segments_left` after the IPv6 header of `frame` (which has `link_len`
/// bytes of Ethernet), fix Next Header and Payload Length, and redo the
/// transport checksum over the final destination (RFC 8200 §8.1).
///
/// ```
/// use netspec::build::IpParams;
/// use netspec::packet::Packet;
/// use netspec::strategy::ipv6::ipv6_addr;
/// use netspec::strategy::packet::{built_packet, insert_routing_header};
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |((params, _, bytes) in built_packet(true), hop in ipv6_addr())| {
///     let link_len = Packet::from_ethernet(&bytes).network_offset().unwrap();
///     if let (IpParams::V6(_), Some(routed)) = (params.ip, insert_routing_header(&bytes, link_len, &[hop], 1)) {
///         let p = Packet::from_ethernet(&routed);
///         prop_assert!(p.ipv6_ext.is_some());
///         prop_assert_eq!(p.ipv6_pseudo_destination(), Some(hop));
///         prop_assert!(p.verify_checksums().no_errors());
///     }
/// });
/// ```
pub fn insert_routing_header(frame: &[u8], link_len: usize, addrs: &[Ipv6Addr], segments_left: u8) -> Option<Vec<u8>> {
    let ip = frame.get(link_len..link_len + 40)?;
    let next = IpProtocol(ip[6]);
    let rh = Ipv6RoutingHeader::with_addresses(next, 0, segments_left, addrs).ok()?;
    let mut rb = [0u8; 2048];
    let n = rh.emit(&mut rb).ok()?;
    let mut out = Vec::with_capacity(frame.len() + n);
    out.extend_from_slice(&frame[..link_len + 40]);
    out.extend_from_slice(&rb[..n]);
    out.extend_from_slice(&frame[link_len + 40..]);
    out[link_len + 6] = IpProtocol::IPV6_ROUTE.0;
    let plen = u16::from_be_bytes([out[link_len + 4], out[link_len + 5]]).checked_add(u16::try_from(n).ok()?)?;
    out[link_len + 4..link_len + 6].copy_from_slice(&plen.to_be_bytes());
    let mut a = [0u8; 16];
    a.copy_from_slice(&out[link_len + 8..link_len + 24]);
    let src = Ipv6Addr::from(a);
    a.copy_from_slice(&out[link_len + 24..link_len + 40]);
    let dst = match (segments_left, addrs.last()) {
        (1.., Some(last)) => *last,
        _ => Ipv6Addr::from(a),
    };
    let seg = &mut out[link_len + 40 + n..];
    match next {
        IpProtocol::TCP => tcp::fill_checksum_v6(seg, &src, &dst).ok()?,
        IpProtocol::UDP => udp::fill_checksum_v6(seg, &src, &dst).ok()?,
        IpProtocol::ICMPV6 => icmpv6::fill_checksum(seg, &src, &dst).ok()?,
        _ => return None,
    };
    Some(out)
}

/// An Ethernet frame with IPv6, a type 0 Routing header of 1..=3
/// addresses (Segments Left 0..=count), and TCP, UDP or ICMPv6 echo with
/// its checksum computed over the final destination.
///
/// ```
/// use netspec::packet::Packet;
/// use netspec::strategy::packet::ipv6_routed_frame;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(bytes in ipv6_routed_frame())| {
///     let p = Packet::from_ethernet(&bytes);
///     prop_assert!(p.error.is_none() && p.ipv6_ext.is_some());
///     prop_assert!(p.verify_checksums().no_errors());
/// });
/// ```
pub fn ipv6_routed_frame() -> impl Strategy<Value = Vec<u8>> {
    (
        link_params(),
        ipv6_params(),
        transport_params(),
        payload(),
        vec(ipv6_addr(), 1..=3),
        0u8..=3,
    )
        .prop_map(|(l, ip, t, data, addrs, left)| {
            let p = BuildParams {
                // Untagged: the routing header goes in at offset 14.
                link: Some(LinkParams::new(l.src, l.dst)),
                ip: IpParams::V6(ip),
                transport: t,
            };
            let f = built(&p, &data);
            let left = left.min(addrs.len() as u8);
            insert_routing_header(&f, 14, &addrs, left).unwrap_or(f)
        })
}

/// `bytes` with one byte XORed with a non-zero value.
///
/// ```
/// use netspec::strategy::packet::{flip_byte, frame};
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |((orig, bad) in frame().prop_flat_map(|f| (Just(f.clone()), flip_byte(f))))| {
///     prop_assert_eq!(orig.iter().zip(&bad).filter(|(a, b)| a != b).count(), 1);
/// });
/// ```
pub fn flip_byte(bytes: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = bytes.len().max(1);
    (0..len, 1u8..=255).prop_map(move |(i, x)| {
        let mut b = bytes.clone();
        if let Some(v) = b.get_mut(i) {
            *v ^= x;
        }
        b
    })
}

/// A valid frame (plain or routed) damaged one way: one byte changed, cut
/// short anywhere, or a length field (IP total/payload length, IHL, UDP
/// length, TCP data offset, at their usual untagged offsets) set to any
/// value.
///
/// ```
/// use netspec::packet::Packet;
/// use netspec::strategy::packet::mutated_frame;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(bytes in mutated_frame())| {
///     // Damaged frames give a typed error, a truncation flag or a bad
///     // checksum; never a panic.
///     let p = Packet::from_ethernet(&bytes);
///     let _ = (p.error, p.is_truncated(), p.verify_checksums());
/// });
/// ```
pub fn mutated_frame() -> impl Strategy<Value = Vec<u8>> {
    let valid = prop_oneof![4 => frame(), 1 => ipv6_routed_frame()];
    prop_oneof![
        valid.clone().prop_flat_map(flip_byte),
        valid.clone().prop_flat_map(|f| {
            let n = f.len();
            (Just(f), 0..=n).prop_map(|(mut f, cut)| {
                f.truncate(cut);
                f
            })
        }),
        (
            valid,
            prop_oneof![
                Just(14usize),
                Just(16),
                Just(18),
                Just(38),
                Just(46),
                Just(58),
                Just(66)
            ],
            any::<u16>()
        )
            .prop_map(|(mut f, at, v)| {
                if let Some(w) = f.get_mut(at..at + 2) {
                    w.copy_from_slice(&v.to_be_bytes());
                }
                f
            }),
    ]
}

/// One edit of any kind, addresses of either version (an edit that does
/// not fit the packet must fail and change nothing).
///
/// ```
/// use netspec::edit::PacketMut;
/// use netspec::packet::Packet;
/// use netspec::strategy::packet::{edit, frame};
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(mut bytes in frame(), e in edit())| {
///     let mut m = PacketMut::from_ethernet(&mut bytes).unwrap();
///     // An edit that does not fit the packet fails and changes nothing.
///     let _ = m.apply(e);
///     prop_assert!(Packet::from_ethernet(&bytes).verify_checksums().no_errors());
/// });
/// ```
pub fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        mac_address().prop_map(Edit::SrcMac),
        mac_address().prop_map(Edit::DstMac),
        ip_addr().prop_map(Edit::SrcIp),
        ip_addr().prop_map(Edit::DstIp),
        ipv4_addr().prop_map(|a| Edit::SrcIp(a.into())),
        ipv6_addr().prop_map(|a| Edit::DstIp(a.into())),
        any::<u8>().prop_map(Edit::Ttl),
        (0u8..=70).prop_map(Edit::Dscp),
        (0u8..=5).prop_map(Edit::Ecn),
        any::<u16>().prop_map(Edit::SrcPort),
        any::<u16>().prop_map(Edit::DstPort),
        any::<u32>().prop_map(Edit::Seq),
        any::<u32>().prop_map(Edit::Ack),
        tcp_flags().prop_map(Edit::Flags),
        any::<u16>().prop_map(Edit::Window),
    ]
}

/// A sequence of 0..=12 edits.
///
/// ```
/// use netspec::edit::PacketMut;
/// use netspec::packet::Packet;
/// use netspec::strategy::packet::{edits, frame};
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(mut bytes in frame(), list in edits())| {
///     let mut m = PacketMut::from_ethernet(&mut bytes).unwrap();
///     for e in list {
///         let _ = m.apply(e);
///     }
///     // The setters keep every checksum right.
///     prop_assert!(Packet::from_ethernet(&bytes).verify_checksums().no_errors());
/// });
/// ```
pub fn edits() -> impl Strategy<Value = Vec<Edit>> {
    vec(edit(), 0..=12)
}
