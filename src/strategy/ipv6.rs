//! Strategies for IPv6 (RFC 8200), its extension headers, ICMPv6
//! (RFC 4443), NDP (RFC 4861) and MLD (RFC 2710, RFC 3810).
//!
//! Owned-header strategies cover each header's whole field space (reserved
//! bits and unknown codes included); byte strategies produce canonical
//! wire bytes; [`mutated`] changes one byte, one 16-bit length-sized word
//! or the length of a valid packet, for robustness tests.
//!
//! ```
//! use netspec::net::Ipv6Packet;
//! use netspec::strategy::ipv6::ipv6_packet;
//! use proptest::prelude::*;
//! use proptest::strategy::ValueTree;
//! use proptest::test_runner::TestRunner;
//! let mut runner = TestRunner::deterministic();
//! let bytes = ipv6_packet().new_tree(&mut runner).unwrap().current();
//! assert!(Ipv6Packet::parse(&bytes).unwrap().ext_chain().is_ok());
//! ```

use crate::error::Layer;
use crate::net::IpProtocol;
use crate::net::icmpv6::{Icmpv6Code, Icmpv6Header, Icmpv6Type};
use crate::net::ipv6::Ipv6Header;
use crate::net::ipv6_ext::{AuthenticationHeader, FragmentHeader, InlineBytes, Ipv6Extension, MAX_EXT_HEADERS};
use crate::net::ipv6_opt::{Ipv6Option, Ipv6OptionType, Ipv6OptionsHeader, OPTIONS_CAPACITY};
use crate::net::ipv6_routing::Ipv6RoutingHeader;
use crate::net::mld::{MldRecordType, MldV1Header, MldV2QueryHeader, MldV2ReportHeader};
use crate::net::ndp::{
    NaFlags, NdpBody, NdpHeader, NdpOption, NdpOptionType, NdpOptions, PrefixFlags, PrefixInformation, RaFlags,
};
use core::net::Ipv6Addr;
use proptest::collection::vec;
use proptest::prelude::*;

/// Any IPv6 address.
///
/// ```
/// use netspec::strategy::ipv6::ipv6_addr;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(a in ipv6_addr())| {
///     prop_assert_eq!(std::net::Ipv6Addr::from(a.octets()), a);
/// });
/// ```
pub fn ipv6_addr() -> impl Strategy<Value = Ipv6Addr> {
    any::<u128>().prop_map(Ipv6Addr::from)
}

/// Any protocol number that is not a walked extension header (an upper
/// layer, ESP, No Next Header or unassigned).
///
/// ```
/// use netspec::strategy::ipv6::upper_protocol;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(p in upper_protocol())| {
///     prop_assert!(!p.is_ipv6_extension());
/// });
/// ```
pub fn upper_protocol() -> impl Strategy<Value = IpProtocol> {
    prop_oneof![
        Just(IpProtocol::TCP),
        Just(IpProtocol::UDP),
        Just(IpProtocol::ICMPV6),
        Just(IpProtocol::IPV6_NO_NEXT),
        Just(IpProtocol::ESP),
        any::<u8>()
            .prop_map(IpProtocol)
            .prop_filter("not an extension", |p| !p.is_ipv6_extension()),
    ]
}

/// Any fixed IPv6 header (RFC 8200 §3): version 6 (the only one a parser
/// accepts) and every other field over its full width.
///
/// ```
/// use netspec::net::Ipv6Header;
/// use netspec::strategy::ipv6::ipv6_header;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(h in ipv6_header())| {
///     let mut buf = vec![0u8; 40 + usize::from(h.payload_length)];
///     h.emit(&mut buf).unwrap();
///     prop_assert_eq!(Ipv6Header::parse(&buf).unwrap().0, h);
/// });
/// ```
pub fn ipv6_header() -> impl Strategy<Value = Ipv6Header> {
    (
        0u8..64,
        0u8..4,
        0u32..=0xf_ffff,
        any::<u16>(),
        any::<u8>(),
        any::<u8>(),
        ipv6_addr(),
        ipv6_addr(),
    )
        .prop_map(
            |(dscp, ecn, flow_label, payload_length, nh, hop_limit, src, dst)| Ipv6Header {
                version: 6,
                dscp,
                ecn,
                flow_label,
                payload_length,
                next_header: IpProtocol(nh),
                hop_limit,
                src,
                dst,
            },
        )
}

