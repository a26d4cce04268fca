//! ICMP for IPv4 (RFC 792), with the later additions of RFC 1122, RFC 1191
//! and RFC 1812.
//!
//! ICMP is IP's control channel: hosts and routers use it to report errors
//! about a datagram back to its source (destination unreachable, time
//! exceeded, parameter problem, redirect) and to answer queries (echo for
//! `ping`, timestamp). Every message has a 4-byte common part, 4 bytes whose
//! meaning depends on the type, then data (RFC 792, "Message Formats"):
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |     Type      |     Code      |          Checksum             |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                    Rest of Header (by type)                   |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                    Data ...
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//!
//!   Echo, Timestamp:   | Identifier | Sequence Number |
//!   Dest. Unreachable: |   unused   | Next-Hop MTU    |  (MTU for code 4, RFC 1191)
//!   Redirect:          |   Gateway Internet Address   |
//!   Parameter Problem: | Pointer |       unused       |
//!   Time Exceeded:     |            unused            |
//! ```
//!
//! Error messages quote the offending datagram's IP header and at least its
//! first 8 data bytes (RFC 792; RFC 1812 §4.3.2.3 allows more), so the
//! receiver can find the socket it concerns. The quoted datagram is usually
//! cut short, so [`Icmpv4Message::quoted_packet`] parses it with
//! [`Ipv4Packet::parse_lax`].
//!
//! To keep errors from snowballing, a host never sends an ICMP error about
//! an ICMP error, a broadcast or multicast datagram, or a non-initial
//! fragment (RFC 1122 §3.2.2). Path MTU discovery (RFC 1191) relies on one
//! error: a router that must fragment a DF datagram drops it and returns
//! "fragmentation needed" with the next hop's MTU in the low 16 bits of the
//! rest-of-header.
//!
//! The Checksum covers the whole ICMP message (RFC 792). ICMP has no length
//! field: the message is whatever the IP payload holds.
//!
//! ```
//! use netspec::net::{Icmpv4Header, Icmpv4Message, Icmpv4Type};
//! let mut h = Icmpv4Header::echo_request(0x1234, 1);
//! h.fill_checksum(b"hello");
//! let mut buf = [0u8; 13];
//! let n = h.emit(&mut buf)?;
//! buf[n..].copy_from_slice(b"hello");
//! let m = Icmpv4Message::parse(&buf)?;
//! assert_eq!(m.icmp_type(), Icmpv4Type::ECHO_REQUEST);
//! assert_eq!((m.ident(), m.seq()), (Some(0x1234), Some(1)));
//! assert!(m.verify_checksum());
//! assert_eq!(m.data(), b"hello");
//! # Ok::<(), netspec::Error>(())
//! ```

use super::ipv4::Ipv4Packet;
use crate::checksum;
use crate::error::{Layer, Result};
use crate::parse::{get_u16, get_u32, need, put_u16, room};
use core::net::Ipv4Addr;

/// Bytes of the type, code, checksum and rest-of-header (RFC 792).
pub const HEADER_LEN: usize = 8;
/// Bytes of a Timestamp or Timestamp Reply message (RFC 792).
pub const TIMESTAMP_LEN: usize = 20;

mod field {
    pub const TYPE: usize = 0;
    pub const CODE: usize = 1;
    pub const CHECKSUM: usize = 2;
    pub const REST: usize = 4;
}

/// An ICMPv4 message type (RFC 792; IANA "ICMP Type Numbers"). Open.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Icmpv4Type(pub u8);

