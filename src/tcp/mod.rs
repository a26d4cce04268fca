//! A sans-IO TCP: the RFC 9293 state machine as a pure function of its
//! inputs.
//!
//! A [`Connection`] is one TCB (RFC 9293 §3.3.1). It owns no socket, reads
//! no clock and draws no random numbers. Everything arrives as an input and
//! everything leaves as an output, in the style of quinn-proto and
//! netstack3:
//!
//! ```text
//!   user calls ──► listen / connect / send / recv / close / abort
//!   wire in    ──► on_segment(now, &TcpSegment)        (parsed by transport::tcp)
//!   clock      ──► on_timeout(now)   ◄── poll_timeout() says when
//!   wire out   ◄── poll_transmit(now, payload_buf) -> Transmit { TcpHeader, payload_len }
//!   events     ◄── poll_event(): Connected, Readable, StateChanged { from, to, cause }, ...
//! ```
//!
//! Copies per byte can be cut to what a real stack needs (see
//! `benches/tcp_transfer.rs`): [`Connection::poll_transmit_segment`]
//! writes header and payload straight from the send buffer into the
//! caller's frame; [`Connection::on_segment_direct`] hands in-order text
//! straight from the segment to a reader waiting in RECEIVE; and
//! [`Connection::readable`] with [`Connection::consume`] reads buffered
//! bytes in place.
//!
//! The same inputs always give the same outputs, so a whole network of
//! connections can be simulated deterministically (see [`crate::sim`]).
//!
//! ## What is implemented
//!
//! * All 11 states and the transitions of RFC 9293 Figure 5, written as an
//!   explicit table in [`diagram`]; segment arrival follows §3.10.7 in the
//!   RFC's order of checks (sequence number, RST, SYN, ACK, URG, text, FIN),
//!   with the four-case acceptability test of §3.10.7.4.
//! * RFC 5961 defences (exact-RST, challenge ACKs for in-window RST and
//!   SYN, the ACK acceptability window, a rate limit).
//! * Options negotiated in the SYN exchange: MSS (§3.7.1), Window Scale and
//!   Timestamps (RFC 7323, with RTTM and PAWS), SACK-Permitted and SACK
//!   blocks for out-of-order data (RFC 2018).
//! * Retransmission per RFC 6298 (SRTT/RTTVAR, Karn, backoff) with the
//!   R1/R2 limits of §3.8.3, the user timeout, zero-window probing,
//!   sender and receiver silly-window avoidance (§3.8.6.2), Nagle
//!   (§3.7.4), delayed ACKs (§3.8.6.3) and RFC 5681 congestion control
//!   with NewReno fast recovery (RFC 6582).
//! * TIME-WAIT for 2·MSL; simultaneous open and close.
//! * Urgent data (§3.8.5, MUST-30 to MUST-32): [`Connection::send_urgent`]
//!   sets SND.UP and every segment below it carries URG and the pointer;
//!   an arriving pointer moves RCV.UP (§3.10.7.4 sixth check), raises
//!   [`Event::Urgent`] and shows in [`Connection::urgent_pending`].
//! * Path MTU discovery's TCP side (§3.7.2, RFC 1191 §6, RFC 8201 §5):
//!   [`Connection::on_packet_too_big`] lowers the send MSS for a
//!   validated ICMP report and resends the flight at the new size.
//!
//! Not implemented: IP security/compartment checks (§3.10.7.4 third
//! check: netspec has no IP options context), ECN, raising the MSS again
//! after a PMTU decrease (PMTU probing, RFC 4821).
//!
//! ## Example: a handshake between two connections
//!
//! ```
//! use netspec::tcp::{Config, Connection, Instant, State};
//! use netspec::transport::tcp::TcpSegment;
//!
//! let now = Instant::ZERO;
//! let mut client = Connection::new(Config::default(), 40000);
//! let mut server = Connection::new(Config::default(), 80);
//! server.listen()?;
//! server.accept_isn(5000);
//! client.connect(now, 80, 1000)?;
//!
//! // Serialize every segment `from` wants to send and hand it to `to`.
//! fn pump(now: Instant, from: &mut Connection, to: &mut Connection) -> netspec::Result<()> {
//!     let (mut payload, mut wire) = ([0u8; 1500], [0u8; 1600]);
//!     while let Some(t) = from.poll_transmit(now, &mut payload) {
//!         let n = t.header.emit(&mut wire)?;
//!         wire[n..n + t.payload_len].copy_from_slice(&payload[..t.payload_len]);
//!         to.on_segment(now, &TcpSegment::parse(&wire[..n + t.payload_len])?);
//!     }
//!     Ok(())
//! }
//! pump(now, &mut client, &mut server)?; // SYN
//! pump(now, &mut server, &mut client)?; // SYN,ACK
//! pump(now, &mut client, &mut server)?; // ACK
//! assert_eq!(client.state(), State::Established);
//! assert_eq!(server.state(), State::Established);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod buffer;
mod closed;
mod config;
mod congestion;
mod conn;
pub mod diagram;
mod input;
mod isn;
#[cfg(all(test, feature = "alloc"))]
mod knob_tests;
mod output;
mod pmtu;
mod rtt;
mod sack;
mod segment;
mod seq;
#[cfg(all(test, feature = "alloc"))]
mod test_peer;
mod time;
mod timer;
mod urgent;

pub use buffer::{ASSEMBLER_SLOTS, Assembler, RingBuffer};
pub use closed::rst_for_closed;
pub use config::{Config, SynOptionLayout};
pub use conn::{Connection, Stats};
pub use diagram::Cause;
pub use isn::{IsnGenerator, siphash24};
pub use output::MAX_TCP_HEADER;
pub use rtt::RttEstimator;
pub use seq::SeqNum;
pub use time::Instant;

