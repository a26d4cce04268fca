//! ICMPv6, the Internet Control Message Protocol for IPv6 (RFC 4443).
//!
//! ICMPv6 reports errors in processing IPv6 packets, answers echo requests
//! (ping), and carries Neighbor Discovery ([`crate::net::ndp`]) and
//! Multicast Listener Discovery ([`crate::net::mld`]). Every message starts
//! with the same four bytes (RFC 4443 §2.1):
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |     Type      |     Code      |          Checksum             |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |          type-specific (MTU, Pointer, Identifier ...)         |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                         Message Body                          |
//! ```
//!
//! Types 0–127 are **errors**; their body quotes "as much of invoking packet
//! as possible without the ICMPv6 packet exceeding the minimum IPv6 MTU"
//! (RFC 4443 §3), so the quote is usually a truncated IPv6 packet, read with
//! [`Ipv6Packet::parse_lax`]:
//!
//! * 1 Destination Unreachable (§3.1), 2 Packet Too Big with the next-hop
//!   MTU (§3.2), 3 Time Exceeded (§3.3), 4 Parameter Problem with a
//!   Pointer to the offending byte (§3.4).
//!
//! Types 128–255 are **informational**: 128/129 Echo Request/Reply with an
//! Identifier and a Sequence Number (§4.1, §4.2), NDP's 133–137, MLD's
//! 130–132 and 143.
//!
//! Unlike ICMPv4, the checksum also covers an IPv6 pseudo-header (RFC 4443
//! §2.3, RFC 8200 §8.1) — source, destination, length and Next Header 58 —
//! so it needs the addresses: [`Icmpv6Message::verify_checksum`],
//! [`compute_checksum`], [`fill_checksum`].
//!
//! netspec requires at least 8 bytes (the four common bytes plus the four
//! type-specific ones): every message type defined by RFC 4443, RFC 4861,
//! RFC 2710 and RFC 3810 has them.
//!
//! ```
//! use netspec::net::icmpv6::{fill_checksum, Icmpv6Header, Icmpv6Message};
//! use std::net::Ipv6Addr;
//! let (src, dst) = (Ipv6Addr::LOCALHOST, Ipv6Addr::LOCALHOST);
//! let mut buf = [0u8; 12];
//! Icmpv6Header::echo_request(0x1234, 1).emit(&mut buf).unwrap();
//! buf[8..].copy_from_slice(b"ping");
//! fill_checksum(&mut buf, &src, &dst).unwrap();
//! let m = Icmpv6Message::parse(&buf).unwrap();
//! assert_eq!(m.echo(), Some((0x1234, 1)));
//! assert!(m.verify_checksum(&src, &dst));
//! ```

use crate::checksum;
use crate::error::{Error, Layer, Result};
use crate::net::IpProtocol;
use crate::net::ipv6::Ipv6Packet;
use crate::parse::{get_u16, get_u32, need, put_u16, put_u32, room};
use core::net::Ipv6Addr;

/// Length of the common ICMPv6 header netspec requires: type, code,
/// checksum and the four type-specific bytes (RFC 4443 §2.1).
pub const HEADER_LEN: usize = 8;

/// An ICMPv6 message type (RFC 4443 §2.1), open.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Icmpv6Type(pub u8);

impl Icmpv6Type {
    /// Destination Unreachable (RFC 4443 §3.1).
    pub const DESTINATION_UNREACHABLE: Icmpv6Type = Icmpv6Type(1);
    /// Packet Too Big (RFC 4443 §3.2).
    pub const PACKET_TOO_BIG: Icmpv6Type = Icmpv6Type(2);
    /// Time Exceeded (RFC 4443 §3.3).
    pub const TIME_EXCEEDED: Icmpv6Type = Icmpv6Type(3);
    /// Parameter Problem (RFC 4443 §3.4).
    pub const PARAMETER_PROBLEM: Icmpv6Type = Icmpv6Type(4);
    /// Echo Request (RFC 4443 §4.1).
    pub const ECHO_REQUEST: Icmpv6Type = Icmpv6Type(128);
    /// Echo Reply (RFC 4443 §4.2).
    pub const ECHO_REPLY: Icmpv6Type = Icmpv6Type(129);
    /// Multicast Listener Query (RFC 2710 §3, RFC 3810 §5.1).
    pub const MLD_QUERY: Icmpv6Type = Icmpv6Type(130);
    /// Multicast Listener Report, version 1 (RFC 2710 §3).
    pub const MLD_REPORT: Icmpv6Type = Icmpv6Type(131);
    /// Multicast Listener Done (RFC 2710 §3).
    pub const MLD_DONE: Icmpv6Type = Icmpv6Type(132);
    /// Router Solicitation (RFC 4861 §4.1).
    pub const ROUTER_SOLICITATION: Icmpv6Type = Icmpv6Type(133);
    /// Router Advertisement (RFC 4861 §4.2).
    pub const ROUTER_ADVERTISEMENT: Icmpv6Type = Icmpv6Type(134);
    /// Neighbor Solicitation (RFC 4861 §4.3).
    pub const NEIGHBOR_SOLICITATION: Icmpv6Type = Icmpv6Type(135);
    /// Neighbor Advertisement (RFC 4861 §4.4).
    pub const NEIGHBOR_ADVERTISEMENT: Icmpv6Type = Icmpv6Type(136);
    /// Redirect (RFC 4861 §4.5).
    pub const REDIRECT: Icmpv6Type = Icmpv6Type(137);
    /// Version 2 Multicast Listener Report (RFC 3810 §5.2).
    pub const MLDV2_REPORT: Icmpv6Type = Icmpv6Type(143);

