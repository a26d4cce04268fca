//! IPv6 extension headers and the header-chain walk (RFC 8200 §4).
//!
//! IPv6 keeps its fixed header small (40 bytes, RFC 8200 §3) and moves
//! optional internet-layer information into *extension headers* placed
//! between the fixed header and the upper-layer header. Each one starts
//! with a Next Header byte naming what follows, so a packet is a chain:
//!
//! ```text
//! +---------------+----------------+----------------+-----------------
//! | IPv6 header   | Hop-by-Hop     | Routing        | TCP header + data
//! | Next Hdr = 0  | Next Hdr = 43  | Next Hdr = 6   |
//! +---------------+----------------+----------------+-----------------
//! ```
//!
//! Most extension headers share one layout (RFC 8200 §4.3, §4.4, §4.6):
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  Next Header  |  Hdr Ext Len  |                               |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
//! .                   header-specific data                        .
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! with a length of `(Hdr Ext Len + 1) * 8` bytes. Two headers differ: the
//! Fragment header is always 8 bytes (RFC 8200 §4.5), and the
//! Authentication Header counts 32-bit words minus two, `(len + 2) * 4`
//! bytes (RFC 4302 §2.2). The Encapsulating Security Payload (RFC 4303)
//! encrypts everything after it, so the walk stops there, as it does at
//! No Next Header (59, RFC 8200 §4.7) and at any upper-layer protocol.
//!
//! netspec walks the chain in any order (RFC 8200 §4.1 *recommends* an
//! order but receivers must cope with others) and stops with
//! [`crate::ErrorKind::LimitExceeded`] after [`MAX_EXT_HEADERS`] headers, so
//! a hostile chain costs bounded work.
//!
//! Hop-by-Hop and Destination Options headers carry TLV options, see
//! [`crate::net::ipv6_opt`]; the Routing header's address list and the
//! Fragment header's fields are typed in [`crate::net::ipv6_routing`] and
//! [`FragmentHeader`].
//!
//! ```
//! use netspec::net::ipv6_ext::{walk, FragmentHeader};
//! use netspec::net::IpProtocol;
//! // A Fragment header (offset 0, M=1, id 7) in front of UDP.
//! let bytes = [17, 0, 0, 1, 0, 0, 0, 7, 0xaa];
//! let chain = walk(IpProtocol::IPV6_FRAG, &bytes, 0).unwrap();
//! assert_eq!(chain.upper_layer(), IpProtocol::UDP);
//! assert_eq!(chain.upper_payload(), &[0xaa]);
//! let frag = chain.headers().next().unwrap().unwrap().fragment().unwrap();
//! assert!(frag.more_fragments && frag.identification == 7);
//! ```

use crate::error::{Error, Layer, Result};
use crate::net::IpProtocol;
use crate::net::ipv6_opt::{Ipv6OptionIter, Ipv6OptionsHeader};
use crate::net::ipv6_routing::{Ipv6RoutingHeader, RoutingHeader};
use crate::parse::{get_u16, get_u32, put_u16, put_u32, room};
use core::fmt;

/// The most extension headers [`walk`] follows before giving up with
/// [`crate::ErrorKind::LimitExceeded`]. RFC 8200 §4.1 allows each header at
/// most once (Destination Options twice), i.e. 6; 16 leaves room for
/// tunnels and unusual but legal stacks while bounding hostile chains.
pub const MAX_EXT_HEADERS: usize = 16;

/// The largest extension header: `(255 + 1) * 8` bytes (RFC 8200 §4.3).
pub const MAX_EXT_HEADER_LEN: usize = 2048;

/// Length of the Fragment header (RFC 8200 §4.5).
pub const FRAGMENT_HEADER_LEN: usize = 8;

/// Bytes of inline storage, in a fixed array of capacity `N`, for the
/// variable part of an owned header (no heap, so it works without `alloc`).
///
/// It holds the options and data areas of extension headers (RFC 8200 §4),
/// NDP options (RFC 4861 §4.6) and MLDv2 sources and records (RFC 3810 §5)
/// in their owned forms. Only the first `len()` bytes are meaningful;
/// equality, hashing and `Debug` look at those only.
#[derive(Clone, Copy)]
pub struct InlineBytes<const N: usize> {
    len: u16,
    bytes: [u8; N],
}

