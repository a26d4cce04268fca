//! Strategies for the transport layer: TCP headers with every option kind,
//! UDP datagrams, checksummed segments, mutations, ports and flow keys.
//!
//! Everything generated here is valid unless the name says `mutated`;
//! valid values cover the whole field space (all 9 flag bits, the reserved
//! bits, every option kind in any order that fits 40 bytes, padding after
//! EOL including non-zero junk).

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use proptest::collection::vec;
use proptest::prelude::*;

use crate::net::IpProtocol;
use crate::transport::port::FlowKey;
use crate::transport::tcp::{TcpFlags, TcpHeader};
use crate::transport::tcp_option::{SackBlocks, TcpOption, TcpOptions};
use crate::transport::udp::UdpHeader;

/// Every 9-bit flag combination (FIN..CWR and AE).
///
/// ```
/// use netspec::transport::TcpFlags;
/// use netspec::strategy::transport::tcp_flags;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(f in tcp_flags())| {
///     prop_assert!(f.bits() < 0x200);
///     prop_assert_eq!(TcpFlags::from_bits_retain(f.bits()), f);
/// });
/// ```
pub fn tcp_flags() -> impl Strategy<Value = TcpFlags> {
    (0u16..=0x1ff).prop_map(TcpFlags::from_bits_retain)
}

/// Kinds with a dedicated variant, which `Unknown` must avoid.
const DECODED: [u8; 14] = [0, 1, 2, 3, 4, 5, 8, 19, 28, 29, 30, 34, 253, 254];

/// The wire bytes of one valid option of any kind except EOL, data sizes
/// chosen so that several fit the area together.
///
/// ```
/// use netspec::transport::TcpOptions;
/// use netspec::strategy::transport::tcp_option_bytes;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(opt in tcp_option_bytes())| {
///     prop_assert!(TcpOptions::from_bytes(&opt).is_ok());
/// });
/// ```
pub fn tcp_option_bytes() -> impl Strategy<Value = Vec<u8>> {
    fn wire(o: TcpOption<'_>) -> Vec<u8> {
        let mut b = [0u8; 40];
        match o.emit(&mut b) {
            Ok(n) => b[..n].to_vec(),
            // Unreachable for the options built below; a NOP keeps the
            // strategy total rather than panicking.
            Err(_) => vec![1],
        }
    }
    prop_oneof![
        Just(vec![1u8]),
        any::<u16>().prop_map(|v| wire(TcpOption::Mss(v))),
        any::<u8>().prop_map(|v| wire(TcpOption::WindowScale(v))),
        Just(wire(TcpOption::SackPermitted)),
        vec(any::<(u32, u32)>(), 1..=4).prop_map(|b| SackBlocks::new(&b).map_or(vec![1], |s| wire(TcpOption::Sack(s)))),
        any::<(u32, u32)>().prop_map(|(val, ecr)| wire(TcpOption::Timestamps { val, ecr })),
        any::<[u8; 16]>().prop_map(|d| wire(TcpOption::Md5Signature(&d))),
        (any::<bool>(), 0u16..=0x7fff).prop_map(|(g, t)| wire(TcpOption::UserTimeout {
            granularity_minutes: g,
            timeout: t
        })),
        (any::<u8>(), any::<u8>(), vec(any::<u8>(), 0..=20)).prop_map(|(k, r, mac)| wire(TcpOption::Authentication {
            key_id: k,
            rnext_key_id: r,
            mac: &mac
        })),
        vec(any::<u8>(), 0..=20).prop_map(|d| wire(TcpOption::Mptcp(&d))),
        vec(any::<u8>(), 0..=16).prop_map(|d| wire(TcpOption::FastOpenCookie(&d))),
        (
            prop_oneof![Just(253u8), Just(254u8)],
            any::<u16>(),
            vec(any::<u8>(), 0..=12)
        )
            .prop_map(|(kind, exid, data)| wire(TcpOption::Experimental {
                kind,
                exid,
                data: &data
            })),
        (
            any::<u8>().prop_filter("a kind without its own variant", |k| !DECODED.contains(k)),
            vec(any::<u8>(), 0..=20)
        )
            .prop_map(|(kind, data)| wire(TcpOption::Unknown { kind, data: &data })),
    ]
}

