//! DNS against real captures and Wireshark: every DNS frame of the shared
//! corpus (tcpdump and Zeek test captures, see `tests/data/corpus/`) is
//! parsed and its `dns.*` keys are compared with tshark's truth files
//! (schema in the shared truth README).
//!
//! The lower layers are skipped at fixed offsets by a private helper here
//! (Ethernet/VLAN, BSD loopback, raw IP, Linux SLL/SLL2, IPv4, IPv6 with
//! extension headers, UDP, TCP), with a small private pcap/pcapng reader,
//! so that this test depends only on the DNS module.

mod common;

use std::collections::BTreeMap;

use netspec::app::dns::tshark::write_truth_fields;
use netspec::app::dns::{DnsMessage, RData, Section};
use serde_json::{Value, json};

/// One captured frame: link type and bytes.
struct Frame {
    linktype: u32,
    data: Vec<u8>,
}

fn u16_at(b: &[u8], at: usize, le: bool) -> u16 {
    let v = [b[at], b[at + 1]];
    if le {
        u16::from_le_bytes(v)
    } else {
        u16::from_be_bytes(v)
    }
}

fn u32_at(b: &[u8], at: usize, le: bool) -> u32 {
    let v = [b[at], b[at + 1], b[at + 2], b[at + 3]];
    if le {
        u32::from_le_bytes(v)
    } else {
        u32::from_be_bytes(v)
    }
}

/// Read a classic pcap (either byte order, usec or nsec) or a pcapng file.
fn read_capture(b: &[u8]) -> Vec<Frame> {
    let mut out = Vec::new();
    if b.len() < 24 {
        return out;
    }
    if b[..4] == [0x0a, 0x0d, 0x0d, 0x0a] {
        // pcapng: blocks of (type, total length, body, total length).
        let mut le = true;
        let mut ifaces: Vec<u32> = Vec::new();
        let mut at = 0;
        while at + 12 <= b.len() {
            let t = u32_at(b, at, le);
            if t == 0x0a0d0d0a {
                le = b[at + 8..at + 12] == [0x4d, 0x3c, 0x2b, 0x1a];
                ifaces.clear();
            }
            let len = u32_at(b, at + 4, le) as usize;
            if len < 12 || at + len > b.len() {
                break;
            }
            let body = &b[at + 8..at + len - 4];
            match u32_at(b, at, le) {
                1 => ifaces.push(u32::from(u16_at(body, 0, le))),
                6 => {
                    let iface = u32_at(body, 0, le) as usize;
                    let cap = u32_at(body, 12, le) as usize;
                    out.push(Frame {
                        linktype: ifaces.get(iface).copied().unwrap_or(1),
                        data: body[20..20 + cap].to_vec(),
                    });
                }
                3 => {
                    let orig = u32_at(body, 0, le) as usize;
                    let cap = orig.min(body.len() - 4);
                    out.push(Frame {
                        linktype: ifaces.first().copied().unwrap_or(1),
                        data: body[4..4 + cap].to_vec(),
                    });
                }
                _ => {}
            }
            at += len;
        }
        return out;
    }
    let le = match b[..4] {
        [0xd4, 0xc3, 0xb2, 0xa1] | [0x4d, 0x3c, 0xb2, 0xa1] => true,
        [0xa1, 0xb2, 0xc3, 0xd4] | [0xa1, 0xb2, 0x3c, 0x4d] => false,
        _ => panic!("not a capture file"),
    };
    let linktype = u32_at(b, 20, le) & 0x0fff_ffff;
    let mut at = 24;
    while at + 16 <= b.len() {
        let cap = u32_at(b, at + 8, le) as usize;
        let end = (at + 16 + cap).min(b.len());
        out.push(Frame {
            linktype,
            data: b[at + 16..end].to_vec(),
        });
        at = end;
    }
    out
}