impl<const N: usize> InlineBytes<N> {
    /// The capacity, `N`.
    pub const CAPACITY: usize = N;

    /// The length is stored in a `u16`: reject larger capacities at compile
    /// time rather than truncate lengths at run time.
    const FITS_U16: () = assert!(N <= u16::MAX as usize, "InlineBytes capacity must fit in u16");

    /// Empty storage.
    pub const fn new() -> Self {
        let () = Self::FITS_U16;
        InlineBytes { len: 0, bytes: [0; N] }
    }

    /// A copy of `data`; [`crate::ErrorKind::LimitExceeded`] if it is longer
    /// than `N`.
    pub fn from_slice(data: &[u8], layer: Layer, field: &'static str) -> Result<Self> {
        let mut s = Self::new();
        s.extend_from_slice(data, layer, field)?;
        Ok(s)
    }

    /// Append `data`; [`crate::ErrorKind::LimitExceeded`] if it would not
    /// fit, in which case nothing is appended.
    pub fn extend_from_slice(&mut self, data: &[u8], layer: Layer, field: &'static str) -> Result<()> {
        let at = usize::from(self.len);
        if data.len() > N - at {
            return Err(Error::limit_exceeded(layer, field, at, N));
        }
        self.bytes[at..at + data.len()].copy_from_slice(data);
        // N is at most a few KiB in netspec, so the length fits in u16.
        self.len = (at + data.len()) as u16;
        Ok(())
    }

    /// Remove every byte.
    pub fn clear(&mut self) {
        self.bytes[..usize::from(self.len)].fill(0);
        self.len = 0;
    }

    /// The stored bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// The stored bytes, mutable (in place; the length does not change).
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        &mut self.bytes[..usize::from(self.len)]
    }

    /// Number of stored bytes.
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    /// True if nothing is stored.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl<const N: usize> Default for InlineBytes<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> PartialEq for InlineBytes<N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<const N: usize> Eq for InlineBytes<N> {}

impl<const N: usize> core::hash::Hash for InlineBytes<N> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl<const N: usize> fmt::Debug for InlineBytes<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "InlineBytes(")?;
        for b in self.as_slice() {
            write!(f, "{b:02x}")?;
        }
        write!(f, ")")
    }
}

#[cfg(feature = "arbitrary")]
impl<'a, const N: usize> arbitrary::Arbitrary<'a> for InlineBytes<N> {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let n = u.int_in_range(0..=N)?;
        let mut s = Self::new();
        u.fill_buffer(&mut s.bytes[..n])?;
        s.len = n as u16;
        Ok(s)
    }
}

/// The on-wire length of an extension header of kind `kind` whose second
/// byte is `hdr_ext_len` (RFC 8200 §4.3–§4.6, RFC 4302 §2.2).
pub const fn ext_header_len(kind: IpProtocol, hdr_ext_len: u8) -> usize {
    match kind.0 {
        44 => FRAGMENT_HEADER_LEN,
        51 => (hdr_ext_len as usize + 2) * 4,
        _ => (hdr_ext_len as usize + 1) * 8,
    }
}

/// Start emitting a `len`-byte header measured in 8-octet units (Hop-by-Hop,
/// Destination Options, Routing: RFC 8200 §4.3, §4.4, §4.6): check that
/// `len` is a whole number of units ([`crate::ErrorKind::Invalid`]) and
/// fits `buf`, then write Next Header and Hdr Ext Len (units after the
/// first). The caller writes bytes `2..len`.
pub(crate) fn emit_ext_start(buf: &mut [u8], next_header: IpProtocol, len: usize) -> Result<()> {
    if len % 8 != 0 {
        return Err(Error::invalid(
            Layer::Ipv6Ext,
            "hdr_ext_len",
            1,
            len as u64,
            "a multiple of 8 bytes",
        ));
    }
    room(buf, len, Layer::Ipv6Ext)?;
    buf[0] = next_header.0;
    buf[1] = (len / 8 - 1) as u8;
    Ok(())
}

