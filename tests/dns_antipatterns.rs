//! The RFC 9267 anti-patterns ("Common Implementation Anti-Patterns Related
//! to Domain Name System (DNS) Resource Record (RR) Processing"), each as a
//! named test: every one must be a typed error, never a panic, a hang or a
//! stack overflow.

use netspec::app::dns::{DnsMessage, MAX_POINTER_HOPS, MessageBuilder, Name, Section};
use netspec::{ErrorKind, Layer};

/// A message with these counts and this body after the header (ID 0x1234,
/// flags QR: a response, so the RFC 9619 question rule does not apply).
fn message(counts: [u16; 4], body: &[u8]) -> Vec<u8> {
    let mut m = vec![0x12, 0x34, 0x80, 0x00];
    for c in counts {
        m.extend_from_slice(&c.to_be_bytes());
    }
    m.extend_from_slice(body);
    m
}

/// Question `a. IN A` at offset 12 (7 bytes, ends at 19).
const QUESTION_A: &[u8] = b"\x01a\x00\x00\x01\x00\x01";

/// TYPE A, CLASS IN, TTL 0 (the fixed part of an RR before RDLENGTH).
const A_IN_TTL0: &[u8] = b"\x00\x01\x00\x01\x00\x00\x00\x00";

fn strict_err(m: &[u8]) -> netspec::Error {
    let e = DnsMessage::parse(m).expect_err("the anti-pattern must be rejected");
    assert_eq!(e.layer, Layer::Dns);
    // The lenient parser must also survive it, and report it.
    let (_, issues) = DnsMessage::parse_lenient(m).unwrap();
    assert!(!issues.is_empty());
    e
}

fn is_backward_pointer_error(e: &netspec::Error) -> bool {
    matches!(e.kind, ErrorKind::Invalid { expected, .. } if expected.contains("before itself"))
}

#[test]
fn pointer_to_itself() {
    let m = message([1, 0, 0, 0], b"\xc0\x0c\x00\x01\x00\x01");
    let e = strict_err(&m);
    assert!(is_backward_pointer_error(&e), "{e}");
    assert_eq!((e.field, e.offset), ("qname", 12));
}

#[test]
fn pointer_loop_of_length_2() {
    // Answer owner at 19 points to 21, which points back to 19.
    let mut body = QUESTION_A.to_vec();
    body.extend_from_slice(b"\xc0\x15\xc0\x13\x00\x01\x00\x00\x00\x00\x00\x00");
    let m = message([1, 1, 0, 0], &body);
    let e = strict_err(&m);
    assert!(is_backward_pointer_error(&e), "{e}");
    assert_eq!(e.offset, 19);
}

#[test]
fn pointer_loop_of_length_3() {
    // 19 -> 23 -> 21 -> 19, entered at 19.
    let mut body = QUESTION_A.to_vec();
    body.extend_from_slice(b"\xc0\x17\xc0\x13\xc0\x15\x00\x01\x00\x00\x00\x00\x00\x00");
    let m = message([1, 1, 0, 0], &body);
    let e = strict_err(&m);
    assert!(is_backward_pointer_error(&e), "{e}");
    // Entered in the middle of the loop (a pointer at 21 back to 19, then
    // forward from 19), the walk still stops at the first forward step.
    let mut body = QUESTION_A.to_vec();
    body.extend_from_slice(b"\xc0\x17\xc0\x13\xc0\x15");
    let m = message([1, 0, 0, 0], &body);
    assert!(DnsMessage::parse(&m).is_err());
}

#[test]
fn forward_pointer() {
    // The question name points forward to a valid name at 14.
    let m = message([1, 0, 0, 0], b"\xc0\x0e\x01b\x00\x00\x01\x00\x01");
    let e = strict_err(&m);
    assert!(is_backward_pointer_error(&e), "{e}");
}

#[test]
fn pointer_past_the_end() {
    let m = message([1, 0, 0, 0], b"\xc0\xff\x00\x01\x00\x01");
    let e = strict_err(&m);
    assert_eq!(
        e.kind,
        ErrorKind::LengthExceeds {
            value: 255,
            available: m.len()
        }
    );
    // And past the 16 KiB a pointer can reach at all.
    let m = message([1, 0, 0, 0], b"\xff\xff\x00\x01\x00\x01");
    assert!(matches!(
        strict_err(&m).kind,
        ErrorKind::LengthExceeds { value: 0x3fff, .. }
    ));
}

