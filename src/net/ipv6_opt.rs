//! IPv6 Hop-by-Hop and Destination Options (RFC 8200 §4.2, §4.3, §4.6).
//!
//! Both headers carry a list of TLV-encoded options after their Next Header
//! and Hdr Ext Len bytes, padded so that the header is a multiple of 8
//! bytes:
//!
//! ```text
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+- - - - - - - - -
//! |  Option Type  |  Opt Data Len |  Option Data
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+- - - - - - - - -
//! ```
//!
//! The two high bits of the Option Type say what a node that does not know
//! the option must do (RFC 8200 §4.2): `00` skip it, `01` discard the
//! packet, `10` discard and send ICMP Parameter Problem, `11` the same
//! unless the destination was multicast. The third bit says whether the
//! data may change en route. Two options exist only for padding: **Pad1**
//! (a single zero byte, no length) and **PadN**.
//!
//! netspec types Pad1, PadN, Router Alert (RFC 2711) and Jumbo Payload
//! (RFC 2675); every other option is kept raw with its type byte.
//!
//! ```
//! use netspec::net::ipv6_opt::{Ipv6Option, Ipv6OptionsHeader};
//! use netspec::net::IpProtocol;
//! let mut h = Ipv6OptionsHeader { next_header: IpProtocol::ICMPV6, ..Default::default() };
//! h.push(Ipv6Option::RouterAlert(0)).unwrap(); // MLD
//! h.pad().unwrap();
//! let mut buf = [0u8; 8];
//! assert_eq!(h.emit(&mut buf).unwrap(), 8);
//! assert_eq!(buf, [58, 0, 5, 2, 0, 0, 1, 0]);
//! ```

use crate::error::{Error, Layer, Result};
use crate::net::IpProtocol;
use crate::net::ipv6_ext::{InlineBytes, Ipv6ExtHeader, MAX_EXT_HEADER_LEN, emit_ext_start};
use crate::parse::{get_u16, get_u32, room};

/// An IPv6 option type (RFC 8200 §4.2), open: every value is kept.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Ipv6OptionType(pub u8);

impl Ipv6OptionType {
    /// Pad1 (RFC 8200 §4.2).
    pub const PAD1: Ipv6OptionType = Ipv6OptionType(0);
    /// PadN (RFC 8200 §4.2).
    pub const PADN: Ipv6OptionType = Ipv6OptionType(1);
    /// Router Alert (RFC 2711 §2.1).
    pub const ROUTER_ALERT: Ipv6OptionType = Ipv6OptionType(5);
    /// Jumbo Payload (RFC 2675 §2).
    pub const JUMBO_PAYLOAD: Ipv6OptionType = Ipv6OptionType(0xc2);

    /// The registered name, if netspec knows this value (RFC 8200 §4.2).
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "Pad1",
            1 => "PadN",
            5 => "RouterAlert",
            0xc2 => "JumboPayload",
            _ => return None,
        })
    }

    /// The two high-order "action" bits: what to do if the option is
    /// unrecognised (RFC 8200 §4.2), 0..=3.
    pub const fn action(self) -> u8 {
        self.0 >> 6
    }

    /// The third-highest bit: the option data may change en route
    /// (RFC 8200 §4.2).
    pub const fn may_change(self) -> bool {
        self.0 & 0x20 != 0
    }
}

crate::macros::named_number_fmt!(Ipv6OptionType, "{:#04x}", debug_only);

/// One option of a Hop-by-Hop or Destination Options header (RFC 8200 §4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ipv6Option<'a> {
    /// Pad1: one zero byte (RFC 8200 §4.2).
    Pad1,
    /// PadN with this many data bytes (any content, kept raw).
    PadN(&'a [u8]),
    /// Router Alert with its 16-bit value (RFC 2711 §2.1; 0 = MLD).
    RouterAlert(u16),
    /// Jumbo Payload length (RFC 2675 §2).
    JumboPayload(u32),
    /// Any other option, kept raw.
    Unknown {
        /// The Option Type (its action bits are [`Ipv6OptionType::action`]).
        kind: Ipv6OptionType,
        /// The Option Data.
        data: &'a [u8],
    },
}

