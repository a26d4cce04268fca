//! IPv4 options (RFC 791 §3.1 "Options"; RFC 2113 Router Alert).
//!
//! Between the 20 fixed bytes of an IPv4 header and its payload sit up to 40
//! bytes of options (the 4-bit IHL counts 32-bit words, so at most 60 header
//! bytes). Each option is either a single kind byte (End of Option List,
//! No Operation) or a kind, a length covering kind and length, and data:
//!
//! ```text
//!   single byte:     +--------+
//!                    |  kind  |
//!                    +--------+
//!   kind/length:     +--------+--------+--------- - - - ---------+
//!                    |  kind  | length |  length - 2 data bytes   |
//!                    +--------+--------+--------- - - - ---------+
//!
//!   kind bits:       +-+-+-+-+-+-+-+-+
//!                    |C| cls |  num  |   C = copied into fragments
//!                    +-+-+-+-+-+-+-+-+   cls 0 control, 2 debugging
//! ```
//!
//! The options netspec knows:
//!
//! | kind | option | RFC |
//! |---|---|---|
//! | 0 | End of Option List: the rest is padding | RFC 791 |
//! | 1 | No Operation, aligns the next option | RFC 791 |
//! | 7 | Record Route: pointer and route data | RFC 791 |
//! | 68 | Internet Timestamp: pointer, overflow, flags, entries | RFC 791 |
//! | 131 / 137 | Loose / Strict Source and Record Route | RFC 791 |
//! | 148 | Router Alert, a 16-bit value | RFC 2113 |
//!
//! Every other kind is kept raw as [`Ipv4Option::Unknown`].
//!
//! [`Ipv4OptionIter`] walks option bytes. It never loops (every step
//! consumes at least one byte), never reads past the bytes it was given, and
//! reports a bad length as an error naming the option (`timestamp_length`,
//! ...) and the offset of its length byte, counted from the start of the
//! IPv4 header.
//!
//! ```
//! use netspec::net::ipv4_option::{Ipv4Option, Ipv4OptionIter, Ipv4Options};
//! use netspec::{Error, Layer};
//! let mut o = Ipv4Options::new();
//! o.push_router_alert(0)?;
//! o.push_record_route(2)?; // 3 + 8 bytes
//! assert_eq!((o.len(), o.padded_len()), (15, 16));
//! let mut it = o.iter();
//! assert_eq!(it.next(), Some(Ok(Ipv4Option::RouterAlert(0))));
//! let Some(Ok(Ipv4Option::RecordRoute(rr))) = it.next() else { unreachable!() };
//! assert_eq!((rr.pointer, rr.addresses().count(), rr.used()), (4, 2, 0));
//! assert_eq!(it.next(), Some(Ok(Ipv4Option::Eol))); // the padding byte
//! // A timestamp option claiming 3 bytes, at header offset 20:
//! let bad = [68, 3, 5, 0];
//! let e = Ipv4OptionIter::new(&bad).next().unwrap().unwrap_err();
//! assert_eq!(e, Error::length_too_small(Layer::Ipv4, "timestamp_length", 21, 3, 4));
//! # Ok::<(), netspec::Error>(())
//! ```

use crate::error::{Error, Layer, Result};
use core::fmt;
use core::net::Ipv4Addr;

/// The most option bytes an IPv4 header holds: IHL 15 words minus the 20
/// fixed bytes (RFC 791 §3.1).
pub const MAX_OPTIONS_LEN: usize = 40;

/// Offset of the first option byte from the start of the IPv4 header.
const BASE: usize = 20;

/// An IPv4 option kind (RFC 791 §3.1; IANA "IP Option Numbers"). Open.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Ipv4OptionKind(pub u8);

