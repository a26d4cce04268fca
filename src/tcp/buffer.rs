//! Bounded buffers: a byte ring and an out-of-order range tracker.
//!
//! Both directions of a connection keep their bytes in a [`RingBuffer`]
//! allocated once, at the configured size, when the connection is made.
//! Nothing a peer sends can make a buffer grow:
//!
//! * The send ring holds bytes the user handed to `send` from SND.UNA
//!   onwards: sent-but-unacknowledged, then not-yet-sent.
//! * The receive ring holds in-order bytes the user has not read, and
//!   *beyond them*, in its free space, out-of-order bytes waiting for the
//!   gap before them to fill (RFC 9293 §3.10.7.4 says such segments may be
//!   held "for later processing"). Since the advertised window never
//!   exceeds the ring's free space, anything inside the window has a place,
//!   and the reassembly store can never hold more than the window.
//!
//! An [`Assembler`] remembers which byte ranges past the in-order data have
//! arrived; it has a fixed number of slots, so a peer sending many tiny
//! disjoint segments is refused rather than given memory.

use alloc::vec;
use alloc::vec::Vec;

/// A fixed-capacity FIFO of bytes with random access to the stored bytes
/// and to the free space after them.
#[derive(Debug, Clone)]
pub struct RingBuffer {
    data: Vec<u8>,
    head: usize,
    len: usize,
}

impl RingBuffer {
    /// A ring of `capacity` bytes, allocated now and never resized.
    pub fn new(capacity: usize) -> Self {
        RingBuffer {
            data: vec![0; capacity],
            head: 0,
            len: 0,
        }
    }

    /// Total size.
    pub fn capacity(&self) -> usize {
        self.data.len()
    }

    /// Bytes stored.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no bytes are stored.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Free space after the stored bytes.
    pub fn free(&self) -> usize {
        self.capacity() - self.len
    }

    /// Physical index of logical offset `off` (which must be `< capacity`).
    fn phys(&self, off: usize) -> usize {
        let cap = self.capacity();
        let i = self.head + off;
        if i >= cap { i - cap } else { i }
    }

    /// Copy `src` into the ring starting `off` bytes after the head,
    /// wrapping; the caller guarantees `off + src.len() <= capacity`.
    fn copy_in(&mut self, off: usize, src: &[u8]) {
        if src.is_empty() {
            return;
        }
        let start = self.phys(off);
        let first = src.len().min(self.capacity() - start);
        self.data[start..start + first].copy_from_slice(&src[..first]);
        let rest = &src[first..];
        self.data[..rest.len()].copy_from_slice(rest);
    }

    /// Append as much of `src` as fits; returns the count appended.
    pub fn enqueue(&mut self, src: &[u8]) -> usize {
        let n = src.len().min(self.free());
        self.copy_in(self.len, &src[..n]);
        self.len += n;
        n
    }

    /// Write `src` into the free space, `off` bytes past the stored data,
    /// without making it readable; clipped to the free space. Returns the
    /// count written.
    pub fn write_unallocated(&mut self, off: usize, src: &[u8]) -> usize {
        let free = self.free();
        if off >= free {
            return 0;
        }
        let n = src.len().min(free - off);
        self.copy_in(self.len + off, &src[..n]);
        n
    }

    /// Make `n` bytes previously written by [`write_unallocated`] at
    /// offset 0 readable (clipped to the free space).
    ///
    /// [`write_unallocated`]: RingBuffer::write_unallocated
    pub fn commit(&mut self, n: usize) {
        self.len += n.min(self.free());
    }

    /// Copy stored bytes from logical offset `off` into `dst`; returns the
    /// count copied (0 if `off >= len`).
    pub fn peek_at(&self, off: usize, dst: &mut [u8]) -> usize {
        if off >= self.len {
            return 0;
        }
        let n = dst.len().min(self.len - off);
        if n == 0 {
            return 0;
        }
        let start = self.phys(off);
        let first = n.min(self.capacity() - start);
        dst[..first].copy_from_slice(&self.data[start..start + first]);
        dst[first..n].copy_from_slice(&self.data[..n - first]);
        n
    }

    /// The stored bytes from the front up to the end of the storage: all
    /// of them unless they wrap around, then the first part.
    #[inline]
    pub fn readable(&self) -> &[u8] {
        let end = self.len.min(self.capacity() - self.head);
        &self.data[self.head..self.head + end]
    }

    /// Drop up to `n` bytes from the front; returns the count dropped.
    pub fn discard(&mut self, n: usize) -> usize {
        let n = n.min(self.len);
        // The head moves even when the ring empties: bytes written past the
        // end by `write_unallocated` must stay where they are.
        if self.capacity() > 0 {
            self.head = self.phys(n);
        }
        self.len -= n;
        n
    }

    /// Move up to `dst.len()` bytes from the front into `dst`.
    pub fn dequeue(&mut self, dst: &mut [u8]) -> usize {
        let n = self.peek_at(0, dst);
        self.discard(n);
        n
    }
}

/// Maximum number of disjoint out-of-order ranges remembered.
pub const ASSEMBLER_SLOTS: usize = 16;

/// Which byte ranges past the in-order data have arrived, as offsets from
/// the first missing byte (RCV.NXT).
///
/// Ranges are kept sorted, disjoint and non-adjacent. The most recently
/// touched range is remembered so SACK's first block can report it
/// (RFC 2018 §4).
#[derive(Debug, Clone, Default)]
pub struct Assembler {
    ranges: [(u32, u32); ASSEMBLER_SLOTS],
    count: usize,
    recent: Option<(u32, u32)>,
}

