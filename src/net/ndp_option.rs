//! Neighbor Discovery options (RFC 4861 §4.6).
//!
//! Every option is a TLV whose Length counts 8-byte units including the
//! Type and Length bytes, so options stay 8-byte aligned:
//!
//! ```text
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |     Type      |    Length     |              ...              |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! The Prefix Information option (§4.6.2), which a Router Advertisement
//! uses for stateless address autoconfiguration (RFC 4862):
//!
//! ```text
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |     Type      |    Length     | Prefix Length |L|A| Reserved1 |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                         Valid Lifetime                        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                       Preferred Lifetime                      |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                           Reserved2                           |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                                                               |
//! +                            Prefix                             +
//! |                         (16 bytes)                            |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```

use crate::error::{Error, Layer, Result};
use crate::net::ipv6::Ipv6Packet;
use crate::net::ipv6_ext::InlineBytes;
use crate::parse::{get_u16, get_u32, put_u16, put_u32, room};
use core::net::Ipv6Addr;

/// An NDP option type (RFC 4861 §4.6), open.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct NdpOptionType(pub u8);

impl NdpOptionType {
    /// Source Link-Layer Address (RFC 4861 §4.6.1).
    pub const SOURCE_LINK_LAYER_ADDRESS: NdpOptionType = NdpOptionType(1);
    /// Target Link-Layer Address (RFC 4861 §4.6.1).
    pub const TARGET_LINK_LAYER_ADDRESS: NdpOptionType = NdpOptionType(2);
    /// Prefix Information (RFC 4861 §4.6.2).
    pub const PREFIX_INFORMATION: NdpOptionType = NdpOptionType(3);
    /// Redirected Header (RFC 4861 §4.6.3).
    pub const REDIRECTED_HEADER: NdpOptionType = NdpOptionType(4);
    /// MTU (RFC 4861 §4.6.4).
    pub const MTU: NdpOptionType = NdpOptionType(5);
    /// Advertisement Interval (RFC 6275 §7.3).
    pub const ADVERTISEMENT_INTERVAL: NdpOptionType = NdpOptionType(7);
    /// Home Agent Information (RFC 6275 §7.4).
    pub const HOME_AGENT_INFORMATION: NdpOptionType = NdpOptionType(8);
    /// Nonce (RFC 3971 §5.3.2).
    pub const NONCE: NdpOptionType = NdpOptionType(14);
    /// Route Information (RFC 4191 §2.3).
    pub const ROUTE_INFORMATION: NdpOptionType = NdpOptionType(24);
    /// Recursive DNS Server (RFC 8106 §5.1).
    pub const RDNSS: NdpOptionType = NdpOptionType(25);
    /// DNS Search List (RFC 8106 §5.2).
    pub const DNSSL: NdpOptionType = NdpOptionType(31);
    /// PREF64, the NAT64 prefix (RFC 8781 §4).
    pub const PREF64: NdpOptionType = NdpOptionType(38);

    /// The registered name, if netspec knows this value (RFC 4861 §4.6).
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            1 => "SourceLinkLayerAddress",
            2 => "TargetLinkLayerAddress",
            3 => "PrefixInformation",
            4 => "RedirectedHeader",
            5 => "Mtu",
            7 => "AdvertisementInterval",
            8 => "HomeAgentInformation",
            14 => "Nonce",
            24 => "RouteInformation",
            25 => "Rdnss",
            31 => "Dnssl",
            38 => "Pref64",
            _ => return None,
        })
    }
}

crate::macros::named_number_fmt!(NdpOptionType, "{}", debug_only);

/// Prefix Information flags (RFC 4861 §4.6.2; RFC 6275 §7.2 adds R):
/// unknown bits kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct PrefixFlags(u8);

bitflags::bitflags! {
    impl PrefixFlags: u8 {
        /// L, on-link (RFC 4861 §4.6.2).
        const ON_LINK = 0x80;
        /// A, autonomous address configuration (RFC 4861 §4.6.2).
        const AUTONOMOUS = 0x40;
        // Keep every other bit across a round trip.
        const _ = !0;
    }
}

