//! Writing DNS messages into a caller's buffer, with optional name
//! compression (RFC 1035 §4.1.4).
//!
//! [`MessageBuilder`] writes the header, then questions and records in
//! section order, and patches the four counts in [`MessageBuilder::finish`].
//! It never allocates: everything goes into the `&mut [u8]` it was given,
//! and a record that does not fit is rolled back whole, leaving the message
//! valid.
//!
//! ## Compression
//!
//! With compression on, a name whose suffix was written before is ended by
//! a pointer to it. The cost is bounded: the builder remembers at most
//! [`COMPRESSION_ENTRIES`] suffixes with a hash each, so one name costs at
//! most 127 × [`COMPRESSION_ENTRIES`] hash comparisons and a label compare
//! per hash match, whatever the message size; there is no scan of the
//! message. Suffixes past offset 0x3FFF are never remembered, because a
//! pointer has only 14 bits. Suffixes match octet for octet, case
//! included, so compression never changes a name's case (RFC 4343 §4.1).
//! Names are compressed only where RFC 3597 §4
//! allows: owner and question names, and the names inside NS, CNAME, PTR,
//! MX and SOA RDATA. Names inside other RDATA (SRV, SVCB/HTTPS, unknown
//! types) are written whole and never become pointer targets.

use super::message::{HEADER_LEN, Section};
use super::name::{MAX_NAME_LEN, Name, encode_text, labels_at};
use super::rdata::RData;
use super::types::{DnsFlags, RrClass, RrType};
use crate::error::{Error, Layer, Result};
use crate::parse::{put_u16, put_u32, room};

/// How many name suffixes the compressor remembers.
pub const COMPRESSION_ENTRIES: usize = 64;

/// The largest offset a compression pointer can hold (14 bits).
const MAX_POINTER_TARGET: usize = 0x3FFF;

/// A name to write: a parsed view, an uncompressed wire name or text.
#[derive(Debug, Clone, Copy)]
pub enum NameRef<'n> {
    /// A name from a parsed message (pointers are resolved when copying).
    Name(Name<'n>),
    /// Master-file text (RFC 1035 §5.1), see [`encode_text`].
    Text(&'n str),
}

impl<'n> From<Name<'n>> for NameRef<'n> {
    fn from(n: Name<'n>) -> Self {
        NameRef::Name(n)
    }
}

impl<'n> From<&'n str> for NameRef<'n> {
    fn from(t: &'n str) -> Self {
        NameRef::Text(t)
    }
}

/// Writes one DNS message into a caller's buffer (RFC 1035 §4.1).
///
/// ```
/// use netspec::app::dns::{DnsFlags, DnsMessage, MessageBuilder, RrClass, RrType};
/// let mut buf = [0u8; 512];
/// let mut b = MessageBuilder::new(&mut buf, 0xbeef, DnsFlags::RD).unwrap();
/// b.question("www.example.com", RrType::A, RrClass::IN).unwrap();
/// let n = b.finish();
/// assert_eq!(n, 33);
/// let m = DnsMessage::parse(&buf[..n]).unwrap();
/// assert!(m.questions().next().unwrap().name().eq_text("www.example.com"));
/// ```
pub struct MessageBuilder<'b> {
    buf: &'b mut [u8],
    len: usize,
    counts: [u16; 4],
    section: usize,
    table: Option<&'b mut CompressionTable>,
}

/// The suffixes a compressing [`MessageBuilder`] remembers: a hash and an
/// offset each, at most [`COMPRESSION_ENTRIES`]. The caller owns it (on the
/// stack, or reused across messages), so that a builder without
/// compression carries none of it.
#[derive(Clone, Debug)]
pub struct CompressionTable {
    len: usize,
    entries: [(u32, u16); COMPRESSION_ENTRIES],
}

impl CompressionTable {
    /// An empty table.
    pub const fn new() -> Self {
        CompressionTable {
            len: 0,
            entries: [(0, 0); COMPRESSION_ENTRIES],
        }
    }
}

impl Default for CompressionTable {
    fn default() -> Self {
        Self::new()
    }
}

