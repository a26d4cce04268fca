//! ARP, the Address Resolution Protocol (RFC 826).
//!
//! A host that wants to send an IPv4 datagram to a neighbour knows its IP
//! address but needs its MAC address. It broadcasts an ARP *request*
//! ("who has 192.0.2.1? tell 192.0.2.2") and the owner answers with a
//! unicast *reply* carrying its MAC. ARP is generic: the hardware and
//! protocol address sizes are fields, so the same packet serves any link
//! and network protocol (RFC 826, "Packet format"):
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |     Hardware Type (ar$hrd)    |     Protocol Type (ar$pro)    |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! | HLEN (ar$hln) | PLEN (ar$pln) |        Operation (ar$op)      |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |   Sender hardware address (ar$sha), HLEN bytes                |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |   Sender protocol address (ar$spa), PLEN bytes                |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |   Target hardware address (ar$tha), HLEN bytes                |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |   Target protocol address (ar$tpa), PLEN bytes                |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! Ethernet/IPv4 ARP has HLEN 6 and PLEN 4: 28 bytes, padded by Ethernet to
//! its 46-byte minimum payload. The view [`ArpPacket`] exposes that padding
//! as [`ArpPacket::trailer`].
//!
//! A receiver (RFC 826, "Packet Reception") first updates the entry for the
//! sender's protocol address if it has one (the *merge* step), and only then
//! checks whether it is the target; if so it adds the sender, and answers a
//! request by swapping sender and target, filling in its own hardware
//! address and setting the operation to reply. So every request teaches
//! the target the requester's address for free. Two common variants reuse
//! the same packet: a *gratuitous* ARP announces one's own mapping (sender
//! and target protocol address equal), and an *ARP probe* (RFC 5227 §2.1.1)
//! checks that an address is free, with an all-zero sender protocol
//! address.
//!
//! ```
//! use core::net::Ipv4Addr;
//! use netspec::link::{ArpHeader, ArpOperation, ArpPacket, MacAddress};
//! let me = MacAddress([2, 0, 0, 0, 0, 2]);
//! let h = ArpHeader::ethernet_ipv4(
//!     ArpOperation::REQUEST, me, Ipv4Addr::new(192, 0, 2, 2),
//!     MacAddress::ZERO, Ipv4Addr::new(192, 0, 2, 1),
//! );
//! let mut buf = [0u8; 46];
//! assert_eq!(h.emit(&mut buf)?, 28);
//! let p = ArpPacket::parse(&buf)?;
//! assert_eq!(p.sender_mac(), Some(me));
//! assert_eq!(p.target_ipv4(), Some(Ipv4Addr::new(192, 0, 2, 1)));
//! assert_eq!(p.trailer().len(), 18);
//! assert_eq!(p.to_header(), h);
//! # Ok::<(), netspec::Error>(())
//! ```

use super::{EtherType, MacAddress};
use crate::error::{Error, Layer, Result};
use crate::parse::{get_u16, need, put_u16, room};
use core::fmt;
use core::net::Ipv4Addr;

/// Bytes before the addresses (RFC 826).
pub const FIXED_LEN: usize = 8;

mod field {
    pub const HRD: usize = 0;
    pub const PRO: usize = 2;
    pub const HLN: usize = 4;
    pub const PLN: usize = 5;
    pub const OP: usize = 6;
    pub const SHA: usize = 8;
}

/// ARP hardware type `ar$hrd` (RFC 826; IANA "ARP Parameters",
/// Hardware Types). Open: every value is kept.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct ArpHardware(pub u16);

impl ArpHardware {
    /// Ethernet (10Mb), RFC 826.
    pub const ETHERNET: ArpHardware = ArpHardware(1);
    /// IEEE 802 networks (RFC 1042).
    pub const IEEE802: ArpHardware = ArpHardware(6);
    /// Frame Relay (RFC 2390).
    pub const FRAME_RELAY: ArpHardware = ArpHardware(15);
    /// InfiniBand (RFC 4391).
    pub const INFINIBAND: ArpHardware = ArpHardware(32);

    /// The IANA name of a known value (RFC 826).
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            1 => "Ethernet",
            6 => "IEEE 802",
            15 => "Frame Relay",
            32 => "InfiniBand",
            _ => return None,
        })
    }
}

