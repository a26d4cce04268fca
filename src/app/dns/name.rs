//! Domain names on the wire (RFC 1035 §3.1, §4.1.4) and their hardening
//! rules (RFC 9267).
//!
//! A name is a sequence of *labels*, each a length octet followed by that
//! many octets, ended by the zero-length *root* label:
//!
//! ```text
//!   +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
//!   | 3 | w | w | w | 7 | e | x | a | m | p | l | e | 3 | c | o | m | 0 |
//!   +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
//! ```
//!
//! The two top bits of the length octet give the label type (RFC 1035
//! §4.1.4). `00` is a normal label of at most 63 octets; `11` is a
//! *compression pointer*: the remaining 14 bits are the offset, from the
//! start of the message, where the rest of the name continues:
//!
//! ```text
//!     0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
//!   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//!   | 1  1|                OFFSET                   |
//!   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//! ```
//!
//! The types `01` (the abandoned extended labels of RFC 6891 §5) and `10`
//! are errors.
//!
//! Pointers are where DNS parsers go wrong (RFC 9267 §2 lists the CVEs):
//! pointers to themselves, loops, forward pointers, pointers past the end,
//! names longer than 255 octets once expanded. netspec follows one rule
//! that makes every one of those impossible: **a pointer must point before
//! itself, and everything read after the jump must also lie before it.**
//! Each jump therefore strictly lowers the bound on what may be read next,
//! so the walk always ends; a hop limit ([`MAX_POINTER_HOPS`]) bounds it
//! further, and the walk is a loop, never a recursion.

use core::fmt;

use crate::error::{Error, Layer, Result};

pub use super::text::encode_text;
pub(crate) use super::text::format_text;
use super::text::{FAST_TEXT_LEN, FastBuf, any_needs_escape, checked_text, push_escaped, write_ascii};

/// The longest a name may be on the wire, counted across pointers:
/// every length octet and label octet, and the root (RFC 1035 §2.3.4).
pub const MAX_NAME_LEN: usize = 255;

/// The longest a label may be (RFC 1035 §2.3.4).
pub const MAX_LABEL_LEN: usize = 63;

/// How many compression pointers one name may follow (RFC 9267 §2.3
/// recommends a bound). A name of 255 octets has at most 127 labels, so
/// 127 hops allow one pointer per label; the walk never needs more.
pub const MAX_POINTER_HOPS: usize = 127;

/// The longest text form [`Name::write_text`] can produce: every octet of
/// a 255-octet name escaped as `\DDD`, plus the dots.
pub const MAX_NAME_TEXT_LEN: usize = 1024;

/// Where a validated name ends in place, and how long it is expanded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NameExtent {
    /// Offset just past the name's in-place bytes (after the root label or
    /// after the first pointer).
    pub end: usize,
    /// The expanded wire length, root included (1..=255).
    pub wire_len: usize,
    /// How many pointers the walk followed (0..=[`MAX_POINTER_HOPS`]).
    pub hops: usize,
}

/// How many validated names [`Validated`] remembers (a power of two).
const VALIDATED_SLOTS: usize = 16;

/// Some of the names a strict message parse validated, by start offset,
/// with what their walk found. Compression pointers mostly lead to the
/// start of a name written earlier (the question name, an earlier owner or
/// CNAME target), and a name walked once need not be walked again: see
/// [`walk_memo`] for why the answer is the same. A fixed table indexed by
/// the low bits of the offset (a later name takes the slot of an earlier
/// one), so a lookup is one compare and the cost is bounded whatever the
/// message holds.
#[derive(Clone, Copy, Default)]
pub(crate) struct Validated {
    starts: [u16; VALIDATED_SLOTS],
    ends: [u16; VALIDATED_SLOTS],
    /// The expanded wire length; 0 marks an empty slot.
    lens: [u8; VALIDATED_SLOTS],
    hops: [u8; VALIDATED_SLOTS],
}

impl Validated {
    /// Remember the name at `start` that a walk accepted.
    #[inline(always)]
    fn remember(&mut self, start: usize, ext: &NameExtent) {
        // Pointers hold 14 bits: a name further on is never a target. The
        // other fields fit by construction (a message has at most 65535
        // octets, a name at most 255, a walk at most 127 hops).
        if start <= 0x3FFF {
            let i = start % VALIDATED_SLOTS;
            self.starts[i] = start as u16;
            self.ends[i] = ext.end as u16;
            self.lens[i] = ext.wire_len as u8;
            self.hops[i] = ext.hops as u8;
        }
    }

