//! The transport layers, TCP (RFC 9293) and UDP (RFC 768), and DNS
//! (RFC 1035) on port 53 above them, as truth-schema keys.

use netspec::app::dns::DnsMessage;
use netspec::app::dns::tshark::write_truth_fields;
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
            // The dns module prints `dns.length` only with a message that
            // parses; tshark prints it with the prefix alone.
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
    // The dns module writes its own fields in the truth schema.
    let mut text = String::from("{");
    // Writing into a String cannot fail.
    let _ = write_truth_fields(&m, None, &mut text);
    text.push('}');
    if let Ok(Value::Object(o)) = serde_json::from_str::<Value>(&text) {
        out.fields.extend(o);
    }
    if let Some(e) = issues.iter().next().filter(|_| report) {
        out.fail("dns", base, *e);
    }
}
