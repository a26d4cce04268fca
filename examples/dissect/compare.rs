//! The Wireshark differential: dissect every capture under `tests/data/`
//! with netspec, compare it key by key with the tshark truth next to it,
//! and write the agreement report (`docs/truth.md`).
//!
//! The rules (from the issue):
//!
//! 1. every key netspec prints that the truth also has must be equal;
//! 2. every truth key in netspec's modelled set ([`modelled`]) must be
//!    printed;
//! 3. every frame that tshark marks malformed, or flags with an
//!    error-level expert item, in a layer netspec models, must carry a
//!    netspec `error` or a bad checksum status at that layer.
//!
//! The only exceptions are the [`DELIBERATE`] differences, each with its
//! reason; each one is counted in the report.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::dissect::{Dissection, Obj, dissect};
use crate::pcap;

/// The tshark layer a truth key belongs to, if netspec models it. Keys that
/// are tshark's own judgement (`expert`, `tcp.analysis`, `protocols`,
/// `layers`, `malformed`, `short`) and manifest notes are not modelled.
pub fn modelled(key: &str) -> Option<&'static str> {
    let layer = match key {
        "frame" | "ts" | "len" | "caplen" => "frame",
        "vlan" => "vlan",
        "tcp.analysis" => return None,
        _ => match key.split('.').next()? {
            "eth" => "eth",
            "llc" => "llc",
            "arp" => "arp",
            "ip" => "ip",
            "ipv6" => "ipv6",
            "tcp" => "tcp",
            "udp" => "udp",
            "icmp" => "icmp",
            "icmpv6" => "icmpv6",
            "dns" => "dns",
            _ => return None,
        },
    };
    Some(layer)
}

/// Layers in stack order, for "netspec stopped below this layer".
const ORDER: [&str; 11] = [
    "frame", "eth", "vlan", "llc", "arp", "ip", "ipv6", "icmp", "icmpv6", "tcp", "udp",
];

fn rank(layer: &str) -> usize {
    match layer {
        "dns" => ORDER.len(),
        // The extension headers are part of netspec's IPv6 layer.
        l if l.starts_with("ipv6") => 6,
        "ieee8021ad" => 2,
        l => ORDER.iter().position(|x| *x == l).unwrap_or(usize::MAX),
    }
}

/// What one comparison sees.
pub struct Seen<'a> {
    /// netspec's dissection of the frame.
    pub ours: &'a Dissection,
    /// The truth key being compared.
    pub key: &'a str,
    /// tshark's value.
    pub want: &'a Value,
    /// `None` if netspec did not print the key.
    pub got: Option<&'a Value>,
}

