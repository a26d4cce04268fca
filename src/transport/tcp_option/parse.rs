//! Reading TCP options (RFC 9293 §3.1): the length rules of each kind,
//! the check [`validate`] runs once over an options area when a segment is
//! parsed, and [`TcpOptionIter`], which decodes a checked area option by
//! option. The kinds, the lengths and the padding rules are set out in the
//! parent module.

use super::{SackBlocks, TcpOption, TcpOptionKind};
use crate::error::{Error, Layer, Result};

/// Decode the option at `area[pos..]`; `base` is added to error offsets.
/// Returns the option and the bytes it spans. Assumes `pos` is not in the
/// padding after an EOL (the caller tracks that).
#[inline]
pub(crate) fn parse_one(area: &[u8], pos: usize, base: usize) -> Result<(TcpOption<'_>, usize)> {
    let len = check_one(area, pos, base)?;
    Ok((decode(area, pos, len), len))
}

/// Check the option at `area[pos..]` (kind, length, and the length rules of
/// its kind) without decoding it; returns the bytes it spans. `validate`
/// only needs this, and the hot parse path then decodes each option once.
#[inline]
fn check_one(area: &[u8], pos: usize, base: usize) -> Result<usize> {
    let rest = &area[pos..];
    let kind = rest[0];
    if kind <= 1 {
        return Ok(1); // EOL, NOP
    }
    // The field name is only needed for an error: computed there.
    let field = || TcpOptionKind(kind).field_name();
    let at = base + pos;
    if rest.len() < 2 {
        return Err(Error::truncated(Layer::Tcp, field(), at, 2, rest.len()));
    }
    let len = usize::from(rest[1]);
    if len < 2 {
        return Err(Error::length_too_small(Layer::Tcp, field(), at, len, 2));
    }
    if len > rest.len() {
        return Err(Error::length_exceeds(Layer::Tcp, field(), at, len, rest.len()));
    }
    // A fixed-size option with another length is malformed (RFC 9293
    // §3.1 MUST-7: be prepared for illegal option lengths).
    if length_ok(kind, len) {
        Ok(len)
    } else {
        Err(length_error(kind, len, at))
    }
}

/// The error for an option whose length breaks its kind's rule in
/// [`length_ok`]: the rule, with the RFC section that sets it.
#[cold]
#[inline(never)]
fn length_error(kind: u8, len: usize, at: usize) -> Error {
    let field = TcpOptionKind(kind).field_name();
    let expected = match kind {
        2 => "length 4 (RFC 9293 §3.2)",
        3 => "length 3 (RFC 7323 §2.2)",
        4 => "length 2 (RFC 2018 §2)",
        5 => "2 + 8n with n = 1..=4",
        8 => "length 10 (RFC 7323 §3.2)",
        19 => "length 18 (RFC 2385 §3)",
        28 => "length 4 (RFC 5482 §2)",
        // TCP-AO and the experiments only have a minimum.
        _ => return Error::length_too_small(Layer::Tcp, field, at, len, 4),
    };
    Error::invalid(Layer::Tcp, field, at, len as u64, expected)
}

/// Decode the option at `area[pos..pos + len]`, already accepted by
/// [`check_one`] with that `len`. Never panics: should the bytes not match
/// (impossible after `check_one`), the option comes out as `Unknown`.
#[inline]
fn decode(area: &[u8], pos: usize, len: usize) -> TcpOption<'_> {
    let kind = area[pos];
    match kind {
        0 => return TcpOption::Eol,
        1 => return TcpOption::Nop,
        _ => {}
    }
    let data = area.get(pos + 2..pos + len).unwrap_or(&[]);
    decode_data(kind, data)
}

/// Decode a kind-length-data option from its kind and data bytes, which
/// `check_one` has sized.
#[inline(always)]
fn decode_data(kind: u8, data: &[u8]) -> TcpOption<'_> {
    match (kind, data) {
        (2, &[a, b]) => TcpOption::Mss(u16::from_be_bytes([a, b])),
        (3, &[shift]) => TcpOption::WindowScale(shift),
        (4, []) => TcpOption::SackPermitted,
        (5, _) if !data.is_empty() && data.len() % 8 == 0 => TcpOption::Sack(SackBlocks::decode(data)),
        (8, &[v0, v1, v2, v3, e0, e1, e2, e3]) => TcpOption::Timestamps {
            val: u32::from_be_bytes([v0, v1, v2, v3]),
            ecr: u32::from_be_bytes([e0, e1, e2, e3]),
        },
        (19, _) => match <&[u8; 16]>::try_from(data) {
            Ok(d) => TcpOption::Md5Signature(d),
            Err(_) => TcpOption::Unknown { kind, data },
        },
        (28, &[hi, lo]) => {
            let v = u16::from_be_bytes([hi, lo]);
            TcpOption::UserTimeout {
                granularity_minutes: v & 0x8000 != 0,
                timeout: v & 0x7fff,
            }
        }
        (29, &[key_id, rnext_key_id, ref mac @ ..]) => TcpOption::Authentication {
            key_id,
            rnext_key_id,
            mac,
        },
        (30, _) => TcpOption::Mptcp(data),
        (34, _) => TcpOption::FastOpenCookie(data),
        (253 | 254, &[x0, x1, ref rest @ ..]) => TcpOption::Experimental {
            kind,
            exid: u16::from_be_bytes([x0, x1]),
            data: rest,
        },
        _ => TcpOption::Unknown { kind, data },
    }
}

