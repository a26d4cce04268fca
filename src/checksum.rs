//! The Internet checksum (RFC 1071), pseudo-header sums and incremental
//! update (RFC 1624).
//!
//! IPv4, ICMP, TCP and UDP all protect their bytes with the same 16-bit
//! one's complement sum. The sender sums the covered bytes as big-endian
//! 16-bit words (an odd trailing byte is padded with a zero), folds carries
//! back in, and stores the complement. The receiver sums the same bytes with
//! the checksum field included; an intact packet sums to `0xFFFF`.
//!
//! Two properties of the one's complement sum make it fast (RFC 1071 §2):
//!
//! * **Byte-order independence**: summing words in host order and swapping
//!   the folded result gives the same answer as summing in network order, so
//!   [`ones_complement_sum`] reads the input as wide native-endian words.
//! * **Deferred carries**: the sum only matters modulo `0xFFFF`, so carries
//!   can be collected in wide accumulators and folded once at the end. The
//!   inner loop of [`ones_complement_sum`] adds 16-bit lanes that the
//!   compiler vectorizes (three SSE2 instructions per 16 bytes), and recovers
//!   the carries from a separate sum of the high bytes; see `Lanes`.
//!
//! TCP and UDP also cover a *pseudo-header* taken from the IP layer
//! (RFC 9293 §3.1, RFC 768, RFC 8200 §8.1): see [`pseudo_header_v4`] and
//! [`pseudo_header_v6`]. A checksum over several pieces (pseudo-header,
//! header, payload) is cheapest as one [`WideSum`], folded once.
//!
//! ```
//! use netspec::checksum;
//! // The example of RFC 1071 §3: the words 0001 f203 f4f5 f6f7.
//! let data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
//! assert_eq!(checksum::ones_complement_sum(&data), 0xddf2);
//! assert_eq!(checksum::internet_checksum(&data), !0xddf2);
//! ```

use core::net::{Ipv4Addr, Ipv6Addr};

mod wide;
pub use wide::WideSum;

/// Inputs shorter than this take the scalar path: the vector path's set-up
/// and final reduction cost more than they save on a few words (IPv4
/// headers, TCP and UDP headers, small datagrams).
const SHORT: usize = 128;

/// Blocks of 64 bytes summed between two reductions of the 16-bit lanes.
///
/// Each 16-bit lane takes one word per block; its high-byte sum must stay
/// exact after four lanes are merged: `4 * 255 * GROUP <= 0xFFFF`.
const GROUP: usize = 64;

/// Sum the native-endian words of a short slice, folded to 32 bits.
///
/// Scalar on purpose: 64-bit words added with end-around carry (an `add`
/// and an `adc` each), then the 4-, 2- and 1-byte rest. For the 20- to
/// 60-byte headers this path mostly sees, that is fewer instructions than
/// a vectorized loop's set-up and reduction (tcp_syn_parse_74B+csum: 471 →
/// 451 instructions per call, 32.7 → 31.0 ns).
#[inline(always)]
fn short_sum(data: &[u8]) -> u32 {
    let mut quads = data.chunks_exact(8);
    let mut acc = 0u64;
    for q in &mut quads {
        let w = u64::from_ne_bytes(q.try_into().unwrap_or([0; 8]));
        let (s, c) = acc.overflowing_add(w);
        acc = s + u64::from(c);
    }
    let mut tail = quads.remainder();
    let mut rest = 0u32;
    if let Some((quad, r)) = tail.split_first_chunk::<4>() {
        let w = u32::from_ne_bytes(*quad);
        rest = (w & 0xffff) + (w >> 16);
        tail = r;
    }
    if let Some((pair, r)) = tail.split_first_chunk::<2>() {
        rest += u32::from(u16::from_ne_bytes(*pair));
        tail = r;
    }
    if let [last] = tail {
        // Zero padding on the right is exactly RFC 1071's odd-byte rule.
        rest += u32::from(u16::from_ne_bytes([*last, 0]));
    }
    let (s, c) = (acc as u32).overflowing_add((acc >> 32) as u32);
    let folded = s + u32::from(c);
    let (s, c) = folded.overflowing_add(rest);
    s + u32::from(c)
}

