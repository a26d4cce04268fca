//! The whole-packet view layer by layer: golden "hello,world" frames built
//! independently (checksums summed by hand, not by netspec), errors at each
//! layer, fragments, VLAN stacks, ARP, 802.3, Routing headers and the
//! checksum report's every status.

use core::net::{Ipv4Addr, Ipv6Addr};

use netspec::build::{BuildParams, IpParams, LinkParams, TcpParams, TransportParams};
use netspec::link::{ArpHeader, ArpOperation, EtherType, MacAddress, VlanStack, VlanTag};
use netspec::net::IpProtocol;
use netspec::net::ipv6_routing::Ipv6RoutingHeader;
use netspec::packet::{Network, Packet, StackLayer, Transport};
use netspec::transport::ChecksumStatus::{self, *};
use netspec::transport::tcp::TcpFlags;
use netspec::transport::tcp_option::TcpOptions;
use netspec::{ErrorKind, Layer};

/// Ethernet + IPv4 (DF, TTL 64) + UDP 40000 → 7 + "hello,world", summed
/// with an independent script.
const UDP_V4: [u8; 53] = [
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45, 0x00, 0x00, 0x27, 0x00,
    0x00, 0x40, 0x00, 0x40, 0x11, 0x4e, 0x8f, 0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02, 0x9c, 0x40, 0x00, 0x07,
    0x00, 0x13, 0xe5, 0x6e, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x2c, 0x77, 0x6f, 0x72, 0x6c, 0x64,
];

/// Ethernet + 802.1Q VID 100 + IPv6 (2001:db8::1 → 2001:db8::2) + TCP
/// 40000 → 80, seq 1000, ack 2000, PSH|ACK, window 65535 + "hello,world".
const TCP_V6_VLAN: [u8; 89] = [
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x81, 0x00, 0x00, 0x64, 0x86, 0xdd, 0x60,
    0x00, 0x00, 0x00, 0x00, 0x1f, 0x06, 0x40, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x02, 0x9c, 0x40, 0x00, 0x50, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x07, 0xd0, 0x50, 0x18, 0xff, 0xff, 0x1a, 0x2a,
    0x00, 0x00, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x2c, 0x77, 0x6f, 0x72, 0x6c, 0x64,
];

const A: MacAddress = MacAddress([2, 0, 0, 0, 0, 1]);
const B: MacAddress = MacAddress([2, 0, 0, 0, 0, 2]);

fn v6(last: u16) -> Ipv6Addr {
    Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, last)
}

fn build(p: &BuildParams, data: &[u8]) -> Vec<u8> {
    let mut b = vec![0u8; p.frame_len(data.len()).unwrap()];
    assert_eq!(p.build(data, &mut b).unwrap(), b.len());
    b
}

fn statuses(p: &Packet<'_>) -> (ChecksumStatus, ChecksumStatus) {
    let r = p.verify_checksums();
    (r.network, r.transport)
}

fn udp_v4_params() -> BuildParams {
    BuildParams {
        link: Some(LinkParams::new(A, B)),
        ip: IpParams::v4(Ipv4Addr::new(192, 0, 2, 1), Ipv4Addr::new(198, 51, 100, 2)),
        transport: TransportParams::udp(40000, 7),
    }
}

#[test]
fn builder_matches_the_golden_frames_byte_for_byte() {
    assert_eq!(build(&udp_v4_params(), b"hello,world"), UDP_V4);
    let tcp = BuildParams {
        link: Some(LinkParams {
            tags: VlanStack::from_slice(&[VlanTag::c_tag(100)]).unwrap(),
            ..LinkParams::new(A, B)
        }),
        ip: IpParams::v6(v6(1), v6(2)),
        transport: TransportParams::Tcp(TcpParams {
            src_port: 40000,
            dst_port: 80,
            seq: 1000,
            ack: 2000,
            flags: TcpFlags::PSH | TcpFlags::ACK,
            window: 65535,
            options: TcpOptions::new(),
        }),
    };
    assert_eq!(build(&tcp, b"hello,world"), TCP_V6_VLAN);
}

