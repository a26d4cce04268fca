//! Ports, service names and flow keys (RFC 6335, RFC 9293 §3.1, RFC 768).
//!
//! A 16-bit port names a program on a host. IANA splits the port space in
//! three ranges (RFC 6335 §6):
//!
//! ```text
//!  0            1023 1024                       49151 49152        65535
//!  +---------------+----------------------------------+--------------+
//!  | System ports  |  User (registered) ports          | Dynamic      |
//!  | (well-known)  |  assigned by IANA on request      | (ephemeral)  |
//!  +---------------+----------------------------------+--------------+
//! ```
//!
//! Services are registered by *name* as well as number; a name is 1 to 15
//! letters, digits and hyphens (RFC 6335 §5.1). [`Port::service`] and
//! [`service_port`] look names up in a table compiled from Debian's
//! `/etc/services` (see `scripts/gen_services.py`); [`ServicesParser`]
//! reads that file format without allocating.
//!
//! A connection is told apart from every other by its 5-tuple: protocol,
//! source address and port, destination address and port. [`FlowKey`]
//! holds it, and [`FlowKey::canonical`] maps both directions of a
//! conversation to the same key, for demultiplexing segments to the program
//! (or the TCP connection) they belong to.
//!
//! ```
//! use core::net::{IpAddr, Ipv4Addr};
//! use netspec::net::IpProtocol;
//! use netspec::transport::port::{FlowDirection, FlowKey, Port, PortRange, check_service_name, service_port};
//!
//! assert_eq!(Port(443).range(), PortRange::System);
//! assert_eq!(Port(53).service(IpProtocol::UDP), Some("domain"));
//! assert_eq!(service_port("https", IpProtocol::TCP), Some(Port(443)));
//! assert!(check_service_name("x11-0").is_ok() && check_service_name("a--b").is_err());
//!
//! let client = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10));
//! let server = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
//! let request = FlowKey::new(IpProtocol::TCP, client, 50000, server, 443);
//! let (key, dir) = request.canonical();
//! assert_eq!(request.reversed().canonical(), (key, FlowDirection::Forward));
//! assert_eq!(dir, FlowDirection::Reverse);
//! ```

use core::fmt;
use core::net::IpAddr;

use super::services::{ALIASES, BY_NAME, SERVICES};
use super::tcp::TcpSegment;
use super::udp::UdpDatagram;
use crate::net::IpProtocol;

/// A TCP or UDP port number (RFC 9293 §3.1, RFC 768).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Port(pub u16);

/// The three port ranges of RFC 6335 §6.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PortRange {
    /// 0..=1023, "System Ports" (well-known), assigned by IETF process.
    System,
    /// 1024..=49151, "User Ports" (registered), assigned by IANA.
    User,
    /// 49152..=65535, "Dynamic and/or Private Ports", never assigned.
    Dynamic,
}

impl Port {
    /// Last System Port (RFC 6335 §6).
    pub const SYSTEM_MAX: u16 = 1023;
    /// Last User Port (RFC 6335 §6).
    pub const USER_MAX: u16 = 49151;

    /// The RFC 6335 §6 range this port falls in.
    pub const fn range(self) -> PortRange {
        match self.0 {
            0..=Self::SYSTEM_MAX => PortRange::System,
            1024..=Self::USER_MAX => PortRange::User,
            _ => PortRange::Dynamic,
        }
    }

    /// The registered service name on this port for `protocol` (TCP or
    /// UDP), from the compiled-in table. If several names share the port,
    /// the alphabetically first one is returned.
    pub fn service(self, protocol: IpProtocol) -> Option<&'static str> {
        let want = ServiceProtocols::from_ip_protocol(protocol)?;
        let start = SERVICES.partition_point(|s| s.port < self.0);
        SERVICES[start..]
            .iter()
            .take_while(|s| s.port == self.0)
            .find(|s| s.protocols.contains(want))
            .map(|s| s.name)
    }
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl From<u16> for Port {
    fn from(v: u16) -> Self {
        Port(v)
    }
}