/// A zero-copy view of one extension header in a chain (RFC 8200 §4).
///
/// Its length has been checked against the buffer by the walk, so every
/// accessor is infallible.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Ipv6ExtHeader<'a> {
    kind: IpProtocol,
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Ipv6ExtHeader<'a> {
    /// Which extension header this is: the Next Header value that announced
    /// it (0, 43, 44, 51 or 60; RFC 8200 §4.1).
    pub const fn kind(&self) -> IpProtocol {
        self.kind
    }

    /// The Next Header field: what follows this header (RFC 8200 §4.3).
    pub fn next_header(&self) -> IpProtocol {
        IpProtocol(self.bytes[0])
    }

    /// The raw Hdr Ext Len byte (for the Fragment header, its reserved
    /// byte) (RFC 8200 §4.3, §4.5; RFC 4302 §2.2).
    pub fn hdr_ext_len(&self) -> u8 {
        self.bytes[1]
    }

    /// Length of the whole header in bytes (RFC 8200 §4).
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Always false: an extension header is at least 8 bytes (RFC 8200 §4).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Byte offset of this header in the walked buffer (plus the walk's base) (RFC 8200 §4).
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// The whole header, Next Header byte included (RFC 8200 §4).
    pub const fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The header-specific data after the Next Header and length bytes (RFC 8200 §4).
    pub fn data(&self) -> &'a [u8] {
        &self.bytes[2..]
    }

    /// The TLV options of a Hop-by-Hop or Destination Options header
    /// (RFC 8200 §4.2), `None` for other kinds.
    pub fn options(&self) -> Option<Ipv6OptionIter<'a>> {
        matches!(self.kind, IpProtocol::HOP_BY_HOP | IpProtocol::IPV6_OPTS)
            .then(|| Ipv6OptionIter::new(&self.bytes[2..], self.offset + 2))
    }

    /// The Routing header view (RFC 8200 §4.4), `None` for other kinds.
    pub fn routing(&self) -> Option<RoutingHeader<'a>> {
        (self.kind == IpProtocol::IPV6_ROUTE).then(|| RoutingHeader::new_unchecked(self.bytes))
    }

    /// The Fragment header fields (RFC 8200 §4.5), `None` for other kinds.
    pub fn fragment(&self) -> Option<FragmentHeader> {
        (self.kind == IpProtocol::IPV6_FRAG).then(|| FragmentHeader::from_bytes(self.bytes))
    }

    /// The Authentication Header fields (RFC 4302 §2), `None` for other kinds.
    pub fn authentication(&self) -> Option<AuthenticationHeader> {
        (self.kind == IpProtocol::AH).then(|| AuthenticationHeader::from_bytes(self.bytes))
    }

    /// The owned form of this header, for editing and re-emitting (RFC 8200 §4).
    pub fn to_extension(&self) -> Ipv6Extension {
        // The walk only builds views of the five extension kinds, and the
        // owned capacities fit the largest header of each kind.
        match self.kind {
            IpProtocol::HOP_BY_HOP => Ipv6Extension::HopByHop(Ipv6OptionsHeader::from_view(self)),
            IpProtocol::IPV6_OPTS => Ipv6Extension::DestinationOptions(Ipv6OptionsHeader::from_view(self)),
            IpProtocol::IPV6_ROUTE => Ipv6Extension::Routing(Ipv6RoutingHeader::from_view(self)),
            IpProtocol::IPV6_FRAG => Ipv6Extension::Fragment(FragmentHeader::from_bytes(self.bytes)),
            _ => Ipv6Extension::Authentication(AuthenticationHeader::from_bytes(self.bytes)),
        }
    }
}

impl fmt::Debug for Ipv6ExtHeader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ipv6ExtHeader")
            .field("kind", &self.kind)
            .field("next_header", &self.next_header())
            .field("len", &self.len())
            .field("offset", &self.offset)
            .finish()
    }
}

/// An iterator over an extension-header chain (RFC 8200 §4.1): yields each
/// header, or one error and then stops. At most [`MAX_EXT_HEADERS`] items
/// plus the error, so it always terminates.
#[derive(Clone, Debug)]
pub struct Ipv6ExtIter<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
    next: IpProtocol,
    count: usize,
    done: bool,
}

