//! Strategies for IPv4 (RFC 791) with every option kind, and ICMPv4
//! (RFC 792): owned headers over the whole field space, canonical datagram
//! bytes with valid checksums, ICMP errors quoting real headers, and
//! length-field mutations.

use crate::net::ipv4_option::{Ipv4Options, MAX_OPTIONS_LEN};
use crate::net::{Icmpv4Code, Icmpv4Header, Icmpv4Type, IpProtocol, Ipv4Flags, Ipv4Header};
use core::net::Ipv4Addr;
use proptest::collection::vec;
use proptest::prelude::*;

/// Any IPv4 address.
///
/// ```
/// use netspec::strategy::ipv4::ipv4_addr;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(a in ipv4_addr())| {
///     prop_assert_eq!(std::net::Ipv4Addr::from(a.octets()), a);
/// });
/// ```
pub fn ipv4_addr() -> impl Strategy<Value = Ipv4Addr> {
    any::<[u8; 4]>().prop_map(Ipv4Addr::from)
}

/// The wire bytes of one well-formed option of any kind (RFC 791 §3.1,
/// RFC 2113): EOL, NOP, Record Route, LSRR, SSRR (any pointer, 0..=37 data
/// bytes), Timestamp (any pointer, overflow and flag, 0..=36 data bytes),
/// Router Alert, or an unknown kind with 0..=38 data bytes.
///
/// ```
/// use netspec::net::ipv4_option::Ipv4OptionIter;
/// use netspec::strategy::ipv4::ipv4_option_bytes;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(opt in ipv4_option_bytes())| {
///     prop_assert!(opt.len() <= 40);
///     prop_assert!(Ipv4OptionIter::validate(&opt).is_ok());
/// });
/// ```
pub fn ipv4_option_bytes() -> impl Strategy<Value = Vec<u8>> {
    let route = (
        prop_oneof![Just(7u8), Just(131u8), Just(137u8)],
        any::<u8>(),
        vec(any::<u8>(), 0..=37),
    )
        .prop_map(|(k, ptr, data)| {
            let mut b = vec![k, 3 + data.len() as u8, ptr];
            b.extend(data);
            b
        });
    let timestamp = (any::<u8>(), 0u8..16, 0u8..16, vec(any::<u8>(), 0..=36)).prop_map(|(ptr, oflw, flg, data)| {
        let mut b = vec![68, 4 + data.len() as u8, ptr, (oflw << 4) | flg];
        b.extend(data);
        b
    });
    let router_alert = any::<u16>().prop_map(|v| {
        let v = v.to_be_bytes();
        vec![148, 4, v[0], v[1]]
    });
    let unknown = (
        (2u8..=255).prop_filter("a kind netspec types", |k| !matches!(k, 7 | 68 | 131 | 137 | 148)),
        vec(any::<u8>(), 0..=38),
    )
        .prop_map(|(k, data)| {
            let mut b = vec![k, 2 + data.len() as u8];
            b.extend(data);
            b
        });
    prop_oneof![
        1 => Just(vec![0u8]),
        2 => Just(vec![1u8]),
        2 => route,
        2 => timestamp,
        2 => router_alert,
        2 => unknown,
    ]
}

/// Option bytes: well-formed options appended while they fit in 40 bytes.
/// After an EOL the rest is padding, which a parser never interprets.
///
/// ```
/// use netspec::net::Ipv4Options;
/// use netspec::strategy::ipv4::ipv4_options;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(opts in ipv4_options())| {
///     prop_assert!(opts.padded_len() <= 40 && opts.padded_len() % 4 == 0);
///     prop_assert_eq!(Ipv4Options::from_bytes(opts.as_bytes()), Ok(opts));
/// });
/// ```
pub fn ipv4_options() -> impl Strategy<Value = Ipv4Options> {
    vec(ipv4_option_bytes(), 0..8).prop_map(|opts| {
        let mut o = Ipv4Options::new();
        for b in opts {
            if o.len() + b.len() <= MAX_OPTIONS_LEN {
                // Cannot fail: the length was checked.
                let _ = o.push_raw(&b);
            }
        }
        o
    })
}

