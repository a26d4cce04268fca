//! Bad TCP option lengths, for every option kind netspec decodes and for
//! unknown kinds: length 0, length 1, too short (or otherwise wrong) for
//! the kind, and past the end of the options area. Each error must name
//! the option (`field = option_<kind>`) and the offset of its kind byte,
//! counted from the start of the segment (RFC 9293 §3.1, MUST-7).

use netspec::ErrorKind;
use netspec::transport::tcp::TcpSegment;
use netspec::transport::tcp_option::{TcpOptionKind, TcpOptions};

/// A segment whose options area is `opts` placed after `lead` NOPs and
/// padded with EOL to a multiple of 4 (the padding never hides an error:
/// the bad option comes before it).
fn segment(lead: usize, opts: &[u8]) -> Vec<u8> {
    let mut area = vec![1u8; lead];
    area.extend_from_slice(opts);
    while area.len() % 4 != 0 {
        area.push(0);
    }
    assert!(area.len() <= 40);
    let mut b = vec![0u8; 20];
    b[12] = (((20 + area.len()) / 4) << 4) as u8;
    b.extend_from_slice(&area);
    b
}

/// Kinds with their valid length (the shortest valid one for variable
/// options) and a length too short for them, if one exists above 1.
const KINDS: &[(u8, u8, Option<u8>, &str)] = &[
    (2, 4, Some(3), "option_mss"),
    (3, 3, Some(2), "option_window_scale"),
    (4, 2, None, "option_sack_permitted"),
    (5, 10, Some(9), "option_sack"),
    (8, 10, Some(9), "option_timestamps"),
    (19, 18, Some(17), "option_md5_signature"),
    (27, 8, None, "option_quick_start"),
    (28, 4, Some(3), "option_user_timeout"),
    (29, 4, Some(3), "option_authentication"),
    (30, 3, None, "option_mptcp"),
    (34, 2, None, "option_fast_open"),
    (253, 4, Some(3), "option_experimental"),
    (254, 4, Some(2), "option_experimental"),
    (99, 2, None, "option_unknown"),
];

fn err(b: &[u8]) -> netspec::Error {
    TcpSegment::parse(b).expect_err("must be rejected")
}

#[test]
fn field_names_match_the_table() {
    for &(kind, _, _, field) in KINDS {
        assert_eq!(TcpOptionKind(kind).field_name(), field);
    }
}

#[test]
fn valid_lengths_parse() {
    for &(kind, len, _, _) in KINDS {
        let mut opt = vec![0u8; usize::from(len)];
        opt[0] = kind;
        opt[1] = len;
        let b = segment(0, &opt);
        let seg = TcpSegment::parse(&b).unwrap_or_else(|e| panic!("kind {kind}: {e}"));
        assert_eq!(seg.options().next().map(|o| o.kind().0), Some(kind));
    }
}

#[test]
fn length_zero_and_one() {
    for &(kind, _, _, field) in KINDS {
        for len in [0u8, 1] {
            for lead in [0usize, 3] {
                let mut opt = vec![kind, len];
                opt.resize(12, 0x55); // room, so only the length is wrong
                let e = err(&segment(lead, &opt));
                assert_eq!((e.field, e.offset), (field, 20 + lead), "kind {kind} len {len}");
                assert_eq!(
                    e.kind,
                    ErrorKind::LengthTooSmall {
                        value: usize::from(len),
                        min: 2
                    }
                );
            }
        }
    }
}

#[test]
fn too_short_for_the_kind() {
    for &(kind, _, short, field) in KINDS {
        let Some(len) = short else { continue };
        let mut opt = vec![0x55u8; usize::from(len)];
        opt[0] = kind;
        opt[1] = len;
        let e = err(&segment(1, &opt));
        assert_eq!((e.field, e.offset), (field, 21), "kind {kind}");
        match e.kind {
            ErrorKind::Invalid { value, .. } => assert_eq!(value, u64::from(len)),
            ErrorKind::LengthTooSmall { value, .. } => assert_eq!(value, usize::from(len)),
            other => panic!("kind {kind}: {other:?}"),
        }
    }
    // Fixed-length options are also wrong when longer.
    for (kind, len, field) in [
        (2u8, 5u8, "option_mss"),
        (8, 12, "option_timestamps"),
        (4, 3, "option_sack_permitted"),
    ] {
        let mut opt = vec![0u8; usize::from(len)];
        opt[0] = kind;
        opt[1] = len;
        let e = err(&segment(0, &opt));
        assert_eq!((e.field, e.offset), (field, 20));
    }
    // SACK lengths between whole blocks.
    for len in [11u8, 17, 25, 33] {
        let mut opt = vec![0u8; usize::from(len)];
        opt[0] = 5;
        opt[1] = len;
        assert_eq!(err(&segment(0, &opt)).field, "option_sack");
    }
}

#[test]
fn past_the_end() {
    for &(kind, _, _, field) in KINDS {
        // The option claims 2 bytes more than the area holds from it.
        let lead = 5;
        let room = 8 - lead; // a 28-byte header: 8 option bytes
        let mut area = vec![1u8; lead];
        area.extend_from_slice(&[kind, (room + 2) as u8]);
        area.resize(8, 0);
        let mut b = vec![0u8; 20];
        b[12] = 7 << 4;
        b.extend_from_slice(&area);
        let e = err(&b);
        assert_eq!((e.field, e.offset), (field, 20 + lead), "kind {kind}");
        assert_eq!(
            e.kind,
            ErrorKind::LengthExceeds {
                value: room + 2,
                available: room
            }
        );
        // A kind byte as the very last byte of the area: no length byte.
        let mut b = vec![0u8; 20];
        b[12] = 6 << 4;
        b.extend_from_slice(&[1, 1, 1, kind]);
        let e = err(&b);
        assert_eq!((e.field, e.offset), (field, 23), "kind {kind}");
        assert_eq!(
            e.kind,
            ErrorKind::Truncated {
                needed: 2,
                available: 1
            }
        );
    }
}

#[test]
fn from_bytes_counts_offsets_from_the_area() {
    let e = TcpOptions::from_bytes(&[1, 1, 8, 3, 0, 0]).unwrap_err();
    assert_eq!((e.field, e.offset), ("option_timestamps", 2));
    assert!(TcpOptions::from_bytes(&[0u8; 41]).is_err());
}

#[test]
fn data_offset_below_five_and_past_the_segment() {
    for off in 0u8..5 {
        let mut b = vec![0u8; 40];
        b[12] = off << 4;
        let e = err(&b);
        assert_eq!((e.field, e.offset), ("data_offset", 12));
        assert_eq!(
            e.kind,
            ErrorKind::LengthTooSmall {
                value: usize::from(off),
                min: 5
            }
        );
    }
    for len in 20..60usize {
        let mut b = vec![1u8; len];
        b[12] = 15 << 4;
        let e = err(&b);
        assert_eq!(
            e.kind,
            ErrorKind::LengthExceeds {
                value: 60,
                available: len
            }
        );
    }
    for len in 0..20usize {
        assert_eq!(err(&vec![0x50; len]).field, "header");
    }
}