impl Icmpv4Type {
    /// Echo Reply (RFC 792).
    pub const ECHO_REPLY: Icmpv4Type = Icmpv4Type(0);
    /// Destination Unreachable (RFC 792).
    pub const DEST_UNREACHABLE: Icmpv4Type = Icmpv4Type(3);
    /// Source Quench, deprecated by RFC 6633 (RFC 792).
    pub const SOURCE_QUENCH: Icmpv4Type = Icmpv4Type(4);
    /// Redirect (RFC 792).
    pub const REDIRECT: Icmpv4Type = Icmpv4Type(5);
    /// Echo (RFC 792).
    pub const ECHO_REQUEST: Icmpv4Type = Icmpv4Type(8);
    /// Router Advertisement (RFC 1256).
    pub const ROUTER_ADVERTISEMENT: Icmpv4Type = Icmpv4Type(9);
    /// Router Solicitation (RFC 1256).
    pub const ROUTER_SOLICITATION: Icmpv4Type = Icmpv4Type(10);
    /// Time Exceeded (RFC 792).
    pub const TIME_EXCEEDED: Icmpv4Type = Icmpv4Type(11);
    /// Parameter Problem (RFC 792).
    pub const PARAMETER_PROBLEM: Icmpv4Type = Icmpv4Type(12);
    /// Timestamp (RFC 792).
    pub const TIMESTAMP: Icmpv4Type = Icmpv4Type(13);
    /// Timestamp Reply (RFC 792).
    pub const TIMESTAMP_REPLY: Icmpv4Type = Icmpv4Type(14);
    /// Information Request, deprecated by RFC 6918 (RFC 792).
    pub const INFO_REQUEST: Icmpv4Type = Icmpv4Type(15);
    /// Information Reply, deprecated by RFC 6918 (RFC 792).
    pub const INFO_REPLY: Icmpv4Type = Icmpv4Type(16);
    /// Address Mask Request, deprecated by RFC 6918 (RFC 950).
    pub const ADDRESS_MASK_REQUEST: Icmpv4Type = Icmpv4Type(17);
    /// Address Mask Reply, deprecated by RFC 6918 (RFC 950).
    pub const ADDRESS_MASK_REPLY: Icmpv4Type = Icmpv4Type(18);
    /// Extended Echo Request (RFC 8335).
    pub const EXTENDED_ECHO_REQUEST: Icmpv4Type = Icmpv4Type(42);
    /// Extended Echo Reply (RFC 8335).
    pub const EXTENDED_ECHO_REPLY: Icmpv4Type = Icmpv4Type(43);

    /// The name of a known type (IANA ICMP Type Numbers).
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "echo-reply",
            3 => "destination-unreachable",
            4 => "source-quench",
            5 => "redirect",
            8 => "echo-request",
            9 => "router-advertisement",
            10 => "router-solicitation",
            11 => "time-exceeded",
            12 => "parameter-problem",
            13 => "timestamp",
            14 => "timestamp-reply",
            15 => "information-request",
            16 => "information-reply",
            17 => "address-mask-request",
            18 => "address-mask-reply",
            42 => "extended-echo-request",
            43 => "extended-echo-reply",
            _ => return None,
        })
    }

    /// An error message, which quotes the datagram it concerns
    /// (RFC 1122 §3.2.2): types 3, 4, 5, 11, 12.
    pub const fn is_error(self) -> bool {
        matches!(self.0, 3 | 4 | 5 | 11 | 12)
    }

    /// A type whose rest-of-header is an identifier and a sequence number
    /// (RFC 792: echo, timestamp, information; RFC 950 address mask).
    pub const fn has_ident_seq(self) -> bool {
        matches!(self.0, 0 | 8 | 13..=18)
    }
}

crate::macros::named_number_fmt!(Icmpv4Type, "{}");

/// An ICMPv4 code; its meaning depends on the type (RFC 792, RFC 1122
/// §3.2.2.1, RFC 1812 §5.2.7.1). Open.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Debug)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Icmpv4Code(pub u8);

impl Icmpv4Code {
    /// Destination Unreachable: net unreachable (RFC 792).
    pub const NET_UNREACHABLE: Icmpv4Code = Icmpv4Code(0);
    /// Destination Unreachable: host unreachable (RFC 792).
    pub const HOST_UNREACHABLE: Icmpv4Code = Icmpv4Code(1);
    /// Destination Unreachable: protocol unreachable (RFC 792).
    pub const PROTOCOL_UNREACHABLE: Icmpv4Code = Icmpv4Code(2);
    /// Destination Unreachable: port unreachable (RFC 792).
    pub const PORT_UNREACHABLE: Icmpv4Code = Icmpv4Code(3);
    /// Destination Unreachable: fragmentation needed and DF set; carries the
    /// next-hop MTU (RFC 792, RFC 1191 §4).
    pub const FRAGMENTATION_NEEDED: Icmpv4Code = Icmpv4Code(4);
    /// Destination Unreachable: source route failed (RFC 792).
    pub const SOURCE_ROUTE_FAILED: Icmpv4Code = Icmpv4Code(5);
    /// Destination Unreachable: communication administratively prohibited
    /// (RFC 1812 §5.2.7.1).
    pub const ADMIN_PROHIBITED: Icmpv4Code = Icmpv4Code(13);
    /// Time Exceeded: TTL exceeded in transit (RFC 792).
    pub const TTL_EXCEEDED: Icmpv4Code = Icmpv4Code(0);
    /// Time Exceeded: fragment reassembly time exceeded (RFC 792).
    pub const REASSEMBLY_TIME_EXCEEDED: Icmpv4Code = Icmpv4Code(1);
    /// Redirect: for the network (RFC 792).
    pub const REDIRECT_NET: Icmpv4Code = Icmpv4Code(0);
    /// Redirect: for the host (RFC 792).
    pub const REDIRECT_HOST: Icmpv4Code = Icmpv4Code(1);