/// Where the DNS message sits in a frame: the bytes, and the TCP length
/// prefix if it came over TCP.
fn locate_dns(f: &Frame) -> Option<(&[u8], Option<u16>)> {
    let (proto, _, l4) = transport(f)?;
    match proto {
        17 => {
            let ulen = usize::from(u16::from_be_bytes([*l4.get(4)?, *l4.get(5)?]));
            Some((l4.get(8..ulen.min(l4.len()))?, None))
        }
        6 => {
            let doff = usize::from(l4.get(12)? >> 4) * 4;
            let data = l4.get(doff..)?;
            let len = u16::from_be_bytes([*data.first()?, *data.get(1)?]);
            Some((&data[2..], Some(len)))
        }
        _ => None,
    }
}

/// The transport protocol, the IP source and destination addresses, and
/// the transport header and payload of a frame (first fragments only).
fn transport(f: &Frame) -> Option<(u8, Vec<u8>, &[u8])> {
    let d = &f.data[..];
    let (ip, version) = match f.linktype {
        1 => {
            let mut et = u16::from_be_bytes([*d.get(12)?, *d.get(13)?]);
            let mut off = 14;
            while matches!(et, 0x8100 | 0x88a8 | 0x9100) {
                et = u16::from_be_bytes([*d.get(off + 2)?, *d.get(off + 3)?]);
                off += 4;
            }
            (d.get(off..)?, if et == 0x86dd { 6 } else { 4 })
        }
        0 => (
            d.get(4..)?,
            if u32_at(d, 0, true) == 2 || u32_at(d, 0, false) == 2 {
                4
            } else {
                6
            },
        ),
        101 | 228 | 229 => (d, d.first()? >> 4),
        113 => (
            d.get(16..)?,
            if u16::from_be_bytes([d[14], d[15]]) == 0x86dd {
                6
            } else {
                4
            },
        ),
        276 => (
            d.get(20..)?,
            if u16::from_be_bytes([d[0], d[1]]) == 0x86dd {
                6
            } else {
                4
            },
        ),
        _ => return None,
    };
    let (proto, l4) = if version == 4 {
        let ihl = usize::from(ip.first()? & 0xf) * 4;
        let total = usize::from(u16::from_be_bytes([*ip.get(2)?, *ip.get(3)?]));
        if u16::from_be_bytes([*ip.get(6)?, *ip.get(7)?]) & 0x1fff != 0 {
            return None;
        }
        (*ip.get(9)?, ip.get(ihl..total.min(ip.len()))?)
    } else {
        let plen = usize::from(u16::from_be_bytes([*ip.get(4)?, *ip.get(5)?]));
        let mut nxt = *ip.get(6)?;
        let mut off = 40;
        loop {
            match nxt {
                0 | 43 | 60 => {
                    nxt = *ip.get(off)?;
                    off += (usize::from(*ip.get(off + 1)?) + 1) * 8;
                }
                44 => {
                    if u16::from_be_bytes([*ip.get(off + 2)?, *ip.get(off + 3)?]) >> 3 != 0 {
                        return None;
                    }
                    nxt = *ip.get(off)?;
                    off += 8;
                }
                _ => break,
            }
        }
        (nxt, ip.get(off..(40 + plen).min(ip.len()))?)
    };
    let addrs = if version == 4 { ip.get(12..20)? } else { ip.get(8..40)? };
    Some((proto, addrs.to_vec(), l4))
}

