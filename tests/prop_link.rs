//! Properties of the link layer: Ethernet II / 802.3, VLAN tag stacks, LLC
//! and ARP (IEEE 802.3-2018 §3, IEEE 802.1Q-2018 §9, RFC 826).
#![cfg(feature = "proptest")]

mod common;

use common::proptest_config;
use netspec::link::{ArpHeader, ArpPacket, EtherType, EthernetFrame, EthernetHeader, Llc, MAX_VLAN_DEPTH, VlanTag};
use netspec::strategy::link::*;
use netspec::{Error, ErrorKind, Layer};
use proptest::prelude::*;

/// Touch every accessor of a frame and the layers it names; checks the
/// views' slices partition the input.
fn walk(buf: &[u8]) {
    if let Ok(f) = EthernetFrame::parse(buf) {
        let _ = (f.dst(), f.src(), f.ethertype(), f.length(), f.tags().inner());
        assert_eq!(f.header_len() + f.payload().len() + f.trailer().len(), buf.len());
        assert!(f.tags().len() <= MAX_VLAN_DEPTH);
        if let Some(l) = f.llc() {
            assert!(l.payload.len() <= f.payload().len());
        }
        if f.ethertype() == EtherType::ARP {
            walk_arp(f.payload());
        }
    }
    let _ = Llc::parse(buf);
    walk_arp(buf);
}

fn walk_arp(buf: &[u8]) {
    if let Ok(a) = ArpPacket::parse(buf) {
        let _ = (a.hw_type(), a.proto_type(), a.op(), a.sender_mac(), a.target_mac());
        let _ = (a.sender_ipv4(), a.target_ipv4());
        assert_eq!(a.sender_hw().len(), a.hlen() as usize);
        assert_eq!(a.target_proto().len(), a.plen() as usize);
        assert_eq!(a.header_bytes().len() + a.trailer().len(), buf.len());
    }
}

