//! In-place editing: mutable views over `&mut [u8]` whose setters keep
//! every checksum right without summing the packet again.
//!
//! A NAT rewrites addresses and ports, a router decrements the TTL, a
//! middlebox re-marks DSCP. Each change alters a few 16-bit words that a
//! checksum covers, and RFC 1624 §3 (eqn. 3) updates the checksum from the
//! old and new words alone:
//!
//! ```text
//!     HC' = ~(~HC + ~m + m')      HC: old checksum, m: old word, m': new word
//! ```
//!
//! The cost is a few additions per changed word, whatever the packet size.
//! Which checksums a field feeds:
//!
//! ```text
//!   field                      IPv4 header   TCP / UDP / ICMPv6 (pseudo-header)
//!   IPv4 src / dst                  x              x
//!   IPv6 src / dst                  -              x  (dst only without a Routing header)
//!   TTL, DSCP, ECN, ID              x              -
//!   ports, seq, ack, flags,         -              x
//!   window, urgent pointer
//! ```
//!
//! UDP over IPv4 may carry no checksum (zero, RFC 768); it stays zero, and
//! an updated checksum that comes out as zero is stored as `0xFFFF`, as a
//! sender would (RFC 768).
//!
//! * Per-layer views: [`Ipv4PacketMut`], [`Ipv6PacketMut`],
//!   [`TcpSegmentMut`], [`UdpDatagramMut`]. Each keeps its own checksum;
//!   the transport views expose [`TcpSegmentMut::update_pseudo_header`] for
//!   address changes made elsewhere.
//! * The whole-frame editor [`PacketMut`] finds the layers once and keeps
//!   the IPv4 header checksum and the transport checksum (pseudo-header
//!   included) right through every setter, or through [`Edit`] values.
//!
//! ```
//! use core::net::{IpAddr, Ipv4Addr};
//! use netspec::build::{BuildParams, IpParams, TransportParams};
//! use netspec::edit::PacketMut;
//! use netspec::packet::Packet;
//! use netspec::transport::ChecksumStatus;
//!
//! let params = BuildParams {
//!     link: None,
//!     ip: IpParams::v4(Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(192, 0, 2, 7)),
//!     transport: TransportParams::tcp(40000, 80, 1, 1),
//! };
//! let mut buf = [0u8; 64];
//! let n = params.build(b"hello,world", &mut buf)?;
//! // Source NAT: a new address and port, TTL down by one.
//! let mut e = PacketMut::from_ip(&mut buf[..n]).unwrap();
//! e.set_src_ip(IpAddr::V4(Ipv4Addr::new(203, 0, 113, 5)))?;
//! e.set_src_port(61000)?;
//! e.set_ttl(63)?;
//! let r = Packet::from_ip(&buf[..n]).verify_checksums();
//! assert_eq!((r.network, r.transport), (ChecksumStatus::Good, ChecksumStatus::Good));
//! # Ok::<(), netspec::Error>(())
//! ```

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::checksum;
use crate::error::{Error, Layer, Result};
use crate::link::MacAddress;
use crate::net::icmpv6;
use crate::packet::{LayerError, Network, Packet, Transport};
use crate::transport::tcp::{self, TcpFlags};
use crate::transport::udp;

mod views;

pub use views::{Ipv4PacketMut, Ipv6PacketMut, TcpSegmentMut, UdpDatagramMut};
use views::{TCP_CSUM, UDP_CSUM, Zero, get16, invalid, off, patch, put16, replace};