impl Ipv4OptionKind {
    /// End of Option List (RFC 791).
    pub const EOL: Ipv4OptionKind = Ipv4OptionKind(0);
    /// No Operation (RFC 791).
    pub const NOP: Ipv4OptionKind = Ipv4OptionKind(1);
    /// Record Route (RFC 791).
    pub const RECORD_ROUTE: Ipv4OptionKind = Ipv4OptionKind(7);
    /// Internet Timestamp (RFC 791).
    pub const TIMESTAMP: Ipv4OptionKind = Ipv4OptionKind(68);
    /// Security, obsolete form (RFC 791, RFC 1108).
    pub const SECURITY: Ipv4OptionKind = Ipv4OptionKind(130);
    /// Loose Source and Record Route (RFC 791).
    pub const LSRR: Ipv4OptionKind = Ipv4OptionKind(131);
    /// Stream Identifier, obsolete (RFC 791).
    pub const STREAM_ID: Ipv4OptionKind = Ipv4OptionKind(136);
    /// Strict Source and Record Route (RFC 791).
    pub const SSRR: Ipv4OptionKind = Ipv4OptionKind(137);
    /// Router Alert (RFC 2113).
    pub const ROUTER_ALERT: Ipv4OptionKind = Ipv4OptionKind(148);

    /// The name of a known kind (IANA IP Option Numbers).
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "EOL",
            1 => "NOP",
            7 => "RR",
            68 => "TS",
            130 => "SEC",
            131 => "LSRR",
            136 => "SID",
            137 => "SSRR",
            148 => "RTRALT",
            _ => return None,
        })
    }

    /// The copied flag: fragments carry this option too (RFC 791 §3.1).
    pub const fn is_copied(self) -> bool {
        self.0 & 0x80 != 0
    }

    /// The option class, 0..=3 (RFC 791 §3.1).
    pub const fn class(self) -> u8 {
        (self.0 >> 5) & 0x3
    }

    /// The option number, 0..=31 (RFC 791 §3.1).
    pub const fn number(self) -> u8 {
        self.0 & 0x1f
    }

    /// The field name used in errors about this option's length.
    const fn length_field(self) -> &'static str {
        match self.0 {
            7 => "record_route_length",
            68 => "timestamp_length",
            131 => "lsrr_length",
            137 => "ssrr_length",
            148 => "router_alert_length",
            _ => "option_length",
        }
    }

    /// The least valid length byte of this option.
    const fn min_len(self) -> usize {
        match self.0 {
            7 | 131 | 137 => 3,
            68 | 148 => 4,
            _ => 2,
        }
    }
}

crate::macros::named_number_fmt!(Ipv4OptionKind, "{}");

/// The body of Record Route, LSRR and SSRR (RFC 791 §3.1): a pointer (1-based
/// offset within the option of the next address slot, at least 4) and the
/// route data, a list of addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteOption<'a> {
    /// The pointer byte, as on the wire (not validated: malformed pointers
    /// are exposed, not rejected) (RFC 791 §3.1).
    pub pointer: u8,
    /// The route data after the pointer (RFC 791 §3.1).
    pub data: &'a [u8],
}

impl<'a> RouteOption<'a> {
    /// The addresses in the route data (whole 4-byte slots; a ragged tail is
    /// ignored) (RFC 791 §3.1).
    pub fn addresses(&self) -> impl Iterator<Item = Ipv4Addr> + 'a {
        self.data.chunks_exact(4).map(|c| Ipv4Addr::new(c[0], c[1], c[2], c[3]))
    }

    /// How many addresses lie before the pointer: recorded hops for Record
    /// Route, visited hops for source routes (RFC 791: the pointer starts at
    /// 4 and grows by 4).
    pub fn used(&self) -> usize {
        (self.pointer.saturating_sub(4) as usize / 4).min(self.data.len() / 4)
    }
}

/// The Internet Timestamp flag (RFC 791 §3.1, low 4 bits of the fourth
/// byte). Open.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct TimestampFlag(pub u8);

impl TimestampFlag {
    /// Timestamps only, 4 bytes each (RFC 791 §3.1).
    pub const TIMESTAMPS_ONLY: TimestampFlag = TimestampFlag(0);
    /// Each entry is an address then a timestamp (RFC 791 §3.1).
    pub const WITH_ADDRESSES: TimestampFlag = TimestampFlag(1);
    /// Addresses are prespecified; hops fill in their timestamp (RFC 791 §3.1).
    pub const PRESPECIFIED: TimestampFlag = TimestampFlag(3);

