//! IPv4, the Internet Protocol version 4 (RFC 791).
//!
//! IPv4 carries datagrams from a source host to a destination host, each
//! named by a 32-bit address, across any number of links. Every datagram
//! starts with this header (RFC 791 §3.1):
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |Version|  IHL  |   DSCP    |ECN|          Total Length         |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |         Identification        |Flags|      Fragment Offset    |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  Time to Live |    Protocol   |         Header Checksum       |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                       Source Address                          |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                    Destination Address                        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                    Options                    |    Padding    |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! * **IHL** counts the header in 32-bit words: 5 (20 bytes) to 15 (60
//!   bytes, 40 of them [options](super::ipv4_option)).
//! * **DSCP/ECN**: the old Type of Service byte, now a 6-bit Differentiated
//!   Services Code Point (RFC 2474 §3) and 2 ECN bits (RFC 3168 §5).
//! * **Total Length** covers header and data. Bytes after it (Ethernet
//!   padding) are not part of the datagram: [`Ipv4Packet::trailer`].
//! * **Identification, Flags, Fragment Offset** drive fragmentation
//!   (RFC 791 §2.3): a router splits a datagram too big for the next link
//!   into fragments sharing the Identification; MF ("more fragments") is set
//!   on all but the last, and the offset counts 8-byte units. DF forbids
//!   fragmenting; the remaining bit is reserved (the "evil bit" of
//!   RFC 3514) and kept as found.
//!   The receiver reassembles the fragments that share source,
//!   destination, protocol and Identification (RFC 791 §3.2); only the first
//!   fragment (offset 0) holds the transport header.
//! * **TTL** is decremented by each hop; at zero the datagram is dropped and
//!   an ICMP Time Exceeded goes back.
//! * **Protocol** names the payload ([`IpProtocol`]).
//! * **Header Checksum**: the RFC 1071 checksum of the header only.
//!
//! [`Ipv4Packet::parse`] is strict: Total Length must fit the buffer.
//! [`Ipv4Packet::parse_lax`] accepts a datagram cut short (a snaplen-limited
//! capture, or the quoted header inside an ICMP error) and says how many
//! bytes are missing.
//!
//! ```
//! use core::net::Ipv4Addr;
//! use netspec::net::{IpProtocol, Ipv4Header, Ipv4Packet};
//! let mut h = Ipv4Header::new(Ipv4Addr::new(192, 0, 2, 1), Ipv4Addr::new(198, 51, 100, 2), IpProtocol::UDP, 4);
//! h.options.push_router_alert(0)?;
//! h.set_payload_len(4)?;
//! h.fill_checksum();
//! let mut buf = [0u8; 64];
//! let n = h.emit(&mut buf)?;
//! buf[n..n + 4].copy_from_slice(b"ping");
//! let p = Ipv4Packet::parse(&buf)?; // 64 bytes: 28 of datagram, 36 of trailer
//! assert!(p.verify_checksum());
//! assert_eq!(p.payload(), b"ping");
//! assert_eq!(p.trailer().len(), 36);
//! assert_eq!(p.to_header(), h);
//! # Ok::<(), netspec::Error>(())
//! ```

use super::IpProtocol;
use super::ipv4_option::{Ipv4OptionIter, Ipv4Options, MAX_OPTIONS_LEN};
use crate::checksum;
use crate::error::{Error, Layer, Result};
use crate::parse::{get_array, get_u16, room};
use core::net::Ipv4Addr;

/// Bytes of the fixed header, IHL 5 (RFC 791 §3.1).
pub const MIN_HEADER_LEN: usize = 20;
/// Bytes of the longest header, IHL 15 (RFC 791 §3.1).
pub const MAX_HEADER_LEN: usize = 60;

mod field {
    pub const VER_IHL: usize = 0;
    pub const TOS: usize = 1;
    pub const TOTAL_LEN: usize = 2;
    pub const IDENT: usize = 4;
    pub const FLAGS_FRAG: usize = 6;
    pub const TTL: usize = 8;
    pub const PROTOCOL: usize = 9;
    pub const CHECKSUM: usize = 10;
    pub const SRC: usize = 12;
    pub const DST: usize = 16;
}

bitflags::bitflags! {
    /// The 3-bit Flags field (RFC 791 §3.1), as a value 0..=7.
    /// Parsed with `from_bits_retain`, so every bit survives a round trip.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
    pub struct Ipv4Flags: u8 {
        /// Bit 0: reserved, must be zero (RFC 791); the "evil bit" of
        /// RFC 3514.
        const RESERVED = 0b100;
        /// Bit 1: Don't Fragment.
        const DONT_FRAGMENT = 0b010;
        /// Bit 2: More Fragments.
        const MORE_FRAGMENTS = 0b001;
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for Ipv4Flags {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(Ipv4Flags::from_bits_retain(u.int_in_range(0..=7)?))
    }
}

/// A zero-copy view of an IPv4 datagram (RFC 791 §3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv4Packet<'a> {
    /// The fixed 20-byte header: every fixed field sits at a constant
    /// offset in it, so its accessors need no bounds check.
    head: &'a [u8; MIN_HEADER_LEN],
    buf: &'a [u8],
    /// The whole header, options included (`4 * IHL` bytes).
    header: &'a [u8],
    /// The datagram bytes present after the header: up to
    /// `min(total_length, buf.len())`.
    payload: &'a [u8],
}

impl<'a> Ipv4Packet<'a> {
    /// Parse strictly: version 4, `IHL >= 5`, the whole header and options
    /// present and well formed, `header_len <= total_length <= buf.len()`.
    /// Bytes after Total Length are the [`trailer`](Self::trailer) (RFC 791 §3.1).
    #[inline]
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        // Small enough to inline. Version 4 with IHL 5 (no options, nothing
        // to validate) is one compare; a header with options is checked out
        // of line. Every error is built out of line too: the view is built
        // in this one place, which lets a caller keep it in registers
        // instead of merging it with a view returned through memory.
        if let Some((head, rest)) = buf.split_first_chunk::<MIN_HEADER_LEN>() {
            let total = usize::from(u16::from_be_bytes([head[field::TOTAL_LEN], head[field::TOTAL_LEN + 1]]));
            if head[field::VER_IHL] == 0x45 {
                // `20 <= total <= buf.len()` as one unsigned compare.
                if let Some(payload) = rest.get(..total.wrapping_sub(MIN_HEADER_LEN)) {
                    return Ok(Ipv4Packet {
                        head,
                        buf,
                        header: head,
                        payload,
                    });
                }
            } else if let Some((header, payload)) = Self::with_options(buf, total) {
                return Ok(Ipv4Packet {
                    head,
                    buf,
                    header,
                    payload,
                });
            }
        }
        Err(Self::parse_error(buf))
    }

    /// For [`Ipv4Packet::parse`], a header other than version 4 with IHL
    /// 5: the header and the payload, if it is version 4 with options (IHL
    /// above 5) that are well formed and `header_len <= total <= buf.len()`.
    #[inline(never)]
    fn with_options(buf: &[u8], total: usize) -> Option<(&[u8], &[u8])> {
        let first = *buf.first()?;
        let header_len = usize::from(first & 0x0f) * 4;
        if first >> 4 != 4 || header_len <= MIN_HEADER_LEN || header_len > total {
            return None;
        }
        let (header, payload) = buf.get(..total)?.split_at_checked(header_len)?;
        Ipv4OptionIter::validate(header.get(MIN_HEADER_LEN..)?).ok()?;
        Some((header, payload))
    }

    /// The error [`Ipv4Packet::parse`] gives for `buf`, which it has not
    /// accepted: the one [`parse_lax`](Self::parse_lax) gives, or, when the
    /// lax parse accepts the header, `LengthExceeds` on Total Length (the
    /// only check the lax parse leaves out).
    #[cold]
    #[inline(never)]
    fn parse_error(buf: &'a [u8]) -> Error {
        match Self::parse_lax(buf) {
            Err(e) => e,
            Ok(p) => Error::length_exceeds(
                Layer::Ipv4,
                "total_length",
                field::TOTAL_LEN,
                p.total_length() as usize,
                buf.len(),
            ),
        }
    }

    /// Parse like [`parse`](Self::parse) but accept a Total Length beyond the
    /// buffer: the payload is then cut short, [`is_truncated`](Self::is_truncated)
    /// is true and [`missing_bytes`](Self::missing_bytes) says by how much.
    /// The header itself must still be complete (RFC 791 §3.1).
    pub fn parse_lax(buf: &'a [u8]) -> Result<Self> {
        let Some(head) = buf.first_chunk::<MIN_HEADER_LEN>() else {
            return Err(Error::truncated(Layer::Ipv4, "header", 0, MIN_HEADER_LEN, buf.len()));
        };
        let version = buf[field::VER_IHL] >> 4;
        if version != 4 {
            return Err(Error::invalid(Layer::Ipv4, "version", 0, version as u64, "4"));
        }
        let ihl = (buf[field::VER_IHL] & 0x0f) as usize;
        if ihl < 5 {
            return Err(Error::length_too_small(Layer::Ipv4, "ihl", 0, ihl, 5));
        }
        let header_len = ihl * 4;
        if header_len > buf.len() {
            return Err(Error::length_exceeds(Layer::Ipv4, "ihl", 0, header_len, buf.len()));
        }
        let total = get_u16(buf, field::TOTAL_LEN) as usize;
        if total < header_len {
            return Err(Error::length_too_small(
                Layer::Ipv4,
                "total_length",
                field::TOTAL_LEN,
                total,
                header_len,
            ));
        }
        Ipv4OptionIter::validate(&buf[MIN_HEADER_LEN..header_len])?;
        Ok(Ipv4Packet {
            head,
            buf,
            header: &buf[..header_len],
            payload: &buf[header_len..total.min(buf.len())],
        })
    }

    /// Version, always 4 after a successful parse (RFC 791 §3.1).
    #[inline]
    pub fn version(&self) -> u8 {
        self.head[field::VER_IHL] >> 4
    }

    /// Internet Header Length in 32-bit words, 5..=15 (RFC 791 §3.1).
    #[inline]
    pub fn ihl(&self) -> u8 {
        self.head[field::VER_IHL] & 0x0f
    }

    /// Header length in bytes: `4 * IHL` (RFC 791 §3.1).
    #[inline]
    pub fn header_len(&self) -> usize {
        self.header.len()
    }

    /// Differentiated Services Code Point, 6 bits (RFC 2474 §3).
    #[inline]
    pub fn dscp(&self) -> u8 {
        self.head[field::TOS] >> 2
    }

    /// Explicit Congestion Notification, 2 bits (RFC 3168 §5): 0 Not-ECT,
    /// 1 ECT(1), 2 ECT(0), 3 CE.
    #[inline]
    pub fn ecn(&self) -> u8 {
        self.head[field::TOS] & 0x3
    }

    /// Total Length of header and data in bytes (RFC 791 §3.1).
    #[inline]
    pub fn total_length(&self) -> u16 {
        get_u16(self.head, field::TOTAL_LEN)
    }

    /// Identification (RFC 791 §3.1, RFC 6864).
    #[inline]
    pub fn identification(&self) -> u16 {
        get_u16(self.head, field::IDENT)
    }

    /// The 3 flag bits (RFC 791 §3.1).
    #[inline]
    pub fn flags(&self) -> Ipv4Flags {
        Ipv4Flags::from_bits_retain(self.head[field::FLAGS_FRAG] >> 5)
    }

    /// Don't Fragment (RFC 791 §3.1).
    #[inline]
    pub fn dont_fragment(&self) -> bool {
        self.flags().contains(Ipv4Flags::DONT_FRAGMENT)
    }

    /// More Fragments (RFC 791 §3.1).
    #[inline]
    pub fn more_fragments(&self) -> bool {
        self.flags().contains(Ipv4Flags::MORE_FRAGMENTS)
    }

    /// Fragment Offset in 8-byte units, 13 bits (RFC 791 §3.1).
    #[inline]
    pub fn fragment_offset(&self) -> u16 {
        get_u16(self.head, field::FLAGS_FRAG) & 0x1fff
    }

    /// Fragment Offset in bytes: `8 * fragment_offset` (RFC 791 §3.1).
    #[inline]
    pub fn fragment_offset_bytes(&self) -> usize {
        self.fragment_offset() as usize * 8
    }

    /// True for a fragment: MF set or a non-zero offset (RFC 791 §2.3).
    #[inline]
    pub fn is_fragment(&self) -> bool {
        self.more_fragments() || self.fragment_offset() != 0
    }

    /// Time to Live (RFC 791 §3.1).
    #[inline]
    pub fn ttl(&self) -> u8 {
        self.head[field::TTL]
    }

    /// Protocol of the payload (RFC 791 §3.1).
    #[inline]
    pub fn protocol(&self) -> IpProtocol {
        IpProtocol(self.head[field::PROTOCOL])
    }

    /// Header Checksum as on the wire (RFC 791 §3.1).
    #[inline]
    pub fn checksum(&self) -> u16 {
        get_u16(self.head, field::CHECKSUM)
    }

    /// True when the header sums to `0xFFFF` (RFC 1071).
    #[inline]
    pub fn verify_checksum(&self) -> bool {
        // Without options the length is a constant: the sum unrolls into
        // three loads and a few additions, folded once (RFC 1071 §2(C)).
        if self.header.len() == MIN_HEADER_LEN {
            checksum::WideSum::of(self.head).verifies()
        } else {
            checksum::WideSum::of(self.header).verifies()
        }
    }

    /// The checksum this header should carry (computed with the field as
    /// zero) (RFC 791 §3.1).
    #[inline]
    pub fn compute_checksum(&self) -> u16 {
        let h = self.header_bytes();
        let mut acc = checksum::Accumulator::new();
        acc.add_bytes(&h[..field::CHECKSUM]);
        acc.add_bytes(&h[field::CHECKSUM + 2..]);
        acc.checksum()
    }

    /// Source Address (RFC 791 §3.1).
    #[inline]
    pub fn src(&self) -> Ipv4Addr {
        Ipv4Addr::from(get_array::<4>(self.head, field::SRC))
    }

    /// Destination Address (RFC 791 §3.1).
    #[inline]
    pub fn dst(&self) -> Ipv4Addr {
        Ipv4Addr::from(get_array::<4>(self.head, field::DST))
    }

    /// The raw option bytes (padding included; RFC 791 §3.1).
    #[inline]
    pub fn options_bytes(&self) -> &'a [u8] {
        self.header.get(MIN_HEADER_LEN..).unwrap_or(&[])
    }

    /// The options, typed. `parse` has validated them, so every item is
    /// `Ok` (RFC 791 §3.1).
    #[inline]
    pub fn options(&self) -> Ipv4OptionIter<'a> {
        Ipv4OptionIter::new(self.options_bytes())
    }

    /// The header bytes, options included (RFC 791 §3.1).
    #[inline]
    pub fn header_bytes(&self) -> &'a [u8] {
        self.header
    }

    /// The data: after the header, up to Total Length or the end of the
    /// buffer in lax mode (RFC 791 §3.1).
    #[inline]
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// Bytes after Total Length: link-layer padding, not datagram (RFC 791 §3.1).
    #[inline]
    pub fn trailer(&self) -> &'a [u8] {
        let end = self.header.len() + self.payload.len();
        self.buf.get(end..).unwrap_or(&[])
    }

    /// True when Total Length claims more than the buffer holds (only in
    /// lax mode) (RFC 791 §3.1).
    #[inline]
    pub fn is_truncated(&self) -> bool {
        self.missing_bytes() > 0
    }

    /// How many datagram bytes are missing from the buffer (RFC 791 §3.1).
    #[inline]
    pub fn missing_bytes(&self) -> usize {
        (self.total_length() as usize).saturating_sub(self.buf.len())
    }

    /// The owned header (RFC 791 §3.1).
    #[inline]
    pub fn to_header(&self) -> Ipv4Header {
        let mut options = Ipv4Options::new();
        // At most 40 bytes (IHL <= 15), so this cannot fail.
        let _ = options.push_raw(self.options_bytes());
        Ipv4Header {
            dscp: self.dscp(),
            ecn: self.ecn(),
            total_length: self.total_length(),
            identification: self.identification(),
            flags: self.flags(),
            fragment_offset: self.fragment_offset(),
            ttl: self.ttl(),
            protocol: self.protocol(),
            checksum: self.checksum(),
            src: self.src(),
            dst: self.dst(),
            options,
        }
    }
}

