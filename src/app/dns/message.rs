//! The zero-copy message view (RFC 1035 §4.1) with strict and lenient
//! validation.

use core::fmt;
use core::net::{Ipv4Addr, Ipv6Addr};

pub use super::header::DnsHeader;
use super::name::{self, Name, Validated};
use super::rdata::{Opt, RData};
use super::types::{DnsFlags, Opcode, Rcode, RrClass, RrType};
use crate::error::{Error, Layer, Result};
use crate::parse::{get_u16, get_u32, need};

/// Length of the fixed header (RFC 1035 §4.1.1).
pub const HEADER_LEN: usize = 12;

/// The largest DNS message: its length must fit the 16-bit TCP length
/// prefix (RFC 1035 §4.2.2), and UDP payloads are smaller still.
pub const MAX_MESSAGE_LEN: usize = 65535;

/// How many issues [`DnsMessage::parse_lenient`] keeps; later ones are
/// counted but dropped.
pub const MAX_ISSUES: usize = 8;

/// Header field offsets (RFC 1035 §4.1.1).
mod field {
    pub const ID: usize = 0;
    pub const FLAGS: usize = 2;
    pub const QDCOUNT: usize = 4;
}

/// The names of the four count fields, for errors.
const COUNT_FIELDS: [&str; 4] = ["qdcount", "ancount", "nscount", "arcount"];

/// The four sections of a message (RFC 1035 §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// The question for the name server (QDCOUNT entries).
    Question,
    /// Records answering the question (ANCOUNT).
    Answer,
    /// Records pointing toward an authority (NSCOUNT).
    Authority,
    /// Records holding additional information (ARCOUNT), where OPT lives.
    Additional,
}

impl Section {
    /// The four sections, in wire order.
    pub const ALL: [Section; 4] = [
        Section::Question,
        Section::Answer,
        Section::Authority,
        Section::Additional,
    ];

    const fn index(self) -> usize {
        self as usize
    }
}

/// The problems [`DnsMessage::parse_lenient`] found and stepped over: a
/// fixed array of the first [`MAX_ISSUES`], and a count of all.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Issues {
    list: [Option<Error>; MAX_ISSUES],
    total: usize,
}

impl Issues {
    fn push(&mut self, e: Error) {
        if let Some(slot) = self.list.get_mut(self.total) {
            *slot = Some(e);
        }
        self.total += 1;
    }

    /// True when the message had no issue at all.
    pub const fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// How many issues were found (may exceed [`MAX_ISSUES`]).
    pub const fn total(&self) -> usize {
        self.total
    }

    /// The first (up to [`MAX_ISSUES`]) issues, in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &Error> {
        self.list.iter().flatten()
    }
}

impl fmt::Debug for Issues {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A zero-copy DNS message (RFC 1035 §4.1): header, then lazy iterators
/// over the four sections.
///
/// ```text
///   +---------------------+
///   |        Header       |  12 bytes
///   +---------------------+
///   |       Question      |  QDCOUNT x (QNAME, QTYPE, QCLASS)
///   +---------------------+
///   |        Answer       |  ANCOUNT x RR
///   +---------------------+
///   |      Authority      |  NSCOUNT x RR
///   +---------------------+
///   |      Additional     |  ARCOUNT x RR
///   +---------------------+
///
///   RR = NAME | TYPE (2) | CLASS (2) | TTL (4) | RDLENGTH (2) | RDATA
/// ```
///
/// Parsing walks the message once and checks every rule, so that the
/// iterators afterwards cannot fail and cost little. Nothing is allocated,
/// and nothing is sized by a header count: the counts only say how many
/// records to expect, and the data must hold them.
///
/// ```
/// use netspec::app::dns::{DnsMessage, RData, RrType};
/// let q = b"\xbe\xef\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\
///           \x03www\x07example\x03com\x00\x00\x01\x00\x01";
/// let m = DnsMessage::parse(q).unwrap();
/// assert_eq!(m.id(), 0xbeef);
/// let question = m.questions().next().unwrap();
/// assert!(question.name().eq_text("www.example.com."));
/// assert_eq!(question.qtype(), RrType::A);
/// ```
#[derive(Clone, Copy)]
pub struct DnsMessage<'a> {
    buf: &'a [u8],
    starts: [usize; 4],
    counts: [u16; 4],
    end: usize,
    opt: Option<usize>,
    /// Every name and RDATA was checked with no issue: accessors may skip
    /// re-validating.
    trusted: bool,
}

