//! UDP datagram header (RFC 768).
//!
//! UDP adds to IP only what a program needs to receive datagrams: ports and
//! a checksum. There is no connection, no ordering and no retransmission.
//!
//! ```text
//!  0      7 8     15 16    23 24    31
//! +--------+--------+--------+--------+
//! |     Source      |   Destination   |
//! |      Port       |      Port       |
//! +--------+--------+--------+--------+
//! |                 |                 |
//! |     Length      |    Checksum     |
//! +--------+--------+--------+--------+
//! |
//! |          data octets ...
//! +---------------- ...
//! ```
//!
//! * **Length** counts header and data, so it is at least 8. The IP layer
//!   may hand over more bytes than that (link padding, a trailer): bytes
//!   after `length` are not part of the datagram and are kept as
//!   [`UdpDatagram::trailer`]. Fewer bytes than `length` is an error for
//!   [`UdpDatagram::parse`]; [`UdpDatagram::parse_lax`] accepts it, for
//!   captures cut short by a snap length.
//! * **Checksum** covers the pseudo-header (addresses, protocol 17, UDP
//!   length), header and data. Over IPv4 a checksum of zero means the
//!   sender computed none, so a computed zero is sent as `0xFFFF`
//!   (RFC 768). Over IPv6 the checksum is mandatory and a zero field is
//!   invalid (RFC 8200 §8.1). See [`ChecksumStatus`].
//!
//! ```
//! use core::net::Ipv4Addr;
//! use netspec::transport::ChecksumStatus;
//! use netspec::transport::udp::{UdpDatagram, UdpHeader, fill_checksum_v4};
//!
//! let (src, dst) = (Ipv4Addr::new(192, 0, 2, 1), Ipv4Addr::new(192, 0, 2, 53));
//! let payload = b"hello,world";
//! let h = UdpHeader::for_payload(5353, 53, payload.len())?;
//! let mut buf = [0u8; 64];
//! let n = h.emit(&mut buf)?;
//! buf[n..n + payload.len()].copy_from_slice(payload);
//! let dgram = &mut buf[..n + payload.len()];
//! fill_checksum_v4(dgram, src, dst)?;
//! let d = UdpDatagram::parse(dgram)?;
//! assert_eq!(d.payload(), payload);
//! assert_eq!(d.checksum_status_v4(src, dst), ChecksumStatus::Good);
//! # Ok::<(), netspec::Error>(())
//! ```

use core::net::{Ipv4Addr, Ipv6Addr};

use super::ChecksumStatus;
use crate::checksum;
use crate::error::{Error, Layer, Result};
use crate::parse::{get_u16, put_u16};

/// The IP protocol number of UDP, for the pseudo-header (RFC 768).
const PROTOCOL: u8 = 17;

/// The UDP header length (RFC 768).
pub const HEADER_LEN: usize = 8;

/// Byte offsets of the header fields (RFC 768).
mod field {
    pub const SRC_PORT: usize = 0;
    pub const DST_PORT: usize = 2;
    pub const LENGTH: usize = 4;
    pub const CHECKSUM: usize = 6;
}

/// A zero-copy view of a UDP datagram (RFC 768).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UdpDatagram<'a> {
    /// The 8-byte header: its fields sit at constant offsets, so their
    /// accessors need no bounds check.
    head: &'a [u8; HEADER_LEN],
    /// Everything the IP layer handed over.
    buf: &'a [u8],
    /// The datagram's bytes in `buf`: `length` of them, or all of `buf`
    /// when a lax parse accepted a truncated datagram.
    datagram: &'a [u8],
    /// The datagram after the header.
    payload: &'a [u8],
}