/// A deliberate difference: when it applies, and why.
pub struct Deliberate {
    /// Short name used in the report.
    pub id: &'static str,
    /// Why the difference is right (or at least understood).
    pub reason: &'static str,
    /// Whether it explains this comparison.
    pub applies: fn(&Seen<'_>) -> bool,
}

fn our_error_rank(d: &Dissection) -> Option<usize> {
    d.error_layer.map(rank)
}

fn arr(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or(&[])
}

/// Placeholders tshark prints instead of a DNS name it could not decode.
fn has_name_placeholder(v: &Value) -> bool {
    v.to_string().contains("<Name ")
}

/// The deliberate differences. Each is narrow: it names the keys and the
/// situation, never a whole capture or layer.
pub const DELIBERATE: &[Deliberate] = &[
    Deliberate {
        id: "stops-at-error",
        reason: "When a header fails to parse, netspec reports `error` and prints none of \
                 that header's fields nor anything above it; tshark prints the fields it \
                 read before the bad one and sometimes dissects on. Only missing keys at or \
                 above the failing layer are excused, never a differing value.",
        applies: |s| {
            s.got.is_none() && modelled(s.key).is_some_and(|l| our_error_rank(s.ours).is_some_and(|r| rank(l) >= r))
        },
    },
    Deliberate {
        id: "accecn-flags-str",
        reason: "In a connection that negotiated AccECN, tshark prints the AE/CWR/ECE bits of \
                 `tcp.flags.str` as the ACE counter (`-5-`), which depends on the handshake \
                 it saw earlier; netspec dissects each frame on its own and prints the bits. \
                 `tcp.flags` (the value) is still compared.",
        applies: |s| s.key == "tcp.flags.str" && s.want.as_str().is_some_and(|w| w.contains('-')),
    },
    Deliberate {
        id: "mptcp-kind-missing",
        reason: "tshark's MPTCP option subtree has no `tcp.option_kind`, so normalize.py leaves \
                 kind 30 out of `tcp.opt.kinds`; netspec lists it. Equal once the 30s are \
                 removed (or, after a malformed MPTCP option, where tshark stops listing, once \
                 netspec's list is cut there); `tcp.options_hex` is still compared.",
        applies: |s| {
            s.key == "tcp.opt.kinds"
                && s.got.is_some_and(|g| {
                    let want: Vec<&Value> = arr(s.want).iter().collect();
                    let without: Vec<&Value> = arr(g).iter().filter(|k| k.as_u64() != Some(30)).collect();
                    // After a malformed MPTCP option tshark lists nothing more.
                    let upto: Vec<&Value> = arr(g).iter().take_while(|k| k.as_u64() != Some(30)).collect();
                    want == without || want == upto
                })
        },
    },
    Deliberate {
        id: "tcp-bytes-after-eol",
        reason: "RFC 9293 §3.2: bytes after End of Option List are padding. netspec lists each \
                 (0 for zero, the byte for any other); tshark stops listing at the first \
                 non-zero byte after EOL. Excused only when tshark's list is a prefix of \
                 netspec's that ends with EOL.",
        applies: |s| {
            s.key == "tcp.opt.kinds"
                && s.got.is_some_and(|g| {
                    let (w, g) = (arr(s.want), arr(g));
                    w.len() < g.len() && g.starts_with(w) && w.contains(&Value::from(0))
                })
        },
    },
    Deliberate {
        id: "icmp-data-timestamp",
        reason: "When the first 8 or 16 bytes of ICMP echo data look like a timestamp near the \
                 frame's time (as Linux ping writes), tshark shows them as `icmp.data_time` \
                 and counts only the rest as data; that is a guess from the capture time, \
                 netspec counts all echo data (RFC 792).",
        applies: |s| {
            s.key == "icmp.data_len"
                && s.got.is_some_and(|g| {
                    let d = g.as_u64().unwrap_or(0).wrapping_sub(s.want.as_u64().unwrap_or(0));
                    d == 8 || d == 16
                })
        },
    },
    Deliberate {
        id: "dns-name-placeholder",
        reason: "For a DNS name it cannot decode (too long, looping pointer) tshark prints a \
                 placeholder such as `<Name too long>` and goes on; netspec reports `error` at \
                 the name (RFC 1035 §4.1.4, RFC 9267) and lists only the entries before it.",
        applies: |s| s.key.starts_with("dns.") && has_name_placeholder(s.want) && s.ours.error_layer == Some("dns"),
    },
];

/// A deliberate difference in rule 3: a frame tshark flags that netspec,
/// by design, does not.
pub struct DeliberateFlag {
    /// Short name used in the report.
    pub id: &'static str,
    /// Why netspec does not flag it.
    pub reason: &'static str,
    /// What it applies to, in words (for the report).
    pub what: &'static str,
    /// Whether it applies: the truth frame, the flagged tshark layer and
    /// the expert item's id (`None` for a malformed mark).
    pub applies: fn(&Obj, &str, Option<&str>) -> bool,
}

/// The deliberate differences in what is flagged.
pub const DELIBERATE_FLAGS: &[DeliberateFlag] = &[
    DeliberateFlag {
        id: "ndp-unknown-option-length",
        reason: "tshark checks the length of NDP options netspec does not model (PREF64, \
                 RFC 8781); netspec accepts any option whose length fits (RFC 4861 §4.6: \
                 unknown options are skipped by their length).",
        what: "expert item `icmpv6.invalid_option_length`",
        applies: |_, _, id| id == Some("icmpv6.invalid_option_length"),
    },
    DeliberateFlag {
        id: "icmpv6-quoted-header-chain",
        reason: "In an ICMPv6 error tshark wants the quoted fragment header chain to hold a \
                 full 40-byte inner IPv6 header; RFC 4443 §3 lets the quote be cut anywhere \
                 and netspec reads it leniently (type 4 code 3 is exactly about an \
                 incomplete header chain, RFC 7112).",
        what: "expert item `ipv6.invalid_header`",
        applies: |_, _, id| id == Some("ipv6.invalid_header"),
    },
    DeliberateFlag {
        id: "srh-last-entry",
        reason: "A Segment Routing Header whose Last Entry points past its segment list: \
                 tshark reads that many segments and throws; netspec bounds the list by the \
                 header's length and leaves the Last Entry check to SR processing (RFC 8754 \
                 §4.3.1.1 answers it with an ICMP Parameter Problem, it is not a parse \
                 error).",
        what: "malformed mark in `ipv6.routing` with routing type 4",
        applies: |t, layer, id| {
            layer == "ipv6.routing"
                && id.is_none()
                && t.get("ipv6.ext").is_some_and(|e| {
                    arr(e)
                        .iter()
                        .any(|h| h.get("routing_type").and_then(Value::as_u64) == Some(4))
                })
        },
    },
];

/// Agreement for one layer of one capture.
#[derive(Default, Clone, Copy)]
pub struct Tally {
    /// Truth keys in the modelled set.
    pub compared: usize,
    /// Of those, printed by netspec with the same value.
    pub equal: usize,
}

/// The outcome for one capture.
pub struct CaptureResult {
    /// Path below `tests/data/`.
    pub name: String,
    /// Frames in the capture.
    pub frames: usize,
    /// Agreement per tshark layer.
    pub layers: BTreeMap<&'static str, Tally>,
    /// Frames tshark flags (malformed or error-level expert) in a modelled
    /// layer, and how many of them netspec flags too.
    pub flagged: usize,
    pub flagged_matched: usize,
    /// Of those, frames netspec flags at a lower layer than tshark (it
    /// stopped before the layer tshark complains about).
    pub flagged_below: Vec<String>,
    /// Deliberate differences used, by id.
    pub deliberate: BTreeMap<&'static str, usize>,
    /// Frames where netspec reports an error and tshark flags nothing
    /// (not a failure: netspec may be stricter, or the frame is snapped).
    pub stricter: Vec<String>,
    /// Everything that breaks a rule.
    pub failures: Vec<String>,
}

/// Every capture with a truth file under `root` (`tests/data`), sorted.
pub fn captures(root: &Path) -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    let mut walk = vec![root.to_path_buf()];
    while let Some(dir) = walk.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk.push(p);
                continue;
            }
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if !(name.ends_with(".pcap") || name.ends_with(".pcapng")) {
                continue;
            }
            // Corpus truth lives in a parallel tree; ours sits next to the
            // capture.
            let beside = p.with_file_name(format!("{name}.truth.jsonl"));
            let rel = p.strip_prefix(root).unwrap_or(&p);
            let parallel = rel.strip_prefix("corpus/captures").ok().map(|r| {
                root.join("corpus/expected/truth")
                    .join(format!("{}.truth.jsonl", r.display()))
            });
            if beside.exists() {
                out.push((p, beside));
            } else if let Some(t) = parallel.filter(|t| t.exists()) {
                out.push((p, t));
            }
        }
    }
    out.sort();
    out
}