/// A valid options area: options of any kinds packed in order while they
/// fit 40 bytes, sometimes ended by an EOL and padding (zero bytes, or
/// junk a sender left there). May be any length 0..=40, not only
/// multiples of 4; the emitter pads.
///
/// ```
/// use netspec::transport::TcpOptions;
/// use netspec::strategy::transport::tcp_options;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(opts in tcp_options())| {
///     prop_assert!(opts.len() <= 40);
///     prop_assert_eq!(TcpOptions::from_bytes(opts.as_bytes()), Ok(opts));
/// });
/// ```
pub fn tcp_options() -> impl Strategy<Value = TcpOptions> {
    (vec(tcp_option_bytes(), 0..10), any::<bool>(), vec(any::<u8>(), 0..4)).prop_map(|(opts, eol, junk)| {
        let mut area = Vec::with_capacity(40);
        for o in opts {
            if area.len() + o.len() <= 40 {
                area.extend_from_slice(&o);
            }
        }
        if eol && area.len() < 40 {
            area.push(0);
            let room = 40 - area.len();
            area.extend(junk.into_iter().take(room));
        }
        TcpOptions::from_bytes(&area).unwrap_or_default()
    })
}

/// Any TCP header: every field over its whole range, 9 flag bits, the 3
/// reserved bits, and options from [`tcp_options`].
///
/// ```
/// use netspec::transport::TcpHeader;
/// use netspec::strategy::transport::tcp_header;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(h in tcp_header())| {
///     let mut buf = [0u8; 60];
///     let n = h.emit(&mut buf).unwrap();
///     prop_assert_eq!(TcpHeader::parse(&buf[..n]).unwrap().0, h);
/// });
/// ```
pub fn tcp_header() -> impl Strategy<Value = TcpHeader> {
    (
        any::<(u16, u16, u32, u32)>(),
        tcp_flags(),
        0u8..=7,
        any::<(u16, u16, u16)>(),
        tcp_options(),
    )
        .prop_map(
            |((src_port, dst_port, seq, ack), flags, reserved, (window, checksum, urgent_ptr), options)| TcpHeader {
                src_port,
                dst_port,
                seq,
                ack,
                flags,
                reserved,
                window,
                checksum,
                urgent_ptr,
                options,
            },
        )
}

/// A TCP header and a payload of 0..=64 bytes.
///
/// ```
/// use netspec::strategy::transport::tcp_header_and_payload;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |((h, payload) in tcp_header_and_payload())| {
///     prop_assert!(h.header_len() <= 60 && payload.len() <= 64);
/// });
/// ```
pub fn tcp_header_and_payload() -> impl Strategy<Value = (TcpHeader, Vec<u8>)> {
    (tcp_header(), vec(any::<u8>(), 0..=64))
}

/// A valid segment's bytes: an emitted header from [`tcp_header`] and its
/// payload (checksum field as generated, not computed).
///
/// ```
/// use netspec::transport::TcpSegment;
/// use netspec::strategy::transport::tcp_segment;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(bytes in tcp_segment())| {
///     let seg = TcpSegment::parse(&bytes).unwrap();
///     prop_assert_eq!(seg.header_bytes().len() + seg.payload().len(), bytes.len());
/// });
/// ```
pub fn tcp_segment() -> impl Strategy<Value = Vec<u8>> {
    tcp_header_and_payload().prop_map(|(h, payload)| {
        let mut b = vec![0u8; h.header_len() + payload.len()];
        let n = h.emit(&mut b).unwrap_or(0);
        b[n..].copy_from_slice(&payload);
        b
    })
}