crate::macros::named_number_fmt!(ArpHardware, "{}");

/// ARP operation code `ar$op` (RFC 826; RFC 903 for RARP, RFC 2390 for
/// InARP; IANA "ARP Parameters", Operation Codes). Open.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct ArpOperation(pub u16);

impl ArpOperation {
    /// `ares_op$REQUEST` (RFC 826).
    pub const REQUEST: ArpOperation = ArpOperation(1);
    /// `ares_op$REPLY` (RFC 826).
    pub const REPLY: ArpOperation = ArpOperation(2);
    /// RARP request (RFC 903).
    pub const RARP_REQUEST: ArpOperation = ArpOperation(3);
    /// RARP reply (RFC 903).
    pub const RARP_REPLY: ArpOperation = ArpOperation(4);
    /// Inverse ARP request (RFC 2390).
    pub const INARP_REQUEST: ArpOperation = ArpOperation(8);
    /// Inverse ARP reply (RFC 2390).
    pub const INARP_REPLY: ArpOperation = ArpOperation(9);

    /// The name of a known value (RFC 826).
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            1 => "request",
            2 => "reply",
            3 => "rarp-request",
            4 => "rarp-reply",
            8 => "inarp-request",
            9 => "inarp-reply",
            _ => return None,
        })
    }
}

crate::macros::named_number_fmt!(ArpOperation, "{}");

/// A zero-copy view of an ARP packet of any address sizes (RFC 826).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArpPacket<'a> {
    buf: &'a [u8],
    hlen: usize,
    plen: usize,
}

impl<'a> ArpPacket<'a> {
    /// Parse an ARP packet: the 8 fixed bytes, then `2 * (hlen + plen)`
    /// address bytes (RFC 826). Bytes after them are the [`trailer`](Self::trailer).
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        need(buf, FIXED_LEN, Layer::Arp, "header", 0)?;
        let hlen = buf[field::HLN] as usize;
        let plen = buf[field::PLN] as usize;
        let addrs = 2 * (hlen + plen);
        need(&buf[FIXED_LEN..], addrs, Layer::Arp, "addresses", FIXED_LEN)?;
        Ok(ArpPacket { buf, hlen, plen })
    }

    /// `ar$hrd`: hardware address space (RFC 826).
    pub fn hw_type(&self) -> ArpHardware {
        ArpHardware(get_u16(self.buf, field::HRD))
    }

    /// `ar$pro`: protocol address space, an EtherType (RFC 826).
    pub fn proto_type(&self) -> EtherType {
        EtherType(get_u16(self.buf, field::PRO))
    }

    /// `ar$hln`: bytes per hardware address (RFC 826).
    pub fn hlen(&self) -> u8 {
        self.hlen as u8
    }

    /// `ar$pln`: bytes per protocol address (RFC 826).
    pub fn plen(&self) -> u8 {
        self.plen as u8
    }

    /// `ar$op`: the operation (RFC 826).
    pub fn op(&self) -> ArpOperation {
        ArpOperation(get_u16(self.buf, field::OP))
    }

    fn addr(&self, index: usize) -> &'a [u8] {
        let (h, p) = (self.hlen, self.plen);
        let start = field::SHA + [0, h, h + p, 2 * h + p][index];
        let len = if index % 2 == 0 { h } else { p };
        &self.buf[start..start + len]
    }

    /// `ar$sha`: sender hardware address (RFC 826).
    pub fn sender_hw(&self) -> &'a [u8] {
        self.addr(0)
    }

    /// `ar$spa`: sender protocol address (RFC 826).
    pub fn sender_proto(&self) -> &'a [u8] {
        self.addr(1)
    }

    /// `ar$tha`: target hardware address (RFC 826).
    pub fn target_hw(&self) -> &'a [u8] {
        self.addr(2)
    }

    /// `ar$tpa`: target protocol address (RFC 826).
    pub fn target_proto(&self) -> &'a [u8] {
        self.addr(3)
    }

    fn is_ethernet(&self) -> bool {
        self.hw_type() == ArpHardware::ETHERNET && self.hlen == 6
    }

    fn is_ipv4(&self) -> bool {
        self.proto_type() == EtherType::IPV4 && self.plen == 4
    }

    /// The sender MAC, when the hardware type is Ethernet with 6-byte
    /// addresses (RFC 826).
    pub fn sender_mac(&self) -> Option<MacAddress> {
        self.is_ethernet().then(|| mac(self.sender_hw()))
    }

    /// The target MAC, when the hardware type is Ethernet with 6-byte
    /// addresses (RFC 826).
    pub fn target_mac(&self) -> Option<MacAddress> {
        self.is_ethernet().then(|| mac(self.target_hw()))
    }

    /// The sender IPv4 address, when the protocol is IPv4 with 4-byte
    /// addresses (RFC 826).
    pub fn sender_ipv4(&self) -> Option<Ipv4Addr> {
        self.is_ipv4().then(|| ipv4(self.sender_proto()))
    }

    /// The target IPv4 address, when the protocol is IPv4 with 4-byte
    /// addresses (RFC 826).
    pub fn target_ipv4(&self) -> Option<Ipv4Addr> {
        self.is_ipv4().then(|| ipv4(self.target_proto()))
    }

    /// Bytes of the ARP packet: `8 + 2 * (hlen + plen)` (RFC 826).
    pub fn packet_len(&self) -> usize {
        FIXED_LEN + 2 * (self.hlen + self.plen)
    }

    /// The packet bytes (RFC 826).
    pub fn header_bytes(&self) -> &'a [u8] {
        &self.buf[..self.packet_len()]
    }

    /// Bytes after the packet: link-layer padding (RFC 826).
    pub fn trailer(&self) -> &'a [u8] {
        &self.buf[self.packet_len()..]
    }

    /// The owned packet (RFC 826).
    pub fn to_header(&self) -> ArpHeader {
        ArpHeader {
            hw_type: self.hw_type(),
            proto_type: self.proto_type(),
            op: self.op(),
            sender_hw: ArpAddr::from_bytes(self.sender_hw()),
            sender_proto: ArpAddr::from_bytes(self.sender_proto()),
            target_hw: ArpAddr::from_bytes(self.target_hw()),
            target_proto: ArpAddr::from_bytes(self.target_proto()),
        }
    }
}