/// The fixed fields of an RR after its name (RFC 1035 §4.1.3).
const RR_FIXED_LEN: usize = 10;

impl<'a> DnsMessage<'a> {
    /// Parse strictly: every name, every RDATA, the counts against the
    /// data, OPT placement (at most one, root owner, additional section,
    /// RFC 6891 §6.1.1), at most one question in a QUERY (RFC 9619), and no
    /// bytes after the last record. The first violation is the error.
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        let mut issues = Issues::default();
        Self::parse_impl(buf, true, &mut issues)
    }

    /// Parse leniently: the same checks, but a violation is recorded in
    /// [`Issues`] and parsing goes on where that is safe: a bad RDATA is
    /// skipped by its RDLENGTH (its [`Record::rdata`] is then
    /// [`RData::Unknown`]); an entry whose name is bad (a loop, a forward
    /// pointer, too long) but whose in-place bytes still frame it is left
    /// out of the view and stepped over; a reserved label type, or an
    /// entry that runs past the end, stops parsing there (the sections keep
    /// what was read so far). Only a message shorter than its header is an
    /// error.
    pub fn parse_lenient(buf: &'a [u8]) -> Result<(Self, Issues)> {
        let mut issues = Issues::default();
        let m = Self::parse_impl(buf, false, &mut issues)?;
        Ok((m, issues))
    }

    fn parse_impl(buf: &'a [u8], strict: bool, issues: &mut Issues) -> Result<Self> {
        need(buf, HEADER_LEN, Layer::Dns, "header", 0)?;
        let hdr = DnsHeader::read(buf);
        let mut report = |e: Error| -> Result<()> {
            if strict {
                Err(e)
            } else {
                issues.push(e);
                Ok(())
            }
        };
        if buf.len() > MAX_MESSAGE_LEN {
            // Offsets past 0xFFFF cannot be described; read only the first
            // 65535 bytes.
            report(Error::length_exceeds(
                Layer::Dns,
                "message",
                0,
                buf.len(),
                MAX_MESSAGE_LEN,
            ))?;
        }
        let buf = &buf[..buf.len().min(MAX_MESSAGE_LEN)];
        if hdr.flags.opcode() == Opcode::QUERY && hdr.qdcount > 1 {
            report(Error::invalid(
                Layer::Dns,
                "qdcount",
                field::QDCOUNT,
                u64::from(hdr.qdcount),
                "at most one question in a QUERY (RFC 9619)",
            ))?;
        }
        let mut m = DnsMessage {
            buf,
            starts: [HEADER_LEN; 4],
            counts: [0; 4],
            end: HEADER_LEN,
            opt: None,
            trusted: false,
        };
        let mut pos = HEADER_LEN;
        let mut broken = false;
        // The names validated so far, so that a pointer to one is not
        // walked again.
        let mut validated = Validated::default();
        for section in Section::ALL {
            let s = section.index();
            m.starts[s] = pos;
            let want = hdr.count(section);
            // Entries framed in this section, counted or stepped over.
            let mut seen = 0u16;
            while !broken && seen < want {
                seen += 1;
                if pos >= buf.len() {
                    report(Error::invalid(
                        Layer::Dns,
                        COUNT_FIELDS[s],
                        field::QDCOUNT + 2 * s,
                        u64::from(want),
                        "no more records than the message holds",
                    ))?;
                    broken = true;
                    break;
                }
                let step = if section == Section::Question {
                    Self::check_question(buf, pos, &mut validated)
                } else {
                    Self::check_record(buf, pos, section, &mut m.opt, &mut report, &mut validated)
                };
                match step {
                    Ok(next) => {
                        pos = next;
                        m.counts[s] += 1;
                    }
                    Err(e) => {
                        report(e)?;
                        // Lenient: an entry whose name is bad (a loop, a
                        // forward pointer, too long) but whose in-place
                        // bytes still frame it is stepped over; anything
                        // else leaves no safe place to go on from.
                        match frame(buf, pos, section == Section::Question) {
                            Some((_, _, next)) => pos = next,
                            None => broken = true,
                        }
                    }
                }
            }
        }
        m.end = pos;
        if !broken && pos < buf.len() {
            report(Error::invalid(
                Layer::Dns,
                "trailing_data",
                pos,
                (buf.len() - pos) as u64,
                "no bytes after the records the counts announce",
            ))?;
        }
        m.trusted = issues.is_empty();
        Ok(m)
    }

    fn check_question(buf: &[u8], pos: usize, seen: &mut Validated) -> Result<usize> {
        let ext = name::walk_memo(buf, pos, buf.len(), "qname", seen)?;
        need(&buf[ext.end..], 4, Layer::Dns, "question", ext.end)?;
        Ok(ext.end + 4)
    }

    fn check_record(
        buf: &[u8],
        pos: usize,
        section: Section,
        opt: &mut Option<usize>,
        report: &mut impl FnMut(Error) -> Result<()>,
        seen: &mut Validated,
    ) -> Result<usize> {
        let ext = name::walk_memo(buf, pos, buf.len(), "name", seen)?;
        let f = ext.end;
        // The fixed fields as one array: one bounds check for all of them.
        let Some(head) = buf
            .get(f..f + RR_FIXED_LEN)
            .and_then(|h| <&[u8; RR_FIXED_LEN]>::try_from(h).ok())
        else {
            return Err(Error::truncated(Layer::Dns, "rr", f, RR_FIXED_LEN, buf.len() - f));
        };
        let rdlen = usize::from(u16::from_be_bytes([head[8], head[9]]));
        let start = f + RR_FIXED_LEN;
        if start + rdlen > buf.len() {
            return Err(Error::length_exceeds(
                Layer::Dns,
                "rdlength",
                f + 8,
                rdlen,
                buf.len() - start,
            ));
        }
        let rtype = RrType(u16::from_be_bytes([head[0], head[1]]));
        if rtype == RrType::OPT {
            if section != Section::Additional {
                report(Error::invalid(
                    Layer::Dns,
                    "opt",
                    f,
                    section as u64,
                    "OPT only in the additional section (RFC 6891 §6.1.1)",
                ))?;
            } else if opt.is_some() {
                report(Error::invalid(
                    Layer::Dns,
                    "opt",
                    f,
                    2,
                    "at most one OPT record (RFC 6891 §6.1.1)",
                ))?;
            } else {
                *opt = Some(pos);
            }
            if ext.wire_len != 1 {
                report(Error::invalid(
                    Layer::Dns,
                    "opt_name",
                    pos,
                    ext.wire_len as u64,
                    "the root name as OPT owner (RFC 6891 §6.1.2)",
                ))?;
            }
        }
        let class = u16::from_be_bytes([head[2], head[3]]);
        let ttl = u32::from_be_bytes([head[4], head[5], head[6], head[7]]);
        if let Err(e) = RData::check(buf, rtype, class, ttl, start, rdlen, seen) {
            report(e)?;
        }
        Ok(start + rdlen)
    }

    /// The bytes the message was parsed from (capped at
    /// [`MAX_MESSAGE_LEN`]).
    #[inline]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.buf
    }

    /// Offset just past the last record parsed (the message length when
    /// strict parsing succeeded).
    #[inline]
    pub const fn parsed_len(&self) -> usize {
        self.end
    }

    /// The owned header, counts as on the wire.
    pub fn to_header(&self) -> DnsHeader {
        DnsHeader::read(self.buf)
    }

    /// ID (RFC 1035 §4.1.1).
    #[inline]
    pub fn id(&self) -> u16 {
        get_u16(self.buf, field::ID)
    }

    /// The flags word, OPCODE and header RCODE included (RFC 1035 §4.1.1).
    #[inline]
    pub fn flags(&self) -> DnsFlags {
        DnsFlags::from_bits_retain(get_u16(self.buf, field::FLAGS))
    }

    /// OPCODE (RFC 1035 §4.1.1).
    #[inline]
    pub fn opcode(&self) -> Opcode {
        self.flags().opcode()
    }

    /// The full 12-bit RCODE: the header's 4 bits, extended by the OPT
    /// record's upper 8 bits when there is one (RFC 6891 §6.1.3).
    pub fn rcode(&self) -> Rcode {
        let low = self.flags().rcode().0;
        match self.opt() {
            Some(o) => Rcode((u16::from(o.ext_rcode) << 4) | low),
            None => Rcode(low),
        }
    }

    /// The count field of `section`, as on the wire.
    #[inline]
    pub fn header_count(&self, section: Section) -> u16 {
        get_u16(self.buf, field::QDCOUNT + 2 * section.index())
    }

    /// How many entries of `section` were parsed: the header count after a
    /// strict parse, possibly fewer after a lenient one.
    #[inline]
    pub fn count(&self, section: Section) -> u16 {
        self.counts[section.index()]
    }

    /// The question section (RFC 1035 §4.1.2).
    #[inline]
    pub fn questions(&self) -> Questions<'a> {
        Questions {
            msg: self.buf,
            pos: self.starts[0],
            remaining: self.counts[0],
            trusted: self.trusted,
        }
    }

    /// The records of a section other than the question (RFC 1035 §4.1.3);
    /// for [`Section::Question`] the iterator is empty.
    #[inline]
    pub fn records(&self, section: Section) -> Records<'a> {
        let s = section.index();
        Records {
            msg: self.buf,
            pos: self.starts[s],
            remaining: if section == Section::Question {
                0
            } else {
                self.counts[s]
            },
            trusted: self.trusted,
        }
    }

    /// The answer section.
    #[inline]
    pub fn answers(&self) -> Records<'a> {
        self.records(Section::Answer)
    }

    /// The authority section.
    #[inline]
    pub fn authorities(&self) -> Records<'a> {
        self.records(Section::Authority)
    }

    /// The additional section (OPT included).
    #[inline]
    pub fn additionals(&self) -> Records<'a> {
        self.records(Section::Additional)
    }

    /// The OPT record's EDNS fields and options, if the message has one
    /// (RFC 6891 §6.1). With several (lenient mode), the first.
    pub fn opt(&self) -> Option<Opt<'a>> {
        let at = self.opt?;
        let (_, f) = name::skip(self.buf, at)?;
        let b = self.buf.get(f..f + RR_FIXED_LEN)?;
        let rdata = self
            .buf
            .get(f + RR_FIXED_LEN..f + RR_FIXED_LEN + usize::from(get_u16(b, 8)))?;
        Opt::parse(get_u16(b, 2), get_u32(b, 4), rdata, f + RR_FIXED_LEN).ok()
    }
}

