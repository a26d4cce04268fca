//! The per-layer mutable views: [`Ipv4PacketMut`], [`Ipv6PacketMut`],
//! [`TcpSegmentMut`] and [`UdpDatagramMut`], each keeping its own checksum
//! with RFC 1624 §3 eqn. 3 updates (see the [parent module](super)).

use core::net::{Ipv4Addr, Ipv6Addr};

use crate::checksum;
use crate::error::{Error, Layer, Result};
use crate::net::{Ipv4Packet, Ipv6Packet};
use crate::transport::tcp::{self, TcpFlags, TcpSegment};
use crate::transport::udp::UdpDatagram;

/// Wire offsets (RFC 791 §3.1, RFC 8200 §3, RFC 9293 §3.1, RFC 768).
pub(super) mod off {
    pub const V4_TOS_WORD: usize = 0;
    pub const V4_IDENT: usize = 4;
    pub const V4_TTL_WORD: usize = 8;
    pub const V4_CHECKSUM: usize = 10;
    pub const V4_SRC: usize = 12;
    pub const V4_DST: usize = 16;
    pub const V6_VTF: usize = 0;
    pub const V6_HOP: usize = 7;
    pub const V6_SRC: usize = 8;
    pub const V6_DST: usize = 24;
    pub const SRC_PORT: usize = 0;
    pub const DST_PORT: usize = 2;
    pub const TCP_SEQ: usize = 4;
    pub const TCP_ACK: usize = 8;
    pub const TCP_FLAGS_WORD: usize = 12;
    pub const TCP_WINDOW: usize = 14;
    pub const TCP_CHECKSUM: usize = 16;
    pub const TCP_URGENT: usize = 18;
    pub const UDP_CHECKSUM: usize = 6;
    pub const ICMP_CHECKSUM: usize = 2;
}

pub(super) fn get16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

pub(super) fn put16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_be_bytes());
}

/// How a checksum field treats zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Zero {
    /// Zero is an ordinary value (IPv4 header, TCP, ICMP).
    Plain,
    /// UDP: zero means "no checksum" and stays; a computed zero is sent as
    /// `0xFFFF` (RFC 768).
    Udp,
}

/// Apply the RFC 1624 update for `old` → `new` (equal even lengths) to the
/// checksum stored at `at`.
pub(super) fn patch(buf: &mut [u8], at: usize, zero: Zero, old: &[u8], new: &[u8]) {
    // Nothing changed: leave the checksum as is (RFC 1624 erratum 4782
    // warns that eqn. 3 need not be applied to an unchanged word).
    if old == new {
        return;
    }
    let c = get16(buf, at);
    if zero == Zero::Udp && c == 0 {
        return;
    }
    let mut n = checksum::update_bytes(c, old, new);
    if zero == Zero::Udp && n == 0 {
        n = 0xffff;
    }
    put16(buf, at, n);
}

/// Replace the bytes at `at` and patch the checksum at `csum` (if any).
pub(super) fn replace<const N: usize>(buf: &mut [u8], at: usize, new: [u8; N], csum: Option<(usize, Zero)>) -> [u8; N] {
    let mut old = [0u8; N];
    old.copy_from_slice(&buf[at..at + N]);
    buf[at..at + N].copy_from_slice(&new);
    if let Some((c, z)) = csum {
        patch(buf, c, z, &old, &new);
    }
    old
}

pub(super) fn invalid(layer: Layer, field: &'static str, at: usize, v: u64, expected: &'static str) -> Error {
    Error::invalid(layer, field, at, v, expected)
}

/// A mutable IPv4 header (RFC 791 §3.1) whose setters keep the header
/// checksum right (RFC 1624).
#[derive(Debug)]
pub struct Ipv4PacketMut<'a> {
    pub(super) buf: &'a mut [u8],
}

impl<'a> Ipv4PacketMut<'a> {
    /// Wrap a datagram; the header must parse ([`Ipv4Packet::parse_lax`]).
    pub fn new(buf: &'a mut [u8]) -> Result<Self> {
        Ipv4Packet::parse_lax(buf)?;
        Ok(Ipv4PacketMut { buf })
    }

