//! TCP segment header (RFC 9293 §3.1).
//!
//! TCP turns IP's unreliable datagrams into a reliable, ordered byte stream
//! between two ports. Each segment carries a header of 20 bytes plus up to
//! 40 bytes of options, then the data:
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |          Source Port          |       Destination Port        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                        Sequence Number                        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                    Acknowledgment Number                      |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  Data |     |A|C|E|U|A|P|R|S|F|                               |
//! | Offset| Rsrv|E|W|C|R|C|S|S|Y|I|            Window             |
//! |       |     | |R|E|G|K|H|T|N|N|                               |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |           Checksum            |         Urgent Pointer        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                           [Options]                           |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                             Data ...                          |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! * **Data Offset** counts the header in 32-bit words: 5 (no options) to 15.
//! * The flag byte holds CWR..FIN (RFC 9293 §3.1, ECE/CWR from RFC 3168);
//!   the bit before it, once NS (RFC 3540, historic), is AE, the
//!   Accurate-ECN bit (RFC 9768). The remaining 3 bits are reserved and
//!   kept as [`TcpSegment::reserved`].
//! * The **checksum** covers a pseudo-header (source and destination
//!   address, protocol 6, TCP length), the header and the data (RFC 9293
//!   §3.1; RFC 8200 §8.1 for IPv6). See [`fill_checksum_v4`].
//!
//! [`TcpSegment`] is the zero-copy view, [`TcpHeader`] the owned header.
//!
//! ```
//! use netspec::transport::tcp::{TcpFlags, TcpHeader, TcpSegment};
//! use netspec::transport::tcp_option::TcpOption;
//!
//! let mut h = TcpHeader::new(40000, 80);
//! h.seq = 1;
//! h.flags = TcpFlags::SYN;
//! h.window = 65535;
//! h.options.push(TcpOption::Mss(1460))?;
//! h.options.push(TcpOption::WindowScale(7))?;
//! let mut buf = [0u8; 60];
//! let n = h.emit(&mut buf)?;
//! assert_eq!(n, 28); // 20 + 7 option bytes padded to 8
//! let seg = TcpSegment::parse(&buf[..n])?;
//! assert_eq!(seg.data_offset(), 7);
//! assert_eq!(seg.to_header(), h);
//! # Ok::<(), netspec::Error>(())
//! ```

use core::net::{Ipv4Addr, Ipv6Addr};

use crate::checksum;
use crate::error::{Error, Layer, Result};
use crate::parse::{get_u16, get_u32, need, put_u16};

use super::tcp_option::validate;
pub use super::tcp_option::{SackBlocks, TcpOption, TcpOptionIter, TcpOptionKind, TcpOptions};

/// The IP protocol number of TCP, for the pseudo-header (RFC 9293 §3.1).
const PROTOCOL: u8 = 6;

/// Fixed header length without options (RFC 9293 §3.1).
pub const MIN_HEADER_LEN: usize = 20;
/// Largest header: data offset 15 words.
pub const MAX_HEADER_LEN: usize = 60;

/// Byte offsets of the fixed header fields (RFC 9293 §3.1).
mod field {
    pub const SRC_PORT: usize = 0;
    pub const DST_PORT: usize = 2;
    pub const SEQ: usize = 4;
    pub const ACK: usize = 8;
    /// Data offset (high nibble), reserved (3 bits), AE (low bit).
    pub const OFFSET: usize = 12;
    /// CWR..FIN.
    pub const FLAGS: usize = 13;
    pub const WINDOW: usize = 14;
    pub const CHECKSUM: usize = 16;
    pub const URGENT: usize = 18;
}

