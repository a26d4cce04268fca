//! [`TcpOptions`], the owned options area of a TCP header: the wire bytes
//! with typed builders and getters (RFC 9293 §3.1). The option kinds, their
//! decoding and the rules it checks are in the parent module.

use super::*;

/// The options area of an owned TCP header: raw wire bytes (at most 40)
/// with typed builders and getters (RFC 9293 §3.1).
///
/// Every value is valid: [`TcpOptions::from_bytes`] checks each option and
/// [`TcpOptions::push`] writes only options that decode back to themselves,
/// so [`TcpOptions::iter`] is infallible. Equality compares the bytes as
/// emitted, padded with EOL to a multiple of 4 (see the module docs).
#[derive(Clone, Copy)]
pub struct TcpOptions {
    /// Invariant: `bytes[len..]` is all zero, so comparing whole arrays plus
    /// the padded length compares the padded wire forms.
    bytes: [u8; MAX_OPTIONS_LEN],
    len: u8,
    /// Invariant: true exactly when `bytes[..len]` holds an EOL outside
    /// any option. Derived from the bytes (so not part of equality), kept
    /// up to date by every constructor and `push`, so that `push` need not
    /// walk the options to find one.
    eol: bool,
}

impl TcpOptions {
    /// No options.
    #[inline]
    pub const fn new() -> Self {
        TcpOptions {
            bytes: [0; MAX_OPTIONS_LEN],
            len: 0,
            eol: false,
        }
    }

    /// Append `opt` in wire form. Fails if the area would exceed 40 bytes,
    /// the option is not encodable (see [`TcpOption::emit`]), or an EOL is
    /// already there and `opt` is not another EOL (receivers stop at the
    /// first EOL, RFC 9293 §3.2). On failure `self` is unchanged.
    #[inline]
    pub fn push(&mut self, opt: TcpOption<'_>) -> Result<()> {
        let Some((wire, n)) = opt.fixed_wire() else {
            return self.push_variable(opt);
        };
        let len = self.len();
        let is_eol = matches!(opt, TcpOption::Eol);
        // The kind is the wire form's first byte: taken from there, the
        // error paths need no per-variant kind of their own.
        let kind = TcpOptionKind(wire as u8);
        if self.eol && !is_eol {
            return Err(after_eol(kind, len));
        }
        if let Some(dst) = self.bytes.get_mut(len..).and_then(|r| r.first_chunk_mut::<16>()) {
            // One 16-byte store: the wire form's tail past `n` is zero,
            // which is what `bytes[len + n..]` already holds.
            *dst = wire.to_le_bytes();
        } else if len + n > MAX_OPTIONS_LEN {
            return Err(too_long(kind, len));
        } else if let Some((_, tail)) = self.bytes.split_last_chunk_mut::<16>() {
            // Past byte 24 a 16-byte store at `len` would overrun: merge the
            // wire form into the last 16 bytes instead, still in registers
            // (`len - 24 + n <= 16`, so the shift drops only zero bytes).
            let held = u128::from_le_bytes(*tail);
            let shift = 8 * (len - (MAX_OPTIONS_LEN - 16));
            *tail = (held | wire << shift).to_le_bytes();
        }
        self.len = (len + n) as u8;
        self.eol |= is_eol;
        Ok(())
    }

    /// [`TcpOptions::push`] for the variable layouts: emitted into a
    /// scratch area first, since emitting can fail after writing.
    fn push_variable(&mut self, opt: TcpOption<'_>) -> Result<()> {
        let len = self.len();
        if self.eol {
            // `opt` is not EOL: that one has a fixed layout.
            return Err(after_eol(opt.kind(), len));
        }
        let mut scratch = [0u8; MAX_OPTIONS_LEN];
        let n = opt.emit(&mut scratch)?;
        let Some(dst) = self.bytes.get_mut(len..len + n) else {
            return Err(too_long(opt.kind(), len));
        };
        dst.copy_from_slice(&scratch[..n]);
        self.len = (len + n) as u8;
        Ok(())
    }

    /// True if the stored bytes hold an EOL outside any option: what
    /// follows it is padding.
    #[inline]
    pub fn has_eol(&self) -> bool {
        self.eol
    }