use crate::transport::tcp::TcpHeader;

/// The connection states of RFC 9293 §3.3.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum State {
    /// No connection (the fictional state with no TCB).
    Closed,
    /// Waiting for a connection request from any remote TCP.
    Listen,
    /// A SYN was sent; waiting for a matching SYN.
    SynSent,
    /// A SYN was received and one sent; waiting for its acknowledgment.
    SynReceived,
    /// The open connection: data flows both ways.
    Established,
    /// We closed; waiting for the ACK of our FIN or the peer's FIN.
    FinWait1,
    /// Our FIN is acknowledged; waiting for the peer's FIN.
    FinWait2,
    /// The peer closed; waiting for our user's CLOSE.
    CloseWait,
    /// Both closed at once; waiting for the ACK of our FIN.
    Closing,
    /// The peer closed first and so did we; waiting for the ACK of our FIN.
    LastAck,
    /// Waiting 2·MSL so the peer surely got the ACK of its FIN.
    TimeWait,
}

impl State {
    /// The RFC's name for the state, e.g. `"SYN-RECEIVED"`.
    pub const fn name(self) -> &'static str {
        match self {
            State::Closed => "CLOSED",
            State::Listen => "LISTEN",
            State::SynSent => "SYN-SENT",
            State::SynReceived => "SYN-RECEIVED",
            State::Established => "ESTABLISHED",
            State::FinWait1 => "FIN-WAIT-1",
            State::FinWait2 => "FIN-WAIT-2",
            State::CloseWait => "CLOSE-WAIT",
            State::Closing => "CLOSING",
            State::LastAck => "LAST-ACK",
            State::TimeWait => "TIME-WAIT",
        }
    }

    /// Whether the state is synchronized (RFC 9293 §3.5: ESTABLISHED and
    /// every state after it).
    pub const fn is_synchronized(self) -> bool {
        !matches!(
            self,
            State::Closed | State::Listen | State::SynSent | State::SynReceived
        )
    }

    /// All eleven states.
    pub const ALL: [State; 11] = [
        State::Closed,
        State::Listen,
        State::SynSent,
        State::SynReceived,
        State::Established,
        State::FinWait1,
        State::FinWait2,
        State::CloseWait,
        State::Closing,
        State::LastAck,
        State::TimeWait,
    ];
}

impl core::fmt::Display for State {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// Something that happened that the user may want to act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The connection reached ESTABLISHED.
    Connected,
    /// Data (or the end of the stream) can be read with `recv`.
    Readable,
    /// Send buffer space was freed.
    Writable,
    /// The peer's FIN arrived: it sends no more (`recv` returns 0 at EOF).
    PeerClosed,
    /// The peer reset the connection.
    Reset,
    /// The peer's urgent pointer arrived ahead of the data read so far,
    /// with no urgent data pending before, or advanced (RFC 9293 §3.8.5,
    /// MUST-31): [`Connection::urgent_pending`] says how much remains.
    Urgent,
    /// R1 retransmissions of one segment happened (RFC 9293 §3.8.3,
    /// MUST-20/21: the user is told, the connection goes on).
    RetransmitThreshold,
    /// The connection reached CLOSED; [`Connection::error`] says why if it
    /// was not a normal close.
    Closed,
    /// A state transition, with its cause (an edge of [`diagram::EDGES`]).
    StateChanged {
        /// The state left.
        from: State,
        /// The state entered.
        to: State,
        /// Why.
        cause: Cause,
    },
}

/// Why a connection failed (RFC 9293 §3.9's error messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConnectionError {
    /// "connection refused": a RST answered our SYN.
    Refused,
    /// "connection reset": a RST arrived on an open connection.
    Reset,
    /// Retransmissions, the connect timeout or the user timeout ran out.
    TimedOut,
    /// The user aborted.
    Aborted,
}

impl core::fmt::Display for ConnectionError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            ConnectionError::Refused => "connection refused",
            ConnectionError::Reset => "connection reset",
            ConnectionError::TimedOut => "connection timed out",
            ConnectionError::Aborted => "connection aborted",
        })
    }
}

/// Why a user call was refused (RFC 9293 §3.10 error responses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserError {
    /// "connection already exists": OPEN on a connection not CLOSED.
    AlreadyOpen,
    /// "connection does not exist" / not yet open for this call.
    NotConnected,
    /// "connection closing": SEND after CLOSE.
    Closing,
    /// The call would block: no buffer space (send) or no data yet (recv).
    WouldBlock,
    /// The connection failed earlier.
    Failed(ConnectionError),
}

impl core::fmt::Display for UserError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            UserError::AlreadyOpen => f.write_str("connection already exists"),
            UserError::NotConnected => f.write_str("connection does not exist"),
            UserError::Closing => f.write_str("connection closing"),
            UserError::WouldBlock => f.write_str("operation would block"),
            UserError::Failed(e) => e.fmt(f),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for UserError {}
#[cfg(feature = "std")]
impl std::error::Error for ConnectionError {}

/// One segment to send: the header (checksum left zero, for the IP layer
/// to fill with `transport::tcp::fill_checksum_v4/v6`) and the number of
/// payload bytes copied into the caller's buffer: at its start for
/// [`Connection::poll_transmit`], after the emitted header for
/// [`Connection::poll_transmit_segment`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transmit {
    /// The header, ports and options filled in.
    pub header: TcpHeader,
    /// Payload bytes written to the caller's buffer.
    pub payload_len: usize,
}
