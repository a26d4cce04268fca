//! `checksum/<impl>/<len>`: the RFC 1071 sum over 64 B, 1500 B and 64 KiB
//! (`benches/data/checksum_*.hex`), netspec against the peers' own checksum
//! routines and two references, a plain u64-add loop and memcpy, on the same
//! bytes (plus `netspec-copy+sum`, the fused copy and sum, beside memcpy). Every implementation returns the folded (uncomplemented) sum in
//! host order, checked equal before timing.

use criterion::{BenchmarkId, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

mod common;

/// The plain reference: add big-endian 16-bit words into a u64, fold once.
fn u64_add_loop(data: &[u8]) -> u16 {
    let mut acc = 0u64;
    let mut pairs = data.chunks_exact(2);
    for p in &mut pairs {
        acc += u64::from(u16::from_be_bytes([p[0], p[1]]));
    }
    if let [last] = pairs.remainder() {
        acc += u64::from(*last) << 8;
    }
    while acc > 0xffff {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    acc as u16
}

/// A checksum implementation under test: the folded sum of its input.
type SumFn = fn(&[u8]) -> u16;

fn netspec_sum(data: &[u8]) -> u16 {
    netspec::checksum::ones_complement_sum(data)
}

/// smoltcp's `wire::checksum::data` already returns the folded sum.
fn smoltcp_sum(data: &[u8]) -> u16 {
    smoltcp::wire::checksum::data(data)
}

/// etherparse's `Sum16BitWords` gives the complement of a host-order sum
/// (its own callers apply `to_be`).
fn etherparse_sum(data: &[u8]) -> u16 {
    !etherparse::checksum::Sum16BitWords::new()
        .add_slice(data)
        .ones_complement()
        .to_be()
}

/// pnet's `util::checksum` gives the complement; `usize::MAX` skips no word.
fn pnet_sum(data: &[u8]) -> u16 {
    !pnet_packet::util::checksum(data, usize::MAX)
}

fn checksum(c: &mut criterion::Criterion) {
    let inputs = [
        (64usize, common::load_hex("checksum_64B.hex")),
        (1500, common::load_hex("checksum_1500B.hex")),
        (65536, common::load_hex("checksum_65536B.hex")),
    ];
    let impls: [(&str, SumFn); 5] = [
        ("netspec", netspec_sum),
        ("smoltcp", smoltcp_sum),
        ("etherparse", etherparse_sum),
        ("pnet_packet", pnet_sum),
        ("u64-add", u64_add_loop),
    ];
    let mut group = c.benchmark_group("checksum");
    for (len, data) in &inputs {
        assert_eq!(data.len(), *len);
        let want = u64_add_loop(data);
        for (name, f) in impls {
            assert_eq!(f(data), want, "{name} @ {len}");
        }
        group.throughput(Throughput::Bytes(*len as u64));
        for (name, f) in impls {
            group.bench_with_input(BenchmarkId::new(name, len), data, |b, d| b.iter(|| f(black_box(d))));
        }
        let mut dst = vec![0u8; *len];
        group.bench_with_input(BenchmarkId::new("memcpy", len), data, |b, d| {
            b.iter(|| {
                dst.copy_from_slice(black_box(d));
                black_box(&dst);
            })
        });
        // Not a peer: netspec's fused copy + sum, to compare with memcpy.
        group.bench_with_input(BenchmarkId::new("netspec-copy+sum", len), data, |b, d| {
            b.iter(|| black_box(netspec::checksum::copy_and_sum(&mut dst, black_box(d))))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = checksum
}
criterion_main!(benches);
