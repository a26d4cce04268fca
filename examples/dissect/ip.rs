//! The network layers: IPv4 with options (RFC 791), IPv6 with extension
//! headers (RFC 8200), ICMP (RFC 792) and ICMPv6 (RFC 4443) with NDP
//! (RFC 4861) and MLDv2 (RFC 3810), as truth-schema keys.
//!
//! Like tshark with reassembly off, a first fragment is dissected into its
//! upper-layer header and later fragments are not.

use netspec::net::icmpv6::Icmpv6Message;
use netspec::net::ipv4_option::Ipv4Option;
use netspec::net::mld::MldMessage;
use netspec::net::ndp::{NdpMessage, NdpOption};
use netspec::net::{Icmpv4Message, IpProtocol, Ipv4Packet, Ipv6Packet};
use serde_json::{Value, json};
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::dissect::{Obj, Out, hex_colon};

/// What the transport layer needs from the network layer below it.
#[derive(Clone, Copy)]
pub enum Addrs {
    /// IPv4 source and destination.
    V4(Ipv4Addr, Ipv4Addr),
    /// IPv6 source and (final) destination.
    V6(Ipv6Addr, Ipv6Addr),
}

/// The upper-layer context handed to TCP, UDP, ICMP.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// Addresses for the pseudo-header checksum.
    pub addrs: Addrs,
    /// The payload length the IP header claims for this upper layer
    /// (may exceed the bytes captured).
    pub claimed: usize,
    /// This datagram is a fragment of a larger one (first fragment).
    pub fragment: bool,
}

/// tshark's name of an IPv4 option (its `ip.options.<name>` subtree).
fn ipv4_option_name(kind: u8) -> Option<&'static str> {
    Some(match kind {
        0 => "eol",
        1 => "nop",
        7 => "record_route",
        68 => "timestamp",
        130 => "security",
        131 => "lsr",
        136 => "sid",
        137 => "ssr",
        148 => "routeralert",
        _ => return None,
    })
}

/// The IPv4 header fields under `pre` (`ip` or `icmp.inner.ip`).
fn ipv4_fields(o: &mut Obj, pre: &str, p: &Ipv4Packet<'_>) {
    let mut put = |k: &str, v: Value| {
        o.insert(format!("{pre}.{k}"), v);
    };
    put("version", p.version().into());
    put("hdr_len", p.header_len().into());
    put("dsfield", (p.dscp() << 2 | p.ecn()).into());
    put("dsfield.dscp", p.dscp().into());
    put("dsfield.ecn", p.ecn().into());
    put("len", p.total_length().into());
    put("id", p.identification().into());
    let flags = p.header_bytes()[6] >> 5;
    put("flags", flags.into());
    put("flags.rb", (flags >> 2 & 1).into());
    put("flags.df", (flags >> 1 & 1).into());
    put("flags.mf", (flags & 1).into());
    put("frag_offset", p.fragment_offset().into());
    put("ttl", p.ttl().into());
    put("proto", p.protocol().0.into());
    put("checksum", p.checksum().into());
    put(
        "checksum.status",
        if p.verify_checksum() { "good" } else { "bad" }.into(),
    );
    put("src", p.src().to_string().into());
    put("dst", p.dst().to_string().into());
}

/// IPv4 (tshark layer `ip`). Returns the datagram's length.
pub fn ipv4(out: &mut Out, d: &[u8], base: usize) -> Option<usize> {
    out.enter("ip");
    let p = match Ipv4Packet::parse(d) {
        Ok(p) => p,
        Err(e) => match Ipv4Packet::parse_lax(d) {
            // Total Length past the captured bytes of a snapped frame is
            // the capture's doing, not the packet's.
            Ok(p) if out.snapped => p,
            Ok(p) => {
                ipv4_fields(&mut out.fields, "ip", &p);
                out.fail("ip", base, e);
                return None;
            }
            Err(_) => {
                out.fail("ip", base, e);
                return None;
            }
        },
    };
    ipv4_fields(&mut out.fields, "ip", &p);
    let mut opts = Vec::new();
    for opt in p.options() {
        // parse() validated the options, so every item is Ok.
        let Ok(opt) = opt else { break };
        let kind = opt.kind().0;
        let mut e = json!({});
        if let Some(n) = ipv4_option_name(kind) {
            e["name"] = n.into();
        }
        e["type"] = kind.into();
        if !matches!(opt, Ipv4Option::Eol | Ipv4Option::Nop) {
            e["len"] = opt.wire_len().into();
        }
        match opt {
            Ipv4Option::RecordRoute(r) | Ipv4Option::Lsrr(r) | Ipv4Option::Ssrr(r) => e["ptr"] = r.pointer.into(),
            Ipv4Option::Timestamp(t) => e["ptr"] = t.pointer.into(),
            _ => {}
        }
        opts.push(e);
        if matches!(opt, Ipv4Option::Eol) {
            break;
        }
    }
    if !opts.is_empty() {
        out.put("ip.opt", opts);
    }
    let payload = p.payload();
    // Later fragments carry no upper-layer header.
    if p.fragment_offset() == 0 {
        let ctx = Ctx {
            addrs: Addrs::V4(p.src(), p.dst()),
            claimed: usize::from(p.total_length()) - p.header_len(),
            fragment: p.more_fragments(),
        };
        upper(out, p.protocol(), payload, base + p.header_len(), ctx);
    }
    Some(usize::from(p.total_length()).min(d.len()))
}

