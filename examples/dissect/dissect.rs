//! One frame in, one flat JSON object out: the link layers (Ethernet with
//! VLAN tags and LLC, Linux cooked SLL and SLL2, BSD loopback, raw IP) and
//! the dispatch to the network layers in `ip.rs`.
//!
//! The keys, value types and conventions are those of Wireshark truth
//! files (`tests/data/truth/README.md`): numbers are JSON integers,
//! addresses are strings, flags are 0/1 and lists keep wire order. Where a
//! layer fails to parse, `error` says where and why, with the offset
//! counted from the start of the frame, and no field of that header is
//! printed except those a successful lenient parse could read.

use netspec::Error;
use netspec::link::{ArpPacket, EtherType, EthernetFrame, MacAddress};
use serde_json::{Map, Value, json};

use crate::pcap::Record;

/// A JSON object (serde_json keeps keys sorted).
pub type Obj = Map<String, Value>;

/// LINKTYPE_* values (https://www.tcpdump.org/linktypes.html).
pub mod linktype {
    /// BSD loopback: a 4-byte address family in host byte order.
    pub const NULL: i32 = 0;
    /// Ethernet II / 802.3.
    pub const ETHERNET: i32 = 1;
    /// Raw IPv4 or IPv6 (version nibble decides).
    pub const RAW: i32 = 101;
    /// Linux cooked capture, version 1.
    pub const LINUX_SLL: i32 = 113;
    /// Raw IPv4 only.
    pub const IPV4: i32 = 228;
    /// Raw IPv6 only.
    pub const IPV6: i32 = 229;
    /// Linux cooked capture, version 2.
    pub const LINUX_SLL2: i32 = 276;
}

/// What netspec made of one frame.
pub struct Dissection {
    /// The flat key/value object, in the truth schema.
    pub fields: Obj,
    /// Layers reached, named as tshark names them (`eth`, `ip`, `tcp`, …),
    /// outermost first.
    pub layers: Vec<&'static str>,
    /// The tshark name of the layer whose parse failed, if one did.
    pub error_layer: Option<&'static str>,
}

/// The state of one dissection: the output and what lower layers told the
/// upper ones.
pub struct Out {
    /// The keys printed so far.
    pub fields: Obj,
    /// Layers reached so far (tshark names).
    pub layers: Vec<&'static str>,
    /// The tshark name of the first layer that failed.
    pub error_layer: Option<&'static str>,
    /// The capture kept fewer bytes than were on the wire.
    pub snapped: bool,
}

impl Out {
    /// Set `key` (later values replace earlier ones, as in `normalize.py`).
    pub fn put(&mut self, key: &str, v: impl Into<Value>) {
        self.fields.insert(key.to_string(), v.into());
    }

    /// Record that `layer` (tshark name) was reached.
    pub fn enter(&mut self, layer: &'static str) {
        self.layers.push(layer);
    }

    /// Record a parse failure of tshark layer `layer` whose buffer starts
    /// at frame offset `base`. Only the first failure is kept: nothing
    /// above it is dissected.
    pub fn fail(&mut self, layer: &'static str, base: usize, e: Error) {
        if self.error_layer.is_some() {
            return;
        }
        self.error_layer = Some(layer);
        self.put(
            "error",
            json!({
                "layer": e.layer.name(),
                "field": e.field,
                "offset": base + e.offset,
                "message": e.to_string(),
            }),
        );
    }
}

/// MAC address as tshark prints it: lower-case, colon separated.
pub fn mac(m: MacAddress) -> String {
    hex_colon(&m.octets())
}

/// Bytes as `aa:bb:cc`.
pub fn hex_colon(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 3);
    for (i, x) in b.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        s.push_str(&format!("{x:02x}"));
    }
    s
}

/// Bytes as plain lower-case hex.
pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Dissect one captured frame.
pub fn dissect(rec: &Record<'_>) -> Dissection {
    let mut out = Out {
        fields: Obj::new(),
        layers: Vec::new(),
        error_layer: None,
        snapped: rec.is_snapped(),
    };
    out.put("frame", rec.number);
    out.put("ts", rec.ts_string());
    out.put("len", rec.len);
    out.put("caplen", rec.data.len());
    let d = rec.data;
    match rec.linktype {
        linktype::ETHERNET => ethernet(&mut out, d),
        linktype::RAW => match d.first().map(|b| b >> 4) {
            Some(4) => {
                crate::ip::ipv4(&mut out, d, 0);
            }
            Some(6) => {
                crate::ip::ipv6(&mut out, d, 0);
            }
            _ => {}
        },
        linktype::IPV4 => {
            crate::ip::ipv4(&mut out, d, 0);
        }
        linktype::IPV6 => {
            crate::ip::ipv6(&mut out, d, 0);
        }
        linktype::LINUX_SLL if d.len() >= 16 => {
            out.enter("sll");
            ethertype(&mut out, u16::from_be_bytes([d[14], d[15]]), &d[16..], 16);
        }
        linktype::LINUX_SLL2 if d.len() >= 20 => {
            out.enter("sll");
            ethertype(&mut out, u16::from_be_bytes([d[0], d[1]]), &d[20..], 20);
        }
        linktype::NULL if d.len() >= 4 => {
            out.enter("null");
            // The family is in the byte order of the capturing host; the
            // values are small, so the non-zero half tells the order.
            let le = u32::from_le_bytes([d[0], d[1], d[2], d[3]]);
            let family = if le > 0xffff { le.swap_bytes() } else { le };
            match family {
                2 => {
                    crate::ip::ipv4(&mut out, &d[4..], 4);
                }
                // AF_INET6 differs between BSDs: 24, 28 and 30.
                24 | 28 | 30 => {
                    crate::ip::ipv6(&mut out, &d[4..], 4);
                }
                _ => {}
            }
        }
        _ => {}
    }
    Dissection {
        fields: out.fields,
        layers: out.layers,
        error_layer: out.error_layer,
    }
}

