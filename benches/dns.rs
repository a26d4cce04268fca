//! DNS, netspec against simple-dns, hickory-proto and dns-parser:
//!
//! * `dns_parse_150B`: the response of `benches/data/dns_response_150B.hex`
//!   (question, CNAME → CNAME → 2 × A, OPT; every owner name a compression
//!   pointer). Every header field, the question, every record's type,
//!   class, TTL and RDATA, and the OPT fields are decoded into a
//!   [`Summary`]. The `+names` variants also render every name (question,
//!   owners, CNAME targets) as text into one reused `String`.
//! * `dns_query_build_33B`: build `www.example.com. IN A` with RD set and
//!   ID 0xbeef from its text name; the result must equal
//!   `dns_query_33B.hex`. netspec and simple-dns write into a preallocated
//!   buffer; dns-parser and hickory-proto can only return a new `Vec`.
//!
//! Before timing, all implementations must agree on the summary and on the
//! rendered names (compared without the trailing root dot, which only
//! hickory-proto prints).

use criterion::{Criterion, criterion_group, criterion_main};
use std::fmt::Write as _;
use std::hint::black_box;

mod common;

/// One answer record: TYPE, CLASS, TTL and, for A records, the address.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    rtype: u16,
    class: u16,
    ttl: u32,
    a: Option<[u8; 4]>,
}

/// Everything decoded from the response by one implementation.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    id: u16,
    qr: bool,
    opcode: u8,
    aa: bool,
    tc: bool,
    rd: bool,
    ra: bool,
    rcode: u8,
    questions: u8,
    qtype: u16,
    qclass: u16,
    answers: u8,
    answer: [Answer; 4],
    authorities: u8,
    /// Additional records other than OPT.
    additionals: u8,
    opt_udp_size: u16,
    opt_version: u8,
}

/// Render a name (with a newline) when `NAMES`.
macro_rules! render {
    ($names:expr, $out:expr, $name:expr) => {
        if $names {
            write!($out, "{}\n", $name).ok()?;
        }
    };
}

mod netspec_impl {
    use super::*;
    use netspec::app::dns::{DnsFlags, DnsMessage, RData, Section};

    pub fn parse<const NAMES: bool>(data: &[u8], out: &mut String) -> Option<Summary> {
        let msg = DnsMessage::parse(data).ok()?;
        let flags = msg.flags();
        let mut s = Summary {
            id: msg.id(),
            qr: flags.contains(DnsFlags::QR),
            opcode: msg.opcode().0,
            aa: flags.contains(DnsFlags::AA),
            tc: flags.contains(DnsFlags::TC),
            rd: flags.contains(DnsFlags::RD),
            ra: flags.contains(DnsFlags::RA),
            rcode: (flags.bits() & 0xf) as u8,
            ..Summary::default()
        };
        out.clear();
        for q in msg.questions() {
            s.questions += 1;
            s.qtype = q.qtype().0;
            s.qclass = q.qclass().0;
            if NAMES {
                q.name().push_text(out);
                out.push('\n');
            }
        }
        for r in msg.answers() {
            if NAMES {
                r.name().push_text(out);
                out.push('\n');
            }
            let a = s.answer.get_mut(usize::from(s.answers))?;
            *a = Answer {
                rtype: r.rtype().0,
                class: r.class().0,
                ttl: r.ttl(),
                a: None,
            };
            match r.try_rdata().ok()? {
                RData::A(addr) => a.a = Some(addr.octets()),
                RData::Cname(target) if NAMES => {
                    target.push_text(out);
                    out.push('\n');
                }
                _ => {}
            }
            s.answers += 1;
        }
        s.authorities = msg.records(Section::Authority).count() as u8;
        for r in msg.additionals() {
            match r.try_rdata().ok()? {
                RData::Opt(opt) => {
                    s.opt_udp_size = opt.udp_payload_size;
                    s.opt_version = opt.version;
                }
                _ => s.additionals += 1,
            }
        }
        Some(s)
    }
}

mod dns_parser_impl {
    use super::*;
    use dns_parser::{Packet, RData};