proptest! {
    #![proptest_config(proptest_config("prop_link", 1024))]

    /// parse(emit(h)) == h, with the payload and 802.3 trailer where they
    /// were put.
    #[test]
    fn ethernet_header_round_trip((h, payload, trailer) in ethernet_frame()) {
        let b = frame_bytes(&h, &payload, &trailer);
        prop_assert_eq!(b.len(), h.header_len() + payload.len() + trailer.len());
        let f = EthernetFrame::parse(&b).unwrap();
        prop_assert_eq!(f.to_header(), h);
        prop_assert_eq!(f.payload(), &payload[..]);
        prop_assert_eq!(f.trailer(), &trailer[..]);
        prop_assert_eq!(f.header_len(), h.header_len());
        let (h2, p2) = EthernetHeader::parse(&b).unwrap();
        prop_assert_eq!((h2, p2), (h, &payload[..]));
    }

    /// emit(parse(b)) == b over frame-shaped noise: every header bit is
    /// represented in the owned header.
    #[test]
    fn ethernet_bytes_round_trip(b in ethernet_like_bytes()) {
        if let Ok(f) = EthernetFrame::parse(&b) {
            let mut out = vec![0u8; f.header_len()];
            prop_assert_eq!(f.to_header().emit(&mut out), Ok(f.header_len()));
            prop_assert_eq!(&out[..], f.header_bytes());
        }
    }

    /// The frame parser's verdict on frame-shaped noise, computed here from
    /// the definition: walk TPIDs, then classify the Type/Length value.
    #[test]
    fn ethernet_errors_match_the_model(b in ethernet_like_bytes()) {
        let got = EthernetFrame::parse(&b);
        let mut at = 12;
        let mut depth = 0;
        let want: Result<usize, Error> = loop {
            if b.len() < 14 {
                break Err(Error::truncated(Layer::Ethernet, "header", 0, 14, b.len()));
            }
            let t = u16::from_be_bytes([b[at], b[at + 1]]);
            if EtherType(t).is_vlan_tpid() {
                if depth == MAX_VLAN_DEPTH {
                    break Err(Error::limit_exceeded(Layer::Vlan, "vlan_tag", at, MAX_VLAN_DEPTH));
                }
                if b.len() - at < 6 {
                    break Err(Error::truncated(Layer::Vlan, "vlan_tag", at, 6, b.len() - at));
                }
                depth += 1;
                at += 4;
                continue;
            }
            if t <= 1500 && at + 2 + t as usize > b.len() {
                break Err(Error::length_exceeds(Layer::Ethernet, "length", at, t as usize, b.len() - at - 2));
            }
            if t > 1500 && t < 0x0600 {
                break Err(Error::invalid(Layer::Ethernet, "ethertype", at, t.into(),
                    "a length of at most 1500 or an EtherType of at least 0x0600"));
            }
            break Ok(at + 2);
        };
        prop_assert_eq!(got.map(|f| f.header_len()), want);
    }

    /// Each tag's TCI splits and joins losslessly.
    #[test]
    fn vlan_tag_round_trip(t in vlan_tag()) {
        let mut b = [0u8; 4];
        prop_assert_eq!(t.emit(&mut b), Ok(4));
        let tpid = EtherType(u16::from_be_bytes([b[0], b[1]]));
        prop_assert_eq!(VlanTag::from_tci(tpid, u16::from_be_bytes([b[2], b[3]])), t);
    }

    /// Emitters never write a partial header into a short buffer.
    #[test]
    fn ethernet_emit_never_truncates(h in ethernet_header(), short in 0usize..30) {
        let n = h.header_len();
        let size = short.min(n.saturating_sub(1));
        let mut b = vec![0xa5u8; size];
        prop_assert_eq!(
            h.emit(&mut b).unwrap_err().kind,
            ErrorKind::BufferTooSmall { needed: n, available: size }
        );
        prop_assert!(b.iter().all(|&x| x == 0xa5));
    }

    /// ARP of any address sizes: parse(emit(h)) == h, trailer kept apart.
    #[test]
    fn arp_round_trip(h in arp_header(), pad in proptest::collection::vec(any::<u8>(), 0..20)) {
        let mut b = vec![0u8; h.header_len()];
        prop_assert_eq!(h.emit(&mut b), Ok(h.header_len()));
        b.extend_from_slice(&pad);
        let p = ArpPacket::parse(&b).unwrap();
        prop_assert_eq!(p.to_header(), h);
        prop_assert_eq!(p.trailer(), &pad[..]);
        prop_assert_eq!(ArpHeader::parse(&b).unwrap(), (h, &pad[..]));
    }

    /// Ethernet/IPv4 ARP has the typed view, 28 bytes.
    #[test]
    fn arp_ethernet_ipv4_typed(h in arp_ethernet_ipv4()) {
        let mut b = [0u8; 28];
        prop_assert_eq!(h.emit(&mut b), Ok(28));
        let p = ArpPacket::parse(&b).unwrap();
        prop_assert_eq!(p.sender_mac(), h.sender_mac());
        prop_assert_eq!(p.target_mac(), h.target_mac());
        prop_assert_eq!(p.sender_ipv4(), h.sender_ipv4());
        prop_assert_eq!(p.target_ipv4(), h.target_ipv4());
        prop_assert!(p.sender_mac().is_some() && p.target_ipv4().is_some());
    }

    /// emit(parse(b)) == b for ARP over arbitrary bytes.
    #[test]
    fn arp_bytes_round_trip(b in proptest::collection::vec(any::<u8>(), 0..80)) {
        if let Ok(p) = ArpPacket::parse(&b) {
            let mut out = vec![0u8; p.packet_len()];
            prop_assert_eq!(p.to_header().emit(&mut out), Ok(p.packet_len()));
            prop_assert_eq!(&out[..], p.header_bytes());
        }
    }

    /// A lying hlen/plen gives exactly the truncation the sizes imply.
    #[test]
    fn arp_length_fields_mutated(h in arp_header(), hlen in any::<u8>(), plen in any::<u8>()) {
        let mut b = vec![0u8; h.header_len()];
        h.emit(&mut b).unwrap();
        b[4] = hlen;
        b[5] = plen;
        let need = 2 * (hlen as usize + plen as usize);
        match ArpPacket::parse(&b) {
            Ok(p) => prop_assert!(8 + need <= b.len() && p.packet_len() == 8 + need),
            Err(e) => prop_assert_eq!(e, Error::truncated(Layer::Arp, "addresses", 8, need, b.len() - 8)),
        }
    }
}

// The no-panic properties are cheap: run more cases.
proptest! {
    #![proptest_config(proptest_config("prop_link", 4096))]

    /// No panic, and consistent slices, on arbitrary bytes.
    #[test]
    fn no_panic_on_arbitrary_bytes(b in proptest::collection::vec(any::<u8>(), 0..96)) {
        walk(&b);
    }

    /// No panic on valid frames (Ethernet, VLAN, ARP) with one byte changed,
    /// cut short, or the Type/Length (or a TPID) overwritten.
    #[test]
    fn no_panic_on_mutated_frames(
        b in prop_oneof![ethernet_frame_bytes(), arp_frame_bytes()]
            .prop_flat_map(|b| prop_oneof![
                one_byte_changed(b.clone()),
                truncated(b.clone()),
                (12usize..32).prop_flat_map(move |at| u16_field_changed(b.clone(), at)),
            ])
    ) {
        walk(&b);
    }
}