bitflags::bitflags! {
    /// TCP control bits (RFC 9293 §3.1; ECE, CWR: RFC 3168 §6.1;
    /// AE: RFC 9768, the bit RFC 3540 called NS).
    ///
    /// Bits 0..=7 are the flag byte, bit 8 is AE (the low bit of byte 12).
    /// Parsed with `from_bits_retain`; only these 9 bits exist on the wire.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
    #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
    pub struct TcpFlags: u16 {
        /// No more data from sender (RFC 9293 §3.1).
        const FIN = 0x001;
        /// Synchronize sequence numbers (RFC 9293 §3.1).
        const SYN = 0x002;
        /// Reset the connection (RFC 9293 §3.1).
        const RST = 0x004;
        /// Push function (RFC 9293 §3.1).
        const PSH = 0x008;
        /// The acknowledgment field is significant (RFC 9293 §3.1).
        const ACK = 0x010;
        /// The urgent pointer is significant (RFC 9293 §3.1).
        const URG = 0x020;
        /// ECN-Echo (RFC 3168 §6.1).
        const ECE = 0x040;
        /// Congestion Window Reduced (RFC 3168 §6.1).
        const CWR = 0x080;
        /// Accurate ECN (RFC 9768), formerly NS (RFC 3540).
        const AE = 0x100;
    }
}

/// A zero-copy view of a TCP segment (RFC 9293 §3.1): header, options and
/// data, borrowing the caller's buffer.
///
/// [`TcpSegment::parse`] checks the data offset and every option, so all
/// accessors are infallible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TcpSegment<'a> {
    /// The fixed 20-byte header: its fields sit at constant offsets, so
    /// their accessors need no bounds check.
    head: &'a [u8; MIN_HEADER_LEN],
    buf: &'a [u8],
    /// The options area, validated by `parse`.
    options: &'a [u8],
    /// The data after the header.
    payload: &'a [u8],
}

