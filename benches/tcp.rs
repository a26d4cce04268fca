//! Ethernet + IPv4 + TCP, parsed and built, netspec against etherparse,
//! smoltcp and pnet_packet on the same bytes (`benches/data/`):
//!
//! * `tcp_syn_parse_74B`, `tcp_data_parse_1514B`: decode every field of the
//!   three headers and every TCP option into a [`Summary`]; the `+csum`
//!   variants also verify the IPv4 header checksum and the TCP checksum
//!   (pseudo-header, header and payload).
//! * `tcp_syn_build_74B`, `tcp_data_build_1514B`: write the same frame from
//!   its field values into a preallocated buffer (payload copied in), both
//!   checksums filled.
//!
//! Before timing, every implementation's output is checked: the parsers
//! must agree on every field, and the builders must reproduce the input
//! bytes exactly. Each peer is used the way its documentation shows, with
//! its own checksum routines.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::net::Ipv4Addr;

mod common;

/// Every field of Ethernet II, IPv4 and TCP, and every TCP option, as
/// decoded by one implementation. All of them fill the same struct.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    eth_dst: [u8; 6],
    eth_src: [u8; 6],
    ethertype: u16,
    ip_version: u8,
    ip_ihl: u8,
    ip_dscp: u8,
    ip_ecn: u8,
    ip_total_len: u16,
    ip_ident: u16,
    ip_dont_frag: bool,
    ip_more_frags: bool,
    /// In 8-byte units, as on the wire.
    ip_frag_offset: u16,
    ip_ttl: u8,
    ip_protocol: u8,
    ip_checksum: u16,
    ip_src: [u8; 4],
    ip_dst: [u8; 4],
    ip_options_len: u8,
    src_port: u16,
    dst_port: u16,
    seq: u32,
    ack: u32,
    /// In 32-bit words.
    data_offset: u8,
    /// NS, CWR, ECE, URG, ACK, PSH, RST, SYN, FIN from bit 8 down to bit 0.
    flags: u16,
    window: u16,
    checksum: u16,
    urgent: u16,
    opt_nops: u8,
    opt_mss: Option<u16>,
    opt_wscale: Option<u8>,
    opt_sack_permitted: bool,
    opt_timestamps: Option<(u32, u32)>,
    opt_other: u8,
    payload_len: u16,
    /// Both checksums verified (`+csum` variants only; `false` otherwise).
    checksums_ok: bool,
}

/// Pack nine flag booleans, NS first.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn pack_flags(ns: bool, cwr: bool, ece: bool, urg: bool, ack: bool, psh: bool, rst: bool, syn: bool, fin: bool) -> u16 {
    (u16::from(ns) << 8)
        | (u16::from(cwr) << 7)
        | (u16::from(ece) << 6)
        | (u16::from(urg) << 5)
        | (u16::from(ack) << 4)
        | (u16::from(psh) << 3)
        | (u16::from(rst) << 2)
        | (u16::from(syn) << 1)
        | u16::from(fin)
}

// ---------------------------------------------------------------- parse --

mod netspec_impl {
    use super::*;
    use netspec::link::EthernetFrame;
    use netspec::net::Ipv4Packet;
    use netspec::transport::{TcpOption, TcpSegment};

