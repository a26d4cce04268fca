//! IPv6, the Internet Protocol version 6 (RFC 8200).
//!
//! IPv6 carries datagrams between 128-bit addresses. Its fixed header is 40
//! bytes, with no options and no checksum (RFC 8200 §3):
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |Version| Traffic Class |           Flow Label                  |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |         Payload Length        |  Next Header  |   Hop Limit   |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                                                               |
//! +                                                               +
//! |                                                               |
//! +                         Source Address                        +
//! |                                                               |
//! +                                                               +
//! |                                                               |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                                                               |
//! +                                                               +
//! |                                                               |
//! +                      Destination Address                      +
//! |                                                               |
//! +                                                               +
//! |                                                               |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! * **Traffic Class** is the DSCP (6 bits, RFC 2474) and ECN (2 bits,
//!   RFC 3168).
//! * **Flow Label** (20 bits, RFC 6437) labels packets of one flow.
//! * **Payload Length** counts the bytes after the fixed header, extension
//!   headers included. Zero with a Hop-by-Hop *Jumbo Payload* option means
//!   a jumbogram whose 32-bit length is in the option (RFC 2675). Bytes in
//!   the buffer beyond the payload (Ethernet padding) are a *trailer*.
//! * **Next Header** names what follows: an extension header
//!   ([`crate::net::ipv6_ext`]) or an upper-layer protocol, in the same
//!   registry as IPv4's Protocol ([`IpProtocol`]).
//! * **Hop Limit** is decremented by each router, like IPv4's TTL.
//!
//! [`Ipv6Packet::parse`] is strict: a payload longer than the buffer is an
//! error. ICMPv6 error messages quote as much of the invoking packet as
//! fits (RFC 4443 §2.4 (c)), so [`Ipv6Packet::parse_lax`] accepts a short
//! payload and reports it with [`Ipv6Packet::is_truncated`].
//!
//! ```
//! use netspec::net::ipv6::{Ipv6Header, Ipv6Packet};
//! use netspec::net::IpProtocol;
//! let h = Ipv6Header {
//!     next_header: IpProtocol::UDP,
//!     payload_length: 3,
//!     hop_limit: 64,
//!     src: "2001:db8::1".parse().unwrap(),
//!     dst: "2001:db8::2".parse().unwrap(),
//!     ..Default::default()
//! };
//! let mut buf = [0u8; 44];
//! h.emit(&mut buf).unwrap();
//! buf[40..43].copy_from_slice(b"abc");
//! let p = Ipv6Packet::parse(&buf).unwrap();
//! assert_eq!(p.to_header(), h);
//! assert_eq!((p.payload(), p.trailer()), (&b"abc"[..], &[0u8][..]));
//! ```

use crate::error::{Error, Layer, Result};
use crate::net::IpProtocol;
use crate::net::ipv6_ext::{Ipv6ExtChain, Ipv6ExtIter, walk};
use crate::net::ipv6_opt::{Ipv6Option, Ipv6OptionIter};
use crate::parse::{get_array, get_u16, get_u32, put_u16, put_u32, room};
use core::net::Ipv6Addr;

/// Length of the fixed IPv6 header (RFC 8200 §3).
pub const HEADER_LEN: usize = 40;

/// Byte offsets of the fixed header fields (RFC 8200 §3).
mod field {
    pub const VER_TC_FLOW: usize = 0;
    pub const PAYLOAD_LENGTH: usize = 4;
    pub const NEXT_HEADER: usize = 6;
    pub const HOP_LIMIT: usize = 7;
    pub const SRC: usize = 8;
    pub const DST: usize = 24;
}

/// A zero-copy view of an IPv6 packet (RFC 8200 §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv6Packet<'a> {
    /// The fixed 40-byte header: its fields sit at constant offsets, so
    /// their accessors need no bounds check.
    head: &'a [u8; HEADER_LEN],
    buf: &'a [u8],
    /// The payload present in `buf` (at most the claimed length).
    payload: &'a [u8],
    /// The payload the header claims (Payload Length or Jumbo Payload).
    claimed: usize,
    jumbo: Option<u32>,
}