    /// The remembered name that starts at `target`, as (in-place end,
    /// wire length, hops).
    #[inline(always)]
    fn find(&self, target: usize) -> Option<(usize, usize, usize)> {
        let i = target % VALIDATED_SLOTS;
        (usize::from(self.starts[i]) == target && self.lens[i] != 0).then(|| {
            (
                usize::from(self.ends[i]),
                usize::from(self.lens[i]),
                usize::from(self.hops[i]),
            )
        })
    }
}

/// Walk the name starting at `start` in `msg`, checking every RFC 1035 and
/// RFC 9267 rule. The in-place part must end at or before `limit` (the end
/// of the message, or of the RDATA that holds the name).
///
/// This is the one place that validates names; everything else trusts it.
pub(crate) fn walk(msg: &[u8], start: usize, limit: usize, field: &'static str) -> Result<NameExtent> {
    walk_inline(msg, start, limit, field)
}

/// [`walk`], inlined where it is the hottest loop.
#[inline(always)]
pub(crate) fn walk_inline(msg: &[u8], start: usize, limit: usize, field: &'static str) -> Result<NameExtent> {
    walk_impl::<false>(msg, start, limit, field, &mut Validated::default())
}

/// [`walk`] for the strict parse of a whole message, which remembers the
/// names it validated in `seen` and does not walk again a name a pointer
/// leads to when `seen` has it.
///
/// That gives the same verdict and extent as the full walk. Say the
/// pointer at `pos` leads to `target`, where a name was validated whose
/// in-place bytes end at `e <= pos`. The full walk would go on from
/// `target` with only `msg[..pos]` readable: it reads the same in-place
/// bytes (all before `e`), checks them against a bound that they already
/// met, and then follows the same pointers with the same bounds (each
/// bound is the pointer's own offset). So it succeeds, adding the
/// remembered wire length and hops, unless the sums break the 255-octet
/// or hop limits; in that case the walk simply goes on in full, and
/// reports the error where it always did.
#[inline(always)]
pub(crate) fn walk_memo(
    msg: &[u8],
    start: usize,
    limit: usize,
    field: &'static str,
    seen: &mut Validated,
) -> Result<NameExtent> {
    walk_impl::<true>(msg, start, limit, field, seen)
}

#[inline(always)]
fn walk_impl<const MEMO: bool>(
    msg: &[u8],
    start: usize,
    limit: usize,
    field: &'static str,
    seen: &mut Validated,
) -> Result<NameExtent> {
    // `data` is what may still be read: the message up to `limit` at
    // first, then only what lies before the last pointer followed. Holding
    // it as a slice makes "inside the bound" and "inside the message" one
    // check.
    let mut data = &msg[..limit.min(msg.len())];
    let mut pos = start;
    // Offset just past the in-place bytes, once the first pointer is seen
    // (0 until then: a real value is at least 2).
    let mut end = 0usize;
    let mut wire_len = 0usize;
    let mut hops = 0usize;
    // The length octet of the label just stepped over (`usize::MAX` after
    // a jump). A label that runs past `data` is not checked when it is
    // stepped over: the read of the next octet then fails, and
    // `past_end` reports that label as the culprit, exactly as a check in
    // place would have. One compare less per label on the hot path.
    let mut last = usize::MAX;
    loop {
        let Some(&b) = data.get(pos) else {
            return Err(past_end(data, pos, last, field));
        };
        if b < 0x40 {
            let len = usize::from(b);
            wire_len += len + 1;
            if len == 0 {
                let ext = NameExtent {
                    end: if end == 0 { pos + 1 } else { end },
                    wire_len,
                    hops,
                };
                if MEMO {
                    seen.remember(start, &ext);
                }
                return Ok(ext);
            }
            // Leave room for the root label that must still follow.
            if wire_len + 1 > MAX_NAME_LEN {
                return Err(too_long(field, pos));
            }
            last = pos;
            pos += 1 + len;
        } else if b >= 0xC0 {
            let Some(&lo) = data.get(pos + 1) else {
                return Err(pointer_cut(data, pos, field));
            };
            let target = (usize::from(b & 0x3F) << 8) | usize::from(lo);
            if target >= pos {
                return Err(bad_pointer(field, pos, target, msg.len()));
            }
            hops += 1;
            if hops > MAX_POINTER_HOPS {
                return Err(too_many_hops(field, pos));
            }
            if end == 0 {
                end = pos + 2;
            }
            if MEMO {
                if let Some((e, len, h)) = seen.find(target) {
                    if e <= pos && wire_len + len <= MAX_NAME_LEN && hops + h <= MAX_POINTER_HOPS {
                        let ext = NameExtent {
                            end,
                            wire_len: wire_len + len,
                            hops: hops + h,
                        };
                        seen.remember(start, &ext);
                        return Ok(ext);
                    }
                }
            }
            data = &msg[..pos];
            pos = target;
            last = usize::MAX;
        } else {
            return Err(bad_label_type(field, pos, b));
        }
    }
}

