//! The encapsulation builder: application data down the stack, into the
//! caller's buffer.
//!
//! Sending "hello,world" means wrapping it once per layer (RFC 1122
//! §1.1.3): the transport header names the ports, the IP header the hosts,
//! the Ethernet header the next-hop MACs. Each wrapper also carries lengths,
//! a protocol number for the layer above and, where the protocol has one, a
//! checksum:
//!
//! ```text
//!                                           +---------------+
//!  application                              | "hello,world" |
//!                              +------------+---------------+
//!  transport                   | TCP header |    payload    |  ports, seq, checksum (pseudo-header)
//!                  +-----------+------------+---------------+
//!  internet        | IP header |       IP payload           |  addresses, protocol 6, total length, checksum
//!  +---------------+-----------+----------------------------+
//!  link  | Eth [+ VLAN] |           Ethernet payload          |  MACs, EtherType 0x0800
//!  +---------------+----------------------------------------+
//! ```
//!
//! [`BuildParams::build`] writes all of it in one pass into a `&mut [u8]`,
//! with no allocation, and fills in every length (IPv4 Total Length,
//! IPv6 Payload Length, UDP Length, TCP Data Offset), protocol number
//! (EtherType, IPv4 Protocol, IPv6 Next Header) and checksum (IPv4 header,
//! TCP, UDP, ICMPv4, ICMPv6). [`BuildParams::from_packet`] reads the
//! parameters back from a parsed [`Packet`], so that
//! `from_packet(parse(build(p))) == p`.
//!
//! ```
//! use core::net::Ipv4Addr;
//! use netspec::build::{BuildParams, IpParams, LinkParams, TransportParams};
//! use netspec::link::MacAddress;
//! use netspec::packet::Packet;
//!
//! let params = BuildParams {
//!     link: Some(LinkParams::new(MacAddress([2, 0, 0, 0, 0, 1]), MacAddress([2, 0, 0, 0, 0, 2]))),
//!     ip: IpParams::v4(Ipv4Addr::new(192, 0, 2, 1), Ipv4Addr::new(198, 51, 100, 2)),
//!     transport: TransportParams::udp(40000, 7),
//! };
//! let mut buf = [0u8; 128];
//! let n = params.build(b"hello,world", &mut buf)?;
//! assert_eq!(n, 14 + 20 + 8 + 11);
//! let p = Packet::from_ethernet(&buf[..n]);
//! assert!(p.verify_checksums().no_errors());
//! assert_eq!(BuildParams::from_packet(&p), Some((params, &b"hello,world"[..])));
//! # Ok::<(), netspec::Error>(())
//! ```

use core::net::{Ipv4Addr, Ipv6Addr};

use crate::checksum::WideSum;
use crate::error::{Error, Layer, Result};
use crate::link::{EtherType, EthernetHeader, MacAddress, VlanStack};
use crate::net::IpProtocol;
use crate::net::icmpv4::{Icmpv4Header, Icmpv4Type};
use crate::net::icmpv6::{Icmpv6Header, Icmpv6Type};
use crate::net::ipv4::{Ipv4Flags, Ipv4Header};
use crate::net::ipv4_option::Ipv4Options;
use crate::net::ipv6::Ipv6Header;
use crate::packet::{Network, Packet, Transport};
use crate::transport::tcp::{self, TcpFlags, TcpHeader};
use crate::transport::tcp_option::TcpOptions;
use crate::transport::udp::{self, UdpHeader};

/// The link layer: MACs and up to [`MAX_VLAN_DEPTH`](crate::link::MAX_VLAN_DEPTH)
/// VLAN tags, outermost first: none, one 802.1Q C-tag, or an 802.1ad
/// S-tag before it (QinQ) (IEEE 802.3-2018 §3.1.1, IEEE 802.1Q-2018 §9.3).
/// The EtherType follows from the IP version.
///
/// ```
/// use netspec::build::LinkParams;
/// use netspec::link::{MacAddress, VlanStack, VlanTag};
///
/// let mut link = LinkParams::new(MacAddress([2, 0, 0, 0, 0, 1]), MacAddress([2, 0, 0, 0, 0, 2]));
/// link.tags = VlanStack::from_slice(&[VlanTag::s_tag(100), VlanTag::c_tag(7)])?;
/// assert_eq!(link.tags.wire_len(), 8);
/// # Ok::<(), netspec::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LinkParams {
    /// Source MAC address.
    pub src: MacAddress,
    /// Destination MAC address (the next hop's).
    pub dst: MacAddress,
    /// The VLAN tags to insert after the source MAC, outermost first
    /// (IEEE 802.1Q-2018 §9.3).
    pub tags: VlanStack,
}

