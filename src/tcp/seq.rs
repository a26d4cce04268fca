//! Sequence numbers: 32-bit values compared modulo 2^32.
//!
//! TCP numbers every octet of a connection with a 32-bit sequence number
//! that wraps around (RFC 9293 §3.4). "Less than" is therefore defined only
//! between numbers less than 2^31 apart, as in serial-number arithmetic
//! (RFC 1982 §3.2): `a < b` when `b - a`, computed modulo 2^32, lies in
//! `1..2^31`. All arithmetic here wraps; nothing can overflow or panic.
//!
//! ```
//! use netspec::tcp::SeqNum;
//! let near_top = SeqNum(u32::MAX - 1);
//! let wrapped = near_top + 5u32;
//! assert_eq!(wrapped, SeqNum(3));
//! assert!(near_top < wrapped);
//! assert_eq!(wrapped.since(near_top), 5);
//! ```

use core::cmp::Ordering;
use core::fmt;
use core::ops::{Add, AddAssign, Sub};

/// A TCP sequence number (RFC 9293 §3.4) with modulo-2^32 ordering.
///
/// `PartialOrd` follows RFC 1982: two numbers exactly 2^31 apart are
/// incomparable (`partial_cmp` returns `None`, so both `<` and `>` are
/// false). TCP never lets valid numbers drift that far apart, because
/// windows are at most 2^30 (RFC 7323 §2.3).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SeqNum(pub u32);

impl SeqNum {
    /// The distance `self - earlier` modulo 2^32, as an unsigned count.
    ///
    /// This is the number of octets from `earlier` up to `self` assuming
    /// `earlier <= self` in sequence space; callers check the order first.
    #[inline]
    pub const fn since(self, earlier: SeqNum) -> u32 {
        self.0.wrapping_sub(earlier.0)
    }

    /// The signed distance `self - other` in `-2^31..2^31`.
    #[inline]
    pub const fn diff(self, other: SeqNum) -> i32 {
        self.0.wrapping_sub(other.0) as i32
    }

    /// The later of two sequence numbers (RFC 1982 order).
    #[inline]
    pub fn max(self, other: SeqNum) -> SeqNum {
        if other > self { other } else { self }
    }

    /// The earlier of two sequence numbers (RFC 1982 order).
    #[inline]
    pub fn min(self, other: SeqNum) -> SeqNum {
        if other < self { other } else { self }
    }

    /// Whether `lo <= self < lo + len`: the window test of RFC 9293 §3.4.
    #[inline]
    pub const fn in_window(self, lo: SeqNum, len: u32) -> bool {
        self.since(lo) < len
    }

    /// Whether `lo <= self <= hi` in sequence space (`hi` reachable from
    /// `lo` going forward).
    #[inline]
    pub const fn between(self, lo: SeqNum, hi: SeqNum) -> bool {
        self.since(lo) <= hi.since(lo)
    }
}

impl PartialOrd for SeqNum {
    #[inline]
    fn partial_cmp(&self, other: &SeqNum) -> Option<Ordering> {
        let d = self.0.wrapping_sub(other.0);
        if d == 0 {
            Some(Ordering::Equal)
        } else if d == 0x8000_0000 {
            None
        } else if d < 0x8000_0000 {
            Some(Ordering::Greater)
        } else {
            Some(Ordering::Less)
        }
    }
}

impl Add<u32> for SeqNum {
    type Output = SeqNum;
    #[inline]
    fn add(self, rhs: u32) -> SeqNum {
        SeqNum(self.0.wrapping_add(rhs))
    }
}

impl Add<usize> for SeqNum {
    type Output = SeqNum;
    #[inline]
    fn add(self, rhs: usize) -> SeqNum {
        // Truncation is the modulo-2^32 wrap that sequence space defines.
        SeqNum(self.0.wrapping_add(rhs as u32))
    }
}

impl AddAssign<u32> for SeqNum {
    #[inline]
    fn add_assign(&mut self, rhs: u32) {
        self.0 = self.0.wrapping_add(rhs);
    }
}

impl Sub<u32> for SeqNum {
    type Output = SeqNum;
    #[inline]
    fn sub(self, rhs: u32) -> SeqNum {
        SeqNum(self.0.wrapping_sub(rhs))
    }
}

impl fmt::Debug for SeqNum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for SeqNum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::neg_cmp_op_on_partial_ord)] // the point: both are false
    fn ordering_wraps() {
        assert!(SeqNum(u32::MAX) < SeqNum(0));
        assert!(SeqNum(0) > SeqNum(u32::MAX));
        assert!(SeqNum(5) < SeqNum(6));
        assert_eq!(SeqNum(0).partial_cmp(&SeqNum(0x8000_0000)), None);
        assert!(!(SeqNum(0) < SeqNum(0x8000_0000)));
        assert!(!(SeqNum(0) > SeqNum(0x8000_0000)));
    }

    #[test]
    fn arithmetic_never_panics_near_top() {
        let a = SeqNum(u32::MAX);
        assert_eq!(a + 1u32, SeqNum(0));
        assert_eq!(SeqNum(0) - 1, a);
        assert_eq!(SeqNum(2).since(a), 3);
        assert_eq!(a.diff(SeqNum(2)), -3);
        assert!(SeqNum(1).in_window(a, 3));
        assert!(!SeqNum(2).in_window(a, 3));
        assert!(SeqNum(0).between(a, SeqNum(1)));
        assert!(!SeqNum(2).between(a, SeqNum(1)));
        assert_eq!(a.max(SeqNum(1)), SeqNum(1));
        assert_eq!(a.min(SeqNum(1)), a);
    }
}