/// Compare one capture with its truth.
pub fn compare(root: &Path, capture: &Path, truth: &Path) -> CaptureResult {
    let name = capture.strip_prefix(root).unwrap_or(capture).display().to_string();
    let mut res = CaptureResult {
        name: name.clone(),
        frames: 0,
        layers: BTreeMap::new(),
        flagged: 0,
        flagged_matched: 0,
        flagged_below: Vec::new(),
        deliberate: BTreeMap::new(),
        stricter: Vec::new(),
        failures: Vec::new(),
    };
    let bytes = match std::fs::read(capture) {
        Ok(b) => b,
        Err(e) => {
            res.failures.push(format!("{name}: {e}"));
            return res;
        }
    };
    let records = match pcap::read(&bytes) {
        Ok(r) => r,
        Err(e) => {
            res.failures.push(format!("{name}: {e}"));
            return res;
        }
    };
    let truth_text = std::fs::read_to_string(truth).unwrap_or_default();
    let truths: Vec<Obj> = truth_text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| if let Value::Object(o) = v { Some(o) } else { None })
        .collect();
    if truths.len() != records.len() {
        res.failures.push(format!(
            "{name}: {} frames read, {} in the truth",
            records.len(),
            truths.len()
        ));
    }
    res.frames = records.len();
    for (rec, t) in records.iter().zip(&truths) {
        let ours = dissect(rec);
        frame(&mut res, rec.number, t, &ours);
    }
    res
}