    /// The bytes, edits included.
    pub fn as_bytes(&self) -> &[u8] {
        self.buf
    }

    /// Source Address.
    pub fn src(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from_be_bytes(self.word4(off::V4_SRC)))
    }

    /// Destination Address.
    pub fn dst(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from_be_bytes(self.word4(off::V4_DST)))
    }

    fn word4(&self, at: usize) -> [u8; 4] {
        [self.buf[at], self.buf[at + 1], self.buf[at + 2], self.buf[at + 3]]
    }

    /// Time to Live.
    pub fn ttl(&self) -> u8 {
        self.buf[off::V4_TTL_WORD]
    }

    /// The Header Checksum as stored.
    pub fn checksum(&self) -> u16 {
        get16(self.buf, off::V4_CHECKSUM)
    }

    const CSUM: Option<(usize, Zero)> = Some((off::V4_CHECKSUM, Zero::Plain));

    /// Set the Source Address; returns the old one.
    pub fn set_src(&mut self, a: Ipv4Addr) -> Ipv4Addr {
        Ipv4Addr::from(replace(self.buf, off::V4_SRC, a.octets(), Self::CSUM))
    }

    /// Set the Destination Address; returns the old one.
    pub fn set_dst(&mut self, a: Ipv4Addr) -> Ipv4Addr {
        Ipv4Addr::from(replace(self.buf, off::V4_DST, a.octets(), Self::CSUM))
    }

    /// Set the Time to Live (RFC 791 §3.1; RFC 1624 §4 works this case).
    pub fn set_ttl(&mut self, ttl: u8) {
        let proto = self.buf[off::V4_TTL_WORD + 1];
        replace(self.buf, off::V4_TTL_WORD, [ttl, proto], Self::CSUM);
    }

    /// Set the DSCP (RFC 2474 §3); above 63 is `Invalid`.
    pub fn set_dscp(&mut self, dscp: u8) -> Result<()> {
        if dscp > 63 {
            return Err(invalid(Layer::Ipv4, "dscp", 1, dscp.into(), "0..=63"));
        }
        let tos = (dscp << 2) | (self.buf[1] & 3);
        replace(self.buf, off::V4_TOS_WORD, [self.buf[0], tos], Self::CSUM);
        Ok(())
    }

    /// Set the ECN bits (RFC 3168 §5); above 3 is `Invalid`.
    pub fn set_ecn(&mut self, ecn: u8) -> Result<()> {
        if ecn > 3 {
            return Err(invalid(Layer::Ipv4, "ecn", 1, ecn.into(), "0..=3"));
        }
        let tos = (self.buf[1] & !3) | ecn;
        replace(self.buf, off::V4_TOS_WORD, [self.buf[0], tos], Self::CSUM);
        Ok(())
    }

    /// Set the Identification (RFC 6864).
    pub fn set_identification(&mut self, id: u16) {
        replace(self.buf, off::V4_IDENT, id.to_be_bytes(), Self::CSUM);
    }

    /// Recompute the header checksum from scratch and store it.
    pub fn fill_checksum(&mut self) -> u16 {
        let hl = usize::from(self.buf[0] & 0x0f) * 4;
        put16(self.buf, off::V4_CHECKSUM, 0);
        let c = checksum::internet_checksum(&self.buf[..hl]);
        put16(self.buf, off::V4_CHECKSUM, c);
        c
    }
}

/// A mutable IPv6 header (RFC 8200 §3). IPv6 has no header checksum; the
/// upper-layer checksum covers the addresses, so prefer [`PacketMut`](super::PacketMut) to
/// change them, or patch the transport with
/// [`TcpSegmentMut::update_pseudo_header`].
#[derive(Debug)]
pub struct Ipv6PacketMut<'a> {
    pub(super) buf: &'a mut [u8],
}

impl<'a> Ipv6PacketMut<'a> {
    /// Wrap a packet; the fixed header must parse
    /// ([`Ipv6Packet::parse_lax`]).
    pub fn new(buf: &'a mut [u8]) -> Result<Self> {
        Ipv6Packet::parse_lax(buf)?;
        Ok(Ipv6PacketMut { buf })
    }