impl<'a> TcpSegment<'a> {
    /// Parse a segment: the whole of `buf` is header plus data (the IP
    /// layer decides where the segment ends).
    ///
    /// Errors: fewer than 20 bytes; a data offset below 5
    /// (`LengthTooSmall`, field `data_offset`, offset 12) or past the end
    /// of `buf` (`LengthExceeds`); any malformed option (field
    /// `option_<kind>`, offset of the option's kind byte).
    #[inline(always)]
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        let Some(head) = buf.first_chunk::<MIN_HEADER_LEN>() else {
            return Err(Error::truncated(Layer::Tcp, "header", 0, MIN_HEADER_LEN, buf.len()));
        };
        let header_len = usize::from(head[field::OFFSET] >> 4) * 4;
        let Some((options, payload)) = buf
            .get(MIN_HEADER_LEN..)
            .and_then(|b| b.split_at_checked(header_len.wrapping_sub(MIN_HEADER_LEN)))
        else {
            return Err(data_offset_error(header_len, buf.len()));
        };
        validate(options, MIN_HEADER_LEN)?;
        Ok(TcpSegment {
            head,
            buf,
            options,
            payload,
        })
    }

    /// Source port.
    #[inline]
    pub fn src_port(&self) -> u16 {
        get_u16(self.head, field::SRC_PORT)
    }

    /// Destination port.
    #[inline]
    pub fn dst_port(&self) -> u16 {
        get_u16(self.head, field::DST_PORT)
    }

    /// Sequence number of the first data byte (or the ISN with SYN).
    #[inline]
    pub fn seq(&self) -> u32 {
        get_u32(self.head, field::SEQ)
    }

    /// Acknowledgment number: the next sequence number expected, if ACK.
    #[inline]
    pub fn ack(&self) -> u32 {
        get_u32(self.head, field::ACK)
    }

    /// Data offset in 32-bit words (5..=15).
    #[inline]
    pub fn data_offset(&self) -> u8 {
        self.head[field::OFFSET] >> 4
    }

    /// Header length in bytes (`4 * data_offset`).
    #[inline]
    pub fn header_len(&self) -> usize {
        MIN_HEADER_LEN + self.options.len()
    }

    /// The control bits, AE included.
    #[inline]
    pub fn flags(&self) -> TcpFlags {
        let bits = (u16::from(self.head[field::OFFSET] & 1) << 8) | u16::from(self.head[field::FLAGS]);
        TcpFlags::from_bits_retain(bits)
    }

    /// The 3 reserved bits between data offset and AE (0..=7): zero in
    /// generated segments, ignored on receipt (RFC 9293 §3.1); kept here so
    /// that a round trip is exact.
    #[inline]
    pub fn reserved(&self) -> u8 {
        (self.head[field::OFFSET] >> 1) & 0x7
    }

    /// Receive window (unscaled, RFC 7323 §2.3).
    #[inline]
    pub fn window(&self) -> u16 {
        get_u16(self.head, field::WINDOW)
    }

    /// The checksum field as stored.
    #[inline]
    pub fn checksum(&self) -> u16 {
        get_u16(self.head, field::CHECKSUM)
    }

    /// Urgent pointer, an offset from `seq` (meaningful with URG).
    #[inline]
    pub fn urgent_ptr(&self) -> u16 {
        get_u16(self.head, field::URGENT)
    }

    /// The options, decoded (validated by `parse`, so infallible).
    #[inline]
    pub fn options(&self) -> TcpOptionIter<'a> {
        TcpOptionIter::new(self.options)
    }

    /// The raw options area (padding included).
    #[inline]
    pub fn options_bytes(&self) -> &'a [u8] {
        self.options
    }

    /// The header bytes, options included.
    #[inline]
    pub fn header_bytes(&self) -> &'a [u8] {
        let n = self.header_len();
        self.buf.get(..n).unwrap_or(self.buf)
    }

    /// The data after the header.
    #[inline]
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// The whole segment, header and data.
    #[inline]
    pub fn as_bytes(&self) -> &'a [u8] {
        self.buf
    }

    /// The owned header.
    #[inline]
    pub fn to_header(&self) -> TcpHeader {
        let mut options = TcpOptions::new();
        // Infallible: parse validated the same bytes, at most 40 of them.
        if let Ok(o) = TcpOptions::from_bytes(self.options_bytes()) {
            options = o;
        }
        TcpHeader {
            src_port: self.src_port(),
            dst_port: self.dst_port(),
            seq: self.seq(),
            ack: self.ack(),
            flags: self.flags(),
            reserved: self.reserved(),
            window: self.window(),
            checksum: self.checksum(),
            urgent_ptr: self.urgent_ptr(),
            options,
        }
    }

    /// True if the checksum is right for this segment sent from `src` to
    /// `dst` over IPv4 (RFC 9293 §3.1). A segment longer than 65535 bytes
    /// cannot be carried by IPv4 and fails.
    #[inline]
    pub fn verify_checksum_v4(&self, src: Ipv4Addr, dst: Ipv4Addr) -> bool {
        match u16::try_from(self.buf.len()) {
            Ok(len) => checksum::WideSum::pseudo_header_v4(src, dst, PROTOCOL, len)
                .plus(self.wide_sum())
                .verifies(),
            Err(_) => false,
        }
    }

    /// True if the checksum is right over IPv6 (RFC 8200 §8.1); `dst` is
    /// the final destination.
    #[inline]
    pub fn verify_checksum_v6(&self, src: &Ipv6Addr, dst: &Ipv6Addr) -> bool {
        match u32::try_from(self.buf.len()) {
            Ok(len) => checksum::WideSum::pseudo_header_v6(src, dst, PROTOCOL, len)
                .plus(self.wide_sum())
                .verifies(),
            Err(_) => false,
        }
    }

    /// The unfolded sum of the whole segment (RFC 1071 §2), folded once by
    /// the caller together with the pseudo-header. One piece: summing the
    /// fixed header, the options and the data apart measured more
    /// instructions (three short-sum set-ups, and a data tail that no
    /// longer ends on a 64-byte block boundary).
    #[inline]
    fn wide_sum(&self) -> checksum::WideSum {
        checksum::WideSum::of(self.buf)
    }
}