impl<'a> UdpDatagram<'a> {
    /// Parse strictly: the length field must be at least 8 and at most
    /// `buf.len()`; bytes after it are a trailer.
    #[inline]
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        // A Length from 8 up to the buffer's size is the only case that
        // parses; everything else is an error, built out of line. The view
        // is built here only, so a caller that inlines this keeps it in
        // registers rather than merging it with a returned one in memory.
        if let Some((head, rest)) = buf.split_first_chunk::<HEADER_LEN>() {
            // `HEADER_LEN <= length <= buf.len()` as one unsigned compare.
            let payload_len = usize::from(get_u16(head, field::LENGTH)).wrapping_sub(HEADER_LEN);
            if let Some(payload) = rest.get(..payload_len) {
                return Ok(UdpDatagram {
                    head,
                    buf,
                    datagram: &buf[..HEADER_LEN + payload_len],
                    payload,
                });
            }
        }
        Err(Self::parse_error(buf))
    }

    /// The error [`UdpDatagram::parse`] gives for `buf`, which it has not
    /// accepted: the one the lax parse gives, or, for a datagram longer
    /// than the buffer, `LengthExceeds` on the length field.
    #[cold]
    #[inline(never)]
    fn parse_error(buf: &'a [u8]) -> Error {
        match Self::parse_lax(buf) {
            Err(e) => e,
            Ok(d) => Error::length_exceeds(Layer::Udp, "length", field::LENGTH, usize::from(d.length()), buf.len()),
        }
    }

    /// Parse a datagram that may be cut short (a capture's snap length):
    /// a length field above `buf.len()` is accepted, [`Self::is_truncated`]
    /// reports it and the payload is what is there. A length below 8 is
    /// still an error.
    #[inline]
    pub fn parse_lax(buf: &'a [u8]) -> Result<Self> {
        let Some(head) = buf.first_chunk::<HEADER_LEN>() else {
            return Err(Error::truncated(Layer::Udp, "header", 0, HEADER_LEN, buf.len()));
        };
        let length = usize::from(get_u16(head, field::LENGTH));
        if length < HEADER_LEN {
            return Err(Error::length_too_small(
                Layer::Udp,
                "length",
                field::LENGTH,
                length,
                HEADER_LEN,
            ));
        }
        let datagram = &buf[..length.min(buf.len())];
        Ok(UdpDatagram {
            head,
            buf,
            datagram,
            payload: datagram.get(HEADER_LEN..).unwrap_or(&[]),
        })
    }

    /// Source port (optional in RFC 768: zero if unused).
    #[inline]
    pub fn src_port(&self) -> u16 {
        get_u16(self.head, field::SRC_PORT)
    }

    /// Destination port.
    #[inline]
    pub fn dst_port(&self) -> u16 {
        get_u16(self.head, field::DST_PORT)
    }

    /// The length field: header plus data, in bytes.
    #[inline]
    pub fn length(&self) -> u16 {
        get_u16(self.head, field::LENGTH)
    }

    /// The checksum field as stored.
    #[inline]
    pub fn checksum(&self) -> u16 {
        get_u16(self.head, field::CHECKSUM)
    }

    /// True if fewer bytes than `length` were there (lax parse only).
    #[inline]
    pub fn is_truncated(&self) -> bool {
        self.datagram.len() < usize::from(self.length())
    }

    /// The 8 header bytes.
    #[inline]
    pub fn header_bytes(&self) -> &'a [u8] {
        self.head
    }

    /// The data: `length - 8` bytes (fewer if truncated).
    #[inline]
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// Bytes after `length` (link padding or trailer), not part of UDP.
    #[inline]
    pub fn trailer(&self) -> &'a [u8] {
        self.buf.get(self.datagram.len()..).unwrap_or(&[])
    }

    /// Header and data, without the trailer.
    #[inline]
    pub fn as_bytes(&self) -> &'a [u8] {
        self.datagram
    }

    /// The owned header.
    #[inline]
    pub fn to_header(&self) -> UdpHeader {
        UdpHeader {
            src_port: self.src_port(),
            dst_port: self.dst_port(),
            length: self.length(),
            checksum: self.checksum(),
        }
    }

    /// The checksum's status over IPv4 (RFC 768): `NotPresent` if the
    /// field is zero, `Unverified` if truncated, else `Good` or `Bad`.
    #[inline]
    pub fn checksum_status_v4(&self, src: Ipv4Addr, dst: Ipv4Addr) -> ChecksumStatus {
        if self.checksum() == 0 {
            return ChecksumStatus::NotPresent;
        }
        if self.is_truncated() {
            return ChecksumStatus::Unverified;
        }
        let sum = checksum::WideSum::pseudo_header_v4(src, dst, PROTOCOL, self.length()).plus(self.wide_sum());
        ChecksumStatus::from_bool(sum.verifies())
    }

    /// The checksum's status over IPv6 (RFC 8200 §8.1): `ZeroInvalid` if
    /// the field is zero (the checksum is mandatory), `Unverified` if
    /// truncated, else `Good` or `Bad`.
    #[inline]
    pub fn checksum_status_v6(&self, src: &Ipv6Addr, dst: &Ipv6Addr) -> ChecksumStatus {
        if self.checksum() == 0 {
            return ChecksumStatus::ZeroInvalid;
        }
        if self.is_truncated() {
            return ChecksumStatus::Unverified;
        }
        let sum =
            checksum::WideSum::pseudo_header_v6(src, dst, PROTOCOL, u32::from(self.length())).plus(self.wide_sum());
        ChecksumStatus::from_bool(sum.verifies())
    }

    /// The unfolded sum of the datagram, header and payload (RFC 1071 §2),
    /// folded once by the caller together with the pseudo-header.
    #[inline]
    fn wide_sum(&self) -> checksum::WideSum {
        checksum::WideSum::of(self.datagram)
    }

    /// True if the checksum is present and right over IPv4.
    #[inline]
    pub fn verify_checksum_v4(&self, src: Ipv4Addr, dst: Ipv4Addr) -> bool {
        self.checksum_status_v4(src, dst) == ChecksumStatus::Good
    }

    /// True if the checksum is present and right over IPv6.
    #[inline]
    pub fn verify_checksum_v6(&self, src: &Ipv6Addr, dst: &Ipv6Addr) -> bool {
        self.checksum_status_v6(src, dst) == ChecksumStatus::Good
    }
}