impl LinkParams {
    /// Untagged, from `src` to `dst`.
    pub const fn new(src: MacAddress, dst: MacAddress) -> Self {
        LinkParams {
            src,
            dst,
            tags: VlanStack::new(),
        }
    }
}

/// The IPv4 fields a sender chooses (RFC 791 §3.1); lengths, protocol and
/// checksum are filled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ipv4Params {
    /// Source address.
    pub src: Ipv4Addr,
    /// Destination address.
    pub dst: Ipv4Addr,
    /// Time to Live.
    pub ttl: u8,
    /// DSCP, 0..=63 (RFC 2474 §3).
    pub dscp: u8,
    /// ECN, 0..=3 (RFC 3168 §5).
    pub ecn: u8,
    /// Identification (RFC 6864).
    pub identification: u16,
    /// The Don't Fragment flag.
    pub dont_fragment: bool,
    /// Options (RFC 791 §3.1), up to 40 bytes, padded to whole words with
    /// End of Option List bytes; the IHL and Total Length count them.
    pub options: Ipv4Options,
}

/// The IPv6 fields a sender chooses (RFC 8200 §3); Payload Length and Next
/// Header are filled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ipv6Params {
    /// Source address.
    pub src: Ipv6Addr,
    /// Destination address.
    pub dst: Ipv6Addr,
    /// Hop Limit.
    pub hop_limit: u8,
    /// DSCP, 0..=63.
    pub dscp: u8,
    /// ECN, 0..=3.
    pub ecn: u8,
    /// Flow Label, 20 bits (RFC 6437).
    pub flow_label: u32,
}

/// The internet layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IpParams {
    /// IPv4 (RFC 791).
    V4(Ipv4Params),
    /// IPv6 (RFC 8200).
    V6(Ipv6Params),
}

impl IpParams {
    /// IPv4 with TTL 64, DF set, ID 0 and best-effort DSCP.
    pub const fn v4(src: Ipv4Addr, dst: Ipv4Addr) -> Self {
        IpParams::V4(Ipv4Params {
            src,
            dst,
            ttl: 64,
            dscp: 0,
            ecn: 0,
            identification: 0,
            dont_fragment: true,
            options: Ipv4Options::new(),
        })
    }

    /// IPv6 with Hop Limit 64 and flow label 0.
    pub const fn v6(src: Ipv6Addr, dst: Ipv6Addr) -> Self {
        IpParams::V6(Ipv6Params {
            src,
            dst,
            hop_limit: 64,
            dscp: 0,
            ecn: 0,
            flow_label: 0,
        })
    }

    const fn header_len(&self) -> usize {
        match self {
            IpParams::V4(p) => crate::net::ipv4::MIN_HEADER_LEN + p.options.padded_len(),
            IpParams::V6(_) => crate::net::ipv6::HEADER_LEN,
        }
    }
}

/// The TCP fields a sender chooses (RFC 9293 §3.1); the data offset and
/// checksum are filled in, the urgent pointer and reserved bits are zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TcpParams {
    /// Source port.
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
    /// Sequence number.
    pub seq: u32,
    /// Acknowledgment number.
    pub ack: u32,
    /// Control bits (the 9 defined ones).
    pub flags: TcpFlags,
    /// Receive window.
    pub window: u16,
    /// Options, padded on emit.
    pub options: TcpOptions,
}

/// The transport layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TransportParams {
    /// TCP (RFC 9293).
    Tcp(TcpParams),
    /// UDP (RFC 768).
    Udp {
        /// Source port.
        src_port: u16,
        /// Destination port.
        dst_port: u16,
    },
    /// ICMP Echo (RFC 792) over IPv4 or ICMPv6 Echo (RFC 4443 §4) over
    /// IPv6; the payload is the echo data.
    IcmpEcho {
        /// Identifier.
        ident: u16,
        /// Sequence Number.
        seq: u16,
        /// Echo Reply rather than Echo Request.
        reply: bool,
    },
}