    /// The registered name, if netspec knows this value (RFC 4443 §2.1).
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            1 => "DestinationUnreachable",
            2 => "PacketTooBig",
            3 => "TimeExceeded",
            4 => "ParameterProblem",
            128 => "EchoRequest",
            129 => "EchoReply",
            130 => "MulticastListenerQuery",
            131 => "MulticastListenerReport",
            132 => "MulticastListenerDone",
            133 => "RouterSolicitation",
            134 => "RouterAdvertisement",
            135 => "NeighborSolicitation",
            136 => "NeighborAdvertisement",
            137 => "Redirect",
            143 => "MulticastListenerReportV2",
            _ => return None,
        })
    }

    /// True for error messages, types 0–127 (RFC 4443 §2.1).
    pub const fn is_error(self) -> bool {
        self.0 < 128
    }
}

crate::macros::named_number_fmt!(Icmpv6Type, "{}");

/// An ICMPv6 code (RFC 4443 §2.1), open; its meaning depends on the type.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Debug)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Icmpv6Code(pub u8);

impl Icmpv6Code {
    /// Destination Unreachable: no route to destination (RFC 4443 §3.1).
    pub const NO_ROUTE: Icmpv6Code = Icmpv6Code(0);
    /// Destination Unreachable: administratively prohibited (RFC 4443 §3.1).
    pub const ADMIN_PROHIBITED: Icmpv6Code = Icmpv6Code(1);
    /// Destination Unreachable: beyond scope of source (RFC 4443 §3.1).
    pub const BEYOND_SCOPE: Icmpv6Code = Icmpv6Code(2);
    /// Destination Unreachable: address unreachable (RFC 4443 §3.1).
    pub const ADDRESS_UNREACHABLE: Icmpv6Code = Icmpv6Code(3);
    /// Destination Unreachable: port unreachable (RFC 4443 §3.1).
    pub const PORT_UNREACHABLE: Icmpv6Code = Icmpv6Code(4);
    /// Destination Unreachable: source failed ingress/egress policy
    /// (RFC 4443 §3.1).
    pub const SOURCE_POLICY: Icmpv6Code = Icmpv6Code(5);
    /// Destination Unreachable: reject route (RFC 4443 §3.1).
    pub const REJECT_ROUTE: Icmpv6Code = Icmpv6Code(6);
    /// Time Exceeded: hop limit exceeded in transit (RFC 4443 §3.3).
    pub const HOP_LIMIT_EXCEEDED: Icmpv6Code = Icmpv6Code(0);
    /// Time Exceeded: fragment reassembly time exceeded (RFC 4443 §3.3).
    pub const REASSEMBLY_TIME_EXCEEDED: Icmpv6Code = Icmpv6Code(1);
    /// Parameter Problem: erroneous header field (RFC 4443 §3.4).
    pub const ERRONEOUS_HEADER_FIELD: Icmpv6Code = Icmpv6Code(0);
    /// Parameter Problem: unrecognized Next Header (RFC 4443 §3.4).
    pub const UNRECOGNIZED_NEXT_HEADER: Icmpv6Code = Icmpv6Code(1);
    /// Parameter Problem: unrecognized IPv6 option (RFC 4443 §3.4).
    pub const UNRECOGNIZED_OPTION: Icmpv6Code = Icmpv6Code(2);
    /// Parameter Problem: first fragment has an incomplete header chain
    /// (RFC 7112 §6).
    pub const INCOMPLETE_HEADER_CHAIN: Icmpv6Code = Icmpv6Code(3);

