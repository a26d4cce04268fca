//! Multicast Listener Discovery: MLDv1 (RFC 2710) and MLDv2 (RFC 3810).
//!
//! Routers learn which multicast groups have listeners on a link with MLD,
//! carried in ICMPv6 (always with hop limit 1 and a Hop-by-Hop Router
//! Alert option, RFC 2711). MLDv1 has three messages of one shape
//! (RFC 2710 §3): Query (130), Report (131) and Done (132):
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |     Type      |     Code      |          Checksum             |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |     Maximum Response Delay    |          Reserved             |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                                                               |
//! +                       Multicast Address                       +
//! |                          (16 bytes)                           |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! MLDv2 (RFC 3810) adds source filtering. Its Query keeps type 130 and
//! extends the v1 layout (§5.1); the length tells the versions apart
//! (24 bytes is v1, 28 or more is v2, §8.1):
//!
//! ```text
//! |                 ... first 24 bytes as MLDv1 ...               |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! | Resv  |S| QRV |     QQIC      |     Number of Sources (N)     |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                  Source Address [1..N] (16 bytes each)        |
//! ```
//!
//! The MLDv2 Report (type 143, §5.2) carries *multicast address records*:
//!
//! ```text
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  Type = 143   |    Reserved   |           Checksum            |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |           Reserved            |Nr of Mcast Address Records (M)|
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  Record Type  |  Aux Data Len |     Number of Sources (N)     |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |          Multicast Address, Source Address [1..N],            |
//! |          Auxiliary Data (Aux Data Len 32-bit words)  ...      |
//! ```
//!
//! Counts (N, M) are checked against the bytes actually present before
//! anything is read, and nothing is ever allocated by count.
//!
//! ```
//! use netspec::net::mld::{MldMessage, MldRecordType, MldV2ReportHeader};
//! let mut r = MldV2ReportHeader { code: Default::default(), checksum: 0, reserved: 0, records: Default::default() };
//! // Join ff02::fb (mDNS) in EXCLUDE mode with no sources: "any source".
//! r.push_record(MldRecordType::CHANGE_TO_EXCLUDE, "ff02::fb".parse().unwrap(), &[], &[]).unwrap();
//! let mut buf = [0u8; 28];
//! assert_eq!(r.emit(&mut buf).unwrap(), 28);
//! let MldMessage::Report(v) = MldMessage::parse(&buf).unwrap() else { unreachable!() };
//! assert_eq!(v.number_of_records(), 1);
//! ```

use crate::error::{Error, Layer, Result};
use crate::net::icmpv6::{Icmpv6Code, Icmpv6Message, Icmpv6Type};
use crate::net::ipv6_ext::InlineBytes;
use crate::net::ipv6_routing::AddressIter;
use crate::parse::{get_u16, need, put_u16, room};
use core::net::Ipv6Addr;

/// Length of an MLDv1 message (RFC 2710 §3).
pub const MLDV1_LEN: usize = 24;
/// Minimum length of an MLDv2 Query (RFC 3810 §5.1).
pub const MLDV2_QUERY_MIN_LEN: usize = 28;
/// Length of the MLDv2 Report header before its records (RFC 3810 §5.2).
pub const MLDV2_REPORT_HEADER_LEN: usize = 8;
/// Length of a multicast address record before its sources (RFC 3810
/// §5.2.4).
pub const RECORD_HEADER_LEN: usize = 20;

fn addr(b: &[u8], at: usize) -> Ipv6Addr {
    let mut a = [0u8; 16];
    a.copy_from_slice(&b[at..at + 16]);
    Ipv6Addr::from(a)
}

/// Decode an MLDv2 Maximum Response Code into milliseconds (RFC 3810
/// §5.1.3): below 32768 it is the delay itself, above it a floating-point
/// value `(mant | 0x1000) << (exp + 3)`.
pub const fn max_response_delay_ms(code: u16) -> u32 {
    if code < 0x8000 {
        code as u32
    } else {
        let mant = (code & 0x0fff) as u32;
        let exp = ((code >> 12) & 7) as u32;
        (mant | 0x1000) << (exp + 3)
    }
}