/// Dispatch on the upper-layer protocol number.
fn upper(out: &mut Out, proto: IpProtocol, d: &[u8], base: usize, ctx: Ctx) {
    match proto.0 {
        1 => icmpv4(out, d, base, ctx),
        58 => icmpv6(out, d, base, ctx),
        6 => crate::l4::tcp(out, d, base, ctx),
        17 => crate::l4::udp(out, d, base, ctx),
        _ => {}
    }
}

/// The IPv6 fixed-header fields under `pre` (`ipv6` or
/// `icmpv6.inner.ipv6`).
fn ipv6_fields(o: &mut Obj, pre: &str, p: &Ipv6Packet<'_>) {
    let mut put = |k: &str, v: Value| {
        o.insert(format!("{pre}.{k}"), v);
    };
    put("version", p.version().into());
    put("tclass", p.traffic_class().into());
    put("flow", p.flow_label().into());
    put("plen", p.payload_length().into());
    put("nxt", p.next_header().0.into());
    put("hlim", p.hop_limit().into());
    put("src", p.src().to_string().into());
    put("dst", p.dst().to_string().into());
}

/// IPv6 (tshark layer `ipv6`). Returns the datagram's length.
pub fn ipv6(out: &mut Out, d: &[u8], base: usize) -> Option<usize> {
    out.enter("ipv6");
    let p = match Ipv6Packet::parse(d) {
        Ok(p) => p,
        Err(e) => match Ipv6Packet::parse_lax(d) {
            Ok(p) if out.snapped => p,
            Ok(p) => {
                ipv6_fields(&mut out.fields, "ipv6", &p);
                out.fail("ipv6", base, e);
                return None;
            }
            Err(_) => {
                out.fail("ipv6", base, e);
                return None;
            }
        },
    };
    ipv6_fields(&mut out.fields, "ipv6", &p);
    let mut exts = Vec::new();
    let mut upper_proto = p.next_header();
    let mut upper_at = 0;
    let mut fragment = None;
    let mut failed = false;
    for h in p.ext_headers() {
        let h = match h {
            Ok(h) => h,
            Err(e) => {
                out.fail("ipv6", base, e);
                failed = true;
                break;
            }
        };
        let mut e = json!({"type": h.kind().0, "nxt": h.next_header().0, "len": h.len()});
        if let Some(opts) = h.options() {
            let mut kinds = Vec::new();
            for o in opts {
                match o {
                    Ok(o) => kinds.push(o.kind().0),
                    Err(err) => {
                        out.fail("ipv6", base, err);
                        failed = true;
                        break;
                    }
                }
            }
            e["opts"] = kinds.into();
        }
        if failed {
            // The header's options did not parse: none of it is printed.
            break;
        }
        if let Some(r) = h.routing() {
            e["routing_type"] = r.routing_type().into();
            e["segleft"] = r.segments_left().into();
        }
        if let Some(f) = h.fragment() {
            fragment = Some(f);
        }
        exts.push(e);
        upper_proto = h.next_header();
        // Offsets count from the start of the IPv6 header.
        upper_at = h.offset() + h.len() - 40;
    }
    if failed {
        // A broken chain: none of it is printed.
        return None;
    }
    if !exts.is_empty() {
        out.put("ipv6.ext", exts);
    }
    if let Some(f) = fragment {
        out.put("ipv6.frag.offset", f.fragment_offset);
        out.put("ipv6.frag.more", u8::from(f.more_fragments));
        out.put("ipv6.frag.id", f.identification);
    }
    let payload = p.payload();
    let rest = payload.get(upper_at..).unwrap_or(&[]);
    if fragment.is_none_or(|f| f.fragment_offset == 0) {
        let dst = p.final_destination().unwrap_or(p.dst());
        let ctx = Ctx {
            addrs: Addrs::V6(p.src(), dst),
            claimed: p.claimed_payload_len().saturating_sub(upper_at),
            fragment: fragment.is_some_and(|f| f.more_fragments),
        };
        upper(out, upper_proto, rest, base + 40 + upper_at, ctx);
    }
    Some(40 + p.payload().len())
}

