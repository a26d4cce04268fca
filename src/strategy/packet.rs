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
use crate::link::{ArpHardware, ArpHeader, ArpOperation, EtherType, EthernetHeader, MacAddress, VlanStack, VlanTag};
use crate::net::IpProtocol;
use crate::net::icmpv4::{Icmpv4Code, Icmpv4Header, Icmpv4Type};
use crate::net::icmpv6::{self, Icmpv6Code, Icmpv6Header, Icmpv6Type};
use crate::net::ipv4::{Ipv4Flags, Ipv4Header};
use crate::net::ipv4_option::Ipv4Options;
use crate::net::ipv6::Ipv6Header;
use crate::net::ipv6_routing::Ipv6RoutingHeader;
use crate::strategy::transport::{ip_addr, ipv4_addr, ipv6_addr, tcp_flags, tcp_options};
use crate::transport::{tcp, udp};

/// Any MAC address.
pub fn mac_address() -> impl Strategy<Value = MacAddress> {
    any::<[u8; 6]>().prop_map(MacAddress)
}

/// Any valid VLAN tag: the three TPIDs, every PCP, DEI and VID.
pub fn vlan_tag() -> impl Strategy<Value = VlanTag> {
    (
        prop_oneof![
            Just(EtherType::VLAN),
            Just(EtherType::QINQ),
            Just(EtherType::QINQ_LEGACY)
        ],
        0u8..=7,
        any::<bool>(),
        0u16..=0x0fff,
    )
        .prop_map(|(tpid, pcp, dei, vid)| VlanTag { tpid, pcp, dei, vid })
}

/// MACs and, half the time, one VLAN tag.
pub fn link_params() -> impl Strategy<Value = LinkParams> {
    (mac_address(), mac_address(), proptest::option::of(vlan_tag())).prop_map(|(src, dst, vlan)| LinkParams {
        src,
        dst,
        vlan,
    })
}

/// IPv4 parameters over their whole range.
pub fn ipv4_params() -> impl Strategy<Value = Ipv4Params> {
    (
        ipv4_addr(),
        ipv4_addr(),
        any::<u8>(),
        0u8..=63,
        0u8..=3,
        any::<u16>(),
        any::<bool>(),
    )
        .prop_map(|(src, dst, ttl, dscp, ecn, identification, dont_fragment)| Ipv4Params {
            src,
            dst,
            ttl,
            dscp,
            ecn,
            identification,
            dont_fragment,
        })
}

/// IPv6 parameters over their whole range.
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
pub fn ip_params() -> impl Strategy<Value = IpParams> {
    prop_oneof![
        ipv4_params().prop_map(IpParams::V4),
        ipv6_params().prop_map(IpParams::V6)
    ]
}

/// TCP (any flags, window, options), UDP or ICMP echo parameters.
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
pub fn build_params(link: bool) -> impl Strategy<Value = BuildParams> {
    (link_params(), ip_params(), transport_params()).prop_map(move |(l, ip, transport)| BuildParams {
        link: link.then_some(l),
        ip,
        transport,
    })
}

/// An application payload of 0..=200 bytes.
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
pub fn built_packet(link: bool) -> impl Strategy<Value = (BuildParams, Vec<u8>, Vec<u8>)> {
    (build_params(link), payload()).prop_map(|(p, data)| {
        let frame = built(&p, &data);
        (p, data, frame)
    })
}

/// A valid Ethernet frame (± VLAN) carrying IPv4 or IPv6 and TCP, UDP or
/// ICMP echo, with correct lengths and checksums.
pub fn frame() -> impl Strategy<Value = Vec<u8>> {
    built_packet(true).prop_map(|(_, _, f)| f)
}

/// Splice a type 0 Routing header (RFC 8200 §4.4) with `addrs` and
/// `segments_left` after the IPv6 header of `frame` (which has `link_len`
/// bytes of Ethernet), fix Next Header and Payload Length, and redo the
/// transport checksum over the final destination (RFC 8200 §8.1).
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
                link: Some(LinkParams { vlan: None, ..l }),
                ip: IpParams::V6(ip),
                transport: t,
            };
            let f = built(&p, &data);
            let left = left.min(addrs.len() as u8);
            insert_routing_header(&f, 14, &addrs, left).unwrap_or(f)
        })
}

/// `bytes` with one byte XORed with a non-zero value.
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
pub fn edits() -> impl Strategy<Value = Vec<Edit>> {
    vec(edit(), 0..=12)
}

