//! A tiny classic-pcap record reader for tests (no dependencies).
//!
//! Classic pcap (the libpcap "savefile" format, draft-ietf-opsawg-pcap):
//! a 24-byte global header whose magic `0xa1b2c3d4` (µs) or `0xa1b23c4d`
//! (ns) also reveals the writer's byte order, then records, each a 16-byte
//! header (seconds, sub-second, captured length, original length) and the
//! captured bytes. pcapng is not handled here.

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

/// Parse a classic pcap file. Errors are strings: this is test support.
pub fn parse(file: &[u8]) -> Result<Pcap<'_>, String> {
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

/// The Ethernet-relevant part of a pcapng file (draft-ietf-opsawg-pcapng):
/// the link type of each Interface Description Block and the Enhanced
/// Packet Blocks, as `(link_type, record)`. Timestamps are read assuming
/// the default microsecond resolution (`if_tsresol` is not interpreted).
/// Enough for the tests; the crate's own reader is elsewhere.
pub fn parse_pcapng(file: &[u8]) -> Result<Vec<(u16, Record<'_>)>, String> {
    let mut big = false;
    let mut link_types: Vec<u16> = Vec::new();
    let mut out = Vec::new();
    let mut at = 0;
    while at < file.len() {
        if file.len() - at < 12 {
            return Err(format!("block at {at} is cut short"));
        }
        if file[at..at + 4] == [0x0a, 0x0d, 0x0d, 0x0a] {
            // Section Header Block: its byte-order magic sets the order.
            big = file[at + 8..at + 12] == [0x1a, 0x2b, 0x3c, 0x4d];
            link_types.clear();
        }
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
        let body = &file[at + 8..at + len - 4];
        match kind {
            1 if body.len() >= 2 => {
                let lt = [body[0], body[1]];
                link_types.push(if big {
                    u16::from_be_bytes(lt)
                } else {
                    u16::from_le_bytes(lt)
                });
            }
            6 if body.len() >= 20 => {
                let f = |p: usize| u32_at(at + 8 + p);
                let (iface, hi, lo, caplen, orig_len) = (f(0) as usize, f(4), f(8), f(12) as usize, f(16));
                if caplen > body.len() - 20 {
                    return Err(format!("packet block at {at}: caplen {caplen} too long"));
                }
                let lt = *link_types
                    .get(iface)
                    .ok_or(format!("packet block at {at}: no interface {iface}"))?;
                let us = (u64::from(hi) << 32) | u64::from(lo);
                out.push((
                    lt,
                    Record {
                        ts_sec: (us / 1_000_000) as u32,
                        ts_nsec: (us % 1_000_000) as u32 * 1000,
                        data: &body[20..20 + caplen],
                        orig_len,
                    },
                ));
            }
            _ => {}
        }
        at += len;
    }
    Ok(out)
}
