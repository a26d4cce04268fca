//! The Wireshark differential (Truth I): the `dissect` example's own code,
//! run over every capture in `tests/data/` (the whole public corpus,
//! netspec's own captures from `tests/data/capture.sh`, and the hand-made
//! malformed frames), compared key by key with the committed tshark truth.
//!
//! The rules and the short list of deliberate differences live in
//! `examples/dissect/compare.rs`; `docs/truth.md` is the same comparison
//! as a report.

#[path = "../examples/dissect/compare.rs"]
mod compare;
#[path = "../examples/dissect/dissect.rs"]
mod dissect;
#[path = "../examples/dissect/ip.rs"]
mod ip;
#[path = "../examples/dissect/l4.rs"]
mod l4;
#[path = "../examples/dissect/pcap.rs"]
mod pcap;
#[path = "../examples/dissect/text.rs"]
mod text;

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn results_under(sub: &str) -> Vec<compare::CaptureResult> {
    let root = root();
    compare::captures(&root)
        .iter()
        .filter(|(c, _)| c.strip_prefix(&root).is_ok_and(|r| r.starts_with(sub)))
        .map(|(c, t)| compare::compare(&root, c, t))
        .collect()
}

fn assert_no_failures(results: &[compare::CaptureResult]) {
    let failures: Vec<&String> = results.iter().flat_map(|r| &r.failures).collect();
    assert!(
        failures.is_empty(),
        "{} disagreements with Wireshark:\n{}",
        failures.len(),
        failures
            .iter()
            .take(200)
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn compared(results: &[compare::CaptureResult], layer: &str) -> usize {
    results
        .iter()
        .filter_map(|r| r.layers.get(layer))
        .map(|t| t.compared)
        .sum()
}

/// The whole public corpus: 80 captures from the tcpdump and Zeek suites.
#[test]
fn public_corpus_agrees_with_wireshark() {
    let results = results_under("corpus");
    assert_eq!(results.len(), 80, "every corpus capture has its truth");
    assert_no_failures(&results);
    for layer in [
        "eth", "vlan", "arp", "ip", "ipv6", "tcp", "udp", "icmp", "icmpv6", "dns",
    ] {
        assert!(compared(&results, layer) > 0, "no {layer} key compared");
    }
}

/// netspec's own captures cover every modelled layer.
#[test]
fn own_captures_agree_with_wireshark() {
    let results = results_under("own");
    assert!(results.len() >= 6, "at least six own captures");
    assert_no_failures(&results);
    for layer in [
        "eth", "vlan", "arp", "ip", "ipv6", "tcp", "udp", "icmp", "icmpv6", "dns",
    ] {
        assert!(compared(&results, layer) > 0, "own captures compare no {layer} key");
    }
}

/// The hand-made odd and malformed frames (`tests/data/handmade/make.py`):
/// each malformed one draws a netspec error or bad checksum, each valid one
/// none, and all agree with Wireshark like any capture.
#[test]
fn handmade_frames_are_judged_right() {
    let results = results_under("handmade");
    assert_eq!(results.len(), 1);
    assert!(results[0].frames >= 50, "hand-made frames present");
    assert_no_failures(&results);
}

/// The captures exercise every link type and container `dissect` reads:
/// Ethernet, raw IP (101, 228, 229), Linux SLL and SLL2, BSD loopback;
/// classic pcap in both byte orders with µs and ns timestamps, and pcapng.
#[test]
fn every_link_type_and_container_is_exercised() {
    let mut linktypes = std::collections::BTreeSet::new();
    let mut magics = std::collections::BTreeSet::new();
    for (c, _) in compare::captures(&root()) {
        let bytes = std::fs::read(&c).unwrap();
        magics.insert(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]));
        for r in pcap::read(&bytes).unwrap() {
            linktypes.insert(r.linktype);
        }
    }
    for lt in [0, 1, 101, 113, 228, 229, 276] {
        assert!(linktypes.contains(&lt), "no capture with link type {lt}");
    }
    // LE µs, BE µs, LE ns, pcapng.
    for m in [0xa1b2_c3d4, 0xd4c3_b2a1, 0xa1b2_3c4d, 0x0a0d_0d0a] {
        assert!(magics.contains(&m), "no capture with magic {m:#010x}");
    }
}

/// Every capture reads, and the text format prints one line per frame
/// without panicking.
#[test]
fn text_format_prints_every_frame() {
    for (c, _) in compare::captures(&root()) {
        let bytes = std::fs::read(&c).unwrap();
        let records = pcap::read(&bytes).unwrap();
        for r in &records {
            let d = dissect::dissect(r);
            let line = text::line(&d);
            assert!(
                line.contains(&r.number.to_string()) && !line.contains('\n'),
                "{}: {line}",
                c.display()
            );
        }
    }
}

/// Every real frame cut at every length (and with each of its first 64
/// bytes flipped) goes through the whole dissector without a panic, and
/// a frame cut inside a header the full frame had draws an error or
/// simply ends earlier, never a different value for a key both print.
#[test]
fn cut_and_flipped_frames_never_panic() {
    let mut runs = 0usize;
    for (c, _) in compare::captures(&root()) {
        let bytes = std::fs::read(&c).unwrap();
        for r in pcap::read(&bytes).unwrap() {
            let full = dissect::dissect(&r);
            // Long frames are cut on a stride: the headers are in front.
            let step = if r.data.len() > 256 { 7 } else { 1 };
            for cut in (0..r.data.len()).step_by(step) {
                let short = pcap::Record {
                    data: &r.data[..cut],
                    ..r.clone()
                };
                let d = dissect::dissect(&short);
                runs += 1;
                for k in ["eth.src", "ip.src", "ipv6.dst", "tcp.seq_raw", "udp.dstport"] {
                    if let (Some(a), Some(b)) = (full.fields.get(k), d.fields.get(k)) {
                        assert_eq!(a, b, "{} frame {} cut at {cut}: {k}", c.display(), r.number);
                    }
                }
            }
            let mut copy = r.data.to_vec();
            for i in 0..copy.len().min(64) {
                copy[i] ^= 0xff;
                let flipped = pcap::Record {
                    data: &copy,
                    ..r.clone()
                };
                let _ = text::line(&dissect::dissect(&flipped));
                copy[i] ^= 0xff;
                runs += 1;
            }
        }
    }
    assert!(runs > 10_000, "only {runs} dissections");
}

/// The committed report is the one the current code generates.
#[test]
fn report_is_current() {
    let results = compare::run_all(&root());
    let want = compare::report(&results);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/truth.md");
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/truth.md is stale: run `cargo run --example dissect -- --report docs/truth.md`"
    );
}
