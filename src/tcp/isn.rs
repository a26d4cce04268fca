//! Initial sequence numbers (RFC 6528).
//!
//! An ISN must be hard to guess from outside, or an off-path attacker can
//! inject segments into a connection. RFC 6528 §3 generates it as
//!
//! ```text
//!   ISN = M + F(localip, localport, remoteip, remoteport, secretkey)
//! ```
//!
//! where `M` is a timer ticking every 4 microseconds (so successive
//! incarnations of the same 4-tuple get increasing ISNs, as RFC 9293 §3.4.1
//! wants) and `F` is a keyed pseudo-random function. netspec uses
//! SipHash-2-4 (Aumasson and Bernstein, 2012) as `F`; it is written out
//! below so that no dependency is needed.
//!
//! The state machine never calls this itself: it takes the ISN as an
//! argument, which keeps it deterministic. Callers pick a value for tests
//! or use an [`IsnGenerator`].
//!
//! ```
//! use core::net::{IpAddr, Ipv4Addr};
//! use netspec::tcp::{Instant, IsnGenerator};
//! let generator = IsnGenerator::new([7; 16]);
//! let a = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
//! let b = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2));
//! let t = Instant::from_micros(1_000_000);
//! let isn1 = generator.isn(t, a, 1234, b, 80);
//! let isn2 = generator.isn(Instant::from_micros(1_000_004), a, 1234, b, 80);
//! assert_eq!(isn2.wrapping_sub(isn1), 1); // M advanced one 4 µs tick
//! ```

use core::net::IpAddr;

use super::Instant;

/// SipHash-2-4 of `msg` under `key` (the reference algorithm).
pub fn siphash24(key: &[u8; 16], msg: &[u8]) -> u64 {
    let k0 = u64::from_le_bytes([key[0], key[1], key[2], key[3], key[4], key[5], key[6], key[7]]);
    let k1 = u64::from_le_bytes([key[8], key[9], key[10], key[11], key[12], key[13], key[14], key[15]]);
    let mut v = [
        k0 ^ 0x736f_6d65_7073_6575,
        k1 ^ 0x646f_7261_6e64_6f6d,
        k0 ^ 0x6c79_6765_6e65_7261,
        k1 ^ 0x7465_6462_7974_6573,
    ];
    fn round(v: &mut [u64; 4]) {
        v[0] = v[0].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(13) ^ v[0];
        v[0] = v[0].rotate_left(32);
        v[2] = v[2].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(16) ^ v[2];
        v[0] = v[0].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(21) ^ v[0];
        v[2] = v[2].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(17) ^ v[2];
        v[2] = v[2].rotate_left(32);
    }
    let mut chunks = msg.chunks_exact(8);
    for c in &mut chunks {
        let m = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        v[3] ^= m;
        round(&mut v);
        round(&mut v);
        v[0] ^= m;
    }
    let rest = chunks.remainder();
    let mut last = [0u8; 8];
    last[..rest.len()].copy_from_slice(rest);
    // The final word carries the message length (mod 256) in its top byte.
    last[7] = msg.len() as u8;
    let m = u64::from_le_bytes(last);
    v[3] ^= m;
    round(&mut v);
    round(&mut v);
    v[0] ^= m;
    v[2] ^= 0xff;
    for _ in 0..4 {
        round(&mut v);
    }
    v[0] ^ v[1] ^ v[2] ^ v[3]
}

/// The RFC 6528 §3 ISN generator: a secret key and the 4 µs clock `M`.
#[derive(Clone)]
pub struct IsnGenerator {
    secret: [u8; 16],
}

impl core::fmt::Debug for IsnGenerator {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never print the key.
        f.write_str("IsnGenerator { .. }")
    }
}

impl IsnGenerator {
    /// A generator keyed with `secret`, which should be random and kept
    /// private (RFC 6528 §3: "a secret key ... should be changed rarely").
    pub const fn new(secret: [u8; 16]) -> Self {
        IsnGenerator { secret }
    }

    /// `F(localip, localport, remoteip, remoteport, secretkey)` of
    /// RFC 6528 §3: SipHash-2-4 of the 4-tuple, truncated to 32 bits.
    pub fn offset(&self, local: IpAddr, local_port: u16, remote: IpAddr, remote_port: u16) -> u32 {
        let mut msg = [0u8; 36];
        let mut n = 0;
        for (addr, port) in [(local, local_port), (remote, remote_port)] {
            match addr {
                IpAddr::V4(a) => {
                    msg[n..n + 4].copy_from_slice(&a.octets());
                    n += 4;
                }
                IpAddr::V6(a) => {
                    msg[n..n + 16].copy_from_slice(&a.octets());
                    n += 16;
                }
            }
            msg[n..n + 2].copy_from_slice(&port.to_be_bytes());
            n += 2;
        }
        siphash24(&self.secret, &msg[..n]) as u32
    }

    /// The ISN at time `now`: `M + F(...)`, with `M` the number of 4 µs
    /// ticks since the epoch, modulo 2^32 (RFC 6528 §3).
    pub fn isn(&self, now: Instant, local: IpAddr, local_port: u16, remote: IpAddr, remote_port: u16) -> u32 {
        let m = (now.as_micros() / 4) as u32;
        m.wrapping_add(self.offset(local, local_port, remote, remote_port))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siphash_reference_vectors() {
        // From the SipHash paper, Appendix A: key 00..0f, message 00..0e.
        let key: [u8; 16] = core::array::from_fn(|i| i as u8);
        let msg: [u8; 15] = core::array::from_fn(|i| i as u8);
        assert_eq!(siphash24(&key, &msg), 0xa129_ca61_49be_45e5);
        // Empty message: the first entry of the reference vectors.
        assert_eq!(siphash24(&key, &[]), 0x726f_db47_dd0e_0e31);
    }

    #[test]
    fn tuple_changes_isn() {
        use core::net::Ipv4Addr;
        let g = IsnGenerator::new([1; 16]);
        let a = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        let b = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));
        assert_ne!(g.offset(a, 1, b, 2), g.offset(a, 1, b, 3));
        assert_ne!(g.offset(a, 1, b, 2), IsnGenerator::new([2; 16]).offset(a, 1, b, 2));
    }
}