    /// The bytes, edits included.
    pub fn as_bytes(&self) -> &[u8] {
        self.buf
    }

    fn addr(&self, at: usize) -> Ipv6Addr {
        let mut a = [0u8; 16];
        a.copy_from_slice(&self.buf[at..at + 16]);
        Ipv6Addr::from(a)
    }

    /// Source Address.
    pub fn src(&self) -> Ipv6Addr {
        self.addr(off::V6_SRC)
    }

    /// Destination Address.
    pub fn dst(&self) -> Ipv6Addr {
        self.addr(off::V6_DST)
    }

    /// Set the Source Address; returns the old one.
    pub fn set_src(&mut self, a: Ipv6Addr) -> Ipv6Addr {
        Ipv6Addr::from(replace(self.buf, off::V6_SRC, a.octets(), None))
    }

    /// Set the Destination Address; returns the old one.
    pub fn set_dst(&mut self, a: Ipv6Addr) -> Ipv6Addr {
        Ipv6Addr::from(replace(self.buf, off::V6_DST, a.octets(), None))
    }

    /// Set the Hop Limit.
    pub fn set_hop_limit(&mut self, h: u8) {
        self.buf[off::V6_HOP] = h;
    }

    fn set_vtf(&mut self, mask: u32, value: u32) {
        let w = u32::from_be_bytes([self.buf[0], self.buf[1], self.buf[2], self.buf[3]]);
        let w = (w & !mask) | (value & mask);
        self.buf[off::V6_VTF..off::V6_VTF + 4].copy_from_slice(&w.to_be_bytes());
    }

    /// Set the DSCP, the Traffic Class' high 6 bits (RFC 2474 §3).
    pub fn set_dscp(&mut self, dscp: u8) -> Result<()> {
        if dscp > 63 {
            return Err(invalid(Layer::Ipv6, "dscp", 0, dscp.into(), "0..=63"));
        }
        self.set_vtf(0x0fc0_0000, u32::from(dscp) << 22);
        Ok(())
    }

    /// Set the ECN bits, the Traffic Class' low 2 bits (RFC 3168 §5).
    pub fn set_ecn(&mut self, ecn: u8) -> Result<()> {
        if ecn > 3 {
            return Err(invalid(Layer::Ipv6, "ecn", 1, ecn.into(), "0..=3"));
        }
        self.set_vtf(0x0030_0000, u32::from(ecn) << 20);
        Ok(())
    }

    /// Set the 20-bit Flow Label (RFC 6437).
    pub fn set_flow_label(&mut self, label: u32) -> Result<()> {
        if label > 0xf_ffff {
            return Err(invalid(Layer::Ipv6, "flow_label", 1, label.into(), "at most 20 bits"));
        }
        self.set_vtf(0x000f_ffff, label);
        Ok(())
    }
}

/// A mutable TCP segment (RFC 9293 §3.1) whose setters keep its checksum
/// right (RFC 1624).
#[derive(Debug)]
pub struct TcpSegmentMut<'a> {
    pub(super) buf: &'a mut [u8],
}

pub(super) const TCP_CSUM: Option<(usize, Zero)> = Some((off::TCP_CHECKSUM, Zero::Plain));

impl<'a> TcpSegmentMut<'a> {
    /// Wrap a segment; it must parse ([`TcpSegment::parse`]).
    pub fn new(buf: &'a mut [u8]) -> Result<Self> {
        TcpSegment::parse(buf)?;
        Ok(TcpSegmentMut { buf })
    }

    /// The bytes, edits included.
    pub fn as_bytes(&self) -> &[u8] {
        self.buf
    }

    /// The checksum as stored.
    pub fn checksum(&self) -> u16 {
        get16(self.buf, off::TCP_CHECKSUM)
    }

    /// Set the source port.
    pub fn set_src_port(&mut self, p: u16) {
        replace(self.buf, off::SRC_PORT, p.to_be_bytes(), TCP_CSUM);
    }

    /// Set the destination port.
    pub fn set_dst_port(&mut self, p: u16) {
        replace(self.buf, off::DST_PORT, p.to_be_bytes(), TCP_CSUM);
    }

