//! Ethernet II and IEEE 802.3 frames (RFC 894, IEEE 802.3-2018 §3.1–§3.2),
//! with IEEE 802.2 LLC for length-framed payloads.
//!
//! As captured (no preamble, no FCS), a frame is:
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                    Destination Address                        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  Destination (cont.)          |        Source Address         |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                    Source Address (cont.)                     |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  TPID (VLAN tag, optional)    |  TCI                          |  x0..4
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |       EtherType / Length      |  Payload ...
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! The view [`EthernetFrame`] walks the VLAN tags (see [`super::vlan`]),
//! then reads the Type/Length field:
//!
//! * **Ethernet II** (value ≥ `0x0600`): the payload is everything after the
//!   header. Any padding stays in it, because only the next layer knows its
//!   own length (IPv4's `trailer()` exposes it).
//! * **IEEE 802.3** (value ≤ 1500): the value is the payload length. The
//!   payload starts with an IEEE 802.2 LLC header ([`Llc`]); bytes beyond the
//!   length are padding, exposed by [`EthernetFrame::trailer`].
//! * Values 1501..=1535 are undefined (IEEE 802.3-2018 §3.2.6) and rejected.
//!
//! ```
//! use netspec::link::{EthernetFrame, EthernetHeader, EtherType, MacAddress, VlanTag};
//! let mut h = EthernetHeader::new(MacAddress::BROADCAST, MacAddress([2, 0, 0, 0, 0, 1]), EtherType::IPV4);
//! h.tags.push(VlanTag::c_tag(100))?;
//! let mut buf = [0u8; 64];
//! let n = h.emit(&mut buf)?;
//! assert_eq!(n, 18);
//! let f = EthernetFrame::parse(&buf)?;
//! assert_eq!(f.ethertype(), EtherType::IPV4);
//! assert_eq!(f.tags().outer().map(|t| t.vid), Some(100));
//! assert_eq!(f.payload().len(), 64 - 18);
//! assert_eq!(f.to_header(), h);
//! # Ok::<(), netspec::Error>(())
//! ```

use super::vlan::{MAX_VLAN_DEPTH, TAG_LEN, VlanStack, VlanTag};
use super::{EtherType, MacAddress};
use crate::error::{Error, Layer, Result};
use crate::parse::{get_array, get_u16, need, put_u16, room};

/// Bytes of an untagged header: two addresses and Type/Length
/// (IEEE 802.3-2018 §3.1.1).
pub const HEADER_LEN: usize = 14;

/// The largest Type/Length value that is a length (IEEE 802.3-2018 §3.2.6).
pub const MAX_8023_LENGTH: u16 = 1500;

/// The smallest Type/Length value that is an EtherType (IEEE 802.3-2018
/// §3.2.6).
pub const MIN_ETHERTYPE: u16 = 0x0600;

/// Field offsets of the untagged header.
mod field {
    pub const DST: core::ops::Range<usize> = 0..6;
    pub const SRC: core::ops::Range<usize> = 6..12;
    pub const TYPE: usize = 12;
}

const UNDEFINED_TYPE: &str = "a length of at most 1500 or an EtherType of at least 0x0600";

/// A zero-copy view of an Ethernet II or IEEE 802.3 frame
/// (IEEE 802.3-2018 §3.1, RFC 894), VLAN tags included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EthernetFrame<'a> {
    /// The first 14 bytes: the addresses sit at fixed offsets in it, so
    /// their accessors need no bounds check.
    head: &'a [u8; HEADER_LEN],
    buf: &'a [u8],
    /// The payload, sliced once by `parse`.
    payload: &'a [u8],
    tags: VlanStack,
    /// The final Type/Length value, read once by `parse`.
    ethertype: EtherType,
    /// Offset of the final Type/Length field.
    type_at: usize,
}