    /// The registered name of this code under message type `ty`, if
    /// netspec knows it (RFC 4443 §2.1).
    pub const fn name(self, ty: Icmpv6Type) -> Option<&'static str> {
        Some(match (ty.0, self.0) {
            (1, 0) => "NoRoute",
            (1, 1) => "AdminProhibited",
            (1, 2) => "BeyondScope",
            (1, 3) => "AddressUnreachable",
            (1, 4) => "PortUnreachable",
            (1, 5) => "SourcePolicy",
            (1, 6) => "RejectRoute",
            (3, 0) => "HopLimitExceeded",
            (3, 1) => "ReassemblyTimeExceeded",
            (4, 0) => "ErroneousHeaderField",
            (4, 1) => "UnrecognizedNextHeader",
            (4, 2) => "UnrecognizedOption",
            (4, 3) => "IncompleteHeaderChain",
            (2 | 128..=137 | 143, 0) => "Zero",
            _ => return None,
        })
    }
}

/// Byte offsets of the common fields (RFC 4443 §2.1).
mod field {
    pub const TYPE: usize = 0;
    pub const CODE: usize = 1;
    pub const CHECKSUM: usize = 2;
    pub const REST: usize = 4;
}

/// A zero-copy view of an ICMPv6 message (RFC 4443 §2.1), at least 8 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Icmpv6Message<'a> {
    buf: &'a [u8],
}

impl<'a> Icmpv6Message<'a> {
    /// Parse the message in `buf` (the whole ICMPv6 payload of the IPv6
    /// packet: its length is the checksum's upper-layer length) (RFC 4443 §2.1).
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        need(buf, HEADER_LEN, Layer::Icmpv6, "header", 0)?;
        Ok(Icmpv6Message { buf })
    }

    /// Type (RFC 4443 §2.1).
    pub fn msg_type(&self) -> Icmpv6Type {
        Icmpv6Type(self.buf[field::TYPE])
    }

    /// Code (RFC 4443 §2.1).
    pub fn code(&self) -> Icmpv6Code {
        Icmpv6Code(self.buf[field::CODE])
    }

    /// Checksum as on the wire (RFC 4443 §2.3).
    pub fn checksum(&self) -> u16 {
        get_u16(self.buf, field::CHECKSUM)
    }

    /// The four type-specific bytes after the checksum, as a big-endian
    /// word (unused, MTU, Pointer, or Identifier and Sequence Number) (RFC 4443 §2.1).
    pub fn rest_of_header(&self) -> u32 {
        get_u32(self.buf, field::REST)
    }

    /// The whole message (RFC 4443 §2.1).
    pub const fn bytes(&self) -> &'a [u8] {
        self.buf
    }

    /// The bytes after the 8-byte header (RFC 4443 §2.1).
    pub fn body(&self) -> &'a [u8] {
        &self.buf[HEADER_LEN..]
    }

    /// The MTU of a Packet Too Big message (RFC 4443 §3.2).
    pub fn mtu(&self) -> Option<u32> {
        (self.msg_type() == Icmpv6Type::PACKET_TOO_BIG).then(|| self.rest_of_header())
    }

    /// The Pointer of a Parameter Problem message: the offset in the
    /// invoking packet of the offending byte (RFC 4443 §3.4).
    pub fn pointer(&self) -> Option<u32> {
        (self.msg_type() == Icmpv6Type::PARAMETER_PROBLEM).then(|| self.rest_of_header())
    }

    /// Identifier and Sequence Number of an Echo Request or Reply
    /// (RFC 4443 §4.1, §4.2).
    pub fn echo(&self) -> Option<(u16, u16)> {
        matches!(self.msg_type(), Icmpv6Type::ECHO_REQUEST | Icmpv6Type::ECHO_REPLY)
            .then(|| (get_u16(self.buf, 4), get_u16(self.buf, 6)))
    }

    /// The invoking packet quoted by an error message (types 1–4), parsed
    /// leniently since the quote is usually cut short (RFC 4443 §3).
    /// `None` for other types; errors are offset to this message.
    pub fn invoking_packet(&self) -> Option<Result<Ipv6Packet<'a>>> {
        matches!(self.msg_type().0, 1..=4)
            .then(|| Ipv6Packet::parse_lax(self.body()).map_err(|e| e.at_base(HEADER_LEN)))
    }

    /// True if the checksum is right for this source and destination
    /// (RFC 4443 §2.3). With a Routing header, `dst` is the final
    /// destination (RFC 8200 §8.1).
    pub fn verify_checksum(&self, src: &Ipv6Addr, dst: &Ipv6Addr) -> bool {
        match u32::try_from(self.buf.len()) {
            Ok(len) => checksum::verify_with(
                checksum::pseudo_header_v6(src, dst, IpProtocol::ICMPV6.0, len),
                self.buf,
            ),
            Err(_) => false,
        }
    }

    /// The owned 8-byte header (RFC 4443 §2.1).
    pub fn to_header(&self) -> Icmpv6Header {
        Icmpv6Header {
            msg_type: self.msg_type(),
            code: self.code(),
            checksum: self.checksum(),
            rest_of_header: self.rest_of_header(),
        }
    }
}