    /// True when entries are address/timestamp pairs (flags 1 and 3; RFC 791 §3.1).
    pub const fn has_addresses(self) -> bool {
        matches!(self.0, 1 | 3)
    }
}

/// The Internet Timestamp option body (RFC 791 §3.1):
///
/// ```text
/// +--------+--------+--------+--------+
/// |01000100| length | pointer|oflw|flg|
/// +--------+--------+--------+--------+
/// |         internet address          |
/// +--------+--------+--------+--------+
/// |             timestamp             |
/// +--------+--------+--------+--------+
/// |                 .                 |
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimestampOption<'a> {
    /// The pointer byte (1-based, at least 5; RFC 791 §3.1).
    pub pointer: u8,
    /// Overflow count: hops that could not record a timestamp (4 bits; RFC 791 §3.1).
    pub overflow: u8,
    /// The flag (4 bits; RFC 791 §3.1).
    pub flags: TimestampFlag,
    /// The entry bytes after the pointer/overflow/flag bytes (RFC 791 §3.1).
    pub data: &'a [u8],
}

/// One Internet Timestamp entry (RFC 791 §3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimestampEntry {
    /// The address, for flags 1 and 3 (RFC 791 §3.1).
    pub addr: Option<Ipv4Addr>,
    /// Milliseconds since midnight UT, or any value with the high bit set (RFC 791 §3.1).
    pub timestamp: u32,
}

impl<'a> TimestampOption<'a> {
    /// The entries (whole slots only; a ragged tail is ignored; RFC 791 §3.1).
    pub fn entries(&self) -> impl Iterator<Item = TimestampEntry> + 'a {
        let with_addr = self.flags.has_addresses();
        let size = if with_addr { 8 } else { 4 };
        self.data.chunks_exact(size).map(move |c| {
            if with_addr {
                TimestampEntry {
                    addr: Some(Ipv4Addr::new(c[0], c[1], c[2], c[3])),
                    timestamp: u32::from_be_bytes([c[4], c[5], c[6], c[7]]),
                }
            } else {
                TimestampEntry {
                    addr: None,
                    timestamp: u32::from_be_bytes([c[0], c[1], c[2], c[3]]),
                }
            }
        })
    }
}

