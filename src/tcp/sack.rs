//! The sender's SACK scoreboard (RFC 2018, RFC 6675).
//!
//! The receiver reports, in SACK options, blocks of data it holds beyond
//! the cumulative ACK. The sender remembers them so that during loss
//! recovery it resends only the holes between them, and counts only the
//! data really in the network against the congestion window (RFC 6675's
//! "pipe"). Every hole below the highest SACKed byte is taken as lost, the
//! simple rule of "forward acknowledgment".
//!
//! The scoreboard has a fixed number of blocks; SACK information is
//! advisory (the receiver may renege, RFC 2018 §8), so losing a block only
//! costs a needless retransmission.

use super::SeqNum;

/// Blocks remembered.
const SLOTS: usize = 8;

/// SACKed ranges above SND.UNA, sorted and disjoint.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Scoreboard {
    blocks: [(SeqNum, SeqNum); SLOTS],
    n: usize,
}

impl Scoreboard {
    pub(super) fn clear(&mut self) {
        self.n = 0;
    }

    fn blocks(&self) -> &[(SeqNum, SeqNum)] {
        &self.blocks[..self.n]
    }

    /// Forget what SND.UNA has passed.
    pub(super) fn advance(&mut self, una: SeqNum) {
        let mut k = 0;
        for i in 0..self.n {
            let (s, e) = self.blocks[i];
            if e > una {
                self.blocks[k] = (s.max(una), e);
                k += 1;
            }
        }
        self.n = k;
    }

    /// Merge the blocks of one ACK, keeping only sane ones: non-empty and
    /// within `(una, max]`.
    pub(super) fn update(&mut self, una: SeqNum, max: SeqNum, blocks: &[(u32, u32)]) {
        for &(l, r) in blocks {
            let (l, r) = (SeqNum(l), SeqNum(r));
            if l.diff(r) >= 0 || r > max || r <= una || r.since(l) > max.since(una) {
                continue;
            }
            self.insert(l.max(una), r);
        }
    }

    fn insert(&mut self, s: SeqNum, e: SeqNum) {
        let i = self.blocks().iter().position(|&(_, be)| be >= s).unwrap_or(self.n);
        let mut j = i;
        while j < self.n && self.blocks[j].0 <= e {
            j += 1;
        }
        if i == j {
            if self.n == SLOTS {
                if i == self.n {
                    return;
                }
                self.n -= 1;
            }
            self.blocks.copy_within(i..self.n, i + 1);
            self.blocks[i] = (s, e);
            self.n += 1;
        } else {
            let ns = s.min(self.blocks[i].0);
            let ne = e.max(self.blocks[j - 1].1);
            self.blocks[i] = (ns, ne);
            self.blocks.copy_within(j..self.n, i + 1);
            self.n -= j - i - 1;
        }
    }

    /// The end of the SACKed block containing `seq`, if any.
    pub(super) fn covering(&self, seq: SeqNum) -> Option<SeqNum> {
        self.blocks()
            .iter()
            .find(|&&(s, e)| s <= seq && seq < e)
            .map(|&(_, e)| e)
    }

    /// Octets SACKed.
    pub(super) fn sacked(&self) -> u32 {
        self.blocks().iter().map(|&(s, e)| e.since(s)).sum()
    }

    /// The first hole at or after `from` below the highest SACKed octet:
    /// its start and length.
    pub(super) fn next_hole(&self, from: SeqNum) -> Option<(SeqNum, u32)> {
        let mut p = from;
        for &(s, e) in self.blocks() {
            if p < s {
                return Some((p, s.since(p)));
            }
            if p < e {
                p = e;
            }
        }
        None
    }

    /// Octets in holes at or after `from` (deemed lost, not yet resent).
    pub(super) fn holes_from(&self, from: SeqNum) -> u32 {
        let mut p = from;
        let mut total = 0u32;
        for &(s, e) in self.blocks() {
            if p < s {
                total = total.saturating_add(s.since(p));
            }
            if p < e {
                p = e;
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holes_and_pipe() {
        let mut sb = Scoreboard::default();
        let una = SeqNum(u32::MAX - 100);
        let max = una + 10_000u32;
        sb.update(
            una,
            max,
            &[
                ((una + 2000u32).0, (una + 3000u32).0),
                ((una + 5000u32).0, (una + 6000u32).0),
            ],
        );
        // A block beyond SND.MAX or inverted is ignored.
        sb.update(una, max, &[((una + 9000u32).0, (una + 20_000u32).0), (5, 1)]);
        assert_eq!(sb.sacked(), 2000);
        assert_eq!(sb.next_hole(una), Some((una, 2000)));
        assert_eq!(sb.next_hole(una + 2500u32), Some((una + 3000u32, 2000)));
        assert_eq!(sb.next_hole(una + 6000u32), None);
        assert_eq!(sb.holes_from(una), 4000);
        sb.update(una, max, &[((una + 2900u32).0, (una + 5100u32).0)]);
        assert_eq!(sb.sacked(), 4000);
        sb.advance(una + 5500u32);
        assert_eq!(sb.sacked(), 500);
        assert_eq!(sb.next_hole(una + 5500u32), None);
    }
}