    /// The options in wire order (see [`TcpOptionIter`]).
    pub fn iter(&self) -> TcpOptionIter<'_> {
        TcpOptionIter::new(self.as_bytes())
    }

    /// The stored wire bytes, without the padding the emitter adds.
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len()]
    }

    /// The stored bytes padded with EOL to a multiple of 4, as emitted.
    #[inline]
    pub fn padded_bytes(&self) -> &[u8] {
        &self.bytes[..self.padded_len()]
    }

    /// The unfolded one's complement sum of the padded options (RFC 1071),
    /// for the TCP checksum: taken over the whole 40-byte array, whose
    /// bytes past the options are zero, so the compiler sees a fixed length
    /// and the sum is five 8-byte loads, with no loop or length tests.
    #[inline]
    pub(crate) fn wide_sum(&self) -> crate::checksum::WideSum {
        crate::checksum::WideSum::of(&self.bytes)
    }

    /// Options from wire bytes, kept exactly (padding included). Every
    /// option is checked; error offsets count from the start of `b`.
    pub fn from_bytes(b: &[u8]) -> Result<Self> {
        if b.len() > MAX_OPTIONS_LEN {
            return Err(Error::limit_exceeded(Layer::Tcp, "options", 0, MAX_OPTIONS_LEN));
        }
        validate(b, 0)?;
        let mut o = TcpOptions::new();
        o.bytes[..b.len()].copy_from_slice(b);
        o.len = b.len() as u8;
        o.eol = find_eol(b);
        Ok(o)
    }

    /// Stored bytes (unpadded).
    #[inline]
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// The length rounded up to a multiple of 4: what the header carries.
    #[inline]
    pub fn padded_len(&self) -> usize {
        // Two instructions; `next_multiple_of` compiles to a test and a
        // conditional move, and header lengths are computed often.
        (self.len() + 3) & !3
    }

    /// True if there are no option bytes.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The first MSS option's value (RFC 9293 §3.7.1).
    pub fn mss(&self) -> Option<u16> {
        self.iter().find_map(|o| match o {
            TcpOption::Mss(v) => Some(v),
            _ => None,
        })
    }

    /// The first Window Scale shift count (RFC 7323 §2.2).
    pub fn window_scale(&self) -> Option<u8> {
        self.iter().find_map(|o| match o {
            TcpOption::WindowScale(v) => Some(v),
            _ => None,
        })
    }

    /// True if a SACK-Permitted option is present (RFC 2018 §2).
    pub fn sack_permitted(&self) -> bool {
        self.iter().any(|o| o == TcpOption::SackPermitted)
    }

    /// The first Timestamps option as `(TSval, TSecr)` (RFC 7323 §3.2).
    pub fn timestamps(&self) -> Option<(u32, u32)> {
        self.iter().find_map(|o| match o {
            TcpOption::Timestamps { val, ecr } => Some((val, ecr)),
            _ => None,
        })
    }

    /// The first SACK option's blocks (RFC 2018 §3).
    pub fn sack_blocks(&self) -> Option<SackBlocks> {
        self.iter().find_map(|o| match o {
            TcpOption::Sack(b) => Some(b),
            _ => None,
        })
    }
}

/// True if the valid options area `a` holds an EOL outside any option:
/// a walk over kind and length bytes only (each step advances by at least
/// one byte, so it runs at most `a.len()` times).
fn find_eol(a: &[u8]) -> bool {
    let mut pos = 0;
    while let Some(&kind) = a.get(pos) {
        pos += match kind {
            0 => return true,
            1 => 1,
            _ => usize::from(a.get(pos + 1).copied().unwrap_or(0)).max(2),
        };
    }
    false
}

/// The error for an option pushed after an EOL (RFC 9293 §3.2); `len` is
/// the area's length so far.
#[cold]
fn after_eol(kind: TcpOptionKind, len: usize) -> Error {
    Error::invalid(
        Layer::Tcp,
        kind.field_name(),
        len,
        u64::from(kind.0),
        "no option after End of Option List (RFC 9293 §3.2)",
    )
}