/// The error of a [`walk`] whose next read at `pos` fell outside `data`:
/// the label at `last` ran past the end if it did, else the name ended
/// early at `pos`. Out of line, so the hot loop keeps no error arguments.
#[cold]
#[inline(never)]
fn past_end(data: &[u8], pos: usize, last: usize, field: &'static str) -> Error {
    if let Some(&len) = data.get(last) {
        let need = 1 + usize::from(len);
        if last + need > data.len() {
            return Error::truncated(Layer::Dns, field, last, need, data.len() - last);
        }
    }
    Error::truncated(Layer::Dns, field, pos, 1, data.len().saturating_sub(pos))
}

/// A pointer at `pos` whose second octet is past the end of `data`.
#[cold]
#[inline(never)]
fn pointer_cut(data: &[u8], pos: usize, field: &'static str) -> Error {
    Error::truncated(Layer::Dns, field, pos, 2, data.len() - pos)
}

/// A name over [`MAX_NAME_LEN`] octets, found at the label at `pos`.
#[cold]
#[inline(never)]
fn too_long(field: &'static str, pos: usize) -> Error {
    Error::limit_exceeded(Layer::Dns, field, pos, MAX_NAME_LEN)
}

/// More than [`MAX_POINTER_HOPS`] pointers, at the one at `pos`.
#[cold]
#[inline(never)]
fn too_many_hops(field: &'static str, pos: usize) -> Error {
    Error::limit_exceeded(Layer::Dns, field, pos, MAX_POINTER_HOPS)
}

/// A pointer at `pos` to `target`, which is not before it: past the end
/// of the message, or a forward pointer (a loop, or a read of what follows).
#[cold]
#[inline(never)]
fn bad_pointer(field: &'static str, pos: usize, target: usize, msg_len: usize) -> Error {
    if target >= msg_len {
        Error::length_exceeds(Layer::Dns, field, pos, target, msg_len)
    } else {
        Error::invalid(
            Layer::Dns,
            field,
            pos,
            target as u64,
            "a compression pointer to an offset before itself",
        )
    }
}

/// A reserved label type (`01` or `10`) at `pos`.
#[cold]
#[inline(never)]
fn bad_label_type(field: &'static str, pos: usize, b: u8) -> Error {
    Error::invalid(
        Layer::Dns,
        field,
        pos,
        u64::from(b),
        "a label type of 00 (label) or 11 (pointer)",
    )
}

/// A domain name inside a message, with compression pointers resolved
/// lazily (RFC 1035 §4.1.4).
///
/// The name borrows the whole message, because a pointer may lead
/// anywhere before it. It is only ever built by netspec from a name that
/// [`walk`](self) validated, so iterating it cannot fail.
#[derive(Clone, Copy)]
pub struct Name<'a> {
    msg: &'a [u8],
    start: usize,
}

/// Skip the in-place bytes of a name that was validated before, without
/// following pointers: the cheap step the section iterators take. `None`
/// on inconsistent input, so it never panics.
pub(crate) fn skip(msg: &[u8], start: usize) -> Option<(Name<'_>, usize)> {
    let mut pos = start;
    loop {
        let b = *msg.get(pos)?;
        match b >> 6 {
            0 if b == 0 => return Some((Name { msg, start }, pos + 1)),
            0 => pos += 1 + usize::from(b),
            3 => {
                msg.get(pos + 1)?;
                return Some((Name { msg, start }, pos + 2));
            }
            _ => return None,
        }
    }
}

impl<'a> Name<'a> {
    /// Validate the name at `start` (its in-place part ending by `limit`)
    /// and return it with the offset just past its in-place bytes.
    pub(crate) fn parse(msg: &'a [u8], start: usize, limit: usize, field: &'static str) -> Result<(Self, usize)> {
        let ext = walk_inline(msg, start, limit, field)?;
        Ok((Name { msg, start }, ext.end))
    }

    /// A name at `start` that [`walk`] already accepted (crate-internal:
    /// the accessors of a message validated whole).
    pub(crate) const fn validated(msg: &'a [u8], start: usize) -> Self {
        Name { msg, start }
    }

    /// The root name `.` (RFC 1035 §3.1).
    pub const ROOT: Name<'static> = Name { msg: &[0], start: 0 };