/// The 32 native-endian 16-bit words of a 64-byte block.
#[inline(always)]
fn block_words(block: &[u8]) -> [u16; 32] {
    let mut words = [0u16; 32];
    for (w, pair) in words.iter_mut().zip(block.chunks_exact(2)) {
        // A 2-byte `try_into` keeps this a 16-bit load, which the loop
        // vectorizer needs to see (byte loads defeat it).
        *w = u16::from_ne_bytes(pair.try_into().unwrap_or([0; 2]));
    }
    words
}

/// The per-lane sums of up to [`GROUP`] 64-byte blocks.
///
/// Each of the 32 16-bit lanes keeps the word sum *modulo 2^16* (`raw`)
/// and the exact sum of the words' high bytes (`hi`): two additions and a
/// shift per word, which LLVM turns into `paddw`, `psrlw`, `paddw` on 8
/// lanes at a time (plain SSE2, no target-cpu flag). The low-byte sum is
/// then exact too, `lo = raw - 256 * hi (mod 2^16)`, because it is below
/// 2^16 by construction, and the lane's word sum is `lo + 256 * hi`.
struct Lanes {
    raw: [u16; 32],
    hi: [u16; 32],
}

impl Lanes {
    #[inline(always)]
    fn new() -> Lanes {
        Lanes {
            raw: [0; 32],
            hi: [0; 32],
        }
    }

    #[inline(always)]
    fn add(&mut self, words: &[u16; 32]) {
        for ((r, h), w) in self.raw.iter_mut().zip(self.hi.iter_mut()).zip(words) {
            *r = r.wrapping_add(*w);
            *h += w >> 8;
        }
    }

    /// The exact sum of every word added: the lanes of a group add up to
    /// less than 2^28, so one 32-bit sum per group suffices. (An earlier
    /// version kept eight 32-bit lanes across groups and merged them with
    /// byte rotations; its reduction cost about 5 ns per call, a seventh
    /// of the time for 1240 bytes.)
    #[inline(always)]
    fn total(self) -> u32 {
        let Lanes { raw, hi } = self;
        let mut sum = 0u32;
        for i in 0..8 {
            // Merging four lanes keeps `h` exact: at most 4 * 255 * GROUP.
            let r = raw[i]
                .wrapping_add(raw[i + 8])
                .wrapping_add(raw[i + 16])
                .wrapping_add(raw[i + 24]);
            let h = hi[i] + hi[i + 8] + hi[i + 16] + hi[i + 24];
            let lo = r.wrapping_sub(h << 8);
            // Exact: below 8 * (2^16 + 2^24).
            sum += u32::from(lo) + (u32::from(h) << 8);
        }
        sum
    }
}

/// Sum a long slice into a wide accumulator congruent to its word sum
/// modulo `0xFFFF`, and zero only if every byte is: 64-byte blocks in
/// [`Lanes`], a group of them at a time, then the short rest.
fn long_sum(data: &[u8]) -> u64 {
    let (body, rest) = data.split_at(data.len() - data.len() % 64);
    let mut total = 0u64;
    for group in body.chunks(64 * GROUP) {
        let mut lanes = Lanes::new();
        for block in group.chunks_exact(64) {
            lanes.add(&block_words(block));
        }
        total += u64::from(lanes.total());
    }
    total + u64::from(short_sum(rest))
}

/// [`long_sum`] of `src`, copying it into `dst` (of the same length) on
/// the way: each 64-byte block is loaded once, added to the lanes and
/// stored. The stores write the words the sum read, which keeps LLVM from
/// turning them back into a `memcpy` call per block.
fn long_copy_sum(dst: &mut [u8], src: &[u8]) -> u64 {
    let split = src.len() - src.len() % 64;
    let (src_body, src_rest) = src.split_at(split);
    let (dst_body, dst_rest) = dst.split_at_mut(split);
    let mut total = 0u64;
    for (src_group, dst_group) in src_body.chunks(64 * GROUP).zip(dst_body.chunks_mut(64 * GROUP)) {
        let mut lanes = Lanes::new();
        for (block, out) in src_group.chunks_exact(64).zip(dst_group.chunks_exact_mut(64)) {
            let words = block_words(block);
            lanes.add(&words);
            for (pair, w) in out.chunks_exact_mut(2).zip(words) {
                pair.copy_from_slice(&w.to_ne_bytes());
            }
        }
        total += u64::from(lanes.total());
    }
    dst_rest.copy_from_slice(src_rest);
    total + u64::from(short_sum(src_rest))
}