impl<'a> Ipv6Packet<'a> {
    /// Parse strictly: version 6, and the payload (Payload Length, or the
    /// Jumbo Payload length when it is zero, RFC 2675 §3) fits the buffer;
    /// bytes beyond it are the trailer.
    #[inline]
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        // Small enough to inline. A non-zero Payload Length needs no Jumbo
        // Payload option, so it is taken as it stands; a zero one is looked
        // at out of line. Every error is built out of line too, and only
        // here is a view built, which lets a caller keep it in registers
        // instead of merging it with a view returned through memory.
        if let Some((head, rest)) = buf.split_first_chunk::<HEADER_LEN>() {
            let plen = u16::from_be_bytes([head[field::PAYLOAD_LENGTH], head[field::PAYLOAD_LENGTH + 1]]);
            if head[0] >> 4 == 6 {
                let plen = usize::from(plen);
                if plen != 0 {
                    if let Some(payload) = rest.get(..plen) {
                        return Ok(Ipv6Packet {
                            head,
                            buf,
                            payload,
                            claimed: plen,
                            jumbo: None,
                        });
                    }
                } else if let Some(jumbo) = Self::zero_length_jumbo(buf) {
                    let claimed = jumbo.map_or(0, |j| j as usize);
                    if let Some(payload) = rest.get(..claimed) {
                        return Ok(Ipv6Packet {
                            head,
                            buf,
                            payload,
                            claimed,
                            jumbo,
                        });
                    }
                }
            }
        }
        Err(Self::parse_error(buf))
    }

    /// For [`Ipv6Packet::parse`], a version 6 header with a zero Payload
    /// Length: `Some(Some(length))` with a Jumbo Payload option in a
    /// Hop-by-Hop header (RFC 2675 §3), `Some(None)` without one (an empty
    /// payload), `None` if the Hop-by-Hop header is malformed.
    #[inline(never)]
    fn zero_length_jumbo(buf: &[u8]) -> Option<Option<u32>> {
        match buf.get(field::NEXT_HEADER) {
            Some(&next) if next == IpProtocol::HOP_BY_HOP.0 => find_jumbo(buf.get(HEADER_LEN..)?).ok(),
            _ => Some(None),
        }
    }

    /// The error [`Ipv6Packet::parse`] gives for `buf`, which it has not
    /// accepted: the one [`parse_lax`](Self::parse_lax) gives, or, when the
    /// lax parse accepts the header, `LengthExceeds` on the length that
    /// claims more than the buffer holds (the only check it leaves out).
    #[cold]
    #[inline(never)]
    fn parse_error(buf: &'a [u8]) -> Error {
        match Self::parse_lax(buf) {
            Err(e) => e,
            Ok(p) => p.truncation_error(),
        }
    }

    /// `LengthExceeds` on the Payload Length or the Jumbo Payload length,
    /// for a packet that claims more than `buf` holds (RFC 8200 §3,
    /// RFC 2675 §3).
    fn truncation_error(&self) -> Error {
        let (field, at) = match self.jumbo {
            Some(_) => ("jumbo_payload_length", HEADER_LEN + 4),
            None => ("payload_length", field::PAYLOAD_LENGTH),
        };
        Error::length_exceeds(Layer::Ipv6, field, at, self.claimed, self.buf.len() - HEADER_LEN)
    }

    /// Parse leniently: as [`Ipv6Packet::parse`], but a payload longer than
    /// the buffer is cut at the buffer's end and [`Ipv6Packet::is_truncated`]
    /// says so (for packets quoted in ICMPv6 errors, RFC 4443 §2.4 (c)).
    pub fn parse_lax(buf: &'a [u8]) -> Result<Self> {
        let Some((head, rest)) = buf.split_first_chunk::<HEADER_LEN>() else {
            return Err(Error::truncated(Layer::Ipv6, "header", 0, HEADER_LEN, buf.len()));
        };
        let version = buf[0] >> 4;
        if version != 6 {
            return Err(Error::invalid(Layer::Ipv6, "version", 0, u64::from(version), "6"));
        }
        let plen = usize::from(get_u16(buf, field::PAYLOAD_LENGTH));
        let mut jumbo = None;
        if plen == 0 && buf[field::NEXT_HEADER] == IpProtocol::HOP_BY_HOP.0 {
            jumbo = find_jumbo(&buf[HEADER_LEN..])?;
        }
        let claimed = match jumbo {
            Some(j) => j as usize,
            None => plen,
        };
        Ok(Ipv6Packet {
            head,
            buf,
            payload: &rest[..claimed.min(rest.len())],
            claimed,
            jumbo,
        })
    }

    /// Version, always 6 after a successful parse (RFC 8200 §3).
    #[inline]
    pub fn version(&self) -> u8 {
        self.head[0] >> 4
    }

    /// The 8-bit Traffic Class (RFC 8200 §7).
    #[inline]
    pub fn traffic_class(&self) -> u8 {
        (get_u16(self.head, field::VER_TC_FLOW) >> 4) as u8
    }

    /// Differentiated Services codepoint, the Traffic Class' high 6 bits
    /// (RFC 2474 §3).
    #[inline]
    pub fn dscp(&self) -> u8 {
        self.traffic_class() >> 2
    }

    /// Explicit Congestion Notification, the low 2 bits (RFC 3168 §5).
    #[inline]
    pub fn ecn(&self) -> u8 {
        self.traffic_class() & 3
    }

    /// Flow Label, 20 bits (RFC 8200 §6, RFC 6437).
    #[inline]
    pub fn flow_label(&self) -> u32 {
        get_u32(self.head, field::VER_TC_FLOW) & 0xf_ffff
    }

    /// The Payload Length field as on the wire (RFC 8200 §3).
    #[inline]
    pub fn payload_length(&self) -> u16 {
        get_u16(self.head, field::PAYLOAD_LENGTH)
    }

    /// The Jumbo Payload length, if this is a jumbogram (RFC 2675 §2).
    #[inline]
    pub const fn jumbo_payload_length(&self) -> Option<u32> {
        self.jumbo
    }

    /// Next Header (RFC 8200 §3).
    #[inline]
    pub fn next_header(&self) -> IpProtocol {
        IpProtocol(self.head[field::NEXT_HEADER])
    }

    /// Hop Limit (RFC 8200 §3).
    #[inline]
    pub fn hop_limit(&self) -> u8 {
        self.head[field::HOP_LIMIT]
    }

    /// Source Address (RFC 8200 §3).
    #[inline]
    pub fn src(&self) -> Ipv6Addr {
        Ipv6Addr::from(get_array::<16>(self.head, field::SRC))
    }

    /// Destination Address (RFC 8200 §3).
    #[inline]
    pub fn dst(&self) -> Ipv6Addr {
        Ipv6Addr::from(get_array::<16>(self.head, field::DST))
    }

    /// The 40 header bytes (RFC 8200 §3).
    #[inline]
    pub fn header_bytes(&self) -> &'a [u8] {
        self.head
    }

    /// The payload: extension headers and upper layer (cut short if
    /// [`Ipv6Packet::is_truncated`]) (RFC 8200 §3).
    #[inline]
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// Bytes after the payload (link-layer padding) (RFC 8200 §3).
    #[inline]
    pub fn trailer(&self) -> &'a [u8] {
        self.buf.get(HEADER_LEN + self.payload.len()..).unwrap_or(&[])
    }

    /// True if the header claims more payload than the buffer holds (only
    /// possible with [`Ipv6Packet::parse_lax`]) (RFC 8200 §3).
    #[inline]
    pub fn is_truncated(&self) -> bool {
        self.payload.len() < self.claimed
    }

    /// The payload length the header claims, in bytes (RFC 8200 §3).
    #[inline]
    pub const fn claimed_payload_len(&self) -> usize {
        self.claimed
    }

    /// The extension headers, lazily (RFC 8200 §4); offsets count from the
    /// start of the IPv6 header.
    #[inline]
    pub fn ext_headers(&self) -> Ipv6ExtIter<'a> {
        Ipv6ExtIter::new(self.next_header(), self.payload(), HEADER_LEN)
    }

    /// Walk and validate the extension-header chain (RFC 8200 §4.1): the
    /// upper-layer protocol, its offset and payload.
    #[inline]
    pub fn ext_chain(&self) -> Result<Ipv6ExtChain<'a>> {
        walk(self.next_header(), self.payload(), HEADER_LEN)
    }

    /// The destination for upper-layer checksums (RFC 8200 §8.1): the
    /// final address of a Routing header with Segments Left > 0, else
    /// [`Ipv6Packet::dst`].
    #[inline]
    pub fn final_destination(&self) -> Result<Ipv6Addr> {
        Ok(self.ext_chain()?.final_destination(self.dst()))
    }

    /// The owned header (RFC 8200 §3).
    #[inline]
    pub fn to_header(&self) -> Ipv6Header {
        Ipv6Header {
            version: self.version(),
            dscp: self.dscp(),
            ecn: self.ecn(),
            flow_label: self.flow_label(),
            payload_length: self.payload_length(),
            next_header: self.next_header(),
            hop_limit: self.hop_limit(),
            src: self.src(),
            dst: self.dst(),
        }
    }
}

