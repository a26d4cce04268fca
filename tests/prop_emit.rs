#![cfg(feature = "proptest")]
//! Properties of the fast emit paths: every shortcut the builders take
//! (options stored with fixed-size moves, EOL tracked instead of searched,
//! checksums summed from registers and from the payload copy rather than
//! from the written bytes) must give exactly what the plain definition
//! gives: the bytes of `emit` plus a payload, and the RFC 1071 checksum of
//! those bytes.

mod common;

use netspec::checksum;
use netspec::net::Ipv4Flags;
use netspec::strategy::ipv4::ipv4_header;
use netspec::strategy::transport::{
    ipv4_addr, ipv6_addr, tcp_header_and_payload, tcp_option_bytes, tcp_options, udp_header,
};
use netspec::transport::tcp::{self, TcpSegment};
use netspec::transport::tcp_option::{MAX_OPTIONS_LEN, TcpOption, TcpOptions};
use netspec::transport::udp::{self, UdpDatagram, UdpHeader};
use netspec::{Error, Result};
use proptest::collection::vec;
use proptest::prelude::*;

use common::proptest_config;

/// `TcpOptions::push` as documented, written the slow way: refuse anything
/// but EOL after an EOL, emit into scratch space (which checks the option),
/// refuse to pass 40 bytes, append.
fn model_push(area: &mut Vec<u8>, eol: &mut bool, opt: TcpOption<'_>) -> Result<()> {
    let kind = opt.kind();
    if *eol && opt != TcpOption::Eol {
        return Err(Error::invalid(
            netspec::Layer::Tcp,
            kind.field_name(),
            area.len(),
            u64::from(kind.0),
            "no option after End of Option List (RFC 9293 §3.2)",
        ));
    }
    let mut scratch = [0u8; MAX_OPTIONS_LEN];
    let n = opt.emit(&mut scratch)?;
    if area.len() + n > MAX_OPTIONS_LEN {
        return Err(Error::limit_exceeded(
            netspec::Layer::Tcp,
            kind.field_name(),
            20 + area.len(),
            MAX_OPTIONS_LEN,
        ));
    }
    area.extend_from_slice(&scratch[..n]);
    *eol |= opt == TcpOption::Eol;
    Ok(())
}