/// A UDP header whose length covers an 0..=64-byte payload, and that
/// payload, plus 0..=8 trailer bytes after the datagram.
///
/// ```
/// use netspec::transport::UdpDatagram;
/// use netspec::strategy::transport::udp_datagram;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |((h, payload, trailer) in udp_datagram())| {
///     prop_assert_eq!(usize::from(h.length), 8 + payload.len());
///     let mut bytes = vec![0u8; 8];
///     h.emit(&mut bytes).unwrap();
///     bytes.extend_from_slice(&payload);
///     bytes.extend_from_slice(&trailer);
///     let d = UdpDatagram::parse(&bytes).unwrap();
///     prop_assert_eq!((d.payload(), d.trailer()), (&payload[..], &trailer[..]));
/// });
/// ```
pub fn udp_datagram() -> impl Strategy<Value = (UdpHeader, Vec<u8>, Vec<u8>)> {
    (
        any::<(u16, u16, u16)>(),
        vec(any::<u8>(), 0..=64),
        vec(any::<u8>(), 0..=8),
    )
        .prop_map(|((src_port, dst_port, checksum), payload, trailer)| {
            let h = UdpHeader {
                src_port,
                dst_port,
                length: (8 + payload.len()) as u16,
                checksum,
            };
            (h, payload, trailer)
        })
}

/// Any UDP header at all, its length field anywhere in 8..=65535.
///
/// ```
/// use netspec::transport::UdpHeader;
/// use netspec::strategy::transport::udp_header;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(h in udp_header())| {
///     prop_assert!(h.length >= 8);
///     let mut buf = vec![0u8; usize::from(h.length)];
///     h.emit(&mut buf).unwrap();
///     prop_assert_eq!(UdpHeader::parse(&buf).unwrap().0, h);
/// });
/// ```
pub fn udp_header() -> impl Strategy<Value = UdpHeader> {
    (any::<(u16, u16, u16)>(), 8u16..=u16::MAX).prop_map(|((src_port, dst_port, checksum), length)| UdpHeader {
        src_port,
        dst_port,
        length,
        checksum,
    })
}

/// The bytes of a valid UDP datagram (header, payload, trailer).
///
/// ```
/// use netspec::transport::UdpDatagram;
/// use netspec::strategy::transport::udp_datagram_bytes;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(bytes in udp_datagram_bytes())| {
///     prop_assert!(UdpDatagram::parse(&bytes).is_ok());
/// });
/// ```
pub fn udp_datagram_bytes() -> impl Strategy<Value = Vec<u8>> {
    udp_datagram().prop_map(|(h, payload, trailer)| {
        let mut b = vec![0u8; 8];
        let _ = h.emit(&mut b);
        b.extend_from_slice(&payload);
        b.extend_from_slice(&trailer);
        b
    })
}

/// `bytes` with one byte replaced by a different value (a "mutated"
/// packet); empty input is returned as is.
///
/// ```
/// use netspec::strategy::transport::{mutate_one_byte, udp_datagram_bytes};
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |((orig, bad) in udp_datagram_bytes().prop_flat_map(|b| (Just(b.clone()), mutate_one_byte(b))))| {
///     prop_assert_eq!(orig.iter().zip(&bad).filter(|(a, b)| a != b).count(), 1);
/// });
/// ```
pub fn mutate_one_byte(bytes: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = bytes.len().max(1);
    (0..len, 1u8..=255).prop_map(move |(i, x)| {
        let mut b = bytes.clone();
        if let Some(v) = b.get_mut(i) {
            *v ^= x;
        }
        b
    })
}

/// A valid TCP segment with one byte changed, or its data offset set to
/// any of 0..=15.
///
/// ```
/// use netspec::transport::TcpSegment;
/// use netspec::strategy::transport::tcp_segment_mutated;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(bytes in tcp_segment_mutated())| {
///     // A typed error or a segment; never a panic.
///     let _ = TcpSegment::parse(&bytes);
/// });
/// ```
pub fn tcp_segment_mutated() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        tcp_segment().prop_flat_map(mutate_one_byte),
        (tcp_segment(), 0u8..=15).prop_map(|(mut b, off)| {
            b[12] = (b[12] & 0x0f) | (off << 4);
            b
        }),
    ]
}

