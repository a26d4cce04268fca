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
mod parse;
pub use list::TcpOptions;
pub use parse::TcpOptionIter;
pub(crate) use parse::{parse_one, validate};

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

#[cfg(test)]
mod tests {
    use super::parse::{is_common_layout, validate_slow};
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
