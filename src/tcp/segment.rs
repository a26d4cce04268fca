//! An arriving segment as the state machine reads it: the header fields
//! and the options it uses (RFC 9293 §3.1, RFC 7323, RFC 2018), decoded
//! once per segment.

use super::SeqNum;
use crate::transport::tcp::{TcpFlags, TcpSegment};
use crate::transport::tcp_option::TcpOption;

/// The options of an arriving segment that the state machine uses,
/// decoded in one pass.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct SegOptions {
    pub mss: Option<u16>,
    pub wscale: Option<u8>,
    pub sack_permitted: bool,
    pub ts: Option<(u32, u32)>,
    pub sack: [(u32, u32); 4],
    pub n_sack: usize,
}

impl SegOptions {
    fn parse(seg: &TcpSegment<'_>) -> Self {
        let mut o = SegOptions::default();
        // Nearly every segment of an established connection carries
        // exactly NOP, NOP, Timestamps (RFC 7323 Appendix A), or nothing:
        // read those layouts in place. `TcpSegment::parse` has already
        // validated the area, and the general loop below decodes the same
        // values from them.
        let area = seg.options_bytes();
        if area.is_empty() {
            return o;
        }
        if let [1, 1, 8, 10, v0, v1, v2, v3, e0, e1, e2, e3] = *area {
            o.ts = Some((
                u32::from_be_bytes([v0, v1, v2, v3]),
                u32::from_be_bytes([e0, e1, e2, e3]),
            ));
            return o;
        }
        // The options area is at most 40 bytes, so this loop is bounded.
        for opt in seg.options() {
            match opt {
                TcpOption::Mss(v) if o.mss.is_none() => o.mss = Some(v),
                TcpOption::WindowScale(v) if o.wscale.is_none() => o.wscale = Some(v),
                TcpOption::SackPermitted => o.sack_permitted = true,
                TcpOption::Timestamps { val, ecr } if o.ts.is_none() => o.ts = Some((val, ecr)),
                TcpOption::Sack(b) if o.n_sack == 0 => {
                    let s = b.as_slice();
                    o.n_sack = s.len().min(4);
                    o.sack[..o.n_sack].copy_from_slice(&s[..o.n_sack]);
                }
                TcpOption::Eol => break,
                _ => {}
            }
        }
        o
    }
}

/// An arriving segment, decoded once.
#[derive(Debug, Clone, Copy)]
pub(super) struct Seg<'a> {
    pub src_port: u16,
    pub seq: SeqNum,
    pub ack: SeqNum,
    pub flags: TcpFlags,
    pub window: u16,
    /// SEG.UP, an offset from SEG.SEQ (meaningful with URG).
    pub urgent_ptr: u16,
    pub opts: SegOptions,
    pub payload: &'a [u8],
}

impl<'a> Seg<'a> {
    pub(super) fn new(seg: &TcpSegment<'a>) -> Self {
        Seg {
            src_port: seg.src_port(),
            seq: SeqNum(seg.seq()),
            ack: SeqNum(seg.ack()),
            flags: seg.flags(),
            window: seg.window(),
            urgent_ptr: seg.urgent_ptr(),
            opts: SegOptions::parse(seg),
            payload: seg.payload(),
        }
    }

    pub(super) fn has(&self, f: TcpFlags) -> bool {
        self.flags.contains(f)
    }

    /// SEG.LEN: data plus one for SYN and one for FIN (RFC 9293 §3.4).
    pub(super) fn len(&self) -> u32 {
        // A segment's payload is below 2^16 (the IP length field), so this
        // cannot overflow.
        self.payload.len() as u32 + u32::from(self.has(TcpFlags::SYN)) + u32::from(self.has(TcpFlags::FIN))
    }
}