/// One Hop-by-Hop / Destination option, as its wire bytes: every kind
/// netspec types (Pad1, PadN, Router Alert, Jumbo Payload) and unknown
/// kinds with any action bits and data length (RFC 8200 §4.2).
///
/// ```
/// use netspec::strategy::ipv6::ipv6_option_bytes;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(opt in ipv6_option_bytes())| {
///     // Pad1 is one byte; every other option is type, length, data.
///     prop_assert!(opt.len() == 1 || opt.len() == 2 + usize::from(opt[1]));
/// });
/// ```
pub fn ipv6_option_bytes() -> impl Strategy<Value = Vec<u8>> {
    let unknown = any::<u8>().prop_filter("unknown kind", |k| ![0, 1, 5, 0xc2].contains(k));
    let opt = prop_oneof![
        3 => Just(Ipv6OptionSpec::Pad1),
        3 => vec(any::<u8>(), 0..=8).prop_map(Ipv6OptionSpec::PadN),
        3 => any::<u16>().prop_map(Ipv6OptionSpec::RouterAlert),
        3 => any::<u32>().prop_map(Ipv6OptionSpec::Jumbo),
        3 => (unknown.clone(), vec(any::<u8>(), 0..=16)).prop_map(|(k, d)| Ipv6OptionSpec::Unknown(k, d)),
        1 => (unknown, vec(any::<u8>(), 0..=255)).prop_map(|(k, d)| Ipv6OptionSpec::Unknown(k, d)),
    ];
    opt.prop_map(|s| {
        let o = s.as_option();
        let mut b = vec![0u8; o.len()];
        // Every generated option has at most 255 data bytes.
        let _ = o.emit(&mut b);
        b
    })
}

#[derive(Clone, Debug)]
enum Ipv6OptionSpec {
    Pad1,
    PadN(Vec<u8>),
    RouterAlert(u16),
    Jumbo(u32),
    Unknown(u8, Vec<u8>),
}

impl Ipv6OptionSpec {
    fn as_option(&self) -> Ipv6Option<'_> {
        match self {
            Ipv6OptionSpec::Pad1 => Ipv6Option::Pad1,
            Ipv6OptionSpec::PadN(d) => Ipv6Option::PadN(d),
            Ipv6OptionSpec::RouterAlert(v) => Ipv6Option::RouterAlert(*v),
            Ipv6OptionSpec::Jumbo(v) => Ipv6Option::JumboPayload(*v),
            Ipv6OptionSpec::Unknown(k, d) => Ipv6Option::Unknown {
                kind: Ipv6OptionType(*k),
                data: d,
            },
        }
    }
}

/// A Hop-by-Hop or Destination Options header (RFC 8200 §4.3, §4.6) with
/// up to 8 options of any kind, padded to a multiple of 8 bytes.
///
/// ```
/// use netspec::strategy::ipv6::options_header;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(h in options_header())| {
///     prop_assert_eq!(h.header_len() % 8, 0);
///     let mut buf = vec![0u8; h.header_len()];
///     prop_assert_eq!(h.emit(&mut buf), Ok(h.header_len()));
/// });
/// ```
pub fn options_header() -> impl Strategy<Value = Ipv6OptionsHeader> {
    (upper_protocol(), vec(ipv6_option_bytes(), 0..=8)).prop_map(|(nh, opts)| {
        let mut h = Ipv6OptionsHeader {
            next_header: nh,
            options: InlineBytes::new(),
        };
        for o in opts {
            // Leave room for up to 7 bytes of padding.
            if h.options.len() + o.len() + 7 <= OPTIONS_CAPACITY {
                let _ = h.options.extend_from_slice(&o, Layer::Ipv6Ext, "options");
            }
        }
        let _ = h.pad();
        h
    })
}