    pub fn parse<const CSUM: bool>(data: &[u8]) -> Option<Summary> {
        let eth = EthernetFrame::parse(data).ok()?;
        let ip = Ipv4Packet::parse(eth.payload()).ok()?;
        let tcp = TcpSegment::parse(ip.payload()).ok()?;
        // The options first, into locals: the summary is then written in
        // one go.
        let (mut nops, mut mss, mut wscale, mut sack_permitted, mut timestamps, mut other) =
            (0, None, None, false, None, 0);
        for opt in tcp.options() {
            match opt {
                TcpOption::Eol => break,
                TcpOption::Nop => nops += 1,
                TcpOption::Mss(v) => mss = Some(v),
                TcpOption::WindowScale(v) => wscale = Some(v),
                TcpOption::SackPermitted => sack_permitted = true,
                TcpOption::Timestamps { val, ecr } => timestamps = Some((val, ecr)),
                _ => other += 1,
            }
        }
        let checksums_ok = CSUM && ip.verify_checksum() && tcp.verify_checksum_v4(ip.src(), ip.dst());
        Some(Summary {
            eth_dst: eth.dst().0,
            eth_src: eth.src().0,
            ethertype: eth.ethertype().0,
            ip_version: ip.version(),
            ip_ihl: ip.ihl(),
            ip_dscp: ip.dscp(),
            ip_ecn: ip.ecn(),
            ip_total_len: ip.total_length(),
            ip_ident: ip.identification(),
            ip_dont_frag: ip.dont_fragment(),
            ip_more_frags: ip.more_fragments(),
            ip_frag_offset: ip.fragment_offset(),
            ip_ttl: ip.ttl(),
            ip_protocol: ip.protocol().0,
            ip_checksum: ip.checksum(),
            ip_src: ip.src().octets(),
            ip_dst: ip.dst().octets(),
            ip_options_len: ip.options_bytes().len() as u8,
            src_port: tcp.src_port(),
            dst_port: tcp.dst_port(),
            seq: tcp.seq(),
            ack: tcp.ack(),
            data_offset: tcp.data_offset(),
            flags: tcp.flags().bits(),
            window: tcp.window(),
            checksum: tcp.checksum(),
            urgent: tcp.urgent_ptr(),
            opt_nops: nops,
            opt_mss: mss,
            opt_wscale: wscale,
            opt_sack_permitted: sack_permitted,
            opt_timestamps: timestamps,
            opt_other: other,
            payload_len: tcp.payload().len() as u16,
            checksums_ok,
        })
    }
}

mod etherparse_impl {
    use super::*;
    use etherparse::{LinkSlice, NetSlice, SlicedPacket, TcpOptionElement, TransportSlice};

    pub fn parse<const CSUM: bool>(data: &[u8]) -> Option<Summary> {
        let p = SlicedPacket::from_ethernet(data).ok()?;
        let Some(LinkSlice::Ethernet2(eth)) = p.link else {
            return None;
        };
        let Some(NetSlice::Ipv4(ipv4)) = p.net else { return None };
        let Some(TransportSlice::Tcp(tcp)) = p.transport else {
            return None;
        };
        let ip = ipv4.header();
        let mut s = Summary {
            eth_dst: eth.destination(),
            eth_src: eth.source(),
            ethertype: eth.ether_type().0,
            ip_version: ip.version(),
            ip_ihl: ip.ihl(),
            ip_dscp: ip.dcp().value(),
            ip_ecn: ip.ecn().value(),
            ip_total_len: ip.total_len(),
            ip_ident: ip.identification(),
            ip_dont_frag: ip.dont_fragment(),
            ip_more_frags: ip.more_fragments(),
            ip_frag_offset: ip.fragments_offset().value(),
            ip_ttl: ip.ttl(),
            ip_protocol: ip.protocol().0,
            ip_checksum: ip.header_checksum(),
            ip_src: ip.source(),
            ip_dst: ip.destination(),
            ip_options_len: ip.options().len() as u8,
            src_port: tcp.source_port(),
            dst_port: tcp.destination_port(),
            seq: tcp.sequence_number(),
            ack: tcp.acknowledgment_number(),
            data_offset: tcp.data_offset(),
            flags: pack_flags(
                tcp.ns(),
                tcp.cwr(),
                tcp.ece(),
                tcp.urg(),
                tcp.ack(),
                tcp.psh(),
                tcp.rst(),
                tcp.syn(),
                tcp.fin(),
            ),
            window: tcp.window_size(),
            checksum: tcp.checksum(),
            urgent: tcp.urgent_pointer(),
            payload_len: tcp.payload().len() as u16,
            ..Summary::default()
        };
        for opt in tcp.options_iterator() {
            match opt.ok()? {
                TcpOptionElement::Noop => s.opt_nops += 1,
                TcpOptionElement::MaximumSegmentSize(v) => s.opt_mss = Some(v),
                TcpOptionElement::WindowScale(v) => s.opt_wscale = Some(v),
                TcpOptionElement::SelectiveAcknowledgementPermitted => s.opt_sack_permitted = true,
                TcpOptionElement::Timestamp(a, b) => s.opt_timestamps = Some((a, b)),
                TcpOptionElement::SelectiveAcknowledgement(..) => s.opt_other += 1,
            }
        }
        if CSUM {
            // The header summed with its checksum field folds to 0xFFFF,
            // whose complement is 0.
            let ip_ok = etherparse::checksum::Sum16BitWords::new()
                .add_slice(ip.slice())
                .ones_complement()
                == 0;
            let tcp_ok = tcp.calc_checksum_ipv4(ip.source(), ip.destination()).ok()? == tcp.checksum();
            s.checksums_ok = ip_ok && tcp_ok;
        }
        Some(s)
    }
}

