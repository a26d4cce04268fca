//! DNS over TCP: the 2-byte length prefix (RFC 1035 §4.2.2, RFC 7766 §8).
//!
//! On a TCP connection each message is preceded by its length as a
//! big-endian `u16`:
//!
//! ```text
//!   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//!   |                    LENGTH                     |
//!   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//!   /                  DNS message                  /
//!   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//! ```
//!
//! TCP is a byte stream: one segment may hold several messages, or a piece
//! of one (RFC 7766 §8 warns that the length and the message may even
//! arrive in separate segments). [`split_frame`] handles a buffer that
//! holds whole frames; [`TcpReassembler`] collects segments in a caller's
//! buffer and hands out each message once it is complete.

use crate::error::{Error, Layer, Result};
use crate::parse::room;

/// The length of the prefix.
pub const LENGTH_PREFIX_LEN: usize = 2;

/// The buffer a [`TcpReassembler`] needs to hold any one message and its
/// prefix.
pub const MAX_FRAME_LEN: usize = LENGTH_PREFIX_LEN + 65535;

/// Write `msg` with its length prefix into `out`; returns the bytes written.
pub fn frame(msg: &[u8], out: &mut [u8]) -> Result<usize> {
    if msg.len() > usize::from(u16::MAX) {
        return Err(Error::length_exceeds(
            Layer::Dns,
            "length",
            0,
            msg.len(),
            usize::from(u16::MAX),
        ));
    }
    let n = LENGTH_PREFIX_LEN + msg.len();
    room(out, n, Layer::Dns)?;
    out[..2].copy_from_slice(&(msg.len() as u16).to_be_bytes());
    out[2..n].copy_from_slice(msg);
    Ok(n)
}

/// Split the first framed message off `stream`: `Some((message, rest))`,
/// or `None` if the stream does not yet hold the whole frame.
///
/// ```
/// use netspec::app::dns::tcp::split_frame;
/// let stream = [0, 3, b'a', b'b', b'c', 0, 9];
/// let (msg, rest) = split_frame(&stream).unwrap();
/// assert_eq!(msg, b"abc");
/// assert!(split_frame(rest).is_none());
/// ```
pub fn split_frame(stream: &[u8]) -> Option<(&[u8], &[u8])> {
    let len = usize::from(u16::from_be_bytes([*stream.first()?, *stream.get(1)?]));
    let msg = stream.get(LENGTH_PREFIX_LEN..LENGTH_PREFIX_LEN + len)?;
    Some((msg, &stream[LENGTH_PREFIX_LEN + len..]))
}

/// Reassembles length-prefixed DNS messages from TCP segments in a buffer
/// the caller provides (no allocation). Give it a buffer of
/// [`MAX_FRAME_LEN`] bytes to accept any message.
///
/// ```
/// use netspec::app::dns::tcp::TcpReassembler;
/// let mut store = [0u8; 64];
/// let mut r = TcpReassembler::new(&mut store);
/// // The 5-byte message "hello" arrives in three segments.
/// for seg in [&[0u8][..], &[5, b'h', b'e'][..], &[b'l', b'l', b'o', 0][..]] {
///     assert_eq!(r.push(seg), seg.len());
/// }
/// assert_eq!(r.message(), Some(&b"hello"[..]));
/// r.advance();
/// assert_eq!(r.message(), None); // one byte of the next prefix is waiting
/// assert_eq!(r.buffered(), 1);
/// ```
pub struct TcpReassembler<'b> {
    buf: &'b mut [u8],
    len: usize,
}

impl<'b> TcpReassembler<'b> {
    /// A reassembler storing stream bytes in `buf`.
    pub fn new(buf: &'b mut [u8]) -> Self {
        TcpReassembler { buf, len: 0 }
    }

    /// Append stream bytes; returns how many were taken (fewer than given
    /// when the buffer is full: take a message out and push the rest).
    pub fn push(&mut self, segment: &[u8]) -> usize {
        let n = segment.len().min(self.buf.len() - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&segment[..n]);
        self.len += n;
        n
    }

    /// Bytes waiting in the buffer.
    pub const fn buffered(&self) -> usize {
        self.len
    }

    /// The first complete message, without its prefix, if there is one.
    pub fn message(&self) -> Option<&[u8]> {
        split_frame(&self.buf[..self.len]).map(|(m, _)| m)
    }

    /// True when the first frame announces more than the buffer can ever
    /// hold: the stream cannot make progress with this buffer.
    pub fn is_stuck(&self) -> bool {
        split_frame(&self.buf[..self.len]).is_none()
            && self.len >= LENGTH_PREFIX_LEN
            && LENGTH_PREFIX_LEN + usize::from(u16::from_be_bytes([self.buf[0], self.buf[1]])) > self.buf.len()
    }

    /// Drop the first complete message (after reading it with
    /// [`TcpReassembler::message`]); does nothing if it is incomplete.
    pub fn advance(&mut self) {
        if let Some((m, _)) = split_frame(&self.buf[..self.len]) {
            let used = LENGTH_PREFIX_LEN + m.len();
            self.buf.copy_within(used..self.len, 0);
            self.len -= used;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_through_byte_by_byte_segments() {
        let mut stream = [0u8; 32];
        let a = frame(b"first", &mut stream).unwrap();
        let b = frame(b"second!", &mut stream[a..]).unwrap();
        let mut store = [0u8; 16];
        let mut r = TcpReassembler::new(&mut store);
        let mut got = 0;
        for byte in &stream[..a + b] {
            assert_eq!(r.push(core::slice::from_ref(byte)), 1);
            if let Some(m) = r.message() {
                assert_eq!(m, if got == 0 { &b"first"[..] } else { &b"second!"[..] });
                got += 1;
                r.advance();
            }
        }
        assert_eq!((got, r.buffered()), (2, 0));
    }

    #[test]
    fn too_long_for_the_buffer_is_stuck() {
        let mut store = [0u8; 8];
        let mut r = TcpReassembler::new(&mut store);
        assert_eq!(r.push(&[0, 200, 1, 2, 3, 4, 5, 6, 7, 8]), 8);
        assert!(r.is_stuck());
        assert!(frame(&[0u8; 4], &mut [0u8; 5]).is_err());
    }
}