/// Decode the Querier's Query Interval Code into seconds (RFC 3810 §5.1.9),
/// the same floating-point scheme on 8 bits.
pub const fn qqi_seconds(qqic: u8) -> u32 {
    if qqic < 0x80 {
        qqic as u32
    } else {
        let mant = (qqic & 0x0f) as u32;
        let exp = ((qqic >> 4) & 7) as u32;
        (mant | 0x10) << (exp + 3)
    }
}

/// An MLDv1 message, owned (RFC 2710 §3); also used for the MLDv1 form of
/// the Query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct MldV1Header {
    /// 130 Query, 131 Report or 132 Done.
    pub msg_type: Icmpv6Type,
    /// Code (0 on send).
    pub code: Icmpv6Code,
    /// Checksum as stored.
    pub checksum: u16,
    /// Maximum Response Delay in milliseconds (queries only).
    pub max_response_delay: u16,
    /// Reserved.
    pub reserved: u16,
    /// The group (unspecified in a General Query).
    pub multicast_address: Ipv6Addr,
}

impl MldV1Header {
    fn read(b: &[u8]) -> Self {
        MldV1Header {
            msg_type: Icmpv6Type(b[0]),
            code: Icmpv6Code(b[1]),
            checksum: get_u16(b, 2),
            max_response_delay: get_u16(b, 4),
            reserved: get_u16(b, 6),
            multicast_address: addr(b, 8),
        }
    }

    /// Always 24 (RFC 2710 §3).
    pub const fn header_len(&self) -> usize {
        MLDV1_LEN
    }

    /// Write the 24 bytes (RFC 2710 §3).
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        room(buf, MLDV1_LEN, Layer::Icmpv6)?;
        buf[0] = self.msg_type.0;
        buf[1] = self.code.0;
        put_u16(buf, 2, self.checksum);
        put_u16(buf, 4, self.max_response_delay);
        put_u16(buf, 6, self.reserved);
        buf[8..24].copy_from_slice(&self.multicast_address.octets());
        Ok(MLDV1_LEN)
    }
}

/// Any MLD message, dispatched on type and length (RFC 3810 §8.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MldMessage<'a> {
    /// An MLDv1 Query (24 bytes), Report or Done (RFC 2710 §3).
    V1(MldV1Header),
    /// An MLDv2 Query (RFC 3810 §5.1).
    Query(MldV2Query<'a>),
    /// An MLDv2 Report (RFC 3810 §5.2).
    Report(MldV2Report<'a>),
}

impl<'a> MldMessage<'a> {
    /// Parse the ICMPv6 message in `buf` as MLD (RFC 3810 §8.1).
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        let m = Icmpv6Message::parse(buf)?;
        match m.msg_type() {
            Icmpv6Type::MLD_QUERY if buf.len() == MLDV1_LEN => Ok(MldMessage::V1(MldV1Header::read(buf))),
            Icmpv6Type::MLD_QUERY if buf.len() >= MLDV2_QUERY_MIN_LEN => Ok(MldMessage::Query(MldV2Query::parse(buf)?)),
            Icmpv6Type::MLD_QUERY => Err(Error::invalid(
                Layer::Icmpv6,
                "length",
                0,
                buf.len() as u64,
                "24 (MLDv1) or at least 28 (MLDv2), RFC 3810 §8.1",
            )),
            Icmpv6Type::MLD_REPORT | Icmpv6Type::MLD_DONE => {
                need(buf, MLDV1_LEN, Layer::Icmpv6, "multicast_address", 8)?;
                Ok(MldMessage::V1(MldV1Header::read(buf)))
            }
            Icmpv6Type::MLDV2_REPORT => Ok(MldMessage::Report(MldV2Report::parse(buf)?)),
            t => Err(Error::invalid(
                Layer::Icmpv6,
                "type",
                0,
                u64::from(t.0),
                "an MLD type: 130, 131, 132 or 143",
            )),
        }
    }
}

/// A zero-copy view of an MLDv2 Query (RFC 3810 §5.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MldV2Query<'a> {
    buf: &'a [u8],
}

