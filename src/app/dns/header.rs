//! The fixed 12-octet header of a DNS message (RFC 1035 §4.1.1), as an
//! owned value.

use super::message::{HEADER_LEN, Section};
use super::types::DnsFlags;
use crate::error::{Layer, Result};
use crate::parse::{get_u16, need, put_u16, room};

/// The owned 12-byte header (RFC 1035 §4.1.1):
///
/// ```text
///     0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
///   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///   |                      ID                       |
///   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///   |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
///   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///   |                    QDCOUNT                    |
///   |                    ANCOUNT                    |
///   |                    NSCOUNT                    |
///   |                    ARCOUNT                    |
///   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct DnsHeader {
    /// Matches a response to its query.
    pub id: u16,
    /// The flags word, OPCODE and RCODE included.
    pub flags: DnsFlags,
    /// Entries in the question section.
    pub qdcount: u16,
    /// Records in the answer section.
    pub ancount: u16,
    /// Records in the authority section.
    pub nscount: u16,
    /// Records in the additional section.
    pub arcount: u16,
}

impl DnsHeader {
    /// Always [`HEADER_LEN`].
    pub const fn header_len(&self) -> usize {
        HEADER_LEN
    }

    /// Write the 12 header bytes.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        room(buf, HEADER_LEN, Layer::Dns)?;
        put_u16(buf, 0, self.id);
        put_u16(buf, 2, self.flags.bits());
        put_u16(buf, 4, self.qdcount);
        put_u16(buf, 6, self.ancount);
        put_u16(buf, 8, self.nscount);
        put_u16(buf, 10, self.arcount);
        Ok(HEADER_LEN)
    }

    /// Read the header alone, returning the bytes after it (the sections
    /// are not checked: use [`DnsMessage::parse`](super::DnsMessage::parse) for that).
    pub fn parse(buf: &[u8]) -> Result<(DnsHeader, &[u8])> {
        need(buf, HEADER_LEN, Layer::Dns, "header", 0)?;
        Ok((Self::read(buf), &buf[HEADER_LEN..]))
    }

    /// The header of `buf`, which holds at least [`HEADER_LEN`] octets.
    pub(crate) fn read(buf: &[u8]) -> DnsHeader {
        DnsHeader {
            id: get_u16(buf, 0),
            flags: DnsFlags::from_bits_retain(get_u16(buf, 2)),
            qdcount: get_u16(buf, 4),
            ancount: get_u16(buf, 6),
            nscount: get_u16(buf, 8),
            arcount: get_u16(buf, 10),
        }
    }

    /// The count field of `section`.
    pub const fn count(&self, section: Section) -> u16 {
        match section {
            Section::Question => self.qdcount,
            Section::Answer => self.ancount,
            Section::Authority => self.nscount,
            Section::Additional => self.arcount,
        }
    }
}