mod smoltcp_impl {
    use super::*;
    use smoltcp::wire::{EthernetFrame, IpAddress, Ipv4Packet, TcpOption, TcpPacket};

    pub fn parse<const CSUM: bool>(data: &[u8]) -> Option<Summary> {
        let eth = EthernetFrame::new_checked(data).ok()?;
        let ip = Ipv4Packet::new_checked(eth.payload()).ok()?;
        let tcp = TcpPacket::new_checked(ip.payload()).ok()?;
        let header_len = ip.header_len();
        let mut s = Summary {
            eth_dst: eth.dst_addr().0,
            eth_src: eth.src_addr().0,
            ethertype: u16::from(eth.ethertype()),
            ip_version: ip.version(),
            ip_ihl: header_len / 4,
            ip_dscp: ip.dscp(),
            ip_ecn: ip.ecn(),
            ip_total_len: ip.total_len(),
            ip_ident: ip.ident(),
            ip_dont_frag: ip.dont_frag(),
            ip_more_frags: ip.more_frags(),
            ip_frag_offset: ip.frag_offset() / 8,
            ip_ttl: ip.hop_limit(),
            ip_protocol: u8::from(ip.next_header()),
            ip_checksum: ip.checksum(),
            ip_src: ip.src_addr().octets(),
            ip_dst: ip.dst_addr().octets(),
            // smoltcp has no IPv4 options accessor: the bytes between the
            // fixed header and the header length.
            ip_options_len: header_len - 20,
            src_port: tcp.src_port(),
            dst_port: tcp.dst_port(),
            seq: tcp.seq_number().0 as u32,
            ack: tcp.ack_number().0 as u32,
            data_offset: tcp.header_len() / 4,
            flags: pack_flags(
                tcp.ns(),
                tcp.cwr(),
                tcp.ece(),
                tcp.urg(),
                tcp.ack(),
                tcp.psh(),
                tcp.rst(),
                tcp.syn(),
                tcp.fin(),
            ),
            window: tcp.window_len(),
            checksum: tcp.checksum(),
            urgent: tcp.urgent_at(),
            payload_len: tcp.payload().len() as u16,
            ..Summary::default()
        };
        let mut options = tcp.options();
        while !options.is_empty() {
            let (rest, opt) = TcpOption::parse(options).ok()?;
            match opt {
                TcpOption::EndOfList => break,
                TcpOption::NoOperation => s.opt_nops += 1,
                TcpOption::MaxSegmentSize(v) => s.opt_mss = Some(v),
                TcpOption::WindowScale(v) => s.opt_wscale = Some(v),
                TcpOption::SackPermitted => s.opt_sack_permitted = true,
                TcpOption::TimeStamp { tsval, tsecr } => s.opt_timestamps = Some((tsval, tsecr)),
                TcpOption::SackRange(_) | TcpOption::Unknown { .. } => s.opt_other += 1,
            }
            options = rest;
        }
        if CSUM {
            let (src, dst) = (IpAddress::Ipv4(ip.src_addr()), IpAddress::Ipv4(ip.dst_addr()));
            s.checksums_ok = ip.verify_checksum() && tcp.verify_checksum(&src, &dst);
        }
        Some(s)
    }
}

mod pnet_impl {
    use super::*;
    use pnet_packet::Packet;
    use pnet_packet::ethernet::EthernetPacket;
    use pnet_packet::ipv4::{self, Ipv4Packet};
    use pnet_packet::tcp::{self, TcpOptionNumbers, TcpPacket};