impl<'a> Ipv6ExtIter<'a> {
    /// Walk `buf`, whose first header is `first`; error offsets and
    /// [`Ipv6ExtHeader::offset`] are reported as `base + position` (RFC 8200 §4.1).
    pub const fn new(first: IpProtocol, buf: &'a [u8], base: usize) -> Self {
        Ipv6ExtIter {
            buf,
            pos: 0,
            base,
            next: first,
            count: 0,
            done: false,
        }
    }

    /// The Next Header value after the last header yielded so far (RFC 8200 §4.1).
    pub const fn next_protocol(&self) -> IpProtocol {
        self.next
    }

    /// Position just after the last header yielded so far, relative to the
    /// start of the walked buffer (without the base) (RFC 8200 §4.1).
    pub const fn position(&self) -> usize {
        self.pos
    }

    fn step(&mut self) -> Result<Option<Ipv6ExtHeader<'a>>> {
        if !self.next.is_ipv6_extension() {
            return Ok(None);
        }
        let at = self.base + self.pos;
        if self.count == MAX_EXT_HEADERS {
            return Err(Error::limit_exceeded(
                Layer::Ipv6Ext,
                "next_header",
                at,
                MAX_EXT_HEADERS,
            ));
        }
        let rest = &self.buf[self.pos..];
        if rest.len() < 2 {
            return Err(Error::truncated(Layer::Ipv6Ext, "hdr_ext_len", at, 2, rest.len()));
        }
        if self.next == IpProtocol::AH && rest[1] == 0 {
            // RFC 4302 §2.2: SPI and Sequence Number are mandatory, so the
            // header is at least three words (payload length >= 1).
            return Err(Error::length_too_small(Layer::Ipv6Ext, "payload_len", at + 1, 0, 1));
        }
        let len = ext_header_len(self.next, rest[1]);
        if rest.len() < len {
            return Err(Error::length_exceeds(
                Layer::Ipv6Ext,
                "hdr_ext_len",
                at + 1,
                len,
                rest.len(),
            ));
        }
        let h = Ipv6ExtHeader {
            kind: self.next,
            bytes: &rest[..len],
            offset: at,
        };
        self.pos += len;
        self.count += 1;
        self.next = IpProtocol(rest[0]);
        Ok(Some(h))
    }
}

impl<'a> Iterator for Ipv6ExtIter<'a> {
    type Item = Result<Ipv6ExtHeader<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let step = self.step();
        crate::parse::fuse_step(&mut self.done, step)
    }
}

/// A validated extension-header chain and what follows it (RFC 8200 §4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv6ExtChain<'a> {
    buf: &'a [u8],
    first: IpProtocol,
    base: usize,
    upper: IpProtocol,
    upper_offset: usize,
    count: usize,
}

/// Walk the extension-header chain in `buf` starting with header `first`
/// (RFC 8200 §4.1) and validate every header length. Errors name the layer
/// [`Layer::Ipv6Ext`] and offsets are `base` plus the position in `buf`.
pub fn walk(first: IpProtocol, buf: &[u8], base: usize) -> Result<Ipv6ExtChain<'_>> {
    let mut it = Ipv6ExtIter::new(first, buf, base);
    let mut count = 0;
    for h in &mut it {
        h?;
        count += 1;
    }
    Ok(Ipv6ExtChain {
        buf,
        first,
        base,
        upper: it.next_protocol(),
        upper_offset: it.position(),
        count,
    })
}