fn mac(b: &[u8]) -> MacAddress {
    MacAddress([b[0], b[1], b[2], b[3], b[4], b[5]])
}

fn ipv4(b: &[u8]) -> Ipv4Addr {
    Ipv4Addr::new(b[0], b[1], b[2], b[3])
}

/// One ARP address of 0..=255 bytes, stored inline (`ar$hln` and `ar$pln`
/// are 8-bit, RFC 826), so the owned packet never allocates.
#[derive(Clone, Copy)]
pub struct ArpAddr {
    len: u8,
    bytes: [u8; 255],
}

impl ArpAddr {
    /// The empty address (RFC 826).
    pub const EMPTY: ArpAddr = ArpAddr {
        len: 0,
        bytes: [0; 255],
    };

    /// Copy up to 255 bytes; longer input is cut to 255 (the most an 8-bit
    /// length can describe) (RFC 826).
    pub fn from_bytes(b: &[u8]) -> ArpAddr {
        let n = b.len().min(255);
        let mut a = ArpAddr::EMPTY;
        a.bytes[..n].copy_from_slice(&b[..n]);
        a.len = n as u8;
        a
    }

    /// The address bytes (RFC 826).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }

    /// Length in bytes (RFC 826).
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    /// True for a zero-length address (RFC 826).
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Default for ArpAddr {
    fn default() -> Self {
        ArpAddr::EMPTY
    }
}

impl From<MacAddress> for ArpAddr {
    fn from(m: MacAddress) -> Self {
        ArpAddr::from_bytes(&m.0)
    }
}

impl From<Ipv4Addr> for ArpAddr {
    fn from(a: Ipv4Addr) -> Self {
        ArpAddr::from_bytes(&a.octets())
    }
}

impl PartialEq for ArpAddr {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for ArpAddr {}

impl core::hash::Hash for ArpAddr {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

impl fmt::Debug for ArpAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ArpAddr(")?;
        for (i, b) in self.as_bytes().iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02x}")?;
        }
        f.write_str(")")
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for ArpAddr {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let n = u.int_in_range(0..=255usize)?;
        Ok(ArpAddr::from_bytes(u.bytes(n.min(u.len()))?))
    }
}

/// An owned ARP packet of any address sizes (RFC 826). The two hardware
/// addresses must have the same length, and so must the two protocol
/// addresses; [`emit`](Self::emit) checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct ArpHeader {
    /// `ar$hrd` (RFC 826).
    pub hw_type: ArpHardware,
    /// `ar$pro` (RFC 826).
    pub proto_type: EtherType,
    /// `ar$op` (RFC 826).
    pub op: ArpOperation,
    /// `ar$sha` (RFC 826).
    pub sender_hw: ArpAddr,
    /// `ar$spa` (RFC 826).
    pub sender_proto: ArpAddr,
    /// `ar$tha` (RFC 826).
    pub target_hw: ArpAddr,
    /// `ar$tpa` (RFC 826).
    pub target_proto: ArpAddr,
}