    pub fn parse<const CSUM: bool>(data: &[u8]) -> Option<Summary> {
        let eth = EthernetPacket::new(data)?;
        let ip = Ipv4Packet::new(eth.payload())?;
        let tcp = TcpPacket::new(ip.payload())?;
        let flags = tcp.get_flags();
        let bit = |mask: u8| flags & mask != 0;
        let mut s = Summary {
            eth_dst: eth.get_destination().octets(),
            eth_src: eth.get_source().octets(),
            ethertype: eth.get_ethertype().0,
            ip_version: ip.get_version(),
            ip_ihl: ip.get_header_length(),
            ip_dscp: ip.get_dscp(),
            ip_ecn: ip.get_ecn(),
            ip_total_len: ip.get_total_length(),
            ip_ident: ip.get_identification(),
            ip_dont_frag: ip.get_flags() & ipv4::Ipv4Flags::DontFragment != 0,
            ip_more_frags: ip.get_flags() & ipv4::Ipv4Flags::MoreFragments != 0,
            ip_frag_offset: ip.get_fragment_offset(),
            ip_ttl: ip.get_ttl(),
            ip_protocol: ip.get_next_level_protocol().0,
            ip_checksum: ip.get_checksum(),
            ip_src: ip.get_source().octets(),
            ip_dst: ip.get_destination().octets(),
            ip_options_len: ip.get_options_raw().len() as u8,
            src_port: tcp.get_source(),
            dst_port: tcp.get_destination(),
            seq: tcp.get_sequence(),
            ack: tcp.get_acknowledgement(),
            data_offset: tcp.get_data_offset(),
            // pnet keeps NS as the low bit of its 4-bit `reserved` field.
            flags: pack_flags(
                tcp.get_reserved() & 1 != 0,
                bit(tcp::TcpFlags::CWR),
                bit(tcp::TcpFlags::ECE),
                bit(tcp::TcpFlags::URG),
                bit(tcp::TcpFlags::ACK),
                bit(tcp::TcpFlags::PSH),
                bit(tcp::TcpFlags::RST),
                bit(tcp::TcpFlags::SYN),
                bit(tcp::TcpFlags::FIN),
            ),
            window: tcp.get_window(),
            checksum: tcp.get_checksum(),
            urgent: tcp.get_urgent_ptr(),
            payload_len: tcp.payload().len() as u16,
            ..Summary::default()
        };
        for opt in tcp.get_options_iter() {
            let d = opt.payload();
            match opt.get_number() {
                TcpOptionNumbers::EOL => break,
                TcpOptionNumbers::NOP => s.opt_nops += 1,
                TcpOptionNumbers::MSS if d.len() == 2 => s.opt_mss = Some(u16::from_be_bytes([d[0], d[1]])),
                TcpOptionNumbers::WSCALE if d.len() == 1 => s.opt_wscale = Some(d[0]),
                TcpOptionNumbers::SACK_PERMITTED => s.opt_sack_permitted = true,
                TcpOptionNumbers::TIMESTAMPS if d.len() == 8 => {
                    s.opt_timestamps = Some((
                        u32::from_be_bytes([d[0], d[1], d[2], d[3]]),
                        u32::from_be_bytes([d[4], d[5], d[6], d[7]]),
                    ))
                }
                _ => s.opt_other += 1,
            }
        }
        if CSUM {
            let ip_ok = ipv4::checksum(&ip) == ip.get_checksum();
            let tcp_ok = tcp::ipv4_checksum(&tcp, &ip.get_source(), &ip.get_destination()) == tcp.get_checksum();
            s.checksums_ok = ip_ok && tcp_ok;
        }
        Some(s)
    }
}

// ---------------------------------------------------------------- build --

/// One TCP option, in wire order.
#[derive(Debug, Clone, Copy)]
pub enum Opt {
    Nop,
    Mss(u16),
    SackPermitted,
    Timestamps(u32, u32),
    WindowScale(u8),
}

/// The field values of a frame to build: what the caller of a builder
/// knows. The IPv4 total length, header lengths and both checksums are the
/// builder's to compute.
#[derive(Debug, Clone)]
pub struct Spec {
    eth_dst: [u8; 6],
    eth_src: [u8; 6],
    ip_ident: u16,
    ip_ttl: u8,
    ip_src: Ipv4Addr,
    ip_dst: Ipv4Addr,
    src_port: u16,
    dst_port: u16,
    seq: u32,
    ack: Option<u32>,
    syn: bool,
    psh: bool,
    window: u16,
    options: &'static [Opt],
    payload: Vec<u8>,
}