/// The error for a data offset below 5 words or past the end of the
/// segment (RFC 9293 §3.1), kept out of line for `TcpSegment::parse`.
#[cold]
#[inline(never)]
fn data_offset_error(header_len: usize, available: usize) -> Error {
    if header_len < MIN_HEADER_LEN {
        Error::length_too_small(Layer::Tcp, "data_offset", field::OFFSET, header_len / 4, 5)
    } else {
        Error::length_exceeds(Layer::Tcp, "data_offset", field::OFFSET, header_len, available)
    }
}

/// An owned TCP header (RFC 9293 §3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct TcpHeader {
    /// Source port.
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
    /// Sequence number.
    pub seq: u32,
    /// Acknowledgment number.
    pub ack: u32,
    /// Control bits; only the 9 defined bits can be emitted.
    pub flags: TcpFlags,
    /// The 3 reserved bits (0..=7).
    pub reserved: u8,
    /// Receive window.
    pub window: u16,
    /// Checksum field, emitted as is (see [`fill_checksum_v4`]).
    pub checksum: u16,
    /// Urgent pointer.
    pub urgent_ptr: u16,
    /// Options; the data offset follows from their padded length.
    pub options: TcpOptions,
}

impl TcpHeader {
    /// A header between two ports with every other field zero and no
    /// options.
    #[inline]
    pub const fn new(src_port: u16, dst_port: u16) -> Self {
        TcpHeader {
            src_port,
            dst_port,
            seq: 0,
            ack: 0,
            flags: TcpFlags::empty(),
            reserved: 0,
            window: 0,
            checksum: 0,
            urgent_ptr: 0,
            options: TcpOptions::new(),
        }
    }

    /// 20 plus the options padded to a multiple of 4.
    #[inline]
    pub fn header_len(&self) -> usize {
        MIN_HEADER_LEN + self.options.padded_len()
    }

    /// The data offset the emitter writes: `header_len() / 4` words.
    #[inline]
    pub fn data_offset(&self) -> u8 {
        (self.header_len() / 4) as u8
    }