/// Writes the RDATA of one record, inside [`MessageBuilder::record_with`].
pub struct RdataWriter<'w, 'b> {
    b: &'w mut MessageBuilder<'b>,
}

impl<'b> MessageBuilder<'b> {
    /// Start a message with this ID and flags word (OPCODE and RCODE
    /// included); compression is off.
    pub fn new(buf: &'b mut [u8], id: u16, flags: DnsFlags) -> Result<Self> {
        let Some(head) = buf
            .get_mut(..HEADER_LEN)
            .and_then(|h| <&mut [u8; HEADER_LEN]>::try_from(h).ok())
        else {
            return Err(Error::buffer_too_small(Layer::Dns, HEADER_LEN, buf.len()));
        };
        // The whole header in one store: ID, flags, and zero counts that
        // `finish` fills in.
        let [i0, i1] = id.to_be_bytes();
        let [f0, f1] = flags.bits().to_be_bytes();
        *head = [i0, i1, f0, f1, 0, 0, 0, 0, 0, 0, 0, 0];
        Ok(MessageBuilder {
            buf,
            len: HEADER_LEN,
            counts: [0; 4],
            section: 0,
            table: None,
        })
    }

    /// Compress the names written from now on, remembering suffixes in
    /// `table` (which is cleared first).
    #[must_use]
    pub fn compression(mut self, table: &'b mut CompressionTable) -> Self {
        table.len = 0;
        self.table = Some(table);
        self
    }

    /// Bytes written so far.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// True before anything but the header was written.
    pub const fn is_empty(&self) -> bool {
        self.len == HEADER_LEN
    }

    /// Write the counts and return the message length.
    pub fn finish(self) -> usize {
        let [q0, q1] = self.counts[0].to_be_bytes();
        let [a0, a1] = self.counts[1].to_be_bytes();
        let [n0, n1] = self.counts[2].to_be_bytes();
        let [r0, r1] = self.counts[3].to_be_bytes();
        // `new` checked that the header fits.
        if let Some(c) = self.buf.get_mut(4..HEADER_LEN) {
            c.copy_from_slice(&[q0, q1, a0, a1, n0, n1, r0, r1]);
        }
        self.len
    }

    fn enter(&mut self, section: Section) -> Result<()> {
        let s = section as usize;
        if s < self.section {
            return Err(Error::invalid(
                Layer::Dns,
                "section",
                self.len,
                s as u64,
                "sections written in order: question, answer, authority, additional",
            ));
        }
        if self.counts[s] == u16::MAX {
            return Err(Error::limit_exceeded(
                Layer::Dns,
                "count",
                4 + 2 * s,
                usize::from(u16::MAX),
            ));
        }
        self.section = s;
        Ok(())
    }

    /// Run `f`, rolling the message back to where it was if `f` fails.
    fn atomic(&mut self, f: impl FnOnce(&mut Self) -> Result<()>) -> Result<()> {
        let (len, table_len) = (self.len, self.table.as_ref().map(|t| t.len));
        let r = f(self);
        if r.is_err() {
            self.len = len;
            if let (Some(t), Some(n)) = (self.table.as_deref_mut(), table_len) {
                t.len = n;
            }
        }
        r
    }

