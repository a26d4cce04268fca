//! Master-file text of names (RFC 1035 §5.1): encoding text into wire
//! labels, and the octet-level helpers that render labels as text, with
//! the escapes `\c` and `\DDD` where an octet cannot stand for itself.
//! [`Name`](super::Name) uses them; `encode_text` is re-exported from
//! [`name`](super::name).

use core::fmt;

use super::name::{MAX_LABEL_LEN, MAX_NAME_LEN};
use crate::error::{Error, Layer, Result};

/// Show octets as Wireshark's `format_text` does (see
/// [`Name::write_tshark`](super::Name::write_tshark)); also used for TXT strings.
pub(crate) fn format_text<W: fmt::Write>(w: &mut W, bytes: &[u8]) -> fmt::Result {
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                ' '..='~' => w.write_char(c)?,
                '\x07' => w.write_str("\\a")?,
                '\x08' => w.write_str("\\b")?,
                '\x0c' => w.write_str("\\f")?,
                '\n' => w.write_str("\\n")?,
                '\r' => w.write_str("\\r")?,
                '\t' => w.write_str("\\t")?,
                '\x0b' => w.write_str("\\v")?,
                c if (c as u32) < 0x80 => write!(w, "\\{:03o}", c as u32)?,
                c if c.is_control() => write!(w, "\\u{:04x}", c as u32)?,
                c => w.write_char(c)?,
            }
        }
        for _ in chunk.invalid() {
            w.write_char(char::REPLACEMENT_CHARACTER)?;
        }
    }
    Ok(())
}

/// Encode a name in master-file text form (RFC 1035 §5.1) as an
/// uncompressed wire name into `out`; returns the bytes written.
///
/// Labels are separated by `.`; a final `.` is optional; `.` alone (or the
/// empty string) is the root. Inside a label `\c` stands for the octet
/// `c` and `\DDD` for the octet with decimal value DDD, so every text that
/// [`Name::write_text`](super::Name::write_text) produces reads back to the same name. Empty labels,
/// labels over 63 octets and names over 255 octets are errors.
///
/// ```
/// use netspec::app::dns::name::encode_text;
/// let mut buf = [0u8; 255];
/// let n = encode_text("www.example.com.", &mut buf).unwrap();
/// assert_eq!(&buf[..n], b"\x03www\x07example\x03com\x00");
/// ```
#[inline]
pub fn encode_text(text: &str, out: &mut [u8]) -> Result<usize> {
    // The usual text (no escape, not the root) inline; the rest, and every
    // error, out of line.
    match encode_plain(text.as_bytes(), out) {
        Some(n) => Ok(n),
        None => encode_careful(text.as_bytes(), out),
    }
}

/// [`encode_text`] label by label, octet by octet: the root, escapes, and
/// the precise error for bad text.
#[inline(never)]
fn encode_careful(t: &[u8], out: &mut [u8]) -> Result<usize> {
    if t.is_empty() || t == b"." {
        crate::parse::room(out, 1, Layer::Dns)?;
        out[0] = 0;
        return Ok(1);
    }
    let mut at = 0usize;
    let mut i = 0usize;
    while i < t.len() {
        // One label: its length octet goes at `len_at`.
        let len_at = at;
        at += 1;
        let mut label_len = 0usize;
        while i < t.len() && t[i] != b'.' {
            let byte = if t[i] == b'\\' {
                match t.get(i + 1..i + 4) {
                    Some(d) if d.iter().all(u8::is_ascii_digit) => {
                        let v = u16::from(d[0] - b'0') * 100 + u16::from(d[1] - b'0') * 10 + u16::from(d[2] - b'0');
                        if v > 255 {
                            return Err(Error::invalid(Layer::Dns, "name", i, u64::from(v), "\\DDD at most 255"));
                        }
                        i += 4;
                        v as u8
                    }
                    _ => {
                        let Some(&e) = t.get(i + 1) else {
                            return Err(Error::truncated(Layer::Dns, "name", i, 2, 1));
                        };
                        i += 2;
                        e
                    }
                }
            } else {
                i += 1;
                t[i - 1]
            };
            label_len += 1;
            if label_len > MAX_LABEL_LEN {
                return Err(Error::limit_exceeded(Layer::Dns, "label", i, MAX_LABEL_LEN));
            }
            // This octet, then at least the root, must fit in 255.
            if at + 2 > MAX_NAME_LEN {
                return Err(Error::limit_exceeded(Layer::Dns, "name", i, MAX_NAME_LEN));
            }
            crate::parse::room(out, at + 2, Layer::Dns)?;
            out[at] = byte;
            at += 1;
        }
        if label_len == 0 {
            return Err(Error::invalid(Layer::Dns, "name", i, 0, "a non-empty label"));
        }
        out[len_at] = label_len as u8;
        // Step over the separator; a final one is the optional root dot.
        i += 1;
    }
    crate::parse::room(out, at + 1, Layer::Dns)?;
    out[at] = 0;
    Ok(at + 1)
}

