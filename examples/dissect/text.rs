//! `--format text`: one compact, human-readable line per frame, one
//! `|`-separated part per layer, built from the same fields as the JSON.

use serde_json::Value;

use crate::dissect::{Dissection, Obj};

fn s(o: &Obj, k: &str) -> String {
    match o.get(k) {
        Some(Value::String(x)) => x.clone(),
        Some(v) => v.to_string(),
        None => "?".into(),
    }
}

fn has(o: &Obj, k: &str) -> bool {
    o.contains_key(k)
}

/// The text line for one frame.
pub fn line(d: &Dissection) -> String {
    let o = &d.fields;
    let mut parts = vec![format!("{:>5} {}B", s(o, "frame"), s(o, "len"))];
    for &layer in &d.layers {
        let p = match layer {
            "eth" if has(o, "eth.type") => {
                format!(
                    "eth {} > {} type 0x{:04x}",
                    s(o, "eth.src"),
                    s(o, "eth.dst"),
                    num(o, "eth.type")
                )
            }
            "eth" if has(o, "eth.len") => format!(
                "802.3 {} > {} len {}",
                s(o, "eth.src"),
                s(o, "eth.dst"),
                s(o, "eth.len")
            ),
            "vlan" | "ieee8021ad" => {
                let tags = o.get("vlan").and_then(Value::as_array).map(Vec::len).unwrap_or(0);
                if parts.iter().any(|p| p.starts_with("vlan")) {
                    continue;
                }
                let ids: Vec<String> = o
                    .get("vlan")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().map(|t| t["id"].to_string()).collect())
                    .unwrap_or_default();
                format!("vlan x{tags} id {}", ids.join("/"))
            }
            "llc" => format!(
                "llc dsap 0x{:02x} ssap 0x{:02x}",
                num(o, "llc.dsap"),
                num(o, "llc.ssap")
            ),
            "sll" => "sll".into(),
            "null" => "loopback".into(),
            "arp" => format!(
                "arp op {} {} ({}) asks {} ({})",
                s(o, "arp.opcode"),
                s(o, "arp.src.proto_ipv4"),
                s(o, "arp.src.hw_mac"),
                s(o, "arp.dst.proto_ipv4"),
                s(o, "arp.dst.hw_mac")
            ),
            "ip" => format!(
                "ip {} > {} proto {} ttl {} id {} len {}{} csum {}",
                s(o, "ip.src"),
                s(o, "ip.dst"),
                s(o, "ip.proto"),
                s(o, "ip.ttl"),
                s(o, "ip.id"),
                s(o, "ip.len"),
                if num(o, "ip.flags.mf") == 1 || num(o, "ip.frag_offset") > 0 {
                    format!(" frag {}+", num(o, "ip.frag_offset") * 8)
                } else {
                    String::new()
                },
                s(o, "ip.checksum.status")
            ),
            "ipv6" => format!(
                "ipv6 {} > {} nxt {} hlim {} plen {}{}",
                s(o, "ipv6.src"),
                s(o, "ipv6.dst"),
                s(o, "ipv6.nxt"),
                s(o, "ipv6.hlim"),
                s(o, "ipv6.plen"),
                if has(o, "ipv6.frag.id") {
                    format!(" frag {}+ id {}", num(o, "ipv6.frag.offset") * 8, s(o, "ipv6.frag.id"))
                } else {
                    String::new()
                }
            ),
            "icmp" => format!(
                "icmp type {} code {} csum {}",
                s(o, "icmp.type"),
                s(o, "icmp.code"),
                s(o, "icmp.checksum.status")
            ),
            "icmpv6" => format!(
                "icmpv6 type {} code {} csum {}",
                s(o, "icmpv6.type"),
                s(o, "icmpv6.code"),
                s(o, "icmpv6.checksum.status")
            ),
            "tcp" => format!(
                "tcp {} > {} [{}] seq {} ack {} win {} len {} csum {}",
                s(o, "tcp.srcport"),
                s(o, "tcp.dstport"),
                s(o, "tcp.flags.str").replace('.', ""),
                s(o, "tcp.seq_raw"),
                s(o, "tcp.ack_raw"),
                s(o, "tcp.window_size_value"),
                s(o, "tcp.len"),
                s(o, "tcp.checksum.status")
            ),
            "udp" => format!(
                "udp {} > {} len {} csum {}",
                s(o, "udp.srcport"),
                s(o, "udp.dstport"),
                s(o, "udp.length"),
                s(o, "udp.checksum.status")
            ),
            "dns" => {
                let q = o
                    .get("dns.qry")
                    .and_then(Value::as_array)
                    .and_then(|a| a.first())
                    .map(|q| format!(" {} type {}", q["name"].as_str().unwrap_or("?"), q["type"]))
                    .unwrap_or_default();
                let kind = if num(o, "dns.flags.response") == 1 {
                    "response"
                } else {
                    "query"
                };
                format!("dns {kind} id {}{q} an {}", s(o, "dns.id"), s(o, "dns.count.answers"))
            }
            other => other.to_string(),
        };
        parts.push(p);
    }
    if let Some(e) = o.get("error") {
        parts.push(format!("ERROR {}", e["message"].as_str().unwrap_or("?")));
    }
    parts.join(" | ")
}

fn num(o: &Obj, k: &str) -> u64 {
    o.get(k).and_then(Value::as_u64).unwrap_or(0)
}