    /// Add a question (RFC 1035 §4.1.2).
    pub fn question<'n>(&mut self, name: impl Into<NameRef<'n>>, qtype: RrType, qclass: RrClass) -> Result<()> {
        let name = name.into();
        self.enter(Section::Question)?;
        if let (NameRef::Text(text), None) = (name, &self.table) {
            // The usual query: a text name, no compression. Encode it in
            // place and add the fixed fields after one length check; on
            // error the length is unchanged, as `atomic` would leave it.
            let out = self.buf.get_mut(self.len..).unwrap_or(&mut []);
            let n = encode_text(text, out)?;
            let Some(dst) = out.get_mut(n..).and_then(<[u8]>::first_chunk_mut::<4>) else {
                return Err(Error::buffer_too_small(Layer::Dns, self.len + n + 4, self.buf.len()));
            };
            let [t0, t1] = qtype.0.to_be_bytes();
            let [c0, c1] = qclass.0.to_be_bytes();
            *dst = [t0, t1, c0, c1];
            self.len += n + 4;
            self.counts[0] += 1;
            return Ok(());
        }
        self.atomic(|b| {
            b.write_name(name, true)?;
            let [t0, t1] = qtype.0.to_be_bytes();
            let [c0, c1] = qclass.0.to_be_bytes();
            let Some(dst) = b.buf.get_mut(b.len..b.len + 4) else {
                return Err(Error::buffer_too_small(Layer::Dns, b.len + 4, b.buf.len()));
            };
            dst.copy_from_slice(&[t0, t1, c0, c1]);
            b.len += 4;
            Ok(())
        })?;
        self.counts[0] += 1;
        Ok(())
    }

    /// Add a record whose RDATA `f` writes with the [`RdataWriter`]; RDLENGTH
    /// is filled in afterwards (RFC 1035 §4.1.3). On error nothing is added.
    pub fn record_with<'n>(
        &mut self,
        section: Section,
        owner: impl Into<NameRef<'n>>,
        rtype: RrType,
        class: RrClass,
        ttl: u32,
        f: impl FnOnce(&mut RdataWriter<'_, 'b>) -> Result<()>,
    ) -> Result<()> {
        let owner = owner.into();
        if section == Section::Question {
            return Err(Error::invalid(
                Layer::Dns,
                "section",
                self.len,
                0,
                "a record section (answer, authority, additional)",
            ));
        }
        self.enter(section)?;
        self.atomic(|b| {
            b.write_name(owner, true)?;
            room(b.buf, b.len + 10, Layer::Dns)?;
            put_u16(b.buf, b.len, rtype.0);
            put_u16(b.buf, b.len + 2, class.0);
            put_u32(b.buf, b.len + 4, ttl);
            let rdlen_at = b.len + 8;
            b.len += 10;
            let start = b.len;
            f(&mut RdataWriter { b })?;
            let rdlen = b.len - start;
            put_u16(b.buf, rdlen_at, rdlen as u16);
            Ok(())
        })?;
        self.counts[section as usize] += 1;
        Ok(())
    }

    /// Add a record with typed RDATA. For [`RData::Opt`] the CLASS and TTL
    /// come from the OPT fields (RFC 6891 §6.1.2) and `class`/`ttl` are
    /// ignored; for [`RData::Unknown`] the TYPE is its `rtype`.
    pub fn record<'n>(
        &mut self,
        section: Section,
        owner: impl Into<NameRef<'n>>,
        class: RrClass,
        ttl: u32,
        data: &RData<'_>,
    ) -> Result<()> {
        let (rtype, class, ttl) = match data {
            RData::Opt(o) => (
                RrType::OPT,
                RrClass(o.udp_payload_size),
                (u32::from(o.ext_rcode) << 24) | (u32::from(o.version) << 16) | u32::from(o.flags),
            ),
            _ => (rdata_type(data), class, ttl),
        };
        self.record_with(section, owner, rtype, class, ttl, |w| w.rdata(data))
    }

    /// Write a name at the end of the message; `compressible` says whether
    /// RFC 3597 §4 allows a pointer in this position.
    fn write_name(&mut self, name: NameRef<'_>, compressible: bool) -> Result<()> {
        let start = self.len;
        let out = self.buf.get_mut(start..).unwrap_or(&mut []);
        let wire_len = match name {
            NameRef::Text(t) => encode_text(t, out)?,
            NameRef::Name(n) => n
                .write_wire(out)
                .map_err(|_| Error::buffer_too_small(Layer::Dns, start + n.wire_len(), self.buf.len()))?,
        };
        let buf = &mut *self.buf;
        let Some(table) = self.table.as_deref_mut().filter(|_| compressible) else {
            self.len = start + wire_len;
            return Ok(());
        };
        // Label offsets within the name just written, and the hash of the
        // suffix starting at each, computed right to left.
        let mut offs = [0u8; MAX_NAME_LEN / 2 + 1];
        let mut hashes = [0u32; MAX_NAME_LEN / 2 + 1];
        let mut n = 0usize;
        let mut p = 0usize;
        while buf[start + p] != 0 {
            offs[n] = p as u8;
            n += 1;
            p += 1 + usize::from(buf[start + p]);
        }
        let mut h: u32 = 0x811c_9dc5;
        for i in (0..n).rev() {
            let at = start + usize::from(offs[i]);
            let len = usize::from(buf[at]);
            h = fnv(h, len as u8);
            for &c in &buf[at + 1..at + 1 + len] {
                h = fnv(h, c);
            }
            hashes[i] = h;
        }
        // Longest known suffix first.
        let mut end = start + wire_len;
        let mut registered = n;
        'outer: for i in 0..n {
            let at = start + usize::from(offs[i]);
            for k in 0..table.len {
                let (eh, target) = table.entries[k];
                if eh == hashes[i] && same_suffix(&buf[..start], usize::from(target), &buf[at..end]) {
                    put_u16(buf, at, 0xC000 | target);
                    end = at + 2;
                    registered = i;
                    break 'outer;
                }
            }
        }
        for i in 0..registered {
            let at = start + usize::from(offs[i]);
            if at <= MAX_POINTER_TARGET && table.len < COMPRESSION_ENTRIES {
                table.entries[table.len] = (hashes[i], at as u16);
                table.len += 1;
            }
        }
        self.len = end;
        Ok(())
    }
}