/// An owned IPv4 header (RFC 791 §3.1). Version is always 4 and IHL follows
/// from the options, so neither is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Ipv4Header {
    /// Differentiated Services Code Point, 0..=63 (RFC 2474 §3).
    pub dscp: u8,
    /// ECN bits, 0..=3 (RFC 3168 §5).
    pub ecn: u8,
    /// Total Length of the datagram, header included (RFC 791 §3.1).
    pub total_length: u16,
    /// Identification (RFC 791 §3.1).
    pub identification: u16,
    /// Flags, 0..=7 (RFC 791 §3.1).
    pub flags: Ipv4Flags,
    /// Fragment Offset in 8-byte units, 0..=8191 (RFC 791 §3.1).
    pub fragment_offset: u16,
    /// Time to Live (RFC 791 §3.1).
    pub ttl: u8,
    /// Payload protocol (RFC 791 §3.1).
    pub protocol: IpProtocol,
    /// Header Checksum, written as stored; see [`fill_checksum`](Self::fill_checksum) (RFC 791 §3.1).
    pub checksum: u16,
    /// Source Address (RFC 791 §3.1).
    pub src: Ipv4Addr,
    /// Destination Address (RFC 791 §3.1).
    pub dst: Ipv4Addr,
    /// Options, raw and padded on emit (RFC 791 §3.1).
    pub options: Ipv4Options,
}