    /// The name of this code under message type `ty`, if known (RFC 792, RFC 1812 §5.2.7.1).
    pub const fn name(self, ty: Icmpv4Type) -> Option<&'static str> {
        Some(match (ty.0, self.0) {
            (3, 0) => "net-unreachable",
            (3, 1) => "host-unreachable",
            (3, 2) => "protocol-unreachable",
            (3, 3) => "port-unreachable",
            (3, 4) => "fragmentation-needed",
            (3, 5) => "source-route-failed",
            (3, 6) => "destination-network-unknown",
            (3, 7) => "destination-host-unknown",
            (3, 8) => "source-host-isolated",
            (3, 9) => "network-prohibited",
            (3, 10) => "host-prohibited",
            (3, 11) => "network-unreachable-for-tos",
            (3, 12) => "host-unreachable-for-tos",
            (3, 13) => "communication-prohibited",
            (3, 14) => "host-precedence-violation",
            (3, 15) => "precedence-cutoff",
            (5, 0) => "redirect-network",
            (5, 1) => "redirect-host",
            (5, 2) => "redirect-tos-network",
            (5, 3) => "redirect-tos-host",
            (11, 0) => "ttl-exceeded",
            (11, 1) => "reassembly-time-exceeded",
            (12, 0) => "pointer-indicates-error",
            (12, 1) => "missing-required-option",
            (12, 2) => "bad-length",
            _ => return None,
        })
    }
}

/// The type-specific reading of a message (RFC 792).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icmpv4Body<'a> {
    /// Echo or Echo Reply: identifier, sequence number, data echoed back (RFC 792).
    Echo {
        /// Identifier.
        ident: u16,
        /// Sequence Number.
        seq: u16,
        /// The data.
        data: &'a [u8],
    },
    /// Destination Unreachable, with the next-hop MTU for code 4 (RFC 1191).
    DestinationUnreachable {
        /// Next-Hop MTU for "fragmentation needed", `None` otherwise.
        next_hop_mtu: Option<u16>,
        /// The quoted datagram.
        quoted: &'a [u8],
    },
    /// Source Quench (deprecated, RFC 6633).
    SourceQuench {
        /// The quoted datagram.
        quoted: &'a [u8],
    },
    /// Redirect: use `gateway` for this destination (RFC 792).
    Redirect {
        /// Gateway Internet Address.
        gateway: Ipv4Addr,
        /// The quoted datagram.
        quoted: &'a [u8],
    },
    /// Time Exceeded (RFC 792).
    TimeExceeded {
        /// The quoted datagram.
        quoted: &'a [u8],
    },
    /// Parameter Problem: the byte of the quoted header at fault (RFC 792).
    ParameterProblem {
        /// Pointer into the quoted datagram.
        pointer: u8,
        /// The quoted datagram.
        quoted: &'a [u8],
    },
    /// Timestamp or Timestamp Reply: milliseconds since midnight UT (RFC 792).
    Timestamp {
        /// Identifier.
        ident: u16,
        /// Sequence Number.
        seq: u16,
        /// Originate Timestamp.
        originate: u32,
        /// Receive Timestamp.
        receive: u32,
        /// Transmit Timestamp.
        transmit: u32,
    },
    /// Any other type, rest-of-header and data kept raw (RFC 792).
    Other {
        /// Bytes 4..8.
        rest: [u8; 4],
        /// Bytes after the 8-byte header.
        data: &'a [u8],
    },
}

