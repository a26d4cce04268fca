#![cfg(feature = "proptest")]
//! Properties over `netspec::strategy::mutate`: a frame whose only fault is
//! a wrong checksum is flagged, not rejected, and recomputing the checksums
//! in place repairs it (RFC 1071, RFC 1624 §3).

mod common;

use netspec::edit::PacketMut;
use netspec::packet::Packet;
use netspec::strategy::mutate::wrong_checksum;
use netspec::transport::ChecksumStatus;
use proptest::prelude::*;

proptest! {
    #![proptest_config(common::proptest_config("prop_mutate", 256))]

    /// The damaged frame still parses at every layer; exactly one checksum
    /// reports Bad; `recompute_checksums` makes every checksum Good again
    /// and changes nothing but the checksum fields.
    #[test]
    fn a_wrong_checksum_is_flagged_and_repaired(bytes in wrong_checksum()) {
        let p = Packet::from_ethernet(&bytes);
        prop_assert!(p.error.is_none(), "{:?}", p.error);
        let r = p.verify_checksums();
        prop_assert!((r.network == ChecksumStatus::Bad) != (r.transport == ChecksumStatus::Bad), "{r:?}");
        let mut fixed = bytes.clone();
        PacketMut::from_ethernet(&mut fixed).unwrap().recompute_checksums().unwrap();
        prop_assert!(Packet::from_ethernet(&fixed).verify_checksums().no_errors());
        prop_assert_eq!(bytes.iter().zip(&fixed).filter(|(a, b)| a != b).count() <= 2, true);
    }
}
