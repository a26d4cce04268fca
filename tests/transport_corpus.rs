//! TCP and UDP headers from real captures (tests/data/corpus, copied from
//! the tcpdump and Zeek test suites with their LICENSE files), checked
//! field by field against Wireshark's dissection in
//! `tests/data/corpus/expected/truth/*.truth.jsonl`.
//!
//! The Ethernet and IP headers are skipped by hand (fixed offsets, the IPv4
//! IHL, the IPv6 payload length): this file tests only the transport layer.

mod common;

use common::pcap;
use common::truth::{self, Json};

use core::net::{Ipv4Addr, Ipv6Addr};

use netspec::ErrorKind;
use netspec::transport::tcp::TcpSegment;
use netspec::transport::tcp_option::TcpOption;
use netspec::transport::udp::UdpDatagram;

// ---------------------------------------------------------------------------
// Locating the transport header by hand.

enum Addrs {
    V4(Ipv4Addr, Ipv4Addr),
    V6(Ipv6Addr, Ipv6Addr),
}

struct Transport<'a> {
    proto: u8,
    addrs: Addrs,
    /// The transport bytes present in the capture (bounded by the IP length).
    bytes: &'a [u8],
    /// True if the capture cut the IP payload short.
    snapped: bool,
}

/// Skip link and IP headers: Ethernet (EtherType at 12) or raw IP, IPv4
/// via IHL and total length, IPv6 only when the fixed header's next header
/// is TCP or UDP (no extension headers).
fn locate(link: u32, frame: &[u8]) -> Option<Transport<'_>> {
    let ip = match link {
        1 => {
            let et = u16::from_be_bytes([*frame.get(12)?, *frame.get(13)?]);
            if et != 0x0800 && et != 0x86dd {
                return None;
            }
            &frame[14..]
        }
        101 => frame,
        _ => return None,
    };
    match ip.first()? >> 4 {
        4 => {
            let ihl = usize::from(ip[0] & 0x0f) * 4;
            let total = usize::from(u16::from_be_bytes([*ip.get(2)?, *ip.get(3)?]));
            let proto = *ip.get(9)?;
            let frag = u16::from_be_bytes([ip[6], ip[7]]) & 0x3fff;
            if frag != 0 || ihl < 20 || ip.len() < ihl || total < ihl {
                return None;
            }
            let src = Ipv4Addr::new(ip[12], ip[13], ip[14], ip[15]);
            let dst = Ipv4Addr::new(ip[16], ip[17], ip[18], ip[19]);
            let end = total.min(ip.len());
            Some(Transport {
                proto,
                addrs: Addrs::V4(src, dst),
                bytes: &ip[ihl..end],
                snapped: total > ip.len(),
            })
        }
        6 => {
            if ip.len() < 40 {
                return None;
            }
            let plen = usize::from(u16::from_be_bytes([ip[4], ip[5]]));
            let proto = ip[6];
            let src = Ipv6Addr::from(<[u8; 16]>::try_from(&ip[8..24]).ok()?);
            let dst = Ipv6Addr::from(<[u8; 16]>::try_from(&ip[24..40]).ok()?);
            let end = (40 + plen).min(ip.len());
            Some(Transport {
                proto,
                addrs: Addrs::V6(src, dst),
                bytes: &ip[40..end],
                snapped: 40 + plen > ip.len(),
            })
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// The comparison.

#[derive(Default)]
struct Tally {
    tcp_frames: usize,
    tcp_errors: usize,
    udp_frames: usize,
    udp_errors: usize,
    fields: usize,
}

fn eq(t: &mut Tally, what: &str, frame: i128, ours: i128, truth: Option<i128>) {
    if let Some(v) = truth {
        assert_eq!(ours, v, "frame {frame}: {what}");
        t.fields += 1;
    }
}

fn check_tcp(t: &mut Tally, tr: &Transport<'_>, truth: &Json, frame: i128) {
    let hdr_len = truth.int("tcp.hdr_len").expect("tshark dissected TCP");
    let seg = match TcpSegment::parse(tr.bytes) {
        Ok(s) => s,
        Err(e) => {
            // Only a header that runs past the captured bytes, or a bad
            // option, may fail; tshark then shows a short or malformed frame.
            t.tcp_errors += 1;
            let short = hdr_len as usize > tr.bytes.len();
            let flagged = truth.int("malformed") == Some(1) || truth.int("short") == Some(1);
            assert!(short || flagged, "frame {frame}: unexpected error {e}");
            if short {
                assert!(matches!(e.kind, ErrorKind::LengthExceeds { .. }), "frame {frame}: {e}");
                assert_eq!(e.field, "data_offset");
            }
            return;
        }
    };
    t.tcp_frames += 1;
    eq(t, "srcport", frame, seg.src_port().into(), truth.int("tcp.srcport"));
    eq(t, "dstport", frame, seg.dst_port().into(), truth.int("tcp.dstport"));
    eq(t, "seq", frame, seg.seq().into(), truth.int("tcp.seq_raw"));
    eq(t, "ack", frame, seg.ack().into(), truth.int("tcp.ack_raw"));
    eq(t, "hdr_len", frame, seg.header_len() as i128, Some(hdr_len));
    // tshark's 12-bit flags value: reserved bits above AE.
    let flags = (i128::from(seg.reserved()) << 9) | i128::from(seg.flags().bits());
    eq(t, "flags", frame, flags, truth.int("tcp.flags"));
    eq(
        t,
        "window",
        frame,
        seg.window().into(),
        truth.int("tcp.window_size_value"),
    );
    eq(t, "checksum", frame, seg.checksum().into(), truth.int("tcp.checksum"));
    eq(
        t,
        "urgent",
        frame,
        seg.urgent_ptr().into(),
        truth.int("tcp.urgent_pointer"),
    );
    if !tr.snapped {
        eq(t, "len", frame, seg.payload().len() as i128, truth.int("tcp.len"));
    }
    if let Some(hex) = truth.str("tcp.options_hex") {
        let ours: String = seg.options_bytes().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(ours, hex, "frame {frame}: options_hex");
        t.fields += 1;
    }
    let kinds: Vec<i128> = seg.options().map(|o| i128::from(o.kind().0)).collect();
    if let Some(k) = truth.get("tcp.opt.kinds") {
        let want = k.ints();
        // The truth takes kinds from each option's `tcp.option_kind`, which
        // tshark's MPTCP sub-dissector does not add: kind 30 is missing
        // from the truth lists (its bytes are in `tcp.options_hex`).
        let kinds: Vec<i128> = kinds.iter().copied().filter(|&k| k != 30).collect();
        if truth.int("malformed") == Some(1) {
            // tshark stops at the option it could not dissect.
            assert!(kinds.starts_with(&want), "frame {frame}: kinds {kinds:?} vs {want:?}");
        } else {
            assert_eq!(kinds, want, "frame {frame}: option kinds");
        }
        t.fields += 1;
    } else {
        assert!(kinds.is_empty(), "frame {frame}: options tshark did not see");
    }
    let h = seg.to_header();
    let o = &h.options;
    eq(
        t,
        "mss",
        frame,
        o.mss().map_or(-1, i128::from),
        truth.int("tcp.opt.mss").or(Some(-1)),
    );
    let ws = o.window_scale().map_or(-1, i128::from);
    eq(t, "wscale", frame, ws, truth.int("tcp.opt.wscale").or(Some(-1)));
    let sp = i128::from(o.sack_permitted());
    eq(t, "sack_perm", frame, sp, truth.int("tcp.opt.sack_perm").or(Some(0)));
    if let Some((val, ecr)) = o.timestamps() {
        eq(t, "ts_val", frame, val.into(), truth.int("tcp.opt.ts_val"));
        eq(t, "ts_ecr", frame, ecr.into(), truth.int("tcp.opt.ts_ecr"));
    } else {
        assert_eq!(truth.get("tcp.opt.ts_val"), None, "frame {frame}");
    }
    if let Some(Json::Arr(blocks)) = truth.get("tcp.opt.sack") {
        let ours = o.sack_blocks().expect("SACK blocks");
        let want: Vec<(u32, u32)> = blocks
            .iter()
            .map(|b| {
                let v = b.ints();
                (v[0] as u32, v[1] as u32)
            })
            .collect();
        assert_eq!(ours.as_slice(), &want[..], "frame {frame}: sack");
        t.fields += 1;
    }
    // The checksum, where tshark could verify it.
    match truth.str("tcp.checksum.status") {
        Some("good") | Some("bad") if !tr.snapped => {
            let good = match tr.addrs {
                Addrs::V4(s, d) => seg.verify_checksum_v4(s, d),
                Addrs::V6(s, d) => seg.verify_checksum_v6(&s, &d),
            };
            assert_eq!(
                good,
                truth.str("tcp.checksum.status") == Some("good"),
                "frame {frame}: checksum"
            );
            t.fields += 1;
        }
        _ => {}
    }
    // Emitting the parsed header gives back the bytes.
    let mut out = vec![0u8; h.header_len()];
    h.emit(&mut out).unwrap();
    assert_eq!(&out[..], seg.header_bytes(), "frame {frame}: re-emit");
}

fn check_udp(t: &mut Tally, tr: &Transport<'_>, truth: &Json, frame: i128) {
    let d = match UdpDatagram::parse_lax(tr.bytes) {
        Ok(d) => d,
        Err(e) => {
            t.udp_errors += 1;
            // Only a datagram cut inside its 8-byte header may fail here.
            assert!(tr.bytes.len() < 8, "frame {frame}: unexpected error {e}");
            assert_eq!(e.field, "header");
            return;
        }
    };
    t.udp_frames += 1;
    eq(t, "srcport", frame, d.src_port().into(), truth.int("udp.srcport"));
    eq(t, "dstport", frame, d.dst_port().into(), truth.int("udp.dstport"));
    eq(t, "length", frame, d.length().into(), truth.int("udp.length"));
    eq(t, "checksum", frame, d.checksum().into(), truth.int("udp.checksum"));
    assert_eq!(UdpDatagram::parse(tr.bytes).is_ok(), !d.is_truncated());
    if let Some(status) = truth.str("udp.checksum.status") {
        let ours = match tr.addrs {
            Addrs::V4(s, dst) => d.checksum_status_v4(s, dst),
            Addrs::V6(s, dst) => d.checksum_status_v6(&s, &dst),
        };
        assert_eq!(ours.as_str(), status, "frame {frame}: udp checksum status");
        t.fields += 1;
    }
}

fn run(rel: &str) -> Tally {
    let bytes = truth::capture(rel);
    let truth = truth::load(rel);
    let pcap = pcap::parse(&bytes).unwrap();
    let (link, records) = (pcap.link_type, pcap.records);
    assert_eq!(records.len(), truth.len(), "{rel}: frame count");
    let mut t = Tally::default();
    for (rec, tj) in records.iter().zip(&truth) {
        let frame = tj.int("frame").unwrap();
        assert_eq!(rec.orig_len as i128, tj.int("len").unwrap());
        let Some(tr) = locate(link, rec.data) else { continue };
        match tr.proto {
            6 if tj.get("tcp.srcport").is_some() => check_tcp(&mut t, &tr, tj, frame),
            17 if tj.get("udp.srcport").is_some() => check_udp(&mut t, &tr, tj, frame),
            _ => {}
        }
    }
    t
}

/// Run one capture and check how many frames parsed and failed.
fn expect(rel: &str, tcp: usize, tcp_err: usize, udp: usize, udp_err: usize) {
    let t = run(rel);
    assert_eq!(
        (t.tcp_frames, t.tcp_errors, t.udp_frames, t.udp_errors),
        (tcp, tcp_err, udp, udp_err),
        "{rel}: (tcp ok, tcp err, udp ok, udp err); {} fields matched",
        t.fields
    );
    assert!(t.fields > 0, "{rel}: nothing compared");
    eprintln!(
        "{rel}: {} TCP + {} UDP frames, {} fields matched",
        t.tcp_frames, t.udp_frames, t.fields
    );
}

/// The options of frame `n` (0-based) of a capture.
fn with_options(rel: &str, n: usize, f: impl FnOnce(&[TcpOption<'_>])) {
    let bytes = truth::capture(rel);
    let pcap = pcap::parse(&bytes).unwrap();
    let tr = locate(pcap.link_type, pcap.records[n].data).unwrap();
    let seg = TcpSegment::parse(tr.bytes).unwrap();
    let opts: Vec<_> = seg.options().collect();
    f(&opts);
}

#[test]
fn zeek_tcp_options() {
    expect("zeek/tcp_options.pcap", 4, 0, 0, 0);
}

#[test]
fn zeek_tcp_fast_open() {
    expect("zeek/tcp_tcp-fast-open.pcap", 16, 0, 0, 0);
}

#[test]
fn zeek_quick_start_and_user_timeout() {
    expect("zeek/tcp_option-27.pcap", 1, 0, 0, 0);
    // Kind 27 is kept as unknown data, kind 28 decodes.
    with_options("zeek/tcp_option-27.pcap", 0, |opts| {
        assert_eq!(
            opts[1],
            TcpOption::Unknown {
                kind: 27,
                data: &[0, 1, 2, 0, 0, 0]
            }
        );
        assert_eq!(
            opts[2],
            TcpOption::UserTimeout {
                granularity_minutes: false,
                timeout: 1
            }
        );
    });
}

#[test]
fn zeek_window_scale_range() {
    expect("zeek/tcp_window-scale-range.pcap", 5, 0, 0, 0);
}

#[test]
fn zeek_ipv6_tcp_and_udp() {
    // Frames with extension headers are skipped by `locate`.
    let t = run("zeek/ipv6-http-atomic-frag.pcap");
    assert!(t.tcp_frames > 0 && t.tcp_errors == 0, "{}", t.tcp_frames);
    eprintln!(
        "zeek/ipv6-http-atomic-frag.pcap: {} TCP frames, {} fields matched",
        t.tcp_frames, t.fields
    );
    expect("zeek/dns_naptr.pcap", 0, 0, 2, 0);
}

#[test]
fn tcpdump_mptcp() {
    expect("tcpdump/mptcp-aa-v1.pcap", 22, 0, 2, 0);
    expect("tcpdump/mptcp-tcprst.pcap", 2, 0, 0, 0);
    // A malformed MPTCP DSS sub-option: TCP keeps kind 30 raw, tshark
    // stops there.
    expect("tcpdump/mptcp-dss-oobr.pcap", 1, 0, 0, 0);
    // MP_TCPRST (subtype 8), kept raw after kind and length.
    with_options("tcpdump/mptcp-tcprst.pcap", 0, |o| {
        assert_eq!(o, [TcpOption::Mptcp(&[0x80, 0x00])])
    });
    with_options("tcpdump/mptcp-dss-oobr.pcap", 0, |o| {
        assert_eq!(o[3..], [TcpOption::Mptcp(&[0x20]), TcpOption::Eol]);
    });
}

#[test]
fn tcpdump_crash_regressions() {
    // Headers claiming 52 and 60 bytes in a 64-byte snap: typed errors.
    expect_errors("tcpdump/tcp-auth-heapoverflow.pcap");
    expect_errors("tcpdump/heapoverflow-tcp_print.pcap");
    let t = run("tcpdump/udp-length-heapoverflow.pcap");
    assert_eq!((t.udp_frames, t.udp_errors), (0, 1));
}

fn expect_errors(rel: &str) {
    let t = run(rel);
    assert_eq!((t.tcp_frames, t.tcp_errors), (0, 1), "{rel}");
}

#[test]
fn tcpdump_flags() {
    expect("tcpdump/tcp_eight_lowest_weight_flags_set.pcap", 1, 0, 0, 0);
    expect("tcpdump/print-flags.pcap", 10, 0, 0, 0);
    expect("tcpdump/accecn_handshake.pcap", 6, 0, 0, 0);
    expect("tcpdump/tcp_rst_data.pcap", 1, 0, 0, 0);
}

#[test]
fn tcpdump_fast_open_and_udp() {
    expect("tcpdump/tfo-5c1fa7f9ae91.pcap", 14, 0, 0, 0);
    // Fast Open in its pre-IANA experimental form: kind 254, ExID 0xF989.
    with_options("tcpdump/tfo-5c1fa7f9ae91.pcap", 0, |o| {
        assert!(
            o.iter().any(|x| matches!(
                x,
                TcpOption::Experimental {
                    kind: 254,
                    exid: 0xf989,
                    ..
                }
            )),
            "{o:?}"
        );
    });
    expect("tcpdump/dns_udp.pcap", 0, 0, 2, 0);
}
