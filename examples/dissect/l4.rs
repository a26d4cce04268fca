//! The transport layers, TCP (RFC 9293) and UDP (RFC 768), and DNS
//! (RFC 1035) on port 53 above them, as truth-schema keys.

use netspec::app::dns::{DnsMessage, Name, RData, Record};
use netspec::transport::{ChecksumStatus, TcpOption, TcpSegment, UdpDatagram};
use serde_json::{Value, json};

use crate::dissect::{Out, hex};
use crate::ip::{Addrs, Ctx};

/// The well-known DNS port (RFC 1035 §4.2).
const DNS_PORT: u16 = 53;

/// tshark's spelling of a checksum status.
fn status(s: ChecksumStatus) -> &'static str {
    match s {
        // A zero UDP checksum over IPv6 is forbidden (RFC 8200 §8.1);
        // Wireshark calls that status "illegal".
        ChecksumStatus::ZeroInvalid => "illegal",
        s => s.as_str(),
    }
}

/// TCP (tshark layer `tcp`).
pub fn tcp(out: &mut Out, d: &[u8], base: usize, ctx: Ctx) {
    out.enter("tcp");
    let s = match TcpSegment::parse(d) {
        Ok(s) => s,
        Err(e) => {
            out.fail("tcp", base, e);
            return;
        }
    };
    out.put("tcp.srcport", s.src_port());
    out.put("tcp.dstport", s.dst_port());
    out.put("tcp.seq_raw", s.seq());
    out.put("tcp.ack_raw", s.ack());
    out.put("tcp.hdr_len", s.header_len());
    let flags = u16::from(s.reserved()) << 9 | s.flags().bits();
    out.put("tcp.flags", flags);
    // Most significant bit first: 3 reserved, AE, CWR, ECE, URG, ACK, PSH,
    // RST, SYN, FIN.
    let letters = b"RRRACEUAPRSF";
    let text: String = (0..12)
        .map(|i| {
            if flags >> (11 - i) & 1 == 1 {
                letters[i] as char
            } else {
                '.'
            }
        })
        .collect();
    out.put("tcp.flags.str", text);
    out.put("tcp.window_size_value", s.window());
    out.put("tcp.checksum", s.checksum());
    let complete = d.len() >= ctx.claimed && !ctx.fragment;
    let st = match ctx.addrs {
        _ if !complete => "unverified",
        Addrs::V4(a, b) => ChecksumStatus::from_bool(s.verify_checksum_v4(a, b)).as_str(),
        Addrs::V6(a, b) => ChecksumStatus::from_bool(s.verify_checksum_v6(&a, &b)).as_str(),
    };
    out.put("tcp.checksum.status", st);
    out.put("tcp.urgent_pointer", s.urgent_ptr());
    out.put("tcp.len", ctx.claimed.saturating_sub(s.header_len()));
    let area = s.options_bytes();
    if !area.is_empty() {
        out.put("tcp.options_hex", hex(area));
        let mut kinds = Vec::new();
        for o in s.options() {
            kinds.push(o.kind().0);
            match o {
                TcpOption::Mss(v) => out.put("tcp.opt.mss", v),
                TcpOption::WindowScale(v) => out.put("tcp.opt.wscale", v),
                TcpOption::SackPermitted => out.put("tcp.opt.sack_perm", 1),
                TcpOption::Timestamps { val, ecr } => {
                    out.put("tcp.opt.ts_val", val);
                    out.put("tcp.opt.ts_ecr", ecr);
                }
                TcpOption::Sack(b) => {
                    let l: Vec<Value> = b.as_slice().iter().map(|(l, r)| json!([l, r])).collect();
                    out.put("tcp.opt.sack", l);
                }
                _ => {}
            }
        }
        out.put("tcp.opt.kinds", kinds);
    }
    let payload = s.payload();
    if (s.src_port() == DNS_PORT || s.dst_port() == DNS_PORT) && !payload.is_empty() {
        // DNS over TCP: a two-byte length, then the message (RFC 1035
        // §4.2.2). Only a segment that starts a message is dissected.
        if payload.len() >= 2 {
            let n = usize::from(u16::from_be_bytes([payload[0], payload[1]]));
            out.enter("dns");
            out.put("dns.length", n);
            let end = (2 + n).min(payload.len());
            dns(out, &payload[2..end], base + s.header_len() + 2, true);
        }
    }
}

/// UDP (tshark layer `udp`).
pub fn udp(out: &mut Out, d: &[u8], base: usize, ctx: Ctx) {
    out.enter("udp");
    let u = match UdpDatagram::parse(d) {
        Ok(u) => u,
        Err(e) => match UdpDatagram::parse_lax(d) {
            Ok(u) if out.snapped || ctx.fragment => u,
            Ok(u) => {
                out.put("udp.srcport", u.src_port());
                out.put("udp.dstport", u.dst_port());
                out.put("udp.length", u.length());
                out.put("udp.checksum", u.checksum());
                out.fail("udp", base, e);
                return;
            }
            Err(_) => {
                out.fail("udp", base, e);
                return;
            }
        },
    };
    out.put("udp.srcport", u.src_port());
    out.put("udp.dstport", u.dst_port());
    out.put("udp.length", u.length());
    out.put("udp.checksum", u.checksum());
    let st = match ctx.addrs {
        // The checksum covers the whole datagram, which a first fragment
        // does not hold.
        _ if ctx.fragment && u.checksum() != 0 => "unverified",
        Addrs::V4(a, b) => status(u.checksum_status_v4(a, b)),
        Addrs::V6(a, b) => status(u.checksum_status_v6(&a, &b)),
    };
    out.put("udp.checksum.status", st);
    if u.src_port() == DNS_PORT || u.dst_port() == DNS_PORT {
        out.enter("dns");
        dns(out, u.payload(), base + 8, true);
    }
}

