//! The whole packet: one call parses a captured frame into a layered,
//! zero-copy view, from the link layer up to the application data.
//!
//! Each layer's header names the protocol of the next (RFC 1122 §1.1.3): the
//! EtherType selects IPv4, IPv6 or ARP (IEEE 802.3-2018 §3.2.6); the IPv4
//! Protocol or the last IPv6 Next Header selects TCP, UDP or ICMP (RFC 791
//! §3.1, RFC 8200 §4.1). [`Packet::from_ethernet`] follows that chain:
//!
//! ```text
//!  +----------+------------+------------------+--------------+---------------+
//!  | Ethernet | VLAN tags  | IPv4 / IPv6 / ARP | TCP/UDP/ICMP | "hello,world" |
//!  +----------+------------+------------------+--------------+---------------+
//!  |<------- link ------->|<--- network ---->|<-transport ->|<-- payload -->|
//! ```
//!
//! Every layer is a borrowed view ([`EthernetFrame`], [`Ipv4Packet`],
//! [`TcpSegment`], ...), so parsing copies nothing and allocates nothing.
//!
//! ## Lax parsing, as for captures
//!
//! A capture is often cut short (the snap length), and a malformed packet
//! should still show what *was* readable. So a [`Packet`] never fails as a
//! whole: the layers that parsed are kept, and [`Packet::error`] names the
//! layer that stopped and why ([`LayerError`]). Lengths that claim more
//! bytes than the capture holds are accepted at the IP and UDP layers (their
//! `parse_lax`), and [`Packet::is_truncated`] says so; a header that is
//! itself cut or inconsistent stops the walk.
//!
//! Two IP rules decide how far the walk goes:
//!
//! * A non-first fragment (IPv4 Fragment Offset ≠ 0, RFC 791 §3.2, or an
//!   IPv6 Fragment header with a non-zero offset, RFC 8200 §4.5) carries
//!   the middle of a datagram, not a transport header: it becomes
//!   [`Transport::Fragment`] and is not parsed further.
//! * IPv6 extension headers are walked (bounded, [`crate::net::ipv6_ext`])
//!   to find the upper layer; the chain is kept in [`Packet::ipv6_ext`].
//!
//! ## Checksums
//!
//! [`Packet::verify_checksums`] checks every checksum the packet carries,
//! once: the IPv4 header checksum (RFC 791 §3.1), and the TCP, UDP, ICMPv4
//! or ICMPv6 checksum with its pseudo-header (RFC 9293 §3.1, RFC 768,
//! RFC 792, RFC 4443 §2.3). With an IPv6 Routing header the pseudo-header
//! uses the final destination (RFC 8200 §8.1). Each is reported as a
//! [`ChecksumStatus`]: good, bad, not present (UDP zero over IPv4, or a
//! layer without a checksum), or unverified when the covered bytes are not
//! all in the capture.
//!
//! ```
//! use netspec::packet::{Packet, Network, Transport};
//! use netspec::transport::ChecksumStatus;
//!
//! // An Ethernet + IPv4 + UDP frame carrying "hi".
//! let frame = [
//!     0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00, // Ethernet
//!     0x45, 0, 0, 30, 0, 0, 0, 0, 64, 17, 0x8e, 0x98,       // IPv4 ...
//!     192, 0, 2, 1, 198, 51, 100, 2,                       // addresses
//!     0x30, 0x39, 0, 53, 0, 10, 0, 0,                      // UDP, no checksum
//!     b'h', b'i',
//! ];
//! let p = Packet::from_ethernet(&frame);
//! assert!(p.error.is_none());
//! assert!(matches!(p.network, Some(Network::Ipv4(_))));
//! assert!(matches!(p.transport, Some(Transport::Udp(_))));
//! assert_eq!(p.payload, b"hi");
//! let report = p.verify_checksums();
//! assert_eq!(report.network, ChecksumStatus::Good);
//! assert_eq!(report.transport, ChecksumStatus::NotPresent);
//! ```

use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::error::{Error, Layer};
use crate::link::{ArpPacket, EtherType, EthernetFrame};
use crate::net::ipv6_ext::Ipv6ExtChain;
use crate::net::{Icmpv4Message, Icmpv6Message, IpProtocol, Ipv4Packet, Ipv6Packet};
use crate::transport::{ChecksumStatus, FlowKey, TcpSegment, UdpDatagram};