impl<'a> Ipv6ExtChain<'a> {
    /// The extension headers, in order (already validated: every item is
    /// `Ok`) (RFC 8200 §4.1).
    pub fn headers(&self) -> Ipv6ExtIter<'a> {
        Ipv6ExtIter::new(self.first, self.buf, self.base)
    }

    /// Number of extension headers (RFC 8200 §4.1).
    pub const fn count(&self) -> usize {
        self.count
    }

    /// The protocol after the chain: an upper layer (TCP, UDP, ICMPv6),
    /// ESP (RFC 4303, opaque) or No Next Header (RFC 8200 §4.7).
    pub const fn upper_layer(&self) -> IpProtocol {
        self.upper
    }

    /// Offset of the upper-layer header in the walked buffer (without base) (RFC 8200 §4.1).
    pub const fn upper_offset(&self) -> usize {
        self.upper_offset
    }

    /// The bytes after the chain: the upper-layer header and its data (RFC 8200 §4.1).
    pub fn upper_payload(&self) -> &'a [u8] {
        &self.buf[self.upper_offset..]
    }

    /// The first Fragment header of the chain, if any (RFC 8200 §4.5).
    pub fn fragment(&self) -> Option<FragmentHeader> {
        self.headers().flatten().find_map(|h| h.fragment())
    }

    /// The first Routing header of the chain, if any (RFC 8200 §4.4).
    pub fn routing(&self) -> Option<RoutingHeader<'a>> {
        self.headers().flatten().find_map(|h| h.routing())
    }

    /// The destination that an upper-layer checksum uses (RFC 8200 §8.1):
    /// with a Routing header whose Segments Left is non-zero, its final
    /// address; otherwise `dst`, the IPv6 Destination Address.
    pub fn final_destination(&self, dst: core::net::Ipv6Addr) -> core::net::Ipv6Addr {
        self.routing()
            .filter(|r| r.segments_left() > 0)
            .and_then(|r| r.final_address())
            .unwrap_or(dst)
    }
}

/// The Fragment header (RFC 8200 §4.5), view and owned form at once (it has
/// no variable part):
///
/// ```text
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Identification                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// The reserved fields are kept so that a round trip is exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct FragmentHeader {
    /// What follows the fragment's data (RFC 8200 §4.5).
    pub next_header: IpProtocol,
    /// The 8-bit Reserved field (zero on send).
    pub reserved: u8,
    /// Fragment Offset in 8-octet units, 13 bits (0..=8191).
    pub fragment_offset: u16,
    /// The 2-bit Res field (zero on send).
    pub res: u8,
    /// The M flag: more fragments follow.
    pub more_fragments: bool,
    /// Identification, shared by all fragments of one packet.
    pub identification: u32,
}

impl FragmentHeader {
    fn from_bytes(b: &[u8]) -> Self {
        let w = get_u16(b, 2);
        FragmentHeader {
            next_header: IpProtocol(b[0]),
            reserved: b[1],
            fragment_offset: w >> 3,
            res: ((w >> 1) & 3) as u8,
            more_fragments: w & 1 == 1,
            identification: get_u32(b, 4),
        }
    }

    /// Parse a Fragment header from the start of `buf`; returns it and the
    /// bytes after it (RFC 8200 §4.5).
    pub fn parse(buf: &[u8]) -> Result<(FragmentHeader, &[u8])> {
        crate::parse::need(buf, FRAGMENT_HEADER_LEN, Layer::Ipv6Ext, "fragment_header", 0)?;
        Ok((Self::from_bytes(buf), &buf[FRAGMENT_HEADER_LEN..]))
    }

    /// The fragment's offset in bytes from the start of the fragmentable
    /// part (`fragment_offset * 8`) (RFC 8200 §4.5).
    pub const fn offset_bytes(&self) -> usize {
        self.fragment_offset as usize * 8
    }

    /// True for an *atomic* fragment: offset 0 and no more fragments
    /// (RFC 6946).
    pub const fn is_atomic(&self) -> bool {
        self.fragment_offset == 0 && !self.more_fragments
    }

    /// Always 8 (RFC 8200 §4.5).
    pub const fn header_len(&self) -> usize {
        FRAGMENT_HEADER_LEN
    }

    /// Write the header; [`crate::ErrorKind::Invalid`] if a field does not
    /// fit its bit width (RFC 8200 §4.5).
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        if self.fragment_offset > 0x1fff {
            return Err(Error::invalid(
                Layer::Ipv6Ext,
                "fragment_offset",
                2,
                u64::from(self.fragment_offset),
                "at most 13 bits",
            ));
        }
        if self.res > 3 {
            return Err(Error::invalid(
                Layer::Ipv6Ext,
                "res",
                3,
                u64::from(self.res),
                "at most 2 bits",
            ));
        }
        room(buf, FRAGMENT_HEADER_LEN, Layer::Ipv6Ext)?;
        buf[0] = self.next_header.0;
        buf[1] = self.reserved;
        let w = (self.fragment_offset << 3) | (u16::from(self.res) << 1) | u16::from(self.more_fragments);
        put_u16(buf, 2, w);
        put_u32(buf, 4, self.identification);
        Ok(FRAGMENT_HEADER_LEN)
    }
}

