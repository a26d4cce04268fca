//! The transport layer: ports, UDP and TCP.
//!
//! IP delivers datagrams to a host; the transport layer delivers them to a
//! program on it. Both TCP and UDP name the sending and receiving program
//! with 16-bit *ports* (RFC 9293 §3.1, RFC 768), and both protect header
//! and data with the Internet checksum over a *pseudo-header* that repeats
//! the IP addresses, so a segment delivered to the wrong host is caught.
//!
//! * [`tcp`], [`tcp_option`]: the TCP header and its options (RFC 9293).

pub mod tcp;
pub mod tcp_option;