const SYN_OPTIONS: &[Opt] = &[
    Opt::Mss(1460),
    Opt::SackPermitted,
    Opt::Timestamps(0x0a1b_2c3d, 0),
    Opt::Nop,
    Opt::WindowScale(7),
];
const DATA_OPTIONS: &[Opt] = &[Opt::Nop, Opt::Nop, Opt::Timestamps(0x1111_2222, 0x0a1b_2c3d)];

/// The SYN of `tcp_syn_74B.hex` (see `benches/data/README.md`).
fn syn_spec() -> Spec {
    Spec {
        eth_dst: [0x52, 0x54, 0x00, 0x12, 0x34, 0x56],
        eth_src: [0x52, 0x54, 0x00, 0xab, 0xcd, 0xef],
        ip_ident: 0x1c46,
        ip_ttl: 64,
        ip_src: Ipv4Addr::new(192, 168, 1, 10),
        ip_dst: Ipv4Addr::new(93, 184, 216, 34),
        src_port: 54321,
        dst_port: 443,
        seq: 0x1234_5678,
        ack: None,
        syn: true,
        psh: false,
        window: 64240,
        options: SYN_OPTIONS,
        payload: Vec::new(),
    }
}

/// The data segment of `tcp_data_1514B.hex`; its payload is taken from the
/// file, since the builders copy it in.
fn data_spec(frame: &[u8]) -> Spec {
    Spec {
        eth_dst: [0x52, 0x54, 0x00, 0x12, 0x34, 0x56],
        eth_src: [0x52, 0x54, 0x00, 0xab, 0xcd, 0xef],
        ip_ident: 0x3f2a,
        ip_ttl: 64,
        ip_src: Ipv4Addr::new(192, 168, 1, 10),
        ip_dst: Ipv4Addr::new(93, 184, 216, 34),
        src_port: 443,
        dst_port: 54321,
        seq: 0x9abc_def0,
        ack: Some(0x1234_5679),
        syn: false,
        psh: true,
        window: 501,
        options: DATA_OPTIONS,
        payload: frame[14 + 20 + 32..].to_vec(),
    }
}

fn options_len(options: &[Opt]) -> usize {
    options
        .iter()
        .map(|o| match o {
            Opt::Nop => 1,
            Opt::Mss(_) => 4,
            Opt::SackPermitted => 2,
            Opt::Timestamps(..) => 10,
            Opt::WindowScale(_) => 3,
        })
        .sum()
}

mod netspec_build {
    use super::*;
    use netspec::link::{EtherType, EthernetHeader, MacAddress};
    use netspec::net::{IpProtocol, Ipv4Flags, Ipv4Header};
    use netspec::transport::{TcpFlags, TcpHeader, TcpOption};

    pub fn build(s: &Spec, buf: &mut [u8]) -> usize {
        let eth = EthernetHeader::new(MacAddress(s.eth_dst), MacAddress(s.eth_src), EtherType::IPV4);
        let mut tcp = TcpHeader::new(s.src_port, s.dst_port);
        tcp.seq = s.seq;
        tcp.window = s.window;
        if s.syn {
            tcp.flags |= TcpFlags::SYN;
        }
        if s.psh {
            tcp.flags |= TcpFlags::PSH;
        }
        if let Some(ack) = s.ack {
            tcp.flags |= TcpFlags::ACK;
            tcp.ack = ack;
        }
        for o in s.options {
            let opt = match *o {
                Opt::Nop => TcpOption::Nop,
                Opt::Mss(v) => TcpOption::Mss(v),
                Opt::SackPermitted => TcpOption::SackPermitted,
                Opt::Timestamps(val, ecr) => TcpOption::Timestamps { val, ecr },
                Opt::WindowScale(v) => TcpOption::WindowScale(v),
            };
            tcp.options.push(opt).expect("options fit");
        }
        let mut ip = Ipv4Header::new(s.ip_src, s.ip_dst, IpProtocol::TCP, tcp.header_len() + s.payload.len());
        ip.identification = s.ip_ident;
        ip.flags = Ipv4Flags::DONT_FRAGMENT;
        ip.ttl = s.ip_ttl;
        ip.fill_checksum();
        let e = eth.emit(buf).expect("room");
        let i = ip.emit(&mut buf[e..]).expect("room");
        let t = tcp
            .emit_segment_v4(&s.payload, s.ip_src, s.ip_dst, &mut buf[e + i..])
            .expect("room");
        e + i + t
    }
}