/// One IPv4 option (RFC 791 §3.1, RFC 2113).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ipv4Option<'a> {
    /// End of Option List (kind 0). The iterator stops after it; any bytes
    /// that follow are padding (RFC 791 §3.1).
    Eol,
    /// No Operation (kind 1; RFC 791 §3.1).
    Nop,
    /// Record Route (kind 7; RFC 791 §3.1).
    RecordRoute(RouteOption<'a>),
    /// Loose Source and Record Route (kind 131; RFC 791 §3.1).
    Lsrr(RouteOption<'a>),
    /// Strict Source and Record Route (kind 137; RFC 791 §3.1).
    Ssrr(RouteOption<'a>),
    /// Internet Timestamp (kind 68; RFC 791 §3.1).
    Timestamp(TimestampOption<'a>),
    /// Router Alert (kind 148, RFC 2113 §2.1): 0 = "router shall examine
    /// packet".
    RouterAlert(u16),
    /// Any other kind, with its data (the bytes after kind and length; RFC 791 §3.1).
    Unknown {
        /// The option kind.
        kind: Ipv4OptionKind,
        /// The data after the length byte.
        data: &'a [u8],
    },
}

impl<'a> Ipv4Option<'a> {
    /// The option's kind byte (RFC 791 §3.1).
    pub fn kind(&self) -> Ipv4OptionKind {
        Ipv4OptionKind(match self {
            Ipv4Option::Eol => 0,
            Ipv4Option::Nop => 1,
            Ipv4Option::RecordRoute(_) => 7,
            Ipv4Option::Lsrr(_) => 131,
            Ipv4Option::Ssrr(_) => 137,
            Ipv4Option::Timestamp(_) => 68,
            Ipv4Option::RouterAlert(_) => 148,
            Ipv4Option::Unknown { kind, .. } => kind.0,
        })
    }

    /// Bytes on the wire, kind and length included (RFC 791 §3.1).
    pub fn wire_len(&self) -> usize {
        match self {
            Ipv4Option::Eol | Ipv4Option::Nop => 1,
            Ipv4Option::RecordRoute(r) | Ipv4Option::Lsrr(r) | Ipv4Option::Ssrr(r) => 3 + r.data.len(),
            Ipv4Option::Timestamp(t) => 4 + t.data.len(),
            Ipv4Option::RouterAlert(_) => 4,
            Ipv4Option::Unknown { data, .. } => 2 + data.len(),
        }
    }

    /// Write the option (RFC 791 §3.1). An option longer than 255 bytes, an
    /// Unknown option whose kind is 0 or 1, or a timestamp overflow or flag
    /// above 15 is [`crate::ErrorKind::Invalid`].
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let n = self.wire_len();
        if n > 255 {
            return Err(Error::invalid(
                Layer::Ipv4,
                self.kind().length_field(),
                1,
                n as u64,
                "at most 255",
            ));
        }
        match self {
            Ipv4Option::Timestamp(t) if t.overflow > 15 || t.flags.0 > 15 => {
                return Err(Error::invalid(
                    Layer::Ipv4,
                    "timestamp_flags",
                    3,
                    t.overflow.max(t.flags.0) as u64,
                    "overflow and flag of at most 15",
                ));
            }
            Ipv4Option::Unknown { kind, .. } if kind.0 <= 1 => {
                return Err(Error::invalid(
                    Layer::Ipv4,
                    "option_kind",
                    0,
                    kind.0 as u64,
                    "a kind above 1",
                ));
            }
            _ => {}
        }
        crate::parse::room(buf, n, Layer::Ipv4)?;
        buf[0] = self.kind().0;
        if n > 1 {
            buf[1] = n as u8;
        }
        match self {
            Ipv4Option::Eol | Ipv4Option::Nop => {}
            Ipv4Option::RecordRoute(r) | Ipv4Option::Lsrr(r) | Ipv4Option::Ssrr(r) => {
                buf[2] = r.pointer;
                buf[3..n].copy_from_slice(r.data);
            }
            Ipv4Option::Timestamp(t) => {
                buf[2] = t.pointer;
                buf[3] = (t.overflow << 4) | t.flags.0;
                buf[4..n].copy_from_slice(t.data);
            }
            Ipv4Option::RouterAlert(v) => crate::parse::put_u16(buf, 2, *v),
            Ipv4Option::Unknown { data, .. } => {
                buf[2..n].copy_from_slice(data);
            }
        }
        Ok(n)
    }
}

/// Iterator over IPv4 option bytes (RFC 791 §3.1). Yields each option, or
/// one error and then nothing. Offsets in errors count from the start of the
/// IPv4 header (the options start at byte 20).
#[derive(Clone, Debug)]
pub struct Ipv4OptionIter<'a> {
    data: &'a [u8],
    pos: usize,
    done: bool,
}

impl<'a> Ipv4OptionIter<'a> {
    /// Walk `options`, the bytes after the 20-byte fixed header (RFC 791 §3.1).
    pub fn new(options: &'a [u8]) -> Self {
        Ipv4OptionIter {
            data: options,
            pos: 0,
            done: false,
        }
    }

    /// Check every option (the walk [`Ipv4Packet::parse`](super::Ipv4Packet::parse) does; RFC 791 §3.1).
    pub fn validate(options: &'a [u8]) -> Result<()> {
        for o in Ipv4OptionIter::new(options) {
            o?;
        }
        Ok(())
    }

    fn step(&mut self) -> Result<Option<Ipv4Option<'a>>> {
        let rest = &self.data[self.pos..];
        let Some(&k) = rest.first() else {
            return Ok(None);
        };
        let kind = Ipv4OptionKind(k);
        let at = BASE + self.pos;
        match k {
            0 => {
                // Everything after EOL is padding.
                self.pos = self.data.len();
                return Ok(Some(Ipv4Option::Eol));
            }
            1 => {
                self.pos += 1;
                return Ok(Some(Ipv4Option::Nop));
            }
            _ => {}
        }
        let field = kind.length_field();
        let Some(&len) = rest.get(1) else {
            return Err(Error::truncated(Layer::Ipv4, field, at + 1, 1, 0));
        };
        let len = len as usize;
        if len < kind.min_len() {
            return Err(Error::length_too_small(Layer::Ipv4, field, at + 1, len, kind.min_len()));
        }
        if len > rest.len() {
            return Err(Error::length_exceeds(Layer::Ipv4, field, at + 1, len, rest.len()));
        }
        let body = &rest[2..len];
        let opt = match k {
            7 | 131 | 137 => {
                let r = RouteOption {
                    pointer: body[0],
                    data: &body[1..],
                };
                match k {
                    7 => Ipv4Option::RecordRoute(r),
                    131 => Ipv4Option::Lsrr(r),
                    _ => Ipv4Option::Ssrr(r),
                }
            }
            68 => Ipv4Option::Timestamp(TimestampOption {
                pointer: body[0],
                overflow: body[1] >> 4,
                flags: TimestampFlag(body[1] & 0x0f),
                data: &body[2..],
            }),
            148 => {
                if len != 4 {
                    return Err(Error::invalid(Layer::Ipv4, field, at + 1, len as u64, "4 (RFC 2113)"));
                }
                Ipv4Option::RouterAlert(u16::from_be_bytes([body[0], body[1]]))
            }
            _ => Ipv4Option::Unknown { kind, data: body },
        };
        // len >= 2 here, so the walk always advances.
        self.pos += len;
        Ok(Some(opt))
    }
}

