//! A tour of the stack: "hello,world" goes down the four layers, comes back
//! up, and then meets a flipped byte.
//!
//! ```sh
//! cargo run --example tour
//! ```
//!
//! 1. Down: each layer wraps what the layer above handed it, and we print
//!    each header as hex next to its named fields (RFC 1122 §1.1.3).
//! 2. Up: `Packet::from_ethernet` parses the frame back into layers and
//!    checks every checksum.
//! 3. Corruption: one flipped byte at a time, and which checksum notices.
//! 4. Editing: a NAT rewrite in place, checksums kept by RFC 1624.

use std::net::{IpAddr, Ipv4Addr};

use netspec::build::{BuildParams, IpParams, LinkParams, TransportParams};
use netspec::edit::PacketMut;
use netspec::link::{EtherType, EthernetHeader, MacAddress};
use netspec::net::{IpProtocol, Ipv4Flags, Ipv4Header};
use netspec::packet::{Network, Packet, Transport};
use netspec::transport::tcp::{TcpFlags, TcpHeader};

const SRC_MAC: MacAddress = MacAddress([0x02, 0x00, 0x5e, 0x10, 0x00, 0x01]);
const DST_MAC: MacAddress = MacAddress([0x02, 0x00, 0x5e, 0x10, 0x00, 0x02]);
const SRC_IP: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);
const DST_IP: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 2);

