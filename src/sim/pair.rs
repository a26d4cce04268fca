//! Two connections wired back to back, with the test in control of every
//! segment.
//!
//! [`Pair`] is the smallest network: host A's connection talks to host
//! B's, and nothing moves unless the caller moves it. Segments are real
//! bytes (header emitted, checksum filled for the pair's IPv4 addresses,
//! parsed again on delivery), so a test can inspect, drop, reorder or
//! forge them.
//!
//! ```
//! use netspec::sim::Pair;
//! use netspec::tcp::{Config, State};
//!
//! let mut p = Pair::new(Config::default(), Config::default());
//! p.b.listen().unwrap();
//! p.a.connect(p.now(), 80, 100).unwrap();
//! let syn = p.take_from_a();
//! assert_eq!(syn.len(), 1);
//! p.deliver_to_b(&syn[0]);
//! assert_eq!(p.b.state(), State::SynReceived);
//! p.exchange();
//! assert_eq!(p.a.state(), State::Established);
//! ```

use alloc::vec;
use alloc::vec::Vec;
use core::net::Ipv4Addr;
use core::time::Duration;

use crate::tcp::{Config, Connection, Instant};
use crate::transport::tcp::{TcpSegment, fill_checksum_v4};

/// Host A's address.
pub const ADDR_A: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);
/// Host B's address.
pub const ADDR_B: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 2);
/// A's port.
pub const PORT_A: u16 = 40000;
/// B's port.
pub const PORT_B: u16 = 80;

/// Two connections, A on port 40000 and B on port 80, and a clock.
#[derive(Debug, Clone)]
pub struct Pair {
    /// Host A's connection (port 40000).
    pub a: Connection,
    /// Host B's connection (port 80).
    pub b: Connection,
    now: Instant,
    payload: Vec<u8>,
}

impl Pair {
    /// Both connections CLOSED, at time zero.
    pub fn new(a: Config, b: Config) -> Self {
        Pair {
            a: Connection::new(a, PORT_A),
            b: Connection::new(b, PORT_B),
            now: Instant::ZERO,
            payload: vec![0; 65536],
        }
    }

    /// Virtual time now.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// Move the clock forward by `d` and run both connections' timers.
    pub fn advance(&mut self, d: Duration) {
        self.now += d;
        self.a.on_timeout(self.now);
        self.b.on_timeout(self.now);
    }

    /// The earlier of the two connections' timer deadlines.
    pub fn next_timeout(&self) -> Option<Instant> {
        match (self.a.poll_timeout(), self.b.poll_timeout()) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        }
    }

    /// Jump the clock to the next timer deadline and run it; `false` if
    /// no timer runs.
    pub fn fire_next_timer(&mut self) -> bool {
        let Some(t) = self.next_timeout() else { return false };
        self.now = self.now.max(t);
        self.a.on_timeout(self.now);
        self.b.on_timeout(self.now);
        true
    }

    fn take(conn: &mut Connection, now: Instant, payload: &mut [u8], src: Ipv4Addr, dst: Ipv4Addr) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        while let Some(t) = conn.poll_transmit(now, payload) {
            let mut bytes = vec![0u8; t.header.header_len() + t.payload_len];
            // The buffer is exactly the header's length: emit cannot fail.
            let n = t.header.emit(&mut bytes).unwrap_or(0);
            bytes[n..].copy_from_slice(&payload[..t.payload_len]);
            let _ = fill_checksum_v4(&mut bytes, src, dst);
            out.push(bytes);
        }
        out
    }

    /// Every segment A wants to send now, serialized with its checksum.
    pub fn take_from_a(&mut self) -> Vec<Vec<u8>> {
        Self::take(&mut self.a, self.now, &mut self.payload, ADDR_A, ADDR_B)
    }

    /// Every segment B wants to send now, serialized with its checksum.
    pub fn take_from_b(&mut self) -> Vec<Vec<u8>> {
        Self::take(&mut self.b, self.now, &mut self.payload, ADDR_B, ADDR_A)
    }

    /// Parse `segment` and hand it to A; `false` (and nothing delivered)
    /// if it does not parse or its checksum is wrong.
    pub fn deliver_to_a(&mut self, segment: &[u8]) -> bool {
        match TcpSegment::parse(segment) {
            Ok(seg) if seg.verify_checksum_v4(ADDR_B, ADDR_A) => {
                self.a.on_segment(self.now, &seg);
                true
            }
            _ => false,
        }
    }

    /// Parse `segment` and hand it to B (see [`deliver_to_a`](Self::deliver_to_a)).
    pub fn deliver_to_b(&mut self, segment: &[u8]) -> bool {
        match TcpSegment::parse(segment) {
            Ok(seg) if seg.verify_checksum_v4(ADDR_A, ADDR_B) => {
                self.b.on_segment(self.now, &seg);
                true
            }
            _ => false,
        }
    }

    /// Move segments both ways, instantly and losslessly, until neither
    /// side has anything to send (at most 10 000 segments). Returns the
    /// number moved.
    pub fn exchange(&mut self) -> usize {
        let mut moved = 0;
        while moved < 10_000 {
            let from_a = self.take_from_a();
            let from_b = self.take_from_b();
            if from_a.is_empty() && from_b.is_empty() {
                break;
            }
            moved += from_a.len() + from_b.len();
            for s in &from_a {
                self.deliver_to_b(s);
            }
            for s in &from_b {
                self.deliver_to_a(s);
            }
        }
        moved
    }
}