#[test]
fn golden_frames_parse_up_the_stack() {
    let p = Packet::from_ethernet(&UDP_V4);
    assert_eq!(p.error, None);
    let f = p.link.unwrap();
    assert_eq!((f.src(), f.dst(), f.ethertype()), (A, B, EtherType::IPV4));
    let ip = p.ipv4().unwrap();
    assert_eq!(
        (ip.src(), ip.dst(), ip.ttl()),
        (Ipv4Addr::new(192, 0, 2, 1), Ipv4Addr::new(198, 51, 100, 2), 64)
    );
    let d = p.udp().unwrap();
    assert_eq!((d.src_port(), d.dst_port(), d.length()), (40000, 7, 19));
    assert_eq!(p.payload, b"hello,world");
    assert_eq!(
        (p.network_offset(), p.transport_offset(), p.payload_offset()),
        (Some(14), Some(34), 42)
    );
    assert_eq!(statuses(&p), (Good, Good));

    let p = Packet::from_ethernet(&TCP_V6_VLAN);
    assert_eq!(p.link.unwrap().tags().as_slice(), &[VlanTag::c_tag(100)]);
    let ip = p.ipv6().unwrap();
    assert_eq!((ip.src(), ip.dst(), ip.next_header()), (v6(1), v6(2), IpProtocol::TCP));
    let s = p.tcp().unwrap();
    assert_eq!(
        (s.seq(), s.ack(), s.flags()),
        (1000, 2000, TcpFlags::PSH | TcpFlags::ACK)
    );
    assert_eq!(p.payload, b"hello,world");
    assert_eq!(statuses(&p), (NotPresent, Good));
    let fk = p.flow_key().unwrap();
    assert_eq!((fk.src_port, fk.dst_port), (40000, 80));
}

#[test]
fn each_layer_error_names_the_layer_and_keeps_the_ones_below() {
    // Link: too short for an Ethernet header.
    let p = Packet::from_ethernet(&UDP_V4[..10]);
    let e = p.error.unwrap();
    assert_eq!(
        (e.layer, e.error.layer, e.error.offset),
        (StackLayer::Link, Layer::Ethernet, 0)
    );
    assert!(p.link.is_none() && p.network.is_none());

    // Network: EtherType IPv4 but version 5.
    let mut b = UDP_V4;
    b[14] = 0x55;
    let p = Packet::from_ethernet(&b);
    let e = p.error.unwrap();
    assert_eq!(
        (e.layer, e.error.layer, e.error.field, e.error.offset),
        (StackLayer::Network, Layer::Ipv4, "version", 14)
    );
    assert!(p.link.is_some() && p.network.is_none());
    assert_eq!(p.payload, &b[14..]);

    // Transport: a UDP length below 8.
    let mut b = UDP_V4;
    b[38..40].copy_from_slice(&4u16.to_be_bytes());
    let p = Packet::from_ethernet(&b);
    let e = p.error.unwrap();
    assert_eq!(
        (e.layer, e.error.layer, e.error.field, e.error.offset),
        (StackLayer::Transport, Layer::Udp, "length", 38)
    );
    assert!(matches!(e.error.kind, ErrorKind::LengthTooSmall { value: 4, min: 8 }));
    assert!(p.ipv4().is_some() && p.transport.is_none());
    assert_eq!((p.payload, p.payload_offset()), (&b[34..], 34));
    assert_eq!(
        e.to_string(),
        "transport layer stopped: udp: length 4 is below the minimum of 8 at offset 38"
    );

    // A UDP length beyond a complete IP payload is malformed, not cut.
    let mut b = UDP_V4;
    b[38..40].copy_from_slice(&40u16.to_be_bytes());
    let e = Packet::from_ethernet(&b).error.unwrap();
    assert!(matches!(e.error.kind, ErrorKind::LengthExceeds { value: 40, .. }));

    // IPv6 extension chain: a Hop-by-Hop header cut short.
    let mut b = TCP_V6_VLAN[..18 + 40 + 1].to_vec();
    b[18 + 6] = 0;
    b[18 + 5] = 1;
    let p = Packet::from_ethernet(&b);
    let e = p.error.unwrap();
    assert_eq!((e.layer, e.error.layer), (StackLayer::Network, Layer::Ipv6Ext));
    assert_eq!((p.payload_offset(), e.error.offset), (58, 58));
    assert!(p.ipv6().is_some());
}

#[test]
fn truncated_capture_is_unverified_not_bad() {
    // UDP covers its own Length bytes, which can all be there even when
    // the IP Total Length claims more (as Wireshark also checks).
    let mut b = UDP_V4;
    b[16..18].copy_from_slice(&49u16.to_be_bytes());
    b[24..26].copy_from_slice(&[0, 0]);
    let c = netspec::checksum::internet_checksum(&b[14..34]);
    b[24..26].copy_from_slice(&c.to_be_bytes());
    let p = Packet::from_ethernet(&b);
    assert!(p.is_truncated());
    assert_eq!(statuses(&p), (Good, Good));
    // Cut inside the data: both lengths claim more; nothing is bad.
    let mut b = UDP_V4.to_vec();
    b.truncate(50);
    let p = Packet::from_ethernet(&b);
    assert!(p.is_truncated() && p.error.is_none());
    assert_eq!(p.payload, b"hello,wo");
    assert_eq!(statuses(&p), (Good, Unverified));
    let p = Packet::from_ethernet(&TCP_V6_VLAN[..80]);
    assert_eq!(statuses(&p), (NotPresent, Unverified));
}