/// Find a Jumbo Payload option in the Hop-by-Hop header at the start of
/// `payload` (RFC 2675 §2). A truncated Hop-by-Hop header is no jumbogram.
fn find_jumbo(payload: &[u8]) -> Result<Option<u32>> {
    let Some(&len_byte) = payload.get(1) else {
        return Ok(None);
    };
    let len = (usize::from(len_byte) + 1) * 8;
    let Some(hbh) = payload.get(2..len) else {
        return Ok(None);
    };
    for opt in Ipv6OptionIter::new(hbh, HEADER_LEN + 2) {
        if let Ok(Ipv6Option::JumboPayload(j)) = opt {
            if j <= 0xffff {
                // RFC 2675 §3: a Jumbo Payload Length of 65535 or less is
                // an error (ICMP Parameter Problem, code 0).
                return Err(Error::invalid(
                    Layer::Ipv6,
                    "jumbo_payload_length",
                    HEADER_LEN + 4,
                    u64::from(j),
                    "greater than 65535",
                ));
            }
            return Ok(Some(j));
        }
    }
    Ok(None)
}

/// The owned fixed IPv6 header (RFC 8200 §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Ipv6Header {
    /// Version, 4 bits: 6 (the default). Other values emit, so tests can
    /// build bad packets, but [`Ipv6Packet::parse`] rejects them.
    pub version: u8,
    /// DSCP, 6 bits (RFC 2474 §3).
    pub dscp: u8,
    /// ECN, 2 bits (RFC 3168 §5).
    pub ecn: u8,
    /// Flow Label, 20 bits (RFC 6437).
    pub flow_label: u32,
    /// Payload Length (0 for a jumbogram, RFC 2675).
    pub payload_length: u16,
    /// Next Header.
    pub next_header: IpProtocol,
    /// Hop Limit.
    pub hop_limit: u8,
    /// Source Address.
    pub src: Ipv6Addr,
    /// Destination Address.
    pub dst: Ipv6Addr,
}