impl<'a> Iterator for Ipv4OptionIter<'a> {
    type Item = Result<Ipv4Option<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let step = self.step();
        crate::parse::fuse_step(&mut self.done, step)
    }
}

/// Owned IPv4 option bytes: up to 40 raw wire bytes stored inline, so
/// `parse(emit(h)) == h` is exact and nothing allocates. Build with the
/// typed `push_*` methods or [`from_bytes`](Self::from_bytes).
///
/// The header length is a whole number of words, so [`padded_len`](Self::padded_len)
/// rounds up and the emitter pads with zero (End of Option List) bytes.
/// Equality compares the padded wire form: `[NOP]` equals `[NOP, EOL, EOL,
/// EOL]`, because both emit the same header (RFC 791 §3.1).
#[derive(Clone, Copy)]
pub struct Ipv4Options {
    /// Bytes past `len` are always zero, which makes padding implicit.
    bytes: [u8; MAX_OPTIONS_LEN],
    len: u8,
}

impl Ipv4Options {
    /// No options (RFC 791 §3.1).
    pub const fn new() -> Self {
        Ipv4Options {
            bytes: [0; MAX_OPTIONS_LEN],
            len: 0,
        }
    }

    /// Raw option bytes (not validated: any bytes are kept, so malformed
    /// options can be built on purpose). More than 40 bytes is
    /// [`crate::ErrorKind::LimitExceeded`] (RFC 791 §3.1).
    pub fn from_bytes(b: &[u8]) -> Result<Self> {
        let mut o = Ipv4Options::new();
        o.push_raw(b)?;
        Ok(o)
    }

    /// The bytes pushed so far (without padding; RFC 791 §3.1).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }

    /// The bytes as emitted: padded with zeros to a multiple of 4 (RFC 791 §3.1).
    pub fn padded(&self) -> &[u8] {
        &self.bytes[..self.padded_len()]
    }

    /// Bytes pushed so far (RFC 791 §3.1).
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    /// True with no options (RFC 791 §3.1).
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Length rounded up to whole 32-bit words (RFC 791 §3.1, IHL).
    pub const fn padded_len(&self) -> usize {
        (self.len as usize).div_ceil(4) * 4
    }

