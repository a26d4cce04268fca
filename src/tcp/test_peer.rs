//! The far end of a connection under unit test: segments forged as the
//! peer would send them, and everything the connection sends back. Shared
//! by the unit tests of the `Config` knobs, urgent data and path MTU.

use alloc::vec;
use alloc::vec::Vec;

use super::{Config, Connection, Instant, State};
use crate::transport::tcp::{TcpFlags, TcpHeader, TcpSegment};
use crate::transport::tcp_option::TcpOption;

/// The connection's port and the peer's.
pub(super) const LOCAL: u16 = 1234;
pub(super) const PEER: u16 = 80;
/// Our ISS and the peer's.
pub(super) const ISS: u32 = 1000;
pub(super) const IRS: u32 = 5000;

pub(super) fn at(ms: u64) -> Instant {
    Instant::from_millis(ms)
}

/// No options, no delayed ACK: segments are easy to forge and every reply
/// is sent at once.
pub(super) fn plain_config() -> Config {
    Config {
        timestamps: false,
        sack: false,
        window_scaling: false,
        delayed_ack: None,
        ..Config::default()
    }
}

/// A segment header from the peer: `flags`, plus ACK when `ack` is given,
/// and a window of 65535.
pub(super) fn header(seq: u32, ack: Option<u32>, flags: TcpFlags) -> TcpHeader {
    let mut h = TcpHeader::new(PEER, LOCAL);
    h.seq = seq;
    h.flags = flags;
    if let Some(a) = ack {
        h.ack = a;
        h.flags |= TcpFlags::ACK;
    }
    h.window = 65535;
    h
}

/// The wire bytes of `h` followed by `payload`.
pub(super) fn segment_bytes(h: &TcpHeader, payload: &[u8]) -> Vec<u8> {
    let mut buf = vec![0u8; h.header_len() + payload.len()];
    let n = h.emit(&mut buf).unwrap();
    buf[n..].copy_from_slice(payload);
    buf
}

/// Hand the segment `h` + `payload` to `c` at 10 ms.
pub(super) fn deliver(c: &mut Connection, h: &TcpHeader, payload: &[u8]) {
    c.on_segment(at(10), &TcpSegment::parse(&segment_bytes(h, payload)).unwrap());
}

/// Everything `c` sends at 10 ms, as headers and payload lengths.
pub(super) fn transmitted(c: &mut Connection) -> Vec<(TcpHeader, usize)> {
    let mut payload = [0u8; 1500];
    let mut out = Vec::new();
    while let Some(t) = c.poll_transmit(at(10), &mut payload) {
        out.push((t.header, t.payload_len));
        assert!(out.len() < 200, "runaway output");
    }
    out
}

/// An active open answered by a SYN,ACK carrying `options`: the
/// connection in ESTABLISHED, with its ACK sent.
pub(super) fn open_with(c: Config, options: &[TcpOption<'_>]) -> Connection {
    let mut conn = Connection::new(c, LOCAL);
    conn.connect(at(0), PEER, ISS).unwrap();
    transmitted(&mut conn);
    let mut h = header(IRS, Some(ISS + 1), TcpFlags::SYN);
    for &o in options {
        h.options.push(o).unwrap();
    }
    deliver(&mut conn, &h, &[]);
    assert_eq!(conn.state(), State::Established);
    transmitted(&mut conn);
    conn
}
