//! TCP options (RFC 9293 §3.1, §3.2 and the RFCs that register each kind).
//!
//! The options area sits between the fixed 20-byte TCP header and the data.
//! Its size is `4 * data_offset - 20`, so at most 40 bytes, always a multiple
//! of 4. Two option formats exist (RFC 9293 §3.1, "Options"):
//!
//! ```text
//!  single byte:         +--------+
//!   kind 0 (EOL),       |  kind  |
//!   kind 1 (NOP)        +--------+
//!
//!  kind-length-data:    +--------+--------+--------+--------+---
//!   every other kind    |  kind  | length |  data ...          (length counts kind and length)
//!                       +--------+--------+--------+--------+---
//! ```
//!
//! The kinds netspec decodes, with the only lengths it accepts:
//!
//! | kind | option | length | RFC |
//! |------|--------|--------|-----|
//! | 0 | End of Option List | 1 | 9293 §3.2 |
//! | 1 | No-Operation | 1 | 9293 §3.2 |
//! | 2 | Maximum Segment Size | 4 | 9293 §3.2, §3.7.1 |
//! | 3 | Window Scale | 3 | 7323 §2 |
//! | 4 | SACK Permitted | 2 | 2018 §2 |
//! | 5 | SACK | 2 + 8n, n = 1..=4 | 2018 §3 |
//! | 8 | Timestamps | 10 | 7323 §3 |
//! | 19 | MD5 Signature | 18 | 2385 §3 |
//! | 28 | User Timeout | 4 | 5482 §2 |
//! | 29 | TCP Authentication Option | ≥ 4 | 5925 §2.2 |
//! | 30 | Multipath TCP | ≥ 2 (kept raw) | 8684 §3 |
//! | 34 | Fast Open Cookie | ≥ 2 | 7413 §4.1.1 |
//! | 253, 254 | Experimental, with ExID | ≥ 4 | 4727, 6994 §3 |
//!
//! Any other kind is kept as [`TcpOption::Unknown`] with its data, as long as
//! its length is at least 2 and stays inside the area: a receiver must skip
//! options it does not implement (RFC 9293 §3.1, MUST-6).
//!
//! ## Padding and canonical form
//!
//! [`TcpOptions`] keeps the raw wire bytes, so a parsed options area emits
//! back byte for byte. The header emitter pads the area to a multiple of 4
//! with zero (EOL) bytes; two [`TcpOptions`] are equal when they put the
//! same bytes on the wire once padded, so `[MSS][WS]` (7 bytes) equals the
//! 8 bytes `[MSS][WS][EOL]` read back from a segment.
//!
//! Everything after an EOL byte is padding (RFC 9293 §3.2: EOL marks the end
//! of the list, and the rest of the header is zero-filled). The iterator
//! yields one item per padding byte, as tshark lists them: [`TcpOption::Eol`]
//! for each zero byte, and, for a non-zero byte a sender left there,
//! `Unknown { kind: byte, data: &[] }`. Such bytes are kept, not rejected.
//!
//! ```
//! use netspec::transport::tcp_option::{SackBlocks, TcpOption, TcpOptions};
//!
//! let mut o = TcpOptions::new();
//! o.push(TcpOption::Nop)?;
//! o.push(TcpOption::Nop)?;
//! o.push(TcpOption::Sack(SackBlocks::new(&[(1000, 2000)]).unwrap()))?;
//! assert_eq!(o.len(), 12);
//! assert_eq!(o.sack_blocks().unwrap().as_slice(), &[(1000, 2000)]);
//! // A bad length names the option and its offset.
//! let e = TcpOptions::from_bytes(&[1, 2, 3, 0]).unwrap_err();
//! assert_eq!((e.field, e.offset), ("option_mss", 1));
//! # Ok::<(), netspec::Error>(())
//! ```

use core::fmt;

use crate::error::{Error, Layer, Result};

mod list;
pub use list::TcpOptions;

/// The largest options area: data offset 15 words minus the 5 fixed ones.
pub const MAX_OPTIONS_LEN: usize = 40;

/// A TCP option kind: an open newtype over the IANA "TCP Option Kind
/// Numbers" registry (RFC 9293 §3.1). Unknown kinds are kept.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct TcpOptionKind(pub u8);