/// Our `dns.*` keys for one message, in the truth schema, through the
/// library's own writer (the one `dissect` prints).
fn our_keys(m: &DnsMessage<'_>, tcp_len: Option<u16>) -> BTreeMap<String, Value> {
    let mut text = String::from("{");
    write_truth_fields(m, tcp_len, &mut text).unwrap();
    text.push('}');
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Agreement counters: per key, (compared, agreed).
#[derive(Default)]
struct Tally {
    keys: BTreeMap<String, (usize, usize)>,
    frames: usize,
    frames_agreeing: usize,
    mismatches: Vec<String>,
    /// Keys we write that tshark did not, with how often.
    extra: BTreeMap<String, usize>,
}

impl Tally {
    fn check(&mut self, key: &str, ours: Option<&Value>, truth: &Value, frame: &str) -> bool {
        let e = self.keys.entry(key.to_string()).or_default();
        e.0 += 1;
        let ok = ours == Some(truth);
        if ok {
            e.1 += 1;
        } else if self.mismatches.len() < 40 {
            self.mismatches
                .push(format!("{frame} {key}: ours {ours:?} truth {truth}"));
        }
        ok
    }

    /// Compare every key present in the truth (and, inside record lists,
    /// the records both sides have, then the list lengths).
    fn compare(&mut self, ours: &BTreeMap<String, Value>, truth: &serde_json::Map<String, Value>, frame: &str) -> bool {
        let mut all = true;
        for key in ours.keys().filter(|k| !truth.contains_key(*k)) {
            *self.extra.entry(key.clone()).or_default() += 1;
        }
        for (key, tv) in truth.iter().filter(|(k, _)| k.starts_with("dns.")) {
            match (tv, ours.get(key)) {
                (Value::Array(tl), Some(Value::Array(ol))) => {
                    for (i, (t, o)) in tl.iter().zip(ol).enumerate() {
                        if let (Value::Object(t), Value::Object(o)) = (t, o) {
                            for (sub, tv) in t {
                                all &= self.check(&format!("{key}[].{sub}"), o.get(sub), tv, &format!("{frame} #{i}"));
                            }
                        }
                    }
                    all &= self.check(&format!("{key}.len"), Some(&json!(ol.len())), &json!(tl.len()), frame);
                }
                _ => all &= self.check(key, ours.get(key), tv, frame),
            }
        }
        self.frames += 1;
        if all {
            self.frames_agreeing += 1;
        }
        all
    }
}

/// The captures that carry DNS: the 22 the corpus MANIFEST lists with a
/// `dns` protocol, plus dns-zlip-1. Named explicitly because `tests/data/corpus`
/// also holds captures other tests use.
const DNS_CAPTURES: [(&str, &str); 23] = [
    ("tcpdump", "LINKTYPE_RAW_ipv4.pcap"),
    ("tcpdump", "dns-badcookie.pcap"),
    ("tcpdump", "dns-badlabel.pcap"),
    ("tcpdump", "dns-zlip-1.pcap"),
    ("tcpdump", "dns_fwdptr.pcap"),
    ("tcpdump", "dns_tcp.pcap"),
    ("tcpdump", "dns_udp.pcap"),
    ("tcpdump", "dnssec.pcap"),
    ("tcpdump", "edns-opts.pcap"),
    ("tcpdump", "ipv4_invalid_total_length.pcap"),
    ("tcpdump", "mptcp-aa-v1.pcap"),
    ("zeek", "dns-caa.pcap"),
    ("zeek", "dns-edns-ecs-bad.pcap"),
    ("zeek", "dns-edns-ecs.pcap"),
    ("zeek", "dns-https.pcap"),
    ("zeek", "dns-svcb.pcap"),
    ("zeek", "dns_dns-invalid-names.pcap"),
    ("zeek", "dns_max-compression-depth.pcap"),
    ("zeek", "dns_naptr.pcap"),
    ("zeek", "icmp_icmp-destunreach-udp.pcap"),
    ("zeek", "ipv6-fragmented-dns.pcap"),
    ("zeek", "ipv6-hbh-routing0.pcap"),
    ("zeek", "pcapng-multi-interface.pcapng"),
];

fn corpus_files() -> Vec<(String, String)> {
    DNS_CAPTURES
        .iter()
        .map(|(d, f)| (d.to_string(), f.to_string()))
        .collect()
}

#[test]
fn corpus_agrees_with_wireshark() {
    let mut clean = Tally::default();
    let mut malformed = Tally::default();
    let mut strict_ok_on_clean = 0;
    let mut strict_rejected_on_malformed = 0;
    let files = corpus_files();
    assert_eq!(files.len(), 23, "22 DNS captures from the MANIFEST plus dns-zlip-1");
    for (dir, file) in &files {
        let bytes = std::fs::read(common::data_path(&format!("corpus/captures/{dir}/{file}"))).unwrap();
        let frames = read_capture(&bytes);
        let truth_path = common::data_path(&format!("corpus/expected/truth/{dir}/{file}.truth.jsonl"));
        let truth: Vec<serde_json::Map<String, Value>> = std::fs::read_to_string(truth_path)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(frames.len(), truth.len(), "{file}: frame count");
        for (i, (f, t)) in frames.iter().zip(&truth).enumerate() {
            // Every frame parses without panic, strict and lenient,
            // whatever tshark made of it.
            let Some((dns, tcp_len)) = locate_dns(f) else { continue };
            let strict = DnsMessage::parse(dns);
            let lenient = DnsMessage::parse_lenient(dns);
            if !t.contains_key("dns.id") {
                continue;
            }
            let tag = format!("{dir}/{file} frame {}", i + 1);
            let (m, _) = lenient.unwrap_or_else(|e| panic!("{tag}: {e}"));
            let ours = our_keys(&m, tcp_len);
            if t.get("malformed") == Some(&json!(1)) {
                malformed.compare(&ours, t, &tag);
                strict_rejected_on_malformed += usize::from(strict.is_err());
            } else {
                clean.compare(&ours, t, &tag);
                strict_ok_on_clean += usize::from(strict.is_ok());
                if let Err(e) = strict {
                    println!("{tag}: strict rejects a frame tshark accepts: {e}");
                }
            }
        }
    }
    for (name, t) in [("well-formed", &clean), ("tshark-malformed", &malformed)] {
        let (c, a) = t.keys.values().fold((0, 0), |(c, a), (x, y)| (c + x, a + y));
        println!(
            "{name}: {} frames, {} agree on every key; {a}/{c} key comparisons agree",
            t.frames, t.frames_agreeing
        );
        for (k, (c, a)) in &t.keys {
            println!("  {k}: {a}/{c}");
        }
        println!("  keys only we write: {:?}", t.extra);
        for m in &t.mismatches {
            println!("  mismatch: {m}");
        }
    }
    println!(
        "strict parse: accepts {strict_ok_on_clean}/{} well-formed frames, rejects {strict_rejected_on_malformed}/{} tshark-malformed ones",
        clean.frames, malformed.frames
    );
    assert!(clean.frames > 150, "the corpus holds the DNS frames");
    // The one disagreement on a frame tshark calls well-formed: Zeek's
    // self-pointing question name, which tshark shows as a placeholder
    // name and netspec rejects (RFC 9267 §2.1); see `zeek_pointer_loop`.
    assert_eq!(
        clean.mismatches,
        ["zeek/dns_dns-invalid-names.pcap frame 2 dns.qry.len: ours Some(Number(0)) truth 1"]
    );
    assert_eq!(clean.frames_agreeing, clean.frames - 1);
    // Keys we write that tshark does not: only record lists of messages cut
    // short (a TCP segment or IP fragment holding part of a message), which
    // tshark leaves out when it stops inside them.
    assert!(
        clean
            .extra
            .keys()
            .all(|k| ["dns.an", "dns.ns", "dns.ar"].contains(&k.as_str())),
        "{:?}",
        clean.extra
    );
    // On the frames where tshark threw an exception, the header and every
    // record both finished agree; only the names tshark replaced by a
    // placeholder ("<Name too long>") are missing on our side.
    assert!(
        malformed.mismatches.iter().all(|m| m.contains("dns.qry.len")),
        "{:#?}",
        malformed.mismatches
    );
    assert_eq!(strict_rejected_on_malformed, malformed.frames);
}

/// The DNS bytes of frame `index` of a capture, found through the IP
/// length (not the UDP length, which the crafted frames falsify).
fn dns_by_ip_length(path: &str, index: usize) -> Vec<u8> {
    let bytes = std::fs::read(common::data_path(path)).unwrap();
    let f = &read_capture(&bytes)[index];
    let ip = &f.data[14..];
    let ihl = usize::from(ip[0] & 0xf) * 4;
    let total = usize::from(u16::from_be_bytes([ip[2], ip[3]])).min(ip.len());
    ip[ihl + 8..total].to_vec()
}

fn assert_backward_pointer(e: &netspec::Error) {
    assert!(
        matches!(e.kind, netspec::ErrorKind::Invalid { expected, .. } if expected.contains("before itself")),
        "{e}"
    );
}

/// CVE-2017-12995's "zlip" reproducer: a compression-pointer loop.
#[test]
fn tcpdump_zlip_pointer_loop() {
    let dns = dns_by_ip_length("corpus/captures/tcpdump/dns-zlip-1.pcap", 0);
    assert_backward_pointer(&DnsMessage::parse(&dns).unwrap_err());
    let (m, issues) = DnsMessage::parse_lenient(&dns).unwrap();
    assert!(!issues.is_empty());
    assert_eq!(m.count(Section::Question), 0);
}

/// tcpdump's forward-pointer capture (also CVE-2017-12995): 63 KB of
/// names pointing forward.
#[test]
fn tcpdump_forward_pointer() {
    let dns = dns_by_ip_length("corpus/captures/tcpdump/dns_fwdptr.pcap", 0);
    assert_backward_pointer(&DnsMessage::parse(&dns).unwrap_err());
}

/// Zeek's invalid-names capture: an empty question, a self-pointer, a
/// truncated name.
#[test]
fn zeek_pointer_loop() {
    let path = "corpus/captures/zeek/dns_dns-invalid-names.pcap";
    let e = DnsMessage::parse(&dns_by_ip_length(path, 1)).unwrap_err();
    assert_backward_pointer(&e);
    assert_eq!(e.offset, 12);
    for frame in [0, 2] {
        assert!(DnsMessage::parse(&dns_by_ip_length(path, frame)).is_err());
    }
}

/// tcpdump's bad-label capture: its first name already runs past 255
/// octets (tshark too shows `<Name too long>`), before any bad label.
#[test]
fn tcpdump_bad_label() {
    let dns = dns_by_ip_length("corpus/captures/tcpdump/dns-badlabel.pcap", 0);
    let e = DnsMessage::parse(&dns).unwrap_err();
    assert_eq!(e.kind, netspec::ErrorKind::LimitExceeded { limit: 255 });
    assert_eq!(e.field, "qname");
}

/// Zeek's maximum-compression-depth capture: a long but legal chain.
#[test]
fn zeek_max_compression_depth_parses() {
    let dns = dns_by_ip_length("corpus/captures/zeek/dns_max-compression-depth.pcap", 0);
    let m = DnsMessage::parse(&dns).unwrap();
    assert_eq!(m.answers().count(), 7);
    assert!(m.answers().all(|r| r.name().eq_text("a")));
}

/// One direction of a TCP connection: the next expected sequence number
/// and the segments' payloads in order.
type Flow = (Option<u32>, Vec<Vec<u8>>);

/// DNS over TCP from real captures, through [`TcpReassembler`]: each flow's
/// payload is fed segment by segment in sequence order (retransmissions
/// skipped), and every message that comes out must parse strictly; then
/// the same streams cut into 1-byte and 7-byte segments.
#[test]
fn tcp_streams_reassemble_into_valid_messages() {
    use netspec::app::dns::tcp::TcpReassembler;
    use std::collections::HashMap;
    let mut total = 0;
    let mut split = 0;
    for file in ["tcpdump/dns_tcp.pcap", "zeek/dns-edns-ecs.pcap"] {
        let bytes = std::fs::read(common::data_path(&format!("corpus/captures/{file}"))).unwrap();
        // Per flow: the next expected sequence number and the segments'
        // payloads in order. A flow captured without its SYN starts at its
        // first data segment.
        let mut flows: HashMap<Vec<u8>, Flow> = HashMap::new();
        for f in read_capture(&bytes) {
            let Some((6, addrs, l4)) = transport(&f) else { continue };
            let mut key = addrs;
            key.extend_from_slice(&l4[..4]);
            let seq = u32::from_be_bytes([l4[4], l4[5], l4[6], l4[7]]);
            let payload = &l4[usize::from(l4[12] >> 4) * 4..];
            let flow = flows.entry(key).or_insert((None, Vec::new()));
            if l4[13] & 0x02 != 0 {
                flow.0 = Some(seq.wrapping_add(1));
                continue;
            }
            if payload.is_empty() || flow.0.is_some_and(|next| next != seq) {
                continue;
            }
            flow.0 = Some(seq.wrapping_add(payload.len() as u32));
            flow.1.push(payload.to_vec());
        }
        for (_, (_, segments)) in flows {
            // Replay with the captured segment boundaries, then again cut
            // into 1-byte and 7-byte segments so that every length prefix
            // and message is split.
            let stream = segments.concat();
            let cuts: [Vec<&[u8]>; 3] = [
                segments.iter().map(Vec::as_slice).collect(),
                stream.chunks(1).collect(),
                stream.chunks(7).collect(),
            ];
            for (replay, pieces) in cuts.iter().enumerate() {
                let mut store = vec![0u8; netspec::app::dns::tcp::MAX_FRAME_LEN];
                let mut r = TcpReassembler::new(&mut store);
                for seg in pieces {
                    assert_eq!(r.push(seg), seg.len());
                    let mut complete = 0;
                    while let Some(m) = r.message() {
                        DnsMessage::parse(m).unwrap_or_else(|e| panic!("{file}: {e}"));
                        complete += 1;
                        if replay == 0 {
                            total += 1;
                        }
                        r.advance();
                    }
                    if complete == 0 {
                        split += 1;
                    }
                }
                assert_eq!(r.buffered(), 0, "{file}: a flow ends inside a message");
            }
        }
    }
    println!("{total} messages over TCP, {split} segments ended inside a message");
    // The eleven frames tshark shows with a `dns.length`.
    assert_eq!(total, 11);
    assert!(split > 1000);
}

/// The first answer of frame `index` of a capture.
fn first_answer<R>(path: &str, index: usize, f: impl FnOnce(RData<'_>) -> R) -> R {
    let bytes = std::fs::read(common::data_path(path)).unwrap();
    let frame = &read_capture(&bytes)[index];
    let (dns, _) = locate_dns(frame).unwrap();
    let m = DnsMessage::parse(dns).unwrap();
    f(m.answers().next().unwrap().rdata())
}

/// Zeek's HTTPS, SVCB and CAA captures decode into typed RDATA.
#[test]
fn zeek_https_svcb_caa_are_typed() {
    first_answer("corpus/captures/zeek/dns-https.pcap", 1, |r| {
        let RData::Https(h) = r else { panic!("{r:?}") };
        assert_eq!(h.priority, 1);
        assert!(h.target.is_root());
        let p: Vec<_> = h.params().collect();
        let alpn: Vec<&[u8]> = p[0].alpn_ids().unwrap().collect();
        assert_eq!(alpn, [&b"h3"[..], b"h3-29", b"h3-28", b"h3-27", b"h2"]);
        let v4: Vec<_> = p[1].ipv4_hints().unwrap().map(|a| a.to_string()).collect();
        assert_eq!(v4, ["104.16.132.229", "104.16.133.229"]);
        assert_eq!(p[2].ipv6_hints().unwrap().count(), 2);
    });
    first_answer("corpus/captures/zeek/dns-svcb.pcap", 1, |r| {
        let RData::Svcb(s) = r else { panic!("{r:?}") };
        assert_eq!(s.priority, 0, "AliasMode");
        assert!(s.target.eq_text("foo.example.com"));
    });
    first_answer("corpus/captures/zeek/dns-caa.pcap", 1, |r| {
        let RData::Caa(c) = r else { panic!("{r:?}") };
        assert_eq!((c.flags, c.tag, c.value), (0, &b"issue"[..], &b"symantec.com"[..]));
    });
}