impl<'a> EthernetFrame<'a> {
    /// Parse a frame without FCS: addresses, up to [`MAX_VLAN_DEPTH`] VLAN
    /// tags and the Type/Length field (IEEE 802.3-2018 §3.2.6,
    /// IEEE 802.1Q-2018 §9.3). An 802.3 length larger than the bytes present
    /// is [`crate::ErrorKind::LengthExceeds`].
    #[inline]
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        let Some(head) = buf.first_chunk::<HEADER_LEN>() else {
            return Err(Error::truncated(Layer::Ethernet, "header", 0, HEADER_LEN, buf.len()));
        };
        let tl = EtherType(u16::from_be_bytes([head[field::TYPE], head[field::TYPE + 1]]));
        // Fast path, small enough to inline: an untagged Ethernet II frame,
        // whose payload runs to the end of the buffer. Tags, 802.3 lengths
        // and errors take the general walk below. IPv4 and IPv6, most
        // frames, are one compare each; other types take the range test.
        let untagged = match tl {
            EtherType::IPV4 | EtherType::IPV6 => true,
            _ => tl.0 >= MIN_ETHERTYPE && !tl.is_vlan_tpid(),
        };
        if untagged {
            return Ok(EthernetFrame {
                head,
                buf,
                payload: &buf[HEADER_LEN..],
                tags: VlanStack::new(),
                ethertype: tl,
                type_at: field::TYPE,
            });
        }
        Self::parse_general(buf, head)
    }

    /// The general case of [`EthernetFrame::parse`]: VLAN tags, an 802.3
    /// length field, and every error.
    #[inline(never)]
    fn parse_general(buf: &'a [u8], head: &'a [u8; HEADER_LEN]) -> Result<Self> {
        let mut tags = VlanStack::new();
        let mut at = field::TYPE;
        // Bounded: at most MAX_VLAN_DEPTH + 1 rounds, one per tag.
        for depth in 0..=MAX_VLAN_DEPTH {
            let tpid = EtherType(get_u16(buf, at));
            if !tpid.is_vlan_tpid() {
                break;
            }
            if depth == MAX_VLAN_DEPTH {
                return Err(Error::limit_exceeded(Layer::Vlan, "vlan_tag", at, MAX_VLAN_DEPTH));
            }
            // The tag and the Type/Length field that follows it.
            need(&buf[at..], TAG_LEN + 2, Layer::Vlan, "vlan_tag", at)?;
            tags.push(VlanTag::from_tci(tpid, get_u16(buf, at + 2)))?;
            at += TAG_LEN;
        }
        let tl = EtherType(get_u16(buf, at));
        let start = at + 2;
        let payload_end = if tl.is_length() {
            let len = tl.0 as usize;
            if start + len > buf.len() {
                return Err(Error::length_exceeds(
                    Layer::Ethernet,
                    "length",
                    at,
                    len,
                    buf.len() - start,
                ));
            }
            start + len
        } else if tl.is_undefined() {
            return Err(Error::invalid(
                Layer::Ethernet,
                "ethertype",
                at,
                tl.0 as u64,
                UNDEFINED_TYPE,
            ));
        } else {
            buf.len()
        };
        Ok(EthernetFrame {
            head,
            buf,
            payload: &buf[start..payload_end],
            tags,
            ethertype: tl,
            type_at: at,
        })
    }

    /// Destination MAC address (IEEE 802.3-2018 §3.2.4).
    #[inline]
    pub fn dst(&self) -> MacAddress {
        MacAddress(get_array(self.head, field::DST.start))
    }

    /// Source MAC address (IEEE 802.3-2018 §3.2.5).
    #[inline]
    pub fn src(&self) -> MacAddress {
        MacAddress(get_array(self.head, field::SRC.start))
    }

    /// The VLAN tags, outermost first (IEEE 802.1Q-2018 §9.3).
    #[inline]
    pub fn tags(&self) -> &VlanStack {
        &self.tags
    }

    /// The Type/Length value after the tags: the inner EtherType of an
    /// Ethernet II frame, or the payload length of an 802.3 frame
    /// (IEEE 802.3-2018 §3.2.6).
    #[inline]
    pub fn ethertype(&self) -> EtherType {
        self.ethertype
    }

    /// The 802.3 payload length, `None` for Ethernet II (IEEE 802.3-2018 §3.1.1).
    #[inline]
    pub fn length(&self) -> Option<u16> {
        let t = self.ethertype();
        t.is_length().then_some(t.0)
    }

    /// True for an IEEE 802.3 length frame (payload starts with LLC).
    #[inline]
    pub fn is_8023(&self) -> bool {
        self.ethertype().is_length()
    }

    /// Bytes of the header, tags and Type/Length included (IEEE 802.3-2018 §3.1.1).
    #[inline]
    pub fn header_len(&self) -> usize {
        self.type_at + 2
    }

    /// The header bytes (IEEE 802.3-2018 §3.1.1).
    #[inline]
    pub fn header_bytes(&self) -> &'a [u8] {
        &self.buf[..self.header_len()]
    }

    /// The payload: everything after the header for Ethernet II (padding
    /// included), the `length` bytes for 802.3 (IEEE 802.3-2018 §3.1.1).
    #[inline]
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// Bytes after an 802.3 frame's length-bounded payload (padding); empty
    /// for Ethernet II, whose padding only the next layer can find (IEEE 802.3-2018 §3.1.1).
    pub fn trailer(&self) -> &'a [u8] {
        let end = self.header_len() + self.payload.len();
        self.buf.get(end..).unwrap_or(&[])
    }

    /// The IEEE 802.2 LLC header of an 802.3 frame, if it is one and the
    /// payload holds at least the DSAP, SSAP and control bytes.
    pub fn llc(&self) -> Option<Llc<'a>> {
        if self.is_8023() {
            Llc::parse(self.payload()).ok()
        } else {
            None
        }
    }

    /// The whole buffer given to `parse` (IEEE 802.3-2018 §3.1.1).
    #[inline]
    pub fn as_bytes(&self) -> &'a [u8] {
        self.buf
    }

    /// The owned header (IEEE 802.3-2018 §3.1.1).
    pub fn to_header(&self) -> EthernetHeader {
        EthernetHeader {
            dst: self.dst(),
            src: self.src(),
            tags: self.tags,
            ethertype: self.ethertype(),
        }
    }
}