impl Default for Ipv6Header {
    fn default() -> Self {
        Ipv6Header {
            version: 6,
            dscp: 0,
            ecn: 0,
            flow_label: 0,
            payload_length: 0,
            next_header: IpProtocol::IPV6_NO_NEXT,
            hop_limit: 64,
            src: Ipv6Addr::UNSPECIFIED,
            dst: Ipv6Addr::UNSPECIFIED,
        }
    }
}

impl Ipv6Header {
    /// Always 40 (RFC 8200 §3).
    pub const fn header_len(&self) -> usize {
        HEADER_LEN
    }

    /// Parse strictly ([`Ipv6Packet::parse`]); returns the header and the
    /// payload (RFC 8200 §3).
    pub fn parse(buf: &[u8]) -> Result<(Ipv6Header, &[u8])> {
        let p = Ipv6Packet::parse(buf)?;
        Ok((p.to_header(), p.payload()))
    }

    /// Write the 40-byte header; [`crate::ErrorKind::Invalid`] if the
    /// version, DSCP, ECN or the flow label exceed their widths (RFC 8200 §3).
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        if self.version > 15 {
            return Err(Error::invalid(
                Layer::Ipv6,
                "version",
                0,
                u64::from(self.version),
                "at most 4 bits",
            ));
        }
        if self.dscp > 63 {
            return Err(Error::invalid(
                Layer::Ipv6,
                "dscp",
                0,
                u64::from(self.dscp),
                "at most 6 bits",
            ));
        }
        if self.ecn > 3 {
            return Err(Error::invalid(
                Layer::Ipv6,
                "ecn",
                1,
                u64::from(self.ecn),
                "at most 2 bits",
            ));
        }
        if self.flow_label > 0xf_ffff {
            return Err(Error::invalid(
                Layer::Ipv6,
                "flow_label",
                1,
                u64::from(self.flow_label),
                "at most 20 bits",
            ));
        }
        room(buf, HEADER_LEN, Layer::Ipv6)?;
        let tc = u32::from((self.dscp << 2) | self.ecn);
        let version = u32::from(self.version);
        put_u32(buf, field::VER_TC_FLOW, (version << 28) | (tc << 20) | self.flow_label);
        put_u16(buf, field::PAYLOAD_LENGTH, self.payload_length);
        buf[field::NEXT_HEADER] = self.next_header.0;
        buf[field::HOP_LIMIT] = self.hop_limit;
        buf[field::SRC..field::SRC + 16].copy_from_slice(&self.src.octets());
        buf[field::DST..field::DST + 16].copy_from_slice(&self.dst.octets());
        Ok(HEADER_LEN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    /// The strict parse as the lax one plus the length check: the general
    /// walk the inlined `parse` must agree with.
    fn parse_by_lax(buf: &[u8]) -> Result<Ipv6Packet<'_>> {
        let p = Ipv6Packet::parse_lax(buf)?;
        if p.is_truncated() {
            let (field, at) = match p.jumbo {
                Some(_) => ("jumbo_payload_length", HEADER_LEN + 4),
                None => ("payload_length", field::PAYLOAD_LENGTH),
            };
            return Err(Error::length_exceeds(
                Layer::Ipv6,
                field,
                at,
                p.claimed,
                buf.len() - HEADER_LEN,
            ));
        }
        Ok(p)
    }

