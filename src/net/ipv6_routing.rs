//! The IPv6 Routing header (RFC 8200 §4.4) and its address-carrying types.
//!
//! A source lists intermediate nodes to visit on the way to the
//! destination. All routing types share the first four bytes:
//!
//! ```text
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  Next Header  |  Hdr Ext Len  |  Routing Type | Segments Left |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                                                               |
//! .                       type-specific data                      .
//! |                                                               |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! *Segments Left* counts the listed nodes still to be visited. netspec
//! reads the address list of three types:
//!
//! * **Type 0** (RFC 2460 §4.4, deprecated by RFC 5095 because it allows
//!   traffic amplification, but still seen in captures): four reserved bytes,
//!   then `Hdr Ext Len / 2` addresses; the last is the final destination.
//! * **Type 2** (RFC 6275 §6.4, Mobile IPv6): four reserved bytes and one
//!   address, the mobile node's home address, which is the final
//!   destination.
//! * **Type 4**, the Segment Routing Header (RFC 8754 §2): Last Entry,
//!   Flags, Tag, then the segment list *in reverse order*: Segment List\[0\]
//!   is the last segment, the final destination.
//!
//! The upper-layer checksum (RFC 8200 §8.1) uses that final destination
//! while Segments Left is non-zero; see
//! [`crate::net::ipv6_ext::Ipv6ExtChain::final_destination`].

use crate::error::{Error, Layer, Result};
use crate::net::IpProtocol;
use crate::net::ipv6_ext::{InlineBytes, Ipv6ExtHeader, MAX_EXT_HEADER_LEN, emit_ext_start};
use crate::parse::get_u16;
use core::net::Ipv6Addr;

/// Routing type 0, Source Route (RFC 2460 §4.4; deprecated, RFC 5095).
pub const ROUTING_TYPE_0: u8 = 0;
/// Routing type 2, Mobile IPv6 home address (RFC 6275 §6.4).
pub const ROUTING_TYPE_2: u8 = 2;
/// Routing type 4, Segment Routing Header (RFC 8754 §2).
pub const ROUTING_TYPE_SRH: u8 = 4;

/// Iterator over 16-byte IPv6 addresses in a byte slice; stops at the
/// last whole address (RFC 8200 §4.4).
#[derive(Clone, Debug)]
pub struct AddressIter<'a> {
    chunks: core::slice::ChunksExact<'a, u8>,
}

impl<'a> AddressIter<'a> {
    /// The first `count` whole addresses of `bytes` (fewer if `bytes` is
    /// shorter) (RFC 8200 §4.4).
    pub fn new(bytes: &'a [u8], count: usize) -> Self {
        let n = (bytes.len() / 16).min(count);
        AddressIter {
            chunks: bytes[..n * 16].chunks_exact(16),
        }
    }
}

impl Iterator for AddressIter<'_> {
    type Item = Ipv6Addr;

    fn next(&mut self) -> Option<Ipv6Addr> {
        let c = self.chunks.next()?;
        let mut a = [0u8; 16];
        a.copy_from_slice(c);
        Some(Ipv6Addr::from(a))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.chunks.size_hint()
    }
}

impl ExactSizeIterator for AddressIter<'_> {}

impl DoubleEndedIterator for AddressIter<'_> {
    fn next_back(&mut self) -> Option<Ipv6Addr> {
        let c = self.chunks.next_back()?;
        let mut a = [0u8; 16];
        a.copy_from_slice(c);
        Some(Ipv6Addr::from(a))
    }
}

/// The address list inside routing type-specific data (bytes after the
/// first four), per routing type; `None` if netspec does not know the type.
fn addresses_of(routing_type: u8, type_data: &[u8]) -> Option<AddressIter<'_>> {
    let list = type_data.get(4..).unwrap_or(&[]);
    match routing_type {
        ROUTING_TYPE_0 => Some(AddressIter::new(list, usize::MAX)),
        ROUTING_TYPE_2 => Some(AddressIter::new(list, 1)),
        // Last Entry is the index of the last element: count = +1, bounded
        // by the bytes actually present.
        ROUTING_TYPE_SRH => Some(AddressIter::new(list, usize::from(*type_data.first()?) + 1)),
        _ => None,
    }
}

fn final_of(routing_type: u8, type_data: &[u8]) -> Option<Ipv6Addr> {
    let mut it = addresses_of(routing_type, type_data)?;
    if routing_type == ROUTING_TYPE_SRH {
        it.next()
    } else {
        it.next_back()
    }
}

/// A zero-copy view of a Routing header (RFC 8200 §4.4), at least 8 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoutingHeader<'a> {
    bytes: &'a [u8],
}