/// An owned UDP header (RFC 768).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct UdpHeader {
    /// Source port (zero if unused).
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
    /// Header plus data length, emitted as stored.
    pub length: u16,
    /// Checksum field, emitted as stored (see [`fill_checksum_v4`]).
    pub checksum: u16,
}

impl UdpHeader {
    /// A header for `payload_len` bytes of data, checksum zero. Errors if
    /// `8 + payload_len` does not fit the 16-bit length field.
    #[inline]
    pub fn for_payload(src_port: u16, dst_port: u16, payload_len: usize) -> Result<Self> {
        let length = payload_len
            .checked_add(HEADER_LEN)
            .and_then(|l| u16::try_from(l).ok())
            .ok_or(Error::length_exceeds(
                Layer::Udp,
                "length",
                field::LENGTH,
                payload_len.saturating_add(HEADER_LEN),
                usize::from(u16::MAX),
            ))?;
        Ok(UdpHeader {
            src_port,
            dst_port,
            length,
            checksum: 0,
        })
    }

    /// Always 8.
    #[inline]
    pub const fn header_len(&self) -> usize {
        HEADER_LEN
    }

    /// Write the 8 header bytes as stored.
    #[inline]
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let Some(out) = buf.first_chunk_mut::<HEADER_LEN>() else {
            return Err(Error::buffer_too_small(Layer::Udp, HEADER_LEN, buf.len()));
        };
        *out = self.wire_bytes();
        Ok(HEADER_LEN)
    }

    /// The 8 header bytes, fields as stored (RFC 768).
    #[inline]
    fn wire_bytes(&self) -> [u8; HEADER_LEN] {
        let [s0, s1] = self.src_port.to_be_bytes();
        let [d0, d1] = self.dst_port.to_be_bytes();
        let [l0, l1] = self.length.to_be_bytes();
        let [c0, c1] = self.checksum.to_be_bytes();
        [s0, s1, d0, d1, l0, l1, c0, c1]
    }

    /// Write a datagram carrying `payload` into `buf`: the length field is
    /// set from the payload and the checksum computed for IPv4 from `src`
    /// to `dst` (the stored `length` and `checksum` are ignored). Returns
    /// the datagram length.
    ///
    /// The checksum is one [`WideSum`](checksum::WideSum), folded once: the
    /// pseudo-header, the header from its bytes in registers, and the
    /// payload, summed from `payload` as it is copied. The header is
    /// written last, checksum included: nothing written is read back.
    #[inline]
    pub fn emit_datagram_v4(&self, payload: &[u8], src: Ipv4Addr, dst: Ipv4Addr, buf: &mut [u8]) -> Result<usize> {
        let h = self.checked_for(payload, buf.len())?;
        h.emit_summed(
            payload,
            buf,
            checksum::WideSum::pseudo_header_v4(src, dst, PROTOCOL, h.length),
        );
        Ok(usize::from(h.length))
    }

    /// [`UdpHeader::emit_datagram_v4`] over IPv6 (RFC 8200 §8.1).
    #[inline]
    pub fn emit_datagram_v6(&self, payload: &[u8], src: &Ipv6Addr, dst: &Ipv6Addr, buf: &mut [u8]) -> Result<usize> {
        let h = self.checked_for(payload, buf.len())?;
        let pseudo = checksum::WideSum::pseudo_header_v6(src, dst, PROTOCOL, u32::from(h.length));
        h.emit_summed(payload, buf, pseudo);
        Ok(usize::from(h.length))
    }

    /// The header `emit_datagram_*` writes for `payload`, once the length
    /// fits 16 bits and `room` bytes hold the datagram.
    #[inline]
    fn checked_for(&self, payload: &[u8], room: usize) -> Result<UdpHeader> {
        let h = UdpHeader::for_payload(self.src_port, self.dst_port, payload.len())?;
        let total = usize::from(h.length);
        if room < total {
            return Err(Error::buffer_too_small(Layer::Udp, total, room));
        }
        Ok(h)
    }

    /// Copy `payload` after the header in `buf` (room checked by
    /// `checked_for`), then write this header with the checksum of
    /// `pseudo` plus header plus payload. The header is 8 bytes, so the
    /// payload's words line up with the datagram's.
    #[inline]
    fn emit_summed(&self, payload: &[u8], buf: &mut [u8], pseudo: checksum::WideSum) {
        let Some((out, rest)) = buf.split_first_chunk_mut::<HEADER_LEN>() else {
            return;
        };
        let Some(dst) = rest.get_mut(..payload.len()) else {
            return;
        };
        let payload_sum = checksum::WideSum::copy_from(dst, payload);
        let header = UdpHeader { checksum: 0, ..*self }.wire_bytes();
        let sum = pseudo.plus(checksum::WideSum::of(&header)).plus(payload_sum);
        *out = UdpHeader {
            checksum: nonzero(sum.checksum()),
            ..*self
        }
        .wire_bytes();
    }

    /// Parse strictly into the owned header and the payload.
    pub fn parse(buf: &[u8]) -> Result<(UdpHeader, &[u8])> {
        let d = UdpDatagram::parse(buf)?;
        Ok((d.to_header(), d.payload()))
    }
}