/// FNV-1a step.
#[inline(always)]
fn fnv(h: u32, c: u8) -> u32 {
    (h ^ u32::from(c)).wrapping_mul(0x0100_0193)
}

/// Does the name at `target` in `msg` (pointers followed) equal the
/// uncompressed `suffix` octet for octet? Case is compared too, so that
/// compression preserves the case of every name (RFC 4343 §4.1).
fn same_suffix(msg: &[u8], target: usize, suffix: &[u8]) -> bool {
    let mut theirs = labels_at(msg, target);
    let mut p = 0;
    loop {
        let len = usize::from(suffix[p]);
        let t = theirs.next();
        if len == 0 {
            return t.is_none();
        }
        match t {
            Some(l) if l == &suffix[p + 1..p + 1 + len] => p += 1 + len,
            _ => return false,
        }
    }
}

/// The TYPE a typed RDATA belongs to.
pub fn rdata_type(data: &RData<'_>) -> RrType {
    match data {
        RData::A(_) => RrType::A,
        RData::Aaaa(_) => RrType::AAAA,
        RData::Ns(_) => RrType::NS,
        RData::Cname(_) => RrType::CNAME,
        RData::Ptr(_) => RrType::PTR,
        RData::Mx { .. } => RrType::MX,
        RData::Txt(_) => RrType::TXT,
        RData::Soa(_) => RrType::SOA,
        RData::Srv(_) => RrType::SRV,
        RData::Caa(_) => RrType::CAA,
        RData::Opt(_) => RrType::OPT,
        RData::Svcb(_) => RrType::SVCB,
        RData::Https(_) => RrType::HTTPS,
        RData::Unknown { rtype, .. } => *rtype,
    }
}

impl RdataWriter<'_, '_> {
    /// Append raw bytes.
    pub fn bytes(&mut self, data: &[u8]) -> Result<()> {
        let b = &mut *self.b;
        let end = b.len + data.len();
        if end - b.len > usize::from(u16::MAX) || end > super::message::MAX_MESSAGE_LEN {
            return Err(Error::limit_exceeded(
                Layer::Dns,
                "rdlength",
                b.len,
                usize::from(u16::MAX),
            ));
        }
        room(b.buf, end, Layer::Dns)?;
        b.buf[b.len..end].copy_from_slice(data);
        b.len = end;
        Ok(())
    }

    /// Append a big-endian `u16`.
    pub fn u16(&mut self, v: u16) -> Result<()> {
        self.bytes(&v.to_be_bytes())
    }

    /// Append a big-endian `u32`.
    pub fn u32(&mut self, v: u32) -> Result<()> {
        self.bytes(&v.to_be_bytes())
    }

    /// Append a `<character-string>`: a length octet and at most 255 bytes
    /// (RFC 1035 §3.3).
    pub fn character_string(&mut self, s: &[u8]) -> Result<()> {
        if s.len() > 255 {
            return Err(Error::limit_exceeded(Layer::Dns, "character_string", self.b.len, 255));
        }
        self.bytes(&[s.len() as u8])?;
        self.bytes(s)
    }