impl fmt::Debug for DnsMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DnsMessage")
            .field("header", &self.to_header())
            .field("questions", &DebugIter(self.questions()))
            .field("answers", &DebugIter(self.answers()))
            .field("authorities", &DebugIter(self.authorities()))
            .field("additionals", &DebugIter(self.additionals()))
            .finish()
    }
}

struct DebugIter<I>(I);

impl<I: Iterator + Clone> fmt::Debug for DebugIter<I>
where
    I::Item: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.clone()).finish()
    }
}

/// One question entry (RFC 1035 §4.1.2):
///
/// ```text
///   QNAME (name) | QTYPE (2) | QCLASS (2)
/// ```
#[derive(Clone, Copy)]
pub struct Question<'a> {
    name: Name<'a>,
    msg: &'a [u8],
    fixed: usize,
}

impl<'a> Question<'a> {
    /// QNAME.
    #[inline]
    pub const fn name(&self) -> Name<'a> {
        self.name
    }

    /// QTYPE.
    #[inline]
    pub fn qtype(&self) -> RrType {
        RrType(get_u16(self.msg, self.fixed))
    }

    /// QCLASS. Bit 15 is the mDNS unicast-response bit (RFC 6762 §5.4)
    /// outside classic DNS; it is kept.
    #[inline]
    pub fn qclass(&self) -> RrClass {
        RrClass(get_u16(self.msg, self.fixed + 2))
    }
}