    pub fn parse<const NAMES: bool>(data: &[u8], out: &mut String) -> Option<Summary> {
        let p = Packet::parse(data).ok()?;
        let h = &p.header;
        let mut s = Summary {
            id: h.id,
            qr: !h.query,
            opcode: Into::<u16>::into(h.opcode) as u8,
            aa: h.authoritative,
            tc: h.truncated,
            rd: h.recursion_desired,
            ra: h.recursion_available,
            rcode: h.response_code.into(),
            questions: p.questions.len() as u8,
            answers: p.answers.len() as u8,
            authorities: p.nameservers.len() as u8,
            additionals: p.additional.len() as u8,
            ..Summary::default()
        };
        out.clear();
        for q in &p.questions {
            s.qtype = q.qtype as u16;
            s.qclass = q.qclass as u16;
            render!(NAMES, out, q.qname);
        }
        for (a, r) in s.answer.iter_mut().zip(&p.answers) {
            render!(NAMES, out, r.name);
            let (rtype, addr) = match &r.data {
                RData::A(rec) => (1, Some(rec.0.octets())),
                RData::CNAME(rec) => {
                    render!(NAMES, out, rec.0);
                    (5, None)
                }
                _ => (0, None),
            };
            *a = Answer {
                rtype,
                class: r.cls as u16,
                ttl: r.ttl,
                a: addr,
            };
        }
        if let Some(opt) = &p.opt {
            s.opt_udp_size = opt.udp;
            s.opt_version = opt.version;
        }
        Some(s)
    }
}

mod simple_dns_impl {
    use super::*;
    use simple_dns::rdata::RData;
    use simple_dns::{Packet, PacketFlag};

    pub fn parse<const NAMES: bool>(data: &[u8], out: &mut String) -> Option<Summary> {
        let p = Packet::parse(data).ok()?;
        let mut s = Summary {
            id: p.id(),
            qr: p.has_flags(PacketFlag::RESPONSE),
            opcode: p.opcode() as u8,
            aa: p.has_flags(PacketFlag::AUTHORITATIVE_ANSWER),
            tc: p.has_flags(PacketFlag::TRUNCATION),
            rd: p.has_flags(PacketFlag::RECURSION_DESIRED),
            ra: p.has_flags(PacketFlag::RECURSION_AVAILABLE),
            rcode: p.rcode() as u8,
            questions: p.questions.len() as u8,
            answers: p.answers.len() as u8,
            authorities: p.name_servers.len() as u8,
            additionals: p.additional_records.len() as u8,
            ..Summary::default()
        };
        out.clear();
        for q in &p.questions {
            s.qtype = q.qtype.into();
            s.qclass = q.qclass.into();
            render!(NAMES, out, q.qname);
        }
        for (a, r) in s.answer.iter_mut().zip(&p.answers) {
            render!(NAMES, out, r.name);
            let addr = match &r.rdata {
                RData::A(rec) => Some(rec.address.to_be_bytes()),
                RData::CNAME(rec) => {
                    render!(NAMES, out, rec.0);
                    None
                }
                _ => None,
            };
            *a = Answer {
                rtype: r.rdata.type_code().into(),
                class: r.class.into(),
                ttl: r.ttl,
                a: addr,
            };
        }
        if let Some(opt) = p.opt() {
            s.opt_udp_size = opt.udp_packet_size;
            s.opt_version = opt.version;
        }
        Some(s)
    }
}

mod hickory_impl {
    use super::*;
    use hickory_proto::op::{Message, MessageType};
    use hickory_proto::rr::RData;

    pub fn parse<const NAMES: bool>(data: &[u8], out: &mut String) -> Option<Summary> {
        let m = Message::from_vec(data).ok()?;
        let h = &m.metadata;
        let mut s = Summary {
            id: h.id,
            qr: h.message_type == MessageType::Response,
            opcode: u8::from(h.op_code),
            aa: h.authoritative,
            tc: h.truncation,
            rd: h.recursion_desired,
            ra: h.recursion_available,
            rcode: h.response_code.low(),
            questions: m.queries.len() as u8,
            answers: m.answers.len() as u8,
            authorities: m.authorities.len() as u8,
            additionals: m.additionals.len() as u8,
            ..Summary::default()
        };
        out.clear();
        for q in &m.queries {
            s.qtype = q.query_type.into();
            s.qclass = q.query_class.into();
            render!(NAMES, out, q.name);
        }
        for (a, r) in s.answer.iter_mut().zip(&m.answers) {
            render!(NAMES, out, r.name);
            let addr = match &r.data {
                RData::A(rec) => Some(rec.0.octets()),
                RData::CNAME(rec) => {
                    render!(NAMES, out, rec.0);
                    None
                }
                _ => None,
            };
            *a = Answer {
                rtype: r.record_type().into(),
                class: r.dns_class.into(),
                ttl: r.ttl,
                a: addr,
            };
        }
        if let Some(edns) = &m.edns {
            s.opt_udp_size = edns.max_payload();
            s.opt_version = edns.version();
        }
        Some(s)
    }
}

// ---------------------------------------------------------------- build --

const QNAME: &str = "www.example.com";

fn netspec_build(buf: &mut [u8]) -> Option<usize> {
    use netspec::app::dns::{DnsFlags, MessageBuilder, RrClass, RrType};
    let mut b = MessageBuilder::new(buf, 0xbeef, DnsFlags::RD).ok()?;
    b.question(black_box(QNAME), RrType::A, RrClass::IN).ok()?;
    Some(b.finish())
}