    /// Parse a standalone, uncompressed wire-format name (no pointers
    /// allowed, because there is no message to point into), for example a
    /// name stored by an application. Returns the name and the bytes after
    /// it.
    ///
    /// ```
    /// use netspec::app::dns::Name;
    /// let (name, rest) = Name::from_wire(b"\x03www\x07example\x03com\x00!").unwrap();
    /// assert_eq!(rest, b"!");
    /// assert!(name.eq_text("WWW.Example.com."));
    /// ```
    pub fn from_wire(wire: &'a [u8]) -> Result<(Self, &'a [u8])> {
        let ext = walk(wire, 0, wire.len(), "name")?;
        // A standalone name has no message to point into: its in-place
        // bytes must be the whole name (a pointer back into its own labels
        // could otherwise still land on a zero octet).
        if ext.end != ext.wire_len {
            return Err(Error::invalid(
                Layer::Dns,
                "name",
                0,
                ext.end as u64,
                "an uncompressed name (no pointers)",
            ));
        }
        Ok((Name { msg: wire, start: 0 }, &wire[ext.end..]))
    }

    /// The offset in the message where the name starts.
    pub const fn offset(&self) -> usize {
        self.start
    }

    /// The expanded wire length, root label included (1..=255).
    pub fn wire_len(&self) -> usize {
        self.labels().map(|l| l.len() + 1).sum::<usize>() + 1
    }

    /// True for the root name (a lone zero octet, RFC 1035 §3.1).
    pub fn is_root(&self) -> bool {
        self.labels().next().is_none()
    }