/// ICMP for IPv4 (tshark layer `icmp`).
fn icmpv4(out: &mut Out, d: &[u8], base: usize, ctx: Ctx) {
    out.enter("icmp");
    let m = match Icmpv4Message::parse(d) {
        Ok(m) => m,
        Err(e) => {
            out.fail("icmp", base, e);
            return;
        }
    };
    out.put("icmp.type", m.icmp_type().0);
    out.put("icmp.code", m.code().0);
    out.put("icmp.checksum", m.checksum());
    // The checksum covers the whole message: only checkable when all of it
    // is here and it is not a fragment of a larger one.
    let status = if ctx.fragment || d.len() < ctx.claimed {
        "unverified"
    } else if m.verify_checksum() {
        "good"
    } else {
        "bad"
    };
    out.put("icmp.checksum.status", status);
    if let (Some(id), Some(seq)) = (m.ident(), m.seq()) {
        out.put("icmp.ident", id);
        out.put("icmp.seq", seq);
    }
    if let Some(mtu) = m.next_hop_mtu() {
        out.put("icmp.mtu", mtu);
    }
    if matches!(m.icmp_type().0, 0 | 8) && !m.data().is_empty() {
        out.put("icmp.data_len", m.data().len());
    }
    if let Some(q) = m.quoted_packet() {
        match q {
            Ok(inner) => {
                ipv4_fields(&mut out.fields, "icmp.inner.ip", &inner);
                if inner.fragment_offset() == 0 {
                    inner_ports(out, "icmp", inner.protocol(), inner.payload());
                }
            }
            Err(e) => out.fail("icmp", base, e),
        }
    }
}

/// The ports of a transport header quoted in an ICMP error.
fn inner_ports(out: &mut Out, pre: &str, proto: IpProtocol, t: &[u8]) {
    let name = match proto.0 {
        6 => "tcp",
        17 => "udp",
        _ => return,
    };
    if t.len() >= 4 {
        let (sp, dp) = (u16::from_be_bytes([t[0], t[1]]), u16::from_be_bytes([t[2], t[3]]));
        out.put(&format!("{pre}.inner.{name}.srcport"), sp);
        out.put(&format!("{pre}.inner.{name}.dstport"), dp);
        // Like tshark, read the quoted DNS message as far as it goes.
        if name == "udp" && (sp == 53 || dp == 53) && t.len() > 8 {
            crate::l4::dns(out, &t[8..], 0, false);
        }
    }
}

/// ICMPv6 (tshark layer `icmpv6`), with NDP and MLDv2 details.
fn icmpv6(out: &mut Out, d: &[u8], base: usize, ctx: Ctx) {
    out.enter("icmpv6");
    let m = match Icmpv6Message::parse(d) {
        Ok(m) => m,
        Err(e) => {
            out.fail("icmpv6", base, e);
            return;
        }
    };
    let ty = m.msg_type().0;
    out.put("icmpv6.type", ty);
    out.put("icmpv6.code", m.code().0);
    out.put("icmpv6.checksum", m.checksum());
    let status = match ctx.addrs {
        _ if ctx.fragment || d.len() < ctx.claimed => "unverified",
        Addrs::V6(s, t) if m.verify_checksum(&s, &t) => "good",
        _ => "bad",
    };
    out.put("icmpv6.checksum.status", status);
    if let Some((id, seq)) = m.echo() {
        out.put("icmpv6.echo.identifier", id);
        out.put("icmpv6.echo.sequence_number", seq);
    }
    match ty {
        133..=137 => ndp(out, d, base),
        143 => match MldMessage::parse(d) {
            Ok(MldMessage::Report(r)) => out.put("icmpv6.mldr.nb_mcast_records", r.number_of_records()),
            Ok(_) => {}
            Err(e) => out.fail("icmpv6", base, e),
        },
        _ => {}
    }
    if let Some(q) = m.invoking_packet() {
        match q {
            Ok(inner) => {
                ipv6_fields(&mut out.fields, "icmpv6.inner.ipv6", &inner);
                inner_ports(out, "icmpv6", inner.next_header(), inner.payload());
            }
            Err(e) => out.fail("icmpv6", base, e),
        }
    }
}

/// Neighbor Discovery: target, NA flags, options (RFC 4861 §4).
fn ndp(out: &mut Out, d: &[u8], base: usize) {
    let m = match NdpMessage::parse(d) {
        Ok(m) => m,
        Err(e) => {
            out.fail("icmpv6", base, e);
            return;
        }
    };
    use netspec::net::ndp::NdpBody;
    match m.body() {
        NdpBody::NeighborSolicitation { target, .. } => out.put("icmpv6.nd.target", target.to_string()),
        NdpBody::NeighborAdvertisement { target, flags } => {
            out.put("icmpv6.nd.target", target.to_string());
            let b = flags.bits();
            out.put("icmpv6.nd.na.flag.r", b >> 31 & 1);
            out.put("icmpv6.nd.na.flag.s", b >> 30 & 1);
            out.put("icmpv6.nd.na.flag.o", b >> 29 & 1);
        }
        _ => {}
    }
    let mut opts = Vec::new();
    for o in m.options() {
        let Ok(o) = o else { break };
        let mut e = json!({"type": o.kind().0, "len": o.len() / 8});
        match o {
            NdpOption::SourceLinkLayerAddress(a) | NdpOption::TargetLinkLayerAddress(a) if a.len() == 6 => {
                e["linkaddr"] = hex_colon(a).into();
            }
            NdpOption::PrefixInformation(p) => {
                e["prefix"] = p.prefix.to_string().into();
                e["prefix_len"] = p.prefix_length.into();
            }
            _ => {}
        }
        opts.push(e);
    }
    if !opts.is_empty() {
        out.put("icmpv6.opt", opts);
    }
}
