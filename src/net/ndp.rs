//! Neighbor Discovery for IPv6 (NDP, RFC 4861).
//!
//! NDP replaces ARP, ICMP Router Discovery and ICMP Redirect with five
//! ICMPv6 messages exchanged on a link (RFC 4861 §4):
//!
//! | type | message | fixed fields after the ICMPv6 header |
//! |------|---------|---------------------------------------|
//! | 133 | Router Solicitation (§4.1) | Reserved |
//! | 134 | Router Advertisement (§4.2) | Cur Hop Limit, M/O flags, Router Lifetime, Reachable Time, Retrans Timer |
//! | 135 | Neighbor Solicitation (§4.3) | Reserved, Target Address |
//! | 136 | Neighbor Advertisement (§4.4) | R/S/O flags, Target Address |
//! | 137 | Redirect (§4.5) | Reserved, Target Address, Destination Address |
//!
//! The Router Advertisement, for example:
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |     Type      |     Code      |          Checksum             |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! | Cur Hop Limit |M|O|  Reserved |       Router Lifetime         |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                         Reachable Time                        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                          Retrans Timer                        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |   Options ...
//! +-+-+-+-+-+-+-+-+-+-+-+-+-
//! ```
//!
//! The fixed part is followed by TLV *options* (RFC 4861 §4.6) whose
//! Length counts 8-byte units, the type and length bytes included:
//!
//! ```text
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |     Type      |    Length     |              ...              |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ~                              ...                              ~
//! ```
//!
//! A Length of zero is invalid and the packet must be discarded (§4.6), as
//! must one that runs past the message; netspec reports both as errors.
//! The typed options are Source/Target Link-Layer Address (§4.6.1), Prefix
//! Information (§4.6.2), Redirected Header (§4.6.3) and MTU (§4.6.4);
//! others (RDNSS, PREF64, ...) are kept raw ([`crate::net::ndp_option`] has them).
//!
//! [`NdpMessage::parse`] checks the *format*. The validity checks of
//! RFC 4861 §6.1 and §7.1 that need the IP layer — Hop Limit 255 (so the
//! sender is on-link), code 0, a link-local source for RAs and Redirects —
//! are left to the caller, which has the [`crate::net::Ipv6Packet`].
//!
//! ```
//! use netspec::net::ndp::{NaFlags, NdpBody, NdpHeader, NdpMessage, NdpOption};
//! use std::net::Ipv6Addr;
//! let mut na = NdpHeader::new(NdpBody::NeighborAdvertisement {
//!     flags: NaFlags::SOLICITED | NaFlags::OVERRIDE,
//!     target: "fe80::1".parse().unwrap(),
//! });
//! na.options.push(&NdpOption::TargetLinkLayerAddress(&[2, 0, 0, 0, 0, 1])).unwrap();
//! let mut buf = [0u8; 32];
//! assert_eq!(na.emit(&mut buf).unwrap(), 32);
//! let m = NdpMessage::parse(&buf).unwrap();
//! assert_eq!(m.to_header().unwrap(), na);
//! ```

use crate::error::{Error, Layer, Result};
use crate::net::icmpv6::{Icmpv6Code, Icmpv6Message, Icmpv6Type};
use crate::parse::{get_u32, put_u16, put_u32, room};
use core::net::Ipv6Addr;

pub use crate::net::ndp_option::{
    NDP_OPTIONS_CAPACITY, NdpOption, NdpOptionIter, NdpOptionType, NdpOptions, PrefixFlags, PrefixInformation,
};

/// Router Advertisement flags byte (RFC 4861 §4.2; RFC 4191 §2.2 puts the
/// router preference in bits 3–4, RFC 3775 the H bit): unknown bits are
/// kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct RaFlags(u8);

bitflags::bitflags! {
    impl RaFlags: u8 {
        /// M, "Managed address configuration" (RFC 4861 §4.2).
        const MANAGED = 0x80;
        /// O, "Other configuration" (RFC 4861 §4.2).
        const OTHER = 0x40;
        // Keep every other bit across a round trip.
        const _ = !0;
    }
}

/// Neighbor Advertisement flags word (RFC 4861 §4.4): R, S, O and 29
/// reserved bits, all kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct NaFlags(u32);

