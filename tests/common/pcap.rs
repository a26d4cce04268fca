//! A tiny classic-pcap record reader for tests (no dependencies).
//!
//! Classic pcap (the libpcap "savefile" format, draft-ietf-opsawg-pcap):
//! a 24-byte global header whose magic `0xa1b2c3d4` (µs) or `0xa1b23c4d`
//! (ns) also reveals the writer's byte order, then records, each a 16-byte
//! header (seconds, sub-second, captured length, original length) and the
//! captured bytes.
//!
//! pcapng (draft-ietf-opsawg-pcapng) is read too, as far as the corpus
//! needs: Section Header Blocks (byte order), Interface Description Blocks
//! (link type, snaplen, `if_tsresol`), Enhanced and Simple Packet Blocks;
//! other blocks are skipped. [`parse`] accepts either format.

/// One captured record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a> {
    /// Timestamp seconds.
    pub ts_sec: u32,
    /// Timestamp fraction in nanoseconds (µs files are scaled up).
    pub ts_nsec: u32,
    /// The captured bytes (`caplen` of them).
    pub data: &'a [u8],
    /// The length on the wire (`len`), which may exceed `data.len()`.
    pub orig_len: u32,
}

/// A parsed classic pcap file.
#[derive(Debug)]
pub struct Pcap<'a> {
    /// LINKTYPE_ value of the file (1 = Ethernet).
    pub link_type: u32,
    /// Snapshot length from the global header.
    pub snaplen: u32,
    /// True for nanosecond timestamps.
    pub nanos: bool,
    /// Every record, in file order.
    pub records: Vec<Record<'a>>,
}

/// Parse a classic pcap or a pcapng file. A pcapng file must use one link
/// type on all its interfaces (else use [`parse_pcapng`]). Errors are
/// strings: this is test support.
pub fn parse(file: &[u8]) -> Result<Pcap<'_>, String> {
    if file.starts_with(&PCAPNG_SHB) {
        return pcapng_as_pcap(file);
    }
    if file.len() < 24 {
        return Err(format!("global header needs 24 bytes, got {}", file.len()));
    }
    let magic = [file[0], file[1], file[2], file[3]];
    let (big, nanos) = match magic {
        [0xd4, 0xc3, 0xb2, 0xa1] => (false, false),
        [0x4d, 0x3c, 0xb2, 0xa1] => (false, true),
        [0xa1, 0xb2, 0xc3, 0xd4] => (true, false),
        [0xa1, 0xb2, 0x3c, 0x4d] => (true, true),
        m => return Err(format!("not a classic pcap magic: {m:02x?}")),
    };
    let u32_at = |at: usize| -> u32 {
        let b = [file[at], file[at + 1], file[at + 2], file[at + 3]];
        if big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        }
    };
    let snaplen = u32_at(16);
    // The low 28 bits are the link type; the high bits carry FCS info.
    let link_type = u32_at(20) & 0x0fff_ffff;
    let mut records = Vec::new();
    let mut at = 24;
    while at < file.len() {
        if file.len() - at < 16 {
            return Err(format!("record header at {at} is cut short"));
        }
        let ts_sec = u32_at(at);
        let frac = u32_at(at + 4);
        let caplen = u32_at(at + 8) as usize;
        let orig_len = u32_at(at + 12);
        let start = at + 16;
        if caplen > file.len() - start {
            return Err(format!("record at {at}: caplen {caplen} runs past the file"));
        }
        records.push(Record {
            ts_sec,
            ts_nsec: if nanos { frac } else { frac.saturating_mul(1000) },
            data: &file[start..start + caplen],
            orig_len,
        });
        at = start + caplen;
    }
    Ok(Pcap {
        link_type,
        snaplen,
        nanos,
        records,
    })
}

/// Block type of a pcapng Section Header Block (also its first 4 bytes).
const PCAPNG_SHB: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];

/// One pcapng interface (Interface Description Block).
struct Interface {
    link_type: u16,
    snaplen: u32,
    /// Timestamp units per second (`if_tsresol`; default 10^6).
    units: u64,
}

/// A whole pcapng file as one [`Pcap`]: every interface must have the same
/// link type; `nanos` is set if any interface stamps finer than 1 µs.
fn pcapng_as_pcap(file: &[u8]) -> Result<Pcap<'_>, String> {
    let (ifaces, packets) = walk_pcapng(file)?;
    let first = ifaces.first().ok_or("pcapng file without an interface")?;
    if ifaces.iter().any(|i| i.link_type != first.link_type) {
        return Err("pcapng interfaces with different link types: use parse_pcapng".into());
    }
    Ok(Pcap {
        link_type: u32::from(first.link_type),
        snaplen: first.snaplen,
        nanos: ifaces.iter().any(|i| i.units > 1_000_000),
        records: packets.into_iter().map(|(_, r)| r).collect(),
    })
}

