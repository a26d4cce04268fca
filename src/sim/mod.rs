//! A deterministic simulated network for testing TCP code.
//!
//! The simulator connects hosts (each an IPv4 address with its TCP
//! connections) through links that lose, duplicate, reorder, delay and
//! corrupt datagrams, all decided by one seeded random generator, in
//! virtual time. The same seed and the same calls give the same run,
//! byte for byte, so a failure found by a property test replays exactly.
//!
//! Segments cross the network as real bytes: each one leaves a
//! [`Connection`] as a header, is serialized with
//! [`TcpHeader::emit`] inside an
//! [`Ipv4Header`] with both checksums
//! filled, suffers the link, and is parsed again at the far end, where a
//! bad IPv4 or TCP checksum drops it, as a real host would.
//!
//! ```text
//!   Host A (10.0.0.1)                               Host B (10.0.0.2)
//!   ┌────────────────┐   loss dup reorder corrupt   ┌────────────────┐
//!   │ conn :40000 ───┼──► delay + jitter, MTU ─────►┼─── conn :80    │
//!   │                │◄───────────────────────────┼── listener :80  │
//!   └────────────────┘                              └────────────────┘
//! ```
//!
//! For tests that control every segment, [`Pair`] wires two connections
//! back to back with no network in between.
//!
//! Hosts demultiplex arriving segments by 4-tuple to their connections;
//! a SYN to a port with a listener creates a new connection (see
//! [`Sim::listen`] and [`Sim::accept`]); anything else gets the RST of
//! RFC 9293 §3.10.7.1.
//!
//! ```
//! use core::net::Ipv4Addr;
//! use netspec::sim::{LinkConfig, Sim};
//! use netspec::tcp::{Config, State};
//!
//! let mut sim = Sim::new(7, LinkConfig::default());
//! let a = sim.add_host(Ipv4Addr::new(10, 0, 0, 1));
//! let b = sim.add_host(Ipv4Addr::new(10, 0, 0, 2));
//! sim.listen(b, Config::default(), 80);
//! let client = sim.connect(a, Config::default(), 40000, Ipv4Addr::new(10, 0, 0, 2), 80);
//! sim.conn_mut(client).send(b"hello").unwrap();
//! sim.run_for(core::time::Duration::from_secs(1));
//! let server = sim.accept(b).unwrap();
//! let mut buf = [0u8; 16];
//! assert_eq!(sim.conn_mut(server).recv(&mut buf), Ok(5));
//! assert_eq!(&buf[..5], b"hello");
//! assert_eq!(sim.conn(client).state(), State::Established);
//! ```

mod link;
mod monitor;
mod pair;
mod transfer;

pub use link::{LinkConfig, Rng};
pub use monitor::WindowMonitor;
pub use pair::{ADDR_A, ADDR_B, PORT_A, PORT_B, Pair};
pub use transfer::{BulkTransfer, TransferReport};

use alloc::collections::{BinaryHeap, VecDeque};
use alloc::vec::Vec;
use core::cmp::Reverse;
use core::net::{IpAddr, Ipv4Addr};
use core::time::Duration;

use crate::net::ip_protocol::IpProtocol;
use crate::net::ipv4::{Ipv4Flags, Ipv4Header, Ipv4Packet};
use crate::tcp::{Config, Connection, Instant, IsnGenerator, State, rst_for_closed};
use crate::transport::tcp::{TcpFlags, TcpHeader, TcpSegment, fill_checksum_v4};

/// Index of a host in a [`Sim`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HostId(pub usize);

/// A connection in a [`Sim`]: its host and slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnId {
    /// The host.
    pub host: HostId,
    /// The connection's slot on that host.
    pub slot: usize,
}

/// Counters of what the network did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SimStats {
    /// Datagrams handed to links.
    pub sent: u64,
    /// Datagrams lost.
    pub lost: u64,
    /// Extra copies made.
    pub duplicated: u64,
    /// Datagrams held back to be overtaken.
    pub reordered: u64,
    /// Datagrams with a bit flipped.
    pub corrupted: u64,
    /// Datagrams dropped for exceeding the MTU.
    pub oversize: u64,
    /// Datagrams dropped at the receiver for a bad IPv4 or TCP checksum
    /// or a header that does not parse.
    pub bad_checksum: u64,
    /// Datagrams delivered to a host and parsed.
    pub delivered: u64,
    /// RSTs sent by hosts for segments that matched no connection.
    pub resets_for_closed: u64,
}

/// One datagram as seen on the wire: sender, receiver, and its bytes.
#[derive(Debug, Clone, Copy)]
pub struct WireEvent<'a> {
    /// Virtual time when it was sent.
    pub time: Instant,
    /// Sending host.
    pub from: HostId,
    /// Receiving host.
    pub to: HostId,
    /// The IPv4 datagram, as sent (before any corruption).
    pub datagram: &'a [u8],
}