/// The Prefix Information option's fields (RFC 4861 §4.6.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct PrefixInformation {
    /// Prefix Length in bits (0..=128 meaningful; kept as sent).
    pub prefix_length: u8,
    /// L, A and the Reserved1 bits.
    pub flags: PrefixFlags,
    /// Valid Lifetime in seconds (0xffffffff = infinity).
    pub valid_lifetime: u32,
    /// Preferred Lifetime in seconds.
    pub preferred_lifetime: u32,
    /// Reserved2 (zero on send).
    pub reserved2: u32,
    /// The prefix.
    pub prefix: Ipv6Addr,
}

/// One NDP option (RFC 4861 §4.6). Variable data excludes the Type and
/// Length bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NdpOption<'a> {
    /// Source Link-Layer Address (§4.6.1): the address and any padding.
    SourceLinkLayerAddress(&'a [u8]),
    /// Target Link-Layer Address (§4.6.1).
    TargetLinkLayerAddress(&'a [u8]),
    /// Prefix Information (§4.6.2).
    PrefixInformation(PrefixInformation),
    /// Redirected Header (§4.6.3): six reserved bytes, then as much of the
    /// redirected packet as fits.
    RedirectedHeader {
        /// The six Reserved bytes.
        reserved: [u8; 6],
        /// The quoted IP header and data.
        data: &'a [u8],
    },
    /// MTU (§4.6.4).
    Mtu {
        /// The 16-bit Reserved field.
        reserved: u16,
        /// The recommended link MTU.
        mtu: u32,
    },
    /// Any other option, kept raw.
    Unknown {
        /// The option type.
        kind: NdpOptionType,
        /// The bytes after Type and Length.
        data: &'a [u8],
    },
}

impl<'a> NdpOption<'a> {
    /// The option type (RFC 4861 §4.6).
    pub const fn kind(&self) -> NdpOptionType {
        match self {
            NdpOption::SourceLinkLayerAddress(_) => NdpOptionType::SOURCE_LINK_LAYER_ADDRESS,
            NdpOption::TargetLinkLayerAddress(_) => NdpOptionType::TARGET_LINK_LAYER_ADDRESS,
            NdpOption::PrefixInformation(_) => NdpOptionType::PREFIX_INFORMATION,
            NdpOption::RedirectedHeader { .. } => NdpOptionType::REDIRECTED_HEADER,
            NdpOption::Mtu { .. } => NdpOptionType::MTU,
            NdpOption::Unknown { kind, .. } => *kind,
        }
    }

    /// Bytes on the wire (RFC 4861 §4.6).
    pub const fn len(&self) -> usize {
        match self {
            NdpOption::SourceLinkLayerAddress(d)
            | NdpOption::TargetLinkLayerAddress(d)
            | NdpOption::Unknown { data: d, .. } => 2 + d.len(),
            NdpOption::PrefixInformation(_) => 32,
            NdpOption::RedirectedHeader { data, .. } => 8 + data.len(),
            NdpOption::Mtu { .. } => 8,
        }
    }

    /// Always false (RFC 4861 §4.6).
    pub const fn is_empty(&self) -> bool {
        false
    }

    /// The redirected packet of a Redirected Header option, parsed
    /// leniently (it is usually cut short, RFC 4861 §4.6.3).
    pub fn redirected_packet(&self) -> Option<Result<Ipv6Packet<'a>>> {
        match self {
            NdpOption::RedirectedHeader { data, .. } => Some(Ipv6Packet::parse_lax(data)),
            _ => None,
        }
    }

    /// Write the option; [`crate::ErrorKind::Invalid`] unless its length is
    /// a non-zero multiple of 8 of at most 2040 bytes (RFC 4861 §4.6).
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let len = self.len();
        if len % 8 != 0 || len > 255 * 8 {
            return Err(Error::invalid(
                Layer::Icmpv6,
                "option_length",
                1,
                len as u64,
                "a multiple of 8 bytes, at most 2040",
            ));
        }
        room(buf, len, Layer::Icmpv6)?;
        buf[0] = self.kind().0;
        buf[1] = (len / 8) as u8;
        match self {
            NdpOption::SourceLinkLayerAddress(d)
            | NdpOption::TargetLinkLayerAddress(d)
            | NdpOption::Unknown { data: d, .. } => buf[2..len].copy_from_slice(d),
            NdpOption::PrefixInformation(p) => {
                buf[2] = p.prefix_length;
                buf[3] = p.flags.bits();
                put_u32(buf, 4, p.valid_lifetime);
                put_u32(buf, 8, p.preferred_lifetime);
                put_u32(buf, 12, p.reserved2);
                buf[16..32].copy_from_slice(&p.prefix.octets());
            }
            NdpOption::RedirectedHeader { reserved, data } => {
                buf[2..8].copy_from_slice(reserved);
                buf[8..len].copy_from_slice(data);
            }
            NdpOption::Mtu { reserved, mtu } => {
                put_u16(buf, 2, *reserved);
                put_u32(buf, 4, *mtu);
            }
        }
        Ok(len)
    }
}

