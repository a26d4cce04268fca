//! IEEE 802.1Q VLAN tags and IEEE 802.1ad stacking ("Q-in-Q").
//!
//! A VLAN tag splits one physical LAN into many virtual ones. It sits
//! between the source MAC and the Type/Length field of an Ethernet frame
//! (IEEE 802.1Q-2018 §9.3): a Tag Protocol Identifier (TPID) that looks like
//! an EtherType, then the Tag Control Information (TCI, §9.6):
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  TPID (0x8100, 0x88a8, 0x9100)| PCP |D|         VID           |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//!
//!   PCP  Priority Code Point, 3 bits (IEEE 802.1Q-2018 §6.9.3)
//!   D    Drop Eligible Indicator (DEI), 1 bit
//!   VID  VLAN Identifier, 12 bits; 0 = priority tag only, 0xFFF reserved
//! ```
//!
//! A provider can wrap a customer's tagged frame in its own *service* tag
//! (802.1ad S-tag, TPID `0x88a8`, or the pre-standard `0x9100`), giving a
//! stack of tags read outermost first. netspec walks at most
//! [`MAX_VLAN_DEPTH`] tags; a deeper stack is
//! [`ErrorKind::LimitExceeded`](crate::ErrorKind::LimitExceeded), which keeps
//! the view allocation-free (the tags live in a fixed array, [`VlanStack`]).

use super::EtherType;
use crate::error::{Error, Layer, Result};
use core::fmt;

/// The deepest tag stack netspec parses or emits. Triple tagging is seen in
/// the wild (the `vlan-qinqinq` capture); four leaves one spare (IEEE 802.1Q-2018 §9.3).
pub const MAX_VLAN_DEPTH: usize = 4;

/// Bytes in one tag: TPID plus TCI (IEEE 802.1Q-2018 §9.3).
pub const TAG_LEN: usize = 4;

/// One 802.1Q / 802.1ad tag (IEEE 802.1Q-2018 §9.5, §9.6).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct VlanTag {
    /// Tag Protocol Identifier: [`EtherType::VLAN`] for a C-tag,
    /// [`EtherType::QINQ`] (or [`EtherType::QINQ_LEGACY`]) for an S-tag (IEEE 802.1Q-2018 §9.3).
    pub tpid: EtherType,
    /// Priority Code Point, 0..=7 (§6.9.3).
    pub pcp: u8,
    /// Drop Eligible Indicator (§6.9.3).
    pub dei: bool,
    /// VLAN Identifier, 0..=4095 (§9.6).
    pub vid: u16,
}

impl Default for VlanTag {
    fn default() -> Self {
        VlanTag {
            tpid: EtherType::VLAN,
            pcp: 0,
            dei: false,
            vid: 0,
        }
    }
}

impl VlanTag {
    /// A C-tag (TPID `0x8100`) with priority 0 and the given VLAN (IEEE 802.1Q-2018 §9.3).
    pub const fn c_tag(vid: u16) -> VlanTag {
        VlanTag {
            tpid: EtherType::VLAN,
            pcp: 0,
            dei: false,
            vid,
        }
    }

    /// An S-tag (TPID `0x88a8`, IEEE 802.1ad) with priority 0.
    pub const fn s_tag(vid: u16) -> VlanTag {
        VlanTag {
            tpid: EtherType::QINQ,
            pcp: 0,
            dei: false,
            vid,
        }
    }

    /// The 16-bit TCI: `pcp << 13 | dei << 12 | vid` (§9.6).
    pub const fn tci(&self) -> u16 {
        ((self.pcp as u16 & 0x7) << 13) | ((self.dei as u16) << 12) | (self.vid & 0x0fff)
    }

    /// Split a TCI into its fields (§9.6).
    pub const fn from_tci(tpid: EtherType, tci: u16) -> VlanTag {
        VlanTag {
            tpid,
            pcp: (tci >> 13) as u8,
            dei: tci & 0x1000 != 0,
            vid: tci & 0x0fff,
        }
    }

    /// Check the fields fit their bit widths and the TPID is a tag TPID;
    /// `offset` is where the tag would be written (IEEE 802.1Q-2018 §9.3).
    pub fn validate(&self, offset: usize) -> Result<()> {
        if !self.tpid.is_vlan_tpid() {
            return Err(Error::invalid(
                Layer::Vlan,
                "tpid",
                offset,
                self.tpid.0 as u64,
                "0x8100, 0x88a8 or 0x9100",
            ));
        }
        if self.pcp > 7 {
            return Err(Error::invalid(Layer::Vlan, "pcp", offset + 2, self.pcp as u64, "0..=7"));
        }
        if self.vid > 0x0fff {
            return Err(Error::invalid(
                Layer::Vlan,
                "vid",
                offset + 2,
                self.vid as u64,
                "0..=4095",
            ));
        }
        Ok(())
    }

