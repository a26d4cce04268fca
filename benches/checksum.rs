//! `checksum/<impl>/<len>`: the RFC 1071 sum over 64 B, 1500 B and 64 KiB
//! (`benches/data/checksum_*.hex`), netspec against the peers' own checksum
//! routines and references, on the same bytes: a plain u64-add loop, memcpy,
//! `sse2+adc` (the best other safe loop found for netspec, see
//! `sse2_adc_hybrid`), and, beside memcpy, `netspec-copy+sum` (netspec's
//! copy and sum for building, fused in one loop since round 3) and
//! `fused-copy+sum` (a plainer fused loop, the reference that led to it). Every implementation returns the folded
//! (uncomplemented) sum in host order, checked equal before timing.

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

/// The exact word sum held by the references' 32 16-bit lanes: per lane
/// the word sum modulo 2^16 (`raw`) and the exact high-byte sum (`hi`),
/// four lanes merged at a time (exact while each `hi` stays below 2^14).
fn lanes_total(raw: &[u16; 32], hi: &[u16; 32]) -> u64 {
    let mut total = 0;
    for i in 0..8 {
        let r = raw[i]
            .wrapping_add(raw[i + 8])
            .wrapping_add(raw[i + 16])
            .wrapping_add(raw[i + 24]);
        let h = hi[i] + hi[i + 8] + hi[i + 16] + hi[i + 24];
        total += u64::from(r.wrapping_sub(h << 8)) + (u64::from(h) << 8);
    }
    total
}

/// A reference, not a peer: the best other safe, baseline-SSE2 loop found
/// for netspec's checksum (docs/performance.md, "Where the time goes").
/// Each 96-byte block puts 64 bytes through netspec's 16-bit vector lanes
/// (`paddw`, `psrlw`, `paddw` per 16 bytes) and 32 bytes through one
/// `add`/`adc` chain on the integer units, to use both kinds of execution
/// port at once. Shorter inputs and the tail go to netspec's routine.
fn sse2_adc_hybrid(data: &[u8]) -> u16 {
    const BLOCK: usize = 96;
    if data.len() < BLOCK {
        return netspec::checksum::ones_complement_sum(data);
    }
    let (body, rest) = data.split_at(data.len() - data.len() % BLOCK);
    let mut total = 0u64;
    let (mut chain, mut carries) = (0u64, 0u64);
    // 64 blocks per group keep each lane's high-byte sum exact (4 lanes
    // merged: 4 * 255 * 64 < 2^16).
    for group in body.chunks(BLOCK * 64) {
        let (mut raw, mut hi) = ([0u16; 32], [0u16; 32]);
        for block in group.chunks_exact(BLOCK) {
            let (vector, scalar) = block.split_at(64);
            for ((r, h), word) in raw.iter_mut().zip(hi.iter_mut()).zip(vector.chunks_exact(2)) {
                // A 2-byte `try_into` keeps this a 16-bit load, which the
                // loop vectorizer needs (byte loads defeat it).
                let w = u16::from_ne_bytes(word.try_into().unwrap_or([0; 2]));
                *r = r.wrapping_add(w);
                *h += w >> 8;
            }
            // One carry chain per block; its last carry is counted apart so
            // that the loop's own arithmetic need not keep the flag.
            let mut carry = false;
            for quad in scalar.chunks_exact(8) {
                let w = u64::from_ne_bytes(quad.try_into().unwrap_or([0; 8]));
                let (s, c1) = chain.overflowing_add(w);
                let (s, c2) = s.overflowing_add(u64::from(carry));
                chain = s;
                carry = c1 | c2;
            }
            carries += u64::from(carry);
        }
        total += lanes_total(&raw, &hi);
    }
    // Fold everything modulo 0xFFFF (2^16 ≡ 1), in host order.
    let mut acc = u128::from(total) + u128::from(chain) + u128::from(carries);
    acc = (acc & 0xffff_ffff_ffff_ffff) + (acc >> 64);
    let mut acc = acc as u64;
    acc = (acc & 0xffff_ffff) + (acc >> 32);
    acc = (acc & 0xffff_ffff) + (acc >> 32);
    while acc > 0xffff {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    let body_sum = u16::from_be(acc as u16);
    netspec::checksum::add(body_sum, netspec::checksum::ones_complement_sum(rest))
}

/// A reference, not a peer: copy and sum fused in one loop, each 64-byte
/// block loaded once, added into 16-bit lanes and stored, with no
/// `memcpy` call (words go through a local array, so LLVM does not turn
/// the copy back into one). It showed that fusing pays (netspec's
/// `copy_and_sum` summed, then copied, before round 3); netspec's own
/// fused loop now also has the cheaper per-group reduction of its sum.
fn fused_copy_and_sum(dst: &mut [u8], src: &[u8]) -> u16 {
    let split = src.len() - src.len() % 64;
    let (src_body, src_rest) = src.split_at(split);
    let (dst_body, dst_rest) = dst.split_at_mut(split);
    let mut total = 0u64;
    for (s_group, d_group) in src_body.chunks(64 * 64).zip(dst_body.chunks_mut(64 * 64)) {
        let (mut raw, mut hi) = ([0u16; 32], [0u16; 32]);
        for (s, d) in s_group.chunks_exact(64).zip(d_group.chunks_exact_mut(64)) {
            let mut words = [0u16; 32];
            for (w, b) in words.iter_mut().zip(s.chunks_exact(2)) {
                *w = u16::from_ne_bytes(b.try_into().unwrap_or([0; 2]));
            }
            for ((r, h), w) in raw.iter_mut().zip(hi.iter_mut()).zip(words) {
                *r = r.wrapping_add(w);
                *h += w >> 8;
            }
            for (o, w) in d.chunks_exact_mut(2).zip(words) {
                o.copy_from_slice(&w.to_ne_bytes());
            }
        }
        total += lanes_total(&raw, &hi);
    }
    let mut acc = total;
    while acc > 0xffff {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    let body_sum = u16::from_be(acc as u16);
    netspec::checksum::add(body_sum, netspec::checksum::copy_and_sum(dst_rest, src_rest))
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
    let impls: [(&str, SumFn); 6] = [
        ("netspec", netspec_sum),
        ("smoltcp", smoltcp_sum),
        ("etherparse", etherparse_sum),
        ("pnet_packet", pnet_sum),
        ("u64-add", u64_add_loop),
        ("sse2+adc", sse2_adc_hybrid),
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
        assert_eq!(fused_copy_and_sum(&mut dst, data), want, "fused copy+sum @ {len}");
        assert_eq!(&dst, data, "fused copy+sum copies @ {len}");
        group.bench_with_input(BenchmarkId::new("fused-copy+sum", len), data, |b, d| {
            b.iter(|| black_box(fused_copy_and_sum(&mut dst, black_box(d))))
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