/// A zero-copy view of an ICMPv4 message (RFC 792): the whole IP payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Icmpv4Message<'a> {
    buf: &'a [u8],
}

impl<'a> Icmpv4Message<'a> {
    /// Parse a message: 8 bytes at least, 20 for Timestamp and Timestamp
    /// Reply (RFC 792).
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        need(buf, HEADER_LEN, Layer::Icmpv4, "header", 0)?;
        if matches!(buf[field::TYPE], 13 | 14) {
            need(buf, TIMESTAMP_LEN, Layer::Icmpv4, "timestamps", HEADER_LEN)?;
        }
        Ok(Icmpv4Message { buf })
    }

    /// Type (RFC 792).
    pub fn icmp_type(&self) -> Icmpv4Type {
        Icmpv4Type(self.buf[field::TYPE])
    }

    /// Code (RFC 792).
    pub fn code(&self) -> Icmpv4Code {
        Icmpv4Code(self.buf[field::CODE])
    }

    /// Checksum as on the wire (RFC 792).
    pub fn checksum(&self) -> u16 {
        get_u16(self.buf, field::CHECKSUM)
    }

    /// True if the whole message sums to `0xFFFF` (RFC 792, RFC 1071).
    pub fn verify_checksum(&self) -> bool {
        checksum::verify(self.buf)
    }

    /// The checksum the message should carry (RFC 792).
    pub fn compute_checksum(&self) -> u16 {
        let mut acc = checksum::Accumulator::new();
        acc.add_bytes(&self.buf[..field::CHECKSUM]);
        acc.add_bytes(&self.buf[field::REST..]);
        acc.checksum()
    }

    /// Bytes 4..8, the type-specific rest of the header (RFC 792).
    pub fn rest_of_header(&self) -> [u8; 4] {
        let r = &self.buf[field::REST..HEADER_LEN];
        [r[0], r[1], r[2], r[3]]
    }

    /// The 8 header bytes (RFC 792).
    pub fn header_bytes(&self) -> &'a [u8] {
        &self.buf[..HEADER_LEN]
    }

    /// Bytes after the 8-byte header: echo data, the quoted datagram of an
    /// error, or the timestamps (RFC 792).
    pub fn data(&self) -> &'a [u8] {
        &self.buf[HEADER_LEN..]
    }

    /// Identifier, for echo, timestamp, information and address mask types (RFC 792).
    pub fn ident(&self) -> Option<u16> {
        self.icmp_type().has_ident_seq().then(|| get_u16(self.buf, 4))
    }

    /// Sequence Number, for the same types as [`ident`](Self::ident) (RFC 792).
    pub fn seq(&self) -> Option<u16> {
        self.icmp_type().has_ident_seq().then(|| get_u16(self.buf, 6))
    }

    /// Next-Hop MTU of "fragmentation needed" (type 3 code 4, RFC 1191 §4);
    /// 0 from a router that predates RFC 1191.
    pub fn next_hop_mtu(&self) -> Option<u16> {
        (self.icmp_type() == Icmpv4Type::DEST_UNREACHABLE && self.code() == Icmpv4Code::FRAGMENTATION_NEEDED)
            .then(|| get_u16(self.buf, 6))
    }

    /// Gateway Internet Address of a Redirect (RFC 792).
    pub fn gateway(&self) -> Option<Ipv4Addr> {
        (self.icmp_type() == Icmpv4Type::REDIRECT).then(|| Ipv4Addr::from(get_u32(self.buf, 4)))
    }

    /// Pointer of a Parameter Problem (RFC 792).
    pub fn pointer(&self) -> Option<u8> {
        (self.icmp_type() == Icmpv4Type::PARAMETER_PROBLEM).then_some(self.buf[4])
    }

    /// The quoted datagram bytes of an error message (RFC 792).
    pub fn quoted(&self) -> Option<&'a [u8]> {
        self.icmp_type().is_error().then(|| self.data())
    }

    /// The quoted IP header of an error message, parsed leniently because
    /// the quote is normally cut short ([`Ipv4Packet::parse_lax`]). Error
    /// offsets count from the start of the ICMP message (RFC 792).
    pub fn quoted_packet(&self) -> Option<Result<Ipv4Packet<'a>>> {
        let q = self.quoted()?;
        Some(Ipv4Packet::parse_lax(q).map_err(|e| e.at_base(HEADER_LEN)))
    }

    /// The quoted transport bytes (the first bytes of the datagram's
    /// payload), when the quoted header parses (RFC 792).
    pub fn quoted_transport(&self) -> Option<&'a [u8]> {
        self.quoted_packet()?.ok().map(|p| p.payload())
    }

    /// The type-specific fields (RFC 792).
    pub fn body(&self) -> Icmpv4Body<'a> {
        let b = self.buf;
        let data = self.data();
        match self.icmp_type().0 {
            0 | 8 => Icmpv4Body::Echo {
                ident: get_u16(b, 4),
                seq: get_u16(b, 6),
                data,
            },
            3 => Icmpv4Body::DestinationUnreachable {
                next_hop_mtu: self.next_hop_mtu(),
                quoted: data,
            },
            4 => Icmpv4Body::SourceQuench { quoted: data },
            5 => Icmpv4Body::Redirect {
                gateway: Ipv4Addr::from(get_u32(b, 4)),
                quoted: data,
            },
            11 => Icmpv4Body::TimeExceeded { quoted: data },
            12 => Icmpv4Body::ParameterProblem {
                pointer: b[4],
                quoted: data,
            },
            // parse checked the 20 bytes.
            13 | 14 => Icmpv4Body::Timestamp {
                ident: get_u16(b, 4),
                seq: get_u16(b, 6),
                originate: get_u32(b, 8),
                receive: get_u32(b, 12),
                transmit: get_u32(b, 16),
            },
            _ => Icmpv4Body::Other {
                rest: self.rest_of_header(),
                data,
            },
        }
    }

    /// The owned header (the first 8 bytes; RFC 792).
    pub fn to_header(&self) -> Icmpv4Header {
        Icmpv4Header {
            icmp_type: self.icmp_type(),
            code: self.code(),
            checksum: self.checksum(),
            rest: self.rest_of_header(),
        }
    }
}