    /// Write the 4 tag bytes into `buf` (IEEE 802.1Q-2018 §9.3).
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        self.validate(0)?;
        crate::parse::room(buf, TAG_LEN, Layer::Vlan)?;
        crate::parse::put_u16(buf, 0, self.tpid.0);
        crate::parse::put_u16(buf, 2, self.tci());
        Ok(TAG_LEN)
    }
}

/// Up to [`MAX_VLAN_DEPTH`] tags, outermost first, stored inline (no
/// allocation) (IEEE 802.1Q-2018 §9.3).
#[derive(Clone, Copy, Default)]
pub struct VlanStack {
    tags: [VlanTag; MAX_VLAN_DEPTH],
    len: u8,
}

impl VlanStack {
    /// No tags (IEEE 802.1Q-2018 §9.3).
    pub const fn new() -> VlanStack {
        VlanStack {
            tags: [VlanTag::c_tag(0); MAX_VLAN_DEPTH],
            len: 0,
        }
    }

    /// Tags from a slice, `LimitExceeded` if there are more than
    /// [`MAX_VLAN_DEPTH`] (IEEE 802.1Q-2018 §9.3).
    pub fn from_slice(tags: &[VlanTag]) -> Result<VlanStack> {
        let mut s = VlanStack::new();
        for t in tags {
            s.push(*t)?;
        }
        Ok(s)
    }

    /// Append a tag inside the ones already there (the new tag is the
    /// innermost). `LimitExceeded` when full (IEEE 802.1Q-2018 §9.3).
    pub fn push(&mut self, tag: VlanTag) -> Result<()> {
        let i = self.len as usize;
        if i >= MAX_VLAN_DEPTH {
            return Err(Error::limit_exceeded(
                Layer::Vlan,
                "vlan_tag",
                super::ethernet::HEADER_LEN - 2 + i * TAG_LEN,
                MAX_VLAN_DEPTH,
            ));
        }
        self.tags[i] = tag;
        self.len += 1;
        Ok(())
    }

    /// The tags, outermost first (IEEE 802.1Q-2018 §9.3).
    pub fn as_slice(&self) -> &[VlanTag] {
        &self.tags[..self.len as usize]
    }

    /// Number of tags (IEEE 802.1Q-2018 §9.3).
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    /// True when there are no tags (IEEE 802.1Q-2018 §9.3).
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The outermost tag (IEEE 802.1Q-2018 §9.3).
    pub fn outer(&self) -> Option<&VlanTag> {
        self.as_slice().first()
    }

    /// The innermost tag (the customer VLAN in Q-in-Q; IEEE 802.1Q-2018 §9.3).
    pub fn inner(&self) -> Option<&VlanTag> {
        self.as_slice().last()
    }

    /// Bytes the tags take on the wire (IEEE 802.1Q-2018 §9.3).
    pub const fn wire_len(&self) -> usize {
        self.len as usize * TAG_LEN
    }
}

impl PartialEq for VlanStack {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for VlanStack {}

impl core::hash::Hash for VlanStack {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl fmt::Debug for VlanStack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl<'a> IntoIterator for &'a VlanStack {
    type Item = &'a VlanTag;
    type IntoIter = core::slice::Iter<'a, VlanTag>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for VlanStack {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let n = u.int_in_range(0..=MAX_VLAN_DEPTH)?;
        let mut s = VlanStack::new();
        for _ in 0..n {
            let t = VlanTag::arbitrary(u)?;
            // Cannot fail: n is at most the capacity.
            let _ = s.push(t);
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn tci_round_trip() {
        let t = VlanTag {
            tpid: EtherType::QINQ,
            pcp: 5,
            dei: true,
            vid: 0xabc,
        };
        assert_eq!(t.tci(), 0b1011_1010_1011_1100);
        assert_eq!(VlanTag::from_tci(EtherType::QINQ, t.tci()), t);
        let mut b = [0u8; 4];
        assert_eq!(t.emit(&mut b), Ok(4));
        assert_eq!(b, [0x88, 0xa8, 0xba, 0xbc]);
    }

    #[test]
    fn bad_fields_rejected() {
        let mut t = VlanTag::c_tag(4096);
        assert_eq!(t.validate(12).unwrap_err().field, "vid");
        t.vid = 1;
        t.pcp = 8;
        assert_eq!(t.validate(12).unwrap_err().offset, 14);
        t.pcp = 0;
        t.tpid = EtherType::IPV4;
        assert_eq!(t.validate(12).unwrap_err().field, "tpid");
    }

    #[test]
    fn stack_is_bounded() {
        let mut s = VlanStack::new();
        for i in 0..MAX_VLAN_DEPTH {
            s.push(VlanTag::c_tag(i as u16)).unwrap();
        }
        let e = s.push(VlanTag::c_tag(9)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::LimitExceeded { limit: MAX_VLAN_DEPTH });
        assert_eq!(e.offset, 12 + 4 * MAX_VLAN_DEPTH);
        assert_eq!(s.inner().unwrap().vid, 3);
        assert_eq!(s.wire_len(), 16);
    }
}