fn frame(res: &mut CaptureResult, n: usize, t: &Obj, ours: &Dissection) {
    for (key, want) in t {
        let Some(layer) = modelled(key) else { continue };
        let tally = res.layers.entry(layer).or_default();
        tally.compared += 1;
        let got = ours.fields.get(key);
        if got == Some(want) {
            tally.equal += 1;
            continue;
        }
        let seen = Seen { ours, key, want, got };
        if let Some(d) = DELIBERATE.iter().find(|d| (d.applies)(&seen)) {
            *res.deliberate.entry(d.id).or_default() += 1;
            continue;
        }
        res.failures.push(match got {
            Some(g) => format!("{} frame {n}: {key}: tshark {want}, netspec {g}", res.name),
            None => format!("{} frame {n}: {key}: tshark {want}, netspec prints nothing", res.name),
        });
    }
    // Hand-made frames say what they are (`kind` from the manifest): a
    // malformed one must be flagged by netspec, a valid one must not.
    let flags_it = ours.error_layer.is_some()
        || ours
            .fields
            .iter()
            .any(|(k, v)| k.ends_with(".checksum.status") && matches!(v.as_str(), Some("bad" | "illegal")));
    match t.get("kind").and_then(Value::as_str) {
        Some("malformed") if !flags_it => res.failures.push(format!(
            "{} frame {n}: hand-made malformed frame ({}) passes netspec without error",
            res.name,
            t.get("desc").and_then(Value::as_str).unwrap_or("")
        )),
        Some("valid") if flags_it => res.failures.push(format!(
            "{} frame {n}: hand-made valid frame ({}) gets a netspec error or bad checksum",
            res.name,
            t.get("desc").and_then(Value::as_str).unwrap_or("")
        )),
        _ => {}
    }
    // Rule 3: tshark's malformed marks (the layer that threw is the last
    // in `frame.protocols`) and error-level expert items.
    let mut flagged: Vec<(String, Option<String>)> = Vec::new();
    if t.get("malformed").and_then(Value::as_u64) == Some(1) {
        if let Some(l) = t
            .get("protocols")
            .and_then(Value::as_str)
            .and_then(|p| p.rsplit(':').next())
        {
            flagged.push((l.to_string(), None));
        }
    }
    if let Some(Value::Array(ex)) = t.get("expert") {
        for e in ex {
            if e.get("severity").and_then(Value::as_str) != Some("error") {
                continue;
            }
            let id = e.get("id").and_then(Value::as_str).map(str::to_string);
            match e.get("layer").and_then(Value::as_str) {
                // Reported with the malformed mark above.
                Some("_ws.malformed") => {}
                Some(l) => flagged.push((l.to_string(), id)),
                None => {}
            }
        }
    }
    flagged.sort();
    flagged.dedup_by(|a, b| a.0 == b.0);
    if flagged.is_empty() && t.get("malformed").and_then(Value::as_u64) != Some(1) {
        if let Some(e) = ours.fields.get("error") {
            let snapped = t.get("caplen") != t.get("len");
            res.stricter.push(format!(
                "{} frame {n}{}: {}",
                res.name,
                if snapped { " (snapped)" } else { "" },
                e["message"].as_str().unwrap_or("")
            ));
        }
    }
    for (l, id) in flagged {
        let layer = match l.as_str() {
            "ieee8021ad" => "vlan",
            l if l.starts_with("ipv6") => "ipv6",
            l => l,
        };
        if modelled(&format!("{layer}.x")).is_none() && layer != "vlan" {
            continue;
        }
        res.flagged += 1;
        let bad_checksum = ours
            .fields
            .get(&format!("{layer}.checksum.status"))
            .and_then(Value::as_str)
            .is_some_and(|s| s == "bad" || s == "illegal");
        let error_here = ours.error_layer.is_some_and(|e| rank(e) <= rank(layer));
        if bad_checksum || error_here {
            res.flagged_matched += 1;
            let at = ours.error_layer.filter(|e| !bad_checksum && rank(e) < rank(layer));
            if let Some(e) = at {
                res.flagged_below.push(format!(
                    "{} frame {n}: tshark flags {l}, netspec stops at {e}: {}",
                    res.name,
                    ours.fields
                        .get("error")
                        .and_then(|v| v["message"].as_str())
                        .unwrap_or("")
                ));
            }
        } else if let Some(d) = DELIBERATE_FLAGS.iter().find(|d| (d.applies)(t, &l, id.as_deref())) {
            res.flagged -= 1;
            *res.deliberate.entry(d.id).or_default() += 1;
        } else {
            res.failures.push(format!(
                "{} frame {n}: tshark flags layer {l} ({}), netspec reports no error or bad checksum there",
                res.name,
                id.as_deref().unwrap_or("malformed")
            ));
        }
    }
}

