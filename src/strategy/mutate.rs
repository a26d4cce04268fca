//! Damaged input, for testing that code rejects it: the index of netspec's
//! mutation strategies, and frames whose only fault is a wrong checksum.
//!
//! A parser that accepts a valid packet proves little; one that rejects (or
//! flags) every way a packet can be wrong proves more. Each strategy below
//! starts from valid bytes and damages them one way:
//!
//! | damage | strategy |
//! |---|---|
//! | one byte changed | [`link::one_byte_changed`], [`transport::mutate_one_byte`], [`packet::flip_byte`] |
//! | cut short anywhere | [`link::truncated`] |
//! | a 16-bit length or type field set to any value | [`link::u16_field_changed`] |
//! | lengths lying (IP total/payload length, IHL, UDP length, data offset) | [`packet::mutated_frame`], [`transport::tcp_segment_mutated`], [`transport::udp_datagram_mutated`] |
//! | IPv6 packets, any of the above | [`ipv6::mutated`] |
//! | DNS messages (counts, pointers, lengths) | [`dns::mutated_message_bytes`] |
//! | a checksum wrong, nothing else | [`wrong_checksum`] |
//!
//! The checksums are the RFC 1071 Internet checksum of the IPv4 header
//! (RFC 791 §3.1) and of TCP, UDP, ICMPv4 and ICMPv6 with their
//! pseudo-headers (RFC 9293 §3.1, RFC 768, RFC 792, RFC 4443 §2.3).
//!
//! [`link::one_byte_changed`]: super::link::one_byte_changed
//! [`link::truncated`]: super::link::truncated
//! [`link::u16_field_changed`]: super::link::u16_field_changed
//! [`transport::mutate_one_byte`]: super::transport::mutate_one_byte
//! [`transport::tcp_segment_mutated`]: super::transport::tcp_segment_mutated
//! [`transport::udp_datagram_mutated`]: super::transport::udp_datagram_mutated
//! [`packet::flip_byte`]: super::packet::flip_byte
//! [`packet::mutated_frame`]: super::packet::mutated_frame
//! [`ipv6::mutated`]: super::ipv6::mutated
//! [`dns::mutated_message_bytes`]: super::dns::mutated_message_bytes

use proptest::prelude::*;

use crate::packet::{Network, Packet, Transport};
use crate::transport::ChecksumStatus;

/// Where the checksum field of each transport sits in its header.
fn transport_checksum_at(t: &Transport<'_>) -> Option<usize> {
    match t {
        Transport::Tcp(_) => Some(16),
        Transport::Udp(_) => Some(6),
        Transport::Icmpv4(_) | Transport::Icmpv6(_) => Some(2),
        _ => None,
    }
}

/// A valid frame ([`super::packet::frame`]: Ethernet ± VLAN, IPv4 or IPv6,
/// TCP, UDP or ICMP echo) with exactly one checksum made wrong: the IPv4
/// header checksum or the transport checksum, replaced by any other value
/// that does not verify. Every other byte is as built, so a receiver that
/// accepts the frame is not checking that checksum.
///
/// ```
/// use netspec::packet::Packet;
/// use netspec::strategy::mutate::wrong_checksum;
/// use netspec::transport::ChecksumStatus;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(bytes in wrong_checksum())| {
///     let p = Packet::from_ethernet(&bytes);
///     prop_assert!(p.error.is_none(), "only a checksum is wrong");
///     let r = p.verify_checksums();
///     // Exactly one of the two is bad.
///     prop_assert!((r.network == ChecksumStatus::Bad) != (r.transport == ChecksumStatus::Bad), "{r:?}");
/// });
/// ```
pub fn wrong_checksum() -> impl Strategy<Value = Vec<u8>> {
    (super::packet::frame(), any::<bool>(), any::<u16>()).prop_filter_map(
        "the new value happened to verify (0x0000 and 0xFFFF are the same one's-complement number)",
        |(mut bytes, network, value)| {
            let p = Packet::from_ethernet(&bytes);
            let at = match (network, p.network, p.transport) {
                (true, Some(Network::Ipv4(_)), _) => p.network_offset()? + 10,
                (_, _, Some(t)) => p.transport_offset()? + transport_checksum_at(&t)?,
                _ => return None,
            };
            bytes.get_mut(at..at + 2)?.copy_from_slice(&value.to_be_bytes());
            let r = Packet::from_ethernet(&bytes).verify_checksums();
            let bad = |s| s == ChecksumStatus::Bad;
            (bad(r.network) != bad(r.transport)).then_some(bytes)
        },
    )
}