impl Assembler {
    /// No out-of-order data.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether no range is held.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The ranges held, as `(start, end)` offsets, in order.
    pub fn ranges(&self) -> &[(u32, u32)] {
        &self.ranges[..self.count]
    }

    /// The range that contains the most recently added bytes, if any.
    pub fn recent(&self) -> Option<(u32, u32)> {
        let r = self.recent?;
        self.ranges().iter().copied().find(|&(s, e)| s <= r.0 && r.1 <= e)
    }

    /// Record that `start..end` arrived. When it needs a new slot and none
    /// is free, the highest range is forgotten if it lies above the new
    /// one (its bytes will be retransmitted: RFC 2018 §8 lets a receiver
    /// renege); otherwise `false` is returned and nothing is recorded. So
    /// data at offset 0 is always accepted.
    pub fn add(&mut self, start: u32, end: u32) -> bool {
        if start >= end {
            return true;
        }
        // First range that ends at or after `start` (touching counts).
        let i = self
            .ranges()
            .iter()
            .position(|&(_, e)| e >= start)
            .unwrap_or(self.count);
        // Ranges i..j overlap or touch `start..end`.
        let mut j = i;
        while j < self.count && self.ranges[j].0 <= end {
            j += 1;
        }
        if i == j {
            if self.count == ASSEMBLER_SLOTS {
                if i == self.count {
                    return false;
                }
                self.count -= 1;
            }
            self.ranges.copy_within(i..self.count, i + 1);
            self.ranges[i] = (start, end);
            self.count += 1;
        } else {
            let s = start.min(self.ranges[i].0);
            let e = end.max(self.ranges[j - 1].1);
            self.ranges[i] = (s, e);
            self.ranges.copy_within(j..self.count, i + 1);
            self.count -= j - i - 1;
        }
        self.recent = Some((start, end));
        true
    }

    /// If a range starts at offset 0, remove it and return its length;
    /// then re-base every other range on the new front. Returns 0 otherwise.
    pub fn take_front(&mut self) -> u32 {
        if self.count == 0 || self.ranges[0].0 != 0 {
            return 0;
        }
        let n = self.ranges[0].1;
        self.ranges.copy_within(1..self.count, 0);
        self.count -= 1;
        for r in &mut self.ranges[..self.count] {
            r.0 -= n;
            r.1 -= n;
        }
        self.recent = self
            .recent
            .and_then(|(s, e)| (e > n).then(|| (s.saturating_sub(n), e - n)));
        n
    }

    /// Forget everything.
    pub fn clear(&mut self) {
        self.count = 0;
        self.recent = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_wraps() {
        let mut r = RingBuffer::new(8);
        assert_eq!(r.enqueue(b"abcdef"), 6);
        let mut out = [0u8; 4];
        assert_eq!(r.dequeue(&mut out), 4);
        assert_eq!(&out, b"abcd");
        assert_eq!(r.enqueue(b"ghijklmn"), 6);
        assert_eq!(r.len(), 8);
        let mut all = [0u8; 8];
        assert_eq!(r.peek_at(0, &mut all), 8);
        assert_eq!(&all, b"efghijkl");
        assert_eq!(r.peek_at(6, &mut all), 2);
        assert_eq!(&all[..2], b"kl");
        assert_eq!(r.enqueue(b"x"), 0);
    }

    #[test]
    fn ring_unallocated() {
        let mut r = RingBuffer::new(8);
        r.enqueue(b"ab");
        assert_eq!(r.write_unallocated(2, b"efgh"), 4);
        assert_eq!(r.write_unallocated(0, b"cd"), 2);
        r.commit(6);
        let mut all = [0u8; 8];
        assert_eq!(r.peek_at(0, &mut all), 8);
        assert_eq!(&all, b"abcdefgh");
        assert_eq!(r.write_unallocated(5, b"zz"), 0);
    }

    #[test]
    fn unallocated_survives_draining() {
        let mut r = RingBuffer::new(8);
        r.enqueue(b"abc");
        assert_eq!(r.write_unallocated(2, b"zz"), 2);
        let mut out = [0u8; 3];
        r.dequeue(&mut out);
        r.write_unallocated(0, b"xy");
        r.commit(4);
        let mut all = [0u8; 4];
        r.peek_at(0, &mut all);
        assert_eq!(&all, b"xyzz");
    }

    #[test]
    fn assembler_merges() {
        let mut a = Assembler::new();
        assert!(a.add(10, 20));
        assert!(a.add(30, 40));
        assert!(a.add(20, 30));
        assert_eq!(a.ranges(), &[(10, 40)]);
        assert_eq!(a.take_front(), 0);
        assert!(a.add(0, 5));
        assert!(a.add(3, 12));
        assert_eq!(a.ranges(), &[(0, 40)]);
        assert_eq!(a.take_front(), 40);
        assert!(a.is_empty());
    }

    #[test]
    fn assembler_bounded() {
        let mut a = Assembler::new();
        for i in 0..ASSEMBLER_SLOTS as u32 {
            assert!(a.add(i * 10 + 2, i * 10 + 3));
        }
        // No slot for a range above all others.
        assert!(!a.add(1000, 1001));
        // Merging needs no slot.
        assert!(a.add(3, 4));
        assert_eq!(a.recent(), Some((2, 4)));
        // In-order data evicts the highest range.
        assert!(a.add(0, 1));
        assert_eq!(a.ranges().len(), ASSEMBLER_SLOTS);
        assert_eq!(a.ranges().last(), Some(&(142, 143)));
        assert_eq!(a.take_front(), 1);
        assert_eq!(a.ranges()[0], (1, 3));
    }
}
