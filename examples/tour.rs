//! A tour of the stack: build a frame layer by layer with the emitters,
//! then parse it back with the views and print every layer.
//!
//! ```text
//! cargo run --example tour
//! ```
//!
//! The frame is an ICMP echo request carrying "hello,world", in IPv4, in an
//! 802.1Q-tagged Ethernet II frame, padded to Ethernet's 60-byte minimum
//! (without FCS) as a NIC would send it.

use std::net::Ipv4Addr;

use netspec::link::{EtherType, EthernetFrame, EthernetHeader, MacAddress, VlanTag};
use netspec::net::{Icmpv4Body, Icmpv4Header, Icmpv4Message, IpProtocol, Ipv4Flags, Ipv4Header, Ipv4Packet};

/// Ethernet's minimum frame without the 4-byte FCS (IEEE 802.3-2018 §4.4.2).
const MIN_FRAME: usize = 60;

fn hex(bytes: &[u8]) -> String {
    bytes
        .chunks(16)
        .map(|row| row.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n          ")
}

fn main() -> Result<(), netspec::Error> {
    let payload = b"hello,world";

    // --- Build, top down: each layer learns its payload's size first. ---
    let mut icmp = Icmpv4Header::echo_request(0x4e53, 1);
    icmp.fill_checksum(payload);

    let src = Ipv4Addr::new(192, 0, 2, 1);
    let dst = Ipv4Addr::new(198, 51, 100, 7);
    let mut ip = Ipv4Header::new(src, dst, IpProtocol::ICMP, icmp.header_len() + payload.len());
    ip.identification = 0x1234;
    ip.flags = Ipv4Flags::DONT_FRAGMENT;
    ip.fill_checksum();

    let mut eth = EthernetHeader::new(
        MacAddress([0x02, 0x00, 0x5e, 0x10, 0x00, 0x07]),
        MacAddress([0x02, 0x00, 0x5e, 0x10, 0x00, 0x01]),
        EtherType::IPV4,
    );
    eth.tags.push(VlanTag::c_tag(42))?;

    // --- Emit, outside in, into one buffer. ---
    let mut frame = [0u8; 128];
    let mut at = eth.emit(&mut frame)?;
    at += ip.emit(&mut frame[at..])?;
    at += icmp.emit(&mut frame[at..])?;
    frame[at..at + payload.len()].copy_from_slice(payload);
    at += payload.len();
    // Short frames are padded with zeros to the minimum size.
    let len = at.max(MIN_FRAME);
    let frame = &frame[..len];
    println!("frame     {len} bytes, {} of them padding", len - at);
    println!("          {}\n", hex(frame));

    // --- Parse, outside in. ---
    let f = EthernetFrame::parse(frame)?;
    println!("ethernet  dst {}  src {}  type {}", f.dst(), f.src(), f.ethertype());
    for t in f.tags() {
        println!("  vlan    tpid {}  pcp {}  dei {}  vid {}", t.tpid, t.pcp, t.dei, t.vid);
    }
    println!("  header  {}\n", hex(f.header_bytes()));

    let p = Ipv4Packet::parse(f.payload())?;
    println!(
        "ipv4      {} -> {}  ihl {}  dscp {}  ecn {}  total_length {}",
        p.src(),
        p.dst(),
        p.ihl(),
        p.dscp(),
        p.ecn(),
        p.total_length()
    );
    println!(
        "          id {:#06x}  flags {:?}  frag_offset {}  ttl {}  protocol {}",
        p.identification(),
        p.flags(),
        p.fragment_offset(),
        p.ttl(),
        p.protocol()
    );
    println!(
        "          checksum {:#06x} ({})",
        p.checksum(),
        if p.verify_checksum() { "good" } else { "BAD" }
    );
    println!("  header  {}", hex(p.header_bytes()));
    println!("  trailer {} bytes of Ethernet padding\n", p.trailer().len());

    let m = Icmpv4Message::parse(p.payload())?;
    println!(
        "icmpv4    type {}  code {}  checksum {:#06x} ({})",
        m.icmp_type(),
        m.code().0,
        m.checksum(),
        if m.verify_checksum() { "good" } else { "BAD" }
    );
    if let Icmpv4Body::Echo { ident, seq, data } = m.body() {
        println!(
            "          ident {ident:#06x}  seq {seq}  data {:?}",
            String::from_utf8_lossy(data)
        );
    }
    println!("  header  {}", hex(m.header_bytes()));

    // --- The owned headers read back equal to what was built. ---
    assert_eq!(f.to_header(), eth);
    assert_eq!(p.to_header(), ip);
    assert_eq!(m.to_header(), icmp);
    assert_eq!(m.data(), payload);
    println!("\nround trip: every parsed header equals the one emitted");
    Ok(())
}
//! A tour of the stack: "hello,world" goes down the four layers, comes back
//! up, and then meets a flipped byte.
//! ```sh
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
        .map(|row| {
            let h: Vec<String> = row.iter().map(|b| format!("{b:02x}")).collect();
            format!("      {}", h.join(" "))
        })
        .join("\n")
fn down() -> netspec::Result<Vec<u8>> {
    println!("1. DOWN THE STACK\n");
        "  application  {:?} ({} bytes)",
        std::str::from_utf8(payload).unwrap_or("?"),
        payload.len()
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
        "      src_port={} dst_port={} seq={} ack={} data_offset={} flags={:?} window={} checksum=0x{sum:04x}\n",
        th.src_port,
        th.dst_port,
        th.seq,
        th.ack,
        th.data_offset(),
        th.flags,
        th.window
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
        "      version=4 ihl={} total_length={} ttl={} protocol={} flags={:?} checksum=0x{:04x}\n      src={} dst={}\n",
        ih.ihl(),
        ih.total_length,
        ih.ttl,
        ih.protocol,
        ih.flags,
        ih.checksum,
        ih.src,
        ih.dst
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
    println!("  netspec::build::BuildParams::build writes the same {len} bytes in one call.\n");
    Ok(frame)
fn up(frame: &[u8]) {
    println!("2. BACK UP THE STACK\n");
    let p = Packet::from_ethernet(frame);
    if let Some(f) = p.link {
            "  link         {} -> {}  {:?}  tags={:?}",
            f.src(),
            f.dst(),
            f.ethertype(),
            f.tags()
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
    println!("  application  {:?}", String::from_utf8_lossy(p.payload));
    let r = p.verify_checksums();
        "  checksums    ipv4 header: {}, tcp: {}",
        r.network.as_str(),
        r.transport.as_str()
    match p.error {
        None => println!("  every layer parsed.\n"),
        Some(e) => println!("  stopped: {e}\n"),
fn corrupt(frame: &[u8]) {
    println!("3. ONE CORRUPTED BYTE\n");
        "  {:<34} {:>12} {:>12}",
        "byte flipped (xor 0x01)", "ipv4 header", "tcp"
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
    println!();
    println!("  No checksum covers the Ethernet header here (its FCS is not captured).");
    println!("  The IPv4 checksum covers only the IPv4 header; TCP's covers the segment");
    println!("  and, through the pseudo-header, the IP addresses too.\n");
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
        "  tcp checksum 0x{:04x} -> 0x{:04x}; ipv4 header: {}, tcp: {}\n",
        before.unwrap_or(0),
        p.tcp().map(|s| s.checksum()).unwrap_or(0),
        r.network.as_str(),
        r.transport.as_str()
fn main() -> netspec::Result<()> {
    let frame = down()?;
    up(&frame);
    corrupt(&frame);
    edit(&frame)