    /// Write the header into `buf` (checksum field as stored), padding the
    /// options with EOL bytes; returns the header length.
    ///
    /// Errors: `buf` too short; flags outside the 9 defined bits or
    /// `reserved` above 7 (they do not fit the wire, and netspec never
    /// truncates).
    #[inline]
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        self.check_fields()?;
        let n = self.header_len();
        let Some(out) = buf.get_mut(..n) else {
            return Err(Error::buffer_too_small(Layer::Tcp, n, buf.len()));
        };
        if let Some((head, options)) = out.split_first_chunk_mut::<MIN_HEADER_LEN>() {
            *head = self.fixed(self.checksum);
            // padded_bytes() is zero past the stored options: EOL padding.
            copy_words(options, self.options.padded_bytes());
        }
        Ok(n)
    }

    /// The fields that can hold values the wire cannot carry.
    #[inline]
    fn check_fields(&self) -> Result<()> {
        if self.flags.bits() > 0x1ff {
            return Err(Error::invalid(
                Layer::Tcp,
                "flags",
                field::OFFSET,
                u64::from(self.flags.bits()),
                "the 9 defined flag bits",
            ));
        }
        if self.reserved > 7 {
            return Err(Error::invalid(
                Layer::Tcp,
                "reserved",
                field::OFFSET,
                u64::from(self.reserved),
                "3 bits (0..=7)",
            ));
        }
        Ok(())
    }

    /// Bytes 0..8 and 8..16 of the fixed header as two words, most
    /// significant byte first on the wire (fields checked by
    /// `check_fields`).
    #[inline]
    fn words(&self) -> (u64, u64) {
        let w0 = (u64::from(self.src_port) << 48) | (u64::from(self.dst_port) << 32) | u64::from(self.seq);
        let w1 = (u64::from(self.ack) << 32) | (u64::from(self.offset_flags()) << 16) | u64::from(self.window);
        (w0, w1)
    }

    /// The 20 fixed header bytes with `checksum` in the checksum field:
    /// stores of words built in registers. The checksum is stored on its
    /// own: one folded in host order (`WideSum::checksum`) is then swapped
    /// twice, which the compiler cancels.
    #[inline]
    fn fixed(&self, checksum: u16) -> [u8; MIN_HEADER_LEN] {
        let (w0, w1) = self.words();
        let mut out = [0u8; MIN_HEADER_LEN];
        out[..8].copy_from_slice(&w0.to_be_bytes());
        out[8..16].copy_from_slice(&w1.to_be_bytes());
        out[16..18].copy_from_slice(&checksum.to_be_bytes());
        out[18..].copy_from_slice(&self.urgent_ptr.to_be_bytes());
        out
    }

    /// The one's complement sum of the fixed header with a zero checksum
    /// field, from the words' values: each 32-bit half is congruent to the
    /// sum of its two 16-bit words modulo `0xFFFF` (2^16 ≡ 1), so a few
    /// 64-bit additions and no byte swap per field (RFC 1071 §2(C)).
    #[inline]
    fn fixed_sum(&self) -> checksum::WideSum {
        let (w0, w1) = self.words();
        let v = (w0 >> 32) + (w0 & 0xffff_ffff) + (w1 >> 32) + (w1 & 0xffff_ffff) + u64::from(self.urgent_ptr);
        // Below 2^35: two big-endian 32-bit values, and 2^32 ≡ 1.
        checksum::WideSum::of_u32(v as u32).plus(checksum::WideSum::of_u32((v >> 32) as u32))
    }

    /// Bytes 12 and 13 as one big-endian word: data offset, reserved bits,
    /// AE, then CWR..FIN (fields checked by `check_fields`).
    #[inline]
    fn offset_flags(&self) -> u16 {
        let words = (self.header_len() / 4) as u16;
        (words << 12) | (u16::from(self.reserved) << 9) | self.flags.bits()
    }

    /// Write header and `payload` into `buf` and fill in the checksum for
    /// IPv4 from `src` to `dst` (the stored `checksum` is ignored); returns
    /// the segment length.
    ///
    /// The checksum is one [`WideSum`](checksum::WideSum), folded once: the
    /// pseudo-header, the fixed header built in registers, the stored
    /// options and the payload, summed as it is copied. The header is
    /// written last, checksum included, so nothing written is read back or
    /// written twice. Errors: `buf` too short, fields as
    /// [`TcpHeader::emit`], or a segment longer than 65535 bytes (the
    /// pseudo-header length is 16 bits); nothing is written on error.
    #[inline]
    pub fn emit_segment_v4(&self, payload: &[u8], src: Ipv4Addr, dst: Ipv4Addr, buf: &mut [u8]) -> Result<usize> {
        let total = self.header_len() + payload.len();
        self.check_segment(total, buf.len())?;
        let len = u16::try_from(total).map_err(|_| Error::length_exceeds(Layer::Tcp, "segment", 0, total, 65535))?;
        self.emit_summed(
            payload,
            buf,
            checksum::WideSum::pseudo_header_v4(src, dst, PROTOCOL, len),
        )
    }

    /// [`TcpHeader::emit_segment_v4`] over IPv6 (RFC 8200 §8.1); `dst` is
    /// the final destination.
    #[inline]
    pub fn emit_segment_v6(&self, payload: &[u8], src: &Ipv6Addr, dst: &Ipv6Addr, buf: &mut [u8]) -> Result<usize> {
        let total = self.header_len() + payload.len();
        self.check_segment(total, buf.len())?;
        let len = u32::try_from(total)
            .map_err(|_| Error::length_exceeds(Layer::Tcp, "segment", 0, total, u32::MAX as usize))?;
        self.emit_summed(
            payload,
            buf,
            checksum::WideSum::pseudo_header_v6(src, dst, PROTOCOL, len),
        )
    }

    /// The checks of `emit_segment_*` that come before the length of the
    /// pseudo-header, in the order the callers report them.
    #[inline]
    fn check_segment(&self, total: usize, room: usize) -> Result<()> {
        if room < total {
            return Err(Error::buffer_too_small(Layer::Tcp, total, room));
        }
        self.check_fields()
    }

    /// Copy `payload` after the header's room in `buf`, then write the
    /// header with the checksum of `pseudo` plus header plus payload;
    /// returns the segment length. The callers checked the fields and the
    /// room.
    #[inline]
    fn emit_summed(&self, payload: &[u8], buf: &mut [u8], pseudo: checksum::WideSum) -> Result<usize> {
        let h = self.header_len();
        let total = h + payload.len();
        let Some((header, rest)) = buf.get_mut(..total).map(|seg| seg.split_at_mut(h)) else {
            return Err(Error::buffer_too_small(Layer::Tcp, total, buf.len()));
        };
        // The header is a whole number of 32-bit words, so the payload's
        // words line up with the segment's: the sums add directly.
        let payload_sum = checksum::WideSum::copy_from(rest, payload);
        let sum = pseudo
            .plus(self.fixed_sum())
            .plus(self.options.wide_sum())
            .plus(payload_sum);
        if let Some((head, options)) = header.split_first_chunk_mut::<MIN_HEADER_LEN>() {
            *head = self.fixed(sum.checksum());
            // padded_bytes() is zero past the stored options: EOL padding.
            copy_words(options, self.options.padded_bytes());
        }
        Ok(total)
    }

    /// Parse a segment into its owned header and the data after it.
    pub fn parse(buf: &[u8]) -> Result<(TcpHeader, &[u8])> {
        let seg = TcpSegment::parse(buf)?;
        Ok((seg.to_header(), seg.payload()))
    }
}