/// An owned ICMPv4 header: the 8 bytes before the data (RFC 792). The
/// rest-of-header is raw; the constructors and accessors give it meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Icmpv4Header {
    /// Type (RFC 792).
    pub icmp_type: Icmpv4Type,
    /// Code (RFC 792).
    pub code: Icmpv4Code,
    /// Checksum, written as stored; see [`fill_checksum`](Self::fill_checksum) (RFC 792).
    pub checksum: u16,
    /// Bytes 4..8 (RFC 792).
    pub rest: [u8; 4],
}

impl Icmpv4Header {
    fn with(icmp_type: Icmpv4Type, code: Icmpv4Code, rest: [u8; 4]) -> Self {
        Icmpv4Header {
            icmp_type,
            code,
            checksum: 0,
            rest,
        }
    }

    fn id_seq(ident: u16, seq: u16) -> [u8; 4] {
        let (i, s) = (ident.to_be_bytes(), seq.to_be_bytes());
        [i[0], i[1], s[0], s[1]]
    }

    /// Echo (type 8, RFC 792).
    pub fn echo_request(ident: u16, seq: u16) -> Self {
        Self::with(Icmpv4Type::ECHO_REQUEST, Icmpv4Code(0), Self::id_seq(ident, seq))
    }

    /// Echo Reply (type 0, RFC 792).
    pub fn echo_reply(ident: u16, seq: u16) -> Self {
        Self::with(Icmpv4Type::ECHO_REPLY, Icmpv4Code(0), Self::id_seq(ident, seq))
    }

    /// Timestamp (type 13, RFC 792); the 12 timestamp bytes are the data.
    pub fn timestamp(ident: u16, seq: u16) -> Self {
        Self::with(Icmpv4Type::TIMESTAMP, Icmpv4Code(0), Self::id_seq(ident, seq))
    }

    /// Timestamp Reply (type 14, RFC 792); the 12 timestamp bytes are the
    /// data.
    pub fn timestamp_reply(ident: u16, seq: u16) -> Self {
        Self::with(Icmpv4Type::TIMESTAMP_REPLY, Icmpv4Code(0), Self::id_seq(ident, seq))
    }