impl Ipv4Header {
    /// A header with TTL 64, no options, ID 0, DF clear, and Total Length
    /// `20 + payload_len` (saturating at 65535). The checksum is zero: call
    /// [`fill_checksum`](Self::fill_checksum) once the fields are final (RFC 791 §3.1).
    #[inline]
    pub fn new(src: Ipv4Addr, dst: Ipv4Addr, protocol: IpProtocol, payload_len: usize) -> Self {
        Ipv4Header {
            dscp: 0,
            ecn: 0,
            total_length: (MIN_HEADER_LEN + payload_len).min(65535) as u16,
            identification: 0,
            flags: Ipv4Flags::empty(),
            fragment_offset: 0,
            ttl: 64,
            protocol,
            checksum: 0,
            src,
            dst,
            options: Ipv4Options::new(),
        }
    }

    /// Header length in bytes: 20 plus the padded options (RFC 791 §3.1).
    #[inline]
    pub fn header_len(&self) -> usize {
        MIN_HEADER_LEN + self.options.padded_len()
    }

    /// IHL: the header length in 32-bit words (RFC 791 §3.1).
    #[inline]
    pub fn ihl(&self) -> u8 {
        (self.header_len() / 4) as u8
    }

    /// Set Total Length from the payload size (after changing options);
    /// `LengthExceeds` past 65535 (RFC 791 §3.1).
    pub fn set_payload_len(&mut self, payload_len: usize) -> Result<()> {
        let total = self.header_len() + payload_len;
        if total > u16::MAX as usize {
            return Err(Error::length_exceeds(
                Layer::Ipv4,
                "total_length",
                field::TOTAL_LEN,
                total,
                u16::MAX as usize,
            ));
        }
        self.total_length = total as u16;
        Ok(())
    }