/// Copy `src` (the padded options: a multiple of 4 bytes, at most 40) to
/// the start of `dst` with at most three fixed-size moves instead of a
/// `memcpy` call for a few bytes: the first and the last 16 (or 8) bytes,
/// overlapping when the length is not a multiple of the move, and the
/// middle 16 past 32. Copies nothing if `dst` is shorter (the callers size
/// it first).
#[inline(always)]
fn copy_words(dst: &mut [u8], src: &[u8]) {
    let Some(dst) = dst.get_mut(..src.len()) else {
        return;
    };
    macro_rules! ends {
        ($n:literal) => {
            if let (Some((d, _)), Some((s, _))) = (dst.split_first_chunk_mut::<$n>(), src.split_first_chunk::<$n>()) {
                *d = *s;
            }
            if let (Some((_, d)), Some((_, s))) = (dst.split_last_chunk_mut::<$n>(), src.split_last_chunk::<$n>()) {
                *d = *s;
            }
        };
    }
    if src.len() >= 16 {
        if let (Some(d), Some(s)) = (dst.get_mut(16..32), src.get(16..32)) {
            d.copy_from_slice(s);
        }
        ends!(16);
    } else if src.len() >= 8 {
        ends!(8);
    } else if let (Some(d), Some(s)) = (dst.first_chunk_mut::<4>(), src.first_chunk::<4>()) {
        *d = *s;
    }
}

/// Compute the TCP checksum over `segment` (header and data, laid out in
/// the buffer) sent from `src` to `dst` over IPv4, store it in the
/// checksum field and return it (RFC 9293 §3.1).
///
/// The checksum field is zeroed before summing. Errors: fewer than 20
/// bytes, or more than 65535 (the pseudo-header length is 16 bits).
pub fn fill_checksum_v4(segment: &mut [u8], src: Ipv4Addr, dst: Ipv4Addr) -> Result<u16> {
    need(segment, MIN_HEADER_LEN, Layer::Tcp, "header", 0)?;
    let len = u16::try_from(segment.len())
        .map_err(|_| Error::length_exceeds(Layer::Tcp, "segment", 0, segment.len(), 65535))?;
    put_u16(segment, field::CHECKSUM, 0);
    let c = checksum::checksum_with(checksum::pseudo_header_v4(src, dst, PROTOCOL, len), segment);
    put_u16(segment, field::CHECKSUM, c);
    Ok(c)
}