/// A DNS name in tshark's text form (`<Root>` for the root).
fn name(n: &Name<'_>) -> String {
    let mut s = String::new();
    // Writing into a String cannot fail.
    let _ = n.write_tshark(&mut s);
    s
}

/// One resource record in the truth schema.
fn rr(r: &Record<'_>) -> Value {
    let ty = r.rtype().0;
    let mut e = json!({"name": name(&r.name()), "type": ty});
    if let RData::Opt(o) = r.rdata() {
        e["udp_payload_size"] = o.udp_payload_size.into();
        e["ext_rcode"] = o.ext_rcode.into();
        e["version"] = o.version.into();
        e["z"] = o.flags.into();
        e["do"] = u8::from(o.dnssec_ok()).into();
        e["rdlength"] = r.rdlength().into();
        let opts: Vec<Value> = o
            .options()
            .map(|x| json!({"code": x.code.0, "len": x.data.len(), "data_hex": hex(x.data)}))
            .collect();
        e["options"] = opts.into();
        return e;
    }
    e["class"] = r.class().0.into();
    e["ttl"] = r.ttl().into();
    e["rdlength"] = r.rdlength().into();
    match r.rdata() {
        RData::A(a) => e["a"] = a.to_string().into(),
        RData::Aaaa(a) => e["aaaa"] = a.to_string().into(),
        RData::Cname(n) => e["cname"] = name(&n).into(),
        RData::Ns(n) => e["ns"] = name(&n).into(),
        RData::Ptr(n) => e["ptr"] = name(&n).into(),
        RData::Mx { preference, exchange } => {
            e["mx.preference"] = preference.into();
            e["mx.exchange"] = name(&exchange).into();
        }
        RData::Txt(t) => {
            let l: Vec<Value> = t
                .strings()
                .map(|s| String::from_utf8_lossy(s).into_owned().into())
                .collect();
            e["txt"] = l.into();
        }
        RData::Srv(s) => {
            e["srv.priority"] = s.priority.into();
            e["srv.weight"] = s.weight.into();
            e["srv.port"] = s.port.into();
            e["srv.target"] = name(&s.target).into();
        }
        RData::Soa(s) => {
            e["soa.mname"] = name(&s.mname).into();
            e["soa.rname"] = name(&s.rname).into();
            e["soa.serial"] = s.serial.into();
        }
        _ => {}
    }
    e
}

/// DNS (tshark layer `dns`). `report` is false for a message quoted in an
/// ICMP error, which is cut short by design (RFC 792, RFC 1812 §4.3.2.3).
pub fn dns(out: &mut Out, d: &[u8], base: usize, report: bool) {
    let (m, issues) = match DnsMessage::parse_lenient(d) {
        Ok(x) => x,
        Err(e) => {
            if report {
                out.fail("dns", base, e);
            }
            return;
        }
    };
    use netspec::app::dns::message::Section;
    let f = m.flags().bits();
    out.put("dns.id", m.id());
    out.put("dns.flags", f);
    let bit = |b: u16| u16::from(f & b != 0);
    let response = f & 0x8000 != 0;
    out.put("dns.flags.response", bit(0x8000));
    out.put("dns.flags.opcode", m.opcode().0);
    // Wireshark shows the answer-only bits in responses only.
    if response {
        out.put("dns.flags.authoritative", bit(0x0400));
    }
    out.put("dns.flags.truncated", bit(0x0200));
    out.put("dns.flags.recdesired", bit(0x0100));
    if response {
        out.put("dns.flags.recavail", bit(0x0080));
    }
    out.put("dns.flags.z", bit(0x0040));
    if response || f & 0x0020 != 0 {
        out.put("dns.flags.authenticated", bit(0x0020));
    }
    out.put("dns.flags.checkdisable", bit(0x0010));
    if response {
        out.put("dns.flags.rcode", f & 0xf);
    }
    out.put("dns.count.queries", m.header_count(Section::Question));
    out.put("dns.count.answers", m.header_count(Section::Answer));
    out.put("dns.count.auth_rr", m.header_count(Section::Authority));
    out.put("dns.count.add_rr", m.header_count(Section::Additional));
    let qs: Vec<Value> = m
        .questions()
        .map(|q| json!({"name": name(&q.name()), "type": q.qtype().0, "class": q.qclass().0}))
        .collect();
    out.put("dns.qry", qs);
    for (sect, key) in [
        (Section::Answer, "dns.an"),
        (Section::Authority, "dns.ns"),
        (Section::Additional, "dns.ar"),
    ] {
        let l: Vec<Value> = m.records(sect).map(|r| rr(&r)).collect();
        if !l.is_empty() || m.header_count(sect) > 0 {
            out.put(key, l);
        }
    }
    if let Some(e) = issues.iter().next().filter(|_| report) {
        out.fail("dns", base, *e);
    }
}
