#![cfg(feature = "proptest")]
//! Properties of DNS messages (RFC 1035): round trips through the owned
//! type, the view and the builder, with and without compression; no panic
//! on hostile bytes; TCP framing over arbitrary segmentation.

mod common;

use common::proptest_config;
use netspec::app::dns::name::encode_text;
use netspec::app::dns::tcp::{TcpReassembler, frame};
use netspec::app::dns::{CompressionTable, DnsMessage, MessageBuilder, Name, OwnedMessage, OwnedName, RData, Section};
use netspec::strategy::dns as s;
use proptest::prelude::*;

/// Walk everything a view offers, rendering every name: what a consumer of
/// an untrusted message would do.
fn consume(m: &DnsMessage<'_>) -> usize {
    let mut text = [0u8; netspec::app::dns::MAX_NAME_TEXT_LEN];
    let mut total = 0;
    let mut rendered = 0;
    let mut pushed = String::new();
    for q in m.questions() {
        let n = q.name().write_text_bytes(&mut text).unwrap();
        total += n;
        rendered += n;
        q.name().push_text(&mut pushed);
    }
    for section in [Section::Answer, Section::Authority, Section::Additional] {
        for r in m.records(section) {
            let n = r.name().write_text_bytes(&mut text).unwrap();
            total += n;
            rendered += n;
            r.name().push_text(&mut pushed);
            total += r.name().labels().count();
            let _ = r.rdata();
        }
    }
    let _ = m.opt().map(|o| o.options().count());
    assert_eq!(pushed.len(), rendered);
    total
}

/// Master-file text of a name (RFC 1035 §5.1), octet by octet from its
/// labels: the reference the fast renderers must match.
fn reference_text(n: &Name<'_>) -> String {
    let mut t = String::new();
    for label in n.labels() {
        for &c in label {
            match c {
                b'.' | b'\\' | b'"' | b'(' | b')' | b';' | b'@' | b'$' => {
                    t.push('\\');
                    t.push(char::from(c));
                }
                0x21..=0x7E => t.push(char::from(c)),
                _ => t.push_str(&format!("\\{c:03}")),
            }
        }
        t.push('.');
    }
    if t.is_empty() {
        t.push('.');
    }
    t
}

/// Every way of rendering `n` as text agrees with the reference; the text
/// of each is appended to `pushed` by `push_text`, after what was there.
fn check_renderings(n: &Name<'_>, pushed: &mut String) -> Result<(), TestCaseError> {
    let want = reference_text(n);
    let before = pushed.len();
    n.push_text(pushed);
    prop_assert_eq!(&pushed[before..], want.as_str());
    prop_assert_eq!(n.to_string(), want.as_str());
    let mut buf = [0u8; netspec::app::dns::MAX_NAME_TEXT_LEN];
    let len = n.write_text_bytes(&mut buf).unwrap();
    prop_assert_eq!(&buf[..len], want.as_bytes());
    Ok(())
}

/// Copy a view into a new message with the builder, record by record.
fn rebuild(m: &DnsMessage<'_>, out: &mut [u8], compress: bool) -> usize {
    let mut table = CompressionTable::new();
    let b = MessageBuilder::new(out, m.id(), m.flags()).unwrap();
    let mut b = if compress { b.compression(&mut table) } else { b };
    for q in m.questions() {
        b.question(q.name(), q.qtype(), q.qclass()).unwrap();
    }
    for section in [Section::Answer, Section::Authority, Section::Additional] {
        for r in m.records(section) {
            b.record_with(section, r.name(), r.rtype(), r.class(), r.ttl(), |w| {
                w.rdata(&r.rdata())
            })
            .unwrap();
        }
    }
    b.finish()
}

