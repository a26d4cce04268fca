//! Wireshark's view of a DNS message, for differential testing.
//!
//! netspec's `dissect` tool and its Wireshark differential tests compare
//! netspec with `tshark` field by field. [`write_truth_fields`] writes a
//! message's `dns.*` keys in the project's truth schema (one flat JSON
//! object per frame, keys named after tshark's fields): the header and its
//! flags, the counts, and the question and record lists, with names as
//! tshark prints them ([`Name::write_tshark`]: no trailing dot, `<Root>`
//! for the root).
//!
//! Like tshark, the flags meaningful only in responses
//! (`authoritative`, `recavail`, `rcode`) appear only in responses,
//! `authenticated` appears in a query only when it is set, and a
//! record list appears only when its header count is not zero. The output
//! is allocation-free and goes to any `fmt::Write`.
//!
//! ```
//! use netspec::app::dns::{DnsMessage, tshark::write_truth_fields};
//! let q = b"\xbe\xef\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\
//!           \x01a\x00\x00\x01\x00\x01";
//! let mut out = String::new();
//! write_truth_fields(&DnsMessage::parse(q).unwrap(), None, &mut out).unwrap();
//! assert!(out.starts_with(r#""dns.id":48879,"dns.flags":256,"#));
//! assert!(out.ends_with(r#""dns.qry":[{"name":"a","type":1,"class":1}]"#));
//! ```

use core::fmt::{self, Write};

use super::message::{DnsMessage, Record, Section};
use super::name::{Name, format_text};
use super::rdata::RData;
use super::types::DnsFlags;

/// Escapes what a JSON string may not hold as is (RFC 8259 §7).
struct JsonStr<'w, W: Write>(&'w mut W);

impl<W: Write> Write for JsonStr<'_, W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for c in s.chars() {
            self.write_char(c)?;
        }
        Ok(())
    }

    fn write_char(&mut self, c: char) -> fmt::Result {
        match c {
            '"' => self.0.write_str("\\\""),
            '\\' => self.0.write_str("\\\\"),
            c if (c as u32) < 0x20 => write!(self.0, "\\u{:04x}", c as u32),
            c => self.0.write_char(c),
        }
    }
}

fn name<W: Write>(w: &mut W, n: &Name<'_>) -> fmt::Result {
    w.write_char('"')?;
    n.write_tshark(&mut JsonStr(w))?;
    w.write_char('"')
}

/// A character-string as tshark shows it (Wireshark's `format_text`).
fn text<W: Write>(w: &mut W, s: &[u8]) -> fmt::Result {
    w.write_char('"')?;
    format_text(&mut JsonStr(w), s)?;
    w.write_char('"')
}

fn record<W: Write>(w: &mut W, r: &Record<'_>) -> fmt::Result {
    w.write_str("{\"name\":")?;
    name(w, &r.name())?;
    write!(w, ",\"type\":{}", r.rtype().0)?;
    if let RData::Opt(o) = r.rdata() {
        write!(
            w,
            ",\"udp_payload_size\":{},\"ext_rcode\":{},\"version\":{},\"z\":{},\"do\":{},\"rdlength\":{},\"options\":[",
            o.udp_payload_size,
            o.ext_rcode,
            o.version,
            o.flags,
            u8::from(o.dnssec_ok()),
            r.rdlength()
        )?;
        for (i, opt) in o.options().enumerate() {
            if i > 0 {
                w.write_char(',')?;
            }
            write!(
                w,
                "{{\"code\":{},\"len\":{},\"data_hex\":\"",
                opt.code.0,
                opt.data.len()
            )?;
            for b in opt.data {
                write!(w, "{b:02x}")?;
            }
            w.write_str("\"}")?;
        }
        return w.write_str("]}");
    }
    write!(
        w,
        ",\"class\":{},\"ttl\":{},\"rdlength\":{}",
        r.class().0,
        r.ttl(),
        r.rdlength()
    )?;
    match r.rdata() {
        RData::A(a) => write!(w, ",\"a\":\"{a}\"")?,
        RData::Aaaa(a) => write!(w, ",\"aaaa\":\"{a}\"")?,
        RData::Ns(n) => {
            w.write_str(",\"ns\":")?;
            name(w, &n)?;
        }
        RData::Cname(n) => {
            w.write_str(",\"cname\":")?;
            name(w, &n)?;
        }
        RData::Ptr(n) => {
            w.write_str(",\"ptr\":")?;
            name(w, &n)?;
        }
        RData::Mx { preference, exchange } => {
            write!(w, ",\"mx.preference\":{preference},\"mx.exchange\":")?;
            name(w, &exchange)?;
        }
        RData::Txt(t) => {
            w.write_str(",\"txt\":[")?;
            for (i, s) in t.strings().enumerate() {
                if i > 0 {
                    w.write_char(',')?;
                }
                text(w, s)?;
            }
            w.write_char(']')?;
        }
        RData::Soa(s) => {
            w.write_str(",\"soa.mname\":")?;
            name(w, &s.mname)?;
            w.write_str(",\"soa.rname\":")?;
            name(w, &s.rname)?;
            write!(w, ",\"soa.serial\":{}", s.serial)?;
        }
        RData::Srv(s) => {
            write!(
                w,
                ",\"srv.priority\":{},\"srv.weight\":{},\"srv.port\":{},\"srv.target\":",
                s.priority, s.weight, s.port
            )?;
            name(w, &s.target)?;
        }
        _ => {}
    }
    w.write_char('}')
}