proptest! {
    #![proptest_config(proptest_config("prop_emit", 2048))]

    /// A sequence of pushes (valid options, with EOLs mixed in, often past
    /// the 40-byte limit) gives the same results, errors and bytes as the
    /// model, and `has_eol` agrees with the iterator after every step.
    #[test]
    fn tcp_options_push_matches_model(
        wires in vec(tcp_option_bytes(), 0..14),
        eols in vec(any::<bool>(), 14),
    ) {
        let mut o = TcpOptions::new();
        let mut area = Vec::new();
        let mut eol = false;
        for (wire, put_eol) in wires.iter().zip(&eols) {
            let parsed = TcpOptions::from_bytes(wire)?;
            let opt = if *put_eol { TcpOption::Eol } else { parsed.iter().next().unwrap_or(TcpOption::Nop) };
            let before = o;
            let got = o.push(opt);
            prop_assert_eq!(&got, &model_push(&mut area, &mut eol, opt));
            if got.is_err() {
                prop_assert_eq!(o.as_bytes(), before.as_bytes());
            }
            prop_assert_eq!(o.as_bytes(), &area[..]);
            prop_assert_eq!(o.has_eol(), eol);
            prop_assert_eq!(o.has_eol(), o.iter().any(|x| x == TcpOption::Eol));
            prop_assert!(o.padded_bytes()[o.len()..].iter().all(|&b| b == 0));
            prop_assert_eq!(TcpOptions::from_bytes(o.as_bytes()), Ok(o));
        }
    }

    /// `has_eol` of any options area read from the wire is what the
    /// iterator finds, and one more non-EOL push is refused exactly then.
    #[test]
    fn tcp_options_has_eol_from_bytes(o in tcp_options()) {
        let found = o.iter().any(|x| x == TcpOption::Eol);
        prop_assert_eq!(o.has_eol(), found);
        let mut more = o;
        let pushed = more.push(TcpOption::Nop);
        prop_assert_eq!(pushed.is_ok(), !found && o.len() < MAX_OPTIONS_LEN);
    }

    /// Each option emits alone as it does inside a pushed area, and
    /// refuses a buffer one byte short.
    #[test]
    fn tcp_option_emit_alone(wire in tcp_option_bytes()) {
        let parsed = TcpOptions::from_bytes(&wire)?;
        for opt in parsed.iter() {
            let mut buf = [0xeeu8; MAX_OPTIONS_LEN + 1];
            let n = opt.emit(&mut buf)?;
            prop_assert_eq!(n, opt.wire_len());
            prop_assert_eq!(&buf[..n], &wire[..n]);
            prop_assert!(buf[n..].iter().all(|&b| b == 0xee));
            prop_assert!(opt.emit(&mut buf[..n - 1]).is_err());
        }
    }

    /// `emit_segment_v4`/`v6` write exactly `emit` + payload with the
    /// checksum `fill_checksum_*` computes over those bytes, touch nothing
    /// past the segment, and the segment verifies.
    #[test]
    fn tcp_emit_segment_is_emit_plus_fill(
        (h, payload) in tcp_header_and_payload(),
        src in ipv4_addr(),
        dst in ipv4_addr(),
        src6 in ipv6_addr(),
        dst6 in ipv6_addr(),
        slack in 0usize..8,
    ) {
        let total = h.header_len() + payload.len();
        let mut want = vec![0u8; total];
        let n = h.emit(&mut want)?;
        want[n..].copy_from_slice(&payload);
        let mut want6 = want.clone();
        tcp::fill_checksum_v4(&mut want, src, dst)?;
        tcp::fill_checksum_v6(&mut want6, &src6, &dst6)?;

        let mut got = vec![0xeeu8; total + slack];
        prop_assert_eq!(h.emit_segment_v4(&payload, src, dst, &mut got)?, total);
        prop_assert_eq!(&got[..total], &want[..]);
        prop_assert!(got[total..].iter().all(|&b| b == 0xee));
        prop_assert!(TcpSegment::parse(&got[..total])?.verify_checksum_v4(src, dst));

        let mut got6 = vec![0xeeu8; total + slack];
        prop_assert_eq!(h.emit_segment_v6(&payload, &src6, &dst6, &mut got6)?, total);
        prop_assert_eq!(&got6[..total], &want6[..]);
        prop_assert!(got6[total..].iter().all(|&b| b == 0xee));

        // One byte short: an error, and nothing written.
        let mut short = vec![0xeeu8; total - 1];
        prop_assert!(h.emit_segment_v4(&payload, src, dst, &mut short).is_err());
        prop_assert!(short.iter().all(|&b| b == 0xee));
    }

    /// `emit_datagram_v4`/`v6` write exactly the header `for_payload`
    /// gives, the payload, and the checksum `fill_checksum_*` computes
    /// (zero sent as `0xFFFF`), and touch nothing past the datagram.
    #[test]
    fn udp_emit_datagram_is_emit_plus_fill(
        h in udp_header(),
        payload in vec(any::<u8>(), 0..200),
        src in ipv4_addr(),
        dst in ipv4_addr(),
        src6 in ipv6_addr(),
        dst6 in ipv6_addr(),
        slack in 0usize..8,
    ) {
        let total = 8 + payload.len();
        let mut want = vec![0u8; total];
        UdpHeader::for_payload(h.src_port, h.dst_port, payload.len())?.emit(&mut want)?;
        want[8..].copy_from_slice(&payload);
        let mut want6 = want.clone();
        udp::fill_checksum_v4(&mut want, src, dst)?;
        udp::fill_checksum_v6(&mut want6, &src6, &dst6)?;

        let mut got = vec![0xeeu8; total + slack];
        prop_assert_eq!(h.emit_datagram_v4(&payload, src, dst, &mut got)?, total);
        prop_assert_eq!(&got[..total], &want[..]);
        prop_assert!(got[total..].iter().all(|&b| b == 0xee));
        prop_assert!(UdpDatagram::parse(&got[..total])?.verify_checksum_v4(src, dst));

        let mut got6 = vec![0xeeu8; total + slack];
        prop_assert_eq!(h.emit_datagram_v6(&payload, &src6, &dst6, &mut got6)?, total);
        prop_assert_eq!(&got6[..total], &want6[..]);
        prop_assert!(got6[total..].iter().all(|&b| b == 0xee));

        let mut short = vec![0xeeu8; total - 1];
        prop_assert!(h.emit_datagram_v4(&payload, src, dst, &mut short).is_err());
        prop_assert!(short.iter().all(|&b| b == 0xee));
    }

    /// The IPv4 header checksum computed from the fields is the RFC 1071
    /// checksum of the emitted header with a zero checksum field, fields
    /// out of range masked to their widths.
    #[test]
    fn ipv4_checksum_is_the_sum_of_the_bytes(
        h in ipv4_header(),
        (dscp, ecn, flags, frag) in (any::<u8>(), any::<u8>(), any::<u8>(), any::<u16>()),
        wild in any::<bool>(),
    ) {
        let mut h = h;
        if wild {
            h.dscp = dscp;
            h.ecn = ecn;
            h.flags = Ipv4Flags::from_bits_retain(flags);
            h.fragment_offset = frag;
        }
        let mut masked = h;
        masked.dscp &= 0x3f;
        masked.ecn &= 0x3;
        masked.flags = Ipv4Flags::from_bits_retain(h.flags.bits() & 0x7);
        masked.fragment_offset &= 0x1fff;
        masked.checksum = 0;
        let mut b = [0u8; 60];
        let n = masked.emit(&mut b)?;
        let want = checksum::internet_checksum(&b[..n]);
        prop_assert_eq!(h.compute_checksum(), want);
        let mut filled = masked;
        filled.fill_checksum();
        filled.emit(&mut b)?;
        prop_assert!(checksum::verify(&b[..n]));
    }
}