    /// The payload length Total Length implies (RFC 791 §3.1).
    pub fn payload_len(&self) -> usize {
        (self.total_length as usize).saturating_sub(self.header_len())
    }

    /// The checksum of this header (RFC 791 §3.1, RFC 1071), computed with
    /// the checksum field as zero. Fields out of range are masked the way
    /// [`emit`](Self::emit) would reject them.
    #[inline]
    pub fn compute_checksum(&self) -> u16 {
        // Summed from the words of the fixed part in registers (no scratch
        // header to write and read back), plus the options if any: each
        // 32-bit half is congruent to the sum of its two 16-bit words
        // modulo 0xFFFF (2^16 ≡ 1), so the sum needs no byte swaps, and
        // one fold at the end (RFC 1071 §2(C)).
        let (w0, w1, dst) = self.words(0);
        let mut v = (w0 >> 32) + (w0 & 0xffff_ffff) + (w1 >> 32) + (w1 & 0xffff_ffff) + u64::from(dst);
        if !self.options.is_empty() {
            v += u64::from(checksum::ones_complement_sum(self.options.padded()));
        }
        // Below 2^35: three folds bring it to 16 bits.
        let v = (v & 0xffff) + (v >> 16);
        let v = (v & 0xffff) + (v >> 16);
        !((v & 0xffff) + (v >> 16)) as u16
    }

