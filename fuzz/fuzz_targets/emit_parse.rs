//! Structured fuzzing with netspec's `arbitrary` feature: libFuzzer's bytes
//! become an owned header (any field values, valid or not) and a payload.
//! Whenever `emit` accepts the header and `parse` accepts the emitted bytes,
//! the parsed header must be the one emitted: emit never writes something
//! the parser reads back differently (no silent normalisation, no field
//! bleeding into another).
//!
//! This target is also the example of `Arbitrary` use for cargo-fuzz users.
#![no_main]

use arbitrary::Arbitrary;
use netspec::app::dns::DnsHeader;
use netspec::link::{ArpHeader, EthernetHeader};
use netspec::net::ndp::NdpHeader;
use netspec::net::{Icmpv4Header, Icmpv6Header, Ipv4Header, Ipv6Header};
use netspec::transport::{TcpHeader, UdpHeader};

// One value per run, built by `arbitrary`: its size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Arbitrary)]
enum Input {
    Ethernet(EthernetHeader, Vec<u8>),
    Arp(ArpHeader, Vec<u8>),
    Ipv4(Ipv4Header, Vec<u8>),
    Ipv6(Ipv6Header, Vec<u8>),
    Icmpv4(Icmpv4Header, Vec<u8>),
    Icmpv6(Icmpv6Header, Vec<u8>),
    Tcp(TcpHeader, Vec<u8>),
    Udp(UdpHeader, Vec<u8>),
    Dns(DnsHeader, Vec<u8>),
    Ndp(NdpHeader),
}

/// Emit `header` then `payload`; if that parses, the header must survive.
macro_rules! check {
    ($ty:ty, $header:expr, $payload:expr) => {{
        let mut buf = vec![0u8; 70_000 + $payload.len()];
        if let Ok(n) = $header.emit(&mut buf) {
            buf[n..n + $payload.len()].copy_from_slice(&$payload);
            if let Ok((parsed, _)) = <$ty>::parse(&buf[..n + $payload.len()]) {
                assert_eq!(parsed, $header, "parse(emit(h)) == h");
            }
        }
    }};
}

libfuzzer_sys::fuzz_target!(|input: Input| {
    match input {
        Input::Ethernet(h, p) => check!(EthernetHeader, h, p),
        Input::Arp(h, p) => check!(ArpHeader, h, p),
        Input::Ipv4(h, p) => check!(Ipv4Header, h, p),
        Input::Ipv6(h, p) => check!(Ipv6Header, h, p),
        Input::Icmpv4(h, p) => check!(Icmpv4Header, h, p),
        Input::Icmpv6(h, p) => check!(Icmpv6Header, h, p),
        Input::Tcp(h, p) => check!(TcpHeader, h, p),
        Input::Udp(h, p) => check!(UdpHeader, h, p),
        Input::Dns(h, p) => check!(DnsHeader, h, p),
        Input::Ndp(h) => {
            let mut buf = vec![0u8; 2048];
            if let Ok(n) = h.emit(&mut buf)
                && let Ok(parsed) = NdpHeader::parse(&buf[..n])
            {
                assert_eq!(parsed, h, "parse(emit(h)) == h");
            }
        }
    }
});