    /// The labels, root excluded, following pointers (RFC 1035 §4.1.4).
    pub fn labels(&self) -> Labels<'a> {
        Labels {
            msg: self.msg,
            pos: self.start,
            hops: 0,
        }
    }

    /// Number of labels, root excluded.
    pub fn label_count(&self) -> usize {
        self.labels().count()
    }

    /// Compare two names label by label, ignoring ASCII case (RFC 4343 §3).
    pub fn eq_ignore_case(&self, other: &Name<'_>) -> bool {
        let mut a = self.labels();
        let mut b = other.labels();
        loop {
            match (a.next(), b.next()) {
                (None, None) => return true,
                (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => {}
                _ => return false,
            }
        }
    }

    /// Compare with a dotted text name, ignoring ASCII case (RFC 4343 §3).
    /// The trailing dot is optional; `.` and the empty string are the root.
    /// Escapes are not interpreted, so labels holding `.` never match.
    pub fn eq_text(&self, text: &str) -> bool {
        let text = text.strip_suffix('.').unwrap_or(text);
        let mut labels = self.labels();
        if text.is_empty() {
            return labels.next().is_none();
        }
        for part in text.split('.') {
            match labels.next() {
                Some(l) if l.eq_ignore_ascii_case(part.as_bytes()) => {}
                _ => return false,
            }
        }
        labels.next().is_none()
    }

    /// Write the expanded, uncompressed wire form into `out`; returns the
    /// bytes written ([`Name::wire_len`]).
    pub fn write_wire(&self, out: &mut [u8]) -> Result<usize> {
        let n = self.wire_len();
        crate::parse::room(out, n, Layer::Dns)?;
        let mut at = 0;
        for label in self.labels() {
            out[at] = label.len() as u8;
            out[at + 1..at + 1 + label.len()].copy_from_slice(label);
            at += 1 + label.len();
        }
        out[at] = 0;
        Ok(at + 1)
    }

    /// Render in master-file text form (RFC 1035 §5.1, RFC 4343 §2.1):
    /// labels joined by `.`, a trailing `.`, the root as `.`. Inside a
    /// label `.` and `\` and the master-file specials `"();@$` are written
    /// as `\c`, and octets outside printable ASCII as `\DDD` (decimal).
    ///
    /// To collect text in a `String`, [`Name::push_text`] does the same
    /// without the formatting machinery.
    pub fn write_text<W: fmt::Write>(&self, w: &mut W) -> fmt::Result {
        // Render into octets first, then hand the writer one `&str`: a
        // writer call per character costs far more than the copy.
        let mut buf = FastBuf::new();
        if let Some(text) = self.fast_text(&mut buf) {
            return w.write_str(text);
        }
        let mut long = [0u8; MAX_NAME_TEXT_LEN];
        let n = self.render_careful(&mut long).map_err(|_| fmt::Error)?;
        write_ascii(w, &long[..n])
    }

    /// Append the master-file text form (RFC 1035 §5.1, RFC 4343 §2.1),
    /// exactly what [`Name::write_text`] and `Display` produce, to `out`:
    /// labels joined by `.`, a trailing `.`, the root as `.`, and the
    /// escapes `\c` and `\DDD` inside labels where an octet cannot stand
    /// for itself.
    ///
    /// This is the cheap way to render many names into one reused
    /// `String`: no `fmt` machinery, and the text is checked once in
    /// 16-octet blocks rather than octet by octet. It cannot fail (at most
    /// [`MAX_NAME_TEXT_LEN`] octets are appended).
    ///
    /// ```
    /// use netspec::app::dns::Name;
    /// let (name, _) = Name::from_wire(b"\x03www\x07example\x03com\x00").unwrap();
    /// let (odd, _) = Name::from_wire(b"\x03a.b\x00").unwrap();
    /// let mut out = String::new();
    /// name.push_text(&mut out);
    /// out.push(' ');
    /// odd.push_text(&mut out);
    /// assert_eq!(out, "www.example.com. a\\.b.");
    /// assert_eq!(out, format!("{name} {odd}"));
    /// ```
    #[cfg(feature = "alloc")]
    #[inline(always)]
    pub fn push_text(&self, out: &mut alloc::string::String) {
        let mut buf = FastBuf::new();
        match self.fast_text(&mut buf) {
            Some(text) => out.push_str(text),
            None => self.push_text_careful(out),
        }
    }

    /// [`Name::push_text`] for names that need escapes or are long: label
    /// by label into a buffer that always suffices.
    #[cfg(feature = "alloc")]
    #[cold]
    #[inline(never)]
    fn push_text_careful(&self, out: &mut alloc::string::String) {
        let mut long = [0u8; MAX_NAME_TEXT_LEN];
        // Neither can fail: the buffer holds any name's text, and the text
        // is ASCII by construction (every other octet is escaped).
        if let Ok(n) = self.render_careful(&mut long) {
            if let Ok(text) = core::str::from_utf8(&long[..n]) {
                out.push_str(text);
            }
        }
    }

    /// Render as [`Name::write_text`] does, into a byte buffer (no
    /// allocation, no formatting machinery): returns the length written, or
    /// `BufferTooSmall`. A buffer of [`MAX_NAME_TEXT_LEN`] always suffices.
    /// Octets of `out` past the returned length may be overwritten.
    pub fn write_text_bytes(&self, out: &mut [u8]) -> Result<usize> {
        // Almost every name needs no escape and is short: render it on the
        // stack, and go label by label only when that fails.
        let mut buf = FastBuf::new();
        match self.fast_text(&mut buf) {
            Some(text) => {
                let n = text.len();
                crate::parse::room(out, n, Layer::Dns)?;
                out[..n].copy_from_slice(text.as_bytes());
                Ok(n)
            }
            None => self.render_careful(out),
        }
    }

    /// The fast path of every text rendering. The labels of a name stored
    /// in place are already laid out as its text: `3www7example3com0`
    /// becomes `www.example.com.` when each length octet after the first
    /// turns into a dot. So each run of in-place labels is copied as it
    /// stands, in 16-octet block moves, and only a dot is stored per label;
    /// a compression pointer starts a new run after the last dot. The whole
    /// text is then checked at once in 16-octet blocks: it needs no escape
    /// when every octet is plain or a dot and there are exactly as many
    /// dots as labels (a dot inside a label makes one more). The blocks are
    /// also the UTF-8 check (ASCII, padded to whole blocks with a plain
    /// octet, which `str::from_utf8` takes word by word from the aligned
    /// start).
    ///
    /// `None` when a label needs an escape, when the text would not fit the
    /// buffer with its slack (over 80 octets), or on inconsistent input:
    /// the careful path then decides. The name was validated when it was
    /// parsed, so the walk trusts its structure; its checks only keep
    /// inconsistent input from panicking, and it always ends: a pointer
    /// must go backwards, and every label adds at least two octets to the
    /// bounded text.
    #[inline(always)]
    fn fast_text<'b>(&self, buf: &'b mut FastBuf) -> Option<&'b str> {
        let msg = self.msg;
        let buf = &mut buf.0;
        // `p`: the next length octet in the message. The octet at message
        // offset `w` of the current run goes to `w + delta` in the text
        // (modular: `delta` is "negative" when the text lags the message).
        // `copied`: how far the current run has been copied.
        let mut p = self.start;
        let mut delta = 0usize.wrapping_sub(p + 1);
        let mut copied = p + 1;
        let mut at = 0usize;
        let mut labels = 0usize;
        loop {
            let b = *msg.get(p)?;
            let len = usize::from(b);
            if len == 0 {
                break;
            }
            if len > MAX_LABEL_LEN {
                if b < 0xC0 {
                    return None;
                }
                let target = (usize::from(b & 0x3F) << 8) | usize::from(*msg.get(p + 1)?);
                if target >= p {
                    return None;
                }
                // A new run: its first label goes right after the text so far.
                p = target;
                delta = at.wrapping_sub(target + 1);
                copied = target + 1;
                continue;
            }
            // The label's octets and the octet after it (the next length
            // octet or pointer, which becomes the dot) must be copied.
            let dot = p + 1 + len;
            while copied <= dot {
                let t = copied.wrapping_add(delta);
                // One compare each for the two bounds (the text stays
                // within the buffer's slack; the message may end sooner).
                if t > FAST_TEXT_LEN - 16 {
                    return None;
                }
                let dst: &mut [u8; 16] = buf.get_mut(t..t + 16)?.try_into().ok()?;
                if copied + 16 <= msg.len() {
                    *dst = msg.get(copied..copied + 16)?.try_into().ok()?;
                } else {
                    copy_tail(dst, msg.get(copied..)?);
                }
                copied += 16;
            }
            let t = dot.wrapping_add(delta);
            *buf.get_mut(t)? = b'.';
            at = t + 1;
            labels += 1;
            p = dot;
        }
        if labels == 0 {
            return Some(".");
        }
        checked_text(buf, at, labels)
    }

    /// The careful path of [`Name::write_text_bytes`]: label by label,
    /// escaping where needed, with a precise `BufferTooSmall`.
    fn render_careful(&self, out: &mut [u8]) -> Result<usize> {
        let msg = self.msg;
        let mut pos = self.start;
        let mut hops = 0;
        let mut at = 0usize;
        while let Some(&b) = msg.get(pos) {
            if b >= 0xC0 {
                let target = usize::from(u16::from_be_bytes([b & 0x3F, *msg.get(pos + 1).unwrap_or(&0xFF)]));
                hops += 1;
                if target >= pos || hops > MAX_POINTER_HOPS {
                    break;
                }
                pos = target;
                continue;
            }
            if b == 0 {
                break;
            }
            let len = usize::from(b & 0x3F);
            let from = pos + 1;
            pos = from + len;
            let Some(label) = msg.get(from..pos) else {
                break;
            };
            if any_needs_escape(label) {
                for &c in label {
                    at = push_escaped(out, at, c)?;
                }
                crate::parse::room(out, at + 1, Layer::Dns)?;
            } else {
                let Some(dst) = out.get_mut(at..=at + len) else {
                    return Err(Error::buffer_too_small(Layer::Dns, at + len + 1, out.len()));
                };
                dst[..len].copy_from_slice(label);
                at += len;
            }
            out[at] = b'.';
            at += 1;
        }
        if at == 0 {
            crate::parse::room(out, 1, Layer::Dns)?;
            out[0] = b'.';
            at = 1;
        }
        Ok(at)
    }

    /// Render the way Wireshark's DNS dissector shows names (`dns.qry.name`
    /// and friends), for differential tests against tshark.
    ///
    /// tshark differs from master-file text ([`Name::write_text`]): no
    /// trailing dot, the root as `<Root>`, and no escapes for `.` or `\`
    /// inside a label (so `a\.b` and `a.b` look alike). The joined octets
    /// are then shown as Wireshark's `format_text` does: printable ASCII as
    /// is, the C escapes `\a \b \f \n \r \t \v` for those controls,
    /// other ASCII controls as `\ooo` in octal, valid UTF-8 as its
    /// characters (`\uXXXX` for non-printable ones) and each invalid octet
    /// as U+FFFD. Only the ASCII part was checked against tshark output.
    pub fn write_tshark<W: fmt::Write>(&self, w: &mut W) -> fmt::Result {
        // Join the labels first: `format_text` sees the whole name, so a
        // UTF-8 sequence is decoded across the dots as tshark would.
        let mut joined = [0u8; MAX_NAME_LEN];
        let mut n = 0;
        for label in self.labels() {
            if n > 0 {
                joined[n] = b'.';
                n += 1;
            }
            let Some(dst) = joined.get_mut(n..n + label.len()) else {
                break;
            };
            dst.copy_from_slice(label);
            n += label.len();
        }
        if n == 0 {
            return w.write_str("<Root>");
        }
        format_text(w, &joined[..n])
    }
}