/// An owned header over the whole field space: every DSCP, ECN, flag
/// combination (reserved bit included), fragment offset, TTL, protocol and
/// checksum (not necessarily correct), any addresses and options, and a
/// Total Length from the header length up to 65535 (small payloads drawn
/// most often).
///
/// ```
/// use netspec::net::Ipv4Header;
/// use netspec::strategy::ipv4::ipv4_header;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(h in ipv4_header())| {
///     // Emit the header and as much payload as Total Length says.
///     let mut buf = vec![0u8; usize::from(h.total_length)];
///     h.emit(&mut buf).unwrap();
///     prop_assert_eq!(Ipv4Header::parse(&buf).unwrap().0, h);
/// });
/// ```
pub fn ipv4_header() -> impl Strategy<Value = Ipv4Header> {
    (
        (0u8..64, 0u8..4, any::<u16>(), 0u8..8, 0u16..0x2000, any::<u8>()),
        (any::<u8>(), any::<u16>(), ipv4_addr(), ipv4_addr(), ipv4_options()),
        prop_oneof![3 => 0usize..64, 1 => 0usize..=65535],
    )
        .prop_map(
            |(
                (dscp, ecn, identification, flags, fragment_offset, ttl),
                (proto, checksum, src, dst, options),
                extra,
            )| {
                let mut h = Ipv4Header {
                    dscp,
                    ecn,
                    total_length: 0,
                    identification,
                    flags: Ipv4Flags::from_bits_retain(flags),
                    fragment_offset,
                    ttl,
                    protocol: IpProtocol(proto),
                    checksum,
                    src,
                    dst,
                    options,
                };
                h.total_length = (h.header_len() + extra).min(65535) as u16;
                h
            },
        )
}

/// `len` bytes repeating `pattern` (a cheap way to fill big payloads).
fn fill(pattern: &[u8], len: usize) -> Vec<u8> {
    if pattern.is_empty() {
        return vec![0; len];
    }
    pattern.iter().copied().cycle().take(len).collect()
}

/// A header and the payload its Total Length calls for.
///
/// ```
/// use netspec::net::Ipv4Header;
/// use netspec::strategy::ipv4::ipv4_packet;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |((h, payload) in ipv4_packet())| {
///     prop_assert_eq!(h.header_len() + payload.len(), usize::from(h.total_length));
/// });
/// ```
pub fn ipv4_packet() -> impl Strategy<Value = (Ipv4Header, Vec<u8>)> {
    (ipv4_header(), vec(any::<u8>(), 0..16)).prop_map(|(h, pat)| {
        let p = fill(&pat, h.payload_len());
        (h, p)
    })
}

/// Canonical datagram bytes with a correct header checksum and a short
/// payload, followed by 0..24 bytes of link-layer padding. Returns the bytes
/// and the padding length.
///
/// ```
/// use netspec::net::Ipv4Packet;
/// use netspec::strategy::ipv4::ipv4_datagram_bytes;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |((bytes, pad) in ipv4_datagram_bytes())| {
///     let p = Ipv4Packet::parse(&bytes).unwrap();
///     prop_assert!(p.verify_checksum());
///     prop_assert_eq!(p.trailer().len(), pad);
/// });
/// ```
pub fn ipv4_datagram_bytes() -> impl Strategy<Value = (Vec<u8>, usize)> {
    (ipv4_header(), vec(any::<u8>(), 0..48), vec(any::<u8>(), 0..24)).prop_map(|(mut h, payload, pad)| {
        h.total_length = (h.header_len() + payload.len()) as u16;
        h.fill_checksum();
        let mut b = vec![0u8; h.header_len()];
        // The strategy builds only emittable headers.
        let _ = h.emit(&mut b);
        b.extend(payload);
        b.extend_from_slice(&pad);
        (b, pad.len())
    })
}

/// Header-shaped noise: version 4 and any IHL most of the time, any Total
/// Length, then random bytes. Reaches every IPv4 error path.
///
/// ```
/// use netspec::net::Ipv4Packet;
/// use netspec::strategy::ipv4::ipv4_like_bytes;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(bytes in ipv4_like_bytes())| {
///     // A typed error or a packet; never a panic.
///     if let Ok(p) = Ipv4Packet::parse(&bytes) {
///         prop_assert!(p.header_len() <= usize::from(p.total_length()));
///     }
/// });
/// ```
pub fn ipv4_like_bytes() -> impl Strategy<Value = Vec<u8>> {
    (
        prop_oneof![4 => 0x40u8..=0x4f, 1 => any::<u8>()],
        any::<u8>(),
        prop_oneof![1 => 0u16..=100, 1 => any::<u16>()],
        vec(any::<u8>(), 0..90),
    )
        .prop_map(|(vihl, tos, total, rest)| {
            let mut b = vec![vihl, tos];
            b.extend_from_slice(&total.to_be_bytes());
            b.extend(rest);
            b
        })
}