    /// Typed iterator over the options (RFC 791 §3.1).
    pub fn iter(&self) -> Ipv4OptionIter<'_> {
        Ipv4OptionIter::new(self.padded())
    }

    /// Append raw bytes (RFC 791 §3.1).
    pub fn push_raw(&mut self, b: &[u8]) -> Result<()> {
        let at = self.len as usize;
        if at + b.len() > MAX_OPTIONS_LEN {
            return Err(Error::limit_exceeded(
                Layer::Ipv4,
                "options",
                BASE + at,
                MAX_OPTIONS_LEN,
            ));
        }
        self.bytes[at..at + b.len()].copy_from_slice(b);
        self.len += b.len() as u8;
        Ok(())
    }

    /// Append one typed option (RFC 791 §3.1).
    pub fn push(&mut self, opt: &Ipv4Option<'_>) -> Result<()> {
        let at = self.len as usize;
        let n = opt.wire_len();
        if at + n > MAX_OPTIONS_LEN {
            return Err(Error::limit_exceeded(
                Layer::Ipv4,
                "options",
                BASE + at,
                MAX_OPTIONS_LEN,
            ));
        }
        opt.emit(&mut self.bytes[at..]).map_err(|e| e.at_base(BASE + at))?;
        self.len += n as u8;
        Ok(())
    }

    /// Append No Operation (RFC 791).
    pub fn push_nop(&mut self) -> Result<()> {
        self.push(&Ipv4Option::Nop)
    }

    /// Append End of Option List (RFC 791).
    pub fn push_eol(&mut self) -> Result<()> {
        self.push(&Ipv4Option::Eol)
    }

    /// Append Router Alert with `value` (RFC 2113).
    pub fn push_router_alert(&mut self, value: u16) -> Result<()> {
        self.push(&Ipv4Option::RouterAlert(value))
    }

    /// Append an empty Record Route option with room for `slots` addresses
    /// (pointer 4, zeroed slots), as a sender does (RFC 791).
    pub fn push_record_route(&mut self, slots: usize) -> Result<()> {
        let zeros = [0u8; MAX_OPTIONS_LEN];
        let n = (slots * 4).min(MAX_OPTIONS_LEN);
        self.push(&Ipv4Option::RecordRoute(RouteOption {
            pointer: 4,
            data: &zeros[..n],
        }))
    }
}

impl Default for Ipv4Options {
    fn default() -> Self {
        Ipv4Options::new()
    }
}

impl PartialEq for Ipv4Options {
    fn eq(&self, other: &Self) -> bool {
        self.padded() == other.padded()
    }
}

impl Eq for Ipv4Options {}

impl core::hash::Hash for Ipv4Options {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.padded().hash(state);
    }
}