/// An owned Ethernet header with its VLAN tags (IEEE 802.3-2018 §3.1.1,
/// IEEE 802.1Q-2018 §9.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct EthernetHeader {
    /// Destination MAC address (IEEE 802.3-2018 §3.1.1).
    pub dst: MacAddress,
    /// Source MAC address (IEEE 802.3-2018 §3.1.1).
    pub src: MacAddress,
    /// VLAN tags, outermost first (IEEE 802.3-2018 §3.1.1).
    pub tags: VlanStack,
    /// The final Type/Length value: an EtherType, or an 802.3 length (IEEE 802.3-2018 §3.1.1).
    pub ethertype: EtherType,
}

impl EthernetHeader {
    /// An untagged header (IEEE 802.3-2018 §3.1.1).
    #[inline]
    pub const fn new(dst: MacAddress, src: MacAddress, ethertype: EtherType) -> Self {
        EthernetHeader {
            dst,
            src,
            tags: VlanStack::new(),
            ethertype,
        }
    }

    /// Bytes [`emit`](Self::emit) writes: 14 plus 4 per tag (IEEE 802.3-2018 §3.1.1).
    #[inline]
    pub fn header_len(&self) -> usize {
        HEADER_LEN + self.tags.wire_len()
    }

    /// Write the header (IEEE 802.3-2018 §3.1.1). The Type/Length value must
    /// not be a VLAN TPID (it would read back as another tag) nor an
    /// undefined 1501..=1535 value: both are
    /// [`crate::ErrorKind::Invalid`]. An 802.3 length is written as given;
    /// the caller appends that many payload bytes.
    #[inline]
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let n = self.header_len();
        let type_at = n - 2;
        for (i, t) in self.tags.as_slice().iter().enumerate() {
            t.validate(field::TYPE + i * TAG_LEN)?;
        }
        if self.ethertype.is_vlan_tpid() {
            return Err(Error::invalid(
                Layer::Ethernet,
                "ethertype",
                type_at,
                self.ethertype.0 as u64,
                "not a VLAN TPID (push a tag instead)",
            ));
        }
        if self.ethertype.is_undefined() {
            return Err(Error::invalid(
                Layer::Ethernet,
                "ethertype",
                type_at,
                self.ethertype.0 as u64,
                UNDEFINED_TYPE,
            ));
        }
        room(buf, n, Layer::Ethernet)?;
        let Some((addrs, rest)) = buf.split_first_chunk_mut::<{ field::TYPE }>() else {
            return Err(Error::buffer_too_small(Layer::Ethernet, n, buf.len()));
        };
        // Both addresses in one 12-byte store.
        let [d0, d1, d2, d3, d4, d5] = self.dst.0;
        let [s0, s1, s2, s3, s4, s5] = self.src.0;
        *addrs = [d0, d1, d2, d3, d4, d5, s0, s1, s2, s3, s4, s5];
        let mut at = 0;
        for t in &self.tags {
            put_u16(rest, at, t.tpid.0);
            put_u16(rest, at + 2, t.tci());
            at += TAG_LEN;
        }
        put_u16(rest, at, self.ethertype.0);
        Ok(n)
    }

    /// Parse a frame and return its header and payload
    /// ([`EthernetFrame::parse`] then [`EthernetFrame::to_header`]; IEEE 802.3-2018 §3.1.1).
    pub fn parse(buf: &[u8]) -> Result<(EthernetHeader, &[u8])> {
        let f = EthernetFrame::parse(buf)?;
        Ok((f.to_header(), f.payload()))
    }
}