/// A wire observer.
type Tap = alloc::boxed::Box<dyn FnMut(WireEvent<'_>)>;

struct Slot {
    conn: Connection,
    remote: Option<(Ipv4Addr, u16)>,
}

struct Host {
    addr: Ipv4Addr,
    slots: Vec<Slot>,
    listeners: Vec<(u16, Config)>,
    accepted: VecDeque<usize>,
    blackhole: bool,
}

/// The simulated network: hosts, links, in-flight datagrams and a virtual
/// clock.
pub struct Sim {
    now: Instant,
    rng: Rng,
    isn: IsnGenerator,
    default_link: LinkConfig,
    links: Vec<((usize, usize), LinkConfig)>,
    hosts: Vec<Host>,
    /// (arrival time, sequence for FIFO ties, packet slot).
    queue: BinaryHeap<Reverse<(Instant, u64, usize)>>,
    packets: Vec<(usize, Vec<u8>)>,
    free_packets: Vec<usize>,
    counter: u64,
    stats: SimStats,
    tap: Option<Tap>,
    payload_buf: Vec<u8>,
    wire_buf: Vec<u8>,
}

impl core::fmt::Debug for Sim {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Sim")
            .field("now", &self.now)
            .field("hosts", &self.hosts.len())
            .field("in_flight", &self.queue.len())
            .field("stats", &self.stats)
            .finish()
    }
}