impl TransportParams {
    /// A TCP segment with PSH|ACK, window 65535 and no options.
    pub const fn tcp(src_port: u16, dst_port: u16, seq: u32, ack: u32) -> Self {
        TransportParams::Tcp(TcpParams {
            src_port,
            dst_port,
            seq,
            ack,
            flags: TcpFlags::PSH.union(TcpFlags::ACK),
            window: 65535,
            options: TcpOptions::new(),
        })
    }

    /// A UDP datagram.
    pub const fn udp(src_port: u16, dst_port: u16) -> Self {
        TransportParams::Udp { src_port, dst_port }
    }

    /// An Echo Request.
    pub const fn echo_request(ident: u16, seq: u16) -> Self {
        TransportParams::IcmpEcho {
            ident,
            seq,
            reply: false,
        }
    }

    fn header_len(&self) -> usize {
        match self {
            TransportParams::Tcp(t) => tcp::MIN_HEADER_LEN + t.options.padded_len(),
            TransportParams::Udp { .. } => udp::HEADER_LEN,
            TransportParams::IcmpEcho { .. } => crate::net::icmpv4::HEADER_LEN,
        }
    }
}

/// Everything needed to send one payload down the stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BuildParams {
    /// The Ethernet header; `None` builds a raw IP packet.
    pub link: Option<LinkParams>,
    /// IPv4 or IPv6.
    pub ip: IpParams,
    /// TCP, UDP or ICMP Echo.
    pub transport: TransportParams,
}

impl BuildParams {
    /// Bytes [`build`](Self::build) writes for a payload of `payload_len`
    /// bytes. Errors when a length field cannot hold the result (IPv4 Total
    /// Length, IPv6 Payload Length and UDP Length are 16 bits; netspec does
    /// not build jumbograms).
    pub fn frame_len(&self, payload_len: usize) -> Result<usize> {
        let l4 = self.transport.header_len().saturating_add(payload_len);
        let (layer, field, at, max) = match self.ip {
            IpParams::V4(_) => (Layer::Ipv4, "total_length", 2, 65535 - self.ip.header_len()),
            IpParams::V6(_) => (Layer::Ipv6, "payload_length", 4, 65535),
        };
        if l4 > max {
            return Err(Error::length_exceeds(layer, field, at, l4, max));
        }
        let link = match self.link {
            Some(l) => crate::link::ethernet::HEADER_LEN + l.tags.wire_len(),
            None => 0,
        };
        Ok(link + self.ip.header_len() + l4)
    }

