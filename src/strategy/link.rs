//! Strategies for the link layer: MAC addresses, VLAN tags and stacks,
//! Ethernet II / 802.3 frames and ARP packets of any address sizes
//! (IEEE 802.3-2018 §3, IEEE 802.1Q-2018 §9, RFC 826), plus byte-level
//! mutations shared by every area's "no panic" properties.

use crate::link::{
    ArpAddr, ArpHardware, ArpHeader, ArpOperation, EtherType, EthernetHeader, MAX_VLAN_DEPTH, MacAddress, VlanStack,
    VlanTag,
};
use proptest::collection::vec;
use proptest::prelude::*;

/// Any MAC address.
///
/// ```
/// use netspec::link::MacAddress;
/// use netspec::strategy::link::mac_address;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(mac in mac_address())| {
///     // Exactly one of unicast and multicast (the I/G bit).
///     prop_assert_ne!(mac.is_unicast(), mac.is_multicast());
///     prop_assert_eq!(MacAddress::from_slice(&mac.octets()), Some(mac));
/// });
/// ```
pub fn mac_address() -> impl Strategy<Value = MacAddress> {
    any::<[u8; 6]>().prop_map(MacAddress)
}

/// One of the three tag TPIDs (IEEE 802.1Q-2018 §9.5).
///
/// ```
/// use netspec::strategy::link::vlan_tpid;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(tpid in vlan_tpid())| {
///     prop_assert!(tpid.is_vlan_tpid());
/// });
/// ```
pub fn vlan_tpid() -> impl Strategy<Value = EtherType> {
    prop_oneof![
        Just(EtherType::VLAN),
        Just(EtherType::QINQ),
        Just(EtherType::QINQ_LEGACY)
    ]
}

/// Any valid tag: every TPID, PCP, DEI and VID.
///
/// ```
/// use netspec::link::VlanTag;
/// use netspec::strategy::link::vlan_tag;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(tag in vlan_tag())| {
///     prop_assert!(tag.validate(0).is_ok());
///     prop_assert_eq!(VlanTag::from_tci(tag.tpid, tag.tci()), tag);
/// });
/// ```
pub fn vlan_tag() -> impl Strategy<Value = VlanTag> {
    (vlan_tpid(), 0u8..8, any::<bool>(), 0u16..4096).prop_map(|(tpid, pcp, dei, vid)| VlanTag { tpid, pcp, dei, vid })
}

/// A stack of 0 to [`MAX_VLAN_DEPTH`] tags.
///
/// ```
/// use netspec::link::{MAX_VLAN_DEPTH, VlanStack};
/// use netspec::strategy::link::vlan_stack;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(stack in vlan_stack())| {
///     prop_assert!(stack.len() <= MAX_VLAN_DEPTH);
///     prop_assert_eq!(stack.wire_len(), 4 * stack.len());
///     prop_assert_eq!(VlanStack::from_slice(stack.as_slice()), Ok(stack));
/// });
/// ```
pub fn vlan_stack() -> impl Strategy<Value = VlanStack> {
    vec(vlan_tag(), 0..=MAX_VLAN_DEPTH).prop_map(|tags| {
        let mut s = VlanStack::new();
        for t in tags {
            // Cannot fail: at most MAX_VLAN_DEPTH tags.
            let _ = s.push(t);
        }
        s
    })
}

/// An EtherType that may end the header: at least `0x0600` and not a TPID.
/// Known values are drawn often, any other value the rest of the time.
///
/// ```
/// use netspec::strategy::link::payload_ethertype;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(t in payload_ethertype())| {
///     prop_assert!(t.0 >= 0x0600 && !t.is_vlan_tpid());
/// });
/// ```
pub fn payload_ethertype() -> impl Strategy<Value = EtherType> {
    prop_oneof![
        1 => Just(EtherType::IPV4),
        1 => Just(EtherType::ARP),
        1 => Just(EtherType::IPV6),
        4 => (0x0600u16..=0xffff).prop_filter_map("not a TPID", |v| {
            let t = EtherType(v);
            (!t.is_vlan_tpid()).then_some(t)
        }),
    ]
}