    /// Store [`compute_checksum`](Self::compute_checksum) in `checksum` (RFC 791 §3.1).
    #[inline]
    pub fn fill_checksum(&mut self) {
        self.checksum = self.compute_checksum();
    }

    #[inline]
    fn validate(&self) -> Result<()> {
        let inv = |f, at, v: u64, e| Err(Error::invalid(Layer::Ipv4, f, at, v, e));
        if self.dscp > 63 {
            return inv("dscp", field::TOS, self.dscp.into(), "0..=63");
        }
        if self.ecn > 3 {
            return inv("ecn", field::TOS, self.ecn.into(), "0..=3");
        }
        if self.flags.bits() > 7 {
            return inv("flags", field::FLAGS_FRAG, self.flags.bits().into(), "0..=7");
        }
        if self.fragment_offset > 0x1fff {
            return inv(
                "fragment_offset",
                field::FLAGS_FRAG,
                self.fragment_offset.into(),
                "0..=8191",
            );
        }
        if (self.total_length as usize) < self.header_len() {
            return Err(Error::length_too_small(
                Layer::Ipv4,
                "total_length",
                field::TOTAL_LEN,
                self.total_length as usize,
                self.header_len(),
            ));
        }
        Ok(())
    }

    /// The fixed header as three words, most significant byte first on the
    /// wire (bytes 0..8, 8..16, 16..20), with `checksum` in the checksum
    /// field and out-of-range fields masked to their bit widths.
    #[inline]
    fn words(&self, checksum: u16) -> (u64, u64, u32) {
        let version_tos = (0x40 | u64::from(self.ihl())) << 8 | u64::from((self.dscp << 2) | (self.ecn & 0x3));
        let flags_frag = (u64::from(self.flags.bits() & 0x7) << 13) | u64::from(self.fragment_offset & 0x1fff);
        let w0 =
            version_tos << 48 | u64::from(self.total_length) << 32 | u64::from(self.identification) << 16 | flags_frag;
        let w1 = u64::from(self.ttl) << 56
            | u64::from(self.protocol.0) << 48
            | u64::from(checksum) << 32
            | u64::from(u32::from(self.src));
        (w0, w1, u32::from(self.dst))
    }