impl<'a> RoutingHeader<'a> {
    pub(crate) const fn new_unchecked(bytes: &'a [u8]) -> Self {
        RoutingHeader { bytes }
    }

    /// Next Header (RFC 8200 §4.4).
    pub fn next_header(&self) -> IpProtocol {
        IpProtocol(self.bytes[0])
    }

    /// Routing Type (RFC 8200 §4.4).
    pub fn routing_type(&self) -> u8 {
        self.bytes[2]
    }

    /// Segments Left (RFC 8200 §4.4).
    pub fn segments_left(&self) -> u8 {
        self.bytes[3]
    }

    /// The type-specific data (everything after the first four bytes) (RFC 8200 §4.4).
    pub fn type_data(&self) -> &'a [u8] {
        &self.bytes[4..]
    }

    /// The addresses of a type 0, 2 or 4 header, in wire order; `None` for
    /// other types (RFC 8200 §4.4).
    pub fn addresses(&self) -> Option<AddressIter<'a>> {
        addresses_of(self.routing_type(), self.type_data())
    }

    /// The final destination this header names (RFC 8200 §8.1): the last
    /// address of type 0 and 2, Segment List\[0\] of an SRH (RFC 8754 §2).
    pub fn final_address(&self) -> Option<Ipv6Addr> {
        final_of(self.routing_type(), self.type_data())
    }

    /// SRH Last Entry (RFC 8754 §2), `None` unless type 4.
    pub fn srh_last_entry(&self) -> Option<u8> {
        (self.routing_type() == ROUTING_TYPE_SRH).then(|| self.bytes[4])
    }

    /// SRH Flags (RFC 8754 §2), `None` unless type 4.
    pub fn srh_flags(&self) -> Option<u8> {
        (self.routing_type() == ROUTING_TYPE_SRH).then(|| self.bytes[5])
    }

    /// SRH Tag (RFC 8754 §2), `None` unless type 4.
    pub fn srh_tag(&self) -> Option<u16> {
        (self.routing_type() == ROUTING_TYPE_SRH).then(|| get_u16(self.bytes, 6))
    }
}

/// Capacity of [`Ipv6RoutingHeader::data`]: the largest header less its
/// four fixed bytes (RFC 8200 §4.4).
pub const ROUTING_DATA_CAPACITY: usize = MAX_EXT_HEADER_LEN - 4;

/// An owned Routing header (RFC 8200 §4.4): the fixed fields and the raw
/// type-specific data, stored inline. Hdr Ext Len is derived on emit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Ipv6RoutingHeader {
    /// What follows this header.
    pub next_header: IpProtocol,
    /// Routing Type.
    pub routing_type: u8,
    /// Segments Left.
    pub segments_left: u8,
    /// Type-specific data (reserved bytes, address list, TLVs), raw.
    pub data: InlineBytes<ROUTING_DATA_CAPACITY>,
}

impl Ipv6RoutingHeader {
    pub(crate) fn from_view(v: &Ipv6ExtHeader<'_>) -> Self {
        let b = v.bytes();
        let mut data = InlineBytes::new();
        // At most 2044 bytes by construction of the walk.
        let _ = data.extend_from_slice(&b[4..], Layer::Ipv6Ext, "type_data");
        Ipv6RoutingHeader {
            next_header: v.next_header(),
            routing_type: b[2],
            segments_left: b[3],
            data,
        }
    }

    /// A type 0 (RFC 2460 §4.4) or type 2 (RFC 6275 §6.4) header with
    /// zero reserved bytes and the given addresses.
    pub fn with_addresses(
        next_header: IpProtocol,
        routing_type: u8,
        segments_left: u8,
        addresses: &[Ipv6Addr],
    ) -> Result<Self> {
        let mut h = Ipv6RoutingHeader {
            next_header,
            routing_type,
            segments_left,
            data: InlineBytes::new(),
        };
        h.data.extend_from_slice(&[0; 4], Layer::Ipv6Ext, "type_data")?;
        for a in addresses {
            h.data.extend_from_slice(&a.octets(), Layer::Ipv6Ext, "address")?;
        }
        Ok(h)
    }

