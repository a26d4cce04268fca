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