/// Any ICMPv4 type, with the types netspec decodes drawn often.
///
/// ```
/// use netspec::strategy::ipv4::icmpv4_type;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(t in icmpv4_type())| {
///     // Open type: every value is kept, named or not.
///     let _ = t.name();
/// });
/// ```
pub fn icmpv4_type() -> impl Strategy<Value = Icmpv4Type> {
    prop_oneof![
        3 => prop_oneof![
            Just(0u8), Just(3), Just(4), Just(5), Just(8), Just(11), Just(12), Just(13), Just(14)
        ],
        1 => any::<u8>(),
    ]
    .prop_map(Icmpv4Type)
}

/// An owned ICMPv4 header over the whole field space.
///
/// ```
/// use netspec::net::Icmpv4Header;
/// use netspec::strategy::ipv4::icmpv4_header;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(h in icmpv4_header())| {
///     let mut buf = [0u8; 64];
///     if let Ok(n) = h.emit(&mut buf) {
///         prop_assert!(n >= 8);
///     }
/// });
/// ```
pub fn icmpv4_header() -> impl Strategy<Value = Icmpv4Header> {
    (icmpv4_type(), any::<u8>(), any::<u16>(), any::<[u8; 4]>()).prop_map(|(t, c, checksum, rest)| Icmpv4Header {
        icmp_type: t,
        code: Icmpv4Code(c),
        checksum,
        rest,
    })
}

/// A header and data the type allows (at least 12 bytes of timestamps for
/// types 13 and 14, RFC 792).
///
/// ```
/// use netspec::net::{Icmpv4Header, Icmpv4Message};
/// use netspec::strategy::ipv4::icmpv4_message;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |((h, data) in icmpv4_message())| {
///     let mut buf = vec![0u8; 64 + data.len()];
///     let n = h.emit(&mut buf).unwrap();
///     buf[n..n + data.len()].copy_from_slice(&data);
///     let msg = Icmpv4Message::parse(&buf[..n + data.len()]).unwrap();
///     prop_assert_eq!(msg.to_header(), h);
/// });
/// ```
pub fn icmpv4_message() -> impl Strategy<Value = (Icmpv4Header, Vec<u8>)> {
    (icmpv4_header(), vec(any::<u8>(), 0..64)).prop_map(|(h, mut data)| {
        if matches!(h.icmp_type.0, 13 | 14) && data.len() < 12 {
            data.resize(12, 0);
        }
        (h, data)
    })
}

/// An ICMP error (types 3, 4, 5, 11, 12) with a correct checksum, quoting a
/// real datagram cut after its header and 8 payload bytes (RFC 792).
/// Returns the message bytes and the quoted datagram's full bytes.
///
/// ```
/// use netspec::net::Icmpv4Message;
/// use netspec::strategy::ipv4::icmpv4_error_bytes;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |((msg, quoted) in icmpv4_error_bytes())| {
///     let m = Icmpv4Message::parse(&msg).unwrap();
///     // The message quotes the datagram's header and its first 8 payload bytes.
///     prop_assert!(quoted.starts_with(m.quoted().unwrap()));
/// });
/// ```
pub fn icmpv4_error_bytes() -> impl Strategy<Value = (Vec<u8>, Vec<u8>)> {
    (
        prop_oneof![Just(3u8), Just(4), Just(5), Just(11), Just(12)],
        any::<u8>(),
        any::<[u8; 4]>(),
        ipv4_datagram_bytes(),
    )
        .prop_map(|(t, code, rest, (dgram, pad))| {
            let dgram = dgram[..dgram.len() - pad].to_vec();
            let hl = usize::from(dgram[0] & 0x0f) * 4;
            let quote = &dgram[..(hl + 8).min(dgram.len())];
            let mut h = Icmpv4Header {
                icmp_type: Icmpv4Type(t),
                code: Icmpv4Code(code),
                checksum: 0,
                rest,
            };
            h.fill_checksum(quote);
            let mut b = vec![0u8; 8];
            let _ = h.emit(&mut b);
            b.extend_from_slice(quote);
            (b, dgram)
        })
}