impl<'a> MldV2Query<'a> {
    /// Parse an MLDv2 Query; Number of Sources must fit the buffer (RFC 3810 §5.1).
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        need(buf, MLDV2_QUERY_MIN_LEN, Layer::Icmpv6, "header", 0)?;
        let n = usize::from(get_u16(buf, 26));
        let avail = buf.len() - MLDV2_QUERY_MIN_LEN;
        if n * 16 > avail {
            return Err(Error::length_exceeds(
                Layer::Icmpv6,
                "number_of_sources",
                26,
                n * 16,
                avail,
            ));
        }
        Ok(MldV2Query { buf })
    }

    /// ICMPv6 code (RFC 3810 §5.1).
    pub fn code(&self) -> Icmpv6Code {
        Icmpv6Code(self.buf[1])
    }

    /// Checksum as on the wire (RFC 3810 §5.1).
    pub fn checksum(&self) -> u16 {
        get_u16(self.buf, 2)
    }

    /// Maximum Response Code (RFC 3810 §5.1.3); see
    /// [`max_response_delay_ms`].
    pub fn max_response_code(&self) -> u16 {
        get_u16(self.buf, 4)
    }

    /// Reserved (RFC 3810 §5.1.4).
    pub fn reserved(&self) -> u16 {
        get_u16(self.buf, 6)
    }

    /// Multicast Address (RFC 3810 §5.1.5).
    pub fn multicast_address(&self) -> Ipv6Addr {
        addr(self.buf, 8)
    }

    /// The four Resv bits (RFC 3810 §5.1.6).
    pub fn resv(&self) -> u8 {
        self.buf[24] >> 4
    }

    /// S, Suppress Router-Side Processing (RFC 3810 §5.1.7).
    pub fn suppress(&self) -> bool {
        self.buf[24] & 0x08 != 0
    }

    /// QRV, Querier's Robustness Variable (RFC 3810 §5.1.8).
    pub fn qrv(&self) -> u8 {
        self.buf[24] & 7
    }

    /// QQIC, Querier's Query Interval Code (RFC 3810 §5.1.9).
    pub fn qqic(&self) -> u8 {
        self.buf[25]
    }

    /// Number of Sources (RFC 3810 §5.1.10).
    pub fn number_of_sources(&self) -> u16 {
        get_u16(self.buf, 26)
    }

    /// The source addresses (RFC 3810 §5.1.11).
    pub fn sources(&self) -> AddressIter<'a> {
        AddressIter::new(&self.buf[MLDV2_QUERY_MIN_LEN..], usize::from(self.number_of_sources()))
    }

    /// Bytes after the sources, which receivers ignore (RFC 3810 §5.1.12).
    pub fn additional_data(&self) -> &'a [u8] {
        &self.buf[MLDV2_QUERY_MIN_LEN + 16 * usize::from(self.number_of_sources())..]
    }

    /// The owned query (additional data is not kept);
    /// [`crate::ErrorKind::LimitExceeded`] beyond [`MLD_SOURCES_CAPACITY`] (RFC 3810 §5.1).
    pub fn to_header(&self) -> Result<MldV2QueryHeader> {
        let n = 16 * usize::from(self.number_of_sources());
        Ok(MldV2QueryHeader {
            code: self.code(),
            checksum: self.checksum(),
            max_response_code: self.max_response_code(),
            reserved: self.reserved(),
            multicast_address: self.multicast_address(),
            resv: self.resv(),
            suppress: self.suppress(),
            qrv: self.qrv(),
            qqic: self.qqic(),
            sources: InlineBytes::from_slice(
                &self.buf[MLDV2_QUERY_MIN_LEN..MLDV2_QUERY_MIN_LEN + n],
                Layer::Icmpv6,
                "number_of_sources",
            )
            .map_err(|e| e.at_base(MLDV2_QUERY_MIN_LEN))?,
        })
    }
}

/// Capacity of [`MldV2QueryHeader::sources`] in bytes: 128 addresses, more
/// than a 1500-byte frame holds (89) (RFC 3810 §5.1).
pub const MLD_SOURCES_CAPACITY: usize = 2048;

