//! Strategies for DNS messages (RFC 1035): names, every typed RDATA, whole
//! messages, their wire bytes (compressed or not) and mutated variants.
//!
//! Names are drawn partly from a small pool of labels so that messages
//! share suffixes and compression has work to do; label bytes otherwise
//! range over all 256 values (escapes, dots and backslashes included).

use proptest::collection::vec;
use proptest::prelude::*;

use crate::app::dns::{
    DnsFlags, EdnsOptionCode, OwnedMessage, OwnedName, OwnedQuestion, OwnedRData, OwnedRecord, RrClass, RrType,
    SvcParamKey,
};

/// Labels that recur, so that names share suffixes.
const POOL: [&[u8]; 8] = [b"www", b"example", b"com", b"net", b"mail", b"a", b"Example", b"_tcp"];

/// One label (RFC 1035 §2.3.4): from the pool, or 1 to 63 arbitrary octets.
///
/// ```
/// use netspec::strategy::dns::label;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(l in label())| {
///     prop_assert!((1..=63).contains(&l.len()));
/// });
/// ```
pub fn label() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => proptest::sample::select(&POOL[..]).prop_map(<[u8]>::to_vec),
        1 => vec(any::<u8>(), 1..=63),
    ]
}

/// A valid name of 0 to 6 labels, at most 255 octets (RFC 1035 §3.1).
///
/// ```
/// use netspec::app::dns::OwnedName;
/// use netspec::strategy::dns::name;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(n in name())| {
///     prop_assert!(n.as_wire().len() <= 255);
///     prop_assert_eq!(OwnedName::from_wire(n.as_wire()), Ok(n.clone()));
/// });
/// ```
pub fn name() -> impl Strategy<Value = OwnedName> {
    vec(label(), 0..=6).prop_map(|labels| {
        let mut wire = Vec::new();
        for l in labels {
            // Keep room for this label and the root.
            if wire.len() + 1 + l.len() + 1 > 255 {
                break;
            }
            wire.push(l.len() as u8);
            wire.extend_from_slice(&l);
        }
        wire.push(0);
        OwnedName::from_wire(&wire).expect("built within the limits")
    })
}

/// Option/parameter lists: (code, value) pairs.
fn tlvs(max: usize) -> impl Strategy<Value = Vec<(u16, Vec<u8>)>> {
    vec((any::<u16>(), vec(any::<u8>(), 0..12)), 0..max)
}

/// SvcParams with the keys RFC 9460 §7 defines, well-formed.
///
/// ```
/// use netspec::strategy::dns::svc_known;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(params in svc_known())| {
///     // Keys in strictly increasing order, as RFC 9460 §2.2 requires.
///     prop_assert!(params.windows(2).all(|w| w[0].0 < w[1].0));
/// });
/// ```
pub fn svc_known() -> impl Strategy<Value = Vec<(SvcParamKey, Vec<u8>)>> {
    (
        proptest::option::of(vec(vec(b'a'..=b'z', 1..8), 1..3)),
        proptest::option::of(any::<u16>()),
        proptest::option::of(vec(any::<[u8; 4]>(), 1..3)),
        proptest::option::of(vec(any::<[u8; 16]>(), 1..2)),
    )
        .prop_map(|(alpn, port, v4, v6)| {
            let mut out = Vec::new();
            if let Some(ids) = alpn {
                let mut v = Vec::new();
                for id in ids {
                    v.push(id.len() as u8);
                    v.extend_from_slice(&id);
                }
                out.push((SvcParamKey::ALPN, v));
            }
            if let Some(p) = port {
                out.push((SvcParamKey::PORT, p.to_be_bytes().to_vec()));
            }
            if let Some(a) = v4 {
                out.push((SvcParamKey::IPV4HINT, a.concat()));
            }
            if let Some(a) = v6 {
                out.push((SvcParamKey::IPV6HINT, a.concat()));
            }
            out
        })
}