/// The four layers of the Internet architecture (RFC 1122 §1.1.3), used to
/// say where a [`Packet`] walk stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StackLayer {
    /// The link layer: Ethernet and VLAN tags.
    Link,
    /// The internet layer: IPv4, IPv6 (with extension headers) or ARP.
    Network,
    /// The transport layer: TCP, UDP, ICMPv4 or ICMPv6.
    Transport,
}

impl StackLayer {
    /// Lower-case name: `link`, `network` or `transport`.
    pub const fn name(self) -> &'static str {
        match self {
            StackLayer::Link => "link",
            StackLayer::Network => "network",
            StackLayer::Transport => "transport",
        }
    }
}

impl fmt::Display for StackLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a [`Packet`] walk stopped: the layer and the parser's [`Error`].
///
/// The error's `offset` counts from the start of the buffer given to the
/// `Packet` entry point, not from the start of the failing header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LayerError {
    /// The layer whose header could not be parsed.
    pub layer: StackLayer,
    /// What the parser reported, offset rebased to the whole buffer.
    pub error: Error,
}

impl fmt::Display for LayerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} layer stopped: {}", self.layer, self.error)
    }
}

impl core::error::Error for LayerError {}

/// The network layer of a [`Packet`] (selected by the EtherType,
/// IEEE 802.3-2018 §3.2.6, or by the IP version nibble).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Network<'a> {
    /// IPv4 (RFC 791).
    Ipv4(Ipv4Packet<'a>),
    /// IPv6 (RFC 8200); the extension-header chain is [`Packet::ipv6_ext`].
    Ipv6(Ipv6Packet<'a>),
    /// ARP (RFC 826); it carries no upper layer.
    Arp(ArpPacket<'a>),
    /// An EtherType netspec does not parse (or an IEEE 802.3 length frame,
    /// whose `ethertype` is then the length): the raw payload.
    Other {
        /// The final Type/Length value of the Ethernet header.
        ethertype: EtherType,
        /// The Ethernet payload.
        bytes: &'a [u8],
    },
}

/// The transport layer of a [`Packet`] (selected by the IPv4 Protocol or
/// the IPv6 upper-layer Next Header, RFC 791 §3.1, RFC 8200 §4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport<'a> {
    /// TCP (RFC 9293).
    Tcp(TcpSegment<'a>),
    /// UDP (RFC 768).
    Udp(UdpDatagram<'a>),
    /// ICMP for IPv4 (RFC 792).
    Icmpv4(Icmpv4Message<'a>),
    /// ICMP for IPv6 (RFC 4443).
    Icmpv6(Icmpv6Message<'a>),
    /// A non-first fragment (RFC 791 §3.2, RFC 8200 §4.5): the middle of a
    /// datagram, with no transport header of its own.
    Fragment {
        /// The protocol of the reassembled datagram.
        protocol: IpProtocol,
        /// Where these bytes belong in the datagram, in bytes.
        offset: usize,
        /// The fragment's data.
        bytes: &'a [u8],
    },
    /// A protocol netspec does not parse (ESP, SCTP, No Next Header, ...).
    Other {
        /// The IP protocol number.
        protocol: IpProtocol,
        /// The IP payload after any extension headers.
        bytes: &'a [u8],
    },
}

impl Transport<'_> {
    /// The protocol number of this layer.
    pub fn protocol(&self) -> IpProtocol {
        match self {
            Transport::Tcp(_) => IpProtocol::TCP,
            Transport::Udp(_) => IpProtocol::UDP,
            Transport::Icmpv4(_) => IpProtocol::ICMP,
            Transport::Icmpv6(_) => IpProtocol::ICMPV6,
            Transport::Fragment { protocol, .. } | Transport::Other { protocol, .. } => *protocol,
        }
    }
}

/// Every checksum of a [`Packet`], one status per layer
/// ([`Packet::verify_checksums`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ChecksumReport {
    /// The IPv4 header checksum (RFC 791 §3.1); `NotPresent` for IPv6 (it
    /// has none, RFC 8200 §3), ARP, other protocols or no network layer.
    pub network: ChecksumStatus,
    /// The TCP, UDP, ICMPv4 or ICMPv6 checksum; `NotPresent` for UDP with a
    /// zero checksum over IPv4 (RFC 768) or when there is no such layer;
    /// `Unverified` when the covered bytes are not all present (a truncated
    /// capture, a fragment) or no pseudo-header is known.
    pub transport: ChecksumStatus,
}

impl ChecksumReport {
    /// True if no checksum is `Bad` or `ZeroInvalid`.
    pub const fn no_errors(&self) -> bool {
        !matches!(self.network, ChecksumStatus::Bad | ChecksumStatus::ZeroInvalid)
            && !matches!(self.transport, ChecksumStatus::Bad | ChecksumStatus::ZeroInvalid)
    }
}

/// A layered, zero-copy view of one packet (see the [module docs](self)).
///
/// Layers that were not reached, or that the entry point skips, are
/// `None`. When a header fails to parse, the layers below it are kept,
/// [`error`](Self::error) says which layer stopped, and
/// [`payload`](Self::payload) holds the bytes that could not be parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Packet<'a> {
    /// The Ethernet frame with its VLAN tags; `None` for IP-level entry
    /// points.
    pub link: Option<EthernetFrame<'a>>,
    /// IPv4, IPv6, ARP or an unparsed EtherType.
    pub network: Option<Network<'a>>,
    /// The validated IPv6 extension-header chain (RFC 8200 §4), when the
    /// network layer is IPv6 and the chain walked cleanly.
    pub ipv6_ext: Option<Ipv6ExtChain<'a>>,
    /// TCP, UDP, ICMPv4, ICMPv6, a fragment or an unparsed protocol.
    pub transport: Option<Transport<'a>>,
    /// The application data: the TCP or UDP payload, the ICMP data, the
    /// bytes of an unparsed protocol; on error, the bytes from the layer
    /// that stopped to the end of its input.
    pub payload: &'a [u8],
    /// The layer that stopped the walk, if any.
    pub error: Option<LayerError>,
    buf: &'a [u8],
    network_at: usize,
    transport_at: usize,
    payload_at: usize,
    truncated: bool,
    /// A first fragment (MF set): the transport header is here, the rest
    /// of what its checksum covers is not.
    fragmented: bool,
}

impl<'a> Packet<'a> {
    fn empty(buf: &'a [u8]) -> Self {
        Packet {
            link: None,
            network: None,
            ipv6_ext: None,
            transport: None,
            payload: &[],
            error: None,
            buf,
            network_at: 0,
            transport_at: 0,
            payload_at: 0,
            truncated: false,
            fragmented: false,
        }
    }

    /// Record that `layer`, starting at `at`, failed on `rest`.
    #[cold]
    fn fail(&mut self, layer: StackLayer, error: Error, at: usize, rest: &'a [u8]) {
        self.error = Some(LayerError {
            layer,
            error: error.at_base(at),
        });
        self.payload = rest;
        self.payload_at = at;
    }

    fn set_payload(&mut self, payload: &'a [u8], at: usize) {
        self.payload = payload;
        self.payload_at = at;
    }

    /// Parse an Ethernet II or 802.3 frame without FCS, VLAN tags included
    /// (IEEE 802.3-2018 §3.1, IEEE 802.1Q-2018 §9.3), and every layer above
    /// it.
    #[inline]
    pub fn from_ethernet(buf: &'a [u8]) -> Self {
        let mut p = Self::empty(buf);
        match EthernetFrame::parse(buf) {
            Ok(f) => {
                p.link = Some(f);
                let at = f.header_len();
                p.network_at = at;
                p.network(f.ethertype(), f.payload(), at);
            }
            Err(e) => p.fail(StackLayer::Link, e, 0, buf),
        }
        p
    }

    /// Parse a raw IP packet (a `DLT_RAW` capture): the version nibble
    /// selects IPv4 or IPv6 (RFC 791 §3.1, RFC 8200 §3).
    #[inline]
    pub fn from_ip(buf: &'a [u8]) -> Self {
        match buf.first().map(|b| b >> 4) {
            Some(4) => Self::from_ipv4(buf),
            Some(6) => Self::from_ipv6(buf),
            other => {
                let mut p = Self::empty(buf);
                let e = match other {
                    None => Error::truncated(Layer::Ipv4, "version", 0, 1, 0),
                    Some(v) => Error::invalid(Layer::Ipv4, "version", 0, u64::from(v), "4 or 6"),
                };
                p.fail(StackLayer::Network, e, 0, buf);
                p
            }
        }
    }

    /// Parse an IPv4 datagram and the layers above it (RFC 791).
    #[inline]
    pub fn from_ipv4(buf: &'a [u8]) -> Self {
        let mut p = Self::empty(buf);
        p.walk_ipv4(buf, 0);
        p
    }

    /// Parse an IPv6 packet and the layers above it (RFC 8200).
    #[inline]
    pub fn from_ipv6(buf: &'a [u8]) -> Self {
        let mut p = Self::empty(buf);
        p.walk_ipv6(buf, 0);
        p
    }

    /// Parse an ARP packet (RFC 826).
    pub fn from_arp(buf: &'a [u8]) -> Self {
        let mut p = Self::empty(buf);
        p.network(EtherType::ARP, buf, 0);
        p
    }

    /// Parse only a transport layer carried as `protocol` (a TCP segment,
    /// UDP datagram, ICMPv4 or ICMPv6 message). Without the IP layer there
    /// is no pseudo-header, so TCP, UDP and ICMPv6 checksums are
    /// `Unverified`.
    pub fn from_transport(protocol: IpProtocol, buf: &'a [u8]) -> Self {
        let mut p = Self::empty(buf);
        p.transport(protocol, buf, 0);
        p
    }

    fn network(&mut self, ethertype: EtherType, buf: &'a [u8], at: usize) {
        match ethertype {
            EtherType::IPV4 => self.walk_ipv4(buf, at),
            EtherType::IPV6 => self.walk_ipv6(buf, at),
            EtherType::ARP => match ArpPacket::parse(buf) {
                Ok(a) => {
                    self.network = Some(Network::Arp(a));
                    self.transport_at = at + a.packet_len();
                    self.set_payload(&[], self.transport_at);
                }
                Err(e) => self.fail(StackLayer::Network, e, at, buf),
            },
            _ => {
                self.network = Some(Network::Other { ethertype, bytes: buf });
                self.transport_at = at;
                self.set_payload(buf, at);
            }
        }
    }

    fn walk_ipv4(&mut self, buf: &'a [u8], at: usize) {
        let ip = match Ipv4Packet::parse_lax(buf) {
            Ok(ip) => ip,
            Err(e) => return self.fail(StackLayer::Network, e, at, buf),
        };
        self.network = Some(Network::Ipv4(ip));
        self.truncated = ip.is_truncated();
        self.fragmented = ip.more_fragments();
        let tat = at + ip.header_len();
        self.transport_at = tat;
        if ip.fragment_offset() != 0 {
            // RFC 791 §3.2: only the first fragment holds the transport
            // header; later ones are data at `offset`.
            self.transport = Some(Transport::Fragment {
                protocol: ip.protocol(),
                offset: ip.fragment_offset_bytes(),
                bytes: ip.payload(),
            });
            return self.set_payload(ip.payload(), tat);
        }
        self.transport(ip.protocol(), ip.payload(), tat);
    }

    fn walk_ipv6(&mut self, buf: &'a [u8], at: usize) {
        let ip = match Ipv6Packet::parse_lax(buf) {
            Ok(ip) => ip,
            Err(e) => return self.fail(StackLayer::Network, e, at, buf),
        };
        self.network = Some(Network::Ipv6(ip));
        self.truncated = ip.is_truncated();
        let (upper, rest, tat) = if ip.next_header().is_ipv6_extension() {
            let chain = match ip.ext_chain() {
                Ok(c) => c,
                // Chain offsets already count from the IPv6 header.
                Err(e) => {
                    self.fail(StackLayer::Network, e, at, ip.payload());
                    self.payload_at = at + crate::net::ipv6::HEADER_LEN;
                    return;
                }
            };
            self.ipv6_ext = Some(chain);
            let tat = at + crate::net::ipv6::HEADER_LEN + chain.upper_offset();
            let frag = chain.fragment();
            self.fragmented = frag.is_some_and(|f| !f.is_atomic());
            if let Some(frag) = frag.filter(|f| f.fragment_offset != 0) {
                self.transport_at = tat;
                self.transport = Some(Transport::Fragment {
                    protocol: chain.upper_layer(),
                    offset: frag.offset_bytes(),
                    bytes: chain.upper_payload(),
                });
                return self.set_payload(chain.upper_payload(), tat);
            }
            (chain.upper_layer(), chain.upper_payload(), tat)
        } else {
            (ip.next_header(), ip.payload(), at + crate::net::ipv6::HEADER_LEN)
        };
        self.transport_at = tat;
        self.transport(upper, rest, tat);
    }

    fn transport(&mut self, protocol: IpProtocol, buf: &'a [u8], at: usize) {
        self.transport_at = at;
        let (t, payload, payload_at) = match protocol {
            IpProtocol::TCP => match TcpSegment::parse(buf) {
                Ok(s) => (Transport::Tcp(s), s.payload(), at + s.header_len()),
                Err(e) => return self.fail(StackLayer::Transport, e, at, buf),
            },
            IpProtocol::UDP => {
                // Lax only when the capture is short or this is a first
                // fragment: a UDP length beyond a complete, unfragmented IP
                // payload is a malformed datagram.
                let d = if self.truncated || self.fragmented {
                    UdpDatagram::parse_lax(buf)
                } else {
                    UdpDatagram::parse(buf)
                };
                match d {
                    Ok(d) => {
                        self.truncated |= d.is_truncated() && !self.fragmented;
                        (Transport::Udp(d), d.payload(), at + crate::transport::udp::HEADER_LEN)
                    }
                    Err(e) => return self.fail(StackLayer::Transport, e, at, buf),
                }
            }
            IpProtocol::ICMP => match Icmpv4Message::parse(buf) {
                Ok(m) => (Transport::Icmpv4(m), m.data(), at + crate::net::icmpv4::HEADER_LEN),
                Err(e) => return self.fail(StackLayer::Transport, e, at, buf),
            },
            IpProtocol::ICMPV6 => match Icmpv6Message::parse(buf) {
                Ok(m) => (Transport::Icmpv6(m), m.body(), at + crate::net::icmpv6::HEADER_LEN),
                Err(e) => return self.fail(StackLayer::Transport, e, at, buf),
            },
            _ => (Transport::Other { protocol, bytes: buf }, buf, at),
        };
        self.transport = Some(t);
        self.set_payload(payload, payload_at);
    }

    /// The whole buffer given to the entry point.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.buf
    }

    /// Offset of the network header in [`as_bytes`](Self::as_bytes), if the
    /// walk reached it.
    pub fn network_offset(&self) -> Option<usize> {
        self.network.is_some().then_some(self.network_at)
    }

    /// Offset of the transport header (after any IPv6 extension headers),
    /// if the walk reached it.
    pub fn transport_offset(&self) -> Option<usize> {
        self.transport.is_some().then_some(self.transport_at)
    }

    /// Offset of [`payload`](Self::payload) in [`as_bytes`](Self::as_bytes).
    pub fn payload_offset(&self) -> usize {
        self.payload_at
    }

    /// True if an IP or UDP length claims more bytes than the capture holds
    /// (the layers were parsed leniently).
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }

    /// `Ok` if every layer parsed, else the [`LayerError`].
    pub fn result(&self) -> Result<(), LayerError> {
        match self.error {
            None => Ok(()),
            Some(e) => Err(e),
        }
    }

    /// The IPv4 layer, if that is the network layer.
    pub fn ipv4(&self) -> Option<Ipv4Packet<'a>> {
        match self.network {
            Some(Network::Ipv4(p)) => Some(p),
            _ => None,
        }
    }

    /// The IPv6 layer, if that is the network layer.
    pub fn ipv6(&self) -> Option<Ipv6Packet<'a>> {
        match self.network {
            Some(Network::Ipv6(p)) => Some(p),
            _ => None,
        }
    }

    /// The TCP layer, if that is the transport layer.
    pub fn tcp(&self) -> Option<TcpSegment<'a>> {
        match self.transport {
            Some(Transport::Tcp(s)) => Some(s),
            _ => None,
        }
    }

    /// The UDP layer, if that is the transport layer.
    pub fn udp(&self) -> Option<UdpDatagram<'a>> {
        match self.transport {
            Some(Transport::Udp(d)) => Some(d),
            _ => None,
        }
    }

    /// Source and destination IP addresses.
    pub fn ip_addrs(&self) -> Option<(IpAddr, IpAddr)> {
        match self.network {
            Some(Network::Ipv4(p)) => Some((p.src().into(), p.dst().into())),
            Some(Network::Ipv6(p)) => Some((p.src().into(), p.dst().into())),
            _ => None,
        }
    }

    /// The five-tuple of a TCP or UDP packet (RFC 6335 §2).
    pub fn flow_key(&self) -> Option<FlowKey> {
        let (src, dst) = self.ip_addrs()?;
        match self.transport? {
            Transport::Tcp(s) => Some(FlowKey::from_tcp(src, dst, &s)),
            Transport::Udp(d) => Some(FlowKey::from_udp(src, dst, &d)),
            _ => None,
        }
    }

    /// The IPv6 destination an upper-layer checksum uses (RFC 8200 §8.1):
    /// the final address of a Routing header with Segments Left > 0, else
    /// the Destination Address.
    pub fn ipv6_pseudo_destination(&self) -> Option<Ipv6Addr> {
        let ip = self.ipv6()?;
        Some(match self.ipv6_ext {
            Some(chain) if chain.count() > 0 => chain.final_destination(ip.dst()),
            _ => ip.dst(),
        })
    }

    /// The pseudo-header addresses and whether every byte of the IP
    /// payload is present.
    fn pseudo(&self) -> (Pseudo, bool) {
        match self.network {
            Some(Network::Ipv4(ip)) => (Pseudo::V4(ip.src(), ip.dst()), !ip.is_truncated()),
            Some(Network::Ipv6(ip)) => {
                let dst = self.ipv6_pseudo_destination().unwrap_or(ip.dst());
                (Pseudo::V6(ip.src(), dst), !ip.is_truncated())
            }
            // Without an IP layer (from_transport) every byte is there but
            // the pseudo-header is unknown.
            _ => (Pseudo::None, true),
        }
    }

    /// Check every checksum the packet carries (see the [module
    /// docs](self#checksums)). Each covered byte is summed once.
    #[inline]
    pub fn verify_checksums(&self) -> ChecksumReport {
        let network = match self.network {
            Some(Network::Ipv4(ip)) => ChecksumStatus::from_bool(ip.verify_checksum()),
            _ => ChecksumStatus::NotPresent,
        };
        ChecksumReport {
            network,
            transport: self.transport_checksum(),
        }
    }

    fn transport_checksum(&self) -> ChecksumStatus {
        let Some(t) = self.transport else {
            return ChecksumStatus::NotPresent;
        };
        let (pseudo, ip_complete) = self.pseudo();
        // TCP and ICMP cover the whole IP payload; a fragment holds part.
        let complete = ip_complete && !self.fragmented;
        match t {
            Transport::Tcp(s) => {
                if !complete {
                    return ChecksumStatus::Unverified;
                }
                match pseudo {
                    Pseudo::V4(a, b) => ChecksumStatus::from_bool(s.verify_checksum_v4(a, b)),
                    Pseudo::V6(a, b) => ChecksumStatus::from_bool(s.verify_checksum_v6(&a, &b)),
                    Pseudo::None => ChecksumStatus::Unverified,
                }
            }
            Transport::Udp(d) => match pseudo {
                _ if d.checksum() == 0 && !matches!(pseudo, Pseudo::V6(..)) => ChecksumStatus::NotPresent,
                // UDP covers its own Length bytes, which may all be there
                // even when the IP length lies; the status checks that.
                _ if self.fragmented => ChecksumStatus::Unverified,
                Pseudo::V4(a, b) => d.checksum_status_v4(a, b),
                Pseudo::V6(a, b) => d.checksum_status_v6(&a, &b),
                Pseudo::None => ChecksumStatus::Unverified,
            },
            Transport::Icmpv4(m) if complete => ChecksumStatus::from_bool(m.verify_checksum()),
            Transport::Icmpv6(m) if complete => match pseudo {
                Pseudo::V6(a, b) => ChecksumStatus::from_bool(m.verify_checksum(&a, &b)),
                _ => ChecksumStatus::Unverified,
            },
            Transport::Icmpv4(_) | Transport::Icmpv6(_) | Transport::Fragment { .. } => ChecksumStatus::Unverified,
            Transport::Other { .. } => ChecksumStatus::NotPresent,
        }
    }
}