/// An owned MLDv2 Query (RFC 3810 §5.1). Number of Sources is derived from
/// `sources` on emit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct MldV2QueryHeader {
    /// Code (0 on send).
    pub code: Icmpv6Code,
    /// Checksum as stored.
    pub checksum: u16,
    /// Maximum Response Code (§5.1.3).
    pub max_response_code: u16,
    /// Reserved (§5.1.4).
    pub reserved: u16,
    /// Multicast Address (§5.1.5).
    pub multicast_address: Ipv6Addr,
    /// Resv, 4 bits (§5.1.6).
    pub resv: u8,
    /// S flag (§5.1.7).
    pub suppress: bool,
    /// QRV, 3 bits (§5.1.8).
    pub qrv: u8,
    /// QQIC (§5.1.9).
    pub qqic: u8,
    /// Source addresses, 16 bytes each, raw.
    pub sources: InlineBytes<MLD_SOURCES_CAPACITY>,
}

impl MldV2QueryHeader {
    /// Append a source address (RFC 3810 §5.1).
    pub fn push_source(&mut self, a: Ipv6Addr) -> Result<()> {
        self.sources.extend_from_slice(&a.octets(), Layer::Icmpv6, "sources")
    }

    /// The source addresses (RFC 3810 §5.1).
    pub fn sources(&self) -> AddressIter<'_> {
        AddressIter::new(self.sources.as_slice(), usize::MAX)
    }

    /// `28 + sources.len()` (RFC 3810 §5.1).
    pub const fn header_len(&self) -> usize {
        MLDV2_QUERY_MIN_LEN + self.sources.len()
    }

    /// Write the query; [`crate::ErrorKind::Invalid`] if Resv or QRV exceed
    /// their widths or the sources are not whole addresses (RFC 3810 §5.1).
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        if self.resv > 15 {
            return Err(Error::invalid(
                Layer::Icmpv6,
                "resv",
                24,
                u64::from(self.resv),
                "at most 4 bits",
            ));
        }
        if self.qrv > 7 {
            return Err(Error::invalid(
                Layer::Icmpv6,
                "qrv",
                24,
                u64::from(self.qrv),
                "at most 3 bits",
            ));
        }
        if self.sources.len() % 16 != 0 {
            return Err(Error::invalid(
                Layer::Icmpv6,
                "sources",
                28,
                self.sources.len() as u64,
                "a multiple of 16 bytes",
            ));
        }
        let len = self.header_len();
        room(buf, len, Layer::Icmpv6)?;
        buf[0] = Icmpv6Type::MLD_QUERY.0;
        buf[1] = self.code.0;
        put_u16(buf, 2, self.checksum);
        put_u16(buf, 4, self.max_response_code);
        put_u16(buf, 6, self.reserved);
        buf[8..24].copy_from_slice(&self.multicast_address.octets());
        buf[24] = (self.resv << 4) | (u8::from(self.suppress) << 3) | self.qrv;
        buf[25] = self.qqic;
        put_u16(buf, 26, (self.sources.len() / 16) as u16);
        buf[28..len].copy_from_slice(self.sources.as_slice());
        Ok(len)
    }
}

/// A multicast address record type (RFC 3810 §5.2.12), open.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct MldRecordType(pub u8);

impl MldRecordType {
    /// MODE_IS_INCLUDE (RFC 3810 §5.2.12).
    pub const MODE_IS_INCLUDE: MldRecordType = MldRecordType(1);
    /// MODE_IS_EXCLUDE (RFC 3810 §5.2.12).
    pub const MODE_IS_EXCLUDE: MldRecordType = MldRecordType(2);
    /// CHANGE_TO_INCLUDE_MODE (RFC 3810 §5.2.12).
    pub const CHANGE_TO_INCLUDE: MldRecordType = MldRecordType(3);
    /// CHANGE_TO_EXCLUDE_MODE (RFC 3810 §5.2.12).
    pub const CHANGE_TO_EXCLUDE: MldRecordType = MldRecordType(4);
    /// ALLOW_NEW_SOURCES (RFC 3810 §5.2.12).
    pub const ALLOW_NEW_SOURCES: MldRecordType = MldRecordType(5);
    /// BLOCK_OLD_SOURCES (RFC 3810 §5.2.12).
    pub const BLOCK_OLD_SOURCES: MldRecordType = MldRecordType(6);