bitflags::bitflags! {
    /// The transport protocols a service name is registered for.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct ServiceProtocols: u8 {
        /// Over TCP (RFC 9293).
        const TCP = 1;
        /// Over UDP (RFC 768).
        const UDP = 2;
    }
}

impl ServiceProtocols {
    /// The flag for an IP protocol number, if it is TCP or UDP.
    pub const fn from_ip_protocol(p: IpProtocol) -> Option<Self> {
        match p.0 {
            6 => Some(ServiceProtocols::TCP),
            17 => Some(ServiceProtocols::UDP),
            _ => None,
        }
    }
}

/// One row of the compiled-in service table (RFC 6335 §8.1 registry).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Service {
    /// The port number.
    pub port: u16,
    /// The protocols the name is registered for on that port.
    pub protocols: ServiceProtocols,
    /// The service name.
    pub name: &'static str,
}

/// Every service in the compiled-in table, sorted by port then name.
pub fn services() -> &'static [Service] {
    SERVICES
}

/// The port of the service `name` (or one of its aliases, like `www` for
/// `http`) over `protocol`, from the compiled-in table. Case is ignored, as
/// RFC 6335 §5.1 says for service names (`HTTP` is `http`).
pub fn service_port(name: &str, protocol: IpProtocol) -> Option<Port> {
    use core::cmp::Ordering::Less;
    let want = ServiceProtocols::from_ip_protocol(protocol)?;
    let by = |i: &u16| SERVICES[usize::from(*i)];
    let start = BY_NAME.partition_point(|i| cmp_ignore_case(by(i).name, name) == Less);
    let primary = BY_NAME[start..]
        .iter()
        .map(by)
        .take_while(|s| s.name.eq_ignore_ascii_case(name))
        .find(|s| s.protocols.contains(want));
    if let Some(s) = primary {
        return Some(Port(s.port));
    }
    let start = ALIASES.partition_point(|(a, _)| cmp_ignore_case(a, name) == Less);
    ALIASES[start..]
        .iter()
        .take_while(|(a, _)| a.eq_ignore_ascii_case(name))
        .map(|(_, i)| SERVICES[usize::from(*i)])
        .find(|s| s.protocols.contains(want))
        .map(|s| Port(s.port))
}

/// Order two names as their ASCII-lowercased forms (the order the
/// generated tables are sorted in).
fn cmp_ignore_case(a: &str, b: &str) -> core::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// Why a string is not a valid service name (RFC 6335 §5.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ServiceNameError {
    /// Empty, or longer than 15 characters; holds the length.
    Length(usize),
    /// A character other than a letter, digit or hyphen, at this index.
    Character(usize),
    /// No letter at all (all digits and hyphens).
    NoLetter,
    /// Starts or ends with a hyphen.
    EdgeHyphen,
    /// Two hyphens in a row, at this index.
    ConsecutiveHyphens(usize),
}

impl fmt::Display for ServiceNameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServiceNameError::Length(n) => write!(f, "service name has {n} characters, not 1 to 15"),
            ServiceNameError::Character(i) => write!(f, "service name has a forbidden character at {i}"),
            ServiceNameError::NoLetter => f.write_str("service name has no letter"),
            ServiceNameError::EdgeHyphen => f.write_str("service name starts or ends with a hyphen"),
            ServiceNameError::ConsecutiveHyphens(i) => write!(f, "service name has two hyphens at {i}"),
        }
    }
}

impl core::error::Error for ServiceNameError {}

/// Check the service-name syntax of RFC 6335 §5.1: 1 to 15 characters,
/// only US-ASCII letters, digits and hyphens, at least one letter, no
/// hyphen first or last, no two hyphens in a row.
pub fn check_service_name(name: &str) -> Result<(), ServiceNameError> {
    let b = name.as_bytes();
    if b.is_empty() || b.len() > 15 {
        return Err(ServiceNameError::Length(b.len()));
    }
    if let Some(i) = b.iter().position(|c| !(c.is_ascii_alphanumeric() || *c == b'-')) {
        return Err(ServiceNameError::Character(i));
    }
    if b[0] == b'-' || b[b.len() - 1] == b'-' {
        return Err(ServiceNameError::EdgeHyphen);
    }
    if let Some(i) = b.windows(2).position(|w| w == b"--") {
        return Err(ServiceNameError::ConsecutiveHyphens(i));
    }
    if !b.iter().any(u8::is_ascii_alphabetic) {
        return Err(ServiceNameError::NoLetter);
    }
    Ok(())
}