/// The datagram's length field, checked against the buffer (shared by the
/// two `fill_checksum` functions).
fn covered(datagram: &[u8]) -> Result<usize> {
    Ok(UdpDatagram::parse(datagram)?.as_bytes().len())
}

/// Compute the UDP checksum of the datagram laid out at the start of
/// `datagram` (its length field says where it ends) from `src` to `dst`
/// over IPv4, store it and return it. A computed zero is stored as
/// `0xFFFF`, since zero means "no checksum" (RFC 768).
pub fn fill_checksum_v4(datagram: &mut [u8], src: Ipv4Addr, dst: Ipv4Addr) -> Result<u16> {
    let n = covered(datagram)?;
    put_u16(datagram, field::CHECKSUM, 0);
    let init = checksum::pseudo_header_v4(src, dst, PROTOCOL, n as u16);
    let c = nonzero(checksum::checksum_with(init, &datagram[..n]));
    put_u16(datagram, field::CHECKSUM, c);
    Ok(c)
}

/// [`fill_checksum_v4`] over IPv6 (RFC 8200 §8.1); `dst` is the final
/// destination. A computed zero is stored as `0xFFFF` as well.
pub fn fill_checksum_v6(datagram: &mut [u8], src: &Ipv6Addr, dst: &Ipv6Addr) -> Result<u16> {
    let n = covered(datagram)?;
    put_u16(datagram, field::CHECKSUM, 0);
    let init = checksum::pseudo_header_v6(src, dst, PROTOCOL, n as u32);
    let c = nonzero(checksum::checksum_with(init, &datagram[..n]));
    put_u16(datagram, field::CHECKSUM, c);
    Ok(c)
}