/// The fast path of [`encode_text`] for text without escapes (it gives up
/// at the first backslash): copy the text one octet to the right, then put
/// the length of each label where the dot before it (or the first octet)
/// was. The dots and backslashes are found 8 octets at a time with word
/// arithmetic (no per-octet loop), and only the dots are visited one by
/// one. Returns the length written, or `None` (having maybe scribbled on
/// `out`) when the careful path must decide: the root, an escape, or an
/// error, which it then reports precisely.
#[inline(always)]
fn encode_plain(t: &[u8], out: &mut [u8]) -> Option<usize> {
    let body = t.strip_suffix(b".").unwrap_or(t);
    let n = body.len() + 2;
    if n > MAX_NAME_LEN || body.is_empty() {
        return None;
    }
    let dst = out.get_mut(..n)?;
    copy_short(&mut dst[1..n - 1], body);
    dst[n - 1] = 0;
    // The label being scanned starts at `body[start]`; its length octet
    // goes to `out[start]`.
    let mut start = 0;
    let mut k = 0;
    while k < body.len() {
        let rest = body.len() - k;
        // Read the text itself, not the copy just stored in `out` (a read
        // across those stores would stall). The last partial word is the
        // text's last 8 octets shifted down when the text has 8, else the
        // text zero-padded: either way zeros past the end.
        let word = match (body.get(k..).and_then(<[u8]>::first_chunk::<8>), body.last_chunk::<8>()) {
            (Some(w), _) => u64::from_le_bytes(*w),
            (None, Some(w)) => u64::from_le_bytes(*w) >> (8 * (8 - rest)),
            (None, None) => {
                let mut p = [0u8; 8];
                p[..rest].copy_from_slice(&body[k..]);
                u64::from_le_bytes(p)
            }
        };
        // A zero octet is neither a backslash nor a dot: no mask needed
        // for the octets past the end.
        if eq_mask(word, b'\\') != 0 {
            return None;
        }
        let mut dots = eq_mask(word, b'.');
        while dots != 0 {
            let i = k + (dots.trailing_zeros() / 8) as usize;
            // Dots come in order, so `i >= start`; a label of 0 or more
            // than 63 octets wraps or lands past 62.
            let l = i - start;
            if l.wrapping_sub(1) >= MAX_LABEL_LEN {
                return None;
            }
            *dst.get_mut(start)? = l as u8;
            start = i + 1;
            dots &= dots - 1;
        }
        k += 8;
    }
    let l = body.len() - start;
    if l.wrapping_sub(1) >= MAX_LABEL_LEN {
        return None;
    }
    *dst.get_mut(start)? = l as u8;
    Some(n)
}

/// `dst.copy_from_slice(src)` (same lengths), with the usual lengths of a
/// host name done as two overlapping fixed-size moves (the first and the
/// last 8 or 16 octets) instead of a call to `memcpy`.
#[inline(always)]
fn copy_short(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    if n != dst.len() {
        return dst.copy_from_slice(src);
    }
    if (8..=16).contains(&n) {
        if let (Some(a), Some(b)) = (src.first_chunk::<8>(), src.last_chunk::<8>()) {
            let (a, b) = (*a, *b);
            if let Some(d) = dst.first_chunk_mut::<8>() {
                *d = a;
            }
            if let Some(d) = dst.last_chunk_mut::<8>() {
                *d = b;
            }
            return;
        }
    } else if (17..=32).contains(&n) {
        if let (Some(a), Some(b)) = (src.first_chunk::<16>(), src.last_chunk::<16>()) {
            let (a, b) = (*a, *b);
            if let Some(d) = dst.first_chunk_mut::<16>() {
                *d = a;
            }
            if let Some(d) = dst.last_chunk_mut::<16>() {
                *d = b;
            }
            return;
        }
    }
    dst.copy_from_slice(src);
}

/// The high bit of each octet of `x` that equals `c`, exactly (no false
/// positives from borrows): an octet `y` of `x ^ c` is zero iff neither
/// `y & 0x7F` plus `0x7F` nor `y` itself has its high bit set.
#[inline(always)]
fn eq_mask(x: u64, c: u8) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let y = x ^ (0x0101_0101_0101_0101 * u64::from(c));
    !(((y & LOW7) + LOW7) | y) & !LOW7
}

/// Hand rendered text to a writer. The text is ASCII by construction
/// (every other octet is escaped), so the UTF-8 check always passes.
pub(crate) fn write_ascii<W: fmt::Write>(w: &mut W, text: &[u8]) -> fmt::Result {
    w.write_str(core::str::from_utf8(text).map_err(|_| fmt::Error)?)
}