    /// The registered name, if netspec knows this value (RFC 3810 §5.2).
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            1 => "MODE_IS_INCLUDE",
            2 => "MODE_IS_EXCLUDE",
            3 => "CHANGE_TO_INCLUDE_MODE",
            4 => "CHANGE_TO_EXCLUDE_MODE",
            5 => "ALLOW_NEW_SOURCES",
            6 => "BLOCK_OLD_SOURCES",
            _ => return None,
        })
    }
}

crate::macros::named_number_fmt!(MldRecordType, "{}", debug_only);

/// A zero-copy view of one multicast address record (RFC 3810 §5.2.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MldRecord<'a> {
    bytes: &'a [u8],
}

impl<'a> MldRecord<'a> {
    /// Record Type (§5.2.5).
    pub fn record_type(&self) -> MldRecordType {
        MldRecordType(self.bytes[0])
    }

    /// Aux Data Len in 32-bit words (§5.2.6).
    pub fn aux_data_len(&self) -> u8 {
        self.bytes[1]
    }

    /// Number of Sources (§5.2.7).
    pub fn number_of_sources(&self) -> u16 {
        get_u16(self.bytes, 2)
    }

    /// Multicast Address (§5.2.8).
    pub fn multicast_address(&self) -> Ipv6Addr {
        addr(self.bytes, 4)
    }

    /// Source addresses (§5.2.9).
    pub fn sources(&self) -> AddressIter<'a> {
        AddressIter::new(&self.bytes[RECORD_HEADER_LEN..], usize::from(self.number_of_sources()))
    }

    /// Auxiliary Data (§5.2.10).
    pub fn aux_data(&self) -> &'a [u8] {
        &self.bytes[RECORD_HEADER_LEN + 16 * usize::from(self.number_of_sources())..]
    }

    /// The record's bytes (RFC 3810 §5.2).
    pub const fn bytes(&self) -> &'a [u8] {
        self.bytes
    }
}

/// Iterator over multicast address records; yields at most the count it
/// was given and never reads past its buffer (an error ends it) (RFC 3810 §5.2).
#[derive(Clone, Debug)]
pub struct MldRecordIter<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
    left: usize,
    /// Stop quietly at the end of the buffer (an owned records area has no
    /// count of its own).
    until_end: bool,
}

impl<'a> MldRecordIter<'a> {
    /// Up to `count` records from `buf`; errors report `base + position` (RFC 3810 §5.2).
    pub const fn new(buf: &'a [u8], count: usize, base: usize) -> Self {
        MldRecordIter {
            buf,
            pos: 0,
            base,
            left: count,
            until_end: false,
        }
    }

    /// Every record of `buf`, however many; stops at its end (RFC 3810 §5.2).
    pub const fn until_end(buf: &'a [u8], base: usize) -> Self {
        MldRecordIter {
            buf,
            pos: 0,
            base,
            left: usize::MAX,
            until_end: true,
        }
    }

    /// Offset after the records yielded so far (RFC 3810 §5.2).
    pub const fn position(&self) -> usize {
        self.pos
    }

    fn step(&mut self) -> Result<MldRecord<'a>> {
        let rest = &self.buf[self.pos..];
        let at = self.base + self.pos;
        need(rest, RECORD_HEADER_LEN, Layer::Icmpv6, "multicast_address_record", at)?;
        let len = RECORD_HEADER_LEN + 16 * usize::from(get_u16(rest, 2)) + 4 * usize::from(rest[1]);
        if len > rest.len() {
            return Err(Error::length_exceeds(
                Layer::Icmpv6,
                "number_of_sources",
                at + 2,
                len,
                rest.len(),
            ));
        }
        self.pos += len;
        Ok(MldRecord { bytes: &rest[..len] })
    }
}

impl<'a> Iterator for MldRecordIter<'a> {
    type Item = Result<MldRecord<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 || (self.until_end && self.pos == self.buf.len()) {
            return None;
        }
        let r = self.step();
        // Each record is at least 20 bytes, so a lying count runs out of
        // bytes within len / 20 steps; after an error we stop at once.
        self.left = if r.is_ok() { self.left - 1 } else { 0 };
        Some(r)
    }
}