/// An Ethernet header with 0..=4 VLAN tags and any Type/Length that
/// reads back as itself: an EtherType (not a TPID) or an 802.3 length of
/// 0..=64 (the caller appends that many bytes).
pub fn ethernet_header() -> impl Strategy<Value = EthernetHeader> {
    let ethertype = prop_oneof![
        (0x0600u16..=0xffff)
            .prop_filter("a TPID would read back as a tag", |t| !EtherType(*t).is_vlan_tpid())
            .prop_map(EtherType),
        (0u16..=64).prop_map(EtherType),
    ];
    (mac_address(), mac_address(), vec(vlan_tag(), 0..=4), ethertype).prop_map(|(dst, src, tags, ethertype)| {
        EthernetHeader {
            dst,
            src,
            tags: VlanStack::from_slice(&tags).unwrap_or_default(),
            ethertype,
        }
    })
}

/// Valid IPv4 options: No Operation, Router Alert (RFC 2113) and empty
/// Record Route options packed while they fit 40 bytes, sometimes ended by
/// End of Option List.
pub fn ipv4_options() -> impl Strategy<Value = Ipv4Options> {
    // (which, value): 0 NOP, 1 Router Alert(value), 2 Record Route with
    // 1..=9 slots.
    (vec((0u8..3, any::<u16>()), 0..8), any::<bool>()).prop_map(|(opts, eol)| {
        let mut o = Ipv4Options::new();
        for (which, v) in opts {
            let r = match which {
                0 => o.push_nop(),
                1 => o.push_router_alert(v),
                _ => o.push_record_route(1 + usize::from(v % 9)),
            };
            if r.is_err() {
                break;
            }
        }
        if eol {
            let _ = o.push_eol();
        }
        o
    })
}

/// An IPv4 header over the whole field space (any protocol, checksum,
/// flags, fragment offset and options), with Total Length covering
/// 0..=64 payload bytes.
pub fn ipv4_header() -> impl Strategy<Value = Ipv4Header> {
    (
        (0u8..=63, 0u8..=3, any::<u16>(), 0u8..=7, 0u16..=0x1fff),
        (any::<u8>(), any::<u8>(), any::<u16>(), ipv4_addr(), ipv4_addr()),
        ipv4_options(),
        0usize..=64,
    )
        .prop_map(
            |(
                (dscp, ecn, identification, flags, fragment_offset),
                (ttl, proto, checksum, src, dst),
                options,
                extra,
            )| {
                let mut h = Ipv4Header {
                    dscp,
                    ecn,
                    total_length: 0,
                    identification,
                    flags: Ipv4Flags::from_bits_retain(flags),
                    fragment_offset,
                    ttl,
                    protocol: IpProtocol(proto),
                    checksum,
                    src,
                    dst,
                    options,
                };
                h.total_length = (h.header_len() + extra) as u16;
                h
            },
        )
}

/// An IPv6 fixed header over the whole field space, Payload Length 0..=64
/// (jumbograms aside: a zero length with Hop-by-Hop next would be read as
/// one).
pub fn ipv6_header() -> impl Strategy<Value = Ipv6Header> {
    (
        (0u8..=63, 0u8..=3, 0u32..=0xf_ffff, 0u16..=64),
        any::<u8>().prop_filter("Hop-by-Hop may announce a jumbogram", |n| *n != 0),
        any::<u8>(),
        ipv6_addr(),
        ipv6_addr(),
    )
        .prop_map(
            |((dscp, ecn, flow_label, payload_length), next, hop_limit, src, dst)| Ipv6Header {
                version: 6,
                dscp,
                ecn,
                flow_label,
                payload_length,
                next_header: IpProtocol(next),
                hop_limit,
                src,
                dst,
            },
        )
}

/// An Ethernet/IPv4 ARP packet with any hardware type, protocol type and
/// operation (RFC 826).
pub fn arp_header() -> impl Strategy<Value = ArpHeader> {
    (
        any::<(u16, u16, u16)>(),
        mac_address(),
        ipv4_addr(),
        mac_address(),
        ipv4_addr(),
    )
        .prop_map(|((hw, proto, op), sha, spa, tha, tpa)| {
            let mut h = ArpHeader::ethernet_ipv4(ArpOperation(op), sha, spa, tha, tpa);
            h.hw_type = ArpHardware(hw);
            h.proto_type = EtherType(proto);
            h
        })
}

/// Any 8-byte ICMPv4 header (RFC 792).
pub fn icmpv4_header() -> impl Strategy<Value = Icmpv4Header> {
    (any::<(u8, u8, u16)>(), any::<[u8; 4]>()).prop_map(|((t, c, checksum), rest)| Icmpv4Header {
        icmp_type: Icmpv4Type(t),
        code: Icmpv4Code(c),
        checksum,
        rest,
    })
}

/// Any 8-byte ICMPv6 header (RFC 4443 §2.1).
pub fn icmpv6_header() -> impl Strategy<Value = Icmpv6Header> {
    any::<(u8, u8, u16, u32)>().prop_map(|(t, c, checksum, rest_of_header)| Icmpv6Header {
        msg_type: Icmpv6Type(t),
        code: Icmpv6Code(c),
        checksum,
        rest_of_header,
    })
}