    /// Write the whole packet carrying `payload` into the start of `buf`
    /// and return its length. Every length, protocol number and checksum
    /// is computed. Errors: `BufferTooSmall` if `buf` is short, a length
    /// overflow (see [`frame_len`](Self::frame_len)), or a field out of
    /// range (DSCP, ECN, flow label, VLAN tag). Nothing is written when
    /// the buffer is too small; after another error the bytes are
    /// unspecified.
    pub fn build(&self, payload: &[u8], buf: &mut [u8]) -> Result<usize> {
        let total = self.frame_len(payload.len())?;
        if buf.len() < total {
            let layer = if self.link.is_some() {
                Layer::Ethernet
            } else {
                self.ip_layer()
            };
            return Err(Error::buffer_too_small(layer, total, buf.len()));
        }
        let buf = &mut buf[..total];
        let mut at = 0;
        if let Some(l) = self.link {
            let ethertype = match self.ip {
                IpParams::V4(_) => EtherType::IPV4,
                IpParams::V6(_) => EtherType::IPV6,
            };
            let mut h = EthernetHeader::new(l.dst, l.src, ethertype);
            h.tags = l.tags;
            at += h.emit(buf)?;
        }
        let l4_len = self.transport.header_len() + payload.len();
        let protocol = self.protocol();
        at += match self.ip {
            IpParams::V4(p) => {
                let mut h = Ipv4Header::new(p.src, p.dst, protocol, l4_len);
                h.options = p.options;
                // frame_len checked that it fits 16 bits.
                h.total_length = (h.header_len() + l4_len) as u16;
                h.ttl = p.ttl;
                h.dscp = p.dscp;
                h.ecn = p.ecn;
                h.identification = p.identification;
                if p.dont_fragment {
                    h.flags = Ipv4Flags::DONT_FRAGMENT;
                }
                // Summed from the field values, before the one write.
                h.fill_checksum();
                h.emit(&mut buf[at..])?
            }
            IpParams::V6(p) => Ipv6Header {
                version: 6,
                dscp: p.dscp,
                ecn: p.ecn,
                flow_label: p.flow_label,
                // frame_len checked it fits.
                payload_length: l4_len as u16,
                next_header: protocol,
                hop_limit: p.hop_limit,
                src: p.src,
                dst: p.dst,
            }
            .emit(&mut buf[at..])?,
        };
        let seg = &mut buf[at..];
        match (self.ip, self.transport) {
            // TCP and UDP write header and payload and sum both as they go.
            (ip, TransportParams::Tcp(t)) => {
                let h = TcpHeader {
                    src_port: t.src_port,
                    dst_port: t.dst_port,
                    seq: t.seq,
                    ack: t.ack,
                    flags: t.flags,
                    reserved: 0,
                    window: t.window,
                    checksum: 0,
                    urgent_ptr: 0,
                    options: t.options,
                };
                match ip {
                    IpParams::V4(p) => h.emit_segment_v4(payload, p.src, p.dst, seg)?,
                    IpParams::V6(p) => h.emit_segment_v6(payload, &p.src, &p.dst, seg)?,
                };
            }
            (ip, TransportParams::Udp { src_port, dst_port }) => {
                let h = UdpHeader::for_payload(src_port, dst_port, payload.len())?;
                match ip {
                    IpParams::V4(p) => h.emit_datagram_v4(payload, p.src, p.dst, seg)?,
                    IpParams::V6(p) => h.emit_datagram_v6(payload, &p.src, &p.dst, seg)?,
                };
            }
            (IpParams::V4(_), TransportParams::IcmpEcho { ident, seq, reply }) => {
                let mut h = Icmpv4Header::echo_request(ident, seq);
                if reply {
                    h.icmp_type = Icmpv4Type::ECHO_REPLY;
                }
                let n = h.emit(seg)?;
                let (head, body) = seg.split_at_mut(n);
                // One unfolded sum: the header as written (its checksum
                // field skipped) and the payload as it is copied (RFC 792).
                let sum = echo_header_sum(head).plus(WideSum::copy_from(body, payload));
                head[2..4].copy_from_slice(&sum.checksum().to_be_bytes());
            }
            (IpParams::V6(p), TransportParams::IcmpEcho { ident, seq, reply }) => {
                let mut h = Icmpv6Header::echo_request(ident, seq);
                if reply {
                    h.msg_type = Icmpv6Type::ECHO_REPLY;
                }
                let n = h.emit(seg)?;
                // frame_len checked that the message fits 16 bits.
                let len = seg.len() as u32;
                let (head, body) = seg.split_at_mut(n);
                // The pseudo-header, the header as written (checksum field
                // skipped) and the payload as it is copied (RFC 4443 §2.3).
                let sum = WideSum::pseudo_header_v6(&p.src, &p.dst, IpProtocol::ICMPV6.0, len)
                    .plus(echo_header_sum(head))
                    .plus(WideSum::copy_from(body, payload));
                head[2..4].copy_from_slice(&sum.checksum().to_be_bytes());
            }
        }
        Ok(total)
    }

    fn ip_layer(&self) -> Layer {
        match self.ip {
            IpParams::V4(_) => Layer::Ipv4,
            IpParams::V6(_) => Layer::Ipv6,
        }
    }

    /// The IP protocol number of the transport layer.
    pub fn protocol(&self) -> IpProtocol {
        match (self.ip, self.transport) {
            (_, TransportParams::Tcp(_)) => IpProtocol::TCP,
            (_, TransportParams::Udp { .. }) => IpProtocol::UDP,
            (IpParams::V4(_), TransportParams::IcmpEcho { .. }) => IpProtocol::ICMP,
            (IpParams::V6(_), TransportParams::IcmpEcho { .. }) => IpProtocol::ICMPV6,
        }
    }