/// Capacity of [`AuthenticationHeader::icv`]: the largest AH is
/// `(255 + 2) * 4 = 1028` bytes, 12 of them fixed (RFC 4302 §2).
pub const AH_ICV_CAPACITY: usize = 1016;

/// The IP Authentication Header (RFC 4302 §2), owned:
///
/// ```text
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Next Header   |  Payload Len  |          RESERVED             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 Security Parameters Index (SPI)               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Sequence Number Field                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                Integrity Check Value-ICV (variable)           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct AuthenticationHeader {
    /// What follows (RFC 4302 §2.1).
    pub next_header: IpProtocol,
    /// The 16-bit RESERVED field (RFC 4302 §2.3).
    pub reserved: u16,
    /// Security Parameters Index (RFC 4302 §2.4).
    pub spi: u32,
    /// Sequence Number (RFC 4302 §2.5).
    pub sequence_number: u32,
    /// Integrity Check Value, a multiple of 4 bytes (RFC 4302 §2.6).
    pub icv: InlineBytes<AH_ICV_CAPACITY>,
}

impl AuthenticationHeader {
    /// Read an AH the walk has validated (at least 12 bytes, at most 1028).
    fn from_bytes(b: &[u8]) -> Self {
        let mut icv = InlineBytes::new();
        // 1028 - 12 = 1016 = AH_ICV_CAPACITY: always fits.
        let _ = icv.extend_from_slice(&b[12..], Layer::Ipv6Ext, "icv");
        AuthenticationHeader {
            next_header: IpProtocol(b[0]),
            reserved: get_u16(b, 2),
            spi: get_u32(b, 4),
            sequence_number: get_u32(b, 8),
            icv,
        }
    }

    /// `12 + icv.len()` (RFC 4302 §2).
    pub const fn header_len(&self) -> usize {
        12 + self.icv.len()
    }

    /// Write the header; the ICV must be a multiple of 4 bytes so that the
    /// Payload Len word count is exact (RFC 4302 §2.2).
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let len = self.header_len();
        if len % 4 != 0 {
            return Err(Error::invalid(
                Layer::Ipv6Ext,
                "icv",
                12,
                len as u64,
                "a multiple of 4 bytes",
            ));
        }
        room(buf, len, Layer::Ipv6Ext)?;
        buf[0] = self.next_header.0;
        buf[1] = (len / 4 - 2) as u8;
        put_u16(buf, 2, self.reserved);
        put_u32(buf, 4, self.spi);
        put_u32(buf, 8, self.sequence_number);
        buf[12..len].copy_from_slice(self.icv.as_slice());
        Ok(len)
    }
}

/// One owned extension header of any kind (RFC 8200 §4), for building and
/// editing chains.
// The variants hold their variable parts inline (no heap in the no_std
// core), so they differ in size by design.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Ipv6Extension {
    /// Hop-by-Hop Options (RFC 8200 §4.3).
    HopByHop(Ipv6OptionsHeader),
    /// Routing (RFC 8200 §4.4).
    Routing(Ipv6RoutingHeader),
    /// Fragment (RFC 8200 §4.5).
    Fragment(FragmentHeader),
    /// Destination Options (RFC 8200 §4.6).
    DestinationOptions(Ipv6OptionsHeader),
    /// Authentication Header (RFC 4302).
    Authentication(AuthenticationHeader),
}

impl Ipv6Extension {
    /// The Next Header value that announces this header (RFC 8200 §4.1).
    pub const fn kind(&self) -> IpProtocol {
        match self {
            Ipv6Extension::HopByHop(_) => IpProtocol::HOP_BY_HOP,
            Ipv6Extension::Routing(_) => IpProtocol::IPV6_ROUTE,
            Ipv6Extension::Fragment(_) => IpProtocol::IPV6_FRAG,
            Ipv6Extension::DestinationOptions(_) => IpProtocol::IPV6_OPTS,
            Ipv6Extension::Authentication(_) => IpProtocol::AH,
        }
    }