    /// Append a name. `compressible` must be true only for the RFC 1035
    /// types whose RDATA names RFC 3597 §4 lets a sender compress (NS,
    /// CNAME, PTR, MX, SOA and the other RFC 1035 types); compression
    /// happens only if the builder has it on.
    pub fn name<'n>(&mut self, name: impl Into<NameRef<'n>>, compressible: bool) -> Result<()> {
        self.b.write_name(name.into(), compressible)
    }

    /// Append a typed RDATA in its wire form (the TYPE is the caller's).
    pub fn rdata(&mut self, data: &RData<'_>) -> Result<()> {
        match *data {
            RData::A(a) => self.bytes(&a.octets()),
            RData::Aaaa(a) => self.bytes(&a.octets()),
            RData::Ns(n) | RData::Cname(n) | RData::Ptr(n) => self.name(n, true),
            RData::Mx { preference, exchange } => {
                self.u16(preference)?;
                self.name(exchange, true)
            }
            RData::Txt(t) => self.bytes(t.as_bytes()),
            RData::Soa(s) => {
                self.name(s.mname, true)?;
                self.name(s.rname, true)?;
                for v in [s.serial, s.refresh, s.retry, s.expire, s.minimum] {
                    self.u32(v)?;
                }
                Ok(())
            }
            RData::Srv(s) => {
                self.u16(s.priority)?;
                self.u16(s.weight)?;
                self.u16(s.port)?;
                // RFC 2782: the target is never compressed.
                self.name(s.target, false)
            }
            RData::Caa(c) => {
                if c.tag.is_empty() || c.tag.len() > 15 {
                    return Err(Error::invalid(
                        Layer::Dns,
                        "caa_tag_length",
                        self.b.len,
                        c.tag.len() as u64,
                        "a tag of 1 to 15 octets",
                    ));
                }
                self.bytes(&[c.flags, c.tag.len() as u8])?;
                self.bytes(c.tag)?;
                self.bytes(c.value)
            }
            RData::Opt(o) => self.bytes(o.options_bytes()),
            RData::Svcb(s) | RData::Https(s) => {
                self.u16(s.priority)?;
                // RFC 9460 §2.2: the target name is not compressed.
                self.name(s.target, false)?;
                self.bytes(s.params_bytes())
            }
            RData::Unknown { data, .. } => self.bytes(data),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::dns::DnsMessage;

    #[test]
    fn builds_the_33_byte_benchmark_query_exactly() {
        let mut want = [0u8; 64];
        let n =
            crate::app::dns::message::tests::hex(include_str!("../../../tests/data/dns/dns_query_33B.hex"), &mut want);
        let mut buf = [0u8; 64];
        let mut b = MessageBuilder::new(&mut buf, 0xbeef, DnsFlags::RD).unwrap();
        b.question("www.example.com", RrType::A, RrClass::IN).unwrap();
        let len = b.finish();
        assert_eq!(&buf[..len], &want[..n]);
    }

    #[test]
    fn compression_points_back_and_never_inside_srv() {
        let mut buf = [0u8; 512];
        let mut table = CompressionTable::new();
        let mut b = MessageBuilder::new(&mut buf, 1, DnsFlags::QR)
            .unwrap()
            .compression(&mut table);
        b.question("www.example.com", RrType::A, RrClass::IN).unwrap();
        let mut wire = [0u8; 64];
        let k = encode_text("mail.example.com", &mut wire).unwrap();
        let (target, _) = Name::from_wire(&wire[..k]).unwrap();
        b.record(
            Section::Answer,
            "www.example.com",
            RrClass::IN,
            60,
            &RData::Cname(target),
        )
        .unwrap();
        b.record_with(
            Section::Answer,
            "_x._tcp.example.com",
            RrType::SRV,
            RrClass::IN,
            60,
            |w| {
                w.u16(1)?;
                w.u16(2)?;
                w.u16(3)?;
                w.name("example.com", false)
            },
        )
        .unwrap();
        let n = b.finish();
        // Owner of the CNAME: a bare pointer to offset 12.
        assert_eq!(&buf[33..35], &[0xC0, 12]);
        let m = DnsMessage::parse(&buf[..n]).unwrap();
        let srv = m.answers().nth(1).unwrap();
        // The SRV target is the 13 uncompressed octets of example.com.
        assert_eq!(srv.rdlength(), 6 + 13);
        assert!(srv.rdata_bytes().ends_with(b"\x07example\x03com\x00"));
    }

    #[test]
    fn a_record_that_does_not_fit_is_rolled_back() {
        let mut buf = [0u8; 40];
        let mut b = MessageBuilder::new(&mut buf, 1, DnsFlags::QR).unwrap();
        b.question("a.example", RrType::A, RrClass::IN).unwrap();
        let before = b.len();
        let e = b.record(
            Section::Answer,
            "a.example",
            RrClass::IN,
            5,
            &RData::A(core::net::Ipv4Addr::LOCALHOST),
        );
        assert!(e.is_err());
        assert_eq!(b.len(), before);
        let n = b.finish();
        assert!(DnsMessage::parse(&buf[..n]).is_ok());
    }

    /// The in-place path of `question` (text name, no compression) leaves
    /// the message as it was when the name or the fixed fields do not fit,
    /// and gives the text errors of `encode_text`; with compression the
    /// same question goes through `write_name` and builds the same bytes.
    #[test]
    fn a_question_that_does_not_fit_is_rolled_back() {
        let mut want = [0u8; 64];
        let mut b = MessageBuilder::new(&mut want, 7, DnsFlags::RD).unwrap();
        b.question("www.example.com.", RrType::A, RrClass::IN).unwrap();
        assert_eq!(b.finish(), 33);
        for size in HEADER_LEN..33 {
            let mut buf = [0u8; 64];
            let mut b = MessageBuilder::new(&mut buf[..size], 7, DnsFlags::RD).unwrap();
            let e = b.question("www.example.com", RrType::A, RrClass::IN).unwrap_err();
            assert!(
                matches!(e.kind, crate::error::ErrorKind::BufferTooSmall { .. }),
                "{size}: {e:?}"
            );
            assert_eq!(b.len(), HEADER_LEN, "{size}");
            let n = b.finish();
            assert_eq!(DnsMessage::parse(&buf[..n]).unwrap().questions().count(), 0);
        }
        let mut buf = [0u8; 64];
        let mut table = CompressionTable::new();
        let mut b = MessageBuilder::new(&mut buf, 7, DnsFlags::RD)
            .unwrap()
            .compression(&mut table);
        b.question("www.example.com", RrType::A, RrClass::IN).unwrap();
        assert_eq!(b.finish(), 33);
        assert_eq!(buf[..33], want[..33]);
        let mut scratch = [0u8; 300];
        for bad in ["a..b", ".a", "a\\256", "a\\", &"x".repeat(64)] {
            let mut buf = [0u8; HEADER_LEN + 300];
            let mut b = MessageBuilder::new(&mut buf, 7, DnsFlags::RD).unwrap();
            let e = b.question(bad, RrType::A, RrClass::IN).unwrap_err();
            assert_eq!(Err(e), encode_text(bad, &mut scratch), "{bad}");
            assert_eq!(b.len(), HEADER_LEN);
        }
    }

    #[test]
    fn sections_go_in_order() {
        let mut buf = [0u8; 128];
        let mut b = MessageBuilder::new(&mut buf, 1, DnsFlags::QR).unwrap();
        let a = RData::A(core::net::Ipv4Addr::LOCALHOST);
        b.record(Section::Additional, ".", RrClass::IN, 0, &a).unwrap();
        assert!(b.record(Section::Answer, ".", RrClass::IN, 0, &a).is_err());
        assert!(b.question("a", RrType::A, RrClass::IN).is_err());
        assert!(b.record(Section::Question, ".", RrClass::IN, 0, &a).is_err());
        let n = b.finish();
        let m = DnsMessage::parse(&buf[..n]).unwrap();
        assert_eq!(m.additionals().count(), 1);
    }
}