/// A zero-copy view of an MLDv2 Report (RFC 3810 §5.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MldV2Report<'a> {
    buf: &'a [u8],
    end: usize,
}

impl<'a> MldV2Report<'a> {
    /// Parse a Report; all M records must fit the buffer (RFC 3810 §5.2).
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        need(buf, MLDV2_REPORT_HEADER_LEN, Layer::Icmpv6, "header", 0)?;
        let m = usize::from(get_u16(buf, 6));
        let mut it = MldRecordIter::new(&buf[MLDV2_REPORT_HEADER_LEN..], m, MLDV2_REPORT_HEADER_LEN);
        for r in &mut it {
            r?;
        }
        Ok(MldV2Report {
            buf,
            end: MLDV2_REPORT_HEADER_LEN + it.position(),
        })
    }

    /// The Reserved byte in the Code position (RFC 3810 §5.2).
    pub fn code(&self) -> Icmpv6Code {
        Icmpv6Code(self.buf[1])
    }

    /// Checksum as on the wire (RFC 3810 §5.2).
    pub fn checksum(&self) -> u16 {
        get_u16(self.buf, 2)
    }

    /// The 16-bit Reserved field (§5.2.2).
    pub fn reserved(&self) -> u16 {
        get_u16(self.buf, 4)
    }

    /// Nr of Mcast Address Records (§5.2.3).
    pub fn number_of_records(&self) -> u16 {
        get_u16(self.buf, 6)
    }

    /// The records (already validated: every item is `Ok`) (RFC 3810 §5.2).
    pub fn records(&self) -> MldRecordIter<'a> {
        MldRecordIter::new(
            &self.buf[MLDV2_REPORT_HEADER_LEN..self.end],
            usize::from(self.number_of_records()),
            MLDV2_REPORT_HEADER_LEN,
        )
    }

    /// Bytes after the last record (RFC 3810 §5.2).
    pub fn trailing(&self) -> &'a [u8] {
        &self.buf[self.end..]
    }

    /// The owned report (trailing bytes are not kept);
    /// [`crate::ErrorKind::LimitExceeded`] beyond [`MLD_RECORDS_CAPACITY`] (RFC 3810 §5.2).
    pub fn to_header(&self) -> Result<MldV2ReportHeader> {
        Ok(MldV2ReportHeader {
            code: self.code(),
            checksum: self.checksum(),
            reserved: self.reserved(),
            records: InlineBytes::from_slice(
                &self.buf[MLDV2_REPORT_HEADER_LEN..self.end],
                Layer::Icmpv6,
                "multicast_address_record",
            )
            .map_err(|e| e.at_base(MLDV2_REPORT_HEADER_LEN))?,
        })
    }
}

/// Capacity of [`MldV2ReportHeader::records`] in bytes, more than a
/// 1500-byte frame holds (RFC 3810 §5.2).
pub const MLD_RECORDS_CAPACITY: usize = 2048;

/// An owned MLDv2 Report (RFC 3810 §5.2): records raw and inline; the
/// record count is derived on emit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct MldV2ReportHeader {
    /// The Reserved byte in the Code position.
    pub code: Icmpv6Code,
    /// Checksum as stored.
    pub checksum: u16,
    /// The 16-bit Reserved field.
    pub reserved: u16,
    /// The multicast address records, raw.
    pub records: InlineBytes<MLD_RECORDS_CAPACITY>,
}