/// One entry of an `/etc/services` file (services(5)):
/// `name port/protocol [aliases ...] [# comment]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServicesEntry<'a> {
    /// 1-based line number in the input.
    pub line: usize,
    /// The official service name.
    pub name: &'a str,
    /// The port.
    pub port: u16,
    /// The protocol as written (`tcp`, `udp`, `sctp`, `ddp`, ...).
    pub protocol: &'a str,
    aliases: &'a str,
}

impl<'a> ServicesEntry<'a> {
    /// The aliases, in file order.
    pub fn aliases(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.aliases.split_ascii_whitespace()
    }

    /// The protocol as an IP protocol number, if it is `tcp` or `udp`.
    pub fn ip_protocol(&self) -> Option<IpProtocol> {
        match self.protocol {
            "tcp" => Some(IpProtocol::TCP),
            "udp" => Some(IpProtocol::UDP),
            _ => None,
        }
    }
}

/// A malformed `/etc/services` line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServicesLineError {
    /// 1-based line number.
    pub line: usize,
    /// What was wrong.
    pub reason: &'static str,
}

impl fmt::Display for ServicesLineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "services line {}: {}", self.line, self.reason)
    }
}

impl core::error::Error for ServicesLineError {}

/// An allocation-free parser of the `/etc/services` format (services(5)):
/// iterates over the entries of a `&str`, skipping blank lines and `#`
/// comments, yielding an error for a malformed line and carrying on.
#[derive(Clone, Debug)]
pub struct ServicesParser<'a> {
    lines: core::iter::Enumerate<core::str::Lines<'a>>,
}

impl<'a> ServicesParser<'a> {
    /// Parse `text`, the contents of a services file.
    pub fn new(text: &'a str) -> Self {
        ServicesParser {
            lines: text.lines().enumerate(),
        }
    }
}

impl<'a> Iterator for ServicesParser<'a> {
    type Item = Result<ServicesEntry<'a>, ServicesLineError>;

    fn next(&mut self) -> Option<Self::Item> {
        for (i, raw) in self.lines.by_ref() {
            let line = i + 1;
            let text = raw.split('#').next().unwrap_or("").trim();
            if text.is_empty() {
                continue;
            }
            let err = |reason| Some(Err(ServicesLineError { line, reason }));
            let mut words = text.splitn(2, |c: char| c.is_ascii_whitespace());
            let name = words.next().unwrap_or("");
            let rest = words.next().unwrap_or("").trim_start();
            let (pp, aliases) = match rest.find(|c: char| c.is_ascii_whitespace()) {
                Some(at) => (&rest[..at], &rest[at..]),
                None => (rest, ""),
            };
            let Some((port, protocol)) = pp.split_once('/') else {
                return err("expected port/protocol after the name");
            };
            let Ok(port) = port.parse::<u16>() else {
                return err("port is not a number in 0..=65535");
            };
            if protocol.is_empty() {
                return err("empty protocol");
            }
            return Some(Ok(ServicesEntry {
                line,
                name,
                port,
                protocol,
                aliases,
            }));
        }
        None
    }
}

/// Which way a packet travels relative to its flow's canonical key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlowDirection {
    /// From the key's `src` endpoint to its `dst` endpoint.
    Forward,
    /// From `dst` back to `src`.
    Reverse,
}

/// A connection 5-tuple: protocol plus address and port of both ends
/// (RFC 9293 §3.1, "a connection is fully specified by the pair of
/// sockets"). The same type serves UDP flows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FlowKey {
    /// Source address.
    pub src: IpAddr,
    /// Destination address.
    pub dst: IpAddr,
    /// Source port.
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
    /// Transport protocol (TCP, UDP, ...).
    pub protocol: IpProtocol,
}