/// One edit of a whole packet, for [`PacketMut::apply`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Edit {
    /// Ethernet source MAC.
    SrcMac(MacAddress),
    /// Ethernet destination MAC.
    DstMac(MacAddress),
    /// IP source address (same version as the packet).
    SrcIp(IpAddr),
    /// IP destination address (same version as the packet).
    DstIp(IpAddr),
    /// IPv4 TTL or IPv6 Hop Limit.
    Ttl(u8),
    /// DSCP, 0..=63.
    Dscp(u8),
    /// ECN, 0..=3.
    Ecn(u8),
    /// TCP or UDP source port.
    SrcPort(u16),
    /// TCP or UDP destination port.
    DstPort(u16),
    /// TCP sequence number.
    Seq(u32),
    /// TCP acknowledgment number.
    Ack(u32),
    /// TCP control bits.
    Flags(TcpFlags),
    /// TCP window.
    Window(u16),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ip {
    None,
    V4,
    V6,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum L4 {
    None,
    Tcp,
    Udp,
    Icmpv4,
    Icmpv6,
}

/// A whole frame or IP packet open for editing. The layers are located
/// once, by [`Packet`]; each setter then touches only its field and the
/// checksums that cover it.
#[derive(Debug)]
pub struct PacketMut<'a> {
    buf: &'a mut [u8],
    link: bool,
    ip: Ip,
    ip_at: usize,
    ip_header_len: usize,
    l4: L4,
    l4_at: usize,
    l4_end: usize,
    /// Every byte the transport checksum covers is present.
    l4_complete: bool,
    /// The IPv6 Routing header's final address, which the pseudo-header
    /// uses instead of the Destination Address (RFC 8200 §8.1).
    v6_final: Option<Ipv6Addr>,
}

fn absent(layer: Layer, field: &'static str) -> Error {
    Error::invalid(layer, field, 0, 0, "a layer this packet has")
}

impl<'a> PacketMut<'a> {
    /// Open an Ethernet frame; it must parse without error
    /// ([`Packet::from_ethernet`]).
    pub fn from_ethernet(buf: &'a mut [u8]) -> Result<Self, LayerError> {
        let p = Packet::from_ethernet(buf);
        let l = Self::layout(&p)?;
        Ok(PacketMut { buf, ..l })
    }

    /// Open a raw IP packet ([`Packet::from_ip`]).
    pub fn from_ip(buf: &'a mut [u8]) -> Result<Self, LayerError> {
        let p = Packet::from_ip(buf);
        let l = Self::layout(&p)?;
        Ok(PacketMut { buf, ..l })
    }

    /// Where everything is, with an empty buffer standing in.
    fn layout(p: &Packet<'_>) -> Result<PacketMut<'static>, LayerError> {
        p.result()?;
        let mut l = PacketMut {
            buf: &mut [],
            link: p.link.is_some(),
            ip: Ip::None,
            ip_at: p.network_offset().unwrap_or(0),
            ip_header_len: 0,
            l4: L4::None,
            l4_at: p.transport_offset().unwrap_or(0),
            l4_end: 0,
            l4_complete: false,
            v6_final: None,
        };
        let mut complete = !p.is_truncated();
        match p.network {
            Some(Network::Ipv4(ip)) => {
                l.ip = Ip::V4;
                l.ip_header_len = ip.header_len();
                complete &= !ip.is_fragment();
            }
            Some(Network::Ipv6(_)) => {
                l.ip = Ip::V6;
                l.ip_header_len = crate::net::ipv6::HEADER_LEN;
                if let Some(chain) = p.ipv6_ext {
                    complete &= chain.fragment().is_none_or(|f| f.is_atomic());
                    // Same rule as `Ipv6ExtChain::final_destination`, but
                    // kept even when the final address equals today's
                    // Destination Address, which edits may change.
                    l.v6_final = chain
                        .routing()
                        .filter(|r| r.segments_left() > 0)
                        .and_then(|r| r.final_address());
                }
            }
            _ => {}
        }
        let (kind, len) = match p.transport {
            Some(Transport::Tcp(s)) => (L4::Tcp, s.as_bytes().len()),
            Some(Transport::Udp(d)) => (L4::Udp, d.as_bytes().len()),
            Some(Transport::Icmpv4(m)) => (L4::Icmpv4, m.data().len() + 8),
            Some(Transport::Icmpv6(m)) => (L4::Icmpv6, m.bytes().len()),
            _ => (L4::None, 0),
        };
        l.l4 = kind;
        l.l4_end = l.l4_at + len;
        l.l4_complete = complete;
        Ok(l)
    }

    /// The bytes, edits included.
    pub fn as_bytes(&self) -> &[u8] {
        self.buf
    }

    /// Parse the edited bytes again.
    pub fn packet(&self) -> Packet<'_> {
        if self.link {
            Packet::from_ethernet(self.buf)
        } else {
            Packet::from_ip(self.buf)
        }
    }