/// An IEEE 802.2 LLC header at the start of an 802.3 payload (IEEE 802.2
/// §3.2), with the SNAP extension of IEEE 802-2014 §10.3 when DSAP and SSAP
/// are `0xAA`.
///
/// ```text
/// +--------+--------+-----------------+------------------------------+
/// |  DSAP  |  SSAP  | Control (1 or 2)| [SNAP: OUI (3) | PID (2)]    |
/// +--------+--------+-----------------+------------------------------+
/// ```
///
/// The control field is one byte for U-format PDUs (low two bits `11`) and
/// two bytes for I- and S-format PDUs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Llc<'a> {
    /// Destination Service Access Point (IEEE 802.2 §3.2).
    pub dsap: u8,
    /// Source Service Access Point (IEEE 802.2 §3.2).
    pub ssap: u8,
    /// The control field, 8 or 16 bits as on the wire (IEEE 802.2 §3.2).
    pub control: u16,
    /// Length of the control field in bytes (1 or 2; IEEE 802.2 §3.2).
    pub control_len: u8,
    /// The SNAP header for DSAP = SSAP = `0xAA`, UI control (IEEE 802-2014 §10.3).
    pub snap: Option<Snap>,
    /// The bytes after LLC (and SNAP; IEEE 802.2 §3.2).
    pub payload: &'a [u8],
}

/// The IEEE 802 SNAP header: an OUI and a protocol identifier, which for OUI
/// 00-00-00 is an EtherType (RFC 1042).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Snap {
    /// Organizationally Unique Identifier (IEEE 802-2014 §10.3).
    pub oui: [u8; 3],
    /// Protocol identifier (an EtherType when `oui` is zero; IEEE 802-2014 §10.3, RFC 1042).
    pub protocol: EtherType,
}