/// A Routing header (RFC 8200 §4.4): type 0 with 0–16 addresses, type 2,
/// an SRH with 1–16 segments, or any type with raw data.
///
/// ```
/// use netspec::strategy::ipv6::routing_header;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(h in routing_header())| {
///     prop_assert_eq!(h.header_len() % 8, 0);
///     let mut buf = vec![0u8; h.header_len()];
///     prop_assert_eq!(h.emit(&mut buf), Ok(h.header_len()));
/// });
/// ```
pub fn routing_header() -> impl Strategy<Value = Ipv6RoutingHeader> {
    prop_oneof![
        (upper_protocol(), any::<u8>(), vec(ipv6_addr(), 0..=16))
            .prop_map(|(nh, sl, a)| Ipv6RoutingHeader::with_addresses(nh, 0, sl, &a).unwrap_or_default()),
        (upper_protocol(), any::<u8>(), ipv6_addr()).prop_map(|(nh, sl, a)| Ipv6RoutingHeader::with_addresses(
            nh,
            2,
            sl,
            &[a]
        )
        .unwrap_or_default()),
        (
            upper_protocol(),
            any::<u8>(),
            any::<u8>(),
            any::<u16>(),
            vec(ipv6_addr(), 1..=16)
        )
            .prop_map(|(nh, sl, f, t, s)| Ipv6RoutingHeader::srh(nh, sl, f, t, &s).unwrap_or_default()),
        (upper_protocol(), any::<u8>(), any::<u8>(), 0usize..=16)
            .prop_flat_map(|(nh, ty, sl, k)| (Just((nh, ty, sl)), vec(any::<u8>(), 8 * k + 4)))
            .prop_map(|((nh, ty, sl), d)| Ipv6RoutingHeader {
                next_header: nh,
                routing_type: ty,
                segments_left: sl,
                data: InlineBytes::from_slice(&d, Layer::Ipv6Ext, "type_data").unwrap_or_default(),
            }),
    ]
    .prop_filter("valid length", |h| h.header_len() % 8 == 0)
}

/// A Fragment header (RFC 8200 §4.5), every field including reserved bits.
///
/// ```
/// use netspec::net::ipv6_ext::FragmentHeader;
/// use netspec::strategy::ipv6::fragment_header;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(h in fragment_header())| {
///     let mut buf = [0u8; 8];
///     h.emit(&mut buf).unwrap();
///     prop_assert_eq!(FragmentHeader::parse(&buf).unwrap().0, h);
/// });
/// ```
pub fn fragment_header() -> impl Strategy<Value = FragmentHeader> {
    (
        upper_protocol(),
        any::<u8>(),
        0u16..0x2000,
        0u8..4,
        any::<bool>(),
        any::<u32>(),
    )
        .prop_map(
            |(next_header, reserved, fragment_offset, res, more_fragments, identification)| FragmentHeader {
                next_header,
                reserved,
                fragment_offset,
                res,
                more_fragments,
                identification,
            },
        )
}

/// An Authentication Header (RFC 4302 §2) with an ICV of 0–64 bytes in
/// whole 32-bit words.
///
/// ```
/// use netspec::strategy::ipv6::auth_header;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(h in auth_header())| {
///     prop_assert_eq!(h.header_len() % 4, 0);
///     let mut buf = vec![0u8; h.header_len()];
///     prop_assert_eq!(h.emit(&mut buf), Ok(h.header_len()));
/// });
/// ```
pub fn auth_header() -> impl Strategy<Value = AuthenticationHeader> {
    (upper_protocol(), any::<u16>(), any::<u32>(), any::<u32>(), 0usize..=16)
        .prop_flat_map(|(nh, r, spi, seq, words)| (Just((nh, r, spi, seq)), vec(any::<u8>(), words * 4)))
        .prop_map(
            |((next_header, reserved, spi, sequence_number), icv)| AuthenticationHeader {
                next_header,
                reserved,
                spi,
                sequence_number,
                icv: InlineBytes::from_slice(&icv, Layer::Ipv6Ext, "icv").unwrap_or_default(),
            },
        )
}

/// Any owned extension header.
///
/// ```
/// use netspec::strategy::ipv6::ipv6_extension;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(h in ipv6_extension())| {
///     prop_assert!(h.kind().is_ipv6_extension());
///     let mut buf = vec![0u8; h.header_len()];
///     prop_assert_eq!(h.emit(&mut buf), Ok(h.header_len()));
/// });
/// ```
pub fn ipv6_extension() -> impl Strategy<Value = Ipv6Extension> {
    prop_oneof![
        options_header().prop_map(Ipv6Extension::HopByHop),
        routing_header().prop_map(Ipv6Extension::Routing),
        fragment_header().prop_map(Ipv6Extension::Fragment),
        options_header().prop_map(Ipv6Extension::DestinationOptions),
        auth_header().prop_map(Ipv6Extension::Authentication),
    ]
}