impl Ipv6Option<'_> {
    /// The option's type byte (RFC 8200 §4.2).
    pub const fn kind(&self) -> Ipv6OptionType {
        match self {
            Ipv6Option::Pad1 => Ipv6OptionType::PAD1,
            Ipv6Option::PadN(_) => Ipv6OptionType::PADN,
            Ipv6Option::RouterAlert(_) => Ipv6OptionType::ROUTER_ALERT,
            Ipv6Option::JumboPayload(_) => Ipv6OptionType::JUMBO_PAYLOAD,
            Ipv6Option::Unknown { kind, .. } => *kind,
        }
    }

    /// Bytes on the wire (RFC 8200 §4.2).
    pub const fn len(&self) -> usize {
        match self {
            Ipv6Option::Pad1 => 1,
            Ipv6Option::PadN(d) | Ipv6Option::Unknown { data: d, .. } => 2 + d.len(),
            Ipv6Option::RouterAlert(_) => 4,
            Ipv6Option::JumboPayload(_) => 6,
        }
    }

    /// Always false (an option is at least one byte) (RFC 8200 §4.2).
    pub const fn is_empty(&self) -> bool {
        false
    }

    /// Write the option into `buf`; data longer than 255 bytes is
    /// [`crate::ErrorKind::Invalid`] (RFC 8200 §4.2).
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let len = self.len();
        if len > 257 {
            return Err(Error::invalid(
                Layer::Ipv6Ext,
                "opt_data_len",
                1,
                len as u64 - 2,
                "at most 255",
            ));
        }
        room(buf, len, Layer::Ipv6Ext)?;
        buf[0] = self.kind().0;
        match self {
            Ipv6Option::Pad1 => {}
            Ipv6Option::PadN(d) | Ipv6Option::Unknown { data: d, .. } => {
                buf[1] = d.len() as u8;
                buf[2..len].copy_from_slice(d);
            }
            Ipv6Option::RouterAlert(v) => {
                buf[1] = 2;
                buf[2..4].copy_from_slice(&v.to_be_bytes());
            }
            Ipv6Option::JumboPayload(v) => {
                buf[1] = 4;
                buf[2..6].copy_from_slice(&v.to_be_bytes());
            }
        }
        Ok(len)
    }
}

/// Iterator over the options area of a Hop-by-Hop or Destination Options
/// header (RFC 8200 §4.2). Each step consumes at least one byte and never
/// reads past the area; after an error it stops.
#[derive(Clone, Debug)]
pub struct Ipv6OptionIter<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Ipv6OptionIter<'a> {
    /// Iterate `area`; errors report `base + position` (RFC 8200 §4.2).
    pub const fn new(area: &'a [u8], base: usize) -> Self {
        Ipv6OptionIter {
            buf: area,
            pos: 0,
            base,
        }
    }
}

impl<'a> Iterator for Ipv6OptionIter<'a> {
    type Item = Result<Ipv6Option<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.buf.get(self.pos..).filter(|r| !r.is_empty())?;
        let at = self.base + self.pos;
        if rest[0] == 0 {
            self.pos += 1;
            return Some(Ok(Ipv6Option::Pad1));
        }
        // Any error ends the iteration: we cannot resynchronise.
        let fail = |s: &mut Self, e| {
            s.pos = s.buf.len();
            Some(Err(e))
        };
        if rest.len() < 2 {
            return fail(
                self,
                Error::truncated(Layer::Ipv6Ext, "opt_data_len", at, 2, rest.len()),
            );
        }
        let len = usize::from(rest[1]);
        if rest.len() - 2 < len {
            return fail(
                self,
                Error::length_exceeds(Layer::Ipv6Ext, "opt_data_len", at + 1, len, rest.len() - 2),
            );
        }
        let data = &rest[2..2 + len];
        let opt = match Ipv6OptionType(rest[0]) {
            Ipv6OptionType::PADN => Ipv6Option::PadN(data),
            Ipv6OptionType::ROUTER_ALERT if len == 2 => Ipv6Option::RouterAlert(get_u16(data, 0)),
            Ipv6OptionType::JUMBO_PAYLOAD if len == 4 => Ipv6Option::JumboPayload(get_u32(data, 0)),
            Ipv6OptionType::ROUTER_ALERT | Ipv6OptionType::JUMBO_PAYLOAD => {
                return fail(
                    self,
                    Error::invalid(
                        Layer::Ipv6Ext,
                        "opt_data_len",
                        at + 1,
                        len as u64,
                        "2 for Router Alert, 4 for Jumbo Payload",
                    ),
                );
            }
            kind => Ipv6Option::Unknown { kind, data },
        };
        self.pos += 2 + len;
        Some(Ok(opt))
    }
}

/// Capacity of [`Ipv6OptionsHeader::options`]: a 2048-byte header less its
/// two fixed bytes (RFC 8200 §4.2).
pub const OPTIONS_CAPACITY: usize = MAX_EXT_HEADER_LEN - 2;

/// An owned Hop-by-Hop (RFC 8200 §4.3) or Destination Options (§4.6)
/// header: the Next Header and the raw options area, stored inline.
///
/// ```text
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Next Header  |  Hdr Ext Len  |                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
/// .                            Options                            .
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// Hdr Ext Len is derived from the options length on emit, which must make
/// the header a multiple of 8 bytes ([`Ipv6OptionsHeader::pad`] adds the
/// padding).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Ipv6OptionsHeader {
    /// What follows this header.
    pub next_header: IpProtocol,
    /// The options area, raw (padding included).
    pub options: InlineBytes<OPTIONS_CAPACITY>,
}