proptest! {
    #![proptest_config(proptest_config("prop_dns", 1000))]

    /// parse(emit(m)) == m over messages with every typed RR, uncompressed
    /// and compressed; both encodings parse equal.
    #[test]
    fn parse_emit_round_trip(m in s::message()) {
        let plain = m.to_vec(false).unwrap();
        let packed = m.to_vec(true).unwrap();
        prop_assert!(packed.len() <= plain.len());
        let a = OwnedMessage::parse(&plain).unwrap();
        let b = OwnedMessage::parse(&packed).unwrap();
        prop_assert_eq!(&a, &m);
        prop_assert_eq!(&b, &m);
    }

    /// emit(parse(b)) == b for uncompressed canonical bytes, through the
    /// owned type and through the view copied by the builder.
    #[test]
    fn emit_parse_round_trip(m in s::message()) {
        let bytes = m.to_vec(false).unwrap();
        prop_assert_eq!(&OwnedMessage::parse(&bytes).unwrap().to_vec(false).unwrap(), &bytes);
        let view = DnsMessage::parse(&bytes).unwrap();
        let mut out = vec![0u8; bytes.len()];
        let n = rebuild(&view, &mut out, false);
        prop_assert_eq!(&out[..n], &bytes[..]);
        // Copying a compressed message with compression gives the same
        // bytes as compressing the owned message.
        let packed = m.to_vec(true).unwrap();
        let view = DnsMessage::parse(&packed).unwrap();
        let mut out = vec![0u8; bytes.len()];
        let n = rebuild(&view, &mut out, true);
        prop_assert_eq!(&out[..n], &packed[..]);
    }

    /// `Name::push_text` appends exactly the `Display` text (and what
    /// `write_text_bytes` and an octet-by-octet rendering give), for a
    /// standalone name (which ends at the very end of its buffer) and for
    /// every name of a compressed message, owners and RDATA names, into
    /// one reused `String`.
    #[test]
    fn push_text_equals_display(n in s::name(), m in s::message()) {
        let mut pushed = String::from("prefix");
        check_renderings(&n.as_name(), &mut pushed)?;
        let wire = m.to_vec(true).unwrap();
        let view = DnsMessage::parse(&wire).unwrap();
        for q in view.questions() {
            check_renderings(&q.name(), &mut pushed)?;
        }
        for section in [Section::Answer, Section::Authority, Section::Additional] {
            for r in view.records(section) {
                check_renderings(&r.name(), &mut pushed)?;
                match r.rdata() {
                    RData::Cname(t) | RData::Ns(t) | RData::Ptr(t) => check_renderings(&t, &mut pushed)?,
                    RData::Mx { exchange, .. } => check_renderings(&exchange, &mut pushed)?,
                    _ => {}
                }
            }
        }
    }

    /// A name's text form reads back to the same name.
    #[test]
    fn name_text_round_trip(n in s::name()) {
        let text = n.to_string();
        let mut buf = [0u8; 255];
        let len = encode_text(&text, &mut buf).unwrap();
        prop_assert_eq!(&buf[..len], n.as_wire());
        prop_assert_eq!(OwnedName::from_text(&text).unwrap(), n);
    }

    /// Arbitrary bytes never panic, strict or lenient.
    #[test]
    fn no_panic_on_arbitrary_bytes(b in proptest::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(m) = DnsMessage::parse(&b) {
            consume(&m);
        }
        if let Ok((m, _)) = DnsMessage::parse_lenient(&b) {
            consume(&m);
        }
    }

    /// Valid messages with one byte, one 16-bit field or the length changed
    /// never panic; what strict parsing accepts round-trips.
    #[test]
    fn no_panic_on_mutated_messages(b in s::mutated_message_bytes()) {
        if let Ok(m) = DnsMessage::parse(&b) {
            consume(&m);
            let owned = OwnedMessage::from_view(&m);
            let again = owned.to_vec(false).unwrap();
            prop_assert_eq!(OwnedMessage::parse(&again).unwrap(), owned);
        }
        // Lenient parsing reports exactly when strict parsing fails, and
        // agrees with it on a valid message.
        let strict = DnsMessage::parse(&b);
        match DnsMessage::parse_lenient(&b) {
            Ok((m, issues)) => {
                consume(&m);
                prop_assert_eq!(issues.is_empty(), strict.is_ok());
                if let Ok(s) = strict {
                    for section in netspec::app::dns::Section::ALL {
                        prop_assert_eq!(s.count(section), m.count(section));
                    }
                }
            }
            Err(_) => prop_assert!(strict.is_err() && b.len() < 12),
        }
    }

    /// Messages cut into arbitrary TCP segments come out whole and in order.
    #[test]
    fn tcp_reassembly(msgs in proptest::collection::vec(s::message_bytes(), 1..4),
                      cuts in proptest::collection::vec(1usize..40, 1..64)) {
        let mut stream = Vec::new();
        for m in &msgs {
            let mut f = vec![0u8; m.len() + 2];
            frame(m, &mut f).unwrap();
            stream.extend_from_slice(&f);
        }
        let mut store = vec![0u8; 2 + 65535];
        let mut r = TcpReassembler::new(&mut store);
        let mut got = Vec::new();
        let mut rest = &stream[..];
        let mut i = 0;
        while !rest.is_empty() {
            let n = cuts[i % cuts.len()].min(rest.len());
            prop_assert_eq!(r.push(&rest[..n]), n);
            rest = &rest[n..];
            i += 1;
            while let Some(m) = r.message() {
                got.push(m.to_vec());
                r.advance();
            }
        }
        prop_assert_eq!(got, msgs);
        prop_assert_eq!(r.buffered(), 0);
    }
}

