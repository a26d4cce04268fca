//! The internet layer: IPv4, IPv6 and their control protocols.
//!
//! IP moves datagrams from a source host to a destination host across any
//! number of links (RFC 791 §1.2, RFC 8200 §1). It is *connectionless* and
//! *unreliable*: each datagram is routed on its own, and may be lost,
//! duplicated, reordered, or fragmented on the way. Reliability, when
//! needed, is the transport layer's job (TCP).

pub mod icmpv4;
pub mod icmpv6;
pub mod ip_protocol;
pub mod ipv4;
pub mod ipv4_option;
pub mod ipv6;
pub mod ipv6_ext;
pub mod ipv6_opt;
pub mod ipv6_routing;
pub mod mld;
pub mod ndp;
pub mod ndp_option;

pub use icmpv4::{Icmpv4Body, Icmpv4Code, Icmpv4Header, Icmpv4Message, Icmpv4Type};
pub use icmpv6::{Icmpv6Header, Icmpv6Message, Icmpv6Type};
pub use ip_protocol::IpProtocol;
pub use ipv4::{Ipv4Flags, Ipv4Header, Ipv4Packet};
pub use ipv4_option::{Ipv4Option, Ipv4OptionIter, Ipv4OptionKind, Ipv4Options};
pub use ipv6::{Ipv6Header, Ipv6Packet};