mod etherparse_build {
    use super::*;
    use etherparse::{EtherType, Ethernet2Header, IpNumber, Ipv4Header, TcpHeader, TcpOptionElement};

    pub fn build(s: &Spec, buf: &mut [u8]) -> usize {
        let eth = Ethernet2Header {
            source: s.eth_src,
            destination: s.eth_dst,
            ether_type: EtherType::IPV4,
        };
        let mut tcp = TcpHeader::new(s.src_port, s.dst_port, s.seq, s.window);
        tcp.syn = s.syn;
        tcp.psh = s.psh;
        if let Some(ack) = s.ack {
            tcp.ack = true;
            tcp.acknowledgment_number = ack;
        }
        let mut elements = [const { TcpOptionElement::Noop }; 8];
        for (e, o) in elements.iter_mut().zip(s.options) {
            *e = match *o {
                Opt::Nop => TcpOptionElement::Noop,
                Opt::Mss(v) => TcpOptionElement::MaximumSegmentSize(v),
                Opt::SackPermitted => TcpOptionElement::SelectiveAcknowledgementPermitted,
                Opt::Timestamps(a, b) => TcpOptionElement::Timestamp(a, b),
                Opt::WindowScale(v) => TcpOptionElement::WindowScale(v),
            };
        }
        tcp.set_options(&elements[..s.options.len()]).expect("options fit");
        let tcp_len = tcp.header_len() + s.payload.len();
        let mut ip = Ipv4Header::new(
            tcp_len as u16,
            s.ip_ttl,
            IpNumber::TCP,
            s.ip_src.octets(),
            s.ip_dst.octets(),
        )
        .expect("length fits");
        ip.identification = s.ip_ident;
        ip.dont_fragment = true;
        ip.header_checksum = ip.calc_header_checksum();
        tcp.checksum = tcp.calc_checksum_ipv4(&ip, &s.payload).expect("length fits");
        buf[..14].copy_from_slice(&eth.to_bytes());
        let ip_bytes = ip.to_bytes();
        let tcp_at = 14 + ip_bytes.len();
        buf[14..tcp_at].copy_from_slice(&ip_bytes);
        let tcp_bytes = tcp.to_bytes();
        let payload_at = tcp_at + tcp_bytes.len();
        buf[tcp_at..payload_at].copy_from_slice(&tcp_bytes);
        buf[payload_at..payload_at + s.payload.len()].copy_from_slice(&s.payload);
        payload_at + s.payload.len()
    }
}

mod smoltcp_build {
    use super::*;
    use smoltcp::wire::{
        EthernetAddress, EthernetFrame, EthernetProtocol, IpAddress, IpProtocol, Ipv4Packet, TcpOption, TcpPacket,
        TcpSeqNumber,
    };

    /// smoltcp's `TcpRepr::emit` writes its own option order (MSS, window
    /// scale, SACK-permitted, timestamps), not Linux's, so the frame is
    /// written through the packet views' setters and `TcpOption::emit`.
    pub fn build(s: &Spec, buf: &mut [u8]) -> usize {
        let tcp_header_len = 20 + options_len(s.options);
        let ip_len = 20 + tcp_header_len + s.payload.len();
        let mut eth = EthernetFrame::new_unchecked(&mut buf[..14 + ip_len]);
        eth.set_dst_addr(EthernetAddress(s.eth_dst));
        eth.set_src_addr(EthernetAddress(s.eth_src));
        eth.set_ethertype(EthernetProtocol::Ipv4);
        let mut ip = Ipv4Packet::new_unchecked(eth.payload_mut());
        ip.set_version(4);
        ip.set_header_len(20);
        ip.set_dscp(0);
        ip.set_ecn(0);
        ip.set_total_len(ip_len as u16);
        ip.set_ident(s.ip_ident);
        ip.clear_flags();
        ip.set_dont_frag(true);
        ip.set_more_frags(false);
        ip.set_frag_offset(0);
        ip.set_hop_limit(s.ip_ttl);
        ip.set_next_header(IpProtocol::Tcp);
        ip.set_src_addr(s.ip_src);
        ip.set_dst_addr(s.ip_dst);
        ip.fill_checksum();
        let mut tcp = TcpPacket::new_unchecked(ip.payload_mut());
        tcp.set_src_port(s.src_port);
        tcp.set_dst_port(s.dst_port);
        tcp.set_seq_number(TcpSeqNumber(s.seq as i32));
        tcp.set_ack_number(TcpSeqNumber(s.ack.unwrap_or(0) as i32));
        tcp.set_header_len(tcp_header_len as u8);
        tcp.clear_flags();
        tcp.set_syn(s.syn);
        tcp.set_psh(s.psh);
        tcp.set_ack(s.ack.is_some());
        tcp.set_window_len(s.window);
        tcp.set_urgent_at(0);
        let mut opts = tcp.options_mut();
        for o in s.options {
            let opt = match *o {
                Opt::Nop => TcpOption::NoOperation,
                Opt::Mss(v) => TcpOption::MaxSegmentSize(v),
                Opt::SackPermitted => TcpOption::SackPermitted,
                Opt::Timestamps(tsval, tsecr) => TcpOption::TimeStamp { tsval, tsecr },
                Opt::WindowScale(v) => TcpOption::WindowScale(v),
            };
            opts = opt.emit(opts);
        }
        tcp.payload_mut().copy_from_slice(&s.payload);
        tcp.fill_checksum(&IpAddress::Ipv4(s.ip_src), &IpAddress::Ipv4(s.ip_dst));
        14 + ip_len
    }
}