    /// The 20 fixed header bytes with `checksum` in the checksum field:
    /// three stores of words built in registers.
    #[inline]
    fn fixed(&self, checksum: u16) -> [u8; MIN_HEADER_LEN] {
        let (w0, w1, w2) = self.words(checksum);
        let mut out = [0u8; MIN_HEADER_LEN];
        out[..8].copy_from_slice(&w0.to_be_bytes());
        out[8..16].copy_from_slice(&w1.to_be_bytes());
        out[16..].copy_from_slice(&w2.to_be_bytes());
        out
    }

    /// Write the fields; the caller has checked the buffer size.
    #[inline]
    fn write(&self, buf: &mut [u8], checksum: u16) -> usize {
        let n = self.header_len();
        if let Some((fixed, rest)) = buf.split_first_chunk_mut::<MIN_HEADER_LEN>() {
            *fixed = self.fixed(checksum);
            let padded = self.options.padded();
            if let Some(dst) = rest.get_mut(..padded.len()) {
                dst.copy_from_slice(padded);
            }
        }
        n
    }

    /// Write the header with its options padded to a word boundary
    /// (RFC 791 §3.1). The stored `checksum` is written as is. Fields wider
    /// than their bit width, or Total Length below the header length, are
    /// errors: the bytes would not read back as this header.
    #[inline]
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        self.validate()?;
        room(buf, self.header_len(), Layer::Ipv4)?;
        Ok(self.write(buf, self.checksum))
    }

    /// Parse strictly and return the header and payload
    /// ([`Ipv4Packet::parse`] then [`Ipv4Packet::to_header`]; RFC 791 §3.1).
    pub fn parse(buf: &[u8]) -> Result<(Ipv4Header, &[u8])> {
        let p = Ipv4Packet::parse(buf)?;
        Ok((p.to_header(), p.payload()))
    }
}