impl fmt::Debug for Question<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.name, self.qclass(), self.qtype())
    }
}

/// One resource record (RFC 1035 §4.1.3):
///
/// ```text
///     0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
///   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///   /                      NAME                     /
///   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///   |                      TYPE                     |
///   |                     CLASS                     |
///   |                      TTL                      |
///   |                                               |
///   |                   RDLENGTH                    |
///   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--|
///   /                     RDATA                     /
///   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// ```
#[derive(Clone, Copy)]
pub struct Record<'a> {
    name: Name<'a>,
    msg: &'a [u8],
    fixed: usize,
    /// The fixed fields `msg[fixed..fixed + 10]`, held as an array so the
    /// accessors need no bounds checks.
    head: &'a [u8; RR_FIXED_LEN],
    trusted: bool,
}

impl<'a> Record<'a> {
    /// The owner NAME.
    #[inline]
    pub const fn name(&self) -> Name<'a> {
        self.name
    }

    /// TYPE.
    #[inline]
    pub fn rtype(&self) -> RrType {
        let h = self.head;
        RrType(u16::from_be_bytes([h[0], h[1]]))
    }

    /// CLASS (for OPT: the UDP payload size).
    #[inline]
    pub fn class(&self) -> RrClass {
        let h = self.head;
        RrClass(u16::from_be_bytes([h[2], h[3]]))
    }

    /// TTL in seconds (for OPT: extended RCODE, version and flags).
    #[inline]
    pub fn ttl(&self) -> u32 {
        let h = self.head;
        u32::from_be_bytes([h[4], h[5], h[6], h[7]])
    }

    /// RDLENGTH.
    #[inline]
    pub fn rdlength(&self) -> u16 {
        let h = self.head;
        u16::from_be_bytes([h[8], h[9]])
    }

    /// Offset of the RDATA in the message.
    #[inline]
    pub const fn rdata_offset(&self) -> usize {
        self.fixed + RR_FIXED_LEN
    }

    /// The RDATA bytes, exactly RDLENGTH of them.
    #[inline]
    pub fn rdata_bytes(&self) -> &'a [u8] {
        let s = self.rdata_offset();
        self.msg.get(s..s + usize::from(self.rdlength())).unwrap_or(&[])
    }

    /// The typed RDATA. After a strict parse this is always the typed
    /// variant for the types netspec models; after a lenient parse an RDATA
    /// that failed its check comes back as [`RData::Unknown`].
    #[inline]
    pub fn rdata(&self) -> RData<'a> {
        if let Some(d) = self.trusted_rdata() {
            return d;
        }
        self.try_rdata().unwrap_or_else(|_| RData::Unknown {
            rtype: self.rtype(),
            data: self.rdata_bytes(),
        })
    }

    /// The typed RDATA, or the error its check gives.
    #[inline(always)]
    pub fn try_rdata(&self) -> Result<RData<'a>> {
        if let Some(d) = self.trusted_rdata() {
            return Ok(d);
        }
        RData::parse_in(
            self.msg,
            self.rtype(),
            self.class().0,
            self.ttl(),
            self.rdata_offset(),
            usize::from(self.rdlength()),
            self.trusted,
        )
    }
}