/// The error for an option that does not fit the 40-byte area; its offset
/// counts from the start of the TCP header.
#[cold]
fn too_long(kind: TcpOptionKind, len: usize) -> Error {
    Error::limit_exceeded(Layer::Tcp, kind.field_name(), 20 + len, MAX_OPTIONS_LEN)
}

impl Default for TcpOptions {
    fn default() -> Self {
        Self::new()
    }
}

impl PartialEq for TcpOptions {
    fn eq(&self, other: &Self) -> bool {
        self.padded_len() == other.padded_len() && self.bytes == other.bytes
    }
}

impl Eq for TcpOptions {}

impl core::hash::Hash for TcpOptions {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.padded_bytes().hash(state);
    }
}

impl fmt::Debug for TcpOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a TcpOptions {
    type Item = TcpOption<'a>;
    type IntoIter = TcpOptionIter<'a>;
    fn into_iter(self) -> TcpOptionIter<'a> {
        self.iter()
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for TcpOptions {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        // Arbitrary bytes, cut at the first invalid option: always valid.
        let n = u.int_in_range(0..=MAX_OPTIONS_LEN)?;
        let raw = u.bytes(n)?;
        let mut good = raw.len();
        let mut pos = 0;
        while pos < raw.len() {
            match parse_one(raw, pos, 0) {
                Ok((TcpOption::Eol, _)) => break,
                Ok((_, used)) => pos += used,
                Err(_) => {
                    good = pos;
                    break;
                }
            }
        }
        TcpOptions::from_bytes(&raw[..good]).map_err(|_| arbitrary::Error::IncorrectFormat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each fixed-layout option pushed after 0 to 40 NOPs: below byte 24
    /// `push` stores 16 bytes at the end of the area, past it merges into
    /// the last 16 bytes; either way the bytes are the ones
    /// [`TcpOption::emit`] writes, the rest of the area stays zero, and an
    /// option that does not fit leaves the area unchanged.
    #[test]
    fn push_at_every_offset_matches_emit() {
        let opts = [
            TcpOption::Eol,
            TcpOption::Nop,
            TcpOption::Mss(0xabcd),
            TcpOption::WindowScale(14),
            TcpOption::SackPermitted,
            TcpOption::Timestamps {
                val: 0x0102_0304,
                ecr: 0xa1b2_c3d4,
            },
        ];
        for lead in 0..=MAX_OPTIONS_LEN {
            for opt in opts {
                let mut o = TcpOptions::new();
                for _ in 0..lead {
                    o.push(TcpOption::Nop).unwrap();
                }
                let before = o;
                let n = opt.wire_len();
                match o.push(opt) {
                    Ok(()) => {
                        assert!(lead + n <= MAX_OPTIONS_LEN, "{opt:?} after {lead}");
                        let mut want = [1u8; MAX_OPTIONS_LEN];
                        want[lead..].fill(0);
                        assert_eq!(opt.emit(&mut want[lead..]), Ok(n));
                        assert_eq!(o.bytes, want, "{opt:?} after {lead}");
                        assert_eq!(o.len(), lead + n);
                        assert_eq!(o.has_eol(), opt == TcpOption::Eol);
                        assert_eq!(TcpOptions::from_bytes(o.as_bytes()), Ok(o));
                    }
                    Err(e) => {
                        assert!(lead + n > MAX_OPTIONS_LEN, "{opt:?} after {lead}");
                        assert_eq!((e.field, e.offset), (opt.kind().field_name(), 20 + lead));
                        assert_eq!(o.bytes, before.bytes);
                        assert_eq!(o.len(), lead);
                    }
                }
            }
        }
    }

    /// `padded_len` rounds up to a multiple of 4 for every length.
    #[test]
    fn padded_len_rounds_up() {
        let mut o = TcpOptions::new();
        for len in 0..=MAX_OPTIONS_LEN {
            assert_eq!(o.padded_len(), len.next_multiple_of(4));
            assert_eq!(o.padded_bytes().len(), o.padded_len());
            let _ = o.push(TcpOption::Nop);
        }
    }
}