#[test]
fn truncated_pointer() {
    let m = message([1, 0, 0, 0], b"\xc0");
    let e = strict_err(&m);
    assert_eq!(
        e.kind,
        ErrorKind::Truncated {
            needed: 2,
            available: 1
        }
    );
    assert_eq!(e.offset, 12);
}

#[test]
fn reserved_label_type_0x40() {
    let m = message([1, 0, 0, 0], b"\x41a\x00\x00\x01\x00\x01");
    let e = strict_err(&m);
    assert!(matches!(e.kind, ErrorKind::Invalid { value: 0x41, .. }), "{e}");
}

#[test]
fn reserved_label_type_0x80() {
    let m = message([1, 0, 0, 0], b"\x81a\x00\x00\x01\x00\x01");
    let e = strict_err(&m);
    assert!(matches!(e.kind, ErrorKind::Invalid { value: 0x81, .. }), "{e}");
}

#[test]
fn label_of_64() {
    // A length octet of 64 is 0b01_000000: its top bits make it the
    // reserved type 01, so a 64-octet label cannot even be expressed.
    let mut body = vec![64u8];
    body.extend_from_slice(&[b'x'; 64]);
    body.extend_from_slice(b"\x00\x00\x01\x00\x01");
    let m = message([1, 0, 0, 0], &body);
    assert!(matches!(strict_err(&m).kind, ErrorKind::Invalid { value: 64, .. }));
    // 63 is the longest label, and it parses.
    let mut body = vec![63u8];
    body.extend_from_slice(&[b'x'; 63]);
    body.extend_from_slice(b"\x00\x00\x01\x00\x01");
    assert!(DnsMessage::parse(&message([1, 0, 0, 0], &body)).is_ok());
    // The builder refuses a 64-octet label given as text.
    let mut buf = [0u8; 512];
    let mut b = MessageBuilder::new(&mut buf, 1, Default::default()).unwrap();
    let long = "x".repeat(64);
    let e = b
        .question(
            long.as_str(),
            netspec::app::dns::RrType::A,
            netspec::app::dns::RrClass::IN,
        )
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::LimitExceeded { limit: 63 });
}

/// A question name of `first` octets (labels of 63 and one shorter), then
/// an answer owner `\x01x` + pointer to it: `first + 2` octets expanded.
fn name_across_pointer(first: usize) -> Vec<u8> {
    let mut body = Vec::new();
    let mut left = first - 1;
    while left > 0 {
        let l = (left - 1).min(63);
        body.push(l as u8);
        body.extend(std::iter::repeat_n(b'y', l));
        left -= l + 1;
    }
    body.push(0);
    body.extend_from_slice(b"\x00\x01\x00\x01");
    body.extend_from_slice(b"\x01x\xc0\x0c");
    body.extend_from_slice(A_IN_TTL0);
    body.extend_from_slice(b"\x00\x04\x7f\x00\x00\x01");
    message([1, 1, 0, 0], &body)
}

#[test]
fn name_of_256_across_pointers() {
    let ok = name_across_pointer(253);
    let m = DnsMessage::parse(&ok).expect("255 octets is the limit and allowed");
    assert_eq!(m.answers().next().unwrap().name().wire_len(), 255);
    let e = strict_err(&name_across_pointer(254));
    assert_eq!(e.kind, ErrorKind::LimitExceeded { limit: 255 });
}

#[test]
fn rdlength_past_the_end() {
    let mut body = QUESTION_A.to_vec();
    body.extend_from_slice(b"\xc0\x0c");
    body.extend_from_slice(A_IN_TTL0);
    body.extend_from_slice(b"\x00\x10\x7f\x00\x00\x01");
    let m = message([1, 1, 0, 0], &body);
    let e = strict_err(&m);
    assert_eq!(e.field, "rdlength");
    assert_eq!(
        e.kind,
        ErrorKind::LengthExceeds {
            value: 16,
            available: 4
        }
    );
}

