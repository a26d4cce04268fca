//! Links: what the network does to each datagram, and the seeded random
//! numbers that decide it.

use core::time::Duration;

/// A small deterministic pseudo-random generator (SplitMix64, Steele,
/// Lea and Flood, 2014): one 64-bit state, good statistical quality for
/// simulation, and the same sequence for the same seed on every platform.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator seeded with `seed`.
    pub const fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A uniform value in `0..n` (0 if `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        // Multiply-shift: unbiased enough for simulation, and never loops.
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// `true` with probability `p` (clamped to `0.0..=1.0`).
    pub fn chance(&mut self, p: f64) -> bool {
        if p <= 0.0 {
            return false;
        }
        // 53 random bits as a float in [0, 1).
        let x = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        x < p
    }

    /// A uniform duration in `0..=max`.
    pub fn duration_upto(&mut self, max: Duration) -> Duration {
        let us = u64::try_from(max.as_micros()).unwrap_or(u64::MAX);
        Duration::from_micros(self.below(us.saturating_add(1)))
    }
}

/// The impairments of one direction of a link.
///
/// Each datagram independently may be lost, duplicated, corrupted (one
/// random bit flipped: the IPv4 header checksum or the TCP checksum catches
/// it at the receiver), or reordered (held back by an extra delay of up to
/// `reorder_delay`, so later datagrams overtake it). Every copy is delayed
/// by `delay` plus a uniform jitter up to `jitter`. Datagrams larger than
/// `mtu` are dropped, as a router would without fragmentation (the
/// simulator sets DF).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkConfig {
    /// Probability that a datagram is lost.
    pub loss: f64,
    /// Probability that a datagram is delivered twice.
    pub dup: f64,
    /// Probability that a datagram is held back and overtaken.
    pub reorder: f64,
    /// Probability that one bit of a datagram is flipped.
    pub corrupt: f64,
    /// One-way propagation delay.
    pub delay: Duration,
    /// Extra uniform random delay, `0..=jitter`.
    pub jitter: Duration,
    /// The largest extra delay of a reordered datagram.
    pub reorder_delay: Duration,
    /// Largest IP datagram carried, in bytes.
    pub mtu: usize,
}

impl Default for LinkConfig {
    /// A perfect 10 ms link with a 1500-byte MTU.
    fn default() -> Self {
        LinkConfig {
            loss: 0.0,
            dup: 0.0,
            reorder: 0.0,
            corrupt: 0.0,
            delay: Duration::from_millis(10),
            jitter: Duration::ZERO,
            reorder_delay: Duration::from_millis(20),
            mtu: 1500,
        }
    }
}

/// For cargo-fuzz users (feature `arbitrary`): every link the simulator is
/// meant to model, and nothing else. Probabilities are drawn in `0.0..=1.0`
/// in steps of 1/65535 (never NaN or negative), delays in whole
/// milliseconds up to 65.535 s, and the MTU from 68 bytes, the smallest an
/// IPv4 link may have (RFC 791 §3.2), to 65,535.
#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for LinkConfig {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let mut p = || u16::arbitrary(&mut *u).map(|v| f64::from(v) / f64::from(u16::MAX));
        let (loss, dup, reorder, corrupt) = (p()?, p()?, p()?, p()?);
        let mut ms = || u16::arbitrary(&mut *u).map(|v| Duration::from_millis(u64::from(v)));
        let (delay, jitter, reorder_delay) = (ms()?, ms()?, ms()?);
        Ok(LinkConfig {
            loss,
            dup,
            reorder,
            corrupt,
            delay,
            jitter,
            reorder_delay,
            mtu: u.int_in_range(68..=65_535)?,
        })
    }
}

impl LinkConfig {
    /// A perfect link with `delay` one way.
    pub fn with_delay(delay: Duration) -> Self {
        LinkConfig {
            delay,
            reorder_delay: delay.saturating_mul(2),
            ..LinkConfig::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic_and_bounded() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        for _ in 0..100 {
            let x = a.below(7);
            assert_eq!(x, b.below(7));
            assert!(x < 7);
        }
        assert!(!a.chance(0.0));
        assert!(a.chance(1.0));
        assert_eq!(a.below(0), 0);
        assert!(a.duration_upto(Duration::from_millis(5)) <= Duration::from_millis(5));
    }

    #[cfg(feature = "arbitrary")]
    #[test]
    fn arbitrary_links_are_in_range() {
        use arbitrary::{Arbitrary, Unstructured};
        for seed in 0u8..=255 {
            let bytes: Vec<u8> = (0..32u8).map(|i| i.wrapping_mul(seed).wrapping_add(seed)).collect();
            let l = LinkConfig::arbitrary(&mut Unstructured::new(&bytes)).unwrap();
            for p in [l.loss, l.dup, l.reorder, l.corrupt] {
                assert!((0.0..=1.0).contains(&p), "{l:?}");
            }
            assert!((68..=65_535).contains(&l.mtu), "{l:?}");
            assert!(l.delay.max(l.jitter).max(l.reorder_delay) <= Duration::from_millis(65_535));
        }
        // All-ones input reaches certain loss and the longest delay.
        let l = LinkConfig::arbitrary(&mut Unstructured::new(&[0xff; 32])).unwrap();
        assert_eq!((l.loss, l.delay), (1.0, Duration::from_millis(65_535)));
    }

    #[test]
    fn chance_roughly_matches() {
        let mut r = Rng::new(1);
        let hits = (0..10_000).filter(|_| r.chance(0.3)).count();
        assert!((2_700..3_300).contains(&hits), "{hits}");
    }
}