impl<'a> Llc<'a> {
    /// Parse an LLC header (IEEE 802.2 §3.2) from the start of an 802.3
    /// payload.
    pub fn parse(buf: &'a [u8]) -> Result<Llc<'a>> {
        need(buf, 3, Layer::Llc, "header", 0)?;
        let (dsap, ssap, c0) = (buf[0], buf[1], buf[2]);
        let (control, control_len) = if c0 & 0x03 == 0x03 {
            (c0 as u16, 1u8)
        } else {
            need(buf, 4, Layer::Llc, "control", 2)?;
            (get_u16(buf, 2), 2)
        };
        let mut rest = &buf[2 + control_len as usize..];
        let snap = if dsap == 0xaa && ssap == 0xaa && control == 0x03 {
            need(rest, 5, Layer::Llc, "snap", 3)?;
            let s = Snap {
                oui: [rest[0], rest[1], rest[2]],
                protocol: EtherType(get_u16(rest, 3)),
            };
            rest = &rest[5..];
            Some(s)
        } else {
            None
        };
        Ok(Llc {
            dsap,
            ssap,
            control,
            control_len,
            snap,
            payload: rest,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    /// The inlined fast path gives what the general walk gives, for every
    /// class of Type/Length value and every length around the header.
    #[test]
    fn fast_path_agrees_with_the_general_walk() {
        for tl in [
            0u16, 46, 1500, 1501, 0x05ff, 0x0600, 0x0800, 0x86dd, 0x8100, 0x88a8, 0x9100, 0xffff,
        ] {
            let mut b = [0x5au8; 40];
            put_u16(&mut b, 12, tl);
            for n in 0..=b.len() {
                let buf = &b[..n];
                let fast = EthernetFrame::parse(buf);
                match buf.first_chunk::<HEADER_LEN>() {
                    Some(head) => assert_eq!(fast, EthernetFrame::parse_general(buf, head), "{tl:#x} {n}"),
                    None => assert_eq!(fast, Err(Error::truncated(Layer::Ethernet, "header", 0, HEADER_LEN, n))),
                }
            }
        }
    }

    fn frame(types: &[u16], tail: &[u8]) -> ([u8; 128], usize) {
        let mut b = [0u8; 128];
        b[..12].copy_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        let mut at = 12;
        for (i, t) in types.iter().enumerate() {
            put_u16(&mut b, at, *t);
            at += 2;
            if EtherType(*t).is_vlan_tpid() {
                put_u16(&mut b, at, 0x2000 | i as u16);
                at += 2;
            }
        }
        b[at..at + tail.len()].copy_from_slice(tail);
        (b, at + tail.len())
    }

    #[test]
    fn untagged_ipv4() {
        let (b, n) = frame(&[0x0800], &[0x45, 0, 0, 20]);
        let f = EthernetFrame::parse(&b[..n]).unwrap();
        assert_eq!(f.dst().0, [1, 2, 3, 4, 5, 6]);
        assert_eq!(f.src().0, [7, 8, 9, 10, 11, 12]);
        assert!(f.tags().is_empty());
        assert_eq!(f.ethertype(), EtherType::IPV4);
        assert_eq!(f.payload(), &[0x45, 0, 0, 20]);
        assert!(f.trailer().is_empty() && f.llc().is_none() && f.length().is_none());
    }

    #[test]
    fn stacked_tags_up_to_the_limit() {
        let (b, n) = frame(&[0x88a8, 0x8100, 0x9100, 0x8100, 0x86dd], &[]);
        let f = EthernetFrame::parse(&b[..n]).unwrap();
        assert_eq!(f.tags().len(), 4);
        assert_eq!(f.tags().as_slice()[2].tpid, EtherType::QINQ_LEGACY);
        assert_eq!(f.tags().as_slice()[3].vid, 3);
        assert_eq!(f.tags().as_slice()[1].pcp, 1);
        assert_eq!(f.ethertype(), EtherType::IPV6);
        assert_eq!(f.header_len(), 30);
    }

    #[test]
    fn too_many_tags_is_limit_exceeded() {
        let (b, n) = frame(&[0x8100, 0x8100, 0x8100, 0x8100, 0x8100, 0x0800], &[]);
        let e = EthernetFrame::parse(&b[..n]).unwrap_err();
        assert_eq!(e, Error::limit_exceeded(Layer::Vlan, "vlan_tag", 28, MAX_VLAN_DEPTH));
    }

    #[test]
    fn truncated_header_and_tag() {
        let e = EthernetFrame::parse(&[0u8; 13]).unwrap_err();
        assert_eq!(e, Error::truncated(Layer::Ethernet, "header", 0, 14, 13));
        let (b, _) = frame(&[0x8100, 0x0800], &[]);
        let e = EthernetFrame::parse(&b[..16]).unwrap_err();
        assert_eq!(e, Error::truncated(Layer::Vlan, "vlan_tag", 12, 6, 4));
    }

    #[test]
    fn ieee8023_with_llc_and_trailer() {
        let llc = [0x42, 0x42, 0x03, 0xde, 0xad];
        let mut tail = [0u8; 46];
        tail[..5].copy_from_slice(&llc);
        let (b, n) = frame(&[5], &tail);
        let f = EthernetFrame::parse(&b[..n]).unwrap();
        assert_eq!(f.length(), Some(5));
        assert_eq!(f.payload(), &llc);
        assert_eq!(f.trailer().len(), 41);
        let l = f.llc().unwrap();
        assert_eq!((l.dsap, l.ssap, l.control, l.control_len), (0x42, 0x42, 3, 1));
        assert_eq!(l.payload, &[0xde, 0xad]);
        assert!(l.snap.is_none());
    }

    #[test]
    fn snap_and_i_format_control() {
        let l = Llc::parse(&[0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x06, 9]).unwrap();
        assert_eq!(
            l.snap,
            Some(Snap {
                oui: [0; 3],
                protocol: EtherType::ARP
            })
        );
        assert_eq!(l.payload, &[9]);
        let l = Llc::parse(&[0xf0, 0xf0, 0x00, 0x12]).unwrap();
        assert_eq!((l.control, l.control_len), (0x0012, 2));
        assert_eq!(
            Llc::parse(&[0xf0, 0xf0]).unwrap_err(),
            Error::truncated(Layer::Llc, "header", 0, 3, 2)
        );
        assert_eq!(
            Llc::parse(&[0xf0, 0xf0, 0x00]).unwrap_err(),
            Error::truncated(Layer::Llc, "control", 2, 4, 3)
        );
        assert_eq!(
            Llc::parse(&[0xaa, 0xaa, 0x03, 0]).unwrap_err(),
            Error::truncated(Layer::Llc, "snap", 3, 5, 1)
        );
    }

    #[test]
    fn length_beyond_buffer_and_undefined_type() {
        let (b, n) = frame(&[100], &[0; 10]);
        let e = EthernetFrame::parse(&b[..n]).unwrap_err();
        assert_eq!(e, Error::length_exceeds(Layer::Ethernet, "length", 12, 100, 10));
        let (b, n) = frame(&[1501], &[]);
        let e = EthernetFrame::parse(&b[..n]).unwrap_err();
        assert_eq!(e.field, "ethertype");
        assert!(matches!(e.kind, ErrorKind::Invalid { value: 1501, .. }));
    }

    #[test]
    fn emit_rejects_ambiguous_type_and_small_buffer() {
        let mut h = EthernetHeader::new(MacAddress::ZERO, MacAddress::ZERO, EtherType::VLAN);
        let mut b = [0u8; 32];
        assert_eq!(h.emit(&mut b).unwrap_err().field, "ethertype");
        h.ethertype = EtherType(0x05ff);
        assert_eq!(h.emit(&mut b).unwrap_err().offset, 12);
        h.ethertype = EtherType::ARP;
        h.tags.push(VlanTag::s_tag(7)).unwrap();
        assert_eq!(
            h.emit(&mut b[..17]).unwrap_err().kind,
            ErrorKind::BufferTooSmall {
                needed: 18,
                available: 17
            }
        );
        h.tags.push(VlanTag::c_tag(5000)).unwrap();
        let e = h.emit(&mut b).unwrap_err();
        assert_eq!((e.layer, e.field, e.offset), (Layer::Vlan, "vid", 18));
    }
}