/// [`fill_checksum_v4`] over IPv6 (RFC 8200 §8.1); `dst` is the final
/// destination. Errors: fewer than 20 bytes or more than `u32::MAX`.
pub fn fill_checksum_v6(segment: &mut [u8], src: &Ipv6Addr, dst: &Ipv6Addr) -> Result<u16> {
    need(segment, MIN_HEADER_LEN, Layer::Tcp, "header", 0)?;
    let len = u32::try_from(segment.len())
        .map_err(|_| Error::length_exceeds(Layer::Tcp, "segment", 0, segment.len(), u32::MAX as usize))?;
    put_u16(segment, field::CHECKSUM, 0);
    let c = checksum::checksum_with(checksum::pseudo_header_v6(src, dst, PROTOCOL, len), segment);
    put_u16(segment, field::CHECKSUM, c);
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    /// A SYN from a Linux host: MSS 1460, SACK-perm, TS, NOP, WS 7.
    const SYN: [u8; 40] = [
        0xc3, 0x50, 0x00, 0x50, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02, 0xfa, 0xf0, 0x00, 0x00,
        0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0x00, 0x01, 0x02, 0x03, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x03, 0x03, 0x07,
    ];

    #[test]
    fn parses_a_syn() {
        let s = TcpSegment::parse(&SYN).unwrap();
        assert_eq!((s.src_port(), s.dst_port()), (50000, 80));
        assert_eq!(s.seq(), 0x1234_5678);
        assert_eq!(s.data_offset(), 10);
        assert_eq!(s.flags(), TcpFlags::SYN);
        assert_eq!(s.window(), 64240);
        let h = s.to_header();
        assert_eq!(h.options.mss(), Some(1460));
        assert_eq!(h.options.window_scale(), Some(7));
        assert_eq!(s.options().count(), 5);
        let mut out = [0u8; 60];
        let n = h.emit(&mut out).unwrap();
        assert_eq!(&out[..n], &SYN[..]);
    }

    #[test]
    fn ae_and_reserved_bits() {
        let mut b = SYN;
        b[12] = 0xa0 | 0b1011; // reserved 5, AE
        let s = TcpSegment::parse(&b).unwrap();
        assert_eq!(s.reserved(), 5);
        assert_eq!(s.flags(), TcpFlags::SYN | TcpFlags::AE);
        let mut out = [0u8; 60];
        s.to_header().emit(&mut out).unwrap();
        assert_eq!(&out[..40], &b[..]);
    }

    #[test]
    fn data_offset_errors() {
        let mut b = SYN;
        b[12] = 0x40;
        let e = TcpSegment::parse(&b).unwrap_err();
        assert_eq!((e.field, e.offset), ("data_offset", 12));
        assert_eq!(e.kind, ErrorKind::LengthTooSmall { value: 4, min: 5 });
        let e = TcpSegment::parse(&SYN[..36]).unwrap_err();
        assert_eq!(
            e.kind,
            ErrorKind::LengthExceeds {
                value: 40,
                available: 36
            }
        );
        let e = TcpSegment::parse(&SYN[..19]).unwrap_err();
        assert_eq!(e.field, "header");
    }

    #[test]
    fn option_error_offsets_are_segment_relative() {
        let mut b = SYN;
        b[21] = 5; // MSS length 5
        let e = TcpSegment::parse(&b).unwrap_err();
        assert_eq!((e.field, e.offset), ("option_mss", 20));
    }

    #[test]
    fn emit_rejects_what_does_not_fit() {
        let mut h = TcpHeader::new(1, 2);
        h.flags = TcpFlags::from_bits_retain(0x200);
        assert!(h.emit(&mut [0; 20]).is_err());
        h.flags = TcpFlags::empty();
        h.reserved = 8;
        assert!(h.emit(&mut [0; 20]).is_err());
        h.reserved = 0;
        assert_eq!(
            h.emit(&mut [0; 19]).unwrap_err().kind,
            ErrorKind::BufferTooSmall {
                needed: 20,
                available: 19
            }
        );
    }

    /// Options of every length from 0 to 40 bytes (NOPs then one MSS or
    /// EOL padding): `emit` and `emit_segment_v4` write the padded area
    /// exactly (copy_words' 4-, 8-, 16-byte and overlapping paths), the
    /// bytes after it are the payload's, and the checksum verifies and
    /// matches `fill_checksum_v4` over the same bytes.
    #[test]
    fn options_of_every_length_emit_exactly() {
        let (src, dst) = (Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2));
        let payload = [0x5au8; 7];
        for len in 0..=MAX_HEADER_LEN - MIN_HEADER_LEN {
            let mut h = TcpHeader::new(443, 50000);
            h.seq = 0xdead_beef;
            h.flags = TcpFlags::ACK | TcpFlags::PSH;
            let nops = if len >= 4 { len - 4 } else { len };
            for _ in 0..nops {
                h.options.push(TcpOption::Nop).unwrap();
            }
            if len >= 4 {
                h.options.push(TcpOption::Mss(1460)).unwrap();
            }
            let padded = h.options.padded_bytes().to_vec();
            assert_eq!(padded.len(), len.next_multiple_of(4));
            let mut out = [0xeeu8; 80];
            let n = h.emit(&mut out).unwrap();
            assert_eq!(&out[20..n], &padded[..], "{len}");
            assert!(out[n..].iter().all(|&b| b == 0xee), "{len}: wrote past the header");
            let mut seg = [0xeeu8; 100];
            let total = h.emit_segment_v4(&payload, src, dst, &mut seg).unwrap();
            assert_eq!(total, n + payload.len());
            assert_eq!(&seg[20..n], &padded[..], "{len}");
            assert_eq!(&seg[n..total], &payload[..]);
            assert!(seg[total..].iter().all(|&b| b == 0xee), "{len}: wrote past the segment");
            let parsed = TcpSegment::parse(&seg[..total]).unwrap();
            assert!(parsed.verify_checksum_v4(src, dst), "{len}");
            let mut again = seg;
            assert_eq!(fill_checksum_v4(&mut again[..total], src, dst), Ok(parsed.checksum()));
        }
    }

    #[test]
    fn checksums_verify() {
        let src = Ipv4Addr::new(192, 0, 2, 1);
        let dst = Ipv4Addr::new(198, 51, 100, 7);
        let mut b = [0u8; 45];
        b[..40].copy_from_slice(&SYN);
        b[40..].copy_from_slice(b"hello");
        fill_checksum_v4(&mut b, src, dst).unwrap();
        assert!(TcpSegment::parse(&b).unwrap().verify_checksum_v4(src, dst));
        // Swapping addresses keeps the sum (it is commutative); another host does not.
        assert!(TcpSegment::parse(&b).unwrap().verify_checksum_v4(dst, src));
        assert!(
            !TcpSegment::parse(&b)
                .unwrap()
                .verify_checksum_v4(src, Ipv4Addr::LOCALHOST)
        );
        let s6 = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1);
        let d6 = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2);
        fill_checksum_v6(&mut b, &s6, &d6).unwrap();
        assert!(TcpSegment::parse(&b).unwrap().verify_checksum_v6(&s6, &d6));
        assert!(
            !TcpSegment::parse(&b)
                .unwrap()
                .verify_checksum_v6(&s6, &Ipv6Addr::LOCALHOST)
        );
        assert!(fill_checksum_v4(&mut [0u8; 10], src, dst).is_err());
        // The one-call builder gives the same bytes.
        let (h, payload) = TcpHeader::parse(&b).unwrap();
        let mut out = [0u8; 45];
        assert_eq!(h.emit_segment_v6(payload, &s6, &d6, &mut out).unwrap(), 45);
        assert_eq!(out, b);
        assert_eq!(h.emit_segment_v4(payload, src, dst, &mut out).unwrap(), 45);
        assert!(TcpSegment::parse(&out).unwrap().verify_checksum_v4(src, dst));
        assert!(h.emit_segment_v4(payload, src, dst, &mut [0u8; 44]).is_err());
    }
}