bitflags::bitflags! {
    impl NaFlags: u32 {
        /// R, the sender is a router (RFC 4861 §4.4).
        const ROUTER = 0x8000_0000;
        /// S, sent in response to a Neighbor Solicitation (RFC 4861 §4.4).
        const SOLICITED = 0x4000_0000;
        /// O, override an existing cache entry (RFC 4861 §4.4).
        const OVERRIDE = 0x2000_0000;
        // Keep the reserved bits across a round trip.
        const _ = !0;
    }
}

/// The fixed fields of one NDP message (RFC 4861 §4.1–§4.5), after the
/// ICMPv6 type, code and checksum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum NdpBody {
    /// Router Solicitation (RFC 4861 §4.1).
    RouterSolicitation {
        /// Reserved (zero on send).
        reserved: u32,
    },
    /// Router Advertisement (RFC 4861 §4.2).
    RouterAdvertisement {
        /// Cur Hop Limit (0 = unspecified).
        cur_hop_limit: u8,
        /// M, O and the other bits of the flags byte.
        flags: RaFlags,
        /// Router Lifetime in seconds (0 = not a default router).
        router_lifetime: u16,
        /// Reachable Time in milliseconds.
        reachable_time: u32,
        /// Retrans Timer in milliseconds.
        retrans_timer: u32,
    },
    /// Neighbor Solicitation (RFC 4861 §4.3).
    NeighborSolicitation {
        /// Reserved (zero on send).
        reserved: u32,
        /// The address whose link-layer address is sought.
        target: Ipv6Addr,
    },
    /// Neighbor Advertisement (RFC 4861 §4.4).
    NeighborAdvertisement {
        /// R/S/O flags and reserved bits.
        flags: NaFlags,
        /// The address the advertisement is about.
        target: Ipv6Addr,
    },
    /// Redirect (RFC 4861 §4.5).
    Redirect {
        /// Reserved (zero on send).
        reserved: u32,
        /// The better first hop.
        target: Ipv6Addr,
        /// The destination being redirected.
        destination: Ipv6Addr,
    },
}

fn addr(b: &[u8], at: usize) -> Ipv6Addr {
    let mut a = [0u8; 16];
    a.copy_from_slice(&b[at..at + 16]);
    Ipv6Addr::from(a)
}

impl NdpBody {
    /// The ICMPv6 type of this message (RFC 4861 §4).
    pub const fn msg_type(&self) -> Icmpv6Type {
        match self {
            NdpBody::RouterSolicitation { .. } => Icmpv6Type::ROUTER_SOLICITATION,
            NdpBody::RouterAdvertisement { .. } => Icmpv6Type::ROUTER_ADVERTISEMENT,
            NdpBody::NeighborSolicitation { .. } => Icmpv6Type::NEIGHBOR_SOLICITATION,
            NdpBody::NeighborAdvertisement { .. } => Icmpv6Type::NEIGHBOR_ADVERTISEMENT,
            NdpBody::Redirect { .. } => Icmpv6Type::REDIRECT,
        }
    }

    /// Length of the message before the options (ICMPv6 header included) (RFC 4861 §4).
    pub const fn fixed_len(&self) -> usize {
        match self {
            NdpBody::RouterSolicitation { .. } => 8,
            NdpBody::RouterAdvertisement { .. } => 16,
            NdpBody::NeighborSolicitation { .. } | NdpBody::NeighborAdvertisement { .. } => 24,
            NdpBody::Redirect { .. } => 40,
        }
    }

    fn read(ty: Icmpv6Type, b: &[u8]) -> NdpBody {
        match ty {
            Icmpv6Type::ROUTER_ADVERTISEMENT => NdpBody::RouterAdvertisement {
                cur_hop_limit: b[4],
                flags: RaFlags::from_bits_retain(b[5]),
                router_lifetime: u16::from_be_bytes([b[6], b[7]]),
                reachable_time: get_u32(b, 8),
                retrans_timer: get_u32(b, 12),
            },
            Icmpv6Type::NEIGHBOR_SOLICITATION => NdpBody::NeighborSolicitation {
                reserved: get_u32(b, 4),
                target: addr(b, 8),
            },
            Icmpv6Type::NEIGHBOR_ADVERTISEMENT => NdpBody::NeighborAdvertisement {
                flags: NaFlags::from_bits_retain(get_u32(b, 4)),
                target: addr(b, 8),
            },
            Icmpv6Type::REDIRECT => NdpBody::Redirect {
                reserved: get_u32(b, 4),
                target: addr(b, 8),
                destination: addr(b, 24),
            },
            _ => NdpBody::RouterSolicitation {
                reserved: get_u32(b, 4),
            },
        }
    }