    fn ip_buf(&mut self) -> &mut [u8] {
        &mut self.buf[self.ip_at..]
    }

    fn l4_buf(&mut self) -> &mut [u8] {
        &mut self.buf[self.l4_at..self.l4_end]
    }

    /// The IPv4 header, for field edits this type has no setter for.
    pub fn ipv4(&mut self) -> Option<Ipv4PacketMut<'_>> {
        (self.ip == Ip::V4).then(|| Ipv4PacketMut { buf: self.ip_buf() })
    }

    /// The IPv6 header. Address changes made through it do not update the
    /// transport checksum; use [`set_src_ip`](Self::set_src_ip).
    pub fn ipv6(&mut self) -> Option<Ipv6PacketMut<'_>> {
        (self.ip == Ip::V6).then(|| Ipv6PacketMut { buf: self.ip_buf() })
    }

    /// The TCP segment.
    pub fn tcp(&mut self) -> Option<TcpSegmentMut<'_>> {
        (self.l4 == L4::Tcp).then(|| TcpSegmentMut { buf: self.l4_buf() })
    }

    /// The UDP datagram.
    pub fn udp(&mut self) -> Option<UdpDatagramMut<'_>> {
        (self.l4 == L4::Udp).then(|| UdpDatagramMut { buf: self.l4_buf() })
    }

    /// Set the source MAC (IEEE 802.3-2018 §3.2.5); no checksum covers it.
    pub fn set_src_mac(&mut self, m: MacAddress) -> Result<()> {
        if !self.link {
            return Err(absent(Layer::Ethernet, "src"));
        }
        self.buf[6..12].copy_from_slice(&m.0);
        Ok(())
    }

    /// Set the destination MAC (IEEE 802.3-2018 §3.2.4).
    pub fn set_dst_mac(&mut self, m: MacAddress) -> Result<()> {
        if !self.link {
            return Err(absent(Layer::Ethernet, "dst"));
        }
        self.buf[..6].copy_from_slice(&m.0);
        Ok(())
    }

    /// Patch the transport checksum for a pseudo-header word change.
    fn pseudo(&mut self, old: &[u8], new: &[u8]) {
        let (at, zero) = match self.l4 {
            L4::Tcp => (off::TCP_CHECKSUM, Zero::Plain),
            L4::Udp => (off::UDP_CHECKSUM, Zero::Udp),
            // ICMPv6 covers a pseudo-header (RFC 4443 §2.3); ICMPv4 does not.
            L4::Icmpv6 if self.ip == Ip::V6 => (off::ICMP_CHECKSUM, Zero::Plain),
            _ => return,
        };
        patch(self.l4_buf(), at, zero, old, new);
    }

    fn set_ip(&mut self, a: IpAddr, dst: bool) -> Result<()> {
        match (self.ip, a) {
            (Ip::V4, IpAddr::V4(a)) => {
                let mut h = Ipv4PacketMut { buf: self.ip_buf() };
                let old = if dst { h.set_dst(a) } else { h.set_src(a) };
                self.pseudo(&old.octets(), &a.octets());
                Ok(())
            }
            (Ip::V6, IpAddr::V6(a)) => {
                let mut h = Ipv6PacketMut { buf: self.ip_buf() };
                let old = if dst { h.set_dst(a) } else { h.set_src(a) };
                // With a Routing header in flight the pseudo-header holds the
                // final destination, not this field (RFC 8200 §8.1).
                if !(dst && self.v6_final.is_some()) {
                    self.pseudo(&old.octets(), &a.octets());
                }
                Ok(())
            }
            (Ip::None, _) => Err(absent(Layer::Ipv4, if dst { "dst" } else { "src" })),
            (Ip::V4, IpAddr::V6(_)) => Err(invalid(Layer::Ipv4, "src", 0, 6, "an IPv4 address")),
            (Ip::V6, IpAddr::V4(_)) => Err(invalid(Layer::Ipv6, "src", 0, 4, "an IPv6 address")),
        }
    }

    /// Set the source address; the IPv4 header checksum and the transport
    /// checksum's pseudo-header follow.
    pub fn set_src_ip(&mut self, a: IpAddr) -> Result<()> {
        self.set_ip(a, false)
    }

    /// Set the destination address, as [`set_src_ip`](Self::set_src_ip).
    pub fn set_dst_ip(&mut self, a: IpAddr) -> Result<()> {
        self.set_ip(a, true)
    }

    /// Set the IPv4 TTL or the IPv6 Hop Limit.
    pub fn set_ttl(&mut self, ttl: u8) -> Result<()> {
        match self.ip {
            Ip::V4 => Ipv4PacketMut { buf: self.ip_buf() }.set_ttl(ttl),
            Ip::V6 => Ipv6PacketMut { buf: self.ip_buf() }.set_hop_limit(ttl),
            Ip::None => return Err(absent(Layer::Ipv4, "ttl")),
        }
        Ok(())
    }

    /// Set the DSCP of either IP version.
    pub fn set_dscp(&mut self, dscp: u8) -> Result<()> {
        match self.ip {
            Ip::V4 => Ipv4PacketMut { buf: self.ip_buf() }.set_dscp(dscp),
            Ip::V6 => Ipv6PacketMut { buf: self.ip_buf() }.set_dscp(dscp),
            Ip::None => Err(absent(Layer::Ipv4, "dscp")),
        }
    }

    /// Set the ECN bits of either IP version.
    pub fn set_ecn(&mut self, ecn: u8) -> Result<()> {
        match self.ip {
            Ip::V4 => Ipv4PacketMut { buf: self.ip_buf() }.set_ecn(ecn),
            Ip::V6 => Ipv6PacketMut { buf: self.ip_buf() }.set_ecn(ecn),
            Ip::None => Err(absent(Layer::Ipv4, "ecn")),
        }
    }

    fn port(&mut self, p: u16, dst: bool) -> Result<()> {
        let field = if dst { "dst_port" } else { "src_port" };
        let at = if dst { off::DST_PORT } else { off::SRC_PORT };
        let csum = match self.l4 {
            L4::Tcp => TCP_CSUM,
            L4::Udp => UDP_CSUM,
            _ => return Err(absent(Layer::Tcp, field)),
        };
        replace(self.l4_buf(), at, p.to_be_bytes(), csum);
        Ok(())
    }

    /// Set the TCP or UDP source port.
    pub fn set_src_port(&mut self, p: u16) -> Result<()> {
        self.port(p, false)
    }

    /// Set the TCP or UDP destination port.
    pub fn set_dst_port(&mut self, p: u16) -> Result<()> {
        self.port(p, true)
    }

    fn with_tcp(&mut self, field: &'static str, f: impl FnOnce(&mut TcpSegmentMut<'_>) -> Result<()>) -> Result<()> {
        match self.tcp() {
            Some(mut t) => f(&mut t),
            None => Err(absent(Layer::Tcp, field)),
        }
    }

    /// Set the TCP sequence number.
    pub fn set_seq(&mut self, v: u32) -> Result<()> {
        self.with_tcp("seq", |t| {
            t.set_seq(v);
            Ok(())
        })
    }

    /// Set the TCP acknowledgment number.
    pub fn set_ack(&mut self, v: u32) -> Result<()> {
        self.with_tcp("ack", |t| {
            t.set_ack(v);
            Ok(())
        })
    }

    /// Set the TCP control bits.
    pub fn set_tcp_flags(&mut self, f: TcpFlags) -> Result<()> {
        self.with_tcp("flags", |t| t.set_flags(f))
    }

    /// Set the TCP window.
    pub fn set_window(&mut self, w: u16) -> Result<()> {
        self.with_tcp("window", |t| {
            t.set_window(w);
            Ok(())
        })
    }

    /// Apply one [`Edit`].
    pub fn apply(&mut self, e: Edit) -> Result<()> {
        match e {
            Edit::SrcMac(m) => self.set_src_mac(m),
            Edit::DstMac(m) => self.set_dst_mac(m),
            Edit::SrcIp(a) => self.set_src_ip(a),
            Edit::DstIp(a) => self.set_dst_ip(a),
            Edit::Ttl(t) => self.set_ttl(t),
            Edit::Dscp(d) => self.set_dscp(d),
            Edit::Ecn(c) => self.set_ecn(c),
            Edit::SrcPort(p) => self.set_src_port(p),
            Edit::DstPort(p) => self.set_dst_port(p),
            Edit::Seq(v) => self.set_seq(v),
            Edit::Ack(v) => self.set_ack(v),
            Edit::Flags(f) => self.set_tcp_flags(f),
            Edit::Window(w) => self.set_window(w),
        }
    }

    /// Recompute every checksum from scratch (the IPv4 header, and the
    /// transport checksum when all its bytes are present). A zero UDP
    /// checksum over IPv4 means "none" and is left alone. This is what the
    /// incremental setters must agree with.
    pub fn recompute_checksums(&mut self) -> Result<()> {
        let (src4, dst4, src6, dst6) = match self.ip {
            Ip::V4 => {
                let mut h = Ipv4PacketMut { buf: self.ip_buf() };
                h.fill_checksum();
                (h.src(), h.dst(), Ipv6Addr::UNSPECIFIED, Ipv6Addr::UNSPECIFIED)
            }
            Ip::V6 => {
                let fin = self.v6_final;
                let h = Ipv6PacketMut { buf: self.ip_buf() };
                let dst = fin.unwrap_or(h.dst());
                (Ipv4Addr::UNSPECIFIED, Ipv4Addr::UNSPECIFIED, h.src(), dst)
            }
            Ip::None => return Ok(()),
        };
        if !self.l4_complete {
            return Ok(());
        }
        let v4 = self.ip == Ip::V4;
        let l4 = self.l4;
        let seg = self.l4_buf();
        match l4 {
            L4::Tcp if v4 => tcp::fill_checksum_v4(seg, src4, dst4)?,
            L4::Tcp => tcp::fill_checksum_v6(seg, &src6, &dst6)?,
            L4::Udp if v4 && get16(seg, off::UDP_CHECKSUM) == 0 => 0,
            L4::Udp if v4 => udp::fill_checksum_v4(seg, src4, dst4)?,
            L4::Udp => udp::fill_checksum_v6(seg, &src6, &dst6)?,
            L4::Icmpv4 => {
                put16(seg, off::ICMP_CHECKSUM, 0);
                let c = checksum::internet_checksum(seg);
                put16(seg, off::ICMP_CHECKSUM, c);
                c
            }
            L4::Icmpv6 if !v4 => icmpv6::fill_checksum(seg, &src6, &dst6)?,
            L4::Icmpv6 | L4::None => 0,
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{BuildParams, IpParams, LinkParams, TransportParams};
    use crate::transport::ChecksumStatus;

    fn frame(ip: IpParams, t: TransportParams, buf: &mut [u8]) -> usize {
        BuildParams {
            link: Some(LinkParams::new(MacAddress([2; 6]), MacAddress([4; 6]))),
            ip,
            transport: t,
        }
        .build(b"hello,world", buf)
        .unwrap()
    }

    fn all_good(b: &[u8]) -> bool {
        let r = Packet::from_ethernet(b).verify_checksums();
        r.transport == ChecksumStatus::Good && matches!(r.network, ChecksumStatus::Good | ChecksumStatus::NotPresent)
    }

    #[test]
    fn nat_rewrite_keeps_checksums_v4_and_v6() {
        let v4 = IpParams::v4(Ipv4Addr::new(10, 1, 2, 3), Ipv4Addr::new(10, 9, 8, 7));
        let v6 = IpParams::v6(Ipv6Addr::LOCALHOST, Ipv6Addr::from(77u128));
        for ip in [v4, v6] {
            for t in [
                TransportParams::tcp(1, 2, 3, 4),
                TransportParams::udp(5, 6),
                TransportParams::echo_request(7, 8),
            ] {
                let mut b = [0u8; 128];
                let n = frame(ip, t, &mut b);
                let b = &mut b[..n];
                let mut e = PacketMut::from_ethernet(b).unwrap();
                let (s, d): (IpAddr, IpAddr) = match ip {
                    IpParams::V4(_) => (Ipv4Addr::new(1, 2, 3, 4).into(), Ipv4Addr::new(255, 0, 0, 1).into()),
                    IpParams::V6(_) => (
                        Ipv6Addr::from(u128::MAX - 5).into(),
                        Ipv6Addr::from(1u128 << 100).into(),
                    ),
                };
                e.set_src_ip(s).unwrap();
                e.set_dst_ip(d).unwrap();
                e.set_ttl(1).unwrap();
                e.set_dscp(46).unwrap();
                e.set_ecn(3).unwrap();
                e.set_src_mac(MacAddress([9; 6])).unwrap();
                let is_l4 = !matches!(t, TransportParams::IcmpEcho { .. });
                assert_eq!(e.set_src_port(4242).is_ok(), is_l4);
                assert_eq!(e.set_seq(99).is_ok(), matches!(t, TransportParams::Tcp(_)));
                let edited = e.as_bytes().to_vec();
                e.recompute_checksums().unwrap();
                assert_eq!(e.as_bytes(), &edited[..], "{ip:?} {t:?}");
                assert!(all_good(b), "{ip:?} {t:?}");
                let p = Packet::from_ethernet(b);
                assert_eq!(p.ip_addrs(), Some((s, d)));
            }
        }
    }

    #[test]
    fn udp_zero_checksum_stays_zero() {
        let mut b = [0u8; 128];
        let n = frame(
            IpParams::v4(Ipv4Addr::LOCALHOST, Ipv4Addr::BROADCAST),
            TransportParams::udp(1, 2),
            &mut b,
        );
        b[14 + 20 + 6] = 0;
        b[14 + 20 + 7] = 0;
        let mut e = PacketMut::from_ethernet(&mut b[..n]).unwrap();
        e.set_dst_port(9).unwrap();
        e.set_src_ip(Ipv4Addr::new(8, 8, 8, 8).into()).unwrap();
        assert_eq!(e.udp().unwrap().checksum(), 0);
        let r = Packet::from_ethernet(&b[..n]).verify_checksums();
        assert_eq!(r.transport, ChecksumStatus::NotPresent);
    }

    #[test]
    fn wrong_version_and_range_errors() {
        let mut b = [0u8; 128];
        let n = frame(
            IpParams::v4(Ipv4Addr::LOCALHOST, Ipv4Addr::BROADCAST),
            TransportParams::echo_request(1, 2),
            &mut b,
        );
        let mut e = PacketMut::from_ethernet(&mut b[..n]).unwrap();
        assert!(e.set_src_ip(Ipv6Addr::LOCALHOST.into()).is_err());
        assert!(e.set_dscp(64).is_err());
        assert!(e.set_ecn(4).is_err());
        assert!(e.set_window(1).is_err());
        assert!(e.tcp().is_none() && e.udp().is_none() && e.ipv6().is_none());
        assert!(PacketMut::from_ethernet(&mut [0u8; 10]).is_err());
    }
}