/// Fold a wide one's complement accumulator to 16 bits: 64 → 32 → 16
/// bits, each step an addition with end-around carry (`2^32 ≡ 2^16 ≡ 1`
/// modulo `0xFFFF`).
#[inline(always)]
const fn fold(acc: u64) -> u16 {
    let (s32, carry) = (acc as u32).overflowing_add((acc >> 32) as u32);
    let s32 = s32 + carry as u32;
    let (s16, carry) = (s32 as u16).overflowing_add((s32 >> 16) as u16);
    s16 + carry as u16
}

/// The folded 16-bit one's complement sum of `data` as big-endian words,
/// not complemented (RFC 1071 §1). An odd final byte is padded with zero.
#[inline]
pub fn ones_complement_sum(data: &[u8]) -> u16 {
    WideSum::of(data).fold()
}

/// Copy `src` into `dst` and return the folded one's complement sum of
/// `src` (RFC 1071 §1, as [`ones_complement_sum`]).
///
/// [`WideSum::copy_from`], folded: building a segment copies the payload
/// into the frame and sums it for the checksum.
///
/// # Panics
///
/// If `dst` and `src` differ in length, as [`slice::copy_from_slice`] does.
///
/// ```
/// use netspec::checksum;
/// let payload = *b"hello,world";
/// let mut frame = [0u8; 11];
/// let sum = checksum::copy_and_sum(&mut frame, &payload);
/// assert_eq!(frame, payload);
/// assert_eq!(sum, checksum::ones_complement_sum(&payload));
/// ```
#[inline]
pub fn copy_and_sum(dst: &mut [u8], src: &[u8]) -> u16 {
    WideSum::copy_from(dst, src).fold()
}

/// One's complement addition of two 16-bit sums (end-around carry).
#[inline]
pub const fn add(a: u16, b: u16) -> u16 {
    let s = a as u32 + b as u32;
    ((s & 0xffff) + (s >> 16)) as u16
}

/// The Internet checksum of `data`: the complement of its one's complement
/// sum (RFC 1071). Store this in a checksum field that was zero while
/// summing.
#[inline]
pub fn internet_checksum(data: &[u8]) -> u16 {
    !ones_complement_sum(data)
}

/// The checksum of `data` with an `initial` sum folded in (a pseudo-header
/// sum, for TCP and UDP).
#[inline]
pub fn checksum_with(initial: u16, data: &[u8]) -> u16 {
    !add(initial, ones_complement_sum(data))
}

/// True if `data`, checksum field included, sums to `0xFFFF` (RFC 1071 §1:
/// "the result will be all 1 bits if the data is intact").
#[inline]
pub fn verify(data: &[u8]) -> bool {
    ones_complement_sum(data) == 0xffff
}

/// True if `data` plus an `initial` pseudo-header sum sums to `0xFFFF`.
#[inline]
pub fn verify_with(initial: u16, data: &[u8]) -> bool {
    add(initial, ones_complement_sum(data)) == 0xffff
}

/// The sum of the IPv4 pseudo-header (RFC 9293 §3.1, RFC 768):
///
/// ```text
/// +--------+--------+--------+--------+
/// |           Source Address          |
/// +--------+--------+--------+--------+
/// |         Destination Address       |
/// +--------+--------+--------+--------+
/// |  zero  |  PTCL  |    TCP Length   |
/// +--------+--------+--------+--------+
/// ```
///
/// `length` is the transport header plus payload length.
#[inline]
pub fn pseudo_header_v4(src: Ipv4Addr, dst: Ipv4Addr, protocol: u8, length: u16) -> u16 {
    WideSum::pseudo_header_v4(src, dst, protocol, length).fold()
}

/// The sum of the IPv6 pseudo-header (RFC 8200 §8.1): source, destination,
/// 32-bit upper-layer packet length, three zero bytes and the next-header
/// value of the upper-layer protocol.
///
/// With a Routing header, `dst` must be the *final* destination (the last
/// address of the routing header), as RFC 8200 §8.1 requires; the IPv6
/// parser exposes it.
#[inline]
pub fn pseudo_header_v6(src: &Ipv6Addr, dst: &Ipv6Addr, next_header: u8, length: u32) -> u16 {
    WideSum::pseudo_header_v6(src, dst, next_header, length).fold()
}