    fn write(&self, b: &mut [u8]) {
        match *self {
            NdpBody::RouterSolicitation { reserved } => put_u32(b, 4, reserved),
            NdpBody::RouterAdvertisement {
                cur_hop_limit,
                flags,
                router_lifetime,
                reachable_time,
                retrans_timer,
            } => {
                b[4] = cur_hop_limit;
                b[5] = flags.bits();
                put_u16(b, 6, router_lifetime);
                put_u32(b, 8, reachable_time);
                put_u32(b, 12, retrans_timer);
            }
            NdpBody::NeighborSolicitation { reserved, target } => {
                put_u32(b, 4, reserved);
                b[8..24].copy_from_slice(&target.octets());
            }
            NdpBody::NeighborAdvertisement { flags, target } => {
                put_u32(b, 4, flags.bits());
                b[8..24].copy_from_slice(&target.octets());
            }
            NdpBody::Redirect {
                reserved,
                target,
                destination,
            } => {
                put_u32(b, 4, reserved);
                b[8..24].copy_from_slice(&target.octets());
                b[24..40].copy_from_slice(&destination.octets());
            }
        }
    }
}

/// Length of the fixed part of NDP message type `ty` (RFC 4861 §4.1–§4.5),
/// `None` if `ty` is not an NDP type.
pub const fn fixed_len(ty: Icmpv6Type) -> Option<usize> {
    Some(match ty.0 {
        133 => 8,
        134 => 16,
        135 | 136 => 24,
        137 => 40,
        _ => return None,
    })
}

/// A zero-copy view of an NDP message (RFC 4861 §4): the ICMPv6 message
/// with its fixed part and every option validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NdpMessage<'a> {
    buf: &'a [u8],
    fixed: usize,
}

impl<'a> NdpMessage<'a> {
    /// Parse an NDP message from the ICMPv6 bytes in `buf`. Errors: not an
    /// NDP type, fixed part truncated, or a bad option (length zero, past
    /// the end, wrong size for its type; RFC 4861 §4.6).
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        let m = Icmpv6Message::parse(buf)?;
        let ty = m.msg_type();
        let fixed = fixed_len(ty).ok_or(Error::invalid(
            Layer::Icmpv6,
            "type",
            0,
            u64::from(ty.0),
            "an NDP message type, 133 to 137",
        ))?;
        crate::parse::need(buf, fixed, Layer::Icmpv6, "header", 0)?;
        for opt in NdpOptionIter::new(&buf[fixed..], fixed) {
            opt?;
        }
        Ok(NdpMessage { buf, fixed })
    }

    /// The ICMPv6 type (133–137) (RFC 4861 §4).
    pub fn msg_type(&self) -> Icmpv6Type {
        Icmpv6Type(self.buf[0])
    }

    /// The ICMPv6 code (0 on send; RFC 4861 §6.1 has receivers check it).
    pub fn code(&self) -> Icmpv6Code {
        Icmpv6Code(self.buf[1])
    }

    /// The ICMPv6 checksum as on the wire (RFC 4861 §4).
    pub fn checksum(&self) -> u16 {
        u16::from_be_bytes([self.buf[2], self.buf[3]])
    }

    /// The typed fixed fields (RFC 4861 §4).
    pub fn body(&self) -> NdpBody {
        NdpBody::read(self.msg_type(), self.buf)
    }

    /// The raw options area (RFC 4861 §4).
    pub fn options_bytes(&self) -> &'a [u8] {
        &self.buf[self.fixed..]
    }

    /// The options (already validated: every item is `Ok`) (RFC 4861 §4).
    pub fn options(&self) -> NdpOptionIter<'a> {
        NdpOptionIter::new(&self.buf[self.fixed..], self.fixed)
    }

    /// The owned message; [`crate::ErrorKind::LimitExceeded`] if the
    /// options exceed [`NDP_OPTIONS_CAPACITY`] (RFC 4861 §4).
    pub fn to_header(&self) -> Result<NdpHeader> {
        Ok(NdpHeader {
            code: self.code(),
            checksum: self.checksum(),
            body: self.body(),
            options: NdpOptions::from_slice(self.options_bytes(), Layer::Icmpv6, "options")
                .map_err(|e| e.at_base(self.fixed))?,
        })
    }
}