impl Ipv6OptionsHeader {
    pub(crate) fn from_view(v: &Ipv6ExtHeader<'_>) -> Self {
        let mut options = InlineBytes::new();
        // At most 2046 bytes by construction of the walk.
        let _ = options.extend_from_slice(v.data(), Layer::Ipv6Ext, "options");
        Ipv6OptionsHeader {
            next_header: v.next_header(),
            options,
        }
    }

    /// The typed options (RFC 8200 §4.2).
    pub fn iter(&self) -> Ipv6OptionIter<'_> {
        Ipv6OptionIter::new(self.options.as_slice(), 2)
    }

    /// Append one option (RFC 8200 §4.2).
    pub fn push(&mut self, opt: Ipv6Option<'_>) -> Result<()> {
        let mut tmp = [0u8; 257];
        let n = opt.emit(&mut tmp)?;
        self.options.extend_from_slice(&tmp[..n], Layer::Ipv6Ext, "options")
    }

    /// Append Pad1 or PadN so that the header is a multiple of 8 bytes
    /// (RFC 8200 §4.2).
    pub fn pad(&mut self) -> Result<()> {
        match (8 - (2 + self.options.len()) % 8) % 8 {
            0 => Ok(()),
            1 => self.push(Ipv6Option::Pad1),
            n => self.push(Ipv6Option::PadN(&[0; 5][..n - 2])),
        }
    }

    /// `2 + options.len()` (RFC 8200 §4.2).
    pub const fn header_len(&self) -> usize {
        2 + self.options.len()
    }

    /// Write the header; [`crate::ErrorKind::Invalid`] if its length is not
    /// a multiple of 8 (RFC 8200 §4.2).
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let len = self.header_len();
        emit_ext_start(buf, self.next_header, len)?;
        buf[2..len].copy_from_slice(self.options.as_slice());
        Ok(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn typed_options() {
        let area = [0, 1, 1, 9, 5, 2, 0, 1, 0xc2, 4, 0, 1, 0, 0, 0x3e, 1, 7];
        let got: Vec<_> = Ipv6OptionIter::new(&area, 2).collect::<Result<_>>().unwrap();
        assert_eq!(
            got,
            [
                Ipv6Option::Pad1,
                Ipv6Option::PadN(&[9]),
                Ipv6Option::RouterAlert(1),
                Ipv6Option::JumboPayload(0x10000),
                Ipv6Option::Unknown {
                    kind: Ipv6OptionType(0x3e),
                    data: &[7]
                },
            ]
        );
        assert_eq!(Ipv6OptionType(0x3e).action(), 0);
        assert!(Ipv6OptionType(0x3e).may_change());
        assert_eq!(Ipv6OptionType::JUMBO_PAYLOAD.action(), 3);
    }

    #[test]
    fn option_errors_stop_the_iterator() {
        let mut it = Ipv6OptionIter::new(&[1, 5, 0, 0], 2);
        assert_eq!(
            it.next().unwrap().unwrap_err(),
            Error::length_exceeds(Layer::Ipv6Ext, "opt_data_len", 3, 5, 2)
        );
        assert!(it.next().is_none());
        let mut it = Ipv6OptionIter::new(&[0, 7], 10);
        assert_eq!(it.next().unwrap().unwrap(), Ipv6Option::Pad1);
        assert_eq!(
            it.next().unwrap().unwrap_err().kind,
            ErrorKind::Truncated {
                needed: 2,
                available: 1
            }
        );
        let e = Ipv6OptionIter::new(&[0, 7], 10).nth(1).unwrap().unwrap_err();
        assert_eq!(e, Error::truncated(Layer::Ipv6Ext, "opt_data_len", 11, 2, 1));
        let mut it = Ipv6OptionIter::new(&[5, 3, 0, 0, 0], 2);
        assert_eq!(
            it.next().unwrap().unwrap_err(),
            Error::invalid(
                Layer::Ipv6Ext,
                "opt_data_len",
                3,
                3,
                "2 for Router Alert, 4 for Jumbo Payload"
            )
        );
        let big = [0u8; 256];
        let o = Ipv6Option::PadN(&big);
        assert_eq!(
            o.emit(&mut [0u8; 300]).unwrap_err(),
            Error::invalid(Layer::Ipv6Ext, "opt_data_len", 1, 256, "at most 255")
        );
    }

    #[test]
    fn emit_requires_alignment() {
        let mut h = Ipv6OptionsHeader::default();
        h.push(Ipv6Option::JumboPayload(70000)).unwrap();
        assert_eq!(h.emit(&mut [0u8; 16]).unwrap(), 8);
        h.push(Ipv6Option::Pad1).unwrap();
        assert_eq!(
            h.emit(&mut [0u8; 16]).unwrap_err(),
            Error::invalid(Layer::Ipv6Ext, "hdr_ext_len", 1, 9, "a multiple of 8 bytes")
        );
        h.pad().unwrap();
        assert_eq!(h.header_len(), 16);
    }
}