#[test]
fn udp_zero_checksum_is_absent_over_ipv4_and_invalid_over_ipv6() {
    let mut b = UDP_V4;
    b[40] = 0;
    b[41] = 0;
    assert_eq!(statuses(&Packet::from_ethernet(&b)), (Good, NotPresent));
    let p = BuildParams {
        ip: IpParams::v6(v6(1), v6(2)),
        ..udp_v4_params()
    };
    let mut b = build(&p, b"hello,world");
    let at = 14 + 40 + 6;
    b[at] = 0;
    b[at + 1] = 0;
    let p = Packet::from_ethernet(&b);
    assert_eq!(statuses(&p), (NotPresent, ZeroInvalid));
    assert!(!p.verify_checksums().no_errors());
}

/// `frame` (untagged IPv6) with an extension header spliced in after the
/// fixed header and the lengths and Next Header fields fixed.
fn splice_ext(frame: &[u8], kind: IpProtocol, ext: &[u8]) -> Vec<u8> {
    let mut out = frame[..54].to_vec();
    out.extend_from_slice(ext);
    out.extend_from_slice(&frame[54..]);
    out[54] = frame[14 + 6];
    out[14 + 6] = kind.0;
    let plen = u16::from_be_bytes([out[18], out[19]]) + ext.len() as u16;
    out[18..20].copy_from_slice(&plen.to_be_bytes());
    out
}

#[test]
fn ipv6_fragment_headers() {
    let p = BuildParams {
        ip: IpParams::v6(v6(1), v6(2)),
        ..udp_v4_params()
    };
    let f = build(&p, b"hello,world");
    // Atomic fragment (offset 0, M clear, RFC 8200 §4.5): parsed, and the
    // checksum is still checked.
    let atomic = splice_ext(&f, IpProtocol::IPV6_FRAG, &[0, 0, 0, 0, 0, 0, 0, 7]);
    let p = Packet::from_ethernet(&atomic);
    assert_eq!(p.payload, b"hello,world");
    assert_eq!(statuses(&p), (NotPresent, Good));
    // First fragment (M set): the UDP header is there, the checksum cannot
    // be checked.
    let first = splice_ext(&f, IpProtocol::IPV6_FRAG, &[0, 0, 0, 1, 0, 0, 0, 7]);
    let p = Packet::from_ethernet(&first);
    assert!(p.udp().is_some());
    assert_eq!(statuses(&p), (NotPresent, Unverified));
    // A later fragment (offset 2 = 16 bytes): no transport header.
    let later = splice_ext(&f, IpProtocol::IPV6_FRAG, &[0, 0, 0, 2 << 3, 0, 0, 0, 7]);
    let p = Packet::from_ethernet(&later);
    assert!(matches!(
        p.transport,
        Some(Transport::Fragment {
            protocol: IpProtocol::UDP,
            offset: 16,
            ..
        })
    ));
    assert_eq!(p.transport.unwrap().protocol(), IpProtocol::UDP);
    assert_eq!(statuses(&p), (NotPresent, Unverified));
}

#[test]
fn routing_header_checksum_uses_the_final_destination() {
    let p = BuildParams {
        ip: IpParams::v6(v6(1), v6(2)),
        transport: TransportParams::tcp(1, 2, 3, 4),
        ..udp_v4_params()
    };
    let f = build(&p, b"hello,world");
    let rh = |left: u8| {
        let h = Ipv6RoutingHeader::with_addresses(IpProtocol::TCP, 0, left, &[v6(9)]).unwrap();
        let mut b = [0u8; 24];
        assert_eq!(h.emit(&mut b).unwrap(), 24);
        b
    };
    // Segments Left 0: the destination is final, the checksum still holds.
    let p0 = splice_ext(&f, IpProtocol::IPV6_ROUTE, &rh(0));
    let pk = Packet::from_ethernet(&p0);
    assert_eq!(pk.ipv6_pseudo_destination(), Some(v6(2)));
    assert_eq!(statuses(&pk), (NotPresent, Good));
    // Segments Left 1: the sender summed over v6(9), not v6(2), so the
    // checksum made for v6(2) is bad (RFC 8200 §8.1).
    let p1 = splice_ext(&f, IpProtocol::IPV6_ROUTE, &rh(1));
    let pk = Packet::from_ethernet(&p1);
    assert_eq!(pk.ipv6_pseudo_destination(), Some(v6(9)));
    assert_eq!(statuses(&pk), (NotPresent, Bad));
    assert_eq!(pk.ipv6_ext.unwrap().count(), 1);
}