/// Write the `dns.*` members of the truth schema for `m` (comma-separated
/// `"key":value` pairs, without the enclosing braces, so that the caller
/// can merge them with other layers' keys). `tcp_length` is the 2-byte
/// prefix when the message came over TCP (RFC 1035 §4.2.2).
pub fn write_truth_fields<W: Write>(m: &DnsMessage<'_>, tcp_length: Option<u16>, w: &mut W) -> fmt::Result {
    if let Some(l) = tcp_length {
        write!(w, "\"dns.length\":{l},")?;
    }
    let f = m.flags();
    let bit = |b: DnsFlags| u8::from(f.contains(b));
    let response = f.contains(DnsFlags::QR);
    write!(
        w,
        "\"dns.id\":{},\"dns.flags\":{},\"dns.flags.response\":{},\"dns.flags.opcode\":{}",
        m.id(),
        f.bits(),
        bit(DnsFlags::QR),
        f.opcode().0
    )?;
    if response {
        write!(w, ",\"dns.flags.authoritative\":{}", bit(DnsFlags::AA))?;
    }
    write!(
        w,
        ",\"dns.flags.truncated\":{},\"dns.flags.recdesired\":{}",
        bit(DnsFlags::TC),
        bit(DnsFlags::RD)
    )?;
    if response {
        write!(w, ",\"dns.flags.recavail\":{}", bit(DnsFlags::RA))?;
    }
    write!(w, ",\"dns.flags.z\":{}", bit(DnsFlags::Z))?;
    // tshark shows AD in a query only when it is set.
    if response || f.contains(DnsFlags::AD) {
        write!(w, ",\"dns.flags.authenticated\":{}", bit(DnsFlags::AD))?;
    }
    write!(w, ",\"dns.flags.checkdisable\":{}", bit(DnsFlags::CD))?;
    if response {
        write!(w, ",\"dns.flags.rcode\":{}", f.rcode().0)?;
    }
    write!(
        w,
        ",\"dns.count.queries\":{},\"dns.count.answers\":{},\"dns.count.auth_rr\":{},\"dns.count.add_rr\":{}",
        m.header_count(Section::Question),
        m.header_count(Section::Answer),
        m.header_count(Section::Authority),
        m.header_count(Section::Additional)
    )?;
    w.write_str(",\"dns.qry\":[")?;
    for (i, q) in m.questions().enumerate() {
        if i > 0 {
            w.write_char(',')?;
        }
        w.write_str("{\"name\":")?;
        name(w, &q.name())?;
        write!(w, ",\"type\":{},\"class\":{}}}", q.qtype().0, q.qclass().0)?;
    }
    w.write_char(']')?;
    for (key, s) in [
        ("dns.an", Section::Answer),
        ("dns.ns", Section::Authority),
        ("dns.ar", Section::Additional),
    ] {
        if m.header_count(s) == 0 {
            continue;
        }
        write!(w, ",\"{key}\":[")?;
        for (i, r) in m.records(s).enumerate() {
            if i > 0 {
                w.write_char(',')?;
            }
            record(w, &r)?;
        }
        w.write_char(']')?;
    }
    Ok(())
}