impl TcpOptionKind {
    /// End of Option List (RFC 9293 §3.2).
    pub const EOL: TcpOptionKind = TcpOptionKind(0);
    /// No-Operation (RFC 9293 §3.2).
    pub const NOP: TcpOptionKind = TcpOptionKind(1);
    /// Maximum Segment Size (RFC 9293 §3.2).
    pub const MSS: TcpOptionKind = TcpOptionKind(2);
    /// Window Scale (RFC 7323 §2).
    pub const WINDOW_SCALE: TcpOptionKind = TcpOptionKind(3);
    /// SACK Permitted (RFC 2018 §2).
    pub const SACK_PERMITTED: TcpOptionKind = TcpOptionKind(4);
    /// SACK blocks (RFC 2018 §3).
    pub const SACK: TcpOptionKind = TcpOptionKind(5);
    /// Timestamps (RFC 7323 §3).
    pub const TIMESTAMPS: TcpOptionKind = TcpOptionKind(8);
    /// MD5 Signature (RFC 2385 §3; obsoleted by RFC 5925).
    pub const MD5_SIGNATURE: TcpOptionKind = TcpOptionKind(19);
    /// Quick-Start Response (RFC 4782 §4.2); decoded as unknown.
    pub const QUICK_START: TcpOptionKind = TcpOptionKind(27);
    /// User Timeout (RFC 5482 §2).
    pub const USER_TIMEOUT: TcpOptionKind = TcpOptionKind(28);
    /// TCP Authentication Option (RFC 5925 §2.2).
    pub const AUTHENTICATION: TcpOptionKind = TcpOptionKind(29);
    /// Multipath TCP (RFC 8684 §3).
    pub const MPTCP: TcpOptionKind = TcpOptionKind(30);
    /// TCP Fast Open Cookie (RFC 7413 §4.1.1).
    pub const FAST_OPEN: TcpOptionKind = TcpOptionKind(34);
    /// RFC 3692-style experiment 1 (RFC 4727 §7.2, ExIDs per RFC 6994).
    pub const EXPERIMENT_1: TcpOptionKind = TcpOptionKind(253);
    /// RFC 3692-style experiment 2 (RFC 4727 §7.2, ExIDs per RFC 6994).
    pub const EXPERIMENT_2: TcpOptionKind = TcpOptionKind(254);

    /// The registered name, if netspec knows this kind.
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "EOL",
            1 => "NOP",
            2 => "MSS",
            3 => "WS",
            4 => "SACK_PERM",
            5 => "SACK",
            8 => "TS",
            19 => "MD5",
            27 => "QUICK_START",
            28 => "UTO",
            29 => "TCP_AO",
            30 => "MPTCP",
            34 => "TFO",
            253 => "EXP1",
            254 => "EXP2",
            _ => return None,
        })
    }

    /// The `field` an option [`Error`] names: `option_<kind>` in snake case
    /// (`option_mss`, `option_sack`, ...; `option_unknown` for others).
    pub const fn field_name(self) -> &'static str {
        match self.0 {
            0 => "option_eol",
            1 => "option_nop",
            2 => "option_mss",
            3 => "option_window_scale",
            4 => "option_sack_permitted",
            5 => "option_sack",
            8 => "option_timestamps",
            19 => "option_md5_signature",
            27 => "option_quick_start",
            28 => "option_user_timeout",
            29 => "option_authentication",
            30 => "option_mptcp",
            34 => "option_fast_open",
            253 | 254 => "option_experimental",
            _ => "option_unknown",
        }
    }
}

crate::macros::named_number_fmt!(TcpOptionKind, "{}");

/// One to four SACK blocks `(left edge, right edge)` (RFC 2018 §3). The
/// right edge is the sequence number just past the block.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SackBlocks {
    blocks: [(u32, u32); 4],
    len: u8,
}

impl SackBlocks {
    /// At most 4 blocks fit the 40-byte options area (RFC 2018 §3).
    pub const MAX: usize = 4;

    /// Blocks from a slice of 1 to 4 `(left, right)` pairs; `None` otherwise.
    pub fn new(blocks: &[(u32, u32)]) -> Option<Self> {
        if blocks.is_empty() || blocks.len() > Self::MAX {
            return None;
        }
        let mut s = SackBlocks {
            blocks: [(0, 0); 4],
            len: blocks.len() as u8,
        };
        s.blocks[..blocks.len()].copy_from_slice(blocks);
        Some(s)
    }