/// The checksum `msg` should carry (RFC 4443 §2.3), computed as if its
/// checksum field were zero. Messages longer than 4 GiB are
/// [`crate::ErrorKind::LimitExceeded`]; shorter than 4 bytes, truncated.
pub fn compute_checksum(msg: &[u8], src: &Ipv6Addr, dst: &Ipv6Addr) -> Result<u16> {
    need(msg, 4, Layer::Icmpv6, "checksum", field::CHECKSUM)?;
    let len =
        u32::try_from(msg.len()).map_err(|_| Error::limit_exceeded(Layer::Icmpv6, "length", 0, u32::MAX as usize))?;
    let mut acc = checksum::Accumulator::with_initial(checksum::pseudo_header_v6(src, dst, IpProtocol::ICMPV6.0, len));
    acc.add_bytes(&msg[..field::CHECKSUM]);
    acc.add_bytes(&msg[field::CHECKSUM + 2..]);
    Ok(acc.checksum())
}

/// Compute and store the checksum of the message in `msg` (RFC 4443 §2.3).
pub fn fill_checksum(msg: &mut [u8], src: &Ipv6Addr, dst: &Ipv6Addr) -> Result<u16> {
    let c = compute_checksum(msg, src, dst)?;
    put_u16(msg, field::CHECKSUM, c);
    Ok(c)
}

/// The owned 8-byte ICMPv6 header (RFC 4443 §2.1): type, code, checksum
/// and the type-specific word. The body (quoted packet, echo data, NDP and
/// MLD fields) follows it; see [`crate::net::ndp`] and [`crate::net::mld`]
/// for those messages' owned forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Icmpv6Header {
    /// Type.
    pub msg_type: Icmpv6Type,
    /// Code.
    pub code: Icmpv6Code,
    /// Checksum as stored (see [`fill_checksum`]).
    pub checksum: u16,
    /// The four type-specific bytes as a big-endian word.
    pub rest_of_header: u32,
}

impl Icmpv6Header {
    const fn new(msg_type: Icmpv6Type, code: Icmpv6Code, rest_of_header: u32) -> Self {
        Icmpv6Header {
            msg_type,
            code,
            checksum: 0,
            rest_of_header,
        }
    }

    /// Destination Unreachable with `code` (RFC 4443 §3.1).
    pub const fn destination_unreachable(code: Icmpv6Code) -> Self {
        Self::new(Icmpv6Type::DESTINATION_UNREACHABLE, code, 0)
    }

    /// Packet Too Big with the next-hop `mtu` (RFC 4443 §3.2).
    pub const fn packet_too_big(mtu: u32) -> Self {
        Self::new(Icmpv6Type::PACKET_TOO_BIG, Icmpv6Code(0), mtu)
    }

    /// Time Exceeded with `code` (RFC 4443 §3.3).
    pub const fn time_exceeded(code: Icmpv6Code) -> Self {
        Self::new(Icmpv6Type::TIME_EXCEEDED, code, 0)
    }

    /// Parameter Problem with `code` and `pointer` (RFC 4443 §3.4).
    pub const fn parameter_problem(code: Icmpv6Code, pointer: u32) -> Self {
        Self::new(Icmpv6Type::PARAMETER_PROBLEM, code, pointer)
    }

    /// Echo Request (RFC 4443 §4.1).
    pub const fn echo_request(identifier: u16, sequence: u16) -> Self {
        Self::new(
            Icmpv6Type::ECHO_REQUEST,
            Icmpv6Code(0),
            (identifier as u32) << 16 | sequence as u32,
        )
    }

