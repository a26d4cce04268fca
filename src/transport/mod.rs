//! The transport layer: ports, UDP and TCP.
//!
//! IP delivers datagrams to a host; the transport layer delivers them to a
//! program on it. Both TCP and UDP name the sending and receiving program
//! with 16-bit *ports* (RFC 9293 §3.1, RFC 768), and both protect header
//! and data with the Internet checksum (RFC 1071) over a *pseudo-header*
//! that repeats the IP addresses, protocol and length, so that a segment
//! delivered to the wrong host or protocol is caught:
//!
//! ```text
//!  IPv4 pseudo-header (RFC 9293 §3.1)      IPv6 pseudo-header (RFC 8200 §8.1)
//! +--------+--------+--------+--------+   +-----------------------------------+
//! |           Source Address          |   |     Source Address (16 bytes)     |
//! +--------+--------+--------+--------+   +-----------------------------------+
//! |         Destination Address       |   |  Final Destination (16 bytes)     |
//! +--------+--------+--------+--------+   +-----------------------------------+
//! |  zero  |  PTCL  |     Length      |   |   Upper-Layer Length (32 bits)    |
//! +--------+--------+--------+--------+   +--------------------------+--------+
//!                                         |       zero (24 bits)     |Next Hdr|
//!                                         +--------------------------+--------+
//! ```
//!
//! * [`tcp`], [`tcp_option`]: the TCP header and its options (RFC 9293).
//! * [`udp`]: the UDP header (RFC 768).
//! * [`port`]: port ranges, service names and connection [`FlowKey`]s
//!   (RFC 6335).

pub mod port;
#[rustfmt::skip]
mod services;
pub mod tcp;
pub mod tcp_option;
pub mod udp;

pub use port::{FlowDirection, FlowKey, Port, PortRange};
pub use tcp::{TcpFlags, TcpHeader, TcpSegment};
pub use tcp_option::{SackBlocks, TcpOption, TcpOptionKind, TcpOptions};
pub use udp::{UdpDatagram, UdpHeader};

/// The outcome of checking a TCP or UDP checksum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChecksumStatus {
    /// The checksum is present and right.
    Good,
    /// The checksum is present and wrong.
    Bad,
    /// UDP over IPv4 with a zero checksum field: the sender computed none
    /// (RFC 768), so there is nothing to verify.
    NotPresent,
    /// UDP over IPv6 with a zero checksum field: the checksum is mandatory
    /// over IPv6 and such a datagram must be discarded (RFC 8200 §8.1).
    ZeroInvalid,
    /// The covered bytes are not all there (a truncated capture), so the
    /// checksum cannot be checked.
    Unverified,
}

impl ChecksumStatus {
    /// `Good` for true, `Bad` for false.
    pub const fn from_bool(ok: bool) -> Self {
        if ok { ChecksumStatus::Good } else { ChecksumStatus::Bad }
    }

    /// The word tshark uses in `*.checksum.status`: `good`, `bad`,
    /// `not_present` or `unverified` (`ZeroInvalid` is `bad`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ChecksumStatus::Good => "good",
            ChecksumStatus::Bad | ChecksumStatus::ZeroInvalid => "bad",
            ChecksumStatus::NotPresent => "not_present",
            ChecksumStatus::Unverified => "unverified",
        }
    }
}