#[test]
fn arp_llc_and_unknown_ethertypes() {
    let mut b = [0u8; 60];
    b[..6].copy_from_slice(&MacAddress::BROADCAST.0);
    b[6..12].copy_from_slice(&A.0);
    b[12..14].copy_from_slice(&EtherType::ARP.0.to_be_bytes());
    let arp = ArpHeader::ethernet_ipv4(
        ArpOperation::REQUEST,
        A,
        Ipv4Addr::new(10, 0, 0, 1),
        MacAddress::ZERO,
        Ipv4Addr::new(10, 0, 0, 2),
    );
    assert_eq!(arp.emit(&mut b[14..]).unwrap(), 28);
    let p = Packet::from_ethernet(&b);
    assert!(matches!(p.network, Some(Network::Arp(a)) if a.target_ipv4() == Some(Ipv4Addr::new(10, 0, 0, 2))));
    assert!(p.transport.is_none() && p.payload.is_empty() && p.error.is_none());
    assert_eq!(statuses(&p), (NotPresent, NotPresent));
    assert_eq!(Packet::from_arp(&b[14..]).network, p.network);

    // An 802.3 length frame with LLC: no network layer netspec parses.
    b[12..14].copy_from_slice(&46u16.to_be_bytes());
    let p = Packet::from_ethernet(&b);
    assert!(matches!(p.network, Some(Network::Other { ethertype: EtherType(46), bytes }) if bytes.len() == 46));
    // LLDP: kept raw.
    b[12..14].copy_from_slice(&EtherType::LLDP.0.to_be_bytes());
    let p = Packet::from_ethernet(&b);
    assert!(matches!(
        p.network,
        Some(Network::Other {
            ethertype: EtherType::LLDP,
            ..
        })
    ));
    assert_eq!(p.payload.len(), 46);
}

#[test]
fn qinq_and_unknown_protocols() {
    // Push an S-tag in front of the C-tag.
    let mut b = TCP_V6_VLAN[..12].to_vec();
    b.extend_from_slice(&[0x88, 0xa8, 0x00, 0x07]);
    b.extend_from_slice(&TCP_V6_VLAN[12..]);
    let p = Packet::from_ethernet(&b);
    assert_eq!(
        p.link.unwrap().tags().as_slice(),
        &[VlanTag::s_tag(7), VlanTag::c_tag(100)]
    );
    assert_eq!(p.payload, b"hello,world");
    assert_eq!(statuses(&p), (NotPresent, Good));
    // The builder makes QinQ frames too: reading the parameters back and
    // building again gives the same bytes.
    let (params, payload) = BuildParams::from_packet(&p).expect("builder output");
    assert_eq!(params.link.map(|l| l.tags), Some(*p.link.unwrap().tags()));
    assert_eq!(build(&params, payload), b);

    // IPv4 carrying SCTP: kept raw, no checksum verdict.
    let mut b = UDP_V4;
    b[23] = IpProtocol::SCTP.0;
    b[24..26].copy_from_slice(&[0, 0]);
    let c = netspec::checksum::internet_checksum(&b[14..34]);
    b[24..26].copy_from_slice(&c.to_be_bytes());
    let p = Packet::from_ethernet(&b);
    assert!(matches!(p.transport, Some(Transport::Other { protocol: IpProtocol::SCTP, bytes }) if bytes.len() == 19));
    assert_eq!(statuses(&p), (Good, NotPresent));
}

#[test]
fn one_byte_corruption_shows_in_the_right_checksum() {
    // The tour's table: which checksum a corrupted byte breaks.
    let cases: [(usize, ChecksumStatus, ChecksumStatus); 4] = [
        (22, Bad, Good), // IPv4 TTL: the header checksum.
        (26, Bad, Bad),  // IPv4 source: header and UDP pseudo-header.
        (35, Good, Bad), // UDP source port.
        (45, Good, Bad), // the payload.
    ];
    for (at, net, tr) in cases {
        let mut b = UDP_V4;
        b[at] ^= 0x01;
        assert_eq!(statuses(&Packet::from_ethernet(&b)), (net, tr), "byte {at}");
    }
    // The Ethernet header has no checksum here (the FCS is not captured).
    let mut b = UDP_V4;
    b[0] ^= 1;
    assert_eq!(statuses(&Packet::from_ethernet(&b)), (Good, Good));
}