    /// Destination Unreachable (type 3, RFC 792); `next_hop_mtu` fills the
    /// low 16 bits for code 4 (RFC 1191 §4), zero otherwise.
    pub fn dest_unreachable(code: Icmpv4Code, next_hop_mtu: u16) -> Self {
        let m = next_hop_mtu.to_be_bytes();
        Self::with(Icmpv4Type::DEST_UNREACHABLE, code, [0, 0, m[0], m[1]])
    }

    /// Time Exceeded (type 11, RFC 792).
    pub fn time_exceeded(code: Icmpv4Code) -> Self {
        Self::with(Icmpv4Type::TIME_EXCEEDED, code, [0; 4])
    }

    /// Redirect (type 5, RFC 792).
    pub fn redirect(code: Icmpv4Code, gateway: Ipv4Addr) -> Self {
        Self::with(Icmpv4Type::REDIRECT, code, gateway.octets())
    }

    /// Parameter Problem (type 12, RFC 792).
    pub fn parameter_problem(pointer: u8) -> Self {
        Self::with(Icmpv4Type::PARAMETER_PROBLEM, Icmpv4Code(0), [pointer, 0, 0, 0])
    }

    /// Identifier, for types that carry one (RFC 792).
    pub fn ident(&self) -> Option<u16> {
        self.icmp_type
            .has_ident_seq()
            .then(|| u16::from_be_bytes([self.rest[0], self.rest[1]]))
    }

    /// Sequence Number, for types that carry one (RFC 792).
    pub fn seq(&self) -> Option<u16> {
        self.icmp_type
            .has_ident_seq()
            .then(|| u16::from_be_bytes([self.rest[2], self.rest[3]]))
    }

    /// Always 8 (RFC 792).
    pub const fn header_len(&self) -> usize {
        HEADER_LEN
    }

    /// The checksum over this header and `data` (RFC 792), with the field
    /// as zero.
    pub fn compute_checksum(&self, data: &[u8]) -> u16 {
        let mut acc = checksum::Accumulator::new();
        acc.add_u16(u16::from_be_bytes([self.icmp_type.0, self.code.0]));
        acc.add_bytes(&self.rest);
        acc.add_bytes(data);
        acc.checksum()
    }

    /// Store [`compute_checksum`](Self::compute_checksum) in `checksum` (RFC 792).
    pub fn fill_checksum(&mut self, data: &[u8]) {
        self.checksum = self.compute_checksum(data);
    }