/// True if `len` is a length RFC 9293 §3.1 and the option's own RFC allow
/// for `kind` (a kind-length-data option, so `kind >= 2` and `len >= 2`):
/// the same rules as `check_one`, as a predicate for the fast paths.
#[inline]
const fn length_ok(kind: u8, len: usize) -> bool {
    match kind {
        2 | 28 => len == 4,
        3 => len == 3,
        4 => len == 2,
        5 => len >= 10 && len <= 34 && (len - 2) % 8 == 0,
        8 => len == 10,
        19 => len == 18,
        29 | 253 | 254 => len >= 4,
        _ => true,
    }
}

/// `RULES[kind]` for a kind whose options may have any length from 2.
const ANY_LEN: u16 = 0x100;

/// `RULES[kind]` for a kind with a minimum or a pattern (SACK, TCP-AO,
/// experiments), checked by [`length_ok`].
const BY_RULE: u16 = 0x101;

/// The exact length each fixed-size option kind must have, [`ANY_LEN`]
/// for kinds without one and [`BY_RULE`] for the others: one load and
/// compare per option in [`validate`]. The two markers lie above every
/// length byte, so no option matches them by accident. Derived from
/// [`length_ok`], the one statement of the rules.
const RULES: [u16; 256] = {
    let mut t = [ANY_LEN; 256];
    let mut k = 0;
    while k < 256 {
        // How many lengths from 2 to 255 the kind accepts, and the last.
        let (mut accepted, mut last) = (0, 0);
        let mut len = 2;
        while len < 256 {
            if length_ok(k as u8, len) {
                accepted += 1;
                last = len;
            }
            len += 1;
        }
        t[k] = match accepted {
            254 => ANY_LEN,
            1 => last as u16,
            _ => BY_RULE,
        };
        k += 1;
    }
    t
};

/// Check every option of an options area; `base` is the area's offset in
/// the caller's buffer, for error offsets.
///
/// The loop looks at kind and length bytes only; the first option that
/// breaks a rule sends the whole area through `validate_slow`, which
/// builds the error naming it.
#[inline(always)]
pub(crate) fn validate(area: &[u8], base: usize) -> Result<()> {
    if is_common_layout(area) {
        return Ok(());
    }
    let mut rest = area;
    // Each step consumes at least one byte, so this runs at most
    // `area.len()` (≤ 40 for a header) times.
    loop {
        rest = match *rest {
            // The end, or EOL: the rest is padding, kept as is.
            [] | [0, ..] => return Ok(()),
            [1, ref tail @ ..] => tail,
            [kind, len, ..] => {
                let rule = RULES[usize::from(kind)];
                // The exact length first: the common case is one compare.
                if rule != u16::from(len)
                    && !(len >= 2 && (rule == ANY_LEN || (rule == BY_RULE && length_ok(kind, usize::from(len)))))
                {
                    return validate_slow(area, base);
                }
                match rest.get(usize::from(len)..) {
                    Some(next) => next,
                    None => return validate_slow(area, base),
                }
            }
            [_] => return validate_slow(area, base),
        };
    }
}

/// True for the two options areas most segments carry, which are valid as
/// they stand: NOP, NOP, Timestamps (the layout RFC 7323 Appendix A
/// recommends, on every segment of a connection with timestamps), and the
/// SYN layout of Linux: MSS, SACK Permitted, Timestamps, NOP, Window
/// Scale. Their kind and length bytes are compared at once, instead of
/// option by option.
#[inline(always)]
pub(super) fn is_common_layout(area: &[u8]) -> bool {
    // Little-endian words of the fixed bytes, so that each group of kind
    // and length bytes is one load and compare (the shift count, the last
    // byte of the SYN layout, is masked out).
    let word = |b: [u8; 4]| u32::from_le_bytes(b);
    match *area {
        [k0, k1, k2, k3, _, _, _, _, _, _, _, _] => word([k0, k1, k2, k3]) == word([1, 1, 8, 10]),
        [
            k0,
            k1,
            _,
            _,
            k4,
            k5,
            k6,
            k7,
            _,
            _,
            _,
            _,
            _,
            _,
            _,
            _,
            k16,
            k17,
            k18,
            shift,
        ] => {
            word([k0, k1, 0, 0]) == word([2, 4, 0, 0])
                && word([k4, k5, k6, k7]) == word([4, 2, 8, 10])
                && word([k16, k17, k18, shift]) & 0x00ff_ffff == word([1, 3, 3, 0])
        }
        _ => false,
    }
}