impl MldV2ReportHeader {
    /// Append a record (RFC 3810 §5.2.4); `aux` must be whole 32-bit words.
    pub fn push_record(
        &mut self,
        record_type: MldRecordType,
        multicast_address: Ipv6Addr,
        sources: &[Ipv6Addr],
        aux: &[u8],
    ) -> Result<()> {
        if aux.len() % 4 != 0 || aux.len() > 255 * 4 {
            return Err(Error::invalid(
                Layer::Icmpv6,
                "aux_data_len",
                1,
                aux.len() as u64,
                "a multiple of 4 bytes, at most 1020",
            ));
        }
        let n = u16::try_from(sources.len())
            .map_err(|_| Error::limit_exceeded(Layer::Icmpv6, "number_of_sources", 2, 65535))?;
        let before = self.records;
        let mut head = [0u8; RECORD_HEADER_LEN];
        head[0] = record_type.0;
        head[1] = (aux.len() / 4) as u8;
        put_u16(&mut head, 2, n);
        head[4..20].copy_from_slice(&multicast_address.octets());
        let r = (|| {
            self.records.extend_from_slice(&head, Layer::Icmpv6, "records")?;
            for s in sources {
                self.records.extend_from_slice(&s.octets(), Layer::Icmpv6, "records")?;
            }
            self.records.extend_from_slice(aux, Layer::Icmpv6, "records")
        })();
        if r.is_err() {
            // All or nothing: never leave half a record behind.
            self.records = before;
        }
        r
    }