    /// Read the parameters and payload back from a parsed packet: the
    /// inverse of [`build`](Self::build). `None` if the packet is not one
    /// the builder makes (a parse error, ARP, fragments, extension headers,
    /// urgent data, a non-echo ICMP type,
    /// or a link-layer trailer).
    pub fn from_packet<'a>(p: &Packet<'a>) -> Option<(BuildParams, &'a [u8])> {
        if p.error.is_some() || p.is_truncated() {
            return None;
        }
        let link = p.link.map(|f| LinkParams {
            src: f.src(),
            dst: f.dst(),
            tags: *f.tags(),
        });
        let ip = match p.network? {
            Network::Ipv4(ip) => {
                let flags = ip.flags();
                if !ip.trailer().is_empty()
                    || flags.difference(Ipv4Flags::DONT_FRAGMENT) != Ipv4Flags::empty()
                    || ip.fragment_offset() != 0
                {
                    return None;
                }
                IpParams::V4(Ipv4Params {
                    src: ip.src(),
                    dst: ip.dst(),
                    ttl: ip.ttl(),
                    dscp: ip.dscp(),
                    ecn: ip.ecn(),
                    identification: ip.identification(),
                    dont_fragment: ip.dont_fragment(),
                    // At most 40 bytes: the IHL allows no more.
                    options: Ipv4Options::from_bytes(ip.options_bytes()).ok()?,
                })
            }
            Network::Ipv6(ip) => {
                if ip.next_header().is_ipv6_extension() || !ip.trailer().is_empty() {
                    return None;
                }
                IpParams::V6(Ipv6Params {
                    src: ip.src(),
                    dst: ip.dst(),
                    hop_limit: ip.hop_limit(),
                    dscp: ip.dscp(),
                    ecn: ip.ecn(),
                    flow_label: ip.flow_label(),
                })
            }
            _ => return None,
        };
        let echo = |ty: u8, code: u8, req: u8, rep: u8, rest: u32| {
            (code == 0 && (ty == req || ty == rep)).then_some(TransportParams::IcmpEcho {
                ident: (rest >> 16) as u16,
                seq: rest as u16,
                reply: ty == rep,
            })
        };
        let transport = match (ip, p.transport?) {
            (_, Transport::Tcp(s)) => {
                if s.urgent_ptr() != 0 || s.reserved() != 0 {
                    return None;
                }
                TransportParams::Tcp(TcpParams {
                    src_port: s.src_port(),
                    dst_port: s.dst_port(),
                    seq: s.seq(),
                    ack: s.ack(),
                    flags: s.flags(),
                    window: s.window(),
                    options: s.to_header().options,
                })
            }
            (_, Transport::Udp(d)) => {
                if !d.trailer().is_empty() {
                    return None;
                }
                TransportParams::Udp {
                    src_port: d.src_port(),
                    dst_port: d.dst_port(),
                }
            }
            (IpParams::V4(_), Transport::Icmpv4(m)) => {
                let r = m.rest_of_header();
                echo(m.icmp_type().0, m.code().0, 8, 0, u32::from_be_bytes(r))?
            }
            (IpParams::V6(_), Transport::Icmpv6(m)) => echo(m.msg_type().0, m.code().0, 128, 129, m.rest_of_header())?,
            _ => return None,
        };
        Some((BuildParams { link, ip, transport }, p.payload))
    }
}