// Keep the constant in one place for both files.
const _: () = assert!(MAX_HEADER_LEN == MIN_HEADER_LEN + MAX_OPTIONS_LEN);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use crate::net::ipv4_option::Ipv4Option;

    /// The strict parse as the lax one plus the Total Length check: the
    /// general walk the inlined `parse` must agree with.
    fn parse_by_lax(buf: &[u8]) -> Result<Ipv4Packet<'_>> {
        let p = Ipv4Packet::parse_lax(buf)?;
        if p.is_truncated() {
            return Err(Error::length_exceeds(
                Layer::Ipv4,
                "total_length",
                field::TOTAL_LEN,
                p.total_length() as usize,
                buf.len(),
            ));
        }
        Ok(p)
    }

    /// The inlined parse (IHL 5 inline, options out of line, errors from
    /// the lax parse) gives what the general walk gives, for versions,
    /// IHLs, Total Lengths and buffer lengths around them, with options
    /// that are well formed (NOPs, EOLs) and malformed (kind 7 or 0x94
    /// with a length of 7 or 0x94).
    #[test]
    fn fast_path_agrees_with_the_general_parse() {
        for first in [0x45u8, 0x44, 0x46, 0x4f, 0x55, 0x65, 0x05, 0x40, 0x41, 0x47, 0x35] {
            for total in [0u16, 4, 19, 20, 21, 24, 39, 40, 41, 48, 49, 0xffff] {
                for fill in [1u8, 0, 7, 0x94] {
                    let mut b = [fill; 48];
                    b[0] = first;
                    b[2..4].copy_from_slice(&total.to_be_bytes());
                    for n in 0..=b.len() {
                        let buf = &b[..n];
                        assert_eq!(
                            Ipv4Packet::parse(buf),
                            parse_by_lax(buf),
                            "{first:#x} {total} {fill} {n}"
                        );
                    }
                }
            }
        }
    }

    /// RFC 791-style UDP datagram header, checksum b861 (a well-known
    /// textbook example: 192.168.0.1 -> 192.168.0.199).
    const HDR: [u8; 20] = [
        0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8,
        0x00, 0xc7,
    ];

    fn datagram() -> [u8; 0x73] {
        let mut b = [0u8; 0x73];
        b[..20].copy_from_slice(&HDR);
        b
    }

    #[test]
    fn fields_and_checksum() {
        let b = datagram();
        let p = Ipv4Packet::parse(&b).unwrap();
        assert_eq!((p.version(), p.ihl(), p.header_len()), (4, 5, 20));
        assert_eq!((p.dscp(), p.ecn(), p.total_length()), (0, 0, 0x73));
        assert_eq!(p.flags(), Ipv4Flags::DONT_FRAGMENT);
        assert!(p.dont_fragment() && !p.more_fragments() && !p.is_fragment());
        assert_eq!((p.ttl(), p.protocol()), (64, IpProtocol::UDP));
        assert_eq!(p.checksum(), 0xb861);
        assert!(p.verify_checksum());
        assert_eq!(p.compute_checksum(), 0xb861);
        assert_eq!(p.src(), Ipv4Addr::new(192, 168, 0, 1));
        assert_eq!(p.dst(), Ipv4Addr::new(192, 168, 0, 199));
        assert_eq!(p.payload().len(), 0x73 - 20);
        let h = p.to_header();
        assert_eq!(h.compute_checksum(), 0xb861);
        let mut out = [0u8; 20];
        assert_eq!(h.emit(&mut out), Ok(20));
        assert_eq!(out, HDR);
    }

    #[test]
    fn the_issue_error_message() {
        let mut b = [0u8; 60];
        b[..20].copy_from_slice(&HDR);
        b[2..4].copy_from_slice(&1500u16.to_be_bytes());
        let e = Ipv4Packet::parse(&b).unwrap_err();
        assert_eq!(e, Error::length_exceeds(Layer::Ipv4, "total_length", 2, 1500, 60));
        #[cfg(feature = "std")]
        assert_eq!(
            std::string::ToString::to_string(&e),
            "ipv4: total_length 1500 exceeds the 60 bytes available at offset 2"
        );
        let p = Ipv4Packet::parse_lax(&b).unwrap();
        assert!(p.is_truncated());
        assert_eq!(p.missing_bytes(), 1440);
        assert_eq!(p.payload().len(), 40);
        assert!(p.trailer().is_empty());
    }

    #[test]
    fn header_errors() {
        let b = datagram();
        assert_eq!(
            Ipv4Packet::parse(&b[..19]).unwrap_err(),
            Error::truncated(Layer::Ipv4, "header", 0, 20, 19)
        );
        let mut v = datagram();
        v[0] = 0x65;
        let e = Ipv4Packet::parse(&v).unwrap_err();
        assert_eq!((e.field, e.offset), ("version", 0));
        assert!(matches!(e.kind, ErrorKind::Invalid { value: 6, .. }));
        v[0] = 0x44;
        assert_eq!(
            Ipv4Packet::parse(&v).unwrap_err(),
            Error::length_too_small(Layer::Ipv4, "ihl", 0, 4, 5)
        );
        v[0] = 0x4f;
        assert_eq!(
            Ipv4Packet::parse(&v[..40]).unwrap_err(),
            Error::length_exceeds(Layer::Ipv4, "ihl", 0, 60, 40)
        );
        let mut t = datagram();
        t[3] = 19;
        assert_eq!(
            Ipv4Packet::parse_lax(&t).unwrap_err(),
            Error::length_too_small(Layer::Ipv4, "total_length", 2, 19, 20)
        );
    }

    #[test]
    fn trailer_is_not_payload() {
        let mut b = [0xeeu8; 46];
        b[..20].copy_from_slice(&HDR);
        b[2..4].copy_from_slice(&28u16.to_be_bytes());
        let p = Ipv4Packet::parse(&b).unwrap();
        assert_eq!(p.payload().len(), 8);
        assert_eq!(p.trailer().len(), 18);
        assert!(!p.is_truncated());
    }

    #[test]
    fn options_in_a_header() {
        let mut h = Ipv4Header::new(Ipv4Addr::LOCALHOST, Ipv4Addr::BROADCAST, IpProtocol::IGMP, 0);
        h.options.push_router_alert(0).unwrap();
        h.options.push_nop().unwrap();
        h.set_payload_len(0).unwrap();
        h.flags = Ipv4Flags::from_bits_retain(0b101);
        h.fragment_offset = 0x1fff;
        h.fill_checksum();
        let mut b = [0u8; 28];
        assert_eq!(h.emit(&mut b), Ok(28));
        let p = Ipv4Packet::parse(&b).unwrap();
        assert!(p.verify_checksum());
        assert_eq!(p.ihl(), 7);
        assert_eq!(p.fragment_offset_bytes(), 0x1fff * 8);
        assert!(p.flags().contains(Ipv4Flags::RESERVED));
        let mut it = p.options();
        assert_eq!(it.next(), Some(Ok(Ipv4Option::RouterAlert(0))));
        assert_eq!(it.next(), Some(Ok(Ipv4Option::Nop)));
        assert_eq!(it.next(), Some(Ok(Ipv4Option::Eol)));
        assert_eq!(it.next(), None);
        assert_eq!(p.to_header(), h);
        // A bad option makes the whole header invalid.
        b[21] = 3;
        let e = Ipv4Packet::parse(&b).unwrap_err();
        assert_eq!((e.field, e.offset), ("router_alert_length", 21));
    }

    #[test]
    fn emit_rejects_out_of_range_fields() {
        let base = Ipv4Header::new(Ipv4Addr::LOCALHOST, Ipv4Addr::LOCALHOST, IpProtocol::TCP, 0);
        let mut b = [0u8; 60];
        type Mutation = (fn(&mut Ipv4Header), Error);
        let inv = |f, at, v, e| Error::invalid(Layer::Ipv4, f, at, v, e);
        let cases: [Mutation; 5] = [
            (|h| h.dscp = 64, inv("dscp", 1, 64, "0..=63")),
            (|h| h.ecn = 4, inv("ecn", 1, 4, "0..=3")),
            (
                |h| h.flags = Ipv4Flags::from_bits_retain(8),
                inv("flags", 6, 8, "0..=7"),
            ),
            (
                |h| h.fragment_offset = 0x2000,
                inv("fragment_offset", 6, 0x2000, "0..=8191"),
            ),
            (
                |h| h.total_length = 19,
                Error::length_too_small(Layer::Ipv4, "total_length", 2, 19, 20),
            ),
        ];
        for (f, want) in cases {
            let mut h = base;
            f(&mut h);
            assert_eq!(h.emit(&mut b), Err(want));
        }
        assert_eq!(
            base.emit(&mut b[..19]).unwrap_err().kind,
            ErrorKind::BufferTooSmall {
                needed: 20,
                available: 19
            }
        );
        let mut h = base;
        assert_eq!(
            h.set_payload_len(65516),
            Err(Error::length_exceeds(Layer::Ipv4, "total_length", 2, 65536, 65535))
        );
        assert!(h.set_payload_len(65515).is_ok());
        assert_eq!(h.payload_len(), 65515);
    }
}