    /// Jumbograms through the inlined parse: one that fits, one a byte
    /// short, one with a Jumbo Payload length the RFC forbids, and a
    /// Hop-by-Hop header cut short.
    #[test]
    fn jumbo_paths_agree_with_the_general_parse() {
        let mut b = vec![0u8; HEADER_LEN + 0x10008];
        b[0] = 0x60;
        b[6] = IpProtocol::HOP_BY_HOP.0;
        b[40..48].copy_from_slice(&[59, 0, 0xc2, 4, 0, 1, 0, 8]);
        for (jumbo, n) in [
            (0x10008u32, b.len()),
            (0x10008, b.len() - 1),
            (0xffff, b.len()),
            (0x10008, 45),
        ] {
            b[44..48].copy_from_slice(&jumbo.to_be_bytes());
            let buf = &b[..n];
            assert_eq!(Ipv6Packet::parse(buf), parse_by_lax(buf), "{jumbo} {n}");
        }
        assert_eq!(Ipv6Packet::parse(&b).map(|p| p.payload().len()), Ok(0x10008));
    }

    /// The inlined fast path gives what the general parse gives, for
    /// versions, Payload Lengths (zero included, with and without a
    /// Hop-by-Hop header) and buffer lengths around them.
    #[test]
    fn fast_path_agrees_with_the_general_parse() {
        for first in [0x60u8, 0x6f, 0x50, 0x70, 0x00] {
            for plen in [0u16, 1, 7, 8, 23, 24, 25, 0xffff] {
                for next in [0u8, 17] {
                    let mut b = [0u8; 64];
                    b[0] = first;
                    b[4..6].copy_from_slice(&plen.to_be_bytes());
                    b[6] = next;
                    for n in 0..=b.len() {
                        let buf = &b[..n];
                        assert_eq!(
                            Ipv6Packet::parse(buf),
                            parse_by_lax(buf),
                            "{first:#x} {plen} {next} {n}"
                        );
                    }
                }
            }
        }
    }

    fn packet(payload_len: u16, next: u8) -> [u8; 128] {
        let mut b = [0u8; 128];
        let h = Ipv6Header {
            payload_length: payload_len,
            next_header: IpProtocol(next),
            ..Default::default()
        };
        h.emit(&mut b).unwrap();
        b
    }

    #[test]
    fn field_split_round_trip() {
        let h = Ipv6Header {
            version: 6,
            dscp: 46,
            ecn: 1,
            flow_label: 0xabcde,
            payload_length: 0,
            next_header: IpProtocol::TCP,
            hop_limit: 1,
            src: Ipv6Addr::LOCALHOST,
            dst: Ipv6Addr::from(7u128),
        };
        let mut b = [0u8; 40];
        h.emit(&mut b).unwrap();
        assert_eq!(&b[..4], &[0x6b, 0x9a, 0xbc, 0xde]);
        let p = Ipv6Packet::parse(&b).unwrap();
        assert_eq!(p.traffic_class(), 0xb9);
        assert_eq!(p.to_header(), h);
    }