fn simple_dns_build(buf: &mut [u8]) -> Option<usize> {
    use simple_dns::{CLASS, Name, Packet, PacketFlag, Question, TYPE};
    let mut p = Packet::new_query(0xbeef);
    p.set_flags(PacketFlag::RECURSION_DESIRED);
    p.questions.push(Question::new(
        Name::new(QNAME).ok()?,
        TYPE::A.into(),
        CLASS::IN.into(),
        false,
    ));
    let total = buf.len();
    let mut w = &mut buf[..];
    p.write_to(&mut w).ok()?;
    Some(total - w.len())
}

fn dns_parser_build(buf: &mut [u8]) -> Option<usize> {
    use dns_parser::{Builder, QueryClass, QueryType};
    let mut b = Builder::new_query(0xbeef, true);
    b.add_question(QNAME, false, QueryType::A, QueryClass::IN);
    let v = b.build().ok()?;
    buf[..v.len()].copy_from_slice(&v);
    Some(v.len())
}

fn hickory_build(buf: &mut [u8]) -> Option<usize> {
    use hickory_proto::op::{Message, MessageType, OpCode, Query};
    use hickory_proto::rr::{Name, RecordType};
    let mut m = Message::new(0xbeef, MessageType::Query, OpCode::Query);
    m.metadata.recursion_desired = true;
    m.add_query(Query::query(Name::from_ascii(QNAME).ok()?, RecordType::A));
    let v = m.to_vec().ok()?;
    buf[..v.len()].copy_from_slice(&v);
    Some(v.len())
}

// ---------------------------------------------------------------- groups --

type ParseFn = fn(&[u8], &mut String) -> Option<Summary>;
type BuildFn = fn(&mut [u8]) -> Option<usize>;

const PARSERS: [(&str, ParseFn); 8] = [
    ("netspec", netspec_impl::parse::<false>),
    ("netspec+names", netspec_impl::parse::<true>),
    ("simple-dns", simple_dns_impl::parse::<false>),
    ("simple-dns+names", simple_dns_impl::parse::<true>),
    ("hickory-proto", hickory_impl::parse::<false>),
    ("hickory-proto+names", hickory_impl::parse::<true>),
    ("dns-parser", dns_parser_impl::parse::<false>),
    ("dns-parser+names", dns_parser_impl::parse::<true>),
];

const BUILDERS: [(&str, BuildFn); 4] = [
    ("netspec", netspec_build),
    ("simple-dns", simple_dns_build),
    ("hickory-proto", hickory_build),
    ("dns-parser", dns_parser_build),
];

/// Rendered names without a trailing root dot, for comparison.
fn normalized(names: &str) -> String {
    names
        .lines()
        .map(|l| l.strip_suffix('.').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

fn dns_parse(c: &mut Criterion) {
    let group = "dns_parse_150B";
    let msg = common::load_hex("dns_response_150B.hex");
    let mut reference: Option<Summary> = None;
    let mut reference_names: Option<String> = None;
    for (name, f) in PARSERS {
        let mut out = String::new();
        let s = f(&msg, &mut out).unwrap_or_else(|| panic!("{group}/{name}: parse failed"));
        assert_eq!((s.id, s.answers, s.opt_udp_size), (0xbeef, 4, 1232), "{group}/{name}");
        match &reference {
            None => reference = Some(s),
            Some(r) => assert_eq!(&s, r, "{group}/{name} disagrees"),
        }
        if !name.ends_with("+names") {
            assert!(out.is_empty());
            continue;
        }
        let names = normalized(&out);
        assert_eq!(names.lines().count(), 7, "{group}/{name}: {names}");
        match &reference_names {
            None => reference_names = Some(names),
            Some(r) => assert_eq!(&names, r, "{group}/{name} renders names differently"),
        }
    }
    let mut g = c.benchmark_group(group);
    let mut out = String::with_capacity(256);
    for (name, f) in PARSERS {
        g.bench_function(name, |b| b.iter(|| f(black_box(&msg), black_box(&mut out))));
    }
    g.finish();
}

fn dns_query_build(c: &mut Criterion) {
    let group = "dns_query_build_33B";
    let want = common::load_hex("dns_query_33B.hex");
    let mut buf = vec![0u8; 512];
    for (name, f) in BUILDERS {
        buf.fill(0xee);
        let n = f(&mut buf).unwrap_or_else(|| panic!("{group}/{name}: build failed"));
        assert_eq!(&buf[..n], &want[..], "{group}/{name} built different bytes");
    }
    let mut g = c.benchmark_group(group);
    for (name, f) in BUILDERS {
        g.bench_function(name, |b| b.iter(|| f(black_box(&mut buf))));
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = dns_parse, dns_query_build
}
criterion_main!(benches);