impl FlowKey {
    /// The key of a packet from `src:src_port` to `dst:dst_port`.
    pub const fn new(protocol: IpProtocol, src: IpAddr, src_port: u16, dst: IpAddr, dst_port: u16) -> Self {
        FlowKey {
            src,
            dst,
            src_port,
            dst_port,
            protocol,
        }
    }

    /// The key of a TCP segment carried from `src` to `dst`.
    pub fn from_tcp(src: IpAddr, dst: IpAddr, seg: &TcpSegment<'_>) -> Self {
        FlowKey::new(IpProtocol::TCP, src, seg.src_port(), dst, seg.dst_port())
    }

    /// The key of a UDP datagram carried from `src` to `dst`.
    pub fn from_udp(src: IpAddr, dst: IpAddr, d: &UdpDatagram<'_>) -> Self {
        FlowKey::new(IpProtocol::UDP, src, d.src_port(), dst, d.dst_port())
    }

    /// The same flow seen from the other end.
    pub const fn reversed(&self) -> Self {
        FlowKey {
            src: self.dst,
            dst: self.src,
            src_port: self.dst_port,
            dst_port: self.src_port,
            protocol: self.protocol,
        }
    }

    /// The canonical key shared by both directions, and this packet's
    /// direction relative to it. The canonical `src` endpoint is the
    /// smaller `(address, port)` pair (IPv4 before IPv6, then numerically),
    /// so `a.canonical().0 == a.reversed().canonical().0` always.
    pub fn canonical(&self) -> (FlowKey, FlowDirection) {
        if (self.src, self.src_port) <= (self.dst, self.dst_port) {
            (*self, FlowDirection::Forward)
        } else {
            (self.reversed(), FlowDirection::Reverse)
        }
    }