/// A linked chain of up to [`MAX_EXT_HEADERS`] extension headers in any
/// order, and the upper-layer protocol its last header names.
///
/// ```
/// use netspec::net::ipv6_ext::MAX_EXT_HEADERS;
/// use netspec::strategy::ipv6::ext_chain;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |((chain, upper) in ext_chain())| {
///     prop_assert!(chain.len() <= MAX_EXT_HEADERS);
///     prop_assert_eq!(chain.last().map_or(upper, |e| e.next_header()), upper);
/// });
/// ```
pub fn ext_chain() -> impl Strategy<Value = (Vec<Ipv6Extension>, IpProtocol)> {
    (vec(ipv6_extension(), 0..=MAX_EXT_HEADERS), upper_protocol()).prop_map(|(mut chain, upper)| {
        link(&mut chain, upper);
        (chain, upper)
    })
}

/// Set each header's Next Header to the kind of the one after it, and the
/// last one's to `upper`.
///
/// ```
/// use netspec::net::IpProtocol;
/// use netspec::strategy::ipv6::{ext_chain, link};
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |((mut chain, _) in ext_chain())| {
///     link(&mut chain, IpProtocol::UDP);
///     for pair in chain.windows(2) {
///         prop_assert_eq!(pair[0].next_header(), pair[1].kind());
///     }
/// });
/// ```
pub fn link(chain: &mut [Ipv6Extension], upper: IpProtocol) {
    for i in 0..chain.len() {
        let next = chain.get(i + 1).map_or(upper, |n| n.kind());
        chain[i].set_next_header(next);
    }
}

/// Emit `header` (its Next Header and Payload Length set to fit), `chain`
/// and `upper_payload` as one canonical IPv6 packet.
///
/// ```
/// use netspec::net::{IpProtocol, Ipv6Packet};
/// use netspec::strategy::ipv6::{build_packet, ext_chain, ipv6_header};
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(h in ipv6_header(), (chain, _) in ext_chain())| {
///     let bytes = build_packet(h, &chain, IpProtocol::UDP, b"data");
///     let p = Ipv6Packet::parse(&bytes).unwrap();
///     let walked = p.ext_chain().unwrap();
///     prop_assert_eq!(walked.count(), chain.len());
///     prop_assert_eq!(walked.upper_payload(), b"data");
/// });
/// ```
pub fn build_packet(
    mut header: Ipv6Header,
    chain: &[Ipv6Extension],
    upper: IpProtocol,
    upper_payload: &[u8],
) -> Vec<u8> {
    let ext_len: usize = chain.iter().map(|e| e.header_len()).sum();
    let total = 40 + ext_len + upper_payload.len();
    header.next_header = chain.first().map_or(upper, |e| e.kind());
    header.payload_length = (total - 40) as u16;
    let mut b = vec![0u8; total];
    let mut at = header.emit(&mut b).unwrap_or(40);
    for e in chain {
        at += e.emit(&mut b[at..]).unwrap_or(0);
    }
    b[at..].copy_from_slice(upper_payload);
    b
}

/// A canonical IPv6 packet: any header, an extension chain in any order
/// and 0–64 bytes of upper-layer data (no trailer).
///
/// ```
/// use netspec::net::Ipv6Packet;
/// use netspec::strategy::ipv6::ipv6_packet;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(bytes in ipv6_packet())| {
///     prop_assert!(Ipv6Packet::parse(&bytes).unwrap().ext_chain().is_ok());
/// });
/// ```
pub fn ipv6_packet() -> impl Strategy<Value = Vec<u8>> {
    (ipv6_header(), ext_chain(), vec(any::<u8>(), 0..=64))
        .prop_map(|(h, (chain, upper), data)| build_packet(h, &chain, upper, &data))
        .prop_filter("payload fits 16 bits", |b| b.len() - 40 <= 0xffff)
}

/// A jumbogram (RFC 2675): Payload Length 0, a Hop-by-Hop header with a
/// Jumbo Payload option, then 65529–66000 bytes of upper-layer data.
///
/// ```
/// use netspec::net::Ipv6Packet;
/// use netspec::strategy::ipv6::jumbogram;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(bytes in jumbogram())| {
///     prop_assert!(bytes.len() > 65_535);
///     prop_assert_eq!(Ipv6Packet::parse(&bytes).unwrap().payload_length(), 0);
/// });
/// ```
pub fn jumbogram() -> impl Strategy<Value = Vec<u8>> {
    (ipv6_header(), upper_protocol(), 0xffffusize - 6..66_000, any::<u8>()).prop_map(|(h, upper, data_len, fill)| {
        let mut hbh = Ipv6OptionsHeader {
            next_header: upper,
            options: InlineBytes::new(),
        };
        // The jumbo length counts the Hop-by-Hop header itself (8 bytes).
        let _ = hbh.push(Ipv6Option::JumboPayload((8 + data_len) as u32));
        let data = vec![fill; data_len];
        let mut b = build_packet(h, &[Ipv6Extension::HopByHop(hbh)], upper, &data);
        b[4..6].fill(0);
        b
    })
}

/// Any 8-byte ICMPv6 header (RFC 4443 §2.1).
///
/// ```
/// use netspec::net::Icmpv6Header;
/// use netspec::strategy::ipv6::icmpv6_header;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(h in icmpv6_header())| {
///     let mut buf = [0u8; 8];
///     h.emit(&mut buf).unwrap();
///     prop_assert_eq!(Icmpv6Header::parse(&buf).unwrap().0, h);
/// });
/// ```
pub fn icmpv6_header() -> impl Strategy<Value = Icmpv6Header> {
    (any::<u8>(), any::<u8>(), any::<u16>(), any::<u32>()).prop_map(|(t, c, checksum, rest_of_header)| Icmpv6Header {
        msg_type: Icmpv6Type(t),
        code: Icmpv6Code(c),
        checksum,
        rest_of_header,
    })
}

/// An ICMPv6 error message (types 1–4, RFC 4443 §3) quoting a valid IPv6
/// packet cut at any point after its fixed header, as bytes.
///
/// ```
/// use netspec::net::Icmpv6Message;
/// use netspec::strategy::ipv6::icmpv6_error;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(bytes in icmpv6_error())| {
///     let m = Icmpv6Message::parse(&bytes).unwrap();
///     prop_assert!(matches!(m.invoking_packet(), Some(Ok(_))));
/// });
/// ```
pub fn icmpv6_error() -> impl Strategy<Value = Vec<u8>> {
    (1u8..=4, any::<u8>(), any::<u32>(), ipv6_packet())
        .prop_flat_map(|(t, c, rest, p)| {
            let n = p.len();
            (Just((t, c, rest, p)), 40..=n)
        })
        .prop_map(|((t, c, rest, p), cut)| {
            let mut b = vec![0u8; 8 + cut];
            let h = Icmpv6Header {
                msg_type: Icmpv6Type(t),
                code: Icmpv6Code(c),
                checksum: 0,
                rest_of_header: rest,
            };
            let _ = h.emit(&mut b);
            b[8..].copy_from_slice(&p[..cut]);
            b
        })
}

#[derive(Clone, Debug)]
enum NdpOptionSpec {
    Slla(Vec<u8>),
    Tlla(Vec<u8>),
    Prefix(PrefixInformation),
    Redirected([u8; 6], Vec<u8>),
    Mtu(u16, u32),
    Unknown(u8, Vec<u8>),
}

fn ndp_data(units: core::ops::RangeInclusive<usize>, fixed: usize) -> impl Strategy<Value = Vec<u8>> {
    units.prop_flat_map(move |u| vec(any::<u8>(), u * 8 - fixed))
}

/// One NDP option's wire bytes (RFC 4861 §4.6): every typed kind and
/// unknown kinds, with lengths up to 4 units (two for addresses).
///
/// ```
/// use netspec::strategy::ipv6::ndp_option_bytes;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(opt in ndp_option_bytes())| {
///     // Length in units of 8 bytes (RFC 4861 §4.6).
///     prop_assert_eq!(opt.len(), 8 * usize::from(opt[1]));
/// });
/// ```
pub fn ndp_option_bytes() -> impl Strategy<Value = Vec<u8>> {
    let prefix = (
        any::<u8>(),
        any::<u8>(),
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
        ipv6_addr(),
    )
        .prop_map(
            |(prefix_length, f, valid_lifetime, preferred_lifetime, reserved2, prefix)| PrefixInformation {
                prefix_length,
                flags: PrefixFlags::from_bits_retain(f),
                valid_lifetime,
                preferred_lifetime,
                reserved2,
                prefix,
            },
        );
    prop_oneof![
        ndp_data(1..=2, 2).prop_map(NdpOptionSpec::Slla),
        ndp_data(1..=2, 2).prop_map(NdpOptionSpec::Tlla),
        prefix.prop_map(NdpOptionSpec::Prefix),
        (any::<[u8; 6]>(), ndp_data(1..=4, 8)).prop_map(|(r, d)| NdpOptionSpec::Redirected(r, d)),
        (any::<u16>(), any::<u32>()).prop_map(|(r, m)| NdpOptionSpec::Mtu(r, m)),
        (6u8..=255, ndp_data(1..=4, 2)).prop_map(|(k, d)| NdpOptionSpec::Unknown(k, d)),
    ]
    .prop_map(|s| {
        let o = match &s {
            NdpOptionSpec::Slla(d) => NdpOption::SourceLinkLayerAddress(d),
            NdpOptionSpec::Tlla(d) => NdpOption::TargetLinkLayerAddress(d),
            NdpOptionSpec::Prefix(p) => NdpOption::PrefixInformation(*p),
            NdpOptionSpec::Redirected(r, d) => NdpOption::RedirectedHeader { reserved: *r, data: d },
            NdpOptionSpec::Mtu(r, m) => NdpOption::Mtu { reserved: *r, mtu: *m },
            NdpOptionSpec::Unknown(k, d) => NdpOption::Unknown {
                kind: NdpOptionType(*k),
                data: d,
            },
        };
        let mut b = vec![0u8; o.len()];
        // Every generated option is a whole number of 8-byte units.
        let _ = o.emit(&mut b);
        b
    })
}

/// The fixed part of any NDP message (RFC 4861 §4.1–§4.5), all bits.
///
/// ```
/// use netspec::net::ndp::NdpHeader;
/// use netspec::strategy::ipv6::ndp_body;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(body in ndp_body())| {
///     let h = NdpHeader::new(body);
///     let mut buf = vec![0u8; h.len()];
///     prop_assert_eq!(h.emit(&mut buf), Ok(h.len()));
/// });
/// ```
pub fn ndp_body() -> impl Strategy<Value = NdpBody> {
    prop_oneof![
        any::<u32>().prop_map(|reserved| NdpBody::RouterSolicitation { reserved }),
        (any::<u8>(), any::<u8>(), any::<u16>(), any::<u32>(), any::<u32>()).prop_map(|(h, f, l, r, t)| {
            NdpBody::RouterAdvertisement {
                cur_hop_limit: h,
                flags: RaFlags::from_bits_retain(f),
                router_lifetime: l,
                reachable_time: r,
                retrans_timer: t,
            }
        }),
        (any::<u32>(), ipv6_addr()).prop_map(|(reserved, target)| NdpBody::NeighborSolicitation { reserved, target }),
        (any::<u32>(), ipv6_addr()).prop_map(|(f, target)| NdpBody::NeighborAdvertisement {
            flags: NaFlags::from_bits_retain(f),
            target
        }),
        (any::<u32>(), ipv6_addr(), ipv6_addr()).prop_map(|(reserved, target, destination)| NdpBody::Redirect {
            reserved,
            target,
            destination
        }),
    ]
}

/// An owned NDP message with 0–6 options of any kind.
///
/// ```
/// use netspec::strategy::ipv6::ndp_header;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(h in ndp_header())| {
///     let mut buf = vec![0u8; h.len()];
///     prop_assert_eq!(h.emit(&mut buf), Ok(h.len()));
/// });
/// ```
pub fn ndp_header() -> impl Strategy<Value = NdpHeader> {
    (any::<u8>(), any::<u16>(), ndp_body(), vec(ndp_option_bytes(), 0..=6)).prop_map(|(c, checksum, body, opts)| {
        let mut options = NdpOptions::new();
        let mut raw = Vec::new();
        for o in opts {
            raw.extend_from_slice(&o);
        }
        if let Ok(o) = NdpOptions::from_slice(&raw, Layer::Icmpv6, "options") {
            options = o;
        }
        NdpHeader {
            code: Icmpv6Code(c),
            checksum,
            body,
            options,
        }
    })
}

/// An MLDv1 Query, Report or Done (RFC 2710 §3), all fields.
///
/// ```
/// use netspec::net::mld::MldMessage;
/// use netspec::strategy::ipv6::mld_v1;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(h in mld_v1())| {
///     let mut buf = [0u8; 24];
///     h.emit(&mut buf).unwrap();
///     prop_assert!(matches!(MldMessage::parse(&buf), Ok(MldMessage::V1(_))));
/// });
/// ```
pub fn mld_v1() -> impl Strategy<Value = MldV1Header> {
    (
        130u8..=132,
        any::<u8>(),
        any::<u16>(),
        any::<u16>(),
        any::<u16>(),
        ipv6_addr(),
    )
        .prop_map(
            |(t, c, checksum, max_response_delay, reserved, multicast_address)| MldV1Header {
                msg_type: Icmpv6Type(t),
                code: Icmpv6Code(c),
                checksum,
                max_response_delay,
                reserved,
                multicast_address,
            },
        )
}

/// An MLDv2 Query (RFC 3810 §5.1) with 0–16 sources, all fields.
///
/// ```
/// use netspec::net::mld::MldMessage;
/// use netspec::strategy::ipv6::mld_v2_query;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(h in mld_v2_query())| {
///     let mut buf = vec![0u8; 2048];
///     let n = h.emit(&mut buf).unwrap();
///     prop_assert!(matches!(MldMessage::parse(&buf[..n]), Ok(MldMessage::Query(_))));
/// });
/// ```
pub fn mld_v2_query() -> impl Strategy<Value = MldV2QueryHeader> {
    (
        (any::<u8>(), any::<u16>(), any::<u16>(), any::<u16>(), ipv6_addr()),
        (0u8..16, any::<bool>(), 0u8..8, any::<u8>()),
        vec(ipv6_addr(), 0..=16),
    )
        .prop_map(
            |((c, checksum, mrc, reserved, group), (resv, suppress, qrv, qqic), sources)| {
                let mut q = MldV2QueryHeader {
                    code: Icmpv6Code(c),
                    checksum,
                    max_response_code: mrc,
                    reserved,
                    multicast_address: group,
                    resv,
                    suppress,
                    qrv,
                    qqic,
                    sources: InlineBytes::new(),
                };
                for s in sources {
                    let _ = q.push_source(s);
                }
                q
            },
        )
}

/// An MLDv2 Report (RFC 3810 §5.2) with 0–8 records of any type, each with
/// 0–4 sources and 0–4 words of auxiliary data.
///
/// ```
/// use netspec::net::mld::MldMessage;
/// use netspec::strategy::ipv6::mld_v2_report;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(h in mld_v2_report())| {
///     let mut buf = vec![0u8; 4096];
///     let n = h.emit(&mut buf).unwrap();
///     prop_assert!(matches!(MldMessage::parse(&buf[..n]), Ok(MldMessage::Report(_))));
/// });
/// ```
pub fn mld_v2_report() -> impl Strategy<Value = MldV2ReportHeader> {
    let record = (any::<u8>(), ipv6_addr(), vec(ipv6_addr(), 0..=4), 0usize..=4)
        .prop_flat_map(|(t, g, s, w)| (Just((t, g, s)), vec(any::<u8>(), w * 4)));
    (any::<u8>(), any::<u16>(), any::<u16>(), vec(record, 0..=8)).prop_map(|(c, checksum, reserved, records)| {
        let mut r = MldV2ReportHeader {
            code: Icmpv6Code(c),
            checksum,
            reserved,
            records: InlineBytes::new(),
        };
        for ((t, g, s), aux) in records {
            let _ = r.push_record(MldRecordType(t), g, &s, &aux);
        }
        r
    })
}

/// `bytes` with one change: a byte replaced, a 16-bit word (where length
/// and count fields live) replaced, or the buffer cut short.
///
/// ```
/// use netspec::net::Ipv6Packet;
/// use netspec::strategy::ipv6::{ipv6_packet, mutated};
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(bytes in mutated(ipv6_packet()))| {
///     // A typed error or a packet; never a panic.
///     if let Ok(p) = Ipv6Packet::parse_lax(&bytes) {
///         let _ = p.ext_chain();
///     }
/// });
/// ```
pub fn mutated<S: Strategy<Value = Vec<u8>>>(bytes: S) -> impl Strategy<Value = Vec<u8>> {
    bytes
        .prop_flat_map(|b| {
            let n = b.len().max(1);
            (Just(b), 0..n, any::<u16>(), 0u8..3)
        })
        .prop_map(|(mut b, at, v, how)| {
            match how {
                0 if at < b.len() => b[at] = v as u8,
                1 if at + 1 < b.len() => b[at..at + 2].copy_from_slice(&v.to_be_bytes()),
                _ => b.truncate(at),
            }
            b
        })
}