mod pnet_build {
    use super::*;
    use pnet_base::MacAddr;
    use pnet_packet::ethernet::{EtherTypes, MutableEthernetPacket};
    use pnet_packet::ip::IpNextHeaderProtocols;
    use pnet_packet::ipv4::{self, Ipv4Flags, MutableIpv4Packet};
    use pnet_packet::tcp::{self, MutableTcpPacket, TcpFlags, TcpOption};

    fn mac(b: [u8; 6]) -> MacAddr {
        MacAddr(b[0], b[1], b[2], b[3], b[4], b[5])
    }

    pub fn build(s: &Spec, buf: &mut [u8]) -> usize {
        let tcp_header_len = 20 + options_len(s.options);
        let ip_len = 20 + tcp_header_len + s.payload.len();
        let mut eth = MutableEthernetPacket::new(&mut buf[..14 + ip_len]).expect("room");
        eth.set_destination(mac(s.eth_dst));
        eth.set_source(mac(s.eth_src));
        eth.set_ethertype(EtherTypes::Ipv4);
        let mut ip = MutableIpv4Packet::new(&mut buf[14..14 + ip_len]).expect("room");
        ip.set_version(4);
        ip.set_header_length(5);
        ip.set_dscp(0);
        ip.set_ecn(0);
        ip.set_total_length(ip_len as u16);
        ip.set_identification(s.ip_ident);
        ip.set_flags(Ipv4Flags::DontFragment);
        ip.set_fragment_offset(0);
        ip.set_ttl(s.ip_ttl);
        ip.set_next_level_protocol(IpNextHeaderProtocols::Tcp);
        ip.set_source(s.ip_src);
        ip.set_destination(s.ip_dst);
        ip.set_checksum(0);
        let c = ipv4::checksum(&ip.to_immutable());
        ip.set_checksum(c);
        let mut tcp = MutableTcpPacket::new(&mut buf[34..14 + ip_len]).expect("room");
        tcp.set_source(s.src_port);
        tcp.set_destination(s.dst_port);
        tcp.set_sequence(s.seq);
        tcp.set_acknowledgement(s.ack.unwrap_or(0));
        tcp.set_data_offset((tcp_header_len / 4) as u8);
        tcp.set_reserved(0);
        let mut flags = 0;
        if s.syn {
            flags |= TcpFlags::SYN;
        }
        if s.psh {
            flags |= TcpFlags::PSH;
        }
        if s.ack.is_some() {
            flags |= TcpFlags::ACK;
        }
        tcp.set_flags(flags);
        tcp.set_window(s.window);
        tcp.set_urgent_ptr(0);
        let options: Vec<TcpOption> = s
            .options
            .iter()
            .map(|o| match *o {
                Opt::Nop => TcpOption::nop(),
                Opt::Mss(v) => TcpOption::mss(v),
                Opt::SackPermitted => TcpOption::sack_perm(),
                Opt::Timestamps(a, b) => TcpOption::timestamp(a, b),
                Opt::WindowScale(v) => TcpOption::wscale(v),
            })
            .collect();
        tcp.set_options(&options);
        tcp.set_payload(&s.payload);
        let c = tcp::ipv4_checksum(&tcp.to_immutable(), &s.ip_src, &s.ip_dst);
        tcp.set_checksum(c);
        14 + ip_len
    }
}