    /// Echo Reply (RFC 4443 §4.2).
    pub const fn echo_reply(identifier: u16, sequence: u16) -> Self {
        Self::new(
            Icmpv6Type::ECHO_REPLY,
            Icmpv6Code(0),
            (identifier as u32) << 16 | sequence as u32,
        )
    }

    /// Always 8 (RFC 4443 §2.1).
    pub const fn header_len(&self) -> usize {
        HEADER_LEN
    }

    /// Parse the header; returns it and the body (RFC 4443 §2.1).
    pub fn parse(buf: &[u8]) -> Result<(Icmpv6Header, &[u8])> {
        let m = Icmpv6Message::parse(buf)?;
        Ok((m.to_header(), m.body()))
    }

    /// Write the 8 bytes (RFC 4443 §2.1).
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        room(buf, HEADER_LEN, Layer::Icmpv6)?;
        buf[field::TYPE] = self.msg_type.0;
        buf[field::CODE] = self.code.0;
        put_u16(buf, field::CHECKSUM, self.checksum);
        put_u32(buf, field::REST, self.rest_of_header);
        Ok(HEADER_LEN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::net::ipv6::Ipv6Header;

    #[test]
    fn short_message_is_truncated() {
        assert_eq!(
            Icmpv6Message::parse(&[1, 0, 0, 0]).unwrap_err(),
            Error::truncated(Layer::Icmpv6, "header", 0, 8, 4)
        );
    }

    #[test]
    fn packet_too_big_quotes_a_truncated_packet() {
        let mut b = [0u8; 8 + 48];
        Icmpv6Header::packet_too_big(1280).emit(&mut b).unwrap();
        Ipv6Header {
            payload_length: 1000,
            next_header: IpProtocol::UDP,
            ..Default::default()
        }
        .emit(&mut b[8..])
        .unwrap();
        let m = Icmpv6Message::parse(&b).unwrap();
        assert_eq!(m.mtu(), Some(1280));
        let inner = m.invoking_packet().unwrap().unwrap();
        assert!(inner.is_truncated());
        assert_eq!(inner.payload().len(), 8);
        // A quote too short for an IPv6 header is reported at its offset.
        let m = Icmpv6Message::parse(&b[..20]).unwrap();
        let e = m.invoking_packet().unwrap().unwrap_err();
        assert_eq!((e.layer, e.offset), (Layer::Ipv6, 8));
        assert!(matches!(
            e.kind,
            ErrorKind::Truncated {
                needed: 40,
                available: 12
            }
        ));
    }

    #[test]
    fn checksum_detects_changes() {
        let (s, d) = (Ipv6Addr::LOCALHOST, Ipv6Addr::from(5u128));
        let mut b = [0u8; 13];
        Icmpv6Header::parameter_problem(Icmpv6Code::UNRECOGNIZED_NEXT_HEADER, 6)
            .emit(&mut b)
            .unwrap();
        fill_checksum(&mut b, &s, &d).unwrap();
        let m = Icmpv6Message::parse(&b).unwrap();
        assert!(m.verify_checksum(&s, &d));
        // The pseudo-header binds the message to its addresses.
        assert!(!m.verify_checksum(&s, &Ipv6Addr::from(6u128)));
        assert_eq!(m.pointer(), Some(6));
        assert_eq!(compute_checksum(&b, &s, &d).unwrap(), m.checksum());
        b[12] ^= 1;
        assert!(!Icmpv6Message::parse(&b).unwrap().verify_checksum(&s, &d));
    }

    #[test]
    fn compute_needs_the_checksum_field() {
        let a = Ipv6Addr::LOCALHOST;
        assert_eq!(
            compute_checksum(&[1, 0, 0], &a, &a).unwrap_err(),
            Error::truncated(Layer::Icmpv6, "checksum", 2, 4, 3)
        );
        assert_eq!(
            Icmpv6Header::default().emit(&mut [0u8; 7]).unwrap_err(),
            Error::buffer_too_small(Layer::Icmpv6, 8, 7)
        );
    }

    #[test]
    fn names() {
        assert_eq!(Icmpv6Type(2).name(), Some("PacketTooBig"));
        assert_eq!(
            Icmpv6Code(3).name(Icmpv6Type::PARAMETER_PROBLEM),
            Some("IncompleteHeaderChain")
        );
        assert_eq!(Icmpv6Code(9).name(Icmpv6Type::PARAMETER_PROBLEM), None);
        assert!(Icmpv6Type(127).is_error() && !Icmpv6Type(128).is_error());
    }
}