/// Iterator over NDP options (RFC 4861 §4.6). Every option is at least 8
/// bytes, so it yields at most `len / 8` items, then stops; after an error
/// it stops too.
#[derive(Clone, Debug)]
pub struct NdpOptionIter<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> NdpOptionIter<'a> {
    /// Iterate the options area `area`; errors report `base + position` (RFC 4861 §4.6).
    pub const fn new(area: &'a [u8], base: usize) -> Self {
        NdpOptionIter {
            buf: area,
            pos: 0,
            base,
        }
    }

    fn step(&mut self, rest: &'a [u8]) -> Result<NdpOption<'a>> {
        let at = self.base + self.pos;
        if rest.len() < 2 {
            return Err(Error::truncated(Layer::Icmpv6, "option_length", at, 2, rest.len()));
        }
        let len = usize::from(rest[1]) * 8;
        if len == 0 {
            return Err(Error::invalid(
                Layer::Icmpv6,
                "option_length",
                at + 1,
                0,
                "non-zero (RFC 4861 §4.6)",
            ));
        }
        if len > rest.len() {
            return Err(Error::length_exceeds(
                Layer::Icmpv6,
                "option_length",
                at + 1,
                len,
                rest.len(),
            ));
        }
        let o = &rest[..len];
        let kind = NdpOptionType(o[0]);
        let wrong = |want: u64| {
            Error::invalid(
                Layer::Icmpv6,
                "option_length",
                at + 1,
                u64::from(o[1]),
                match want {
                    4 => "4 for Prefix Information (RFC 4861 §4.6.2)",
                    _ => "1 for MTU (RFC 4861 §4.6.4)",
                },
            )
        };
        Ok(match kind {
            NdpOptionType::SOURCE_LINK_LAYER_ADDRESS => NdpOption::SourceLinkLayerAddress(&o[2..]),
            NdpOptionType::TARGET_LINK_LAYER_ADDRESS => NdpOption::TargetLinkLayerAddress(&o[2..]),
            NdpOptionType::PREFIX_INFORMATION if len != 32 => return Err(wrong(4)),
            NdpOptionType::PREFIX_INFORMATION => {
                let mut p = [0u8; 16];
                p.copy_from_slice(&o[16..32]);
                NdpOption::PrefixInformation(PrefixInformation {
                    prefix_length: o[2],
                    flags: PrefixFlags::from_bits_retain(o[3]),
                    valid_lifetime: get_u32(o, 4),
                    preferred_lifetime: get_u32(o, 8),
                    reserved2: get_u32(o, 12),
                    prefix: Ipv6Addr::from(p),
                })
            }
            NdpOptionType::REDIRECTED_HEADER => {
                let mut reserved = [0u8; 6];
                reserved.copy_from_slice(&o[2..8]);
                NdpOption::RedirectedHeader {
                    reserved,
                    data: &o[8..],
                }
            }
            NdpOptionType::MTU if len != 8 => return Err(wrong(1)),
            NdpOptionType::MTU => NdpOption::Mtu {
                reserved: get_u16(o, 2),
                mtu: get_u32(o, 4),
            },
            kind => NdpOption::Unknown { kind, data: &o[2..] },
        })
    }
}

impl<'a> Iterator for NdpOptionIter<'a> {
    type Item = Result<NdpOption<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.buf.get(self.pos..).filter(|r| !r.is_empty())?;
        match self.step(rest) {
            Ok(o) => {
                self.pos += o.len();
                Some(Ok(o))
            }
            Err(e) => {
                // Cannot resynchronise after a bad length: stop.
                self.pos = self.buf.len();
                Some(Err(e))
            }
        }
    }
}

