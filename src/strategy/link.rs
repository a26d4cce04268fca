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
pub fn mac_address() -> impl Strategy<Value = MacAddress> {
    any::<[u8; 6]>().prop_map(MacAddress)
}

/// One of the three tag TPIDs (IEEE 802.1Q-2018 §9.5).
pub fn vlan_tpid() -> impl Strategy<Value = EtherType> {
    prop_oneof![
        Just(EtherType::VLAN),
        Just(EtherType::QINQ),
        Just(EtherType::QINQ_LEGACY)
    ]
}

/// Any valid tag: every TPID, PCP, DEI and VID.
pub fn vlan_tag() -> impl Strategy<Value = VlanTag> {
    (vlan_tpid(), 0u8..8, any::<bool>(), 0u16..4096).prop_map(|(tpid, pcp, dei, vid)| VlanTag { tpid, pcp, dei, vid })
}

/// A stack of 0 to [`MAX_VLAN_DEPTH`] tags.
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
pub fn ethernet_frame_bytes() -> impl Strategy<Value = Vec<u8>> {
    ethernet_frame().prop_map(|(h, p, t)| frame_bytes(&h, &p, &t))
}

/// Emit `h` then append `payload` and `trailer`.
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
pub fn arp_addr(len: usize) -> impl Strategy<Value = ArpAddr> {
    vec(any::<u8>(), len).prop_map(|v| ArpAddr::from_bytes(&v))
}

/// An ARP packet of any address sizes (hlen and plen 0..=255, with 6 and 4
/// drawn often), any hardware type, protocol and operation (RFC 826).
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
pub fn truncated(bytes: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let n = bytes.len();
    (0..=n).prop_map(move |k| bytes[..k].to_vec())
}

/// `bytes` with a big-endian 16-bit field at `at` replaced by any value.
pub fn u16_field_changed(bytes: Vec<u8>, at: usize) -> impl Strategy<Value = Vec<u8>> {
    any::<u16>().prop_map(move |v| {
        let mut b = bytes.clone();
        if at + 2 <= b.len() {
            b[at..at + 2].copy_from_slice(&v.to_be_bytes());
        }
        b
    })
}