/// Copy the last (fewer than 16) octets of a message into the front of
/// `dst`. Out of line and cold, so that the usual block move does not
/// become a call to `memcpy` of a variable length (the two copies would
/// otherwise be merged).
#[cold]
#[inline(never)]
fn copy_tail(dst: &mut [u8; 16], tail: &[u8]) {
    if let Some(d) = dst.get_mut(..tail.len()) {
        d.copy_from_slice(tail);
    }
}

/// Labels starting at `pos` in `msg` (crate-internal: the builder compares
/// a new name with names already written).
pub(crate) fn labels_at(msg: &[u8], pos: usize) -> Labels<'_> {
    Labels { msg, pos, hops: 0 }
}

impl PartialEq for Name<'_> {
    /// Names are equal when their labels are, ignoring ASCII case
    /// (RFC 4343 §3), wherever and however compressed they are stored.
    fn eq(&self, other: &Self) -> bool {
        self.eq_ignore_case(other)
    }
}

impl Eq for Name<'_> {}

impl fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_text(f)
    }
}

impl fmt::Debug for Name<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Name(\"{self}\")")
    }
}

/// Iterator over the labels of a [`Name`], root excluded, following
/// compression pointers (RFC 1035 §4.1.4). Iterative and bounded by
/// [`MAX_POINTER_HOPS`].
#[derive(Clone, Debug)]
pub struct Labels<'a> {
    msg: &'a [u8],
    pos: usize,
    hops: usize,
}

