//! Helpers shared by the integration tests.

#![allow(dead_code)]

use netspec::sim::{ADDR_A, ADDR_B, PORT_A, PORT_B, Pair};
use netspec::transport::tcp::{TcpFlags, TcpHeader, fill_checksum_v4};
use proptest::test_runner::{Config, FileFailurePersistence};

/// A proptest configuration with `cases` cases whose failures persist in the
/// committed top-level `proptest-regressions/<name>.txt`.
pub fn proptest_config(name: &'static str, cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(leak(format!(
            "proptest-regressions/{name}.txt"
        ))))),
        ..Config::default()
    }
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// Path of a file under `tests/data/`.
pub fn data_path(rel: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}
pub mod pcap;
pub mod truth;

/// A TCP header as B (`sim::PORT_B`) would send it to A: the given sequence
/// number and flags, ACK set with `ack` when there is one, a 65,535-byte
/// window and no options. The TCP tests forge such segments to reach the
/// states and events no well-behaved peer produces.
pub fn header_from_b(seq: u32, ack: Option<u32>, flags: TcpFlags) -> TcpHeader {
    let mut h = TcpHeader::new(PORT_B, PORT_A);
    h.seq = seq;
    h.flags = flags;
    if let Some(a) = ack {
        h.ack = a;
        h.flags |= TcpFlags::ACK;
    }
    h.window = 65535;
    h
}

/// Deliver `h` and `payload` to A as if B had sent them, with a valid
/// checksum, asserting that A accepted the datagram for its connection.
pub fn forge_to_a(p: &mut Pair, h: &TcpHeader, payload: &[u8]) {
    let mut buf = vec![0u8; h.header_len() + payload.len()];
    let n = h.emit(&mut buf).unwrap();
    buf[n..].copy_from_slice(payload);
    fill_checksum_v4(&mut buf, ADDR_B, ADDR_A).unwrap();
    assert!(p.deliver_to_a(&buf));
}