    #[test]
    fn errors_name_the_field() {
        let b = packet(10, 59);
        assert_eq!(
            Ipv6Packet::parse(&b[..39]).unwrap_err(),
            Error::truncated(Layer::Ipv6, "header", 0, 40, 39)
        );
        assert_eq!(
            Ipv6Packet::parse(&b[..45]).unwrap_err(),
            Error::length_exceeds(Layer::Ipv6, "payload_length", 4, 10, 5)
        );
        let lax = Ipv6Packet::parse_lax(&b[..45]).unwrap();
        assert!(lax.is_truncated());
        assert_eq!(lax.payload().len(), 5);
        let mut v = b;
        Ipv6Header {
            version: 4,
            ..Default::default()
        }
        .emit(&mut v)
        .unwrap();
        assert_eq!(
            Ipv6Packet::parse(&v).unwrap_err(),
            Error::invalid(Layer::Ipv6, "version", 0, 4, "6")
        );
        let bad = Ipv6Header {
            version: 16,
            ..Default::default()
        };
        assert_eq!(
            bad.emit(&mut [0u8; 40]).unwrap_err(),
            Error::invalid(Layer::Ipv6, "version", 0, 16, "at most 4 bits")
        );
        let bad = Ipv6Header {
            flow_label: 1 << 20,
            ..Default::default()
        };
        assert_eq!(
            bad.emit(&mut [0u8; 40]).unwrap_err(),
            Error::invalid(Layer::Ipv6, "flow_label", 1, 1 << 20, "at most 20 bits")
        );
        let bad = Ipv6Header {
            ecn: 4,
            ..Default::default()
        };
        assert_eq!(
            bad.emit(&mut [0u8; 40]).unwrap_err(),
            Error::invalid(Layer::Ipv6, "ecn", 1, 4, "at most 2 bits")
        );
        let bad = Ipv6Header {
            dscp: 64,
            ..Default::default()
        };
        assert_eq!(
            bad.emit(&mut [0u8; 40]).unwrap_err(),
            Error::invalid(Layer::Ipv6, "dscp", 0, 64, "at most 6 bits")
        );
        assert_eq!(
            Ipv6Header::default().emit(&mut [0u8; 39]).unwrap_err().kind,
            ErrorKind::BufferTooSmall {
                needed: 40,
                available: 39
            }
        );
    }

    #[test]
    fn jumbogram() {
        let mut b = packet(0, 0);
        // HBH: next = 59, len 0, Jumbo Payload 0x10000.
        b[40..48].copy_from_slice(&[59, 0, 0xc2, 4, 0, 1, 0, 0]);
        let e = Ipv6Packet::parse(&b).unwrap_err();
        assert_eq!(
            e,
            Error::length_exceeds(Layer::Ipv6, "jumbo_payload_length", 44, 0x10000, 88)
        );
        let p = Ipv6Packet::parse_lax(&b).unwrap();
        assert_eq!(p.jumbo_payload_length(), Some(0x10000));
        assert!(p.is_truncated());
        b[44..48].copy_from_slice(&[0, 0, 0xff, 0xff]);
        assert_eq!(
            Ipv6Packet::parse(&b).unwrap_err(),
            Error::invalid(Layer::Ipv6, "jumbo_payload_length", 44, 0xffff, "greater than 65535")
        );
        // Payload length 0 without a jumbo option: empty payload, all trailer.
        let b = packet(0, 6);
        let p = Ipv6Packet::parse(&b).unwrap();
        assert_eq!((p.payload().len(), p.trailer().len()), (0, 88));
    }

    #[test]
    fn chain_errors_are_relative_to_the_packet() {
        let mut b = packet(8, 43);
        b[41] = 1; // Routing header claims 16 bytes, 8 in the payload.
        let p = Ipv6Packet::parse(&b[..48]).unwrap();
        assert_eq!(
            p.ext_chain().unwrap_err(),
            Error::length_exceeds(Layer::Ipv6Ext, "hdr_ext_len", 41, 16, 8)
        );
    }
}