/// Bytes as hex, 16 to a line, indented.
fn hex(bytes: &[u8]) -> String {
    bytes
        .chunks(16)
        .map(|row| {
            let h: Vec<String> = row.iter().map(|b| format!("{b:02x}")).collect();
            format!("      {}", h.join(" "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn down() -> netspec::Result<Vec<u8>> {
    println!("1. DOWN THE STACK\n");
    let payload = b"hello,world";
    println!(
        "  application  {:?} ({} bytes)",
        std::str::from_utf8(payload).unwrap_or("?"),
        payload.len()
    );
    println!("{}\n", hex(payload));

    // Transport: TCP adds ports, sequence numbers and a checksum that also
    // covers a pseudo-header of IP addresses (RFC 9293 §3.1).
    let mut th = TcpHeader::new(49152, 7);
    th.seq = 1;
    th.ack = 1;
    th.flags = TcpFlags::PSH | TcpFlags::ACK;
    th.window = 65535;
    let mut segment = vec![0u8; th.header_len() + payload.len()];
    th.emit_segment_v4(payload, SRC_IP, DST_IP, &mut segment)?;
    let sum = u16::from_be_bytes([segment[16], segment[17]]);
    println!("  transport    TCP header, {} bytes (RFC 9293 §3.1)", th.header_len());
    println!("{}", hex(&segment[..th.header_len()]));
    println!(
        "      src_port={} dst_port={} seq={} ack={} data_offset={} flags={:?} window={} checksum=0x{sum:04x}\n",
        th.src_port,
        th.dst_port,
        th.seq,
        th.ack,
        th.data_offset(),
        th.flags,
        th.window
    );

    // Internet: IPv4 adds addresses, a TTL, the protocol number of the
    // layer above, the total length and a header checksum (RFC 791 §3.1).
    let mut ih = Ipv4Header::new(SRC_IP, DST_IP, IpProtocol::TCP, segment.len());
    ih.flags = Ipv4Flags::DONT_FRAGMENT;
    ih.fill_checksum();
    let mut datagram = vec![0u8; ih.header_len() + segment.len()];
    let n = ih.emit(&mut datagram)?;
    datagram[n..].copy_from_slice(&segment);
    println!("  internet     IPv4 header, {n} bytes (RFC 791 §3.1)");
    println!("{}", hex(&datagram[..n]));
    println!(
        "      version=4 ihl={} total_length={} ttl={} protocol={} flags={:?} checksum=0x{:04x}\n      src={} dst={}\n",
        ih.ihl(),
        ih.total_length,
        ih.ttl,
        ih.protocol,
        ih.flags,
        ih.checksum,
        ih.src,
        ih.dst
    );

    // Link: Ethernet adds the next hop's MAC and the EtherType (RFC 894).
    let eh = EthernetHeader::new(DST_MAC, SRC_MAC, EtherType::IPV4);
    let mut frame = vec![0u8; eh.header_len() + datagram.len()];
    let n = eh.emit(&mut frame)?;
    frame[n..].copy_from_slice(&datagram);
    println!("  link         Ethernet header, {n} bytes (IEEE 802.3 §3.1.1)");
    println!("{}", hex(&frame[..n]));
    println!("      dst={} src={} ethertype={:?}\n", eh.dst, eh.src, eh.ethertype);

    println!("  the frame, {} bytes:", frame.len());
    println!("{}\n", hex(&frame));

    // The builder does all of the above in one allocation-free call.
    let params = BuildParams {
        link: Some(LinkParams::new(SRC_MAC, DST_MAC)),
        ip: IpParams::v4(SRC_IP, DST_IP),
        transport: TransportParams::tcp(49152, 7, 1, 1),
    };
    let mut built = [0u8; 128];
    let len = params.build(payload, &mut built)?;
    assert_eq!(
        &built[..len],
        &frame[..],
        "the builder and the layer-by-layer path agree"
    );
    println!("  netspec::build::BuildParams::build writes the same {len} bytes in one call.\n");
    Ok(frame)
}

fn up(frame: &[u8]) {
    println!("2. BACK UP THE STACK\n");
    let p = Packet::from_ethernet(frame);
    if let Some(f) = p.link {
        println!(
            "  link         {} -> {}  {:?}  tags={:?}",
            f.src(),
            f.dst(),
            f.ethertype(),
            f.tags()
        );
    }
    match p.network {
        Some(Network::Ipv4(ip)) => println!(
            "  internet     IPv4 {} -> {}  ttl={} protocol={} total_length={}",
            ip.src(),
            ip.dst(),
            ip.ttl(),
            ip.protocol(),
            ip.total_length()
        ),
        Some(other) => println!("  internet     {other:?}"),
        None => println!("  internet     (none)"),
    }
    match p.transport {
        Some(Transport::Tcp(s)) => println!(
            "  transport    TCP {} -> {}  seq={} ack={} flags={:?} window={}",
            s.src_port(),
            s.dst_port(),
            s.seq(),
            s.ack(),
            s.flags(),
            s.window()
        ),
        Some(other) => println!("  transport    {other:?}"),
        None => println!("  transport    (none)"),
    }
    println!("  application  {:?}", String::from_utf8_lossy(p.payload));
    let r = p.verify_checksums();
    println!(
        "  checksums    ipv4 header: {}, tcp: {}",
        r.network.as_str(),
        r.transport.as_str()
    );
    match p.error {
        None => println!("  every layer parsed.\n"),
        Some(e) => println!("  stopped: {e}\n"),
    }
}

fn corrupt(frame: &[u8]) {
    println!("3. ONE CORRUPTED BYTE\n");
    println!(
        "  {:<34} {:>12} {:>12}",
        "byte flipped (xor 0x01)", "ipv4 header", "tcp"
    );
    let cases = [
        (0, "Ethernet destination MAC"),
        (22, "IPv4 TTL"),
        (26, "IPv4 source address"),
        (34, "TCP source port"),
        (47, "TCP flags"),
        (54, "payload 'h'"),
        (64, "payload 'd'"),
    ];
    for (at, what) in cases {
        let mut b = frame.to_vec();
        b[at] ^= 0x01;
        let p = Packet::from_ethernet(&b);
        let r = p.verify_checksums();
        let label = format!("{what} (offset {at})");
        println!("  {label:<34} {:>12} {:>12}", r.network.as_str(), r.transport.as_str());
    }
    println!();
    println!("  No checksum covers the Ethernet header here (its FCS is not captured).");
    println!("  The IPv4 checksum covers only the IPv4 header; TCP's covers the segment");
    println!("  and, through the pseudo-header, the IP addresses too.\n");
}

fn edit(frame: &[u8]) -> netspec::Result<()> {
    println!("4. EDITING IN PLACE\n");
    let mut b = frame.to_vec();
    let before = Packet::from_ethernet(frame).tcp().map(|s| s.checksum());
    let mut e = PacketMut::from_ethernet(&mut b).map_err(|e| e.error)?;
    e.set_src_ip(IpAddr::V4(Ipv4Addr::new(203, 0, 113, 9)))?;
    e.set_src_port(61000)?;
    e.set_ttl(63)?;
    let p = Packet::from_ethernet(&b);
    let r = p.verify_checksums();
    println!("  source NAT to 203.0.113.9:61000 and TTL 63, checksums updated by RFC 1624:");
    println!(
        "  tcp checksum 0x{:04x} -> 0x{:04x}; ipv4 header: {}, tcp: {}\n",
        before.unwrap_or(0),
        p.tcp().map(|s| s.checksum()).unwrap_or(0),
        r.network.as_str(),
        r.transport.as_str()
    );
    Ok(())
}

fn main() -> netspec::Result<()> {
    let frame = down()?;
    up(&frame);
    corrupt(&frame);
    edit(&frame)
}