/// TYPEs that netspec keeps raw (none of the typed ones).
///
/// ```
/// use netspec::app::dns::RrType;
/// use netspec::strategy::dns::unknown_type;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(t in unknown_type())| {
///     prop_assert_ne!(t, RrType::A);
///     prop_assert_ne!(t, RrType::OPT);
/// });
/// ```
pub fn unknown_type() -> impl Strategy<Value = RrType> {
    const TYPED: [u16; 13] = [1, 2, 5, 6, 12, 15, 16, 28, 33, 41, 64, 65, 257];
    any::<u16>().prop_map(|t| {
        if TYPED.contains(&t) {
            RrType(t ^ 0x8000)
        } else {
            RrType(t)
        }
    })
}

/// Any typed RDATA except OPT, or raw RDATA of an unknown TYPE.
///
/// ```
/// use netspec::app::dns::RrType;
/// use netspec::strategy::dns::rdata;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(r in rdata())| {
///     prop_assert_ne!(r.rtype(), RrType::OPT);
/// });
/// ```
pub fn rdata() -> impl Strategy<Value = OwnedRData> {
    prop_oneof![
        any::<[u8; 4]>().prop_map(|a| OwnedRData::A(a.into())),
        any::<[u8; 16]>().prop_map(|a| OwnedRData::Aaaa(a.into())),
        name().prop_map(OwnedRData::Ns),
        name().prop_map(OwnedRData::Cname),
        name().prop_map(OwnedRData::Ptr),
        (any::<u16>(), name()).prop_map(|(preference, exchange)| OwnedRData::Mx { preference, exchange }),
        vec(vec(any::<u8>(), 0..40), 1..4).prop_map(OwnedRData::Txt),
        (name(), name(), any::<[u32; 5]>()).prop_map(|(mname, rname, times)| OwnedRData::Soa { mname, rname, times }),
        (any::<u16>(), any::<u16>(), any::<u16>(), name()).prop_map(|(priority, weight, port, target)| {
            OwnedRData::Srv {
                priority,
                weight,
                port,
                target,
            }
        }),
        (any::<u8>(), vec(b'a'..=b'z', 1..=15), vec(any::<u8>(), 0..30))
            .prop_map(|(flags, tag, value)| OwnedRData::Caa { flags, tag, value }),
        (any::<u16>(), name(), tlvs(3), svc_known(), any::<bool>()).prop_map(
            |(priority, target, params, known, https)| {
                // Unknown keys (7..=65534) take any value; known keys get
                // well-formed values (RFC 9460 §7).
                let mut params: Vec<(SvcParamKey, Vec<u8>)> = params
                    .into_iter()
                    .map(|(k, v)| (SvcParamKey(7 + k % 65528), v))
                    .chain(known)
                    .collect();
                // RFC 9460 §2.2: keys strictly increasing.
                params.sort_by_key(|p| p.0);
                params.dedup_by_key(|p| p.0);
                if https {
                    OwnedRData::Https {
                        priority,
                        target,
                        params,
                    }
                } else {
                    OwnedRData::Svcb {
                        priority,
                        target,
                        params,
                    }
                }
            }
        ),
        (unknown_type(), vec(any::<u8>(), 0..24)).prop_map(|(rtype, data)| OwnedRData::Unknown { rtype, data }),
    ]
}

/// A record with any RDATA but OPT.
///
/// ```
/// use netspec::app::dns::RrType;
/// use netspec::strategy::dns::record;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(r in record())| {
///     prop_assert_ne!(r.data.rtype(), RrType::OPT);
/// });
/// ```
pub fn record() -> impl Strategy<Value = OwnedRecord> {
    (name(), any::<u16>(), any::<u32>(), rdata()).prop_map(|(name, class, ttl, data)| OwnedRecord {
        name,
        class: RrClass(class),
        ttl,
        data,
    })
}