/// The unfolded sum of an ICMP or ICMPv6 Echo header as written, without
/// its checksum field (bytes 2 and 3), which may hold anything.
#[inline]
fn echo_header_sum(head: &[u8]) -> WideSum {
    WideSum::of(head.get(..2).unwrap_or(&[])).plus(WideSum::of(head.get(4..).unwrap_or(&[])))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::ChecksumStatus;

    use crate::link::VlanTag;

    /// The tag stacks the tests build with: untagged, one C-tag, QinQ
    /// (S-tag outside, IEEE 802.1Q-2018 §9.3) and the deepest stack.
    fn stacks() -> [VlanStack; 4] {
        let tags = [
            VlanTag::s_tag(100),
            VlanTag::c_tag(42),
            VlanTag::c_tag(7),
            VlanTag::c_tag(4095),
        ];
        [0, 1, 2, 4].map(|n| {
            match n {
                1 => VlanStack::from_slice(&tags[1..2]),
                n => VlanStack::from_slice(&tags[..n]),
            }
            .unwrap()
        })
    }

    fn params(ip: IpParams, transport: TransportParams, tags: VlanStack) -> BuildParams {
        let mut link = LinkParams::new(MacAddress([2, 0, 0, 0, 0, 1]), MacAddress([2, 0, 0, 0, 0, 2]));
        link.tags = tags;
        BuildParams {
            link: Some(link),
            ip,
            transport,
        }
    }

    #[test]
    fn every_combination_round_trips_with_good_checksums() {
        let v4 = IpParams::v4(Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2));
        let v6 = IpParams::v6(Ipv6Addr::LOCALHOST, Ipv6Addr::from(0x2001_0db8u128 << 96 | 9));
        // IPv4 with a Router Alert (RFC 2113) and a NOP: 5 option bytes,
        // padded to 8 with End of Option List.
        let IpParams::V4(mut with_options) = v4 else {
            unreachable!()
        };
        with_options.options = Ipv4Options::from_bytes(&[148, 4, 0, 0, 1]).unwrap();
        let v4_options = IpParams::V4(with_options);
        let ts = [
            TransportParams::tcp(1234, 80, 7, 9),
            TransportParams::udp(53, 5353),
            TransportParams::echo_request(3, 4),
            TransportParams::IcmpEcho {
                ident: 1,
                seq: 2,
                reply: true,
            },
        ];
        let mut buf = [0u8; 256];
        for ip in [v4, v4_options, v6] {
            for t in ts {
                for tags in stacks() {
                    let p = params(ip, t, tags);
                    let n = p.build(b"hello,world", &mut buf).unwrap();
                    assert_eq!(n, p.frame_len(11).unwrap());
                    let pk = Packet::from_ethernet(&buf[..n]);
                    assert_eq!(pk.error, None);
                    let r = pk.verify_checksums();
                    assert_ne!(r.transport, ChecksumStatus::Bad);
                    assert_eq!(r.transport, ChecksumStatus::Good, "{p:?}");
                    assert_eq!(BuildParams::from_packet(&pk), Some((p, &b"hello,world"[..])));
                    // The tags are on the wire as given, outermost first.
                    assert_eq!(pk.link.map(|f| *f.tags()), Some(tags));
                    // The IHL and Total Length count the padded options.
                    let ip_len = n - 14 - 4 * tags.len();
                    if let (Some(Network::Ipv4(ip)), IpParams::V4(v4)) = (pk.network, p.ip) {
                        assert_eq!(ip.options_bytes(), v4.options.padded());
                        assert_eq!(ip.header_len(), 20 + v4.options.padded_len());
                        assert_eq!(usize::from(ip.total_length()), ip_len);
                    }
                    // The raw-IP form is the same bytes without the link.
                    let raw = BuildParams { link: None, ..p };
                    let m = raw.build(b"hello,world", &mut buf).unwrap();
                    assert_eq!(m, ip_len);
                    let pk = Packet::from_ip(&buf[..m]);
                    assert_eq!(BuildParams::from_packet(&pk), Some((raw, &b"hello,world"[..])));
                }
            }
        }
    }

    #[test]
    fn short_buffer_and_oversized_payload_fail() {
        let p = params(
            IpParams::v4(Ipv4Addr::LOCALHOST, Ipv4Addr::LOCALHOST),
            TransportParams::udp(1, 2),
            VlanStack::new(),
        );
        let mut buf = [0u8; 20];
        let e = p.build(b"x", &mut buf).unwrap_err();
        assert_eq!(e, Error::buffer_too_small(Layer::Ethernet, 14 + 20 + 8 + 1, 20));
        assert_eq!(buf, [0u8; 20]);
        assert_eq!(p.frame_len(65507), Ok(14 + 20 + 8 + 65507));
        assert_eq!(p.frame_len(65508).unwrap_err().layer, Layer::Ipv4);
        // Options take from the same 65535 bytes of Total Length.
        let IpParams::V4(mut v4) = p.ip else { unreachable!() };
        v4.options = Ipv4Options::from_bytes(&[1; 40]).unwrap();
        let p = BuildParams {
            ip: IpParams::V4(v4),
            ..p
        };
        assert_eq!(p.frame_len(65467), Ok(14 + 60 + 8 + 65467));
        assert_eq!(p.frame_len(65468).unwrap_err().layer, Layer::Ipv4);
    }
}