// ---------------------------------------------------------------- groups --

type ParseFn = fn(&[u8]) -> Option<Summary>;
type BuildFn = fn(&Spec, &mut [u8]) -> usize;

const PARSERS: [(&str, ParseFn); 8] = [
    ("netspec", netspec_impl::parse::<false>),
    ("netspec+csum", netspec_impl::parse::<true>),
    ("etherparse", etherparse_impl::parse::<false>),
    ("etherparse+csum", etherparse_impl::parse::<true>),
    ("smoltcp", smoltcp_impl::parse::<false>),
    ("smoltcp+csum", smoltcp_impl::parse::<true>),
    ("pnet_packet", pnet_impl::parse::<false>),
    ("pnet_packet+csum", pnet_impl::parse::<true>),
];

const BUILDERS: [(&str, BuildFn); 4] = [
    ("netspec", netspec_build::build),
    ("etherparse", etherparse_build::build),
    ("smoltcp", smoltcp_build::build),
    ("pnet_packet", pnet_build::build),
];

fn parse_group(c: &mut Criterion, group: &str, file: &str, check: impl Fn(&Summary)) {
    let frame = common::load_hex(file);
    let mut reference: Option<Summary> = None;
    for (name, f) in PARSERS {
        let s = f(&frame).unwrap_or_else(|| panic!("{group}/{name}: parse failed"));
        assert_eq!(s.checksums_ok, name.ends_with("+csum"), "{group}/{name}: checksums");
        let s = Summary {
            checksums_ok: false,
            ..s
        };
        check(&s);
        match &reference {
            None => reference = Some(s),
            Some(r) => assert_eq!(&s, r, "{group}/{name} disagrees"),
        }
    }
    let mut g = c.benchmark_group(group);
    for (name, f) in PARSERS {
        g.bench_function(name, |b| b.iter(|| f(black_box(&frame))));
    }
    g.finish();
}

fn build_group(c: &mut Criterion, group: &str, file: &str, spec: &Spec) {
    let frame = common::load_hex(file);
    let mut buf = vec![0u8; 1514];
    for (name, f) in BUILDERS {
        buf.fill(0xee);
        let n = f(spec, &mut buf);
        assert_eq!(&buf[..n], &frame[..], "{group}/{name} built different bytes");
    }
    let mut g = c.benchmark_group(group);
    for (name, f) in BUILDERS {
        g.bench_function(name, |b| b.iter(|| f(black_box(spec), black_box(&mut buf))));
    }
    g.finish();
}

fn tcp_syn_parse(c: &mut Criterion) {
    parse_group(c, "tcp_syn_parse_74B", "tcp_syn_74B.hex", |s| {
        assert_eq!((s.seq, s.flags, s.window), (0x1234_5678, 0b10, 64240));
        assert_eq!(
            (s.opt_mss, s.opt_wscale, s.opt_sack_permitted),
            (Some(1460), Some(7), true)
        );
        assert_eq!(
            (s.opt_timestamps, s.opt_nops, s.payload_len),
            (Some((0x0a1b_2c3d, 0)), 1, 0)
        );
    });
}

fn tcp_data_parse(c: &mut Criterion) {
    parse_group(c, "tcp_data_parse_1514B", "tcp_data_1514B.hex", |s| {
        assert_eq!((s.seq, s.ack, s.flags, s.window), (0x9abc_def0, 0x1234_5679, 0x18, 501));
        assert_eq!(
            (s.opt_timestamps, s.opt_nops, s.payload_len),
            (Some((0x1111_2222, 0x0a1b_2c3d)), 2, 1448)
        );
    });
}

fn tcp_syn_build(c: &mut Criterion) {
    build_group(c, "tcp_syn_build_74B", "tcp_syn_74B.hex", &syn_spec());
}

fn tcp_data_build(c: &mut Criterion) {
    let frame = common::load_hex("tcp_data_1514B.hex");
    build_group(c, "tcp_data_build_1514B", "tcp_data_1514B.hex", &data_spec(&frame));
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = tcp_syn_parse, tcp_data_parse, tcp_syn_build, tcp_data_build
}
criterion_main!(benches);