/// Capacity of [`NdpOptions`] in bytes. NDP messages are not fragmented
/// and fit one link MTU; 2048 bytes covers every option list that fits a
/// 1500-byte Ethernet frame with room to spare. Longer lists make
/// [`crate::net::ndp::NdpMessage::to_header`] fail with
/// [`crate::ErrorKind::LimitExceeded`] (RFC 4861 §4.6).
pub const NDP_OPTIONS_CAPACITY: usize = 2048;

/// An owned, inline NDP options area (raw bytes, typed access) (RFC 4861 §4.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct NdpOptions(InlineBytes<NDP_OPTIONS_CAPACITY>);

impl NdpOptions {
    /// No options (RFC 4861 §4.6).
    pub const fn new() -> Self {
        NdpOptions(InlineBytes::new())
    }

    /// Raw option bytes (not validated; [`NdpOptions::iter`] reports
    /// problems) (RFC 4861 §4.6).
    pub fn from_slice(data: &[u8], layer: Layer, field: &'static str) -> Result<Self> {
        Ok(NdpOptions(InlineBytes::from_slice(data, layer, field)?))
    }

    /// Append one option (RFC 4861 §4.6).
    pub fn push(&mut self, opt: &NdpOption<'_>) -> Result<()> {
        let mut tmp = [0u8; 255 * 8];
        let n = opt.emit(&mut tmp)?;
        self.0.extend_from_slice(&tmp[..n], Layer::Icmpv6, "options")
    }

    /// The typed options; offsets count from the start of the area (RFC 4861 §4.6).
    pub fn iter(&self) -> NdpOptionIter<'_> {
        NdpOptionIter::new(self.0.as_slice(), 0)
    }

    /// The raw bytes (RFC 4861 §4.6).
    pub fn as_slice(&self) -> &[u8] {
        self.0.as_slice()
    }

    /// Length in bytes (RFC 4861 §4.6).
    pub const fn len(&self) -> usize {
        self.0.len()
    }

    /// True if there are no options (RFC 4861 §4.6).
    pub const fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_round_trips() {
        let pi = PrefixInformation {
            prefix_length: 64,
            flags: PrefixFlags::ON_LINK | PrefixFlags::AUTONOMOUS,
            valid_lifetime: u32::MAX,
            preferred_lifetime: 604800,
            reserved2: 0,
            prefix: Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0),
        };
        let opts = [
            NdpOption::SourceLinkLayerAddress(&[1, 2, 3, 4, 5, 6]),
            NdpOption::PrefixInformation(pi),
            NdpOption::Mtu { reserved: 0, mtu: 1500 },
            NdpOption::RedirectedHeader {
                reserved: [0; 6],
                data: &[0x60; 8],
            },
            NdpOption::Unknown {
                kind: NdpOptionType::RDNSS,
                data: &[0; 22],
            },
        ];
        let mut o = NdpOptions::new();
        for x in &opts {
            o.push(x).unwrap();
        }
        let back: Vec<_> = o.iter().collect::<Result<_>>().unwrap();
        assert_eq!(back, opts);
        let bad = NdpOption::SourceLinkLayerAddress(&[1, 2, 3]);
        assert_eq!(
            bad.emit(&mut [0u8; 8]).unwrap_err(),
            Error::invalid(
                Layer::Icmpv6,
                "option_length",
                1,
                5,
                "a multiple of 8 bytes, at most 2040"
            )
        );
    }

    #[test]
    fn wrong_sizes_and_truncation() {
        let mut it = NdpOptionIter::new(&[5, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 16);
        assert_eq!(
            it.next().unwrap().unwrap_err(),
            Error::invalid(Layer::Icmpv6, "option_length", 17, 2, "1 for MTU (RFC 4861 §4.6.4)")
        );
        assert!(it.next().is_none());
        let mut pi = [0u8; 24];
        pi[0] = 3;
        pi[1] = 3;
        assert_eq!(
            NdpOptionIter::new(&pi, 8).next().unwrap().unwrap_err(),
            Error::invalid(
                Layer::Icmpv6,
                "option_length",
                9,
                3,
                "4 for Prefix Information (RFC 4861 §4.6.2)"
            )
        );
        let e = NdpOptionIter::new(&[1], 24).next().unwrap().unwrap_err();
        assert_eq!(e, Error::truncated(Layer::Icmpv6, "option_length", 24, 2, 1));
    }
}