/// RFC 1624 eqn. 3 incremental update: the new checksum after a 16-bit word
/// of the covered data changed from `old` to `new`, `HC' = ~(~HC + ~m + m')`.
///
/// Unlike eqn. 2 of RFC 1141 this never produces `0x0000` from a non-zero
/// sum where a full recompute would give `0xFFFF` (RFC 1624 §3).
#[inline]
pub const fn update_u16(checksum: u16, old: u16, new: u16) -> u16 {
    !add(add(!checksum, !old), new)
}

/// [`update_u16`] for a 32-bit field (two words).
#[inline]
pub const fn update_u32(checksum: u16, old: u32, new: u32) -> u16 {
    let c = update_u16(checksum, (old >> 16) as u16, (new >> 16) as u16);
    update_u16(c, old as u16, new as u16)
}

/// [`update_u16`] for a field of any even length starting at an even offset
/// of the covered data (an address, say). `old` and `new` must have the same
/// length; an odd final byte is treated as a high byte padded with zero.
#[inline]
pub fn update_bytes(checksum: u16, old: &[u8], new: &[u8]) -> u16 {
    debug_assert_eq!(old.len(), new.len());
    let removed = !ones_complement_sum(old);
    !add(add(!checksum, removed), ones_complement_sum(new))
}

/// A running one's complement sum over several slices, as if they were one
/// contiguous buffer (odd-length slices are handled by the RFC 1071 §2(B)
/// byte-swap rule).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Accumulator {
    sum: u16,
    odd: bool,
}

impl Accumulator {
    /// An empty sum.
    pub const fn new() -> Self {
        Accumulator { sum: 0, odd: false }
    }

    /// Start from a 16-bit sum, such as a pseudo-header sum.
    pub const fn with_initial(sum: u16) -> Self {
        Accumulator { sum, odd: false }
    }

    /// Add the next bytes of the covered data.
    #[inline]
    pub fn add_bytes(&mut self, data: &[u8]) {
        let s = ones_complement_sum(data);
        // After an odd number of bytes, this slice's words straddle the
        // previous byte: its sum lands byte-swapped.
        let s = if self.odd { s.swap_bytes() } else { s };
        self.sum = add(self.sum, s);
        self.odd ^= data.len() % 2 == 1;
    }

    /// Add a 16-bit big-endian word (must start at an even offset).
    #[inline]
    pub fn add_u16(&mut self, word: u16) {
        debug_assert!(!self.odd);
        self.sum = add(self.sum, word);
    }

    /// The folded sum so far.
    pub const fn sum(&self) -> u16 {
        self.sum
    }

