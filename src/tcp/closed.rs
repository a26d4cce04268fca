//! Answering segments that reach no connection (RFC 9293 §3.10.7.1).
//!
//! "If the state is CLOSED (i.e., TCB does not exist), then all data in
//! the incoming segment is discarded. An incoming segment containing a RST
//! is discarded. An incoming segment not containing a RST causes a RST to
//! be sent in response":
//!
//! ```text
//!   ACK bit off:  <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
//!   ACK bit on:   <SEQ=SEG.ACK><CTL=RST>
//! ```

use super::SeqNum;
use super::conn::RstSpec;
use super::input::Seg;
use crate::transport::tcp::{TcpFlags, TcpHeader, TcpSegment};

/// The RST that answers `seg` when it reaches no TCB, or `None` for a RST.
pub(super) fn reset_reply(seg: &Seg<'_>) -> Option<RstSpec> {
    if seg.has(TcpFlags::RST) {
        None
    } else if seg.has(TcpFlags::ACK) {
        Some(RstSpec {
            seq: seg.ack,
            ack: None,
            to_port: seg.src_port,
        })
    } else {
        Some(RstSpec {
            seq: SeqNum(0),
            ack: Some(seg.seq + seg.len()),
            to_port: seg.src_port,
        })
    }
}

/// The header of a RST segment from `spec`, sent from `src_port`.
pub(super) fn rst_header(spec: RstSpec, src_port: u16) -> TcpHeader {
    let mut h = TcpHeader::new(src_port, spec.to_port);
    h.seq = spec.seq.0;
    h.flags = TcpFlags::RST;
    if let Some(ack) = spec.ack {
        h.ack = ack.0;
        h.flags |= TcpFlags::ACK;
    }
    h
}

/// The RST answering a segment addressed to a port with no connection
/// (RFC 9293 §3.10.7.1), or `None` if the segment is itself a RST.
///
/// The answer goes from the segment's destination port back to its source
/// port; the caller fills in the checksum and the IP addresses, swapped.
/// A host configured to stay silent (FreeBSD's `blackhole`) simply does
/// not send it.
///
/// ```
/// use netspec::tcp::rst_for_closed;
/// use netspec::transport::tcp::{TcpFlags, TcpHeader, TcpSegment};
/// let mut syn = TcpHeader::new(40000, 81);
/// syn.seq = 100;
/// syn.flags = TcpFlags::SYN;
/// let mut buf = [0u8; 20];
/// syn.emit(&mut buf)?;
/// let rst = rst_for_closed(&TcpSegment::parse(&buf)?).unwrap();
/// assert_eq!(rst.flags, TcpFlags::RST | TcpFlags::ACK);
/// assert_eq!((rst.seq, rst.ack), (0, 101));
/// assert_eq!((rst.src_port, rst.dst_port), (81, 40000));
/// # Ok::<(), netspec::Error>(())
/// ```
pub fn rst_for_closed(seg: &TcpSegment<'_>) -> Option<TcpHeader> {
    let s = Seg::new(seg);
    reset_reply(&s).map(|spec| rst_header(spec, seg.dst_port()))
}
