//! The link layer: Ethernet II and IEEE 802.3 framing, IEEE 802.1Q/802.1ad
//! VLAN tags, and ARP.
//!
//! A link moves frames between neighbours that share a medium (a cable, a
//! switch, a Wi-Fi cell). On Ethernet every station has a 48-bit MAC address
//! (IEEE 802-2014 §8.2); a frame names its destination and source MAC and
//! then says what it carries:
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                  Destination MAC address                      |
//! +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                               |                               |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
//! |                    Source MAC address                         |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |   [ 802.1Q / 802.1ad tags, 4 bytes each, zero or more ]       |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |       Type / Length           |   Payload ...                 |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! The last 16-bit field has two meanings (IEEE 802.3-2018 §3.2.6):
//!
//! * at least `0x0600`: an [`EtherType`] naming the payload's protocol
//!   (Ethernet II, RFC 894 for IPv4);
//! * at most `1500` (`0x05DC`): the length of an IEEE 802.3 frame's payload,
//!   which then starts with an IEEE 802.2 LLC header (see
//!   [`ethernet::Llc`]).
//!
//! A frame on the wire is at least 64 bytes with its 4-byte FCS, so short
//! payloads are padded. Captures usually hold no FCS but do keep the padding;
//! netspec leaves it in the Ethernet payload and lets the next layer decide
//! its own length (IPv4's Total Length, ARP's fixed size), which then exposes
//! the rest as a *trailer*.
//!
//! * [`ethernet`]: [`EthernetFrame`] (view) and [`EthernetHeader`] (owned).
//! * [`vlan`]: [`VlanTag`] and the fixed-capacity [`VlanStack`].
//! * [`arp`]: [`ArpPacket`] (view) and [`ArpHeader`] (owned), RFC 826.

pub mod arp;
pub mod ethernet;
pub mod vlan;

pub use arp::{ArpAddr, ArpHardware, ArpHeader, ArpOperation, ArpPacket};
pub use ethernet::{EthernetFrame, EthernetHeader, Llc, Snap};
pub use vlan::{MAX_VLAN_DEPTH, VlanStack, VlanTag};

use core::fmt;

/// A 48-bit IEEE 802 MAC address (IEEE 802-2014 §8.2), in transmission
/// byte order.
///
/// The two low bits of the first byte are flags: bit 0 is I/G (1 = group,
/// i.e. multicast or broadcast) and bit 1 is U/L (1 = locally
/// administered).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct MacAddress(pub [u8; 6]);

impl MacAddress {
    /// The broadcast address `ff:ff:ff:ff:ff:ff` (IEEE 802-2014 §8.2.3).
    pub const BROADCAST: MacAddress = MacAddress([0xff; 6]);
    /// The all-zero address, used in ARP requests for the unknown target
    /// (RFC 826, "Packet Generation").
    pub const ZERO: MacAddress = MacAddress([0; 6]);

    /// The six bytes (IEEE 802-2014 §8.2).
    pub const fn octets(self) -> [u8; 6] {
        self.0
    }

    /// Build from a slice of exactly six bytes, `None` otherwise (IEEE 802-2014 §8.2).
    pub fn from_slice(bytes: &[u8]) -> Option<MacAddress> {
        <[u8; 6]>::try_from(bytes).ok().map(MacAddress)
    }

    /// All ones: every station receives it (IEEE 802-2014 §8.2.3).
    pub const fn is_broadcast(self) -> bool {
        matches!(self.0, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff])
    }

    /// The I/G bit is set: a group address. Broadcast is a group address
    /// too (IEEE 802-2014 §8.2.2).
    pub const fn is_multicast(self) -> bool {
        self.0[0] & 0x01 != 0
    }

    /// The I/G bit is clear: an individual station (IEEE 802-2014 §8.2).
    pub const fn is_unicast(self) -> bool {
        !self.is_multicast()
    }

    /// The U/L bit is set: assigned locally rather than from an OUI
    /// (IEEE 802-2014 §8.2.2).
    pub const fn is_locally_administered(self) -> bool {
        self.0[0] & 0x02 != 0
    }

    /// The IPv4 multicast MAC of RFC 1112 §6.4: `01:00:5e` followed by the
    /// low 23 bits of the group address.
    pub const fn ipv4_multicast(group: core::net::Ipv4Addr) -> MacAddress {
        let o = group.octets();
        MacAddress([0x01, 0x00, 0x5e, o[1] & 0x7f, o[2], o[3]])
    }
}

impl From<[u8; 6]> for MacAddress {
    fn from(b: [u8; 6]) -> Self {
        MacAddress(b)
    }
}

impl fmt::Display for MacAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            b[0], b[1], b[2], b[3], b[4], b[5]
        )
    }
}

impl fmt::Debug for MacAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MacAddress({self})")
    }
}

/// An EtherType (IEEE 802.3-2018 §3.2.6, IEEE Registration Authority list,
/// IANA "IEEE 802 Numbers"). Open: every `u16` is kept; known values have
/// names. Values up to 1500 are 802.3 lengths, not types (see
/// [`EtherType::is_length`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct EtherType(pub u16);

