//! Capture files: classic pcap (either byte order, microsecond or
//! nanosecond timestamps, and the "modified" Kuznetzov format) and pcapng
//! (any number of sections and interfaces, per-interface link type and
//! timestamp resolution), read with the `pcap-parser` crate.
//!
//! A capture becomes a list of [`Record`]s: the raw bytes of each frame with
//! its link type, timestamp and lengths. Nothing here looks inside a frame.

use pcap_parser::nom;
use pcap_parser::pcapng::Block;
use pcap_parser::{Linktype, PcapError};

/// One captured frame.
#[derive(Clone, Debug)]
pub struct Record<'a> {
    /// 1-based frame number, as Wireshark counts them.
    pub number: usize,
    /// The LINKTYPE_* value of the interface the frame came from.
    pub linktype: i32,
    /// Seconds since the epoch.
    pub ts_sec: i64,
    /// Nanoseconds within that second.
    pub ts_nsec: u32,
    /// Length on the wire.
    pub len: u32,
    /// The bytes captured (the first `caplen` bytes of the frame).
    pub data: &'a [u8],
}

impl Record<'_> {
    /// `frame.time_epoch` as tshark prints it: seconds, a dot, nine digits.
    ///
    /// A fraction of a second out of range (a hostile file) is printed the
    /// way tshark does: its nanoseconds are a signed 32-bit number, and a
    /// negative one puts a minus sign in front of the whole value.
    pub fn ts_string(&self) -> String {
        let ns = self.ts_nsec as i32;
        if ns < 0 {
            format!("-{}.{:09}", self.ts_sec, ns.unsigned_abs())
        } else {
            format!("{}.{:09}", self.ts_sec, ns)
        }
    }

    /// Whether the capture kept fewer bytes than were on the wire (a snap
    /// length), so that length fields may legitimately point past the end.
    pub fn is_snapped(&self) -> bool {
        (self.data.len() as u64) < u64::from(self.len)
    }
}

/// Why a capture file could not be read.
#[derive(Debug)]
pub struct ReadError(pub String);

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<I: std::fmt::Debug>(what: &str, e: nom::Err<PcapError<I>>) -> ReadError {
    ReadError(format!("{what}: {e:?}"))
}

/// Read every frame of a pcap or pcapng file held in memory.
pub fn read(file: &[u8]) -> Result<Vec<Record<'_>>, ReadError> {
    if file.len() < 4 {
        return Err(ReadError("file shorter than a magic number".into()));
    }
    if file[..4] == [0x0a, 0x0d, 0x0d, 0x0a] {
        read_pcapng(file)
    } else {
        read_pcap(file)
    }
}

fn read_pcap(file: &[u8]) -> Result<Vec<Record<'_>>, ReadError> {
    let (mut rest, header) = pcap_parser::pcap::parse_pcap_header(file).map_err(|e| err("pcap header", e))?;
    let nano = header.is_nanosecond_precision();
    let frame = if header.is_modified_format() {
        pcap_parser::pcap::parse_pcap_frame_modified
    } else if header.is_bigendian() {
        pcap_parser::pcap::parse_pcap_frame_be
    } else {
        pcap_parser::pcap::parse_pcap_frame
    };
    let mut out = Vec::new();
    // Each round consumes at least a 16-byte record header, so the loop is
    // bounded by the file size.
    while !rest.is_empty() {
        let (next, b) = match frame(rest) {
            Ok(x) => x,
            // A record cut short at the end of the file: tshark stops there
            // too ("appears to have been cut short in the middle of a packet").
            Err(nom::Err::Incomplete(_)) => break,
            Err(e) => return Err(err("pcap record", e)),
        };
        rest = next;
        let nsec = if nano {
            b.ts_usec
        } else {
            b.ts_usec.saturating_mul(1000)
        };
        out.push(Record {
            number: out.len() + 1,
            // The upper bits carry FCS information (LT_LINKTYPE in libpcap).
            linktype: header.network.0 & 0x03ff_ffff,
            ts_sec: i64::from(b.ts_sec),
            ts_nsec: nsec,
            len: b.origlen,
            data: b.data,
        });
    }
    Ok(out)
}

/// The parts of an Interface Description Block that frames need.
struct Interface {
    linktype: Linktype,
    /// Timestamp units per second.
    resolution: u64,
    offset: i64,
}

fn read_pcapng(file: &[u8]) -> Result<Vec<Record<'_>>, ReadError> {
    let (_, cap) = pcap_parser::parse_pcapng(file).map_err(|e| err("pcapng", e))?;
    let mut out = Vec::new();
    for section in &cap.sections {
        // Interface ids are numbered per section.
        let mut ifaces: Vec<Interface> = Vec::new();
        for block in &section.blocks {
            match block {
                Block::InterfaceDescription(idb) => ifaces.push(Interface {
                    linktype: idb.linktype,
                    resolution: idb.ts_resolution().unwrap_or(1_000_000),
                    offset: idb.ts_offset(),
                }),
                Block::EnhancedPacket(epb) => {
                    let iface = ifaces
                        .get(epb.if_id as usize)
                        .ok_or_else(|| ReadError(format!("packet on undeclared interface {}", epb.if_id)))?;
                    let ts = (u64::from(epb.ts_high) << 32) | u64::from(epb.ts_low);
                    let sec = ts / iface.resolution;
                    let frac = ts % iface.resolution;
                    let nsec = (u128::from(frac) * 1_000_000_000 / u128::from(iface.resolution)) as u32;
                    out.push(Record {
                        number: out.len() + 1,
                        linktype: iface.linktype.0,
                        ts_sec: sec as i64 + iface.offset,
                        ts_nsec: nsec,
                        len: epb.origlen,
                        // `data` includes the block's padding to 32 bits.
                        data: &epb.data[..(epb.caplen as usize).min(epb.data.len())],
                    });
                }
                Block::SimplePacket(spb) => {
                    let iface = ifaces
                        .first()
                        .ok_or_else(|| ReadError("simple packet before any interface".into()))?;
                    out.push(Record {
                        number: out.len() + 1,
                        linktype: iface.linktype.0,
                        ts_sec: 0,
                        ts_nsec: 0,
                        len: spb.origlen,
                        data: &spb.data[..(spb.origlen as usize).min(spb.data.len())],
                    });
                }
                _ => {}
            }
        }
    }
    Ok(out)
}