impl fmt::Debug for Ipv4Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for Ipv4Options {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let n = u.int_in_range(0..=MAX_OPTIONS_LEN)?;
        let b = u.bytes(n.min(u.len()))?;
        Ok(Ipv4Options::from_bytes(b).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn all(b: &[u8]) -> Result<([Option<Ipv4Option<'_>>; 8], usize)> {
        let mut out = [None; 8];
        let mut n = 0;
        for o in Ipv4OptionIter::new(b) {
            out[n] = Some(o?);
            n += 1;
        }
        Ok((out, n))
    }

    #[test]
    fn every_known_kind() {
        let b = [
            1, 7, 7, 8, 10, 0, 0, 1, // NOP, RR with one recorded hop
            148, 4, 0, 0, // router alert
            68, 12, 13, 0x21, 192, 0, 2, 1, 0, 0, 0, 5, // TS flag 1 overflow 2
            131, 3, 4, 137, 3, 4, 99, 3, 1, 0, 0xff,
        ];
        let (o, n) = all(&b).unwrap();
        assert_eq!(n, 8);
        let Some(Ipv4Option::RecordRoute(r)) = o[1] else {
            panic!("{:?}", o[1])
        };
        assert_eq!((r.pointer, r.used()), (8, 1));
        assert_eq!(r.addresses().next(), Some(Ipv4Addr::new(10, 0, 0, 1)));
        assert_eq!(o[2], Some(Ipv4Option::RouterAlert(0)));
        let Some(Ipv4Option::Timestamp(t)) = o[3] else { panic!() };
        assert_eq!((t.pointer, t.overflow, t.flags), (13, 2, TimestampFlag::WITH_ADDRESSES));
        let e = t.entries().next().unwrap();
        assert_eq!((e.addr, e.timestamp), (Some(Ipv4Addr::new(192, 0, 2, 1)), 5));
        assert!(matches!(o[4], Some(Ipv4Option::Lsrr(_))));
        assert!(matches!(o[5], Some(Ipv4Option::Ssrr(_))));
        assert_eq!(
            o[6],
            Some(Ipv4Option::Unknown {
                kind: Ipv4OptionKind(99),
                data: &[1]
            })
        );
        assert_eq!(o[7], Some(Ipv4Option::Eol));
    }

    #[test]
    fn bad_lengths_name_the_option() {
        let e = all(&[1, 68, 3, 5]).unwrap_err();
        assert_eq!(e, Error::length_too_small(Layer::Ipv4, "timestamp_length", 22, 3, 4));
        let e = all(&[7, 9, 4, 0]).unwrap_err();
        assert_eq!(e, Error::length_exceeds(Layer::Ipv4, "record_route_length", 21, 9, 4));
        let e = all(&[1, 1, 1, 131]).unwrap_err();
        assert_eq!(e, Error::truncated(Layer::Ipv4, "lsrr_length", 24, 1, 0));
        let e = all(&[148, 6, 0, 0, 0, 0]).unwrap_err();
        assert_eq!((e.field, e.offset), ("router_alert_length", 21));
        assert!(matches!(e.kind, ErrorKind::Invalid { value: 6, .. }));
        let e = all(&[200, 0]).unwrap_err();
        assert_eq!(e, Error::length_too_small(Layer::Ipv4, "option_length", 21, 0, 2));
        // An error ends the walk.
        let mut it = Ipv4OptionIter::new(&[200, 0, 1]);
        assert!(it.next().unwrap().is_err());
        assert!(it.next().is_none());
    }

    #[test]
    fn owned_push_and_padding() {
        let mut o = Ipv4Options::new();
        o.push_nop().unwrap();
        assert_eq!(o.padded(), &[1, 0, 0, 0]);
        assert_eq!(o, Ipv4Options::from_bytes(&[1, 0, 0, 0]).unwrap());
        o.push_router_alert(0).unwrap();
        o.push_record_route(8).unwrap();
        assert_eq!(o.len(), 40);
        let e = o.push_nop().unwrap_err();
        assert_eq!(e, Error::limit_exceeded(Layer::Ipv4, "options", 60, 40));
        let kinds: [u8; 3] = core::array::from_fn(|i| o.iter().nth(i).unwrap().unwrap().kind().0);
        assert_eq!(kinds, [1, 148, 7]);
        let mut bad = Ipv4Options::new();
        let ts = Ipv4Option::Timestamp(TimestampOption {
            pointer: 5,
            overflow: 16,
            flags: TimestampFlag(0),
            data: &[],
        });
        assert_eq!(bad.push(&ts).unwrap_err().offset, 23);
        let unk = Ipv4Option::Unknown {
            kind: Ipv4OptionKind::NOP,
            data: &[],
        };
        assert_eq!(
            bad.push(&unk),
            Err(Error::invalid(Layer::Ipv4, "option_kind", 20, 1, "a kind above 1"))
        );
        // A route longer than an option's 8-bit length can say.
        let long = [0u8; 300];
        let rr = Ipv4Option::RecordRoute(RouteOption {
            pointer: 4,
            data: &long,
        });
        let mut out = [0u8; 400];
        assert_eq!(
            rr.emit(&mut out),
            Err(Error::invalid(
                Layer::Ipv4,
                "record_route_length",
                1,
                303,
                "at most 255"
            ))
        );
        assert_eq!(
            Ipv4Option::RouterAlert(0).emit(&mut out[..3]),
            Err(Error::buffer_too_small(Layer::Ipv4, 4, 3))
        );
    }

    #[test]
    fn kind_bits() {
        assert!(Ipv4OptionKind::LSRR.is_copied());
        assert_eq!(Ipv4OptionKind::TIMESTAMP.class(), 2);
        assert_eq!(Ipv4OptionKind::TIMESTAMP.number(), 4);
        assert!(!Ipv4OptionKind::RECORD_ROUTE.is_copied());
    }
}