    /// The checksum: the complement of the sum.
    pub const fn checksum(&self) -> u16 {
        !self.sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The obvious byte-by-byte RFC 1071 loop, as a reference.
    pub(super) fn reference_sum(data: &[u8]) -> u16 {
        let mut acc: u32 = 0;
        for pair in data.chunks(2) {
            let w = u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
            acc += u32::from(w);
            acc = (acc & 0xffff) + (acc >> 16);
        }
        acc as u16
    }

    #[test]
    fn rfc1071_example() {
        let data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(ones_complement_sum(&data), 0xddf2);
    }

    #[test]
    fn matches_reference_for_every_small_length() {
        let data: [u8; 200] = core::array::from_fn(|i| (i as u8).wrapping_mul(151).wrapping_add(7));
        for len in 0..data.len() {
            for start in 0..3.min(len + 1) {
                assert_eq!(
                    ones_complement_sum(&data[start..len]),
                    reference_sum(&data[start..len]),
                    "{start}..{len}"
                );
            }
        }
    }

    #[test]
    fn all_ones_input() {
        let data = [0xffu8; 4096];
        assert_eq!(ones_complement_sum(&data), reference_sum(&data));
    }

    /// The vector path: block boundaries, group boundaries (4 KiB), odd
    /// tails, and the all-ones input that maximises every lane.
    #[test]
    fn long_inputs_match_reference() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let noise: [u8; 70_000] = core::array::from_fn(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8
        });
        let ones = [0xffu8; 70_000];
        let zeros = [0u8; 9000];
        for len in [
            127, 128, 129, 191, 192, 1500, 4095, 4096, 4097, 4159, 8193, 65536, 65599, 70_000,
        ] {
            for start in 0..2 {
                let end = len.min(noise.len());
                assert_eq!(
                    ones_complement_sum(&noise[start..end]),
                    reference_sum(&noise[start..end]),
                    "{start}..{len}"
                );
                assert_eq!(
                    ones_complement_sum(&ones[start..end]),
                    reference_sum(&ones[start..end]),
                    "ones {len}"
                );
            }
        }
        // Zero is only ever the sum of all-zero data; 0xFFFF otherwise.
        assert_eq!(ones_complement_sum(&zeros), 0);
    }

    #[test]
    fn copy_and_sum_copies_and_sums() {
        let src: [u8; 9001] = core::array::from_fn(|i| (i as u8).wrapping_mul(151).wrapping_add(7));
        for len in [0, 1, 2, 63, 127, 128, 129, 1448, 1500, 4096, 4160, 9001] {
            let mut dst = [0xeeu8; 9001];
            let sum = copy_and_sum(&mut dst[..len], &src[..len]);
            assert_eq!(&dst[..len], &src[..len], "{len}");
            assert!(dst[len..].iter().all(|&b| b == 0xee), "{len}: wrote past the end");
            assert_eq!(sum, reference_sum(&src[..len]), "{len}");
        }
    }

    #[test]
    fn verify_accepts_own_checksum() {
        let mut data = *b"\x45\x00\x00\x1c\x00\x00\x40\x00\x40\x11\x00\x00\xc0\x00\x02\x01\xc6\x33\x64\x02";
        let c = internet_checksum(&data);
        data[10..12].copy_from_slice(&c.to_be_bytes());
        assert!(verify(&data));
        data[3] ^= 1;
        assert!(!verify(&data));
    }

    #[test]
    fn accumulator_matches_contiguous() {
        let data: [u8; 97] = core::array::from_fn(|i| (i as u8).wrapping_mul(37));
        for cut1 in 0..data.len() {
            let cut2 = (cut1 * 7 + 3) % (data.len() - cut1 + 1) + cut1;
            let mut acc = Accumulator::new();
            acc.add_bytes(&data[..cut1]);
            acc.add_bytes(&data[cut1..cut2]);
            acc.add_bytes(&data[cut2..]);
            assert_eq!(acc.sum(), ones_complement_sum(&data), "{cut1} {cut2}");
        }
    }

    #[test]
    fn incremental_update_equals_recompute() {
        let mut data: [u8; 20] = core::array::from_fn(|i| (i as u8) * 13);
        let c = internet_checksum(&data);
        let old = u32::from_be_bytes([data[4], data[5], data[6], data[7]]);
        data[4..8].copy_from_slice(&0xdead_beefu32.to_be_bytes());
        assert_eq!(update_u32(c, old, 0xdead_beef), internet_checksum(&data));
    }

    #[test]
    fn pseudo_header_v4_known_value() {
        // Sum of the words c000 0201 c633 6402 0011 001c by hand.
        let want = fold(0xc000 + 0x0201 + 0xc633 + 0x6402 + 0x0011 + 0x001c);
        let got = pseudo_header_v4(Ipv4Addr::new(192, 0, 2, 1), Ipv4Addr::new(198, 51, 100, 2), 17, 28);
        assert_eq!(got, want);
    }

    /// The block sum equals adding the segments and length words one by one.
    #[test]
    fn pseudo_header_v6_matches_word_by_word() {
        let addrs = [
            Ipv6Addr::UNSPECIFIED,
            Ipv6Addr::LOCALHOST,
            Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1),
            Ipv6Addr::new(0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff),
            Ipv6Addr::new(0xfe80, 0, 0, 0, 0x1234, 0x56ff, 0xfe78, 0x9abc),
        ];
        for src in &addrs {
            for dst in &addrs {
                for nh in [0u8, 6, 17, 58, 255] {
                    for len in [0u32, 1, 8, 1240, 0xffff, 0x1_0000, 0xffff_ffff] {
                        let mut total = 0u64;
                        for seg in src.segments().iter().chain(dst.segments().iter()) {
                            total += u64::from(*seg);
                        }
                        total += u64::from(len >> 16) + u64::from(len & 0xffff) + u64::from(nh);
                        assert_eq!(pseudo_header_v6(src, dst, nh, len), fold(total));
                    }
                }
            }
        }
    }

    #[test]
    fn pseudo_header_v6_length_words() {
        let a = Ipv6Addr::UNSPECIFIED;
        assert_eq!(pseudo_header_v6(&a, &a, 6, 0x0001_0002), 0x0001 + 0x0002 + 6);
    }
}