/// [`validate`] one option at a time through `check_one`, which names the
/// first malformed option in its error.
#[cold]
#[inline(never)]
pub(super) fn validate_slow(area: &[u8], base: usize) -> Result<()> {
    let mut pos = 0;
    while pos < area.len() {
        let eol = area[pos] == 0;
        pos += check_one(area, pos, base)?;
        if eol {
            break;
        }
    }
    Ok(())
}

/// Iterator over the options of a validated options area (RFC 9293 §3.1).
///
/// Yields every option in wire order, NOPs included, then one item per byte
/// after an EOL (see the module docs). It never loops: each item consumes
/// at least one byte. On bytes that were not validated (impossible through
/// the public API) it yields the rest as one `Unknown` and stops.
#[derive(Clone, Debug)]
pub struct TcpOptionIter<'a> {
    /// The bytes not yet yielded.
    rest: &'a [u8],
    after_eol: bool,
}

impl<'a> TcpOptionIter<'a> {
    /// Iterate an options area already checked by `validate`.
    pub(crate) fn new(area: &'a [u8]) -> Self {
        TcpOptionIter {
            rest: area,
            after_eol: false,
        }
    }
}

impl<'a> Iterator for TcpOptionIter<'a> {
    type Item = TcpOption<'a>;

    #[inline(always)]
    fn next(&mut self) -> Option<TcpOption<'a>> {
        if !self.after_eol {
            // The options of everyday segments, each matched with its
            // required length byte in one slice pattern: a dispatch on the
            // kind, one length compare, and the fields read where they lie.
            // The pattern is the length rule itself, so these arms accept
            // exactly what `check_one` accepts for their kinds; anything
            // else goes to the general decode below.
            let (opt, next) = match *self.rest {
                // Timestamps first: it is on every segment of most
                // connections, the others only on SYNs.
                [1, ref next @ ..] => (TcpOption::Nop, next),
                [8, 10, v0, v1, v2, v3, e0, e1, e2, e3, ref next @ ..] => (
                    TcpOption::Timestamps {
                        val: u32::from_be_bytes([v0, v1, v2, v3]),
                        ecr: u32::from_be_bytes([e0, e1, e2, e3]),
                    },
                    next,
                ),
                [2, 4, a, b, ref next @ ..] => (TcpOption::Mss(u16::from_be_bytes([a, b])), next),
                [3, 3, shift, ref next @ ..] => (TcpOption::WindowScale(shift), next),
                [4, 2, ref next @ ..] => (TcpOption::SackPermitted, next),
                _ => return self.next_general(),
            };
            self.rest = next;
            return Some(opt);
        }
        self.next_general()
    }
}

impl<'a> TcpOptionIter<'a> {
    /// [`Iterator::next`] for EOL, the padding after it, the rarer kinds,
    /// the end of the area, and bytes that are not a valid option.
    #[inline(always)]
    fn next_general(&mut self) -> Option<TcpOption<'a>> {
        let [kind, ref tail @ ..] = *self.rest else {
            return None;
        };
        if kind <= 1 || self.after_eol {
            self.rest = tail;
            return Some(match kind {
                0 => {
                    self.after_eol = true;
                    TcpOption::Eol
                }
                1 if !self.after_eol => TcpOption::Nop,
                // A non-zero byte in the padding after EOL.
                _ => TcpOption::Unknown { kind, data: &[] },
            });
        }
        let len = tail.first().map_or(0, |&l| usize::from(l));
        let Some((bytes, next)) = self.rest.split_at_checked(len) else {
            return Some(self.malformed(kind, tail));
        };
        let opt = match (kind, bytes.get(2..)) {
            // Kinds 2, 3, 4 and 8 with their one valid length were
            // decoded by `next`: here they are malformed.
            (2 | 3 | 4 | 8, _) => return Some(self.malformed(kind, tail)),
            (_, Some(data)) if length_ok(kind, len) => decode_data(kind, data),
            _ => return Some(self.malformed(kind, tail)),
        };
        self.rest = next;
        Some(opt)
    }
}

impl<'a> TcpOptionIter<'a> {
    /// Not a valid option (only reachable on bytes `validate` did not
    /// see): the rest of the area is one unknown item, and iteration ends.
    #[inline(always)]
    fn malformed(&mut self, kind: u8, tail: &'a [u8]) -> TcpOption<'a> {
        self.rest = &[];
        TcpOption::Unknown { kind, data: tail }
    }
}

impl core::iter::FusedIterator for TcpOptionIter<'_> {}