    /// A Segment Routing Header (RFC 8754 §2) with the given segment list
    /// (Segment List\[0\] first; Last Entry = len - 1) and no TLVs.
    pub fn srh(next_header: IpProtocol, segments_left: u8, flags: u8, tag: u16, segments: &[Ipv6Addr]) -> Result<Self> {
        let last = segments
            .len()
            .checked_sub(1)
            .filter(|&n| n <= 255)
            .ok_or(Error::invalid(
                Layer::Ipv6Ext,
                "last_entry",
                4,
                segments.len() as u64,
                "1 to 256 segments",
            ))?;
        let mut h = Ipv6RoutingHeader {
            next_header,
            routing_type: ROUTING_TYPE_SRH,
            segments_left,
            data: InlineBytes::new(),
        };
        let t = tag.to_be_bytes();
        h.data
            .extend_from_slice(&[last as u8, flags, t[0], t[1]], Layer::Ipv6Ext, "type_data")?;
        for a in segments {
            h.data.extend_from_slice(&a.octets(), Layer::Ipv6Ext, "segment_list")?;
        }
        Ok(h)
    }

    /// The address list (as [`RoutingHeader::addresses`]) (RFC 8200 §4.4).
    pub fn addresses(&self) -> Option<AddressIter<'_>> {
        addresses_of(self.routing_type, self.data.as_slice())
    }

    /// The final destination (as [`RoutingHeader::final_address`]) (RFC 8200 §4.4).
    pub fn final_address(&self) -> Option<Ipv6Addr> {
        final_of(self.routing_type, self.data.as_slice())
    }

    /// `4 + data.len()` (RFC 8200 §4.4).
    pub const fn header_len(&self) -> usize {
        4 + self.data.len()
    }

    /// Write the header; [`crate::ErrorKind::Invalid`] unless its length is
    /// a multiple of 8 (RFC 8200 §4.4).
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let len = self.header_len();
        emit_ext_start(buf, self.next_header, len)?;
        buf[2] = self.routing_type;
        buf[3] = self.segments_left;
        buf[4..len].copy_from_slice(self.data.as_slice());
        Ok(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::ipv6_ext::walk;

    fn a(n: u16) -> Ipv6Addr {
        Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, n)
    }

    #[test]
    fn type0_final_is_last() {
        let h = Ipv6RoutingHeader::with_addresses(IpProtocol::UDP, 0, 2, &[a(1), a(2)]).unwrap();
        let mut b = [0u8; 40];
        assert_eq!(h.emit(&mut b).unwrap(), 40);
        assert_eq!(b[1], 4);
        let c = walk(IpProtocol::IPV6_ROUTE, &b, 0).unwrap();
        let r = c.routing().unwrap();
        assert_eq!(r.addresses().unwrap().collect::<Vec<_>>(), [a(1), a(2)]);
        assert_eq!(c.final_destination(a(9)), a(2));
        assert_eq!(h.final_address(), Some(a(2)));
    }

    #[test]
    fn srh_final_is_first_and_segments_left_zero_keeps_dst() {
        let h = Ipv6RoutingHeader::srh(IpProtocol::TCP, 0, 0, 7, &[a(5), a(6)]).unwrap();
        let mut b = [0u8; 40];
        h.emit(&mut b).unwrap();
        let c = walk(IpProtocol::IPV6_ROUTE, &b, 0).unwrap();
        let r = c.routing().unwrap();
        assert_eq!((r.srh_last_entry(), r.srh_tag()), (Some(1), Some(7)));
        assert_eq!(r.final_address(), Some(a(5)));
        assert_eq!(c.final_destination(a(9)), a(9));
    }

    #[test]
    fn srh_last_entry_is_bounded_by_bytes() {
        // Last Entry claims 256 segments but only one is present.
        let mut b = [0u8; 24];
        b[0] = 59;
        b[1] = 2;
        b[2] = 4;
        b[3] = 1;
        b[4] = 255;
        b[23] = 1;
        let c = walk(IpProtocol::IPV6_ROUTE, &b, 0).unwrap();
        assert_eq!(c.routing().unwrap().addresses().unwrap().count(), 1);
        assert_eq!(c.final_destination(a(9)), Ipv6Addr::from(1u128));
    }

    #[test]
    fn unknown_type_has_no_addresses() {
        let b = [59, 0, 3, 1, 0, 0, 0, 0];
        let c = walk(IpProtocol::IPV6_ROUTE, &b, 0).unwrap();
        assert!(c.routing().unwrap().addresses().is_none());
        assert_eq!(c.final_destination(a(3)), a(3));
        let e = Ipv6RoutingHeader::default().emit(&mut [0u8; 8]).unwrap_err();
        assert_eq!(
            e,
            Error::invalid(Layer::Ipv6Ext, "hdr_ext_len", 1, 4, "a multiple of 8 bytes")
        );
        let e = Ipv6RoutingHeader::srh(IpProtocol::TCP, 0, 0, 0, &[]).unwrap_err();
        assert_eq!(
            e,
            Error::invalid(Layer::Ipv6Ext, "last_entry", 4, 0, "1 to 256 segments")
        );
    }
}