    /// Set the sequence number.
    pub fn set_seq(&mut self, v: u32) {
        replace(self.buf, off::TCP_SEQ, v.to_be_bytes(), TCP_CSUM);
    }

    /// Set the acknowledgment number.
    pub fn set_ack(&mut self, v: u32) {
        replace(self.buf, off::TCP_ACK, v.to_be_bytes(), TCP_CSUM);
    }

    /// Set the 9 control bits (AE included); data offset and reserved bits
    /// are kept. Bits outside the 9 are `Invalid`.
    pub fn set_flags(&mut self, f: TcpFlags) -> Result<()> {
        if f.bits() > 0x1ff {
            return Err(invalid(
                Layer::Tcp,
                "flags",
                12,
                f.bits().into(),
                "the 9 defined flag bits",
            ));
        }
        let w = (get16(self.buf, off::TCP_FLAGS_WORD) & 0xfe00) | f.bits();
        replace(self.buf, off::TCP_FLAGS_WORD, w.to_be_bytes(), TCP_CSUM);
        Ok(())
    }

    /// Set the receive window.
    pub fn set_window(&mut self, w: u16) {
        replace(self.buf, off::TCP_WINDOW, w.to_be_bytes(), TCP_CSUM);
    }

    /// Set the urgent pointer.
    pub fn set_urgent_ptr(&mut self, u: u16) {
        replace(self.buf, off::TCP_URGENT, u.to_be_bytes(), TCP_CSUM);
    }

    /// Patch the checksum for a pseudo-header change made outside the
    /// segment: an address went from `old` to `new` (4 or 16 bytes each,
    /// RFC 9293 §3.1, RFC 8200 §8.1).
    pub fn update_pseudo_header(&mut self, old: &[u8], new: &[u8]) {
        patch(self.buf, off::TCP_CHECKSUM, Zero::Plain, old, new);
    }

    /// Recompute the checksum over IPv4 from scratch
    /// ([`tcp::fill_checksum_v4`]).
    pub fn fill_checksum_v4(&mut self, src: Ipv4Addr, dst: Ipv4Addr) -> Result<u16> {
        tcp::fill_checksum_v4(self.buf, src, dst)
    }

    /// Recompute the checksum over IPv6 from scratch; `dst` is the final
    /// destination.
    pub fn fill_checksum_v6(&mut self, src: &Ipv6Addr, dst: &Ipv6Addr) -> Result<u16> {
        tcp::fill_checksum_v6(self.buf, src, dst)
    }
}

/// A mutable UDP datagram (RFC 768) whose setters keep its checksum right;
/// a zero checksum ("none", over IPv4) stays zero.
#[derive(Debug)]
pub struct UdpDatagramMut<'a> {
    pub(super) buf: &'a mut [u8],
}

pub(super) const UDP_CSUM: Option<(usize, Zero)> = Some((off::UDP_CHECKSUM, Zero::Udp));

impl<'a> UdpDatagramMut<'a> {
    /// Wrap a datagram; it must parse ([`UdpDatagram::parse_lax`]).
    pub fn new(buf: &'a mut [u8]) -> Result<Self> {
        UdpDatagram::parse_lax(buf)?;
        Ok(UdpDatagramMut { buf })
    }

    /// The bytes, edits included.
    pub fn as_bytes(&self) -> &[u8] {
        self.buf
    }

    /// The checksum as stored.
    pub fn checksum(&self) -> u16 {
        get16(self.buf, off::UDP_CHECKSUM)
    }

    /// Set the source port.
    pub fn set_src_port(&mut self, p: u16) {
        replace(self.buf, off::SRC_PORT, p.to_be_bytes(), UDP_CSUM);
    }

    /// Set the destination port.
    pub fn set_dst_port(&mut self, p: u16) {
        replace(self.buf, off::DST_PORT, p.to_be_bytes(), UDP_CSUM);
    }

    /// Patch the checksum for an address change in the pseudo-header
    /// (RFC 768, RFC 8200 §8.1).
    pub fn update_pseudo_header(&mut self, old: &[u8], new: &[u8]) {
        patch(self.buf, off::UDP_CHECKSUM, Zero::Udp, old, new);
    }
}