/// RFC 768: "If the computed checksum is zero, it is transmitted as all
/// ones". Both are the same number in one's complement, so it verifies.
const fn nonzero(c: u16) -> u16 {
    if c == 0 { 0xffff } else { c }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    /// The strict parse as the lax one plus the truncation check: the
    /// general walk the inlined `parse` must agree with.
    fn parse_by_lax(buf: &[u8]) -> Result<UdpDatagram<'_>> {
        let d = UdpDatagram::parse_lax(buf)?;
        if d.is_truncated() {
            return Err(Error::length_exceeds(
                Layer::Udp,
                "length",
                field::LENGTH,
                usize::from(d.length()),
                buf.len(),
            ));
        }
        Ok(d)
    }

    /// The inlined fast path gives what the general parse gives, for
    /// Length values and buffer lengths around the header.
    #[test]
    fn fast_path_agrees_with_the_general_parse() {
        for length in [0u16, 1, 7, 8, 9, 16, 17, 24, 25, 0xffff] {
            let mut b = [0u8; 24];
            b[4..6].copy_from_slice(&length.to_be_bytes());
            for n in 0..=b.len() {
                let buf = &b[..n];
                assert_eq!(UdpDatagram::parse(buf), parse_by_lax(buf), "{length} {n}");
            }
        }
    }

    const D: [u8; 12] = [0x14, 0xe9, 0x00, 0x35, 0x00, 0x0a, 0x00, 0x00, 0xab, 0xcd, 0xee, 0xff];

    #[test]
    fn length_and_trailer() {
        let d = UdpDatagram::parse(&D).unwrap();
        assert_eq!((d.src_port(), d.dst_port(), d.length()), (5353, 53, 10));
        assert_eq!(d.payload(), &[0xab, 0xcd]);
        assert_eq!(d.trailer(), &[0xee, 0xff]);
        let mut b = D;
        b[5] = 7;
        let e = UdpDatagram::parse_lax(&b).unwrap_err();
        assert_eq!((e.field, e.offset), ("length", 4));
        assert_eq!(e.kind, ErrorKind::LengthTooSmall { value: 7, min: 8 });
        b[5] = 13;
        let e = UdpDatagram::parse(&b).unwrap_err();
        assert_eq!(
            e.kind,
            ErrorKind::LengthExceeds {
                value: 13,
                available: 12
            }
        );
        let d = UdpDatagram::parse_lax(&b).unwrap();
        assert!(d.is_truncated());
        assert_eq!(d.payload().len(), 4);
        assert_eq!(d.trailer(), &[]);
        assert_eq!(
            d.checksum_status_v4(Ipv4Addr::LOCALHOST, Ipv4Addr::LOCALHOST),
            ChecksumStatus::NotPresent
        );
    }

    #[test]
    fn zero_checksum_rules() {
        let (s, t) = (Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2));
        let d = UdpDatagram::parse(&D).unwrap();
        assert_eq!(d.checksum_status_v4(s, t), ChecksumStatus::NotPresent);
        assert!(!d.verify_checksum_v4(s, t));
        let (s6, t6) = (Ipv6Addr::LOCALHOST, Ipv6Addr::UNSPECIFIED);
        assert_eq!(d.checksum_status_v6(&s6, &t6), ChecksumStatus::ZeroInvalid);
        let mut b = D;
        fill_checksum_v4(&mut b, s, t).unwrap();
        assert_eq!(
            UdpDatagram::parse(&b).unwrap().checksum_status_v4(s, t),
            ChecksumStatus::Good
        );
        b[9] ^= 1;
        assert_eq!(
            UdpDatagram::parse(&b).unwrap().checksum_status_v4(s, t),
            ChecksumStatus::Bad
        );
        // The trailer is not covered.
        b[9] ^= 1;
        b[11] ^= 0xff;
        assert_eq!(
            UdpDatagram::parse(&b).unwrap().checksum_status_v4(s, t),
            ChecksumStatus::Good
        );
    }

    #[test]
    fn computed_zero_is_sent_as_ffff() {
        // Choose the data word so that the complemented sum is zero: the
        // sum over everything else plus the word must be 0xFFFF.
        let (s, t) = (Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2));
        let mut b = [0u8; 10];
        UdpHeader::for_payload(1, 2, 2).unwrap().emit(&mut b).unwrap();
        let init = checksum::pseudo_header_v4(s, t, PROTOCOL, 10);
        let rest = checksum::add(init, checksum::ones_complement_sum(&b));
        b[8..].copy_from_slice(&(!rest).to_be_bytes());
        assert_eq!(fill_checksum_v4(&mut b, s, t).unwrap(), 0xffff);
        assert_eq!(
            UdpDatagram::parse(&b).unwrap().checksum_status_v4(s, t),
            ChecksumStatus::Good
        );
        let (s6, t6) = (Ipv6Addr::LOCALHOST, Ipv6Addr::UNSPECIFIED);
        let init = checksum::pseudo_header_v6(&s6, &t6, PROTOCOL, 10);
        b[6..8].fill(0);
        b[8..].fill(0);
        let rest = checksum::add(init, checksum::ones_complement_sum(&b));
        b[8..].copy_from_slice(&(!rest).to_be_bytes());
        assert_eq!(fill_checksum_v6(&mut b, &s6, &t6).unwrap(), 0xffff);
        assert_eq!(
            UdpDatagram::parse(&b).unwrap().checksum_status_v6(&s6, &t6),
            ChecksumStatus::Good
        );
    }

    #[test]
    fn header_round_trip_and_limits() {
        let h = UdpHeader::for_payload(1, 2, 4).unwrap();
        let mut b = [0u8; 12];
        assert_eq!(h.emit(&mut b).unwrap(), 8);
        assert_eq!(UdpHeader::parse(&b).unwrap(), (h, &[0u8; 4][..]));
        assert!(UdpHeader::for_payload(1, 2, 65528).is_err());
        assert!(UdpHeader::for_payload(1, 2, 65527).is_ok());
        assert!(h.emit(&mut [0u8; 7]).is_err());
        assert!(UdpDatagram::parse(&[0u8; 7]).is_err());
        let (s, t) = (Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2));
        let mut out = [0u8; 20];
        assert_eq!(h.emit_datagram_v4(b"hi!", s, t, &mut out).unwrap(), 11);
        let d = UdpDatagram::parse(&out[..11]).unwrap();
        assert_eq!((d.length(), d.payload()), (11, &b"hi!"[..]));
        assert!(d.verify_checksum_v4(s, t));
        let (s6, t6) = (Ipv6Addr::LOCALHOST, Ipv6Addr::UNSPECIFIED);
        assert_eq!(h.emit_datagram_v6(b"", &s6, &t6, &mut out).unwrap(), 8);
        assert!(UdpDatagram::parse(&out[..8]).unwrap().verify_checksum_v6(&s6, &t6));
        assert!(h.emit_datagram_v6(b"123456789abcd", &s6, &t6, &mut out).is_err());
    }
}
