//! The mutable views one by one: RFC 1624's worked example, each setter
//! against a full recompute, and the pseudo-header hook for address
//! changes made outside a transport view.

use core::net::{Ipv4Addr, Ipv6Addr};

use netspec::checksum;
use netspec::edit::{Ipv4PacketMut, Ipv6PacketMut, TcpSegmentMut, UdpDatagramMut};
use netspec::net::Ipv4Packet;
use netspec::transport::tcp::{TcpFlags, TcpHeader, TcpSegment};
use netspec::transport::udp::{UdpDatagram, UdpHeader};

/// RFC 1624 §4: the other header words sum to 0xCD7A, a word goes from
/// 0x5555 to 0x3285; the old checksum is 0xDD2F and the new one 0x0000,
/// by recomputation and by eqn. 3 alike. Here the changing word is the
/// IPv4 Identification.
#[test]
fn rfc1624_section4_example() {
    // 4500 0014 5555 0000 4006 [cksum] 4860 0000 0000 0000: the words other
    // than Identification and the checksum sum to 0xCD7A.
    let mut h = [
        0x45, 0x00, 0x00, 0x14, 0x55, 0x55, 0x00, 0x00, 0x40, 0x06, 0x00, 0x00, 0x48, 0x60, 0x00, 0x00, 0, 0, 0, 0,
    ];
    let c = checksum::internet_checksum(&h);
    assert_eq!(c, 0xdd2f);
    h[10..12].copy_from_slice(&c.to_be_bytes());
    let mut v = Ipv4PacketMut::new(&mut h).unwrap();
    v.set_identification(0x3285);
    assert_eq!(v.checksum(), 0x0000);
    assert!(Ipv4Packet::parse(&h).unwrap().verify_checksum());
}

fn ipv4() -> Vec<u8> {
    let mut h = netspec::net::Ipv4Header::new(Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2), 6.into(), 0);
    h.fill_checksum();
    let mut b = vec![0u8; 20];
    h.emit(&mut b).unwrap();
    b
}

#[test]
fn ipv4_setters_match_a_full_recompute() {
    let mut b = ipv4();
    let mut v = Ipv4PacketMut::new(&mut b).unwrap();
    for ttl in [0u8, 1, 63, 255] {
        v.set_ttl(ttl);
        v.set_dscp(ttl % 64).unwrap();
        v.set_ecn(ttl % 4).unwrap();
        v.set_identification(u16::from(ttl) * 257);
        let old = v.src();
        assert_eq!(v.set_src(Ipv4Addr::new(ttl, 1, 2, 3)), old);
        v.set_dst(Ipv4Addr::new(3, 2, 1, ttl));
        let kept = v.checksum();
        assert_eq!(v.fill_checksum(), kept);
        assert_eq!((v.ttl(), v.dst()), (ttl, Ipv4Addr::new(3, 2, 1, ttl)));
    }
    assert!(v.set_dscp(64).is_err() && v.set_ecn(4).is_err());
    let p = Ipv4Packet::parse(&b).unwrap();
    assert_eq!((p.dscp(), p.ecn(), p.identification()), (255 % 64, 3, 255 * 257));
    assert!(Ipv4PacketMut::new(&mut [0x45, 0, 0]).is_err());
}

#[test]
fn ipv6_setters_touch_only_their_bits() {
    let h = netspec::net::Ipv6Header {
        flow_label: 0xabcde,
        dscp: 10,
        ecn: 1,
        ..Default::default()
    };
    let mut b = [0u8; 40];
    h.emit(&mut b).unwrap();
    let mut v = Ipv6PacketMut::new(&mut b).unwrap();
    v.set_dscp(63).unwrap();
    v.set_ecn(2).unwrap();
    v.set_flow_label(0x12345).unwrap();
    v.set_hop_limit(9);
    v.set_src(Ipv6Addr::LOCALHOST);
    assert_eq!(v.set_dst(Ipv6Addr::from(5u128)), Ipv6Addr::UNSPECIFIED);
    assert!(v.set_flow_label(1 << 20).is_err() && v.set_dscp(64).is_err() && v.set_ecn(4).is_err());
    let p = netspec::net::Ipv6Packet::parse(&b).unwrap();
    assert_eq!(
        (p.version(), p.dscp(), p.ecn(), p.flow_label(), p.hop_limit()),
        (6, 63, 2, 0x12345, 9)
    );
    assert_eq!((p.src(), p.dst()), (Ipv6Addr::LOCALHOST, Ipv6Addr::from(5u128)));
}

#[test]
fn tcp_setters_and_pseudo_header_hook() {
    let (src, dst) = (Ipv4Addr::new(192, 0, 2, 1), Ipv4Addr::new(192, 0, 2, 2));
    let mut b = [0u8; 25];
    TcpHeader::new(1, 2)
        .emit_segment_v4(b"hello", src, dst, &mut b)
        .unwrap();
    let mut v = TcpSegmentMut::new(&mut b).unwrap();
    v.set_src_port(443);
    v.set_dst_port(55555);
    v.set_seq(u32::MAX);
    v.set_ack(7);
    v.set_flags(TcpFlags::SYN | TcpFlags::ACK | TcpFlags::AE).unwrap();
    assert!(v.set_flags(TcpFlags::from_bits_retain(0x200)).is_err());
    v.set_window(0);
    v.set_urgent_ptr(3);
    // The address changes in the IP header; the segment hears about it.
    let new_dst = Ipv4Addr::new(203, 0, 113, 77);
    v.update_pseudo_header(&dst.octets(), &new_dst.octets());
    let kept = v.checksum();
    assert_eq!(v.fill_checksum_v4(src, new_dst).unwrap(), kept);
    let s = TcpSegment::parse(&b).unwrap();
    assert!(s.verify_checksum_v4(src, new_dst));
    assert_eq!(
        (s.src_port(), s.dst_port(), s.seq(), s.ack(), s.window(), s.urgent_ptr()),
        (443, 55555, u32::MAX, 7, 0, 3)
    );
    assert_eq!(s.flags(), TcpFlags::SYN | TcpFlags::ACK | TcpFlags::AE);
    assert_eq!(s.data_offset(), 5);
}

#[test]
fn udp_setters_keep_checksum_or_its_absence() {
    let (src, dst) = (Ipv6Addr::LOCALHOST, Ipv6Addr::from(9u128));
    let mut b = [0u8; 13];
    UdpHeader::default()
        .emit_datagram_v6(b"hello", &src, &dst, &mut b)
        .unwrap();
    let mut v = UdpDatagramMut::new(&mut b).unwrap();
    v.set_src_port(53);
    v.set_dst_port(5353);
    let new_src = Ipv6Addr::from(u128::MAX);
    v.update_pseudo_header(&src.octets(), &new_src.octets());
    assert_ne!(v.checksum(), 0);
    let d = UdpDatagram::parse(&b).unwrap();
    assert!(d.verify_checksum_v6(&new_src, &dst));
    assert_eq!((d.src_port(), d.dst_port()), (53, 5353));

    // A zero checksum over IPv4 means "none" and stays zero.
    let mut b = [0u8; 8];
    UdpHeader::for_payload(1, 2, 0).unwrap().emit(&mut b).unwrap();
    let mut v = UdpDatagramMut::new(&mut b).unwrap();
    v.set_src_port(9);
    v.update_pseudo_header(&[1, 2, 3, 4], &[5, 6, 7, 8]);
    assert_eq!(v.checksum(), 0);
}