    /// This header's Next Header field (RFC 8200 §4).
    pub const fn next_header(&self) -> IpProtocol {
        match self {
            Ipv6Extension::HopByHop(h) | Ipv6Extension::DestinationOptions(h) => h.next_header,
            Ipv6Extension::Routing(h) => h.next_header,
            Ipv6Extension::Fragment(h) => h.next_header,
            Ipv6Extension::Authentication(h) => h.next_header,
        }
    }

    /// Set this header's Next Header field (to link a chain) (RFC 8200 §4).
    pub fn set_next_header(&mut self, next: IpProtocol) {
        match self {
            Ipv6Extension::HopByHop(h) | Ipv6Extension::DestinationOptions(h) => h.next_header = next,
            Ipv6Extension::Routing(h) => h.next_header = next,
            Ipv6Extension::Fragment(h) => h.next_header = next,
            Ipv6Extension::Authentication(h) => h.next_header = next,
        }
    }

    /// Bytes [`Ipv6Extension::emit`] writes (RFC 8200 §4).
    pub const fn header_len(&self) -> usize {
        match self {
            Ipv6Extension::HopByHop(h) | Ipv6Extension::DestinationOptions(h) => h.header_len(),
            Ipv6Extension::Routing(h) => h.header_len(),
            Ipv6Extension::Fragment(h) => h.header_len(),
            Ipv6Extension::Authentication(h) => h.header_len(),
        }
    }

