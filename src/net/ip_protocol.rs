//! IP protocol numbers: the IPv4 Protocol field and the IPv6 Next Header
//! field (IANA "Assigned Internet Protocol Numbers"; RFC 791 §3.1,
//! RFC 8200 §3).
//!
//! The same 8-bit registry names what follows an IP header: a transport
//! protocol (TCP, UDP), ICMP, or, in IPv6, an extension header.

/// An IP protocol number / IPv6 Next Header value. Open: every `u8` is
/// valid and kept; the well-known ones have names.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct IpProtocol(pub u8);

impl IpProtocol {
    /// IPv6 Hop-by-Hop Options extension header (RFC 8200 §4.3).
    pub const HOP_BY_HOP: IpProtocol = IpProtocol(0);
    /// ICMP for IPv4 (RFC 792).
    pub const ICMP: IpProtocol = IpProtocol(1);
    /// IGMP (RFC 3376).
    pub const IGMP: IpProtocol = IpProtocol(2);
    /// IPv4 encapsulated in IP (RFC 2003).
    pub const IPV4: IpProtocol = IpProtocol(4);
    /// TCP (RFC 9293).
    pub const TCP: IpProtocol = IpProtocol(6);
    /// UDP (RFC 768).
    pub const UDP: IpProtocol = IpProtocol(17);
    /// IPv6 encapsulated in IP (RFC 2473, RFC 4213 6in4).
    pub const IPV6: IpProtocol = IpProtocol(41);
    /// IPv6 Routing extension header (RFC 8200 §4.4).
    pub const IPV6_ROUTE: IpProtocol = IpProtocol(43);
    /// IPv6 Fragment extension header (RFC 8200 §4.5).
    pub const IPV6_FRAG: IpProtocol = IpProtocol(44);
    /// Encapsulating Security Payload (RFC 4303).
    pub const ESP: IpProtocol = IpProtocol(50);
    /// Authentication Header (RFC 4302).
    pub const AH: IpProtocol = IpProtocol(51);
    /// ICMP for IPv6 (RFC 4443).
    pub const ICMPV6: IpProtocol = IpProtocol(58);
    /// IPv6 No Next Header (RFC 8200 §4.7).
    pub const IPV6_NO_NEXT: IpProtocol = IpProtocol(59);
    /// IPv6 Destination Options extension header (RFC 8200 §4.6).
    pub const IPV6_OPTS: IpProtocol = IpProtocol(60);
    /// SCTP (RFC 9260).
    pub const SCTP: IpProtocol = IpProtocol(132);
    /// Mobility Header (RFC 6275).
    pub const MOBILITY: IpProtocol = IpProtocol(135);

    /// The IANA keyword for a value netspec knows, `None` otherwise.
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "HOPOPT",
            1 => "ICMP",
            2 => "IGMP",
            4 => "IPv4",
            6 => "TCP",
            17 => "UDP",
            41 => "IPv6",
            43 => "IPv6-Route",
            44 => "IPv6-Frag",
            50 => "ESP",
            51 => "AH",
            58 => "IPv6-ICMP",
            59 => "IPv6-NoNxt",
            60 => "IPv6-Opts",
            132 => "SCTP",
            135 => "Mobility",
            _ => return None,
        })
    }

    /// True for the IPv6 extension headers that netspec walks as a chain
    /// (RFC 8200 §4.1 order: Hop-by-Hop, Destination, Routing, Fragment,
    /// AH; ESP ends the walk because what follows it is encrypted).
    pub const fn is_ipv6_extension(self) -> bool {
        matches!(self.0, 0 | 43 | 44 | 51 | 60)
    }
}

crate::macros::number_conversions!(IpProtocol, u8);

crate::macros::named_number_fmt!(IpProtocol, "{}");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_unknowns() {
        assert_eq!(IpProtocol::TCP.name(), Some("TCP"));
        assert_eq!(IpProtocol(253).name(), None);
        assert!(IpProtocol::IPV6_FRAG.is_ipv6_extension());
        assert!(!IpProtocol::ESP.is_ipv6_extension());
    }
}