#[test]
fn a_record_with_rdlength_3() {
    let mut body = QUESTION_A.to_vec();
    body.extend_from_slice(b"\xc0\x0c");
    body.extend_from_slice(A_IN_TTL0);
    body.extend_from_slice(b"\x00\x03\x7f\x00\x00");
    let m = message([1, 1, 0, 0], &body);
    let e = strict_err(&m);
    assert_eq!(e.kind, ErrorKind::LengthTooSmall { value: 3, min: 4 });
    // Lenient: the record is kept, framed by its RDLENGTH, RDATA raw.
    let (v, _) = DnsMessage::parse_lenient(&m).unwrap();
    let rr = v.answers().next().unwrap();
    assert_eq!(rr.rdata_bytes(), b"\x7f\x00\x00");
    assert!(matches!(rr.rdata(), netspec::app::dns::RData::Unknown { .. }));
}

#[test]
fn qdcount_65535_with_one_question() {
    // A NOTIFY (opcode 4) so that only the count check applies.
    let mut m = message([0xffff, 0, 0, 0], QUESTION_A);
    m[2] = 0x20;
    let e = strict_err(&m);
    assert_eq!(e.field, "qdcount");
    let (v, issues) = DnsMessage::parse_lenient(&m).unwrap();
    assert_eq!(v.count(Section::Question), 1);
    assert_eq!(v.header_count(Section::Question), 0xffff);
    assert_eq!(issues.total(), 1);
    // As a QUERY, RFC 9619 (at most one question) is reported too.
    m[2] = 0x00;
    assert_eq!(DnsMessage::parse_lenient(&m).unwrap().1.total(), 2);
}

/// A message whose last answer's owner name follows `hops` pointers: a
/// raw record holds a chain of pointers, each to the one before it.
fn pointer_chain(hops: usize) -> Vec<u8> {
    let mut body = QUESTION_A.to_vec();
    // Answer 1: owner `a.` by pointer, unknown TYPE 0xff00, RDATA = chain.
    body.extend_from_slice(b"\xc0\x0c\xff\x00\x00\x01\x00\x00\x00\x00");
    let links = hops - 1;
    body.extend_from_slice(&((2 * links) as u16).to_be_bytes());
    let first = 12 + body.len();
    let mut prev = 12u16;
    for i in 0..links {
        body.extend_from_slice(&(0xC000 | prev).to_be_bytes());
        prev = (first + 2 * i) as u16;
    }
    // Answer 2: owner is a pointer to the last link.
    body.extend_from_slice(&(0xC000 | prev).to_be_bytes());
    body.extend_from_slice(A_IN_TTL0);
    body.extend_from_slice(b"\x00\x04\x7f\x00\x00\x01");
    message([1, 2, 0, 0], &body)
}

#[test]
fn pointer_chain_of_maximum_depth_on_a_256_kib_stack() {
    let ok = pointer_chain(MAX_POINTER_HOPS);
    let over = pointer_chain(MAX_POINTER_HOPS + 1);
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let m = DnsMessage::parse(&ok).expect("the maximum depth is allowed");
            let owner: Name<'_> = m.answers().nth(1).unwrap().name();
            assert!(owner.eq_text("a."));
            let mut text = String::new();
            owner.write_text(&mut text).unwrap();
            assert_eq!(text, "a.");
            let e = DnsMessage::parse(&over).unwrap_err();
            assert_eq!(
                e.kind,
                ErrorKind::LimitExceeded {
                    limit: MAX_POINTER_HOPS
                }
            );
        })
        .unwrap()
        .join()
        .unwrap();
}

/// The most work a 64 KiB message can ask for: thousands of records whose
/// owner names each follow the longest pointer chain allowed. Each name
/// walk is bounded (127 hops, 255 octets), so the whole parse is linear in
/// the message size; this test would hang or overflow otherwise.
#[test]
fn worst_case_64k_of_maximum_chains() {
    let mut m = pointer_chain(MAX_POINTER_HOPS);
    // The last record's owner is the pointer to the end of the chain: copy
    // that record until the message is 64 KiB.
    let last = m[m.len() - 16..].to_vec();
    let mut answers = 2u16;
    while m.len() + last.len() <= 65535 {
        m.extend_from_slice(&last);
        answers += 1;
    }
    m[6..8].copy_from_slice(&answers.to_be_bytes());
    let v = DnsMessage::parse(&m).unwrap();
    assert_eq!(v.answers().count(), usize::from(answers));
    let mut text = [0u8; netspec::app::dns::MAX_NAME_TEXT_LEN];
    for rr in v.answers().skip(1) {
        assert_eq!(rr.name().write_text_bytes(&mut text).unwrap(), 2);
    }
}
