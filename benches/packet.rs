//! `packet/<case>`: the whole-packet view on the shared bench inputs.
//!
//! * `parse+verify/tcp_syn_74B`: Ethernet + IPv4 + TCP SYN (20 bytes of
//!   options) parsed layer by layer, then the IPv4 header and TCP checksums
//!   verified: the figure the design targets (≤ 45 ns).
//! * `parse/…`: the layered parse alone; `parse+verify/…` on a 1514-byte
//!   TCP data frame and a 1280-byte IPv6 UDP frame.
//! * `build/hello_world`: Ethernet + IPv4 + TCP "hello,world" built into a
//!   stack buffer, every length and checksum filled in.
//! * `edit/nat`: source address, port and TTL rewritten in place with
//!   RFC 1624 updates.

use core::net::{IpAddr, Ipv4Addr};
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use netspec::build::{BuildParams, IpParams, LinkParams, TransportParams};
use netspec::edit::PacketMut;
use netspec::link::MacAddress;
use netspec::packet::Packet;
use netspec::transport::ChecksumStatus;

mod common;

fn packet(c: &mut Criterion) {
    let mut group = c.benchmark_group("packet");
    for name in ["tcp_syn_74B", "tcp_data_1514B", "ipv6_udp_1280B"] {
        let frame = common::load_hex(&format!("{name}.hex"));
        let p = Packet::from_ethernet(&frame);
        assert!(p.error.is_none(), "{name}: {:?}", p.error);
        assert!(p.verify_checksums().no_errors(), "{name}");
        group.bench_function(format!("parse/{name}"), |b| {
            b.iter(|| Packet::from_ethernet(black_box(&frame)).payload.len())
        });
        group.bench_function(format!("parse+verify/{name}"), |b| {
            b.iter(|| {
                let p = Packet::from_ethernet(black_box(&frame));
                p.verify_checksums().transport == ChecksumStatus::Good
            })
        });
    }
    let params = BuildParams {
        link: Some(LinkParams::new(
            MacAddress([2, 0, 0, 0, 0, 1]),
            MacAddress([2, 0, 0, 0, 0, 2]),
        )),
        ip: IpParams::v4(Ipv4Addr::new(192, 0, 2, 1), Ipv4Addr::new(198, 51, 100, 2)),
        transport: TransportParams::tcp(49152, 7, 1, 1),
    };
    group.bench_function("build/hello_world", |b| {
        let mut buf = [0u8; 128];
        b.iter(|| {
            black_box(&params)
                .build(black_box(b"hello,world"), &mut buf)
                .unwrap_or(0)
        })
    });
    let mut buf = [0u8; 128];
    let n = params.build(b"hello,world", &mut buf).unwrap_or(0);
    let mut frame = buf[..n].to_vec();
    group.bench_function("edit/nat", |b| {
        b.iter(|| {
            if let Ok(mut e) = PacketMut::from_ethernet(black_box(&mut frame)) {
                let _ = e.set_src_ip(IpAddr::V4(Ipv4Addr::new(203, 0, 113, 9)));
                let _ = e.set_src_port(61000);
                let _ = e.set_ttl(63);
            }
        })
    });
    group.finish();
}

criterion_group!(benches, packet);
criterion_main!(benches);