    /// True if this key is already canonical.
    pub fn is_canonical(&self) -> bool {
        self.canonical().1 == FlowDirection::Forward
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::net::Ipv4Addr;

    #[test]
    fn ranges() {
        assert_eq!(Port(0).range(), PortRange::System);
        assert_eq!(Port(1023).range(), PortRange::System);
        assert_eq!(Port(1024).range(), PortRange::User);
        assert_eq!(Port(49151).range(), PortRange::User);
        assert_eq!(Port(49152).range(), PortRange::Dynamic);
        assert_eq!(Port(65535).range(), PortRange::Dynamic);
    }

    #[test]
    fn lookups_both_ways() {
        assert_eq!(Port(22).service(IpProtocol::TCP), Some("ssh"));
        assert_eq!(Port(53).service(IpProtocol::UDP), Some("domain"));
        assert_eq!(Port(21).service(IpProtocol::UDP), Some("fsp"));
        assert_eq!(Port(21).service(IpProtocol::TCP), Some("ftp"));
        assert_eq!(Port(22).service(IpProtocol::ICMP), None);
        assert_eq!(Port(1).service(IpProtocol::UDP), None);
        assert_eq!(service_port("http", IpProtocol::TCP), Some(Port(80)));
        assert_eq!(service_port("www", IpProtocol::TCP), Some(Port(80)));
        assert_eq!(service_port("domain", IpProtocol::UDP), Some(Port(53)));
        assert_eq!(service_port("tcpmux", IpProtocol::UDP), None);
        assert_eq!(service_port("no-such-service", IpProtocol::TCP), None);
        // The tables are sorted as the binary searches assume.
        assert!(
            SERVICES
                .windows(2)
                .all(|w| (w[0].port, w[0].name) < (w[1].port, w[1].name))
        );
        let names: Vec<_> = BY_NAME.iter().map(|&i| SERVICES[usize::from(i)]).collect();
        assert!(names.windows(2).all(|w| {
            cmp_ignore_case(w[0].name, w[1].name)
                .then(w[0].port.cmp(&w[1].port))
                .is_lt()
        }));
        assert!(
            ALIASES
                .windows(2)
                .all(|w| cmp_ignore_case(w[0].0, w[1].0).then(w[0].1.cmp(&w[1].1)).is_le())
        );
        // Case is ignored (RFC 6335 §5.1), for names and aliases.
        assert_eq!(service_port("HTTP", IpProtocol::TCP), Some(Port(80)));
        assert_eq!(service_port("WWW", IpProtocol::TCP), Some(Port(80)));
        assert_eq!(
            service_port("Clearcase", IpProtocol::UDP),
            service_port("clearcase", IpProtocol::UDP)
        );
        assert_eq!(BY_NAME.len(), SERVICES.len());
    }

    #[test]
    fn service_name_syntax() {
        assert_eq!(check_service_name("http"), Ok(()));
        assert_eq!(check_service_name("x11-0"), Ok(()));
        assert_eq!(check_service_name("a"), Ok(()));
        assert_eq!(check_service_name("abcdefghijklmno"), Ok(()));
        assert_eq!(check_service_name(""), Err(ServiceNameError::Length(0)));
        assert_eq!(
            check_service_name("abcdefghijklmnop"),
            Err(ServiceNameError::Length(16))
        );
        assert_eq!(check_service_name("a_b"), Err(ServiceNameError::Character(1)));
        assert_eq!(check_service_name("-ab"), Err(ServiceNameError::EdgeHyphen));
        assert_eq!(check_service_name("ab-"), Err(ServiceNameError::EdgeHyphen));
        assert_eq!(check_service_name("a--b"), Err(ServiceNameError::ConsecutiveHyphens(1)));
        assert_eq!(check_service_name("123-4"), Err(ServiceNameError::NoLetter));
        assert_eq!(check_service_name("é"), Err(ServiceNameError::Character(0)));
    }

    #[test]
    fn services_parser() {
        let text = "# comment\n\ntcpmux\t1/tcp\t\t# mux\ndiscard 9/udp sink null\nbad line\nx 70000/tcp\nftp 21/tcp";
        let items: Vec<_> = ServicesParser::new(text).collect();
        assert_eq!(items.len(), 5);
        let e = items[0].unwrap();
        assert_eq!((e.line, e.name, e.port, e.protocol), (3, "tcpmux", 1, "tcp"));
        assert_eq!(e.aliases().count(), 0);
        let e = items[1].unwrap();
        assert_eq!(e.aliases().collect::<Vec<_>>(), ["sink", "null"]);
        assert_eq!(e.ip_protocol(), Some(IpProtocol::UDP));
        assert_eq!(items[2].unwrap_err().line, 5);
        assert_eq!(items[3].unwrap_err().line, 6);
        assert_eq!(items[4].unwrap().name, "ftp");
    }

    #[test]
    fn flow_key_canonical() {
        let a = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));
        let b = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        let k = FlowKey::new(IpProtocol::TCP, a, 40000, b, 80);
        let (c, d) = k.canonical();
        assert_eq!(d, FlowDirection::Reverse);
        assert_eq!(c.src, b);
        assert_eq!(k.reversed().canonical(), (c, FlowDirection::Forward));
        // Same address both ends: ports decide.
        let k = FlowKey::new(IpProtocol::UDP, a, 9, a, 7);
        assert_eq!(k.canonical().1, FlowDirection::Reverse);
        assert!(k.reversed().is_canonical());
        // From parsed headers.
        let seg = [0x9c, 0x40, 0, 80, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 2, 0, 0, 0, 0, 0, 0];
        let seg = TcpSegment::parse(&seg).unwrap();
        let k = FlowKey::from_tcp(a, b, &seg);
        assert_eq!((k.src_port, k.dst_port, k.protocol), (40000, 80, IpProtocol::TCP));
        let d = UdpDatagram::parse(&[0, 53, 0x9c, 0x40, 0, 8, 0, 0]).unwrap();
        let k2 = FlowKey::from_udp(b, a, &d);
        assert_eq!(k2.protocol, IpProtocol::UDP);
        assert_eq!(k2.canonical().0.src_port, 53);
    }
}