proptest! {
    #![proptest_config(proptest_config("prop_dns_64k", 24))]

    /// Any input up to 64 KiB is parsed in bounded work: the walk visits
    /// each name in at most 255 octets and 127 pointer hops, so there is no
    /// input that makes it loop (this test would hang otherwise).
    #[test]
    fn no_panic_and_bounded_work_on_64k_inputs(seed in proptest::collection::vec(any::<u8>(), 1..64),
                                                len in 12usize..=65535) {
        // Fill 64 KiB with a repeating hostile pattern: pointers, labels,
        // counts of 65535.
        let mut b: Vec<u8> = seed.iter().cycle().take(len).copied().collect();
        b[4..12].fill(0xff);
        let _ = DnsMessage::parse(&b).map(|m| consume(&m));
        let (m, _) = DnsMessage::parse_lenient(&b).unwrap();
        consume(&m);
    }
}

/// A message over 16 KiB: names written past offset 0x3FFF are never used
/// as pointer targets, and everything still parses back equal.
#[test]
fn compression_never_points_past_0x3fff() {
    use netspec::app::dns::{OwnedRData, OwnedRecord, RrClass};
    let name = OwnedName::from_text("host.example.com").unwrap();
    let big = OwnedRecord {
        name: name.clone(),
        class: RrClass::IN,
        ttl: 1,
        data: OwnedRData::Unknown {
            rtype: netspec::app::dns::RrType(65280),
            data: vec![7; 20000],
        },
    };
    let late = OwnedRecord {
        name: OwnedName::from_text("other.example.org").unwrap(),
        class: RrClass::IN,
        ttl: 1,
        data: OwnedRData::Cname(OwnedName::from_text("x.other.example.org").unwrap()),
    };
    let m = OwnedMessage {
        answers: vec![big, late.clone(), late],
        ..Default::default()
    };
    let bytes = m.to_vec(true).unwrap();
    let v = DnsMessage::parse(&bytes).unwrap();
    // The names after the big record sit past 0x3FFF: each is written
    // whole, none is a pointer.
    for rr in v.answers().skip(1) {
        assert!(rr.name().offset() > 0x3FFF);
        assert_eq!(bytes[rr.name().offset()] & 0xC0, 0);
    }
    assert_eq!(OwnedMessage::parse(&bytes).unwrap(), m);
}
