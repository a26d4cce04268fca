//! # netspec: the Internet protocol stack as an executable specification
//!
//! netspec describes the TCP/IP stack layer by layer, as code you can run,
//! test against, and read as a reference. Every header has a zero-copy
//! *view* that borrows the wire bytes and a plain *owned header* that parses
//! from the view and emits back into a caller's buffer without allocating.
//!
//! ## The layer model
//!
//! The Internet architecture (RFC 1122 §1.1.3) stacks four layers. Each
//! layer's header wraps the data handed down from the layer above:
//!
//! ```text
//!   application   "hello,world"                                   app::dns
//!   transport     [TCP hdr | "hello,world"]                       transport::{tcp, udp}
//!   internet      [IP hdr | TCP hdr | "hello,world"]              net::{ipv4, ipv6, icmpv4, icmpv6}
//!   link          [Eth hdr | IP hdr | TCP hdr | "hello,world"]    link::{ethernet, vlan, arp}
//! ```
//!
//! * **Link** ([`link`]): Ethernet II frames carry a payload between
//!   neighbours, addressed by MAC; the EtherType names the payload's
//!   protocol. 802.1Q tags split one wire into VLANs; ARP maps IPv4
//!   addresses to MACs.
//! * **Internet** ([`net`]): IPv4 and IPv6 carry datagrams between hosts
//!   across many links. IP is connectionless and unreliable: datagrams may
//!   be lost, duplicated, reordered or fragmented. ICMP reports errors and
//!   answers echo requests; ICMPv6 also carries neighbour discovery.
//! * **Transport** ([`transport`]): ports tell apart the programs behind one
//!   address. UDP adds only ports and a checksum; TCP adds a reliable,
//!   ordered byte stream on top of unreliable IP.
//! * **Application**: DNS, among many others.
//!
//! ## Conventions
//!
//! * Parsers never panic and never allocate: bad input gives an [`Error`]
//!   naming the [`Layer`], the field, the byte offset and what was needed
//!   versus found.
//! * Emitters write into `&mut [u8]`, return the number of bytes written and
//!   fail with [`ErrorKind::BufferTooSmall`] rather than truncate.
//! * Numbered fields (EtherType, IP protocol, ICMP type, option kinds) are
//!   open: unknown values are kept, never rejected.
//!
//! ## Features
//!
//! * `std` (default): implies `alloc`; `std::error::Error` for [`Error`].
//! * `alloc`: owned convenience types that need a heap.
//! * `proptest`: public proptest strategies in `strategy`.
//! * `arbitrary`: `arbitrary::Arbitrary` for owned header types.
//!
//! Without any feature, parsers, serializers and checksums still work
//! (`#![no_std]`).

#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;

pub mod app;
pub mod build;
pub mod checksum;
pub mod edit;
pub mod error;
pub mod link;
mod macros;
pub mod net;
pub mod packet;
#[cfg(feature = "std")]
pub mod packetdrill;
#[allow(dead_code)] // grows with the parsers that use it
mod parse;
#[cfg(feature = "alloc")]
pub mod sim;
#[cfg(feature = "proptest")]
pub mod strategy;
#[cfg(feature = "alloc")]
pub mod tcp;
pub mod transport;

pub use error::{Error, ErrorKind, Layer, Result};