    /// Write the header into `buf`, returning the bytes written (RFC 8200 §4).
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        match self {
            Ipv6Extension::HopByHop(h) | Ipv6Extension::DestinationOptions(h) => h.emit(buf),
            Ipv6Extension::Routing(h) => h.emit(buf),
            Ipv6Extension::Fragment(h) => h.emit(buf),
            Ipv6Extension::Authentication(h) => h.emit(buf),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn lengths_per_kind() {
        assert_eq!(ext_header_len(IpProtocol::HOP_BY_HOP, 0), 8);
        assert_eq!(ext_header_len(IpProtocol::IPV6_ROUTE, 255), 2048);
        assert_eq!(ext_header_len(IpProtocol::IPV6_FRAG, 9), 8);
        assert_eq!(ext_header_len(IpProtocol::AH, 4), 24);
    }

    #[test]
    fn chain_of_hbh_dest_frag_then_tcp() {
        let mut b = [0u8; 8 + 8 + 8 + 4];
        b[0] = 60; // HBH -> Dest
        b[2] = 1; // PadN 4
        b[3] = 4;
        b[8] = 44; // Dest -> Frag
        b[10] = 1;
        b[11] = 4;
        b[16] = 6; // Frag -> TCP
        b[19] = 1; // M flag
        let c = walk(IpProtocol::HOP_BY_HOP, &b, 40).unwrap();
        assert_eq!(c.count(), 3);
        assert_eq!(c.upper_layer(), IpProtocol::TCP);
        assert_eq!(c.upper_offset(), 24);
        assert_eq!(c.upper_payload().len(), 4);
        let offs: Vec<usize> = c.headers().map(|h| h.unwrap().offset()).collect();
        assert_eq!(offs, [40, 48, 56]);
    }

    #[test]
    fn truncated_and_overlong_errors() {
        let e = walk(IpProtocol::HOP_BY_HOP, &[6], 40).unwrap_err();
        assert_eq!(e, Error::truncated(Layer::Ipv6Ext, "hdr_ext_len", 40, 2, 1));
        let e = walk(IpProtocol::IPV6_ROUTE, &[6, 1, 0, 0, 0, 0, 0, 0], 40).unwrap_err();
        assert_eq!(e, Error::length_exceeds(Layer::Ipv6Ext, "hdr_ext_len", 41, 16, 8));
        let e = walk(IpProtocol::AH, &[6, 0, 0, 0, 0, 0, 0, 0], 0).unwrap_err();
        assert_eq!(e, Error::length_too_small(Layer::Ipv6Ext, "payload_len", 1, 0, 1));
        assert_eq!(e.kind, ErrorKind::LengthTooSmall { value: 0, min: 1 });
        let e = walk(IpProtocol::IPV6_FRAG, &[6, 0, 0], 0).unwrap_err();
        assert_eq!(e.kind, ErrorKind::LengthExceeds { value: 8, available: 3 });
    }

    #[test]
    fn limit_on_long_chains() {
        // 17 Destination Options headers, each pointing at the next.
        let mut b = [0u8; 17 * 8];
        for i in 0..17 {
            b[i * 8] = 60;
        }
        let e = walk(IpProtocol::IPV6_OPTS, &b, 0).unwrap_err();
        assert_eq!(
            e,
            Error::limit_exceeded(Layer::Ipv6Ext, "next_header", 128, MAX_EXT_HEADERS)
        );
        // Exactly 16 is fine.
        b[15 * 8] = 59;
        let c = walk(IpProtocol::IPV6_OPTS, &b, 0).unwrap();
        assert_eq!((c.count(), c.upper_layer()), (16, IpProtocol::IPV6_NO_NEXT));
    }

    #[test]
    fn esp_and_no_next_end_the_walk() {
        let c = walk(IpProtocol::ESP, &[1, 2, 3], 0).unwrap();
        assert_eq!((c.count(), c.upper_payload().len()), (0, 3));
        let c = walk(IpProtocol::IPV6_NO_NEXT, &[], 0).unwrap();
        assert_eq!(c.upper_layer(), IpProtocol::IPV6_NO_NEXT);
    }

    #[test]
    fn fragment_round_trip_and_bounds() {
        let f = FragmentHeader {
            next_header: IpProtocol::UDP,
            reserved: 0xab,
            fragment_offset: 0x1fff,
            res: 2,
            more_fragments: true,
            identification: 0xdead_beef,
        };
        let mut b = [0u8; 8];
        f.emit(&mut b).unwrap();
        assert_eq!(FragmentHeader::parse(&b).unwrap().0, f);
        assert_eq!(f.offset_bytes(), 0x1fff * 8);
        let bad = FragmentHeader {
            fragment_offset: 0x2000,
            ..f
        };
        assert_eq!(
            bad.emit(&mut b).unwrap_err(),
            Error::invalid(Layer::Ipv6Ext, "fragment_offset", 2, 0x2000, "at most 13 bits")
        );
        let bad = FragmentHeader { res: 4, ..f };
        assert_eq!(
            bad.emit(&mut b).unwrap_err(),
            Error::invalid(Layer::Ipv6Ext, "res", 3, 4, "at most 2 bits")
        );
        assert_eq!(
            FragmentHeader::parse(&b[..7]).unwrap_err(),
            Error::truncated(Layer::Ipv6Ext, "fragment_header", 0, 8, 7)
        );
        assert_eq!(
            f.emit(&mut [0u8; 7]).unwrap_err().kind,
            ErrorKind::BufferTooSmall {
                needed: 8,
                available: 7
            }
        );
    }

    #[test]
    fn ah_round_trip() {
        let mut ah = AuthenticationHeader {
            next_header: IpProtocol::TCP,
            reserved: 0,
            spi: 0x100,
            sequence_number: 5,
            icv: InlineBytes::new(),
        };
        ah.icv.extend_from_slice(&[9; 12], Layer::Ipv6Ext, "icv").unwrap();
        let mut b = [0u8; 24];
        assert_eq!(ah.emit(&mut b).unwrap(), 24);
        assert_eq!(b[1], 4);
        let c = walk(IpProtocol::AH, &b, 0).unwrap();
        let h = c.headers().next().unwrap().unwrap();
        assert_eq!(h.to_extension(), Ipv6Extension::Authentication(ah));
        ah.icv.extend_from_slice(&[1], Layer::Ipv6Ext, "icv").unwrap();
        assert_eq!(
            ah.emit(&mut [0u8; 32]).unwrap_err(),
            Error::invalid(Layer::Ipv6Ext, "icv", 12, 25, "a multiple of 4 bytes")
        );
        let mut full = InlineBytes::<4>::new();
        assert_eq!(
            full.extend_from_slice(&[0; 5], Layer::Ipv6Ext, "x").unwrap_err(),
            Error::limit_exceeded(Layer::Ipv6Ext, "x", 0, 4)
        );
    }
}