/// Every packet of a pcapng file as `(link_type, record)`, the link type
/// being that of the packet's interface.
pub fn parse_pcapng(file: &[u8]) -> Result<Vec<(u16, Record<'_>)>, String> {
    let (ifaces, packets) = walk_pcapng(file)?;
    Ok(packets.into_iter().map(|(i, r)| (ifaces[i].link_type, r)).collect())
}

/// The interfaces of a pcapng file and its packets with their interface index.
type Walked<'a> = (Vec<Interface>, Vec<(usize, Record<'a>)>);

/// Walk the blocks of a pcapng file: its interfaces (of the last section)
/// and its packets with their interface index.
fn walk_pcapng(file: &[u8]) -> Result<Walked<'_>, String> {
    let mut big = false;
    let mut ifaces: Vec<Interface> = Vec::new();
    let mut out = Vec::new();
    let mut at = 0;
    while at < file.len() {
        if file.len() - at < 12 {
            return Err(format!("block at {at} is cut short"));
        }
        if file[at..at + 4] == PCAPNG_SHB {
            // Section Header Block: its byte-order magic sets the order,
            // and interface numbering starts again.
            big = file[at + 8..at + 12] == [0x1a, 0x2b, 0x3c, 0x4d];
            ifaces.clear();
        }
        let u16_at = |p: usize| -> u16 {
            let b = [file[p], file[p + 1]];
            if big {
                u16::from_be_bytes(b)
            } else {
                u16::from_le_bytes(b)
            }
        };
        let u32_at = |p: usize| -> u32 {
            let b = [file[p], file[p + 1], file[p + 2], file[p + 3]];
            if big {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            }
        };
        let kind = u32_at(at);
        let len = u32_at(at + 4) as usize;
        if len < 12 || len % 4 != 0 || len > file.len() - at {
            return Err(format!("block at {at}: bad length {len}"));
        }
        let body = at + 8..at + len - 4;
        match kind {
            // Interface Description Block: link type, reserved, snaplen,
            // then options (code, length, value padded to 4).
            1 if body.len() >= 8 => {
                let mut units = 1_000_000;
                let mut o = body.start + 8;
                while o + 4 <= body.end {
                    let (code, olen) = (u16_at(o), usize::from(u16_at(o + 2)));
                    if code == 0 || olen > body.end - o - 4 {
                        break;
                    }
                    if code == 9 && olen >= 1 {
                        // if_tsresol: 10^-v, or 2^-v with the top bit set.
                        let v = file[o + 4];
                        units = if v & 0x80 == 0 {
                            10u64.pow(u32::from(v))
                        } else {
                            1u64 << (v & 0x7f)
                        };
                    }
                    o += 4 + olen.div_ceil(4) * 4;
                }
                ifaces.push(Interface {
                    link_type: u16_at(body.start),
                    snaplen: u32_at(body.start + 4),
                    units,
                });
            }
            // Enhanced Packet Block: interface, timestamp (high, low),
            // captured length, original length, data.
            6 if body.len() >= 20 => {
                let f = |p: usize| u32_at(body.start + p);
                let (iface, hi, lo, caplen, orig_len) = (f(0) as usize, f(4), f(8), f(12) as usize, f(16));
                if caplen > body.len() - 20 {
                    return Err(format!("packet block at {at}: caplen {caplen} too long"));
                }
                let units = ifaces
                    .get(iface)
                    .ok_or(format!("packet block at {at}: no interface {iface}"))?
                    .units;
                let ticks = (u64::from(hi) << 32) | u64::from(lo);
                let start = body.start + 20;
                out.push((
                    iface,
                    Record {
                        ts_sec: (ticks / units) as u32,
                        ts_nsec: (u128::from(ticks % units) * 1_000_000_000 / u128::from(units)) as u32,
                        data: &file[start..start + caplen],
                        orig_len,
                    },
                ));
            }
            // Simple Packet Block: original length, data; captured length
            // is the original length cut to interface 0's snaplen.
            3 if body.len() >= 4 => {
                let snaplen = ifaces
                    .first()
                    .ok_or(format!("simple packet block at {at}: no interface 0"))?
                    .snaplen;
                let orig_len = u32_at(body.start);
                let mut caplen = orig_len as usize;
                if snaplen != 0 {
                    caplen = caplen.min(snaplen as usize);
                }
                if caplen > body.len() - 4 {
                    return Err(format!("simple packet block at {at}: length {caplen} too long"));
                }
                let start = body.start + 4;
                out.push((
                    0,
                    Record {
                        ts_sec: 0,
                        ts_nsec: 0,
                        data: &file[start..start + caplen],
                        orig_len,
                    },
                ));
            }
            _ => {}
        }
        at += len;
    }
    Ok((ifaces, out))
}