/// Run the differential over every capture under `root`.
pub fn run_all(root: &Path) -> Vec<CaptureResult> {
    captures(root).iter().map(|(c, t)| compare(root, c, t)).collect()
}

/// The Markdown report (`docs/truth.md`).
pub fn report(results: &[CaptureResult]) -> String {
    let mut total = BTreeMap::<&str, Tally>::new();
    let mut s = String::new();
    for r in results {
        for (l, t) in &r.layers {
            let e = total.entry(l).or_default();
            e.compared += t.compared;
            e.equal += t.equal;
        }
    }
    let frames: usize = results.iter().map(|r| r.frames).sum();
    let failures: usize = results.iter().map(|r| r.failures.len()).sum();
    let flagged: usize = results.iter().map(|r| r.flagged).sum();
    let flagged_matched: usize = results.iter().map(|r| r.flagged_matched).sum();
    let all: Tally = total.values().fold(Tally::default(), |a, t| Tally {
        compared: a.compared + t.compared,
        equal: a.equal + t.equal,
    });
    s.push_str("# netspec against Wireshark\n\n");
    s.push_str(
        "Generated by `cargo run --example dissect -- --report docs/truth.md`; do not edit.\n\n\
         Every capture under `tests/data/` (the public corpus, netspec's own captures made by\n\
         `tests/data/capture.sh`, and the hand-made frames) is dissected by the `dissect`\n\
         example and compared key by key with its tshark truth (`*.truth.jsonl`, schema in\n\
         `tests/data/truth/README.md`). The same comparison is the integration test\n\
         `tests/wireshark_differential.rs`. Truth for the own captures is made by\n\
         `sudo bash tests/data/capture.sh` (which records them too), for the hand-made frames\n\
         by `python3 tests/data/handmade/make.py`; both need tshark.\n\n\
         *compared* counts the truth keys netspec models; *equal* those netspec printed with\n\
         the same value. Keys that are tshark's own judgement (`expert`, `tcp.analysis`,\n\
         `protocols`, `layers`) are not compared.\n\n",
    );
    s.push_str(&format!(
        "**{} captures, {frames} frames: {} of {} keys equal ({:.2}%). {flagged_matched} of {flagged} \
         frames that tshark flags (malformed or error-level expert) in a modelled layer carry a \
         netspec error or bad checksum there. Failures: {failures}.**\n\n",
        results.len(),
        all.equal,
        all.compared,
        pct(all)
    ));
    s.push_str("## Totals per source\n\n| source | captures | frames | compared | equal | % |\n|---|---:|---:|---:|---:|---:|\n");
    for (src, what) in [
        ("corpus", "public corpus (tcpdump, Zeek)"),
        ("own", "own captures (`tests/data/capture.sh`)"),
        ("handmade", "hand-made frames (`tests/data/handmade/make.py`)"),
    ] {
        let rs: Vec<&CaptureResult> = results.iter().filter(|r| r.name.starts_with(src)).collect();
        let t = rs
            .iter()
            .flat_map(|r| r.layers.values())
            .fold(Tally::default(), |a, t| Tally {
                compared: a.compared + t.compared,
                equal: a.equal + t.equal,
            });
        let frames: usize = rs.iter().map(|r| r.frames).sum();
        s.push_str(&format!(
            "| {what} | {} | {frames} | {} | {} | {:.2} |\n",
            rs.len(),
            t.compared,
            t.equal,
            pct(t)
        ));
    }
    s.push_str("\n## Totals per layer\n\n| layer | compared | equal | % |\n|---|---:|---:|---:|\n");
    for (l, t) in &total {
        s.push_str(&format!("| {l} | {} | {} | {:.2} |\n", t.compared, t.equal, pct(*t)));
    }
    s.push_str("\n## Deliberate differences\n\n| id | uses | reason |\n|---|---:|---|\n");
    for d in DELIBERATE {
        let uses: usize = results.iter().filter_map(|r| r.deliberate.get(d.id)).sum();
        s.push_str(&format!("| `{}` | {uses} | {} |\n", d.id, d.reason));
    }
    for d in DELIBERATE_FLAGS {
        let uses: usize = results.iter().filter_map(|r| r.deliberate.get(d.id)).sum();
        s.push_str(&format!(
            "| `{}` | {uses} | {} (applies to: {}) |\n",
            d.id, d.reason, d.what
        ));
    }
    s.push_str("\n## Per capture\n\nEach cell is *equal/compared* keys for that layer.\n\n");
    let cols: Vec<&str> = total.keys().copied().collect();
    s.push_str(&format!("| capture | frames | {} | flagged |\n", cols.join(" | ")));
    s.push_str(&format!("|---|---:|{}---:|\n", "---:|".repeat(cols.len())));
    for r in results {
        let cells: Vec<String> = cols
            .iter()
            .map(|c| match r.layers.get(c) {
                Some(t) => format!("{}/{}", t.equal, t.compared),
                None => String::new(),
            })
            .collect();
        s.push_str(&format!(
            "| {} | {} | {} | {}/{} |\n",
            r.name,
            r.frames,
            cells.join(" | "),
            r.flagged_matched,
            r.flagged
        ));
    }
    s.push_str(
        "\n## Flagged below tshark's layer\n\nFrames tshark flags in one layer where netspec's \
         error is in a layer below it (netspec stops there, so it never reaches tshark's).\n\n",
    );
    for r in results {
        for f in &r.flagged_below {
            s.push_str(&format!("* {f}\n"));
        }
    }
    s.push_str(
        "\n## Where netspec is stricter\n\nFrames where netspec reports an `error` and tshark \
         flags nothing (no malformed mark, no error-level expert item). \"snapped\" frames were \
         cut by the capture's snap length, which tshark reports only as `_ws.short`.\n\n",
    );
    for r in results {
        for f in &r.stricter {
            s.push_str(&format!("* {f}\n"));
        }
    }
    if failures > 0 {
        s.push_str("\n## Failures\n\n");
        for r in results {
            for f in &r.failures {
                s.push_str(&format!("* {f}\n"));
            }
        }
    }
    s
}

fn pct(t: Tally) -> f64 {
    if t.compared == 0 {
        100.0
    } else {
        100.0 * t.equal as f64 / t.compared as f64
    }
}