    /// Write the 8 header bytes (RFC 792).
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        room(buf, HEADER_LEN, Layer::Icmpv4)?;
        buf[field::TYPE] = self.icmp_type.0;
        buf[field::CODE] = self.code.0;
        put_u16(buf, field::CHECKSUM, self.checksum);
        buf[field::REST..HEADER_LEN].copy_from_slice(&self.rest);
        Ok(HEADER_LEN)
    }

    /// Parse a message; returns the header and the data after it (RFC 792).
    pub fn parse(buf: &[u8]) -> Result<(Icmpv4Header, &[u8])> {
        let m = Icmpv4Message::parse(buf)?;
        Ok((m.to_header(), m.data()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::net::IpProtocol;

    #[test]
    fn echo_fields_and_checksum() {
        // ping request id 0x0001 seq 0x0007, data "abcd".
        let mut b = [8, 0, 0, 0, 0, 1, 0, 7, b'a', b'b', b'c', b'd'];
        let c = checksum::internet_checksum(&b);
        b[2..4].copy_from_slice(&c.to_be_bytes());
        let m = Icmpv4Message::parse(&b).unwrap();
        assert!(m.verify_checksum());
        assert_eq!(m.compute_checksum(), c);
        assert_eq!(
            m.body(),
            Icmpv4Body::Echo {
                ident: 1,
                seq: 7,
                data: b"abcd"
            }
        );
        assert_eq!(m.quoted(), None);
        let h = m.to_header();
        assert_eq!(h.compute_checksum(m.data()), c);
        assert_eq!(h, {
            let mut e = Icmpv4Header::echo_request(1, 7);
            e.fill_checksum(b"abcd");
            e
        });
    }

    #[test]
    fn unreachable_quotes_a_lax_ipv4_header() {
        let mut b = [0u8; 8 + 28];
        b[..8].copy_from_slice(&[3, 4, 0, 0, 0, 0, 0x05, 0xdc]);
        // Quoted header says 1500 bytes; only 28 are quoted.
        b[8..28].copy_from_slice(&[
            0x45, 0, 0x05, 0xdc, 0, 1, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ]);
        b[28..36].copy_from_slice(&[0x30, 0x39, 0, 53, 0x05, 0xc8, 0, 0]);
        let m = Icmpv4Message::parse(&b).unwrap();
        assert_eq!(m.next_hop_mtu(), Some(1500));
        assert_eq!(Icmpv4Code(4).name(m.icmp_type()), Some("fragmentation-needed"));
        let q = m.quoted_packet().unwrap().unwrap();
        assert!(q.is_truncated());
        assert_eq!(q.protocol(), IpProtocol::UDP);
        assert_eq!(q.missing_bytes(), 1500 - 28);
        assert_eq!(m.quoted_transport(), Some(&b[28..36]));
        // A quote that is not IPv4 reports offsets within the ICMP message.
        b[8] = 0x43;
        let e = Icmpv4Message::parse(&b).unwrap().quoted_packet().unwrap().unwrap_err();
        assert_eq!(e, Error::length_too_small(Layer::Ipv4, "ihl", 8, 3, 5));
    }

    #[test]
    fn other_error_bodies() {
        let m = Icmpv4Message::parse(&[5, 1, 0, 0, 192, 0, 2, 9]).unwrap();
        assert_eq!(m.gateway(), Some(Ipv4Addr::new(192, 0, 2, 9)));
        assert!(matches!(m.body(), Icmpv4Body::Redirect { .. }));
        let m = Icmpv4Message::parse(&[12, 0, 0, 0, 20, 0, 0, 0]).unwrap();
        assert_eq!(m.pointer(), Some(20));
        assert_eq!(m.to_header(), Icmpv4Header::parameter_problem(20));
        let m = Icmpv4Message::parse(&[11, 1, 0, 0, 0, 0, 0, 0]).unwrap();
        assert_eq!(m.body(), Icmpv4Body::TimeExceeded { quoted: &[] });
        // An empty quote: no header to parse.
        let e = m.quoted_packet().unwrap().unwrap_err();
        assert_eq!(e, Error::truncated(Layer::Ipv4, "header", 8, 20, 0));
        let m = Icmpv4Message::parse(&[99, 7, 0, 0, 1, 2, 3, 4, 5]).unwrap();
        assert_eq!(
            m.body(),
            Icmpv4Body::Other {
                rest: [1, 2, 3, 4],
                data: &[5]
            }
        );
    }

    #[test]
    fn timestamps_need_twenty_bytes() {
        let mut b = [0u8; 20];
        b[0] = 14;
        b[8..20].copy_from_slice(&[0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]);
        let m = Icmpv4Message::parse(&b).unwrap();
        assert_eq!(
            m.body(),
            Icmpv4Body::Timestamp {
                ident: 0,
                seq: 0,
                originate: 1,
                receive: 2,
                transmit: 3
            }
        );
        assert_eq!(
            Icmpv4Message::parse(&b[..19]).unwrap_err(),
            Error::truncated(Layer::Icmpv4, "timestamps", 8, 20, 19)
        );
        assert_eq!(
            Icmpv4Message::parse(&b[..7]).unwrap_err(),
            Error::truncated(Layer::Icmpv4, "header", 0, 8, 7)
        );
    }

    #[test]
    fn emit_checks_room() {
        let h = Icmpv4Header::dest_unreachable(Icmpv4Code::FRAGMENTATION_NEEDED, 1280);
        let mut b = [0u8; 8];
        assert_eq!(h.emit(&mut b[..7]), Err(Error::buffer_too_small(Layer::Icmpv4, 8, 7)));
        assert_eq!(h.emit(&mut b), Ok(8));
        assert_eq!(b, [3, 4, 0, 0, 0, 0, 0x05, 0x00]);
        assert_eq!(Icmpv4Header::timestamp(1, 2).seq(), Some(2));
        assert_eq!(
            Icmpv4Header::redirect(Icmpv4Code::REDIRECT_HOST, Ipv4Addr::LOCALHOST).ident(),
            None
        );
    }
}