#[derive(Clone, Copy)]
enum Pseudo {
    V4(Ipv4Addr, Ipv4Addr),
    V6(Ipv6Addr, Ipv6Addr),
    None,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checksum;

    const SYN: [u8; 74] = [
        0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef, 0x08, 0x00, 0x45, 0x00, 0x00, 0x3c,
        0x1c, 0x46, 0x40, 0x00, 0x40, 0x06, 0x26, 0xe9, 0xc0, 0xa8, 0x01, 0x0a, 0x5d, 0xb8, 0xd8, 0x22, 0xd4, 0x31,
        0x01, 0xbb, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02, 0xfa, 0xf0, 0xe0, 0x90, 0x00, 0x00,
        0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0x0a, 0x1b, 0x2c, 0x3d, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03,
        0x03, 0x07,
    ];

    #[test]
    fn syn_parses_with_good_checksums() {
        let p = Packet::from_ethernet(&SYN);
        assert_eq!(p.error, None);
        assert_eq!(p.network_offset(), Some(14));
        assert_eq!(p.transport_offset(), Some(34));
        assert_eq!(p.payload_offset(), 74);
        assert!(p.payload.is_empty());
        let s = p.tcp().unwrap();
        assert_eq!((s.src_port(), s.dst_port()), (0xd431, 443));
        let r = p.verify_checksums();
        assert_eq!(r.network, ChecksumStatus::Good);
        assert_eq!(r.transport, ChecksumStatus::Good);
        assert!(r.no_errors());
    }