/// An OPT record (RFC 6891 §6.1.2): root owner, UDP size in CLASS,
/// extended RCODE, version and flags in TTL, and options.
///
/// ```
/// use netspec::app::dns::{OwnedName, RrType};
/// use netspec::strategy::dns::opt_record;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(r in opt_record())| {
///     prop_assert_eq!(r.data.rtype(), RrType::OPT);
///     prop_assert_eq!(r.name, OwnedName::root());
/// });
/// ```
pub fn opt_record() -> impl Strategy<Value = OwnedRecord> {
    (any::<u16>(), any::<u32>(), tlvs(4)).prop_map(|(size, ttl, opts)| OwnedRecord {
        name: OwnedName::root(),
        class: RrClass(size),
        ttl,
        data: OwnedRData::Opt(opts.into_iter().map(|(c, d)| (EdnsOptionCode(c), d)).collect()),
    })
}

/// A valid message: at most one question when the OPCODE is QUERY
/// (RFC 9619), records of every type, and at most one OPT, in the
/// additional section.
///
/// ```
/// use netspec::app::dns::OwnedMessage;
/// use netspec::strategy::dns::message;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(m in message(), compress in any::<bool>())| {
///     let wire = m.to_vec(compress).unwrap();
///     prop_assert_eq!(OwnedMessage::parse(&wire).unwrap(), m);
/// });
/// ```
pub fn message() -> impl Strategy<Value = OwnedMessage> {
    (
        any::<u16>(),
        any::<u16>(),
        vec((name(), any::<u16>(), any::<u16>()), 0..3),
        vec(record(), 0..5),
        vec(record(), 0..3),
        vec(record(), 0..3),
        proptest::option::of(opt_record()),
    )
        .prop_map(|(id, flags, qs, answers, authorities, mut additionals, opt)| {
            let flags = DnsFlags::from_bits_retain(flags);
            let mut questions: Vec<OwnedQuestion> = qs
                .into_iter()
                .map(|(name, t, c)| OwnedQuestion {
                    name,
                    qtype: RrType(t),
                    qclass: RrClass(c),
                })
                .collect();
            if flags.opcode().0 == 0 {
                questions.truncate(1);
            }
            if let Some(o) = opt {
                additionals.push(o);
            }
            OwnedMessage {
                id,
                flags,
                questions,
                answers,
                authorities,
                additionals,
            }
        })
}

/// The wire bytes of a valid message, with or without compression.
///
/// ```
/// use netspec::app::dns::DnsMessage;
/// use netspec::strategy::dns::message_bytes;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(bytes in message_bytes())| {
///     prop_assert!(DnsMessage::parse(&bytes).is_ok());
/// });
/// ```
pub fn message_bytes() -> impl Strategy<Value = Vec<u8>> {
    (message(), any::<bool>()).prop_map(|(m, c)| m.to_vec(c).expect("a generated message fits 64 KiB"))
}

/// A valid message's bytes with one hostile change: a byte replaced, the
/// message cut short, or a 16-bit field (a count, an RDLENGTH, a pointer)
/// overwritten.
///
/// ```
/// use netspec::app::dns::DnsMessage;
/// use netspec::strategy::dns::mutated_message_bytes;
/// use proptest::prelude::*;
///
/// proptest!(ProptestConfig::with_cases(16), |(bytes in mutated_message_bytes())| {
///     // Strict parsing gives a message or a typed error; lenient parsing
///     // fails only below the 12-byte header.
///     let _ = DnsMessage::parse(&bytes);
///     prop_assert_eq!(DnsMessage::parse_lenient(&bytes).is_ok(), bytes.len() >= 12);
/// });
/// ```
pub fn mutated_message_bytes() -> impl Strategy<Value = Vec<u8>> {
    (
        message_bytes(),
        any::<prop::sample::Index>(),
        any::<u8>(),
        any::<u16>(),
        0..3u8,
    )
        .prop_map(|(mut b, at, byte, word, how)| {
            let i = at.index(b.len());
            match how {
                0 => b[i] = byte,
                1 => b.truncate(i),
                _ => {
                    if i + 1 < b.len() {
                        b[i..i + 2].copy_from_slice(&word.to_be_bytes());
                    }
                }
            }
            b
        })
}