/// Which octets master-file text cannot show as themselves: non-printable
/// ones, space, and `.\\"();@$` (a table, because rendering checks every
/// octet of every name).
const NEEDS_ESCAPE: [bool; 256] = {
    let mut t = [true; 256];
    let mut c = 0x21;
    while c <= 0x7E {
        t[c] = matches!(c as u8, b'.' | b'\\' | b'"' | b'(' | b')' | b';' | b'@' | b'$');
        c += 1;
    }
    t
};

/// An octet that master-file text cannot show as itself.
#[inline(always)]
fn needs_escape(c: u8) -> bool {
    NEEDS_ESCAPE[usize::from(c)]
}

/// Size of the stack buffer of the fast rendering path: text of up to 80
/// octets (an ip6.arpa name takes 73), with a 16-octet block of slack for
/// the label moves and the padding. Longer names take the careful path.
/// The buffer is zeroed for every name, so it is kept small.
pub(crate) const FAST_TEXT_LEN: usize = 96;

/// The stack buffer of the fast rendering path, aligned to 16 so that
/// `str::from_utf8` takes its word-at-a-time ASCII path from the first
/// octet.
#[repr(align(16))]
pub(crate) struct FastBuf(pub(crate) [u8; FAST_TEXT_LEN]);

impl FastBuf {
    #[inline(always)]
    pub(crate) const fn new() -> Self {
        FastBuf([0; FAST_TEXT_LEN])
    }
}

/// The rendered text `buf[..len]` of a name of `labels` labels, each
/// followed by a dot, as a `&str` if no octet needs an escape: scanned in
/// 16-octet blocks, whether an octet other than a dot is outside the plain
/// set of [`scan_block`], and how many dots there are (one per label unless a label holds one). The
/// text is padded to whole blocks with a plain octet first, so that no
/// lane needs masking and the UTF-8 check of the same blocks runs word by
/// word without a tail. `None` if an escape is needed or `buf` lacks the
/// slack.
#[inline(always)]
pub(crate) fn checked_text(buf: &mut [u8; FAST_TEXT_LEN], len: usize, labels: usize) -> Option<&str> {
    *buf.get_mut(len..)?.first_chunk_mut::<16>()? = [b'a'; 16];
    let buf: &[u8; FAST_TEXT_LEN] = buf;
    let text = buf.get(..len.next_multiple_of(16))?;
    let mut bad = [0u8; 16];
    let mut dots = [0u8; 16];
    for block in text.chunks_exact(16) {
        scan_block(block.try_into().ok()?, &mut bad, &mut dots);
    }
    // Sum the 16 lanes without a loop: fold the two halves (a lane holds
    // at most 5), then add the 8 octets with one multiply.
    let v = u128::from_le_bytes(dots);
    let half = (v as u64).wrapping_add((v >> 64) as u64);
    let dots = (half.wrapping_mul(0x0101_0101_0101_0101) >> 56) as usize;
    if bad != [0; 16] || dots != labels {
        return None;
    }
    core::str::from_utf8(text).ok()?.get(..len)
}

/// Scan one 16-octet `block` of rendered text: mark in `bad` the octets
/// the fast path does not take, and count the dots per lane in `dots`. It
/// takes the octets of host names and service labels, letters, digits,
/// `-` and `_` (RFC 952, RFC 1123 §2.1, RFC 2782), which never need an
/// escape; any other octet (one that needs an escape, or a rarer plain
/// one) sends the name to the careful path, which renders it exactly the
/// same. A small set keeps the test to a few lane-wise operations, which
/// compile to vector instructions rather than a loop per octet.
#[inline(always)]
fn scan_block(block: &[u8; 16], bad: &mut [u8; 16], dots: &mut [u8; 16]) {
    for i in 0..16 {
        let c = block[i];
        let letter = (c | 0x20).wrapping_sub(b'a') < 26;
        let digit = c.wrapping_sub(b'0') < 10;
        let dot = c == b'.';
        let ok = letter | digit | dot | (c == b'-') | (c == b'_');
        bad[i] |= u8::from(!ok);
        dots[i] += u8::from(dot);
    }
}

/// Whether any octet of `label` needs an escape in master-file text.
#[inline(always)]
pub(crate) fn any_needs_escape(label: &[u8]) -> bool {
    let mut bad = false;
    for &c in label {
        bad |= needs_escape(c);
    }
    bad
}

pub(crate) fn push_escaped(out: &mut [u8], at: usize, c: u8) -> Result<usize> {
    if !needs_escape(c) {
        crate::parse::room(out, at + 1, Layer::Dns)?;
        out[at] = c;
        Ok(at + 1)
    } else if matches!(c, 0x21..=0x7E) {
        crate::parse::room(out, at + 2, Layer::Dns)?;
        out[at] = b'\\';
        out[at + 1] = c;
        Ok(at + 2)
    } else {
        crate::parse::room(out, at + 4, Layer::Dns)?;
        out[at] = b'\\';
        out[at + 1] = b'0' + c / 100;
        out[at + 2] = b'0' + (c / 10) % 10;
        out[at + 3] = b'0' + c % 10;
        Ok(at + 4)
    }
}