impl ArpHeader {
    /// An Ethernet/IPv4 packet (hardware type 1, protocol 0x0800, HLEN 6,
    /// PLEN 4), RFC 826.
    pub fn ethernet_ipv4(
        op: ArpOperation,
        sender_mac: MacAddress,
        sender_ip: Ipv4Addr,
        target_mac: MacAddress,
        target_ip: Ipv4Addr,
    ) -> ArpHeader {
        ArpHeader {
            hw_type: ArpHardware::ETHERNET,
            proto_type: EtherType::IPV4,
            op,
            sender_hw: sender_mac.into(),
            sender_proto: sender_ip.into(),
            target_hw: target_mac.into(),
            target_proto: target_ip.into(),
        }
    }

    /// The sender MAC for Ethernet with 6-byte addresses (RFC 826).
    pub fn sender_mac(&self) -> Option<MacAddress> {
        (self.hw_type == ArpHardware::ETHERNET).then(|| MacAddress::from_slice(self.sender_hw.as_bytes()))?
    }

    /// The target MAC for Ethernet with 6-byte addresses (RFC 826).
    pub fn target_mac(&self) -> Option<MacAddress> {
        (self.hw_type == ArpHardware::ETHERNET).then(|| MacAddress::from_slice(self.target_hw.as_bytes()))?
    }

    /// The sender IPv4 address for protocol IPv4 with 4-byte addresses (RFC 826).
    pub fn sender_ipv4(&self) -> Option<Ipv4Addr> {
        let b = <[u8; 4]>::try_from(self.sender_proto.as_bytes()).ok()?;
        (self.proto_type == EtherType::IPV4).then(|| Ipv4Addr::from(b))
    }

    /// The target IPv4 address for protocol IPv4 with 4-byte addresses (RFC 826).
    pub fn target_ipv4(&self) -> Option<Ipv4Addr> {
        let b = <[u8; 4]>::try_from(self.target_proto.as_bytes()).ok()?;
        (self.proto_type == EtherType::IPV4).then(|| Ipv4Addr::from(b))
    }

    /// Bytes [`emit`](Self::emit) writes: `8 + 2 * (hlen + plen)` (RFC 826).
    pub fn header_len(&self) -> usize {
        FIXED_LEN + 2 * (self.sender_hw.len() + self.sender_proto.len())
    }