impl Sim {
    /// An empty network seeded with `seed`, whose links default to `link`.
    pub fn new(seed: u64, link: LinkConfig) -> Self {
        let mut rng = Rng::new(seed);
        let mut secret = [0u8; 16];
        secret[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
        secret[8..].copy_from_slice(&rng.next_u64().to_le_bytes());
        Sim {
            now: Instant::ZERO,
            rng,
            isn: IsnGenerator::new(secret),
            default_link: link,
            links: Vec::new(),
            hosts: Vec::new(),
            queue: BinaryHeap::new(),
            packets: Vec::new(),
            free_packets: Vec::new(),
            counter: 0,
            stats: SimStats::default(),
            tap: None,
            payload_buf: alloc::vec![0; 65536],
            wire_buf: alloc::vec![0; 65536],
        }
    }

    /// Add a host with address `addr`.
    pub fn add_host(&mut self, addr: Ipv4Addr) -> HostId {
        self.hosts.push(Host {
            addr,
            slots: Vec::new(),
            listeners: Vec::new(),
            accepted: VecDeque::new(),
            blackhole: false,
        });
        HostId(self.hosts.len() - 1)
    }

    /// Make `host` send no RST for segments to closed ports (FreeBSD's
    /// `blackhole`).
    pub fn set_blackhole(&mut self, host: HostId, on: bool) {
        self.hosts[host.0].blackhole = on;
    }

    /// Set the link from `from` to `to` (one direction).
    pub fn set_link(&mut self, from: HostId, to: HostId, link: LinkConfig) {
        self.links.retain(|(k, _)| *k != (from.0, to.0));
        self.links.push(((from.0, to.0), link));
    }

    /// Watch every datagram sent (for checkers such as [`WindowMonitor`]).
    pub fn set_tap(&mut self, tap: impl FnMut(WireEvent<'_>) + 'static) {
        self.tap = Some(alloc::boxed::Box::new(tap));
    }

    /// Virtual time now.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// Network counters.
    pub fn stats(&self) -> SimStats {
        self.stats
    }

    /// Datagrams in flight.
    pub fn in_flight(&self) -> usize {
        self.queue.len()
    }

    /// The address of `host`.
    pub fn host_addr(&self, host: HostId) -> Ipv4Addr {
        self.hosts[host.0].addr
    }

    /// Active open from `host:local_port` to `remote:remote_port`, with
    /// an RFC 6528 ISN from the simulator's keyed generator.
    pub fn connect(
        &mut self,
        host: HostId,
        config: Config,
        local_port: u16,
        remote: Ipv4Addr,
        remote_port: u16,
    ) -> ConnId {
        let local = self.hosts[host.0].addr;
        let isn = self
            .isn
            .isn(self.now, IpAddr::V4(local), local_port, IpAddr::V4(remote), remote_port);
        let mut conn = Connection::new(config, local_port);
        // A fresh connection is CLOSED, so OPEN cannot fail.
        let _ = conn.connect(self.now, remote_port, isn);
        let h = &mut self.hosts[host.0];
        h.slots.push(Slot {
            conn,
            remote: Some((remote, remote_port)),
        });
        let id = ConnId {
            host,
            slot: h.slots.len() - 1,
        };
        self.flush(id);
        id
    }

    /// Listen on `host:port`: every SYN to it that matches no connection
    /// creates a new one with `config` (see [`accept`](Self::accept)).
    pub fn listen(&mut self, host: HostId, config: Config, port: u16) {
        let h = &mut self.hosts[host.0];
        h.listeners.retain(|(p, _)| *p != port);
        h.listeners.push((port, config));
    }

    /// The next connection created by a listener on `host`, oldest first.
    pub fn accept(&mut self, host: HostId) -> Option<ConnId> {
        self.hosts[host.0]
            .accepted
            .pop_front()
            .map(|slot| ConnId { host, slot })
    }

    /// Every connection slot on `host`.
    pub fn connections(&self, host: HostId) -> impl Iterator<Item = ConnId> + '_ {
        (0..self.hosts[host.0].slots.len()).map(move |slot| ConnId { host, slot })
    }

    /// A connection.
    pub fn conn(&self, id: ConnId) -> &Connection {
        &self.hosts[id.host.0].slots[id.slot].conn
    }

    /// A connection, for user calls. Call [`flush`](Self::flush) (or any
    /// `run` method) afterwards so its segments go out.
    pub fn conn_mut(&mut self, id: ConnId) -> &mut Connection {
        &mut self.hosts[id.host.0].slots[id.slot].conn
    }

    /// Send whatever `id` has queued.
    pub fn flush(&mut self, id: ConnId) {
        let now = self.now;
        loop {
            let mut payload = core::mem::take(&mut self.payload_buf);
            let slot = &mut self.hosts[id.host.0].slots[id.slot];
            let t = slot.conn.poll_transmit(now, &mut payload);
            let remote = slot.remote;
            let Some(t) = t else {
                self.payload_buf = payload;
                break;
            };
            if let Some((addr, _)) = remote {
                self.emit(id.host, addr, &t.header, &payload[..t.payload_len]);
            }
            self.payload_buf = payload;
        }
    }

    /// Send from every connection on every host.
    pub fn flush_all(&mut self) {
        for h in 0..self.hosts.len() {
            for slot in 0..self.hosts[h].slots.len() {
                self.flush(ConnId { host: HostId(h), slot });
            }
        }
    }

    /// Serialize a segment into a datagram and put it on the link.
    fn emit(&mut self, from: HostId, dst: Ipv4Addr, header: &TcpHeader, payload: &[u8]) {
        let src = self.hosts[from.0].addr;
        let mut wire = core::mem::take(&mut self.wire_buf);
        let tcp_len = header.header_len() + payload.len();
        let mut ip = Ipv4Header::new(src, dst, IpProtocol::TCP, tcp_len);
        ip.flags = Ipv4Flags::DONT_FRAGMENT;
        ip.identification = self.counter as u16;
        ip.fill_checksum();
        let total = ip.header_len() + tcp_len;
        if wire.len() < total {
            wire.resize(total, 0);
        }
        let ok = ip.emit(&mut wire).and_then(|ih| {
            let th = header.emit(&mut wire[ih..])?;
            wire[ih + th..ih + th + payload.len()].copy_from_slice(payload);
            fill_checksum_v4(&mut wire[ih..total], src, dst)
        });
        if ok.is_ok() {
            self.transmit(from, dst, &wire[..total]);
        }
        self.wire_buf = wire;
    }

    fn link(&self, from: usize, to: usize) -> LinkConfig {
        self.links
            .iter()
            .find(|(k, _)| *k == (from, to))
            .map(|(_, l)| *l)
            .unwrap_or(self.default_link)
    }

    /// Apply the link's impairments and schedule the copies that survive.
    fn transmit(&mut self, from: HostId, dst: Ipv4Addr, datagram: &[u8]) {
        let Some(to) = self.hosts.iter().position(|h| h.addr == dst) else {
            return;
        };
        self.stats.sent += 1;
        if let Some(tap) = self.tap.as_mut() {
            tap(WireEvent {
                time: self.now,
                from,
                to: HostId(to),
                datagram,
            });
        }
        let link = self.link(from.0, to);
        if datagram.len() > link.mtu {
            self.stats.oversize += 1;
            return;
        }
        if self.rng.chance(link.loss) {
            self.stats.lost += 1;
            return;
        }
        let copies = if self.rng.chance(link.dup) {
            self.stats.duplicated += 1;
            2
        } else {
            1
        };
        for _ in 0..copies {
            let mut delay = link.delay + self.rng.duration_upto(link.jitter);
            if self.rng.chance(link.reorder) {
                self.stats.reordered += 1;
                delay += self.rng.duration_upto(link.reorder_delay);
            }
            let slot = match self.free_packets.pop() {
                Some(s) => s,
                None => {
                    self.packets.push((0, Vec::new()));
                    self.packets.len() - 1
                }
            };
            let buf = &mut self.packets[slot];
            buf.0 = to;
            buf.1.clear();
            buf.1.extend_from_slice(datagram);
            if self.rng.chance(link.corrupt) {
                self.stats.corrupted += 1;
                let bit = self.rng.below(datagram.len() as u64 * 8);
                buf.1[(bit / 8) as usize] ^= 1 << (bit % 8);
            }
            self.counter += 1;
            self.queue.push(Reverse((self.now + delay, self.counter, slot)));
        }
    }

    /// The next instant at which something happens: a datagram arrives or
    /// a connection's timer fires.
    pub fn next_event(&self) -> Option<Instant> {
        let packet = self.queue.peek().map(|Reverse((t, _, _))| *t);
        let timer = self
            .hosts
            .iter()
            .flat_map(|h| h.slots.iter())
            .filter_map(|s| s.conn.poll_timeout())
            .min();
        match (packet, timer) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Advance to the next event and handle it (all datagrams and timers
    /// due at that instant). Returns `false` if nothing is pending.
    pub fn step(&mut self) -> bool {
        let Some(t) = self.next_event() else {
            return false;
        };
        self.now = self.now.max(t);
        while let Some(&Reverse((at, _, slot))) = self.queue.peek() {
            if at > self.now {
                break;
            }
            self.queue.pop();
            let (to, bytes) = core::mem::take(&mut self.packets[slot]);
            self.deliver(to, &bytes);
            self.packets[slot] = (to, bytes);
            self.free_packets.push(slot);
        }
        for h in 0..self.hosts.len() {
            for s in 0..self.hosts[h].slots.len() {
                let conn = &mut self.hosts[h].slots[s].conn;
                if conn.poll_timeout().is_some_and(|d| d <= self.now) {
                    conn.on_timeout(self.now);
                    self.flush(ConnId {
                        host: HostId(h),
                        slot: s,
                    });
                }
            }
        }
        true
    }

    /// Run events until virtual time `deadline` (or until idle).
    pub fn run_until(&mut self, deadline: Instant) {
        while self.next_event().is_some_and(|t| t <= deadline) {
            self.step();
        }
        self.now = self.now.max(deadline);
    }

    /// Run events for `d` of virtual time.
    pub fn run_for(&mut self, d: Duration) {
        self.flush_all();
        self.run_until(self.now + d);
    }

    /// A datagram reaches host `to`: check, parse, demultiplex.
    fn deliver(&mut self, to: usize, datagram: &[u8]) {
        let Ok(ip) = Ipv4Packet::parse(datagram) else {
            self.stats.bad_checksum += 1;
            return;
        };
        let host_addr = self.hosts[to].addr;
        if !ip.verify_checksum() || ip.protocol() != IpProtocol::TCP || ip.dst() != host_addr {
            self.stats.bad_checksum += 1;
            return;
        }
        let (src, dst) = (ip.src(), ip.dst());
        let Ok(seg) = TcpSegment::parse(ip.payload()) else {
            self.stats.bad_checksum += 1;
            return;
        };
        if !seg.verify_checksum_v4(src, dst) {
            self.stats.bad_checksum += 1;
            return;
        }
        self.stats.delivered += 1;
        let (sport, dport) = (seg.src_port(), seg.dst_port());
        let host = &mut self.hosts[to];
        let found = host.slots.iter().position(|s| {
            s.conn.state() != State::Closed && s.conn.local_port() == dport && s.remote == Some((src, sport))
        });
        let slot = match found {
            Some(i) => Some(i),
            None => match host.listeners.iter().find(|(p, _)| *p == dport) {
                Some((_, cfg)) if seg.flags() & (TcpFlags::SYN | TcpFlags::ACK | TcpFlags::RST) == TcpFlags::SYN => {
                    let mut conn = Connection::new(cfg.clone(), dport);
                    let _ = conn.listen();
                    let isn = self.isn.isn(self.now, IpAddr::V4(dst), dport, IpAddr::V4(src), sport);
                    conn.accept_isn(isn);
                    host.slots.push(Slot {
                        conn,
                        remote: Some((src, sport)),
                    });
                    host.accepted.push_back(host.slots.len() - 1);
                    Some(host.slots.len() - 1)
                }
                _ => None,
            },
        };
        match slot {
            Some(i) => {
                host.slots[i].conn.on_segment(self.now, &seg);
                self.flush(ConnId {
                    host: HostId(to),
                    slot: i,
                });
            }
            None => {
                if host.blackhole {
                    return;
                }
                if let Some(rst) = rst_for_closed(&seg) {
                    self.stats.resets_for_closed += 1;
                    self.emit(HostId(to), src, &rst, &[]);
                }
            }
        }
    }
}