/// An owned NDP message (RFC 4861 §4): code, checksum as stored, fixed
/// fields and the raw options area inline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct NdpHeader {
    /// ICMPv6 code (0).
    pub code: Icmpv6Code,
    /// Checksum as stored; see [`crate::net::icmpv6::fill_checksum`].
    pub checksum: u16,
    /// The fixed fields, which also decide the ICMPv6 type.
    pub body: NdpBody,
    /// The options, raw (built with [`NdpOptions::push`]).
    pub options: NdpOptions,
}

impl NdpHeader {
    /// An NDP message with code 0, zero checksum and no options (RFC 4861 §4).
    pub fn new(body: NdpBody) -> Self {
        NdpHeader {
            code: Icmpv6Code(0),
            checksum: 0,
            body,
            options: NdpOptions::new(),
        }
    }

    /// Parse ([`NdpMessage::parse`] then [`NdpMessage::to_header`]) (RFC 4861 §4).
    pub fn parse(buf: &[u8]) -> Result<NdpHeader> {
        NdpMessage::parse(buf)?.to_header()
    }

    /// Bytes [`NdpHeader::emit`] writes (RFC 4861 §4).
    pub const fn len(&self) -> usize {
        self.body.fixed_len() + self.options.len()
    }

    /// Always false (RFC 4861 §4).
    pub const fn is_empty(&self) -> bool {
        false
    }

    /// Write the whole ICMPv6 message (checksum as stored) (RFC 4861 §4).
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let fixed = self.body.fixed_len();
        let len = fixed + self.options.len();
        room(buf, len, Layer::Icmpv6)?;
        buf[0] = self.body.msg_type().0;
        buf[1] = self.code.0;
        put_u16(buf, 2, self.checksum);
        self.body.write(buf);
        buf[fixed..len].copy_from_slice(self.options.as_slice());
        Ok(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn neighbor_advertisement_round_trip() {
        let mut r = NdpHeader::new(NdpBody::NeighborAdvertisement {
            flags: NaFlags::SOLICITED | NaFlags::OVERRIDE | NaFlags::from_bits_retain(1),
            target: Ipv6Addr::from(0x20010db8u128 << 96 | 1),
        });
        r.options
            .push(&NdpOption::TargetLinkLayerAddress(&[2, 0, 0, 0, 0, 1]))
            .unwrap();
        let mut b = [0u8; 64];
        let n = r.emit(&mut b).unwrap();
        assert_eq!(n, 32);
        assert_eq!(b[4], 0x60);
        let m = NdpMessage::parse(&b[..n]).unwrap();
        assert_eq!(m.to_header().unwrap(), r);
        assert_eq!(
            m.options().next().unwrap().unwrap(),
            NdpOption::TargetLinkLayerAddress(&[2, 0, 0, 0, 0, 1])
        );
    }

    #[test]
    fn errors() {
        let e = NdpMessage::parse(&[128, 0, 0, 0, 0, 0, 0, 0]).unwrap_err();
        assert_eq!((e.field, e.offset), ("type", 0));
        let e = NdpMessage::parse(&[134, 0, 0, 0, 0, 0, 0, 0, 0, 0]).unwrap_err();
        assert_eq!(e, Error::truncated(Layer::Icmpv6, "header", 0, 16, 10));
        // RS with an option of length 0 (RFC 4861 §4.6).
        let e = NdpMessage::parse(&[133, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]).unwrap_err();
        assert_eq!(
            e,
            Error::invalid(Layer::Icmpv6, "option_length", 9, 0, "non-zero (RFC 4861 §4.6)")
        );
        // RS with an option running past the end.
        let e = NdpMessage::parse(&[133, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0]).unwrap_err();
        assert_eq!(
            e.kind,
            ErrorKind::LengthExceeds {
                value: 16,
                available: 8
            }
        );
        assert_eq!((e.field, e.offset), ("option_length", 9));
        // More options than the owned form holds: the view is fine, the
        // owned copy reports the limit at the options' offset.
        let mut big = [0u8; 8 + 2056];
        big[0] = 133;
        for o in big[8..].chunks_mut(8) {
            o[0] = 200;
            o[1] = 1;
        }
        let m = NdpMessage::parse(&big).unwrap();
        assert_eq!(m.options().count(), 257);
        assert_eq!(
            m.to_header().unwrap_err(),
            Error::limit_exceeded(Layer::Icmpv6, "options", 8, NDP_OPTIONS_CAPACITY)
        );
    }
}
