//! `ipv6_udp_parse_1280B`: Ethernet + IPv6 + UDP with a 1232-byte payload
//! (`benches/data/ipv6_udp_1280B.hex`). Every field of the three headers is
//! decoded into a [`Summary`]; the `+csum` variants also verify the UDP
//! checksum (IPv6 pseudo-header, header and payload; RFC 8200 §8.1).
//!
//! Before timing, all implementations must agree on every field and accept
//! the checksum.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

mod common;

/// Every field of Ethernet II, IPv6 and UDP as decoded by one
/// implementation.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    eth_dst: [u8; 6],
    eth_src: [u8; 6],
    ethertype: u16,
    ip_version: u8,
    ip_traffic_class: u8,
    ip_flow_label: u32,
    ip_payload_len: u16,
    ip_next_header: u8,
    ip_hop_limit: u8,
    ip_src: [u8; 16],
    ip_dst: [u8; 16],
    src_port: u16,
    dst_port: u16,
    length: u16,
    checksum: u16,
    payload_len: u16,
    /// The UDP checksum verified (`+csum` variants only).
    checksum_ok: bool,
}

mod netspec_impl {
    use super::*;
    use netspec::link::EthernetFrame;
    use netspec::net::Ipv6Packet;
    use netspec::transport::UdpDatagram;

    pub fn parse<const CSUM: bool>(data: &[u8]) -> Option<Summary> {
        let eth = EthernetFrame::parse(data).ok()?;
        let ip = Ipv6Packet::parse(eth.payload()).ok()?;
        let udp = UdpDatagram::parse(ip.payload()).ok()?;
        Some(Summary {
            eth_dst: eth.dst().0,
            eth_src: eth.src().0,
            ethertype: eth.ethertype().0,
            ip_version: ip.version(),
            ip_traffic_class: ip.traffic_class(),
            ip_flow_label: ip.flow_label(),
            ip_payload_len: ip.payload_length(),
            ip_next_header: ip.next_header().0,
            ip_hop_limit: ip.hop_limit(),
            ip_src: ip.src().octets(),
            ip_dst: ip.dst().octets(),
            src_port: udp.src_port(),
            dst_port: udp.dst_port(),
            length: udp.length(),
            checksum: udp.checksum(),
            payload_len: udp.payload().len() as u16,
            checksum_ok: CSUM && udp.verify_checksum_v6(&ip.src(), &ip.dst()),
        })
    }
}

mod etherparse_impl {
    use super::*;
    use etherparse::{LinkSlice, NetSlice, SlicedPacket, TransportSlice};

    pub fn parse<const CSUM: bool>(data: &[u8]) -> Option<Summary> {
        let p = SlicedPacket::from_ethernet(data).ok()?;
        let Some(LinkSlice::Ethernet2(eth)) = p.link else {
            return None;
        };
        let Some(NetSlice::Ipv6(ipv6)) = p.net else { return None };
        let Some(TransportSlice::Udp(udp)) = p.transport else {
            return None;
        };
        let ip = ipv6.header();
        let checksum_ok = CSUM
            && udp
                .to_header()
                .calc_checksum_ipv6_raw(ip.source(), ip.destination(), udp.payload())
                .ok()?
                == udp.checksum();
        Some(Summary {
            eth_dst: eth.destination(),
            eth_src: eth.source(),
            ethertype: eth.ether_type().0,
            ip_version: ip.version(),
            ip_traffic_class: ip.traffic_class(),
            ip_flow_label: ip.flow_label().value(),
            ip_payload_len: ip.payload_length(),
            ip_next_header: ip.next_header().0,
            ip_hop_limit: ip.hop_limit(),
            ip_src: ip.source(),
            ip_dst: ip.destination(),
            src_port: udp.source_port(),
            dst_port: udp.destination_port(),
            length: udp.length(),
            checksum: udp.checksum(),
            payload_len: udp.payload().len() as u16,
            checksum_ok,
        })
    }
}

mod smoltcp_impl {
    use super::*;
    use smoltcp::wire::{EthernetFrame, IpAddress, Ipv6Packet, UdpPacket};