    /// Write the packet (RFC 826). Sender and target addresses of different
    /// lengths are [`crate::ErrorKind::Invalid`], naming the target field.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let (h, p) = (self.sender_hw.len(), self.sender_proto.len());
        if self.target_hw.len() != h {
            return Err(Error::invalid(
                Layer::Arp,
                "target_hw_addr",
                FIXED_LEN + h + p,
                self.target_hw.len() as u64,
                "the sender hardware address length (ar$hln)",
            ));
        }
        if self.target_proto.len() != p {
            return Err(Error::invalid(
                Layer::Arp,
                "target_proto_addr",
                FIXED_LEN + 2 * h + p,
                self.target_proto.len() as u64,
                "the sender protocol address length (ar$pln)",
            ));
        }
        let n = self.header_len();
        room(buf, n, Layer::Arp)?;
        put_u16(buf, field::HRD, self.hw_type.0);
        put_u16(buf, field::PRO, self.proto_type.0);
        buf[field::HLN] = h as u8;
        buf[field::PLN] = p as u8;
        put_u16(buf, field::OP, self.op.0);
        let mut at = field::SHA;
        for a in [&self.sender_hw, &self.sender_proto, &self.target_hw, &self.target_proto] {
            buf[at..at + a.len()].copy_from_slice(a.as_bytes());
            at += a.len();
        }
        Ok(n)
    }

    /// Parse a packet; returns it and the trailer ([`ArpPacket::parse`] then
    /// [`ArpPacket::to_header`]) (RFC 826).
    pub fn parse(buf: &[u8]) -> Result<(ArpHeader, &[u8])> {
        let p = ArpPacket::parse(buf)?;
        Ok((p.to_header(), p.trailer()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WHO_HAS: [u8; 28] = [
        0, 1, 8, 0, 6, 4, 0, 1, 0x78, 0x31, 0xc1, 0xc6, 0x3f, 0xc2, 10, 0, 0, 2, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1,
    ];

    #[test]
    fn ethernet_ipv4_request() {
        let p = ArpPacket::parse(&WHO_HAS).unwrap();
        assert_eq!(p.hw_type(), ArpHardware::ETHERNET);
        assert_eq!(p.proto_type(), EtherType::IPV4);
        assert_eq!((p.hlen(), p.plen(), p.op()), (6, 4, ArpOperation::REQUEST));
        assert_eq!(p.sender_mac(), Some(MacAddress([0x78, 0x31, 0xc1, 0xc6, 0x3f, 0xc2])));
        assert_eq!(p.sender_ipv4(), Some(Ipv4Addr::new(10, 0, 0, 2)));
        assert_eq!(p.target_mac(), Some(MacAddress::ZERO));
        assert_eq!(p.target_ipv4(), Some(Ipv4Addr::new(10, 0, 0, 1)));
        let h = p.to_header();
        assert_eq!(h.sender_mac(), p.sender_mac());
        assert_eq!(h.target_ipv4(), p.target_ipv4());
        let mut b = [0u8; 28];
        assert_eq!(h.emit(&mut b), Ok(28));
        assert_eq!(b, WHO_HAS);
    }

    #[test]
    fn odd_sizes_have_no_typed_view() {
        let b = [0, 6, 0x86, 0xdd, 1, 2, 0, 9, 0xa, 1, 2, 0xb, 3, 4];
        let p = ArpPacket::parse(&b).unwrap();
        assert_eq!(p.sender_hw(), &[0xa]);
        assert_eq!(p.sender_proto(), &[1, 2]);
        assert_eq!(p.target_hw(), &[0xb]);
        assert_eq!(p.target_proto(), &[3, 4]);
        assert_eq!((p.sender_mac(), p.sender_ipv4()), (None, None));
        assert!(p.trailer().is_empty());
    }

    #[test]
    fn truncated_addresses() {
        let e = ArpPacket::parse(&WHO_HAS[..27]).unwrap_err();
        assert_eq!(e, Error::truncated(Layer::Arp, "addresses", 8, 20, 19));
        let e = ArpPacket::parse(&WHO_HAS[..7]).unwrap_err();
        assert_eq!(e, Error::truncated(Layer::Arp, "header", 0, 8, 7));
        // The largest sizes: 8 + 2 * 510 bytes are needed, not more.
        let mut big = [0u8; 8];
        big[4] = 255;
        big[5] = 255;
        let e = ArpPacket::parse(&big).unwrap_err();
        assert_eq!(e, Error::truncated(Layer::Arp, "addresses", 8, 1020, 0));
    }

    #[test]
    fn emit_checks_matching_lengths() {
        let mut h = ArpPacket::parse(&WHO_HAS).unwrap().to_header();
        h.target_hw = ArpAddr::from_bytes(&[1, 2]);
        let mut b = [0u8; 64];
        let e = h.emit(&mut b).unwrap_err();
        assert_eq!((e.field, e.offset), ("target_hw_addr", 18));
        h.target_hw = MacAddress::ZERO.into();
        h.target_proto = ArpAddr::EMPTY;
        let e = h.emit(&mut b).unwrap_err();
        assert_eq!((e.layer, e.field, e.offset), (Layer::Arp, "target_proto_addr", 24));
        h.target_proto = Ipv4Addr::LOCALHOST.into();
        assert_eq!(h.emit(&mut b[..27]), Err(Error::buffer_too_small(Layer::Arp, 28, 27)));
    }
}