    /// The blocks, in wire order.
    pub fn as_slice(&self) -> &[(u32, u32)] {
        &self.blocks[..usize::from(self.len)]
    }

    /// Decode `8n` bytes of blocks; the caller checked `n` is 1..=4.
    fn decode(data: &[u8]) -> Self {
        let mut s = SackBlocks {
            blocks: [(0, 0); 4],
            len: 0,
        };
        for (slot, b) in s.blocks.iter_mut().zip(data.chunks_exact(8)) {
            *slot = (
                u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
                u32::from_be_bytes([b[4], b[5], b[6], b[7]]),
            );
            s.len += 1;
        }
        s
    }
}

impl fmt::Debug for SackBlocks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

/// One decoded TCP option (RFC 9293 §3.1), borrowing variable data from the
/// options area.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TcpOption<'a> {
    /// End of Option List, kind 0 (RFC 9293 §3.2). Also yielded for each
    /// zero padding byte after the first EOL.
    Eol,
    /// No-Operation, kind 1 (RFC 9293 §3.2): aligns the next option.
    Nop,
    /// Maximum Segment Size, kind 2, length 4 (RFC 9293 §3.2, §3.7.1).
    Mss(u16),
    /// Window Scale shift count, kind 3, length 3 (RFC 7323 §2.2). Values
    /// above 14 are kept; RFC 7323 §2.3 says to use 14 instead.
    WindowScale(u8),
    /// SACK Permitted, kind 4, length 2 (RFC 2018 §2).
    SackPermitted,
    /// SACK blocks, kind 5, length 2 + 8n (RFC 2018 §3).
    Sack(SackBlocks),
    /// Timestamps, kind 8, length 10 (RFC 7323 §3.2).
    Timestamps {
        /// TSval: the sender's timestamp clock.
        val: u32,
        /// TSecr: the TSval echoed back.
        ecr: u32,
    },
    /// MD5 Signature, kind 19, length 18 (RFC 2385 §3).
    Md5Signature(&'a [u8; 16]),
    /// User Timeout, kind 28, length 4 (RFC 5482 §2).
    UserTimeout {
        /// G bit: `timeout` counts minutes (true) or seconds (false).
        granularity_minutes: bool,
        /// The 15-bit timeout value (at most `0x7FFF`).
        timeout: u16,
    },
    /// TCP Authentication Option, kind 29, length ≥ 4 (RFC 5925 §2.2).
    Authentication {
        /// KeyID of the MKT used for this segment.
        key_id: u8,
        /// RNextKeyID: the key the sender wants to receive next.
        rnext_key_id: u8,
        /// The message authentication code.
        mac: &'a [u8],
    },
    /// Multipath TCP, kind 30 (RFC 8684 §3): the data after kind and
    /// length, starting with the subtype nibble, kept raw.
    Mptcp(&'a [u8]),
    /// TCP Fast Open Cookie, kind 34 (RFC 7413 §4.1.1). Empty is a cookie
    /// request.
    FastOpenCookie(&'a [u8]),
    /// Experimental option, kind 253 or 254, with a 16-bit ExID
    /// (RFC 4727 §7.2, RFC 6994 §3).
    Experimental {
        /// 253 or 254.
        kind: u8,
        /// The experiment identifier (first two data bytes).
        exid: u16,
        /// The data after the ExID.
        data: &'a [u8],
    },
    /// Any other kind, with the data after kind and length (RFC 9293 §3.1:
    /// unknown options are skipped using their length). Also yielded, with
    /// empty data, for each non-zero byte after an EOL.
    Unknown {
        /// The option kind.
        kind: u8,
        /// The data after kind and length.
        data: &'a [u8],
    },
}

impl TcpOption<'_> {
    /// The option's kind.
    pub const fn kind(&self) -> TcpOptionKind {
        TcpOptionKind(match self {
            TcpOption::Eol => 0,
            TcpOption::Nop => 1,
            TcpOption::Mss(_) => 2,
            TcpOption::WindowScale(_) => 3,
            TcpOption::SackPermitted => 4,
            TcpOption::Sack(_) => 5,
            TcpOption::Timestamps { .. } => 8,
            TcpOption::Md5Signature(_) => 19,
            TcpOption::UserTimeout { .. } => 28,
            TcpOption::Authentication { .. } => 29,
            TcpOption::Mptcp(_) => 30,
            TcpOption::FastOpenCookie(_) => 34,
            TcpOption::Experimental { kind, .. } => *kind,
            TcpOption::Unknown { kind, .. } => *kind,
        })
    }

    /// Bytes this option takes on the wire (kind and length included).
    pub fn wire_len(&self) -> usize {
        match self {
            TcpOption::Eol | TcpOption::Nop => 1,
            TcpOption::Mss(_) => 4,
            TcpOption::WindowScale(_) => 3,
            TcpOption::SackPermitted => 2,
            TcpOption::Sack(b) => 2 + 8 * b.as_slice().len(),
            TcpOption::Timestamps { .. } => 10,
            TcpOption::Md5Signature(_) => 18,
            TcpOption::UserTimeout { .. } => 4,
            TcpOption::Authentication { mac, .. } => 4 + mac.len(),
            TcpOption::Mptcp(d) | TcpOption::FastOpenCookie(d) | TcpOption::Unknown { data: d, .. } => 2 + d.len(),
            TcpOption::Experimental { data, .. } => 4 + data.len(),
        }
    }

    /// Write the option into `buf`, returning its wire length. Variable or
    /// free-form options are checked by parsing them back (fixed layouts
    /// always decode to themselves), so an option that would not parse
    /// (a timeout above 15 bits, an experimental kind other than 253/254, an
    /// unknown option whose kind is 0, 1 or a decoded kind) is an error.
    #[inline]
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        // Fixed layouts are one store of their wire form: kind and length
        // are the ones `check_one` requires, so they decode to themselves.
        match self.fixed_wire() {
            Some((wire, n)) => match buf.get_mut(..n) {
                Some(out) => {
                    out.copy_from_slice(&wire.to_le_bytes()[..n]);
                    Ok(n)
                }
                None => Err(Error::buffer_too_small(Layer::Tcp, n, buf.len())),
            },
            None => self.emit_variable(buf),
        }
    }

    /// The wire form of a fixed-layout option (EOL, NOP, MSS, window scale,
    /// SACK-permitted, timestamps: RFC 9293 §3.2, RFC 7323, RFC 2018) as
    /// the first `n` little-endian bytes of a `u128` (the rest zero), or
    /// `None` for the other variants. These are the options every SYN and
    /// data segment carries: [`TcpOptions::push`] stores them with one
    /// 16-byte store built in registers, and nothing reads them back.
    #[inline(always)]
    fn fixed_wire(&self) -> Option<(u128, usize)> {
        // Byte k of the wire form is bits 8k..8k+8; multi-byte fields are
        // big-endian on the wire, hence the byte swaps.
        Some(match *self {
            TcpOption::Eol => (0, 1),
            TcpOption::Nop => (1, 1),
            TcpOption::Mss(v) => (0x0402 | u128::from(v.swap_bytes()) << 16, 4),
            TcpOption::WindowScale(s) => (0x0303 | u128::from(s) << 16, 3),
            TcpOption::SackPermitted => (0x0204, 2),
            TcpOption::Timestamps { val, ecr } => (
                0x0a08 | u128::from(val.swap_bytes()) << 16 | u128::from(ecr.swap_bytes()) << 48,
                10,
            ),
            _ => return None,
        })
    }

    /// [`TcpOption::emit`] for the options whose layout depends on their
    /// data (or that can be unencodable): written, then read back.
    fn emit_variable(&self, buf: &mut [u8]) -> Result<usize> {
        let n = self.wire_len();
        let field = self.kind().field_name();
        if n > MAX_OPTIONS_LEN {
            return Err(Error::limit_exceeded(Layer::Tcp, field, 0, MAX_OPTIONS_LEN));
        }
        if buf.len() < n {
            return Err(Error::buffer_too_small(Layer::Tcp, n, buf.len()));
        }
        let out = &mut buf[..n];
        out[0] = self.kind().0;
        if n > 1 {
            out[1] = n as u8;
        }
        match self {
            TcpOption::Eol | TcpOption::Nop | TcpOption::SackPermitted => {}
            TcpOption::Mss(v) => out[2..4].copy_from_slice(&v.to_be_bytes()),
            TcpOption::WindowScale(s) => out[2] = *s,
            TcpOption::Sack(b) => {
                for (chunk, (l, r)) in out[2..].chunks_exact_mut(8).zip(b.as_slice()) {
                    chunk[..4].copy_from_slice(&l.to_be_bytes());
                    chunk[4..].copy_from_slice(&r.to_be_bytes());
                }
            }
            TcpOption::Timestamps { val, ecr } => {
                out[2..6].copy_from_slice(&val.to_be_bytes());
                out[6..10].copy_from_slice(&ecr.to_be_bytes());
            }
            TcpOption::Md5Signature(d) => out[2..].copy_from_slice(&d[..]),
            TcpOption::UserTimeout {
                granularity_minutes,
                timeout,
            } => {
                if *timeout > 0x7fff {
                    return Err(Error::invalid(
                        Layer::Tcp,
                        field,
                        2,
                        u64::from(*timeout),
                        "a 15-bit user timeout",
                    ));
                }
                let v = timeout | if *granularity_minutes { 0x8000 } else { 0 };
                out[2..4].copy_from_slice(&v.to_be_bytes());
            }
            TcpOption::Authentication {
                key_id,
                rnext_key_id,
                mac,
            } => {
                out[2] = *key_id;
                out[3] = *rnext_key_id;
                out[4..].copy_from_slice(mac);
            }
            TcpOption::Mptcp(d) | TcpOption::FastOpenCookie(d) => out[2..].copy_from_slice(d),
            TcpOption::Experimental { kind, exid, data } => {
                if !matches!(kind, 253 | 254) {
                    return Err(Error::invalid(
                        Layer::Tcp,
                        field,
                        0,
                        u64::from(*kind),
                        "experimental kind 253 or 254",
                    ));
                }
                out[2..4].copy_from_slice(&exid.to_be_bytes());
                out[4..].copy_from_slice(data);
            }
            TcpOption::Unknown { kind, data } => {
                if *kind <= 1 {
                    return Err(Error::invalid(
                        Layer::Tcp,
                        "option_unknown",
                        0,
                        u64::from(*kind),
                        "a kind-length-data option kind (2..=255)",
                    ));
                }
                out[2..].copy_from_slice(data);
            }
        }
        // Re-read what was written: the decoded form must be this option,
        // so that push/emit never produce bytes that parse differently.
        match parse_one(out, 0, 0)? {
            (back, used) if used == n && back == *self => Ok(n),
            _ => Err(Error::invalid(
                Layer::Tcp,
                field,
                0,
                u64::from(self.kind().0),
                "an option that decodes back to itself (use the typed variant for a known kind)",
            )),
        }
    }
}

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
fn is_common_layout(area: &[u8]) -> bool {
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
fn validate_slow(area: &[u8], base: usize) -> Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn err(b: &[u8]) -> Error {
        TcpOptions::from_bytes(b).unwrap_err()
    }

    #[test]
    fn typical_syn_options() {
        // MSS 1460, SACK-perm, TS, NOP, WS 7 (Linux SYN layout).
        let b = [2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7];
        let o = TcpOptions::from_bytes(&b).unwrap();
        assert_eq!(o.mss(), Some(1460));
        assert!(o.sack_permitted());
        assert_eq!(o.timestamps(), Some((1, 0)));
        assert_eq!(o.window_scale(), Some(7));
        assert_eq!(o.sack_blocks(), None);
        let mut built = TcpOptions::new();
        for opt in o.iter() {
            built.push(opt).unwrap();
        }
        assert_eq!(built.as_bytes(), &b[..]);
    }

    #[test]
    fn bad_lengths_name_kind_and_offset() {
        // Length 0 and 1 on an unknown and a known kind.
        let e = err(&[1, 2, 0]);
        assert_eq!((e.field, e.offset), ("option_mss", 1));
        assert_eq!(e.kind, ErrorKind::LengthTooSmall { value: 0, min: 2 });
        let e = err(&[1, 1, 99, 1]);
        assert_eq!((e.field, e.offset), ("option_unknown", 2));
        // Past the end.
        let e = err(&[8, 10, 0, 0]);
        assert_eq!((e.field, e.offset), ("option_timestamps", 0));
        assert_eq!(
            e.kind,
            ErrorKind::LengthExceeds {
                value: 10,
                available: 4
            }
        );
        // Kind byte alone at the end.
        let e = err(&[1, 1, 1, 3]);
        assert_eq!((e.field, e.offset), ("option_window_scale", 3));
        // Wrong fixed lengths, for each kind.
        let cases: &[(&[u8], &str)] = &[
            (&[2, 3, 0], "option_mss"),
            (&[3, 2], "option_window_scale"),
            (&[4, 3, 0], "option_sack_permitted"),
            (&[8, 9, 0, 0, 0, 0, 0, 0, 0], "option_timestamps"),
            (&[5, 2], "option_sack"),
            (&[5, 9, 0, 0, 0, 0, 0, 0, 0], "option_sack"),
            (
                &[19, 17, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                "option_md5_signature",
            ),
            (&[28, 3, 0], "option_user_timeout"),
            (&[29, 3, 0], "option_authentication"),
            (&[253, 3, 0], "option_experimental"),
            (&[254, 2], "option_experimental"),
        ];
        for (b, field) in cases {
            let e = err(b);
            assert_eq!((e.field, e.offset), (*field, 0), "{b:?}");
        }
        // SACK with 5 blocks is 42 bytes: too long for the area anyway.
        let mut long = [0u8; 40];
        long[0] = 5;
        long[1] = 34 + 8;
        assert_eq!(err(&long).field, "option_sack");
    }

    #[test]
    fn padding_after_eol() {
        let b = [3, 3, 2, 0, 0, 5, 0, 0];
        let o = TcpOptions::from_bytes(&b).unwrap();
        let items: Vec<_> = o.iter().collect();
        assert_eq!(
            items,
            [
                TcpOption::WindowScale(2),
                TcpOption::Eol,
                TcpOption::Eol,
                TcpOption::Unknown { kind: 5, data: &[] },
                TcpOption::Eol,
                TcpOption::Eol
            ]
        );
        assert_eq!(o.as_bytes(), &b);
    }

    #[test]
    fn equality_is_on_padded_wire_form() {
        let mut a = TcpOptions::new();
        a.push(TcpOption::WindowScale(7)).unwrap();
        let b = TcpOptions::from_bytes(&[3, 3, 7, 0]).unwrap();
        assert_eq!(a, b);
        let c = TcpOptions::from_bytes(&[3, 3, 7, 0, 0, 0, 0, 0]).unwrap();
        assert_ne!(a, c);
    }

    #[test]
    fn push_rejects_unencodable_and_overflow() {
        let mut o = TcpOptions::new();
        assert!(
            o.push(TcpOption::UserTimeout {
                granularity_minutes: false,
                timeout: 0x8000
            })
            .is_err()
        );
        assert!(o.push(TcpOption::Unknown { kind: 2, data: &[1, 2] }).is_err());
        assert!(o.push(TcpOption::Unknown { kind: 0, data: &[] }).is_err());
        assert!(
            o.push(TcpOption::Experimental {
                kind: 9,
                exid: 1,
                data: &[]
            })
            .is_err()
        );
        for _ in 0..4 {
            o.push(TcpOption::Timestamps { val: 1, ecr: 2 }).unwrap();
        }
        assert!(o.push(TcpOption::Timestamps { val: 1, ecr: 2 }).is_err());
        assert_eq!(o.len(), 40);
        let mut o = TcpOptions::new();
        o.push(TcpOption::Nop).unwrap();
        o.push(TcpOption::Eol).unwrap();
        o.push(TcpOption::Eol).unwrap();
        assert!(o.has_eol());
        let e = o.push(TcpOption::Mss(1)).unwrap_err();
        assert_eq!((e.field, e.offset), ("option_mss", 3));
        assert_eq!(o.as_bytes(), &[1, 0, 0]);
    }

    #[test]
    fn iterator_on_unvalidated_bytes_stops() {
        let it = TcpOptionIter::new(&[2, 0, 0]);
        assert_eq!(it.count(), 1);
    }

    /// The fast paths (`validate`'s loop, the iterator's inline decoding)
    /// and the error path (`check_one`) must agree on every kind and length
    /// byte: one option at the start of a 40-byte area, the rest NOPs.
    /// The iterator as the one-option-at-a-time walk through `parse_one`
    /// defines it: options up to EOL, one item per byte after it, and the
    /// rest as one `Unknown` at the first malformed option.
    fn reference_walk(area: &[u8]) -> Vec<TcpOption<'_>> {
        let (mut out, mut pos, mut after_eol) = (Vec::new(), 0, false);
        while pos < area.len() {
            let kind = area[pos];
            if after_eol {
                out.push(match kind {
                    0 => TcpOption::Eol,
                    _ => TcpOption::Unknown { kind, data: &[] },
                });
                pos += 1;
                continue;
            }
            match parse_one(area, pos, 0) {
                Ok((opt, n)) => {
                    after_eol = opt == TcpOption::Eol;
                    out.push(opt);
                    pos += n;
                }
                Err(_) => {
                    out.push(TcpOption::Unknown {
                        kind,
                        data: &area[pos + 1..],
                    });
                    break;
                }
            }
        }
        out
    }

    /// The slice-pattern arms of `next` and its general decode together
    /// give the reference walk, on areas stitched from valid, malformed
    /// and truncated options of the common kinds, with EOL and padding.
    #[test]
    fn iterator_agrees_with_the_reference_walk() {
        let pieces: [&[u8]; 16] = [
            &[1],
            &[0],
            &[2, 4, 5, 0xb4],
            &[2, 3, 5],
            &[2, 5, 5, 0xb4, 9],
            &[3, 3, 7],
            &[3, 2],
            &[4, 2],
            &[4, 3, 0],
            &[8, 10, 1, 2, 3, 4, 5, 6, 7, 8],
            &[8, 9, 1, 2, 3, 4, 5, 6, 7],
            &[5, 10, 0, 0, 0, 1, 0, 0, 0, 2],
            &[28, 4, 0x80, 1],
            &[99, 2],
            &[2],
            &[8, 10, 1],
        ];
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            let mut area = [0u8; MAX_OPTIONS_LEN];
            let mut n = 0;
            loop {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let p = pieces[(x % 16) as usize];
                if n + p.len() > area.len() || x % 11 == 0 {
                    break;
                }
                area[n..n + p.len()].copy_from_slice(p);
                n += p.len();
            }
            let area = &area[..n];
            let items: Vec<_> = TcpOptionIter::new(area).collect();
            assert_eq!(items, reference_walk(area), "{area:?}");
        }
    }

    /// The two layouts `validate` accepts at once are valid by the
    /// option-by-option check, whatever their data bytes; and any change to
    /// one of their bytes, or to their length, gets the verdict and error
    /// of that check.
    #[test]
    fn common_layouts_agree_with_the_option_by_option_check() {
        let ts: [u8; 12] = [1, 1, 8, 10, 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 7];
        let syn: [u8; 20] = [2, 4, 5, 0xb4, 4, 2, 8, 10, 1, 2, 3, 4, 0, 0, 0, 0, 1, 3, 3, 7];
        for layout in [&ts[..], &syn[..]] {
            assert!(is_common_layout(layout));
            assert_eq!(validate_slow(layout, 20), Ok(()));
            for at in 0..layout.len() {
                for byte in [0u8, 1, 2, 3, 4, 8, 9, 10, 11, 0x7f, 0xff] {
                    let mut area = [0u8; MAX_OPTIONS_LEN];
                    area[..layout.len()].copy_from_slice(layout);
                    area[at] = byte;
                    for len in [layout.len() - 1, layout.len(), layout.len() + 4] {
                        let a = &area[..len];
                        assert_eq!(validate(a, 20), validate_slow(a, 20), "{a:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn fast_and_slow_option_checks_agree_everywhere() {
        for kind in 0..=255u8 {
            for len in 0..=255u8 {
                let mut area = [1u8; MAX_OPTIONS_LEN];
                area[0] = kind;
                area[1] = len;
                let fast = validate(&area, 20);
                assert_eq!(fast, validate_slow(&area, 20), "kind {kind} len {len}");
                // The iterator decodes exactly what `parse_one` decodes,
                // and falls back to one `Unknown` where it fails.
                let first = TcpOptionIter::new(&area).next();
                match parse_one(&area, 0, 0) {
                    Ok((opt, _)) => assert_eq!(first, Some(opt), "kind {kind} len {len}"),
                    Err(_) => assert_eq!(
                        first,
                        Some(TcpOption::Unknown { kind, data: &area[1..] }),
                        "kind {kind} len {len}"
                    ),
                }
            }
        }
    }
}
