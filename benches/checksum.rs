//! `checksum/<impl>/<len>`: the RFC 1071 sum over 64 B, 1500 B and 64 KiB,
//! netspec against the peers and two references (a plain u64-add loop and
//! memcpy) on the same bytes.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
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

fn checksum(c: &mut Criterion) {
    let inputs = [
        (64usize, common::load_hex("checksum_64B.hex")),
        (1500, common::load_hex("checksum_1500B.hex")),
        (65536, common::load_hex("checksum_65536B.hex")),
    ];
    let mut group = c.benchmark_group("checksum");
    for (len, data) in &inputs {
        assert_eq!(data.len(), *len);
        assert_eq!(netspec::checksum::ones_complement_sum(data), u64_add_loop(data));
        group.throughput(Throughput::Bytes(*len as u64));
        group.bench_with_input(BenchmarkId::new("netspec", len), data, |b, d| {
            b.iter(|| netspec::checksum::ones_complement_sum(black_box(d)))
        });
        group.bench_with_input(BenchmarkId::new("u64-add", len), data, |b, d| {
            b.iter(|| u64_add_loop(black_box(d)))
        });
        let mut dst = vec![0u8; *len];
        group.bench_with_input(BenchmarkId::new("memcpy", len), data, |b, d| {
            b.iter(|| {
                dst.copy_from_slice(black_box(d));
                black_box(&dst);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, checksum);
criterion_main!(benches);
