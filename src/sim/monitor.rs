//! A wire-level checker: no segment carries data beyond the window its
//! receiver advertised (RFC 9293 §3.8.6: "the sender ... should not send
//! data beyond the window").

use alloc::vec::Vec;
use core::net::Ipv4Addr;

use crate::net::ipv4::Ipv4Packet;
use crate::tcp::SeqNum;
use crate::transport::tcp::{TcpFlags, TcpSegment};

#[derive(Debug, Clone)]
struct Flow {
    key: (Ipv4Addr, u16, Ipv4Addr, u16),
    /// `None` until this side's SYN is seen; then its Window Scale option.
    syn_wscale: Option<Option<u8>>,
    /// The furthest right edge this side has advertised for data coming
    /// to it: SEG.ACK + (SEG.WND << shift).
    adv_edge: Option<SeqNum>,
}

/// Watches datagrams (see [`Sim::set_tap`](super::Sim::set_tap)) and
/// counts data segments that end beyond the receiver's advertised right
/// edge.
///
/// A one-octet segment exactly at the edge is a zero-window probe
/// (RFC 9293 §3.8.6.1) and allowed. Window Scale shifts apply only when
/// both SYNs carried the option (RFC 7323 §2.2); windows in SYN segments
/// are never scaled.
#[derive(Debug, Clone, Default)]
pub struct WindowMonitor {
    flows: Vec<Flow>,
    violations: u64,
    segments: u64,
}

impl WindowMonitor {
    /// A monitor that has seen nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Data segments found beyond the advertised window.
    pub fn violations(&self) -> u64 {
        self.violations
    }

    /// TCP segments observed.
    pub fn segments(&self) -> u64 {
        self.segments
    }

    fn flow(&mut self, key: (Ipv4Addr, u16, Ipv4Addr, u16)) -> usize {
        if let Some(i) = self.flows.iter().position(|f| f.key == key) {
            return i;
        }
        self.flows.push(Flow {
            key,
            syn_wscale: None,
            adv_edge: None,
        });
        self.flows.len() - 1
    }

    /// Observe one IPv4 datagram as sent.
    pub fn observe(&mut self, datagram: &[u8]) {
        let Ok(ip) = Ipv4Packet::parse(datagram) else { return };
        let Ok(seg) = TcpSegment::parse(ip.payload()) else {
            return;
        };
        self.segments += 1;
        let key = (ip.src(), seg.src_port(), ip.dst(), seg.dst_port());
        let rev = (key.2, key.3, key.0, key.1);
        let me = self.flow(key);
        let peer = self.flow(rev);
        let flags = seg.flags();
        if flags.contains(TcpFlags::SYN) {
            let ws = seg.options().find_map(|o| match o {
                crate::transport::tcp_option::TcpOption::WindowScale(s) => Some(s),
                _ => None,
            });
            self.flows[me].syn_wscale = Some(ws);
        }
        if flags.contains(TcpFlags::ACK) && !flags.contains(TcpFlags::RST) {
            let shift = match (self.flows[me].syn_wscale, self.flows[peer].syn_wscale) {
                _ if flags.contains(TcpFlags::SYN) => 0,
                (Some(Some(mine)), Some(Some(_))) => u32::from(mine.min(14)),
                _ => 0,
            };
            let edge = SeqNum(seg.ack()) + (u32::from(seg.window()) << shift);
            let f = &mut self.flows[me];
            f.adv_edge = Some(match f.adv_edge {
                Some(e) => e.max(edge),
                None => edge,
            });
        }
        let len = seg.payload().len();
        if len > 0 {
            if let Some(edge) = self.flows[peer].adv_edge {
                let seq = SeqNum(seg.seq());
                let end = seq + len;
                let probe = len == 1 && seq == edge;
                if end > edge && !probe {
                    self.violations += 1;
                }
            }
        }
    }
}