impl EtherType {
    /// IPv4 (RFC 894).
    pub const IPV4: EtherType = EtherType(0x0800);
    /// ARP (RFC 826).
    pub const ARP: EtherType = EtherType(0x0806);
    /// Wake-on-LAN magic packet (IEEE Registration Authority EtherType list).
    pub const WAKE_ON_LAN: EtherType = EtherType(0x0842);
    /// Reverse ARP (RFC 903).
    pub const RARP: EtherType = EtherType(0x8035);
    /// IEEE 802.1Q customer VLAN tag (C-tag) TPID (IEEE 802.1Q-2018 §9.5).
    pub const VLAN: EtherType = EtherType(0x8100);
    /// IPv6 (RFC 2464).
    pub const IPV6: EtherType = EtherType(0x86dd);
    /// MPLS unicast (RFC 3032).
    pub const MPLS: EtherType = EtherType(0x8847);
    /// MPLS multicast (RFC 5332).
    pub const MPLS_MULTICAST: EtherType = EtherType(0x8848);
    /// PPPoE discovery stage (RFC 2516).
    pub const PPPOE_DISCOVERY: EtherType = EtherType(0x8863);
    /// PPPoE session stage (RFC 2516).
    pub const PPPOE_SESSION: EtherType = EtherType(0x8864);
    /// EAP over LAN (IEEE 802.1X-2020).
    pub const EAPOL: EtherType = EtherType(0x888e);
    /// IEEE 802.1ad service VLAN tag (S-tag) TPID, "Q-in-Q"
    /// (IEEE 802.1Q-2018 §9.5).
    pub const QINQ: EtherType = EtherType(0x88a8);
    /// LLDP (IEEE 802.1AB).
    pub const LLDP: EtherType = EtherType(0x88cc);
    /// MACsec (IEEE 802.1AE).
    pub const MACSEC: EtherType = EtherType(0x88e5);
    /// Precision Time Protocol (IEEE 1588).
    pub const PTP: EtherType = EtherType(0x88f7);
    /// Pre-standard Q-in-Q S-tag TPID used by some vendors before 802.1ad (outside IEEE 802.1Q-2018 §9.5, which names 0x88a8).
    pub const QINQ_LEGACY: EtherType = EtherType(0x9100);

    /// The usual name of a value netspec knows, `None` otherwise (IEEE 802.3-2018 §3.2.6).
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0x0800 => "IPv4",
            0x0806 => "ARP",
            0x0842 => "Wake-on-LAN",
            0x8035 => "RARP",
            0x8100 => "802.1Q",
            0x86dd => "IPv6",
            0x8847 => "MPLS",
            0x8848 => "MPLS-multicast",
            0x8863 => "PPPoE-discovery",
            0x8864 => "PPPoE-session",
            0x888e => "EAPOL",
            0x88a8 => "802.1ad",
            0x88cc => "LLDP",
            0x88e5 => "MACsec",
            0x88f7 => "PTP",
            0x9100 => "QinQ-legacy",
            _ => return None,
        })
    }

    /// At most 1500: an IEEE 802.3 length, not a type (IEEE 802.3-2018
    /// §3.2.6).
    pub const fn is_length(self) -> bool {
        self.0 <= ethernet::MAX_8023_LENGTH
    }

    /// Between 1501 and 1535: neither a length nor a type (IEEE 802.3-2018
    /// §3.2.6 leaves these undefined).
    pub const fn is_undefined(self) -> bool {
        self.0 > ethernet::MAX_8023_LENGTH && self.0 < ethernet::MIN_ETHERTYPE
    }

    /// A tag protocol identifier that starts a VLAN tag: 802.1Q `0x8100`,
    /// 802.1ad `0x88a8` or the legacy `0x9100` (IEEE 802.1Q-2018 §9.5).
    pub const fn is_vlan_tpid(self) -> bool {
        matches!(self.0, 0x8100 | 0x88a8 | 0x9100)
    }
}

crate::macros::number_conversions!(EtherType, u16);

crate::macros::named_number_fmt!(EtherType, "0x{:04x}");

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "alloc")]
    #[test]
    fn mac_display_and_classes() {
        use alloc::format;
        let m = MacAddress([0xaa, 0xbb, 0xcc, 0x0d, 0xee, 0xff]);
        assert_eq!(format!("{m}"), "aa:bb:cc:0d:ee:ff");
        assert!(MacAddress::BROADCAST.is_broadcast() && MacAddress::BROADCAST.is_multicast());
        assert!(m.is_unicast() && m.is_locally_administered());
        assert!(!MacAddress([0, 1, 2, 3, 4, 5]).is_locally_administered());
        assert_eq!(format!("{}", EtherType(0x1234)), "0x1234");
        assert_eq!(format!("{:?}", EtherType::IPV4), "IPv4(0x0800)");
    }

    #[test]
    fn ethertype_ranges() {
        assert!(EtherType(1500).is_length());
        assert!(!EtherType(1501).is_length() && EtherType(1501).is_undefined());
        assert!(!EtherType(0x0600).is_undefined() && !EtherType(0x0600).is_length());
        assert!(EtherType::QINQ.is_vlan_tpid() && EtherType::QINQ_LEGACY.is_vlan_tpid());
        assert!(!EtherType::IPV4.is_vlan_tpid());
    }

    #[test]
    fn multicast_mapping() {
        let m = MacAddress::ipv4_multicast(core::net::Ipv4Addr::new(224, 130, 1, 2));
        assert_eq!(m.0, [0x01, 0x00, 0x5e, 0x02, 0x01, 0x02]);
        assert_eq!(MacAddress::from_slice(&[1, 2, 3]), None);
    }
}