impl<'a> Record<'a> {
    /// The common RDATA types of a record whose message was validated
    /// whole ([`DnsMessage::parse`] checked this very RDATA with
    /// [`RData::parse`]), read without checking again: an address whose
    /// RDLENGTH was found exact, or a name that was walked and found to end
    /// exactly at the end of the RDATA. `None` for every other case, which
    /// goes through the full parse.
    #[inline(always)]
    fn trusted_rdata(&self) -> Option<RData<'a>> {
        if !self.trusted {
            return None;
        }
        let start = self.rdata_offset();
        let len = usize::from(self.rdlength());
        match self.rtype() {
            RrType::A if len == 4 => {
                let a: &[u8; 4] = self.msg.get(start..start + 4)?.try_into().ok()?;
                Some(RData::A(Ipv4Addr::from(*a)))
            }
            RrType::AAAA if len == 16 => {
                let a: &[u8; 16] = self.msg.get(start..start + 16)?.try_into().ok()?;
                Some(RData::Aaaa(Ipv6Addr::from(*a)))
            }
            RrType::CNAME => Some(RData::Cname(Name::validated(self.msg, start))),
            RrType::NS => Some(RData::Ns(Name::validated(self.msg, start))),
            RrType::PTR => Some(RData::Ptr(Name::validated(self.msg, start))),
            _ => None,
        }
    }
}

impl fmt::Debug for Record<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {} {:?}",
            self.name,
            self.ttl(),
            self.class(),
            self.rtype(),
            self.rdata()
        )
    }
}

/// Iterator over the question section.
#[derive(Clone, Debug)]
pub struct Questions<'a> {
    msg: &'a [u8],
    pos: usize,
    remaining: u16,
    trusted: bool,
}

impl<'a> Iterator for Questions<'a> {
    type Item = Question<'a>;
    #[inline(always)]
    fn next(&mut self) -> Option<Question<'a>> {
        while self.remaining > 0 {
            let start = self.pos;
            let (name, fixed, next) = frame(self.msg, start, true)?;
            self.pos = next;
            // After a lenient parse with issues, entries with a bad name
            // were framed but not counted: step over them.
            if !self.trusted && name::walk(self.msg, start, self.msg.len(), "qname").is_err() {
                continue;
            }
            self.remaining -= 1;
            return Some(Question {
                name,
                msg: self.msg,
                fixed,
            });
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(usize::from(self.remaining)))
    }
}

/// Iterator over the records of one section.
#[derive(Clone, Debug)]
pub struct Records<'a> {
    msg: &'a [u8],
    pos: usize,
    remaining: u16,
    trusted: bool,
}