    /// The records; errors if the raw area is malformed (RFC 3810 §5.2).
    pub fn records(&self) -> MldRecordIter<'_> {
        MldRecordIter::until_end(self.records.as_slice(), 0)
    }

    /// `8 + records.len()` (RFC 3810 §5.2).
    pub const fn header_len(&self) -> usize {
        MLDV2_REPORT_HEADER_LEN + self.records.len()
    }

    /// Write the report; the records area must be whole, well-formed
    /// records (its first problem is returned otherwise) (RFC 3810 §5.2).
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let mut count = 0usize;
        for r in self.records() {
            r.map_err(|e| e.at_base(MLDV2_REPORT_HEADER_LEN))?;
            count += 1;
        }
        let count =
            u16::try_from(count).map_err(|_| Error::limit_exceeded(Layer::Icmpv6, "number_of_records", 6, 65535))?;
        let len = self.header_len();
        room(buf, len, Layer::Icmpv6)?;
        buf[0] = Icmpv6Type::MLDV2_REPORT.0;
        buf[1] = self.code.0;
        put_u16(buf, 2, self.checksum);
        put_u16(buf, 4, self.reserved);
        put_u16(buf, 6, count);
        buf[8..len].copy_from_slice(self.records.as_slice());
        Ok(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn g(n: u16) -> Ipv6Addr {
        Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, n)
    }

    #[test]
    fn v1_and_v2_queries_by_length() {
        let v1 = MldV1Header {
            msg_type: Icmpv6Type::MLD_QUERY,
            code: Icmpv6Code(0),
            checksum: 0,
            max_response_delay: 10000,
            reserved: 0,
            multicast_address: Ipv6Addr::UNSPECIFIED,
        };
        let mut b = [0u8; 60];
        v1.emit(&mut b).unwrap();
        assert_eq!(MldMessage::parse(&b[..24]).unwrap(), MldMessage::V1(v1));
        let e = MldMessage::parse(&b[..26]).unwrap_err();
        assert_eq!(
            e,
            Error::invalid(
                Layer::Icmpv6,
                "length",
                0,
                26,
                "24 (MLDv1) or at least 28 (MLDv2), RFC 3810 §8.1"
            )
        );
        let mut q = MldV2QueryHeader {
            code: Icmpv6Code(0),
            checksum: 0,
            max_response_code: 0x8001,
            reserved: 0,
            multicast_address: g(1),
            resv: 0,
            suppress: true,
            qrv: 2,
            qqic: 125,
            sources: InlineBytes::new(),
        };
        q.push_source(g(7)).unwrap();
        let n = q.emit(&mut b).unwrap();
        let MldMessage::Query(v) = MldMessage::parse(&b[..n]).unwrap() else {
            panic!("not a v2 query")
        };
        assert_eq!(v.to_header().unwrap(), q);
        assert_eq!(v.sources().collect::<Vec<_>>(), [g(7)]);
        assert_eq!(max_response_delay_ms(0x8001), 0x1001 << 3);
        assert_eq!(qqi_seconds(0x80), 0x10 << 3);
    }

    #[test]
    fn lying_counts_are_errors() {
        let mut b = [0u8; 28];
        b[0] = 130;
        b[26] = 0xff;
        b[27] = 0xff;
        assert_eq!(
            MldMessage::parse(&b).unwrap_err(),
            Error::length_exceeds(Layer::Icmpv6, "number_of_sources", 26, 0xffff * 16, 0)
        );
        let mut r = [0u8; 8 + 20];
        r[0] = 143;
        r[7] = 2; // two records, only one present
        let e = MldMessage::parse(&r).unwrap_err();
        assert_eq!(e.offset, 28);
        assert!(matches!(
            e.kind,
            ErrorKind::Truncated {
                needed: 20,
                available: 0
            }
        ));
        r[7] = 1;
        r[8 + 3] = 1; // one source not present
        let e = MldMessage::parse(&r).unwrap_err();
        assert_eq!(e, Error::length_exceeds(Layer::Icmpv6, "number_of_sources", 10, 36, 20));
    }

    #[test]
    fn other_error_paths() {
        assert_eq!(
            MldMessage::parse(&[128, 0, 0, 0, 0, 0, 0, 0]).unwrap_err(),
            Error::invalid(Layer::Icmpv6, "type", 0, 128, "an MLD type: 130, 131, 132 or 143")
        );
        assert_eq!(
            MldMessage::parse(&[131, 0, 0, 0, 0, 0, 0, 0, 0, 0]).unwrap_err(),
            Error::truncated(Layer::Icmpv6, "multicast_address", 8, 24, 10)
        );
        let mut q = MldV2QueryHeader {
            code: Icmpv6Code(0),
            checksum: 0,
            max_response_code: 0,
            reserved: 0,
            multicast_address: g(1),
            resv: 16,
            suppress: false,
            qrv: 0,
            qqic: 0,
            sources: InlineBytes::new(),
        };
        let mut b = [0u8; 64];
        assert_eq!(
            q.emit(&mut b).unwrap_err(),
            Error::invalid(Layer::Icmpv6, "resv", 24, 16, "at most 4 bits")
        );
        q.resv = 0;
        q.qrv = 8;
        assert_eq!(
            q.emit(&mut b).unwrap_err(),
            Error::invalid(Layer::Icmpv6, "qrv", 24, 8, "at most 3 bits")
        );
        q.qrv = 0;
        q.sources.extend_from_slice(&[1], Layer::Icmpv6, "sources").unwrap();
        assert_eq!(
            q.emit(&mut b).unwrap_err(),
            Error::invalid(Layer::Icmpv6, "sources", 28, 1, "a multiple of 16 bytes")
        );
        // A malformed owned records area is reported at its wire offset.
        let mut r = MldV2ReportHeader {
            code: Icmpv6Code(0),
            checksum: 0,
            reserved: 0,
            records: InlineBytes::new(),
        };
        r.records
            .extend_from_slice(&[1, 0, 0], Layer::Icmpv6, "records")
            .unwrap();
        assert_eq!(
            r.emit(&mut b).unwrap_err(),
            Error::truncated(Layer::Icmpv6, "multicast_address_record", 8, 20, 3)
        );
    }

    #[test]
    fn report_round_trip() {
        let mut h = MldV2ReportHeader {
            code: Icmpv6Code(0),
            checksum: 0x1234,
            reserved: 0,
            records: InlineBytes::new(),
        };
        h.push_record(MldRecordType::CHANGE_TO_EXCLUDE, g(0xfb), &[], &[])
            .unwrap();
        h.push_record(MldRecordType::ALLOW_NEW_SOURCES, g(2), &[g(3), g(4)], &[1, 2, 3, 4])
            .unwrap();
        let mut b = [0u8; 128];
        let n = h.emit(&mut b).unwrap();
        assert_eq!(b[7], 2);
        let MldMessage::Report(v) = MldMessage::parse(&b[..n]).unwrap() else {
            panic!("not a report")
        };
        assert_eq!(v.to_header().unwrap(), h);
        let recs: Vec<_> = v.records().map(|r| r.unwrap()).collect();
        assert_eq!(recs[1].aux_data(), &[1, 2, 3, 4]);
        assert_eq!(recs[1].sources().collect::<Vec<_>>(), [g(3), g(4)]);
        assert_eq!(
            h.push_record(MldRecordType(9), g(1), &[], &[1]).unwrap_err().field,
            "aux_data_len"
        );
    }
}