/// Dispatch on an EtherType; returns the bytes the network layer used (for
/// the Ethernet padding/trailer split), `None` if it was not dissected.
fn ethertype(out: &mut Out, ty: u16, payload: &[u8], base: usize) -> Option<usize> {
    match EtherType(ty) {
        EtherType::IPV4 => crate::ip::ipv4(out, payload, base),
        EtherType::IPV6 => crate::ip::ipv6(out, payload, base),
        EtherType::ARP | EtherType::RARP => arp(out, payload, base),
        _ => None,
    }
}

/// Ethernet II / 802.3 with VLAN tags (IEEE 802.3 §3.2, IEEE 802.1Q §9).
fn ethernet(out: &mut Out, d: &[u8]) {
    out.enter("eth");
    let f = match EthernetFrame::parse(d) {
        Ok(f) => f,
        Err(e) => {
            let layer = if e.layer == netspec::Layer::Vlan { "vlan" } else { "eth" };
            // The addresses precede anything that can fail after 14 bytes.
            if d.len() >= 14 {
                out.put("eth.dst", hex_colon(&d[0..6]));
                out.put("eth.src", hex_colon(&d[6..12]));
                out.put("eth.type", u16::from_be_bytes([d[12], d[13]]));
            }
            out.fail(layer, 0, e);
            return;
        }
    };
    out.put("eth.dst", mac(f.dst()));
    out.put("eth.src", mac(f.src()));
    let tags = f.tags().as_slice();
    // The Type/Length field right after the source address.
    let first = tags.first().map(|t| t.tpid).unwrap_or(f.ethertype());
    if first.is_length() {
        out.put("eth.len", first.0);
    } else {
        out.put("eth.type", first.0);
    }
    if !tags.is_empty() {
        let mut list = Vec::new();
        for (i, t) in tags.iter().enumerate() {
            let etype = tags.get(i + 1).map(|n| n.tpid).unwrap_or(f.ethertype());
            list.push(json!({
                "tpid": t.tpid.0, "pcp": t.pcp, "dei": u8::from(t.dei), "id": t.vid, "etype": etype.0,
            }));
            out.enter(if t.tpid == EtherType::VLAN {
                "vlan"
            } else {
                "ieee8021ad"
            });
        }
        out.put("vlan", list);
    }
    let payload = f.payload();
    let base = f.header_len();
    let used = if f.is_8023() {
        match netspec::link::Llc::parse(payload) {
            Ok(llc) => {
                out.enter("llc");
                out.put("llc.dsap", llc.dsap);
                out.put("llc.ssap", llc.ssap);
                out.put("llc.control", llc.control);
                // RFC 1042: SNAP with OUI 00-00-00 carries an EtherType.
                match llc.snap {
                    Some(snap) if snap.oui == [0, 0, 0] => {
                        let at = base + payload.len() - llc.payload.len();
                        ethertype(out, snap.protocol.0, llc.payload, at);
                    }
                    _ => {}
                }
            }
            Err(e) => out.fail("llc", base, e),
        }
        None
    } else {
        ethertype(out, f.ethertype().0, payload, base)
    };
    // Bytes after the 802.3 length or the network datagram: padding up to
    // the 60-byte minimum frame, then trailer (Wireshark's split).
    let trailer = match used {
        Some(n) => payload.len().saturating_sub(n),
        None => f.trailer().len(),
    };
    if trailer > 0 && tags.is_empty() {
        let content = d.len() - trailer;
        let mut pad = if content < 60 { trailer.min(60 - content) } else { 0 };
        // Padding is zeros (IEEE 802.3 §4.2.3.3); anything else is trailer.
        if d[content..content + pad].iter().any(|&b| b != 0) {
            pad = 0;
        }
        let mut rest = trailer - pad;
        // Wireshark's guess when the capture does not say: a frame of at
        // least 64 bytes (the minimum with FCS) ends in a 4-byte FCS.
        if rest >= 4 && d.len() >= 64 {
            rest -= 4;
        }
        if pad > 0 {
            out.put("eth.padding_len", pad);
        }
        if rest > 0 {
            out.put("eth.trailer_len", rest);
        }
    }
}

/// ARP (RFC 826). Returns the bytes of the ARP packet.
fn arp(out: &mut Out, d: &[u8], base: usize) -> Option<usize> {
    out.enter("arp");
    let p = match ArpPacket::parse(d) {
        Ok(p) => p,
        Err(e) => {
            out.fail("arp", base, e);
            return None;
        }
    };
    out.put("arp.hw.type", p.hw_type().0);
    out.put("arp.proto.type", p.proto_type().0);
    out.put("arp.hw.size", p.hlen());
    out.put("arp.proto.size", p.plen());
    out.put("arp.opcode", p.op().0);
    // Six-byte hardware addresses are MACs whatever the hardware type
    // (Ethernet 1, IEEE 802 6, ...).
    if p.hlen() == 6 {
        out.put("arp.src.hw_mac", hex_colon(p.sender_hw()));
        out.put("arp.dst.hw_mac", hex_colon(p.target_hw()));
    }
    if let Some(a) = p.sender_ipv4() {
        out.put("arp.src.proto_ipv4", a.to_string());
    }
    if let Some(a) = p.target_ipv4() {
        out.put("arp.dst.proto_ipv4", a.to_string());
    }
    Some(p.packet_len())
}