impl<'a> Iterator for Records<'a> {
    type Item = Record<'a>;
    #[inline(always)]
    fn next(&mut self) -> Option<Record<'a>> {
        while self.remaining > 0 {
            let start = self.pos;
            let (name, fixed) = name::skip(self.msg, start)?;
            let head: &[u8; RR_FIXED_LEN] = self.msg.get(fixed..fixed + RR_FIXED_LEN)?.try_into().ok()?;
            let next = fixed + RR_FIXED_LEN + usize::from(u16::from_be_bytes([head[8], head[9]]));
            if next > self.msg.len() {
                return None;
            }
            self.pos = next;
            if !self.trusted && name::walk(self.msg, start, self.msg.len(), "name").is_err() {
                continue;
            }
            self.remaining -= 1;
            return Some(Record {
                name,
                msg: self.msg,
                fixed,
                head,
                trusted: self.trusted,
            });
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(usize::from(self.remaining)))
    }
}

/// Frame the entry at `pos` by its in-place bytes only (no pointer is
/// followed): its name, the offset of its fixed fields, and the offset
/// just past it. `None` if the bytes do not frame an entry.
fn frame(msg: &[u8], pos: usize, question: bool) -> Option<(Name<'_>, usize, usize)> {
    let (name, fixed) = name::skip(msg, pos)?;
    let next = if question {
        fixed + 4
    } else {
        let h = msg.get(fixed..fixed + RR_FIXED_LEN)?;
        fixed + RR_FIXED_LEN + usize::from(get_u16(h, 8))
    };
    (next <= msg.len()).then_some((name, fixed, next))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use core::net::Ipv4Addr;

    /// Decode the whitespace-separated hex of the shared benchmark inputs.
    pub(crate) fn hex(text: &str, out: &mut [u8]) -> usize {
        let mut n = 0;
        for tok in text.split_ascii_whitespace() {
            out[n] = u8::from_str_radix(tok, 16).unwrap();
            n += 1;
        }
        n
    }

    #[test]
    fn reads_the_150_byte_benchmark_response() {
        let mut buf = [0u8; 256];
        let n = hex(include_str!("../../../tests/data/dns/dns_response_150B.hex"), &mut buf);
        assert_eq!(n, 150);
        let m = DnsMessage::parse(&buf[..n]).unwrap();
        assert_eq!(m.id(), 0xbeef);
        assert_eq!(m.flags(), DnsFlags::QR | DnsFlags::RD | DnsFlags::RA);
        assert_eq!(m.rcode(), Rcode::NOERROR);
        let q = m.questions().next().unwrap();
        assert!(q.name().eq_text("www.example.com"));
        assert_eq!((q.qtype(), q.qclass()), (RrType::A, RrClass::IN));
        let mut text = [0u8; 64];
        let want: [(&str, u32, &str); 4] = [
            ("www.example.com.", 300, "www.example.com.edgekey.net."),
            ("www.example.com.edgekey.net.", 300, "e1234.a.akamaiedge.net."),
            ("e1234.a.akamaiedge.net.", 20, "23.45.67.89"),
            ("e1234.a.akamaiedge.net.", 20, "23.45.67.90"),
        ];
        assert_eq!(m.answers().count(), 4);
        for (rr, (owner, ttl, data)) in m.answers().zip(want) {
            let len = rr.name().write_text_bytes(&mut text).unwrap();
            assert_eq!(core::str::from_utf8(&text[..len]).unwrap(), owner);
            assert_eq!(rr.ttl(), ttl);
            match rr.rdata() {
                RData::Cname(c) => {
                    let len = c.write_text_bytes(&mut text).unwrap();
                    assert_eq!(core::str::from_utf8(&text[..len]).unwrap(), data);
                }
                RData::A(a) => assert_eq!(a, data.parse::<Ipv4Addr>().unwrap()),
                other => panic!("unexpected {other:?}"),
            }
        }
        let opt = m.opt().unwrap();
        assert_eq!((opt.udp_payload_size, opt.version, opt.dnssec_ok()), (1232, 0, false));
        assert_eq!(m.additionals().count(), 1);
        assert_eq!(m.parsed_len(), 150);
    }

    #[test]
    fn trusted_rdata_equals_the_full_parse() {
        let mut buf = [0u8; 256];
        let n = hex(include_str!("../../../tests/data/dns/dns_response_150B.hex"), &mut buf);
        let m = DnsMessage::parse(&buf[..n]).unwrap();
        for rr in m.answers().chain(m.additionals()) {
            let full = RData::parse(
                &buf[..n],
                rr.rtype(),
                rr.class().0,
                rr.ttl(),
                rr.rdata_offset(),
                usize::from(rr.rdlength()),
            )
            .unwrap();
            assert_eq!(rr.rdata(), full);
            assert_eq!(rr.try_rdata().unwrap(), full);
        }
    }

    fn msg(body: &[u8], counts: [u16; 4]) -> ([u8; 128], usize) {
        let mut b = [0u8; 128];
        let h = DnsHeader {
            id: 1,
            flags: DnsFlags::QR,
            qdcount: counts[0],
            ancount: counts[1],
            nscount: counts[2],
            arcount: counts[3],
        };
        h.emit(&mut b).unwrap();
        b[12..12 + body.len()].copy_from_slice(body);
        (b, 12 + body.len())
    }

    #[test]
    fn lenient_reports_and_goes_on() {
        // An A record with RDLENGTH 3 then a good A record.
        let body = b"\x00\x00\x01\x00\x01\x00\x00\x00\x00\x00\x03abc\x00\x00\x01\x00\x01\x00\x00\x00\x00\x00\x04abcd";
        let (b, n) = msg(body, [0, 2, 0, 0]);
        assert!(DnsMessage::parse(&b[..n]).is_err());
        let (m, issues) = DnsMessage::parse_lenient(&b[..n]).unwrap();
        assert_eq!(issues.total(), 1);
        assert_eq!(m.count(Section::Answer), 2);
        let kinds: [bool; 2] = [true, false];
        for (rr, unknown) in m.answers().zip(kinds) {
            assert_eq!(matches!(rr.rdata(), RData::Unknown { .. }), unknown);
        }
    }

    #[test]
    fn trailing_bytes_and_two_opts() {
        let (b, n) = msg(b"\x00\x00\x01\x00\x01!", [1, 0, 0, 0]);
        assert_eq!(DnsMessage::parse(&b[..n]).unwrap_err().field, "trailing_data");
        let opt = b"\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00";
        let mut body = [0u8; 22];
        body[..11].copy_from_slice(opt);
        body[11..].copy_from_slice(opt);
        let (b, n) = msg(&body, [0, 0, 0, 2]);
        assert_eq!(DnsMessage::parse(&b[..n]).unwrap_err().field, "opt");
        let (m, issues) = DnsMessage::parse_lenient(&b[..n]).unwrap();
        assert_eq!((issues.total(), m.count(Section::Additional)), (1, 2));
        assert_eq!(m.opt().unwrap().udp_payload_size, 1232);
    }

    #[test]
    fn opt_placement_and_owner() {
        // OPT in the answer section.
        let opt = b"\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00";
        let (b, n) = msg(opt, [0, 1, 0, 0]);
        let e = DnsMessage::parse(&b[..n]).unwrap_err();
        assert_eq!(e.field, "opt");
        let (m, issues) = DnsMessage::parse_lenient(&b[..n]).unwrap();
        assert_eq!((issues.total(), m.count(Section::Answer)), (1, 1));
        assert!(m.opt().is_none());
        // OPT owned by `a.` instead of the root.
        let (b, n) = msg(b"\x01a\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00", [0, 0, 0, 1]);
        assert_eq!(DnsMessage::parse(&b[..n]).unwrap_err().field, "opt_name");
    }

    #[test]
    fn extended_rcode_combines_opt_and_header() {
        // Header RCODE 0x7, OPT extended RCODE 0x01: 12-bit RCODE 0x17 = 23.
        let opt = b"\x00\x00\x29\x04\xd0\x01\x00\x80\x00\x00\x00";
        let (mut b, n) = msg(opt, [0, 0, 0, 1]);
        b[3] = 0x07;
        let m = DnsMessage::parse(&b[..n]).unwrap();
        assert_eq!(m.rcode(), Rcode::BADCOOKIE);
        assert!(m.opt().unwrap().dnssec_ok());
    }

    #[test]
    fn at_most_one_question_in_a_query() {
        let q = b"\x00\x00\x01\x00\x01";
        let mut body = [0u8; 10];
        body[..5].copy_from_slice(q);
        body[5..].copy_from_slice(q);
        let (mut b, n) = msg(&body, [2, 0, 0, 0]);
        b[2] = 0x00; // a QUERY
        assert_eq!(DnsMessage::parse(&b[..n]).unwrap_err().field, "qdcount");
        let (m, issues) = DnsMessage::parse_lenient(&b[..n]).unwrap();
        assert_eq!((issues.total(), m.questions().count()), (1, 2));
        b[2] = 0x20; // a NOTIFY may carry several
        assert_eq!(DnsMessage::parse(&b[..n]).unwrap().questions().count(), 2);
    }

    #[test]
    fn header_alone_and_short_input() {
        let (h, rest) = DnsHeader::parse(b"\x12\x34\x81\x80\x00\x01\x00\x02\x00\x03\x00\x04!").unwrap();
        assert_eq!((h.id, h.qdcount, h.ancount, h.nscount, h.arcount), (0x1234, 1, 2, 3, 4));
        assert_eq!(rest, b"!");
        let mut out = [0u8; 12];
        assert_eq!(h.emit(&mut out).unwrap(), 12);
        assert_eq!(DnsHeader::parse(&out).unwrap().0, h);
        assert!(DnsMessage::parse(&out[..11]).is_err());
        assert!(DnsMessage::parse_lenient(&out[..11]).is_err());
        assert!(h.emit(&mut out[..11]).is_err());
    }

    /// A pointer to a name validated before is not walked again; when the
    /// sum breaks the 255-octet limit the walk goes on in full and reports
    /// the error exactly where the walk without memory does.
    #[test]
    fn pointer_to_a_validated_name_gives_the_full_walk_verdict() {
        extern crate alloc;
        use alloc::vec::Vec;
        // QNAME of exactly 255 octets: three 63-octet labels and one of 61.
        let mut body = Vec::new();
        for len in [63u8, 63, 63, 61] {
            body.push(len);
            body.extend(core::iter::repeat_n(b'x', usize::from(len)));
        }
        body.push(0);
        body.extend_from_slice(b"\x00\x01\x00\x01");
        let owner = HEADER_LEN + body.len();
        // An answer owned by `a.` + that QNAME: 257 octets.
        body.extend_from_slice(b"\x01a\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x00\x00\x04\x01\x02\x03\x04");
        let mut b = [0u8; 512];
        DnsHeader {
            id: 1,
            flags: DnsFlags::QR,
            qdcount: 1,
            ancount: 1,
            ..DnsHeader::default()
        }
        .emit(&mut b)
        .unwrap();
        b[HEADER_LEN..HEADER_LEN + body.len()].copy_from_slice(&body);
        let msg = &b[..HEADER_LEN + body.len()];
        let e = DnsMessage::parse(msg).unwrap_err();
        assert_eq!(e, name::walk(msg, owner, msg.len(), "name").unwrap_err());
        assert_eq!(e, Error::limit_exceeded(Layer::Dns, "name", HEADER_LEN + 192, 255));
        // The same answer owned by a pointer alone is fine (255 octets),
        // and reads back whole.
        let mut b2 = b;
        b2[owner..owner + 2].copy_from_slice(b"\xc0\x0c");
        b2[owner + 2..owner + 2 + 14].copy_from_slice(&body[owner - HEADER_LEN + 4..owner - HEADER_LEN + 18]);
        let msg2 = &b2[..msg.len() - 2];
        let m = DnsMessage::parse(msg2).unwrap();
        let rr = m.answers().next().unwrap();
        assert_eq!(rr.name().wire_len(), 255);
        assert_eq!(rr.rdata(), RData::A(Ipv4Addr::new(1, 2, 3, 4)));
    }

    #[test]
    fn lenient_steps_over_an_entry_with_a_looping_name() {
        // Question 1: a self-pointer (framed by its 2 bytes); question 2:
        // `a.`; then an answer owned by a forward pointer; then a good one.
        let body = b"\xc0\x0c\x00\x01\x00\x01\x01a\x00\x00\x01\x00\x01\
                     \xc0\x30\x00\x01\x00\x01\x00\x00\x00\x00\x00\x04\x01\x02\x03\x04\
                     \xc0\x12\x00\x01\x00\x01\x00\x00\x00\x00\x00\x04\x05\x06\x07\x08";
        let (mut b, n) = msg(body, [2, 2, 0, 0]);
        b[2] = 0xA0; // a NOTIFY response: two questions are allowed
        assert!(DnsMessage::parse(&b[..n]).is_err());
        let (m, issues) = DnsMessage::parse_lenient(&b[..n]).unwrap();
        assert_eq!(issues.total(), 2);
        assert_eq!((m.count(Section::Question), m.count(Section::Answer)), (1, 1));
        assert_eq!(m.parsed_len(), n);
        let q = m.questions().next().unwrap();
        assert!(q.name().eq_text("a"));
        let rr = m.answers().next().unwrap();
        assert!(rr.name().eq_text("a"));
        assert_eq!(rr.rdata(), RData::A(Ipv4Addr::new(5, 6, 7, 8)));
        assert_eq!(m.answers().count(), 1);
    }
}