impl<'a> Iterator for Labels<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        loop {
            let b = *self.msg.get(self.pos)?;
            match b >> 6 {
                0 if b == 0 => return None,
                0 => {
                    let s = self.pos + 1;
                    let label = self.msg.get(s..s + usize::from(b))?;
                    self.pos = s + usize::from(b);
                    return Some(label);
                }
                3 => {
                    // The name was validated; the checks only keep an
                    // inconsistent input from looping or panicking.
                    let lo = *self.msg.get(self.pos + 1)?;
                    let target = usize::from(u16::from_be_bytes([b & 0x3F, lo]));
                    self.hops += 1;
                    if target >= self.pos || self.hops > MAX_POINTER_HOPS {
                        self.pos = usize::MAX;
                        return None;
                    }
                    self.pos = target;
                }
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_a_compressed_name() {
        // "example.com" at 0, then "www" + pointer to 0 at 13.
        let msg = b"\x07example\x03com\x00\x03www\xc0\x00";
        let (n, end) = Name::parse(msg, 13, msg.len(), "name").unwrap();
        assert_eq!(end, msg.len());
        assert_eq!(n.wire_len(), 17);
        assert!(n.eq_text("www.example.com"));
        let mut s = [0u8; 64];
        let len = n.write_text_bytes(&mut s).unwrap();
        assert_eq!(&s[..len], b"www.example.com.");
    }

    #[test]
    fn pointer_that_lands_before_itself_but_runs_into_itself_is_rejected() {
        // At 2 a label of length 1 covers byte 3; at 4 a pointer to 2: the
        // walk from 2 reaches 4 again, which is not before the pointer.
        let msg = b"\x00\x00\x01x\xc0\x02";
        assert!(Name::parse(msg, 4, msg.len(), "name").is_err());
    }

    /// A label that runs past the end is reported at its own length octet
    /// (the walk notices it one step later, when the next read fails), and
    /// a name that just stops at the end is reported where it stops.
    #[test]
    fn label_past_the_end_is_reported_at_the_label() {
        let e = walk(b"\x05ab", 0, 3, "name").unwrap_err();
        assert_eq!(e, Error::truncated(Layer::Dns, "name", 0, 6, 3));
        let e = walk(b"\x02ab", 0, 3, "name").unwrap_err();
        assert_eq!(e, Error::truncated(Layer::Dns, "name", 3, 1, 0));
        // After a jump the bound is the pointer: the label at 1 would need
        // 6 octets, and only 3 lie before the pointer at 4.
        let e = walk(b"\x00\x05ab\xc0\x01", 4, 6, "name").unwrap_err();
        assert_eq!(e, Error::truncated(Layer::Dns, "name", 1, 6, 3));
        // Within a limit shorter than the message (RDATA).
        let e = walk(b"\x01a\x03bcd\x00", 0, 4, "name").unwrap_err();
        assert_eq!(e, Error::truncated(Layer::Dns, "name", 2, 4, 2));
        let e = walk(b"\xc0", 0, 1, "name").unwrap_err();
        assert_eq!(e, Error::truncated(Layer::Dns, "name", 0, 2, 1));
    }

    #[test]
    fn from_wire_rejects_pointers_even_into_itself() {
        // Label "a\0", then a pointer to that zero octet: a valid walk, but
        // not an uncompressed name.
        assert!(walk(b"\x02a\x00\xc0\x02", 0, 5, "name").is_ok());
        assert!(Name::from_wire(b"\x02a\x00\xc0\x02").is_err());
        assert!(Name::from_wire(b"\xc0\x00").is_err());
    }

    /// The block-copy fast path of `write_text_bytes` must agree with the
    /// careful octet-by-octet path for every buffer size, including labels
    /// of 15, 16 and 63 octets, escapes, and a name that ends at the very
    /// end of the message (no slack for a block copy).
    #[test]
    fn text_rendering_matches_the_octet_by_octet_path() {
        extern crate alloc;
        use alloc::vec::Vec;
        let mut wire = Vec::new();
        for len in [15usize, 16, 63, 1, 3] {
            wire.push(len as u8);
            wire.extend((0..len).map(|i| b'a' + (i % 26) as u8));
        }
        // A label whose only special octet is a dot (caught by counting the
        // dots), then escapes, then plain.
        wire.extend_from_slice(b"\x03x.y\x04a.b\\\x02\x00 \x05plain\x00");
        let (name, _) = Name::from_wire(&wire).unwrap();
        let mut want = [0u8; MAX_NAME_TEXT_LEN];
        let mut n = 0;
        for label in name.labels() {
            for &c in label {
                n = push_escaped(&mut want, n, c).unwrap();
            }
            want[n] = b'.';
            n += 1;
        }
        let mut out = [0u8; MAX_NAME_TEXT_LEN];
        for size in 0..n + 40 {
            let got = name.write_text_bytes(&mut out[..size]);
            if size < n {
                assert!(got.is_err(), "size {size}");
            } else {
                assert_eq!(got.unwrap(), n, "size {size}");
                assert_eq!(&out[..n], &want[..n], "size {size}");
            }
        }
        // The same name again, ending exactly at the end of the buffer.
        let (tail, _) = Name::from_wire(b"\x03www\x07example\x03com\x00").unwrap();
        let len = tail.write_text_bytes(&mut out).unwrap();
        assert_eq!(&out[..len], b"www.example.com.");
    }

    #[test]
    fn encode_text_rules() {
        let mut b = [0u8; 300];
        assert_eq!(encode_text(".", &mut b).unwrap(), 1);
        assert_eq!(encode_text("", &mut b).unwrap(), 1);
        let n = encode_text("a\\.b\\046c.\\255", &mut b).unwrap();
        assert_eq!(&b[..n], b"\x05a.b.c\x01\xff\x00");
        assert!(encode_text("a..b", &mut b).is_err());
        assert!(encode_text(".a", &mut b).is_err());
        assert!(encode_text("a\\256", &mut b).is_err());
        assert!(encode_text("a\\", &mut b).is_err());
        assert!(encode_text("www.example.com", &mut b[..16]).is_err());
        // 127 one-octet labels: 254 octets plus the root is 255, the limit.
        let long = "a.".repeat(127);
        assert_eq!(encode_text(&long, &mut b).unwrap(), 255);
        assert!(encode_text(&("b.".to_string() + &long), &mut b).is_err());
    }

    /// Octets outside the fast path's set that need no escape (`*`, `+`,
    /// `!`, `/`, `=`, `~`, …) come out as themselves from the careful path,
    /// through every renderer; host-name octets stay on the fast path.
    #[test]
    #[cfg(feature = "alloc")]
    fn plain_octets_outside_the_fast_set() {
        extern crate alloc;
        use alloc::string::{String, ToString};
        for (wire, text) in [
            (&b"\x01*\x07example\x00"[..], "*.example."),
            (b"\x05a+b!c\x04x/=~\x00", "a+b!c.x/=~."),
            (b"\x04_sip\x04_udp\x03A-9\x00", "_sip._udp.A-9."),
        ] {
            let (n, _) = Name::from_wire(wire).unwrap();
            let mut s = String::from(">");
            n.push_text(&mut s);
            assert_eq!(&s[1..], text);
            assert_eq!(n.to_string(), text);
            let mut b = [0u8; 64];
            let len = n.write_text_bytes(&mut b).unwrap();
            assert_eq!(&b[..len], text.as_bytes());
        }
    }

    #[test]
    fn escapes() {
        let wire = b"\x04a.b\\\x02\x00 \x00";
        let (n, _) = Name::from_wire(wire).unwrap();
        let mut s = [0u8; 64];
        let len = n.write_text_bytes(&mut s).unwrap();
        assert_eq!(&s[..len], b"a\\.b\\\\.\\000\\032.");
        extern crate alloc;
        use alloc::string::String;
        let mut t = String::new();
        n.write_text(&mut t).unwrap();
        assert_eq!(t.as_bytes(), &s[..len]);
        t.clear();
        n.write_tshark(&mut t).unwrap();
        assert_eq!(t, "a.b\\.\\000 ");
        t.clear();
        let (n, _) = Name::from_wire(b"\x02\t\x7f\x03\xc3\xa9\xff\x00").unwrap();
        n.write_tshark(&mut t).unwrap();
        assert_eq!(t, "\\t\\177.\u{e9}\u{fffd}");
        t.clear();
        Name::ROOT.write_tshark(&mut t).unwrap();
        assert_eq!(t, "<Root>");
    }
}