    #[test]
    fn truncated_capture_keeps_layers_and_is_unverified() {
        use crate::build::{BuildParams, IpParams, TransportParams};
        let params = BuildParams {
            link: None,
            ip: IpParams::v4(Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2)),
            transport: TransportParams::tcp(1, 2, 3, 4),
        };
        let mut b = [0u8; 64];
        let n = params.build(b"hello,world", &mut b).unwrap();
        let p = Packet::from_ip(&b[..n - 5]);
        assert_eq!(p.error, None);
        assert!(p.is_truncated());
        assert_eq!(p.payload, b"hello,");
        let r = p.verify_checksums();
        assert_eq!(
            (r.network, r.transport),
            (ChecksumStatus::Good, ChecksumStatus::Unverified)
        );
        // Cut inside the TCP header: the IP layer stays, TCP stops.
        let p = Packet::from_ethernet(&SYN[..40]);
        let e = p.error.unwrap();
        assert_eq!(e.layer, StackLayer::Transport);
        assert_eq!((e.error.layer, e.error.offset), (Layer::Tcp, 34));
        assert!(p.ipv4().is_some() && p.transport.is_none() && p.is_truncated());
        assert_eq!(p.payload, &SYN[34..40]);
        assert_eq!(p.payload_offset(), 34);
    }

    #[test]
    fn entry_points_agree() {
        let eth = Packet::from_ethernet(&SYN);
        let ip = Packet::from_ip(&SYN[14..]);
        assert_eq!(eth.tcp(), ip.tcp());
        assert_eq!(ip.network_offset(), Some(0));
        let t = Packet::from_transport(IpProtocol::TCP, &SYN[34..]);
        assert_eq!(t.tcp(), eth.tcp());
        assert_eq!(t.verify_checksums().transport, ChecksumStatus::Unverified);
        let bad = Packet::from_ip(&[0x50]);
        assert_eq!(bad.error.unwrap().layer, StackLayer::Network);
        assert!(Packet::from_ip(&[]).error.is_some());
    }

    #[test]
    fn ipv4_fragment_is_not_parsed_as_transport() {
        let mut f = SYN;
        // Fragment offset 1 (8 bytes), then fix the header checksum.
        f[14 + 6] = 0x00;
        f[14 + 7] = 0x01;
        f[24] = 0;
        f[25] = 0;
        let c = checksum::internet_checksum(&f[14..34]);
        f[24..26].copy_from_slice(&c.to_be_bytes());
        let p = Packet::from_ethernet(&f);
        assert!(matches!(
            p.transport,
            Some(Transport::Fragment {
                protocol: IpProtocol::TCP,
                offset: 8,
                ..
            })
        ));
        let r = p.verify_checksums();
        assert_eq!(
            (r.network, r.transport),
            (ChecksumStatus::Good, ChecksumStatus::Unverified)
        );
    }
}