/// A valid UDP datagram with one byte changed, or its length field set to
/// any value.
///
/// ```
/// use netspec::transport::UdpDatagram;
/// use netspec::strategy::transport::udp_datagram_mutated;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(bytes in udp_datagram_mutated())| {
///     // A typed error or a datagram; never a panic.
///     let _ = (UdpDatagram::parse(&bytes), UdpDatagram::parse_lax(&bytes));
/// });
/// ```
pub fn udp_datagram_mutated() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        udp_datagram_bytes().prop_flat_map(mutate_one_byte),
        (udp_datagram_bytes(), any::<u16>()).prop_map(|(mut b, len)| {
            b[4..6].copy_from_slice(&len.to_be_bytes());
            b
        }),
    ]
}

/// Any IPv4 address.
///
/// ```
/// use netspec::strategy::transport::ipv4_addr;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(a in ipv4_addr())| {
///     prop_assert_eq!(std::net::Ipv4Addr::from(a.to_bits()), a);
/// });
/// ```
pub fn ipv4_addr() -> impl Strategy<Value = Ipv4Addr> {
    any::<u32>().prop_map(Ipv4Addr::from)
}

/// Any IPv6 address.
///
/// ```
/// use netspec::strategy::transport::ipv6_addr;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(a in ipv6_addr())| {
///     prop_assert_eq!(std::net::Ipv6Addr::from(a.to_bits()), a);
/// });
/// ```
pub fn ipv6_addr() -> impl Strategy<Value = Ipv6Addr> {
    any::<u128>().prop_map(Ipv6Addr::from)
}

/// An IPv4 or IPv6 address, sometimes from a tiny pool so that equal
/// addresses (same host both ends) come up.
///
/// ```
/// use netspec::strategy::transport::ip_addr;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(a in ip_addr())| {
///     prop_assert!(a.is_ipv4() != a.is_ipv6());
/// });
/// ```
pub fn ip_addr() -> impl Strategy<Value = IpAddr> {
    prop_oneof![
        ipv4_addr().prop_map(IpAddr::V4),
        ipv6_addr().prop_map(IpAddr::V6),
        (0u8..2).prop_map(|i| IpAddr::V4(Ipv4Addr::new(10, 0, 0, i))),
    ]
}

/// A flow key with any addresses, ports (often equal) and protocol.
///
/// ```
/// use netspec::strategy::transport::flow_key;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(k in flow_key())| {
///     prop_assert_eq!(k.reversed().reversed(), k);
///     prop_assert!(k.canonical().0.is_canonical());
/// });
/// ```
pub fn flow_key() -> impl Strategy<Value = FlowKey> {
    (
        ip_addr(),
        ip_addr(),
        prop_oneof![any::<u16>(), 0u16..3],
        prop_oneof![any::<u16>(), 0u16..3],
        prop_oneof![
            Just(IpProtocol::TCP),
            Just(IpProtocol::UDP),
            any::<u8>().prop_map(IpProtocol)
        ],
    )
        .prop_map(|(src, dst, sp, dp, p)| FlowKey::new(p, src, sp, dst, dp))
}

/// A service name valid under RFC 6335 §5.1: alphanumeric runs joined by
/// single hyphens, 1..=15 characters, at least one letter.
///
/// ```
/// use netspec::transport::port::check_service_name;
/// use netspec::strategy::transport::service_name;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(name in service_name())| {
///     prop_assert!(check_service_name(&name).is_ok());
/// });
/// ```
pub fn service_name() -> impl Strategy<Value = String> {
    vec("[a-zA-Z0-9]{1,5}", 1..=4)
        .prop_map(|runs| runs.join("-"))
        .prop_filter("1..=15 characters with a letter", |s| {
            s.len() <= 15 && s.bytes().any(|c| c.is_ascii_alphabetic())
        })
}
