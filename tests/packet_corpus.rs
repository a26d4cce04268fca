//! Every frame of the shared corpus (tcpdump and Zeek captures, see
//! `tests/data/corpus/README.md`) through the whole-packet view, with the
//! checksum report compared to Wireshark's verdicts
//! (`ip/tcp/udp/icmp.checksum.status` in `expected/truth/**.truth.jsonl`,
//! tshark 4.0.17).

mod common;

use std::collections::BTreeMap;

use common::pcap;
use netspec::packet::{Network, Packet, Transport};

/// `"key":"value"` of a flat truth line (the keys used here are strings).
fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let pat = format!("\"{key}\":\"");
    let start = line.find(&pat)? + pat.len();
    let len = line[start..].find('"')?;
    Some(&line[start..start + len])
}

fn frame_no(line: &str) -> Option<usize> {
    let start = line.find("\"frame\":")? + 8;
    let digits: String = line[start..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Parse a record by the capture's link type: Ethernet (1), raw IP (101)
/// or Linux cooked (113, a 16-byte header before the IP packet).
fn parse(link_type: u32, data: &[u8]) -> Option<Packet<'_>> {
    match link_type {
        1 => Some(Packet::from_ethernet(data)),
        101 => Some(Packet::from_ip(data)),
        113 => data.get(16..).map(Packet::from_ip),
        _ => None,
    }
}

#[test]
fn corpus_checksum_statuses_match_wireshark() {
    let root = common::data_path("corpus");
    let mut compared = 0;
    let mut frames = 0;
    let mut mismatches = Vec::new();
    for suite in ["tcpdump", "zeek"] {
        let dir = root.join("captures").join(suite);
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        for name in names {
            let name = name.to_string_lossy().into_owned();
            let bytes = std::fs::read(dir.join(&name)).unwrap();
            let cap = pcap::parse(&bytes).unwrap();
            let truth_path = root
                .join("expected/truth")
                .join(suite)
                .join(format!("{name}.truth.jsonl"));
            let truth = std::fs::read_to_string(&truth_path).unwrap_or_default();
            let lines: BTreeMap<usize, &str> = truth.lines().filter_map(|l| Some((frame_no(l)?, l))).collect();
            for (i, rec) in cap.records.iter().enumerate() {
                let Some(p) = parse(cap.link_type, rec.data) else {
                    continue;
                };
                frames += 1;
                let r = p.verify_checksums();
                let Some(line) = lines.get(&(i + 1)) else {
                    continue;
                };
                // Wireshark reports the innermost instance; ICMP errors
                // quote headers whose checksums it also checks, so only
                // compare keys for the layer we parsed.
                let transport_key = match p.transport {
                    Some(Transport::Tcp(_)) => Some("tcp.checksum.status"),
                    Some(Transport::Udp(_)) => Some("udp.checksum.status"),
                    Some(Transport::Icmpv4(_)) => Some("icmp.checksum.status"),
                    Some(Transport::Icmpv6(_)) => Some("icmpv6.checksum.status"),
                    _ => None,
                };
                let mut check = |key: &str, ours: &str| {
                    if let Some(want) = field(line, key) {
                        compared += 1;
                        if want != ours {
                            mismatches.push(format!("{suite}/{name} #{}: {key} ours {ours} wireshark {want}", i + 1));
                        }
                    }
                };
                if matches!(p.network, Some(Network::Ipv4(_))) && !line.contains("\"icmp.type\":3") {
                    check("ip.checksum.status", r.network.as_str());
                }
                if let Some(k) = transport_key {
                    if !line.contains("\"icmp.type\":3") {
                        check(k, r.transport.as_str());
                    }
                }
            }
        }
    }
    assert!(frames > 100, "only {frames} frames parsed");
    assert!(compared > 200, "only {compared} verdicts compared");
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn corpus_frames_parse_to_the_end_or_name_a_layer() {
    let root = common::data_path("corpus/captures");
    for suite in ["tcpdump", "zeek"] {
        for entry in std::fs::read_dir(root.join(suite)).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let cap = pcap::parse(&bytes).unwrap();
            for rec in &cap.records {
                let Some(p) = parse(cap.link_type, rec.data) else {
                    continue;
                };
                let at = p.payload_offset();
                assert!(at + p.payload.len() <= rec.data.len(), "{}", path.display());
                if let Some(e) = p.error {
                    // The error names a layer at or after the last one kept.
                    assert!(e.error.offset <= rec.data.len() + 65535, "{}: {e}", path.display());
                    assert!(p.transport.is_none(), "{}: {e}", path.display());
                }
            }
        }
    }
}