/// An Ethernet II header (no 802.3 length) over the whole field space.
///
/// ```
/// use netspec::link::EthernetHeader;
/// use netspec::strategy::link::ethernet_header;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(h in ethernet_header())| {
///     let mut buf = [0u8; 64];
///     let n = h.emit(&mut buf).unwrap();
///     prop_assert_eq!(EthernetHeader::parse(&buf[..n]).unwrap().0, h);
/// });
/// ```
pub fn ethernet_header() -> impl Strategy<Value = EthernetHeader> {
    (mac_address(), mac_address(), vlan_stack(), payload_ethertype()).prop_map(|(dst, src, tags, ethertype)| {
        EthernetHeader {
            dst,
            src,
            tags,
            ethertype,
        }
    })
}

/// A frame as `(header, payload, trailer)`: either Ethernet II with any
/// payload and no trailer, or IEEE 802.3 whose length field equals the
/// payload length (0..=1500 bytes) followed by a padding trailer.
///
/// ```
/// use netspec::link::EthernetFrame;
/// use netspec::strategy::link::{ethernet_frame, frame_bytes};
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |((h, payload, trailer) in ethernet_frame())| {
///     let bytes = frame_bytes(&h, &payload, &trailer);
///     let frame = EthernetFrame::parse(&bytes).unwrap();
///     prop_assert_eq!(frame.payload(), &payload[..]);
///     prop_assert_eq!(frame.trailer(), &trailer[..]);
/// });
/// ```
pub fn ethernet_frame() -> impl Strategy<Value = (EthernetHeader, Vec<u8>, Vec<u8>)> {
    let ethernet2 = (ethernet_header(), vec(any::<u8>(), 0..64)).prop_map(|(h, p)| (h, p, Vec::new()));
    let ieee8023 = (
        ethernet_header(),
        prop_oneof![4 => 0usize..64, 1 => 0usize..=1500],
        any::<u8>(),
        vec(any::<u8>(), 0..48),
    )
        .prop_map(|(mut h, len, fill, trailer)| {
            h.ethertype = EtherType(len as u16);
            let payload: Vec<u8> = (0..len).map(|i| fill.wrapping_add(i as u8)).collect();
            (h, payload, trailer)
        });
    prop_oneof![3 => ethernet2, 1 => ieee8023]
}

/// The bytes of [`ethernet_frame`]: canonical, so they parse.
///
/// ```
/// use netspec::link::EthernetFrame;
/// use netspec::strategy::link::ethernet_frame_bytes;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(bytes in ethernet_frame_bytes())| {
///     let frame = EthernetFrame::parse(&bytes).unwrap();
///     prop_assert_eq!(frame.to_header().header_len(), frame.header_bytes().len());
/// });
/// ```
pub fn ethernet_frame_bytes() -> impl Strategy<Value = Vec<u8>> {
    ethernet_frame().prop_map(|(h, p, t)| frame_bytes(&h, &p, &t))
}

/// Emit `h` then append `payload` and `trailer`.
///
/// ```
/// use netspec::link::{EtherType, EthernetFrame, EthernetHeader};
/// use netspec::strategy::link::{frame_bytes, mac_address};
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(dst in mac_address(), src in mac_address())| {
///     let h = EthernetHeader::new(dst, src, EtherType::IPV4);
///     let bytes = frame_bytes(&h, b"payload", &[]);
///     prop_assert_eq!(bytes.len(), 14 + 7);
///     prop_assert_eq!(EthernetFrame::parse(&bytes).unwrap().payload(), b"payload");
/// });
/// ```
pub fn frame_bytes(h: &EthernetHeader, payload: &[u8], trailer: &[u8]) -> Vec<u8> {
    let mut b = vec![0u8; h.header_len()];
    // The strategies only build emittable headers.
    let n = h.emit(&mut b).unwrap_or(0);
    b.truncate(n);
    b.extend_from_slice(payload);
    b.extend_from_slice(trailer);
    b
}

/// Frame-shaped noise: two addresses, then a run of 16-bit words drawn from
/// TPIDs, EtherTypes, 802.3 lengths and undefined values, then a tail. Most
/// parse; many hit every error path (too many tags, cut tags, lengths past
/// the end, undefined types).
///
/// ```
/// use netspec::link::EthernetFrame;
/// use netspec::strategy::link::ethernet_like_bytes;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(bytes in ethernet_like_bytes())| {
///     // A typed error or a frame; never a panic.
///     if let Ok(frame) = EthernetFrame::parse(&bytes) {
///         prop_assert!(frame.header_bytes().len() <= bytes.len());
///     }
/// });
/// ```
pub fn ethernet_like_bytes() -> impl Strategy<Value = Vec<u8>> {
    let word = prop_oneof![
        3 => vlan_tpid().prop_map(|t| t.0),
        1 => any::<u16>(),
        1 => 0u16..=1500,
        1 => 1501u16..0x0600,
    ];
    (
        any::<[u8; 12]>(),
        vec((word, any::<u16>()), 0..7),
        vec(any::<u8>(), 0..40),
    )
        .prop_map(|(addrs, words, tail)| {
            let mut b = addrs.to_vec();
            for (w, tci) in words {
                b.extend_from_slice(&w.to_be_bytes());
                if EtherType(w).is_vlan_tpid() {
                    b.extend_from_slice(&tci.to_be_bytes());
                }
            }
            b.extend(tail);
            b
        })
}

/// An ARP address of exactly `len` bytes.
///
/// ```
/// use netspec::strategy::link::arp_addr;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(a in arp_addr(6))| {
///     prop_assert_eq!(a.len(), 6);
///     prop_assert_eq!(a.as_bytes().len(), 6);
/// });
/// ```
pub fn arp_addr(len: usize) -> impl Strategy<Value = ArpAddr> {
    vec(any::<u8>(), len).prop_map(|v| ArpAddr::from_bytes(&v))
}

/// An ARP packet of any address sizes (hlen and plen 0..=255, with 6 and 4
/// drawn often), any hardware type, protocol and operation (RFC 826).
///
/// ```
/// use netspec::link::ArpHeader;
/// use netspec::strategy::link::arp_header;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(h in arp_header())| {
///     let mut buf = vec![0u8; h.header_len()];
///     let n = h.emit(&mut buf).unwrap();
///     prop_assert_eq!(ArpHeader::parse(&buf[..n]).unwrap().0, h);
/// });
/// ```
pub fn arp_header() -> impl Strategy<Value = ArpHeader> {
    let hlen = prop_oneof![2 => Just(6usize), 2 => 0usize..=16, 1 => 0usize..=255];
    let plen = prop_oneof![2 => Just(4usize), 2 => 0usize..=16, 1 => 0usize..=255];
    (hlen, plen, any::<u16>(), any::<u16>(), any::<u16>()).prop_flat_map(|(h, p, hw, pro, op)| {
        (arp_addr(h), arp_addr(p), arp_addr(h), arp_addr(p)).prop_map(move |(sha, spa, tha, tpa)| ArpHeader {
            hw_type: ArpHardware(hw),
            proto_type: EtherType(pro),
            op: ArpOperation(op),
            sender_hw: sha,
            sender_proto: spa,
            target_hw: tha,
            target_proto: tpa,
        })
    })
}

/// An Ethernet/IPv4 ARP request or reply (RFC 826).
///
/// ```
/// use netspec::strategy::link::arp_ethernet_ipv4;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(h in arp_ethernet_ipv4())| {
///     prop_assert_eq!(h.header_len(), 28);
///     prop_assert!(h.sender_mac().is_some() && h.target_ipv4().is_some());
/// });
/// ```
pub fn arp_ethernet_ipv4() -> impl Strategy<Value = ArpHeader> {
    (
        prop_oneof![Just(ArpOperation::REQUEST), Just(ArpOperation::REPLY)],
        mac_address(),
        any::<[u8; 4]>(),
        mac_address(),
        any::<[u8; 4]>(),
    )
        .prop_map(|(op, sm, si, tm, ti)| ArpHeader::ethernet_ipv4(op, sm, si.into(), tm, ti.into()))
}

/// An Ethernet frame carrying an ARP packet, with 0..32 bytes of padding.
///
/// ```
/// use netspec::link::{ArpPacket, EtherType, EthernetFrame};
/// use netspec::strategy::link::arp_frame_bytes;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(bytes in arp_frame_bytes())| {
///     let frame = EthernetFrame::parse(&bytes).unwrap();
///     prop_assert_eq!(frame.ethertype(), EtherType::ARP);
///     prop_assert!(ArpPacket::parse(frame.payload()).is_ok());
/// });
/// ```
pub fn arp_frame_bytes() -> impl Strategy<Value = Vec<u8>> {
    (
        mac_address(),
        mac_address(),
        vlan_stack(),
        arp_header(),
        vec(any::<u8>(), 0..32),
    )
        .prop_map(|(dst, src, tags, arp, pad)| {
            let h = EthernetHeader {
                dst,
                src,
                tags,
                ethertype: EtherType::ARP,
            };
            let mut p = vec![0u8; arp.header_len()];
            let n = arp.emit(&mut p).unwrap_or(0);
            p.truncate(n);
            frame_bytes(&h, &p, &pad)
        })
}

/// `bytes` with one byte replaced by a different value (unchanged if
/// empty).
///
/// ```
/// use netspec::strategy::link::{ethernet_frame_bytes, one_byte_changed};
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |((orig, bad) in ethernet_frame_bytes().prop_flat_map(|b| (Just(b.clone()), one_byte_changed(b))))| {
///     prop_assert_eq!(orig.len(), bad.len());
///     prop_assert_eq!(orig.iter().zip(&bad).filter(|(a, b)| a != b).count(), 1);
/// });
/// ```
pub fn one_byte_changed(bytes: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let n = bytes.len().max(1);
    (0..n, 1u8..=255).prop_map(move |(i, x)| {
        let mut b = bytes.clone();
        if let Some(v) = b.get_mut(i) {
            *v ^= x;
        }
        b
    })
}

/// `bytes` cut to a random shorter length.
///
/// ```
/// use netspec::link::EthernetFrame;
/// use netspec::strategy::link::{ethernet_frame_bytes, truncated};
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(cut in ethernet_frame_bytes().prop_flat_map(truncated))| {
///     // Cut anywhere: a typed error or a shorter frame, never a panic.
///     let _ = EthernetFrame::parse(&cut);
/// });
/// ```
pub fn truncated(bytes: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let n = bytes.len();
    (0..=n).prop_map(move |k| bytes[..k].to_vec())
}

/// `bytes` with a big-endian 16-bit field at `at` replaced by any value.
///
/// ```
/// use netspec::link::EthernetFrame;
/// use netspec::strategy::link::{ethernet_frame_bytes, u16_field_changed};
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(bytes in ethernet_frame_bytes().prop_flat_map(|b| u16_field_changed(b, 12)))| {
///     // The EtherType/length word at offset 12 replaced by any value.
///     let _ = EthernetFrame::parse(&bytes);
/// });
/// ```
pub fn u16_field_changed(bytes: Vec<u8>, at: usize) -> impl Strategy<Value = Vec<u8>> {
    any::<u16>().prop_map(move |v| {
        let mut b = bytes.clone();
        if at + 2 <= b.len() {
            b[at..at + 2].copy_from_slice(&v.to_be_bytes());
        }
        b
    })
}