    pub fn parse<const CSUM: bool>(data: &[u8]) -> Option<Summary> {
        let eth = EthernetFrame::new_checked(data).ok()?;
        let ip = Ipv6Packet::new_checked(eth.payload()).ok()?;
        let udp = UdpPacket::new_checked(ip.payload()).ok()?;
        let (src, dst) = (ip.src_addr(), ip.dst_addr());
        Some(Summary {
            eth_dst: eth.dst_addr().0,
            eth_src: eth.src_addr().0,
            ethertype: u16::from(eth.ethertype()),
            ip_version: ip.version(),
            ip_traffic_class: ip.traffic_class(),
            ip_flow_label: ip.flow_label(),
            ip_payload_len: ip.payload_len(),
            ip_next_header: u8::from(ip.next_header()),
            ip_hop_limit: ip.hop_limit(),
            ip_src: src.octets(),
            ip_dst: dst.octets(),
            src_port: udp.src_port(),
            dst_port: udp.dst_port(),
            length: udp.len(),
            checksum: udp.checksum(),
            payload_len: udp.payload().len() as u16,
            checksum_ok: CSUM && udp.verify_checksum(&IpAddress::Ipv6(src), &IpAddress::Ipv6(dst)),
        })
    }
}

mod pnet_impl {
    use super::*;
    use pnet_packet::Packet;
    use pnet_packet::ethernet::EthernetPacket;
    use pnet_packet::ipv6::Ipv6Packet;
    use pnet_packet::udp::{self, UdpPacket};

    pub fn parse<const CSUM: bool>(data: &[u8]) -> Option<Summary> {
        let eth = EthernetPacket::new(data)?;
        let ip = Ipv6Packet::new(eth.payload())?;
        let udp = UdpPacket::new(ip.payload())?;
        let (src, dst) = (ip.get_source(), ip.get_destination());
        Some(Summary {
            eth_dst: eth.get_destination().octets(),
            eth_src: eth.get_source().octets(),
            ethertype: eth.get_ethertype().0,
            ip_version: ip.get_version(),
            ip_traffic_class: ip.get_traffic_class(),
            ip_flow_label: ip.get_flow_label(),
            ip_payload_len: ip.get_payload_length(),
            ip_next_header: ip.get_next_header().0,
            ip_hop_limit: ip.get_hop_limit(),
            ip_src: src.octets(),
            ip_dst: dst.octets(),
            src_port: udp.get_source(),
            dst_port: udp.get_destination(),
            length: udp.get_length(),
            checksum: udp.get_checksum(),
            payload_len: udp.payload().len() as u16,
            checksum_ok: CSUM && udp::ipv6_checksum(&udp, &src, &dst) == udp.get_checksum(),
        })
    }
}

type ParseFn = fn(&[u8]) -> Option<Summary>;

const PARSERS: [(&str, ParseFn); 8] = [
    ("netspec", netspec_impl::parse::<false>),
    ("netspec+csum", netspec_impl::parse::<true>),
    ("etherparse", etherparse_impl::parse::<false>),
    ("etherparse+csum", etherparse_impl::parse::<true>),
    ("smoltcp", smoltcp_impl::parse::<false>),
    ("smoltcp+csum", smoltcp_impl::parse::<true>),
    ("pnet_packet", pnet_impl::parse::<false>),
    ("pnet_packet+csum", pnet_impl::parse::<true>),
];

fn ipv6_udp_parse(c: &mut Criterion) {
    let group = "ipv6_udp_parse_1280B";
    let frame = common::load_hex("ipv6_udp_1280B.hex");
    let mut reference: Option<Summary> = None;
    for (name, f) in PARSERS {
        let s = f(&frame).unwrap_or_else(|| panic!("{group}/{name}: parse failed"));
        assert_eq!(s.checksum_ok, name.ends_with("+csum"), "{group}/{name}: checksum");
        let s = Summary {
            checksum_ok: false,
            ..s
        };
        assert_eq!(
            (s.src_port, s.dst_port, s.length, s.payload_len),
            (50000, 443, 1240, 1232)
        );
        match &reference {
            None => reference = Some(s),
            Some(r) => assert_eq!(&s, r, "{group}/{name} disagrees"),
        }
    }
    let mut g = c.benchmark_group(group);
    for (name, f) in PARSERS {
        g.bench_function(name, |b| b.iter(|| f(black_box(&frame))));
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = ipv6_udp_parse
}
criterion_main!(benches);
